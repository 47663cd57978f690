#!/usr/bin/env bash
# Issue 10's gzip target, "≥ 1.5× today's throughput", measured on this machine in one
# run: the decoder as it was when the issue was filed (commit be40cc2, the end of round
# 1, 2026-11-26) against this checkout, on the same all-s3-gz-1m file (1M all-fields
# records, S3 text with its header, gzip), native (cargo bench) and wasm (Node), the two
# alternating, best of FLOWLENS_BENCH_RUNS (default 3) each, twice.
#
#   bash scripts/bench-gzip-then.sh        (not part of npm run bench: it builds the old
#                                           commit, about 4 minutes the first time)
#
# The old commit is checked out as a git worktree outside this one (FLOWLENS_THEN_DIR,
# default $TMPDIR/flowlens-then: cargo refuses a package nested in this workspace), its
# build in its own target/, sharing bench-data/ and node_modules/ with this checkout.
# Prints JSON lines for scripts/bench-table.mjs and a summary on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
THEN=be40cc2
OLD=${FLOWLENS_THEN_DIR:-${TMPDIR:-/tmp}/flowlens-then}
RUNS=${FLOWLENS_BENCH_RUNS:-3}
export FLOWLENS_BENCH_RUNS=$RUNS

git rev-parse --verify --quiet "$THEN^{commit}" >/dev/null || { echo "bench-gzip-then: commit $THEN not in this clone" >&2; exit 1; }
bash scripts/bench-data.sh >/dev/null
if [[ ! -d $OLD ]]; then
  git worktree add --quiet --detach "$OLD" "$THEN"
fi
mkdir -p "$OLD/bench-data"
for f in default-1m.log all-s3-1m.log.gz cwl-json-200k.json; do
  ln -sfn "$ROOT/bench-data/$f" "$OLD/bench-data/$f"
  cp "$ROOT/bench-data/.$f.args" "$OLD/bench-data/"
done
ln -sfn "$ROOT/node_modules" "$OLD/node_modules"
echo "[bench-gzip-then] building $THEN (native bench, wasm)" >&2
(cd "$OLD" && cargo bench --quiet --bench decode --no-run 2>/dev/null && bash scripts/build.sh >/dev/null 2>&1)
echo "[bench-gzip-then] building this checkout (native bench; wasm from scripts/build.sh)" >&2
cargo bench --quiet --bench decode --no-run 2>/dev/null
[[ -f pkg/flowlens_bg.wasm ]] || bash scripts/build.sh >/dev/null 2>&1

best_native() { # dir -> seconds
  (cd "$1" && cargo bench --quiet --bench decode -- all-s3-gz-1m 2>/dev/null) \
    | grep '"case":"all-s3-gz-1m"' | head -1 | sed -n 's/.*"best_s":\([0-9.]*\).*/\1/p'
}
best_wasm() { # dir -> seconds
  (cd "$1" && node scripts/bench-wasm.mjs all-s3-gz-1m 2>/dev/null) \
    | grep '"case":"all-s3-gz-1m"' | head -1 | sed -n 's/.*"best_s":\([0-9.]*\).*/\1/p'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
now_n=""; then_n=""; now_w=""; then_w=""
for _ in 1 2; do
  now_n=$(min "$now_n" "$(best_native "$ROOT")")
  then_n=$(min "$then_n" "$(best_native "$OLD")")
  now_w=$(min "$now_w" "$(best_wasm "$ROOT")")
  then_w=$(min "$then_w" "$(best_wasm "$OLD")")
done
for impl in native wasm; do
  if [[ $impl == native ]]; then a=$then_n; b=$now_n; else a=$then_w; b=$now_w; fi
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
  printf '{"bench":"gzip-then","case":"all-s3-gz-1m, %s: %s then","impl":"%s","best_s":%s,"rows":1000000}\n' "$impl" "$THEN" "$impl" "$a"
  printf '{"bench":"gzip-then","case":"all-s3-gz-1m, %s: now","impl":"%s","best_s":%s,"rows":1000000,"note":"%s× the throughput of %s (target 1.5×)"}\n' "$impl" "$impl" "$b" "$ratio" "$THEN"
  echo "[bench-gzip-then] $impl: $THEN ${a}s, now ${b}s: ${ratio}×" >&2
done
