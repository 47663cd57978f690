//! The CSV shape: CloudWatch console and Logs Insights downloads (`timestamp,message`,
//! `"@timestamp","@message",…`), read push-style with `csv-core`.
//!
//! `csv-core` never fails and silently drops empty lines, so record starts are found
//! here: line terminators between records are consumed by this module (counting lines
//! and blank lines), and the line where a record's first byte sits is its line.

use csv_core::{ReadFieldResult, ReadRecordResult, Reader};

use super::lines::is_blank;
use super::time;
use super::{Message, Sink, Skip};

/// A record longer than this (usually an unbalanced quote swallowing the file) is
/// reported and skipped to bound memory.
const MAX_RECORD: usize = if cfg!(test) { 4 << 10 } else { 16 << 20 };

/// Where the interesting cells are, by header name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Columns {
    message: usize,
    timestamp: Option<usize>,
    stream: Option<usize>,
}

impl Columns {
    fn from_names<'a>(names: impl Iterator<Item = &'a [u8]>) -> Option<Columns> {
        let (mut message, mut timestamp, mut stream) = (None, None, None);
        for (i, name) in names.enumerate() {
            let name = name.trim_ascii();
            let is = |a: &str| name.eq_ignore_ascii_case(a.as_bytes());
            if message.is_none() && (is("message") || is("@message")) {
                message = Some(i);
            } else if timestamp.is_none() && (is("timestamp") || is("@timestamp")) {
                timestamp = Some(i);
            } else if stream.is_none() && (is("@logStream") || is("logStreamName")) {
                stream = Some(i);
            }
        }
        Some(Columns {
            message: message?,
            timestamp,
            stream,
        })
    }
}

/// The columns of a CSV header line (no terminator needed) if it names a message column.
pub(crate) fn header_columns(line: &[u8]) -> Option<Columns> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut rdr = Reader::new();
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
        // Header cells are short; a huge one means this is not a header.
        if cells.len() > 64 || cells.last().is_some_and(|c| c.len() > 256) {
            return None;
        }
    }
    Columns::from_names(cells.iter().map(Vec::as_slice))
}

/// Decodes CSV rows into messages.
#[derive(Debug)]
pub(crate) struct Csv {
    rdr: Reader,
    /// Line breaks consumed outside `rdr` (and by readers replaced after an error).
    extra_lines: u64,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    /// Between records: terminators are consumed here.
    at_start: bool,
    /// The previous record ended on `\r`, so the next `\n` ends its line (not a blank one).
    line_open: bool,
    /// After an oversized record: skipping to the end of its line.
    skip_line: bool,
    record_line: u64,
    columns: Option<Columns>,
}

impl Csv {
    pub(crate) fn new() -> Self {
        Csv {
            rdr: Reader::new(),
            extra_lines: 0,
            out: vec![0; 4096],
            out_len: 0,
            ends: vec![0; 16],
            ends_len: 0,
            at_start: true,
            line_open: false,
            skip_line: false,
            record_line: 1,
            columns: None,
        }
    }

    /// `Reader::line` starts at 1 and counts the `\n` the reader consumed.
    pub(crate) fn line(&self) -> u64 {
        self.extra_lines + self.rdr.line()
    }

    pub(crate) fn push<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) {
        let mut input = chunk;
        while !input.is_empty() {
            if self.skip_line {
                let Some(end) = memchr::memchr(b'\n', input) else {
                    return;
                };
                input = &input[end + 1..];
                self.extra_lines += 1;
                self.skip_line = false;
                self.at_start = true;
                self.line_open = false;
            }
            if self.at_start {
                input = self.skip_terminators(input, sink);
                if input.is_empty() {
                    return;
                }
                self.record_line = self.line();
                self.at_start = false;
            }
            let (res, nin, nout, nend) = self.rdr.read_record(
                input,
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            let last = nin.checked_sub(1).map(|i| input[i]);
            input = &input[nin..];
            self.out_len += nout;
            self.ends_len += nend;
            match res {
                ReadRecordResult::Record => {
                    self.line_open = last == Some(b'\r');
                    self.record(sink);
                }
                ReadRecordResult::OutputFull => self.grow_out(sink),
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len();
                    self.ends.resize(n * 2, 0);
                }
                ReadRecordResult::InputEmpty | ReadRecordResult::End => {}
            }
        }
    }

    /// Consumes line breaks before a record, reporting empty lines as blank.
    fn skip_terminators<'a, S: Sink>(&mut self, input: &'a [u8], sink: &mut S) -> &'a [u8] {
        let n = input
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        for &b in &input[..n] {
            if b == b'\n' {
                if !std::mem::take(&mut self.line_open) {
                    sink.skipped(self.line(), Skip::Blank);
                }
                self.extra_lines += 1;
            }
        }
        &input[n..]
    }

    fn grow_out<S: Sink>(&mut self, sink: &mut S) {
        if self.out.len() < MAX_RECORD {
            let n = self.out.len();
            self.out.resize(n * 2, 0);
            return;
        }
        let raw = &self.out[..self.out_len.min(120)];
        sink.error(
            self.record_line,
            raw,
            format!(
                "CSV record longer than {} KiB (unbalanced quote?): skipped",
                MAX_RECORD >> 10
            ),
        );
        self.extra_lines += self.rdr.line().saturating_sub(1);
        self.rdr = Reader::new();
        self.out_len = 0;
        self.ends_len = 0;
        self.skip_line = true;
    }

    /// Handles one complete record in `out`/`ends`.
    fn record<S: Sink>(&mut self, sink: &mut S) {
        let (line, out) = (self.record_line, &self.out[..self.out_len]);
        let ends = &self.ends[..self.ends_len];
        let field = |i: usize| -> Option<&[u8]> {
            let end = *ends.get(i)?;
            let start = if i == 0 { 0 } else { ends[i - 1] };
            out.get(start..end)
        };
        let fields = (0..ends.len()).filter_map(field);
        match self.columns {
            None => {
                match Columns::from_names(fields) {
                    Some(columns) => self.columns = Some(columns),
                    None => sink.error(line, out, "CSV header has no message column".into()),
                }
                sink.skipped(line, Skip::CsvHeader);
            }
            Some(_) if (0..ends.len()).filter_map(field).all(is_blank) => {
                sink.skipped(line, Skip::Blank)
            }
            Some(cols) => match field(cols.message) {
                Some(text) => {
                    let timestamp_ms = cols.timestamp.and_then(field).and_then(time::parse_text);
                    let stream = cols.stream.and_then(field);
                    sink.message(Message {
                        line,
                        text,
                        timestamp_ms,
                        stream,
                    });
                }
                None => {
                    let raw = fields_joined(out, ends);
                    let reason = format!(
                        "CSV row has {} field(s), no message column (column {})",
                        ends.len(),
                        cols.message + 1
                    );
                    sink.error(line, &raw, reason);
                }
            },
        }
        self.out_len = 0;
        self.ends_len = 0;
        self.at_start = true;
    }

    pub(crate) fn finish<S: Sink>(&mut self, sink: &mut S) {
        if self.at_start || self.skip_line {
            return;
        }
        loop {
            let (res, _, nout, nend) = self.rdr.read_record(
                &[],
                &mut self.out[self.out_len..],
                &mut self.ends[self.ends_len..],
            );
            self.out_len += nout;
            self.ends_len += nend;
            match res {
                ReadRecordResult::Record => return self.record(sink),
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len();
                    self.ends.resize(n * 2, 0);
                }
                ReadRecordResult::OutputFull => self.grow_out(sink),
                ReadRecordResult::InputEmpty | ReadRecordResult::End => return,
            }
        }
    }
}

/// A row's fields joined with `,` (the raw text is gone once parsed).
fn fields_joined(out: &[u8], ends: &[usize]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(out.len() + ends.len());
    let mut start = 0;
    for (i, &end) in ends.iter().enumerate() {
        if i > 0 {
            raw.push(b',');
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
                msg(5, "multi\nline", Some(1_764_115_202_000), None),
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
    fn unbalanced_quote_is_bounded() {
        let mut input = String::from("timestamp,message\n1,\"open quote\n");
        for _ in 0..200 {
            input.push_str("1,2 123 eni-1 filler filler filler filler\n");
        }
        let (evs, _) = run_all(input.as_bytes());
        let errs = errors(&evs);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].0, 2);
        assert!(errs[0].1.starts_with("CSV record longer than 4 KiB"));
        // Decoding resumes on the line after the one where the limit was hit.
        assert!(
            matches!(evs.last(), Some(Ev::Msg { line: 202, .. })),
            "{:?}",
            evs.last()
        );
    }

    #[test]
    fn header_detection() {
        assert!(header_columns(b"timestamp,message").is_some());
        assert!(header_columns(b"\"@timestamp\",\"@message\"\r").is_some());
        assert!(header_columns(b"message").is_some());
        assert!(header_columns(b"version account-id interface-id srcaddr").is_none());
        assert!(header_columns(b"timestamp,messages").is_none());
        assert!(header_columns(b"").is_none());
    }
}
