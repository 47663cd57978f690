//! Browser bindings: the only module that knows about JavaScript. The boundary is narrow:
//! bytes in, opaque handles and small result objects out. The page never receives rows
//! as objects, only the visible window of display strings it asks for.

use crate::context::{self, Context};
use crate::decoder::{DecodeOptions, Decoder as CoreDecoder};
use crate::fields::{parse_format, Field, Kind};
use crate::output::{self, display_value, summarize};
use crate::query::{self, Filter, Measure, SortKey};
use crate::table::Table as CoreTable;
use crate::vocab;
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

fn parse_options(options: &JsValue) -> Result<DecodeOptions, JsError> {
    let mut out = DecodeOptions::default();
    if options.is_object() {
        let format = js_sys::Reflect::get(options, &JsValue::from_str("format"))
            .ok()
            .and_then(|v| v.as_string());
        if let Some(f) = format.filter(|f| !f.trim().is_empty()) {
            out.format = Some(parse_format(&f).map_err(|e| JsError::new(&e))?);
        }
    }
    Ok(out)
}

/// Report size limits in bytes: `{warn, max}` (see `report::REPORT_MAX_BYTES`).
#[wasm_bindgen(js_name = reportLimits)]
pub fn report_limits() -> JsValue {
    #[derive(Serialize)]
    struct L {
        warn: usize,
        max: usize,
    }
    to_js(&L {
        warn: crate::report::REPORT_WARN_BYTES,
        max: crate::report::REPORT_MAX_BYTES,
    })
}

fn report_options(options: &str) -> Result<crate::report::ReportOptions, JsError> {
    serde_json::from_str(options).map_err(|e| JsError::new(&format!("report options: {e}")))
}

/// `{ok, …}` of a report (`None`: a draft, no file yet) or of its error.
fn report_result(r: Result<Option<crate::report::Report>, crate::report::ReportError>) -> JsValue {
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
            if let crate::report::ReportError::TooBig {
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

/// The compressed data of a report being saved (see `Table.prepareReport`).
#[wasm_bindgen]
pub struct ReportDraft {
    draft: crate::report::Draft,
}

#[wasm_bindgen]
impl ReportDraft {
    /// The file's size with these options (title, note, view): no copy made.
    pub fn size(&mut self, template: &str, options: &str) -> Result<f64, JsError> {
        Ok(self.draft.size(template, &report_options(options)?) as f64)
    }

    pub fn records(&self) -> f64 {
        self.draft.records() as f64
    }

    #[wasm_bindgen(js_name = replacedAccounts)]
    pub fn replaced_accounts(&self) -> f64 {
        self.draft.replaced().0 as f64
    }

    #[wasm_bindgen(js_name = replacedAddresses)]
    pub fn replaced_addresses(&self) -> f64 {
        self.draft.replaced().1 as f64
    }

    /// The file, as `buildReport` returns it.
    pub fn finish(&mut self, template: &str, options: &str) -> Result<JsValue, JsError> {
        let opts = report_options(options)?;
        Ok(report_result(self.draft.finish(template, &opts).map(Some)))
    }
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Decodes a whole input at once: `{fields, records, errors, files}` with records as
/// plain objects typed exactly as the CLI's NDJSON, and per file its shape, counts and
/// bindings (`confidence`, `ambiguous` unsure positions, `guessed`). For embedding and
/// small inputs.
#[wasm_bindgen]
pub fn decode(bytes: &[u8], options: JsValue) -> Result<JsValue, JsError> {
    let table = crate::decoder::decode_bytes(bytes, parse_options(&options)?);
    let mut s = String::with_capacity(bytes.len() * 2 + 64);
    s.push_str("{\"fields\":[");
    for (i, f) in table.fields().iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        output::json_string(&mut s, f.name());
    }
    s.push_str("],\"records\":[");
    for r in 0..table.len() {
        if r > 0 {
            s.push(',');
        }
        output::ndjson_row(&mut s, &table, r);
    }
    s.push_str("],\"errors\":[");
    for (i, e) in table.errors().iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str("{\"file\":");
        output::json_string(&mut s, &table.files()[e.file as usize].name);
        s.push_str(&format!(",\"line\":{},\"message\":", e.line));
        output::json_string(&mut s, &e.reason);
        s.push_str(",\"raw\":");
        output::json_string(&mut s, &e.raw);
        s.push('}');
    }
    // each file's shape, counts (not-records with reasons) and bindings with their
    // confidence, unsure positions and whether they are a guess
    s.push_str("],\"files\":");
    s.push_str(&serde_json::to_string(table.files()).unwrap_or_else(|_| "[]".into()));
    s.push('}');
    js_sys::JSON::parse(&s).map_err(|_| JsError::new("internal error: bad JSON"))
}

/// The kind of context file these first bytes start (`network-interfaces`,
/// `instances`, `load-balancers`, `target-groups`, `ip-ranges`), or undefined: the page
/// checks this before feeding a file to the flow-log decoder.
#[wasm_bindgen(js_name = contextKind)]
pub fn context_kind(prefix: &[u8]) -> Option<String> {
    context::sniff(prefix).map(|k| {
        serde_json::to_value(k)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    })
}

/// Streaming decoder: `beginFile(name)`, `push(bytes)`…, `endFile()`, then `finish()`
/// for the table handle. No per-row JS objects are made.
#[wasm_bindgen]
pub struct Decoder {
    inner: Option<CoreDecoder>,
    context: Context,
}

#[wasm_bindgen]
impl Decoder {
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Decoder, JsError> {
        Ok(Decoder {
            inner: Some(CoreDecoder::new(parse_options(&options)?)),
            context: Context::default(),
        })
    }

    fn core(&mut self) -> Result<&mut CoreDecoder, JsError> {
        self.inner
            .as_mut()
            .ok_or_else(|| JsError::new("this decoder has finished"))
    }

    /// A whole context file: `{kind, items, error}` (error set when it is one but
    /// broken), or null when the bytes are not a context file (decode them as logs).
    #[wasm_bindgen(js_name = addContext)]
    pub fn add_context(&mut self, name: &str, bytes: &[u8]) -> JsValue {
        add_context_file(&mut self.context, name, bytes)
    }

    #[wasm_bindgen(js_name = beginFile)]
    pub fn begin_file(&mut self, name: &str) -> Result<(), JsError> {
        self.core()?.begin_file(name);
        Ok(())
    }

    /// Feeds the next chunk of the current file.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.core()?.push(bytes);
        Ok(())
    }

    /// Feeds a batch of rows from the Parquet module (`flowlens_parquet`) to the current
    /// file: the bytes that cross between the two wasm modules (see `src/rows.rs`).
    #[wasm_bindgen(js_name = pushRows)]
    pub fn push_rows(&mut self, batch: &[u8]) -> Result<(), JsError> {
        self.core()?.push_rows(batch);
        Ok(())
    }

    #[wasm_bindgen(js_name = endFile)]
    pub fn end_file(&mut self) -> Result<(), JsError> {
        self.core()?.end_file();
        Ok(())
    }

    /// Ends the current file where it is (cancel, memory budget): a cut-off last line or
    /// unfinished document is dropped, not reported as a bad line.
    #[wasm_bindgen(js_name = abandonFile)]
    pub fn abandon_file(&mut self) -> Result<(), JsError> {
        self.core()?.abandon_file();
        Ok(())
    }

    /// `{bytes, records, errors, skipped, files}` so far.
    pub fn progress(&self) -> JsValue {
        self.inner
            .as_ref()
            .map_or(JsValue::NULL, |d| to_js(&d.progress()))
    }

    #[wasm_bindgen(js_name = rowCount)]
    pub fn row_count(&self) -> usize {
        self.inner.as_ref().map_or(0, |d| d.table().len())
    }

    /// Heap bytes held by the rows decoded so far and the decoder's own buffers (to
    /// stop before memory runs out).
    #[wasm_bindgen(js_name = heapBytes)]
    pub fn heap_bytes(&self) -> f64 {
        self.inner.as_ref().map_or(0.0, |d| d.heap_bytes() as f64)
    }

    /// The first rows while decoding goes on, as display strings (see `Table.window`).
    pub fn window(&self, start: usize, count: usize, fields: JsValue) -> JsValue {
        match &self.inner {
            Some(d) => rows_window(d.table(), start, count, &fields),
            None => JsValue::NULL,
        }
    }

    /// Ends the last file and returns the table handle.
    pub fn finish(&mut self) -> Result<Table, JsError> {
        let d = self
            .inner
            .take()
            .ok_or_else(|| JsError::new("this decoder has finished"))?;
        let mut t = d.finish();
        t.annotate(std::mem::take(&mut self.context));
        Ok(Table::new(t))
    }
}

/// A decoded table with its current view (filter and sort).
#[wasm_bindgen]
pub struct Table {
    table: CoreTable,
    filter: Filter,
    sort: Vec<SortKey>,
    /// Row ids of the current view, in view order.
    view: Vec<u32>,
    /// Leave load-balancer health checks out of the view.
    hide_health: bool,
    /// Health checks among the rows the filter kept (hidden or not).
    health_in_view: usize,
}

fn fields_arg(t: &CoreTable, fields: &JsValue) -> Vec<Field> {
    if let Some(arr) = fields.dyn_ref::<js_sys::Array>() {
        arr.iter()
            .filter_map(|v| v.as_string())
            .filter_map(|n| Field::lookup(&n))
            .collect()
    } else {
        t.fields()
    }
}

/// A hover hint for a cell: what the display text doesn't say.
fn hint(t: &CoreTable, row: usize, f: Field) -> String {
    use crate::table::Value;
    let v = t.value(row, f);
    match (f, v) {
        (_, Value::Null) => match (f, t.column(Field::LogStatus).and_then(|c| c.code(row))) {
            (_, Some(1)) => "NODATA: no traffic in the interval".into(),
            (_, Some(2)) => "SKIPDATA: records were skipped in the interval".into(),
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

/// Adds a whole context file to `context`: its info, or null when the bytes are not one.
fn add_context_file(context: &mut Context, name: &str, bytes: &[u8]) -> JsValue {
    match context.add_file(name, bytes) {
        None => JsValue::NULL,
        Some(_) => to_js(context.files.last().expect("just added")),
    }
}

/// `{ids, rows, hints, filters}`: for each row its id and the display text and hint of
/// each field; `filters` is "" where the display text is the value to filter on, else
/// the stored text (tags as written, values escaped or cut for display).
/// Rows `start..start + count` of a table still being built, in table order (no view).
fn rows_window(t: &CoreTable, start: usize, count: usize, fields: &JsValue) -> JsValue {
    let end = start.saturating_add(count).min(t.len());
    let rows: Vec<u32> = (start.min(end) as u32..end as u32).collect();
    window_of(t, &rows, &fields_arg(t, fields), false)
}

fn window_of(t: &CoreTable, rows: &[u32], fields: &[Field], labels: bool) -> JsValue {
    #[derive(Serialize)]
    struct Window {
        ids: Vec<u32>,
        rows: Vec<Vec<String>>,
        hints: Vec<Vec<String>>,
        filters: Vec<Vec<String>>,
        /// Per row: `{src, dst, iface, hc}` labels (text, kind, guess) of the finished table.
        #[serde(skip_serializing_if = "Option::is_none")]
        labels: Option<Vec<RowLabels>>,
    }
    let mut filters = Vec::with_capacity(rows.len());
    let w = Window {
        labels: labels.then(|| rows.iter().map(|&r| row_labels(t, r as usize)).collect()),
        ids: rows.to_vec(),
        rows: rows
            .iter()
            .map(|&r| {
                let mut fl = Vec::with_capacity(fields.len());
                let shown = fields
                    .iter()
                    .map(|f| {
                        let d = display_value(t, r as usize, *f);
                        let cut = crate::display::truncate(&d);
                        fl.push(match t.value(r as usize, *f) {
                            crate::table::Value::Text(raw) if cut.is_some() || d != raw => {
                                raw.to_string()
                            }
                            _ => String::new(),
                        });
                        cut.unwrap_or(d)
                    })
                    .collect();
                filters.push(fl);
                shown
            })
            .collect(),
        hints: rows
            .iter()
            .map(|&r| fields.iter().map(|f| hint(t, r as usize, *f)).collect())
            .collect(),
        filters,
    };
    to_js(&w)
}

#[derive(Serialize)]
struct RowLabels {
    src: Option<context::Label>,
    dst: Option<context::Label>,
    iface: Option<context::Label>,
    hc: bool,
}

fn row_labels(t: &CoreTable, r: usize) -> RowLabels {
    let a = t.annotations();
    let get = |v: &Vec<u32>| v.get(r).and_then(|&id| a.label(id)).cloned();
    RowLabels {
        src: get(&a.src),
        dst: get(&a.dst),
        iface: get(&a.iface),
        hc: a.health_of(r).is_some(),
    }
}

fn query_error(e: &query::QueryError) -> JsValue {
    #[derive(Serialize)]
    struct R<'a> {
        ok: bool,
        error: &'a query::QueryError,
    }
    to_js(&R {
        ok: false,
        error: e,
    })
}

#[wasm_bindgen]
impl Table {
    fn new(table: CoreTable) -> Table {
        let view = (0..table.len() as u32).collect();
        Table {
            table,
            filter: Filter::parse("").expect("the empty filter parses"),
            sort: Vec::new(),
            view,
            hide_health: false,
            health_in_view: 0,
        }
    }

    /// The context files given with the logs: `[{name, kind, source, items, error}]`.
    #[wasm_bindgen(js_name = contextFiles)]
    pub fn context_files(&self) -> JsValue {
        to_js(&self.table.annotations().context.files)
    }

    /// Leaves health checks out of the view (or not); call `setQuery` after it.
    #[wasm_bindgen(js_name = hideHealthChecks)]
    pub fn hide_health_checks(&mut self, on: bool) {
        self.hide_health = on;
    }

    /// Sentences of view rows `start..start+count` (the "read" view): `{ids, sentences,
    /// labels}`.
    #[wasm_bindgen(js_name = readWindow)]
    pub fn read_window(&self, start: usize, count: usize) -> JsValue {
        #[derive(Serialize)]
        struct R {
            ids: Vec<u32>,
            sentences: Vec<String>,
            labels: Vec<RowLabels>,
        }
        let end = (start + count).min(self.view.len());
        let rows = &self.view[start.min(end)..end];
        let a = self.table.annotations();
        to_js(&R {
            ids: rows.to_vec(),
            sentences: rows
                .iter()
                .map(|&r| a.sentence(&self.table, r as usize))
                .collect(),
            labels: rows
                .iter()
                .map(|&r| row_labels(&self.table, r as usize))
                .collect(),
        })
    }

    /// The "by resource" facet: `[{label, kind, count, bytes}]` of the view by interface.
    #[wasm_bindgen(js_name = byResource)]
    pub fn by_resource(&self, limit: usize) -> JsValue {
        to_js(
            &self
                .table
                .annotations()
                .by_resource(&self.table, &self.view, limit),
        )
    }

    #[wasm_bindgen(js_name = rowCount)]
    pub fn row_count(&self) -> usize {
        self.table.len()
    }

    /// Every bad line, counted (the first 100,000 are kept in detail: see `errors`).
    #[wasm_bindgen(js_name = errorCount)]
    pub fn error_count(&self) -> f64 {
        self.table.counts().errors as f64
    }

    /// Bad lines kept in detail (what `errors` can list).
    #[wasm_bindgen(js_name = errorsKept)]
    pub fn errors_kept(&self) -> usize {
        self.table.errors().len()
    }

    /// Test hook: traps while holding the table borrowed, exactly as a stack overflow
    /// inside a call did (every later call then fails), so that the page's recovery can
    /// be tested in a real browser. The page never calls it by itself.
    #[wasm_bindgen(js_name = trapForTests)]
    pub fn trap_for_tests(&mut self) -> f64 {
        /// Recurses until the wasm stack runs out, like the old recursive `!` parser.
        fn deep(n: u64) -> u64 {
            let frame = std::hint::black_box([n; 64]);
            if std::hint::black_box(n) == u64::MAX {
                return 0;
            }
            deep(n + 1).wrapping_add(frame[(n % 64) as usize])
        }
        deep(self.table.len() as u64) as f64
    }

    /// Rows in the current view.
    #[wasm_bindgen(js_name = viewCount)]
    pub fn view_count(&self) -> usize {
        self.view.len()
    }

    #[wasm_bindgen(js_name = heapBytes)]
    pub fn heap_bytes(&self) -> f64 {
        self.table.heap_bytes() as f64
    }

    /// `[{name, kind, version, about}]` of the table's columns, in order.
    pub fn fields(&self) -> JsValue {
        #[derive(Serialize)]
        struct F {
            name: &'static str,
            kind: &'static str,
            version: u8,
            about: &'static str,
        }
        let v: Vec<F> = self
            .table
            .fields()
            .iter()
            .map(|f| F {
                name: f.name(),
                kind: match f.kind() {
                    Kind::UInt { .. } => "integer",
                    Kind::Time | Kind::EventTime => "time",
                    Kind::Addr => "address",
                    _ => "text",
                },
                version: f.def().version,
                about: f.def().about,
            })
            .collect();
        to_js(&v)
    }

    /// Input files with their shape, counts and bindings.
    pub fn files(&self) -> JsValue {
        to_js(self.table.files())
    }

    /// `{records, errors, skipped, files, first_start, last_end, bytes, packets, accept,
    /// reject, nodata, skipdata, table_bytes}` of the whole table, or of the view.
    pub fn summary(&self, of_view: bool) -> JsValue {
        if of_view {
            to_js(&summarize(
                &self.table,
                self.view.iter().map(|r| *r as usize),
            ))
        } else {
            to_js(&summarize(&self.table, 0..self.table.len()))
        }
    }

    /// `[{file, line, message, raw}]` for errors `offset..offset+limit`.
    pub fn errors(&self, offset: usize, limit: usize) -> JsValue {
        #[derive(Serialize)]
        struct E<'a> {
            file: &'a str,
            line: u64,
            message: std::borrow::Cow<'a, str>,
            raw: std::borrow::Cow<'a, str>,
        }
        let v: Vec<E> = self
            .table
            .errors()
            .iter()
            .skip(offset)
            .take(limit)
            .map(|e| E {
                file: &self.table.files()[e.file as usize].name,
                line: e.line,
                // Bad lines quote the input: invisible characters shown escaped.
                message: crate::display::visible(&e.reason),
                raw: crate::display::visible(&e.raw),
            })
            .collect();
        to_js(&v)
    }

    /// Sets the view's filter and sort: `{ok: true, count}` or `{ok: false, error:
    /// {message, start, end}}` (the view is unchanged on error).
    #[wasm_bindgen(js_name = setQuery)]
    pub fn set_query(&mut self, filter: &str, sort: &str) -> JsValue {
        let f = match Filter::parse(filter) {
            Ok(f) => f,
            Err(e) => return query_error(&e),
        };
        let s = match query::parse_sort(sort) {
            Ok(s) => s,
            Err(e) => {
                let mut e = e;
                e.message = format!("sort: {}", e.message);
                return query_error(&e);
            }
        };
        let mut view = f.select(&self.table);
        let a = self.table.annotations();
        self.health_in_view = a.health_count(&view);
        if self.hide_health {
            view.retain(|&r| a.health_of(r as usize).is_none());
        }
        query::sort_rows(&self.table, &mut view, &s);
        self.view = view;
        self.filter = f;
        self.sort = s;
        #[derive(Serialize)]
        struct Ok {
            ok: bool,
            count: usize,
            /// Fields the filter tests that the data does not have.
            absent: Vec<&'static str>,
            /// Health checks the filter kept (hidden when `hideHealthChecks(true)`).
            healthchecks: usize,
        }
        to_js(&Ok {
            ok: true,
            count: self.view.len(),
            absent: self
                .filter
                .absent_fields(&self.table)
                .iter()
                .map(|f| f.name())
                .collect(),
            healthchecks: self.health_in_view,
        })
    }

    /// Display text of view rows `start..start+count` for the given field names (all
    /// columns when not an array): `{ids, rows, hints}`.
    pub fn window(&self, start: usize, count: usize, fields: JsValue) -> JsValue {
        let end = (start + count).min(self.view.len());
        let start = start.min(end);
        window_of(
            &self.table,
            &self.view[start..end],
            &fields_arg(&self.table, &fields),
            true,
        )
    }

    /// Everything about one view row: `{id, file, line, original, fields: [{name, about,
    /// display, raw, hint}]}`.
    #[wasm_bindgen(js_name = rowDetail)]
    pub fn row_detail(&self, view_index: usize) -> JsValue {
        let Some(&id) = self.view.get(view_index) else {
            return JsValue::NULL;
        };
        let r = id as usize;
        #[derive(Serialize)]
        struct FieldOut {
            name: &'static str,
            about: &'static str,
            display: String,
            raw: String,
            hint: String,
        }
        #[derive(Serialize)]
        struct Detail {
            id: u32,
            file: String,
            line: u64,
            /// The row came from a Parquet file: `line` is its row number.
            parquet: bool,
            original: String,
            fields: Vec<FieldOut>,
            /// The record as a sentence, its labels, direction, health-check verdict and
            /// what the log says (or cannot say) about the client behind a LB or NAT.
            sentence: String,
            labels: RowLabels,
            direction: Option<(&'static str, &'static str)>,
            health: Option<String>,
            client: Vec<String>,
        }
        let t = &self.table;
        let mut fields: Vec<Field> = t.row_fields(r).to_vec();
        for f in [Field::EventTimestamp, Field::LogStream] {
            if !t.value(r, f).is_null() {
                fields.push(f);
            }
        }
        let a = t.annotations();
        let d = Detail {
            sentence: a.sentence(t, r),
            labels: row_labels(t, r),
            direction: a.direction(t, r),
            health: a.health_of(r).map(|s| s.reason()),
            client: a.client_notes(t, r),
            id,
            file: t.files()[t.row_file(r) as usize].name.clone(),
            line: t.row_line(r),
            parquet: t.files()[t.row_file(r) as usize].shape
                == Some(crate::container::Shape::Parquet),
            original: crate::display::visible(&String::from_utf8_lossy(&t.original_line(r)))
                .into_owned(),
            fields: fields
                .iter()
                .map(|&f| {
                    let mut raw = String::new();
                    crate::table::write_plain(&mut raw, t.value(r, f));
                    FieldOut {
                        name: f.name(),
                        about: f.def().about,
                        display: display_value(t, r, f),
                        raw: crate::display::visible(&raw).into_owned(),
                        hint: hint(t, r, f),
                    }
                })
                .collect(),
        };
        to_js(&d)
    }

    /// Top groups of the view: `fields` comma-separated names, `by` count|bytes|packets.
    pub fn top(&self, fields: &str, by: &str, limit: usize) -> Result<JsValue, JsError> {
        let group: Vec<Field> = fields
            .split(',')
            .map(|n| Field::lookup(n).ok_or_else(|| JsError::new(&format!("unknown field '{n}'"))))
            .collect::<Result<_, _>>()?;
        let measure = match by {
            "bytes" => Measure::Bytes,
            "packets" => Measure::Packets,
            _ => Measure::Count,
        };
        Ok(to_js(&query::top(
            &self.table,
            &self.view,
            &group,
            measure,
            limit,
            None,
        )))
    }

    /// Histogram of the view by start time: `bucketSecs` 0 picks a size for `target`
    /// buckets.
    pub fn histogram(&self, bucket_secs: f64, target: usize) -> JsValue {
        let b = (bucket_secs >= 1.0).then_some(bucket_secs as u64);
        to_js(&query::histogram(&self.table, &self.view, b, target.max(1)))
    }

    /// The view exported as `csv`, `ndjson` or `lines` (the original lines).
    #[wasm_bindgen(js_name = exportView)]
    pub fn export_view(&self, kind: &str) -> Result<Vec<u8>, JsError> {
        let rows = self.view.iter().map(|r| *r as usize);
        let labels = !self.table.annotations().context.is_empty();
        Ok(match kind {
            "csv" if labels => {
                let mut s = String::new();
                context::export::write_csv(&mut s, &self.table, rows);
                s.into_bytes()
            }
            "ndjson" if labels => {
                let mut s = String::new();
                context::export::write_ndjson(&mut s, &self.table, rows);
                s.into_bytes()
            }
            "text" => {
                let mut s = String::new();
                context::export::write_text(&mut s, &self.table, rows);
                s.into_bytes()
            }
            "csv" => {
                let mut s = String::new();
                output::write_csv(&mut s, &self.table, rows);
                s.into_bytes()
            }
            "ndjson" => {
                let mut s = String::new();
                output::write_ndjson(&mut s, &self.table, rows);
                s.into_bytes()
            }
            "lines" => {
                let mut v = Vec::new();
                output::write_lines(&mut v, &self.table, rows);
                v
            }
            other => return Err(JsError::new(&format!("unknown export '{other}'"))),
        })
    }

    /// A self-contained report file of the view (`data: "view"`) or of every row
    /// (`"all"`), built into `template` (the single-file app's HTML): `{ok: true, html:
    /// Uint8Array, size, records, replacedAccounts, replacedAddresses}`, or `{ok: false,
    /// tooBig, message, estimate, limit}`. `options` is JSON: see `report::ReportOptions`.
    #[wasm_bindgen(js_name = buildReport)]
    pub fn build_report(&self, template: &str, options: &str) -> Result<JsValue, JsError> {
        let opts = report_options(options)?;
        let rows = self.report_rows(&opts);
        Ok(report_result(
            crate::report::build(&self.table, &rows, template, &opts).map(Some),
        ))
    }

    /// The data part of a report, compressed once (`{ok: true, draft}` or the error of
    /// `buildReport`): `draft.size(…)` and `draft.finish(…)` then add title, note and
    /// view as often as they change.
    #[wasm_bindgen(js_name = prepareReport)]
    pub fn prepare_report(&self, template: &str, options: &str) -> Result<JsValue, JsError> {
        let opts = report_options(options)?;
        let rows = self.report_rows(&opts);
        Ok(
            match crate::report::prepare(&self.table, &rows, template, &opts) {
                Ok(d) => {
                    let out = report_result(Ok(None));
                    let _ = js_sys::Reflect::set(
                        &out,
                        &JsValue::from_str("draft"),
                        &ReportDraft { draft: d }.into(),
                    );
                    out
                }
                Err(e) => report_result(Err(e)),
            },
        )
    }

    fn report_rows(&self, opts: &crate::report::ReportOptions) -> Vec<u32> {
        if opts.data == "all" {
            (0..self.table.len() as u32).collect()
        } else {
            self.view.clone()
        }
    }

    /// The first `limit` view rows as a Markdown table of `fields` (names).
    #[wasm_bindgen(js_name = markdownRows)]
    pub fn markdown_rows(&self, fields: JsValue, limit: usize) -> String {
        let limit = limit.min(output::markdown::MARKDOWN_ROW_LIMIT);
        output::markdown::rows_table(
            &self.table,
            &self.view,
            &fields_arg(&self.table, &fields),
            limit,
        )
    }

    /// The view's top groups (as `top`) as a Markdown table.
    #[wasm_bindgen(js_name = markdownTop)]
    pub fn markdown_top(&self, fields: &str, by: &str, limit: usize) -> Result<String, JsError> {
        let group: Vec<Field> = fields
            .split(',')
            .map(|n| Field::lookup(n).ok_or_else(|| JsError::new(&format!("unknown field '{n}'"))))
            .collect::<Result<_, _>>()?;
        let measure = match by {
            "bytes" => Measure::Bytes,
            "packets" => Measure::Packets,
            _ => Measure::Count,
        };
        let groups = query::top(&self.table, &self.view, &group, measure, limit, None);
        Ok(output::markdown::groups_table(
            &group,
            &groups,
            measure,
            self.view.len(),
        ))
    }

    /// One view row as text: source, original line, every field decoded.
    /// The whole table as bytes, to move it to the worker that merges the page's
    /// parallel decode (`Merger.append`).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.table.to_bytes()
    }

    #[wasm_bindgen(js_name = recordText)]
    pub fn record_text(&self, view_index: usize) -> Option<String> {
        let &id = self.view.get(view_index)?;
        Some(output::markdown::record_text(&self.table, id as usize))
    }

    /// The view's filter and sort as an `athena` or `insights` query: `{ok, text}` or
    /// `{ok: false, error}` saying what cannot be translated.
    pub fn translate(&self, kind: &str) -> JsValue {
        let r = match kind {
            "athena" => query::to_athena(
                &self.filter,
                &self.sort,
                "vpc_flow_logs",
                &self.table.fields(),
            ),
            _ => {
                let fields = self
                    .table
                    .files()
                    .iter()
                    .flat_map(|f| f.bindings.first())
                    .map(|b| b.fields.clone())
                    .next()
                    .unwrap_or_else(|| crate::fields::DEFAULT_FORMAT.to_vec());
                query::to_insights(&self.filter, &self.sort, &fields)
            }
        };
        #[derive(Serialize)]
        struct T {
            ok: bool,
            text: String,
        }
        match r {
            Ok(text) => to_js(&T { ok: true, text }),
            Err(text) => to_js(&T { ok: false, text }),
        }
    }
}

/// The page's parallel decode: tables decoded by the workers of its decode pool arrive
/// as bytes (`Table.toBytes`) and are appended here in file order, dictionaries merged
/// and rows, lines and errors kept (see `Table::append`); context files are given here,
/// beside them, as to a `Decoder`.
#[wasm_bindgen]
#[derive(Default)]
pub struct Merger {
    table: Option<CoreTable>,
    context: Context,
}

#[wasm_bindgen]
impl Merger {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Merger {
        Merger::default()
    }

    /// Appends the next file's table (bytes from `Table.toBytes` of this same build).
    pub fn append(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        let t = CoreTable::from_bytes(bytes).map_err(|e| JsError::new(&e.to_string()))?;
        match &mut self.table {
            Some(m) => m.append(t),
            None => self.table = Some(t),
        }
        Ok(())
    }

    /// A whole context file, as `Decoder.addContext`.
    #[wasm_bindgen(js_name = addContext)]
    pub fn add_context(&mut self, name: &str, bytes: &[u8]) -> JsValue {
        add_context_file(&mut self.context, name, bytes)
    }

    #[wasm_bindgen(js_name = rowCount)]
    pub fn row_count(&self) -> usize {
        self.table.as_ref().map_or(0, |t| t.len())
    }

    #[wasm_bindgen(js_name = heapBytes)]
    pub fn heap_bytes(&self) -> f64 {
        self.table.as_ref().map_or(0.0, |t| t.heap_bytes() as f64)
    }

    /// The first rows while the other files are still decoding (see `Decoder.window`).
    pub fn window(&self, start: usize, count: usize, fields: JsValue) -> JsValue {
        match &self.table {
            Some(t) => rows_window(t, start, count, &fields),
            None => JsValue::NULL,
        }
    }

    /// The merged table, annotated with the context files.
    pub fn finish(&mut self) -> Table {
        let mut t = self.table.take().unwrap_or_default();
        t.annotate(std::mem::take(&mut self.context));
        Table::new(t)
    }
}
