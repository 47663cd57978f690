//! Unit tests of the query engine over a small hand-written table.

use super::*;
use crate::fields::{Field, ALL_V5, DEFAULT_FORMAT};
use crate::{decode_bytes, DecodeOptions};

/// A header and nine v5 records: TCP/UDP/ICMP/IPv6/protocol 41, ACCEPT/REJECT, NODATA.
const DATA: &str = "\
version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path
5 123456789012 eni-aaa 10.0.1.5 10.0.2.9 44308 22 6 10 1500 1764151200 1764151260 ACCEPT OK vpc-1 subnet-1 i-1 19 IPv4 10.0.1.5 10.0.2.9 us-east-1 use1-az1 - - - - ingress -
5 123456789012 eni-aaa 203.0.113.7 10.0.1.5 51000 22 6 1 40 1764151230 1764151290 REJECT OK vpc-1 subnet-1 i-1 2 IPv4 203.0.113.7 10.0.1.5 us-east-1 use1-az1 - - - - ingress -
5 123456789012 eni-bbb 10.0.3.3 8.8.8.8 53000 53 17 2 150 1764151300 1764151360 ACCEPT OK vpc-1 subnet-2 - 0 IPv4 10.0.3.3 8.8.8.8 us-east-1 use1-az2 - - - AMAZON egress 8
5 123456789012 eni-bbb 10.0.3.3 52.94.0.1 40000 443 6 2000 2500000 1764158400 1764159000 ACCEPT OK vpc-1 subnet-2 - 18 IPv4 10.0.3.3 52.94.0.1 us-east-1 use1-az2 - - - S3 egress 8
5 123456789012 eni-ccc - - - - - - - 1764151200 1764151800 - NODATA vpc-1 subnet-3 - - - - - us-east-1 use1-az3 - - - - - -
5 123456789012 eni-ccc 2600:1f18::5 2001:db8::1 443 61000 6 30 12000 1764237600 1764237660 ACCEPT OK vpc-2 subnet-3 i-3 3 IPv6 2600:1f18::5 2001:db8::1 us-east-1 use1-az3 - - - - egress 8
5 123456789012 eni-ccc 10.0.9.9 10.0.1.5 0 0 1 4 336 1764151200 1764151200 REJECT OK vpc-2 subnet-3 - 0 IPv4 10.0.9.9 10.0.1.5 us-east-1 use1-az3 - - - - ingress -
5 123456789012 eni-ddd 198.51.100.2 10.0.4.4 0 0 41 5 600 1764151500 1764151560 ACCEPT OK vpc-2 subnet-4 - 0 IPv4 198.51.100.2 10.0.4.4 us-east-1 use1-az1 - - - - ingress -
5 123456789012 eni-ddd 10.0.4.4 198.51.100.2 1024 65535 17 3 300 1764151500 1764151620 ACCEPT SKIPDATA vpc-2 subnet-4 - 0 IPv4 10.0.4.4 198.51.100.2 us-east-1 use1-az1 - - - - egress 2
";

fn table() -> Table {
    let t = decode_bytes(DATA.as_bytes(), DecodeOptions::default());
    assert_eq!(t.len(), 9, "{:?}", t.errors());
    t
}

/// Rows matching `f`, checked against the row-at-a-time path.
fn rows(t: &Table, f: &str) -> Vec<u32> {
    let filter = Filter::parse(f).unwrap_or_else(|e| panic!("{f}: {e}"));
    let sel = filter.select(t);
    let one: Vec<u32> = (0..t.len() as u32)
        .filter(|r| filter.matches(t, *r as usize))
        .collect();
    assert_eq!(sel, one, "select and matches differ for {f}");
    sel
}

fn error(f: &str) -> QueryError {
    match Filter::parse(f) {
        Ok(_) => panic!("{f} parsed"),
        Err(e) => e,
    }
}

#[test]
fn empty_filter_matches_all() {
    let t = table();
    assert_eq!(rows(&t, "").len(), 9);
    assert_eq!(rows(&t, "   ").len(), 9);
    assert!(Filter::parse(" ").unwrap().is_all());
}

#[test]
fn numeric_comparisons() {
    let t = table();
    assert_eq!(rows(&t, "dstport = 22"), [0, 1]);
    assert_eq!(rows(&t, "dstport == 22"), [0, 1]);
    assert_eq!(rows(&t, "dstport != 22"), [2, 3, 5, 6, 7, 8]);
    assert_eq!(rows(&t, "dstport <> 22"), [2, 3, 5, 6, 7, 8]);
    assert_eq!(rows(&t, "dstport < 22"), [6, 7]);
    assert_eq!(rows(&t, "dstport <= 22"), [0, 1, 6, 7]);
    assert_eq!(rows(&t, "dstport > 443"), [5, 8]);
    assert_eq!(rows(&t, "dstport >= 443"), [3, 5, 8]);
    assert_eq!(rows(&t, "packets > 1000"), [3]);
}

#[test]
fn out_of_range_numbers_are_errors() {
    let e = error("dstport = 70000");
    assert_eq!(
        e.to_string(),
        "70000 is out of range for dstport (0–65535) at 1:11"
    );
    assert_eq!((e.start, e.end), (10, 15));
    assert!(error("dstport = abc")
        .to_string()
        .contains("'abc' is not a number"));
}

#[test]
fn in_lists_and_ranges() {
    let t = table();
    assert_eq!(rows(&t, "dstport in (22, 53)"), [0, 1, 2]);
    assert_eq!(rows(&t, "dstport in 1024..65535"), [5, 8]);
    assert_eq!(rows(&t, "dstport in (22, 1024..)"), [0, 1, 5, 8]);
    assert_eq!(rows(&t, "dstport in ..22"), [0, 1, 6, 7]);
    assert_eq!(rows(&t, "dstport not in (22, 53)"), [3, 4, 5, 6, 7, 8]);
    assert_eq!(rows(&t, "protocol in (tcp, udp)"), [0, 1, 2, 3, 5, 8]);
    assert!(error("dstport in 100..50").to_string().contains("empty"));
    assert!(error("dstport in (22, 53")
        .to_string()
        .contains("unclosed '('"));
}

#[test]
fn sizes_for_bytes() {
    let t = table();
    assert_eq!(rows(&t, "bytes >= 1.5MB"), [3]);
    assert_eq!(rows(&t, "bytes > 10KiB"), [3, 5]);
    assert_eq!(rows(&t, "bytes = 1500"), [0]);
    assert!(error("bytes > 10XB").to_string().contains("byte count"));
}

#[test]
fn protocols_by_name_and_number() {
    let t = table();
    assert_eq!(rows(&t, "protocol = tcp"), [0, 1, 3, 5]);
    assert_eq!(rows(&t, "protocol = TCP"), [0, 1, 3, 5]);
    assert_eq!(rows(&t, "protocol = udp"), [2, 8]);
    assert_eq!(rows(&t, "protocol = icmp"), [6]);
    assert_eq!(rows(&t, "protocol = 41"), [7]);
    assert_eq!(rows(&t, "protocol = ipv6-icmp").len(), 0);
    let e = error("protocol = tpc");
    assert_eq!(
        e.to_string(),
        "unknown protocol 'tpc' at 1:12 — did you mean 'TCP'?"
    );
}

#[test]
fn tcp_flags_has() {
    let t = table();
    assert_eq!(rows(&t, "tcp-flags has SYN"), [0, 1, 3, 5]);
    assert_eq!(rows(&t, "tcp-flags has FIN"), [0, 5]);
    assert_eq!(rows(&t, "tcp_flags has ack"), [0, 3]);
    assert_eq!(rows(&t, "tcpFlags has SYN-ACK"), [0, 3]);
    assert_eq!(rows(&t, "tcp-flags = SYN"), [1]);
    assert_eq!(rows(&t, "tcp-flags has 1"), [0, 5]);
    let e = error("tcp-flags has SIN");
    assert_eq!(
        e.to_string(),
        "unknown TCP flag 'SIN' at 1:15 — did you mean 'SYN'?"
    );
    assert!(error("srcaddr has SYN")
        .to_string()
        .contains("'has' tests bits"));
}

#[test]
fn addresses_and_cidrs() {
    let t = table();
    assert_eq!(rows(&t, "srcaddr = 10.0.3.3"), [2, 3]);
    assert_eq!(rows(&t, "srcaddr != 10.0.3.3"), [0, 1, 5, 6, 7, 8]);
    assert_eq!(rows(&t, "srcaddr in 10.0.0.0/8"), [0, 2, 3, 6, 8]);
    assert_eq!(rows(&t, "dstaddr in 2001:db8::/32"), [5]);
    assert_eq!(rows(&t, "srcaddr in 2600:1f18::/32"), [5]);
    assert_eq!(rows(&t, "srcaddr = 2600:1f18::5"), [5]);
    assert_eq!(
        rows(&t, "srcaddr in (203.0.113.0/24, 198.51.100.2)"),
        [1, 7]
    );
    assert_eq!(rows(&t, "srcaddr in 0.0.0.0/0"), [0, 1, 2, 3, 6, 7, 8]);
    assert_eq!(rows(&t, "srcaddr in ::/0"), [5]);
    assert_eq!(rows(&t, "not srcaddr in 10.0.0.0/8"), [1, 4, 5, 7]);
    assert_eq!(rows(&t, "srcaddr ~ 10.0.3"), [2, 3]);
    assert_eq!(rows(&t, "srcaddr ~ 1f18"), [5]);
    assert!(error("srcaddr in 10.0.0.1/8")
        .to_string()
        .contains("host bits"));
    assert!(error("srcaddr > 10.0.0.1")
        .to_string()
        .contains("does not apply to addresses"));
    assert!(error("srcaddr = 10.0.0")
        .to_string()
        .contains("not an IP address"));
}

#[test]
fn pseudo_addr_and_port() {
    let t = table();
    assert_eq!(rows(&t, "addr = 10.0.1.5"), [0, 1, 6]);
    assert_eq!(rows(&t, "addr != 10.0.1.5"), [2, 3, 5, 7, 8]);
    assert_eq!(rows(&t, "addr in 198.51.100.0/24"), [7, 8]);
    assert_eq!(rows(&t, "port = 443"), [3, 5]);
    assert_eq!(rows(&t, "port != 443"), [0, 1, 2, 6, 7, 8]);
    assert_eq!(rows(&t, "port in (53, 1024)"), [2, 8]);
    assert_eq!(rows(&t, "addr exists").len(), 8);
    assert_eq!(rows(&t, "not port = 22"), [2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn text_equality_contains_and_vocabularies() {
    let t = table();
    assert_eq!(rows(&t, "interface-id = eni-aaa"), [0, 1]);
    assert_eq!(rows(&t, "interface_id = 'eni-aaa'"), [0, 1]);
    assert_eq!(rows(&t, "interfaceId = \"eni-aaa\""), [0, 1]);
    assert_eq!(rows(&t, "interface-id = ENI-AAA").len(), 0);
    assert_eq!(rows(&t, "interface-id != eni-aaa"), [2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(rows(&t, "interface-id in (eni-aaa, eni-ddd)"), [0, 1, 7, 8]);
    assert_eq!(rows(&t, "interface-id ~ BB"), [2, 3]);
    assert_eq!(rows(&t, "interface-id !~ c"), [0, 1, 2, 3, 7, 8]);
    assert_eq!(rows(&t, "action = reject"), [1, 6]);
    assert_eq!(rows(&t, "action = REJECT"), [1, 6]);
    assert_eq!(rows(&t, "action != reject"), [0, 2, 3, 5, 7, 8]);
    assert_eq!(rows(&t, "log-status = nodata"), [4]);
    assert_eq!(rows(&t, "logStatus in (NODATA, skipdata)"), [4, 8]);
    assert_eq!(rows(&t, "type = ipv6"), [5]);
    assert_eq!(rows(&t, "flow-direction = EGRESS"), [2, 3, 5, 8]);
    assert_eq!(rows(&t, "pkt-dst-aws-service = S3"), [3]);
    let e = error("action = rejected");
    assert_eq!(
        e.to_string(),
        "unknown action 'rejected' at 1:10 — did you mean 'REJECT'?"
    );
    assert!(error("vpc-id < 3")
        .to_string()
        .contains("does not apply to text"));
    assert!(error("dstport ~ 22").to_string().contains("is a number"));
}

#[test]
fn exists_and_null_semantics() {
    let t = table();
    assert_eq!(rows(&t, "instance-id exists"), [0, 1, 5]);
    assert_eq!(rows(&t, "not instance-id exists"), [2, 3, 4, 6, 7, 8]);
    assert_eq!(rows(&t, "traffic-path exists"), [2, 3, 5, 8]);
    // a comparison with null is false; `not` simply negates
    assert!(!rows(&t, "dstport != 22").contains(&4));
    assert!(rows(&t, "not dstport = 22").contains(&4));
    assert_eq!(rows(&t, "dstport >= 0").len(), 8);
    assert_eq!(rows(&t, "packets <= 5"), [1, 2, 6, 7, 8]);
    // a field the data lacks: every test false, exists false
    assert_eq!(rows(&t, "ecs-cluster-name = x").len(), 0);
    assert_eq!(rows(&t, "not ecs-cluster-name exists").len(), 9);
}

#[test]
fn times_and_time_pseudo_field() {
    let t = table();
    // 1764151200 = 2025-11-26T10:00:00Z; 1764237600 = 2025-11-27T10:00:00Z
    assert_eq!(rows(&t, "start = 2025-11-26T10:00:00Z"), [0, 4, 6]);
    assert_eq!(rows(&t, "start = 1764151200"), [0, 4, 6]);
    assert_eq!(rows(&t, "start = 2025-11-27"), [5]);
    assert_eq!(rows(&t, "start < 2025-11-27"), [0, 1, 2, 3, 4, 6, 7, 8]);
    assert_eq!(rows(&t, "start > 2025-11-26"), [5]);
    assert_eq!(rows(&t, "start >= 2025-11-26T12:00"), [3, 5]);
    assert_eq!(rows(&t, "end <= 2025-11-26T10:01"), [0, 1, 6]); // the minute's span
    assert_eq!(rows(&t, "end < 2025-11-26T10:01"), [6]);
    // time: the interval [start, end] overlaps
    assert_eq!(rows(&t, "time = 2025-11-26T10:05:00Z"), [4, 7, 8]);
    assert_eq!(rows(&t, "time = 2025-11-26T10:04:59Z"), [4]);
    assert_eq!(rows(&t, "time = 2025-11-26T10:01"), [0, 1, 2, 4]);
    assert_eq!(
        rows(&t, "time in 2025-11-26T12:05:00Z..2025-11-26T13:00:00Z"),
        [3]
    );
    assert_eq!(rows(&t, "time >= 2025-11-26T10:09:00Z"), [3, 4, 5]);
    assert_eq!(rows(&t, "time < 2025-11-26T10:00:01Z"), [0, 4, 6]);
    assert_eq!(rows(&t, "time = 2025-11-27"), [5]);
    assert_eq!(rows(&t, "time != 2025-11-27"), [0, 1, 2, 3, 4, 6, 7, 8]);
    assert_eq!(rows(&t, "time in (2025-11-27, 2025-11-26T12:05)"), [3, 5]);
    assert_eq!(rows(&t, "start = 2025-11-26T11:00:00+01:00"), [0, 4, 6]);
    assert!(error("start > yesterday")
        .to_string()
        .contains("is not a time"));
}

#[test]
fn duration_pseudo_field() {
    let t = table();
    assert_eq!(rows(&t, "duration = 0"), [6]);
    assert_eq!(rows(&t, "duration >= 10m"), [3, 4]);
    assert_eq!(rows(&t, "duration > 60"), [3, 4, 8]);
    assert_eq!(rows(&t, "duration in 1m..2m"), [0, 1, 2, 5, 7, 8]);
    assert!(error("duration > soon")
        .to_string()
        .contains("not a duration"));
}

#[test]
fn boolean_logic_and_precedence() {
    let t = table();
    assert_eq!(rows(&t, "dstport = 22 and action = reject"), [1]);
    assert_eq!(rows(&t, "dstport = 22 && action = reject"), [1]);
    assert_eq!(rows(&t, "dstport = 53 or dstport = 443"), [2, 3]);
    assert_eq!(rows(&t, "dstport = 53 || dstport = 443"), [2, 3]);
    // and binds tighter than or
    assert_eq!(
        rows(&t, "dstport = 53 or dstport = 22 and action = reject"),
        [1, 2]
    );
    assert_eq!(
        rows(&t, "(dstport = 53 or dstport = 22) and action = accept"),
        [0, 2]
    );
    // not binds tighter than and
    assert_eq!(rows(&t, "not dstport = 22 and protocol = tcp"), [3, 5]);
    assert_eq!(
        rows(&t, "!(dstport = 22 or protocol = tcp)"),
        [2, 4, 6, 7, 8]
    );
    assert_eq!(rows(&t, "NOT NOT dstport = 22"), [0, 1]);
    assert_eq!(
        rows(&t, "dstport = 22 AND srcport = 44308 OR vpc-id = vpc-2"),
        [0, 5, 6, 7, 8]
    );
}

#[test]
fn bare_words_search_text_fields() {
    let t = table();
    assert_eq!(rows(&t, "eni-bbb"), [2, 3]);
    assert_eq!(rows(&t, "ENI-BBB"), [2, 3]);
    assert_eq!(rows(&t, "203.0.113"), [1]);
    assert_eq!(rows(&t, "\"subnet-4\""), [7, 8]);
    assert_eq!(rows(&t, "reject"), [1, 6]);
    assert_eq!(rows(&t, "2001:db8"), [5]);
    assert_eq!(rows(&t, "eni-aaa or eni-ddd"), [0, 1, 7, 8]);
    assert_eq!(rows(&t, "eni-aaa and dstport = 22"), [0, 1]);
    // a field name alone is a missing operator, not a search
    let e = error("srcaddr 10.0.0.1");
    assert!(
        e.to_string()
            .starts_with("expected an operator after 'srcaddr'"),
        "{}",
        e.to_string()
    );
}

#[test]
fn errors_name_the_position_and_suggest() {
    let e = error("dstprt = 22");
    assert_eq!(
        e.to_string(),
        "unknown field 'dstprt' at 1:1 — did you mean 'dstport'?"
    );
    assert_eq!((e.start, e.end), (0, 6));
    let e = error("action = reject and  srcadr in 10.0.0.0/8");
    assert_eq!(
        e.to_string(),
        "unknown field 'srcadr' at 1:22 — did you mean 'srcaddr'?"
    );
    assert_eq!((e.start, e.end), (21, 27));
    let e = error("dstport = 22\nand flowdir = x");
    assert!(
        e.to_string().starts_with("unknown field 'flowdir' at 2:5"),
        "{}",
        e.to_string()
    );
    let e = error("blargh = 1");
    assert_eq!(e.to_string(), "unknown field 'blargh' at 1:1");
    let e = error("dstport =");
    assert_eq!(e.to_string(), "expected a value, found the end at 1:10");
    let e = error("(dstport = 22");
    assert!(e.to_string().starts_with("unclosed '('"), "{e}");
    assert_eq!(e.start, 0);
    let e = error("dstport = 22)");
    assert_eq!(e.to_string(), "unmatched ')' at 1:13");
    let e = error("dstport = 22 dstport = 23");
    assert!(
        e.to_string().starts_with("expected 'and', 'or' or the end"),
        "{}",
        e.to_string()
    );
    let e = error("interface-id = 'eni");
    assert_eq!(e.to_string(), "unterminated string at 1:16");
    let e = error("and");
    assert!(e.to_string().contains("keyword 'and'"));
    let e = error("dstport = 22 and");
    assert_eq!(e.to_string(), "expected a condition, found the end at 1:17");
    let e = error("vpc-id = -");
    assert!(e.to_string().contains("not vpc-id exists"));
}

#[test]
fn caret_rendering() {
    let text = "action = reject and dstprt = 22";
    let e = error(text);
    assert_eq!(
        caret_lines(text, &e),
        "action = reject and dstprt = 22\n                    ^^^^^^"
    );
}

#[test]
fn sort_orders_rows_stably_nulls_last() {
    let t = table();
    let mut r: Vec<u32> = (0..9).collect();
    sort_rows(&t, &mut r, &parse_sort("bytes:desc").unwrap());
    assert_eq!(r, [3, 5, 0, 7, 6, 8, 2, 1, 4]);
    let mut r: Vec<u32> = (0..9).collect();
    sort_rows(&t, &mut r, &parse_sort("bytes").unwrap());
    assert_eq!(r, [1, 2, 8, 6, 7, 0, 5, 3, 4]);
    // stable: equal starts keep their order; then by interface descending first
    let mut r: Vec<u32> = (0..9).collect();
    sort_rows(&t, &mut r, &parse_sort("interface-id:desc,start").unwrap());
    assert_eq!(r, [7, 8, 4, 6, 5, 2, 3, 0, 1]);
    let mut r: Vec<u32> = (0..9).collect();
    sort_rows(&t, &mut r, &parse_sort("srcaddr").unwrap());
    assert_eq!(r, [0, 2, 3, 8, 6, 7, 1, 5, 4]);
    let mut r: Vec<u32> = (0..9).collect();
    sort_rows(&t, &mut r, &parse_sort("duration:desc").unwrap());
    assert_eq!(r, [3, 4, 8, 0, 1, 2, 5, 7, 6]);
    // a field the data lacks leaves the order as it was
    let mut r: Vec<u32> = vec![5, 1, 3];
    sort_rows(&t, &mut r, &parse_sort("ecs-task-id").unwrap());
    assert_eq!(r, [5, 1, 3]);
}

#[test]
fn top_groups() {
    let t = table();
    let all: Vec<u32> = (0..9).collect();
    let g = top(&t, &all, &[Field::InterfaceId], Measure::Count, 2, None);
    assert_eq!(g.len(), 2);
    assert_eq!(g[0].keys, ["eni-ccc"]);
    assert_eq!(g[0].count, 3);
    assert_eq!(g[0].bytes, 12_336);
    assert_eq!(g[0].first, Some(1764151200));
    assert_eq!(g[0].last, Some(1764237660));
    assert_eq!(g[1].keys, ["eni-aaa"]); // ties by count: key order
    let g = top(
        &t,
        &all,
        &[Field::InterfaceId],
        Measure::Bytes,
        1,
        Some(Field::DstAddr),
    );
    assert_eq!(g[0].keys, ["eni-bbb"]);
    assert_eq!(g[0].bytes, 2_500_150);
    assert_eq!(g[0].packets, 2002);
    assert_eq!(g[0].distinct, Some(2));
    let g = top(
        &t,
        &all,
        &[Field::SrcAddr, Field::DstPort],
        Measure::Count,
        0,
        None,
    );
    assert_eq!(g.len(), 9);
    assert_eq!(g[0].keys, ["-", "-"]); // all counts 1: key order
    let nodata = g.iter().find(|g| g.keys == ["-", "-"]).unwrap();
    assert_eq!(nodata.count, 1);
    let g = top(
        &t,
        &all,
        &[Field::Protocol],
        Measure::Distinct(Field::SrcAddr),
        0,
        None,
    );
    assert_eq!(g[0].keys, ["TCP"]);
    assert_eq!(g[0].distinct, Some(4));
    // over a filter
    let rej = Filter::parse("action = reject").unwrap().select(&t);
    let g = top(&t, &rej, &[Field::Action], Measure::Packets, 10, None);
    assert_eq!(g.len(), 1);
    assert_eq!((g[0].count, g[0].packets), (2, 5));
}

/// A facet never ranks the rows with no value among the values: they come apart, as
/// the "(no value)" entry, and `not field exists` selects exactly them.
#[test]
fn facets_keep_missing_values_apart() {
    let t = table();
    let all: Vec<u32> = (0..9).collect();
    // action: ACCEPT 6, REJECT 2, and the NODATA record's `-`
    let f = facet(&t, &all, Field::Action, Measure::Count, 6);
    let keys: Vec<&str> = f.values.iter().map(|g| g.keys[0].as_str()).collect();
    assert_eq!(keys, ["ACCEPT", "REJECT"]);
    assert_eq!(f.values[0].count, 6);
    let missing = f.missing.expect("the NODATA record has no action");
    assert_eq!((missing.count, missing.keys[0].as_str()), (1, "-"));
    assert_eq!(
        rows(&t, "not action exists"),
        vec![missing.row],
        "(no value) filters as not action exists"
    );
    // with a limit, `-` takes no value's place: srcaddr's `-` would tie first by key order
    let f = facet(&t, &all, Field::SrcAddr, Measure::Count, 2);
    assert_eq!(f.values.len(), 2);
    assert!(f.values.iter().all(|g| g.keys[0] != "-"), "{:?}", f.values);
    assert_eq!(f.values[0].keys, ["10.0.3.3"]);
    assert_eq!(f.missing.map(|g| g.count), Some(1));
    // every row has a value: no missing entry; ranked as top ranks them
    let f = facet(&t, &all, Field::InterfaceId, Measure::Bytes, 0);
    assert!(f.missing.is_none());
    assert_eq!(
        f.values,
        top(&t, &all, &[Field::InterfaceId], Measure::Bytes, 0, None)
    );
    // a field no input has: every row is missing, no values
    let f = facet(&t, &all, Field::TgwId, Measure::Count, 6);
    assert!(f.values.is_empty());
    assert_eq!(f.missing.map(|g| g.count), Some(9));
}

#[test]
fn histograms() {
    let t = table();
    let all: Vec<u32> = (0..9).collect();
    let h = histogram(&t, &all, Some(3600), 0);
    assert_eq!(h.bucket_secs, 3600);
    assert_eq!(h.start, 1764151200);
    assert_eq!(h.records.len(), 25);
    assert_eq!(h.records[0], 7);
    assert_eq!(h.records[2], 1);
    assert_eq!(h.records[24], 1);
    assert_eq!(h.rejects[0], 2);
    assert_eq!(h.bytes[2], 2_500_000);
    assert_eq!(h.records.iter().sum::<u64>(), 9);
    // automatic: span of 24 h into at most 30 buckets: 1 h
    let h = histogram(&t, &all, None, 30);
    assert_eq!(h.bucket_secs, 3600);
    let h = histogram(&t, &all, None, 10);
    assert_eq!(h.bucket_secs, 10_800);
    assert_eq!(h.start % 10_800, 0);
    // Past a day the size doubles until the target holds: two days here (the span
    // crosses a day boundary), aligned to multiples of the size.
    let h = histogram(&t, &all, None, 1);
    assert_eq!(h.bucket_secs, 172_800);
    assert_eq!(h.records.len(), 1);
    assert_eq!(h.start % 172_800, 0);
    let few: Vec<u32> = vec![0, 1];
    let h = histogram(&t, &few, None, 100);
    assert_eq!(h.bucket_secs, 1);
    assert_eq!(h.records.len(), 31);
    let h = histogram(&t, &[], None, 100);
    assert!(h.records.is_empty());
}

/// A Logs Insights export of some fields has `@timestamp` and no `start`: the histogram
/// buckets by the event time (in seconds) and says so, and the time window selects on it.
#[test]
fn a_table_without_start_charts_and_windows_by_its_event_time() {
    let text = "\
@timestamp,srcAddr,dstAddr,action,bytes
2025-11-26 00:01:00.000,10.0.1.5,10.0.2.9,ACCEPT,100
2025-11-26 00:01:01.999,10.0.1.6,10.0.2.9,REJECT,200
2025-11-26 00:04:59.500,10.0.1.7,10.0.2.9,ACCEPT,300
2025-11-26 00:05:00.000,10.0.1.8,10.0.2.9,ACCEPT,400
";
    let t = decode_bytes(text.as_bytes(), DecodeOptions::default());
    assert_eq!(t.len(), 4, "{:?}", t.errors());
    assert_eq!(time_field(|f| t.column(f).is_some()), Field::EventTimestamp);
    let all: Vec<u32> = (0..4).collect();
    let h = histogram(&t, &all, Some(60), 0);
    assert_eq!(h.field, "@timestamp");
    assert_eq!(h.start, 1_764_115_260);
    assert_eq!(h.records, [2, 0, 0, 1, 1]);
    assert_eq!(h.rejects, [1, 0, 0, 0, 0]);
    assert_eq!(h.bytes, [300, 0, 0, 300, 400]);
    // [00:01:01, 00:05:00): the second and third rows, by their milliseconds
    let w = TimeWindow {
        from: 1_764_115_261,
        to: 1_764_115_500,
    };
    let f = Filter::all().within(w, Field::EventTimestamp);
    assert_eq!(f.select(&t), [1, 2]);
    let spliced =
        Filter::parse("@timestamp >= 2025-11-26T00:01:01Z and @timestamp < 2025-11-26T00:05:00Z")
            .unwrap();
    assert_eq!(spliced.select(&t), [1, 2]);
    // a table with start keeps start
    assert_eq!(histogram(&table(), &[0], None, 10).field, "start");
}

fn athena(f: &str, s: &str) -> String {
    to_athena(
        &Filter::parse(f).unwrap(),
        &parse_sort(s).unwrap(),
        "vpc_flow_logs",
        &[],
    )
    .unwrap()
}

fn insights(f: &str, s: &str) -> String {
    to_insights(
        &Filter::parse(f).unwrap(),
        &parse_sort(s).unwrap(),
        DEFAULT_FORMAT,
    )
    .unwrap()
}

const W: &str = "SELECT *\nFROM vpc_flow_logs\nWHERE ";

#[test]
fn athena_golden() {
    assert_eq!(athena("", ""), "SELECT *\nFROM vpc_flow_logs");
    assert_eq!(
        athena("dstport = 22 and action = reject", "bytes:desc,start"),
        format!("{W}dstport = 22 AND action = 'REJECT'\nORDER BY bytes DESC NULLS LAST, start ASC NULLS LAST")
    );
    let v4 = |c: &str, cidr: &str| {
        format!("CASE WHEN strpos(CAST(TRY_CAST({c} AS IPADDRESS) AS VARCHAR), ':') = 0 THEN contains('{cidr}', TRY_CAST({c} AS IPADDRESS)) ELSE FALSE END")
    };
    assert_eq!(
        athena("srcaddr in 10.0.0.0/8 or dstaddr = 10.1.2.3", ""),
        format!(
            "{W}{} OR TRY_CAST(dstaddr AS IPADDRESS) = IPADDRESS '10.1.2.3'",
            v4("srcaddr", "10.0.0.0/8")
        )
    );
    // every leaf under NOT is two-valued
    assert_eq!(
        athena("not port = 22", ""),
        format!("{W}NOT (coalesce(srcport = 22, false) OR coalesce(dstport = 22, false))")
    );
    assert_eq!(
        athena("not sublocation-type = outpost", ""),
        format!("{W}NOT coalesce(sublocation_type = 'outpost', false)")
    );
    assert_eq!(
        athena("dstport in (22, 80, 1024..65535) and protocol = tcp", ""),
        format!("{W}(dstport IN (22, 80) OR dstport BETWEEN 1024 AND 65535) AND protocol = 6")
    );
    assert_eq!(
        athena("time = 2025-11-26 and end > 1764151200", "duration:desc"),
        format!("{W}(start <= 1764201599 AND \"end\" >= 1764115200) AND \"end\" > 1764151200\nORDER BY greatest(\"end\" - start, 0) DESC NULLS LAST")
    );
    assert_eq!(
        athena("vpc-id != vpc-1 and interface-id ~ \"it's\" and tcp-flags has SYN", ""),
        format!("{W}(vpc_id <> 'vpc-1' AND vpc_id <> '-') AND strpos(lower(interface_id), 'it''s') > 0 AND bitwise_and(tcp_flags, 2) = 2")
    );
    // an IPv6 network is tested only on IPv6 values (Trino before #18997 raises otherwise)
    assert_eq!(
        athena("dstaddr in 2600:1f18::/32 and instance-id exists and packets exists", ""),
        format!("{W}CASE WHEN strpos(CAST(TRY_CAST(dstaddr AS IPADDRESS) AS VARCHAR), ':') > 0 THEN contains('2600:1f18::/32', TRY_CAST(dstaddr AS IPADDRESS)) ELSE FALSE END AND instance_id <> '-' AND packets IS NOT NULL")
    );
    assert_eq!(
        athena("srcaddr in (10.0.0.0/8, 2600::/16, 10.9.9.9)", ""),
        format!("{W}(TRY_CAST(srcaddr AS IPADDRESS) = IPADDRESS '10.9.9.9' OR CASE WHEN strpos(CAST(TRY_CAST(srcaddr AS IPADDRESS) AS VARCHAR), ':') = 0 THEN contains('10.0.0.0/8', TRY_CAST(srcaddr AS IPADDRESS)) WHEN strpos(CAST(TRY_CAST(srcaddr AS IPADDRESS) AS VARCHAR), ':') > 0 THEN contains('2600::/16', TRY_CAST(srcaddr AS IPADDRESS)) ELSE FALSE END)")
    );
    assert_eq!(
        athena("srcaddr != 10.0.0.1", ""),
        format!(
            "{W}(srcaddr <> '-' AND NOT (TRY_CAST(srcaddr AS IPADDRESS) = IPADDRESS '10.0.0.1'))"
        )
    );
    // IPv4-mapped literals are their IPv4 address / network
    assert_eq!(
        athena("srcaddr = ::ffff:10.0.35.131", ""),
        format!("{W}TRY_CAST(srcaddr AS IPADDRESS) = IPADDRESS '10.0.35.131'")
    );
    assert_eq!(
        athena("srcaddr in ::ffff:0:0/96", ""),
        format!("{W}{}", v4("srcaddr", "0.0.0.0/0"))
    );
    // literals beyond BIGINT are clamped
    assert_eq!(
        athena("bytes < 10000000000000000000", ""),
        format!("{W}bytes >= 0")
    );
    assert_eq!(
        athena("bytes > 10000000000000000000", ""),
        format!("{W}FALSE")
    );
    assert_eq!(
        athena(
            "bytes in (5, 18446744073709551615, 9223372036854775806..)",
            ""
        ),
        format!("{W}(bytes = 5 OR bytes >= 9223372036854775806)")
    );
    assert_eq!(
        athena("bytes != 18446744073709551615", ""),
        format!("{W}bytes >= 0")
    );
    let search = athena("eni-0a", "");
    assert!(search.starts_with(&format!("{W}(strpos(lower(account_id), 'eni-0a') > 0 OR strpos(lower(interface_id), 'eni-0a') > 0 OR ")));
    assert!(search.contains("strpos(lower(flow_direction), 'eni-0a') > 0)"));
    assert_eq!(
        to_athena(&Filter::all(), &[], "my db.flows", &[]).unwrap(),
        "SELECT *\nFROM \"my db.flows\""
    );
}

#[test]
fn athena_over_the_data_fields() {
    // a bare word searches every text column of the table made for the data
    let fields = crate::fields::all_vpc_fields_up_to(7);
    let f = Filter::parse("prod-cluster").unwrap();
    let q = to_athena(&f, &[], "t", &fields).unwrap();
    assert!(
        q.contains("strpos(lower(ecs_cluster_name), 'prod-cluster') > 0"),
        "{q}"
    );
    assert!(
        q.contains("strpos(lower(ecs_task_id), 'prod-cluster') > 0"),
        "{q}"
    );
    let f = Filter::parse("ecs-cluster-name = prod").unwrap();
    assert!(to_athena(&f, &[], "t", &fields).is_ok());
    // the default format's table has no vpc_id
    let f = Filter::parse("vpc-id = vpc-1").unwrap();
    let e = to_athena(&f, &[], "t", DEFAULT_FORMAT).unwrap_err();
    assert!(e.contains("not one of the data's fields"), "{e}");
    let q = to_athena(&Filter::parse("reject").unwrap(), &[], "t", DEFAULT_FORMAT).unwrap();
    assert!(!q.contains("vpc_id"), "{q}");
}

#[test]
fn athena_refuses_what_it_cannot_express() {
    let f = Filter::parse("ecs-cluster-name = prod").unwrap();
    let e = to_athena(&f, &[], "t", &[]).unwrap_err();
    assert!(e.contains("'ecs-cluster-name' is not a column"), "{e}");
    assert!(e.contains("--emit athena-table"), "{e}");
    let f = Filter::parse("@timestamp > 2025-11-26").unwrap();
    let e = to_athena(&f, &[], "t", &[]).unwrap_err();
    assert!(e.contains("CloudWatch Logs event field"), "{e}");
    let s = parse_sort("tgw-id").unwrap();
    assert!(to_athena(&Filter::all(), &s, "t", &[]).is_err());
}

#[test]
fn mapped_ipv6_is_its_ipv4_address_locally() {
    let t = decode_bytes(
        b"version srcaddr dstaddr\n2 10.0.35.131 10.0.0.1\n2 ::ffff:10.0.35.131 2600::1\n2 2600::2 ::ffff:0.0.0.1\n",
        DecodeOptions::default(),
    );
    assert_eq!(t.len(), 3, "{:?}", t.errors());
    assert_eq!(rows(&t, "srcaddr = ::ffff:10.0.35.131"), vec![0, 1]);
    assert_eq!(rows(&t, "srcaddr = 10.0.35.131"), vec![0, 1]);
    assert_eq!(rows(&t, "srcaddr in ::ffff:10.0.0.0/104"), vec![0, 1]);
    assert_eq!(rows(&t, "srcaddr in ::ffff:0:0/96"), vec![0, 1]);
    assert_eq!(rows(&t, "srcaddr in ::/0"), vec![2]);
    assert_eq!(rows(&t, "dstaddr in 0.0.0.0/0"), vec![0, 2]);
    assert_eq!(rows(&t, "dstaddr in ::/0"), vec![1]);
    assert_eq!(rows(&t, "srcaddr != 10.0.35.131"), vec![2]);
}

/// What Logs Insights discovers for default-format VPC flow logs (AWS, "Supported logs
/// and discovered fields"), plus the fields every log event has.
const DISCOVERED: &[&str] = &[
    "@timestamp",
    "@logStream",
    "@message",
    "@log",
    "@ingestionTime",
    "accountId",
    "action",
    "bytes",
    "dstAddr",
    "dstPort",
    "endTime",
    "interfaceId",
    "logStatus",
    "packets",
    "protocol",
    "srcAddr",
    "srcPort",
    "startTime",
    "version",
];

/// The field names a Logs Insights query uses: identifiers outside strings and regexes
/// that are not commands, keywords, functions (followed by `(`) or `as` aliases.
fn insights_names(q: &str) -> (Vec<String>, Vec<String>) {
    const WORDS: &[&str] = &[
        "fields", "filter", "sort", "parse", "limit", "as", "and", "or", "not", "in", "like",
        "asc", "desc",
    ];
    let mut used = Vec::new();
    let mut defined = Vec::new();
    for (n, line) in q.split("\n| ").enumerate() {
        let cmd = line.split(' ').next().unwrap();
        assert!(
            ["fields", "filter", "sort", "parse", "limit"].contains(&cmd),
            "line {n}: unknown command {cmd:?} in {q}"
        );
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        let mut prev = String::new();
        while i < chars.len() {
            let c = chars[i];
            if c == '"' || (c == '/' && prev == "like") {
                let close = c;
                i += 1;
                while i < chars.len() && chars[i] != close {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                prev = String::new();
                continue;
            }
            if c.is_ascii_alphabetic() || c == '@' {
                let s = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '@') {
                    i += 1;
                }
                let w: String = chars[s..i].iter().collect();
                let call = chars.get(i) == Some(&'(');
                if s == 0 {
                    // the command
                } else if cmd == "parse" && w != "as" && !call {
                    if defined.is_empty() && !line[..s].contains(" as ") {
                        // `@message` before the pattern
                        used.push(w.clone());
                    } else {
                        defined.push(w.clone());
                    }
                } else if prev == "as" {
                    defined.push(w.clone());
                } else if !call && !WORDS.contains(&w.as_str()) {
                    used.push(w.clone());
                }
                prev = w;
                continue;
            }
            if !c.is_whitespace() {
                prev = c.to_string();
            }
            i += 1;
        }
    }
    (used, defined)
}

/// Every field the query names is discovered for the default format or defined by its
/// `parse` clause (or an `as` alias).
fn lint_insights(q: &str, default: bool) {
    let (used, defined) = insights_names(q);
    for u in &used {
        let known = (default && DISCOVERED.contains(&u.as_str()))
            || ["@timestamp", "@message", "@logStream"].contains(&u.as_str())
            || defined.contains(u);
        assert!(
            known,
            "'{u}' is neither discovered nor defined by the query:\n{q}"
        );
    }
    if !default {
        assert!(q.starts_with("parse @message \""), "{q}");
    }
    assert!(q.ends_with(&format!("| limit {INSIGHTS_LIMIT}")), "{q}");
}

#[test]
fn insights_golden_default_format() {
    let fields = "fields @timestamp, version, accountId, interfaceId, srcAddr, dstAddr, srcPort, dstPort, protocol, packets, bytes, startTime, endTime, action, logStatus";
    let lim = "\n| limit 10000";
    assert_eq!(insights("", ""), format!("{fields}{lim}"));
    assert_eq!(
        insights("dstport = 22 and action = reject", "bytes:desc,start"),
        format!(
            "{fields}\n| filter dstPort = 22 and action = \"REJECT\"\n| sort bytes desc, startTime asc{lim}"
        )
    );
    assert_eq!(
        insights("srcaddr in 10.0.0.0/8 or dstaddr in 2600:1f18::/32 or addr = 10.1.2.3", ""),
        format!("{fields}\n| filter isIpv4InSubnet(srcAddr, \"10.0.0.0/8\") or isIpv6InSubnet(dstAddr, \"2600:1f18::/32\") or (srcAddr = \"10.1.2.3\" or dstAddr = \"10.1.2.3\"){lim}")
    );
    assert_eq!(
        insights("not (dstport in (22, 80) or interface-id ~ eni.0)", ""),
        format!(
            "{fields}\n| filter not (dstPort in [22, 80] or interfaceId like /(?i)eni\\.0/){lim}"
        )
    );
    assert_eq!(
        insights("log-status != ok and bytes in 1KB..2KB", "duration:desc"),
        format!("{fields}, greatest(endTime - startTime, 0) as duration\n| filter (logStatus != \"OK\" and logStatus != \"-\") and (bytes != \"-\" and (bytes >= 1000 and bytes <= 2000))\n| sort duration desc{lim}")
    );
    // NODATA rows hold `-` in numeric fields: negations and ranges are guarded
    assert_eq!(
        insights("dstport != 22 and srcport < 1024", ""),
        format!("{fields}\n| filter (dstPort != \"-\" and dstPort != 22) and (srcPort != \"-\" and srcPort < 1024){lim}")
    );
    // time, start, end and duration use the discovered startTime / endTime
    assert_eq!(
        insights("time >= 2025-11-26T10:00:00Z and duration > 5m", "end:desc"),
        format!("{fields}\n| filter (endTime != \"-\" and endTime >= 1764151200) and (startTime != \"-\" and endTime != \"-\" and greatest(endTime - startTime, 0) > 300)\n| sort endTime desc{lim}")
    );
    // @timestamp compares as epoch milliseconds
    assert_eq!(
        insights("@timestamp >= 2025-11-26T10:00:00Z", "@timestamp:desc"),
        format!(
            "{fields}\n| filter toMillis(@timestamp) >= 1764151200000\n| sort @timestamp desc{lim}"
        )
    );
    assert_eq!(
        insights("reject", ""),
        format!("{fields}\n| filter (accountId like /(?i)reject/ or interfaceId like /(?i)reject/ or srcAddr like /(?i)reject/ or dstAddr like /(?i)reject/ or action like /(?i)reject/ or logStatus like /(?i)reject/){lim}")
    );
    // string values: quotes, backslashes, newlines escaped; regex metacharacters too
    assert_eq!(
        insights("interface-id = \"a\\\"b\\\\c\nd\" or interface-id ~ \"x/y\ty\"", ""),
        format!("{fields}\n| filter interfaceId = \"a\\\"b\\\\c\\nd\" or interfaceId like /(?i)x\\/y\\x09y/{lim}")
    );
    let f = Filter::parse("interface-id = \"a\u{7}b\"").unwrap();
    assert!(to_insights(&f, &[], DEFAULT_FORMAT)
        .unwrap_err()
        .contains("control character"));
    // not in the default format
    let f = Filter::parse("vpc-id = vpc-1").unwrap();
    let e = to_insights(&f, &[], DEFAULT_FORMAT).unwrap_err();
    assert!(e.contains("'vpc-id' is not in the data's format"), "{e}");
}

#[test]
fn insights_golden_custom_format() {
    let f = Filter::parse("tcp-flags has SYN-ACK and vpc-id = vpc-1 and flow-direction = ingress")
        .unwrap();
    let q = to_insights(&f, &parse_sort("pkt-srcaddr").unwrap(), ALL_V5).unwrap();
    let names = "version, accountId, interfaceId, srcAddr, dstAddr, srcPort, dstPort, protocol, packets, bytes, startTime, endTime, action, logStatus, vpcId, subnetId, instanceId, tcpFlags, type, pktSrcaddr, pktDstaddr, region, azId, sublocationType, sublocationId, pktSrcAwsService, pktDstAwsService, flowDirection, trafficPath";
    let stars = vec!["*"; 29].join(" ");
    assert_eq!(
        q,
        format!("parse @message \"{stars}\" as {names}\n| fields @timestamp, {names}\n| filter (tcpFlags != \"-\" and (floor(tcpFlags / 2) % 2 = 1 and floor(tcpFlags / 16) % 2 = 1)) and vpcId = \"vpc-1\" and flowDirection = \"ingress\"\n| sort pktSrcaddr asc\n| limit 10000")
    );
    lint_insights(&q, false);
}

/// Every filter form of the README, translated for the default format and for custom
/// formats, names only fields Insights discovers or the query's `parse` defines.
#[test]
fn insights_queries_name_only_existing_fields() {
    let forms = [
        "dstport = 22 and action = reject",
        "srcaddr in 10.0.0.0/8 and not dstaddr in 10.0.0.0/8",
        "dstaddr in 2600:1f18::/32",
        "dstport in (22, 3389) or port in 1024..65535",
        "interface-id ~ 0a1b",
        "bytes > 1.5MB and protocol = tcp",
        "time >= 2025-11-26T10:00:00Z and time <= 2025-11-26T10:15:00Z",
        "time = 2025-11-26",
        "time != 2025-11-26T10:00",
        "duration > 5m",
        "duration in (1m..10m)",
        "log-status = nodata",
        "eni-0a1b2c3d",
        "not port exists",
        "time exists",
        "addr != 10.0.0.1",
        "start >= 1764151200 or end < 1764151200",
        "@timestamp > 2025-11-26 and @logStream ~ eni",
        "srcaddr = ::ffff:10.0.0.1 or srcaddr in ::ffff:0:0/96",
    ];
    let sorts = [
        "",
        "bytes:desc,start",
        "duration:desc",
        "end,time",
        "@timestamp",
    ];
    let custom: Vec<Field> = DEFAULT_FORMAT
        .iter()
        .copied()
        .chain([Field::VpcId, Field::TcpFlags, Field::FlowDirection])
        .collect();
    let mut checked = 0;
    for f in forms {
        for s in sorts {
            let (filter, sort) = (Filter::parse(f).unwrap(), parse_sort(s).unwrap());
            let q = to_insights(&filter, &sort, DEFAULT_FORMAT).unwrap();
            lint_insights(&q, true);
            let q = to_insights(&filter, &sort, &custom).unwrap();
            lint_insights(&q, false);
            checked += 2;
        }
    }
    assert_eq!(checked, forms.len() * sorts.len() * 2);
    let f = Filter::parse("tcp-flags has SYN and vpc-id ~ vpc").unwrap();
    lint_insights(&to_insights(&f, &[], ALL_V5).unwrap(), false);
    let all = crate::fields::all_vpc_fields_up_to(11);
    lint_insights(
        &to_insights(&Filter::parse("prod").unwrap(), &[], &all).unwrap(),
        false,
    );
}

#[test]
fn the_lint_catches_undiscovered_names() {
    let bad = "fields @timestamp, start\n| filter end > 5\n| limit 10000";
    let r = std::panic::catch_unwind(|| lint_insights(bad, true));
    assert!(r.is_err());
    let (used, defined) =
        insights_names("parse @message \"* *\" as a, b\n| fields @timestamp, a, b\n| filter isIpv4InSubnet(a, \"x\") and b like /z(q)/\n| limit 10000");
    assert_eq!(used, vec!["@message", "@timestamp", "a", "b", "a", "b"]);
    assert_eq!(defined, vec!["a", "b"]);
}

#[test]
fn a_time_window_is_the_spliced_clause() {
    let w = TimeWindow {
        from: 1_764_115_200,
        to: 1_764_115_500,
    };
    let clause = "start >= 2025-11-26T00:00:00Z and start < 2025-11-26T00:05:00Z";
    assert_eq!(
        Filter::all().within(w, Field::Start),
        Filter::parse(clause).unwrap()
    );
    assert_eq!(
        Filter::parse("dstport = 22 or action = reject")
            .unwrap()
            .within(w, Field::Start),
        Filter::parse(&format!("(dstport = 22 or action = reject) and {clause}")).unwrap()
    );
}

#[test]
fn query_errors_say_where_in_utf16() {
    let text = "é = 1";
    let e = Filter::parse(text).unwrap_err();
    assert_eq!(e.kind, QueryErrorKind::Filter);
    assert_eq!((e.start, e.end), (0, 2));
    assert_eq!(e.utf16_span(text), (0, 1));
    assert_eq!(e.to_string(), format!("{} at 1:1", e.without_position()));
    let e = crate::query::parse_sort("bytes,dstprt").unwrap_err();
    assert_eq!(e.kind, QueryErrorKind::Sort);
    assert_eq!(
        e.without_position(),
        "unknown field 'dstprt' — did you mean 'dstport'?"
    );
}

#[test]
fn extra_columns_translate_under_their_header_names() {
    // a header with two names the catalogue does not know: kept as text columns
    let text = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-window select\n\
2 123456789012 eni-aaa 10.0.1.5 10.0.2.9 44308 22 6 10 1500 1764151200 1764151260 ACCEPT OK 42 x\n";
    let t = decode_bytes(text.as_bytes(), DecodeOptions::default());
    assert_eq!(t.len(), 1, "{:?}", t.errors());
    let extras = t.extra_names().to_vec();
    assert_eq!(extras, ["tcp-window", "select"]);
    let f = Filter::parse_with("tcp-window = 42 and select = x", &extras).unwrap();
    let s = parse_sort_with("tcp-window:desc", &extras).unwrap();
    let sql = translate_named(Target::Athena, &f, &s, &t.fields(), &extras, "flows").unwrap();
    assert!(sql.contains("\"tcp_window\" = '42'"), "{sql}");
    assert!(sql.contains("\"select\" = 'x'"), "{sql}");
    assert!(sql.ends_with("ORDER BY \"tcp_window\" DESC"), "{sql}");
    // the table the DDL makes has those columns, quoted for Hive DDL
    let ddl = create_table_for(&t, "flows", None, &Layout::Flat, "s3://b/p/", &[]).unwrap();
    assert!(
        ddl.contains("  `tcp_window` string,\n  `select` string\n"),
        "{ddl}"
    );
    let q = translate_named(Target::Insights, &f, &s, &t.fields(), &extras, "").unwrap();
    assert!(q.contains(", logStatus, tcpWindow, select\n"), "{q}");
    assert!(
        q.contains("filter tcpWindow = \"42\" and select = \"x\""),
        "{q}"
    );
    assert!(q.contains("sort tcpWindow desc"), "{q}");
    // without the names, an extra column cannot be named: an error says which
    let e = translate(Target::Athena, &f, &s, &t.fields(), "flows").unwrap_err();
    assert!(e.contains("'extra-1'"), "{e}");
    // a header name Insights cannot take as a field is refused, naming it
    let e = translate_named(
        Target::Insights,
        &f,
        &s,
        &t.fields(),
        &["tcp window".to_string(), "select".to_string()],
        "",
    )
    .unwrap_err();
    assert!(e.contains("'tcp window'"), "{e}");
}
