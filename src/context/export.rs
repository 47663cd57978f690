//! Exports with labels: the NDJSON and CSV of [`crate::output`] plus, per record, the
//! labels of its addresses and interface and its health-check verdict, under keys that
//! cannot clash with AWS field names (they contain a dot).

use super::{Annotations, NONE};
use crate::output::{csv_cell, json_string, ndjson_row};
use crate::table::{write_plain, Table, Value};

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

/// CSV with the label columns after the table's fields.
pub fn write_csv(out: &mut String, t: &Table, rows: impl Iterator<Item = usize>) {
    let a = t.annotations();
    let fields = t.fields();
    let header: Vec<&str> = fields
        .iter()
        .map(|f| f.name())
        .chain(LABEL_KEYS.iter().copied())
        .collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    let mut cell = String::new();
    for r in rows {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match t.value(r, *f) {
                Value::Null => {}
                v => {
                    cell.clear();
                    write_plain(&mut cell, v);
                    csv_cell(out, &cell);
                }
            }
        }
        for v in a.label_values(r) {
            out.push(',');
            if let Some(v) = v {
                csv_cell(out, &v);
            }
        }
        out.push_str("\r\n");
    }
}

/// One sentence per record.
pub fn write_text(out: &mut String, t: &Table, rows: impl Iterator<Item = usize>) {
    let a = t.annotations();
    for r in rows {
        out.push_str(&a.sentence(t, r));
        out.push('\n');
    }
}
