//! Test support: a sink that records everything, and chunk-boundary exhaustive runs.

use std::io::Write;

use super::{Container, Message, Shape, Sink, Skip};

/// One thing a container reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ev {
    Msg {
        line: u64,
        text: String,
        ts: Option<i64>,
        stream: Option<String>,
    },
    Skip(u64, Skip),
    Err {
        line: u64,
        raw: String,
        reason: String,
    },
}

/// Records every event.
#[derive(Debug, Default)]
pub(crate) struct Rec(pub Vec<Ev>);

fn s(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl Sink for Rec {
    fn message(&mut self, m: Message<'_>) {
        self.0.push(Ev::Msg {
            line: m.line,
            text: s(m.text),
            ts: m.timestamp_ms,
            stream: m.stream.map(s),
        });
    }
    fn skipped(&mut self, line: u64, why: Skip) {
        self.0.push(Ev::Skip(line, why));
    }
    fn error(&mut self, line: u64, raw: &[u8], reason: crate::line_error::LineError) {
        self.0.push(Ev::Err {
            line,
            raw: s(raw),
            reason: reason.to_string(),
        });
    }
}

/// Runs `input` through a container in chunks of `size`.
pub(crate) fn run(input: &[u8], size: usize) -> (Vec<Ev>, Option<Shape>, bool) {
    let mut c = Container::new();
    let mut rec = Rec::default();
    for chunk in input.chunks(size.max(1)) {
        c.push(chunk, &mut rec);
    }
    c.push(&[], &mut rec);
    c.finish(&mut rec);
    assert_eq!(c.bytes_in(), input.len() as u64);
    (rec.0, c.shape(), c.gzip())
}

/// Runs `input` whole and in chunks of 1, 2, 3, 7, 64 and 4096 bytes, asserts they all
/// agree, and returns the events with the detected shape.
pub(crate) fn run_all(input: &[u8]) -> (Vec<Ev>, Option<Shape>) {
    let whole = run(input, input.len());
    for size in [1, 2, 3, 7, 64, 4096] {
        let got = run(input, size);
        assert_eq!(got, whole, "chunk size {size} differs from whole input");
    }
    (whole.0, whole.1)
}

/// Shorthand for an expected message.
pub(crate) fn msg(line: u64, text: &str, ts: Option<i64>, stream: Option<&str>) -> Ev {
    Ev::Msg {
        line,
        text: text.into(),
        ts,
        stream: stream.map(Into::into),
    }
}

/// The texts of the messages, in order.
pub(crate) fn texts(evs: &[Ev]) -> Vec<&str> {
    evs.iter()
        .filter_map(|e| match e {
            Ev::Msg { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// The errors, as (line, reason).
pub(crate) fn errors(evs: &[Ev]) -> Vec<(u64, &str)> {
    evs.iter()
        .filter_map(|e| match e {
            Ev::Err { line, reason, .. } => Some((*line, reason.as_str())),
            _ => None,
        })
        .collect()
}

/// Gzip-compresses `data` as one member.
pub(crate) fn gz(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).expect("write to Vec");
    enc.finish().expect("finish to Vec")
}

pub(crate) use crate::testrng::Rng;
