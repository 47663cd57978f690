//! Row batches: the narrow boundary between a reader of already-tabular input (Parquet)
//! and the [`Decoder`](crate::Decoder).
//!
//! The browser's Parquet reader is a second wasm module, and two wasm modules share no
//! memory, so what crosses between them must be plain bytes. A batch is a sequence of
//! entries, each a tag byte and little-endian fields:
//!
//! - `B` binding: `u32` length + the fields' AWS names separated by spaces, `u32` length +
//!   a description ("Parquet schema: 14 columns …"); the rows after it are bound to these
//!   fields.
//! - `R` record: `u64` row number, `u32` length + the values as one flow log line (single
//!   spaces, `-` for null).
//! - `E` error: `u64` row number (0 for the file as a whole), `u32` + reason, `u32` + raw
//!   text.
//! - `N` progress: `u64` source bytes consumed (a row group's compressed size).
//!
//! Records are rendered as the text format and decoded by the very same line decoder as
//! every other input, so a Parquet value is typed exactly as its text twin would be.

use crate::line_error::LineError;

/// Builds a batch.
#[derive(Debug, Default, Clone)]
pub struct BatchWriter {
    /// The batch so far.
    pub buf: Vec<u8>,
}

impl BatchWriter {
    /// A binding: the field names of the rows that follow and how they were found.
    pub fn binding(&mut self, names: &str, description: &str) {
        self.buf.push(b'B');
        self.bytes(names.as_bytes());
        self.bytes(description.as_bytes());
    }

    /// A record: its row number and the line it renders as.
    pub fn record(&mut self, row: u64, line: &[u8]) {
        self.buf.push(b'R');
        self.buf.extend_from_slice(&row.to_le_bytes());
        self.bytes(line);
    }

    /// An error about row `row` (0: the whole file) with its raw text.
    pub fn error(&mut self, row: u64, reason: &str, raw: &[u8]) {
        self.buf.push(b'E');
        self.buf.extend_from_slice(&row.to_le_bytes());
        self.bytes(reason.as_bytes());
        self.bytes(raw);
    }

    /// Progress: source bytes consumed so far.
    pub fn progress(&mut self, bytes: u64) {
        self.buf.push(b'N');
        self.buf.extend_from_slice(&bytes.to_le_bytes());
    }

    fn bytes(&mut self, b: &[u8]) {
        self.buf
            .extend_from_slice(&(b.len().min(u32::MAX as usize) as u32).to_le_bytes());
        self.buf
            .extend_from_slice(&b[..b.len().min(u32::MAX as usize)]);
    }
}

/// One entry of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry<'a> {
    /// The fields of the rows that follow.
    Binding {
        /// Field names, space-separated.
        names: &'a [u8],
        /// How they were found (the Parquet schema, columns left out).
        description: &'a [u8],
    },
    /// One record.
    Record {
        /// Its row number in the file (what its line number is).
        row: u64,
        /// The record as a flow-log line.
        line: &'a [u8],
    },
    /// A row (or, row 0, the whole file) that cannot be read.
    Error {
        /// The row number (0: the file as a whole).
        row: u64,
        /// What is wrong.
        reason: &'a [u8],
        /// The raw value, as far as it could be read.
        raw: &'a [u8],
    },
    /// Source bytes consumed.
    Progress {
        /// Bytes since the last progress entry.
        bytes: u64,
    },
}

/// Reads the entries of a batch; a malformed batch (which only a bug can produce, as
/// both ends are this code) ends with `Err`.
pub struct BatchReader<'a> {
    rest: &'a [u8],
}

impl<'a> BatchReader<'a> {
    /// A reader of the entries of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        BatchReader { rest: buf }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], LineError> {
        if self.rest.len() < n {
            self.rest = &[];
            return Err(LineError::RowBatch("cut short".into()));
        }
        let (a, b) = self.rest.split_at(n);
        self.rest = b;
        Ok(a)
    }

    fn u64(&mut self) -> Result<u64, LineError> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
    }

    fn bytes(&mut self) -> Result<&'a [u8], LineError> {
        let b = self.take(4)?;
        let n = u32::from_le_bytes(b.try_into().unwrap_or([0; 4])) as usize;
        self.take(n)
    }

    fn entry(&mut self) -> Result<Entry<'a>, LineError> {
        let tag = self.take(1)?[0];
        Ok(match tag {
            b'B' => Entry::Binding {
                names: self.bytes()?,
                description: self.bytes()?,
            },
            b'R' => Entry::Record {
                row: self.u64()?,
                line: self.bytes()?,
            },
            b'E' => Entry::Error {
                row: self.u64()?,
                reason: self.bytes()?,
                raw: self.bytes()?,
            },
            b'N' => Entry::Progress { bytes: self.u64()? },
            t => {
                self.rest = &[];
                return Err(LineError::RowBatch(format!("unknown entry tag {t}")));
            }
        })
    }
}

impl<'a> Iterator for BatchReader<'a> {
    type Item = Result<Entry<'a>, LineError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        Some(self.entry())
    }
}

/// Decodes a batch into the table through `sink`: bindings bind, records go through the
/// line decoder numbered by their row, errors are kept, progress adds to the byte counts.
pub(crate) fn feed(
    batch: &[u8],
    sink: &mut crate::decoder::TableSink<'_>,
    file_bytes: &mut u64,
    total_bytes: &mut u64,
) {
    use crate::container::{Message, Sink};
    for entry in BatchReader::new(batch) {
        match entry {
            Ok(Entry::Binding { names, description }) => {
                let names = String::from_utf8_lossy(names);
                // a name the catalogue does not know is a column of the reader's file kept
                // as text: it gets the table's extra column for that name
                let mut extra_names = Vec::new();
                let fields: Option<Vec<_>> = names
                    .split(' ')
                    .map(|n| {
                        crate::fields::Field::lookup(n).or_else(|| {
                            let f = sink.extra_column(n)?;
                            extra_names.push((f, n.to_string()));
                            Some(f)
                        })
                    })
                    .collect();
                match fields {
                    Some(fields) if !fields.is_empty() => {
                        sink.bind(crate::table::BindingInfo {
                            fields,
                            origin: crate::table::Origin::Parquet,
                            header_line: None,
                            description: String::from_utf8_lossy(description).into_owned(),
                            confidence: 1.0,
                            ambiguous: Vec::new(),
                            guessed: false,
                            extra_names,
                        });
                    }
                    _ => sink.error(0, &[], LineError::RowBatch(format!("fields '{names}'"))),
                }
            }
            Ok(Entry::Record { row, line }) if sink.is_bound() => sink.decode(Message {
                line: row,
                text: line,
                timestamp_ms: None,
                stream: None,
            }),
            Ok(Entry::Record { row, line }) => sink.error(
                row,
                line,
                LineError::RowBatch("a record before its binding".into()),
            ),
            Ok(Entry::Error { row, reason, raw }) => {
                let reason = String::from_utf8_lossy(reason).into_owned();
                sink.error(row, raw, LineError::Parquet(reason))
            }
            Ok(Entry::Progress { bytes }) => {
                *file_bytes += bytes;
                *total_bytes += bytes;
            }
            Err(e) => sink.error(0, &[], e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let mut w = BatchWriter::default();
        w.binding("version srcaddr", "Parquet schema");
        w.record(1, b"2 10.0.0.1");
        w.error(2, "bad", b"2 x");
        w.progress(4096);
        let got: Vec<Entry> = BatchReader::new(&w.buf).map(Result::unwrap).collect();
        assert_eq!(
            got,
            vec![
                Entry::Binding {
                    names: b"version srcaddr",
                    description: b"Parquet schema"
                },
                Entry::Record {
                    row: 1,
                    line: b"2 10.0.0.1"
                },
                Entry::Error {
                    row: 2,
                    reason: b"bad",
                    raw: b"2 x"
                },
                Entry::Progress { bytes: 4096 },
            ]
        );
    }

    #[test]
    fn malformed_batches_end_with_an_error() {
        let mut w = BatchWriter::default();
        w.record(7, b"abc");
        for cut in 0..w.buf.len() {
            let r: Vec<_> = BatchReader::new(&w.buf[..cut]).collect();
            assert!(cut == 0 || r.last().unwrap().is_err(), "cut at {cut}");
        }
        assert!(BatchReader::new(b"Z").next().unwrap().is_err());
    }
}
