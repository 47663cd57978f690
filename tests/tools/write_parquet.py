#!/usr/bin/env python3
"""Writes flow log text (an S3 file: a header line, then records) as Parquet the way
*other* writers do, for tests/parquet.rs: other column types, codecs, row group sizes,
nullability and extra columns than AWS's own Parquet.

    write_parquet.py IN.log OUT.parquet '{"types": {"protocol": "int64"}, ...}'

Options (JSON): types {field: int8|int16|int32|int64|uint8|uint16|uint32|uint64|string|
timestamp[s|ms|us|ns]|int96|double|bool}; default "aws" (INT32/INT64/STRING as AWS);
"all_strings": every column STRING; compression (gzip, snappy, zstd, none);
row_group_size; required: true makes columns without nulls non-nullable;
names: "underscore" (default) | "hyphen" | "camel"; extra: {name: [values]} columns
added; dictionary: bool; columns: [name...] keep only these (in this order)."""
import ipaddress
import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq

INT32 = {"version", "srcport", "dstport", "protocol", "tcp-flags", "traffic-path", "encryption-status"}
INT64 = {"packets", "bytes", "start", "end", "packets-lost-no-route", "packets-lost-blackhole",
         "packets-lost-mtu-exceeded", "packets-lost-ttl-expired"}


def as_int(v):
    """An integer, or an IPv4 address as the integer some writers store it as."""
    try:
        return int(v)
    except ValueError:
        return int(ipaddress.ip_address(v)) & 0x7fffffffffffffff


def main():
    src, out, opts = sys.argv[1], sys.argv[2], json.loads(sys.argv[3] if len(sys.argv) > 3 else "{}")
    lines = open(src).read().splitlines()
    header, rows = lines[0].split(" "), [l.split(" ") for l in lines[1:] if l]
    cols = list(zip(*rows)) if rows else [() for _ in header]
    types = opts.get("types", {})
    keep = opts.get("columns")
    arrays, fields = [], []
    for name, col in zip(header, cols):
        if keep is not None and name not in keep:
            continue
        t = types.get(name) or ("string" if opts.get("all_strings") else
                                "int32" if name in INT32 else "int64" if name in INT64 else "string")
        vals = [None if v == "-" else v for v in col]
        if t == "string":
            arr = pa.array(vals, type=pa.string())
        elif t.startswith("timestamp"):
            unit = t[len("timestamp["):-1]
            mul = {"s": 1, "ms": 1000, "us": 1000_000, "ns": 1000_000_000}[unit]
            arr = pa.array([None if v is None else int(v) * mul for v in vals], type=pa.timestamp(unit, tz="UTC"))
        elif t == "int96":
            arr = pa.array([None if v is None else int(v) * 1000_000_000 for v in vals], type=pa.timestamp("ns"))
        elif t == "double":
            arr = pa.array([None if v is None else float(v) for v in vals], type=pa.float64())
        elif t == "bool":
            arr = pa.array([None if v is None else v != "0" for v in vals], type=pa.bool_())
        else:
            arr = pa.array([None if v is None else as_int(v) for v in vals], type=getattr(pa, t)())
        nullable = not (opts.get("required") and arr.null_count == 0)
        spelled = {"underscore": name.replace("-", "_"), "hyphen": name,
                   "camel": name.split("-")[0] + "".join(w.capitalize() for w in name.split("-")[1:])}[opts.get("names", "underscore")]
        arrays.append(arr)
        fields.append(pa.field(spelled, arr.type, nullable=nullable))
    for name, values in opts.get("extra", {}).items():
        arr = pa.array((values * (len(rows) // max(len(values), 1) + 1))[:len(rows)])
        arrays.append(arr)
        fields.append(pa.field(name, arr.type))
    if keep is not None:
        order = {n.replace("-", "_"): i for i, n in enumerate(keep)}
        pairs = sorted(zip(fields, arrays), key=lambda p: order.get(p[0].name, len(order)))
        fields, arrays = [p[0] for p in pairs], [p[1] for p in pairs]
    table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
    comp = opts.get("compression", "gzip")
    pq.write_table(table, out, compression=None if comp == "none" else comp,
                   row_group_size=opts.get("row_group_size", 65536),
                   use_dictionary=opts.get("dictionary", True),
                   use_deprecated_int96_timestamps=any(v == "int96" for v in types.values()))


if __name__ == "__main__":
    main()
