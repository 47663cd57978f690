//! Shape detection from the first (decompressed) bytes, never the file name.
//!
//! The first 64 KiB (or everything, if shorter) decide, by evidence:
//! 1. binary input (`PAR1` Parquet, known magic bytes, NUL or control bytes) gets one
//!    clear message instead of a bad line per "line";
//! 2. a first non-whitespace `{` or `[` is JSON only when a trial decode of the window
//!    yields an event (or at least no error) before its first error: a shell prompt
//!    `[user@host dir]$ …` is not a JSON document, so detection falls back;
//! 3. a first line that is a CSV header with a `message`/`@message` cell → CSV;
//! 4. every line is classified as the paste shapes see it (`paste::kind`): when any
//!    needs unwrapping — `"message":` lines, `EVENTS` rows, YAML `message:` keys,
//!    tab-joined messages, `grep -H` prefixes, fences, prompts — the paste decoder is
//!    chosen, named after the kind that yields the most records;
//! 5. otherwise plain lines (the fast path; prose among them is judged by the decoder).
//!
//! Only bytes inside the 64 KiB window are looked at, so the answer does not depend on
//! how the input was chunked.

use memchr::memchr;

use super::csv;
use super::json::Json;
use super::noise::looks_like_record;
use super::paste::{self, LineKind};
use super::{Binary, Shape, Sink};

/// How much input may be buffered to decide the shape.
pub(crate) const SNIFF_LIMIT: usize = 64 * 1024;
pub(crate) const BOM: &[u8] = b"\xef\xbb\xbf";

/// Buffers the start of the input until its shape is known.
#[derive(Debug, Default)]
pub(crate) struct Sniffer {
    buf: Vec<u8>,
    /// Length of a UTF-8 BOM at the start, once known.
    bom: Option<usize>,
    /// The input was found not to be UTF-16 ([`super::utf16::detect`]).
    not_utf16: bool,
    /// The input was found not to be quoted as a whole ([`super::quoted::detect`]).
    not_quoted: bool,
    /// The input was found to hold no terminal escape sequence ([`super::ansi::detect`]).
    not_ansi: bool,
    /// How far the quote test has read, and whether it met a quoted line.
    quote_scanned: usize,
    quote_seen: bool,
    scratch: Vec<u8>,
}

/// Counts what a trial decode yields.
#[derive(Default)]
struct Trial {
    messages: usize,
    skips: usize,
    /// An error came before any event.
    failed_first: bool,
}

impl Sink for Trial {
    fn message(&mut self, _: super::Message<'_>) {
        self.messages += 1;
    }
    fn skipped(&mut self, _: u64, _: super::Skip) {
        self.skips += 1;
    }
    fn error(&mut self, _: u64, _: &[u8], _: crate::line_error::LineError) {
        if self.messages == 0 && self.skips == 0 {
            self.failed_first = true;
        }
    }
}

/// Binary input recognised from its first bytes.
pub(crate) fn binary(window: &[u8]) -> Option<Binary> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "a zip archive"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"BZh", "a bzip2 file"),
        (b"\xfd7zXZ\x00", "an xz file"),
        (b"\x28\xb5\x2f\xfd", "a zstd file"),
        (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
        (b"ORC", "an ORC file"),
        (b"Obj\x01", "an Avro file"),
    ];
    if window.starts_with(b"PAR1") {
        return Some(Binary::Parquet);
    }
    if let Some((_, name)) = MAGIC.iter().find(|(m, _)| window.starts_with(m)) {
        return Some(Binary::Known(name));
    }
    // Text with a few stray bytes (a damaged line) is still text: binary is when more
    // than 1% of the bytes are control bytes, or most are not UTF-8. Input whose first
    // line is clean text is text whatever follows (damage later in a file, such as a run
    // of NUL bytes, is bad lines, each reported with its line number).
    if let Some(n) = memchr(b'\n', window) {
        let first = &window[..n];
        let clean = first
            .iter()
            .all(|b| *b >= 0x20 || matches!(b, b'\t' | b'\r'));
        if n > 0 && clean && std::str::from_utf8(first).is_ok() {
            return None;
        }
    }
    let control = window
        .iter()
        .filter(|b| **b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | b'\x0c'))
        .count();
    let high = window.iter().filter(|b| **b >= 0x80).count();
    let invalid_utf8 = matches!(std::str::from_utf8(window), Err(e) if e.error_len().is_some());
    ((control >= 8 && control * 100 > window.len())
        || (high * 10 > window.len() * 3 && invalid_utf8))
        .then_some(Binary::Other)
}

impl Sniffer {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Bytes buffered while the shape is undecided.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.buf.capacity() + self.scratch.capacity()
    }

    /// A sniffer for the output of a transform, which is not applied again (a line an
    /// [`super::ansi::Unescape`] leaves as it was still holds its escapes).
    pub(crate) fn after(layer: Layer) -> Self {
        Sniffer {
            not_quoted: layer == Layer::Quoted,
            not_ansi: layer == Layer::Ansi,
            ..Self::default()
        }
    }

    /// Buffers `chunk` (then [`Sniffer::utf16`] and [`Sniffer::decide`]).
    pub(crate) fn buffer(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
    }

    /// Whether the input buffered is UTF-16 (`at_end`: it is all the input), decided
    /// once, before the shape (UTF-16 is full of NUL bytes, which would read as binary).
    pub(crate) fn utf16(&mut self, at_end: bool) -> super::utf16::Verdict {
        use super::utf16::{detect, Verdict};
        if self.not_utf16 {
            return Verdict::Not;
        }
        let v = detect(&self.buf, at_end);
        self.not_utf16 = v == Verdict::Not;
        v
    }

    /// The transform the input needs before its shape is sniffed, UTF-16 decided first:
    /// `Undecided` while too little is buffered to tell (`at_end`: it is all the input).
    pub(crate) fn layer(&mut self, at_end: bool) -> Layer {
        use super::quoted::{detect, Verdict as Q};
        use super::utf16::Verdict as U;
        match self.utf16(at_end) {
            U::Utf16(order) => return Layer::Utf16(order),
            U::Undecided => return Layer::Undecided,
            U::Not => {}
        }
        if self.not_quoted && self.not_ansi {
            return Layer::None;
        }
        let bom = if self.buf.starts_with(BOM) {
            BOM.len()
        } else {
            0
        };
        let text = &self.buf[bom..];
        let full = text.len() >= SNIFF_LIMIT;
        let window = &text[..text.len().min(SNIFF_LIMIT)];
        let at_end = at_end && text.len() <= SNIFF_LIMIT;
        if !self.not_quoted {
            let (scanned, seen) = (&mut self.quote_scanned, &mut self.quote_seen);
            match detect(window, scanned, seen, full, at_end) {
                Q::Quoted => return Layer::Quoted,
                Q::Undecided => return Layer::Undecided,
                Q::Not => self.not_quoted = true,
            }
        }
        if self.not_ansi {
            return Layer::None;
        }
        // the shape is decided on a full window (or the whole input) anyway: so is this
        if !(full || at_end) {
            return Layer::Undecided;
        }
        if super::ansi::detect(window) {
            return Layer::Ansi;
        }
        self.not_ansi = true;
        Layer::None
    }

    /// Tries to decide the shape from what is buffered.
    pub(crate) fn decide(&mut self) -> Option<Shape> {
        self.detect(false)
    }

    /// Everything buffered, the BOM included (for a transcoder to replay).
    pub(crate) fn into_buffered(self) -> Vec<u8> {
        self.buf
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
        // The whole input fits in the window, so its last line counts even unterminated.
        let all = at_end && body.len() <= SNIFF_LIMIT;
        let full = at_end || body.len() >= SNIFF_LIMIT;
        if !full {
            return None;
        }
        let window = &body[..body.len().min(SNIFF_LIMIT)];
        if let Some(b) = binary(window) {
            return Some(Shape::Binary(b));
        }
        let Some(lead) = window.iter().position(|b| !b.is_ascii_whitespace()) else {
            return Some(Shape::Lines);
        };
        // `[10:31 AM] {…}` (a chat's copy of JSON lines) is not one document: `10:31`
        // is no JSON value.
        let chat_stamped = super::decor::chat_stamp_before_json(&window[lead..]).is_some();
        if starts_json(&window[lead..]) && !chat_stamped {
            let mut trial = Trial::default();
            Json::new().push(window, &mut trial);
            // A document that fails before its first event is JSON only if reading the
            // window as a paste would yield no more records.
            if !trial.failed_first
                || trial.messages >= paste_records(window, all, &mut self.scratch)
            {
                return Some(Shape::Json);
            }
        }
        let first = match memchr(b'\n', window) {
            Some(end) => Some(&window[..end]),
            None if all => Some(window),
            None => None,
        };
        if first.is_some_and(|line| csv::header_columns(line).is_some()) {
            return Some(Shape::Csv);
        }
        if first.is_some_and(csv::tsv_header) && tsv_rows_fit(window, all) {
            return Some(Shape::Tsv);
        }
        Some(tally(window, all, &mut self.scratch))
    }
}

/// Whether the lines under a tab-separated header each have exactly its cells, tab for
/// tab (a spreadsheet's copy, where `⇥⇥` is an empty cell). Lines of runs of tabs or of
/// spaces (a plain file whose header happens to use tabs) do not: the file is then read
/// as plain lines, runs of spaces or tabs separating values, as before. `all`: the
/// window is the whole input, so its last line counts even unterminated.
fn tsv_rows_fit(window: &[u8], all: bool) -> bool {
    let mut lines = window.split(|b| *b == b'\n');
    let Some(header) = lines.next() else {
        return false;
    };
    let width = tab_cells(header);
    let mut rest: Vec<&[u8]> = lines.collect();
    if !all {
        rest.pop(); // cut off by the window
    }
    let mut rows = rest
        .iter()
        .filter(|l| !l.trim_ascii().is_empty())
        .peekable();
    rows.peek().is_some() && rows.all(|l| tab_cells(l) == width)
}

/// The cells of a line split at every tab (its `\r` left out).
fn tab_cells(line: &[u8]) -> usize {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    memchr::memchr_iter(b'\t', line).count() + 1
}

/// A transform the input needs before its shape can be sniffed ([`Sniffer::layer`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layer {
    Undecided,
    None,
    Utf16(super::utf16::Order),
    Quoted,
    /// Terminal escape sequences ([`super::ansi`]).
    Ansi,
}

/// Whether text starts like a JSON document: `{` then a key or `}`, `[` then a value or `]`.
fn starts_json(s: &[u8]) -> bool {
    let next = s[1..].iter().find(|b| !b.is_ascii_whitespace());
    match (s[0], next) {
        (b'{' | b'[', None) => true,
        (b'{', Some(b)) => matches!(b, b'"' | b'}'),
        (b'[', Some(b)) => {
            matches!(b, b'{' | b'[' | b']' | b'"' | b'-' | b't' | b'f' | b'n') || b.is_ascii_digit()
        }
        _ => false,
    }
}

/// How many records the paste decoder would find in the window besides those of lines
/// of JSON, which the JSON trial has counted too (the paste decoder reads such a line as
/// JSON: `jsonline.rs`).
fn paste_records(window: &[u8], all: bool, scratch: &mut Vec<u8>) -> usize {
    let mut n = 0;
    for_lines(window, all, |line| {
        if super::jsonline::may_hold_records(line.trim_ascii()) {
            return;
        }
        n += match paste::kind(line, scratch) {
            LineKind::Blank | LineKind::Noise => 0,
            LineKind::Plain => looks_like_record(line) as usize,
            _ => 1,
        }
    });
    n
}

/// Calls `f` with every line of the window (its last one only when it is all input).
fn for_lines<'w>(window: &'w [u8], all: bool, mut f: impl FnMut(&'w [u8])) {
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', window) {
        let line = &window[start..end];
        f(line.strip_suffix(b"\r").unwrap_or(line));
        start = end + 1;
    }
    if all && start < window.len() {
        f(&window[start..]);
    }
}

/// Classifies every line of the window as the paste decoder would and names the shape.
fn tally(window: &[u8], all: bool, scratch: &mut Vec<u8>) -> Shape {
    {
        let mut n = [0usize; LineKind::Plain as usize + 1];
        // Records wrapped over two lines (see `paste::wrapped_pair`) need the paste
        // decoder to rejoin them.
        let (mut wrapped, mut header, mut prev): (usize, Option<usize>, Option<&[u8]>) =
            (0, None, None);
        let mut joined = Vec::new();
        // a tab-separated header with a row of as many cells under it (a spreadsheet's
        // copy among other lines) needs the paste decoder's TSV block
        let (mut tsv_width, mut tsv_blocks) = (None, 0);
        for_lines(window, all, |line| {
            if tsv_width.take().is_some_and(|w| w == tab_cells(line)) {
                tsv_blocks += 1;
            }
            if csv::tsv_header(line) {
                tsv_width = Some(tab_cells(line));
            }
            let kind = paste::kind(line, scratch);
            n[kind as usize] += 1;
            let record = kind == LineKind::Plain && looks_like_record(line);
            if record {
                if let Some(h) = crate::binding::header(line) {
                    header = Some(h.fields.len());
                } else if let Some(a) = prev.take() {
                    if paste::wrapped_pair(a, line, header, &mut joined) {
                        wrapped += 1;
                        return;
                    }
                }
            }
            prev = record.then_some(line);
        });
        let count = |k: LineKind| n[k as usize];
        let named = [
            (count(LineKind::JsonMessage), Shape::MessageLines),
            (
                count(LineKind::TextEvent) + count(LineKind::Tabbed),
                Shape::AwsText,
            ),
            (count(LineKind::YamlMessage), Shape::Yaml),
            (
                count(LineKind::Grep)
                    + count(LineKind::Decorated)
                    + count(LineKind::Timed)
                    + wrapped
                    + tsv_blocks,
                Shape::Paste,
            ),
        ];
        match named.iter().filter(|(c, _)| *c > 0).max_by_key(|(c, _)| *c) {
            Some((_, shape)) => *shape,
            None if count(LineKind::Noise) > 0 => Shape::Paste,
            None => Shape::Lines,
        }
    }
}
