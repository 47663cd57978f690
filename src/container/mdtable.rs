//! A Markdown table of flow log fields, pasted back: flowlens's own "Copy as Markdown"
//! (`-o markdown`), or a table a teammate put in a chat, a ticket or a wiki page.
//!
//! ```text
//! | version | account-id | interface-id | srcaddr | … | protocol | … | start | … |
//! | ---: | --- | --- | --- | … | --- | … | --- | … |
//! | 2 | 123456789012 | eni-0a1b… | 10.0.1.5 | … | TCP | … | 2025-11-26T00:00:18Z | … |
//! ```
//!
//! The header row's names bind by the rule every field header follows
//! ([`fieldrow::field_columns`]: at least two known names, more known than unknown) and go
//! to the decoder as a header line; each row's cells become a record line. Cells hold
//! display values, so the ones a reader shows differently from the log are turned back,
//! each only where the result is exact: a protocol name (`TCP` → 6), a TCP flags label
//! (`SYN-ACK+FIN` → 19, `none` → 0) and a whole-second UTC time in a time field
//! (`2025-11-26T00:00:18Z` → 1764115218). `@timestamp` and `@logStream` columns are
//! the record's event time and stream, as in a CSV export. Anything else is passed as it is, so a value
//! that is not a flow log value is the decoder's bad line with its line number, never a
//! guess. An empty cell is `-`; `\|` and `\\` are unescaped.

use super::fieldrow;
use super::time;
use crate::fields::{Field, Kind};
use crate::line_error::LineError;
use crate::vocab;

/// The cells of a table row (`| a | b |`), trimmed and unescaped; `None` for a line that
/// is not one (it must start and end with an unescaped `|` and hold two cells or more).
pub(crate) fn cells(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let t = line.trim_ascii();
    if t.len() < 3 || t[0] != b'|' || t[t.len() - 1] != b'|' || t.ends_with(b"\\|") {
        return None;
    }
    let out = split(&t[1..t.len() - 1]);
    (out.len() >= 2).then_some(out)
}

/// The cells of a row written without its outer pipes, as GitHub-flavoured Markdown
/// allows (`version | srcaddr | bytes`, `| a | b` or `a | b |`): two cells or more.
/// Only read as a table row where it cannot be a line of anything else: as a header of
/// field names ([`loose_header`]) and the rows under such a header.
pub(crate) fn loose_cells(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    memchr::memchr(b'|', line)?;
    let t = line.trim_ascii();
    let t = t.strip_prefix(b"|").unwrap_or(t);
    let t = match t.strip_suffix(b"|") {
        Some(rest) if !rest.ends_with(b"\\") => rest,
        _ => t,
    };
    let out = split(t);
    (out.len() >= 2).then_some(out)
}

/// Whether a line is the header row of a table without outer pipes: its cells are field
/// names ([`MdTable::header`], of fields or of groups). `scratch` is overwritten.
pub(crate) fn loose_header(line: &[u8], scratch: &mut Vec<u8>) -> bool {
    loose_cells(line).is_some_and(|c| MdTable::header(&c, scratch).is_some())
}

/// A row's text between its outer pipes, split at each unescaped `|`; each cell trimmed,
/// `\|` and `\\` unescaped.
fn split(body: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut cell = Vec::new();
    let mut bytes = body.iter();
    while let Some(&b) = bytes.next() {
        match b {
            b'\\' => match bytes.as_slice().first() {
                Some(&next @ (b'|' | b'\\')) => {
                    cell.push(next);
                    bytes.next();
                }
                _ => cell.push(b),
            },
            b'|' => {
                out.push(cell.trim_ascii().to_vec());
                cell.clear();
            }
            _ => cell.push(b),
        }
    }
    out.push(cell.trim_ascii().to_vec());
    out
}

/// Whether a row is the header's alignment row (`| --- | ---: | :---: |`). A row of
/// only `-` cells is not: it is a NODATA record's shown columns.
pub(crate) fn is_rule(cells: &[Vec<u8>]) -> bool {
    !cells.iter().all(|c| c == b"-")
        && cells.iter().all(|c| {
            let c = c.strip_prefix(b":").unwrap_or(c);
            let c = c.strip_suffix(b":").unwrap_or(c);
            !c.is_empty() && c.iter().all(|&b| b == b'-')
        })
}

/// What a header-shaped row starts.
#[derive(Debug)]
pub(crate) enum Start {
    /// A table of flow log fields: its rows are records.
    Fields(MdTable),
    /// A table of groups or other columns ([`is_group_header`]): its rows are not records.
    Groups,
}

/// Whether a header row is a table of groups (flowlens's `--top` table, a Logs Insights
/// `stats count(*) as flows, sum(bytes) as bytesTransferred by srcAddr` result): a
/// `records`, `count…`, `sum…` or `total…` column (any case), or an aggregate `f(…)`.
/// Its rows are totals of many flows, so they are not read as records even when the
/// other names are fields.
pub(crate) fn is_group_header(cells: &[Vec<u8>]) -> bool {
    cells.iter().any(|c| {
        let lower = c.to_ascii_lowercase();
        lower == b"records"
            || lower.contains(&b'(')
            || [&b"count"[..], b"sum", b"total", b"avg", b"flows"]
                .iter()
                .any(|p| lower.starts_with(p))
    })
}

/// A table whose header row named flow log fields.
#[derive(Debug)]
pub(crate) struct MdTable {
    /// The columns of the record line, in its order (see [`MdTable::header`]).
    values: Vec<usize>,
    /// The field of each of `values`.
    fields: Vec<Field>,
    /// Each column's header name, for errors.
    names: Vec<String>,
    /// The `@timestamp` column: the record's event time, as a CSV export's is.
    timestamp: Option<usize>,
    /// The `@logStream` column: the record's stream.
    stream: Option<usize>,
}

/// What a row gives besides its record line.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct RowMeta {
    /// The `@timestamp` cell's time, unix milliseconds.
    pub(crate) timestamp_ms: Option<i64>,
    /// The `@logStream` column (index into the row's cells), when it has a name.
    pub(crate) stream: Option<usize>,
}

impl MdTable {
    /// The table a header row starts, with its names as a header line in `line`; `None`
    /// when the cells are not field names that bind. The `@timestamp` and `@logStream`
    /// columns are the record's event time and stream, not fields of its line; other
    /// `@` names (`@log`, `@ptr`) go last, as a header starts with a field.
    pub(crate) fn header(cells: &[Vec<u8>], line: &mut Vec<u8>) -> Option<Start> {
        if cells
            .iter()
            .any(|c| c.is_empty() || c.iter().any(u8::is_ascii_whitespace))
        {
            return None;
        }
        // groups: a total column beside at least two field names (any spelling)
        if is_group_header(cells) {
            let known = cells
                .iter()
                .filter_map(|c| std::str::from_utf8(c).ok())
                .filter(|c| Field::lookup(c).is_some())
                .count();
            return (known >= 2).then_some(Start::Groups);
        }
        let timestamp = cells.iter().position(|c| fieldrow::is_timestamp_name(c));
        let stream = cells.iter().position(|c| fieldrow::is_stream_name(c));
        let names: Vec<&[u8]> = cells.iter().map(Vec::as_slice).collect();
        let (values, header) = fieldrow::field_columns(&names, timestamp, stream, line)?;
        if header.fields.len() != values.len() {
            return None;
        }
        // A column that is not a flow log field (other than an `@` name) is, in a table
        // someone posted, most likely a total or an alias (`bytesTransferred`): the rows
        // are not read as records rather than guessed at.
        let unknown = header.unknown.iter().any(|(_, n)| !n.starts_with('@'));
        if unknown {
            return Some(Start::Groups);
        }
        Some(Start::Fields(MdTable {
            values,
            fields: header.fields,
            names: cells
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect(),
            timestamp,
            stream,
        }))
    }

    /// A row's cells as a record line in `line`, display values turned back (see the
    /// module's doc), and its event time and stream.
    pub(crate) fn record(
        &self,
        cells: &[Vec<u8>],
        line: &mut Vec<u8>,
    ) -> Result<RowMeta, LineError> {
        if cells.len() != self.names.len() {
            return Err(LineError::TableRowWidth {
                cells: cells.len(),
                header: self.names.len(),
            });
        }
        line.clear();
        let mut number = String::new();
        for (n, (&i, &field)) in self.values.iter().zip(&self.fields).enumerate() {
            number.clear();
            let cell = &cells[i];
            if !exact_text(field, cell) {
                return Err(self.shown(i));
            }
            let value = match raw_value(field, cell, &mut number) {
                true => number.as_bytes(),
                false => cell.as_slice(),
            };
            if !fieldrow::push_value(line, n == 0, value) {
                return Err(LineError::TableCellSpace {
                    column: i + 1,
                    name: self.names[i].clone(),
                });
            }
        }
        let given = |i: &usize| !matches!(cells[*i].as_slice(), b"" | b"-");
        let timestamp_ms = match self.timestamp.filter(given) {
            Some(i) => Some(time::parse_text(&cells[i]).ok_or_else(|| self.shown(i))?),
            None => None,
        };
        Ok(RowMeta {
            timestamp_ms,
            stream: self.stream.filter(given),
        })
    }

    /// The fields of the header line the table gives the decoder.
    pub(crate) fn field_count(&self) -> usize {
        self.fields.len()
    }

    fn shown(&self, i: usize) -> LineError {
        LineError::TableCellShown {
            column: i + 1,
            name: self.names[i].clone(),
        }
    }
}

/// Whether a cell can be the log's own text: not a tag as shown (percent-decoded, so the
/// log's encoding is lost), not a value with an escape the page or CLI writes for an
/// invisible character (`\u{200b}`), not a line break written as `<br>`.
fn exact_text(field: Field, cell: &[u8]) -> bool {
    let has = |needle: &[u8]| cell.windows(needle.len()).any(|w| w == needle);
    let tag_as_shown = field.kind() == Kind::Tag && cell.contains(&b'%');
    !(tag_as_shown || has(b"\\u{") || has(b"<br>"))
}

/// The log's form of a display value of `field` in `out`, when it has one that is exact;
/// false to keep the cell as it is.
fn raw_value(field: Field, cell: &[u8], out: &mut String) -> bool {
    use std::fmt::Write as _;
    vocab::from_shown(field, cell).is_some_and(|n| write!(out, "{n}").is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(s: &str) -> Vec<Vec<u8>> {
        cells(s.as_bytes()).expect("a table row")
    }

    fn table(s: &str) -> MdTable {
        match MdTable::header(&row(s), &mut Vec::new()) {
            Some(Start::Fields(t)) => t,
            other => panic!("{s}: {other:?}"),
        }
    }

    fn record(t: &MdTable, s: &str) -> Result<String, LineError> {
        let mut line = Vec::new();
        t.record(&row(s), &mut line)?;
        Ok(String::from_utf8(line).unwrap())
    }

    fn meta(t: &MdTable, s: &str) -> RowMeta {
        t.record(&row(s), &mut Vec::new()).unwrap()
    }

    #[test]
    fn cells_are_trimmed_and_unescaped() {
        assert_eq!(
            row("| a | b\\|c | d\\\\ |"),
            vec![b"a".to_vec(), b"b|c".to_vec(), b"d\\".to_vec()]
        );
        assert_eq!(
            row("|a||b|"),
            vec![b"a".to_vec(), b"".to_vec(), b"b".to_vec()]
        );
        assert!(cells(b"| only |").is_none());
        assert!(cells(b"a | b | c").is_none());
        assert!(cells(b"| a | b \\|").is_none());
        assert!(cells(b"+----+----+").is_none());
    }

    #[test]
    fn loose_cells_need_no_outer_pipes() {
        let abc = vec![b"a".to_vec(), b"b|c".to_vec(), b"d".to_vec()];
        for line in [
            "a | b\\|c | d",
            "| a | b\\|c | d",
            "a | b\\|c | d |",
            " | a | b\\|c | d | ",
        ] {
            assert_eq!(loose_cells(line.as_bytes()), Some(abc.clone()), "{line}");
        }
        assert_eq!(
            loose_cells(b"a\\|b | c\\|"),
            Some(vec![b"a|b".to_vec(), b"c|".to_vec()])
        );
        for not in ["no pipe here", "| only |", "only |", "a \\| b"] {
            assert!(loose_cells(not.as_bytes()).is_none(), "{not}");
        }
        let mut scratch = Vec::new();
        assert!(loose_header(b"srcaddr | dstaddr | bytes", &mut scratch));
        assert!(!loose_header(
            b"$ aws logs tail vpc | grep REJECT",
            &mut scratch
        ));
        assert!(!loose_header(b"this | that", &mut scratch));
    }

    #[test]
    fn the_alignment_row_is_a_rule() {
        assert!(is_rule(&row("| ---: | --- | :---: | - |")));
        assert!(!is_rule(&row("| --- | 6 |")));
        assert!(!is_rule(&row("| --- |  |")));
        // a NODATA record's shown columns
        assert!(!is_rule(&row("| - | - | - |")));
    }

    #[test]
    fn a_header_needs_two_known_names_and_no_spaces() {
        let mut line = Vec::new();
        assert!(matches!(
            MdTable::header(&row("| srcaddr | dstaddr | bytes |"), &mut line),
            Some(Start::Fields(_))
        ));
        assert_eq!(line, b"srcaddr dstaddr bytes");
        for not in [
            "| Name | Value |",
            "| action | note |",
            "| src addr | dstaddr | bytes |",
            "| srcaddr | | bytes |",
        ] {
            assert!(MdTable::header(&row(not), &mut line).is_none(), "{not}");
        }
        // groups, totals or aliases: not flows
        for groups in [
            "| srcaddr | dstport | records | packets | bytes |",
            "| srcAddr | dstAddr | bytesTransferred |",
            "| srcaddr | dstaddr | Count |",
            "| srcaddr | dstaddr | sum_bytes |",
        ] {
            assert!(
                matches!(
                    MdTable::header(&row(groups), &mut line),
                    Some(Start::Groups)
                ),
                "{groups}"
            );
        }
    }

    #[test]
    fn display_values_are_turned_back_only_where_exact() {
        let t = table("| srcaddr | protocol | tcp-flags | start | end | action | @timestamp |");
        assert_eq!(
            record(&t, "| 10.0.0.1 | TCP | SYN-ACK+FIN | 2025-11-26T00:00:18Z | 1764115278 | ACCEPT | 2025-11-26T00:01:00.000Z |").unwrap(),
            "10.0.0.1 6 19 1764115218 1764115278 ACCEPT"
        );
        assert_eq!(
            meta(
                &t,
                "| 10.0.0.1 | TCP | SYN | - | - | ACCEPT | 2025-11-26T00:01:00.000Z |"
            ),
            RowMeta {
                timestamp_ms: Some(1_764_115_260_000),
                stream: None
            }
        );
        assert_eq!(
            record(&t, "| 10.0.0.1 | udp | none |  | - | REJECT | - |").unwrap(),
            "10.0.0.1 17 0 - - REJECT"
        );
        // not exact: kept as they are, for the decoder to report
        for (cell, why) in [
            ("2025-11-26T00:00:18.500Z", "a fraction"),
            ("2025-04-31T00:00:00Z", "an impossible date"),
            ("2025-11-26T00:00:18", "no zone"),
            ("2025-11-26T00:00:18+00:00", "not as flowlens writes it"),
        ] {
            let got = record(
                &t,
                &format!("| 10.0.0.1 | TPC | SYN+BOGUS | {cell} | 1 | ACCEPT | - |"),
            )
            .unwrap();
            assert_eq!(
                got,
                format!("10.0.0.1 TPC SYN+BOGUS {cell} 1 ACCEPT"),
                "{why}"
            );
        }
        // a time only in a time field; a name only in its own field
        let t = table("| srcaddr | action | log-status |");
        assert_eq!(
            record(&t, "| TCP | ACCEPT | OK |").unwrap(),
            "TCP ACCEPT OK"
        );
        // the event columns come out of the line; other `@` names go last
        let mut line = Vec::new();
        let t = table("| @log | @logStream | srcaddr | dstaddr |");
        MdTable::header(&row("| @log | @logStream | srcaddr | dstaddr |"), &mut line);
        assert_eq!(line, b"srcaddr dstaddr @log");
        assert_eq!(
            record(&t, "| g | s | 10.0.0.1 | 10.0.0.2 |").unwrap(),
            "10.0.0.1 10.0.0.2 g"
        );
        assert_eq!(meta(&t, "| g | s | 10.0.0.1 | 10.0.0.2 |").stream, Some(1));
    }

    #[test]
    fn rows_that_cannot_be_placed_are_errors() {
        let t = table("| srcaddr | dstaddr | bytes |");
        assert!(matches!(
            record(&t, "| 10.0.0.1 | 10.0.0.2 |"),
            Err(LineError::TableRowWidth {
                cells: 2,
                header: 3
            })
        ));
        assert!(matches!(
            record(&t, "| 10.0.0.1 | 10.0.0.2 | 1 234 |"),
            Err(LineError::TableCellSpace { column: 3, .. })
        ));
        assert!(matches!(
            record(&t, "| 10.0.0.1 | a<br>b | 1 |"),
            Err(LineError::TableCellShown { column: 2, .. })
        ));
        let t = table("| srcaddr | dstaddr | @timestamp |");
        assert!(matches!(
            record(&t, "| 10.0.0.1 | 10.0.0.2 | yesterday |"),
            Err(LineError::TableCellShown { column: 3, .. })
        ));
        // a tag as shown lost its percent-encoding; an escaped invisible character
        let t = table("| srcaddr | dstaddr | interface-tag |");
        assert!(matches!(
            record(&t, "| 10.0.0.1 | 10.0.0.2 | env=a%41 |"),
            Err(LineError::TableCellShown { column: 3, .. })
        ));
        let t = table("| srcaddr | dstaddr | vpc-id |");
        assert!(matches!(
            record(&t, "| 10.0.0.1 | 10.0.0.2 | vpc-1\\u{200b} |"),
            Err(LineError::TableCellShown { column: 3, .. })
        ));
    }
}
