//! flowlens's query-translation module: the view's filter and sort as an Athena query or
//! a CloudWatch Logs Insights query. A separate wasm module, loaded by the page the first
//! time the user asks for a translation, so that its ~36 KB (raw) stay out of the main
//! module, which every page load pays for.
//!
//! What crosses from the main module is text: the filter and sort as the user typed them
//! and the field names the translation needs (`Table.translateInput()` there). This crate
//! parses them with the same core parser and translates with `flowlens::query`; all flow
//! log knowledge stays in the core.

use flowlens::fields::Field;
use flowlens::query::{self, Filter, Target, TimeWindow};

/// Field names separated by spaces (or commas), unknown names left out. An extra column
/// is named here by its catalogue name (`extra-1`); its header name comes in `extras`.
fn fields_of(names: &str) -> Vec<Field> {
    names
        .split([' ', ','])
        .filter(|n| !n.is_empty())
        .filter_map(Field::lookup)
        .collect()
}

/// The translation of `filter` and `sort` (as typed, the syntax of the filter bar),
/// within the histogram's time `window` if any, for data with the table's fields
/// `table_fields` (Athena's columns and the `parse` pattern of Insights, the choice the
/// CLI's `--emit` makes). `extras` are the header names of the table's extra columns
/// (`Table::extra_names`): the filter and sort may name them, and the query does, as its
/// dialect requires. `kind` is `athena` or `insights`. `Err` says what cannot be
/// translated, or why the kind, the filter or the sort is not understood.
pub fn translate(
    kind: &str,
    filter: &str,
    sort: &str,
    table_fields: &str,
    extras: &[String],
    window: Option<TimeWindow>,
) -> Result<String, String> {
    let target: Target = kind.parse()?;
    let mut f = Filter::parse_with(filter, extras).map_err(|e| e.message.clone())?;
    let fields = fields_of(table_fields);
    if let Some(w) = window {
        f = f.within(w, query::time_field(|x| fields.contains(&x)));
    }
    let s = query::parse_sort_with(sort, extras).map_err(|e| format!("sort: {}", e.message))?;
    query::translate_named(target, &f, &s, &fields, extras, "vpc_flow_logs")
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen::prelude::*;

    /// `{ok, text}`: the query, or (`ok: false`) what cannot be translated. The window
    /// (unix seconds `[from, to)`) applies when both ends are given; `extras` are the
    /// header names of the extra columns (`Table.translateInput().extras`).
    #[wasm_bindgen]
    pub fn translate(
        kind: &str,
        filter: &str,
        sort: &str,
        table_fields: &str,
        window_from: Option<f64>,
        window_to: Option<f64>,
        extras: Option<Vec<String>>,
    ) -> JsValue {
        let window = match (window_from, window_to) {
            (Some(from), Some(to)) => Some(flowlens::query::TimeWindow {
                from: from.max(0.0) as u64,
                to: to.max(0.0) as u64,
            }),
            _ => None,
        };
        let extras = extras.unwrap_or_default();
        let (ok, text) = match super::translate(kind, filter, sort, table_fields, &extras, window) {
            Ok(t) => (true, t),
            Err(t) => (false, t),
        };
        let out = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&out, &"ok".into(), &JsValue::from_bool(ok));
        let _ = js_sys::Reflect::set(&out, &"text".into(), &JsValue::from_str(&text));
        out.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";

    #[test]
    fn translates_what_the_table_gives() {
        let sql = translate("athena", "action = REJECT", "bytes:desc", FIELDS, &[], None).unwrap();
        assert!(sql.contains("WHERE action = 'REJECT'"), "{sql}");
        assert!(sql.contains("ORDER BY bytes DESC"), "{sql}");
        let q = translate("insights", "action = REJECT", "", FIELDS, &[], None).unwrap();
        assert!(q.contains("filter action = \"REJECT\""), "{q}");
        // what cannot be translated, and what does not parse, say so
        let e = translate("athena", "healthcheck", "", FIELDS, &[], None).unwrap_err();
        assert!(e.contains("cannot be translated"), "{e}");
        assert!(translate("athena", "bytes >", "", FIELDS, &[], None).is_err());
        assert!(translate("athena", "", "nosuchfield", FIELDS, &[], None)
            .unwrap_err()
            .starts_with("sort: "));
        assert!(translate("sql", "", "", FIELDS, &[], None).is_err());
    }

    #[test]
    fn extra_columns_are_named_as_each_dialect_requires() {
        let fields = format!("{FIELDS} extra-1 extra-2");
        let extras = ["tcp-window".to_string(), "Select".to_string()];
        let sql = translate(
            "athena",
            "tcp-window = 42 and select ~ x",
            "tcp-window:desc",
            &fields,
            &extras,
            None,
        )
        .unwrap();
        assert!(sql.contains("\"tcp_window\" = '42'"), "{sql}");
        assert!(
            sql.contains("strpos(lower(\"select\"), 'x') > 0") || sql.contains("\"select\""),
            "{sql}"
        );
        assert!(sql.contains("ORDER BY \"tcp_window\" DESC"), "{sql}");
        let q = translate("insights", "tcp-window = 42", "", &fields, &extras, None).unwrap();
        assert!(q.contains(", tcpWindow, Select\n"), "{q}");
        assert!(q.contains("filter tcpWindow = \"42\""), "{q}");
        // a header name Insights cannot use as a field is refused, naming it
        let odd = ["tcp window".to_string()];
        let e =
            translate("insights", "", "", &format!("{FIELDS} extra-1"), &odd, None).unwrap_err();
        assert!(e.contains("'tcp window'"), "{e}");
        // without its name, an extra column is unknown to the filter, as before
        assert!(translate("athena", "tcp-window = 42", "", &fields, &[], None).is_err());
    }

    #[test]
    fn the_time_window_is_part_of_the_query() {
        let w = TimeWindow {
            from: 1_700_000_000,
            to: 1_700_000_060,
        };
        let with = translate("athena", "action = REJECT", "", FIELDS, &[], Some(w)).unwrap();
        let spliced = translate(
            "athena",
            "(action = REJECT) and start >= 1700000000 and start < 1700000060",
            "",
            FIELDS,
            &[],
            None,
        )
        .unwrap();
        assert_eq!(with, spliced);
        assert!(with.contains("1700000000"), "{with}");
        // data without start times (a Logs Insights export of some fields): the window
        // is on @timestamp, as the histogram charts it
        let fields = "@timestamp srcaddr dstaddr action";
        let with = translate("insights", "", "", fields, &[], Some(w)).unwrap();
        assert!(
            with.contains("toMillis(@timestamp) >= 1700000000000"),
            "{with}"
        );
        assert!(!with.contains("start"), "{with}");
        // Athena's table has no event time: said, not translated as something else
        let athena = translate("athena", "", "", fields, &[], Some(w)).unwrap_err();
        assert!(athena.contains("CloudWatch Logs event field"), "{athena}");
    }
}
