//! The push-style pipeline: bytes → container (gzip, JSON, CSV, lines) → record
//! messages → binding → typed row or line-numbered error. Feed any number of files, each
//! in chunks of any size; memory is bounded by the table, not the input.

use crate::binding::{documented_layout_for, header_fields, infer};
use crate::container::{Container, Message, Sink, Skip};
use crate::fields::Field;
use crate::record::{decode_line, Scratch, Slot};
use crate::table::{BindingInfo, Counts, Table};

/// How many header-less lines are buffered to infer their format when neither a header,
/// a format nor a documented layout binds them.
pub const INFERENCE_SAMPLE: usize = 64;

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
    pub bytes: u64,
    pub records: u64,
    pub errors: u64,
    pub skipped: u64,
    pub files: usize,
}

/// The streaming decoder: `begin_file`, `push` … `push`, (more files), `finish`.
#[derive(Debug, Default)]
pub struct Decoder {
    table: Table,
    options: DecodeOptions,
    file: Option<FileDecoder>,
    bytes: u64,
}

#[derive(Debug)]
struct FileDecoder {
    container: Container,
    lines: LineBinder,
    counts_at_start: Counts,
    /// Source bytes of a file fed as row batches ([`Decoder::push_rows`]), which makes
    /// it a Parquet input.
    rows_bytes: Option<u64>,
}

/// Binds each message of one file to fields and decodes it into the table.
#[derive(Debug)]
struct LineBinder {
    file: u32,
    format: Option<Vec<Field>>,
    bound: Option<Bound>,
    pending: Vec<Pending>,
    scratch: Scratch,
    /// A header that could not bind (it names a field twice): the lines after it are
    /// bad lines with this reason until the next header.
    rejected: Option<String>,
}

#[derive(Debug)]
struct Bound {
    slots: Vec<Slot>,
    /// Names the binding in field-count errors: "the header at line 1".
    what: String,
}

#[derive(Debug)]
struct Pending {
    line: u64,
    text: Vec<u8>,
    timestamp_ms: Option<i64>,
    stream: Option<Vec<u8>>,
}

impl Decoder {
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

    /// Starts a new input; the previous one, if any, is finished first.
    pub fn begin_file(&mut self, name: &str) {
        self.end_file();
        let index = self.table.add_file(name);
        self.file = Some(FileDecoder {
            container: Container::new(),
            lines: LineBinder {
                file: index,
                format: self.options.format.clone(),
                bound: None,
                pending: Vec::new(),
                scratch: Scratch::default(),
                rejected: None,
            },
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
                    .iter()
                    .map(|p| 48 + p.text.capacity() + p.stream.as_ref().map_or(0, Vec::capacity))
                    .sum::<usize>()
        });
        self.table.heap_bytes() + file
    }

    /// The table as decoded so far (lines buffered for inference are not in it yet).
    pub fn table(&self) -> &Table {
        &self.table
    }

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

    pub(crate) fn bind(&mut self, info: BindingInfo) {
        let cols = self.table.begin_segment(self.lines.file, &info.fields);
        let slots = info
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
            ("header", Some(l)) => format!("the header at line {l}"),
            ("format", _) => "the format".to_string(),
            ("parquet", _) => "the Parquet schema".to_string(),
            ("layout", _) => format!("the {}", info.description),
            _ => "the inferred format".to_string(),
        };
        self.lines.bound = Some(Bound { slots, what });
        self.table.files[self.lines.file as usize]
            .bindings
            .push(info);
    }

    pub(crate) fn decode(&mut self, m: Message<'_>) {
        let Some(b) = &self.lines.bound else {
            return;
        };
        if let Err(reason) = decode_line(
            self.table,
            &b.slots,
            &b.what,
            m.text,
            m.line,
            m.timestamp_ms,
            m.stream,
            &mut self.lines.scratch,
        ) {
            self.table
                .push_error(self.lines.file, m.line, m.text, reason);
        }
    }

    /// Binds the buffered lines by inference and decodes them.
    fn resolve_pending(&mut self) {
        if self.lines.pending.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.lines.pending);
        let samples: Vec<&[u8]> = pending.iter().map(|p| p.text.as_slice()).collect();
        match infer(&samples) {
            Some(info) => {
                self.bind(info);
                for p in &pending {
                    self.decode(Message {
                        line: p.line,
                        text: &p.text,
                        timestamp_ms: p.timestamp_ms,
                        stream: p.stream.as_deref(),
                    });
                }
            }
            None => {
                for p in &pending {
                    self.table.push_error(
                        self.lines.file,
                        p.line,
                        &p.text,
                        "cannot tell which fields this line holds: no header, no format given, \
                         and it matches no documented layout"
                            .into(),
                    );
                }
            }
        }
    }
}

impl Sink for TableSink<'_> {
    fn message(&mut self, m: Message<'_>) {
        if let Some(fields) = header_fields(m.text) {
            self.resolve_pending();
            if let Err(e) = crate::fields::check_unique(&fields) {
                let reason = format!("header line: {e}; the lines after it are not decoded");
                self.table
                    .push_error(self.lines.file, m.line, m.text, reason);
                self.lines.bound = None;
                self.lines.rejected = Some(format!(
                    "not decoded: the header at line {} names a field twice",
                    m.line
                ));
                return;
            }
            self.lines.rejected = None;
            self.table.counts.skipped_header += 1;
            self.bind(BindingInfo {
                fields,
                origin: "header",
                header_line: Some(m.line),
                description: format!("header at line {}", m.line),
                confidence: 1.0,
                ambiguous: Vec::new(),
            });
            return;
        }
        if let Some(reason) = &self.lines.rejected {
            let reason = reason.clone();
            self.table
                .push_error(self.lines.file, m.line, m.text, reason);
            return;
        }
        if self.lines.bound.is_none() {
            if let Some(fields) = self.lines.format.clone() {
                self.bind(BindingInfo {
                    fields,
                    origin: "format",
                    header_line: None,
                    description: "the format given".into(),
                    confidence: 1.0,
                    ambiguous: Vec::new(),
                });
            } else if self.lines.pending.is_empty() {
                if let Some(info) = documented_layout_for(m.text) {
                    self.bind(info);
                }
            }
        }
        if self.lines.bound.is_some() {
            self.decode(m);
            return;
        }
        self.lines.pending.push(Pending {
            line: m.line,
            text: m.text.to_vec(),
            timestamp_ms: m.timestamp_ms,
            stream: m.stream.map(<[u8]>::to_vec),
        });
        if self.lines.pending.len() >= INFERENCE_SAMPLE {
            self.resolve_pending();
        }
    }

    fn skipped(&mut self, _line: u64, why: Skip) {
        let c = &mut self.table.counts;
        match why {
            Skip::Blank => c.skipped_blank += 1,
            Skip::ControlMessage => c.skipped_control += 1,
            Skip::CsvHeader => c.skipped_header += 1,
            Skip::NotAMessage => c.skipped_other += 1,
        }
    }

    fn error(&mut self, line: u64, raw: &[u8], reason: String) {
        self.table.push_error(self.lines.file, line, raw, reason);
    }
}
