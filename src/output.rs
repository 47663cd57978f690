//! Exports and renderings of table rows: NDJSON (the typed record contract), CSV (AWS
//! field names as header), the original lines, a human-readable display of each value,
//! and the summary statistics. Markdown tables and record text: [`markdown`].

pub mod markdown;

use crate::fields::{Field, Kind};
use crate::table::{column::ACCEPT, column::REJECT, write_plain, Table, Value};
use crate::vocab;
use std::fmt::Write as _;

/// Appends `s` as a JSON string literal.
pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a value as JSON: numbers for the integer fields and times (seconds,
/// fractional only when not whole), strings for the rest, `null` for `-`.
pub fn json_value(out: &mut String, v: Value<'_>) {
    match v {
        Value::Null => out.push_str("null"),
        Value::UInt(n) | Value::EventTime(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Time { secs, millis: 0 } => {
            let _ = write!(out, "{secs}");
        }
        Value::Time { secs, millis } => {
            let frac = format!("{millis:03}");
            let _ = write!(out, "{secs}.{}", frac.trim_end_matches('0'));
        }
        Value::Addr(a) => {
            let _ = write!(out, "\"{a}\"");
        }
        Value::Text(t) => json_string(out, t),
    }
}

/// Appends one row as an NDJSON object (no newline): its own format's fields keyed by
/// their AWS names, then the CloudWatch event fields where present.
pub fn ndjson_row(out: &mut String, table: &Table, row: usize) {
    out.push('{');
    let mut first = true;
    let mut key = |out: &mut String, f: Field| {
        if !first {
            out.push(',');
        }
        first = false;
        json_string(out, table.field_name(f));
        out.push(':');
    };
    for &f in table.row_fields(row) {
        key(out, f);
        json_value(out, table.value(row, f));
    }
    for f in [Field::EventTimestamp, Field::LogStream] {
        let v = table.value(row, f);
        if !v.is_null() {
            key(out, f);
            json_value(out, v);
        }
    }
    out.push('}');
}

/// Writes rows as NDJSON into `out`, one object per line.
pub fn write_ndjson(out: &mut String, table: &Table, rows: impl Iterator<Item = usize>) {
    for r in rows {
        ndjson_row(out, table, r);
        out.push('\n');
    }
}

pub fn csv_cell(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Writes rows as CSV: a header of AWS field names (every column of the table), then one
/// line per row; nulls are empty cells, times unix seconds.
///
/// With `safe` (the default of the page and the CLI), a text cell that a spreadsheet
/// would run as a formula — starting with `=`, `+`, `-`, `@`, TAB or CR — gets a leading
/// `'` (OWASP's advice), so `-1` in a text field is written `'-1`. Only text is ever
/// prefixed: integers, times and addresses cannot start so (flow log integers are never
/// negative), and nulls are empty cells, so numeric columns stay numbers.
pub fn write_csv_with(
    out: &mut String,
    table: &Table,
    rows: impl Iterator<Item = usize>,
    safe: bool,
) {
    write_csv_columns(out, table, rows, safe, &[], |_| std::iter::empty());
}

/// The CSV writer of [`write_csv_with`], with `extra_keys` columns after the table's
/// fields whose cells `extra(row)` gives as text (None: an empty cell), formula-safe
/// like text values when `safe`. The labelled export of context files uses it.
pub(crate) fn write_csv_columns<I: IntoIterator<Item = Option<String>>>(
    out: &mut String,
    table: &Table,
    rows: impl Iterator<Item = usize>,
    safe: bool,
    extra_keys: &[&str],
    mut extra: impl FnMut(usize) -> I,
) {
    let fields = table.fields();
    let header: Vec<&str> = fields
        .iter()
        .map(|f| table.field_name(*f))
        .chain(extra_keys.iter().copied())
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    let mut cell = String::new();
    let mut text_cell = |out: &mut String, t: &str| {
        if safe && crate::display::is_formula_start(t) {
            cell.clear();
            cell.push('\'');
            cell.push_str(t);
            csv_cell(out, &cell);
        } else {
            csv_cell(out, t);
        }
    };
    let mut plain = String::new();
    for r in rows {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match table.value(r, *f) {
                Value::Null => {}
                Value::Text(t) => text_cell(out, t),
                v => {
                    plain.clear();
                    write_plain(&mut plain, v);
                    csv_cell(out, &plain);
                }
            }
        }
        for v in extra(r) {
            out.push(',');
            if let Some(v) = v {
                text_cell(out, &v);
            }
        }
        out.push_str("\r\n");
    }
}

/// [`write_csv_with`] with formulas neutralised.
pub fn write_csv(out: &mut String, table: &Table, rows: impl Iterator<Item = usize>) {
    write_csv_with(out, table, rows, true)
}

/// Writes the original lines of the rows, exactly as they were read, one per line. A
/// Parquet file has no lines: its records are written as flow log text, after a header
/// line of their fields (again wherever the file or its columns change).
pub fn write_lines(out: &mut Vec<u8>, table: &Table, rows: impl Iterator<Item = usize>) {
    let mut header_for: Option<(u32, *const crate::fields::Field)> = None;
    for r in rows {
        let file = table.row_file(r);
        if table.files()[file as usize].shape == Some(crate::container::Shape::Parquet) {
            let fields = table.row_fields(r);
            if header_for != Some((file, fields.as_ptr())) {
                header_for = Some((file, fields.as_ptr()));
                let names: Vec<&str> = fields.iter().map(|f| table.field_name(*f)).collect();
                out.extend_from_slice(names.join(" ").as_bytes());
                out.push(b'\n');
            }
        } else {
            header_for = None;
        }
        out.extend_from_slice(&table.original_line(r));
        out.push(b'\n');
    }
}

/// Formats unix seconds (and milliseconds) as ISO-8601 UTC: `2025-11-26T10:00:00Z`.
pub fn iso_time(secs: i64, millis: u16) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut s = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    );
    if millis != 0 {
        let _ = write!(s, ".{millis:03}");
    }
    s.push('Z');
    s
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Civil date to days since 1970-01-01.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A value as a person reads it: times in ISO UTC, protocol and flag names, decoded tags,
/// invisible and control characters as visible escapes ([`crate::display::visible`]).
/// Ports stay numbers (their service name is [`vocab::port_name`]).
pub fn display_value(table: &Table, row: usize, f: Field) -> String {
    let v = table.value(row, f);
    let mut s = String::new();
    match (f, v) {
        (_, Value::Null) => s.push('-'),
        (_, Value::Time { secs, millis }) => s = iso_time(secs as i64, millis),
        (_, Value::EventTime(ms)) => s = iso_time((ms / 1000) as i64, (ms % 1000) as u16),
        (Field::Protocol, Value::UInt(p)) => {
            s = vocab::protocol_name(p as u8).map_or_else(|| p.to_string(), str::to_string)
        }
        (Field::TcpFlags, Value::UInt(n)) => {
            s = vocab::tcp_flags_label(n as u8);
            if s.is_empty() {
                s = "none".into()
            }
        }
        (_, Value::Text(t)) if f.kind() == Kind::Tag => {
            s = crate::display::visible_keeping_breaks(&vocab::percent_decode(t)).into_owned()
        }
        (_, Value::Text(t)) => s = crate::display::visible(t).into_owned(),
        (_, v) => write_plain(&mut s, v),
    }
    s
}

/// The summary a user sees first: counts, time span, volume, outcomes.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Summary {
    pub records: u64,
    pub errors: u64,
    pub skipped: u64,
    /// Of `skipped`: lines that are not records (prompts, prose, fences, CLI rows).
    pub not_records: u64,
    pub files: usize,
    /// Earliest start and latest end, unix seconds.
    pub first_start: Option<u64>,
    pub last_end: Option<u64>,
    pub bytes: u64,
    pub packets: u64,
    pub accept: u64,
    pub reject: u64,
    pub nodata: u64,
    pub skipdata: u64,
    /// Heap bytes held by the table.
    pub table_bytes: usize,
}

/// Summarises the given rows of `table` (all rows: `0..table.len()`).
pub fn summarize(table: &Table, rows: impl Iterator<Item = usize>) -> Summary {
    let c = table.counts();
    let mut s = Summary {
        errors: c.errors,
        skipped: c.skipped(),
        not_records: c.skipped_other,
        files: table.files().len(),
        table_bytes: table.heap_bytes(),
        ..Default::default()
    };
    let col = |f| table.column(f);
    let (start, end, bytes, packets, action, status) = (
        col(Field::Start),
        col(Field::End),
        col(Field::Bytes),
        col(Field::Packets),
        col(Field::Action),
        col(Field::LogStatus),
    );
    for r in rows {
        s.records += 1;
        if let Some(v) = start.and_then(|c| c.uint(r)) {
            s.first_start = Some(s.first_start.map_or(v, |m| m.min(v)));
        }
        if let Some(v) = end.and_then(|c| c.uint(r)) {
            s.last_end = Some(s.last_end.map_or(v, |m| m.max(v)));
        }
        s.bytes = s
            .bytes
            .wrapping_add(bytes.and_then(|c| c.uint(r)).unwrap_or(0));
        s.packets = s
            .packets
            .wrapping_add(packets.and_then(|c| c.uint(r)).unwrap_or(0));
        match action.and_then(|c| c.code(r)) {
            Some(ACCEPT) => s.accept += 1,
            Some(REJECT) => s.reject += 1,
            _ => {}
        }
        match status.and_then(|c| c.code(r)) {
            Some(crate::table::column::STATUS_NODATA) => s.nodata += 1,
            Some(crate::table::column::STATUS_SKIPDATA) => s.skipdata += 1,
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_format_as_iso_utc() {
        assert_eq!(iso_time(0, 0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_time(1418530010, 0), "2014-12-14T04:06:50Z");
        assert_eq!(iso_time(1764115200, 250), "2025-11-26T00:00:00.250Z");
        for d in [-1000i64, 0, 59, 11_000, 20_418, 50_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn json_values_follow_the_contract() {
        let mut s = String::new();
        json_value(
            &mut s,
            Value::Time {
                secs: 5,
                millis: 500,
            },
        );
        s.push(' ');
        json_value(&mut s, Value::Text("a\"b"));
        s.push(' ');
        json_value(&mut s, Value::Null);
        assert_eq!(s, "5.5 \"a\\\"b\" null");
    }
}
