#!/usr/bin/env python3
"""Baselines for `npm run bench`, printed as JSON lines for scripts/bench-table.mjs.

- DuckDB (the `duckdb` PyPI package) on ONE thread loading the same default-format file
  as flowlens' `default-1m` case into a typed table (space-delimited CSV, `-` as NULL,
  the 14 default-format columns with their types): the issue's yardstick for decode speed.
- GNU `gzip -dc` inflating the `all-s3-gz-1m` input to /dev/null: inflating and decoding
  a .log.gz natively should take no longer than inflating it alone.

Each is best of N runs (FLOWLENS_BENCH_RUNS, default 5). A missing tool prints a line
with a note instead of a time, so the table says why a ratio is absent.
"""
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench-data")
RUNS = int(os.environ.get("FLOWLENS_BENCH_RUNS", "5"))

DEFAULT_COLUMNS = {
    "version": "INTEGER", "account_id": "VARCHAR", "interface_id": "VARCHAR",
    "srcaddr": "VARCHAR", "dstaddr": "VARCHAR", "srcport": "INTEGER", "dstport": "INTEGER",
    "protocol": "INTEGER", "packets": "BIGINT", "bytes": "BIGINT", "start": "BIGINT",
    "end": "BIGINT", "action": "VARCHAR", "log_status": "VARCHAR",
}


def emit(**kw):
    print(json.dumps({"bench": "baseline", **kw}), flush=True)


def best(fn):
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def duckdb_default(path):
    try:
        import duckdb  # noqa: PLC0415
    except ImportError:
        emit(case="default-1m", impl="duckdb-1-thread", note="duckdb not installed: no ratio")
        return
    con = duckdb.connect()
    con.execute("SET threads = 1")
    cols = ", ".join(f"'{k}': '{v}'" for k, v in DEFAULT_COLUMNS.items())
    sql = (f"CREATE OR REPLACE TABLE t AS SELECT * FROM read_csv('{path}', delim=' ', "
           f"header=false, nullstr='-', columns={{{cols}}})")
    rows = [0]

    def run():
        con.execute(sql)
        rows[0] = con.execute("SELECT count(*) FROM t").fetchone()[0]

    s = best(run)
    emit(case="default-1m", impl="duckdb-1-thread", best_s=s, rows=rows[0],
         input_bytes=os.path.getsize(path), note=f"duckdb {duckdb.__version__}, read_csv into a table")


def gzip_dc(path):
    gz = shutil.which("gzip")
    if not gz:
        emit(case="all-s3-gz-1m", impl="gzip -dc", note="gzip not found: no ratio")
        return

    def run():
        with open(os.devnull, "wb") as null:
            subprocess.run([gz, "-dc", path], stdout=null, check=True)

    emit(case="all-s3-gz-1m", impl="gzip -dc", best_s=best(run), input_bytes=os.path.getsize(path),
         note="GNU gzip -dc > /dev/null")


def main():
    want = sys.argv[1:]
    default = os.path.join(DATA, "default-1m.log")
    gzfile = os.path.join(DATA, "all-s3-1m.log.gz")
    if (not want or "default-1m" in want) and os.path.exists(default):
        duckdb_default(default)
    if (not want or "all-s3-gz-1m" in want) and os.path.exists(gzfile):
        gzip_dc(gzfile)


if __name__ == "__main__":
    main()
