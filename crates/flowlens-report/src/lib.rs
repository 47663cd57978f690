//! flowlens's report module: saving a report in the page. A separate wasm module, loaded
//! by the table worker the first time a report is prepared (the dialog's "Save as
//! report…"), so that what only writing a report needs stays out of the main module that
//! every page load pays for: the writer (`flowlens::report`), redaction, the labels
//! snapshot's writer, the JSON of the options and of the metadata (serde_json), the gzip
//! encoder (zlib-rs's deflate) and base64.
//!
//! What crosses from the main module is bytes: the table (`Table.toBytes()` there, the
//! wire format the decode pool's tables travel in), its labels when they are built
//! (`Table.annotationBytes()`, `flowlens::context::Annotations::to_bytes`) and the rows
//! to save (`Table.reportRows(all)`). The table rebuilt here is the same table, so
//! `flowlens::report::prepare` — the code `flowlens report` runs — writes the same file.
//! All flow-log knowledge stays in the core; this crate only joins the calls.

use flowlens::context::Annotations;
use flowlens::report::{self, Draft, ReportError, ReportOptions};
use flowlens::Table;

/// The table a report is written from, rebuilt from the main module's bytes.
pub struct Source {
    table: Table,
}

impl Source {
    /// The table of `table` (`Table::to_bytes`) with the labels of `annotations`
    /// (`Annotations::to_bytes` of that table), if it had them. The bytes are dropped
    /// before the report is written, so the module's memory peaks lower.
    pub fn new(table: Vec<u8>, annotations: Option<Vec<u8>>) -> Result<Source, String> {
        let mut t = Table::from_bytes(&table).map_err(|e| e.to_string())?;
        drop(table);
        if let Some(a) = annotations {
            let a = Annotations::from_bytes(&a, t.len()).map_err(|e| e.to_string())?;
            t.set_annotations(a);
        }
        Ok(Source { table: t })
    }

    /// The data part of the report of `rows` ([`report::prepare`]); its `finish` gives
    /// the file ([`report::build`] is the two at once).
    pub fn prepare(
        &self,
        rows: &[u32],
        template: &str,
        opts: &ReportOptions,
    ) -> Result<Draft, ReportError> {
        report::prepare(&self.table, rows, template, opts)
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use super::Source;
    use flowlens::report::{Draft, Report, ReportError, ReportOptions};
    use wasm_bindgen::prelude::*;

    fn report_options(options: &str) -> Result<ReportOptions, JsError> {
        serde_json::from_str(options).map_err(|e| JsError::new(&format!("report options: {e}")))
    }

    fn source(table: Vec<u8>, annotations: Option<Vec<u8>>) -> Result<Source, JsError> {
        Source::new(table, annotations).map_err(|e| JsError::new(&e))
    }

    /// `{ok, …}` of a report (`None`: a draft, no file yet) or of its error.
    fn report_result(r: Result<Option<Report>, ReportError>) -> JsValue {
        let out = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&out, &JsValue::from_str(k), &v);
        };
        match r {
            Ok(r) => {
                set("ok", JsValue::TRUE);
                if let Some(r) = r {
                    set("size", JsValue::from_f64(r.html.len() as f64));
                    set("records", JsValue::from_f64(r.meta.records as f64));
                    set(
                        "replacedAccounts",
                        JsValue::from_f64(r.meta.replaced_accounts as f64),
                    );
                    set(
                        "replacedAddresses",
                        JsValue::from_f64(r.meta.replaced_addresses as f64),
                    );
                    set("html", js_sys::Uint8Array::from(&r.html[..]).into());
                }
            }
            Err(e) => {
                set("ok", JsValue::FALSE);
                set("message", JsValue::from_str(&e.to_string()));
                if let ReportError::TooBig {
                    limit, estimate, ..
                } = e
                {
                    set("tooBig", JsValue::TRUE);
                    set("estimate", JsValue::from_f64(estimate as f64));
                    set("limit", JsValue::from_f64(limit as f64));
                }
            }
        }
        out.into()
    }

    /// The data part of the report of `rows` of the table whose `toBytes()` is `table`
    /// (with its `annotationBytes()`, when its labels are built), compressed once, for
    /// `template` (the single-file app's HTML): `{ok: true, draft}`, or `{ok: false,
    /// tooBig, message, estimate, limit}`. `draft.size(…)` and `draft.finish(…)` then add
    /// title, note and view as often as they change (`finish` gives the file: `{ok: true,
    /// html: Uint8Array, size, records, replacedAccounts, replacedAddresses}` or the
    /// error); `report::build` is `prepare` then `finish`. `options` is JSON: see
    /// `report::ReportOptions`.
    #[wasm_bindgen(js_name = prepareReport)]
    pub fn prepare_report(
        table: Vec<u8>,
        annotations: Option<Vec<u8>>,
        rows: &[u32],
        template: &str,
        options: &str,
    ) -> Result<JsValue, JsError> {
        let opts = report_options(options)?;
        let s = source(table, annotations)?;
        Ok(match s.prepare(rows, template, &opts) {
            Ok(d) => {
                drop(s);
                let out = report_result(Ok(None));
                let _ = js_sys::Reflect::set(
                    &out,
                    &JsValue::from_str("draft"),
                    &ReportDraft { draft: d }.into(),
                );
                out
            }
            Err(e) => report_result(Err(e)),
        })
    }

    /// The compressed data of a report being saved (see `prepareReport`).
    #[wasm_bindgen]
    pub struct ReportDraft {
        draft: Draft,
    }

    #[wasm_bindgen]
    impl ReportDraft {
        /// The file's size with these options (title, note, view): no copy made.
        pub fn size(&mut self, template: &str, options: &str) -> Result<f64, JsError> {
            Ok(self.draft.size(template, &report_options(options)?) as f64)
        }

        /// Records in the report.
        pub fn records(&self) -> f64 {
            self.draft.records() as f64
        }

        /// Distinct account IDs the redaction replaced.
        #[wasm_bindgen(js_name = replacedAccounts)]
        pub fn replaced_accounts(&self) -> f64 {
            self.draft.replaced().0 as f64
        }

        /// Distinct public addresses the redaction replaced.
        #[wasm_bindgen(js_name = replacedAddresses)]
        pub fn replaced_addresses(&self) -> f64 {
            self.draft.replaced().1 as f64
        }

        /// The file (as `report::build` writes it), or why not.
        pub fn finish(&mut self, template: &str, options: &str) -> Result<JsValue, JsError> {
            let opts = report_options(options)?;
            Ok(report_result(self.draft.finish(template, &opts).map(Some)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flowlens::context::Context;
    use flowlens::report::RedactOptions;
    use flowlens::{DecodeOptions, Decoder};
    use std::path::Path;

    const TEMPLATE: &str = "<!doctype html>\n<html><!-- single-file build of flowlens --><head><title>flowlens</title></head><body><p>app</p></body></html>";

    fn fixture(name: &str) -> Vec<u8> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
        std::fs::read(root.join(name)).unwrap()
    }

    /// Several files of different shapes (gzip text, a bad line, CloudWatch events that
    /// are embedded as JSON, a custom format), labelled from context files when `labels`.
    fn table(labels: bool) -> flowlens::Table {
        let mut d = Decoder::new(DecodeOptions::default());
        for name in [
            "v5-s3.log.gz",
            "default-bad.log",
            "filter-log-events.json",
            "context/flows.log",
        ] {
            d.begin_file(name);
            d.push(&fixture(name));
        }
        let mut t = d.finish();
        if labels {
            let mut c = Context::default();
            for name in [
                "context/describe-network-interfaces.json",
                "context/ip-ranges.json",
            ] {
                c.add_file(name, &fixture(name)).unwrap().unwrap();
            }
            t.annotate(c);
        }
        t
    }

    fn options(redact: RedactOptions) -> ReportOptions {
        ReportOptions {
            title: "a title with 52.94.1.7".into(),
            note: "seen from 3.5.140.2".into(),
            data: "view".into(),
            redact,
            saved_at_ms: 1_764_158_400_000.0,
            ..ReportOptions::default()
        }
    }

    #[test]
    fn the_module_writes_the_file_the_core_writes() {
        for labels in [false, true] {
            let t = table(labels);
            assert!(t.len() > 20, "{}", t.len());
            let annotations = t.annotations_if_built().map(|a| a.to_bytes());
            assert_eq!(annotations.is_some(), labels);
            let s = Source::new(t.to_bytes(), annotations).unwrap();
            let all: Vec<u32> = (0..t.len() as u32).collect();
            let some: Vec<u32> = (0..t.len() as u32).rev().step_by(3).collect();
            for redact in [RedactOptions::default(), RedactOptions::ALL] {
                for rows in [&all, &some] {
                    let opts = options(redact);
                    let core = report::build(&t, rows, TEMPLATE, &opts).unwrap();
                    let mut d = s.prepare(rows, TEMPLATE, &opts).unwrap();
                    let module = d.finish(TEMPLATE, &opts).unwrap();
                    assert_eq!(module.meta, core.meta);
                    assert!(module.html == core.html, "labels {labels}, {redact:?}");
                    assert_eq!(core.meta.context.is_some(), labels);
                }
            }
        }
    }

    #[test]
    fn limits_and_bad_bytes_are_errors() {
        let t = table(false);
        let s = Source::new(t.to_bytes(), None).unwrap();
        let opts = ReportOptions {
            max_bytes: Some(500),
            ..ReportOptions::default()
        };
        let all: Vec<u32> = (0..t.len() as u32).collect();
        // (small data is refused by `finish`: `prepare` checks the size every 512 rows)
        let refused = s
            .prepare(&all, TEMPLATE, &opts)
            .and_then(|mut d| d.finish(TEMPLATE, &opts))
            .unwrap_err();
        assert_eq!(
            refused,
            report::build(&t, &all, TEMPLATE, &opts).unwrap_err()
        );
        assert!(matches!(refused, ReportError::TooBig { limit: 500, .. }));
        assert!(s
            .prepare(&all, "<html><body></body></html>", &opts)
            .is_err());
        let bytes = t.to_bytes();
        assert!(Source::new(bytes[..bytes.len() - 1].to_vec(), None).is_err());
        assert!(Source::new(bytes.clone(), Some(vec![1, 2, 3])).is_err());
        let other = table(true).annotations_if_built().unwrap().to_bytes();
        let shorter = Decoder::new(DecodeOptions::default()).finish();
        assert!(
            Source::new(shorter.to_bytes(), Some(other)).is_err(),
            "another table's labels"
        );
    }
}
