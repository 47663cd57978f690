//! Line splitting shared by the line shapes, and the plain `Lines` shape itself.
//!
//! This is the hot path for raw flow logs (>1 GB/s natively): complete lines are handed
//! out as slices of the input chunk, found with `memchr`; only a partial last line is
//! copied into a carry buffer, so nothing is allocated per line.

use memchr::{memchr, memchr_iter};

use super::time;
use super::{overlong_reason, Message, Sink, Skip, MAX_LINE};

/// How many bytes of an over-long line are kept, to show in its error.
const OVERLONG_HEAD: usize = 160;

/// A line longer than [`MAX_LINE`]: its first bytes and its full length (without the
/// terminator).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Overlong<'a> {
    pub head: &'a [u8],
    pub len: u64,
}

/// Splits a byte stream into lines (LF or CRLF, `\r` stripped) across chunk boundaries,
/// numbering them from 1. A line longer than [`MAX_LINE`] is handed out as
/// `Err(Overlong)` and never held in full: memory is bounded by the limit.
#[derive(Debug)]
pub(crate) struct LineSplitter {
    /// The start of a line whose end has not arrived yet (at most `MAX_LINE` bytes, or
    /// the head of an over-long one).
    carry: Vec<u8>,
    /// The length so far of an over-long line being skipped (0 otherwise).
    long_len: u64,
    /// The number of the line being read.
    line: u64,
}

#[inline(always)]
fn strip_cr(line: &[u8]) -> &[u8] {
    match line {
        [head @ .., b'\r'] => head,
        _ => line,
    }
}

/// A line (without its terminator) as handed out: the text, or an over-long one.
pub(crate) type LineText<'a> = Result<&'a [u8], Overlong<'a>>;

#[inline(always)]
fn judge(text: &[u8]) -> LineText<'_> {
    if text.len() > MAX_LINE {
        Err(Overlong {
            head: &text[..OVERLONG_HEAD],
            len: text.len() as u64,
        })
    } else {
        Ok(strip_cr(text))
    }
}

impl LineSplitter {
    pub(crate) fn new() -> Self {
        LineSplitter {
            carry: Vec::new(),
            long_len: 0,
            line: 1,
        }
    }

    /// The number of the line currently being read.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// Whether a line has begun and not ended.
    pub(crate) fn mid_line(&self) -> bool {
        !self.carry.is_empty() || self.long_len > 0
    }

    /// Bytes allocated for a partial line (at most [`MAX_LINE`] and a little).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.carry.capacity()
    }

    /// Keeps the start of an unfinished line, switching to counting only once it is
    /// over the limit.
    fn hold(&mut self, bytes: &[u8]) {
        if self.long_len > 0 {
            self.long_len += bytes.len() as u64;
        } else if self.carry.len() + bytes.len() > MAX_LINE {
            self.long_len = (self.carry.len() + bytes.len()) as u64;
            let room = OVERLONG_HEAD.saturating_sub(self.carry.len());
            self.carry
                .extend_from_slice(&bytes[..room.min(bytes.len())]);
            self.carry.truncate(OVERLONG_HEAD);
            self.carry.shrink_to(OVERLONG_HEAD);
        } else {
            self.carry.extend_from_slice(bytes);
        }
    }

    fn emit_carry(&mut self, f: &mut impl FnMut(u64, LineText<'_>)) {
        if self.long_len > 0 {
            f(
                self.line,
                Err(Overlong {
                    head: &self.carry,
                    len: self.long_len,
                }),
            );
        } else {
            f(self.line, Ok(strip_cr(&self.carry)));
        }
        self.carry.clear();
        self.long_len = 0;
    }

    /// Calls `f(line_number, line)` for every line completed by `chunk`.
    #[inline(always)]
    pub(crate) fn push(&mut self, chunk: &[u8], mut f: impl FnMut(u64, LineText<'_>)) {
        let mut rest = chunk;
        if !self.carry.is_empty() || self.long_len > 0 {
            let Some(end) = memchr(b'\n', rest) else {
                self.hold(rest);
                return;
            };
            self.hold(&rest[..end]);
            self.emit_carry(&mut f);
            self.line += 1;
            rest = &rest[end + 1..];
        }
        let mut start = 0;
        for end in memchr_iter(b'\n', rest) {
            f(self.line, judge(&rest[start..end]));
            self.line += 1;
            start = end + 1;
        }
        self.hold(&rest[start..]);
    }

    /// Hands out a last line that had no line terminator.
    pub(crate) fn finish(&mut self, mut f: impl FnMut(u64, LineText<'_>)) {
        if !self.carry.is_empty() || self.long_len > 0 {
            self.emit_carry(&mut f);
        }
    }
}

/// Whether a line holds nothing but ASCII whitespace (stops at the first other byte, so
/// it costs one comparison on a record line).
#[inline(always)]
pub(crate) fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|&b| matches!(b, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c'))
}

/// Plain record lines: every non-blank line is a message, with an export-to-S3 time
/// prefix lifted into the timestamp.
#[derive(Debug)]
pub(crate) struct Lines {
    split: LineSplitter,
}

#[inline(always)]
fn emit_line<S: Sink>(sink: &mut S, line: u64, text: LineText<'_>) {
    let text = match text {
        Ok(text) => text,
        Err(long) => return sink.error(line, long.head, overlong_reason("line", long.len)),
    };
    if is_blank(text) {
        sink.skipped(line, Skip::Blank);
        return;
    }
    plain(line, text, sink);
}

/// A plain record line, with an export-to-S3 time prefix lifted into the timestamp (the
/// one place both plain lines and pasted records go through).
#[inline(always)]
pub(super) fn plain<S: Sink>(line: u64, text: &[u8], sink: &mut S) {
    let (text, timestamp_ms) = match time::export_prefix(text) {
        Some((ms, cut)) => (&text[cut..], Some(ms)),
        None => (text, None),
    };
    sink.message(Message {
        line,
        text,
        timestamp_ms,
        stream: None,
    });
}

impl Lines {
    pub(crate) fn new() -> Self {
        Lines {
            split: LineSplitter::new(),
        }
    }

    /// Plain lines numbered from `first_line` (a later part of a file).
    pub(crate) fn starting_at(first_line: u64) -> Self {
        let mut split = LineSplitter::new();
        split.line = first_line;
        Lines { split }
    }

    pub(crate) fn line(&self) -> u64 {
        self.split.line()
    }

    pub(crate) fn mid_line(&self) -> bool {
        self.split.mid_line()
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.split.heap_bytes()
    }

    pub(crate) fn push<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) {
        self.split
            .push(chunk, |line, text| emit_line(sink, line, text));
    }

    pub(crate) fn finish<S: Sink>(&mut self, sink: &mut S) {
        self.split.finish(|line, text| emit_line(sink, line, text));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{msg, run_all, Ev};
    use super::super::{Shape, Skip};

    const R1: &str = "2 123456789012 eni-0a1b2c3d 10.0.1.5 10.0.2.9 44308 80 6 8 1376 1764115206 1764115806 ACCEPT OK";
    const R2: &str = "2 123456789012 eni-0a1b2c3d - - - - - - - 1764115237 1764115357 - SKIPDATA";

    #[test]
    fn crlf_bom_and_no_final_newline() {
        let input = format!("\u{feff}version account-id interface-id\r\n{R1}\r\n{R2}");
        let (evs, shape) = run_all(input.as_bytes());
        assert_eq!(shape, Some(Shape::Lines));
        assert_eq!(
            evs,
            vec![
                msg(1, "version account-id interface-id", None, None),
                msg(2, R1, None, None),
                msg(3, R2, None, None),
            ]
        );
    }

    #[test]
    fn blank_lines_are_skipped_and_counted() {
        let input = format!("\n{R1}\n   \n\t\r\n{R2}\n\n");
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![
                Ev::Skip(1, Skip::Blank),
                msg(2, R1, None, None),
                Ev::Skip(3, Skip::Blank),
                Ev::Skip(4, Skip::Blank),
                msg(5, R2, None, None),
                Ev::Skip(6, Skip::Blank),
            ]
        );
    }

    #[test]
    fn export_to_s3_prefix_becomes_timestamp() {
        let input = format!(
            "2018-09-22T20:28:14.000Z {R1}\n2018-09-22T20:28:15Z {R2}\n2018-09-22T20:28:14.000Z\nnot 2018-09-22T20:28:14.000Z x\n"
        );
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![
                msg(1, R1, Some(1_537_648_094_000), None),
                msg(2, R2, Some(1_537_648_095_000), None),
                msg(3, "2018-09-22T20:28:14.000Z", None, None),
                msg(4, "not 2018-09-22T20:28:14.000Z x", None, None),
            ]
        );
    }

    #[test]
    fn empty_input_and_whitespace_only() {
        assert_eq!(run_all(b"").0, vec![]);
        assert_eq!(run_all(b"").1, Some(Shape::Lines));
        assert_eq!(run_all(b"  \n").0, vec![Ev::Skip(1, Skip::Blank)]);
    }

    #[test]
    fn long_input_decides_after_the_sniff_window() {
        let mut input = String::new();
        for _ in 0..1000 {
            input.push_str(R1);
            input.push('\n');
        }
        let (evs, shape) = run_all(input.as_bytes());
        assert_eq!(shape, Some(Shape::Lines));
        assert_eq!(evs.len(), 1000);
        assert_eq!(evs[999], msg(1000, R1, None, None));
    }
}
