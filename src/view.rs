//! What a viewer shows of a table: windows of display text with hover hints, the
//! per-row labels, the "read" view's sentences and one row's full detail. The page's
//! wasm adapter only serializes these; the policy (which hint a cell gets, which fields a
//! detail lists, which text a click filters on) lives here, testable natively.

use crate::context::Label;
use crate::display;
use crate::fields::{Field, Kind, FIELDS};
use crate::output::display_value;
use crate::table::column::{STATUS_NODATA, STATUS_SKIPDATA};
use crate::table::{write_plain, Table, Value};
use crate::vocab;
use serde::Serialize;

/// One field as the page describes it: name, kind family, version and sentence.
#[derive(Debug, Clone, Serialize)]
pub struct FieldInfo {
    /// The AWS name (`log-status`).
    pub name: &'static str,
    /// [`Kind::family_name`]: `integer`, `time`, `address` or `text`.
    pub kind: &'static str,
    /// The flow log version that introduced the field.
    pub version: u8,
    /// One sentence for tooltips and help.
    pub about: &'static str,
}

impl FieldInfo {
    /// The description of one field.
    pub fn of(f: Field) -> FieldInfo {
        FieldInfo {
            name: f.name(),
            kind: f.kind().family_name(),
            version: f.def().version,
            about: f.def().about,
        }
    }
}

/// The field catalogue, for a page that must not keep its own copy.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    /// Every field flowlens knows, in catalogue order.
    pub fields: Vec<FieldInfo>,
}

/// Every known field with its kind, version and description.
pub fn catalogue() -> Catalogue {
    Catalogue {
        fields: FIELDS.iter().map(|d| FieldInfo::of(d.field)).collect(),
    }
}

/// A hover hint for a cell: what the display text doesn't say.
pub fn hint(t: &Table, row: usize, f: Field) -> String {
    let v = t.value(row, f);
    match (f, v) {
        (_, Value::Null) => match t.column(Field::LogStatus).and_then(|c| c.code(row)) {
            Some(STATUS_NODATA) => "NODATA: no traffic in the interval".into(),
            Some(STATUS_SKIPDATA) => "SKIPDATA: records were skipped in the interval".into(),
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
        (Field::LogStatus, Value::Text(s)) => vocab::label(vocab::LOG_STATUSES, s)
            .unwrap_or("")
            .to_string(),
        (Field::RejectReason, Value::Text(s)) => vocab::label(vocab::REJECT_REASONS, s)
            .unwrap_or("")
            .to_string(),
        (_, Value::Addr(a)) => vocab::address_scope(a).to_string(),
        (_, Value::Time { secs, .. }) => format!("unix {secs}"),
        (_, Value::Text(s)) if f.kind() == Kind::Tag => s.to_string(),
        _ => String::new(),
    }
}

/// The labels of one row: source, destination, interface and health-check flag.
#[derive(Debug, Clone, Serialize)]
pub struct RowLabels {
    /// The source address's label.
    pub src: Option<Label>,
    /// The destination address's label.
    pub dst: Option<Label>,
    /// The interface's label.
    pub iface: Option<Label>,
    /// The row is a load-balancer health check.
    pub hc: bool,
}

/// The labels the table's annotations give row `r`.
pub fn row_labels(t: &Table, r: usize) -> RowLabels {
    let a = t.annotations();
    let get = |v: &Vec<u32>| v.get(r).and_then(|&id| a.label(id)).cloned();
    RowLabels {
        src: get(&a.src),
        dst: get(&a.dst),
        iface: get(&a.iface),
        hc: a.health_of(r).is_some(),
    }
}

/// Display text of some rows: for each row its id and the display text and hint of each
/// field; `filters` is "" where the display text is the value to filter on, else the
/// stored text (tags as written, values escaped or cut for display).
#[derive(Debug, Clone, Serialize)]
pub struct Window {
    /// Row ids, in the order given.
    pub ids: Vec<u32>,
    /// Per row, per field: the display text (cut when long).
    pub rows: Vec<Vec<String>>,
    /// Per row, per field: [`hint`].
    pub hints: Vec<Vec<String>>,
    /// Per row, per field: the text to filter on when it is not the display text.
    pub filters: Vec<Vec<String>>,
    /// Per row: `{src, dst, iface, hc}` labels (text, kind, guess) of the finished table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<RowLabels>>,
}

/// The [`Window`] of `rows` over `fields`, with labels when `labels` is set.
pub fn window(t: &Table, rows: &[u32], fields: &[Field], labels: bool) -> Window {
    let mut shown = Vec::with_capacity(rows.len());
    let mut filters = Vec::with_capacity(rows.len());
    for &r in rows {
        let (row, filter): (Vec<String>, Vec<String>) =
            fields.iter().map(|f| cell(t, r as usize, *f)).unzip();
        shown.push(row);
        filters.push(filter);
    }
    Window {
        labels: labels.then(|| rows.iter().map(|&r| row_labels(t, r as usize)).collect()),
        ids: rows.to_vec(),
        rows: shown,
        hints: rows
            .iter()
            .map(|&r| fields.iter().map(|f| hint(t, r as usize, *f)).collect())
            .collect(),
        filters,
    }
}

/// One cell's display text (cut when long) and its filter text ("" when the display text
/// is what a filter matches).
fn cell(t: &Table, r: usize, f: Field) -> (String, String) {
    let d = display_value(t, r, f);
    let cut = display::truncate(&d);
    let filter = match t.value(r, f) {
        Value::Text(raw) if cut.is_some() || d != raw => raw.to_string(),
        _ => String::new(),
    };
    (cut.unwrap_or(d), filter)
}

/// The "read" view: each row as a sentence, with its labels.
#[derive(Debug, Clone, Serialize)]
pub struct ReadWindow {
    /// Row ids, in the order given.
    pub ids: Vec<u32>,
    /// Per row: the record as a sentence.
    pub sentences: Vec<String>,
    /// Per row: its labels.
    pub labels: Vec<RowLabels>,
}

/// The [`ReadWindow`] of `rows`.
pub fn read_window(t: &Table, rows: &[u32]) -> ReadWindow {
    let a = t.annotations();
    ReadWindow {
        ids: rows.to_vec(),
        sentences: rows.iter().map(|&r| a.sentence(t, r as usize)).collect(),
        labels: rows.iter().map(|&r| row_labels(t, r as usize)).collect(),
    }
}

/// One field of a [`RowDetail`].
#[derive(Debug, Clone, Serialize)]
pub struct DetailField {
    /// The AWS name.
    pub name: &'static str,
    /// One sentence about the field.
    pub about: &'static str,
    /// The display text.
    pub display: String,
    /// The value as stored (invisible characters escaped).
    pub raw: String,
    /// [`hint`].
    pub hint: String,
}

/// Everything about one row.
#[derive(Debug, Clone, Serialize)]
pub struct RowDetail {
    /// The row id.
    pub id: u32,
    /// The file it came from.
    pub file: String,
    /// Its line in that file.
    pub line: u64,
    /// The row came from a Parquet file: `line` is its row number.
    pub parquet: bool,
    /// The original line (invisible characters escaped).
    pub original: String,
    /// The fields of its line, then the event timestamp and log stream when present.
    pub fields: Vec<DetailField>,
    /// The record as a sentence.
    pub sentence: String,
    /// Its labels.
    pub labels: RowLabels,
    /// Its direction, when the context tells it.
    pub direction: Option<(&'static str, &'static str)>,
    /// The health-check verdict.
    pub health: Option<String>,
    /// What the log says (or cannot say) about the client behind a LB or NAT.
    pub client: Vec<String>,
}

/// The [`RowDetail`] of row `r` (a row id).
pub fn row_detail(t: &Table, r: usize) -> RowDetail {
    let mut fields: Vec<Field> = t.row_fields(r).to_vec();
    for f in [Field::EventTimestamp, Field::LogStream] {
        if !t.value(r, f).is_null() {
            fields.push(f);
        }
    }
    let a = t.annotations();
    let file = &t.files()[t.row_file(r) as usize];
    RowDetail {
        sentence: a.sentence(t, r),
        labels: row_labels(t, r),
        direction: a.direction(t, r),
        health: a.health_of(r).map(|s| s.reason()),
        client: a.client_notes(t, r),
        id: r as u32,
        file: file.name.clone(),
        line: t.row_line(r),
        parquet: file.shape == Some(crate::container::Shape::Parquet),
        original: display::visible(&String::from_utf8_lossy(&t.original_line(r))).into_owned(),
        fields: fields.iter().map(|&f| detail_field(t, r, f)).collect(),
    }
}

fn detail_field(t: &Table, r: usize, f: Field) -> DetailField {
    let mut raw = String::new();
    write_plain(&mut raw, t.value(r, f));
    DetailField {
        name: f.name(),
        about: f.def().about,
        display: display_value(t, r, f),
        raw: display::visible(&raw).into_owned(),
        hint: hint(t, r, f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_name_what_the_text_does_not_say() {
        let t = crate::decode_bytes(
            b"2 123456789012 eni-1 10.0.0.1 10.0.0.2 443 22 6 1 40 1700000000 1700000060 ACCEPT OK\n\
              2 123456789012 eni-1 - - - - - - - 1700000000 1700000060 - NODATA\n",
            Default::default(),
        );
        assert_eq!(
            hint(&t, 0, Field::Protocol),
            "protocol 6 Transmission Control"
        );
        assert_eq!(hint(&t, 0, Field::DstPort), "ssh");
        assert_eq!(hint(&t, 0, Field::SrcAddr), "private");
        assert_eq!(
            hint(&t, 1, Field::SrcAddr),
            "NODATA: no traffic in the interval"
        );
        let d = row_detail(&t, 0);
        assert_eq!(d.line, 1);
        assert_eq!(d.fields.len(), 14);
        assert_eq!(d.fields[11].name, "end");
        let w = window(&t, &[1, 0], &[Field::Action], false);
        assert_eq!(w.ids, vec![1, 0]);
        assert_eq!(w.rows[1], vec!["ACCEPT".to_string()]);
        assert!(catalogue()
            .fields
            .iter()
            .any(|f| f.name == "srcaddr" && f.kind == "address"));
    }
}
