//! [`Container`]: gzip detection, shape sniffing, then the chosen shape's decoder.

use super::ansi::Unescape;
use super::csv::{Csv, Delimiter};
use super::gzip::{Gunzip, Inflated};
use super::json::Json;
use super::lines::Lines;
use super::paste::Paste;
use super::quoted::Unquote;
use super::sniff::Layer;
use super::sniff::Sniffer;
use super::utf16::Utf16;
use super::{Binary, Message, Shape, Sink, Skip};
use crate::line_error::{GzipError, LineError};

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The decompressed stream: sniffing first, then one shape decoder.
#[derive(Debug)]
enum Body {
    Sniffing(Sniffer),
    Lines(Lines),
    /// Every paste shape, with the name the sniffer gave it.
    Paste(Box<Paste>, Shape),
    Json(Box<Json>, JsonSeen),
    Csv(Box<Csv>),
    /// Binary input: reported once, the rest passed over.
    Binary(Binary, u64),
    /// Input that needs a transform before its shape is sniffed (UTF-16, or quoted as a
    /// whole), for the body it holds (sniffed in turn).
    Transformed(Box<Transformed>),
}

/// A body fed through a transform.
#[derive(Debug)]
struct Transformed {
    transform: Transform,
    body: Body,
}

#[derive(Debug)]
enum Transform {
    /// UTF-16 transcoded to UTF-8 ([`super::utf16`]).
    Utf16(Utf16),
    /// Quote markers taken off every line ([`super::quoted`]).
    Unquote(Unquote),
    /// Terminal escape sequences taken out ([`super::ansi`]).
    Unescape(Unescape),
}

impl Transform {
    fn apply(&mut self, chunk: &[u8]) -> &[u8] {
        match self {
            Transform::Utf16(t) => t.transcode(chunk),
            Transform::Unquote(t) => t.transform(chunk),
            Transform::Unescape(t) => t.transform(chunk),
        }
    }

    fn finish(&mut self) -> &[u8] {
        match self {
            Transform::Utf16(t) => t.finish(),
            Transform::Unquote(t) => t.finish(),
            Transform::Unescape(t) => t.finish(),
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Transform::Utf16(t) => t.heap_bytes(),
            Transform::Unquote(t) => t.heap_bytes(),
            Transform::Unescape(t) => t.heap_bytes(),
        }
    }
}

/// What a JSON input held, to say so when it had no flow log events at all.
#[derive(Debug, Default, Clone, Copy)]
struct JsonSeen {
    events: u64,
    errors: u64,
    reported: bool,
}

/// Counts what the JSON decoder hands on.
struct Counting<'a, S> {
    sink: &'a mut S,
    seen: &'a mut JsonSeen,
}

impl<S: Sink> Sink for Counting<'_, S> {
    fn message(&mut self, m: Message<'_>) {
        self.seen.events += 1;
        self.sink.message(m);
    }
    fn skipped(&mut self, line: u64, why: Skip) {
        self.seen.events += 1;
        self.sink.skipped(line, why);
    }
    fn error(&mut self, line: u64, raw: &[u8], reason: LineError) {
        self.seen.errors += 1;
        self.sink.error(line, raw, reason);
    }
    fn begin_scope(&mut self) {
        self.sink.begin_scope();
    }
    fn end_scope(&mut self) {
        self.sink.end_scope();
    }
    fn keep_scope(&mut self) {
        self.sink.keep_scope();
    }
}

impl Body {
    fn for_shape(shape: Shape) -> Body {
        match shape {
            Shape::Lines => Body::Lines(Lines::new()),
            Shape::MessageLines | Shape::AwsText | Shape::Yaml | Shape::Paste => {
                Body::Paste(Box::new(Paste::new()), shape)
            }
            Shape::Json => Body::Json(Box::new(Json::new()), JsonSeen::default()),
            Shape::Csv => Body::Csv(Box::new(Csv::new(Delimiter::Comma))),
            Shape::Tsv => Body::Csv(Box::new(Csv::new(Delimiter::Tab))),
            // never sniffed: Parquet files are read whole, as row batches
            Shape::Parquet => Body::Lines(Lines::new()),
            Shape::Binary(b) => Body::Binary(b, 0),
        }
    }

    fn shape(&self) -> Option<Shape> {
        match self {
            Body::Sniffing(_) => None,
            Body::Lines(_) => Some(Shape::Lines),
            Body::Paste(_, shape) => Some(*shape),
            Body::Json(..) => Some(Shape::Json),
            Body::Csv(d) => Some(match d.delimiter() {
                Delimiter::Comma => Shape::Csv,
                Delimiter::Tab => Shape::Tsv,
            }),
            Body::Binary(b, _) => Some(Shape::Binary(*b)),
            Body::Transformed(t) => t.body.shape(),
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Body::Sniffing(s) => s.heap_bytes(),
            Body::Lines(d) => d.heap_bytes(),
            Body::Paste(d, _) => d.heap_bytes(),
            Body::Json(d, _) => d.heap_bytes(),
            Body::Csv(d) => d.heap_bytes(),
            Body::Binary(..) => 0,
            Body::Transformed(t) => t.transform.heap_bytes() + t.body.heap_bytes(),
        }
    }

    /// The line being read, for errors found outside the shape (gzip damage).
    fn line(&self) -> u64 {
        match self {
            Body::Sniffing(s) => 1 + s.newlines(),
            Body::Lines(d) => d.line(),
            Body::Paste(d, _) => d.line(),
            Body::Json(d, _) => d.line(),
            Body::Csv(d) => d.line(),
            Body::Binary(..) => 1,
            Body::Transformed(t) => t.body.line(),
        }
    }

    #[inline]
    fn push<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) {
        match self {
            Body::Lines(d) => d.push(chunk, sink),
            Body::Sniffing(s) => {
                s.buffer(chunk);
                match s.layer(false) {
                    Layer::Undecided => {}
                    Layer::None => {
                        if let Some(shape) = s.decide() {
                            self.start(shape, sink);
                        }
                    }
                    layer => self.transform(layer, sink),
                }
            }
            Body::Paste(d, _) => d.push(chunk, sink),
            Body::Json(d, seen) => d.push(chunk, &mut Counting { sink, seen }),
            Body::Csv(d) => d.push(chunk, sink),
            Body::Binary(b, reported) => {
                if *reported == 0 {
                    *reported = 1;
                    sink.error(1, &[], LineError::Binary(*b));
                }
            }
            Body::Transformed(t) => {
                let Transformed { transform, body } = &mut **t;
                body.push(transform.apply(chunk), sink);
            }
        }
    }

    /// Switches from sniffing to a transform whose output is sniffed in turn: the
    /// buffered input is replayed through it (a quoted input's UTF-8 BOM left out, so
    /// its first line's markers come off too).
    fn transform<S: Sink>(&mut self, layer: Layer, sink: &mut S) {
        let transform = match layer {
            Layer::Utf16(order) => Transform::Utf16(Utf16::new(order)),
            Layer::Quoted => Transform::Unquote(Unquote::new()),
            Layer::Ansi => Transform::Unescape(Unescape::new()),
            Layer::Undecided | Layer::None => return,
        };
        let next = Body::Transformed(Box::new(Transformed {
            transform,
            body: Body::Sniffing(Sniffer::after(layer)),
        }));
        if let Body::Sniffing(sniffer) = std::mem::replace(self, next) {
            let buf = sniffer.into_buffered();
            let bom = if layer == Layer::Quoted && buf.starts_with(super::sniff::BOM) {
                super::sniff::BOM.len()
            } else {
                0
            };
            self.push(&buf[bom..], sink);
        }
    }

    /// Switches from sniffing to `shape`, replaying the buffered input into it.
    fn start<S: Sink>(&mut self, shape: Shape, sink: &mut S) {
        let next = Body::for_shape(shape);
        if let Body::Sniffing(sniffer) = std::mem::replace(self, next) {
            self.push(sniffer.body(), sink);
        }
    }

    /// Decides the shape from what was seen if still sniffing, handing on every
    /// complete line or entry so far.
    fn settle<S: Sink>(&mut self, sink: &mut S) {
        match self {
            Body::Sniffing(s) => {
                match s.layer(true) {
                    Layer::Undecided | Layer::None => {}
                    layer => {
                        self.transform(layer, sink);
                        return self.settle(sink);
                    }
                }
                let shape = s.finish();
                self.start(shape, sink);
            }
            Body::Transformed(t) => t.body.settle(sink),
            _ => {}
        }
    }

    fn finish<S: Sink>(&mut self, sink: &mut S) {
        self.settle(sink);
        match self {
            Body::Sniffing(_) => {}
            Body::Lines(d) => d.finish(sink),
            Body::Paste(d, _) => d.finish(sink),
            Body::Json(d, seen) => {
                d.finish(&mut Counting { sink, seen });
                if seen.events == 0 && seen.errors == 0 && !seen.reported {
                    seen.reported = true;
                    sink.error(1, &[], LineError::NoEvents);
                }
            }
            Body::Csv(d) => d.finish(sink),
            Body::Binary(..) => {}
            Body::Transformed(t) => {
                let Transformed { transform, body } = &mut **t;
                body.push(transform.finish(), sink);
                body.finish(sink);
            }
        }
    }
}

/// Routes inflated bytes into the body and gzip damage into the sink.
struct Feed<'a, S> {
    body: &'a mut Body,
    sink: &'a mut S,
}

impl<S: Sink> Inflated for Feed<'_, S> {
    fn data(&mut self, bytes: &[u8]) {
        if !bytes.is_empty() {
            self.body.push(bytes, self.sink);
        }
    }

    /// Gzip damage ends the decompressed stream: the body is finished first (flushing a
    /// buffered start or a last partial line) so events stay in stream order.
    /// `Body::finish` is idempotent, so `Container::finish` may call it again.
    fn error(&mut self, reason: GzipError) {
        // Damaged gzip inflates to junk: say the gzip is damaged, not that it is binary.
        if let Body::Sniffing(s) = &*self.body {
            if let Some(b) = super::sniff::binary(s.body()) {
                *self.body = Body::Binary(b, 1);
            }
        }
        self.body.finish(self.sink);
        self.sink.error(self.body.line(), &[], reason.into());
    }
}

/// Whether the input is gzip, decided from its first two bytes.
#[derive(Debug)]
enum Wrapper {
    /// Fewer than two bytes seen, the first being 0x1f.
    Undecided(Option<u8>),
    Plain,
    Gzip(Box<Gunzip>),
    /// Gzip inflated on another thread (`inflate_thread`, native only): the body gets
    /// its text.
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    GzipElsewhere,
}

/// Unwraps raw input (optionally gzip, any shape) into record messages, push-style.
#[derive(Debug)]
pub struct Container {
    wrapper: Wrapper,
    body: Body,
    bytes_in: u64,
    /// The number of the input's first line (1, or a later one for a part of a file).
    first_line: u64,
}

impl Default for Container {
    fn default() -> Self {
        Self::new()
    }
}

impl Container {
    pub fn new() -> Self {
        Container {
            wrapper: Wrapper::Undecided(None),
            body: Body::Sniffing(Sniffer::new()),
            bytes_in: 0,
            first_line: 1,
        }
    }

    /// A container for a later part of a plain-text file of record lines, cut after a
    /// `\n`, whose first line is `first_line`: plain lines, not sniffed.
    pub fn continuing_lines(first_line: u64) -> Self {
        Container {
            wrapper: Wrapper::Plain,
            body: Body::Lines(Lines::starting_at(first_line)),
            bytes_in: 0,
            first_line,
        }
    }

    /// The number of the line being read.
    pub fn line(&self) -> u64 {
        self.body.line()
    }

    /// The number of the input's first line.
    pub fn first_line(&self) -> u64 {
        self.first_line
    }

    /// Whether input stopped inside a line (or before its shape was known).
    pub fn mid_line(&self) -> bool {
        match &self.body {
            Body::Lines(d) => d.mid_line(),
            _ => true,
        }
    }

    /// Feeds the next chunk of raw input bytes (any size, possibly 1 byte).
    pub fn push<S: Sink>(&mut self, chunk: &[u8], sink: &mut S) {
        self.bytes_in += chunk.len() as u64;
        match &mut self.wrapper {
            // (pushing raw bytes to a container fed from an inflating thread is a caller
            // bug; they are taken as the text they would inflate to)
            Wrapper::Plain | Wrapper::GzipElsewhere => self.body.push(chunk, sink),
            Wrapper::Gzip(gz) => gz.push(
                chunk,
                &mut Feed {
                    body: &mut self.body,
                    sink,
                },
            ),
            Wrapper::Undecided(first) => {
                let Some((&b, rest)) = chunk.split_first() else {
                    return;
                };
                match first.take() {
                    None if b == GZIP_MAGIC[0] && rest.is_empty() => *first = Some(b),
                    None => self.decide([b, rest.first().copied().unwrap_or(0)], &[], chunk, sink),
                    Some(f) => self.decide([f, b], &[f], chunk, sink),
                }
            }
        }
    }

    /// Picks plain or gzip from the first two bytes, then feeds `held` (bytes kept back
    /// from earlier chunks) and `chunk`.
    fn decide<S: Sink>(&mut self, magic: [u8; 2], held: &[u8], chunk: &[u8], sink: &mut S) {
        self.wrapper = if magic == GZIP_MAGIC {
            Wrapper::Gzip(Box::new(Gunzip::new()))
        } else {
            Wrapper::Plain
        };
        for part in [held, chunk] {
            match &mut self.wrapper {
                Wrapper::Gzip(gz) => gz.push(
                    part,
                    &mut Feed {
                        body: &mut self.body,
                        sink,
                    },
                ),
                _ => self.body.push(part, sink),
            }
        }
    }

    /// End of input: flushes a final line without newline, reports truncated JSON,
    /// CSV or gzip.
    pub fn finish<S: Sink>(&mut self, sink: &mut S) {
        match &mut self.wrapper {
            Wrapper::Undecided(Some(b)) => {
                let b = [*b];
                self.wrapper = Wrapper::Plain;
                self.body.push(&b, sink);
            }
            Wrapper::Gzip(gz) => gz.finish(&mut Feed {
                body: &mut self.body,
                sink,
            }),
            Wrapper::Undecided(None) | Wrapper::Plain | Wrapper::GzipElsewhere => {}
        }
        self.body.finish(sink);
    }

    /// Stops where the input is, as when decoding is cancelled: every complete line or
    /// entry is handed on, but a cut-off last line, unfinished document or truncated
    /// gzip member is dropped instead of being reported.
    pub fn abandon<S: Sink>(&mut self, sink: &mut S) {
        self.body.settle(sink);
    }

    /// Bytes this container holds (line carry, JSON strings, gzip state…), all bounded
    /// by [`super::MAX_LINE`] or fixed sizes; counted in the page's memory budget.
    pub fn heap_bytes(&self) -> usize {
        let gz = match &self.wrapper {
            Wrapper::Gzip(g) => g.heap_bytes(),
            _ => 0,
        };
        gz + self.body.heap_bytes()
    }

    /// The detected shape; `None` until enough input was seen.
    pub fn shape(&self) -> Option<Shape> {
        self.body.shape()
    }

    /// Whether the input is gzip-compressed.
    pub fn gzip(&self) -> bool {
        matches!(self.wrapper, Wrapper::Gzip(_) | Wrapper::GzipElsewhere)
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn mark_gzip_elsewhere(&mut self) {
        self.wrapper = Wrapper::GzipElsewhere;
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn count_bytes_in(&mut self, n: u64) {
        self.bytes_in += n;
    }

    #[cfg(not(target_arch = "wasm32"))]
    /// Where inflated bytes and gzip damage go (see `Feed`).
    pub(super) fn feed<'a, S: Sink>(&'a mut self, sink: &'a mut S) -> impl Inflated + 'a {
        Feed {
            body: &mut self.body,
            sink,
        }
    }

    /// Raw (compressed) bytes pushed so far, for progress.
    pub fn bytes_in(&self) -> u64 {
        self.bytes_in
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{gz, run, Rec, Rng};
    use super::Container;

    /// Bytes biased towards the ones that steer the decoders.
    fn garbage(rng: &mut Rng, len: usize) -> Vec<u8> {
        const INTERESTING: &[u8] = b"{}[]\",:\\u\n\r 0123456789-eE.tfn@message\xef\xbb\xbf\x1f\x8b";
        let start = rng.below(4);
        let mut out: Vec<u8> = match start {
            0 => b"{\"events\":[{\"message\":\"".to_vec(),
            1 => b"timestamp,message\n".to_vec(),
            2 => b"  \"message\": \"x\",\n".to_vec(),
            _ => Vec::new(),
        };
        for _ in 0..len {
            let b = if rng.below(3) == 0 {
                rng.next() as u8
            } else {
                INTERESTING[rng.below(INTERESTING.len())]
            };
            out.push(b);
        }
        out
    }

    fn feed_randomly(rng: &mut Rng, input: &[u8]) {
        let mut c = Container::new();
        let mut rec = Rec::default();
        let mut rest = input;
        while !rest.is_empty() {
            let n = 1 + rng.below(rest.len().min(300));
            let (chunk, tail) = rest.split_at(n);
            c.push(chunk, &mut rec);
            rest = tail;
        }
        c.finish(&mut rec);
        for ev in &rec.0 {
            if let super::super::testkit::Ev::Msg { line, .. } = ev {
                assert!(*line >= 1);
            }
        }
    }

    #[test]
    fn accessors_before_and_after_detection() {
        let mut c = Container::new();
        let mut rec = Rec::default();
        c.push(b"2 1 eni-1 a\n", &mut rec);
        assert_eq!((c.shape(), c.gzip(), c.bytes_in()), (None, false, 12));
        assert!(rec.0.is_empty(), "buffered while sniffing");
        c.push(b"  {", &mut rec);
        c.finish(&mut rec);
        assert_eq!(c.shape(), Some(super::super::Shape::Lines));
        assert_eq!(rec.0.len(), 2);

        let mut c = Container::new();
        c.push(b" \n {", &mut rec);
        assert_eq!(c.shape(), None, "decided on the whole window or at the end");
        c.finish(&mut rec);
        assert_eq!(c.shape(), Some(super::super::Shape::Json));
    }

    #[test]
    fn random_garbage_never_panics() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for i in 0..4000 {
            let len = rng.below(2048);
            let mut input = garbage(&mut rng, len);
            if i % 5 == 0 {
                input = gz(&input);
                if i % 10 == 0 && !input.is_empty() {
                    let at = rng.below(input.len());
                    input[at] ^= 1 << rng.below(8);
                }
            }
            feed_randomly(&mut rng, &input);
        }
    }

    #[test]
    fn random_garbage_is_chunking_independent() {
        let mut rng = Rng(42);
        for _ in 0..200 {
            let len = rng.below(600);
            let input = garbage(&mut rng, len);
            let whole = run(&input, input.len());
            for size in [1, 3, 64] {
                assert_eq!(
                    run(&input, size),
                    whole,
                    "input {:?}",
                    String::from_utf8_lossy(&input)
                );
            }
        }
    }
}
