//! Browser bindings: the only module that knows about JavaScript, and an adapter: it
//! converts arguments, calls the core and serializes what the core returns. The
//! boundary is narrow: bytes in, opaque handles and small result objects out. The page
//! never receives rows as objects, only the visible window of display strings it asks
//! for.
//!
//! One error convention: a failure the user causes and the page shows — a filter or sort
//! that does not parse, a view that cannot be translated, a report too big — is a value,
//! `{ok: false, …}` beside the `{ok: true, …}` of success; a call the page should never
//! make (an unknown field name, export kind, measure or query language; a finished
//! decoder; malformed options) throws an `Error` saying what is wrong.

use crate::carry::{PartEnd, PartStart};
use crate::cells::{self, ViewColumn};
use crate::context;
use crate::decoder::{DecodeOptions, Decoder as CoreDecoder};
use crate::fields::{parse_format, Field};
use crate::output::{self, display_value, summarize};
use crate::parts::{Splice, Take};
use crate::query::{self, Filter, Measure, SortKey, TimeWindow};
use crate::table::Table as CoreTable;
use serde::Serialize;
use wasm_bindgen::prelude::*;

// The shapes of the JsValue results, for `tsc --checkJs` of the page (www/).
#[wasm_bindgen(typescript_custom_section)]
const RESULT_SHAPES: &str = r#"
export type Kind = "integer" | "time" | "address" | "text" | "duration";
export interface FieldInfo { name: string; kind: Kind; version: number; family: "both" | "vpc" | "transit-gateway" | "event" | "extra"; about: string; hidden: boolean; hint_beside: boolean; }
export interface DerivedColumn { name: string; kind: Kind; about: string; after: string; needs: string[]; }
export interface Catalogue {
  fields: FieldInfo[]; derived: DerivedColumn[]; essentials: string[];
  facets: { field: string; label: string }[]; vocabularies: { field: string; values: string[] }[];
  scopes: { name: string; badge: string }[]; measures: string[];
}
export interface TableField { name: string; kind: Kind; version: number; about: string; }
export interface Label { text: string; kind: string; source: string; guess: string | null; }
export interface RowLabels { src: Label | null; dst: Label | null; iface: Label | null; hc: boolean; }
export interface RowState { action?: "accept" | "reject"; status?: "ok" | "nodata" | "skipdata"; note: string; }
export interface Window {
  ids: number[]; rows: string[][]; hints: string[][]; filters: string[][];
  secs: (number | null)[][]; states: RowState[]; labels?: RowLabels[];
}
export interface SortKey { name: string; desc: boolean; }
export interface QueryError { kind: "filter" | "sort"; message: string; start: number; end: number; }
export type QueryResult =
  | { ok: true; count: number; absent: string[]; healthchecks: number | null; sort: SortKey[] }
  | { ok: false; error: QueryError };
export interface DetailField { name: string; about: string; display: string; raw: string; hint: string; secs: number | null; }
export interface RowDetail {
  id: number; file: string; line: number; parquet: boolean; original: string; fields: DetailField[];
  sentence: string; labels: RowLabels; direction: [string, string] | null; health: string | null; client: string[];
}
"#;

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
        warn: crate::report_limits::REPORT_WARN_BYTES,
        max: crate::report_limits::REPORT_MAX_BYTES,
    })
}

/// The catalogue as the page needs it: fields (kind, version, meaning, hidden by
/// default), the derived `duration`, the Essentials set, facets, vocabularies, address
/// scopes and measures (see `catalogue::Catalogue`).
#[wasm_bindgen(unchecked_return_type = "Catalogue")]
pub fn catalogue() -> JsValue {
    to_js(&crate::catalogue::catalogue())
}

/// Decodes `records` synthetic records (`warmup::decode_synthetic`), runs the passes a completed
/// decode makes over its table `passes` times over them (the summary, queries and a
/// window of display text) and drops them (`warmup.rs`): the table worker calls it while
/// idle, so the browser has optimised those paths before a file is dropped. Returns the
/// records decoded.
#[wasm_bindgen(js_name = warmUp)]
pub fn warm_up(records: u32, passes: u32) -> u32 {
    let table = crate::warmup::decode_synthetic(records as usize);
    crate::warmup::exercise(&table, passes as usize);
    let table = Table::new(table);
    for _ in 0..passes {
        let _ = table.window(0, 40, JsValue::UNDEFINED);
    }
    table.table.len() as u32
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
    let s = output::records_json(&table);
    let out = js_sys::JSON::parse(&s).map_err(|_| JsError::new("internal error: bad JSON"))?;
    // each file's shape, counts (not-records with reasons) and bindings with their
    // confidence, unsure positions and whether they are a guess (as `Table.files`; no
    // JSON text of them, so no JSON serializer in this module)
    js_sys::Reflect::set(&out, &JsValue::from_str("files"), &to_js(table.files()))
        .map_err(|_| JsError::new("internal error: files"))?;
    Ok(out)
}

/// The kind of context file these first bytes start (`network-interfaces`,
/// `instances`, `load-balancers`, `target-groups`, `ip-ranges`), or undefined: the page
/// checks this before feeding a file to the flow-log decoder.
#[wasm_bindgen(js_name = contextKind)]
pub fn context_kind(prefix: &[u8]) -> Option<String> {
    context::sniff(prefix).map(|k| k.name().to_string())
}

/// Streaming decoder: `beginFile(name)`, `push(bytes)`…, `endFile()`, then `finish()`
/// for the table handle. No per-row JS objects are made. Context files go to the
/// context module (`flowlens_context`), which labels the finished table: see
/// `Table.annotationInput` and `Table.setAnnotations`.
#[wasm_bindgen]
pub struct Decoder {
    inner: Option<CoreDecoder>,
}

#[wasm_bindgen]
impl Decoder {
    /// A decoder with `{format}` options (a LogFormat for header-less lines); a bad format throws.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Decoder, JsError> {
        Ok(Decoder {
            inner: Some(CoreDecoder::new(parse_options(&options)?)),
        })
    }

    fn core(&mut self) -> Result<&mut CoreDecoder, JsError> {
        self.inner
            .as_mut()
            .ok_or_else(|| JsError::new("this decoder has finished"))
    }

    /// Begins the next input file.
    #[wasm_bindgen(js_name = beginFile)]
    pub fn begin_file(&mut self, name: &str) -> Result<(), JsError> {
        self.core()?.begin_file(name);
        Ok(())
    }

    /// The current file's size in bytes as it will be pushed (plain text only) and the
    /// most bytes to reserve for its columns: see `Decoder::expect_file_bytes`.
    #[wasm_bindgen(js_name = expectFileBytes)]
    pub fn expect_file_bytes(&mut self, file_bytes: f64, max_bytes: f64) -> Result<(), JsError> {
        self.core()?
            .expect_file_bytes(file_bytes as u64, max_bytes as usize);
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

    /// Ends the current file (a last line without a newline is decoded).
    #[wasm_bindgen(js_name = endFile)]
    pub fn end_file(&mut self) -> Result<(), JsError> {
        self.core()?.end_file();
        Ok(())
    }

    /// Begins a later part of a large plain-text file (see `crate::carry`) from `start`
    /// (bytes of a `PartStart`: `Merger.splitBegin`, `Merger.splitStart`).
    #[wasm_bindgen(js_name = continueFile)]
    pub fn continue_file(&mut self, name: &str, start: &[u8]) -> Result<(), JsError> {
        let start = PartStart::from_bytes(start).map_err(|e| JsError::new(&e.to_string()))?;
        self.core()?.continue_file(name, &start);
        Ok(())
    }

    /// Ends the current file as a part of a larger one: the bytes of its `PartEnd`, for
    /// `Merger.splitBegin` / `Merger.appendPart`.
    #[wasm_bindgen(js_name = endPart)]
    pub fn end_part(&mut self) -> Result<Vec<u8>, JsError> {
        Ok(self.core()?.end_part().to_bytes())
    }

    /// Ends the current part where it is (cancel, memory budget), as `abandonFile`.
    #[wasm_bindgen(js_name = abandonPart)]
    pub fn abandon_part(&mut self) -> Result<Vec<u8>, JsError> {
        Ok(self.core()?.abandon_part().to_bytes())
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

    /// Rows decoded so far.
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
    #[wasm_bindgen(unchecked_return_type = "Window | null")]
    pub fn window(&self, start: usize, count: usize, fields: JsValue) -> Result<JsValue, JsError> {
        match &self.inner {
            Some(d) => rows_window(d.table(), start, count, &fields),
            None => Ok(JsValue::NULL),
        }
    }

    /// The columns decoded so far, as `Table.fields`.
    #[wasm_bindgen(unchecked_return_type = "TableField[] | null")]
    pub fn fields(&self) -> JsValue {
        self.inner
            .as_ref()
            .map_or(JsValue::NULL, |d| fields_of(d.table()))
    }

    /// Ends the last file and returns the table handle.
    pub fn finish(&mut self) -> Result<Table, JsError> {
        let d = self
            .inner
            .take()
            .ok_or_else(|| JsError::new("this decoder has finished"))?;
        Ok(Table::new(d.finish()))
    }
}

/// A decoded table with its current view (filter and sort).
#[wasm_bindgen]
pub struct Table {
    table: CoreTable,
    filter: Filter,
    sort: Vec<SortKey>,
    /// The filter, sort and time window as given to `setQuery` (for `translateInput`).
    filter_source: String,
    sort_source: String,
    window: Option<TimeWindow>,
    /// Row ids of the current view, in view order.
    view: Vec<u32>,
    /// Leave load-balancer health checks out of the view.
    hide_health: bool,
    /// Health checks among the rows the filter kept (hidden or not); `None` while the
    /// table's labels and health checks are not built yet (see `Table.annotate`).
    health_in_view: Option<usize>,
}

/// The field a name from the page means: a catalogue name, or a header's unknown name
/// that the table keeps in an extra column.
fn field_named(t: &CoreTable, name: &str) -> Option<Field> {
    Field::lookup(name).or_else(|| t.extra_named(name))
}

/// The names in `fields` (every column of the table when it is not an array); an
/// unknown name is an error, never dropped (that would shift the page's columns).
fn columns_arg(t: &CoreTable, fields: &JsValue) -> Result<Vec<ViewColumn>, JsError> {
    match fields.dyn_ref::<js_sys::Array>() {
        Some(arr) => {
            // a header's unknown name stands for the extra column that holds it
            let names: Vec<String> = arr
                .iter()
                .map(|v| v.as_string().unwrap_or_default())
                .map(|n| t.extra_named(&n).map_or(n, |f| f.name().to_string()))
                .collect();
            cells::lookup_columns(&names).map_err(|e| JsError::new(&e.to_string()))
        }
        None => Ok(t.fields().into_iter().map(ViewColumn::Field).collect()),
    }
}

/// As [`columns_arg`], for calls that take stored fields only (not `duration`).
fn fields_arg(t: &CoreTable, fields: &JsValue) -> Result<Vec<Field>, JsError> {
    columns_arg(t, fields)?
        .into_iter()
        .map(|c| match c {
            ViewColumn::Field(f) => Ok(f),
            other => Err(JsError::new(&format!(
                "'{}' is not a stored field",
                other.name()
            ))),
        })
        .collect()
}

/// Rows `start..start + count` of a table still being built, in table order (no view).
fn rows_window(
    t: &CoreTable,
    start: usize,
    count: usize,
    fields: &JsValue,
) -> Result<JsValue, JsError> {
    let end = start.saturating_add(count).min(t.len());
    let rows: Vec<u32> = (start.min(end) as u32..end as u32).collect();
    Ok(window_of(t, &rows, &columns_arg(t, fields)?, false))
}

/// `[{name, kind, version, about}]` of a table's columns, in order.
fn fields_of(t: &CoreTable) -> JsValue {
    #[derive(Serialize)]
    struct F<'a> {
        name: &'a str,
        kind: crate::catalogue::KindName,
        version: u8,
        about: &'static str,
    }
    let v: Vec<F> = t
        .fields()
        .iter()
        .map(|f| F {
            // an extra column under its header's own name
            name: t.field_name(*f),
            kind: f.kind().into(),
            version: f.def().version,
            about: f.def().about,
        })
        .collect();
    to_js(&v)
}

/// `{ids, rows, hints, filters, secs, states}`: for each row its id and, per column,
/// the display text, hint, the stored value to filter on ("" when it is the text) and
/// the number behind a time or duration (null otherwise); `states` say per row how it
/// ended (`action`, `status`) and why it has empty cells (`note`).
fn window_of(t: &CoreTable, rows: &[u32], columns: &[ViewColumn], labels: bool) -> JsValue {
    #[derive(Serialize)]
    struct Window {
        ids: Vec<u32>,
        rows: Vec<Vec<String>>,
        hints: Vec<Vec<String>>,
        filters: Vec<Vec<String>>,
        secs: Vec<Vec<Option<f64>>>,
        states: Vec<cells::RowState>,
        /// Per row: `{src, dst, iface, hc}` labels (text, kind, guess) of the finished table.
        #[serde(skip_serializing_if = "Option::is_none")]
        labels: Option<Vec<RowLabels>>,
    }
    // labels only once built (`Table.annotate`): a fresh table is shown without them
    let labels = labels && t.annotations_if_built().is_some();
    let mut w = Window {
        labels: labels.then(|| rows.iter().map(|&r| row_labels(t, r as usize)).collect()),
        ids: rows.to_vec(),
        rows: Vec::with_capacity(rows.len()),
        hints: Vec::with_capacity(rows.len()),
        filters: Vec::with_capacity(rows.len()),
        secs: Vec::with_capacity(rows.len()),
        states: rows
            .iter()
            .map(|&r| cells::row_state(t, r as usize))
            .collect(),
    };
    for &r in rows {
        let (mut text, mut hint, mut filter, mut secs) = (vec![], vec![], vec![], vec![]);
        for &c in columns {
            let cell = cells::cell(t, r as usize, c);
            text.push(cell.text);
            hint.push(cell.hint);
            filter.push(cell.filter);
            secs.push(cell.secs);
        }
        w.rows.push(text);
        w.hints.push(hint);
        w.filters.push(filter);
        w.secs.push(secs);
    }
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

/// What a call that needs the table's labels throws when they are not built: the main
/// module leaves building them to the context module (`flowlens_context`), so the table
/// worker (www/worker.js) catches this, labels the table (`annotationInput` →
/// `Annotator.annotate` → `setAnnotations`) and makes the call again.
const LABELS_NEEDED: &str =
    "flowlens: this table's labels are not built yet (the context module builds them: annotationInput, setAnnotations)";

/// `Ok` when the table's labels and health checks can be used: built, or built on
/// demand (the `annotate` feature, natively and in tests).
fn need_labels(t: &CoreTable) -> Result<(), JsError> {
    if cfg!(feature = "annotate") || t.annotations_if_built().is_some() {
        Ok(())
    } else {
        Err(JsError::new(LABELS_NEEDED))
    }
}

fn measure_arg(by: &str) -> Result<Measure, JsError> {
    by.parse()
        .map_err(|e: query::UnknownMeasure| JsError::new(&e.to_string()))
}

/// `[from, to]` unix seconds, or nothing (undefined, null).
fn window_arg(window: &JsValue) -> Option<TimeWindow> {
    let arr = window.dyn_ref::<js_sys::Array>()?;
    let at = |i| arr.get(i).as_f64().map(|v| v.max(0.0) as u64);
    Some(TimeWindow {
        from: at(0)?,
        to: at(1)?,
    })
}

/// `{ok: false, error: {kind, message, start, end}}`: `kind` filter or sort, `message`
/// without the position, `start..end` UTF-16 offsets into the text the error is about.
fn query_error(e: &query::QueryError, text: &str) -> JsValue {
    #[derive(Serialize)]
    struct E {
        kind: query::QueryErrorKind,
        message: String,
        start: usize,
        end: usize,
    }
    #[derive(Serialize)]
    struct R {
        ok: bool,
        error: E,
    }
    let (start, end) = e.utf16_span(text);
    to_js(&R {
        ok: false,
        error: E {
            kind: e.kind,
            message: e.without_position(),
            start,
            end,
        },
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
            filter_source: String::new(),
            sort_source: String::new(),
            window: None,
            view,
            hide_health: false,
            health_in_view: None,
        }
    }

    /// Report size limits `{warn, max}`, as the module-level `reportLimits`: through the
    /// table, the page always asks the module instance that holds its data (a fresh one
    /// after a trap, see app.js), never one that trapped.
    #[wasm_bindgen(js_name = reportLimits)]
    pub fn report_limits(&self) -> JsValue {
        report_limits()
    }

    /// The context files given with the logs: `[{name, kind, source, items, error}]`.
    /// (A table decoded with context files is labelled when it is finished, so one whose
    /// labels are not built yet has none.)
    #[wasm_bindgen(js_name = contextFiles)]
    pub fn context_files(&self) -> JsValue {
        match self.table.annotations_if_built() {
            Some(a) => to_js(&a.context.files),
            None => to_js(&[] as &[context::ContextFileInfo]),
        }
    }

    /// Builds the table's labels and health checks if they are not built yet (the page
    /// asks once the table is shown) and returns `{healthchecks}`: those the current
    /// view's filter kept, as `setQuery` gives it. In the page's main module, which does
    /// not build labels, a table without them throws [`LABELS_NEEDED`] (see
    /// `annotationInput`).
    pub fn annotate(&mut self) -> Result<JsValue, JsError> {
        need_labels(&self.table)?;
        // setQuery counted them if they were built (always when hiding them)
        let count = match self.health_in_view {
            Some(count) => count,
            None => self.table.annotations().health_count(&self.view),
        };
        self.health_in_view = Some(count);
        #[derive(Serialize)]
        struct Annotated {
            healthchecks: usize,
        }
        Ok(to_js(&Annotated {
            healthchecks: count,
        }))
    }

    /// Leaves health checks out of the view (or not); call `setQuery` after it.
    #[wasm_bindgen(js_name = hideHealthChecks)]
    pub fn hide_health_checks(&mut self, on: bool) {
        self.hide_health = on;
    }

    /// Sentences of view rows `start..start+count` (the "read" view): `{ids, sentences,
    /// labels}`.
    #[wasm_bindgen(js_name = readWindow)]
    pub fn read_window(&self, start: usize, count: usize) -> Result<JsValue, JsError> {
        need_labels(&self.table)?;
        #[derive(Serialize)]
        struct R {
            ids: Vec<u32>,
            sentences: Vec<String>,
            labels: Vec<RowLabels>,
        }
        let end = (start + count).min(self.view.len());
        let rows = &self.view[start.min(end)..end];
        let a = self.table.annotations();
        Ok(to_js(&R {
            ids: rows.to_vec(),
            sentences: rows
                .iter()
                .map(|&r| a.sentence(&self.table, r as usize))
                .collect(),
            labels: rows
                .iter()
                .map(|&r| row_labels(&self.table, r as usize))
                .collect(),
        }))
    }

    /// The "by resource" facet: `[{label, kind, count, bytes}]` of the view by interface.
    #[wasm_bindgen(js_name = byResource)]
    pub fn by_resource(&self, limit: usize) -> Result<JsValue, JsError> {
        need_labels(&self.table)?;
        Ok(to_js(&self.table.annotations().by_resource(
            &self.table,
            &self.view,
            limit,
        )))
    }

    /// Rows in the table.
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

    /// Heap bytes held by the table.
    #[wasm_bindgen(js_name = heapBytes)]
    pub fn heap_bytes(&self) -> f64 {
        self.table.heap_bytes() as f64
    }

    /// `[{name, kind, version, about}]` of the table's columns, in order.
    #[wasm_bindgen(unchecked_return_type = "TableField[]")]
    pub fn fields(&self) -> JsValue {
        fields_of(&self.table)
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

    /// `[{file, line, kind, message, raw}]` for errors `offset..offset+limit` (`kind`:
    /// the stable code of the error's family, `field-count`, `value`, `syntax`…).
    pub fn errors(&self, offset: usize, limit: usize) -> JsValue {
        #[derive(Serialize)]
        struct E<'a> {
            file: &'a str,
            line: u64,
            kind: &'static str,
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
                kind: e.kind.name(),
                // Bad lines quote the input: invisible characters shown escaped.
                message: crate::display::visible(&e.reason),
                raw: crate::display::visible(&e.raw),
            })
            .collect();
        to_js(&v)
    }

    /// Sets the view's filter and sort, and the time window (`[from, to]` unix seconds
    /// of the histogram's `field`, or undefined): `{ok: true, count, absent, healthchecks, sort}` or `{ok:
    /// false, error: {kind, message, start, end}}` (the view is unchanged on error).
    #[wasm_bindgen(js_name = setQuery, unchecked_return_type = "QueryResult")]
    pub fn set_query(
        &mut self,
        filter: &str,
        sort: &str,
        window: JsValue,
    ) -> Result<JsValue, JsError> {
        let f = match Filter::parse_with(filter, self.table.extra_names()) {
            Ok(f) => f,
            Err(e) => return Ok(query_error(&e, filter)),
        };
        // labels and health checks: needed now to hide health checks or test labels
        if self.hide_health || f.uses_context() {
            need_labels(&self.table)?;
        }
        let window = window_arg(&window);
        let f = match window {
            Some(w) => f.within(w, query::time_field(|f| self.table.column(f).is_some())),
            None => f,
        };
        let s = match query::parse_sort_with(sort, self.table.extra_names()) {
            Ok(s) => s,
            Err(e) => return Ok(query_error(&e, sort)),
        };
        let mut view = f.select(&self.table);
        // Health checks are classified on first need: hiding them needs them now; else the
        // count is given once they exist (`annotate`), so a fresh table is shown at once.
        let a = if self.hide_health {
            Some(self.table.annotations())
        } else {
            self.table.annotations_if_built()
        };
        self.health_in_view = a.map(|a| a.health_count(&view));
        if let Some(a) = a.filter(|_| self.hide_health) {
            view.retain(|&r| a.health_of(r as usize).is_none());
        }
        query::sort_rows(&self.table, &mut view, &s);
        self.view = view;
        self.filter = f;
        self.sort = s;
        self.filter_source = filter.to_string();
        self.sort_source = sort.to_string();
        self.window = window;
        #[derive(Serialize)]
        struct Done<'a> {
            ok: bool,
            count: usize,
            /// Fields the filter tests that the data does not have.
            absent: Vec<&'static str>,
            /// Health checks the filter kept (hidden when `hideHealthChecks(true)`); null
            /// until the table's health checks are built (`annotate`).
            healthchecks: Option<usize>,
            /// The sort as parsed: `{name, desc}` per key, a repeated field once.
            sort: Vec<SortOut<'a>>,
        }
        #[derive(Serialize)]
        struct SortOut<'a> {
            /// An extra column under its header's own name, as `fields` names it.
            name: &'a str,
            desc: bool,
        }
        Ok(to_js(&Done {
            ok: true,
            count: self.view.len(),
            absent: self
                .filter
                .absent_fields(&self.table)
                .iter()
                .map(|f| f.name())
                .collect(),
            healthchecks: self.health_in_view,
            sort: self
                .sort
                .iter()
                .map(|k| SortOut {
                    name: match k.field {
                        query::SortField::Field(f) => self.table.field_name(f),
                        other => other.name(),
                    },
                    desc: k.desc,
                })
                .collect(),
        }))
    }

    /// Display text of view rows `start..start+count` for the given column names (all
    /// columns when not an array; `duration` too): see `window_of`. An unknown name
    /// is an error.
    #[wasm_bindgen(unchecked_return_type = "Window")]
    pub fn window(&self, start: usize, count: usize, fields: JsValue) -> Result<JsValue, JsError> {
        let end = (start + count).min(self.view.len());
        let start = start.min(end);
        Ok(window_of(
            &self.table,
            &self.view[start..end],
            &columns_arg(&self.table, &fields)?,
            true,
        ))
    }

    /// Everything about one view row: `{id, file, line, original, fields: [{name, about,
    /// display, raw, hint}]}`.
    #[wasm_bindgen(js_name = rowDetail, unchecked_return_type = "RowDetail | null")]
    pub fn row_detail(&self, view_index: usize) -> Result<JsValue, JsError> {
        let Some(&id) = self.view.get(view_index) else {
            return Ok(JsValue::NULL);
        };
        need_labels(&self.table)?;
        let r = id as usize;
        #[derive(Serialize)]
        struct FieldOut<'a> {
            name: &'a str,
            about: &'static str,
            display: String,
            raw: String,
            hint: String,
            /// Unix seconds of a time (null for other values).
            secs: Option<f64>,
        }
        #[derive(Serialize)]
        struct Detail<'a> {
            id: u32,
            file: String,
            line: u64,
            /// The row came from a Parquet file: `line` is its row number.
            parquet: bool,
            original: String,
            fields: Vec<FieldOut<'a>>,
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
            if !t.value(r, f).is_null() && !fields.contains(&f) {
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
                        name: t.field_name(f),
                        about: f.def().about,
                        display: display_value(t, r, f),
                        raw: crate::display::visible(&raw).into_owned(),
                        hint: cells::hint(t, r, f),
                        secs: cells::cell(t, r, ViewColumn::Field(f)).secs,
                    }
                })
                .collect(),
        };
        Ok(to_js(&d))
    }

    /// Top groups of the view: `fields` comma-separated names, `by` count|bytes|packets
    /// (anything else is an error).
    pub fn top(&self, fields: &str, by: &str, limit: usize) -> Result<JsValue, JsError> {
        let group: Vec<Field> = fields
            .split(',')
            .map(|n| {
                field_named(&self.table, n)
                    .ok_or_else(|| JsError::new(&format!("unknown field '{n}'")))
            })
            .collect::<Result<_, _>>()?;
        let measure = measure_arg(by)?;
        Ok(to_js(&query::top(
            &self.table,
            &self.view,
            &group,
            measure,
            limit,
            None,
        )))
    }

    /// The facet of one field over the view: `{values, missing}`, its top `limit` values
    /// by `by` (count|bytes|packets) as `top` gives them, none of them null, and the
    /// rows with no value apart (a group, or null when every row has a value).
    pub fn facet(&self, field: &str, by: &str, limit: usize) -> Result<JsValue, JsError> {
        let f = field_named(&self.table, field)
            .ok_or_else(|| JsError::new(&format!("unknown field '{field}'")))?;
        let measure = measure_arg(by)?;
        Ok(to_js(&query::facet(
            &self.table,
            &self.view,
            f,
            measure,
            limit,
        )))
    }

    /// Histogram of the view by start time (`@timestamp` in a table without `start`; its
    /// `field` says which): `bucketSecs` 0 picks a size for `target` buckets.
    pub fn histogram(&self, bucket_secs: f64, target: usize) -> JsValue {
        let b = (bucket_secs >= 1.0).then_some(bucket_secs as u64);
        to_js(&query::histogram(&self.table, &self.view, b, target.max(1)))
    }

    /// The view exported as `csv`, `ndjson` or `lines` (the original lines).
    #[wasm_bindgen(js_name = exportView)]
    pub fn export_view(&self, kind: &str) -> Result<Vec<u8>, JsError> {
        let kind: output::Export = kind.parse().map_err(|e: String| JsError::new(&e))?;
        let options = output::ExportOptions {
            labels: !self.table.annotations().context.is_empty(),
            csv_safe: true,
        };
        let rows = self.view.iter().map(|r| *r as usize);
        let mut out = Vec::new();
        output::export(&mut out, &self.table, rows, kind, options)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(out)
    }

    /// The rows a report saves, in the report module (`crates/flowlens-report`, loaded
    /// when the first report is prepared): every row (`all`) or the view's.
    #[wasm_bindgen(js_name = reportRows)]
    pub fn report_rows(&self, all: bool) -> Vec<u32> {
        if all {
            (0..self.table.len() as u32).collect()
        } else {
            self.view.clone()
        }
    }

    /// The labels as the report module takes them beside `toBytes` (the bytes
    /// `setAnnotations` took, written again: the round trip is exact), or undefined when
    /// they are not built (a report then carries none, as it never built them).
    #[wasm_bindgen(js_name = annotationBytes)]
    pub fn annotation_bytes(&self) -> Option<Vec<u8>> {
        self.table.annotations_if_built().map(|a| a.to_bytes())
    }

    /// The first `limit` view rows as a Markdown table of `fields` (names).
    #[wasm_bindgen(js_name = markdownRows)]
    pub fn markdown_rows(&self, fields: JsValue, limit: usize) -> Result<String, JsError> {
        let limit = limit.min(output::markdown::MARKDOWN_ROW_LIMIT);
        Ok(output::markdown::rows_table(
            &self.table,
            &self.view,
            &fields_arg(&self.table, &fields)?,
            limit,
        ))
    }

    /// The view rows at `view_indices` (the grid's selection, in view order; at most the
    /// Markdown row limit) as a Markdown table of `fields`. Indices past the view are
    /// ignored.
    #[wasm_bindgen(js_name = markdownSelected)]
    pub fn markdown_selected(
        &self,
        view_indices: &[u32],
        fields: JsValue,
    ) -> Result<String, JsError> {
        let ids: Vec<u32> = view_indices
            .iter()
            .filter_map(|&i| self.view.get(i as usize).copied())
            .take(output::markdown::MARKDOWN_ROW_LIMIT)
            .collect();
        Ok(output::markdown::rows_table(
            &self.table,
            &ids,
            &fields_arg(&self.table, &fields)?,
            ids.len(),
        ))
    }

    /// The view's top groups (as `top`) as a Markdown table.
    #[wasm_bindgen(js_name = markdownTop)]
    pub fn markdown_top(&self, fields: &str, by: &str, limit: usize) -> Result<String, JsError> {
        let group: Vec<Field> = fields
            .split(',')
            .map(|n| {
                field_named(&self.table, n)
                    .ok_or_else(|| JsError::new(&format!("unknown field '{n}'")))
            })
            .collect::<Result<_, _>>()?;
        let measure = measure_arg(by)?;
        let groups = query::top(&self.table, &self.view, &group, measure, limit, None);
        Ok(output::markdown::groups_table(
            &self.table,
            &group,
            &groups,
            measure,
            self.view.len(),
        ))
    }

    /// What the context module (`flowlens_context`, loaded after a decode) needs to label
    /// the table and find its health checks: the columns it reads, as bytes
    /// (`Annotator.annotate` there takes them and gives back what `setAnnotations` takes).
    #[wasm_bindgen(js_name = annotationInput)]
    pub fn annotation_input(&self) -> Vec<u8> {
        self.table.columns_to_bytes(context::ANNOTATION_FIELDS)
    }

    /// Sets the labels and health-check verdicts the context module made of this table
    /// (`Annotator.annotate(table.annotationInput())`), before the first query. Bytes
    /// made for another table are an error.
    #[wasm_bindgen(js_name = setAnnotations)]
    pub fn set_annotations(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        let a = context::Annotations::from_bytes(bytes, self.table.len())
            .map_err(|e| JsError::new(&e.to_string()))?;
        self.table.set_annotations(a);
        Ok(())
    }

    /// The whole table as bytes, to move it to the worker that merges the page's
    /// parallel decode (`Merger.append`).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.table.to_bytes()
    }

    /// One view row as text: source, original line, every field decoded.
    #[wasm_bindgen(js_name = recordText)]
    pub fn record_text(&self, view_index: usize) -> Option<String> {
        let &id = self.view.get(view_index)?;
        Some(output::markdown::record_text(&self.table, id as usize))
    }

    /// What the query-translation module (`flowlens_translate`, loaded on first use)
    /// needs to translate the view: `{filter, sort, window}` as given to `setQuery` and
    /// `fields` (the table's fields, names separated by spaces: Athena's columns and the
    /// `parse` pattern of Logs Insights, as the CLI's `--emit` uses) and `extras` (the
    /// header names of its extra columns, which the filter and sort may name).
    #[wasm_bindgen(js_name = translateInput)]
    pub fn translate_input(&self) -> JsValue {
        #[derive(Serialize)]
        struct T<'a> {
            filter: String,
            sort: String,
            window: Option<[u64; 2]>,
            fields: String,
            /// The header names of the extra columns (`extra-1`… in `fields`).
            extras: &'a [String],
        }
        to_js(&T {
            filter: self.filter_source.clone(),
            sort: self.sort_source.clone(),
            window: self.window.map(|w| [w.from, w.to]),
            extras: self.table.extra_names(),
            fields: self
                .table
                .fields()
                .iter()
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join(" "),
        })
    }
}

/// The page's parallel decode: tables decoded by the workers of its decode pool arrive
/// as bytes (`Table.toBytes`) and are appended here in file order, dictionaries merged
/// and rows, lines and errors kept (see `Table::append`); context files go to the
/// context module, as for a `Decoder`.
///
/// One large plain-text file decoded in parts by several workers is joined here too
/// (`splitBegin`, `splitHolds`, `splitStart`, `appendPart`, `splitFlush`: the page's
/// end of `crate::parts::Splice`, see `www/split-decode.js`).
#[wasm_bindgen]
#[derive(Default)]
pub struct Merger {
    table: Option<CoreTable>,
    splice: Option<Splice>,
}

fn part_end(bytes: &[u8]) -> Result<PartEnd, JsError> {
    PartEnd::from_bytes(bytes).map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen]
impl Merger {
    /// An empty merger: no table yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Merger {
        Merger::default()
    }

    /// Appends the next file's table (bytes from `Table.toBytes` of this same build).
    pub fn append(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        let t = CoreTable::from_bytes(bytes).map_err(|e| JsError::new(&e.to_string()))?;
        self.push(t);
        Ok(())
    }

    /// Appends the next file's table when it was decoded in this same worker: taken
    /// as it is (the JavaScript object is spent), with no bytes in between.
    #[wasm_bindgen(js_name = appendTable)]
    pub fn append_table(&mut self, table: Table) {
        self.push(table.table);
    }

    fn push(&mut self, t: CoreTable) {
        match &mut self.table {
            Some(m) => m.append(t),
            None => self.table = Some(t),
        }
    }

    /// After the first part of a large file (its table appended with `append`): the
    /// start (`PartStart` bytes) the other parts are decoded from ahead, or undefined
    /// when the first part's end cannot be carried (decode the file in one go).
    #[wasm_bindgen(js_name = splitBegin)]
    pub fn split_begin(
        &mut self,
        name: &str,
        first_end: &[u8],
    ) -> Result<Option<Vec<u8>>, JsError> {
        self.splice = Splice::begin(name, &part_end(first_end)?);
        Ok(self.splice.as_ref().map(|s| s.assumed().to_bytes()))
    }

    fn splice(&mut self) -> Result<&mut Splice, JsError> {
        self.splice
            .as_mut()
            .ok_or_else(|| JsError::new("no split decode has begun"))
    }

    /// Whether the next part, decoded as its `PartEnd` says, is right where it falls
    /// (else decode it again from `splitStart()`).
    #[wasm_bindgen(js_name = splitHolds)]
    pub fn split_holds(&mut self, end: &[u8]) -> Result<bool, JsError> {
        let end = part_end(end)?;
        Ok(self.splice()?.holds(&end))
    }

    /// The true start of the next part (`PartStart` bytes).
    #[wasm_bindgen(js_name = splitStart)]
    pub fn split_start(&mut self) -> Result<Vec<u8>, JsError> {
        Ok(self.splice()?.start().to_bytes())
    }

    /// Appends the next part (its table's bytes and its `PartEnd`; one that
    /// `splitHolds`) as the rest of the file. Returns undefined when appended; else the
    /// part ended in a state that cannot be carried, nothing was appended, and the
    /// returned start is where the rest of the file is decoded from, as one last part.
    #[wasm_bindgen(js_name = appendPart)]
    pub fn append_part(
        &mut self,
        table: &[u8],
        end: &[u8],
        last: bool,
    ) -> Result<Option<Vec<u8>>, JsError> {
        let end = part_end(end)?;
        let offset = match self.splice()?.take(end, last) {
            Take::Append(offset) => offset,
            Take::RestFrom(start) => return Ok(Some(start.to_bytes())),
        };
        let t = CoreTable::from_bytes(table).map_err(|e| JsError::new(&e.to_string()))?;
        let Some(m) = &mut self.table else {
            return Err(JsError::new("the first part was not appended"));
        };
        m.append_continuation(t, offset)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(None)
    }

    /// After the last part (or a stop): the lines still waiting for their field count's
    /// binding are decided, as at the end of a whole file, and the split ends.
    #[wasm_bindgen(js_name = splitFlush)]
    pub fn split_flush(&mut self) -> Result<(), JsError> {
        let Some(splice) = self.splice.take() else {
            return Ok(());
        };
        if let (Some(t), Some(m)) = (splice.flush(&DecodeOptions::default()), &mut self.table) {
            m.append_continuation(t, 0)
                .map_err(|e| JsError::new(&e.to_string()))?;
        }
        Ok(())
    }

    /// After the first tables: the input is `total` bytes, `read` of them in the tables
    /// appended so far. The merged columns are reserved once for the rest at the rows
    /// per byte so far, at most `maxBytes` in all (the memory budget less a margin),
    /// instead of doubling table by table to up to twice the rows, a capacity the
    /// budget counts (`Table::reserve_for_rest`).
    #[wasm_bindgen(js_name = expectRest)]
    pub fn expect_rest(&mut self, read: f64, total: f64, max_bytes: f64) {
        if let Some(t) = &mut self.table {
            let left = (total - read).max(0.0) as u64;
            t.reserve_for_rest(t.len(), read as u64, left, max_bytes as usize);
        }
    }

    /// Rows appended so far.
    #[wasm_bindgen(js_name = rowCount)]
    pub fn row_count(&self) -> usize {
        self.table.as_ref().map_or(0, |t| t.len())
    }

    /// Bytes the merged table holds (for the page's memory budget).
    #[wasm_bindgen(js_name = heapBytes)]
    pub fn heap_bytes(&self) -> f64 {
        self.table.as_ref().map_or(0.0, |t| t.heap_bytes() as f64)
    }

    /// The first rows while the other files are still decoding (see `Decoder.window`).
    #[wasm_bindgen(unchecked_return_type = "Window | null")]
    pub fn window(&self, start: usize, count: usize, fields: JsValue) -> Result<JsValue, JsError> {
        match &self.table {
            Some(t) => rows_window(t, start, count, &fields),
            None => Ok(JsValue::NULL),
        }
    }

    /// The columns of the files merged so far (see `Decoder.fields`), or null before the first.
    #[wasm_bindgen(unchecked_return_type = "TableField[] | null")]
    pub fn fields(&self) -> JsValue {
        self.table.as_ref().map_or(JsValue::NULL, fields_of)
    }

    /// The merged table (to be labelled by the context module, as a `Decoder`'s).
    pub fn finish(&mut self) -> Table {
        let mut t = self.table.take().unwrap_or_default();
        t.finish_building();
        Table::new(t)
    }
}
