#!/usr/bin/env bash
# Build the web app:
#   1. cargo build --release --target wasm32-unknown-unknown --lib
#      and the modules loaded on first use ($LAZY_MODULES below): the Parquet reader
#      (-p flowlens-parquet), the query translator (-p flowlens-translate) and the
#      context module (-p flowlens-context: context files, labels, health checks) and the
#      report module (-p flowlens-report: writing a report file)
#   2. wasm-bindgen --target web            -> pkg/flowlens.js + pkg/flowlens_bg.wasm
#                                              pkg/flowlens_<module>.js + _bg.wasm
#   3. wasm-opt -O3 -ocimfs 0 (npm binaryen) -> pkg/flowlens_bg.wasm, optimized in place
#   4. dist/: www/* (recursively) + dist/pkg/{flowlens.js,flowlens_bg.wasm}; the samples
#      (sample-data.js, sample-context.js) generated into dist/
#   5. dist/flowlens.html: one self-contained file for file:// (scripts/inline.mjs)
#
# Env: FLOWLENS_NO_WASM_OPT=1 skips step 3 (faster dev builds).
#      FLOWLENS_WWW=dir uses another page directory instead of www/ (used to test the
#      inliner with a throwaway page).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) export PATH="$CARGO_BIN:$PATH" ;; esac

step() { printf '[build] %s\n' "$*"; }
die()  { printf '[build] ERROR: %s\n' "$*" >&2; exit 1; }
now()  { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

command -v wasm-bindgen >/dev/null || die "wasm-bindgen not found: run scripts/setup.sh"
[[ -x node_modules/.bin/wasm-opt ]] || die "node_modules/.bin/wasm-opt missing: run scripts/setup.sh (npm ci)"

WWW=${FLOWLENS_WWW:-www}
# The wasm modules the page loads on first use (www/modules.js), each a crate
# crates/flowlens-<name> built to pkg/flowlens_<name>.js + pkg/flowlens_<name>_bg.wasm.
LAZY_MODULES=(parquet translate context report)
T0=$(now)

# The page's modules are built with their own std (-Zbuild-std, from the rust-src
# component; RUSTC_BOOTSTRAP=1 lets this stable toolchain take the flag) and
# -Cpanic=immediate-abort: a panic is the bare `unreachable` trap it already was in the
# page (no panic hook prints a message there), without the panic message formatting and
# locations; all of them at opt-level 2 (one set of flags, so the std and the
# dependencies built for the main module serve the lazy ones too). Measured
# 2026-12-06 (README, "Round 15"), main module gzip: 353.3 KB as before, 334.4 KB with the
# abort, 327.9 KB at opt-level 2 as well; its decode of default-1m in Node unchanged
# (185-189 ms against 186-189 ms, runs alternated). Without rust-src (no rustup) the
# modules are built as before, with a warning.
# --config appends these flags to .cargo/config.toml's target rustflags (an env
# RUSTFLAGS would replace them).
WASM_STD=()
if [[ "${FLOWLENS_PLAIN_STD:-0}" != 1 && -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]]; then
  WASM_STD=(-Zbuild-std=std,panic_abort
    --config 'target.wasm32-unknown-unknown.rustflags=["-Zunstable-options", "-Cpanic=immediate-abort"]')
  export RUSTC_BOOTSTRAP=1
else
  echo "[build]   warning: no rust-src component (rustup component add rust-src): building with the prebuilt std (about 25 KB gzip bigger)"
fi
[[ ${#WASM_STD[@]} -gt 0 ]] && WASM_STD+=(--config 'profile.release.opt-level=2')

step "cargo build --release --target wasm32-unknown-unknown --lib"
t=$(now)
# The main module without the Parquet reader (the `parquet` feature): that one is the
# second module, crates/flowlens-parquet, loaded by the page only for Parquet files; and
# without labelling (`annotate`): crates/flowlens-context does it after a decode; and
# without the report writer (`report`): crates/flowlens-report saves reports.
cargo build "${WASM_STD[@]}" --release --target wasm32-unknown-unknown --lib --quiet --no-default-features --features bindings
step "  $(since "$t")"

for m in "${LAZY_MODULES[@]}"; do
  step "cargo build --release --target wasm32-unknown-unknown -p flowlens-$m"
  t=$(now)
  cargo build "${WASM_STD[@]}" --release --target wasm32-unknown-unknown --lib --quiet -p "flowlens-$m"
  step "  $(since "$t")"
done

step "wasm-bindgen --target web -> pkg/"
t=$(now)
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name flowlens \
  target/wasm32-unknown-unknown/release/flowlens.wasm
for m in "${LAZY_MODULES[@]}"; do
  wasm-bindgen --target web --out-dir pkg --out-name "flowlens_$m" \
    "target/wasm32-unknown-unknown/release/flowlens_$m.wasm"
done
step "  $(since "$t")"

if [[ "${FLOWLENS_NO_WASM_OPT:-0}" != 1 ]]; then
  step "wasm-opt -O3 -ocimfs 0"
  t=$(now)
  # -ocimfs 0: binaryen does not inline a function only because it has one caller (its
  # default inlines every such function, whatever its size). Measured 2026-12-02 (README,
  # "Module sizes"), one build optimised both ways: the main module 333.1 KB gzip against
  # 339.0 KB, and its decode in V8 about 12 % faster than plain -O3 (why V8 runs the
  # bigger inlined functions slower was not established).
  OPT=(-O3 -ocimfs 0)
  # rustc >= 1.82 (LLVM 19/20) emits reference-types, multivalue, bulk-memory,
  # nontrapping-fptoint, sign-ext and mutable-globals by default for wasm32; wasm-bindgen
  # 0.2.130 uses an externref table. wasm-opt also reads the target_features section,
  # but being explicit keeps it working if that section is ever stripped.
  npx --no-install wasm-opt "${OPT[@]}" \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
    pkg/flowlens_bg.wasm -o pkg/flowlens_bg.wasm
  for m in "${LAZY_MODULES[@]}"; do
    npx --no-install wasm-opt "${OPT[@]}" \
      --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
      "pkg/flowlens_${m}_bg.wasm" -o "pkg/flowlens_${m}_bg.wasm"
  done
  step "  $(since "$t")"
fi

step "assemble dist/ from $WWW/"
rm -rf dist
mkdir -p dist/pkg
if [[ -d "$WWW" ]] && [[ -n "$(ls -A "$WWW" 2>/dev/null)" ]]; then
  cp -R "$WWW"/. dist/
else
  echo "[build]   warning: $WWW/ is empty or missing; dist/ has only pkg/"
fi
cp pkg/flowlens.js pkg/flowlens_bg.wasm dist/pkg/
for m in "${LAZY_MODULES[@]}"; do
  cp "pkg/flowlens_$m.js" "pkg/flowlens_${m}_bg.wasm" dist/pkg/
done
bash scripts/sample-context.sh dist/sample-context.js
[[ -f "$WWW/sample/sample.log.gz" ]] && node scripts/sample-data.mjs "$WWW/sample/sample.log.gz" dist/sample-data.js
[[ -f pkg/flowlens.d.ts ]] && cp pkg/flowlens.d.ts dist/pkg/
[[ -d pkg/snippets ]] && cp -R pkg/snippets dist/pkg/

if [[ -f dist/index.html ]]; then
  step "single file: dist/flowlens.html"
  node scripts/inline.mjs dist/index.html dist/flowlens.html
else
  echo "[build]   warning: no $WWW/index.html; skipping dist/flowlens.html"
fi

raw=$(stat -c %s pkg/flowlens_bg.wasm)
gz=$(gzip -9 -c pkg/flowlens_bg.wasm | wc -c)
glue=$(stat -c %s pkg/flowlens.js)
step "done in $(since "$T0")"
printf '[build] %-28s %10s bytes\n' "pkg/flowlens_bg.wasm (raw)" "$raw"
printf '[build] %-28s %10s bytes\n' "pkg/flowlens_bg.wasm (gzip -9)" "$gz"
printf '[build] %-28s %10s bytes\n' "pkg/flowlens.js (glue)" "$glue"
for m in "${LAZY_MODULES[@]}"; do
  w="pkg/flowlens_${m}_bg.wasm"
  printf '[build] %-28s %10s bytes (gzip -9: %s)\n' "$w" "$(stat -c %s "$w")" "$(gzip -9 -c "$w" | wc -c)"
done
if [[ -f dist/flowlens.html ]]; then
  single=$(stat -c %s dist/flowlens.html)
  singlegz=$(gzip -9 -c dist/flowlens.html | wc -c)
  printf '[build] %-28s %10s bytes (gzip %s)\n' "dist/flowlens.html" "$single" "$singlegz"
fi
