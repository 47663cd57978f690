//! Decoding one large plain-text file in parts, on several workers or threads: what one
//! part of a file hands to the next so that the parts decode exactly as the whole file
//! would.
//!
//! A file of plain record lines is cut after a `\n` into parts. The first part decodes
//! as any file does ([`crate::Decoder::begin_file`]) and ends with
//! [`crate::Decoder::end_part`], which gives the [`Carry`]: the binding in force at its
//! end (a header's, the given format's, or the inferred or documented layouts by field
//! count), the table's extra-column names and whether the file has records yet. Every
//! later part starts from a carry ([`crate::Decoder::continue_file`]) and its table is
//! joined to the one before with [`crate::Table::append_continuation`].
//!
//! The later parts may decode at the same time, each *assuming* the carry of the first
//! part. That is a speculation: a part is only right if the part before it really ended
//! in the carry it assumed (compare the bytes, [`Carry::to_bytes`]), and if it met no
//! header line (a header's binding names its line, which a part decoded from line 1
//! does not know). Otherwise the part is decoded again from the right carry and its true
//! first line. A part that ends in a state no carry can hold (lines waiting for an
//! inference, prose held before a first record, a header that could not bind, a cut-off
//! line, a shape other than plain lines) gives no carry: the rest of the file must then
//! be decoded as one part from there.

use crate::table::wire::{Reader, Writer};
use crate::table::{BindingInfo, WireError};

const MAGIC: &[u8; 4] = b"FLCY";
const VERSION: u32 = 1;

/// The decoding state at a line boundary of a plain-text file that the next part of the
/// file needs (see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct Carry {
    /// The binding of the lines at the cut.
    pub(crate) current: BindingInfo,
    /// Header-less input with no format: each field count binds on its own.
    pub(crate) auto: bool,
    /// In `auto` mode, the binding of every field count met so far (the current one
    /// among them), by field count.
    pub(crate) by_count: Vec<BindingInfo>,
    /// The table's extra text columns' header names, in column order.
    pub(crate) extra_names: Vec<String>,
    /// Whether the file has a record before the cut (a prose line is then noise).
    pub(crate) has_records: bool,
}

/// Lines of a field count that has no binding yet, waiting for more of their count to
/// infer one (or to be reported as damaged when the file ends): they carry from part to
/// part, with their true line numbers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Waiting {
    pub(crate) by_count: std::collections::BTreeMap<usize, Vec<WaitingLine>>,
}

/// One line waiting for its field count's binding.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WaitingLine {
    pub(crate) line: u64,
    pub(crate) text: Vec<u8>,
    pub(crate) timestamp_ms: Option<i64>,
    pub(crate) stream: Option<Vec<u8>>,
}

impl Waiting {
    /// Whether no line waits.
    pub fn is_empty(&self) -> bool {
        self.by_count.values().all(Vec::is_empty)
    }

    /// How many lines wait.
    pub fn len(&self) -> usize {
        self.by_count.values().map(Vec::len).sum()
    }

    /// The lines' numbers moved down by `offset`.
    pub(crate) fn shifted(mut self, offset: u64) -> Waiting {
        for l in self.by_count.values_mut().flatten() {
            l.line += offset;
        }
        self
    }

    fn write(&self, w: &mut Writer) {
        w.len(self.by_count.len());
        for (n, lines) in &self.by_count {
            w.len(*n);
            w.len(lines.len());
            for l in lines {
                w.u64(l.line);
                w.bytes(&l.text);
                w.bool(l.timestamp_ms.is_some());
                w.u64(l.timestamp_ms.unwrap_or(0) as u64);
                w.bool(l.stream.is_some());
                w.bytes(l.stream.as_deref().unwrap_or(&[]));
            }
        }
    }

    fn read(r: &mut Reader<'_>) -> Result<Waiting, WireError> {
        let mut by_count = std::collections::BTreeMap::new();
        for _ in 0..r.len()? {
            let n = r.len()?;
            let lines = (0..r.len()?)
                .map(|_| {
                    let line = r.u64()?;
                    let text = r.bytes()?.to_vec();
                    let has_ts = r.bool()?;
                    let ts = r.u64()? as i64;
                    let has_stream = r.bool()?;
                    let stream = r.bytes()?.to_vec();
                    Ok(WaitingLine {
                        line,
                        text,
                        timestamp_ms: has_ts.then_some(ts),
                        stream: has_stream.then_some(stream),
                    })
                })
                .collect::<Result<Vec<_>, WireError>>()?;
            by_count.insert(n, lines);
        }
        Ok(Waiting { by_count })
    }
}

/// Where a later part of a file starts decoding ([`crate::Decoder::continue_file`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PartStart {
    /// The state at the cut.
    pub carry: Carry,
    /// The lines still waiting at the cut (none when the part is decoded ahead, on the
    /// assumption that none wait: see [`crate::parts::Splice::holds`]).
    pub waiting: Waiting,
    /// The part's first line: its true one, or 1 when the part is decoded ahead.
    pub first_line: u64,
}

/// How a part of a file ended ([`crate::Decoder::end_part`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PartEnd {
    /// The carry it started from, as bytes (empty for the file's first part).
    pub(crate) started: Vec<u8>,
    /// The lines waiting when it started.
    pub(crate) started_waiting: Waiting,
    /// Its first line as it was decoded.
    pub(crate) first_line: u64,
    /// The state the next part starts from; `None` when the part ended in a state that
    /// cannot be carried (then the rest of the file decodes as one part from this
    /// part's start).
    pub carry: Option<Carry>,
    /// Lines waiting at its end, not decided (they carry on to the next part; the last
    /// ones are decided by [`crate::parts::Splice::flush`]).
    pub(crate) waiting: Waiting,
    /// Lines in the part (the next part's first line is this part's first line plus
    /// this).
    pub lines: u64,
    /// The part has a header line: its bindings and errors name its lines, so it is
    /// only right when decoded from its true first line.
    pub met_header: bool,
    /// Waiting lines were decided in the part (a binding inferred, lines reported).
    pub(crate) decided: bool,
    /// The field counts of its lines that had no binding (they waited, or bound a
    /// documented layout).
    pub(crate) unbound_counts: Vec<usize>,
    /// It was stopped early (cancel, memory): its waiting lines were decided.
    pub stopped: bool,
}

impl PartStart {
    /// As bytes, to move between workers.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(256));
        w.0.extend_from_slice(b"FLPS");
        w.bytes(&self.carry.to_bytes());
        self.waiting.write(&mut w);
        w.u64(self.first_line);
        w.0
    }

    /// Reads back [`PartStart::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<PartStart, WireError> {
        let mut r = Reader { buf: bytes, at: 0 };
        if r.take(4).ok() != Some(b"FLPS".as_slice()) {
            return Err(WireError::NotATable);
        }
        let carry = Carry::from_bytes(r.bytes()?)?;
        let waiting = Waiting::read(&mut r)?;
        let first_line = r.u64()?;
        end(&r)?;
        Ok(PartStart {
            carry,
            waiting,
            first_line,
        })
    }
}

impl PartEnd {
    /// As bytes, to move between workers.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(256));
        w.0.extend_from_slice(b"FLPE");
        w.bytes(&self.started);
        self.started_waiting.write(&mut w);
        w.u64(self.first_line);
        w.bool(self.carry.is_some());
        w.bytes(&self.carry.as_ref().map(Carry::to_bytes).unwrap_or_default());
        self.waiting.write(&mut w);
        w.u64(self.lines);
        w.bool(self.met_header);
        w.bool(self.decided);
        w.len(self.unbound_counts.len());
        for n in &self.unbound_counts {
            w.len(*n);
        }
        w.bool(self.stopped);
        w.0
    }

    /// Reads back [`PartEnd::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<PartEnd, WireError> {
        let mut r = Reader { buf: bytes, at: 0 };
        if r.take(4).ok() != Some(b"FLPE".as_slice()) {
            return Err(WireError::NotATable);
        }
        let started = r.bytes()?.to_vec();
        let started_waiting = Waiting::read(&mut r)?;
        let first_line = r.u64()?;
        let has_carry = r.bool()?;
        let carry = r.bytes()?;
        let carry = if has_carry {
            Some(Carry::from_bytes(carry)?)
        } else {
            None
        };
        let waiting = Waiting::read(&mut r)?;
        let lines = r.u64()?;
        let met_header = r.bool()?;
        let decided = r.bool()?;
        let unbound_counts = (0..r.len()?)
            .map(|_| r.len())
            .collect::<Result<Vec<_>, _>>()?;
        let stopped = r.bool()?;
        end(&r)?;
        Ok(PartEnd {
            started,
            started_waiting,
            first_line,
            carry,
            waiting,
            lines,
            met_header,
            decided,
            unbound_counts,
            stopped,
        })
    }
}

fn end(r: &Reader<'_>) -> Result<(), WireError> {
    if r.at == r.buf.len() {
        Ok(())
    } else {
        Err(WireError::Damaged("bytes after the end"))
    }
}

impl Carry {
    /// The carry as bytes, to move between workers and to compare: two carries are the
    /// same state exactly when their bytes are equal.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(256));
        w.0.extend_from_slice(MAGIC);
        w.u32(VERSION);
        w.binding(&self.current);
        w.bool(self.auto);
        w.len(self.by_count.len());
        for b in &self.by_count {
            w.binding(b);
        }
        w.len(self.extra_names.len());
        for n in &self.extra_names {
            w.str(n);
        }
        w.bool(self.has_records);
        w.0
    }

    /// Reads back [`Carry::to_bytes`] of this same build; anything else is an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Carry, WireError> {
        let mut r = Reader { buf: bytes, at: 0 };
        if r.take(4).ok() != Some(MAGIC.as_slice()) || r.u32()? != VERSION {
            return Err(WireError::NotATable);
        }
        let current = r.binding()?;
        let auto = r.bool()?;
        let n = r.len()?;
        let by_count = (0..n).map(|_| r.binding()).collect::<Result<Vec<_>, _>>()?;
        let n = r.len()?;
        let extra_names = (0..n).map(|_| r.string()).collect::<Result<Vec<_>, _>>()?;
        if extra_names.len() > crate::fields::EXTRAS.len() {
            return Err(WireError::Damaged("more extra columns than a table has"));
        }
        let has_records = r.bool()?;
        end(&r)?;
        Ok(Carry {
            current,
            auto,
            by_count,
            extra_names,
            has_records,
        })
    }
}
