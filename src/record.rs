//! Decoding one record line against a binding: split on runs of spaces or tabs, type
//! every value, and only then append the row, so a bad value leaves the table untouched
//! and becomes an error that names the field, what was expected and what was found.

use crate::container::Message;
use crate::fields::{Field, Kind};
use crate::line_error::{LineError, ValueProblem};
use crate::table::Table;
use std::net::Ipv6Addr;

/// Splits `line` on runs of spaces and tabs into `(start, end)` spans. Returns whether the
/// separators are canonical (single spaces, nothing before or after).
///
/// Separators are found eight bytes at a time (SWAR), which is portable to wasm and about
/// three times faster than a byte loop on flow log lines.
#[inline]
pub fn split_fields(line: &[u8], spans: &mut Vec<(u32, u32)>) -> bool {
    spans.clear();
    let n = line.len();
    // leading, doubled or trailing separators, or any tab, make the line non-canonical
    let mut odd = false;
    let mut start = 0usize; // start of the current token
    let mut i = 0;
    while i + 8 <= n {
        let w = u64::from_le_bytes(line[i..i + 8].try_into().unwrap_or([0; 8]));
        let tabs = zero_bytes(w ^ 0x0909_0909_0909_0909);
        let mut seps = zero_bytes(w ^ 0x2020_2020_2020_2020) | tabs;
        odd |= tabs != 0;
        while seps != 0 {
            let pos = i + (seps.trailing_zeros() / 8) as usize;
            if pos > start {
                spans.push((start as u32, pos as u32));
            } else {
                odd = true;
            }
            start = pos + 1;
            seps &= seps - 1;
        }
        i += 8;
    }
    while i < n {
        let c = line[i];
        if c == b' ' || c == b'\t' {
            odd |= c == b'\t';
            if i > start {
                spans.push((start as u32, i as u32));
            } else {
                odd = true;
            }
            start = i + 1;
        }
        i += 1;
    }
    if n > start {
        spans.push((start as u32, n as u32));
    } else if n > 0 {
        odd = true; // trailing separator
    }
    !odd
}

/// The high bit of every zero byte of `x`, exactly (no false positives from borrows).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LO7).wrapping_add(LO7)) | x | LO7)
}

/// The earliest `start`/`end` accepted: 1973-03-03T09:46:40Z, the first 9-digit unix
/// time. Flow logs began in 2015, but redacted and synthetic examples carry 9-digit
/// times and they still bind their layout (issue 7), so only smaller values are damage.
pub const TIME_MIN: u64 = 100_000_000;
/// The latest `start`/`end` accepted: 2100-01-01T00:00:00Z. Outside this range a value
/// is not a time but damage (a 17-digit number would blank every time view), so the
/// line is a bad line that says so.
pub const TIME_MAX: u64 = 4_102_444_800;
/// Event times (`@timestamp`, unix milliseconds) are held to the same range.
const EVENT_TIME_MS: std::ops::RangeInclusive<u64> = TIME_MIN * 1000..=TIME_MAX * 1000;
/// The longest text value accepted (8 KiB; AWS IDs are under 100 bytes, v11 tag lists
/// a few hundred). A longer one makes the line bad rather than the table slow.
pub const MAX_TEXT: usize = 8 << 10;
/// The longest `@logStream` accepted: CloudWatch's own limit, 512 characters.
pub const MAX_STREAM: usize = 512;

/// Checks what the container carried beside the record: a plausible `@timestamp` and a
/// log stream name of printable text within [`MAX_STREAM`], exactly as record fields are
/// checked (a control character in a stream name would reach terminals and cells).
pub(crate) fn check_event(event_ms: Option<i64>, stream: Option<&[u8]>) -> Result<(), LineError> {
    if let Some(ms) = event_ms {
        if !u64::try_from(ms).is_ok_and(|ms| EVENT_TIME_MS.contains(&ms)) {
            return Err(LineError::EventTime(ms));
        }
    }
    if let Some(s) = stream {
        if s.len() > MAX_STREAM {
            return Err(LineError::StreamTooLong(s.len()));
        }
        if !is_clean_text(s) {
            let shown = crate::table::truncate_raw(&s[..s.len().min(64)]);
            return Err(LineError::StreamNotText(shown));
        }
    }
    Ok(())
}

/// A typed value of one position, before it is committed to the table.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Parsed {
    Null,
    UInt(u64),
    Time(u64, u16),
    V4(u32),
    V6(Ipv6Addr),
    Text,
}

/// A field bound to a position and the table column that receives it.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    pub field: Field,
    pub kind: Kind,
    pub column: usize,
}

/// Reusable buffers, so decoding a line allocates nothing.
#[derive(Debug, Default)]
pub struct Scratch {
    spans: Vec<(u32, u32)>,
    parsed: Vec<Parsed>,
}

/// Why a value did not parse (turned into the error text with the field's position).
enum Bad {
    Expected(&'static str),
    OutOfRange(u64),
    TooBig,
    /// A time outside [`TIME_MIN`]..=[`TIME_MAX`] (seconds).
    Implausible,
    /// An event time outside the same range (milliseconds).
    ImplausibleMs,
    /// A text value longer than [`MAX_TEXT`] (its length).
    TooLong(usize),
}

/// Decodes the record `m` into a new row of `table`. `what_binds` names the binding for
/// the field-count error ("the header at line 1", "the format").
pub fn decode_into(
    table: &mut Table,
    slots: &[Slot],
    what_binds: &str,
    m: Message<'_>,
    scratch: &mut Scratch,
) -> Result<(), LineError> {
    let (line, event_ms, stream) = (m.text, m.timestamp_ms, m.stream);
    check_event(event_ms, stream)?;
    let mut canonical = split_fields(line, &mut scratch.spans);
    let spans = &scratch.spans;
    if spans.len() != slots.len() {
        return Err(LineError::FieldCount {
            got: spans.len(),
            binding: what_binds.to_string(),
            expected: slots.len(),
        });
    }
    scratch.parsed.clear();
    for (i, (slot, &(s, e))) in slots.iter().zip(spans.iter()).enumerate() {
        let tok = &line[s as usize..e as usize];
        match parse_value(slot.kind, tok, &mut canonical) {
            Ok(p) => scratch.parsed.push(p),
            Err(bad) => match shown_value(slot, tok) {
                // a value as flowlens shows it (`-o table` output read back): the line
                // is kept as its original text
                Some(p) => {
                    canonical = false;
                    scratch.parsed.push(p);
                }
                None => return Err(describe(i, slot.field, tok, bad)),
            },
        }
    }
    for ((slot, p), &(s, e)) in slots.iter().zip(&scratch.parsed).zip(spans.iter()) {
        let col = table.column_mut(slot.column);
        match *p {
            Parsed::Null => col.push_null(),
            Parsed::UInt(v) => col.push_uint(v),
            Parsed::Time(secs, ms) => col.push_time(secs, ms),
            Parsed::V4(a) => col.push_v4(a),
            Parsed::V6(a) => col.push_v6(a),
            Parsed::Text => col.push_text(&line[s as usize..e as usize]),
        }
    }
    table.commit_row(
        m.line,
        if canonical { None } else { Some(line) },
        event_ms,
        stream,
    );
    Ok(())
}

/// An IPv6 address (it has a colon), or None.
pub(crate) fn parse_ipv6(tok: &[u8]) -> Option<Ipv6Addr> {
    if !tok.contains(&b':') {
        return None;
    }
    std::str::from_utf8(tok).ok()?.parse().ok()
}

/// Whether the address renders back to exactly `tok` (RFC 5952 form), without allocating.
pub(crate) fn ipv6_is_canonical(a: Ipv6Addr, tok: &[u8]) -> bool {
    use std::io::Write;
    let mut buf = [0u8; 48];
    let mut w = &mut buf[..];
    if write!(w, "{a}").is_err() {
        return false;
    }
    let n = 48 - w.len();
    &buf[..n] == tok
}

fn describe(i: usize, field: Field, tok: &[u8], bad: Bad) -> LineError {
    let shown = crate::table::truncate_raw(&tok[..tok.len().min(64)]);
    let problem = match bad {
        Bad::Expected(expected) => ValueProblem::Expected {
            expected,
            found: shown,
        },
        Bad::OutOfRange(max) => ValueProblem::OutOfRange { value: shown, max },
        Bad::TooBig => ValueProblem::OutOfRange {
            value: shown,
            max: u64::MAX,
        },
        Bad::Implausible => ValueProblem::NotATime(shown),
        Bad::ImplausibleMs => ValueProblem::NotAnEventTime(shown),
        Bad::TooLong(len) => ValueProblem::TooLong(len),
    };
    LineError::Value {
        position: i + 1,
        field,
        problem,
    }
}

/// A number field's value as flowlens shows it, turned back where that is exact
/// ([`crate::vocab::from_shown`]: protocol names, TCP flag labels, UTC times of
/// `start`/`end`); only tried for a value that did not parse, so records pay nothing.
#[cold]
fn shown_value(slot: &Slot, tok: &[u8]) -> Option<Parsed> {
    let n = crate::vocab::from_shown(slot.field, tok)?;
    match slot.kind {
        Kind::Time => (TIME_MIN..=TIME_MAX)
            .contains(&n)
            .then_some(Parsed::Time(n, 0)),
        Kind::UInt { max } => (n <= max).then_some(Parsed::UInt(n)),
        Kind::EventTime => EVENT_TIME_MS.contains(&n).then_some(Parsed::UInt(n)),
        _ => None,
    }
}

#[inline]
fn parse_value(kind: Kind, tok: &[u8], canonical: &mut bool) -> Result<Parsed, Bad> {
    if tok == b"-" {
        return Ok(Parsed::Null);
    }
    match kind {
        Kind::UInt { max } => {
            let v = parse_uint(tok, canonical)?;
            if v > max {
                return Err(Bad::OutOfRange(max));
            }
            Ok(Parsed::UInt(v))
        }
        // milliseconds, in the range every other event time is held to (`check_event`):
        // a header line that names `@timestamp` over unix seconds gets errors, not 1970
        Kind::EventTime => {
            let v = parse_uint(tok, canonical).map_err(|e| match e {
                Bad::TooBig => Bad::ImplausibleMs,
                e => e,
            })?;
            if !EVENT_TIME_MS.contains(&v) {
                return Err(Bad::ImplausibleMs);
            }
            Ok(Parsed::UInt(v))
        }
        Kind::Time => {
            let v = parse_uint(tok, canonical).map_err(|e| match e {
                Bad::TooBig => Bad::Implausible,
                e => e,
            })?;
            // 13 digits or more are milliseconds, as some exports write them
            let (secs, ms) = if tok.len() >= 13 {
                *canonical = false;
                (v / 1000, (v % 1000) as u16)
            } else {
                (v, 0)
            };
            if !(TIME_MIN..=TIME_MAX).contains(&secs) {
                return Err(Bad::Implausible);
            }
            Ok(Parsed::Time(secs, ms))
        }
        Kind::Addr => parse_addr(tok, canonical),
        Kind::Action => match tok {
            b"ACCEPT" | b"REJECT" => Ok(Parsed::Text),
            _ => Err(Bad::Expected("ACCEPT or REJECT")),
        },
        Kind::LogStatus => match tok {
            b"OK" | b"NODATA" | b"SKIPDATA" => Ok(Parsed::Text),
            _ => Err(Bad::Expected("OK, NODATA or SKIPDATA")),
        },
        Kind::Text | Kind::Tag => {
            if tok.len() > MAX_TEXT {
                Err(Bad::TooLong(tok.len()))
            } else if is_clean_text(tok) {
                Ok(Parsed::Text)
            } else {
                Err(Bad::Expected("printable UTF-8 text"))
            }
        }
    }
}

/// Printable UTF-8 with no control characters.
#[inline]
fn is_clean_text(tok: &[u8]) -> bool {
    if tok.iter().all(|b| (0x21..0x7f).contains(b)) {
        return true;
    }
    match std::str::from_utf8(tok) {
        Ok(s) => !s.chars().any(char::is_control),
        Err(_) => false,
    }
}

#[inline]
fn parse_uint(tok: &[u8], canonical: &mut bool) -> Result<u64, Bad> {
    if tok.is_empty() || !tok.iter().all(u8::is_ascii_digit) {
        return Err(
            if tok.first() == Some(&b'-')
                && tok.len() > 1
                && tok[1..].iter().all(u8::is_ascii_digit)
            {
                Bad::Expected("a non-negative integer")
            } else {
                Bad::Expected("an integer")
            },
        );
    }
    if tok.len() > 1 && tok[0] == b'0' {
        *canonical = false;
    }
    let mut v: u64 = 0;
    if tok.len() <= 19 {
        for &b in tok {
            v = v * 10 + (b - b'0') as u64;
        }
        return Ok(v);
    }
    for &b in tok {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add((b - b'0') as u64))
            .ok_or(Bad::TooBig)?;
    }
    Ok(v)
}

#[inline]
fn parse_addr(tok: &[u8], canonical: &mut bool) -> Result<Parsed, Bad> {
    if let Some(a) = parse_ipv4(tok) {
        return Ok(Parsed::V4(a));
    }
    if tok.contains(&b':') {
        if let Some(a) = std::str::from_utf8(tok)
            .ok()
            .and_then(|s| s.parse::<Ipv6Addr>().ok())
        {
            if !ipv6_is_canonical(a, tok) {
                *canonical = false;
            }
            return Ok(Parsed::V6(a));
        }
    }
    Err(Bad::Expected("an IP address"))
}

/// Dotted-quad IPv4 with no leading zeros, in one pass.
#[inline]
pub fn parse_ipv4(tok: &[u8]) -> Option<u32> {
    if tok.len() < 7 || tok.len() > 15 {
        return None;
    }
    let (mut out, mut octet, mut digits, mut dots) = (0u32, 0u32, 0u32, 0u32);
    for &b in tok {
        if b == b'.' {
            if digits == 0 || dots == 3 {
                return None;
            }
            out = (out << 8) | octet;
            octet = 0;
            digits = 0;
            dots += 1;
        } else {
            let d = b.wrapping_sub(b'0');
            if d > 9 || (digits == 1 && octet == 0) {
                return None; // not a digit, or a leading zero
            }
            octet = octet * 10 + d as u32;
            digits += 1;
            if octet > 255 {
                return None; // also bounds an octet to three digits
            }
        }
    }
    (digits > 0 && dots == 3).then_some((out << 8) | octet)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::DEFAULT_FORMAT;
    use crate::table::Value;

    fn spans(line: &str) -> (Vec<String>, bool) {
        let mut v = Vec::new();
        let c = split_fields(line.as_bytes(), &mut v);
        (
            v.iter()
                .map(|&(s, e)| line[s as usize..e as usize].to_string())
                .collect(),
            c,
        )
    }

    #[test]
    fn splits_runs_of_spaces_and_tabs() {
        assert_eq!(
            spans("a b c"),
            (vec!["a".into(), "b".into(), "c".into()], true)
        );
        assert_eq!(spans("a  b\tc").0, vec!["a", "b", "c"]);
        assert!(!spans("a  b").1);
        assert!(!spans(" a b").1);
        assert!(!spans("a b ").1);
        assert_eq!(spans("").0.len(), 0);
    }

    #[test]
    fn swar_split_agrees_with_a_byte_loop() {
        let alphabet = b"ab \t1-";
        let mut rng = crate::testrng::Rng(88172645463325252);
        let mut spans = Vec::new();
        for _ in 0..20_000 {
            let x = rng.next();
            let len = (x % 40) as usize;
            let line: Vec<u8> = (0..len)
                .map(|i| alphabet[((x >> (i % 60)) as usize + i * 7) % alphabet.len()])
                .collect();
            let canonical = split_fields(&line, &mut spans);
            let text = String::from_utf8(line.clone()).unwrap();
            let want: Vec<&str> = text.split([' ', '\t']).filter(|t| !t.is_empty()).collect();
            let got: Vec<&str> = spans
                .iter()
                .map(|&(s, e)| &text[s as usize..e as usize])
                .collect();
            assert_eq!(got, want, "{text:?}");
            let want_canonical = want.join(" ") == text;
            assert_eq!(canonical, want_canonical, "{text:?}");
        }
    }

    /// The decode kernel must give exactly what the reference path gives, row or error.
    #[test]
    fn fast_path_agrees_with_the_reference_path() {
        let base = [
            "2",
            "123456789010",
            "eni-1235b8ca123456789",
            "172.31.16.139",
            "2001:db8::1",
            "20641",
            "22",
            "6",
            "20",
            "4249",
            "1418530010",
            "1418530070",
            "ACCEPT",
            "OK",
        ];
        let variants: &[&[&str]] = &[
            &[
                "-",
                "02",
                "99999999999999999999",
                "1e3",
                "-5",
                "300",
                "70000",
            ],
            &["-", "eni-\u{e9}", "a\u{1}b", "x"],
            &[
                "-",
                "2001:DB8::1",
                "2001:db8:0:0:0:0:0:1",
                "::ffff:1.2.3.4",
                "1.2.3",
                "::",
            ],
            &["-", "1418530010000", "1418530010123", "0", "0001418530010"],
            &["-", "REJECT", "accept", "NODATA", "OKAY"],
        ];
        let mut rng = crate::testrng::Rng(0x2545_f491_4f6c_dd1d);
        let mut next = move || rng.next();
        let slots_for = |t: &mut Table| {
            let f = t.add_file("t");
            let cols = t.begin_segment(f, DEFAULT_FORMAT);
            DEFAULT_FORMAT
                .iter()
                .zip(cols)
                .map(|(f, c)| Slot {
                    field: *f,
                    kind: f.kind(),
                    column: c,
                })
                .collect::<Vec<_>>()
        };
        let (mut fast, mut slow) = (Table::default(), Table::default());
        let (fs, ss) = (
            crate::kernel::Plan::new(slots_for(&mut fast), "w".into()),
            slots_for(&mut slow),
        );
        let (mut a, mut b) = (Scratch::default(), Scratch::default());
        for i in 0..5000u64 {
            let mut toks: Vec<String> = base.iter().map(|t| t.to_string()).collect();
            for _ in 0..(next() % 3) {
                let pos = (next() % 14) as usize;
                let group = match pos {
                    2 => 1,
                    3 | 4 => 2,
                    10 | 11 => 3,
                    12 | 13 => 4,
                    _ => 0,
                };
                let v = variants[group];
                toks[pos] = v[(next() % v.len() as u64) as usize].to_string();
            }
            let sep = match next() % 8 {
                0 => "  ",
                1 => "\t",
                _ => " ",
            };
            let mut line = toks.join(sep);
            match next() % 10 {
                0 => line.push(' '),
                1 => line.insert(0, ' '),
                2 => line.push_str(" extra"),
                3 => line.truncate(line.len() / 2),
                _ => {}
            }
            let m = Message {
                line: i + 1,
                text: line.as_bytes(),
                timestamp_ms: None,
                stream: None,
            };
            let r1 = crate::kernel::decode_line(&mut fast, &fs, m, &mut a);
            let r2 = decode_into(&mut slow, &ss, "w", m, &mut b);
            assert_eq!(r1, r2, "{line:?}");
            assert_eq!(fast.len(), slow.len(), "{line:?}");
            if r1.is_ok() {
                let r = fast.len() - 1;
                for f in DEFAULT_FORMAT {
                    assert_eq!(fast.value(r, *f), slow.value(r, *f), "{f} in {line:?}");
                }
                assert_eq!(fast.original_line(r), slow.original_line(r), "{line:?}");
                assert_eq!(fast.original_line(r).as_ref(), line.as_bytes(), "{line:?}");
            }
        }
        assert!(fast.len() > 1000 && fast.len() < 5000, "{}", fast.len());
    }

    #[test]
    fn ipv4_is_strict() {
        assert_eq!(parse_ipv4(b"10.0.0.1"), Some(0x0a000001));
        assert_eq!(parse_ipv4(b"255.255.255.255"), Some(u32::MAX));
        for bad in [
            "10.0.300.1",
            "10.0.0",
            "10.0.0.1.2",
            "010.0.0.1",
            "1.2.3.",
            "a.b.c.d",
        ] {
            assert_eq!(parse_ipv4(bad.as_bytes()), None, "{bad}");
        }
    }

    fn decode_default(line: &str) -> (Table, Result<(), String>) {
        let mut t = Table::default();
        let f = t.add_file("t");
        let cols = t.begin_segment(f, DEFAULT_FORMAT);
        let slots: Vec<Slot> = DEFAULT_FORMAT
            .iter()
            .zip(cols)
            .map(|(f, c)| Slot {
                field: *f,
                kind: f.kind(),
                column: c,
            })
            .collect();
        let m = Message {
            line: 7,
            text: line.as_bytes(),
            timestamp_ms: None,
            stream: None,
        };
        let r = decode_into(&mut t, &slots, "the format", m, &mut Scratch::default());
        (t, r.map_err(|e| e.to_string()))
    }

    #[test]
    fn decodes_and_explains_bad_values() {
        let good = "2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
        let (t, r) = decode_default(good);
        assert_eq!(r, Ok(()));
        assert_eq!(t.value(0, Field::DstPort), Value::UInt(22));
        assert_eq!(t.original_line(0).as_ref(), good.as_bytes());
        assert_eq!(t.row_line(0), 7);

        let cases = [
            ("2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 1 1418530010 10.0.300.1 ACCEPT OK", "field 12 'end': expected an integer, found '10.0.300.1'"),
            ("2 1 eni-1 1.1.1.1 2.2.2.2 70000 2 6 1 1 1418530010 1418530070 ACCEPT OK", "field 6 'srcport': 70000 is out of range (at most 65535)"),
            ("2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 -5 1418530010 1418530070 ACCEPT OK", "field 10 'bytes': expected a non-negative integer, found '-5'"),
            ("2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 99999999999999999999999 1418530010 1418530070 ACCEPT OK", "field 10 'bytes': 99999999999999999999999 is out of range (at most 18446744073709551615)"),
            ("2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 1 1418530010 1418530070 ACCEPTED OK", "field 13 'action': expected ACCEPT or REJECT, found 'ACCEPTED'"),
            ("2 1 eni-1 1.1.1.999 2.2.2.2 1 2 6 1 1 1418530010 1418530070 ACCEPT OK", "field 4 'srcaddr': expected an IP address, found '1.1.1.999'"),
            ("2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 1 1418530010 1418530070 ACCEPT OK extra", "line has 15 fields, the format has 14"),
            ("2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 1 99999999999 1418530070 ACCEPT OK", "field 11 'start': 99999999999 is not a plausible time (unix seconds from 1973-03-03 to 2100-01-01)"),
            ("2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 1 1418530010 12345678901234567 ACCEPT OK", "field 12 'end': 12345678901234567 is not a plausible time (unix seconds from 1973-03-03 to 2100-01-01)"),
            ("2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 1 1418530010 999999999999999999999 ACCEPT OK", "field 12 'end': 999999999999999999999 is not a plausible time (unix seconds from 1973-03-03 to 2100-01-01)"),
            ("2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 1 0 1418530070 ACCEPT OK", "field 11 'start': 0 is not a plausible time (unix seconds from 1973-03-03 to 2100-01-01)"),
        ];
        for (line, want) in cases {
            let (t, r) = decode_default(line);
            assert_eq!(r.unwrap_err(), want);
            assert_eq!(t.len(), 0);
        }
    }

    #[test]
    fn millisecond_times_become_seconds_and_keep_the_original() {
        let line = "2 1 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 1 1418530010000 1418530070500 ACCEPT OK";
        let (t, r) = decode_default(line);
        assert_eq!(r, Ok(()));
        assert_eq!(
            t.value(0, Field::Start),
            Value::Time {
                secs: 1418530010,
                millis: 0
            }
        );
        assert_eq!(
            t.value(0, Field::End),
            Value::Time {
                secs: 1418530070,
                millis: 500
            }
        );
        assert_eq!(t.original_line(0).as_ref(), line.as_bytes());
    }
}
