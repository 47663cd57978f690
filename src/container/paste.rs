//! The paste shapes: what a terminal or a chat holds around flow log records.
//!
//! One line classifier serves every paste, because real pastes mix them:
//! - `"message": "…"` lines grep'd from `aws logs … --output json`;
//! - `aws logs get-log-events|filter-log-events --output text`: `EVENTS` rows whose
//!   tab-separated cells are the event's keys in alphabetical order
//!   (`[eventId] ingestionTime [logStreamName] message timestamp`); token rows and
//!   `SEARCHEDLOGSTREAMS` rows are noise;
//! - `--query 'events[*].message' --output text`: messages tab-separated on one line;
//! - `--output yaml`: `message:` keys (plain, quoted or folded over several lines) with
//!   the item's `timestamp` and `logStreamName`; other keys are noise;
//! - `grep -H` / `zgrep` prefixes `FILE:` and `FILE:LINE:` before a record or header;
//! - Markdown fences, shell prompts, command echoes and prose around records.
//!
//! Anything else record-like goes on as a plain record line. Noise is skipped with its
//! reason ([`Skip::NotARecord`]), never an error.

use super::csv;
use super::decor;
use super::jsonline;
use super::jstr;
use super::lines::{is_blank, plain, LineSplitter, LineText};
use super::mdtable::{self, MdTable, Start};
use super::msglines::{self, Kind as MsgKind};
use super::noise::{self, looks_like_record, reason};
use super::time;
use super::{overlong_reason, Message, Sink, Skip};
use crate::line_error::LineError;

/// What one line of a paste is (the sniffer tallies these to name the shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    Blank,
    /// A `"message": "…"` line (valid or not), or a line of JSON that may hold records
    /// (a compact document, an event object, a row of fields: `jsonline.rs`).
    JsonMessage,
    /// An `EVENTS` row of `--output text`.
    TextEvent,
    /// A YAML `message:` key with a record-like value.
    YamlMessage,
    /// Several record-like cells on one line, tab-separated.
    Tabbed,
    /// A date-time cell, a tab and a record (a console table row copied).
    Timed,
    /// A record-like line after a `grep -H` prefix.
    Grep,
    /// A record-like line once chat, Markdown or rich-text decoration is taken off.
    Decorated,
    /// A fence, prompt, CLI row, YAML key or prose.
    Noise,
    /// Anything else: a plain record line (or prose the decoder will judge). Last: the
    /// sniffer sizes its tally by it.
    Plain,
}

/// Whether `line` is a YAML `key: value` line; returns (indent, starts an item, key, value).
fn yaml_key(line: &[u8]) -> Option<(usize, bool, &[u8], &[u8])> {
    let indent = line.iter().take_while(|b| **b == b' ').count();
    let mut rest = &line[indent..];
    let mut item = false;
    if let Some(r) = rest.strip_prefix(b"- ") {
        item = true;
        rest = r.trim_ascii_start();
    }
    let colon = rest.iter().position(|b| *b == b':')?;
    let key = &rest[..colon];
    if key.is_empty()
        || !key[0].is_ascii_alphabetic()
        || !key.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    {
        return None;
    }
    let value = &rest[colon + 1..];
    if !(value.is_empty() || value[0] == b' ') {
        return None;
    }
    Some((indent, item, key, value.trim_ascii()))
}

/// The keys aws CLI output has around messages (so their YAML lines are named noise).
fn aws_key(key: &[u8]) -> bool {
    matches!(
        key,
        b"events"
            | b"eventId"
            | b"ingestionTime"
            | b"logStreamName"
            | b"message"
            | b"timestamp"
            | b"nextForwardToken"
            | b"nextBackwardToken"
            | b"nextToken"
            | b"searchedLogStreams"
            | b"searchedCompletely"
    )
}

/// Strips a `grep -H` prefix (`FILE:` or `FILE:LINE:`) when what follows is record-like.
fn grep_rest(line: &[u8]) -> Option<&[u8]> {
    let colon = line.iter().position(|b| *b == b':')?;
    let name = &line[..colon];
    if name.is_empty() || name.iter().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    // An IPv6 address or a date-time at the start of a record is not a file name.
    let first = line
        .split(|b| *b == b' ' || *b == b'\t')
        .next()
        .unwrap_or(line);
    if noise::value_like(first) || time::scan(line).is_some() {
        return None;
    }
    let mut rest = &line[colon + 1..];
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits > 0 && rest.get(digits) == Some(&b':') {
        rest = &rest[digits + 1..];
    }
    (looks_like_record(rest) || time::export_prefix(rest).is_some()).then_some(rest)
}

/// A line without its e-mail or Markdown quote markers (`> `, nested `>> ` or `> > `):
/// a reply that quotes a paste quotes every line of it, and each shape is then read as
/// it is unquoted (a table, a CSV block, `"message":` lines, YAML), a quoted empty line
/// being an empty line. The indentation after the markers is kept.
pub(crate) fn unquoted(line: &[u8]) -> &[u8] {
    let lead = line.iter().take_while(|b| **b == b' ').count();
    if line.get(lead) != Some(&b'>') {
        return line;
    }
    let mut rest = &line[lead..];
    while let Some(after) = rest.strip_prefix(b">") {
        rest = after.strip_prefix(b" ").unwrap_or(after);
    }
    rest
}

/// Classifies a line without decoding it (for the sniffer's tally).
pub(crate) fn kind(line: &[u8], scratch: &mut Vec<u8>) -> LineKind {
    let unquoted_line = unquoted(line);
    let quoted = unquoted_line.len() < line.len();
    let line = unquoted_line;
    if quoted && looks_like_record(line) {
        // a quoted record needs the paste decoder to take its markers off
        return LineKind::Decorated;
    }
    if is_blank(line) {
        return LineKind::Blank;
    }
    let t = line.trim_ascii();
    if t.starts_with(b"```") || t.starts_with(b"~~~") {
        return LineKind::Noise;
    }
    match msglines::classify(line, scratch) {
        MsgKind::Message | MsgKind::Invalid(_) => return LineKind::JsonMessage,
        MsgKind::Blank | MsgKind::Other => {}
    }
    if jsonline::may_hold_records(t) {
        return LineKind::JsonMessage;
    }
    if line.contains(&b'\t') {
        if line.starts_with(b"EVENTS\t") {
            return LineKind::TextEvent;
        }
        if cli_row(line) || field_value_row(line) {
            return LineKind::Noise;
        }
        if tabbed(line) {
            return match timed_record(line) {
                Some(_) => LineKind::Timed,
                None => LineKind::Tabbed,
            };
        }
    }
    if let Some((_, _, key, value)) = yaml_key(line) {
        if key == b"message" && looks_like_record(unquote_plain(value)) {
            return LineKind::YamlMessage;
        }
        if aws_key(key) {
            return LineKind::Noise;
        }
    }
    if decor::undecorate(line, scratch).is_some()
        || mdtable::cells(line).is_some()
        || mdtable::loose_header(line, scratch)
        || (memchr::memchr(b',', line).is_some() && csv::header_columns(line).is_some())
    {
        return LineKind::Decorated;
    }
    if grep_rest(line).is_some() {
        return LineKind::Grep;
    }
    if looks_like_record(line) {
        LineKind::Plain
    } else if noise::noise_reason(line) == reason::PROMPT {
        LineKind::Noise
    } else {
        LineKind::Plain
    }
}

/// The number of space- or tab-separated tokens of a line.
fn token_count(line: &[u8]) -> usize {
    line.split(|b| matches!(b, b' ' | b'\t'))
        .filter(|t| !t.is_empty())
        .count()
}

/// The field counts of the documented layouts (a line of another count cannot be one).
fn documented_counts() -> &'static [usize] {
    static COUNTS: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();
    COUNTS.get_or_init(|| {
        crate::fields::documented_layouts()
            .iter()
            .map(|(_, l)| l.len())
            .collect()
    })
}

/// Whether record-like `a` and `b` are one record wrapped at a space (an e-mail client,
/// a chat window): with a header of `header` fields, neither line alone has that many
/// and together they have exactly that many; with no header, neither alone has the
/// field count of a documented layout and together they are one whose values fit.
/// `joined` receives the two joined with a space. Lines wrapped inside
/// a value (a terminal's hard wrap) are not rejoined: where the value was cut cannot be
/// told, so they stay bad lines with their line numbers.
pub(crate) fn wrapped_pair(
    a: &[u8],
    b: &[u8],
    header: Option<usize>,
    joined: &mut Vec<u8>,
) -> bool {
    let (na, nb) = (token_count(a), token_count(b));
    if na == 0 || nb == 0 || crate::binding::header(b).is_some() {
        return false;
    }
    joined.clear();
    joined.extend_from_slice(a.trim_ascii());
    joined.push(b' ');
    joined.extend_from_slice(b.trim_ascii());
    if let Some(h) = header {
        return na < h && nb < h && na + nb == h;
    }
    let counts = documented_counts();
    !counts.contains(&na)
        && !counts.contains(&nb)
        && counts.contains(&(na + nb))
        && crate::binding::documented_layout_for(joined).is_some()
}

/// A value's text without one pair of surrounding quotes (for the record-like test).
fn unquote_plain(v: &[u8]) -> &[u8] {
    match v {
        [b'\'' | b'"', inner @ .., b'\'' | b'"'] => inner,
        [b'\'' | b'"', inner @ ..] => inner,
        _ => v,
    }
}

/// A non-`EVENTS` row of `--output text`: an upper-case identifier cell, or next/back
/// tokens (`b/…`, `f/…`).
fn cli_row(line: &[u8]) -> bool {
    let first = line.split(|b| *b == b'\t').next().unwrap_or(b"");
    (first.len() >= 3 && first.iter().all(|b| b.is_ascii_uppercase()))
        || line
            .split(|b| *b == b'\t')
            .all(|c| c.starts_with(b"b/") || c.starts_with(b"f/"))
}

/// The cells of a tab-separated line, trimmed, empty ones left out.
fn tab_cells(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|b| *b == b'\t')
        .map(<[u8]>::trim_ascii)
        .filter(|c| !c.is_empty())
}

/// Tab-separated cells, one holding a space and one record-like: messages side by side
/// (`--query 'events[*].message' --output text`) or a console table row.
fn tabbed(line: &[u8]) -> bool {
    line.split(|b| *b == b'\t')
        .any(|c| c.trim_ascii().contains(&b' '))
        && line.split(|b| *b == b'\t').any(looks_like_record)
}

/// A row of a Logs Insights result expanded in the console and copied: `Field⇥Value`,
/// then `name⇥value` per field (`@timestamp⇥1764115260000`, `srcAddr⇥10.0.1.5`). The
/// name is a field name in any spelling or an `@` name, the value one token. Its
/// `@message⇥…` row holds the record (a tabbed record line); these are not records.
fn field_value_row(line: &[u8]) -> bool {
    let mut cells = tab_cells(line);
    let (Some(name), Some(value), None) = (cells.next(), cells.next(), cells.next()) else {
        return false;
    };
    let Ok(name) = std::str::from_utf8(name) else {
        return false;
    };
    let named = name == "Field" && value == b"Value"
        || crate::fields::Field::lookup(name).is_some()
        || name
            .strip_prefix('@')
            .is_some_and(crate::binding::name_shaped);
    // Two names are a two-field header line, not a name and its value.
    let header =
        std::str::from_utf8(value).is_ok_and(|v| crate::fields::Field::lookup(v).is_some());
    named && !header && !value.contains(&b' ')
}

/// A YAML item whose message is being read.
#[derive(Debug, Default)]
struct YamlItem {
    /// Indent of the item's keys.
    key_indent: usize,
    line: u64,
    /// The message's raw scalar text, continuation lines joined with spaces.
    raw: Vec<u8>,
    has_message: bool,
    /// Whether the raw scalar is still inside an open quote.
    open: bool,
    timestamp_ms: Option<i64>,
    stream: Option<Vec<u8>>,
}

/// Whether a quoted YAML scalar (starting with its quote) is closed.
fn quote_closed(raw: &[u8]) -> bool {
    let Some((&q, body)) = raw.split_first() else {
        return true;
    };
    let mut i = 0;
    while i < body.len() {
        match (q, body[i]) {
            (b'"', b'\\') => i += 2,
            (b'\'', b'\'') if body.get(i + 1) == Some(&b'\'') => i += 2,
            (_, c) if c == q => return true,
            _ => i += 1,
        }
    }
    false
}

/// The scalar's value: plain text as is, `'…'` with `''` unescaped, `"…"` with JSON-style
/// escapes. Err for a bad double-quoted escape.
fn scalar(raw: &[u8], out: &mut Vec<u8>) -> Result<(), &'static str> {
    out.clear();
    match raw.first() {
        Some(b'\'') => {
            let body = &raw[1..];
            let mut i = 0;
            while i < body.len() {
                match body[i] {
                    b'\'' if body.get(i + 1) == Some(&b'\'') => {
                        out.push(b'\'');
                        i += 2;
                    }
                    b'\'' => break,
                    c => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            Ok(())
        }
        Some(b'"') => jstr::decode(&raw[1..], out).map(|_| ()).map_err(|e| e.0),
        _ => {
            out.extend_from_slice(raw.trim_ascii());
            Ok(())
        }
    }
}

/// Decodes every paste shape, line by line.
#[derive(Debug)]
pub(crate) struct Paste {
    split: LineSplitter,
    state: State,
}

#[derive(Debug, Default)]
struct State {
    text: Vec<u8>,
    /// A decorated line's record text ([`decor::undecorate`]).
    undecorated: Vec<u8>,
    /// The number of a record line that may continue on the next line
    /// ([`wrapped_pair`]); its text is `held_text`.
    held: Option<u64>,
    held_text: Vec<u8>,
    /// The field count of the last header line.
    header_fields: Option<usize>,
    joined: Vec<u8>,
    yaml: Option<YamlItem>,
    /// The Markdown table the last lines were rows of ([`mdtable`]), of field columns or
    /// of groups: it ends at the first line that is not a table row.
    table: Option<Start>,
    /// The last line was a table's header row (its alignment row may follow).
    table_header_last: bool,
    /// The open table's header had no outer pipes (`version | srcaddr | …`,
    /// [`mdtable::loose_cells`]): its rows may have none either.
    table_loose: bool,
    /// A table row's record line, or its header's names as a header line.
    table_line: Vec<u8>,
    /// A CSV block pasted among other lines (a Logs Insights download in a chat): its
    /// rows are read as the CSV shape reads them, until a line that is blank, has no
    /// comma or is a table row.
    csv: Option<Box<csv::Rows>>,
    /// `header_fields` before the open table or CSV block of fields (a header scope): its
    /// header is the block's, and the lines after it are read as if it had not been there.
    header_fields_before_scope: Option<usize>,
    /// A JSON document laid out over the last lines, held until it closes
    /// ([`jsonline::Block`]).
    block: Option<Box<jsonline::Block>>,
    /// Lines a block gave back are being read one by one: 1 for a block of the paste's
    /// own lines (the event objects inside it may each open a block, its first line
    /// not), 2 for a block that began on such a line (no block opens).
    replay_depth: u8,
    /// The first line of the block being given back.
    replay_first: u64,
}

impl State {
    /// A line over the length bound is one bad line (with its length); the rest are read.
    fn bounded_line<S: Sink>(&mut self, line: u64, raw: LineText<'_>, sink: &mut S) {
        match raw {
            Ok(raw) => self.line(line, raw, sink),
            Err(long) => {
                self.flush_block(sink);
                self.flush_held(sink);
                sink.error(line, long.head, overlong_reason("line", long.len))
            }
        }
    }

    /// Reads the lines of a block still open (at the end of the input, or before a line
    /// too long to hold) one by one.
    fn flush_block<S: Sink>(&mut self, sink: &mut S) {
        // giving a block back may leave one open that began on its lines
        while let Some(block) = self.block.take() {
            self.replay(*block, sink);
        }
    }

    /// Reads the lines of a block that was no document of records as they would have
    /// been read without it.
    fn replay<S: Sink>(&mut self, block: jsonline::Block, sink: &mut S) {
        let depth = if block.nested() { 2 } else { 1 };
        let (first, text) = block.into_lines();
        let text = text.strip_suffix(b"\n").unwrap_or(&text);
        let outer = (self.replay_depth, self.replay_first);
        (self.replay_depth, self.replay_first) = (depth, first);
        for (line, raw) in (first..).zip(text.split(|b| *b == b'\n')) {
            self.line(line, raw, sink);
        }
        (self.replay_depth, self.replay_first) = outer;
    }

    /// Whether line `line` may open a block (see `replay_depth`).
    fn may_open_block(&self, line: u64) -> bool {
        match self.replay_depth {
            0 => true,
            1 => line != self.replay_first,
            _ => false,
        }
    }

    /// The line `raw` (unquoted) goes to the open block: true when there was one.
    fn block_line<S: Sink>(&mut self, raw: &[u8], sink: &mut S) -> bool {
        let Some(block) = &mut self.block else {
            return false;
        };
        match block.push(raw) {
            jsonline::Step::Open => {}
            jsonline::Step::Closed => {
                let block = self.block.take().expect("open block");
                let scoped = block.has_header();
                if scoped {
                    self.begin_scope(sink);
                }
                block.send(sink);
                if scoped {
                    self.end_scope(sink);
                }
            }
            jsonline::Step::Failed => {
                let block = self.block.take().expect("open block");
                self.replay(*block, sink);
            }
        }
        true
    }

    fn flush_yaml<S: Sink>(&mut self, sink: &mut S) {
        let Some(item) = self.yaml.take() else {
            return;
        };
        if !item.has_message {
            return;
        }
        match scalar(&item.raw, &mut self.text) {
            Ok(()) => sink.message(Message {
                line: item.line,
                text: &self.text,
                timestamp_ms: item.timestamp_ms,
                stream: item.stream.as_deref(),
            }),
            Err(e) => sink.error(item.line, &item.raw, LineError::Yaml(e)),
        }
    }

    /// Handles a line that may continue or complete the YAML item being read; false
    /// when it belongs to no item (the item, if any, is then flushed).
    fn yaml_line<S: Sink>(&mut self, line: u64, raw: &[u8], sink: &mut S) -> bool {
        let key = yaml_key(raw);
        if let Some(item) = &mut self.yaml {
            let indent = raw.iter().take_while(|b| **b == b' ').count();
            if item.open || (item.has_message && indent > item.key_indent && key.is_none()) {
                // a folded continuation of the message scalar
                item.raw.push(b' ');
                item.raw.extend_from_slice(raw.trim_ascii());
                if item.open {
                    item.open = !quote_closed(&item.raw);
                }
                sink.skipped(line, Skip::NotARecord(reason::YAML_FOLD));
                return true;
            }
            let same_item = match key {
                Some((ind, false, _, _)) => ind == item.key_indent,
                _ => false,
            };
            if !same_item {
                self.flush_yaml(sink);
            }
        }
        let Some((indent, is_item, k, value)) = key else {
            return false;
        };
        if !aws_key(k) {
            self.flush_yaml(sink);
            return false;
        }
        if is_item || self.yaml.is_none() {
            self.flush_yaml(sink);
            let key_indent = if is_item {
                raw.iter()
                    .position(|b| !matches!(b, b' ' | b'-'))
                    .unwrap_or(indent + 2)
            } else {
                indent
            };
            self.yaml = Some(YamlItem {
                key_indent,
                ..Default::default()
            });
        }
        let Some(item) = self.yaml.as_mut() else {
            return false;
        };
        match k {
            b"message" if !item.has_message => {
                item.has_message = true;
                item.line = line;
                item.raw = value.to_vec();
                item.open = matches!(value.first(), Some(b'\'' | b'"')) && !quote_closed(value);
                return true;
            }
            b"timestamp" => item.timestamp_ms = time::parse_text(unquote_plain(value)),
            b"logStreamName" => item.stream = Some(unquote_plain(value).to_vec()),
            _ => {}
        }
        sink.skipped(line, Skip::NotARecord(reason::YAML_KEY));
        true
    }

    /// A plain record line: held when it may be the first half of a wrapped record,
    /// else passed on (a header line also sets the count wrapped halves must add up to).
    /// Only the token count is looked at here, so the lines of a documented layout
    /// (nearly all of them) pay one scan.
    fn record<S: Sink>(&mut self, line: u64, text: &[u8], sink: &mut S) {
        if let Some(h) = crate::binding::header(text) {
            self.header_fields = Some(h.fields.len());
            return plain(line, text, sink);
        }
        let n = token_count(text);
        let may_wrap = match self.header_fields {
            Some(h) => n < h,
            None => !documented_counts().contains(&n),
        };
        if may_wrap && time::export_prefix(text).is_none() {
            self.held = Some(line);
            self.held_text.clear();
            self.held_text.extend_from_slice(text);
        } else {
            plain(line, text, sink);
        }
    }

    /// Handles a held first half: `raw` completes it (both are then one record on the
    /// first line, the second skipped with its reason) or it goes on alone. True when
    /// `raw` was consumed.
    fn complete_held<S: Sink>(&mut self, line: u64, raw: &[u8], sink: &mut S) -> bool {
        let Some(first) = self.held.take() else {
            return false;
        };
        let rest: &[u8] = match decor::undecorate(raw, &mut self.undecorated) {
            Some(found) if found.stream.is_none() => &self.undecorated,
            _ => raw,
        };
        let text = &self.held_text;
        if looks_like_record(rest) && wrapped_pair(text, rest, self.header_fields, &mut self.joined)
        {
            plain(first, &self.joined, sink);
            sink.skipped(line, Skip::NotARecord(reason::WRAPPED));
            return true;
        }
        plain(first, text, sink);
        false
    }

    fn flush_held<S: Sink>(&mut self, sink: &mut S) {
        if let Some(line) = self.held.take() {
            plain(line, &self.held_text, sink);
        }
    }

    fn line<S: Sink>(&mut self, line: u64, raw: &[u8], sink: &mut S) {
        let raw = unquoted(raw);
        if self.block_line(raw, sink) {
            return;
        }
        if self.held.is_some() && self.complete_held(line, raw, sink) {
            return;
        }
        let (cells, loose) = match mdtable::cells(raw) {
            Some(cells) => (Some(cells), false),
            None => (self.loose_row(raw), true),
        };
        if cells.is_some() {
            // a table row ends a pasted CSV block
            self.end_csv(sink);
        }
        match (cells, &self.table) {
            (Some(cells), _) => {
                if self.table_row(line, raw, &cells, loose, sink) {
                    return;
                }
            }
            // a row of the table that lost its closing `|`: the table goes on
            (None, Some(table)) if raw.trim_ascii_start().starts_with(b"|") => {
                return match table {
                    Start::Fields(_) => sink.error(line, raw, LineError::TableRowShape),
                    Start::Groups => sink.skipped(line, Skip::NotARecord(reason::GROUP_TABLE)),
                };
            }
            (None, _) => {
                self.set_table(None, sink);
                self.table_header_last = false;
            }
        }
        // after the table is closed: a CSV header right under a table begins its own scope
        if self.csv_line(line, raw, sink) {
            return;
        }
        if is_blank(raw) {
            if self.yaml.as_ref().is_some_and(|y| y.open) {
                self.yaml_line(line, raw, sink);
                return;
            }
            sink.skipped(line, Skip::Blank);
            return;
        }
        if (self.yaml.is_some() || yaml_key(raw).is_some_and(|(_, _, k, _)| aws_key(k)))
            && self.yaml_line(line, raw, sink)
        {
            return;
        }
        self.other(line, raw, sink, true);
    }

    /// A line without outer pipes read as a table row: a row of the open table whose
    /// header had none, or a header row of field names that opens such a table. `None`
    /// for any other line (a shell pipeline, prose with a `|`), read as it would be.
    fn loose_row(&mut self, raw: &[u8]) -> Option<Vec<Vec<u8>>> {
        let cells = mdtable::loose_cells(raw)?;
        if self.table.is_some() && self.table_loose {
            return Some(cells);
        }
        MdTable::header(&cells, &mut self.table_line)
            .is_some()
            .then_some(cells)
    }

    /// A row of a Markdown table: a header row (of field columns, a header line for the
    /// decoder; of groups, skipped), its alignment row (skipped), or a row of the open
    /// table (a record, or a group row skipped). False for a table row of no such table
    /// (read like any other line). `loose`: the row has no outer pipes.
    fn table_row<S: Sink>(
        &mut self,
        line: u64,
        raw: &[u8],
        cells: &[Vec<u8>],
        loose: bool,
        sink: &mut S,
    ) -> bool {
        // the alignment row only right under a header row (a NODATA row of `-` cells
        // further down is a record). Right under it, `-|-|-` is the shortest alignment
        // row Markdown allows: a record there would have come after flowlens's own
        // `| --- |` row.
        let after_header = std::mem::take(&mut self.table_header_last);
        if after_header && (mdtable::is_rule(cells) || cells.iter().all(|c| c == b"-")) {
            sink.skipped(line, Skip::NotARecord(reason::TABLE_RULE));
            return true;
        }
        // a header row starts a table, also straight under another table
        if let Some(start) = MdTable::header(cells, &mut self.table_line) {
            let field_count = match &start {
                Start::Fields(table) => Some(table.field_count()),
                Start::Groups => None,
            };
            self.set_table(Some(start), sink);
            self.table_loose = loose;
            match field_count {
                Some(n) => {
                    self.header_fields = Some(n);
                    plain(line, &self.table_line, sink);
                }
                None => sink.skipped(line, Skip::NotARecord(reason::GROUP_TABLE)),
            }
            self.table_header_last = true;
            return true;
        }
        match &self.table {
            Some(Start::Fields(table)) => match table.record(cells, &mut self.table_line) {
                Ok(meta) if meta.timestamp_ms.is_none() && meta.stream.is_none() => {
                    plain(line, &self.table_line, sink)
                }
                Ok(meta) => sink.message(Message {
                    line,
                    text: &self.table_line,
                    timestamp_ms: meta.timestamp_ms,
                    stream: meta.stream.map(|i| cells[i].as_slice()),
                }),
                Err(e) => sink.error(line, raw, e),
            },
            Some(Start::Groups) => sink.skipped(line, Skip::NotARecord(reason::GROUP_TABLE)),
            None => return false,
        }
        true
    }

    /// Opens, replaces or closes the table. A table of fields is a header scope
    /// ([`Sink::begin_scope`]): its header binds its rows, and when it ends (a line that
    /// is no table row, or a table of groups) the lines after it are bound as before it.
    /// A table of fields straight under another stays in the first one's scope.
    fn set_table<S: Sink>(&mut self, table: Option<Start>, sink: &mut S) {
        let was_fields = matches!(self.table, Some(Start::Fields(_)));
        let is_fields = matches!(table, Some(Start::Fields(_)));
        if is_fields && !was_fields {
            self.begin_scope(sink);
        } else if was_fields && !is_fields {
            self.end_scope(sink);
        }
        self.table = table;
    }

    /// A header scope begins: a table's or CSV block's header row binds its rows only.
    fn begin_scope<S: Sink>(&mut self, sink: &mut S) {
        self.header_fields_before_scope = self.header_fields;
        sink.begin_scope();
    }

    fn end_scope<S: Sink>(&mut self, sink: &mut S) {
        self.header_fields = self.header_fields_before_scope.take();
        sink.end_scope();
    }

    /// A line of a CSV block pasted among other lines: its header row (a line of comma
    /// separated names that [`csv::header_columns`] takes, field names or a message
    /// column; or of tab-separated field names, a spreadsheet's copy,
    /// [`csv::tsv_header`]) or one of its rows, each read as the CSV (TSV) shape reads
    /// it. The block ends at a line that is blank, has no delimiter, is a Markdown table
    /// row, has no flow log value (prose: "Then, from the console:") or is another header
    /// row (which begins the next block); a row of another width inside it is a bad line,
    /// as in a CSV file. False for a line of no block (read like any other line).
    fn csv_line<S: Sink>(&mut self, line: u64, raw: &[u8], sink: &mut S) -> bool {
        let blank = is_blank(raw);
        if let Some(rows) = &mut self.csv {
            let delimiter = rows.delimiter_byte();
            let header = match delimiter {
                b'\t' => csv::tsv_header(raw),
                _ => csv::header_columns(raw).is_some(),
            };
            let row = !blank
                && memchr::memchr(delimiter, raw).is_some()
                && !header
                && rows.continues(raw);
            if row {
                rows.line(line, Ok(raw), sink);
                return true;
            }
            self.end_csv(sink);
        }
        // one scan for either delimiter: most pasted lines (records) have neither
        if blank || memchr::memchr2(b',', b'\t', raw).is_none() {
            return false;
        }
        let comma_header = memchr::memchr(b',', raw).and_then(|_| csv::header_columns(raw));
        let (fields, delimiter) = match comma_header {
            Some(columns) => (
                matches!(columns, csv::Columns::Fields(_)),
                csv::Delimiter::Comma,
            ),
            None if csv::tsv_header(raw) => (true, csv::Delimiter::Tab),
            None => return false,
        };
        if fields {
            self.begin_scope(sink);
        }
        let mut rows = Box::new(csv::Rows::new(delimiter));
        rows.line(line, Ok(raw), sink);
        self.csv = Some(rows);
        true
    }

    /// Ends the pasted CSV block, if one is open, and its header scope: a header with no
    /// row under it stays the binding of the lines after it, as a header line does.
    fn end_csv<S: Sink>(&mut self, sink: &mut S) {
        if let Some(rows) = self.csv.take() {
            if rows.of_fields() && rows.has_rows() {
                self.end_scope(sink);
            } else if rows.of_fields() {
                self.header_fields_before_scope = None;
                sink.keep_scope();
            }
        }
    }

    fn other<S: Sink>(&mut self, line: u64, raw: &[u8], sink: &mut S, outer: bool) {
        let t = raw.trim_ascii();
        if t.starts_with(b"```") || t.starts_with(b"~~~") {
            return sink.skipped(line, Skip::NotARecord(reason::FENCE));
        }
        match msglines::classify(raw, &mut self.text) {
            MsgKind::Message => {
                return sink.message(Message {
                    line,
                    text: &self.text,
                    timestamp_ms: None,
                    stream: None,
                })
            }
            MsgKind::Invalid(expected) => {
                return sink.error(line, raw, LineError::MessageLine(expected))
            }
            MsgKind::Blank | MsgKind::Other => {}
        }
        if jsonline::read(line, raw, sink) {
            return;
        }
        if outer && self.may_open_block(line) {
            let nested = self.replay_depth > 0;
            if let Some(block) = jsonline::Block::start(line, raw, nested) {
                self.block = Some(Box::new(block));
                return;
            }
        }
        if raw.contains(&b'\t') {
            if let Some(cells) = raw.strip_prefix(b"EVENTS\t") {
                return text_event(line, raw, cells, sink);
            }
            if cli_row(raw) {
                return sink.skipped(line, Skip::NotARecord(reason::CLI_TEXT_ROW));
            }
            if field_value_row(raw) {
                return sink.skipped(line, Skip::NotARecord(reason::FIELD_ROW));
            }
            if tabbed(raw) {
                if let Some(row) = timed_record(raw) {
                    return sink.message(Message {
                        line,
                        text: row.record,
                        timestamp_ms: Some(row.timestamp_ms),
                        stream: row.stream,
                    });
                }
                for cell in tab_cells(raw) {
                    if looks_like_record(cell) {
                        plain(line, cell, sink);
                    } else {
                        sink.skipped(line, Skip::NotARecord(noise::noise_reason(cell)));
                    }
                }
                return;
            }
        }
        if outer {
            if let Some(found) = decor::undecorate(raw, &mut self.undecorated) {
                if found.timestamp_ms.is_none() {
                    let text = std::mem::take(&mut self.undecorated);
                    self.record(line, &text, sink);
                    self.undecorated = text;
                    return;
                }
                return sink.message(Message {
                    line,
                    text: &self.undecorated,
                    timestamp_ms: found.timestamp_ms,
                    stream: found.stream.as_deref(),
                });
            }
            if let Some(rest) = grep_rest(raw) {
                return self.other(line, rest, sink, false);
            }
        }
        if looks_like_record(raw) || time::export_prefix(raw).is_some() {
            return self.record(line, raw, sink);
        }
        sink.skipped(line, Skip::NotARecord(noise::noise_reason(raw)));
    }
}

/// A row of a CloudWatch console table copied as text: the log events table
/// (`time⇥record`) or the Logs Insights results table (`#⇥@timestamp⇥@message`, with
/// `@logStream` and `@log` columns if shown). The time as the console shows it
/// (`2025-11-26T00:01:00.000Z`, `2025-11-26 00:01:00.000`) becomes the record's
/// `@timestamp`, as the export-to-S3 prefix does, and a stream name its `@logStream`.
/// Only when every cell is one of those: exactly one record and one date-time (it has a
/// `:`; bare digits could be anything), at most one stream (`eni-…-all`), a row number,
/// an `account:log-group` cell.
fn timed_record(raw: &[u8]) -> Option<Timed<'_>> {
    let (mut record, mut time, mut stream) = (None, None, None);
    // Each of the record, the time and the stream at most once.
    fn one<T>(slot: &mut Option<T>, v: T) -> bool {
        slot.replace(v).is_none()
    }
    for cell in tab_cells(raw) {
        let fits = if looks_like_record(cell) {
            one(&mut record, cell)
        } else if cell.contains(&b':') {
            match time::parse_text(cell) {
                Some(ms) => one(&mut time, ms),
                None => log_group_cell(cell),
            }
        } else if stream_cell(cell) {
            one(&mut stream, cell)
        } else {
            cell.len() <= 7 && cell.iter().all(u8::is_ascii_digit)
        };
        if !fits {
            return None;
        }
    }
    Some(Timed {
        timestamp_ms: time?,
        record: record?,
        stream,
    })
}

/// What [`timed_record`] finds in a copied console row.
struct Timed<'a> {
    timestamp_ms: i64,
    record: &'a [u8],
    stream: Option<&'a [u8]>,
}

/// A flow log's log stream name: an interface and what it records (`eni-…-all`).
fn stream_cell(cell: &[u8]) -> bool {
    cell.starts_with(b"eni-")
        && [b"-all".as_slice(), b"-accept", b"-reject"]
            .iter()
            .any(|end| cell.ends_with(end))
        && !cell.contains(&b' ')
}

/// A Logs Insights `@log` cell: `123456789012:log-group-name`.
fn log_group_cell(cell: &[u8]) -> bool {
    match cell.iter().position(|b| *b == b':') {
        Some(12) => {
            cell[..12].iter().all(u8::is_ascii_digit) && !cell.contains(&b' ') && cell.len() > 13
        }
        _ => false,
    }
}

/// An `EVENTS` row: `[eventId] ingestionTime [logStreamName] message timestamp`.
fn text_event<S: Sink>(line: u64, raw: &[u8], cells: &[u8], sink: &mut S) {
    let cells: Vec<&[u8]> = cells.split(|b| *b == b'\t').collect();
    let n = cells.len();
    if n < 3 {
        return sink.error(line, raw, LineError::CliText(n));
    }
    let timestamp_ms = time::parse_text(cells[n - 1]);
    let stream = (n >= 5).then(|| cells[n - 3]);
    sink.message(Message {
        line,
        text: cells[n - 2],
        timestamp_ms,
        stream,
    });
}

impl Paste {
    pub(crate) fn new() -> Self {
        Paste {
            split: LineSplitter::new(),
            state: State::default(),
        }
    }

    pub(crate) fn line(&self) -> u64 {
        self.split.line()
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.split.heap_bytes()
            + self.state.text.capacity()
            + self.state.undecorated.capacity()
            + self.state.csv.as_ref().map_or(0, |c| c.heap_bytes())
            + self.state.block.as_ref().map_or(0, |b| b.heap_bytes())
    }

    pub(crate) fn push<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) {
        let state = &mut self.state;
        self.split
            .push(chunk, |line, raw| state.bounded_line(line, raw, sink));
    }

    pub(crate) fn finish<S: Sink>(&mut self, sink: &mut S) {
        let state = &mut self.state;
        self.split
            .finish(|line, raw| state.bounded_line(line, raw, sink));
        state.flush_block(sink);
        state.flush_held(sink);
        state.flush_yaml(sink);
    }
}
