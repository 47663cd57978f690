//! UTF-16 text, transcoded to UTF-8 before its shape is sniffed.
//!
//! Windows PowerShell 5.1 writes UTF-16 (little-endian, with a byte-order mark) for `>`
//! and `Out-File`, so `aws logs get-log-events … > events.json` there gives a file in
//! which every other byte is NUL; Notepad's "Unicode" and some editors do the same. Such
//! a file is text, not binary: it is read as the UTF-8 it transcodes to, so every shape
//! (JSON, CSV, pasted lines) works as it does for UTF-8, with the same line numbers.
//!
//! Recognised by its byte-order mark (`FF FE` little-endian, `FE FF` big-endian), or
//! without one when each of the first 32 code units is a printable ASCII character,
//! tab or line break with a NUL high byte (which no UTF-8 text has). Transcoding is
//! exact; an unpaired surrogate or a byte cut off at the end becomes U+FFFD, so the
//! line holding it is a bad line rather than a changed value.

/// The byte order of UTF-16 input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Little,
    Big,
}

/// What the first bytes of an input say about UTF-16.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Utf16(Order),
    Not,
    /// Too few bytes yet to tell.
    Undecided,
}

/// Code units looked at when there is no byte-order mark.
const PROBE_UNITS: usize = 32;

/// Whether input starting with `first` is UTF-16; `at_end`: `first` is all of it.
pub(crate) fn detect(first: &[u8], at_end: bool) -> Verdict {
    match first {
        [0xff, 0xfe, ..] => return Verdict::Utf16(Order::Little),
        [0xfe, 0xff, ..] => return Verdict::Utf16(Order::Big),
        [0xff] | [0xfe] if !at_end => return Verdict::Undecided,
        _ => {}
    }
    let units = first.len() / 2;
    let probe = &first[..units.min(PROBE_UNITS) * 2];
    let text = |b: u8| matches!(b, 0x20..=0x7e | b'\t' | b'\n' | b'\r');
    let order = if probe.chunks_exact(2).all(|u| text(u[0]) && u[1] == 0) {
        Order::Little
    } else if probe.chunks_exact(2).all(|u| u[0] == 0 && text(u[1])) {
        Order::Big
    } else {
        // a unit that fits neither: UTF-8 text (or binary) is told at its first bytes
        return Verdict::Not;
    };
    if units >= PROBE_UNITS || (at_end && units >= 2) {
        Verdict::Utf16(order)
    } else if at_end {
        Verdict::Not
    } else {
        Verdict::Undecided
    }
}

/// A push-style UTF-16 to UTF-8 transcoder: chunks may end anywhere, inside a code unit
/// or between the halves of a surrogate pair.
#[derive(Debug)]
pub(crate) struct Utf16 {
    order: Order,
    /// The first byte of a code unit cut by the end of a chunk.
    cut: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    out: Vec<u8>,
}

impl Utf16 {
    pub(crate) fn new(order: Order) -> Utf16 {
        Utf16 {
            order,
            cut: None,
            high: None,
            out: Vec::new(),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.out.capacity()
    }

    /// The UTF-8 of `chunk` (what it completes of the chunk before included).
    pub(crate) fn transcode(&mut self, chunk: &[u8]) -> &[u8] {
        self.out.clear();
        self.out.reserve(chunk.len() / 2 + 4);
        let mut rest = chunk;
        if let (Some(first), Some((&second, tail))) = (self.cut, rest.split_first()) {
            self.cut = None;
            self.unit([first, second]);
            rest = tail;
        }
        // ASCII (nearly all of a flow log) in runs; anything else unit by unit
        let ascii = match self.order {
            Order::Little => |u: &[u8]| u[1] == 0 && u[0] < 0x80,
            Order::Big => |u: &[u8]| u[0] == 0 && u[1] < 0x80,
        };
        let byte = usize::from(self.order == Order::Big);
        let whole = rest.len() & !1;
        let mut i = 0;
        while i < whole {
            if self.high.is_none() {
                let start = i;
                while i < whole && ascii(&rest[i..i + 2]) {
                    i += 2;
                }
                let run = &rest[start..i];
                self.out.extend(run.chunks_exact(2).map(|u| u[byte]));
                if i == whole {
                    break;
                }
            }
            self.unit([rest[i], rest[i + 1]]);
            i += 2;
        }
        if whole < rest.len() {
            self.cut = Some(rest[whole]);
        }
        &self.out
    }

    /// The end of the input: a surrogate or byte left over is U+FFFD.
    pub(crate) fn finish(&mut self) -> &[u8] {
        self.out.clear();
        if self.high.take().is_some() {
            self.push_char(char::REPLACEMENT_CHARACTER);
        }
        if self.cut.take().is_some() {
            self.push_char(char::REPLACEMENT_CHARACTER);
        }
        &self.out
    }

    fn unit(&mut self, bytes: [u8; 2]) {
        let u = match self.order {
            Order::Little => u16::from_le_bytes(bytes),
            Order::Big => u16::from_be_bytes(bytes),
        };
        if u < 0x80 && self.high.is_none() {
            self.out.push(u as u8);
            return;
        }
        let high = self.high.take();
        match (high, u) {
            (Some(h), 0xdc00..=0xdfff) => {
                let c = 0x10000 + ((u32::from(h) - 0xd800) << 10) + (u32::from(u) - 0xdc00);
                self.push_char(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            _ => {
                if high.is_some() {
                    self.push_char(char::REPLACEMENT_CHARACTER);
                }
                match u {
                    0xd800..=0xdbff => self.high = Some(u),
                    0xdc00..=0xdfff => self.push_char(char::REPLACEMENT_CHARACTER),
                    _ => self.push_char(
                        char::from_u32(u32::from(u)).unwrap_or(char::REPLACEMENT_CHARACTER),
                    ),
                }
            }
        }
    }

    fn push_char(&mut self, c: char) {
        let mut buf = [0; 4];
        self.out
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, order: Order, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some(0xfeff).into_iter().chain(text.encode_utf16());
        for u in units {
            out.extend_from_slice(&match order {
                Order::Little => u.to_le_bytes(),
                Order::Big => u.to_be_bytes(),
            });
        }
        out
    }

    fn transcode_in(bytes: &[u8], order: Order, chunk: usize) -> Vec<u8> {
        let mut t = Utf16::new(order);
        let mut out = Vec::new();
        for c in bytes.chunks(chunk.max(1)) {
            out.extend_from_slice(t.transcode(c));
        }
        out.extend_from_slice(t.finish());
        out
    }

    #[test]
    fn every_chunking_gives_the_text() {
        let text = "2 123456789010 eni-1 10.0.0.1 ACCEPT OK\r\n“quoted” 𝄞 café €\n";
        for order in [Order::Little, Order::Big] {
            let bytes = encode(text, order, false);
            for chunk in 1..=bytes.len() {
                assert_eq!(
                    transcode_in(&bytes, order, chunk),
                    text.as_bytes(),
                    "{order:?} {chunk}"
                );
            }
        }
    }

    #[test]
    fn broken_units_become_replacement_characters() {
        // a lone low surrogate, a high surrogate before an ASCII unit, a cut-off byte
        let bytes = [0x00, 0xdc, b'a', 0x00, 0x3d, 0xd8, b'b', 0x00, b'c'];
        let got = transcode_in(&bytes, Order::Little, 1);
        assert_eq!(
            String::from_utf8(got).unwrap(),
            "\u{fffd}a\u{fffd}b\u{fffd}"
        );
        // a high surrogate at the very end
        let got = transcode_in(&[b'x', 0x00, 0x3d, 0xd8], Order::Little, 3);
        assert_eq!(String::from_utf8(got).unwrap(), "x\u{fffd}");
    }

    #[test]
    fn detection_needs_a_mark_or_a_run_of_ascii_units() {
        let line = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 ACCEPT OK\n";
        assert_eq!(
            detect(&encode(line, Order::Little, true), false),
            Verdict::Utf16(Order::Little)
        );
        assert_eq!(
            detect(&encode(line, Order::Big, true), false),
            Verdict::Utf16(Order::Big)
        );
        assert_eq!(
            detect(&encode(line, Order::Little, false), false),
            Verdict::Utf16(Order::Little)
        );
        assert_eq!(
            detect(&encode(line, Order::Big, false), false),
            Verdict::Utf16(Order::Big)
        );
        assert_eq!(
            detect(&encode("ab", Order::Little, false), false),
            Verdict::Undecided
        );
        assert_eq!(
            detect(&encode("ab", Order::Little, false), true),
            Verdict::Utf16(Order::Little)
        );
        assert_eq!(detect(line.as_bytes(), false), Verdict::Not);
        assert_eq!(detect(b"\xef\xbb\xbf2 1234", true), Verdict::Not);
        assert_eq!(detect(&[0xff], false), Verdict::Undecided);
        assert_eq!(detect(&[0xff], true), Verdict::Not);
        assert_eq!(detect(b"", true), Verdict::Not);
        // binary with NULs in other places is not UTF-16
        let mut junk = encode(line, Order::Little, false);
        junk[10] = 0x01;
        assert_eq!(detect(&junk, false), Verdict::Not);
        // non-ASCII text early on needs the mark (it is then still read)
        assert_eq!(
            detect(&encode("“2 123…”", Order::Little, false), true),
            Verdict::Not
        );
    }
}
