#!/usr/bin/env bash
# Instructions per decoded line, counted by callgrind (exact, unlike timings on a shared
# machine): one decode of 100k records by examples/decode_timing, minus one decode of 10
# records (process start, reading, setup), divided by the difference in lines.
#   default-1m:   the first 100k lines of bench-data/default-1m.log (default format)
#   all-s3-gz:    100k all-fields records, S3 text with header, gzip (inflate included)
# Prints JSON lines for scripts/bench-table.mjs ("Other benchmarks"). Needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "bench-instr: valgrind not installed: no counts" >&2; exit 0; }
SHARED=${FLOWLENS_SHARED:-$(dirname "$PWD")/shared}
GEN=$SHARED/tools/gen_flowlogs.py
BIN=target/release/examples/decode_timing
cargo build --release --quiet --example decode_timing
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
head -n 100000 bench-data/default-1m.log >"$TMP/default-100k.log"
head -n 10 bench-data/default-1m.log >"$TMP/default-10.log"
python3 "$GEN" -n 100000 --fields all --container s3 --gzip -o "$TMP/all-100k.log.gz"
python3 "$GEN" -n 10 --fields all --container s3 --gzip -o "$TMP/all-10.log.gz"
count() { # file -> instructions of one decode
  FLOWLENS_RUNS=1 valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.out" "$BIN" "$1" >/dev/null 2>"$TMP/cg.err"
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$TMP/cg.err"
}
line() { # case big small lines what
  local big small
  big=$(count "$2")
  small=$(count "$3")
  awk -v c="$1" -v b="$big" -v s="$small" -v n="$4" -v w="$5" 'BEGIN {
    printf "{\"bench\":\"instructions\",\"impl\":\"native\",\"case\":\"%s\",\"rows\":%d,\"instructions_per_line\":%.0f,\"note\":\"%.0f instructions per line (%s; callgrind)\"}\n", c, n, (b - s) / n, (b - s) / n, w }'
}
line "default-1m (first 100k lines)" "$TMP/default-100k.log" "$TMP/default-10.log" 99990 "default format, decode kernel"
line "all-fields S3 gzip, 100k" "$TMP/all-100k.log.gz" "$TMP/all-10.log.gz" 99990 "all fields v2–v11, inflate + decode"
