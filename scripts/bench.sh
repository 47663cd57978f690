#!/usr/bin/env bash
# npm run bench: native + wasm decode benchmarks and query (filter/sort/top/histogram)
# timings on a 10M-row table, printed as tables.
#   scripts/bench.sh [case-filter…]        e.g. scripts/bench.sh default-1m
#                                          (`query`, `filter`, `sort`: query cases only)
# Env: FLOWLENS_BENCH_RUNS (best of N, default 5), FLOWLENS_SHARED (generator dir),
#      FLOWLENS_BROWSER_TIMEOUT (seconds for tests/e2e/bench.mjs, default 300).
# Raw results (JSON lines) are kept in target/bench/*.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) export PATH="$CARGO_BIN:$PATH" ;; esac

OUT=target/bench
mkdir -p "$OUT"
rm -f "$OUT"/*.jsonl

echo "[bench] setup"
bash scripts/setup.sh >/dev/null
echo "[bench] inputs (bench-data/)"
bash scripts/bench-data.sh
echo "[bench] build wasm (scripts/build.sh)"
bash scripts/build.sh >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }
echo "[bench] build native (cargo bench --no-run)"
cargo bench --bench decode --no-run --quiet

echo "[bench] native decode + queries (10M rows)"
cargo bench --quiet --bench decode -- "$@" >"$OUT/native.jsonl"
echo "[bench] wasm decode (node)"
node scripts/bench-wasm.mjs "$@" >"$OUT/wasm.jsonl"
echo "[bench] wasm queries (node, 10M rows)"
node scripts/bench-wasm-query.mjs "$@" >"$OUT/wasm-query.jsonl"
echo "[bench] the page's window() call (node, scripts/bench-window.mjs)"
node scripts/bench-window.mjs >"$OUT/window.jsonl" || echo "[bench] window bench failed (ignored)"
echo "[bench] report files (node, scripts/bench-report.mjs)"
node scripts/bench-report.mjs "$@" >"$OUT/report.jsonl" || echo "[bench] report bench failed (ignored)"

echo "[bench] CLI --jobs (8 files)"
cargo build --release --quiet
bash scripts/bench-jobs.sh >"$OUT/jobs.jsonl" || echo "[bench] jobs bench failed (ignored)"

# after bench-jobs.sh, which splits default-1m.log into bench-data/split8
echo "[bench] a folder's capacity while merging (node, scripts/bench-merge-memory.mjs)"
node scripts/bench-merge-memory.mjs --json >"$OUT/merge-memory.jsonl" || echo "[bench] merge-memory bench failed (ignored)"

echo "[bench] baselines (DuckDB one thread, gzip -dc)"
python3 scripts/bench-baseline.py "$@" >"$OUT/baseline.jsonl" || echo "[bench] baselines failed (ignored)"
echo "[bench] gzip throughput against the decoder of 2026-11-26 (scripts/bench-gzip-then.sh)"
FLOWLENS_BUILT=1 bash scripts/bench-gzip-then.sh >"$OUT/gzip-then.jsonl" || echo "[bench] gzip-then bench failed (ignored)"
echo "[bench] instructions per line (callgrind, scripts/bench-instr.sh)"
bash scripts/bench-instr.sh >"$OUT/instr.jsonl" || echo "[bench] instruction counts failed (ignored)"

# sizes of what the browser downloads
size_line() { # name file
  printf '{"bench":"size","name":"%s","bytes":%d,"gzip_bytes":%d}\n' \
    "$1" "$(stat -c %s "$2")" "$(gzip -9 -c "$2" | wc -c)"
}
{
  size_line "flowlens_bg.wasm" pkg/flowlens_bg.wasm
  size_line "flowlens.js (glue)" pkg/flowlens.js
  # every module of LAZY_MODULES in scripts/build.sh, with what it holds
  lazy_what() {
    case $1 in
      parquet) echo "Parquet reader, loaded for the first Parquet file" ;;
      translate) echo "Athena/Insights translation, loaded for the first translation" ;;
      context) echo "context files, labels, health checks, loaded when a decode finishes" ;;
      *) echo "loaded on demand" ;;
    esac
  }
  for m in $(sed -n 's/^LAZY_MODULES=(\(.*\))/\1/p' scripts/build.sh); do
    size_line "flowlens_${m}_bg.wasm ($(lazy_what "$m"))" "pkg/flowlens_${m}_bg.wasm"
  done
  if [[ -f dist/flowlens.html ]]; then
    size_line "dist/flowlens.html (single file)" dist/flowlens.html
  fi
} >"$OUT/sizes.jsonl"

echo "[bench] labels and health checks (cargo bench --bench context)"
cargo bench --quiet --bench context >"$OUT/context.jsonl"
echo "[bench] labelling in the context module (node scripts/bench-annotate.mjs)"
node scripts/bench-annotate.mjs >"$OUT/annotate.jsonl" || echo "[bench] annotate bench failed (ignored)"

# ── HOOK: more result producers. Anything that writes JSON lines to target/bench/*.jsonl
# shows up in the table: {"bench":"decode","impl":"browser",…} adds browser columns to
# the decode table; {"bench":"query","impl":…} lines fill the "Query (10M rows)" table
# (native: bench_queries() in benches/decode.rs; wasm: scripts/bench-wasm-query.mjs);
# any other "bench" goes to "Other benchmarks".
#   browser timings: e.g. `node tests/e2e/bench.mjs >"$OUT/browser.jsonl"` (headless
#     /usr/bin/chromium via playwright-core, same launch args as the e2e tests).
if [[ -f tests/e2e/bench.mjs ]]; then
  echo "[bench] browser (tests/e2e/bench.mjs)"
  # bounded: a hung headless Chromium must not stall the whole run
  timeout "${FLOWLENS_BROWSER_TIMEOUT:-300}" node tests/e2e/bench.mjs "$@" >"$OUT/browser.jsonl" \
    || echo "[bench] browser bench failed or timed out (ignored)"
  # the 1 GB input (9M records, 9 copies of default-1m.log): drop → complete in the page
  if [[ $# -eq 0 && -f tests/e2e/big.mjs ]]; then
    echo "[bench] browser, 1 GB input (tests/e2e/big.mjs)"
    timeout "${FLOWLENS_BROWSER_TIMEOUT:-300}" node tests/e2e/big.mjs --json 2>&1 | tee "$OUT/big.log" | grep '^{' >"$OUT/big.jsonl" \
      || echo "[bench] 1 GB browser bench failed or timed out (ignored; see $OUT/big.log)"
  fi
fi

node scripts/bench-table.mjs "$OUT"/*.jsonl
