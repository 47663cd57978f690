//! The CSV shape: CloudWatch console and Logs Insights downloads (`timestamp,message`,
//! `"@timestamp","@message",…`), read push-style with `csv-core`; and the TSV shape, the
//! same reader with tabs between cells: a table of fields copied from a spreadsheet
//! (Excel, Google Sheets), whose empty cells are nulls (`\t\t`), never a shifted value.
//!
//! Lines are split here (bounded by [`super::MAX_LINE`]) and each one is parsed as one row by
//! `csv-core`, so a row's line is where it is and an unbalanced quote cannot swallow the
//! rest of the file.

use csv_core::{ReadFieldResult, ReadRecordResult, Reader, ReaderBuilder};

use super::fieldrow;
use super::lines::{is_blank, LineSplitter, LineText};
use super::noise::looks_like_record;
use super::time;
use super::{overlong_reason, Message, Sink, Skip};
use crate::line_error::LineError;

/// Where the interesting cells are, by header name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Columns {
    /// Each row carries a whole record in its message column (CloudWatch console and
    /// Logs Insights `@message` downloads).
    Message {
        message: usize,
        timestamp: Option<usize>,
        stream: Option<usize>,
    },
    /// One column per field: a Logs Insights export of `fields @timestamp, srcAddr, …`
    /// (its discovered camelCase names), an Athena result CSV (underscore names).
    Fields(Box<FieldColumns>),
}

/// A field CSV's layout: the value columns, in the order their names are given to the
/// decoder as a header line, and the event metadata columns taken out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldColumns {
    /// The header line handed to the decoder: the names of `values`, space-separated.
    header: Vec<u8>,
    /// Column index (0-based) of each name in `header`, in that order.
    values: Vec<usize>,
    timestamp: Option<usize>,
    stream: Option<usize>,
    /// Cells in the header row: every row must have as many.
    width: usize,
}

impl Columns {
    fn from_names(names: &[&[u8]]) -> Option<Columns> {
        let (mut message, mut timestamp, mut stream) = (None, None, None);
        for (i, name) in names.iter().enumerate() {
            let name = name.trim_ascii();
            let is = |a: &str| name.eq_ignore_ascii_case(a.as_bytes());
            if message.is_none() && (is("message") || is("@message")) {
                message = Some(i);
            } else if timestamp.is_none() && fieldrow::is_timestamp_name(name) {
                timestamp = Some(i);
            } else if stream.is_none() && fieldrow::is_stream_name(name) {
                stream = Some(i);
            }
        }
        match message {
            Some(message) => Some(Columns::Message {
                message,
                timestamp,
                stream,
            }),
            None => FieldColumns::from_names(names, timestamp, stream)
                .map(|f| Columns::Fields(Box::new(f))),
        }
    }
}

impl FieldColumns {
    /// The layout when the names other than the time and stream are a header line the
    /// decoder binds (the same rule as a plain file's header: mostly known field names).
    /// `@` metadata names (`@log`, `@ptr`) go last, since a header starts with a field.
    fn from_names(
        names: &[&[u8]],
        timestamp: Option<usize>,
        stream: Option<usize>,
    ) -> Option<FieldColumns> {
        if names.len() < 2 {
            return None;
        }
        let names: Vec<&[u8]> = names.iter().map(|n| n.trim_ascii()).collect();
        let mut header = Vec::new();
        let (values, _) = fieldrow::field_columns(&names, timestamp, stream, &mut header)?;
        Some(FieldColumns {
            header,
            values,
            timestamp,
            stream,
            width: names.len(),
        })
    }

    /// The row's values joined into a record line in `out` (see [`fieldrow::push_value`]).
    fn join<'a>(
        &self,
        cell: impl Fn(usize) -> Option<&'a [u8]>,
        out: &mut Vec<u8>,
    ) -> Result<(), LineError> {
        out.clear();
        for (n, &i) in self.values.iter().enumerate() {
            if !fieldrow::push_value(out, n == 0, cell(i).unwrap_or_default()) {
                let name = self.header.split(|b| *b == b' ').nth(n).unwrap_or_default();
                return Err(LineError::CsvCellSpace {
                    column: i + 1,
                    name: String::from_utf8_lossy(name).into_owned(),
                });
            }
        }
        Ok(())
    }
}

/// The columns of a CSV header line (no terminator needed) if it names a message column
/// or field columns.
pub(crate) fn header_columns(line: &[u8]) -> Option<Columns> {
    header_columns_with(line, b',')
}

/// The field columns of a tab-separated header line (a spreadsheet's copy): a message
/// column is not taken, as tab-separated console copies (`time⇥record`, a Logs Insights
/// results table) are read by the paste shapes.
pub(crate) fn tsv_header(line: &[u8]) -> bool {
    memchr::memchr(b'\t', line).is_some()
        && matches!(header_columns_with(line, b'\t'), Some(Columns::Fields(_)))
}

fn reader(delimiter: u8) -> Reader {
    ReaderBuilder::new().delimiter(delimiter).build()
}

/// Runs `f` with a reset reader for `delimiter`. Building a reader compiles its state
/// machine, which took 18 µs when each pasted line with a comma built its own (a paste
/// of prose with commas: 100,000 lines in 1.8 s); the comma and tab readers are built
/// once a thread and reset. (Not cloned: csv-core's `Clone` of a reader leaves its
/// state machine's output and byte-class tables empty.)
fn with_reader<R>(delimiter: u8, f: impl FnOnce(&mut Reader) -> R) -> R {
    thread_local! {
        static COMMA: std::cell::RefCell<Reader> = std::cell::RefCell::new(reader(b','));
        static TAB: std::cell::RefCell<Reader> = std::cell::RefCell::new(reader(b'\t'));
    }
    let cached = match delimiter {
        b',' => &COMMA,
        b'\t' => &TAB,
        _ => return f(&mut reader(delimiter)),
    };
    cached.with(|cell| {
        let mut rdr = cell.borrow_mut();
        rdr.reset();
        f(&mut rdr)
    })
}

fn header_columns_with(line: &[u8], delimiter: u8) -> Option<Columns> {
    // Header cells are short; a huge one means this is not a header.
    let cells = line_cells(line, delimiter, 64, 256)?;
    let names: Vec<&[u8]> = cells.iter().map(Vec::as_slice).collect();
    Columns::from_names(&names)
}

/// The cells of one line (no terminator needed), or None past `max_cells` cells or a
/// cell of `max_len` bytes.
fn line_cells(
    line: &[u8],
    delimiter: u8,
    max_cells: usize,
    max_len: usize,
) -> Option<Vec<Vec<u8>>> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    with_reader(delimiter, |rdr| cells_of(rdr, line, max_cells, max_len))
}

fn cells_of(
    rdr: &mut Reader,
    line: &[u8],
    max_cells: usize,
    max_len: usize,
) -> Option<Vec<Vec<u8>>> {
    let mut cells: Vec<Vec<u8>> = vec![Vec::new()];
    let mut input = line;
    let mut out = [0u8; 256];
    // Each call consumes input or ends a field; the bound only guards against surprises.
    for _ in 0..2 * line.len() + 8 {
        let (res, nin, nout) = rdr.read_field(input, &mut out);
        input = &input[nin..];
        cells.last_mut()?.extend_from_slice(&out[..nout]);
        match res {
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
            ReadFieldResult::Field { record_end } => {
                if record_end {
                    break;
                }
                cells.push(Vec::new());
            }
            ReadFieldResult::End => break,
        }
        if cells.len() > max_cells || cells.last().is_some_and(|c| c.len() > max_len) {
            return None;
        }
    }
    Some(cells)
}

/// Decodes CSV rows into messages, one physical line at a time.
///
/// A row is one line: a quoted field may not span lines (flow log records never hold a
/// line break), so an unbalanced quote costs exactly its own line, reported there, and
/// decoding resumes on the next line. Every line is thus one record, bad line or
/// skipped line, and memory is bounded by [`super::MAX_LINE`].
#[derive(Debug)]
pub(crate) struct Csv {
    split: LineSplitter,
    rows: Rows,
}

/// The cell separator of a [`Csv`] or a pasted block's [`Rows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delimiter {
    Comma,
    Tab,
}

impl Delimiter {
    fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Tab => b'\t',
        }
    }
}

/// The row parser and what it has learned (the header's columns). Also what reads a
/// CSV block in a paste ([`super::paste`]), a line at a time.
#[derive(Debug)]
pub(crate) struct Rows {
    delimiter: Delimiter,
    /// Lines read, the header row included.
    lines: u64,
    rdr: Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    columns: Option<Columns>,
    /// A field CSV row's values joined into a record line.
    joined: Vec<u8>,
}

impl Csv {
    pub(crate) fn new(delimiter: Delimiter) -> Self {
        Csv {
            split: LineSplitter::new(),
            rows: Rows::new(delimiter),
        }
    }

    pub(crate) fn delimiter(&self) -> Delimiter {
        self.rows.delimiter
    }

    pub(crate) fn line(&self) -> u64 {
        self.split.line()
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.split.heap_bytes() + self.rows.heap_bytes()
    }

    pub(crate) fn push<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) {
        let rows = &mut self.rows;
        self.split
            .push(chunk, |line, text| rows.line(line, text, sink));
    }

    pub(crate) fn finish<S: Sink>(&mut self, sink: &mut S) {
        let rows = &mut self.rows;
        self.split.finish(|line, text| rows.line(line, text, sink));
    }
}

impl Rows {
    /// A parser whose first line is the header row.
    pub(crate) fn new(delimiter: Delimiter) -> Rows {
        Rows {
            delimiter,
            lines: 0,
            rdr: reader(delimiter.byte()),
            out: vec![0; 4096],
            ends: vec![0; 16],
            columns: None,
            joined: Vec::new(),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.out.capacity()
            + self.ends.capacity() * std::mem::size_of::<usize>()
            + self.joined.capacity()
    }

    /// Whether the header named field columns (its names were handed on as a header
    /// line), not a message column.
    pub(crate) fn of_fields(&self) -> bool {
        matches!(self.columns, Some(Columns::Fields(_)))
    }

    /// Whether a line was read under the header row.
    pub(crate) fn has_rows(&self) -> bool {
        self.lines > 1
    }

    /// The cell separator.
    pub(crate) fn delimiter_byte(&self) -> u8 {
        self.delimiter.byte()
    }

    /// Whether `line`, met in a CSV block pasted among other lines, goes on with the
    /// block: a field row (any row holding a flow log value, or as many cells as the
    /// header: a short row is then a bad line of the block), or under a message column
    /// a row whose message cell holds a record. Other lines (a `"message": …,` line of
    /// another shape, prose with a comma) end the block and are read as they would be
    /// without it.
    pub(crate) fn continues(&self, line: &[u8]) -> bool {
        let d = self.delimiter.byte();
        match &self.columns {
            Some(Columns::Fields(cols)) => {
                super::noise::has_value(line)
                    || memchr::memchr_iter(d, line).count() + 1 == cols.width
            }
            Some(Columns::Message { message, .. }) => line_cells(line, d, usize::MAX, usize::MAX)
                .is_some_and(|c| c.get(*message).is_some_and(|m| looks_like_record(m))),
            None => false,
        }
    }

    /// Parses one physical line as one CSV row.
    pub(crate) fn line<S: Sink>(&mut self, line: u64, text: LineText<'_>, sink: &mut S) {
        self.lines += 1;
        let text = match text {
            Ok(t) => t,
            Err(long) => return sink.error(line, long.head, overlong_reason("CSV row", long.len)),
        };
        if is_blank(text) {
            return sink.skipped(line, Skip::Blank);
        }
        self.rdr.reset();
        let (mut input, mut fed_end) = (text, false);
        let (mut out_len, mut ends_len) = (0, 0);
        loop {
            let (res, nin, nout, nend) =
                self.rdr
                    .read_record(input, &mut self.out[out_len..], &mut self.ends[ends_len..]);
            input = &input[nin..];
            out_len += nout;
            ends_len += nend;
            match res {
                ReadRecordResult::Record | ReadRecordResult::End => break,
                ReadRecordResult::OutputFull => {
                    let n = self.out.len();
                    self.out.resize(n * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len();
                    self.ends.resize(n * 2, 0);
                }
                // The line is all read; its end ends the row unless a quote is open.
                ReadRecordResult::InputEmpty if !fed_end => {
                    input = b"\n";
                    fed_end = true;
                }
                ReadRecordResult::InputEmpty => {
                    return sink.error(line, text, LineError::CsvQuote(ends_len + 1));
                }
            }
        }
        if !fed_end && !input.is_empty() {
            let at = text.len() - input.len();
            return sink.error(line, text, LineError::CsvCarriageReturn(at));
        }
        self.record(line, text, out_len, ends_len, sink);
    }

    /// Handles one complete row in `out`/`ends`.
    fn record<S: Sink>(
        &mut self,
        line: u64,
        text: &[u8],
        out_len: usize,
        ends_len: usize,
        sink: &mut S,
    ) {
        let (out, ends) = (&self.out[..out_len], &self.ends[..ends_len]);
        let delimiter = self.delimiter.byte();
        let field = |i: usize| -> Option<&[u8]> {
            let end = *ends.get(i)?;
            let start = if i == 0 { 0 } else { ends[i - 1] };
            out.get(start..end)
        };
        match &self.columns {
            None => {
                let names: Vec<&[u8]> = (0..ends.len()).filter_map(field).collect();
                match Columns::from_names(&names) {
                    Some(Columns::Fields(cols)) => {
                        // The decoder binds the names as a header line (and counts it).
                        sink.message(Message {
                            line,
                            text: &cols.header,
                            timestamp_ms: None,
                            stream: None,
                        });
                        self.columns = Some(Columns::Fields(cols));
                        return;
                    }
                    Some(columns) => self.columns = Some(columns),
                    None => sink.error(line, text, LineError::CsvNoMessageColumn),
                }
                sink.skipped(line, Skip::CsvHeader);
            }
            Some(_) if (0..ends.len()).filter_map(field).all(is_blank) => {
                sink.skipped(line, Skip::Blank)
            }
            Some(Columns::Message {
                message,
                timestamp,
                stream,
            }) => match field(*message) {
                // the message cell empty beside cells that are not (`"2 … OK",` under
                // `@timestamp,@message`): the record is in the wrong column, say so
                Some(m) if is_blank(m) => {
                    let raw = fields_joined(out, ends, delimiter);
                    sink.error(line, &raw, LineError::CsvEmptyMessage(message + 1));
                }
                Some(text) => {
                    let timestamp_ms = timestamp.and_then(field).and_then(time::parse_text);
                    let stream = stream.and_then(field);
                    sink.message(Message {
                        line,
                        text,
                        timestamp_ms,
                        stream,
                    });
                }
                None => {
                    let raw = fields_joined(out, ends, delimiter);
                    let reason = LineError::CsvShortRow {
                        fields: ends.len(),
                        column: message + 1,
                    };
                    sink.error(line, &raw, reason);
                }
            },
            Some(Columns::Fields(cols)) => {
                if ends.len() != cols.width {
                    // a line of prose under the rows (a CSV pasted with a remark after it)
                    if !super::noise::has_value(text) {
                        return sink.skipped(line, Skip::NotARecord(super::noise::reason::PROSE));
                    }
                    let raw = fields_joined(out, ends, delimiter);
                    let reason = LineError::CsvRowWidth {
                        fields: ends.len(),
                        header: cols.width,
                    };
                    return sink.error(line, &raw, reason);
                }
                if let Err(reason) = cols.join(field, &mut self.joined) {
                    return sink.error(line, &fields_joined(out, ends, delimiter), reason);
                }
                // The decoder would take values that read as a header line for one.
                if crate::binding::header(&self.joined).is_some() {
                    let reason = LineError::RowLikeHeader;
                    return sink.error(line, &fields_joined(out, ends, delimiter), reason);
                }
                let timestamp_ms = cols.timestamp.and_then(field).and_then(time::parse_text);
                let stream = cols.stream.and_then(field);
                sink.message(Message {
                    line,
                    text: &self.joined,
                    timestamp_ms,
                    stream,
                });
            }
        }
    }
}

/// A row's fields joined with its delimiter (the raw text is gone once parsed).
fn fields_joined(out: &[u8], ends: &[usize], delimiter: u8) -> Vec<u8> {
    let mut raw = Vec::with_capacity(out.len() + ends.len());
    let mut start = 0;
    for (i, &end) in ends.iter().enumerate() {
        if i > 0 {
            raw.push(delimiter);
        }
        raw.extend_from_slice(out.get(start..end).unwrap_or_default());
        start = end;
    }
    raw
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{errors, msg, run_all, Ev};
    use super::super::{Shape, Skip};
    use super::header_columns;

    #[test]
    fn console_csv_with_quotes() {
        let input = concat!(
            "timestamp,message\r\n",
            "1764115200000,2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK\r\n",
            "1764115201000,\"2 123 eni-1 \"\"quoted\"\", with comma\"\r\n",
            "\r\n",
            "\"1764115202000\",\"multi\nline\"\r\n",
            "2025-11-26T10:00:00.000Z,last",
        );
        let (evs, shape) = run_all(input.as_bytes());
        assert_eq!(shape, Some(Shape::Csv));
        assert_eq!(
            evs,
            vec![
                Ev::Skip(1, Skip::CsvHeader),
                msg(
                    2,
                    "2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK",
                    Some(1_764_115_200_000),
                    None
                ),
                msg(
                    3,
                    "2 123 eni-1 \"quoted\", with comma",
                    Some(1_764_115_201_000),
                    None
                ),
                Ev::Skip(4, Skip::Blank),
                Ev::Err {
                    line: 5,
                    raw: "\"1764115202000\",\"multi".into(),
                    reason: "unterminated quote: field 2 opens a '\"' that this line never \
                             closes (a row must fit on one line)"
                        .into()
                },
                Ev::Err {
                    line: 6,
                    raw: "line\"".into(),
                    reason: "CSV row has 1 field(s), no message column (column 2)".into()
                },
                msg(7, "last", Some(1_764_151_200_000), None),
            ]
        );
    }

    #[test]
    fn insights_csv_with_stream_and_bad_rows() {
        let input = concat!(
            "\u{feff}\"@timestamp\",\"@message\",\"@logStream\",\"@log\"\n",
            "\"2025-11-26 10:00:00.000\",\"2 1 eni-1 a\",\"eni-1-all\",\"123:vpc\"\n",
            "not a time,\"2 1 eni-2 b\",\"eni-2-all\",\"123:vpc\"\n",
            "only-one-field\n",
            "\n",
            "\n",
        );
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(evs[0], Ev::Skip(1, Skip::CsvHeader));
        assert_eq!(
            evs[1],
            msg(2, "2 1 eni-1 a", Some(1_764_151_200_000), Some("eni-1-all"))
        );
        assert_eq!(evs[2], msg(3, "2 1 eni-2 b", None, Some("eni-2-all")));
        assert_eq!(
            errors(&evs),
            vec![(4, "CSV row has 1 field(s), no message column (column 2)")]
        );
        assert_eq!(
            evs[4..],
            [Ev::Skip(5, Skip::Blank), Ev::Skip(6, Skip::Blank)]
        );
    }

    #[test]
    fn unbalanced_quote_costs_its_own_line_only() {
        let mut input = String::from("timestamp,message\n1,\"open quote\n");
        for _ in 0..200 {
            input.push_str("1,2 123 eni-1 filler filler filler filler\n");
        }
        let (evs, _) = run_all(input.as_bytes());
        let errs = errors(&evs);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].0, 2);
        assert!(
            errs[0].1.starts_with("unterminated quote: field 2"),
            "{}",
            errs[0].1
        );
        // Decoding resumes on the very next line: every line is accounted for.
        assert_eq!(evs.len(), 202);
        assert!(matches!(&evs[2], Ev::Msg { line: 3, .. }), "{:?}", evs[2]);
    }

    #[test]
    fn an_overlong_row_is_one_bad_line() {
        let mut input = String::from("timestamp,message\n1,\"");
        input.push_str(&"x".repeat(super::super::MAX_LINE + 10));
        input.push_str("\n2,2 1 eni-1 a\n");
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            errors(&evs),
            vec![(
                2,
                "CSV row is 1048589 bytes long, over the 1 MiB limit: skipped"
            )]
        );
        assert_eq!(evs.last(), Some(&msg(3, "2 1 eni-1 a", Some(2), None)));
    }

    #[test]
    fn a_bare_carriage_return_is_reported() {
        let (evs, _) = run_all(b"timestamp,message\n1,a\rb,c\n");
        assert_eq!(
            errors(&evs),
            vec![(
                2,
                "bare carriage return at byte 4 splits this line into two CSV rows"
            )]
        );
    }

    #[test]
    fn a_column_per_field_becomes_a_header_and_record_lines() {
        let input = concat!(
            "\"@timestamp\",\"srcAddr\",\"@log\",\"dstAddr\",\"dstPort\",\"@logStream\",\"action\"\n",
            "\"2025-11-26 10:00:00.000\",\"10.0.0.1\",\"123:vpc\",\"10.0.0.2\",\"443\",\"eni-1-all\",\"ACCEPT\"\n",
            "2025-11-26 10:00:01.000,10.0.0.3,123:vpc,10.0.0.4,,eni-1-all,REJECT\n",
            "2025-11-26 10:00:02.000,10.0.0.5,123:vpc,10.0.0.6,22,eni-1-all\n",
            "2025-11-26 10:00:03.000,10.0.0.5,123:vpc,\"10.0.0.6, 10.0.0.7\",22,eni-1-all,ACCEPT\n",
            ",,,,,,\n",
        );
        let (evs, shape) = run_all(input.as_bytes());
        assert_eq!(shape, Some(Shape::Csv));
        assert_eq!(
            evs,
            vec![
                // The names, time and stream taken out, `@` names last: the decoder
                // binds (and counts) this line as a header.
                msg(1, "srcAddr dstAddr dstPort action @log", None, None),
                msg(
                    2,
                    "10.0.0.1 10.0.0.2 443 ACCEPT 123:vpc",
                    Some(1_764_151_200_000),
                    Some("eni-1-all")
                ),
                // An empty cell is `-`: no value moves to another field.
                msg(
                    3,
                    "10.0.0.3 10.0.0.4 - REJECT 123:vpc",
                    Some(1_764_151_201_000),
                    Some("eni-1-all")
                ),
                Ev::Err {
                    line: 4,
                    raw: "2025-11-26 10:00:02.000,10.0.0.5,123:vpc,10.0.0.6,22,eni-1-all".into(),
                    reason: "CSV row has 6 field(s) where the header names 7: no value can be \
                             placed safely"
                        .into()
                },
                Ev::Err {
                    line: 5,
                    raw: "2025-11-26 10:00:03.000,10.0.0.5,123:vpc,10.0.0.6, 10.0.0.7,22,eni-1-all,ACCEPT"
                        .into(),
                    reason: "CSV column 4 (dstAddr) holds a space, which no flow log value does"
                        .into()
                },
                Ev::Skip(6, Skip::Blank),
            ]
        );
    }

    #[test]
    fn header_detection() {
        assert!(header_columns(b"timestamp,message").is_some());
        assert!(header_columns(b"\"@timestamp\",\"@message\"\r").is_some());
        assert!(header_columns(b"message").is_some());
        assert!(header_columns(b"version account-id interface-id srcaddr").is_none());
        assert!(header_columns(b"timestamp,messages").is_none());
        // Field columns: Logs Insights names, Athena names, a header needs two known.
        assert!(header_columns(b"@timestamp,srcAddr,dstAddr,action").is_some());
        assert!(header_columns(b"\"version\",\"account_id\",\"interface_id\"").is_some());
        assert!(header_columns(b"@timestamp,srcAddr").is_none());
        assert!(header_columns(b"srcAddr,sum(bytes)").is_none());
        assert!(header_columns(b"srcAddr,bogus,other").is_none());
        assert!(
            header_columns(b"version srcaddr dstaddr").is_none(),
            "one cell"
        );
        assert!(header_columns(b"\"srcaddr dstaddr\",action").is_none());
        assert!(header_columns(b"").is_none());
    }
}
