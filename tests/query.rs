//! Integration tests of the query engine over generated flow logs
//! (`gen_flowlogs.py --fields all`): a property test against a naive reference evaluator
//! built only on `Table::value`, plus sort, group, histogram and export checks.

use flowlens::fields::Field;
use flowlens::query::{self, Filter, Measure};
use flowlens::{decode_bytes, DecodeOptions, Table, Value};
use std::net::IpAddr;
use std::sync::OnceLock;

mod common;
use common::Rng;

fn generate(n: usize, fields: &str) -> Vec<u8> {
    let generator = common::shared_dir().join("tools/gen_flowlogs.py");
    let out = std::process::Command::new("python3")
        .arg(&generator)
        .args(["-n", &n.to_string(), "--fields", fields])
        .output()
        .expect("python3 runs the generator");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let bytes = generate(20_000, "all");
        let t = decode_bytes(&bytes, DecodeOptions::default());
        assert_eq!(
            t.len(),
            20_000,
            "{:?}",
            &t.errors()[..t.errors().len().min(3)]
        );
        t
    })
}

// ------------------------------------------------------------------------ reference

/// A tiny, obviously-correct evaluator over `Table::value`.
#[derive(Debug, Clone)]
enum Ref {
    Num(Field, &'static str, u64),
    Cidr(Field, IpAddr, u8),
    TextEq(Field, String, bool),
    Contains(Field, String),
    Exists(Field),
    Has(Field, u64),
    Search(String),
    Not(Box<Ref>),
    And(Box<Ref>, Box<Ref>),
    Or(Box<Ref>, Box<Ref>),
}

fn num(v: Value<'_>) -> Option<u64> {
    match v {
        Value::UInt(n) | Value::EventTime(n) => Some(n),
        Value::Time { secs, .. } => Some(secs),
        _ => None,
    }
}

fn text_contains(v: Value<'_>, needle: &str) -> bool {
    match v {
        Value::Text(t) => t.to_lowercase().contains(needle),
        Value::Addr(a) => a.to_string().to_lowercase().contains(needle),
        _ => false,
    }
}

fn in_net(a: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (a, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let m = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - prefix)
            };
            u32::from(a) & m == u32::from(n) & m
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let m = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - prefix)
            };
            u128::from(a) & m == u128::from(n) & m
        }
        _ => false,
    }
}

fn eval(e: &Ref, t: &Table, row: usize) -> bool {
    match e {
        Ref::Num(f, op, x) => num(t.value(row, *f)).is_some_and(|v| match *op {
            "=" => v == *x,
            "!=" => v != *x,
            "<" => v < *x,
            "<=" => v <= *x,
            ">" => v > *x,
            ">=" => v >= *x,
            _ => unreachable!(),
        }),
        Ref::Cidr(f, net, p) => match t.value(row, *f) {
            Value::Addr(a) => in_net(a, *net, *p),
            _ => false,
        },
        Ref::TextEq(f, s, neg) => match t.value(row, *f) {
            Value::Text(v) => (v == s) != *neg,
            _ => false,
        },
        Ref::Contains(f, s) => text_contains(t.value(row, *f), s),
        Ref::Exists(f) => !t.value(row, *f).is_null(),
        Ref::Has(f, m) => num(t.value(row, *f)).is_some_and(|v| v & m == *m),
        Ref::Search(s) => t.fields().iter().any(|f| {
            matches!(t.value(row, *f), Value::Text(_) | Value::Addr(_))
                && text_contains(t.value(row, *f), s)
        }),
        Ref::Not(a) => !eval(a, t, row),
        Ref::And(a, b) => eval(a, t, row) && eval(b, t, row),
        Ref::Or(a, b) => eval(a, t, row) || eval(b, t, row),
    }
}

const NUMERIC: &[Field] = &[
    Field::SrcPort,
    Field::DstPort,
    Field::Protocol,
    Field::Packets,
    Field::Bytes,
    Field::Start,
    Field::End,
    Field::TcpFlags,
    Field::TrafficPath,
    Field::Version,
];
const TEXT: &[Field] = &[
    Field::InterfaceId,
    Field::Action,
    Field::LogStatus,
    Field::VpcId,
    Field::SubnetId,
    Field::InstanceId,
    Field::Type,
    Field::AzId,
    Field::FlowDirection,
    Field::PktDstAwsService,
];
const ADDR: &[Field] = &[Field::SrcAddr, Field::DstAddr, Field::PktSrcAddr];

/// Spells a field the way a user might: AWS, underscore or camel/Insights form.
fn spell(f: Field, rng: &mut Rng) -> String {
    let n = f.name();
    match rng.below(3) {
        0 => n.to_string(),
        1 => n.replace('-', "_").to_uppercase(),
        _ => f
            .insights_name()
            .map_or_else(|| n.replace('-', "_"), str::to_string),
    }
}

/// A value of `f` from a random row (non-null when one is found quickly).
fn sample<'a>(t: &'a Table, f: Field, rng: &mut Rng) -> Value<'a> {
    for _ in 0..20 {
        let v = t.value(rng.below(t.len()), f);
        if !v.is_null() {
            return v;
        }
    }
    Value::Null
}

fn leaf(t: &Table, rng: &mut Rng) -> (String, Ref) {
    loop {
        match rng.below(8) {
            0 | 1 => {
                let f = *rng.pick(NUMERIC);
                let Some(v) = num(sample(t, f, rng)) else {
                    continue;
                };
                let v = v + rng.below(3) as u64 - 1.min(v);
                let op = *rng.pick(&["=", "!=", "<", "<=", ">", ">="]);
                return (format!("{} {op} {v}", spell(f, rng)), Ref::Num(f, op, v));
            }
            2 => {
                let f = *rng.pick(ADDR);
                let Value::Addr(a) = sample(t, f, rng) else {
                    continue;
                };
                let p = match a {
                    IpAddr::V4(_) => *rng.pick(&[8u8, 16, 24, 32]),
                    IpAddr::V6(_) => *rng.pick(&[16u8, 32, 64, 128]),
                };
                let net = match a {
                    IpAddr::V4(x) => IpAddr::V4((u32::from(x) & (u32::MAX << (32 - p))).into()),
                    IpAddr::V6(x) => IpAddr::V6((u128::from(x) & (u128::MAX << (128 - p))).into()),
                };
                return (
                    format!("{} in {net}/{p}", spell(f, rng)),
                    Ref::Cidr(f, net, p),
                );
            }
            3 => {
                let f = *rng.pick(TEXT);
                let Value::Text(s) = sample(t, f, rng) else {
                    continue;
                };
                let neg = rng.below(2) == 0;
                let op = if neg { "!=" } else { "=" };
                return (
                    format!("{} {op} '{s}'", spell(f, rng)),
                    Ref::TextEq(f, s.to_string(), neg),
                );
            }
            4 => {
                let f = *rng.pick(&[Field::InterfaceId, Field::SrcAddr, Field::InstanceId]);
                let v = sample(t, f, rng);
                let s = match v {
                    Value::Text(s) => s.to_string(),
                    Value::Addr(a) => a.to_string(),
                    _ => continue,
                };
                let k = 1 + rng.below(4);
                let at = rng.below(s.len().saturating_sub(k) + 1);
                let Some(needle) = s.get(at..at + k.min(s.len())) else {
                    continue;
                };
                let needle = needle.to_uppercase();
                return (
                    format!("{} ~ '{needle}'", spell(f, rng)),
                    Ref::Contains(f, needle.to_lowercase()),
                );
            }
            5 => {
                let f = *rng.pick(&[
                    Field::InstanceId,
                    Field::SrcPort,
                    Field::TrafficPath,
                    Field::SrcAddr,
                    Field::PktSrcAwsService,
                    Field::EcsClusterName,
                ]);
                return (format!("{} exists", spell(f, rng)), Ref::Exists(f));
            }
            6 => {
                let (name, m) = *rng.pick(&[("SYN", 2u64), ("FIN", 1), ("ACK", 16), ("RST", 4)]);
                return (
                    format!("tcp-flags has {name}"),
                    Ref::Has(Field::TcpFlags, m),
                );
            }
            _ => {
                let f = *rng.pick(&[Field::InterfaceId, Field::SubnetId, Field::DstAddr]);
                let v = sample(t, f, rng);
                let s = match v {
                    Value::Text(s) => s.to_string(),
                    Value::Addr(a) => a.to_string(),
                    _ => continue,
                };
                let needle = s[..s.len().min(8)].to_string();
                if needle.contains(['(', ')', ',', '=', '!', '<', '>', '~'])
                    || ["and", "or", "not"].contains(&needle.as_str())
                {
                    continue;
                }
                return (format!("\"{needle}\""), Ref::Search(needle.to_lowercase()));
            }
        }
    }
}

fn expr(t: &Table, rng: &mut Rng, depth: usize) -> (String, Ref) {
    if depth == 0 || rng.below(3) == 0 {
        return leaf(t, rng);
    }
    match rng.below(3) {
        0 => {
            let (s, r) = expr(t, rng, depth - 1);
            (format!("not ({s})"), Ref::Not(Box::new(r)))
        }
        k => {
            let (a, ra) = expr(t, rng, depth - 1);
            let (b, rb) = expr(t, rng, depth - 1);
            if k == 1 {
                (
                    format!("({a}) and ({b})"),
                    Ref::And(Box::new(ra), Box::new(rb)),
                )
            } else {
                (
                    format!("({a}) OR ({b})"),
                    Ref::Or(Box::new(ra), Box::new(rb)),
                )
            }
        }
    }
}

#[test]
fn engine_agrees_with_reference_evaluator() {
    let t = table();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut nonempty = 0;
    for _ in 0..400 {
        let (text, r) = expr(t, &mut rng, 3);
        let f = Filter::parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let got = f.select(t);
        let want: Vec<u32> = (0..t.len() as u32)
            .filter(|row| eval(&r, t, *row as usize))
            .collect();
        assert_eq!(got.len(), want.len(), "{text}");
        assert_eq!(got, want, "{text}");
        // the row-at-a-time path agrees too (on a sample)
        for row in (0..t.len()).step_by(97) {
            assert_eq!(f.matches(t, row), eval(&r, t, row), "{text} row {row}");
        }
        if !got.is_empty() && got.len() < t.len() {
            nonempty += 1;
        }
    }
    assert!(nonempty > 150, "too few selective filters: {nonempty}");
}

#[test]
fn pseudo_fields_equal_their_expansions() {
    let t = table();
    let pairs = [
        ("port = 22", "srcport = 22 or dstport = 22"),
        ("port != 22", "srcport != 22 and dstport != 22"),
        (
            "addr in 10.0.0.0/8",
            "srcaddr in 10.0.0.0/8 or dstaddr in 10.0.0.0/8",
        ),
        ("not port = 443", "not (srcport = 443 or dstport = 443)"),
        ("time >= 1764115500", "end >= 1764115500"),
        ("time <= 1764115500", "start <= 1764115500"),
        (
            "time = 1764115500",
            "start <= 1764115500 and end >= 1764115500",
        ),
        ("duration > 60", "end > start and (end - 60 exists)"),
    ];
    for (a, b) in &pairs[..7] {
        assert_eq!(
            Filter::parse(a).unwrap().select(t),
            Filter::parse(b).unwrap().select(t),
            "{a} vs {b}"
        );
    }
    let _ = pairs[7];
    let d = Filter::parse("duration > 60").unwrap().select(t);
    let want: Vec<u32> = (0..t.len() as u32)
        .filter(|r| {
            match (
                num(t.value(*r as usize, Field::Start)),
                num(t.value(*r as usize, Field::End)),
            ) {
                (Some(s), Some(e)) => e.saturating_sub(s) > 60,
                _ => false,
            }
        })
        .collect();
    assert_eq!(d, want);
    // NODATA rows survive `not port = 22` but not `port != 22`
    let nodata = Filter::parse("log-status = nodata").unwrap().select(t);
    assert!(!nodata.is_empty());
    let notp = Filter::parse("not port = 22").unwrap();
    let nep = Filter::parse("port != 22").unwrap();
    assert!(nodata.iter().all(|r| notp.matches(t, *r as usize)));
    assert!(nodata.iter().all(|r| !nep.matches(t, *r as usize)));
}

#[test]
fn sort_is_stable_with_nulls_last() {
    let t = table();
    let mut rows = Filter::parse("").unwrap().select(t);
    let keys = query::parse_sort("bytes:desc,start").unwrap();
    query::sort_rows(t, &mut rows, &keys);
    assert_eq!(rows.len(), t.len());
    let key = |r: u32| {
        (
            num(t.value(r as usize, Field::Bytes)),
            num(t.value(r as usize, Field::Start)),
        )
    };
    for w in rows.windows(2) {
        let (a, b) = (key(w[0]), key(w[1]));
        match (a.0, b.0) {
            (Some(x), Some(y)) => {
                assert!(
                    x > y || (x == y && (a.1 < b.1 || (a.1 == b.1 && w[0] < w[1]))),
                    "{w:?}"
                )
            }
            (None, Some(_)) => panic!("null before a value: {w:?}"),
            _ => {}
        }
    }
    // text keys sort by value
    let mut rows: Vec<u32> = (0..t.len() as u32).collect();
    query::sort_rows(t, &mut rows, &query::parse_sort("interface-id").unwrap());
    let texts: Vec<String> = rows
        .iter()
        .map(|r| match t.value(*r as usize, Field::InterfaceId) {
            Value::Text(s) => s.to_string(),
            _ => "\u{10FFFF}".into(),
        })
        .collect();
    assert!(texts.windows(2).all(|w| w[0] <= w[1]));
    // addresses (with IPv6): IPv4 first, numeric order
    let mut rows: Vec<u32> = (0..t.len() as u32).collect();
    query::sort_rows(t, &mut rows, &query::parse_sort("srcaddr:desc").unwrap());
    let addrs: Vec<Option<IpAddr>> = rows
        .iter()
        .map(|r| match t.value(*r as usize, Field::SrcAddr) {
            Value::Addr(a) => Some(a),
            _ => None,
        })
        .collect();
    let first_null = addrs
        .iter()
        .position(Option::is_none)
        .unwrap_or(addrs.len());
    assert!(addrs[first_null..].iter().all(Option::is_none));
    assert!(addrs[..first_null].windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn top_groups_add_up() {
    let t = table();
    let rows = Filter::parse("action = reject").unwrap().select(t);
    let groups = query::top(
        t,
        &rows,
        &[Field::DstPort],
        Measure::Count,
        0,
        Some(Field::SrcAddr),
    );
    assert_eq!(
        groups.iter().map(|g| g.count).sum::<u64>(),
        rows.len() as u64
    );
    assert!(groups.windows(2).all(|w| w[0].count >= w[1].count));
    let bytes: u64 = rows
        .iter()
        .filter_map(|r| num(t.value(*r as usize, Field::Bytes)))
        .sum();
    assert_eq!(groups.iter().map(|g| g.bytes).sum::<u64>(), bytes);
    // the biggest group checked by hand
    let g = &groups[0];
    let port: u64 = g.keys[0].parse().unwrap();
    let mine: Vec<u32> = rows
        .iter()
        .copied()
        .filter(|r| num(t.value(*r as usize, Field::DstPort)) == Some(port))
        .collect();
    assert_eq!(g.count, mine.len() as u64);
    let mut srcs: Vec<String> = mine
        .iter()
        .filter_map(|r| match t.value(*r as usize, Field::SrcAddr) {
            Value::Addr(a) => Some(a.to_string()),
            _ => None,
        })
        .collect();
    srcs.sort();
    srcs.dedup();
    assert_eq!(g.distinct, Some(srcs.len() as u64));
    let top3 = query::top(
        t,
        &rows,
        &[Field::SrcAddr, Field::DstPort],
        Measure::Bytes,
        3,
        None,
    );
    assert_eq!(top3.len(), 3);
    assert!(top3[0].bytes >= top3[1].bytes && top3[1].bytes >= top3[2].bytes);
}

#[test]
fn top_n_is_the_head_of_the_full_ranking() {
    let t = table();
    let all: Vec<u32> = (0..t.len() as u32).collect();
    let sets: &[&[Field]] = &[
        &[Field::SrcAddr],
        &[Field::DstPort],
        &[Field::Action],
        &[Field::SrcAddr, Field::DstPort],
        &[Field::InterfaceId, Field::Protocol],
    ];
    for by in sets {
        for m in [Measure::Count, Measure::Bytes, Measure::Packets] {
            let full = query::top(t, &all, by, m, 0, None);
            for limit in [1, 3, 10, 50] {
                let head = query::top(t, &all, by, m, limit, None);
                let want = &full[..limit.min(full.len())];
                assert_eq!(head.len(), want.len(), "{by:?} {m:?} {limit}");
                for (a, b) in head.iter().zip(want) {
                    assert_eq!((&a.keys, a.count, a.bytes), (&b.keys, b.count, b.bytes));
                }
            }
        }
    }
}

#[test]
fn histogram_adds_up() {
    let t = table();
    let rows = Filter::parse("protocol = tcp").unwrap().select(t);
    let h = query::histogram(t, &rows, None, 60);
    assert!(h.records.len() <= 60);
    assert!(query::AUTO_BUCKETS.contains(&h.bucket_secs));
    let with_start = rows
        .iter()
        .filter(|r| num(t.value(**r as usize, Field::Start)).is_some())
        .count() as u64;
    assert_eq!(h.records.iter().sum::<u64>(), with_start);
    let rejects = Filter::parse("protocol = tcp and action = reject")
        .unwrap()
        .select(t);
    assert_eq!(h.rejects.iter().sum::<u64>(), rejects.len() as u64);
    let h5 = query::histogram(t, &rows, query::parse_duration("5m"), 60);
    assert_eq!(h5.bucket_secs, 300);
    assert_eq!(h5.start % 300, 0);
    assert_eq!(h5.bytes.iter().sum::<u64>(), h.bytes.iter().sum::<u64>());
}

#[test]
fn exports_follow_the_query_order() {
    let t = table();
    let mut rows = Filter::parse("dstport = 22 and action = reject")
        .unwrap()
        .select(t);
    query::sort_rows(t, &mut rows, &query::parse_sort("bytes:desc").unwrap());
    assert!(!rows.is_empty());
    let mut csv = String::new();
    flowlens::output::write_csv(&mut csv, t, rows.iter().map(|r| *r as usize));
    assert_eq!(csv.lines().count(), rows.len() + 1);
    let mut lines = Vec::new();
    flowlens::output::write_lines(&mut lines, t, rows.iter().map(|r| *r as usize));
    let text = String::from_utf8(lines).unwrap();
    let bytes: Vec<u64> = text
        .lines()
        .map(|l| l.split(' ').nth(9).unwrap().parse().unwrap())
        .collect();
    assert!(bytes.windows(2).all(|w| w[0] >= w[1]));
    assert!(text.lines().all(|l| l.contains(" REJECT ")));
}

#[test]
fn speed_report() {
    // A timing print (meaningful with --release): cargo test --release --test query -- --nocapture speed
    let bytes = generate(200_000, "default");
    let base = decode_bytes(&bytes, DecodeOptions::default());
    let reps = if cfg!(debug_assertions) { 1 } else { 10 };
    let mut rows_total = 0usize;
    let mut times = Vec::new();
    for (name, text) in [
        ("dstport = 22", "dstport = 22"),
        ("action = reject", "action = reject"),
        ("srcaddr in 10.0.0.0/8", "srcaddr in 10.0.0.0/8"),
        (
            "bytes > 1000 and protocol = tcp",
            "bytes > 1000 and protocol = tcp",
        ),
        ("interface-id ~ abc", "interface-id ~ abc"),
    ] {
        let f = Filter::parse(text).unwrap();
        let start = std::time::Instant::now();
        for _ in 0..reps {
            rows_total += f.select(&base).len();
        }
        let el = start.elapsed().as_secs_f64() / reps as f64;
        times.push(format!(
            "{name}: {:.1} M rows/s",
            base.len() as f64 / el / 1e6
        ));
    }
    let mut rows: Vec<u32> = (0..base.len() as u32).collect();
    let start = std::time::Instant::now();
    query::sort_rows(&base, &mut rows, &query::parse_sort("bytes:desc").unwrap());
    times.push(format!(
        "sort bytes:desc: {:.1} M rows/s",
        base.len() as f64 / start.elapsed().as_secs_f64() / 1e6
    ));
    let start = std::time::Instant::now();
    let g = query::top(&base, &rows, &[Field::SrcAddr], Measure::Bytes, 10, None);
    times.push(format!(
        "top srcaddr: {:.1} M rows/s",
        base.len() as f64 / start.elapsed().as_secs_f64() / 1e6
    ));
    assert!(!g.is_empty() && rows_total > 0);
    eprintln!("query speed over {} rows: {}", base.len(), times.join("; "));
}

#[test]
fn a_long_ipv6_cidr_list_selects_exactly() {
    // 3,000 distinct IPv6 sources; an `in` list of 2,000 networks of mixed prefix
    // lengths (tested through prefix sets, not address × list)
    let mut text = String::new();
    for i in 0..3000u32 {
        text.push_str(&format!(
            "2 123456789012 eni-1 2600:1f18:{:x}:{:x}::{:x} 10.0.0.1 1 2 6 1 40 1764115200 1764115260 ACCEPT OK\n",
            i % 97,
            i,
            i % 7 + 1
        ));
    }
    let t = decode_bytes(text.as_bytes(), DecodeOptions::default());
    assert_eq!(t.len(), 3000);
    let mut nets = Vec::new();
    for k in 0..2000u32 {
        nets.push(match k % 3 {
            0 => format!("2600:1f18:{:x}:{:x}::/64", k % 97, k * 3),
            1 => format!("2600:1f18:{:x}:{:x}::{:x}", k % 97, k, k % 7 + 1),
            _ => format!("2001:db8:{k:x}::/48"),
        });
    }
    let f = Filter::parse(&format!("srcaddr in ({})", nets.join(", "))).unwrap();
    let got = f.select(&t);
    let parsed: Vec<(IpAddr, u8)> = nets
        .iter()
        .map(|n| {
            let (a, p) = n.split_once('/').unwrap_or((n, "128"));
            (a.parse().unwrap(), p.parse().unwrap())
        })
        .collect();
    let want: Vec<u32> = (0..t.len())
        .filter(|&r| match t.value(r, Field::SrcAddr) {
            Value::Addr(a) => parsed.iter().any(|&(n, p)| in_net(a, n, p)),
            _ => false,
        })
        .map(|r| r as u32)
        .collect();
    assert!(want.len() > 100 && want.len() < 3000, "{}", want.len());
    assert_eq!(got, want);
    let not = Filter::parse(&format!("srcaddr not in ({})", nets.join(", "))).unwrap();
    assert_eq!(not.select(&t).len(), 3000 - want.len());
}

#[test]
fn a_sort_error_inside_a_multibyte_character_is_a_position_not_a_panic() {
    // found by `cargo fuzz run sort` (input `;\u{85}:`)
    let e = flowlens::query::parse_sort(";\u{85}:").expect_err("not a sort");
    let text = ";\u{85}:";
    assert!(
        text.is_char_boundary(e.start) && text.is_char_boundary(e.end),
        "{e:?}"
    );
}
