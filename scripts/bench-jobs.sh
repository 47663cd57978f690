#!/usr/bin/env bash
# CLI parallel decode: the 1M default-format records of bench-data/default-1m.log split
# into 8 files (a folder of 8 files), decoded with `flowlens -o stats --jobs 1` and
# `--jobs 2`; best of FLOWLENS_BENCH_RUNS (default 5). Prints JSON lines for
# scripts/bench-table.mjs ("Other benchmarks").
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=target/release/flowlens
DIR=bench-data/split8
RUNS=${FLOWLENS_BENCH_RUNS:-5}
[[ -x $BIN ]] || cargo build --release --quiet
if [[ ! -s $DIR/part-07.log ]]; then
  mkdir -p "$DIR"
  split -n l/8 -d -a 2 --additional-suffix=.log bench-data/default-1m.log "$DIR/part-"
fi
best() { # jobs
  local best=""
  for _ in $(seq "$RUNS"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$BIN" -o stats --jobs "$1" "$DIR"/part-*.log >/dev/null 2>&1
    t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v c="$best" 'BEGIN { d = b - a; if (c == "" || d < c) c = d; printf "%.4f", c }')
  done
  printf '%s' "$best"
}
one=$(best 1)
two=$(best 2)
ratio=$(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", a / b }')
printf '{"bench":"cli-jobs","case":"8 files, 1M default records, --jobs 1","impl":"native","best_s":%s,"rows":1000000}\n' "$one"
printf '{"bench":"cli-jobs","case":"8 files, 1M default records, --jobs 2","impl":"native","best_s":%s,"rows":1000000,"note":"%s× faster than --jobs 1 (target 1.6×)"}\n' "$two" "$ratio"
