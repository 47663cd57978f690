//! The push-style pipeline: bytes → container (gzip, JSON, CSV, lines) → record
//! messages → binding → typed row or line-numbered error. Feed any number of files, each
//! in chunks of any size; memory is bounded by the table, not the input.

use crate::binding::{documented_layout_for, header, infer};
use crate::carry::{Carry, PartEnd, PartStart, Waiting, WaitingLine};
use crate::container::{Container, Message, Sink, Skip};
use crate::fields::Field;
use crate::kernel::{decode_line, Plan};
use crate::line_error::{HeaderProblem, LineError};
use crate::record::split_fields;
use crate::record::{Scratch, Slot};
use crate::table::{BindingInfo, Counts, Origin, Table};
use rustc_hash::FxHashMap;

/// How many header-less lines are buffered to infer their format when neither a header,
/// a format nor a documented layout binds them.
pub const INFERENCE_SAMPLE: usize = 64;

/// At most this many header-less lines wait for a binding, over all field counts.
pub(crate) const MAX_PENDING: usize = 8 * INFERENCE_SAMPLE;

/// Options of a decode.
#[derive(Debug, Clone, Default)]
pub struct DecodeOptions {
    /// The fields of header-less lines, in order (the flow log's format). A header line
    /// still rebinds the lines after it.
    pub format: Option<Vec<Field>>,
    /// Bad lines kept in detail (all are counted); None for the default,
    /// [`crate::table::DEFAULT_MAX_KEPT_ERRORS`].
    pub max_kept_errors: Option<usize>,
}

/// Progress of a decode, for progress bars.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Progress {
    /// Input bytes read.
    pub bytes: u64,
    /// Records decoded.
    pub records: u64,
    /// Bad lines.
    pub errors: u64,
    /// Lines skipped (blank, headers, control lines, lines that are not records).
    pub skipped: u64,
    /// Files begun.
    pub files: usize,
}

/// The streaming decoder: `begin_file`, `push` … `push`, (more files), `finish`.
#[derive(Debug, Default)]
pub struct Decoder {
    table: Table,
    options: DecodeOptions,
    file: Option<FileDecoder>,
    bytes: u64,
    reference: bool,
    /// The current file's expected size, until its columns are reserved
    /// ([`Decoder::expect_file_bytes`]).
    expected: Option<ExpectedSize>,
}

/// What [`Decoder::expect_file_bytes`] was told, and where the file began.
#[derive(Debug, Clone, Copy)]
struct ExpectedSize {
    file_bytes: u64,
    max_bytes: usize,
    bytes_at_start: u64,
    rows_at_start: usize,
    rows_to_measure: usize,
}

/// Rows of a file decoded before its size is turned into a reservation: enough lines to
/// measure their length (the page's first slice is 256 KB, about 2,300 lines).
const ROWS_TO_MEASURE: usize = 2_000;

#[derive(Debug)]
struct FileDecoder {
    container: Container,
    lines: LineBinder,
    counts_at_start: Counts,
    /// Source bytes of a file fed as row batches ([`Decoder::push_rows`]), which makes
    /// it a Parquet input.
    rows_bytes: Option<u64>,
    /// For a later part of a file: the carry (as bytes) and the waiting lines it
    /// started from.
    started: Option<(Vec<u8>, Waiting)>,
}

/// Binds each message of one file to fields and decodes it into the table.
///
/// A header or a given format binds every line after it. Without either, each distinct
/// field count is bound on its own — a documented layout for that count when the first
/// line of it fits, else an inference over the lines of that count — so one garbage
/// line cannot poison the good ones and two formats pasted together both decode.
#[derive(Debug)]
struct LineBinder {
    file: u32,
    /// Every line through the reference parser ([`Decoder::use_reference_parser`]).
    reference: bool,
    format: Option<Vec<Field>>,
    /// The binding of the current table segment.
    bound: Option<Bound>,
    /// Header-less, no format: bindings by field count.
    auto: bool,
    /// (Hash maps, not B-trees: a few entries, never iterated in an order that shows, and
    /// the main wasm module then links no B-tree code for them.)
    by_count: FxHashMap<usize, Bound>,
    /// Lines waiting for an inference, by field count (resolved in an order of their own:
    /// `resolve_pending`).
    pending: FxHashMap<usize, Vec<WaitingLine>>,
    scratch: Scratch,
    /// A header that could not bind (it names a field twice): the lines after it are
    /// bad lines with this reason until the next header.
    rejected: Option<LineError>,
    spans: Vec<(u32, u32)>,
    /// Lines of text with no flow log values met while the file has no record yet
    /// (line, text cut to [`crate::table::RAW_LIMIT`]): noise once a record shows the
    /// file holds records, bad lines if it never does — a file of prose is not silence.
    held_prose: Vec<(u64, Vec<u8>)>,
    /// A later part of a file ([`Decoder::continue_file`]) whose earlier parts had a
    /// record.
    records_before: bool,
    /// A header line was met (see [`crate::carry::PartEnd::met_header`]).
    met_header: bool,
    /// Waiting lines were decided (an inference, or reported as damaged).
    decided: bool,
    /// Field counts of lines that had no binding yet.
    unbound_counts: std::collections::BTreeSet<usize>,
    /// Inside a header scope ([`Sink::begin_scope`]): the binding state to go back to
    /// at its end.
    before_scope: Option<Box<ScopeStart>>,
}

/// How lines were bound when a header scope began (a Markdown table in a paste): the
/// table's header binds its rows only, and the lines after the table are bound as these
/// say, as if the table were not there.
#[derive(Debug)]
struct ScopeStart {
    bound: Option<Bound>,
    auto: bool,
    by_count: FxHashMap<usize, Bound>,
    rejected: Option<LineError>,
}

/// Prose lines held before a file's first record, at most (then they are bad lines).
const MAX_HELD_PROSE: usize = 64;

#[derive(Debug, Clone)]
struct Bound {
    /// The fields' slots, compiled for the decode kernel, and the binding's name in
    /// field-count errors.
    plan: Plan,
    fields: Vec<Field>,
    /// The binding as the file's summary lists it (what a [`Carry`] carries).
    info: std::sync::Arc<BindingInfo>,
}

impl Decoder {
    /// A decoder with these options and no files yet.
    pub fn new(options: DecodeOptions) -> Decoder {
        let mut d = Decoder {
            options,
            ..Default::default()
        };
        if let Some(n) = d.options.max_kept_errors {
            d.table.max_kept_errors = n;
        }
        d
    }

    /// Decodes the inputs begun from now on with the reference parser instead of the
    /// decode kernel: slower, for the tests and fuzz targets that check the two agree.
    #[doc(hidden)]
    pub fn use_reference_parser(&mut self) {
        self.reference = true;
    }

    /// Starts a new input; the previous one, if any, is finished first.
    pub fn begin_file(&mut self, name: &str) {
        self.end_file();
        self.expected = None;
        let index = self.table.add_file(name);
        self.file = Some(FileDecoder {
            container: Container::new(),
            lines: LineBinder {
                file: index,
                reference: self.reference,
                format: self.options.format.clone(),
                bound: None,
                auto: self.options.format.is_none(),
                by_count: FxHashMap::default(),
                pending: FxHashMap::default(),
                scratch: Scratch::default(),
                rejected: None,
                spans: Vec::new(),
                held_prose: Vec::new(),
                records_before: false,
                met_header: false,
                decided: false,
                unbound_counts: Default::default(),
                before_scope: None,
            },
            started: None,
            counts_at_start: self.table.counts().clone(),
            rows_bytes: None,
        });
    }

    /// Feeds the next chunk of the current input (an unnamed one is begun if needed).
    pub fn push(&mut self, chunk: &[u8]) {
        if self.file.is_none() {
            self.begin_file("-");
        }
        self.bytes += chunk.len() as u64;
        if let Some(f) = &mut self.file {
            let mut sink = TableSink {
                table: &mut self.table,
                lines: &mut f.lines,
            };
            f.container.push(chunk, &mut sink);
        }
        if let Some(e) = self.expected {
            self.reserve_for_expected(e);
        }
    }

    /// Tells the decoder that the current file is `file_bytes` long as pushed (plain
    /// text: the caller knows its size; not for gzip, whose text is longer), so that
    /// once its first [`ROWS_TO_MEASURE`] rows show how long its lines are, every
    /// column is reserved for the rest of the file at once, instead of growing by
    /// doubling: faster in wasm (no copies, no memory growth by steps) and about a third
    /// of the linear memory there for a large file. At most `max_bytes` are reserved
    /// (the caller's memory budget less a margin), so that a file larger than the budget
    /// still decodes up to the budget. A wrong guess costs nothing but time: too few rows
    /// and the columns grow as before, too many and [`Decoder::finish`] gives the rest
    /// back.
    pub fn expect_file_bytes(&mut self, file_bytes: u64, max_bytes: usize) {
        self.expect_file_bytes_measuring(file_bytes, max_bytes, ROWS_TO_MEASURE);
    }

    /// [`Decoder::expect_file_bytes`], measuring the lines' length on `rows_to_measure`
    /// rows instead (the fuzz target's inputs are far shorter than 2,000 lines).
    #[doc(hidden)]
    pub fn expect_file_bytes_measuring(
        &mut self,
        file_bytes: u64,
        max_bytes: usize,
        rows_to_measure: usize,
    ) {
        self.expected = Some(ExpectedSize {
            file_bytes,
            max_bytes,
            bytes_at_start: self.bytes,
            rows_at_start: self.table.len(),
            rows_to_measure: rows_to_measure.max(1),
        });
    }

    fn reserve_for_expected(&mut self, e: ExpectedSize) {
        let rows = self.table.len().saturating_sub(e.rows_at_start);
        let read = self.bytes - e.bytes_at_start;
        if rows < e.rows_to_measure {
            // the first slices of a file of few or no records: give up past 16 MB
            if read > 16 << 20 {
                self.expected = None;
            }
            return;
        }
        self.expected = None;
        let left = e.file_bytes.saturating_sub(read);
        // the decoder's heap (its pending lines, the table) counts against max_bytes
        let max_table = e
            .max_bytes
            .saturating_sub(self.heap_bytes() - self.table.heap_bytes());
        self.table.reserve_for_rest(rows, read, left, max_table);
    }

    /// Starts a new gzip input that is inflated on a thread of its own
    /// (`container::inflate_on_thread`, as `inputs::decode_gzip_on_thread` reads the CLI's
    /// `.log.gz` files); feed it
    /// with [`Decoder::push_inflation`]. The table is the one [`Decoder::push`] of the
    /// compressed bytes makes (same records, errors and line numbers).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn begin_inflated_file(&mut self, name: &str) {
        self.begin_file(name);
        if let Some(f) = &mut self.file {
            f.container = Container::inflated_elsewhere();
        }
    }

    /// One message of the inflating thread (see [`Decoder::begin_inflated_file`]); an
    /// I/O error of the input is handed back.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn push_inflation(&mut self, m: crate::container::Inflation) -> std::io::Result<()> {
        if let crate::container::Inflation::Read(n) = m {
            self.bytes += n;
        }
        let Some(f) = &mut self.file else {
            return Ok(());
        };
        let mut sink = TableSink {
            table: &mut self.table,
            lines: &mut f.lines,
        };
        f.container.push_inflation(m, &mut sink)
    }

    /// Feeds a batch of rows that a tabular reader (Parquet) already split into records
    /// (see [`crate::rows`]) to the current input. Each record is decoded by the same
    /// line decoder as text input, numbered by its row; the input's shape is Parquet.
    pub fn push_rows(&mut self, batch: &[u8]) {
        if self.file.is_none() {
            self.begin_file("-");
        }
        let Some(f) = &mut self.file else {
            return;
        };
        crate::rows::feed(
            batch,
            &mut TableSink {
                table: &mut self.table,
                lines: &mut f.lines,
            },
            f.rows_bytes.get_or_insert(0),
            &mut self.bytes,
        );
    }

    /// Finishes the current input: its last line, any buffered lines, its summary.
    pub fn end_file(&mut self) {
        self.close_file(true);
    }

    /// Starts a later part of a plain-text file, cut after a `\n`: it decodes from the
    /// state the part before it ended in, numbering its lines from `start.first_line`
    /// (see [`crate::carry`]). Its table is one file, to be joined to the earlier parts'
    /// with [`Table::append_continuation`]; the carried binding is the file's, so this
    /// part lists only the bindings it makes itself.
    pub fn continue_file(&mut self, name: &str, start: &PartStart) {
        self.begin_file(name);
        self.table.set_extra_names(start.carry.extra_names.clone());
        let Some(f) = &mut self.file else {
            return;
        };
        f.container = Container::continuing_lines(start.first_line.max(1));
        f.started = Some((start.carry.to_bytes(), start.waiting.clone()));
        f.lines.pending = start.waiting.by_count.clone().into_iter().collect();
        TableSink {
            table: &mut self.table,
            lines: &mut f.lines,
        }
        .resume(&start.carry);
    }

    /// Ends the current input as a part of a larger file (see [`crate::carry`]): as
    /// [`Decoder::end_file`], except that lines waiting for their field count's binding
    /// are handed on undecided when the state carries; and says what state the next
    /// part starts from.
    pub fn end_part(&mut self) -> PartEnd {
        self.close_part(true)
    }

    /// Ends the current part where it is (cancel, memory budget), as
    /// [`Decoder::abandon_file`]: its waiting lines are decided, nothing carries.
    pub fn abandon_part(&mut self) -> PartEnd {
        self.close_part(false)
    }

    fn close_part(&mut self, complete: bool) -> PartEnd {
        let Some(f) = &mut self.file else {
            return PartEnd {
                started: Vec::new(),
                started_waiting: Waiting::default(),
                first_line: 1,
                carry: None,
                waiting: Waiting::default(),
                lines: 0,
                met_header: false,
                decided: false,
                unbound_counts: Vec::new(),
                stopped: !complete,
            };
        };
        let carryable = complete
            && !f.container.mid_line()
            && f.container.shape() == Some(crate::container::Shape::Lines)
            && !f.container.gzip();
        let lines = f.container.line().saturating_sub(f.container.first_line());
        let sink = TableSink {
            table: &mut self.table,
            lines: &mut f.lines,
        };
        let carry = if carryable { sink.carry() } else { None };
        let waiting = match carry {
            Some(_) => Waiting {
                // in field-count order: carries compare as bytes
                by_count: std::mem::take(&mut f.lines.pending).into_iter().collect(),
            },
            None => Waiting::default(),
        };
        let (started, started_waiting) = f.started.take().unwrap_or_default();
        let end = PartEnd {
            started,
            started_waiting,
            first_line: f.container.first_line(),
            carry,
            waiting,
            lines,
            met_header: f.lines.met_header,
            decided: f.lines.decided,
            unbound_counts: f.lines.unbound_counts.iter().copied().collect(),
            stopped: !complete,
        };
        self.close_file(complete);
        end
    }

    /// Ends the current input where it is, as when a user cancels or memory runs short:
    /// a cut-off last line or unfinished document is dropped rather than reported as a
    /// bad line, complete lines buffered for inference are still decoded, and the file
    /// is marked as stopped early.
    pub fn abandon_file(&mut self) {
        self.close_file(false);
    }

    fn close_file(&mut self, complete: bool) {
        let Some(mut f) = self.file.take() else {
            return;
        };
        let mut sink = TableSink {
            table: &mut self.table,
            lines: &mut f.lines,
        };
        if complete {
            f.container.finish(&mut sink);
        } else {
            f.container.abandon(&mut sink);
        }
        sink.resolve_pending();
        sink.settle_prose(true);
        // Lines that waited for their field count's binding are reported late: put this
        // file's errors back in line order.
        let file = f.lines.file;
        let from = self
            .table
            .errors
            .iter()
            .rposition(|e| e.file != file)
            .map_or(0, |i| i + 1);
        let mut tail = self.table.errors.split_off(from);
        crate::sorting::sort_by_key(&mut tail, |e| e.line);
        self.table.errors.append(&mut tail);
        let c = self.table.counts().clone();
        let s = &f.counts_at_start;
        let rows = self.table.len();
        let info = &mut self.table.files[f.lines.file as usize];
        info.shape = match f.rows_bytes {
            Some(_) => Some(crate::container::Shape::Parquet),
            None => f.container.shape(),
        };
        info.gzip = f.container.gzip();
        info.bytes = f.container.bytes_in() + f.rows_bytes.unwrap_or(0);
        info.records = c.records - s.records;
        info.errors = c.errors - s.errors;
        info.skipped = c.skipped() - s.skipped();
        info.not_records = c.skipped_other - s.skipped_other;
        info.not_record_reasons = c
            .not_records
            .iter()
            .map(|(k, v)| (*k, v - s.not_records.get(k).copied().unwrap_or(0)))
            .filter(|(_, v)| *v > 0)
            .collect();
        info.end_row = rows;
        info.stopped_early = !complete;
    }

    /// Heap bytes held: the table, lines buffered for inference, and the current file's
    /// container buffers (everything the page's memory budget must see).
    pub fn heap_bytes(&self) -> usize {
        let file = self.file.as_ref().map_or(0, |f| {
            f.container.heap_bytes()
                + f.lines
                    .pending
                    .values()
                    .flatten()
                    .map(|p| 48 + p.text.capacity() + p.stream.as_ref().map_or(0, Vec::capacity))
                    .sum::<usize>()
        });
        self.table.heap_bytes() + file
    }

    /// The table as decoded so far (lines buffered for inference are not in it yet).
    pub fn table(&self) -> &Table {
        &self.table
    }

    /// The counts so far.
    pub fn progress(&self) -> Progress {
        let c = self.table.counts();
        Progress {
            bytes: self.bytes,
            records: c.records,
            errors: c.errors,
            skipped: c.skipped(),
            files: self.table.files().len(),
        }
    }

    /// Ends the last input and hands out the table.
    pub fn finish(mut self) -> Table {
        self.end_file();
        self.table.finish_building();
        self.table
    }
}

/// Decodes one whole input.
pub fn decode_bytes(bytes: &[u8], options: DecodeOptions) -> Table {
    let mut d = Decoder::new(options);
    d.begin_file("-");
    d.push(bytes);
    d.finish()
}

pub(crate) struct TableSink<'a> {
    table: &'a mut Table,
    lines: &'a mut LineBinder,
}

impl TableSink<'_> {
    /// Whether lines are bound to fields (a header, a format or a row batch's binding).
    pub(crate) fn is_bound(&self) -> bool {
        self.lines.bound.is_some()
    }

    pub(crate) fn bind(&mut self, mut info: BindingInfo) {
        info.guessed = info.confidence < crate::binding::CONFIDENCE_THRESHOLD;
        let cols = self.table.begin_segment(self.lines.file, &info.fields);
        let bound = self.compile(&info, cols);
        if self.lines.auto {
            self.lines
                .by_count
                .insert(bound.fields.len(), bound.clone());
        }
        self.lines.bound = Some(bound);
        self.table.files[self.lines.file as usize]
            .bindings
            .push(info);
    }

    /// The binding `info` compiled for the decode kernel, its fields in the columns `cols`.
    fn compile(&self, info: &BindingInfo, cols: Vec<usize>) -> Bound {
        let slots: Vec<Slot> = info
            .fields
            .iter()
            .zip(cols)
            .map(|(f, column)| Slot {
                field: *f,
                kind: f.kind(),
                column,
            })
            .collect();
        let what = match (info.origin, info.header_line) {
            (Origin::Header, Some(l)) => format!("the header at line {l}"),
            (Origin::Format, _) => "the format".to_string(),
            (Origin::Parquet, _) => "the Parquet schema".to_string(),
            (Origin::Layout, _) => format!("the {}", info.description),
            _ => "the inferred format".to_string(),
        };
        Bound {
            plan: if self.lines.reference {
                Plan::reference(slots, what)
            } else {
                Plan::new(slots, what)
            },
            fields: info.fields.clone(),
            info: std::sync::Arc::new(info.clone()),
        }
    }

    /// Takes up the state a part of the file before this one ended in (see
    /// [`Decoder::continue_file`]): its bindings, without listing them again.
    fn resume(&mut self, carry: &Carry) {
        self.lines.auto = carry.auto;
        self.lines.records_before = carry.has_records;
        if carry.auto {
            for info in &carry.by_count {
                let cols = self.table.columns_for(&info.fields);
                let b = self.compile(info, cols);
                self.lines.by_count.insert(b.fields.len(), b);
            }
        }
        let cols = self
            .table
            .begin_segment(self.lines.file, &carry.current.fields);
        self.lines.bound = Some(self.compile(&carry.current, cols));
    }

    /// The state the next part of the file starts from, if it is one a [`Carry`] holds:
    /// a binding in force, no prose held, no header refused. (Lines waiting for an
    /// inference are handed on beside it, see [`Decoder::end_part`].)
    fn carry(&self) -> Option<Carry> {
        let l = &*self.lines;
        let bound = l.bound.as_ref()?;
        if l.rejected.is_some() || !l.held_prose.is_empty() {
            return None;
        }
        Some(Carry {
            current: (*bound.info).clone(),
            auto: l.auto,
            by_count: if l.auto {
                // in field-count order: carries compare as bytes
                let mut counts: Vec<_> = l.by_count.iter().collect();
                crate::sorting::sort_by_key(&mut counts, |(n, _)| **n);
                counts.into_iter().map(|(_, b)| (*b.info).clone()).collect()
            } else {
                Vec::new()
            },
            extra_names: self.table.extra_names().to_vec(),
            has_records: self.file_has_records(),
        })
    }

    /// Makes the binding for `count` fields the current one (a new table segment).
    fn switch_to(&mut self, count: usize) -> bool {
        if self.lines.bound.as_ref().map(|b| b.fields.len()) == Some(count) {
            return true;
        }
        let Some(b) = self.lines.by_count.get(&count) else {
            return false;
        };
        self.table.begin_segment(self.lines.file, &b.fields);
        self.lines.bound = Some(b.clone());
        true
    }

    fn field_count(&mut self, text: &[u8]) -> usize {
        split_fields(text, &mut self.lines.spans);
        self.lines.spans.len()
    }

    /// Decodes with the current binding; a line that fails is re-routed to the binding
    /// of its own field count (header-less input), else it is an error.
    #[inline(always)]
    pub(crate) fn decode(&mut self, m: Message<'_>) {
        let Some(b) = &self.lines.bound else {
            return;
        };
        if let Err(reason) = decode_line(self.table, &b.plan, m, &mut self.lines.scratch) {
            self.failed(m, reason);
        }
    }

    /// The slow path of a line that did not decode with the current binding.
    #[cold]
    #[inline(never)]
    fn failed(&mut self, m: Message<'_>, reason: LineError) {
        let count = self.lines.bound.as_ref().map_or(0, |b| b.fields.len());
        if self.lines.auto && self.field_count(m.text) != count {
            return self.auto_line(m);
        }
        self.reject(m, reason);
    }

    /// A line that did not decode is an error when it looks like a record (a broken
    /// one: reported with its line number); a line with no flow log values at all — a
    /// remark or a pasted command among the records of a plain file — is noise, counted
    /// as "not a record" with its reason. Only lines that fail are judged, so good lines
    /// pay nothing for it.
    fn reject(&mut self, m: Message<'_>, reason: LineError) {
        if self.noise(&m) {
            return;
        }
        self.table
            .push_error(self.lines.file, m.line, m.text, reason);
    }

    /// Takes `m` as noise if it is text with no flow log values (see [`Self::reject`]):
    /// counted as "not a record" in a file with records, held until the first record
    /// otherwise. False for a line the caller reports: record-like, or with control
    /// bytes (damage, not a remark), or one too many held in a file with no record.
    #[cold]
    fn noise(&mut self, m: &Message<'_>) -> bool {
        if m.text.iter().any(|&b| b < 0x20 && b != b'\t' || b == 0x7f)
            || crate::container::looks_like_record(m.text)
        {
            return false;
        }
        self.settle_prose(false);
        if self.file_has_records() {
            let why = crate::container::noise_reason(m.text);
            self.skipped(m.line, Skip::NotARecord(why));
            return true;
        }
        if self.lines.held_prose.len() == MAX_HELD_PROSE {
            self.settle_prose(true);
            return false;
        }
        let text = &m.text[..m.text.len().min(crate::table::RAW_LIMIT + 4)];
        self.lines.held_prose.push((m.line, text.to_vec()));
        true
    }

    fn file_has_records(&self) -> bool {
        self.lines.records_before
            || self.table.len() > self.table.files[self.lines.file as usize].first_row
    }

    /// Decides the held prose lines: noise when the file has records; bad lines when it
    /// has none and `at_end` (the file is done, or too many are held).
    fn settle_prose(&mut self, at_end: bool) {
        if self.lines.held_prose.is_empty() {
            return;
        }
        let records = self.file_has_records();
        if !records && !at_end {
            return;
        }
        for (line, text) in std::mem::take(&mut self.lines.held_prose) {
            if records {
                let why = crate::container::noise_reason(&text);
                self.skipped(line, Skip::NotARecord(why));
            } else {
                self.table
                    .push_error(self.lines.file, line, &text, LineError::NoFlowLogValues);
            }
        }
    }

    /// A header-less line whose field count has no binding yet, or another binding.
    fn auto_line(&mut self, m: Message<'_>) {
        if self.noise(&m) {
            return;
        }
        let n = self.field_count(m.text);
        if self.switch_to(n) {
            return self.decode_exact(m);
        }
        self.lines.unbound_counts.insert(n);
        let pending = self.lines.pending.entry(n).or_default();
        if pending.is_empty() {
            if let Some(info) = documented_layout_for(m.text) {
                self.bind(info);
                return self.decode_exact(m);
            }
        }
        let pending = self.lines.pending.entry(n).or_default();
        pending.push(WaitingLine {
            line: m.line,
            text: m.text.to_vec(),
            timestamp_ms: m.timestamp_ms,
            stream: m.stream.map(<[u8]>::to_vec),
        });
        if pending.len() >= INFERENCE_SAMPLE {
            self.resolve(n);
        } else if self.lines.pending.values().map(Vec::len).sum::<usize>() > MAX_PENDING {
            // many field counts, none with a full sample: garbage, not formats — decide
            // now so memory stays bounded
            self.resolve_pending();
        }
    }

    /// Decodes with the current binding, which has the line's field count.
    fn decode_exact(&mut self, m: Message<'_>) {
        let Some(b) = &self.lines.bound else {
            return;
        };
        if let Err(reason) = decode_line(self.table, &b.plan, m, &mut self.lines.scratch) {
            self.reject(m, reason);
        }
    }

    /// Binds every field count still waiting by inference and decodes its lines, the
    /// largest group first.
    fn resolve_pending(&mut self) {
        let mut counts: Vec<(usize, usize)> = self
            .lines
            .pending
            .iter()
            .map(|(n, p)| (p.len(), *n))
            .collect();
        crate::sorting::sort_by(&mut counts, |a, b| b.cmp(a));
        for (_, n) in counts {
            self.resolve(n);
        }
    }

    /// Binds the buffered lines of `n` fields by inference and decodes them.
    fn resolve(&mut self, n: usize) {
        let Some(pending) = self.lines.pending.remove(&n) else {
            return;
        };
        if pending.is_empty() {
            return;
        }
        self.lines.decided = true;
        let samples: Vec<&[u8]> = pending.iter().map(|p| p.text.as_slice()).collect();
        // Once the file has a binding, a few lines of another field count are damaged
        // lines, not a second format: a second format is inferred only from a full
        // sample of its own (documented layouts bind at once, whatever came before).
        let infer_ok = self.lines.by_count.is_empty() || pending.len() >= INFERENCE_SAMPLE;
        let inferred = if infer_ok { infer(&samples) } else { None };
        if inferred.is_none() {
            if let Some(b) = self.lines.bound.clone() {
                for p in &pending {
                    let got = self.field_count(&p.text);
                    self.table.push_error(
                        self.lines.file,
                        p.line,
                        &p.text,
                        LineError::FieldCount {
                            got,
                            binding: b.plan.what().to_string(),
                            expected: b.fields.len(),
                        },
                    );
                }
                return;
            }
        }
        match inferred {
            Some(info) => {
                let auto = self.lines.auto;
                self.bind(info);
                for p in &pending {
                    self.decode_exact(Message {
                        line: p.line,
                        text: &p.text,
                        timestamp_ms: p.timestamp_ms,
                        stream: p.stream.as_deref(),
                    });
                }
                self.lines.auto = auto;
            }
            None => {
                for p in &pending {
                    self.table
                        .push_error(self.lines.file, p.line, &p.text, LineError::NoBinding);
                }
            }
        }
    }
}

impl TableSink<'_> {
    /// A header line that cannot bind: it is a bad line (`why`), and so is every line
    /// after it until the next header ("not decoded: the header at line N …").
    fn reject_header(&mut self, m: &Message<'_>, why: HeaderProblem) {
        let reason = LineError::BadHeader(why.clone());
        self.table
            .push_error(self.lines.file, m.line, m.text, reason);
        self.lines.bound = None;
        self.lines.rejected = Some(LineError::AfterBadHeader {
            header_line: m.line,
            problem: why,
        });
    }

    /// The table's extra text column for the unknown field name `name` (see
    /// [`Table::extra_column`]).
    pub(crate) fn extra_column(&mut self, name: &str) -> Option<Field> {
        self.table.extra_column(name)
    }

    /// Moves a header's unknown names to the extra columns the table gives those names
    /// (the same name in another file or header shares its column; a different name
    /// never does). False when the table has no column left for one of them.
    fn table_extras(&mut self, h: &mut crate::binding::Header) -> bool {
        let mut moved = Vec::with_capacity(h.unknown.len());
        for (col, name) in &mut h.unknown {
            let Some(to) = self.table.extra_column(name) else {
                return false;
            };
            moved.push((*col, to));
            *col = to;
        }
        for f in &mut h.fields {
            if let Some(&(_, to)) = moved.iter().find(|(from, _)| from == f) {
                *f = to;
            }
        }
        true
    }
}

impl Sink for TableSink<'_> {
    #[inline]
    fn message(&mut self, m: Message<'_>) {
        if let Some(mut h) = header(m.text) {
            self.lines.met_header = true;
            self.resolve_pending();
            if !self.table_extras(&mut h) {
                return self.reject_header(&m, HeaderProblem::TooManyUnknown);
            }
            if let Err(e) = crate::fields::check_unique(&h.fields) {
                return self.reject_header(&m, HeaderProblem::Duplicate(e));
            }
            self.lines.rejected = None;
            self.table.counts.skipped_header += 1;
            self.lines.auto = false;
            self.lines.by_count.clear();
            let mut description = format!("header at line {}", m.line);
            for (_, name) in &h.unknown {
                description.push_str(&format!("; unknown field '{name}' kept as text"));
            }
            self.bind(BindingInfo {
                fields: h.fields,
                origin: Origin::Header,
                header_line: Some(m.line),
                description,
                confidence: 1.0,
                ambiguous: Vec::new(),
                guessed: false,
                extra_names: h.unknown,
            });
            return;
        }
        if let Some(reason) = &self.lines.rejected {
            let reason = reason.clone();
            self.table
                .push_error(self.lines.file, m.line, m.text, reason);
            return;
        }
        if self.lines.bound.is_some() {
            return self.decode(m);
        }
        if let Some(fields) = self.lines.format.clone() {
            self.lines.auto = false;
            self.bind(BindingInfo {
                fields,
                origin: Origin::Format,
                header_line: None,
                description: "the format given".into(),
                confidence: 1.0,
                ambiguous: Vec::new(),
                guessed: false,
                extra_names: Vec::new(),
            });
            return self.decode(m);
        }
        self.auto_line(m)
    }

    fn skipped(&mut self, _line: u64, why: Skip) {
        let c = &mut self.table.counts;
        match why {
            Skip::Blank => c.skipped_blank += 1,
            Skip::ControlMessage => c.skipped_control += 1,
            Skip::CsvHeader => c.skipped_header += 1,
            Skip::NotARecord(reason) => {
                c.skipped_other += 1;
                *c.not_records.entry(reason).or_default() += 1;
            }
        }
    }

    fn error(&mut self, line: u64, raw: &[u8], reason: LineError) {
        self.table.push_error(self.lines.file, line, raw, reason);
    }

    fn begin_scope(&mut self) {
        if self.lines.before_scope.is_some() {
            return;
        }
        // lines waiting for an inference are decided by what came before the scope
        self.resolve_pending();
        let l = &mut self.lines;
        l.before_scope = Some(Box::new(ScopeStart {
            bound: l.bound.clone(),
            auto: l.auto,
            by_count: l.by_count.clone(),
            rejected: l.rejected.clone(),
        }));
    }

    fn keep_scope(&mut self) {
        self.lines.before_scope = None;
    }

    fn end_scope(&mut self) {
        let Some(start) = self.lines.before_scope.take() else {
            return;
        };
        self.resolve_pending();
        let ScopeStart {
            bound,
            auto,
            by_count,
            rejected,
        } = *start;
        // the rows from here on are under the binding taken up again
        if let Some(b) = &bound {
            self.table.begin_segment(self.lines.file, &b.fields);
        }
        let l = &mut self.lines;
        l.bound = bound;
        l.auto = auto;
        l.by_count = by_count;
        l.rejected = rejected;
    }
}
