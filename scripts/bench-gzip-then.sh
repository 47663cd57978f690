#!/usr/bin/env bash
# Issue 10's gzip target, "≥ 1.5× today's throughput", measured on this machine in one
# run: the decoder as it was when the issue was filed (commit be40cc2, the end of round
# 1, 2026-11-26) against this checkout, on the same all-s3-gz-1m file (1M all-fields
# records, S3 text with its header, gzip), native (cargo bench) and wasm (Node), the two
# alternating, best of FLOWLENS_BENCH_RUNS (default 3) each, twice.
#
#   bash scripts/bench-gzip-then.sh        (npm run bench runs it; the old commit's build
#                                           takes about 4 minutes the first time)
#
# FLOWLENS_BUILT=1 skips rebuilding this checkout's wasm (npm run bench has just built it).
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

die() { echo "bench-gzip-then: $*" >&2; exit 1; }
git rev-parse --verify --quiet "$THEN^{commit}" >/dev/null || die "commit $THEN not in this clone"
bash scripts/bench-data.sh >/dev/null
git worktree prune # a worktree whose directory was removed (a cleared $TMPDIR)
if [[ ! -d $OLD ]]; then
  git worktree add --quiet --detach "$OLD" "$THEN"
fi
[[ "$(git -C "$OLD" rev-parse HEAD 2>/dev/null)" == "$(git rev-parse "$THEN^{commit}")" ]] ||
  die "$OLD is not a checkout of $THEN: remove it or set FLOWLENS_THEN_DIR"
mkdir -p "$OLD/bench-data"
for f in default-1m.log all-s3-1m.log.gz cwl-json-200k.json; do
  ln -sfn "$ROOT/bench-data/$f" "$OLD/bench-data/$f"
  cp "$ROOT/bench-data/.$f.args" "$OLD/bench-data/"
done
ln -sfn "$ROOT/node_modules" "$OLD/node_modules"
LOG=$ROOT/target/bench-gzip-then.log
mkdir -p "$ROOT/target"
: >"$LOG"
echo "[bench-gzip-then] building $THEN (native bench, wasm; log: $LOG)" >&2
(cd "$OLD" && cargo bench --quiet --bench decode --no-run && bash scripts/build.sh) >>"$LOG" 2>&1 ||
  die "building $THEN failed (see $LOG)"
echo "[bench-gzip-then] building this checkout (native bench; wasm: scripts/build.sh unless FLOWLENS_BUILT=1)" >&2
cargo bench --quiet --bench decode --no-run >>"$LOG" 2>&1 || die "building the native bench failed (see $LOG)"
if [[ "${FLOWLENS_BUILT:-0}" != 1 ]]; then
  bash scripts/build.sh >>"$LOG" 2>&1 || die "scripts/build.sh failed (see $LOG)"
fi

best() { # dir native|wasm -> the case's best seconds, as that checkout's bench prints it
  local bench=(cargo bench --quiet --bench decode --)
  [[ $2 == wasm ]] && bench=(node scripts/bench-wasm.mjs)
  (cd "$1" && "${bench[@]}" all-s3-gz-1m 2>/dev/null) \
    | grep '"case":"all-s3-gz-1m"' | head -1 | sed -n 's/.*"best_s":\([0-9.]*\).*/\1/p'
}
# the smaller of a best so far ("" at first) and a new time, which must be a number
min() {
  [[ $2 =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "a timing run gave no time (${3})"
  awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'
}
now_n=""; then_n=""; now_w=""; then_w=""
for _ in 1 2; do
  now_n=$(min "$now_n" "$(best "$ROOT" native)" "native, this checkout")
  then_n=$(min "$then_n" "$(best "$OLD" native)" "native, $THEN")
  now_w=$(min "$now_w" "$(best "$ROOT" wasm)" "wasm, this checkout")
  then_w=$(min "$then_w" "$(best "$OLD" wasm)" "wasm, $THEN")
done
for impl in native wasm; do
  if [[ $impl == native ]]; then a=$then_n; b=$now_n; else a=$then_w; b=$now_w; fi
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
  printf '{"bench":"gzip-then","case":"all-s3-gz-1m, %s: %s then","impl":"%s","best_s":%s,"rows":1000000}\n' "$impl" "$THEN" "$impl" "$a"
  printf '{"bench":"gzip-then","case":"all-s3-gz-1m, %s: now","impl":"%s","best_s":%s,"rows":1000000,"note":"%s× the throughput of %s (target 1.5×)"}\n' "$impl" "$impl" "$b" "$ratio" "$THEN"
  echo "[bench-gzip-then] $impl: $THEN ${a}s, now ${b}s: ${ratio}×" >&2
done
