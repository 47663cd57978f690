//! Small shares for chat and tickets: rows and top-N groups as Markdown tables, and one
//! record as text. The page and the CLI both call these, so they agree to the byte.

use crate::fields::{Field, Kind};
use crate::output::display_value;
use crate::query::{Group, Measure};
use crate::table::{is_number, write_plain, Table};
use std::fmt::Write as _;

/// At most this many rows go into a Markdown table (a chat message, not an export).
pub const MARKDOWN_ROW_LIMIT: usize = 100;

/// A table cell: `\` and `|` escaped with a backslash, a line break as `<br>`.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn row_line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    out.push('|');
    for c in cells {
        out.push(' ');
        out.push_str(&c);
        out.push_str(" |");
    }
    out.push('\n');
}

fn align_line(out: &mut String, right: impl IntoIterator<Item = bool>) {
    out.push('|');
    for r in right {
        out.push_str(if r { " ---: |" } else { " --- |" });
    }
    out.push('\n');
}

fn right_aligned(f: Field) -> bool {
    is_number(f) && f.kind() != Kind::Time && !matches!(f, Field::Protocol | Field::TcpFlags)
}

/// `rows` (in order) as a Markdown table of `fields`, display values as the page shows
/// them (times ISO UTC, protocol and flag names). At most `limit` rows; when there are
/// more, a last line says how many were left out.
pub fn rows_table(table: &Table, rows: &[u32], fields: &[Field], limit: usize) -> String {
    let mut out = String::new();
    row_line(&mut out, fields.iter().map(|f| cell(table.field_name(*f))));
    align_line(&mut out, fields.iter().map(|f| right_aligned(*f)));
    for &r in rows.iter().take(limit) {
        row_line(
            &mut out,
            fields
                .iter()
                .map(|f| cell(&display_value(table, r as usize, *f))),
        );
    }
    if rows.len() > limit {
        let _ = writeln!(out, "\n_first {limit} of {} records_", rows.len());
    }
    out
}

/// Top groups as a Markdown table: the group-by fields (an extra column under its
/// header's own name), then records, packets, bytes. `of` is the number of records
/// ranked (the view), named in a last line with the measure the groups are ranked by.
pub fn groups_table(
    table: &Table,
    by: &[Field],
    groups: &[Group],
    measure: Measure,
    of: usize,
) -> String {
    let mut out = String::new();
    row_line(
        &mut out,
        by.iter()
            .map(|f| cell(table.field_name(*f)))
            .chain(["records", "packets", "bytes"].map(String::from)),
    );
    align_line(&mut out, by.iter().map(|_| false).chain([true, true, true]));
    for g in groups {
        row_line(
            &mut out,
            g.keys
                .iter()
                // a null group: said in words, as the page's facets say it ("-" reads
                // as a value, or as a broken table, once pasted elsewhere)
                .map(|k| {
                    if k == "-" {
                        "_(no value)_".to_string()
                    } else {
                        cell(k)
                    }
                })
                .chain([g.count, g.packets, g.bytes].map(|n| n.to_string())),
        );
    }
    let by_what = match measure {
        Measure::Bytes => "bytes",
        Measure::Packets => "packets",
        _ => "records",
    };
    let _ = writeln!(out, "\n_top {} by {by_what} of {of} records_", groups.len());
    out
}

/// One record as text: where it came from, the original line, then every field decoded
/// (with the raw value when it reads differently).
pub fn record_text(table: &Table, row: usize) -> String {
    let mut out = String::new();
    let file = &table.files()[table.row_file(row) as usize].name;
    let _ = writeln!(out, "{file}:{}", table.row_line(row));
    out.push_str(&String::from_utf8_lossy(&table.original_line(row)));
    out.push_str("\n\n");
    let mut fields: Vec<Field> = table.row_fields(row).to_vec();
    for f in [Field::EventTimestamp, Field::LogStream] {
        if !table.value(row, f).is_null() && !fields.contains(&f) {
            fields.push(f);
        }
    }
    let width = fields
        .iter()
        .map(|f| table.field_name(*f).len())
        .max()
        .unwrap_or(0);
    for f in fields {
        let shown = display_value(table, row, f);
        let mut raw = String::new();
        write_plain(&mut raw, table.value(row, f));
        let _ = write!(out, "{:<width$}  {shown}", table.field_name(f));
        if raw != shown {
            let _ = write!(out, "  ({raw})");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decoder::{decode_bytes, DecodeOptions};

    #[test]
    fn cells_escape_pipes_backslashes_and_newlines() {
        assert_eq!(cell("a|b"), "a\\|b");
        assert_eq!(cell("a\\|b"), "a\\\\\\|b");
        assert_eq!(cell("one\r\ntwo\nthree"), "one<br>two<br>three");
    }

    #[test]
    fn rows_and_records() {
        let t = decode_bytes(
            b"2 123456789012 eni-1 10.0.0.1 52.94.1.7 443 22 6 10 840 1764115200 1764115260 REJECT OK\n\
              2 123456789012 eni-2 10.0.0.2 10.0.0.3 1 2 17 1 40 1764115200 1764115260 ACCEPT OK\n",
            DecodeOptions::default(),
        );
        let md = rows_table(
            &t,
            &[1, 0],
            &[
                Field::SrcAddr,
                Field::DstPort,
                Field::Protocol,
                Field::Start,
            ],
            1,
        );
        assert_eq!(
            md,
            "| srcaddr | dstport | protocol | start |\n| --- | ---: | --- | --- |\n\
             | 10.0.0.2 | 2 | UDP | 2025-11-26T00:00:00Z |\n\n_first 1 of 2 records_\n"
        );
        let text = record_text(&t, 0);
        assert!(text.starts_with("-:1\n2 123456789012 eni-1 10.0.0.1 52.94.1.7 443 22 6 10 840 1764115200 1764115260 REJECT OK\n\n"), "{text}");
        assert!(text.contains("\nprotocol      TCP  (6)\n"), "{text}");
    }

    #[test]
    fn a_null_group_is_named_not_dashed() {
        let t = crate::decoder::decode_bytes(
            b"version action\n2 ACCEPT\n2 -\n2 -\n",
            Default::default(),
        );
        let view: Vec<u32> = (0..t.len() as u32).collect();
        let groups = crate::query::top(&t, &view, &[Field::Action], Measure::Count, 5, None);
        let md = groups_table(&t, &[Field::Action], &groups, Measure::Count, view.len());
        assert!(md.contains("| _(no value)_ | 2 |"), "{md}");
        assert!(md.contains("| ACCEPT | 1 |"), "{md}");
    }
}
