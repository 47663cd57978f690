//! Gzip inflated on a thread of its own (the CLI's `.log.gz` files): the thread runs the
//! same push-style [`Gunzip`] as [`Container::push`] and sends what it makes, in order,
//! over a bounded channel; the decoding thread hands each piece to the container's body
//! exactly as `push` would have. Inflating is about half the cost of a gzip'd S3 file,
//! so on two cores the file decodes in about the time of the slower half. The messages
//! are bounded (`PIECE` bytes, `IN_FLIGHT` of them), so a gzip bomb still cannot balloon
//! memory.

use super::gzip::{Gunzip, Inflated};
use super::Container;
use std::io::{self, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Inflated bytes sent at once.
const PIECE: usize = 1 << 20;
/// Pieces in the channel at most (so at most ~4 MiB of inflated text waits).
const IN_FLIGHT: usize = 4;
/// Compressed bytes read at once.
const READ: usize = 1 << 20;

/// What the inflating thread sends, in stream order.
pub enum Inflation {
    /// Compressed bytes read from the input (for `bytes_in` and progress).
    Read(u64),
    /// Inflated bytes.
    Text(Vec<u8>),
    /// The gzip is damaged: the rest of the input is ignored (as `Container::push`).
    Damaged(String),
    /// The input could not be read.
    Io(io::Error),
}

/// Collects inflated bytes into pieces and sends them.
struct Sender {
    to: SyncSender<Inflation>,
    piece: Vec<u8>,
    /// The receiver went away: stop inflating.
    gone: bool,
}

impl Sender {
    fn send(&mut self, m: Inflation) {
        if !self.gone && self.to.send(m).is_err() {
            self.gone = true;
        }
    }
    fn flush(&mut self) {
        if !self.piece.is_empty() {
            let piece = std::mem::replace(&mut self.piece, Vec::with_capacity(PIECE));
            self.send(Inflation::Text(piece));
        }
    }
}

impl Inflated for Sender {
    fn data(&mut self, bytes: &[u8]) {
        self.piece.extend_from_slice(bytes);
        if self.piece.len() >= PIECE {
            self.flush();
        }
    }
    fn error(&mut self, reason: String) {
        self.flush();
        self.send(Inflation::Damaged(reason));
    }
}

/// Inflates `input` (a gzip stream) on a new thread; the receiver yields its pieces in
/// order and ends when the input is done.
pub fn inflate_on_thread(
    mut input: impl Read + Send + 'static,
) -> (Receiver<Inflation>, std::thread::JoinHandle<()>) {
    let (to, from) = sync_channel(IN_FLIGHT);
    let thread = std::thread::spawn(move || {
        let mut out = Sender {
            to,
            piece: Vec::with_capacity(PIECE),
            gone: false,
        };
        let mut gz = Gunzip::new();
        let mut buf = vec![0u8; READ];
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    out.flush();
                    out.send(Inflation::Io(e));
                    return;
                }
            };
            out.send(Inflation::Read(n as u64));
            gz.push(&buf[..n], &mut out);
            if out.gone {
                return;
            }
        }
        gz.finish(&mut out);
        out.flush();
    });
    (from, thread)
}

impl Container {
    /// A container for a gzip input whose inflating happens elsewhere
    /// ([`inflate_on_thread`]); feed it with [`Container::push_inflation`].
    pub fn inflated_elsewhere() -> Container {
        let mut c = Container::new();
        c.mark_gzip_elsewhere();
        c
    }

    /// One message of [`inflate_on_thread`], handled as `push` handles what its own
    /// gzip decoder makes. An I/O error is returned for the caller to report.
    pub fn push_inflation<S: super::Sink>(&mut self, m: Inflation, sink: &mut S) -> io::Result<()> {
        match m {
            Inflation::Read(n) => self.count_bytes_in(n),
            Inflation::Text(t) => self.feed(sink).data(&t),
            Inflation::Damaged(reason) => self.feed(sink).error(reason),
            Inflation::Io(e) => return Err(e),
        }
        Ok(())
    }
}
