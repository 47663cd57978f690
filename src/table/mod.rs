//! The decoded table: one typed, dictionary-encoded column per field present in any
//! input, with each row's source (file and line) and, for the rare line that its values
//! would not reproduce byte for byte, its original text.

pub mod column;
pub mod dict;
mod merge;
pub(crate) mod wire;

pub use column::{Column, Data, UInts, Value};
pub use merge::ContinuationError;
pub use wire::WireError;

use crate::container::Shape;
use crate::fields::{Field, Kind, FIELD_COUNT};
use crate::line_error::LineError;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::fmt::Write as _;

/// A line that could not be decoded, kept with where it was and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DecodeError {
    /// Index into [`Table::files`].
    pub file: u32,
    /// 1-based line in the (decompressed) input.
    pub line: u64,
    /// What kind of error it is (a stable code for the page).
    pub kind: crate::ErrorKind,
    /// What is wrong with the line: the [`crate::LineError`]'s text.
    pub reason: String,
    /// The raw text, truncated to [`RAW_LIMIT`] bytes.
    pub raw: String,
}

/// How much of a bad line's text an error keeps.
pub const RAW_LIMIT: usize = 240;

/// Where a binding's fields came from (serialized as its lowercase name, which the page
/// shows and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// A header line named them.
    Header,
    /// The user gave the format.
    Format,
    /// The lines match a documented layout (a default format of some version).
    Layout,
    /// Guessed from the values.
    Inferred,
    /// A Parquet file's schema.
    Parquet,
}

/// How the fields of a file's lines were bound to positions.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BindingInfo {
    /// The fields, in position order.
    pub fields: Vec<Field>,
    /// Where the fields came from.
    pub origin: Origin,
    /// Line of the header, for header bindings.
    pub header_line: Option<u64>,
    /// A human description: "header at line 1", "default format (version 2)"…
    pub description: String,
    /// 0–1: how sure an inference is (1 for header and format).
    pub confidence: f32,
    /// Positions (0-based) whose field an inference could not tell apart from others,
    /// with the alternatives.
    pub ambiguous: Vec<(usize, Vec<Field>)>,
    /// The confidence is below [`crate::binding::CONFIDENCE_THRESHOLD`]: a guess the user
    /// should confirm (the CLI warns, `--strict` fails, the page asks).
    pub guessed: bool,
    /// Header names flowlens does not know, each kept as text in the extra column the
    /// table gives that name ([`Table::extra_column`]): "unknown field 'x' kept as text".
    pub extra_names: Vec<(Field, String)>,
}

/// One input file and what became of it.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FileInfo {
    /// The file's name (path as given).
    pub name: String,
    #[serde(serialize_with = "ser_shape")]
    /// Its shape; `None` when it was empty.
    pub shape: Option<Shape>,
    /// Whether it was gzip-compressed.
    pub gzip: bool,
    /// Raw bytes read.
    pub bytes: u64,
    /// Records decoded from it.
    pub records: u64,
    /// Bad lines in it.
    pub errors: u64,
    /// Lines skipped in it.
    pub skipped: u64,
    /// Of `skipped`: lines that are not records (prompts, prose, fences, CLI rows).
    pub not_records: u64,
    /// `not_records` by reason.
    pub not_record_reasons: Vec<(&'static str, u64)>,
    /// Rows of this file are `first_row..end_row`.
    pub first_row: usize,
    /// The end (exclusive) of its rows.
    pub end_row: usize,
    /// The bindings used, in order (a later header rebinds).
    pub bindings: Vec<BindingInfo>,
    /// Decoding was stopped before the end of this input (cancelled, memory).
    pub stopped_early: bool,
}

fn ser_shape<S: serde::Serializer>(s: &Option<Shape>, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.map_or("empty", Shape::name))
}

/// Counts that always add up: every line or entry read is a record, an error or skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Records decoded.
    pub records: u64,
    /// Bad lines.
    pub errors: u64,
    /// Blank lines skipped.
    pub skipped_blank: u64,
    /// Header lines skipped.
    pub skipped_header: u64,
    /// CloudWatch control messages skipped (subscription `CONTROL_MESSAGE` payloads).
    pub skipped_control: u64,
    /// Lines with no record in them (prompts, prose, fences, CLI rows): noise, not errors.
    pub skipped_other: u64,
    /// `skipped_other` by reason.
    pub not_records: std::collections::BTreeMap<&'static str, u64>,
}

impl Counts {
    /// Every skipped line, whatever the reason.
    pub fn skipped(&self) -> u64 {
        self.skipped_blank + self.skipped_header + self.skipped_control + self.skipped_other
    }
}

/// A run of rows decoded with one binding.
#[derive(Debug, Clone)]
struct Segment {
    first_row: usize,
    file: u32,
    fields: Vec<Field>,
}

const NO_COLUMN: u8 = u8::MAX;

/// The columnar table.
#[derive(Debug, Clone)]
pub struct Table {
    columns: Vec<Column>,
    column_of: [u8; FIELD_COUNT],
    rows: usize,
    segments: Vec<Segment>,
    /// Columns the current segment does not bind: they get a null per row.
    unbound: Vec<usize>,
    /// The current segment's fields include `@timestamp` / `@logStream` (a header line
    /// that names them, such as `-o table` output of CloudWatch events read back): the
    /// decode pushes those values, so the row's commit does not push them again.
    events_bound: (bool, bool),
    /// `(row, line)` wherever a row's line is not the previous row's line + 1.
    line_marks: Vec<(u32, u64)>,
    last_line: u64,
    /// Original text of rows whose values would not render back to it exactly.
    raw_lines: FxHashMap<u32, Box<[u8]>>,
    pub(crate) errors: Vec<DecodeError>,
    pub(crate) files: Vec<FileInfo>,
    pub(crate) counts: Counts,
    pub(crate) max_kept_errors: usize,
    /// Labels and health-check verdicts (see [`crate::context`]): set by
    /// [`Table::annotate`], or computed without context on first use.
    annotations: std::sync::OnceLock<std::sync::Arc<crate::context::Annotations>>,
    /// The header names the extra text columns hold, table-wide: `extra_names[k]` is the
    /// name of `EXTRAS[k]`. One name is one column whichever file or header it came from,
    /// so a column never holds two different fields.
    extra_names: Vec<String>,
}

/// How many bad lines are kept in detail by default.
pub const DEFAULT_MAX_KEPT_ERRORS: usize = 100_000;

impl Default for Table {
    fn default() -> Self {
        Table {
            columns: Vec::new(),
            column_of: [NO_COLUMN; FIELD_COUNT],
            rows: 0,
            segments: Vec::new(),
            unbound: Vec::new(),
            events_bound: (false, false),
            line_marks: Vec::new(),
            last_line: 0,
            raw_lines: FxHashMap::default(),
            errors: Vec::new(),
            files: Vec::new(),
            counts: Counts::default(),
            max_kept_errors: DEFAULT_MAX_KEPT_ERRORS,
            annotations: std::sync::OnceLock::new(),
            extra_names: Vec::new(),
        }
    }
}

impl Table {
    // ---------------------------------------------------------------- reading

    /// Rows in the table.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The extra text column for the unknown header name `name`: the one that already
    /// holds it, else the next free one; `None` when all of them hold other names.
    pub fn extra_column(&mut self, name: &str) -> Option<Field> {
        let k = match self.extra_names.iter().position(|n| n == name) {
            Some(k) => k,
            None if self.extra_names.len() < crate::fields::EXTRAS.len() => {
                self.extra_names.push(name.to_string());
                self.extra_names.len() - 1
            }
            None => return None,
        };
        Some(crate::fields::EXTRAS[k])
    }

    /// Gives the extra columns these header names (a later part of a file takes up the
    /// earlier parts' names, see [`crate::Carry`]), before any is used.
    pub(crate) fn set_extra_names(&mut self, names: Vec<String>) {
        debug_assert!(self.extra_names.is_empty());
        self.extra_names = names;
    }

    /// The extra column holding the header name `name` (any case).
    pub fn extra_named(&self, name: &str) -> Option<Field> {
        self.extra_names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
            .map(|k| crate::fields::EXTRAS[k])
    }

    /// The header names of the extra columns, in column order (`extra-1` first).
    pub fn extra_names(&self) -> &[String] {
        &self.extra_names
    }

    /// The name a user sees for `f`: for an extra column the header's own name, else the
    /// catalogue's name.
    pub fn field_name(&self, f: Field) -> &str {
        crate::fields::EXTRAS
            .iter()
            .position(|e| *e == f)
            .and_then(|k| self.extra_names.get(k))
            .map_or(f.name(), String::as_str)
    }

    /// The fields that have a column, in order of first appearance.
    pub fn fields(&self) -> Vec<Field> {
        self.columns.iter().map(|c| c.field).collect()
    }

    /// The column of a field, if the table has it.
    pub fn column(&self, f: Field) -> Option<&Column> {
        match self.column_of[f.index()] {
            NO_COLUMN => None,
            i => Some(&self.columns[i as usize]),
        }
    }

    /// Every column, in order.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// The value of `f` in row `row` (null when the table lacks the column).
    pub fn value(&self, row: usize, f: Field) -> Value<'_> {
        self.column(f).map_or(Value::Null, |c| c.value(row))
    }

    /// The bad lines kept in detail.
    pub fn errors(&self) -> &[DecodeError] {
        &self.errors
    }

    /// The input files and what became of each.
    pub fn files(&self) -> &[FileInfo] {
        &self.files
    }

    /// Counts that add up: every line read is a record, an error or skipped.
    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    fn segment_of(&self, row: usize) -> &Segment {
        let i = self.segments.partition_point(|s| s.first_row <= row);
        &self.segments[i.saturating_sub(1)]
    }

    /// The fields of the row's own format (its header, format or inferred layout), in
    /// their order: the keys of its NDJSON object and the values of its original line.
    pub fn row_fields(&self, row: usize) -> &[Field] {
        &self.segment_of(row).fields
    }

    /// Index into [`Table::files`] of the row's file.
    pub fn row_file(&self, row: usize) -> u32 {
        self.segment_of(row).file
    }

    /// The 1-based line the row was read from.
    pub fn row_line(&self, row: usize) -> u64 {
        let i = self.line_marks.partition_point(|m| (m.0 as usize) <= row);
        match i.checked_sub(1).map(|i| self.line_marks[i]) {
            Some((r, line)) => line + (row - r as usize) as u64,
            None => row as u64 + 1,
        }
    }

    /// The record exactly as it was read (for JSON and CSV containers: the message).
    pub fn original_line(&self, row: usize) -> Cow<'_, [u8]> {
        if let Some(raw) = self.raw_lines.get(&(row as u32)) {
            return Cow::Borrowed(raw);
        }
        let mut s = String::with_capacity(128);
        for (i, f) in self.row_fields(row).iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            write_plain(&mut s, self.value(row, *f));
        }
        Cow::Owned(s.into_bytes())
    }

    /// Heap bytes held by the table's rows: columns, dictionaries, row sources.
    pub fn heap_bytes(&self) -> usize {
        self.columns.iter().map(Column::heap_bytes).sum::<usize>()
            + self.line_marks.capacity() * 16
            + self.raw_lines.values().map(|r| r.len() + 24).sum::<usize>()
            + self
                .segments
                .iter()
                .map(|s| 32 + s.fields.len())
                .sum::<usize>()
    }

    /// Labels every row from the context files and classifies health checks.
    #[cfg(feature = "annotate")]
    pub fn annotate(&mut self, context: crate::context::Context) {
        let a = crate::context::Annotations::build(self, context);
        self.set_annotations(a);
    }

    /// Sets the table's labels and health-check verdicts, built elsewhere: in the page,
    /// by the context module from this table's columns (see `context::wire`).
    pub fn set_annotations(&mut self, a: crate::context::Annotations) {
        self.annotations = std::sync::OnceLock::from(std::sync::Arc::new(a));
    }

    /// The labels and health-check verdicts if they exist yet ([`Table::annotate`], or an
    /// earlier [`Table::annotations`]), without building them: the page shows a table
    /// before they are built (about 1–2 s per million records in wasm) and asks for
    /// them afterwards.
    pub fn annotations_if_built(&self) -> Option<&crate::context::Annotations> {
        self.annotations.get().map(|a| &**a)
    }

    /// The table's labels and health-check verdicts (computed from the log alone when
    /// [`Table::annotate`] was not called). Without the `annotate` feature (the page's
    /// main module, which leaves labelling to the context module) a table nobody
    /// labelled has none, not even rows: callers that need them check
    /// [`Table::annotations_if_built`] first (`wasm.rs`'s `need_labels`).
    pub fn annotations(&self) -> &crate::context::Annotations {
        #[cfg(not(feature = "annotate"))]
        {
            // not stored: `annotations_if_built` stays `None` until they are set
            static NONE_YET: std::sync::OnceLock<crate::context::Annotations> =
                std::sync::OnceLock::new();
            self.annotations
                .get()
                .map_or_else(|| NONE_YET.get_or_init(Default::default), |a| &**a)
        }
        #[cfg(feature = "annotate")]
        self.annotations.get_or_init(|| {
            std::sync::Arc::new(crate::context::Annotations::build(
                self,
                crate::context::Context::default(),
            ))
        })
    }

    // ---------------------------------------------------------------- building

    pub(crate) fn add_file(&mut self, name: &str) -> u32 {
        self.files.push(FileInfo {
            name: name.to_string(),
            first_row: self.rows,
            end_row: self.rows,
            ..Default::default()
        });
        (self.files.len() - 1) as u32
    }

    fn ensure_column(&mut self, f: Field) -> usize {
        match self.column_of[f.index()] {
            NO_COLUMN => {
                let mut c = Column::new(f);
                c.fill_nulls_to(self.rows);
                self.columns.push(c);
                let i = self.columns.len() - 1;
                self.column_of[f.index()] = i as u8;
                i
            }
            i => i as usize,
        }
    }

    /// Each field's column index, the missing columns made.
    pub(crate) fn columns_for(&mut self, fields: &[Field]) -> Vec<usize> {
        fields.iter().map(|f| self.ensure_column(*f)).collect()
    }

    /// Starts a run of rows bound to `fields`; returns each position's column index.
    pub(crate) fn begin_segment(&mut self, file: u32, fields: &[Field]) -> Vec<usize> {
        let cols = self.columns_for(fields);
        self.events_bound = (
            fields.contains(&Field::EventTimestamp),
            fields.contains(&Field::LogStream),
        );
        self.unbound = (0..self.columns.len())
            .filter(|i| !cols.contains(i) && !is_event_field(self.columns[*i].field))
            .collect();
        self.segments.push(Segment {
            first_row: self.rows,
            file,
            fields: fields.to_vec(),
        });
        cols
    }

    pub(crate) fn column_mut(&mut self, i: usize) -> &mut Column {
        &mut self.columns[i]
    }

    /// Every column, for the decode kernel's pushes.
    pub(crate) fn columns_mut(&mut self) -> &mut [Column] {
        &mut self.columns
    }

    /// Completes a row whose bound values were pushed: nulls for the unbound columns,
    /// event metadata, its line and (when given) its original text.
    pub(crate) fn commit_row(
        &mut self,
        line: u64,
        original: Option<&[u8]>,
        event_ms: Option<i64>,
        stream: Option<&[u8]>,
    ) {
        for &i in &self.unbound {
            self.columns[i].push_null();
        }
        if event_ms.is_some() || stream.is_some() || self.has_event_columns() {
            if !self.events_bound.0 {
                self.push_event(
                    Field::EventTimestamp,
                    event_ms.and_then(|t| u64::try_from(t).ok()),
                    None,
                );
            }
            if !self.events_bound.1 {
                self.push_event(Field::LogStream, None, stream);
            }
        }
        let row = self.rows;
        if line != self.last_line + 1 || row == 0 {
            self.line_marks.push((row as u32, line));
        }
        self.last_line = line;
        if let Some(o) = original {
            self.raw_lines.insert(row as u32, o.into());
        }
        self.rows += 1;
        self.counts.records += 1;
    }

    /// Whether an event-time or log-stream column exists (then every row fills it).
    #[inline(always)]
    fn has_event_columns(&self) -> bool {
        self.column_of[Field::EventTimestamp.index()] != NO_COLUMN
            || self.column_of[Field::LogStream.index()] != NO_COLUMN
    }

    fn push_event(&mut self, f: Field, n: Option<u64>, t: Option<&[u8]>) {
        let present = self.column_of[f.index()] != NO_COLUMN;
        if !present && n.is_none() && t.is_none() {
            return;
        }
        let i = self.ensure_column(f);
        let c = &mut self.columns[i];
        match (n, t) {
            (Some(n), _) => c.push_uint(n),
            (_, Some(t)) if std::str::from_utf8(t).is_ok() => c.push_text(t),
            _ => c.push_null(),
        }
    }

    /// Records a bad line. Every one is counted; the details of the first
    /// `max_kept_errors` are kept (a file of garbage must not exhaust memory).
    pub(crate) fn push_error(&mut self, file: u32, line: u64, raw: &[u8], error: LineError) {
        self.counts.errors += 1;
        if self.errors.len() >= self.max_kept_errors {
            return;
        }
        let raw = truncate_raw(raw);
        self.errors.push(DecodeError {
            file,
            line,
            kind: error.kind(),
            reason: error.to_string(),
            raw,
        });
    }

    /// Bad lines counted but not kept in detail (beyond `max_kept_errors`).
    pub fn errors_not_kept(&self) -> u64 {
        self.counts.errors - self.errors.len() as u64
    }

    /// Makes room for `rows` more rows in every column there is, at most `max_bytes`
    /// of it (fewer rows then); returns the rows made room for. See
    /// [`crate::Decoder::expect_file_bytes`].
    pub(crate) fn reserve_rows(&mut self, rows: usize, max_bytes: usize) -> usize {
        let per_row: usize = self
            .columns
            .iter()
            .map(Column::row_bytes)
            .sum::<usize>()
            .max(1);
        let rows = rows.min(max_bytes / per_row);
        if rows > 0 {
            for c in &mut self.columns {
                c.reserve(rows);
            }
        }
        rows
    }

    /// Makes room for the rows `left` more bytes of input hold at `rows` rows per
    /// `read` bytes so far (2 % more, for lines a little shorter than these), at most
    /// `max_bytes` of heap in all; returns the rows made room for. One reservation for
    /// the rest of an input of known size, instead of columns grown by doubling: no
    /// copies, and no capacity of up to twice the rows, which a memory budget counts.
    /// A wrong guess costs time only: too few rows and the columns grow as before, too
    /// many and [`Table::finish_building`] gives the rest back.
    pub fn reserve_for_rest(
        &mut self,
        rows: usize,
        read: u64,
        left: u64,
        max_bytes: usize,
    ) -> usize {
        if rows == 0 || read == 0 || left == 0 {
            return 0;
        }
        let more = (left as f64 * rows as f64 / read as f64 * 1.02) as usize;
        let room = max_bytes.saturating_sub(self.heap_bytes());
        self.reserve_rows(more, room)
    }

    /// Gives back the room the columns kept to grow (after the last appended part).
    pub fn finish_building(&mut self) {
        for c in &mut self.columns {
            c.shrink();
        }
        self.line_marks.shrink_to_fit();
    }
}

fn is_event_field(f: Field) -> bool {
    matches!(f, Field::EventTimestamp | Field::LogStream)
}

/// Keeps at most [`RAW_LIMIT`] bytes of a bad line, as text.
pub fn truncate_raw(raw: &[u8]) -> String {
    let cut = raw.len().min(RAW_LIMIT);
    let mut s = String::from_utf8_lossy(&raw[..cut]).into_owned();
    if raw.len() > RAW_LIMIT {
        s.push('…');
    }
    s
}

/// Writes a value as flow log text: `-` for null, integers and addresses as AWS writes
/// them, times as unix seconds.
pub fn write_plain(out: &mut String, v: Value<'_>) {
    match v {
        Value::Null => out.push('-'),
        Value::UInt(n) | Value::EventTime(n) => {
            let _ = write!(out, "{n}");
        }
        Value::Time { secs, millis: 0 } => {
            let _ = write!(out, "{secs}");
        }
        Value::Time { secs, millis } => {
            let _ = write!(out, "{secs}.{millis:03}");
        }
        Value::Addr(a) => {
            let _ = write!(out, "{a}");
        }
        Value::Text(t) => out.push_str(t),
    }
}

/// Whether a field's kind is rendered as a JSON number.
pub fn is_number(f: Field) -> bool {
    matches!(f.kind(), Kind::UInt { .. } | Kind::Time | Kind::EventTime)
}
