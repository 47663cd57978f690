#!/usr/bin/env bash
# Idempotent developer/CI setup for flowlens.
#
#   scripts/setup.sh            Rust wasm target, rustfmt/clippy, wasm-bindgen-cli, npm deps
#   scripts/setup.sh --browser  ... plus Debian's chromium + chromium-driver (for e2e tests)
#
# Environment:
#   FLOWLENS_BROWSER=1    same as --browser
#   FLOWLENS_SKIP_NPM=1   don't touch node_modules
#   FLOWLENS_SKIP_PY=1    don't install the Python packages
#
# Every step checks first and does nothing when already satisfied, so running it
# twice is cheap (~1 s). Nothing here downloads browsers or prebuilt toolchains:
# wasm-bindgen-cli is built from crates.io, chromium comes from apt, wasm-opt from
# the npm `binaryen` package.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD

want_browser=${FLOWLENS_BROWSER:-0}
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --no-browser) want_browser=0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "setup: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if [[ -t 1 ]]; then B=$'\033[1m' N=$'\033[0m'; else B='' N=''; fi
step() { printf '%s[setup]%s %s\n' "$B" "$N" "$*"; }
ok()   { printf '[setup]   ok: %s\n' "$*"; }
die()  { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# Cargo's bin dir must be on PATH for wasm-bindgen / wasm-bindgen-test-runner.
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) export PATH="$CARGO_BIN:$PATH" ;; esac

command -v cargo >/dev/null || die "cargo not found (install rustup first)"
command -v node  >/dev/null || die "node not found"
command -v npm   >/dev/null || die "npm not found"

# --- 1. rust target + components ---------------------------------------------
step "rust target wasm32-unknown-unknown"
if command -v rustup >/dev/null; then
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    ok "already installed"
  else
    rustup target add wasm32-unknown-unknown
  fi
  for comp in rustfmt clippy; do
    sub=${comp/rustfmt/fmt}
    if ! cargo "$sub" --version >/dev/null 2>&1; then
      step "rustup component $comp"
      rustup component add "$comp"
    fi
  done
  # rust-src: scripts/build.sh builds the page's wasm modules with their own std
  # (-Zbuild-std, for -Cpanic=immediate-abort: 19 KB gzip off the main module)
  if [[ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]]; then
    step "rustup component rust-src"
    rustup component add rust-src
  fi
else
  rustc --print target-list | grep -qx wasm32-unknown-unknown || die "no rustup and no wasm32 target"
  ok "no rustup; assuming the toolchain has the wasm32 target"
fi

# --- 2. wasm-bindgen-cli at the version Cargo.lock pins ----------------------
wb_version() {
  local v=""
  if [[ -f Cargo.lock ]]; then
    v=$(awk '
      /^\[\[package\]\]/ { name = "" }
      /^name = / { gsub(/"/, "", $3); name = $3 }
      /^version = / && name == "wasm-bindgen" { gsub(/"/, "", $3); print $3; exit }
    ' Cargo.lock)
  fi
  if [[ -z "$v" ]]; then
    # fall back to the `wasm-bindgen = "=X.Y.Z"` pin in Cargo.toml
    v=$(sed -nE 's/^[[:space:]]*wasm-bindgen[[:space:]]*=[[:space:]]*(\{[^}]*version[[:space:]]*=[[:space:]]*)?"=?([0-9][0-9.]*)".*/\2/p' Cargo.toml | head -n1)
  fi
  printf '%s' "$v"
}
WB_VERSION=$(wb_version)
[[ -n "$WB_VERSION" ]] || die "cannot find the wasm-bindgen version in Cargo.lock or Cargo.toml"

step "wasm-bindgen-cli $WB_VERSION"
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$have" == "$WB_VERSION" ]] && command -v wasm-bindgen-test-runner >/dev/null; then
  ok "wasm-bindgen $have"
else
  [[ -n "$have" ]] && echo "[setup]   found wasm-bindgen ${have}, need $WB_VERSION"
  echo "[setup]   cargo install wasm-bindgen-cli --version $WB_VERSION (takes ~3 min; log: target/wasm-bindgen-cli-install.log)"
  mkdir -p target
  # No --locked: the registry mirror lacks one of the crates its lockfile pins.
  if ! cargo install wasm-bindgen-cli --version "$WB_VERSION" --force \
        >target/wasm-bindgen-cli-install.log 2>&1; then
    tail -n 40 target/wasm-bindgen-cli-install.log >&2
    die "cargo install wasm-bindgen-cli failed"
  fi
  ok "$(wasm-bindgen --version)"
fi

# --- 3. npm dependencies (wasm-opt via binaryen, playwright-core) ------------
if [[ "${FLOWLENS_SKIP_NPM:-0}" != 1 ]]; then
  step "npm dependencies"
  # stamp = hash of package.json + package-lock.json; reinstall only when they change
  stamp_file=node_modules/.flowlens-setup-stamp
  stamp=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
  if [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]] \
      && [[ -x node_modules/.bin/wasm-opt ]]; then
    ok "node_modules up to date"
  else
    if [[ -f package-lock.json ]]; then
      npm ci --no-audit --no-fund --loglevel=error
    else
      npm install --no-audit --no-fund --loglevel=error
      stamp=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
    fi
    echo "$stamp" >"$stamp_file"
  fi
  ok "$(npx --no-install wasm-opt --version)"
fi

# --- 4. python packages for tests and benchmarks (PyPI) ----------------------
# pyarrow: Parquet test data (gen_flowlogs.py --container parquet); duckdb: benchmark
# baselines and the Athena execution check; sqlglot: parses emitted SQL as Trino.
PY_PACKAGES=(pyarrow duckdb sqlglot)
if [[ "${FLOWLENS_SKIP_PY:-0}" != 1 ]]; then
  step "python packages: ${PY_PACKAGES[*]}"
  missing=()
  for p in "${PY_PACKAGES[@]}"; do
    python3 -c "import $p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    ok "already installed"
  else
    python3 -m pip install --quiet --disable-pip-version-check "${missing[@]}" \
      || die "pip install ${missing[*]} failed"
    ok "installed ${missing[*]}"
  fi
fi

# --- 5. chromium from Debian (only when browser tests are wanted) ------------
if [[ "$want_browser" == 1 ]]; then
  step "chromium + chromium-driver (apt)"
  if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
    ok "$(/usr/bin/chromium --version 2>/dev/null | head -n1)"
  else
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    echo "[setup]   apt-get update + install (log: target/apt-chromium.log)"
    mkdir -p target
    if ! { $SUDO apt-get update -q && \
           $SUDO apt-get install -y -q chromium chromium-driver; } \
         >target/apt-chromium.log 2>&1; then
      tail -n 40 target/apt-chromium.log >&2
      die "apt-get install chromium failed"
    fi
    ok "$(/usr/bin/chromium --version 2>/dev/null | head -n1)"
  fi
fi

step "done"
