//! Exports with labels: the NDJSON and CSV of [`crate::output`] plus, per record, the
//! labels of its addresses and interface and its health-check verdict, under keys that
//! cannot clash with AWS field names (they contain a dot).

use super::{Annotations, NONE};
use crate::output::{json_string, ndjson_row};
use crate::table::Table;

/// The extra keys, in order.
pub const LABEL_KEYS: &[&str] = &[
    "srcaddr.label",
    "dstaddr.label",
    "interface.label",
    "interface.type",
    "healthcheck",
];

impl Annotations {
    fn label_text(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| self.labels[id as usize].text.as_str())
    }

    /// The extra values of a row, as text (`None`: no label).
    pub fn label_values(&self, row: usize) -> [Option<String>; 5] {
        let iface = self.label(self.iface[row]);
        [
            self.label_text(self.src[row]).map(str::to_string),
            self.label_text(self.dst[row]).map(str::to_string),
            iface.map(|l| l.text.clone()),
            iface.map(|l| l.kind.to_string()),
            Some(self.health_of(row).is_some().to_string()),
        ]
    }
}

/// NDJSON with the label keys (strings, or null; `healthcheck` a boolean).
pub fn write_ndjson(out: &mut String, t: &Table, rows: impl Iterator<Item = usize>) {
    let a = t.annotations();
    for r in rows {
        ndjson_row(out, t, r);
        out.pop(); // '}'
        for (k, v) in LABEL_KEYS.iter().zip(a.label_values(r)) {
            out.push(',');
            json_string(out, k);
            out.push(':');
            match v {
                Some(v) if *k == "healthcheck" => out.push_str(&v),
                Some(v) => json_string(out, &v),
                None => out.push_str("null"),
            }
        }
        out.push_str("}\n");
    }
}

/// CSV with the label columns after the table's fields, through the one CSV writer
/// (`output::write_csv_columns`), always formula-safe: labels come from context files,
/// as untrusted as logs.
pub fn write_csv(out: &mut String, t: &Table, rows: impl Iterator<Item = usize>) {
    let a = t.annotations();
    crate::output::write_csv_columns(out, t, rows, true, LABEL_KEYS, |r| a.label_values(r));
}

/// One sentence per record.
pub fn write_text(out: &mut String, t: &Table, rows: impl Iterator<Item = usize>) {
    let a = t.annotations();
    for r in rows {
        out.push_str(&a.sentence(t, r));
        out.push('\n');
    }
}
