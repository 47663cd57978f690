//! Why a line (or row, or a file as a whole) was not decoded: one enum for every layer
//! that reports bad input — the line decoder, the binding, the containers (JSON, CSV,
//! pastes, gzip) and the Parquet row batches. Each error site builds a typed value;
//! `Display` gives the wording users and tests have always seen, and [`LineError::kind`]
//! a stable code for the page. The table keeps the text and the kind with the line
//! number ([`crate::DecodeError`]), so a kept error costs what it did.

use std::fmt::Write as _;

use crate::container::{Binary, MAX_LINE};
use crate::fields::Field;
use crate::record::{MAX_STREAM, MAX_TEXT};

/// Why a line was not decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// A value that is not of its field's kind (1-based position).
    #[error("field {position} '{}': {problem}", field.name())]
    Value {
        /// 1-based position of the value in the line.
        position: usize,
        /// The field bound to that position.
        field: Field,
        /// What is wrong with it.
        problem: ValueProblem,
    },
    /// The line has another number of values than its binding has fields.
    #[error("line has {got} field{}, {binding} has {expected}", plural(*got))]
    FieldCount {
        /// Values in the line.
        got: usize,
        /// What bound the fields: "the header at line 1", "the format"…
        binding: String,
        /// Fields of the binding.
        expected: usize,
    },
    /// The CloudWatch `@timestamp` beside the record is not a plausible time. A value
    /// that would be one in seconds (test fixtures written by hand) says so: the unit is
    /// not guessed, the user is told what it looks like.
    #[error(
        "@timestamp {ms} is not a plausible time (unix milliseconds from 1973-03-03 to 2100-01-01){hint}",
        ms = .0,
        hint = seconds_hint(*.0)
    )]
    EventTime(i64),
    /// The `@logStream` beside the record is longer than CloudWatch allows (its length).
    #[error("@logStream is {0} bytes long (at most {MAX_STREAM})")]
    StreamTooLong(usize),
    /// The `@logStream` beside the record is not printable text (its first bytes).
    #[error("@logStream: expected printable UTF-8 text, found '{}'", escaped(.0))]
    StreamNotText(String),
    /// Header-less, no format, no documented layout, and no inference.
    #[error(
        "cannot tell which fields this line holds: no header, no format given, and it \
         matches no documented layout"
    )]
    NoBinding,
    /// Prose in a file that turned out to hold no record at all.
    #[error(
        "no flow log values in this line, and no record in the file around it: is this a \
         flow log?"
    )]
    NoFlowLogValues,
    /// A header line that cannot bind.
    #[error("header line: {0}; the lines after it are not decoded")]
    BadHeader(HeaderProblem),
    /// A line after a header that could not bind (the header's line).
    #[error("not decoded: the header at line {header_line} {}", problem.what())]
    AfterBadHeader {
        /// The header's line.
        header_line: u64,
        /// Why the header could not bind.
        problem: HeaderProblem,
    },
    /// A line, CSV row, JSON string or key over [`MAX_LINE`] (what it was, its length).
    #[error("{what} is {len} bytes long, over the {} MiB limit: skipped", MAX_LINE >> 20)]
    TooLong {
        /// "line", "CSV row", "JSON string", "JSON key".
        what: &'static str,
        /// Its length in bytes.
        len: u64,
    },
    /// JSON syntax: what the parser expected and what it found instead.
    #[error("invalid JSON: expected {expected}, found {found}")]
    Json {
        /// "a value or ']'", "':'"…
        expected: &'static str,
        /// "'e'", "end of input", "a line break", "byte 0x80".
        found: String,
    },
    /// JSON nested deeper than the parser follows (the limit).
    #[error("invalid JSON: nesting deeper than {0} levels")]
    JsonTooDeep(usize),
    /// A JSON number that is not one (its text, quoted).
    #[error("invalid JSON: expected a number, found {0}")]
    JsonNumber(String),
    /// A `"message": "…"` paste line whose string does not parse (what was expected).
    #[error("invalid JSON string in \"message\" line: expected {0}")]
    MessageLine(&'static str),
    /// A quoted YAML message that does not parse (what was expected).
    #[error("invalid quoted YAML message: expected {0}")]
    Yaml(&'static str),
    /// An aws CLI text `EVENTS` row with another number of cells (their count).
    #[error(
        "aws CLI text EVENTS row has {0} cells, expected ingestionTime, message and timestamp"
    )]
    CliText(usize),
    /// A CSV quote left open at the line's end (the field it opens, 1-based).
    #[error(
        "unterminated quote: field {0} opens a '\"' that this line never closes (a row must \
         fit on one line)"
    )]
    CsvQuote(usize),
    /// A carriage return alone inside a CSV line (its byte offset).
    #[error("bare carriage return at byte {0} splits this line into two CSV rows")]
    CsvCarriageReturn(usize),
    /// A CSV header that names no message column.
    #[error("CSV header has no message column")]
    CsvNoMessageColumn,
    /// A CSV row too short to have the message column.
    #[error("CSV row has {fields} field(s), no message column (column {column})")]
    CsvShortRow {
        /// Fields in the row.
        fields: usize,
        /// The message column, 1-based.
        column: usize,
    },
    /// A CSV row whose message column is empty while other cells are not (the record
    /// is in another column).
    #[error("CSV row has an empty message column (column {0}) beside cells that are not empty")]
    CsvEmptyMessage(usize),
    /// A field CSV row with another number of cells than its header.
    #[error("CSV row has {fields} field(s) where the header names {header}: no value can be placed safely")]
    CsvRowWidth {
        /// Fields in the row.
        fields: usize,
        /// Fields in the header.
        header: usize,
    },
    /// A field CSV cell holding a space, which no flow log value does.
    #[error("CSV column {column} ({name}) holds a space, which no flow log value does")]
    CsvCellSpace {
        /// The column, 1-based.
        column: usize,
        /// Its header name.
        name: String,
    },
    /// A JSON field row's value holding a space (the field's name).
    #[error("the value of \"{0}\" holds a space, which no flow log value does")]
    JsonValueSpace(String),
    /// A JSON row among field rows whose names do not bind as flow log fields.
    #[error("this row's names ({0}) are not enough flow log field names to place its values (at least two known names, and more known than unknown)")]
    JsonFieldNames(String),
    /// A field row (CSV or JSON) whose values would read as a header line.
    #[error("this row's values read as a line of field names, so they cannot be placed safely")]
    RowLikeHeader,
    /// A Markdown table row with another number of cells than its header row.
    #[error("table row has {cells} cell(s) where the header names {header}: no value can be placed safely")]
    TableRowWidth {
        /// Cells in the row.
        cells: usize,
        /// Cells in the header.
        header: usize,
    },
    /// A Markdown table line that starts with `|` but does not end with one, inside a table.
    #[error("table row does not end with `|`, so its cells cannot be told apart safely")]
    TableRowShape,
    /// A Markdown table cell shown in a form that cannot be turned back exactly (a
    /// decoded tag, an escaped or broken line, an event time that does not read).
    #[error("table column {column} ({name}) holds a shown value that cannot be turned back into the log's exactly")]
    TableCellShown {
        /// The column, 1-based.
        column: usize,
        /// Its header name.
        name: String,
    },
    /// A Markdown table cell that is not one flow log value (it holds a space).
    #[error("table column {column} ({name}) holds a space, which no flow log value does")]
    TableCellSpace {
        /// The column, 1-based.
        column: usize,
        /// Its header name.
        name: String,
    },
    /// Damaged or cut-off gzip.
    #[error(transparent)]
    Gzip(#[from] GzipError),
    /// Binary input: nothing was decoded from it.
    #[error("{}", binary_text(.0))]
    Binary(Binary),
    /// A JSON document with no flow log events.
    #[error(
        "this JSON holds no flow log events (no \"message\" strings): it is not `aws logs` \
         output (a describe-network-interfaces or other AWS CLI result?)"
    )]
    NoEvents,
    /// A row batch that does not parse (what is wrong with it).
    #[error("malformed row batch: {0}")]
    RowBatch(String),
    /// An error the Parquet reader reported for a row or the whole file: it crosses from
    /// the reader's module as text in the row batch, so it arrives as text.
    #[error("{0}")]
    Parquet(String),
}

/// What is wrong with one value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueProblem {
    /// Not of the field's shape: what was expected ("an integer"), what was found.
    #[error("expected {expected}, found '{found}'")]
    Expected {
        /// "an integer", "an IP address", "ACCEPT or REJECT"…
        expected: &'static str,
        /// The value, cut to 64 bytes.
        found: String,
    },
    /// An integer over the field's maximum.
    #[error("{value} is out of range (at most {max})")]
    OutOfRange {
        /// The value, cut to 64 bytes.
        value: String,
        /// The field's maximum.
        max: u64,
    },
    /// A `start`/`end` outside the plausible range of unix seconds.
    #[error("{0} is not a plausible time (unix seconds from 1973-03-03 to 2100-01-01)")]
    NotATime(String),
    /// An event time (`@timestamp` named in a header line) out of range.
    #[error("{0} is not a plausible event time (unix milliseconds from 1973-03-03 to 2100-01-01)")]
    NotAnEventTime(String),
    /// A text value over [`MAX_TEXT`] (its length).
    #[error("value is {0} bytes long (at most {MAX_TEXT})")]
    TooLong(usize),
}

/// Why a header line cannot bind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderProblem {
    /// More unknown names than the table has extra text columns.
    #[error(
        "more unknown field names than the {} text columns a table keeps for them",
        crate::fields::EXTRAS.len()
    )]
    TooManyUnknown,
    /// A field named twice ([`crate::fields::check_unique`]'s reason).
    #[error("{0}")]
    Duplicate(String),
}

impl HeaderProblem {
    /// The header as the lines after it name it: "has too many unknown field names".
    fn what(&self) -> &'static str {
        match self {
            HeaderProblem::TooManyUnknown => "has too many unknown field names",
            HeaderProblem::Duplicate(_) => "names a field twice",
        }
    }
}

/// Damaged or cut-off gzip.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GzipError {
    /// A member that does not start with the gzip magic bytes.
    #[error("corrupt gzip: not a gzip member (bad magic bytes)")]
    BadMagic,
    /// A compression method other than deflate.
    #[error("corrupt gzip: unsupported gzip compression method {0}")]
    Method(u8),
    /// Header flags gzip reserves.
    #[error("corrupt gzip: reserved gzip header flags set")]
    ReservedFlags,
    /// Bytes after the last member that are not another member.
    #[error("trailing garbage after the last gzip member")]
    TrailingGarbage,
    /// A member header over the size the reader accepts.
    #[error("corrupt gzip: header too long")]
    HeaderTooLong,
    /// Inflating stopped advancing.
    #[error("corrupt gzip: inflating made no progress")]
    NoProgress,
    /// The trailer's CRC or length does not match the data.
    #[error("corrupt gzip: CRC or length mismatch")]
    Checksum,
    /// Deflate data that does not decode.
    #[error("corrupt gzip: invalid compressed data")]
    InvalidData,
    /// The input ends inside a member: where ("a member header", "compressed data", "a
    /// member trailer").
    #[error("truncated gzip: input ends inside {0}")]
    Truncated(&'static str),
}

/// The one message for binary input. Parquet is named here, in one place: the CLI and
/// the page read Parquet files whole before they reach the streaming decoder, so this is
/// the fallback for Parquet bytes that arrive any other way (stdin, a paste, a gzipped
/// Parquet file).
fn binary_text(b: &Binary) -> String {
    match b {
        Binary::Parquet => "this is a Parquet file (it starts with PAR1), not text flow \
                                 log lines: open the .parquet file itself so it is read as \
                                 Parquet"
            .into(),
        Binary::Known(what) => {
            format!("this is {what}, not flow log text: nothing was decoded from it")
        }
        Binary::Other => "this is binary data (NUL or control bytes), not flow log text: \
                               nothing was decoded from it"
            .into(),
    }
}

/// `text` with its control characters written as Rust escapes (`\t`, `\u{1}`), so an
/// error message never carries one to a terminal or a cell. Not `str::escape_debug`: its
/// printable-character tables weigh about 8 KB gzip in the page's module, and the text is
/// refused for its control characters only ([`crate::record`]'s clean-text test).
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// For an event timestamp that reads as unix seconds of this century: what it would be,
/// and that CloudWatch writes milliseconds.
fn seconds_hint(v: i64) -> String {
    if (946_684_800..4_102_444_800).contains(&v) {
        format!(
            "; as unix seconds it would be {}, but CloudWatch writes milliseconds",
            crate::calendar::iso_time(v, 0)
        )
    } else {
        String::new()
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A [`LineError`]'s family, as a stable code: what the page and scripts may match on
/// instead of the wording (serialized as its kebab-case [`ErrorKind::name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// A value that is not of its field's kind.
    Value,
    /// Another number of values than the binding's fields.
    FieldCount,
    /// The CloudWatch `@timestamp` or `@logStream` beside a record.
    Event,
    /// No binding for a header-less line.
    NoBinding,
    /// Prose in a file with no records.
    NotAFlowLog,
    /// A header that cannot bind, and the lines after it.
    Header,
    /// Over the length limit.
    TooLong,
    /// Container syntax: JSON, CSV, `"message"` lines, YAML, aws CLI text.
    Syntax,
    /// Damaged gzip.
    Gzip,
    /// Binary input, or JSON with no events: the input as a whole is not a flow log.
    NotText,
    /// Parquet input: a malformed row batch or the reader's own error.
    Parquet,
}

impl ErrorKind {
    /// The kebab-case code (`field-count`), as the page receives it.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Value => "value",
            ErrorKind::FieldCount => "field-count",
            ErrorKind::Event => "event",
            ErrorKind::NoBinding => "no-binding",
            ErrorKind::NotAFlowLog => "not-a-flow-log",
            ErrorKind::Header => "header",
            ErrorKind::TooLong => "too-long",
            ErrorKind::Syntax => "syntax",
            ErrorKind::Gzip => "gzip",
            ErrorKind::NotText => "not-text",
            ErrorKind::Parquet => "parquet",
        }
    }

    /// Every kind, in declaration order (the wire's codes are the indexes).
    pub const ALL: [ErrorKind; 11] = [
        ErrorKind::Value,
        ErrorKind::FieldCount,
        ErrorKind::Event,
        ErrorKind::NoBinding,
        ErrorKind::NotAFlowLog,
        ErrorKind::Header,
        ErrorKind::TooLong,
        ErrorKind::Syntax,
        ErrorKind::Gzip,
        ErrorKind::NotText,
        ErrorKind::Parquet,
    ];
}

impl LineError {
    /// The error's family ([`ErrorKind`]).
    pub fn kind(&self) -> ErrorKind {
        use LineError::*;
        match self {
            Value { .. } => ErrorKind::Value,
            FieldCount { .. } => ErrorKind::FieldCount,
            EventTime(_) | StreamTooLong(_) | StreamNotText(_) => ErrorKind::Event,
            NoBinding => ErrorKind::NoBinding,
            NoFlowLogValues => ErrorKind::NotAFlowLog,
            BadHeader(_) | AfterBadHeader { .. } => ErrorKind::Header,
            TooLong { .. } => ErrorKind::TooLong,
            Json { .. }
            | JsonTooDeep(_)
            | JsonNumber(_)
            | MessageLine(_)
            | Yaml(_)
            | CliText(_)
            | CsvQuote(_)
            | CsvCarriageReturn(_)
            | CsvNoMessageColumn
            | CsvShortRow { .. }
            | CsvEmptyMessage(_)
            | CsvRowWidth { .. }
            | CsvCellSpace { .. }
            | JsonValueSpace(_)
            | JsonFieldNames(_)
            | RowLikeHeader
            | TableRowWidth { .. }
            | TableRowShape
            | TableCellShown { .. }
            | TableCellSpace { .. } => ErrorKind::Syntax,
            Gzip(_) => ErrorKind::Gzip,
            Binary(_) | NoEvents => ErrorKind::NotText,
            RowBatch(_) | Parquet(_) => ErrorKind::Parquet,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wording is the contract: these are the texts the CLI, the page and the tests
    /// have always shown.
    #[test]
    fn display_keeps_the_wording() {
        let cases: Vec<(LineError, &str)> = vec![
            (
                LineError::Value {
                    position: 6,
                    field: Field::SrcPort,
                    problem: ValueProblem::OutOfRange {
                        value: "70000".into(),
                        max: 65535,
                    },
                },
                "field 6 'srcport': 70000 is out of range (at most 65535)",
            ),
            (
                LineError::FieldCount {
                    got: 1,
                    binding: "the header at line 1".into(),
                    expected: 14,
                },
                "line has 1 field, the header at line 1 has 14",
            ),
            (
                LineError::EventTime(99),
                "@timestamp 99 is not a plausible time (unix milliseconds from 1973-03-03 to 2100-01-01)",
            ),
            (
                // a hand-written fixture's seconds: said, not guessed
                LineError::EventTime(1_740_495_533),
                "@timestamp 1740495533 is not a plausible time (unix milliseconds from 1973-03-03 to 2100-01-01); as unix seconds it would be 2025-02-25T14:58:53Z, but CloudWatch writes milliseconds",
            ),
            (
                LineError::AfterBadHeader {
                    header_line: 3,
                    problem: HeaderProblem::Duplicate("x".into()),
                },
                "not decoded: the header at line 3 names a field twice",
            ),
            (
                LineError::TooLong {
                    what: "line",
                    len: 2 << 20,
                },
                "line is 2097152 bytes long, over the 1 MiB limit: skipped",
            ),
            (
                GzipError::Truncated("compressed data").into(),
                "truncated gzip: input ends inside compressed data",
            ),
            (
                LineError::StreamNotText("a\u{1}".into()),
                "@logStream: expected printable UTF-8 text, found 'a\\u{1}'",
            ),
        ];
        for (e, text) in cases {
            assert_eq!(e.to_string(), text);
        }
        assert_eq!(LineError::NoEvents.kind().name(), "not-text");
        for (i, k) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i, "the wire's code of {k:?} is its index");
            assert_eq!(
                serde_json::to_string(k).unwrap(),
                format!("\"{}\"", k.name()),
                "{i}"
            );
        }
    }
}
