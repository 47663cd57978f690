#!/usr/bin/env python3
"""Executes every Athena translation and compares it with the local filter.

For each data set (the standard generator's output in several formats, plus a
hand-written file of odd values) this script

1. asks the CLI for the table (`--emit athena-table`), parses that DDL with sqlglot and
   loads the file into DuckDB the way Athena reads it: AWS's text DDL (the `-` of a
   missing value stays the text `-` in string columns and is NULL in integer ones),
   and, as a second variant, a table where `-` is NULL everywhere (Parquet tables,
   `serialization.null.format`);
2. for every filter form of the README's filter language, runs the local filter
   (`flowlens --filter F FILE`, NDJSON: count and sum of bytes) and the translation
   (`flowlens --emit athena --filter F FILE`), parses the SQL as Trino with sqlglot
   (an integer literal beyond BIGINT fails, as in Trino's parser), transpiles it to
   DuckDB and runs it;
3. requires the same count and byte sum, or a refusal with a reason where one is
   expected.

Trino's IP address functions are ported from the Trino source (IpAddressFunctions,
the IPADDRESS casts), because neither DuckDB nor sqlglot has them: text is parsed in
Python (column values once when loading, literals when rewriting the query), and what
runs per row are DuckDB macros over the 16-byte value (a UHUGEINT):
- `CAST(x AS IPADDRESS)` / `TRY_CAST`: IPv4 stored as IPv4-mapped IPv6;
- `CAST(ip AS VARCHAR)`: IPv4 and IPv4-mapped as dotted quads, else IPv6 text;
- `contains(cidr, ip)`: the base through Guava's `InetAddresses.forString` (an
  IPv4-mapped base becomes IPv4, so `::ffff:0:0/96` raises "Prefix length exceeds
  address length"), host bits of an IPv4 CIDR are an error, and an address of the
  other family is `false` (Trino since trinodb/trino#18997) or raises "IP address
  version should be the same" (before it). Every check runs under both versions.
`greatest()` keeps Trino's NULL semantics through sqlglot's own transpilation (a CASE).

Prints one line per failure and a final `N passed, N failed`.
"""

import ipaddress
import json
import os
import subprocess
import sys
import tempfile
import time

import duckdb
import sqlglot
from sqlglot import exp

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLOWLENS = os.environ.get("FLOWLENS_BIN", os.path.join(ROOT, "target", "debug", "flowlens"))
GEN = os.path.join(ROOT, "..", "shared", "tools", "gen_flowlogs.py")
BIGINT_MAX = 2**63 - 1
IP_SUFFIX = "__ipaddress"  # TRY_CAST(col AS IPADDRESS), computed when loading
ADDRESS_COLUMNS = ("srcaddr", "dstaddr", "pkt_srcaddr", "pkt_dstaddr")
ONLY = os.environ.get("FLOWLENS_ATHENA_ONLY", "")

# ------------------------------------------------------------------ Trino's IP functions
# An IPADDRESS is a UHUGEINT in DuckDB: the 16 bytes Trino stores, big-endian, IPv4 as
# IPv4-mapped IPv6 (::ffff:a.b.c.d). Text is parsed here in Python (Guava's
# InetAddresses.forString accepts what Python's ipaddress accepts for these inputs):
# column values once when the table is loaded, literals when the query is rewritten.
# What runs per row is DuckDB macros over those numbers, written from Trino's
# IpAddressFunctions.contains and IPADDRESS -> VARCHAR cast.

V4_MAPPED = 0xFFFF << 32


class TrinoError(Exception):
    pass


def ip_number(text):
    """TRY_CAST(text AS IPADDRESS) as a number, None when Trino's cast fails."""
    try:
        a = ipaddress.ip_address(text)
    except ValueError:
        return None
    return V4_MAPPED | int(a) if a.version == 4 else int(a)


def cidr_parts(cidr):
    """The checks of Trino's contains() on the network; (base, prefix, base_is_ipv4)."""
    sep = cidr.find("/")
    if sep == -1:
        raise TrinoError("Invalid CIDR")
    try:
        base = ipaddress.ip_address(cidr[:sep])
    except ValueError:
        raise TrinoError("Invalid network IP address")
    if base.version == 6 and base.ipv4_mapped is not None:  # Guava: an Inet4Address
        base = base.ipv4_mapped
    prefix = int(cidr[sep + 1:])
    if prefix < 0:
        raise TrinoError("Invalid prefix length")
    length = 32 if base.version == 4 else 128
    if prefix > length:
        raise TrinoError("Prefix length exceeds address length")
    if base.version == 4 and int(base) & (0xFFFFFFFF >> prefix):
        raise TrinoError("Invalid CIDR")
    return int(base), prefix, base.version == 4


MACROS = [
    r"CREATE MACRO fl_shr(x, n) AS CAST(x AS UHUGEINT) >> CAST(n AS UHUGEINT)",
    # InetAddress.getByAddress: IPv4-mapped bytes are an Inet4Address
    r"CREATE MACRO fl_is_v4(ip) AS fl_shr(ip, 32) = 65535",
    # CAST(ip AS VARCHAR): IPv4 (and IPv4-mapped) as a dotted quad; IPv6 as eight hex
    # groups (Trino compresses the longest zero run; only the ':' matters to the checks)
    r"""CREATE MACRO trino_ip_varchar(ip) AS CASE WHEN fl_is_v4(ip)
        THEN printf('%d.%d.%d.%d', CAST(fl_shr(ip, 24) % 256 AS BIGINT), CAST(fl_shr(ip, 16) % 256 AS BIGINT),
                    CAST(fl_shr(ip, 8) % 256 AS BIGINT), CAST(ip % 256 AS BIGINT))
        ELSE printf('%x:%x:%x:%x:%x:%x:%x:%x',
          CAST(fl_shr(ip, 112) % 65536 AS BIGINT), CAST(fl_shr(ip, 96) % 65536 AS BIGINT),
          CAST(fl_shr(ip, 80) % 65536 AS BIGINT), CAST(fl_shr(ip, 64) % 65536 AS BIGINT),
          CAST(fl_shr(ip, 48) % 65536 AS BIGINT), CAST(fl_shr(ip, 32) % 65536 AS BIGINT),
          CAST(fl_shr(ip, 16) % 65536 AS BIGINT), CAST(ip % 65536 AS BIGINT)) END""",
]


def contains_macro(old):
    """contains(cidr, ip) after the network's checks (cidr_parts): base, prefix, family."""
    other = "error('IP address version should be the same')::BOOLEAN" if old else "FALSE"
    return rf"""CREATE MACRO trino_contains(base, prefix, base_v4, ip) AS CASE
        WHEN ip IS NULL THEN NULL
        WHEN base_v4 <> fl_is_v4(ip) THEN {other}
        WHEN prefix = 0 THEN TRUE
        WHEN base_v4 THEN fl_shr(ip % 4294967296, 32 - prefix) = fl_shr(base, 32 - prefix)
        ELSE fl_shr(ip, 128 - prefix) = fl_shr(base, 128 - prefix) END"""


def connect(old):
    con = duckdb.connect()
    for m in MACROS:
        con.execute(m)
    con.execute(contains_macro(old))
    return con


def is_ip_type(node):
    return isinstance(node, (exp.Cast, exp.TryCast)) and node.to.this == exp.DataType.Type.IPADDRESS


def uhugeint(n):
    return exp.cast(exp.Literal.string(str(n)), "UHUGEINT")


def to_duckdb(sql):
    """Trino SQL -> DuckDB SQL, with Trino's IP functions as above."""
    tree = sqlglot.parse_one(sql, read="trino")
    for lit in tree.find_all(exp.Literal):
        if not lit.is_string and "." not in lit.this and int(lit.this) > BIGINT_MAX:
            raise TrinoError(f"Invalid numeric literal: {lit.this}")

    def fix(node):
        if isinstance(node, exp.Cast) and node.to.is_type("varchar", "text") and is_ip_type(node.this):
            return exp.Anonymous(this="trino_ip_varchar", expressions=[fix(node.this)])
        if is_ip_type(node):
            arg = node.this
            if isinstance(arg, exp.Column):
                if not isinstance(node, exp.TryCast):
                    raise TrinoError("the check only runs TRY_CAST on columns")
                return exp.column(arg.name + IP_SUFFIX, quoted=True)
            if isinstance(arg, exp.Literal) and arg.is_string:
                n = ip_number(arg.this)
                if n is None and not isinstance(node, exp.TryCast):
                    raise TrinoError(f"Cannot cast value to IPADDRESS: {arg.this}")
                return exp.null() if n is None else uhugeint(n)
            raise TrinoError(f"unexpected IPADDRESS cast of {arg.sql()}")
        if isinstance(node, exp.ArrayContains):  # Trino's contains(varchar, ipaddress)
            if not (isinstance(node.this, exp.Literal) and node.this.is_string):
                raise TrinoError("the check only runs contains() on a literal CIDR")
            base, prefix, v4 = cidr_parts(node.this.this)
            return exp.Anonymous(this="trino_contains", expressions=[
                uhugeint(base), exp.Literal.number(prefix), exp.Boolean(this=v4), fix(node.expression)])
        return node

    # transform() does not descend into the nodes it returns: repeat to a fixed point
    before = None
    while before != tree.sql():
        before = tree.sql()
        tree = tree.transform(fix)
    return tree.sql(dialect="duckdb")


# ------------------------------------------------------------------ data sets


def run(args, check=True):
    p = subprocess.run([FLOWLENS] + args, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"flowlens {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p


def ddl_columns(path):
    ddl = run(["--emit", "athena-table", "--athena-layout", "flat",
               "--athena-location", "s3://bucket/prefix/", path]).stdout
    tree = sqlglot.parse_one(ddl, read="athena")
    cols = [(c.this.name, c.kind.sql("duckdb")) for c in tree.this.expressions]
    header = "skip.header.line.count" in ddl
    return cols, header


def load(con, path, null_everywhere):
    """The file as Athena reads it through the DDL flowlens emits for it."""
    cols, header = ddl_columns(path)
    con.execute("DROP TABLE IF EXISTS vpc_flow_logs")
    con.execute("CREATE TABLE vpc_flow_logs (%s)" % ", ".join(f'"{n}" {t}' for n, t in cols))
    rows = []
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines[1 if header else 0:]:
        vals = line.split(" ")  # FIELDS TERMINATED BY ' '
        row = []
        for (name, ty), v in zip(cols, vals + [None] * (len(cols) - len(vals))):
            if ty in ("INT", "BIGINT", "INTEGER"):
                try:  # LazySimpleSerDe: text that is not a number is NULL
                    n = int(v)
                    row.append(n if -(2**63) <= n <= BIGINT_MAX else None)
                except (TypeError, ValueError):
                    row.append(None)
            else:
                row.append(None if v is None or (null_everywhere and v == "-") else v)
        rows.append(row)
    con.executemany("INSERT INTO vpc_flow_logs VALUES (%s)" % ", ".join("?" * len(cols)), rows)
    # TRY_CAST(col AS IPADDRESS) of each string column, computed once by the macro (the
    # translated queries read it from here: the same values, without re-parsing per use)
    for n, t in cols:
        if n in ADDRESS_COLUMNS:
            con.execute(f'ALTER TABLE vpc_flow_logs ADD COLUMN "{n}{IP_SUFFIX}" UHUGEINT')
            values = con.execute(f'SELECT DISTINCT "{n}" FROM vpc_flow_logs WHERE "{n}" IS NOT NULL').fetchall()
            con.execute("CREATE OR REPLACE TEMP TABLE ipmap (t VARCHAR, ip VARCHAR)")
            con.executemany("INSERT INTO ipmap VALUES (?, ?)",
                            [(v, None if ip_number(v) is None else str(ip_number(v))) for (v,) in values])
            con.execute(f'UPDATE vpc_flow_logs SET "{n}{IP_SUFFIX}" = CAST(ipmap.ip AS UHUGEINT) FROM ipmap WHERE ipmap.t = "{n}"')
    return [n for n, _ in cols]


def local(path, flt):
    p = run(["--filter", flt, path], check=False)
    if p.returncode != 0:
        return None, p.stderr.strip()
    n = total = 0
    for line in p.stdout.splitlines():
        n += 1
        total += json.loads(line).get("bytes") or 0
    return (n, total), None


def sample(con, sql):
    r = con.execute(sql).fetchone()
    return r[0] if r else None


ODD = """version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path
5 123456789010 eni-0a1b 10.0.35.131 10.0.0.9 443 51000 6 10 5000 1764115200 1764115260 ACCEPT OK vpc-1 subnet-1 i-1 19 IPv4 10.0.35.131 10.0.0.9 us-east-1 use1-az1 outpost op-1 - - ingress 1
5 123456789010 eni-0a1b ::ffff:10.0.35.131 10.0.0.9 443 51001 6 10 6000 1764115200 1764115260 ACCEPT OK vpc-1 subnet-1 i-1 18 IPv4 ::ffff:10.0.35.131 10.0.0.9 us-east-1 use1-az1 - - - - egress 2
5 123456789010 eni-0a1b 2600:1f18::1 2600:1f18:0:0:0:0:0:2 443 22 6 3 300 1764115200 1764115800 REJECT OK vpc-it's subnet-1 - 2 IPv6 2600:1F18::1 2600:1f18::2 us-east-1 use1-az1 - - AMAZON S3 ingress 8
5 123456789010 eni-0a1b - - - - - - - 1764115200 1764115260 - NODATA vpc-1 subnet-1 i-1 - - - - us-east-1 use1-az1 - - - - - -
5 123456789010 eni-9f9f 192.168.1.1 ::ffff:192.168.1.2 0 0 1 1 9223372036854775807 1764115300 1764115300 REJECT OK vpc-1 subnet-1 i-2 0 IPv4 - - us-east-1 use1-az1 wavelength w-1 - - egress 3
5 123456789010 eni-9f9f 64:ff9b::a00:1 10.0.0.1 53 53 17 2 120 1764115300 1764115290 ACCEPT SKIPDATA vpc-1 subnet-1 i-2 - IPv6 - - us-east-1 use1-az1 - - - ROUTE53 - -
"""


def datasets(tmp):
    out = []
    for name, args in [
        ("v5-s3", ["-n", "1200", "--fields", "v5", "--container", "s3", "--seed", "14"]),
        ("all-s3", ["-n", "800", "--fields", "all", "--container", "s3", "--seed", "15"]),
        ("default-raw", ["-n", "800", "--seed", "16"]),
    ]:
        path = os.path.join(tmp, name + ".log")
        subprocess.run([sys.executable, GEN] + args + ["-o", path], check=True)
        out.append((name, path))
    path = os.path.join(tmp, "odd.log")
    with open(path, "w") as f:
        f.write(ODD)
    out.append(("odd-v5", path))
    return out


# ------------------------------------------------------------------ filters


def filters(con, cols):
    """Every operator, value form and pseudo-field of the README, with values from the data."""
    has = set(cols)
    v4 = sample(con, "SELECT srcaddr FROM vpc_flow_logs WHERE srcaddr LIKE '%.%' AND srcaddr NOT LIKE '%:%' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1") or "10.0.0.1"
    v6 = sample(con, "SELECT dstaddr FROM vpc_flow_logs WHERE dstaddr LIKE '%:%' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1") or "2600:1f18::2"
    v6net = str(ipaddress.ip_network(v6 + "/16", strict=False))
    eni = sample(con, "SELECT interface_id FROM vpc_flow_logs WHERE interface_id <> '-' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1") or "eni-0a1b"
    t0 = sample(con, "SELECT min(start) FROM vpc_flow_logs") or 1764115200
    a, b = v4.split(".")[0], v4.split(".")[1]
    f = [
        # the README's examples
        "dstport = 22 and action = reject",
        "srcaddr in 10.0.0.0/8 and not dstaddr in 10.0.0.0/8",
        "dstaddr in 2600:1f18::/32",
        "dstport in (22, 3389) or port in 1024..65535",
        "interface-id ~ 0a1b",
        "bytes > 1.5MB and protocol = tcp",
        "time >= 2025-11-26T10:00:00Z and time <= 2025-11-26T10:15:00Z",
        "duration > 5m",
        "log-status = nodata",
        "eni-0a1b2c3d",
        # every comparison operator on integers
        "dstport = 443", "dstport != 443", "dstport <> 443", "dstport == 443", "srcport < 1024",
        "srcport <= 1024", "packets > 10", "packets >= 10", "not dstport = 443",
        "not dstport != 443", "!(dstport < 1024)",
        # in lists and ranges, open ends
        "dstport in (22, 80, 443)", "dstport not in (22, 80, 443)", "dstport in 1024..",
        "dstport in ..1023", "srcport in (0..1023, 8080)", "not port in (80, 443)",
        "bytes in 1KB..2MB", "protocol in (tcp, udp)", "protocol in (6, 17, 1)",
        # sizes and protocols
        "bytes >= 10KiB", "bytes < 1500", "bytes = 0", "protocol = udp", "protocol = icmp",
        "protocol = ipv6-icmp", "protocol = 41", "protocol != tcp",
        # oversized literals (beyond BIGINT)
        "bytes < 10000000000000000000", "bytes > 10000000000000000000",
        "bytes != 18446744073709551615", "bytes in 9223372036854775807..",
        "not bytes < 10000000000000000000", "bytes in (5000, 18446744073709551615)",
        # addresses: hosts, CIDRs of both families, mapped IPv6
        f"srcaddr = {v4}", f"srcaddr != {v4}", f"not srcaddr = {v4}", f"addr = {v4}",
        f"addr != {v4}", f"srcaddr = ::ffff:{v4}", f"srcaddr != ::ffff:{v4}",
        f"srcaddr in ::ffff:{a}.0.0.0/104", "srcaddr in ::ffff:0:0/96",
        "not srcaddr in ::ffff:0:0/96", f"dstaddr = {v6}", f"dstaddr != {v6}",
        f"dstaddr in {v6net}", f"not dstaddr in {v6net}", "srcaddr in ::/0",
        "srcaddr in 0.0.0.0/0", "not srcaddr in 0.0.0.0/0", "addr in ::/0",
        f"srcaddr in ({a}.0.0.0/8, {v6net}, {v4})", f"not addr in ({a}.{b}.0.0/16, ::/0)",
        "dstaddr in (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)", "srcaddr in 64:ff9b::/96",
        "srcaddr in 2600:1f18::/32 or dstaddr in 2600:1f18::/32",
        # contains
        f"interface-id ~ {eni[-4:]}", f"interface-id !~ {eni[-4:]}", f"srcaddr ~ {a}.{b}",
        "srcaddr ~ :", "addr ~ 2600", "action ~ acc", "log-status !~ ok", "interfaceId ~ ENI",
        "srcaddr ~ -", "not srcaddr ~ -", 'interface-id ~ "0A1B"',
        # text equality, words in any case, quoted strings
        "action = accept", "action != reject", "action in (ACCEPT, reject)",
        "log-status = SkipData", "log-status != ok", "not log-status = ok",
        "log-status in (nodata, skipdata)", "log_status = nodata", "logStatus = NODATA",
        f'interface-id = "{eni}"', f"interface-id = '{eni}'", f"interface-id != {eni}",
        "account-id = 123456789010", "account-id != 123456789010",
        # exists
        "srcaddr exists", "not srcaddr exists", "packets exists", "not packets exists",
        "port exists", "addr exists", "time exists", "not duration exists",
        # boolean syntax
        "dstport = 22 && action = reject", "dstport = 22 || dstport = 3389",
        "!(action = accept) and protocol = tcp", "not (port = 22 or port = 3389)",
        "(dstport = 443 or srcport = 443) and not action = reject",
        "not not action = accept", "not (action = accept and not log-status = ok)",
        # pseudo-fields
        "port = 443", "port != 443", "port in 1..1023", "port < 1024", "addr in 10.0.0.0/8",
        f"time = {t0}", f"time != {t0}", f"time > {t0 + 60}", f"time < {t0 + 60}",
        f"time >= {t0 + 60}", f"time <= {t0 + 60}", "time = 2025-11-26",
        "not time = 2025-11-26", "time in (2025-11-25, 2025-11-26)", "time >= 2025-11-26T00:05",
        "time != 2025-11-26T00:05:00Z", f"start >= {t0 + 120}", f"end < {t0 + 300}",
        f"start = 2025-11-26T00:01", "duration >= 60", "duration = 0", "duration != 0",
        "duration < 30s", "duration in (1m..10m)", "not duration > 5m", "duration > 1h",
        # bare words and quoted words
        "reject", "ACCEPT", '"eni-"', f"{eni}", "use1", "-", '"it\'s"'
    ]
    if "tcp_flags" in has:
        f += ["tcp-flags has SYN", "tcp-flags has SYN-ACK", "not tcp-flags has ACK",
              "tcp-flags has SYN and not tcp-flags has ACK", "tcp-flags = 2", "tcp-flags has 18",
              "tcp-flags has FIN or tcp-flags has RST", "tcp-flags in (2, 18, 19)"]
    if "sublocation_type" in has:
        f += ["not sublocation-type = outpost", "sublocation-type != outpost",
              "sublocation-type = Outpost", "not sublocation-type in (outpost, wavelength)",
              "sublocation-type exists", "type = ipv6", "type != IPv4", "not type = ipv4",
              "flow-direction = ingress", "flow-direction != egress",
              "not flow-direction = egress", "pkt-srcaddr in 10.0.0.0/8",
              "pkt-dstaddr != ::ffff:10.0.0.9", "pkt-src-aws-service = AMAZON",
              "not pkt-dst-aws-service exists", "traffic-path = 1", "traffic-path != 1",
              "not traffic-path in (1, 2)", "region = us-east-1", "az-id ~ az1",
              "vpc-id = \"vpc-it's\"", "vpc-id ~ \"it's\"", "vpc-id != \"vpc-it's\""]
    if "ecs_cluster_name" in has:
        f += ["prod-cluster", "ecs-cluster-name exists", "not ecs-cluster-name exists",
              "ecs-cluster-name ~ prod", "not ecs-cluster-name = prod-cluster",
              "reject-reason exists", "not reject-reason = BPA"]
    return f


REFUSED = [
    ("@timestamp > 2025-11-26", "event field"),
    ("@logStream ~ eni", "event field"),
    ("tgw-id = tgw-1", "not one of the data's fields"),
]


# ------------------------------------------------------------------ main


def main():
    if not os.path.exists(FLOWLENS):
        print(f"missing {FLOWLENS}: run cargo build first")
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    nonzero = 0

    def fail(msg):
        nonlocal failed
        failed += 1
        print("FAIL", msg, flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        for name, path in datasets(tmp):
            if ONLY and name != ONLY:
                continue
            t0 = time.time()
            cons = {}
            for old in (False, True):
                for nulls in (False, True):
                    con = connect(old)
                    cols = load(con, path, nulls)
                    cons[(old, nulls)] = con
            flts = filters(cons[(False, False)], cols)
            for flt in flts:
                want, err = local(path, flt)
                if err:
                    fail(f"{name}: local filter {flt!r}: {err}")
                    continue
                p = run(["--emit", "athena", "--filter", flt, path], check=False)
                if p.returncode != 0:
                    fail(f"{name}: {flt!r} not translated: {p.stderr.strip()}")
                    continue
                try:
                    sql = to_duckdb(p.stdout)
                except Exception as e:  # noqa: BLE001 - any parse failure is a finding
                    fail(f"{name}: {flt!r}: Trino would reject: {e}\n  {p.stdout.strip()}")
                    continue
                if 0 < want[0] < sum(1 for _ in open(path)):
                    nonzero += 1
                for (old, nulls), con in cons.items():
                    what = f"{name} [{'text DDL' if not nulls else '- as NULL'}, {'Trino < #18997' if old else 'Trino'}]"
                    try:
                        got = tuple(x or 0 for x in con.execute(
                            f"SELECT count(*), sum(bytes) FROM ({sql}) AS q").fetchone())
                    except Exception as e:  # noqa: BLE001
                        fail(f"{what}: {flt!r}: {e}\n  {p.stdout.strip()}")
                        continue
                    if got != want:
                        fail(f"{what}: {flt!r}: flowlens {want}, Athena {got}\n  {p.stdout.strip()}")
                    else:
                        passed += 1
            print(f"{name}: {len(flts)} filters checked in {time.time() - t0:.0f}s", flush=True)
            # sorts translate to SQL that runs
            for srt in ["bytes:desc,start", "duration:desc", "srcaddr", "end:desc,dstport"]:
                p = run(["--emit", "athena", "--sort", srt, "--filter", "action = accept", path])
                try:
                    cons[(True, True)].execute(to_duckdb(p.stdout)).fetchall()
                    passed += 1
                except Exception as e:  # noqa: BLE001
                    fail(f"{name}: sort {srt!r}: {e}")
            # refusals say why
            for flt, reason in REFUSED:
                p = run(["--emit", "athena", "--filter", flt, path], check=False)
                if p.returncode == 2 and reason in p.stderr:
                    passed += 1
                else:
                    fail(f"{name}: {flt!r} should be refused ({reason}): exit {p.returncode} {p.stdout}{p.stderr}")
            # the partitioned DDLs parse as Athena DDL
            for layout in ["awslogs", "hive"]:
                p = run(["--emit", "athena-table", "--athena-layout", layout, "--athena-region",
                         "us-east-1", "--athena-location", "s3://bucket/prefix/", path])
                try:
                    sqlglot.parse_one(p.stdout, read="athena")
                    passed += 1
                except Exception as e:  # noqa: BLE001
                    fail(f"{name}: {layout} DDL does not parse: {e}")
    # the filters must discriminate: most select some but not all rows somewhere
    if nonzero < (20 if ONLY else 100):
        fail(f"only {nonzero} filters selected some but not all rows")
    else:
        passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
