//! A line of a paste that is JSON on its own: a compact `aws logs … --output json`
//! document (`{"events":[…]}`) between prose, a Markdown fence or a shell prompt, the
//! events `jq -c '.events[]'` prints one a line, one event object of a document laid out
//! an event a line (`{"timestamp": …, "message": "…"},`), or a Logs Insights row of
//! fields, each maybe after a chat's time stamp. The line goes through the JSON shape's own tokenizer ([`Json`]), so its events
//! keep their `timestamp` and `logStreamName` as in a JSON file; every event of the line
//! carries the paste's line number.
//!
//! Before this, such a line went to the line decoder as text: the JSON's words were
//! taken for a record's fields and the fields of the paste guessed from them.

use super::json::Json;
use super::{Message, Sink, Skip};
use crate::line_error::LineError;

/// Whether the trimmed line `t` may be JSON with flow logs (for the sniffer's tally: no
/// parse): an opening bracket and a `message` or `@message` key, or one whole object
/// (a row of fields).
pub(crate) fn may_hold_records(t: &[u8]) -> bool {
    let t = json_part(t);
    message_key(t) || (t.starts_with(b"{\"") && (t.ends_with(b"}") || t.ends_with(b"},")))
}

/// The JSON of the trimmed line `t`: after a chat's time stamp (a Slack copy puts one
/// before every message), or the whole line.
fn json_part(t: &[u8]) -> &[u8] {
    match super::decor::chat_stamp_before_json(t) {
        Some(n) => &t[n..],
        None => t,
    }
}

/// An opening bracket and a `message` or `@message` key.
fn message_key(t: &[u8]) -> bool {
    matches!(t.first(), Some(b'{' | b'[')) && memchr::memmem::find(t, b"message\"").is_some()
}

/// What the tokenizer gave for the line, kept until it is known whether the line is
/// JSON with flow logs at all.
#[derive(Debug)]
enum Event {
    Message {
        line: u64,
        text: Vec<u8>,
        timestamp_ms: Option<i64>,
        stream: Option<Vec<u8>>,
    },
    Skipped(u64, Skip),
    Error {
        line: u64,
        raw: Vec<u8>,
        reason: LineError,
    },
}

#[derive(Debug, Default)]
struct Collect {
    events: Vec<Event>,
    messages: usize,
    errors: usize,
}

impl Sink for Collect {
    fn message(&mut self, m: Message<'_>) {
        self.messages += 1;
        self.events.push(Event::Message {
            line: m.line,
            text: m.text.to_vec(),
            timestamp_ms: m.timestamp_ms,
            stream: m.stream.map(<[u8]>::to_vec),
        });
    }
    fn skipped(&mut self, line: u64, why: Skip) {
        self.events.push(Event::Skipped(line, why));
    }
    fn error(&mut self, line: u64, raw: &[u8], reason: LineError) {
        self.errors += 1;
        self.events.push(Event::Error {
            line,
            raw: raw.to_vec(),
            reason,
        });
    }
}

/// Reads line `line` (its text `raw`) as JSON when it is JSON with flow logs: true when
/// it was, its events, skips and errors then sent to `sink` under `line`. False, with
/// nothing sent, for any other line (prose in braces, a `{` opening a document laid out
/// over several lines, JSON of another tool), which the paste reads as before.
///
/// A line that opens a document continued on the next lines (`{"events": [{…},`) gives
/// the events that close on it; the rest of the document is read line by line. A line
/// with a `message` key that is broken JSON, or cut inside a string, gives its errors,
/// as a bad line.
pub(crate) fn read<S: Sink>(line: u64, raw: &[u8], sink: &mut S) -> bool {
    let t = json_part(raw.trim_ascii());
    if !matches!(t.first(), Some(b'{' | b'[')) {
        return false;
    }
    // one element of an array laid out an element a line
    let body = t.strip_suffix(b",").unwrap_or(t).trim_ascii_end();
    let mut json = Json::new();
    let mut got = Collect::default();
    json.push(body, &mut got);
    // A JSON string cannot go on past a line end: a line ending inside one was cut
    // (a chat's or a terminal's width), and finishing reports it.
    if json.between_documents() || json.in_string() {
        json.finish(&mut got);
    }
    let message_key = message_key(body);
    if got.messages == 0 && !(message_key && got.errors > 0) {
        return false;
    }
    // A row of fields sends its names as a header line: they bind its own values only.
    let scoped = !message_key;
    if scoped {
        sink.begin_scope();
    }
    for event in got.events {
        send(event, |_| line, sink);
    }
    if scoped {
        sink.end_scope();
    }
    true
}

/// Sends one collected event to `sink`, its line number mapped by `line_of`.
fn send<S: Sink>(event: Event, line_of: impl Fn(u64) -> u64, sink: &mut S) {
    match event {
        Event::Message {
            line,
            text,
            timestamp_ms,
            stream,
        } => sink.message(Message {
            line: line_of(line),
            text: &text,
            timestamp_ms,
            stream: stream.as_deref(),
        }),
        Event::Skipped(line, why) => sink.skipped(line_of(line), why),
        Event::Error { line, raw, reason } => sink.error(line_of(line), &raw, reason),
    }
}

/// The most text a [`Block`] holds before it gives up and its lines are read one by one.
const BLOCK_LIMIT: usize = 8 << 20;

/// A JSON document laid out over several lines of a paste (`aws logs get-log-events`
/// pretty-printed under the prompt that ran it, or one of its event objects): its lines
/// are held while the JSON shape's tokenizer reads them, so that each event keeps its
/// `timestamp` and `logStreamName`, as in a JSON file.
///
/// Only a document that closes, without an error, and with records is read so. Any
/// other (broken by a chat, cut by the end of the paste or by prose, JSON of another
/// tool, over [`BLOCK_LIMIT`]) gives its lines back, to be read one by one as before:
/// its `"message":` lines are still records, without the event's other fields.
#[derive(Debug)]
pub(crate) struct Block {
    first: u64,
    /// The block began on a line given back by another block: when it fails too, its
    /// lines are read one by one with no block in them (each line is read at most three
    /// times, whatever the nesting).
    nested: bool,
    /// The held lines, each with its `\n`.
    text: Vec<u8>,
    json: Json,
    got: Collect,
}

/// Where a [`Block`] is after a line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The document goes on.
    Open,
    /// The document closed with records: [`Block::send`] them.
    Closed,
    /// It is no document of records: [`Block::into_lines`] gives its lines back.
    Failed,
}

impl Block {
    /// A block opened by line `line` (`raw`, unquoted): when the line starts a JSON
    /// value that it does not close.
    pub(crate) fn start(line: u64, raw: &[u8], nested: bool) -> Option<Block> {
        let t = raw.trim_ascii();
        if !matches!(t.first(), Some(b'{' | b'[')) {
            return None;
        }
        let mut block = Block {
            first: line,
            nested,
            text: Vec::new(),
            json: Json::new(),
            got: Collect::default(),
        };
        (block.push(raw) == Step::Open).then_some(block)
    }

    /// Reads the next line of the block.
    pub(crate) fn push(&mut self, raw: &[u8]) -> Step {
        self.text.extend_from_slice(raw);
        self.text.push(b'\n');
        let body = raw.trim_ascii_end();
        // A `,` after the value that closes the document separates it from the next
        // one (an event object of an array laid out over lines): not part of it.
        match body.strip_suffix(b",") {
            Some(value) => {
                self.json.push(value, &mut self.got);
                if !self.json.between_documents() {
                    self.json.push(b",", &mut self.got);
                }
            }
            None => self.json.push(body, &mut self.got),
        }
        // A JSON string cannot go on past a line end: a line ending in one was cut.
        if self.got.errors > 0 || self.json.in_string() || self.text.len() > BLOCK_LIMIT {
            return Step::Failed;
        }
        if !self.json.between_documents() {
            self.json.push(b"\n", &mut self.got);
            return Step::Open;
        }
        self.json.finish(&mut self.got);
        if self.got.errors == 0 && self.got.messages > 0 {
            Step::Closed
        } else {
            Step::Failed
        }
    }

    /// The block's lines, to be read one by one (after [`Step::Failed`], or at the end of
    /// the input with the document still open).
    pub(crate) fn into_lines(self) -> (u64, Vec<u8>) {
        (self.first, self.text)
    }

    /// Whether the block began on a line another block gave back.
    pub(crate) fn nested(&self) -> bool {
        self.nested
    }

    /// Whether a row of fields gave its names as a header line (that binds the block's
    /// own rows only: the paste's header scope).
    pub(crate) fn has_header(&self) -> bool {
        self.got.events.iter().any(
            |e| matches!(e, Event::Message { text, .. } if crate::binding::header(text).is_some()),
        )
    }

    /// Sends a closed block's events under the paste's line numbers, and each line of it
    /// with none as JSON framing.
    pub(crate) fn send<S: Sink>(self, sink: &mut S) {
        let first = self.first;
        let line_of = |rel: u64| first + rel - 1;
        let lines = self.json.line();
        let mut events = self.got.events.into_iter().peekable();
        for rel in 1..=lines {
            let mut any = false;
            while let Some(event) = events.next_if(|e| event_line(e) <= rel) {
                send(event, line_of, sink);
                any = true;
            }
            if !any {
                sink.skipped(
                    line_of(rel),
                    Skip::NotARecord(super::noise::reason::JSON_FRAMING),
                );
            }
        }
        for event in events {
            send(event, line_of, sink);
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.json.heap_bytes()
    }
}

/// The (block's) line number of a collected event.
fn event_line(event: &Event) -> u64 {
    match event {
        Event::Message { line, .. } | Event::Skipped(line, _) | Event::Error { line, .. } => *line,
    }
}
