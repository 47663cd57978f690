//! Self-contained report files: the single-file app (`dist/flowlens.html`) with the data,
//! the view and a banner's worth of facts embedded, so one HTML file shows a finding on
//! any machine, offline. Built here once for the page (through wasm) and the CLI.
//!
//! What is embedded, before `</body>` of the template, in this order:
//! - one `<script type="application/octet-stream" id="flowlens-report-data-N">` per source
//!   file with records in the report: the file's records as text, gzip-compressed and
//!   base64-encoded;
//! - `<script type="application/json" id="flowlens-report">`: the [`ReportMeta`] (title,
//!   note, view, counts, time span, files, redaction, saved-at, version). Script elements of a non-JavaScript type are inert data blocks that
//!   the page's Content-Security-Policy does not govern.
//!
//! Each embedded file re-decodes exactly: its records are the original lines, preceded by
//! a header line of the fields they were bound to (so a format that was inferred, given,
//! or read from a header far above still binds them), and a new header wherever the
//! binding changed. Records with CloudWatch event fields (`@timestamp`, `@logStream`) are
//! embedded as a `get-log-events` JSON document so those fields survive. Redaction
//! re-renders each record from its decoded values through the [`Redactor`]. Line numbers
//! are those of the embedded copy; bad lines of the input are not embedded (only
//! counted), since only their first 240 bytes are kept.

use crate::fields::{Field, Kind};
use crate::output::{self, iso_time, summarize};
use crate::redact::Redactor;
/// What a report may redact, and the tests it redacts by.
pub use crate::redact::{is_account_field, is_public, RedactOptions};
use crate::table::Table;
use base64::Engine as _;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde::{Deserialize, Serialize};
use std::io::Write as _;

pub use crate::report_limits::{REPORT_MAX_BYTES, REPORT_WARN_BYTES};
/// Text the single-file build carries (`scripts/inline.mjs`): a template must have it.
pub const TEMPLATE_MARKER: &str = "single-file build of flowlens";
/// The id of the metadata element; data elements are `flowlens-report-data-N`.
pub const META_ID: &str = "flowlens-report";

/// What the caller asks for (the page passes it as JSON).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReportOptions {
    /// The report's title (the file name suggests it).
    pub title: String,
    /// A note shown under the banner.
    pub note: String,
    /// "view" (the rows of the current view) or "all" (everything loaded): recorded in
    /// the banner; the caller passes the rows.
    pub data: String,
    /// What to redact in the embedded records and texts.
    pub redact: RedactOptions,
    /// The view to open in: `{filter, sort, columns, time, local, panels…}` as the page
    /// keeps it. Every string in it is redacted like the records.
    pub view: serde_json::Value,
    /// When it is saved, unix milliseconds (the page's clock; wasm has none).
    pub saved_at_ms: f64,
    /// Refuse above this many bytes (default [`REPORT_MAX_BYTES`]).
    pub max_bytes: Option<usize>,
    /// The names the report gives the table's files, by index, where they differ from
    /// the names they were decoded under (the CLI keeps a local directory out).
    pub file_names: Vec<String>,
}

/// A source file as the banner and the Files panel name it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportFile {
    /// The file's name (redacted when names are).
    pub name: String,
    /// Records of this file in the report.
    pub records: u64,
    /// Records of this file when the report was saved.
    pub loaded_records: u64,
    /// The data element's id, when the file has records in the report.
    pub element: Option<String>,
}

/// The metadata element's content.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportMeta {
    /// The format version of the report metadata.
    pub flowlens_report: u32,
    /// The flowlens version that wrote the report.
    pub version: String,
    /// The report's title.
    pub title: String,
    /// Its note.
    pub note: String,
    /// When it was saved (ISO-8601 UTC).
    pub saved_at: String,
    /// "view" or "all": which rows were saved.
    pub data: String,
    /// The view the report opens in.
    pub view: serde_json::Value,
    /// Records embedded.
    pub records: u64,
    /// Records loaded when it was saved.
    pub loaded_records: u64,
    /// Bad lines loaded when it was saved.
    pub loaded_errors: u64,
    /// Earliest start of the embedded records, unix seconds.
    pub first_start: Option<u64>,
    /// Latest end of the embedded records, unix seconds.
    pub last_end: Option<u64>,
    /// The source files with their record counts.
    pub files: Vec<ReportFile>,
    /// What was redacted, as a sentence; empty when nothing was.
    pub redaction: String,
    /// Things the reader should know (bad lines left out, a rewritten filter…).
    pub notes: Vec<String>,
    /// Distinct account IDs and public addresses replaced by the redaction.
    #[serde(default)]
    pub replaced_accounts: usize,
    /// Distinct public addresses replaced.
    #[serde(default)]
    pub replaced_addresses: usize,
    /// The labels of the context files loaded when it was saved, if any.
    #[serde(default)]
    pub context: Option<ReportContext>,
}

/// The labels a report carries (see [`crate::context::snapshot`]): the element holding
/// them (gzip, base64: a context file the page reads as any other) and what they came
/// from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportContext {
    /// The data element's id.
    pub element: String,
    /// The name the page gives it (listed with the context files).
    pub name: String,
    /// The context files the labels came from (names redacted as file names are).
    pub files: Vec<String>,
    /// Distinct labels.
    pub labels: usize,
    /// Records labelled as health checks.
    pub healthchecks: usize,
}

/// The id of the labels element.
pub const CONTEXT_ID: &str = "flowlens-report-context";

/// Why a report cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    /// The template is not the single-file app.
    #[error("{0}")]
    Template(String),
    /// Larger than the limit: `estimate` bytes for all `total` records, found after
    /// `done` were written.
    #[error(
        "the report would be about {} (the limit is {}): save only the current view, or narrow it with a filter or a time window",
        mb(*.estimate),
        mb(*.limit)
    )]
    TooBig {
        /// The largest size allowed, in bytes.
        limit: usize,
        /// The estimated size of the whole file.
        estimate: usize,
        /// Records written when the estimate was made.
        done: usize,
        /// Records asked for.
        total: usize,
    },
}

fn mb(n: usize) -> String {
    format!("{:.1} MB", n as f64 / 1e6)
}

/// A built report.
#[derive(Debug)]
pub struct Report {
    /// The file, ready to download.
    pub html: Vec<u8>,
    /// What the banner says of it.
    pub meta: ReportMeta,
}

fn find_ci(hay: &str, needle: &str, last: bool) -> Option<usize> {
    let h = hay.to_ascii_lowercase();
    if last {
        h.rfind(needle)
    } else {
        h.find(needle)
    }
}

/// Checks that `template` is the single-file app and not already a report.
pub fn check_template(template: &str) -> Result<(), ReportError> {
    if !template.contains(TEMPLATE_MARKER) {
        return Err(ReportError::Template(
            "the template is not the single-file flowlens app (dist/flowlens.html, made by `npm run build`)".into(),
        ));
    }
    if template.contains(&format!("id=\"{META_ID}\"")) {
        return Err(ReportError::Template(
            "the template is itself a report: use dist/flowlens.html".into(),
        ));
    }
    if find_ci(template, "</body>", true).is_none() {
        return Err(ReportError::Template("the template has no </body>".into()));
    }
    Ok(())
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// JSON that is safe inside a `<script>` element.
fn script_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// One embedded file being written.
/// One embedded file being written: its text is gathered in blocks of [`PART_BLOCK`]
/// bytes and compressed a block at a time (deflate called per 100-byte line costs more
/// than the compression itself).
struct Part {
    gz: GzEncoder<Vec<u8>>,
    buf: Vec<u8>,
}

const PART_BLOCK: usize = 256 * 1024;

/// gzip level of the embedded data. Deflate is most of the cost of a report; on 1M
/// default-format records (wasm) level 3 took 7.1 s for 33.4 MB, level 6 11.2 s for
/// 28.9 MB. A report is saved once and sent by mail: the smaller file wins.
const REPORT_GZIP_LEVEL: u32 = 6;

impl Part {
    fn new() -> Part {
        Part {
            gz: GzEncoder::new(Vec::new(), Compression::new(REPORT_GZIP_LEVEL)),
            buf: Vec::with_capacity(PART_BLOCK + 4096),
        }
    }

    fn put(&mut self, s: &[u8]) {
        self.buf.extend_from_slice(s);
        if self.buf.len() >= PART_BLOCK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        // writing into a Vec cannot fail
        let _ = self.gz.write_all(&self.buf);
        self.buf.clear();
    }

    /// Compressed bytes so far, plus a quarter of what is gathered (about what flow log
    /// text compresses to), for the size check.
    fn written(&self) -> usize {
        self.gz.get_ref().len() + self.buf.len() / 4
    }

    fn finish(mut self) -> Vec<u8> {
        self.flush();
        self.gz.finish().unwrap_or_default()
    }
}

/// The data part of a report, compressed and encoded once: [`Draft::finish`] then adds
/// the page, the title, the note and the view, as often as they change (the page's
/// dialog shows the size as the user types, without compressing again).
#[derive(Debug)]
pub struct Draft {
    /// The data elements, in order.
    data: String,
    files: Vec<ReportFile>,
    red: Redactor,
    data_kind: String,
    records: u64,
    first_start: Option<u64>,
    last_end: Option<u64>,
    loaded_records: u64,
    loaded_errors: u64,
    limit: usize,
    context: Option<ReportContext>,
}

/// Builds the report of `rows` (any order; embedded in table order, the view's sort
/// reproduces the order) of `table` into `template`.
pub fn build(
    table: &Table,
    rows: &[u32],
    template: &str,
    opts: &ReportOptions,
) -> Result<Report, ReportError> {
    prepare(table, rows, template, opts)?.finish(template, opts)
}

/// Compresses and encodes the data of the report of `rows`: what `opts.redact`,
/// `opts.data`, `opts.max_bytes` and `opts.file_names` say; `template` is checked and
/// counted against the limit.
pub fn prepare(
    table: &Table,
    rows: &[u32],
    template: &str,
    opts: &ReportOptions,
) -> Result<Draft, ReportError> {
    check_template(template)?;
    let limit = opts.max_bytes.unwrap_or(REPORT_MAX_BYTES);
    let mut ids: Vec<u32> = rows
        .iter()
        .copied()
        .filter(|&r| (r as usize) < table.len())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut red = Redactor::new(opts.redact);
    if opts.redact.ips {
        let addr_fields: Vec<Field> = table
            .fields()
            .into_iter()
            .filter(|f| f.kind() == Kind::Addr)
            .collect();
        for &r in &ids {
            for &f in &addr_fields {
                if let crate::table::Value::Addr(a) = table.value(r as usize, f) {
                    red.reserve(a);
                }
            }
        }
    }
    if opts.redact.ips {
        // addresses of the pools written in the texts stay as they are: never hand them out
        for s in [&opts.title, &opts.note] {
            red.reserve_in_text(s);
        }
        if let Some(f) = opts.view.get("filter").and_then(|v| v.as_str()) {
            red.reserve_in_text(f);
        }
    }
    let redacting = !opts.redact.is_none();
    // the labels of the context files, when some were loaded: derived per record, not
    // the raw files (see context::snapshot)
    let mut labels = table
        .annotations_if_built()
        .filter(|a| !a.context.is_empty())
        .map(|a| a.snapshot(table, &ids));
    if opts.redact.ips {
        if let Some(l) = &labels {
            l.reserve(&mut red);
        }
    }
    // base64 grows the compressed bytes by 4/3; the metadata adds a little
    let overhead = template.len() + 4096 + table.files().len() * 512;
    let mut data = String::new();
    let mut files = Vec::new();
    let mut line = String::new();
    let mut at = 0usize;
    for (fi, f) in table.files().iter().enumerate() {
        let end = at + ids[at..].partition_point(|&r| (r as usize) < f.end_row);
        let mine = &ids[at..end];
        at = end;
        let name = red.text(opts.file_names.get(fi).unwrap_or(&f.name));
        if mine.is_empty() {
            files.push(ReportFile {
                name,
                records: 0,
                loaded_records: f.records,
                element: None,
            });
            continue;
        }
        let json = mine.iter().any(|&r| {
            !table.value(r as usize, Field::EventTimestamp).is_null()
                || !table.value(r as usize, Field::LogStream).is_null()
        });
        let mut part = Part::new();
        let mut header: Option<Vec<Field>> = None;
        let mut first_event = true;
        let put = |part: &mut Part, s: &[u8]| part.put(s);
        if json {
            put(&mut part, b"{\"events\":[\n");
        }
        let mut fields: Vec<Field> = Vec::new();
        let mut segment: (*const Field, usize) = (std::ptr::null(), 0);
        for (k, &r) in mine.iter().enumerate() {
            let r = r as usize;
            let own = table.row_fields(r);
            if (own.as_ptr(), own.len()) != segment {
                // a new run of rows (a new binding): its fields, less the dropped ones
                segment = (own.as_ptr(), own.len());
                fields = own.iter().copied().filter(|f| red.keeps(*f)).collect();
            }
            if header.as_ref() != Some(&fields) {
                // an extra column under its header's own name, so that it re-decodes
                let names: Vec<&str> = fields.iter().map(|f| table.field_name(*f)).collect();
                let h = names.join(" ");
                if json {
                    let mut s = String::new();
                    if !first_event {
                        s.push_str(",\n");
                    }
                    s.push_str("{\"message\":");
                    output::json_string(&mut s, &h);
                    s.push('}');
                    put(&mut part, s.as_bytes());
                    first_event = false;
                } else {
                    put(&mut part, h.as_bytes());
                    put(&mut part, b"\n");
                }
                header = Some(fields.clone());
            }
            // redacted: re-rendered from the values; else the original bytes as read
            let text: std::borrow::Cow<'_, [u8]> = if redacting {
                line.clear();
                for (i, &f) in fields.iter().enumerate() {
                    if i > 0 {
                        line.push(' ');
                    }
                    red.write_value(&mut line, f, table.value(r, f));
                }
                std::borrow::Cow::Borrowed(line.as_bytes())
            } else {
                table.original_line(r)
            };
            if json {
                let mut s = String::with_capacity(text.len() + 96);
                if !first_event {
                    s.push_str(",\n");
                }
                first_event = false;
                s.push('{');
                if let crate::table::Value::EventTime(ms) = table.value(r, Field::EventTimestamp) {
                    s.push_str(&format!("\"timestamp\":{ms},"));
                }
                if let crate::table::Value::Text(st) = table.value(r, Field::LogStream) {
                    s.push_str("\"logStreamName\":");
                    output::json_string(&mut s, &red.text(st));
                    s.push(',');
                }
                s.push_str("\"message\":");
                output::json_string(&mut s, &String::from_utf8_lossy(&text));
                s.push('}');
                put(&mut part, s.as_bytes());
            } else {
                put(&mut part, &text);
                put(&mut part, b"\n");
            }
            if k % 512 == 511 {
                let so_far = data.len() + part.written() * 4 / 3;
                if overhead + so_far > limit {
                    let done = files
                        .iter()
                        .map(|f: &ReportFile| f.records as usize)
                        .sum::<usize>()
                        + k
                        + 1;
                    return Err(ReportError::TooBig {
                        limit,
                        estimate: overhead
                            + (so_far as f64 * ids.len() as f64 / done as f64) as usize,
                        done,
                        total: ids.len(),
                    });
                }
            }
        }
        if json {
            put(&mut part, b"\n]}\n");
        }
        let gz = part.finish();
        let id = format!("{META_ID}-data-{fi}");
        push_element(&mut data, &id, &gz);
        files.push(ReportFile {
            name,
            records: mine.len() as u64,
            loaded_records: f.records,
            element: Some(id),
        });
    }

    let context = labels.as_mut().map(|l| {
        // after the records: a public address has the pseudonym it has there
        l.redact(&mut red);
        let mut part = Part::new();
        part.put(&serde_json::to_vec(&*l).unwrap_or_default());
        push_element(&mut data, CONTEXT_ID, &part.finish());
        ReportContext {
            element: CONTEXT_ID.to_string(),
            name: "labels saved with this report.json.gz".to_string(),
            files: l.files.iter().map(|f| f.name.clone()).collect(),
            labels: l.labels.len(),
            healthchecks: l.health.len(),
        }
    });
    let s = summarize(table, ids.iter().map(|r| *r as usize));
    Ok(Draft {
        context,
        data,
        files,
        red,
        data_kind: if opts.data == "all" { "all" } else { "view" }.to_string(),
        records: s.records,
        first_start: s.first_start,
        last_end: s.last_end,
        loaded_records: table.len() as u64,
        loaded_errors: table.counts().errors,
        limit,
    })
}

impl Draft {
    /// Records in the report.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Distinct account IDs and public addresses replaced so far.
    pub fn replaced(&self) -> (usize, usize) {
        self.red.replaced()
    }
    /// The page up to `</body>` with the report's title, and the metadata element: what
    /// goes around the data.
    fn wrap(&mut self, template: &str, opts: &ReportOptions) -> (String, String, ReportMeta) {
        let red = &mut self.red;
        let title = red.text(opts.title.trim());
        let note = red.text(opts.note.trim());
        let body = find_ci(template, "</body>", true).unwrap_or(template.len());
        let head = &template[..body];
        let title_text = if title.is_empty() {
            "flowlens report".to_string()
        } else {
            format!("{title} — flowlens report")
        };
        let mut page = String::with_capacity(head.len() + 256);
        match (
            find_ci(head, "<title>", false),
            find_ci(head, "</title>", false),
        ) {
            (Some(a), Some(b)) if a < b => {
                page.push_str(&head[..a + 7]);
                page.push_str(&escape_html(&title_text));
                page.push_str(&head[b..]);
            }
            _ => page.push_str(head),
        }
        let mut view = opts.view.clone();
        let filter_before = view
            .get("filter")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        red.json(&mut view);
        let mut notes = Vec::new();
        let filter_after = view
            .get("filter")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        if filter_before != filter_after {
            let mut n =
                "Redaction rewrote the filter's addresses and account IDs as in the records"
                    .to_string();
            if filter_after.as_deref().is_some_and(|f| f.contains('/')) {
                n.push_str("; a CIDR range of public addresses no longer selects the same records");
            }
            n.push('.');
            notes.push(n);
        }
        let errors = self.loaded_errors;
        if errors > 0 {
            notes.push(format!(
                "{errors} bad line{} of the input {} not included.",
                if errors == 1 { "" } else { "s" },
                if errors == 1 { "is" } else { "are" }
            ));
        }
        let saved = opts.saved_at_ms.max(0.0) as i64;
        let meta = ReportMeta {
            flowlens_report: 1,
            version: env!("CARGO_PKG_VERSION").to_string(),
            title,
            note,
            saved_at: iso_time(saved.div_euclid(1000), 0),
            data: self.data_kind.clone(),
            view,
            records: self.records,
            loaded_records: self.loaded_records,
            loaded_errors: errors,
            first_start: self.first_start,
            last_end: self.last_end,
            files: self.files.clone(),
            redaction: red.opts.describe(),
            notes,
            replaced_accounts: red.replaced().0,
            replaced_addresses: red.replaced().1,
            context: self.context.clone(),
        };
        let meta_el = format!(
            "<script type=\"application/json\" id=\"{META_ID}\">{}</script>\n",
            script_json(&meta)
        );
        (page, meta_el, meta)
    }

    /// The size the report would have with this title, note and view (as `finish`, with
    /// no copy of the data).
    pub fn size(&mut self, template: &str, opts: &ReportOptions) -> usize {
        let body = find_ci(template, "</body>", true).unwrap_or(template.len());
        let (page, meta_el, _) = self.wrap(template, opts);
        page.len() + self.data.len() + meta_el.len() + template.len() - body
    }

    /// The whole file: the page up to `</body>` (with the report's title), the data
    /// elements, the metadata, the rest of the page.
    pub fn finish(&mut self, template: &str, opts: &ReportOptions) -> Result<Report, ReportError> {
        let body = find_ci(template, "</body>", true).unwrap_or(template.len());
        let (page, meta_el, meta) = self.wrap(template, opts);
        let size = page.len() + self.data.len() + meta_el.len() + template.len() - body;
        if size > self.limit {
            return Err(ReportError::TooBig {
                limit: self.limit,
                estimate: size,
                done: self.records as usize,
                total: self.records as usize,
            });
        }
        let mut html = Vec::with_capacity(size);
        html.extend_from_slice(page.as_bytes());
        html.extend_from_slice(self.data.as_bytes());
        html.extend_from_slice(meta_el.as_bytes());
        html.extend_from_slice(&template.as_bytes()[body..]);
        Ok(Report { html, meta })
    }
}

/// Appends a data element: `gz` base64-encoded in an inert `<script>`.
fn push_element(data: &mut String, id: &str, gz: &[u8]) {
    data.reserve(gz.len() * 4 / 3 + 128);
    data.push_str(&format!(
        "<script type=\"application/octet-stream\" id=\"{id}\" data-encoding=\"gzip+base64\">"
    ));
    base64::engine::general_purpose::STANDARD.encode_string(gz, data);
    data.push_str("</script>\n");
}

/// The bytes of a data element of a report, as embedded (gzip).
fn element_bytes(html: &str, id: &str) -> Result<Vec<u8>, String> {
    let tag = format!("id=\"{id}\" data-encoding=\"gzip+base64\">");
    let a = html.find(&tag).ok_or(format!("no element {id}"))? + tag.len();
    let b = a + html[a..].find("</script>").ok_or("unterminated data")?;
    base64::engine::general_purpose::STANDARD
        .decode(&html[a..b])
        .map_err(|e| e.to_string())
}

/// The decompressed text of a data element of a report.
fn element_text(html: &str, id: &str) -> Result<Vec<u8>, String> {
    let gz = element_bytes(html, id)?;
    let mut text = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&gz[..]), &mut text)
        .map_err(|e| e.to_string())?;
    Ok(text)
}

/// The labels element of a report as embedded (gzip bytes: the context file the page
/// reads), if it carries labels.
pub fn labels_element(html: &str) -> Result<Option<(String, Vec<u8>)>, String> {
    let (meta, _) = read(html)?;
    meta.context
        .map(|c| element_bytes(html, &c.element).map(|b| (c.name, b)))
        .transpose()
}

/// The labels a report carries, decompressed (the JSON of a
/// [`crate::context::snapshot::Snapshot`]), if it carries any.
pub fn read_labels(html: &str) -> Result<Option<Vec<u8>>, String> {
    let (meta, _) = read(html)?;
    meta.context
        .map(|c| element_text(html, &c.element))
        .transpose()
}

/// An embedded file: its name and decompressed text.
pub type EmbeddedFile = (String, Vec<u8>);

/// Reads a report back: its metadata and each embedded file's decompressed text, in
/// order (for tests and tools; the page does the same in JavaScript).
pub fn read(html: &str) -> Result<(ReportMeta, Vec<EmbeddedFile>), String> {
    let open = format!("<script type=\"application/json\" id=\"{META_ID}\">");
    let a = html.find(&open).ok_or("no report metadata in this file")? + open.len();
    let b = a + html[a..].find("</script>").ok_or("unterminated metadata")?;
    let meta: ReportMeta = serde_json::from_str(&html[a..b]).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for f in &meta.files {
        let Some(id) = &f.element else { continue };
        out.push((f.name.clone(), element_text(html, id)?));
    }
    Ok((meta, out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decoder::{DecodeOptions, Decoder};

    const TEMPLATE: &str = "<!doctype html>\n<html><!-- single-file build of flowlens --><head><title>flowlens</title></head><body><p>app</p></body></html>";

    fn table(files: &[(&str, &str)]) -> Table {
        let mut d = Decoder::new(DecodeOptions::default());
        for (name, text) in files {
            d.begin_file(name);
            d.push(text.as_bytes());
        }
        d.finish()
    }

    fn redecode(html: &[u8]) -> (ReportMeta, Table) {
        let (meta, parts) = read(std::str::from_utf8(html).unwrap()).unwrap();
        let mut d = Decoder::new(DecodeOptions::default());
        for (name, text) in &parts {
            d.begin_file(name);
            d.push(text);
        }
        (meta, d.finish())
    }

    const RAW: &str = "2 123456789012 eni-1 10.0.0.1 52.94.1.7 443 22 6 10 840 1764115200 1764115260 REJECT OK\n\
                       2 123456789012 eni-2 10.0.0.2 10.0.0.3 1 2 17 1 40 1764115200 1764115260 ACCEPT OK\n\
                       2 210987654321 eni-3 3.5.140.2 10.0.0.3 5 6 6 1 40 1764115300 1764115360 ACCEPT OK\n";

    #[test]
    fn a_report_redecodes_to_the_same_records() {
        let json = "{\"events\":[{\"timestamp\":1764115200000,\"logStreamName\":\"eni-1-all\",\"message\":\"2 123456789012 eni-1 10.0.0.1 52.94.1.7 443 22 6 10 840 1764115200 1764115260 REJECT OK\"}]}";
        let t = table(&[("a.log", RAW), ("b.json", json), ("c.log", "2 123 junk\n")]);
        let opts = ReportOptions {
            title: "SSH <b>".into(),
            view: serde_json::json!({"filter": "action = reject", "sort": "bytes:desc"}),
            saved_at_ms: 1_764_115_200_000.0,
            ..Default::default()
        };
        let r = build(&t, &[3, 0, 1, 2], TEMPLATE, &opts).unwrap();
        let html = String::from_utf8(r.html.clone()).unwrap();
        assert!(html.contains("<title>SSH &lt;b&gt; — flowlens report</title>"));
        assert!(!html.contains("SSH <b>"));
        let (meta, back) = redecode(&r.html);
        assert_eq!(meta.records, 4);
        assert_eq!(meta.saved_at, "2025-11-26T00:00:00Z");
        assert_eq!(meta.files.len(), 3);
        assert_eq!(meta.files[2].element, None);
        assert_eq!(back.len(), 4);
        assert_eq!(back.counts().errors, 0);
        let mut a = String::new();
        output::write_ndjson(&mut a, &t, 0..4);
        let mut b = String::new();
        output::write_ndjson(&mut b, &back, 0..4);
        assert_eq!(a, b, "same typed records, event fields included");
        assert_eq!(
            meta.notes.len(),
            1,
            "the bad line is named: {:?}",
            meta.notes
        );
    }

    #[test]
    fn redaction_leaves_no_original_value() {
        let t = table(&[("AWSLogs/123456789012/x.log", RAW)]);
        let opts = ReportOptions {
            title: "from 52.94.1.7".into(),
            note: "account 210987654321".into(),
            redact: RedactOptions::ALL,
            view: serde_json::json!({"filter": "srcaddr = 3.5.140.2 or account-id = 123456789012"}),
            ..Default::default()
        };
        let r = build(&t, &[0, 1, 2], TEMPLATE, &opts).unwrap();
        let html = String::from_utf8(r.html.clone()).unwrap();
        let (meta, parts) = read(&html).unwrap();
        let payload = String::from_utf8(parts[0].1.clone()).unwrap();
        for v in ["123456789012", "210987654321", "52.94.1.7", "3.5.140.2"] {
            assert!(!html.contains(v) && !payload.contains(v), "{v} remains");
        }
        assert!(payload.contains("xxxxxxxx9012") && payload.contains("10.0.0.1"));
        assert_eq!(
            meta.view["filter"],
            "srcaddr = 203.0.113.2 or account-id = xxxxxxxx9012"
        );
        let (_, back) = redecode(&r.html);
        assert_eq!(back.len(), 3);
        let f = crate::query::Filter::parse(meta.view["filter"].as_str().unwrap()).unwrap();
        assert_eq!(
            f.select(&back).len(),
            3,
            "the rewritten filter selects the same rows"
        );
    }

    #[test]
    fn a_header_midway_and_an_empty_view() {
        // `zcat a.gz b.gz`: a second header rebinds the lines after it
        let text = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n\
                    2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1764115200 1764115260 ACCEPT OK\n\
                    version srcaddr dstaddr action pkt-srcaddr\n\
                    5 10.0.0.3 10.0.0.4 REJECT 10.9.9.9\n";
        let t = table(&[("ab.log", text)]);
        let r = build(&t, &[1, 0], TEMPLATE, &ReportOptions::default()).unwrap();
        let (_, back) = redecode(&r.html);
        let (mut a, mut b) = (String::new(), String::new());
        output::write_ndjson(&mut a, &t, 0..2);
        output::write_ndjson(&mut b, &back, 0..2);
        assert_eq!(a, b);
        let none = build(&t, &[], TEMPLATE, &ReportOptions::default()).unwrap();
        let (meta, back) = redecode(&none.html);
        assert_eq!((meta.records, back.len()), (0, 0));
        assert_eq!(meta.files[0].element, None);
    }

    #[test]
    fn size_limit_and_templates() {
        let t = table(&[("a.log", RAW)]);
        let opts = ReportOptions {
            max_bytes: Some(TEMPLATE.len() + 100),
            ..Default::default()
        };
        assert!(matches!(
            build(&t, &[0, 1, 2], TEMPLATE, &opts),
            Err(ReportError::TooBig { .. })
        ));
        assert!(matches!(
            build(
                &t,
                &[0],
                "<html><body></body></html>",
                &ReportOptions::default()
            ),
            Err(ReportError::Template(_))
        ));
        let r = build(&t, &[0], TEMPLATE, &ReportOptions::default()).unwrap();
        let again = String::from_utf8(r.html).unwrap();
        assert!(matches!(
            build(&t, &[0], &again, &ReportOptions::default()),
            Err(ReportError::Template(_))
        ));
    }
}

#[cfg(test)]
mod context_tests {
    //! Reports carry the labels of the context files (see `context::snapshot`).
    use super::*;
    use crate::context::Context;
    use crate::decoder::{DecodeOptions, Decoder};

    const TEMPLATE: &str = "<!doctype html>\n<html><!-- single-file build of flowlens --><head><title>flowlens</title></head><body><p>app</p></body></html>";

    const ENIS: &str = r#"{"NetworkInterfaces":[{"NetworkInterfaceId":"eni-0aaa1111bbbb22223","Description":"Primary network interface","InterfaceType":"interface","OwnerId":"987654321098","AvailabilityZone":"us-east-1a","PrivateIpAddress":"10.0.1.10","PrivateIpAddresses":[{"PrivateIpAddress":"10.0.1.10","Primary":true,"Association":{"PublicIp":"54.239.28.85"}}],"Association":{"PublicIp":"54.239.28.85","IpOwnerId":"amazon"},"Attachment":{"InstanceId":"i-0abc1234567890def","InstanceOwnerId":"987654321098"},"TagSet":[{"Key":"Name","Value":"secret-name-7731"},{"Key":"Team","Value":"team-blue-5512"}]}]}"#;
    const RANGES: &str = r#"{"syncToken":"1","prefixes":[{"ip_prefix":"3.5.140.0/22","region":"us-east-1","service":"S3"}],"ipv6_prefixes":[]}"#;
    const LOG: &str = "2 987654321098 eni-0aaa1111bbbb22223 10.0.1.10 3.5.140.2 40001 443 6 12 4200 1764158584 1764158644 ACCEPT OK\n\
                       2 987654321098 eni-0aaa1111bbbb22223 52.94.1.7 54.239.28.85 51000 22 6 2 120 1764158600 1764158660 REJECT OK\n\
                       2 987654321098 eni-0aaa1111bbbb22223 10.0.1.10 10.0.2.2 40002 5432 6 3 300 1764158600 1764158660 ACCEPT OK\n";
    /// Every original value the context files and the records hold that redaction must remove.
    const SECRETS: &[&str] = &[
        "987654321098",
        "54.239.28.85",
        "3.5.140.2",
        "52.94.1.7",
        "secret-name-7731",
        "team-blue-5512",
    ];

    fn labelled() -> Table {
        let mut c = Context::default();
        c.add_file("/home/me/enis.json", ENIS.as_bytes())
            .unwrap()
            .unwrap();
        c.add_file("ip-ranges.json", RANGES.as_bytes())
            .unwrap()
            .unwrap();
        let mut d = Decoder::new(DecodeOptions::default());
        d.begin_file("flows.log");
        d.push(LOG.as_bytes());
        let mut t = d.finish();
        t.annotate(c);
        t
    }

    /// Opens a report as the page does: its records decoded, its labels element (gzip
    /// bytes, as embedded) given as one more context file.
    fn open(html: &str) -> Table {
        let (_, parts) = read(html).unwrap();
        let (name, gz) = labels_element(html)
            .unwrap()
            .expect("the report carries labels");
        let mut ctx = Context::default();
        assert!(crate::context::sniff(&gz[..gz.len().min(4096)]).is_some());
        ctx.add_file(&name, &gz).unwrap().unwrap();
        let mut d = Decoder::new(DecodeOptions::default());
        for (name, text) in &parts {
            d.begin_file(name);
            d.push(text);
        }
        let mut t = d.finish();
        t.annotate(ctx);
        t
    }

    fn label(t: &Table, v: fn(&crate::context::Annotations) -> &Vec<u32>, r: usize) -> String {
        let a = t.annotations();
        a.label(v(a)[r]).map(|l| l.text.clone()).unwrap_or_default()
    }

    #[test]
    fn a_report_opens_with_the_labels_it_was_saved_with() {
        let t = labelled();
        let r = build(&t, &[1, 2], TEMPLATE, &ReportOptions::default()).unwrap();
        let html = String::from_utf8(r.html).unwrap();
        let c = r.meta.context.as_ref().unwrap();
        assert_eq!(
            c.files,
            ["enis.json", "ip-ranges.json"],
            "no local directory"
        );
        let back = open(&html);
        assert_eq!(back.len(), 2);
        for (k, orig) in [(0, 1), (1, 2)] {
            assert_eq!(label(&back, |a| &a.src, k), label(&t, |a| &a.src, orig));
            assert_eq!(label(&back, |a| &a.dst, k), label(&t, |a| &a.dst, orig));
            assert_eq!(label(&back, |a| &a.iface, k), label(&t, |a| &a.iface, orig));
            assert_eq!(
                back.annotations().sentence(&back, k),
                t.annotations().sentence(&t, orig),
                "the same sentence, names included"
            );
        }
        assert_eq!(
            label(&back, |a| &a.dst, 0),
            "EC2 i-0abc1234567890def (secret-name-7731) public IP"
        );
        let files: Vec<&str> = back
            .annotations()
            .context
            .files
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert!(
            files.contains(&"enis.json") && files.contains(&"ip-ranges.json"),
            "{files:?}"
        );
        // other records than the report's: the saved interfaces still name them
        let mut d = Decoder::new(DecodeOptions::default());
        d.begin_file("flows.log");
        d.push(LOG.as_bytes());
        let mut more = d.finish();
        let mut ctx = Context::default();
        let labels = read_labels(&html).unwrap().unwrap();
        ctx.add_file("labels.json", &labels).unwrap().unwrap();
        more.annotate(ctx);
        assert_eq!(
            label(&more, |a| &a.iface, 0),
            "EC2 i-0abc1234567890def (secret-name-7731)"
        );
    }

    #[test]
    fn redaction_covers_the_labels_and_keeps_them_attached() {
        let t = labelled();
        let opts = ReportOptions {
            redact: RedactOptions::ALL,
            ..Default::default()
        };
        let r = build(&t, &[0, 1, 2], TEMPLATE, &opts).unwrap();
        let html = String::from_utf8(r.html).unwrap();
        let labels = String::from_utf8(read_labels(&html).unwrap().unwrap()).unwrap();
        let (_, parts) = read(&html).unwrap();
        let lines = String::from_utf8(parts[0].1.clone()).unwrap();
        for v in SECRETS {
            assert!(!html.contains(v), "{v} in the HTML");
            assert!(!labels.contains(v), "{v} in the labels: {labels}");
            assert!(!lines.contains(v), "{v} in the records");
        }
        let back = open(&html);
        // the interface's public address has the pseudonym the record has, so the label
        // still attaches to it, and the Name tag is gone from it
        let p = match back.value(1, Field::DstAddr) {
            crate::table::Value::Addr(a) => a,
            v => panic!("{v:?}"),
        };
        assert!(p.to_string().starts_with("203.0.113."), "{p}");
        assert_eq!(
            label(&back, |a| &a.dst, 1),
            "EC2 i-0abc1234567890def public IP"
        );
        let a = back.annotations();
        assert!(a
            .context
            .interface_by_addr(p)
            .is_some_and(|(_, public)| public));
        assert_eq!(label(&back, |a| &a.dst, 0), "S3 us-east-1", "per record");
        let s = a.sentence(&back, 1);
        assert!(s.contains(&p.to_string()) && !s.contains("secret"), "{s}");
        // tags kept: the name stays, addresses still pseudonymised
        let opts = ReportOptions {
            redact: RedactOptions {
                tags: false,
                ..RedactOptions::ALL
            },
            ..Default::default()
        };
        let r = build(&t, &[1], TEMPLATE, &opts).unwrap();
        let html = String::from_utf8(r.html).unwrap();
        assert!(!html.contains("54.239.28.85"));
        assert_eq!(
            label(&open(&html), |a| &a.dst, 0),
            "EC2 i-0abc1234567890def (secret-name-7731) public IP"
        );
    }

    #[test]
    fn no_context_no_labels_element() {
        let mut d = Decoder::new(DecodeOptions::default());
        d.begin_file("flows.log");
        d.push(LOG.as_bytes());
        let t = d.finish();
        let r = build(&t, &[0], TEMPLATE, &ReportOptions::default()).unwrap();
        assert_eq!(r.meta.context, None);
        let html = String::from_utf8(r.html).unwrap();
        assert!(!html.contains(CONTEXT_ID));
        assert_eq!(read_labels(&html).unwrap(), None);
    }
}
