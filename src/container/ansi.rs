//! Terminal escape sequences taken out before the shape is sniffed: a terminal session
//! saved by `script` or a terminal's "save output", or `aws logs tail --color on`,
//! colours prompts, times and stream names with ANSI sequences (`ESC [ 32 m`, a window
//! title `ESC ] 0 ; … BEL`). Without them the text is the paste a user sees on the
//! screen; with them every coloured line would hold control bytes (a bad line), or the
//! input would read as binary. Only the sequences go: line breaks and every other byte
//! stay, so line numbers and a stray control byte (a bad line, as before) are unchanged.
//!
//! A sequence inside a value is not a colour: a record-like line that loses one between
//! two non-space bytes (`eni-␛]0;pwned␇`) is passed on as it was, so it is a bad line
//! with its escapes shown, never a record with a value cut short. Lines are held until
//! their end for that (at most [`super::MAX_LINE`] bytes; past that the line is too long
//! to be a record anyway and streams on).

use memchr::memchr;

const ESC: u8 = 0x1b;

/// Whether `window` holds a CSI (`ESC [`) or OSC (`ESC ]`) sequence.
pub(crate) fn detect(window: &[u8]) -> bool {
    let mut rest = window;
    while let Some(i) = memchr(ESC, rest) {
        if matches!(rest.get(i + 1), Some(b'[' | b']')) {
            return true;
        }
        rest = &rest[i + 1..];
    }
    false
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Text,
    /// After `ESC`.
    Esc,
    /// In a control sequence (`ESC [` parameters and intermediates, then a final byte).
    Csi,
    /// In an operating system command (`ESC ]` … `BEL` or `ESC \`).
    Osc,
    /// After `ESC` inside an OSC (`ESC \` ends it).
    OscEsc,
    /// `ESC (`, `ESC )`, `ESC #`…: one more byte belongs to the sequence.
    EscOne,
}

/// A push-style transform taking ANSI escape sequences out, across chunk boundaries.
#[derive(Debug)]
pub(crate) struct Unescape {
    at: At,
    out: Vec<u8>,
    /// The line being read, as it came (to pass on unchanged) and without its sequences.
    raw: Vec<u8>,
    clean: Vec<u8>,
    /// A sequence was taken out since the last text byte.
    pending: bool,
    /// The text byte before that sequence was not a space.
    before_nonspace: bool,
    /// A sequence of that run was not a colour (SGR, `ESC [ … m`) or a character set
    /// (`ESC ( B`): a title, a cursor move.
    run_not_colour: bool,
    /// A sequence was taken out between two non-space bytes of this line.
    inside_token: bool,
    /// This line outgrew [`super::MAX_LINE`]: it streams on without its sequences.
    streaming: bool,
}

impl Unescape {
    pub(crate) fn new() -> Unescape {
        Unescape {
            at: At::Text,
            out: Vec::new(),
            raw: Vec::new(),
            clean: Vec::new(),
            pending: false,
            before_nonspace: false,
            run_not_colour: false,
            inside_token: false,
            streaming: false,
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.out.capacity() + self.raw.capacity() + self.clean.capacity()
    }

    /// The line held so far is complete (or the input ended): its text goes out.
    fn end_line(&mut self) {
        // a sequence that is not a colour, right after a value at the end of the line
        if self.pending && self.run_not_colour && self.before_nonspace {
            self.inside_token = true;
        }
        if self.streaming {
            self.out.append(&mut self.clean);
        } else if self.inside_token && super::noise::looks_like_record(&self.clean) {
            self.out.append(&mut self.raw);
        } else {
            self.out.append(&mut self.clean);
        }
        self.raw.clear();
        self.clean.clear();
        self.pending = false;
        self.run_not_colour = false;
        self.inside_token = false;
        self.streaming = false;
    }

    /// A text byte of the line.
    fn text(&mut self, b: u8) {
        if std::mem::take(&mut self.pending) {
            let after_nonspace = !b.is_ascii_whitespace();
            // a colour wraps whole values (space or the line's end on one side); a
            // sequence between two non-space bytes, or any other sequence touching a
            // value, is inside that value
            if (self.before_nonspace && after_nonspace)
                || (self.run_not_colour && (self.before_nonspace || after_nonspace))
            {
                self.inside_token = true;
            }
        }
        self.clean.push(b);
    }

    /// A sequence begins (back to back with another, it is one run of them).
    fn sequence(&mut self) {
        if !self.pending {
            self.before_nonspace = self.clean.last().is_some_and(|p| !p.is_ascii_whitespace());
            self.run_not_colour = false;
            self.pending = true;
        }
    }

    /// The end of the input: the last line, if it has no line break.
    pub(crate) fn finish(&mut self) -> &[u8] {
        self.out.clear();
        self.end_line();
        self.at = At::Text;
        &self.out
    }

    /// `chunk` without its escape sequences, line by line (see the module
    /// documentation). A line break always ends a sequence and is kept (a sequence cut off
    /// by one is dropped up to it).
    pub(crate) fn transform(&mut self, chunk: &[u8]) -> &[u8] {
        self.out.clear();
        for &b in chunk {
            if !self.streaming {
                self.raw.push(b);
            }
            if b == b'\n' {
                self.at = At::Text;
                self.clean.push(b);
                self.end_line();
                continue;
            }
            let (next, text) = match (self.at, b) {
                (At::Text, ESC) => {
                    self.sequence();
                    (At::Esc, false)
                }
                (At::Text, _) => (At::Text, true),
                (At::Esc, b'[') => (At::Csi, false),
                (At::Esc, b']') => (At::Osc, false),
                (At::Esc, b'(' | b')' | b'*' | b'+' | b'#' | b'%') => (At::EscOne, false),
                (At::Esc, ESC) => (At::Esc, false),
                // a two-byte sequence (`ESC 7`, `ESC =`, `ESC M`…)
                (At::Esc, 0x20..=0x7e) => (At::Text, false),
                // an `ESC` before anything else: only the `ESC` goes
                (At::Esc, _) => (At::Text, true),
                (At::Csi, 0x20..=0x3f) => (At::Csi, false),
                (At::Csi, _) => (At::Text, false),
                (At::Osc, 0x07) => (At::Text, false),
                (At::Osc, ESC) => (At::OscEsc, false),
                (At::Osc, _) => (At::Osc, false),
                (At::OscEsc, b'\\') => (At::Text, false),
                (At::OscEsc, _) => (At::Osc, false),
                (At::EscOne, _) => (At::Text, false),
            };
            // a sequence ended here: presentation only if it was a colour (`ESC [ … m`)
            // or a character set (`ESC ( B`, which `tput sgr0` writes beside the colour)
            let presentation = (self.at == At::Csi && b == b'm') || self.at == At::EscOne;
            if self.at != At::Text && next == At::Text && !presentation {
                self.run_not_colour = true;
            }
            self.at = next;
            if text {
                self.text(b);
            }
            if !self.streaming && self.raw.len() > super::MAX_LINE {
                self.streaming = true;
                self.raw.clear();
                self.out.append(&mut self.clean);
            } else if self.streaming {
                self.out.append(&mut self.clean);
            }
        }
        &self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unescape_in(text: &[u8], chunk: usize) -> Vec<u8> {
        let mut u = Unescape::new();
        let mut out = Vec::new();
        for c in text.chunks(chunk.max(1)) {
            out.extend_from_slice(u.transform(c));
        }
        out.extend_from_slice(u.finish());
        out
    }

    #[test]
    fn sequences_come_out_in_any_chunking() {
        let text =
            b"\x1b]0;user@host: ~\x07\x1b[01;32muser@host\x1b[00m:\x1b[01;34m~\x1b[00m$ ls\r\n\
\x1b[32m2026-12-01T10:00:00.250000+00:00\x1b[0m \x1b[36meni-1-all\x1b[0m 2 123 OK\n\
\x1b(B\x1b[m\x1b=plain \x1b]2;title\x1b\\done\n\x1b[3\ncut\n\x1b\x01x\n";
        let want: &[u8] =
            b"user@host:~$ ls\r\n2026-12-01T10:00:00.250000+00:00 eni-1-all 2 123 OK\n\
plain done\n\ncut\n\x01x\n";
        for chunk in 1..=text.len() {
            assert_eq!(
                String::from_utf8_lossy(&unescape_in(text, chunk)),
                String::from_utf8_lossy(want),
                "{chunk}"
            );
        }
    }

    #[test]
    fn a_sequence_inside_a_record_value_leaves_the_line_as_it_was() {
        let rec = "2 123456789010 eni-\u{1b}]0;pwned\u{7} 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n";
        for chunk in [1, 7, 4096] {
            assert_eq!(unescape_in(rec.as_bytes(), chunk), rec.as_bytes());
        }
        // a prompt coloured inside its text is not a record: it loses its colours
        let prompt = "\u{1b}[01;32muser@host\u{1b}[00m:\u{1b}[01;34m~\u{1b}[00m$ ls\n";
        assert_eq!(unescape_in(prompt.as_bytes(), 3), b"user@host:~$ ls\n");
        // a coloured record, its colours around whole values, loses them
        let coloured = "\u{1b}[32m2 123456789010\u{1b}[0m eni-1 \u{1b}[1mACCEPT\u{1b}[0m OK";
        assert_eq!(
            unescape_in(coloured.as_bytes(), 2),
            b"2 123456789010 eni-1 ACCEPT OK"
        );
    }

    #[test]
    fn only_csi_or_osc_sequences_are_detected() {
        assert!(detect(b"a\x1b[0mb"));
        assert!(detect(b"\x1b]0;t\x07"));
        assert!(!detect(b"plain\n"));
        assert!(!detect(b"a\x1bb"));
        assert!(!detect(b"a\x1b"));
    }
}
