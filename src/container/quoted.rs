//! Input quoted as a whole: every line of an e-mail reply's quote or a Markdown
//! blockquote starts with `> ` (or `>> `, `> > `). The markers are taken off line by line
//! before the shape is sniffed, so a quoted `aws logs` JSON document, a quoted CSV or a
//! quoted table reads as the text that was quoted, with the same line numbers. (Pasted
//! text where only some lines are quoted is unquoted line by line by the paste decoder,
//! [`super::paste::unquoted`].)

use memchr::memchr;

/// What the first lines say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Quoted,
    Not,
    Undecided,
}

/// Whether a line starts, after spaces, with a quote marker.
fn is_quoted(line: &[u8]) -> bool {
    line.iter().find(|b| **b != b' ') == Some(&b'>')
}

/// Looks at the complete lines of `buf` from `*scanned` on (kept between calls, so the
/// buffer is read once): `Not` at the first line that is neither blank nor quoted;
/// `Quoted` when `decide` (the sniff window is full, or the input ended) and a quoted
/// line was seen with no other; else `Undecided`. `seen`: a quoted line was met.
pub(crate) fn detect(
    buf: &[u8],
    scanned: &mut usize,
    seen: &mut bool,
    decide: bool,
    at_end: bool,
) -> Verdict {
    loop {
        let rest = &buf[*scanned..];
        let (line, next) = match memchr(b'\n', rest) {
            Some(i) => (&rest[..i], *scanned + i + 1),
            None if at_end && !rest.is_empty() => (rest, buf.len()),
            None => break,
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if is_quoted(line) {
            *seen = true;
        } else if !line.trim_ascii().is_empty() {
            return Verdict::Not;
        }
        *scanned = next;
        if next == buf.len() {
            break;
        }
    }
    match (decide || at_end, *seen) {
        (true, true) => Verdict::Quoted,
        (true, false) => Verdict::Not,
        (false, _) => Verdict::Undecided,
    }
}

/// Where a line is, for taking its markers off across chunk boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    /// At the start of a line; this many spaces held (dropped if a marker follows).
    Start(usize),
    /// Right after a `>`: one space may follow and is dropped.
    Marker,
    /// After the markers (and their space): another `>` is another marker.
    AfterMarker,
    /// In the text of the line.
    Text,
}

/// A push-style transform taking the quote markers off every line.
#[derive(Debug)]
pub(crate) struct Unquote {
    at: At,
    out: Vec<u8>,
}

impl Unquote {
    pub(crate) fn new() -> Unquote {
        Unquote {
            at: At::Start(0),
            out: Vec::new(),
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.out.capacity()
    }

    /// `chunk` without its lines' markers.
    pub(crate) fn transform(&mut self, chunk: &[u8]) -> &[u8] {
        self.out.clear();
        self.out.reserve(chunk.len());
        let mut i = 0;
        while i < chunk.len() {
            let b = chunk[i];
            match self.at {
                At::Text => {
                    // copy the rest of the line at once
                    let end = memchr(b'\n', &chunk[i..]).map_or(chunk.len(), |n| i + n + 1);
                    self.out.extend_from_slice(&chunk[i..end]);
                    if chunk[end - 1] == b'\n' {
                        self.at = At::Start(0);
                    }
                    i = end;
                    continue;
                }
                At::Start(spaces) if b == b' ' => self.at = At::Start(spaces + 1),
                At::Start(_) | At::AfterMarker if b == b'>' => self.at = At::Marker,
                At::Marker if b == b' ' => self.at = At::AfterMarker,
                At::Marker if b == b'>' => self.at = At::Marker,
                At::Start(spaces) => {
                    self.out.extend(std::iter::repeat_n(b' ', spaces));
                    self.at = At::Text;
                    continue;
                }
                At::Marker | At::AfterMarker => {
                    self.at = At::Text;
                    continue;
                }
            }
            i += 1;
        }
        &self.out
    }

    /// The end of the input: spaces held at the start of an unfinished line.
    pub(crate) fn finish(&mut self) -> &[u8] {
        self.out.clear();
        if let At::Start(spaces) = self.at {
            self.out.extend(std::iter::repeat_n(b' ', spaces));
        }
        self.at = At::Start(0);
        &self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unquote_in(text: &str, chunk: usize) -> String {
        let mut u = Unquote::new();
        let mut out = Vec::new();
        for c in text.as_bytes().chunks(chunk.max(1)) {
            out.extend_from_slice(u.transform(c));
        }
        out.extend_from_slice(u.finish());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn markers_come_off_in_any_chunking() {
        let text = "> {\n>   \"events\": [\n>> a > b\n> > c\n>\n  > d\n>x\nplain > kept\n   \n> ";
        let want = "{\n  \"events\": [\na > b\nc\n\nd\nx\nplain > kept\n   \n";
        for chunk in 1..=text.len() {
            assert_eq!(unquote_in(text, chunk), want, "{chunk}");
        }
    }

    #[test]
    fn only_input_quoted_throughout_is_quoted() {
        let check = |text: &str, decide: bool, at_end: bool| {
            let (mut scanned, mut seen) = (0, false);
            detect(text.as_bytes(), &mut scanned, &mut seen, decide, at_end)
        };
        assert_eq!(check("> a\n\n> b\n", true, false), Verdict::Quoted);
        assert_eq!(check("> a\n\n> b\n", false, false), Verdict::Undecided);
        assert_eq!(check("> a\n> b", false, true), Verdict::Quoted);
        assert_eq!(check("> a\nb\n", false, false), Verdict::Not);
        assert_eq!(check("a\n", false, false), Verdict::Not);
        assert_eq!(check("\n\n", true, true), Verdict::Not);
        assert_eq!(check("> a", false, false), Verdict::Undecided);
        // scanning goes on from where it stopped
        let (mut scanned, mut seen) = (0, false);
        let buf = b"> a\n> b\nc\n";
        assert_eq!(
            detect(&buf[..6], &mut scanned, &mut seen, false, false),
            Verdict::Undecided
        );
        assert_eq!(scanned, 4);
        assert_eq!(
            detect(buf, &mut scanned, &mut seen, false, false),
            Verdict::Not
        );
    }
}
