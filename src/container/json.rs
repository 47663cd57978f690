//! The JSON shape: a push-style streaming tokenizer over any number of top-level
//! documents (with or without whitespace between them, as Firehose writes `}{`), and the
//! small amount of meaning needed to find CloudWatch messages in them.
//!
//! Meaning, kept deliberately general so every `aws logs` output shape fits one rule:
//! - an object with a string `message` key (or `@message`: a Logs Insights result the
//!   console exports as JSON, with `@timestamp` and `@logStream`) is an event: it is emitted when the object
//!   closes, with its `timestamp`, its `logStreamName`, else the document's `logStream`;
//!   events of a document whose `messageType` is `CONTROL_MESSAGE` are skipped;
//! - an object with `"field": "@message"` and a string `value` is a Logs Insights cell;
//!   sibling cells of the same row (`@timestamp`, `@logStream`) complete it and it is
//!   emitted when the row closes;
//! - a string directly in a top-level array is a message: `aws logs get-log-events
//!   --query 'events[*].message'` (JSON output) and `jq '[.events[].message]'` print that;
//! - a flat object with no message whose keys are mostly flow log field names (a Logs
//!   Insights `fields @timestamp, srcAddr, …` result exported as JSON), or an Insights
//!   row of such `field`/`value` cells (`aws logs get-query-results`), is a record given
//!   field by field: its names go to the decoder as a header line (whenever they change)
//!   and its values as the record line, `null` or `""` as `-`.
//!
//! Memory is bounded by the longest string plus the nesting depth (capped). After a
//! syntax error the tokenizer reports it and skips to the next `{`/`[` at the start of a
//! line, or to a `{` right after a `}`, and starts a new document there.

use super::fieldrow;
use super::jstr::{plain_run, StrLexer, StrStep};
use super::time;
use super::{overlong_reason, Message, Sink, Skip, MAX_LINE};
use crate::line_error::LineError;

/// Deeper nesting than this is treated as an error, to bound memory on hostile input.
const MAX_DEPTH: usize = 256;
/// Number tokens longer than this cannot be timestamps.
const MAX_TIMESTAMP_NUMBER: usize = 40;
/// Digits kept of a longer number token (its validity is still checked byte by byte).
const MAX_NUMBER_KEPT: usize = 64;
/// How many bytes of an over-long string are kept for its error.
const LONG_HEAD: usize = 160;

/// The keys that carry meaning; every other key is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Key {
    #[default]
    Other,
    Message,
    Timestamp,
    LogStreamName,
    LogStream,
    MessageType,
    Field,
    Value,
    /// Any other key of an object that may still be a field row: its value is kept.
    Cell,
}

impl Key {
    fn classify(name: &[u8]) -> Key {
        match name {
            // `@message` … : a Logs Insights result exported from the console as JSON.
            b"message" | b"@message" => Key::Message,
            b"timestamp" | b"@timestamp" => Key::Timestamp,
            b"logStreamName" => Key::LogStreamName,
            b"logStream" | b"@logStream" => Key::LogStream,
            b"messageType" => Key::MessageType,
            b"field" => Key::Field,
            b"value" => Key::Value,
            _ => Key::Other,
        }
    }

    /// Whether a string value under this key must be kept.
    fn keeps_string(self) -> bool {
        self != Key::Other
    }
}

/// Most cells a field row may have (the catalogue has fewer than 100 fields).
const MAX_CELLS: usize = 96;
/// Longest key kept as a field row's column name.
const MAX_CELL_NAME: usize = 64;

/// What a Logs Insights cell's `field` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Field {
    #[default]
    None,
    Message,
    Timestamp,
    Stream,
    /// Another name (kept in the frame's `name`): a field row's column.
    Other,
}

/// The cells of an object (or Insights row) that may be a record given field by field:
/// `name\0value\0` pairs, in order. Reused across objects, so it does not allocate.
#[derive(Debug, Default)]
struct Cells {
    text: Vec<u8>,
    count: usize,
    /// False once the object holds something no field row does (a nested container, a
    /// boolean, too many or too long cells).
    flat: bool,
}

impl Cells {
    fn reset(&mut self) {
        self.text.clear();
        self.count = 0;
        self.flat = true;
    }

    /// Not a field row after all: what was kept is given back.
    fn spoil(&mut self) {
        self.flat = false;
        self.text.clear();
    }

    fn name(&mut self, name: &[u8]) -> bool {
        // An empty or spaced name would put the values and names out of step.
        let odd = name.is_empty() || name.iter().any(|b| b.is_ascii_whitespace() || *b == 0);
        if !self.flat || self.count == MAX_CELLS || name.len() > MAX_CELL_NAME || odd {
            self.spoil();
            return false;
        }
        self.text.extend_from_slice(name);
        self.text.push(0);
        true
    }

    fn value(&mut self, value: &[u8]) {
        if self.text.len() + value.len() > MAX_LINE || value.contains(&0) {
            self.spoil();
            return;
        }
        self.text.extend_from_slice(value);
        self.text.push(0);
        self.count += 1;
    }

    /// The (name, value) pairs, field names first and `@` metadata names last (a header
    /// line starts with a field).
    fn pairs(&self) -> impl Iterator<Item = (&[u8], &[u8])> {
        let all = || {
            let mut parts = self.text.split(|b| *b == 0);
            std::iter::from_fn(move || Some((parts.next()?, parts.next()?))).take(self.count)
        };
        all()
            .filter(|(n, _)| !n.starts_with(b"@"))
            .chain(all().filter(|(n, _)| n.starts_with(b"@")))
    }
}

/// One open object or array. Frames are reused (not freed) when containers close, so
/// steady-state decoding does not allocate.
#[derive(Debug, Default)]
struct Frame {
    object: bool,
    /// The key whose value is being read (objects).
    key: Key,
    /// An event's message, or (arrays) an Insights row's pending `@message`.
    msg: Vec<u8>,
    msg_line: u64,
    has_msg: bool,
    ts: Option<i64>,
    stream: Vec<u8>,
    has_stream: bool,
    /// An Insights cell's `field` and string `value`.
    field: Field,
    value: Vec<u8>,
    value_line: u64,
    has_value: bool,
    /// An Insights cell's `field` name when it is [`Field::Other`].
    name: Vec<u8>,
    /// A field row's cells (objects: keys and values; arrays: Insights cells).
    cells: Cells,
    /// Where the container opened (a field row's line).
    open_line: u64,
    /// A string of this object was over [`MAX_LINE`] (already reported): it completes
    /// nothing, so the event it belongs to is that one error.
    poisoned: bool,
}

impl Frame {
    fn reset(&mut self, object: bool) {
        self.object = object;
        self.key = Key::Other;
        self.has_msg = false;
        self.ts = None;
        self.has_stream = false;
        self.field = Field::None;
        self.has_value = false;
        self.cells.reset();
        self.poisoned = false;
    }
}

/// What the top-level document says about all its events.
#[derive(Debug, Default)]
struct Doc {
    stream: Vec<u8>,
    has_stream: bool,
    control: bool,
}

/// The tokenizer state: what the next byte may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between top-level documents.
    Top,
    /// A value; `first` right after `[` (so `]` may close it).
    Value {
        first: bool,
    },
    /// An object key; `first` right after `{` (so `}` may close it).
    Key {
        first: bool,
    },
    Colon,
    /// `,` or the close of the current container.
    After,
    /// Inside a string (key or value).
    Str,
    /// Inside a number token.
    Num,
    /// Inside `true`, `false` or `null`.
    Lit {
        word: &'static [u8],
        pos: u8,
    },
    /// Skipping after an error until a plausible document start.
    Resync,
}

/// The last bytes consumed, for the raw snippet of an error (independent of chunking).
#[derive(Debug)]
struct Recent {
    buf: [u8; 64],
    n: usize,
}

impl Recent {
    #[inline]
    fn push(&mut self, b: u8) {
        self.buf[self.n % 64] = b;
        self.n = self.n.wrapping_add(1);
    }

    fn push_slice(&mut self, s: &[u8]) {
        for &b in &s[s.len().saturating_sub(64)..] {
            self.push(b);
        }
    }

    /// The current line up to (and with) `extra`, leading whitespace trimmed.
    fn snippet(&self, extra: Option<u8>) -> Vec<u8> {
        let len = self.n.min(64);
        let mut out: Vec<u8> = (0..len)
            .map(|i| self.buf[(self.n.wrapping_sub(len) + i) % 64])
            .collect();
        out.extend(extra.filter(|&b| b != b'\n'));
        let start = memchr::memrchr(b'\n', &out).map_or(0, |i| i + 1);
        let line = &out[start..];
        let trim = line.iter().take_while(|b| b.is_ascii_whitespace()).count();
        line[trim..].to_vec()
    }
}

/// How an unexpected byte is named in an error.
fn describe(b: Option<u8>) -> String {
    match b {
        None => "end of input".into(),
        Some(b'\n') => "a line break".into(),
        Some(b) if b.is_ascii_graphic() || b == b' ' => format!("'{}'", b as char),
        Some(b) => format!("byte 0x{b:02x}"),
    }
}

/// Checks a number token against the JSON grammar `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`.
fn valid_number(s: &[u8]) -> bool {
    let digits = |s: &[u8], i: usize| s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = usize::from(s.first() == Some(&b'-'));
    let int = digits(s, i);
    if int == 0 || (int > 1 && s[i] == b'0') {
        return false;
    }
    i += int;
    if s.get(i) == Some(&b'.') {
        let frac = digits(s, i + 1);
        if frac == 0 {
            return false;
        }
        i += 1 + frac;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = digits(s, i);
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == s.len()
}

/// A timestamp given as a JSON number: integer milliseconds, or a float rounded down.
fn number_ms(s: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(s).ok()?;
    s.parse::<i64>().ok().or_else(|| {
        let f = s.parse::<f64>().ok()?;
        (f.is_finite() && f.abs() < 9.0e18).then_some(f as i64)
    })
}

/// Decodes a stream of JSON documents into messages.
#[derive(Debug)]
pub(crate) struct Json {
    state: State,
    line: u64,
    frames: Vec<Frame>,
    depth: usize,
    doc: Doc,
    /// The string being read, when it is kept.
    sbuf: Vec<u8>,
    str_line: u64,
    str_key: bool,
    str_keep: bool,
    /// The length of a string over [`MAX_LINE`] (0 for a normal one): only its head is kept.
    str_long: u64,
    lexer: StrLexer,
    /// The number token being read (memory bounded by its length, like strings).
    num: Vec<u8>,
    /// A number token over [`MAX_NUMBER_KEPT`] went on with non-digits (it is then
    /// judged invalid rather than guessed at).
    num_long: bool,
    recent: Recent,
    prev: u8,
    /// Field rows: the header line last given and the buffers a row is built in.
    row: FieldRow,
}

/// Emits (or, in a control message, skips) one event.
fn emit<S: Sink>(
    sink: &mut S,
    doc: &Doc,
    line: u64,
    text: &[u8],
    timestamp_ms: Option<i64>,
    stream: Option<&[u8]>,
) {
    if doc.control {
        sink.skipped(line, Skip::ControlMessage);
        return;
    }
    let stream = stream.or(doc.has_stream.then_some(doc.stream.as_slice()));
    sink.message(Message {
        line,
        text,
        timestamp_ms,
        stream,
    });
}

/// Turns a frame's cells into a header line (when the names change) and a record line.
#[derive(Debug, Default)]
struct FieldRow {
    /// The header line last given to the decoder (empty: none, or the decoder may have
    /// been bound otherwise since).
    header: Vec<u8>,
    names: Vec<u8>,
    values: Vec<u8>,
}

impl FieldRow {
    /// A message event went to the decoder: the next field row gives its names again.
    fn forget_header(&mut self) {
        self.header.clear();
    }

    fn heap_bytes(&self) -> usize {
        self.header.capacity() + self.names.capacity() + self.values.capacity()
    }

    fn emit<S: Sink>(&mut self, sink: &mut S, frame: &Frame, doc: &Doc) {
        self.names.clear();
        self.values.clear();
        let mut spaced = None;
        for (i, (name, value)) in frame.cells.pairs().enumerate() {
            if i > 0 {
                self.names.push(b' ');
            }
            self.names.extend_from_slice(name);
            if !fieldrow::push_value(&mut self.values, i == 0, value) && spaced.is_none() {
                spaced = Some(name);
            }
        }
        if self.header != self.names {
            // The same rule as a header line: an object of another tool (`{"VpcId": …}`,
            // `{"protocol": "TCP", …}`) is no record.
            if !fieldrow::names_bind(&self.names) {
                // Among field rows, a row whose names do not bind is reported, not lost.
                if !self.header.is_empty() {
                    let names = String::from_utf8_lossy(&self.names).into_owned();
                    let reason = LineError::JsonFieldNames(names);
                    sink.error(frame.open_line, &self.values, reason);
                }
                return;
            }
            std::mem::swap(&mut self.header, &mut self.names);
            sink.message(Message {
                line: frame.open_line,
                text: &self.header,
                timestamp_ms: None,
                stream: None,
            });
        }
        if let Some(name) = spaced {
            let name = String::from_utf8_lossy(name).into_owned();
            return sink.error(
                frame.open_line,
                &self.values,
                LineError::JsonValueSpace(name),
            );
        }
        // The decoder would take values that read as a header line for one.
        if crate::binding::header(&self.values).is_some() {
            let reason = LineError::RowLikeHeader;
            return sink.error(frame.open_line, &self.values, reason);
        }
        let stream = (frame.has_stream.then_some(frame.stream.as_slice()))
            .or(doc.has_stream.then_some(doc.stream.as_slice()));
        sink.message(Message {
            line: frame.open_line,
            text: &self.values,
            timestamp_ms: frame.ts,
            stream,
        });
    }
}

impl Json {
    pub(crate) fn new() -> Self {
        Json {
            state: State::Top,
            line: 1,
            frames: Vec::new(),
            depth: 0,
            doc: Doc::default(),
            sbuf: Vec::new(),
            str_line: 0,
            str_key: false,
            str_keep: false,
            str_long: 0,
            lexer: StrLexer::new(),
            num: Vec::new(),
            num_long: false,
            recent: Recent { buf: [0; 64], n: 0 },
            prev: b'\n',
            row: FieldRow::default(),
        }
    }

    /// Whether the input so far ends between top-level documents (or in a number that
    /// may end one): [`Json::finish`] then only completes them, rather than reporting a
    /// document cut short.
    pub(crate) fn between_documents(&self) -> bool {
        self.state == State::Top || (self.state == State::Num && self.depth == 0)
    }

    /// Whether the input so far ends inside a string (a key or a value).
    pub(crate) fn in_string(&self) -> bool {
        self.state == State::Str
    }

    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// Bytes allocated for strings and open containers (bounded by [`MAX_LINE`] per
    /// kept string and by the nesting cap).
    pub(crate) fn heap_bytes(&self) -> usize {
        let frames: usize = self
            .frames
            .iter()
            .map(|f| {
                std::mem::size_of::<Frame>()
                    + f.msg.capacity()
                    + f.stream.capacity()
                    + f.value.capacity()
                    + f.name.capacity()
                    + f.cells.text.capacity()
            })
            .sum();
        frames
            + self.sbuf.capacity()
            + self.num.capacity()
            + self.doc.stream.capacity()
            + self.row.heap_bytes()
    }

    pub(crate) fn push<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) {
        let mut i = 0;
        while i < chunk.len() {
            if self.state == State::Str && self.lexer.is_plain() {
                let n = plain_run(&chunk[i..]);
                if n > 0 {
                    let run = &chunk[i..i + n];
                    if self.str_long > 0 {
                        self.str_long += n as u64;
                    } else if self.str_keep {
                        self.sbuf.extend_from_slice(run);
                        if self.sbuf.len() > MAX_LINE {
                            self.overflow();
                        }
                    }
                    self.recent.push_slice(run);
                    self.prev = run[n - 1];
                    i += n;
                    continue;
                }
            }
            let b = chunk[i];
            if self.step(b, sink) {
                if b == b'\n' {
                    self.line += 1;
                }
                self.recent.push(b);
                self.prev = b;
                i += 1;
            }
        }
    }

    /// Handles one byte; returns whether it was consumed (`false`: look at it again in
    /// the new state, as after a number or an error).
    fn step<S: Sink>(&mut self, b: u8, sink: &mut S) -> bool {
        let ws = matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        match self.state {
            State::Top => {
                if !ws && !self.start_value(b, sink) {
                    self.fail(sink, "a JSON document", Some(b));
                    return false;
                }
            }
            State::Value { first } => {
                if ws {
                } else if first && b == b']' {
                    self.close(sink);
                } else if !self.start_value(b, sink) {
                    let expected = if first { "a value or ']'" } else { "a value" };
                    self.fail(sink, expected, Some(b));
                    return false;
                }
            }
            State::Key { first } => {
                if ws {
                } else if b == b'"' {
                    self.start_string(true);
                } else if first && b == b'}' {
                    self.close(sink);
                } else {
                    let expected = if first {
                        "a string key or '}'"
                    } else {
                        "a string key"
                    };
                    self.fail(sink, expected, Some(b));
                    return false;
                }
            }
            State::Colon => {
                if b == b':' {
                    self.state = State::Value { first: false };
                } else if !ws {
                    self.fail(sink, "':'", Some(b));
                    return false;
                }
            }
            State::After => {
                let object = self.depth > 0 && self.frames[self.depth - 1].object;
                match b {
                    b',' if object => self.state = State::Key { first: false },
                    b',' => self.state = State::Value { first: false },
                    b'}' if object => self.close(sink),
                    b']' if !object => self.close(sink),
                    _ if ws => {}
                    _ => {
                        let expected = if object { "',' or '}'" } else { "',' or ']'" };
                        self.fail(sink, expected, Some(b));
                        return false;
                    }
                }
            }
            State::Str => {
                // Escapes of strings that are not kept land in `sbuf` too: harmless.
                let before = self.sbuf.len();
                let step = self.lexer.byte(b, &mut self.sbuf);
                if self.str_long > 0 {
                    self.str_long += (self.sbuf.len() - before) as u64;
                    self.sbuf.truncate(before);
                } else if self.sbuf.len() > MAX_LINE {
                    self.overflow();
                } else if !self.str_keep && self.sbuf.len() > 4096 {
                    self.sbuf.clear(); // escapes of a string nobody keeps
                }
                match step {
                    Ok(StrStep::More) => {}
                    Ok(StrStep::End) => self.end_string(sink),
                    Err(e) => {
                        self.fail(sink, e.0, Some(b));
                        return false;
                    }
                }
            }
            State::Num => {
                if matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                    if self.num.len() < MAX_NUMBER_KEPT {
                        self.num.push(b);
                    } else {
                        // Keep the shape checkable: the tail of a long number is digits
                        // or an exponent; remember only that it went on.
                        self.num_long |= !b.is_ascii_digit();
                    }
                } else {
                    self.end_number(sink);
                    return false;
                }
            }
            State::Lit { word, pos } => {
                if word.get(usize::from(pos)) == Some(&b) {
                    if usize::from(pos) + 1 == word.len() {
                        if let Some(frame) = self.frames[..self.depth].last_mut() {
                            if frame.object && frame.key == Key::Cell {
                                // `null` is a field row's empty value; a boolean goes
                                // on as its word, for the field's parser to judge.
                                frame.cells.value(if word == b"null" { b"-" } else { word });
                            }
                        }
                        self.end_scalar();
                    } else {
                        self.state = State::Lit { word, pos: pos + 1 };
                    }
                } else {
                    let expected = match word {
                        b"true" => "'true'",
                        b"false" => "'false'",
                        _ => "'null'",
                    };
                    self.fail(sink, expected, Some(b));
                    return false;
                }
            }
            State::Resync => {
                let line_start = self.prev == b'\n' && (b == b'{' || b == b'[');
                if line_start || (self.prev == b'}' && b == b'{') {
                    self.state = State::Top;
                    return false;
                }
            }
        }
        true
    }

    /// Starts the value beginning with `b`; `false` if no value begins so.
    fn start_value<S: Sink>(&mut self, b: u8, sink: &mut S) -> bool {
        match b {
            b'{' | b'[' => self.open(b == b'{', sink),
            b'"' => self.start_string(false),
            b'-' | b'0'..=b'9' => {
                self.num.clear();
                self.num_long = false;
                self.num.push(b);
                self.state = State::Num;
            }
            b't' => {
                self.state = State::Lit {
                    word: b"true",
                    pos: 1,
                }
            }
            b'f' => {
                self.state = State::Lit {
                    word: b"false",
                    pos: 1,
                }
            }
            b'n' => {
                self.state = State::Lit {
                    word: b"null",
                    pos: 1,
                }
            }
            _ => return false,
        }
        true
    }

    fn start_string(&mut self, key: bool) {
        self.str_key = key;
        self.str_keep = key
            || (self.depth > 0 && {
                let frame = &self.frames[self.depth - 1];
                (frame.object && frame.key.keeps_string()) || (!frame.object && self.depth == 1)
            });
        self.sbuf.clear();
        self.str_long = 0;
        self.str_line = self.line;
        self.state = State::Str;
    }

    fn open<S: Sink>(&mut self, object: bool, sink: &mut S) {
        if self.depth == MAX_DEPTH {
            // The byte is consumed; the error names it.
            let snippet = self.recent.snippet(None);
            sink.error(self.line, &snippet, LineError::JsonTooDeep(MAX_DEPTH));
            self.reset_after_error();
            return;
        }
        if self.depth == 0 {
            self.doc.has_stream = false;
            self.doc.control = false;
        }
        if let Some(parent) = self.frames[..self.depth].last_mut() {
            // A container inside an object is no field value; inside an array, only
            // an Insights cell object belongs to a row.
            if parent.object || !object {
                parent.cells.spoil();
            }
        }
        if self.depth == self.frames.len() {
            self.frames.push(Frame::default());
        }
        self.frames[self.depth].reset(object);
        self.frames[self.depth].open_line = self.line;
        self.depth += 1;
        self.state = if object {
            State::Key { first: true }
        } else {
            State::Value { first: true }
        };
    }

    /// After a complete scalar value.
    fn end_scalar(&mut self) {
        self.state = if self.depth == 0 {
            State::Top
        } else {
            State::After
        };
    }

    /// A kept string went over [`MAX_LINE`]: from now on only its length is counted.
    fn overflow(&mut self) {
        self.str_long = self.sbuf.len() as u64;
        self.sbuf.truncate(LONG_HEAD);
    }

    fn end_string<S: Sink>(&mut self, sink: &mut S) {
        let cell = !self.str_key
            && self.frames[..self.depth]
                .last()
                .is_some_and(|f| f.object && f.key == Key::Cell);
        if self.str_long > 0 && cell {
            // Kept only in case the object is a field row; so long, it is none (and, as
            // a value of a key that means nothing here, no error either).
            self.str_long = 0;
            self.sbuf.clear();
            if let Some(frame) = self.frames[..self.depth].last_mut() {
                frame.cells.spoil();
            }
            self.end_scalar();
            return;
        }
        if self.str_long > 0 {
            let what = if self.str_key {
                "JSON key"
            } else {
                "JSON string"
            };
            sink.error(
                self.str_line,
                &self.sbuf,
                overlong_reason(what, self.str_long),
            );
            self.str_long = 0;
            self.sbuf.clear();
            if let Some(frame) = self.frames[..self.depth].last_mut() {
                frame.poisoned = true;
            }
            if self.str_key {
                if let Some(frame) = self.frames[..self.depth].last_mut() {
                    frame.key = Key::Other;
                }
                self.state = State::Colon;
            } else {
                self.end_scalar();
            }
            return;
        }
        if self.str_key {
            if let Some(frame) = self.frames[..self.depth].last_mut() {
                frame.key = Key::classify(&self.sbuf);
                if frame.key == Key::Other && frame.cells.name(&self.sbuf) {
                    frame.key = Key::Cell;
                }
            }
            self.state = State::Colon;
            return;
        }
        self.end_scalar();
        if !self.str_keep {
            return;
        }
        let depth = self.depth;
        let Some(frame) = self.frames[..depth].last_mut() else {
            return;
        };
        let s = &self.sbuf;
        if !frame.object {
            // a string element of the top-level array (only those are kept); an
            // over-long one was reported above, the next ones are messages still
            emit(sink, &self.doc, self.str_line, s, None, None);
            self.row.forget_header();
            return;
        }
        match frame.key {
            Key::Message => {
                frame.msg.clear();
                frame.msg.extend_from_slice(s);
                frame.msg_line = self.str_line;
                frame.has_msg = true;
                // An event, so no field row: its other keys need not be kept.
                frame.cells.spoil();
            }
            Key::Timestamp => frame.ts = time::parse_text(s),
            Key::LogStreamName => {
                frame.stream.clear();
                frame.stream.extend_from_slice(s);
                frame.has_stream = true;
            }
            Key::Field => {
                frame.field = match s.as_slice() {
                    b"@message" => Field::Message,
                    b"@timestamp" => Field::Timestamp,
                    b"@logStream" => Field::Stream,
                    _ => {
                        frame.name.clear();
                        frame.name.extend_from_slice(s);
                        Field::Other
                    }
                }
            }
            Key::Cell => frame.cells.value(s),
            Key::Value => {
                frame.value.clear();
                frame.value.extend_from_slice(s);
                frame.value_line = self.str_line;
                frame.has_value = true;
            }
            Key::LogStream if depth == 1 => {
                self.doc.stream.clear();
                self.doc.stream.extend_from_slice(s);
                self.doc.has_stream = true;
            }
            // `@logStream` of an exported Insights result, beside its `@message`.
            Key::LogStream if !frame.has_stream => {
                frame.stream.clear();
                frame.stream.extend_from_slice(s);
                frame.has_stream = true;
            }
            Key::MessageType if depth == 1 => self.doc.control = s == b"CONTROL_MESSAGE",
            _ => {}
        }
    }

    fn end_number<S: Sink>(&mut self, sink: &mut S) {
        if self.num_long || !valid_number(&self.num) {
            let found = format!("'{}'", String::from_utf8_lossy(&self.num));
            let snippet = self.recent.snippet(None);
            sink.error(self.line, &snippet, LineError::JsonNumber(found));
            self.reset_after_error();
            return;
        }
        self.end_scalar();
        if let Some(frame) = self.frames[..self.depth].last_mut() {
            if frame.object && frame.key == Key::Timestamp && self.num.len() <= MAX_TIMESTAMP_NUMBER
            {
                frame.ts = number_ms(&self.num);
            } else if frame.object && frame.key == Key::Cell {
                frame.cells.value(&self.num);
            }
        }
    }

    /// Closes the innermost container, emitting what it completes.
    fn close<S: Sink>(&mut self, sink: &mut S) {
        // Only reachable with an open container; checked anyway so no input can panic.
        let Some(depth) = self.depth.checked_sub(1) else {
            self.state = State::Top;
            return;
        };
        self.depth = depth;
        let (outer, inner) = self.frames.split_at_mut(self.depth);
        let (Some(frame), parent) = (inner.first_mut(), outer.last_mut()) else {
            return;
        };
        let doc = &self.doc;
        if frame.poisoned {
            // Reported when the string ended; an Insights row loses its cell too.
            if let Some(row) = parent.filter(|p| !p.object) {
                row.poisoned |= frame.field == Field::Message;
            }
        } else if frame.has_msg {
            // An event (object) or an Insights row (array).
            let stream = frame.has_stream.then_some(frame.stream.as_slice());
            emit(sink, doc, frame.msg_line, &frame.msg, frame.ts, stream);
            // The decoder may be bound otherwise now: the next field row says its names.
            self.row.forget_header();
        } else if frame.cells.flat
            && frame.cells.count >= 1
            && !doc.control
            // A row stands alone or in an array; an object inside an object (an event's
            // `extractedFields`) is a part of something else.
            && parent.as_ref().is_none_or(|p| !p.object)
        {
            self.row.emit(sink, frame, doc);
        } else if frame.object && frame.has_value && frame.field != Field::None {
            // An Insights cell: completes the row it sits in.
            match parent.filter(|p| !p.object) {
                Some(row) => match frame.field {
                    Field::Message => {
                        if row.has_msg {
                            let stream = row.has_stream.then_some(row.stream.as_slice());
                            emit(sink, doc, row.msg_line, &row.msg, row.ts, stream);
                            self.row.forget_header();
                        }
                        std::mem::swap(&mut row.msg, &mut frame.value);
                        row.msg_line = frame.value_line;
                        row.has_msg = true;
                    }
                    Field::Timestamp => row.ts = time::parse_text(&frame.value),
                    Field::Stream => {
                        std::mem::swap(&mut row.stream, &mut frame.value);
                        row.has_stream = true;
                    }
                    Field::Other => {
                        if row.cells.name(&frame.name) {
                            row.cells.value(&frame.value);
                        }
                    }
                    Field::None => {}
                },
                None if frame.field == Field::Message => {
                    emit(sink, doc, frame.value_line, &frame.value, None, None);
                    self.row.forget_header();
                }
                None => {}
            }
        }
        self.end_scalar();
    }

    /// Reports a syntax error at `found` and starts resynchronising; the byte is looked
    /// at again in resync mode (it may itself start the next document).
    fn fail<S: Sink>(&mut self, sink: &mut S, expected: &'static str, found: Option<u8>) {
        let snippet = self.recent.snippet(found);
        let reason = LineError::Json {
            expected,
            found: describe(found),
        };
        sink.error(self.line, &snippet, reason);
        self.reset_after_error();
    }

    fn reset_after_error(&mut self) {
        self.depth = 0;
        self.lexer.reset();
        self.state = State::Resync;
    }

    /// End of input: completes a trailing top-level number, reports a truncated document.
    pub(crate) fn finish<S: Sink>(&mut self, sink: &mut S) {
        if self.state == State::Num {
            self.end_number(sink);
        }
        let expected = match self.state {
            State::Top | State::Resync => return,
            State::Value { first: true } => "a value or ']'",
            State::Value { first: false } => "a value",
            State::Key { first: true } => "a string key or '}'",
            State::Key { first: false } => "a string key",
            State::Colon => "':'",
            State::After if self.depth > 0 && self.frames[self.depth - 1].object => "',' or '}'",
            State::After => "',' or ']'",
            State::Str => "'\"' closing the string",
            State::Num => "a number",
            State::Lit { .. } => "the rest of a literal",
        };
        self.fail(sink, expected, None);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{errors, msg, run_all, texts, Ev};
    use super::super::{Shape, Skip};

    const GET_LOG_EVENTS: &str = r#"{
    "events": [
        {
            "timestamp": 1764115200000,
            "message": "2 123456789012 eni-1 10.0.5.179 10.0.21.229 44308 80 6 8 1376 1764115206 1764115806 ACCEPT OK",
            "ingestionTime": 1764115204321
        },
        {
            "timestamp": 1764115201000,
            "message": "2 123456789012 eni-2 - - - - - - - 1764115237 1764115357 - SKIPDATA",
            "ingestionTime": 1764115204321
        }
    ],
    "nextForwardToken": "f/3333",
    "nextBackwardToken": "b/3333"
}
"#;

    fn get_log_events_expected(first_line: u64) -> Vec<Ev> {
        vec![
            msg(
                first_line + 4,
                "2 123456789012 eni-1 10.0.5.179 10.0.21.229 44308 80 6 8 1376 1764115206 1764115806 ACCEPT OK",
                Some(1_764_115_200_000),
                None,
            ),
            msg(
                first_line + 9,
                "2 123456789012 eni-2 - - - - - - - 1764115237 1764115357 - SKIPDATA",
                Some(1_764_115_201_000),
                None,
            ),
        ]
    }

    #[test]
    fn get_log_events_pretty() {
        let (evs, shape) = run_all(GET_LOG_EVENTS.as_bytes());
        assert_eq!(shape, Some(Shape::Json));
        assert_eq!(evs, get_log_events_expected(1));
    }

    #[test]
    fn two_documents_concatenated() {
        let input = format!("\u{feff}{GET_LOG_EVENTS}{}", GET_LOG_EVENTS.trim_end());
        let (evs, _) = run_all(input.as_bytes());
        let mut expected = get_log_events_expected(1);
        expected.extend(get_log_events_expected(17));
        assert_eq!(evs, expected);
    }

    #[test]
    fn filter_log_events_streams() {
        let input = r#"{
    "events": [
        {
            "logStreamName": "eni-1-all",
            "timestamp": 1764115200000,
            "message": "2 1 eni-1 a",
            "ingestionTime": 1764115204321,
            "eventId": "100"
        },
        {
            "logStreamName": "eni-2-all",
            "timestamp": 1764115200001,
            "message": "2 1 eni-2 b",
            "eventId": "101"
        }
    ],
    "searchedLogStreams": [
        {
            "logStreamName": "eni-1-all",
            "searchedCompletely": true
        }
    ]
}"#;
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![
                msg(6, "2 1 eni-1 a", Some(1_764_115_200_000), Some("eni-1-all")),
                msg(
                    13,
                    "2 1 eni-2 b",
                    Some(1_764_115_200_001),
                    Some("eni-2-all")
                ),
            ]
        );
    }

    #[test]
    fn subscription_payloads_back_to_back_with_control_message() {
        let input = concat!(
            r#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1764115200000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#,
            r#"{"messageType":"DATA_MESSAGE","owner":"123","logGroup":"g","logStream":"eni-abc-all","subscriptionFilters":["f"],"logEvents":[{"id":"3","timestamp":1764115200000,"message":"2 123 a"},{"id":"4","timestamp":1764115200001,"message":"2 123 b"}]}"#,
            "\n",
            r#"{"messageType":"DATA_MESSAGE","owner":"123","logGroup":"g","logStream":"eni-def-all","subscriptionFilters":["f"],"logEvents":[{"id":"5","timestamp":1.7641152e12,"message":"2 123 c"}]}"#,
        );
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![
                Ev::Skip(1, Skip::ControlMessage),
                msg(1, "2 123 a", Some(1_764_115_200_000), Some("eni-abc-all")),
                msg(1, "2 123 b", Some(1_764_115_200_001), Some("eni-abc-all")),
                msg(2, "2 123 c", Some(1_764_115_200_000), Some("eni-def-all")),
            ]
        );
    }

    #[test]
    fn insights_query_results() {
        let input = r#"{
    "results": [
        [
            {"field": "@timestamp", "value": "2025-11-26 10:00:00.000"},
            {"field": "@message", "value": "2 123 eni-1 x"},
            {"field": "@ptr", "value": "CmAKJgoi"}
        ],
        [
            {"value": "2 123 eni-2 y", "field": "@message"},
            {"value": "eni-2-all", "field": "@logStream"}
        ]
    ],
    "statistics": {"recordsMatched": 2.0, "recordsScanned": 2.0, "bytesScanned": 200.0},
    "status": "Complete"
}"#;
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![
                msg(5, "2 123 eni-1 x", Some(1_764_151_200_000), None),
                msg(9, "2 123 eni-2 y", None, Some("eni-2-all")),
            ]
        );
    }

    #[test]
    fn insights_field_rows_become_a_header_and_record_lines() {
        // `aws logs get-query-results` of `fields @timestamp, srcAddr, dstAddr, action`.
        let input = r#"{
    "results": [
        [
            {"field": "@timestamp", "value": "2025-11-26 10:00:00.000"},
            {"field": "srcAddr", "value": "10.0.0.1"},
            {"field": "dstAddr", "value": "10.0.0.2"},
            {"field": "action", "value": "ACCEPT"},
            {"field": "@ptr", "value": "CmAKJgoi"}
        ],
        [
            {"field": "@timestamp", "value": "2025-11-26 10:00:01.000"},
            {"field": "srcAddr", "value": "10.0.0.3"},
            {"field": "dstAddr", "value": ""},
            {"field": "action", "value": "REJECT"},
            {"field": "@ptr", "value": "CmAKJgoj"}
        ]
    ],
    "statistics": {"recordsMatched": 2.0, "recordsScanned": 2.0, "bytesScanned": 200.0},
    "status": "Complete"
}"#;
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![
                msg(3, "srcAddr dstAddr action @ptr", None, None),
                // The row's line is where it opens.
                msg(
                    3,
                    "10.0.0.1 10.0.0.2 ACCEPT CmAKJgoi",
                    Some(1_764_151_200_000),
                    None
                ),
                msg(
                    10,
                    "10.0.0.3 - REJECT CmAKJgoj",
                    Some(1_764_151_201_000),
                    None
                ),
            ]
        );
    }

    #[test]
    fn exported_field_objects_are_records_and_other_objects_are_not() {
        // Objects of other tools (no records, no errors: not field rows), then the
        // console's JSON export of a `fields` query.
        let input = r#"[
  {"VpcId": "vpc-1", "SubnetId": "subnet-1"},
  {"protocol": "TCP", "localPortDetails": {"port": 22}},
  {"srcAddr": "10.0.0.5", "dstPort": 22, "tags": ["a"]},
  {"@timestamp": "2025-11-26 10:00:00.000", "srcAddr": "10.0.0.1", "dstPort": "443", "packets": 3, "@logStream": "eni-1-all"},
  {"@timestamp": "2025-11-26 10:00:01.000", "srcAddr": "10.0.0.2", "dstPort": null, "packets": 4, "@logStream": "eni-1-all"},
  {"srcAddr": "10.0.0.3", "dstPort": 22},
  {"srcAddr": "10.0 .0.4", "dstPort": 22},
  {"VpcId": "vpc-1", "SubnetId": "subnet-1"}
]"#;
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![
                msg(5, "srcAddr dstPort packets", None, None),
                msg(
                    5,
                    "10.0.0.1 443 3",
                    Some(1_764_151_200_000),
                    Some("eni-1-all")
                ),
                msg(
                    6,
                    "10.0.0.2 - 4",
                    Some(1_764_151_201_000),
                    Some("eni-1-all")
                ),
                // Other names: a new header line first.
                msg(7, "srcAddr dstPort", None, None),
                msg(7, "10.0.0.3 22", None, None),
                Ev::Err {
                    line: 8,
                    raw: "10.0 .0.4 22".into(),
                    reason: "the value of \"srcAddr\" holds a space, which no flow log value does"
                        .into()
                },
                // Among field rows, an object whose names do not bind is reported.
                Ev::Err {
                    line: 9,
                    raw: "vpc-1 subnet-1".into(),
                    reason: "this row's names (VpcId SubnetId) are not enough flow log field \
                             names to place its values (at least two known names, and more \
                             known than unknown)"
                        .into()
                },
            ]
        );
    }

    #[test]
    fn extracted_fields_beside_a_message_are_no_field_row() {
        // A subscription payload of a filter with field names: each event carries the
        // message and an `extractedFields` object, keys in any order. The message is the
        // record; the nested object is part of the event.
        let input = r#"{"messageType":"DATA_MESSAGE","owner":"123","logGroup":"g","logStream":"eni-1-all","logEvents":[{"id":"1","timestamp":1764115200000,"message":"2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK","extractedFields":{"srcaddr":"10.0.0.1","dstport":"2","version":"2","dstaddr":"10.0.0.2"}}]}"#;
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![msg(
                1,
                "2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK",
                Some(1_764_115_200_000),
                Some("eni-1-all")
            )]
        );
    }

    #[test]
    fn field_rows_never_put_a_value_under_another_name() {
        let input = concat!(
            // an empty or spaced key: no field row (the names and values would slip)
            "{\"\": \"1\", \"srcPort\": \"0\", \"dstPort\": \"443\"}\n",
            "{\"srcAddr\": \"10.0.0.1\", \"dstAddr x\": \"10.0.0.2\", \"dstPort\": 22}\n",
            // field rows, a message event that may rebind the decoder, field rows again:
            // their header line is given again
            "{\"srcAddr\": \"10.0.0.1\", \"dstAddr\": \"10.0.0.2\", \"@logStream\": \"s\"}\n",
            "{\"message\": \"dstaddr srcaddr\"}\n",
            "{\"srcAddr\": \"10.0.0.3\", \"dstAddr\": \"10.0.0.4\"}\n",
            // among field rows, names that do not bind are an error, not lost
            "{\"srcAddr\": \"10.0.0.5\", \"@ptr\": \"x\"}\n",
            // values that read as a header line
            "{\"srcAddr\": \"dstaddr\", \"dstAddr\": \"srcaddr\"}\n",
            // a boolean goes on as its word
            "{\"srcAddr\": \"10.0.0.6\", \"dstAddr\": true}\n",
        );
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![
                msg(3, "srcAddr dstAddr", None, None),
                // JSON Lines: a top-level object's @logStream is its own
                msg(3, "10.0.0.1 10.0.0.2", None, Some("s")),
                msg(4, "dstaddr srcaddr", None, None),
                msg(5, "srcAddr dstAddr", None, None),
                msg(5, "10.0.0.3 10.0.0.4", None, None),
                Ev::Err {
                    line: 6,
                    raw: "10.0.0.5 x".into(),
                    reason: "this row's names (srcAddr @ptr) are not enough flow log field names \
                             to place its values (at least two known names, and more known \
                             than unknown)"
                        .into()
                },
                Ev::Err {
                    line: 7,
                    raw: "dstaddr srcaddr".into(),
                    reason: "this row's values read as a line of field names, so they cannot \
                             be placed safely"
                        .into()
                },
                msg(8, "10.0.0.6 true", None, None),
            ]
        );
    }

    #[test]
    fn top_level_array_of_message_strings() {
        // `--query 'events[*].message'` with JSON output; nested arrays and other
        // strings are not messages
        let input = "[\n    \"2 1 eni-1 a\",\n    \"2 1 eni-2 b\"\n]\n[[\"not\"], {\"k\": \"v\"}]";
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![
                msg(2, "2 1 eni-1 a", None, None),
                msg(3, "2 1 eni-2 b", None, None)
            ]
        );
    }

    #[test]
    fn string_escapes() {
        let input = r#"{"events":[{"message":"q\"b\\s\/\u00e9 \ud83d\ude00 t\tn\n","timestamp":1}, {"message":"lone \ud83d!", "timestamp": "2025-11-26T00:00:00Z"}]}"#;
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(
            evs,
            vec![
                msg(1, "q\"b\\s/é 😀 t\tn\n", Some(1), None),
                msg(1, "lone \u{fffd}!", Some(1_764_115_200_000), None),
            ]
        );
    }

    #[test]
    fn malformed_document_then_recovery() {
        let input = concat!(
            "{\n",
            "    \"events\": [\n",
            "        {\"message\": \"good 1\"},\n",
            "        {\"message\" \"missing colon\"}\n",
            "    ]\n",
            "}\n",
            "{\"events\": [{\"message\": \"good 2\"}]}garbage{\"events\":[{\"message\":\"good 3\", x}]}",
            "}{\"events\":[{\"message\":\"good 4\"}]}\n",
        );
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(texts(&evs), vec!["good 1", "good 2", "good 4"]);
        assert_eq!(
            errors(&evs),
            vec![
                (4, "invalid JSON: expected ':', found '\"'"),
                (7, "invalid JSON: expected a JSON document, found 'g'"),
            ]
        );
        let raws: Vec<&str> = evs
            .iter()
            .filter_map(|e| match e {
                Ev::Err { raw, .. } => Some(raw.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(raws[0], "{\"message\" \"");
        assert!(raws[1].ends_with("\"good 2\"}]}g"), "{}", raws[1]);
    }

    #[test]
    fn truncated_document_is_an_error() {
        let (evs, _) = run_all(b"{\"events\": [{\"message\": \"done\"}, {\"message\": \"cut");
        assert_eq!(texts(&evs), vec!["done"]);
        assert_eq!(
            errors(&evs),
            vec![(
                1,
                "invalid JSON: expected '\"' closing the string, found end of input"
            )]
        );
        let (evs, _) = run_all(b"[1, 2, -3.5e+2, tru");
        assert_eq!(
            errors(&evs),
            vec![(
                1,
                "invalid JSON: expected the rest of a literal, found end of input"
            )]
        );
        let (evs, _) = run_all(b"[01]");
        assert_eq!(
            errors(&evs),
            vec![(1, "invalid JSON: expected a number, found '01'")]
        );
    }

    #[test]
    fn raw_newline_in_string_recovers_at_next_document() {
        let input = "{\"message\": \"a\nb\"}\n{\"message\": \"ok\"}\n";
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(texts(&evs), vec!["ok"]);
        assert_eq!(
            errors(&evs),
            vec![(
                1,
                "invalid JSON: expected a string character or '\"', found a line break"
            )]
        );
        assert_eq!(evs[1], msg(3, "ok", None, None));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut input = "[".repeat(10_000);
        input.push_str("\n{\"message\": \"after\"}");
        let (evs, _) = run_all(input.as_bytes());
        assert_eq!(texts(&evs), vec!["after"]);
        assert_eq!(errors(&evs).len(), 1);
    }
}
