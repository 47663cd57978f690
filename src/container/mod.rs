//! Containers: the shapes flow log records arrive in, detected from the bytes (never the
//! file name) and unwrapped push-style into plain record messages.
//!
//! `Container::push(chunk, sink)` … `Container::finish(sink)` accept the input in chunks
//! of any size; the sink receives each record message (its text already unescaped) with
//! the 1-based line of the (decompressed) input it started on. Memory is bounded by the
//! longest line or JSON string, never by the input.
//!
//! Layout: [`Container`] (`pipeline.rs`) detects gzip (`gzip.rs`) from the first two
//! bytes, then buffers up to 64 KiB of decompressed input to pick a [`Shape`]
//! (`sniff.rs`) and hands everything to that shape's decoder: `lines.rs`,
//! `msglines.rs` and `paste.rs` (with `noise.rs`), `json.rs` (with `jstr.rs` for string bodies) or `csv.rs`.

/// The longest line, CSV row or JSON string accepted (1 MiB). A longer one is one bad
/// line whose reason gives its length; only its first bytes are kept, so memory stays
/// bounded whatever the input (a gzip bomb of NUL bytes is one long "line").
pub const MAX_LINE: usize = 1 << 20;

/// The error for a line over [`MAX_LINE`].
pub(crate) fn overlong_reason(what: &'static str, len: u64) -> LineError {
    LineError::TooLong { what, len }
}

use crate::line_error::LineError;

/// One record message unwrapped from a container.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// 1-based line number, in the decompressed input, where the message starts.
    pub line: u64,
    /// The record text (JSON/CSV unescaped, timestamp prefix removed, no line terminator).
    pub text: &'a [u8],
    /// The CloudWatch event timestamp (unix milliseconds), or the export prefix's time.
    pub timestamp_ms: Option<i64>,
    /// The CloudWatch log stream name, where the container gives one.
    pub stream: Option<&'a [u8]>,
}

/// Why a line or entry was passed over without being a record; counted, never silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// An empty or whitespace-only line.
    Blank,
    /// A CloudWatch subscription CONTROL_MESSAGE entry.
    ControlMessage,
    /// A line with no record in it — a prompt, a command echo, prose, a fence, a CLI
    /// token row, a YAML key — with the reason (see `noise::reason`).
    NotARecord(&'static str),
    /// A CSV header row.
    CsvHeader,
}

/// The detected shape of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Plain record lines (with or without header, optional ISO-8601 export prefix).
    Lines,
    /// `"message": "…"` lines grep'd from `aws logs` output, with terminal noise around.
    MessageLines,
    /// `aws logs … --output text`: `EVENTS` rows (or `--query` messages tab-separated).
    AwsText,
    /// `aws logs … --output yaml`.
    Yaml,
    /// Records in a terminal or chat paste: `grep -H` prefixes, fences, prompts, prose.
    Paste,
    /// Binary input that holds no text records (Parquet, an image, an archive).
    Binary(Binary),
    /// JSON documents: get-log-events / filter-log-events output, subscription payloads,
    /// Logs Insights get-query-results.
    Json,
    /// CloudWatch console or Logs Insights CSV download.
    Csv,
    /// Tab-separated fields with a header row: a table copied from a spreadsheet.
    Tsv,
    /// A Parquet file, read whole by its own reader (never sniffed: its rows arrive as
    /// row batches, see [`crate::rows`]).
    Parquet,
}

impl Shape {
    /// The kebab-case name every output uses (JSON file summaries, CLI stats, the page):
    /// `lines`, `message-lines`, `aws-cli-text`, `aws-cli-yaml`, `paste`, `parquet`,
    /// `binary`, `json`, `csv`, `tsv`.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Lines => "lines",
            Shape::MessageLines => "message-lines",
            Shape::AwsText => "aws-cli-text",
            Shape::Yaml => "aws-cli-yaml",
            Shape::Paste => "paste",
            Shape::Binary(Binary::Parquet) | Shape::Parquet => "parquet",
            Shape::Binary(_) => "binary",
            Shape::Json => "json",
            Shape::Csv => "csv",
            Shape::Tsv => "tsv",
        }
    }
}

/// What kind of binary input was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binary {
    /// Starts with `PAR1`.
    Parquet,
    /// A zip, image, PDF or other archive recognised by its magic bytes: the name.
    Known(&'static str),
    /// NUL or control bytes in the first bytes.
    Other,
}

/// Receives what a container unwraps.
pub trait Sink {
    fn message(&mut self, m: Message<'_>);
    fn skipped(&mut self, line: u64, why: Skip);
    /// A container-level error (malformed JSON or CSV, corrupt gzip): the reason and the
    /// raw text around it. Decoding goes on after it wherever it can.
    fn error(&mut self, line: u64, raw: &[u8], reason: LineError);
    /// The header lines from here on bind only the lines up to [`Sink::end_scope`]: a
    /// Markdown table's header row names the columns of its rows, not of the lines after
    /// the table. Scopes do not nest; a second begin before the end is ignored.
    fn begin_scope(&mut self) {}
    /// The scope begun by [`Sink::begin_scope`] ends: the lines after it are bound as
    /// they would have been without the scope's header lines.
    fn end_scope(&mut self) {}
    /// The scope begun ends without going back: its header line binds on, as one outside
    /// any scope would (a pasted CSV header with no row under it).
    fn keep_scope(&mut self) {}
}

mod ansi;
#[cfg(test)]
mod bounds_tests;
mod csv;
mod decor;
mod fieldrow;
mod gzip;
#[cfg(not(target_arch = "wasm32"))]
mod inflate_thread;
mod json;
mod jsonline;
mod jstr;
mod lines;
mod mdtable;
mod msglines;
mod noise;
mod paste;
mod pipeline;
mod quoted;
mod sniff;
#[cfg(test)]
pub(crate) mod testkit;
mod time;
mod utf16;

pub(crate) use gzip::gunzip_upto;
#[cfg(not(target_arch = "wasm32"))]
pub use inflate_thread::{inflate_on_thread, Inflation};
pub use noise::reason as noise_reasons;
pub(crate) use noise::{looks_like_record, noise_reason};
pub use pipeline::Container;
