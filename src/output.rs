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
        if !v.is_null() && !table.row_fields(row).contains(&f) {
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

/// Writes one CSV cell, quoted when it holds a comma, quote or line break.
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

/// The table's records as one JSON document, `{fields, records, errors}`: records typed
/// exactly as the NDJSON export, errors `{file, line, kind, message, raw}` (`kind` the
/// [`crate::ErrorKind`] code). (The wasm `decode()` adds the files beside it from their
/// `Serialize`, without a JSON serializer in the module.)
pub fn records_json(table: &Table) -> String {
    let mut s = String::with_capacity(table.len() * 256 + 64);
    s.push_str("{\"fields\":[");
    for (i, f) in table.fields().iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        json_string(&mut s, table.field_name(*f));
    }
    s.push_str("],\"records\":[");
    for r in 0..table.len() {
        if r > 0 {
            s.push(',');
        }
        ndjson_row(&mut s, table, r);
    }
    s.push_str("],\"errors\":[");
    for (i, e) in table.errors().iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str("{\"file\":");
        json_string(&mut s, &table.files()[e.file as usize].name);
        let _ = write!(
            s,
            ",\"line\":{},\"kind\":\"{}\",\"message\":",
            e.line,
            e.kind.name()
        );
        json_string(&mut s, &e.reason);
        s.push_str(",\"raw\":");
        json_string(&mut s, &e.raw);
        s.push('}');
    }
    s.push_str("]}");
    s
}

/// The formats a view of records exports to: the page's download menu and the CLI's
/// record outputs (`--output csv|ndjson|lines|text`) dispatch through this one enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// CSV with a header of AWS field names.
    Csv,
    /// One JSON object per record.
    Ndjson,
    /// The original lines, exactly as read.
    Lines,
    /// Each record as a sentence.
    Text,
}

impl std::str::FromStr for Export {
    type Err = String;

    fn from_str(s: &str) -> Result<Export, String> {
        match s {
            "csv" => Ok(Export::Csv),
            "ndjson" => Ok(Export::Ndjson),
            "lines" => Ok(Export::Lines),
            "text" => Ok(Export::Text),
            other => Err(format!("unknown export '{other}'")),
        }
    }
}

/// How an [`Export`] is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    /// Add the label keys (`srcaddr.label` …, `healthcheck`) to CSV and NDJSON.
    pub labels: bool,
    /// Neutralise spreadsheet formulas in CSV text cells (see [`write_csv_with`]); the
    /// labelled CSV is always safe.
    pub csv_safe: bool,
}

/// Writes `rows` of `table` as `kind` into `out` (NDJSON in chunks, so that a large
/// export is never held twice).
pub fn export(
    out: &mut impl std::io::Write,
    table: &Table,
    rows: impl Iterator<Item = usize>,
    kind: Export,
    options: ExportOptions,
) -> std::io::Result<()> {
    use crate::context::export as labelled;
    let mut s = String::new();
    match kind {
        Export::Ndjson if options.labels => labelled::write_ndjson(&mut s, table, rows),
        Export::Csv if options.labels => labelled::write_csv(&mut s, table, rows),
        Export::Text => labelled::write_text(&mut s, table, rows),
        Export::Csv => write_csv_with(&mut s, table, rows, options.csv_safe),
        Export::Ndjson => {
            for r in rows {
                ndjson_row(&mut s, table, r);
                s.push('\n');
                if s.len() > 60_000 {
                    out.write_all(s.as_bytes())?;
                    s.clear();
                }
            }
        }
        Export::Lines => {
            let mut v = Vec::new();
            write_lines(&mut v, table, rows);
            return out.write_all(&v);
        }
    }
    out.write_all(s.as_bytes())
}

pub use crate::calendar::iso_time;

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
    /// Records in the rows.
    pub records: u64,
    /// Bad lines of the table.
    pub errors: u64,
    /// Skipped lines of the table.
    pub skipped: u64,
    /// Of `skipped`: lines that are not records (prompts, prose, fences, CLI rows).
    pub not_records: u64,
    /// Input files of the table.
    pub files: usize,
    /// Earliest start and latest end, unix seconds.
    pub first_start: Option<u64>,
    /// Latest end, unix seconds.
    pub last_end: Option<u64>,
    /// Only when the records have no `start`/`end` (a Logs Insights export of some
    /// fields): the earliest and latest CloudWatch event time, unix milliseconds. Said
    /// to be event times wherever shown: when the events were logged, not the flows'
    /// aggregation windows.
    pub first_event_ms: Option<u64>,
    /// See `first_event_ms`.
    pub last_event_ms: Option<u64>,
    /// Bytes of the rows.
    pub bytes: u64,
    /// Packets of the rows.
    pub packets: u64,
    /// Rows with action ACCEPT.
    pub accept: u64,
    /// Rows with action REJECT.
    pub reject: u64,
    /// Rows with log-status NODATA.
    pub nodata: u64,
    /// Rows with log-status SKIPDATA.
    pub skipdata: u64,
    /// Heap bytes held by the table.
    pub table_bytes: usize,
    /// Of `bytes`, `packets`, `action` and `log-status`: those the table has no column
    /// for (a custom format or a Logs Insights export without them), whose totals above
    /// are 0 only for lack of values and are shown as "-", never as a count of zero.
    pub absent: Vec<&'static str>,
}

/// Summarises the given rows of `table` (all rows: `0..table.len()`).
pub fn summarize(table: &Table, rows: impl Iterator<Item = usize> + Clone) -> Summary {
    let c = table.counts();
    let mut s = Summary {
        errors: c.errors,
        skipped: c.skipped(),
        not_records: c.skipped_other,
        files: table.files().len(),
        table_bytes: table.heap_bytes(),
        records: rows.clone().count() as u64,
        absent: [
            Field::Bytes,
            Field::Packets,
            Field::Action,
            Field::LogStatus,
        ]
        .into_iter()
        .filter(|f| table.column(*f).is_none())
        .map(Field::name)
        .collect(),
        ..Default::default()
    };
    // one pass per column (each with its width matched once), not per row and column
    if let Some(c) = table.column(Field::Start) {
        c.for_each_uint(rows.clone(), |v| {
            s.first_start = Some(s.first_start.map_or(v, |m| m.min(v)))
        });
    }
    if let Some(c) = table.column(Field::End) {
        c.for_each_uint(rows.clone(), |v| {
            s.last_end = Some(s.last_end.map_or(v, |m| m.max(v)))
        });
    }
    if table.column(Field::Start).is_none() && table.column(Field::End).is_none() {
        if let Some(c) = table.column(Field::EventTimestamp) {
            c.for_each_uint(rows.clone(), |v| {
                s.first_event_ms = Some(s.first_event_ms.map_or(v, |m| m.min(v)));
                s.last_event_ms = Some(s.last_event_ms.map_or(v, |m| m.max(v)));
            });
        }
    }
    if let Some(c) = table.column(Field::Bytes) {
        c.for_each_uint(rows.clone(), |v| s.bytes = s.bytes.wrapping_add(v));
    }
    if let Some(c) = table.column(Field::Packets) {
        c.for_each_uint(rows.clone(), |v| s.packets = s.packets.wrapping_add(v));
    }
    if let Some(c) = table.column(Field::Action) {
        c.for_each_code(rows.clone(), |k| match k {
            ACCEPT => s.accept += 1,
            REJECT => s.reject += 1,
            _ => {}
        });
    }
    if let Some(c) = table.column(Field::LogStatus) {
        c.for_each_code(rows, |k| match k {
            crate::table::column::STATUS_NODATA => s.nodata += 1,
            crate::table::column::STATUS_SKIPDATA => s.skipdata += 1,
            _ => {}
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

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
