#!/usr/bin/env bash
# Generates the benchmark inputs once into bench-data/ (gitignored) with the shared,
# deterministic generator, and writes bench-data/cases.tsv (case <TAB> file <TAB> what),
# which benches/decode.rs and scripts/bench-wasm.mjs read.
#
# The generator is $FLOWLENS_SHARED/tools/gen_flowlogs.py; FLOWLENS_SHARED defaults to
# the `shared` directory beside the repository root (../shared).
#
# To add a decode case: add a line to CASES below (name|file|generator args|what|wrap);
# wrap `prompt` puts the generated text between two shell prompt lines, as a terminal
# paste (read by the paste shape, not as a JSON file).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${FLOWLENS_SHARED:-$(dirname "$ROOT")/shared}
GEN=$SHARED/tools/gen_flowlogs.py
OUT=$ROOT/bench-data

CASES=(
  "default-1m|default-1m.log|-n 1000000|1M records, default format, raw lines"
  "all-s3-gz-1m|all-s3-1m.log.gz|-n 1000000 --fields all --container s3 --gzip|1M records, all fields, S3 export with header, gzip"
  "cwl-json-200k|cwl-json-200k.json|-n 200000 --container cwl-json|200k records, CloudWatch Logs get-log-events JSON"
  "v5-s3-gz-300k|v5-300k.log.gz|-n 300000 --fields v5 --container s3 --gzip|300k records, v5 fields, S3 text with header, gzip: the text twin of parquet-v5-300k"
  "parquet-v5-300k|v5-300k.log.parquet|-n 300000 --fields v5 --container parquet|300k records, v5 fields, Parquet as AWS writes it (gzip pages, 64k-row groups)"
  "paste-json-200k|paste-json-200k.txt|-n 200000 --container cwl-json|200k records: a terminal paste of get-log-events JSON under its prompt (the paste shape)|prompt"
)

mkdir -p "$OUT"
tmp_cases=$(mktemp)
for c in "${CASES[@]}"; do
  IFS='|' read -r name file args what wrap <<<"$c"
  # a stamp of the arguments: regenerate when they change
  stamp="$OUT/.$file.args"
  if [[ -s "$OUT/$file" && -f "$stamp" && "$(cat "$stamp")" == "$args$wrap" ]]; then
    :
  else
    [[ -f "$GEN" ]] || { echo "bench-data: generator not found: $GEN (set FLOWLENS_SHARED)" >&2; exit 1; }
    echo "[bench-data] generating $file ($args)" >&2
    # shellcheck disable=SC2086
    python3 "$GEN" $args -o "$OUT/$file.tmp"
    if [[ "$wrap" == prompt ]]; then
      { echo '[ec2-user@ip-10-0-0-5 ~]$ aws logs get-log-events --log-group-name vpc-flow-logs --log-stream-name eni-0a1b2c3d-all'
        cat "$OUT/$file.tmp"
        echo '[ec2-user@ip-10-0-0-5 ~]$ '; } >"$OUT/$file.wrapped"
      mv "$OUT/$file.wrapped" "$OUT/$file.tmp"
    fi
    mv "$OUT/$file.tmp" "$OUT/$file"
    echo "$args$wrap" >"$stamp"
  fi
  printf '%s\t%s\t%s\n' "$name" "$file" "$what" >>"$tmp_cases"
done
chmod 644 "$tmp_cases"
mv "$tmp_cases" "$OUT/cases.tsv"
