#!/usr/bin/env bash
# npm start: setup (only if something is missing) -> build -> serve dist/ on :8080.
# Env: PORT (default 8080), HOST (default 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$CARGO_BIN:"*) ;; *) export PATH="$CARGO_BIN:$PATH" ;; esac

# setup.sh is idempotent and takes ~1 s when everything is there
bash scripts/setup.sh
bash scripts/build.sh
exec node scripts/serve.mjs dist --port "${PORT:-8080}" --host "${HOST:-127.0.0.1}"
