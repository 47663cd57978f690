//! Shape detection from the first (decompressed) bytes, never the file name.
//!
//! The first 64 KiB (or everything, if shorter) decide, in this order:
//! 1. first non-whitespace byte `{` or `[` → JSON;
//! 2. a first line that is a CSV header with a `message`/`@message` cell → CSV;
//! 3. any complete line that is `"message": "<json string>"` (grep'd terminal output) →
//!    message lines;
//! 4. otherwise plain lines.
//!
//! Only bytes inside the 64 KiB window are looked at, so the answer does not depend on
//! how the input was chunked. Each byte is examined once even when fed one at a time.

use memchr::memchr;

use super::csv;
use super::msglines::{self, Kind};
use super::Shape;

/// How much input may be buffered to decide the shape.
pub(crate) const SNIFF_LIMIT: usize = 64 * 1024;
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Buffers the start of the input until its shape is known.
#[derive(Debug, Default)]
pub(crate) struct Sniffer {
    buf: Vec<u8>,
    /// Length of a UTF-8 BOM at the start, once known.
    bom: Option<usize>,
    /// Offset (after the BOM) up to which only whitespace was seen.
    ws_scanned: usize,
    /// Whether the first line was checked for a CSV header.
    header_checked: bool,
    /// Offset (after the BOM) of the first line not yet checked for `"message":`.
    lines_scanned: usize,
    scratch: Vec<u8>,
}

impl Sniffer {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Bytes buffered while the shape is undecided.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.buf.capacity() + self.scratch.capacity()
    }

    /// Buffers `chunk` and tries to decide.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Option<Shape> {
        self.buf.extend_from_slice(chunk);
        self.detect(false)
    }

    /// End of input: decides with what there is.
    pub(crate) fn finish(&mut self) -> Shape {
        self.detect(true).unwrap_or(Shape::Lines)
    }

    /// The buffered input after the BOM, to replay into the chosen shape.
    pub(crate) fn body(&self) -> &[u8] {
        &self.buf[self.bom.unwrap_or(0).min(self.buf.len())..]
    }

    /// The number of line breaks buffered so far (for the line of an early error).
    pub(crate) fn newlines(&self) -> u64 {
        memchr::memchr_iter(b'\n', &self.buf).count() as u64
    }

    fn detect(&mut self, at_end: bool) -> Option<Shape> {
        let bom = match self.bom {
            Some(n) => n,
            None if self.buf.len() < BOM.len() && BOM.starts_with(&self.buf) && !at_end => {
                return None
            }
            None => {
                let n = if self.buf.starts_with(BOM) {
                    BOM.len()
                } else {
                    0
                };
                self.bom = Some(n);
                n
            }
        };
        let body = &self.buf[bom..];
        let window = &body[..body.len().min(SNIFF_LIMIT)];
        // The whole input fits in the window, so its last line counts even unterminated.
        let all = at_end && body.len() <= SNIFF_LIMIT;
        let full = at_end || body.len() >= SNIFF_LIMIT;

        let lead = window[self.ws_scanned..]
            .iter()
            .position(|b| !b.is_ascii_whitespace());
        match lead {
            None => {
                self.ws_scanned = window.len();
                return full.then_some(Shape::Lines);
            }
            Some(i) if matches!(window[self.ws_scanned + i], b'{' | b'[') => {
                return Some(Shape::Json)
            }
            Some(_) => {}
        }

        if !self.header_checked {
            let first = match memchr(b'\n', window) {
                Some(end) => Some(&window[..end]),
                None if all => Some(window),
                None if full => None,
                None => return None,
            };
            self.header_checked = true;
            if first.is_some_and(|line| csv::header_columns(line).is_some()) {
                return Some(Shape::Csv);
            }
        }

        while let Some(end) = memchr(b'\n', &window[self.lines_scanned..]) {
            let line = &window[self.lines_scanned..self.lines_scanned + end];
            self.lines_scanned += end + 1;
            if msglines::classify(line, &mut self.scratch) == Kind::Message {
                return Some(Shape::MessageLines);
            }
        }
        if all {
            let last = &window[self.lines_scanned..];
            if msglines::classify(last, &mut self.scratch) == Kind::Message {
                return Some(Shape::MessageLines);
            }
        }
        full.then_some(Shape::Lines)
    }
}
