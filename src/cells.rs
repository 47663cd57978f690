//! What one cell of the page's table shows: display text, the stored value to filter on,
//! a hover hint and, for times and durations, the number behind the text. Also the
//! state of a row (accepted or rejected, a NODATA/SKIPDATA interval) that the page
//! styles. All of it is flow-log knowledge, so the page never parses display text or
//! compares vocabulary words itself.

use crate::fields::{Field, Kind};
use crate::output::display_value;
use crate::query::SortField;
use crate::table::column::{ACCEPT, REJECT, STATUS_NODATA, STATUS_OK, STATUS_SKIPDATA};
use crate::table::{Table, Value};
use crate::vocab;
use serde::Serialize;

/// A column of the page's table: a catalogue field or the derived `duration`
/// (`end − start`); the same names as sort keys.
pub type ViewColumn = SortField;

/// An unknown column name: the page asked for a field the catalogue does not have (it
/// must not be dropped silently, which would shift the column indexes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown field '{0}'")]
pub struct UnknownColumn(pub String);

/// Looks up a column by any spelling a field has, or `duration`.
pub fn lookup_column(name: &str) -> Result<ViewColumn, UnknownColumn> {
    if name.trim().eq_ignore_ascii_case("duration") {
        return Ok(SortField::Duration);
    }
    Field::lookup(name)
        .map(SortField::Field)
        .ok_or_else(|| UnknownColumn(name.to_string()))
}

/// Looks up every name, failing on the first unknown one.
pub fn lookup_columns<S: AsRef<str>>(names: &[S]) -> Result<Vec<ViewColumn>, UnknownColumn> {
    names.iter().map(|n| lookup_column(n.as_ref())).collect()
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The text shown (`-` for no value).
    pub text: String,
    /// "" when `text` is the value to filter on, else the stored text (tags as
    /// written, values escaped or cut for display).
    pub filter: String,
    /// What the text does not say (port names, address scope, what a code means).
    pub hint: String,
    /// Unix seconds of a time, seconds of a duration; `None` for other values.
    pub secs: Option<f64>,
}

/// The cell of `row` in `column`, with the text cut for display.
pub fn cell(t: &Table, row: usize, column: ViewColumn) -> Cell {
    match column {
        SortField::Duration => duration_cell(t, row),
        SortField::Field(f) => {
            let d = display_value(t, row, f);
            let cut = crate::display::truncate(&d);
            let value = t.value(row, f);
            let filter = match value {
                Value::Text(raw) if cut.is_some() || d != raw => raw.to_string(),
                _ => String::new(),
            };
            Cell {
                text: cut.unwrap_or(d),
                filter,
                hint: hint(t, row, f),
                secs: secs_of(value),
            }
        }
    }
}

fn secs_of(v: Value<'_>) -> Option<f64> {
    match v {
        Value::Time { secs, millis } => Some(secs as f64 + f64::from(millis) / 1000.0),
        Value::EventTime(ms) => Some(ms as f64 / 1000.0),
        _ => None,
    }
}

/// `end − start` in seconds (shown by the page as `1m 5s`); no value when either is
/// missing.
fn duration_cell(t: &Table, row: usize) -> Cell {
    let secs = |f: Field| t.column(f).and_then(|c| c.uint(row));
    match (secs(Field::Start), secs(Field::End)) {
        (Some(a), Some(b)) => {
            let d = b as i64 - a as i64;
            Cell {
                text: d.to_string(),
                filter: String::new(),
                hint: format!("{d} seconds (end − start)"),
                secs: Some(d as f64),
            }
        }
        _ => Cell {
            text: "-".into(),
            filter: String::new(),
            hint: "no value".into(),
            secs: None,
        },
    }
}

/// A hover hint for a cell: what the display text doesn't say.
pub fn hint(t: &Table, row: usize, f: Field) -> String {
    let v = t.value(row, f);
    match (f, v) {
        (_, Value::Null) => match status(t, row) {
            Some(s @ (Status::Nodata | Status::Skipdata)) => s.meaning().into(),
            _ => "no value".into(),
        },
        (Field::Protocol, Value::UInt(p)) => {
            let d = vocab::protocol_description(p as u8).unwrap_or("");
            format!("protocol {p} {d}").trim_end().to_string()
        }
        (Field::SrcPort | Field::DstPort, Value::UInt(p)) => {
            let proto = t
                .column(Field::Protocol)
                .and_then(|c| c.uint(row))
                .map(|p| p as u8);
            vocab::port_name(p as u16, proto).unwrap_or("").to_string()
        }
        (Field::TcpFlags, Value::UInt(n)) => format!("tcp-flags {n}"),
        (Field::TrafficPath, Value::UInt(n)) => {
            vocab::traffic_path_label(n as u8).unwrap_or("").to_string()
        }
        (Field::EncryptionStatus, Value::UInt(n)) => vocab::encryption_status_label(n as u8)
            .unwrap_or("")
            .to_string(),
        (Field::LogStatus, Value::Text(s)) => vocab::log_status_label(s).unwrap_or("").to_string(),
        (Field::RejectReason, Value::Text(s)) => {
            vocab::reject_reason_label(s).unwrap_or("").to_string()
        }
        (_, Value::Addr(a)) => vocab::address_scope(a).to_string(),
        (_, Value::Time { secs, .. }) => format!("unix {secs}"),
        (_, Value::Text(s)) if f.kind() == Kind::Tag => s.to_string(),
        _ => String::new(),
    }
}

/// The `action` of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Accept,
    Reject,
}

/// The `log-status` of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Nodata,
    Skipdata,
}

impl Status {
    /// What the status means, for the hint of an empty cell.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Ok => "",
            Status::Nodata => "NODATA: no traffic in the interval",
            Status::Skipdata => "SKIPDATA: records were skipped in the interval",
        }
    }

    /// Why a NODATA/SKIPDATA row is empty, shown in its first empty cell.
    pub fn note(self) -> &'static str {
        match self {
            Status::Ok => "",
            Status::Nodata => "NODATA · no traffic",
            Status::Skipdata => "SKIPDATA · records skipped",
        }
    }
}

fn status(t: &Table, row: usize) -> Option<Status> {
    match t.column(Field::LogStatus)?.code(row)? {
        STATUS_OK => Some(Status::Ok),
        STATUS_NODATA => Some(Status::Nodata),
        STATUS_SKIPDATA => Some(Status::Skipdata),
        _ => None,
    }
}

/// What the page styles a row by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowState {
    /// `accept` or `reject`; absent without an `action` value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<Outcome>,
    /// `ok`, `nodata` or `skipdata`; absent without a `log-status` value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Why the row has empty cells ("" when it has no reason to).
    pub note: &'static str,
}

/// The state of `row`.
pub fn row_state(t: &Table, row: usize) -> RowState {
    let action = match t.column(Field::Action).and_then(|c| c.code(row)) {
        Some(ACCEPT) => Some(Outcome::Accept),
        Some(REJECT) => Some(Outcome::Reject),
        _ => None,
    };
    let status = status(t, row);
    RowState {
        action,
        status,
        note: status.map_or("", Status::note),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        crate::decoder::decode_bytes(text.as_bytes(), Default::default())
    }

    const LINES: &str = "2 123456789012 eni-1 10.0.0.1 8.8.8.8 443 49152 6 10 840 1764115200 1764115265 REJECT OK\n\
                         2 123456789012 eni-1 - - - - - - - 1764115200 1764115260 - NODATA\n";

    #[test]
    fn cells_give_numbers_behind_times_and_durations() {
        let t = table(LINES);
        let start = cell(&t, 0, lookup_column("start").unwrap());
        assert_eq!(start.text, "2025-11-26T00:00:00Z");
        assert_eq!(start.secs, Some(1764115200.0));
        let d = cell(&t, 0, lookup_column("duration").unwrap());
        assert_eq!((d.text.as_str(), d.secs), ("65", Some(65.0)));
        assert_eq!(d.hint, "65 seconds (end − start)");
        let port = cell(&t, 0, lookup_column("srcport").unwrap());
        assert_eq!(
            (port.text.as_str(), port.hint.as_str(), port.secs),
            ("443", "https", None)
        );
        assert_eq!(
            cell(&t, 0, lookup_column("dstaddr").unwrap()).hint,
            "public"
        );
    }

    #[test]
    fn row_state_names_outcome_and_empty_intervals() {
        let t = table(LINES);
        let s = row_state(&t, 0);
        assert_eq!(
            (s.action, s.status, s.note),
            (Some(Outcome::Reject), Some(Status::Ok), "")
        );
        let s = row_state(&t, 1);
        assert_eq!(
            (s.action, s.status, s.note),
            (None, Some(Status::Nodata), "NODATA · no traffic")
        );
        let empty = cell(&t, 1, lookup_column("srcaddr").unwrap());
        assert_eq!(
            (empty.text.as_str(), empty.hint.as_str()),
            ("-", "NODATA: no traffic in the interval")
        );
    }

    #[test]
    fn unknown_columns_are_errors() {
        assert_eq!(lookup_column("Duration"), Ok(SortField::Duration));
        assert_eq!(
            lookup_column("log_status"),
            Ok(SortField::Field(Field::LogStatus))
        );
        let e = lookup_columns(&["srcaddr", "nope", "bytes"]).unwrap_err();
        assert_eq!(e.to_string(), "unknown field 'nope'");
    }
}
