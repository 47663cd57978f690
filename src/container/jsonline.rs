//! A line of a paste that is JSON on its own: a compact `aws logs … --output json`
//! document (`{"events":[…]}`) between prose, a Markdown fence or a shell prompt, the
//! events `jq -c '.events[]'` prints one a line, one event object of a document laid out
//! an event a line (`{"timestamp": …, "message": "…"},`), or a Logs Insights row of
//! fields. The line goes through the JSON shape's own tokenizer ([`Json`]), so its events
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
    message_key(t) || (t.starts_with(b"{\"") && (t.ends_with(b"}") || t.ends_with(b"},")))
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
        text: Vec<u8>,
        timestamp_ms: Option<i64>,
        stream: Option<Vec<u8>>,
    },
    Skipped(Skip),
    Error {
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
            text: m.text.to_vec(),
            timestamp_ms: m.timestamp_ms,
            stream: m.stream.map(<[u8]>::to_vec),
        });
    }
    fn skipped(&mut self, _line: u64, why: Skip) {
        self.events.push(Event::Skipped(why));
    }
    fn error(&mut self, _line: u64, raw: &[u8], reason: LineError) {
        self.errors += 1;
        self.events.push(Event::Error {
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
    let t = raw.trim_ascii();
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
        match event {
            Event::Message {
                text,
                timestamp_ms,
                stream,
            } => sink.message(Message {
                line,
                text: &text,
                timestamp_ms,
                stream: stream.as_deref(),
            }),
            Event::Skipped(why) => sink.skipped(line, why),
            Event::Error { raw, reason } => sink.error(line, &raw, reason),
        }
    }
    if scoped {
        sink.end_scope();
    }
    true
}
