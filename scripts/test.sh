#!/usr/bin/env bash
# npm test: the whole test suite.
#   1. setup (incl. Debian chromium for browser tests)
#   2. cargo test                         (native: unit, integration, doc tests)
#   3. build                              (wasm + dist/ + dist/flowlens.html)
#   4. tsc -p . (--checkJs: www/ against the generated pkg/*.d.ts)
#   5. cargo test --target wasm32-unknown-unknown --test wasm_node   (Node, if tests/wasm_node.rs exists)
#   6. node --test tests/node/            (the JS API through initSync, against the CLI; the
#                                          page's pure modules)
#   7. python3 tests/athena/run.py        (Athena translations executed in DuckDB vs the CLI)
#   8. node tests/e2e/run.mjs             (headless chromium, if it exists)
# Every stage runs even if an earlier one failed (except when setup or build fail);
# the exit status is non-zero if any stage failed. A summary is printed at the end.
# Env: FLOWLENS_TEST_SKIP="native types wasm node athena e2e" skips stages (for quick local runs).
set -uo pipefail
cd "$(dirname "$0")/.."
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) export PATH="$CARGO_BIN:$PATH" ;; esac

skip=" ${FLOWLENS_TEST_SKIP:-} "
declare -a summary=()
failed=0
now()  { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0fs", b - a }'; }
banner() { printf '\n===== [test] %s =====\n' "$*"; }
record() { # name status seconds
  summary+=("$(printf '%-34s %-8s %s' "$1" "$2" "$3")")
  [[ "$2" == FAIL ]] && failed=1
  return 0
}
run_stage() { # name cmd...
  local name=$1; shift
  banner "$name: $*"
  local t; t=$(now)
  if "$@"; then record "$name" ok "$(since "$t")"
  else record "$name" FAIL "$(since "$t")"; fi
}
finish() {
  printf '\n===== [test] summary =====\n'
  printf '%s\n' "${summary[@]}"
  if [[ $failed -ne 0 ]]; then echo "[test] FAILED"; exit 1; fi
  echo "[test] all stages passed"
  exit 0
}

banner "setup"
if ! bash scripts/setup.sh --browser; then record setup FAIL -; finish; fi

if [[ "$skip" == *" native "* ]]; then record "native (cargo test)" skipped -
else run_stage "native (cargo test)" cargo test; fi

banner "build"
t=$(now)
if bash scripts/build.sh; then record build ok "$(since "$t")"
else record build FAIL "$(since "$t")"; finish; fi

if [[ "$skip" == *" types "* ]]; then record "js types (tsc --checkJs)" skipped -
else run_stage "js types (tsc --checkJs)" npx --no-install tsc -p .; fi

if [[ "$skip" == *" wasm "* ]]; then record "wasm (node)" skipped -
elif [[ -f tests/wasm_node.rs ]]; then
  run_stage "wasm (node)" cargo test --target wasm32-unknown-unknown --test wasm_node
else
  echo; echo "[test] tests/wasm_node.rs not found: skipping wasm tests in Node"
  record "wasm (node)" "skipped" "(no tests/wasm_node.rs)"
fi

if [[ "$skip" == *" node "* ]]; then record "js api (node --test)" skipped -
else run_stage "js api (node --test)" bash -c 'cargo build --quiet && node --test tests/node/'; fi

if [[ "$skip" == *" athena "* ]]; then record "athena (execution check)" skipped -
else run_stage "athena (execution check)" bash -c 'cargo build --quiet && python3 tests/athena/run.py'; fi

if [[ "$skip" == *" e2e "* ]]; then record "browser (e2e)" skipped -
elif [[ -f tests/e2e/run.mjs ]]; then
  run_stage "browser (e2e)" node tests/e2e/run.mjs
else
  echo; echo "[test] tests/e2e/run.mjs not found: skipping browser tests"
  record "browser (e2e)" "skipped" "(no tests/e2e/run.mjs)"
fi

finish
