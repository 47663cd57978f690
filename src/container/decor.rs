//! What rich text, chat and Markdown put around a pasted record line, taken off.
//!
//! A record copied from a chat, an e-mail or a web page arrives decorated: non-breaking
//! or zero-width spaces between its fields, a byte-order mark where two pastes were
//! joined, `> ` quote markers, a numbered or `*`/`•` bullet list, a chat time stamp
//! (`[10:31 AM] `, `[10:31] Alice Smith: `), smart quotes or backticks around it, or the
//! prefix `aws logs tail` writes (`2026-12-01T10:00:00.123000+00:00 STREAM `, or with
//! `--format short` a zone-less `2026-12-01T10:00:00 `).
//!
//! Only decorations that can never be a flow log value are taken off, and only when what
//! is left looks like a record ([`looks_like_record`]): a `- ` bullet is kept, because
//! `-` *is* a flow log value (a custom format may start with an empty field), so taking
//! it off could shift every value one field to the left.

use super::noise::{looks_like_record, value_like};
use super::time;

/// What [`undecorate`] found besides the record text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// The event time of an `aws logs tail` prefix that carries its zone.
    pub timestamp_ms: Option<i64>,
    /// The log stream name of an `aws logs tail` (detailed format) prefix.
    pub stream: Option<Vec<u8>>,
}

/// Characters rich text puts where a space was (non-breaking, figure and narrow
/// no-break spaces), as UTF-8.
const SPACES: [&[u8]; 3] = [
    "\u{a0}".as_bytes(),
    "\u{2007}".as_bytes(),
    "\u{202f}".as_bytes(),
];
/// Characters that are invisible and dropped (zero-width space, non-joiner, joiner,
/// word joiner, byte-order mark).
const INVISIBLE: [&[u8]; 5] = [
    "\u{200b}".as_bytes(),
    "\u{200c}".as_bytes(),
    "\u{200d}".as_bytes(),
    "\u{2060}".as_bytes(),
    "\u{feff}".as_bytes(),
];
/// Pairs of quotes a chat or word processor puts around a line.
const QUOTES: [(&[u8], &[u8]); 5] = [
    ("\u{201c}".as_bytes(), "\u{201d}".as_bytes()),
    ("\u{2018}".as_bytes(), "\u{2019}".as_bytes()),
    ("\u{ab}".as_bytes(), "\u{bb}".as_bytes()),
    (b"`", b"`"),
    (b"'", b"'"),
];

/// The record text of a decorated line in `out`, and what the decoration said; `None`
/// when the line has no decoration or what is left is not record-like.
pub(crate) fn undecorate(line: &[u8], out: &mut Vec<u8>) -> Option<Found> {
    // Fast rejection (this runs on every paste line): an ASCII line can only be
    // decorated when it starts with a decoration's first byte or holds a comma.
    if line.is_ascii() {
        let first = line.trim_ascii_start().first();
        let may = matches!(
            first,
            Some(b'>' | b'*' | b'+' | b'[' | b'`' | b'\'' | b'|' | b'"' | b'0'..=b'9')
        );
        if !may && memchr::memchr(b',', line).is_none() {
            return None;
        }
    }
    out.clear();
    if table_row(line, out) || csv_row(line, out) {
        return Some(Found::default());
    }
    out.clear();
    let mut changed = normalise_spaces(line, out);
    let mut found = Found::default();
    let mut start = 0;
    loop {
        let rest = out[start..].trim_ascii();
        let lead = start + (out.len() - start - out[start..].trim_ascii_start().len());
        let cut = strip_one(rest, &mut found);
        match cut {
            Some(Strip::Prefix(n)) => start = lead + n,
            Some(Strip::Wrap(open, close)) => {
                let end = lead + rest.len() - close;
                out.truncate(end);
                start = lead + open;
            }
            None => break,
        }
        changed = true;
    }
    if !changed {
        return None;
    }
    let body = out[start..].trim_ascii();
    let (from, len) = (body.as_ptr() as usize - out.as_ptr() as usize, body.len());
    if !looks_like_record(body) {
        return None;
    }
    out.copy_within(from..from + len, 0);
    out.truncate(len);
    Some(found)
}

/// A row of an ASCII table (`aws … --output table`: `| cell | cell |`) with exactly one
/// record-like cell: that cell goes into `out`. Border rows (`+---+`, `----`) and the
/// title and column-name rows have none and stay noise.
fn table_row(line: &[u8], out: &mut Vec<u8>) -> bool {
    let t = line.trim_ascii();
    if t.len() < 3 || t[0] != b'|' || t[t.len() - 1] != b'|' {
        return false;
    }
    let mut cells = t[1..t.len() - 1]
        .split(|b| *b == b'|')
        .map(<[u8]>::trim_ascii)
        .filter(|c| looks_like_record(c));
    match (cells.next(), cells.next()) {
        (Some(cell), None) => {
            out.extend_from_slice(cell);
            true
        }
        _ => false,
    }
}

/// A comma-separated record (an Athena result CSV of the `vpc_flow_logs` table, its
/// quoted header of underscored names included): the cells, unquoted, go into `out`
/// joined with spaces, an empty cell (Athena's null) as `-` so no value moves to
/// another field. Only when no cell holds a space (flow log values never do) and the
/// cells look like a record.
fn csv_row(line: &[u8], out: &mut Vec<u8>) -> bool {
    let t = line.trim_ascii();
    if !t.contains(&b',') || t.contains(&b' ') || t.contains(&b'\t') {
        return false;
    }
    let mut cells = 0;
    for cell in t.split(|b| *b == b',') {
        let cell = match cell {
            [b'"', inner @ .., b'"'] => inner,
            _ => cell,
        };
        if cell.contains(&b'"') {
            return false;
        }
        if cells > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(if cell.is_empty() { b"-" } else { cell });
        cells += 1;
    }
    cells >= 4 && looks_like_record(out)
}

/// Writes `line` into `out` with rich-text spaces made plain and invisible characters
/// dropped; true when anything changed.
fn normalise_spaces(line: &[u8], out: &mut Vec<u8>) -> bool {
    if line.is_ascii() {
        out.extend_from_slice(line);
        return false;
    }
    let mut changed = false;
    let mut i = 0;
    'outer: while i < line.len() {
        if line[i] >= 0x80 {
            let at = &line[i..];
            if let Some(s) = SPACES.iter().find(|s| at.starts_with(s)) {
                out.push(b' ');
                i += s.len();
                changed = true;
                continue 'outer;
            }
            if let Some(s) = INVISIBLE.iter().find(|s| at.starts_with(s)) {
                i += s.len();
                changed = true;
                continue 'outer;
            }
        }
        out.push(line[i]);
        i += 1;
    }
    changed
}

/// One decoration at the start (or around) a trimmed line.
enum Strip {
    /// This many bytes at the start.
    Prefix(usize),
    /// This many bytes at the start and at the end.
    Wrap(usize, usize),
}

fn strip_one(t: &[u8], found: &mut Found) -> Option<Strip> {
    // `> ` quote markers (e-mail, Markdown), nested or not.
    if t.first() == Some(&b'>') {
        return Some(Strip::Prefix(1));
    }
    // Bullets that are never a flow log value.
    for b in [
        "* ".as_bytes(),
        "+ ".as_bytes(),
        "\u{2022} ".as_bytes(),
        "\u{b7} ".as_bytes(),
    ] {
        if t.starts_with(b) {
            return Some(Strip::Prefix(b.len()));
        }
    }
    // A numbered list: `1. ` or `1) `.
    let digits = t.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=4).contains(&digits)
        && matches!(t.get(digits), Some(b'.' | b')'))
        && t.get(digits + 1) == Some(&b' ')
    {
        return Some(Strip::Prefix(digits + 2));
    }
    if let Some(n) = chat_stamp(t) {
        return Some(Strip::Prefix(n));
    }
    if let Some(n) = tail_prefix(t, found) {
        return Some(Strip::Prefix(n));
    }
    for (open, close) in QUOTES {
        if t.len() > open.len() + close.len() && t.starts_with(open) && t.ends_with(close) {
            let inner = &t[open.len()..t.len() - close.len()];
            // `'…'` only when the inner text is a record (a quoted field is not a line).
            if open != b"'" || looks_like_record(inner) {
                return Some(Strip::Wrap(open.len(), close.len()));
            }
        }
    }
    None
}

/// The length of a chat time stamp (and its author) opening `t`, when the stamp holds
/// no JSON punctuation (`"`, `{`), so an array of strings with times is not taken for
/// one: the JSON line after it is read as JSON (`[10:31 AM] {"message": …}`).
pub(crate) fn chat_stamp_before_json(t: &[u8]) -> Option<usize> {
    let n = chat_stamp(t)?;
    let close = t.iter().position(|b| *b == b']')?;
    let stamp_is_plain = !t[..close].iter().any(|b| matches!(b, b'"' | b'{'));
    (stamp_is_plain && matches!(t.get(n), Some(b'{' | b'['))).then_some(n)
}

/// A chat time stamp `[10:31]`, `[10:31 AM]`, `[2026-12-01 10:31]` with its space, and
/// an author `Name:` (1 to 4 words, none a flow log value) after it.
fn chat_stamp(t: &[u8]) -> Option<usize> {
    if t.first() != Some(&b'[') {
        return None;
    }
    let close = t.iter().take(40).position(|b| *b == b']')?;
    let inside = &t[1..close];
    let has_time = inside
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
    if !has_time || inside.contains(&b'@') {
        return None;
    }
    let mut n = close + 1;
    let rest = &t[n..];
    n += rest.len() - rest.trim_ascii_start().len();
    let rest = &t[n..];
    if let Some(colon) = rest.iter().take(60).position(|b| *b == b':') {
        let name = &rest[..colon];
        let words: Vec<&[u8]> = name
            .split(|b| *b == b' ')
            .filter(|w| !w.is_empty())
            .collect();
        if (1..=4).contains(&words.len())
            && !words.iter().any(|w| value_like(w))
            && rest.get(colon + 1) == Some(&b' ')
        {
            n += colon + 2;
        }
    }
    Some(n)
}

/// The prefix `aws logs tail` writes: an ISO date-time with a zone offset (`Z`,
/// `+00:00`) and the log stream name (default, "detailed" format), or a zone-less
/// date-time (`--format short`, whose time is not used: its zone is unknown). An
/// export-to-S3 prefix (`…Z ` then the record) is left to the plain decoder.
fn tail_prefix(t: &[u8], found: &mut Found) -> Option<usize> {
    let dt = time::scan(t)?;
    if dt.sep != b'T' {
        return None;
    }
    let mut n = dt.len;
    let mut ms = dt.zulu.then_some(dt.ms);
    if !dt.zulu {
        if let (Some(sign @ (b'+' | b'-')), Some(off)) = (t.get(n), t.get(n + 1..n + 6)) {
            let num = |s: &[u8]| -> Option<i64> {
                s.iter().try_fold(0i64, |a, b| {
                    b.is_ascii_digit().then(|| a * 10 + i64::from(b - b'0'))
                })
            };
            if off[2] == b':' {
                let minutes = num(&off[..2])? * 60 + num(&off[3..])?;
                let sign = if *sign == b'+' { -1 } else { 1 };
                ms = Some(dt.ms + sign * minutes * 60_000);
                n += 6;
            }
        }
    }
    if t.get(n) != Some(&b' ') {
        return None;
    }
    n += 1;
    let Some(ms) = ms else {
        // --format short: the time has no zone; the rest is the message.
        return Some(n);
    };
    // Detailed format: the stream name is one token; a stream of an eni carries a
    // suffix (`eni-…-all`), so it is not itself an interface id.
    let rest = &t[n..];
    let tok_len = rest.iter().position(|b| *b == b' ')?;
    let tok = &rest[..tok_len];
    let eni_stream = tok.starts_with(b"eni-") && tok[4..].contains(&b'-');
    if value_like(tok) && !eni_stream {
        // `…Z 2 123…`: an export-to-S3 line, read by the plain decoder.
        return None;
    }
    found.timestamp_ms = Some(ms);
    found.stream = Some(tok.to_vec());
    Some(n + tok_len + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REC: &str =
        "2 123456789012 eni-0a1b 10.0.1.5 10.0.2.9 44308 443 6 12 4800 1764115200 1764115260 ACCEPT OK";

    fn clean(line: &str) -> Option<(String, Found)> {
        let mut out = Vec::new();
        undecorate(line.as_bytes(), &mut out).map(|f| (String::from_utf8(out).unwrap(), f))
    }

    #[test]
    fn decorations_come_off() {
        for line in [
            REC.replace(' ', "\u{a0}"),
            REC.replace(' ', " \u{200b}"),
            format!("\u{feff}{REC}"),
            format!("> {REC}"),
            format!(">> > {REC}"),
            format!("3. {REC}"),
            format!("12) {REC}"),
            format!("* {REC}"),
            format!("\u{2022} {REC}"),
            format!("[10:31 AM] {REC}"),
            format!("[10:31] Alice Smith: {REC}"),
            format!("\u{201c}{REC}\u{201d}"),
            format!("`{REC}`"),
            format!("> 1. `{REC}`"),
            format!("2026-12-01T10:00:00 {REC}"),
            format!("| {REC} |"),
            format!("|  37001 |  1796083205000 | eni-1-all | {REC} |  1796083200000 |"),
            REC.replace(' ', ","),
            format!("\"{}\"", REC.replace(' ', "\",\"")),
        ] {
            let (text, found) = clean(&line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(text, REC, "{line}");
            assert_eq!(found, Found::default(), "{line}");
        }
    }

    #[test]
    fn an_empty_csv_cell_is_a_null_not_a_shift() {
        let (text, _) = clean(
            "2,123456789012,eni-0a1b,,10.0.2.9,,443,6,12,4800,1764115200,1764115260,ACCEPT,OK",
        )
        .unwrap();
        assert_eq!(
            text,
            "2 123456789012 eni-0a1b - 10.0.2.9 - 443 6 12 4800 1764115200 1764115260 ACCEPT OK"
        );
        let (header, _) = clean("\"version\",\"account_id\",\"interface_id\",\"srcaddr\"").unwrap();
        assert_eq!(header, "version account_id interface_id srcaddr");
    }

    #[test]
    fn tail_prefix_gives_time_and_stream() {
        let (text, found) = clean(&format!(
            "2026-12-01T10:00:00.250000+01:00 eni-0a1b-all {REC}"
        ))
        .unwrap();
        assert_eq!(text, REC);
        assert_eq!(found.stream.as_deref(), Some(&b"eni-0a1b-all"[..]));
        assert_eq!(found.timestamp_ms, Some(1_796_115_600_250));
    }

    #[test]
    fn undecorated_or_ambiguous_lines_are_left() {
        for line in [
            REC.to_string(),
            format!("- {REC}"),
            format!("2018-09-22T20:28:14.000Z {REC}"),
            "> please look at this".to_string(),
            "[ec2-user@ip-172-31-31-219 ~]$ ls".to_string(),
            "\u{201c}hello there\u{201d}".to_string(),
            "+----------+-----------+".to_string(),
            "||  events ||".to_string(),
            "| eventId | ingestionTime | message |".to_string(),
            "a, b, c, 1, 2".to_string(),
        ] {
            assert_eq!(clean(&line), None, "{line}");
        }
    }
}
