//! flowlens's query-translation module: the view's filter and sort as an Athena query or
//! a CloudWatch Logs Insights query. A separate wasm module, loaded by the page the first
//! time the user asks for a translation, so that its ~36 KB (raw) stay out of the main
//! module, which every page load pays for.
//!
//! What crosses from the main module is text: the filter and sort as the user typed them
//! and the field names the translation needs (`Table.translateInput()` there). This crate
//! parses them with the same core parser and translates with `flowlens::query`; all flow
//! log knowledge stays in the core.

use flowlens::fields::{Field, DEFAULT_FORMAT};
use flowlens::query::{self, Filter};

/// Which query language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Athena,
    Insights,
}

impl Target {
    /// `athena` or `insights` (anything else is Insights, as the page's menu has only
    /// the two).
    pub fn parse(kind: &str) -> Target {
        if kind == "athena" {
            Target::Athena
        } else {
            Target::Insights
        }
    }
}

/// Field names separated by spaces (or commas), unknown names left out.
fn fields_of(names: &str) -> Vec<Field> {
    names
        .split([' ', ','])
        .filter(|n| !n.is_empty())
        .filter_map(Field::lookup)
        .collect()
}

/// The translation of `filter` and `sort` (as typed, the syntax of the filter bar) for
/// data with the table's fields `table_fields` (Athena's columns) whose first file is
/// bound to `format_fields` (the `parse` pattern of Insights). `Err` says what cannot be
/// translated, or why the filter or sort does not parse.
pub fn translate(
    target: Target,
    filter: &str,
    sort: &str,
    table_fields: &str,
    format_fields: &str,
) -> Result<String, String> {
    let f = Filter::parse(filter).map_err(|e| e.message.clone())?;
    let s = query::parse_sort(sort).map_err(|e| format!("sort: {}", e.message))?;
    match target {
        Target::Athena => query::to_athena(&f, &s, "vpc_flow_logs", &fields_of(table_fields)),
        Target::Insights => {
            let mut format = fields_of(format_fields);
            if format.is_empty() {
                format = DEFAULT_FORMAT.to_vec();
            }
            query::to_insights(&f, &s, &format)
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen::prelude::*;

    /// `{ok, text}`: the query, or (`ok: false`) what cannot be translated.
    #[wasm_bindgen]
    pub fn translate(
        kind: &str,
        filter: &str,
        sort: &str,
        table_fields: &str,
        format_fields: &str,
    ) -> JsValue {
        let target = super::Target::parse(kind);
        let (ok, text) = match super::translate(target, filter, sort, table_fields, format_fields) {
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

    #[test]
    fn translates_what_the_table_gives() {
        let fields = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
        let sql = translate(
            Target::Athena,
            "action = REJECT",
            "bytes:desc",
            fields,
            fields,
        )
        .unwrap();
        assert!(sql.contains("WHERE action = 'REJECT'"), "{sql}");
        assert!(sql.contains("ORDER BY bytes DESC"), "{sql}");
        let q = translate(Target::Insights, "action = REJECT", "", fields, "").unwrap();
        assert!(q.contains("filter action = \"REJECT\""), "{q}");
        // what cannot be translated, and what does not parse, say so
        let e = translate(Target::Athena, "healthcheck", "", fields, fields).unwrap_err();
        assert!(e.contains("cannot be translated"), "{e}");
        assert!(translate(Target::Athena, "bytes >", "", fields, fields).is_err());
        assert!(translate(Target::Athena, "", "nosuchfield", fields, fields)
            .unwrap_err()
            .starts_with("sort: "));
    }
}
