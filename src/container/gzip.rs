//! Gzip (RFC 1952) unwrapped push-style, including multi-member files (`cat a.gz b.gz`).
//!
//! Members are parsed here and their raw deflate data inflated with `flate2::Decompress`
//! into a fixed output buffer, so a highly compressed chunk cannot balloon memory. Each
//! member's CRC-32 and length are checked. Any damage is reported once and the rest of
//! the input ignored; what was inflated before it has already been passed on.

use crate::line_error::GzipError;
use flate2::{Crc, Decompress, FlushDecompress, Status};

/// Longest gzip header accepted (file names and comments are NUL-terminated, unbounded).
const MAX_HEADER: usize = 64 * 1024;
const OUT_BUF: usize = 64 * 1024;

const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;

/// Parses a member header at the start of `b`: `Ok(Some(len))` once complete,
/// `Ok(None)` if more bytes are needed.
fn parse_header(b: &[u8]) -> Result<Option<usize>, GzipError> {
    if b.first().is_some_and(|&x| x != 0x1f) || b.get(1).is_some_and(|&x| x != 0x8b) {
        return Err(GzipError::BadMagic);
    }
    if let Some(&method) = b.get(2) {
        if method != 8 {
            return Err(GzipError::Method(method));
        }
    }
    let Some(&flags) = b.get(3) else {
        return Ok(None);
    };
    if flags & 0xe0 != 0 {
        return Err(GzipError::ReservedFlags);
    }
    let mut p = 10;
    if flags & FEXTRA != 0 {
        let Some(xlen) = b.get(p..p + 2) else {
            return Ok(None);
        };
        p += 2 + usize::from(u16::from_le_bytes([xlen[0], xlen[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let Some(nul) = b.get(p..).and_then(|s| memchr::memchr(0, s)) else {
                return Ok(None);
            };
            p += nul + 1;
        }
    }
    if flags & FHCRC != 0 {
        p += 2;
    }
    Ok((b.len() >= p).then_some(p))
}

#[derive(Debug)]
enum State {
    /// Reading a member header (`buf` holds its bytes so far).
    Header,
    /// Inflating member data.
    Deflate,
    /// Reading the 8-byte CRC-32 + ISIZE trailer into `buf`.
    Trailer,
    /// After a member: zero padding some tools append.
    Padding,
    /// After an error: everything else is ignored.
    Failed,
}

/// A push-style gzip decoder.
pub(crate) struct Gunzip {
    state: State,
    buf: Vec<u8>,
    inflate: Decompress,
    crc: Crc,
    out: Box<[u8]>,
    /// Members completed.
    members: u64,
}

impl std::fmt::Debug for Gunzip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gunzip")
            .field("state", &self.state)
            .field("members", &self.members)
            .finish()
    }
}

/// Where decompressed bytes and damage reports go.
pub(crate) trait Inflated {
    fn data(&mut self, bytes: &[u8]);
    fn error(&mut self, reason: GzipError);
}

impl Gunzip {
    pub(crate) fn new() -> Self {
        Gunzip {
            state: State::Header,
            buf: Vec::new(),
            inflate: Decompress::new(false),
            crc: Crc::new(),
            out: vec![0; OUT_BUF].into_boxed_slice(),
            members: 0,
        }
    }

    /// The output buffer, header bytes, and zlib's state (about 48 KiB with its window).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.out.len() + self.buf.capacity() + 48 * 1024
    }

    fn fail(&mut self, to: &mut impl Inflated, reason: GzipError) {
        to.error(reason);
        self.state = State::Failed;
        self.buf = Vec::new();
    }

    pub(crate) fn push(&mut self, mut input: &[u8], to: &mut impl Inflated) {
        while !input.is_empty() {
            match self.state {
                State::Failed => return,
                State::Padding => {
                    let zeros = input.iter().take_while(|&&b| b == 0).count();
                    input = &input[zeros..];
                    if !input.is_empty() {
                        return self.fail(to, GzipError::TrailingGarbage);
                    }
                }
                State::Header => {
                    if self.buf.is_empty() && self.members > 0 && input[0] == 0 {
                        self.state = State::Padding;
                        continue;
                    }
                    if self.buf.is_empty() && self.members > 0 && input[0] != 0x1f {
                        return self.fail(to, GzipError::TrailingGarbage);
                    }
                    let had = self.buf.len();
                    let take = input.len().min(MAX_HEADER - had);
                    self.buf.extend_from_slice(&input[..take]);
                    match parse_header(&self.buf) {
                        Err(reason) => return self.fail(to, reason),
                        Ok(None) if self.buf.len() >= MAX_HEADER => {
                            return self.fail(to, GzipError::HeaderTooLong)
                        }
                        Ok(None) => input = &input[take..],
                        Ok(Some(len)) => {
                            input = &input[len - had..];
                            self.buf.clear();
                            self.inflate.reset(false);
                            self.crc.reset();
                            self.state = State::Deflate;
                        }
                    }
                }
                State::Deflate => {
                    let before = input.len();
                    input = self.inflate(input, to);
                    if input.len() == before && matches!(self.state, State::Deflate) {
                        return self.fail(to, GzipError::NoProgress);
                    }
                }
                State::Trailer => {
                    let take = input.len().min(8 - self.buf.len());
                    self.buf.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    if self.buf.len() == 8 {
                        let crc = u32::from_le_bytes([
                            self.buf[0],
                            self.buf[1],
                            self.buf[2],
                            self.buf[3],
                        ]);
                        let size = u32::from_le_bytes([
                            self.buf[4],
                            self.buf[5],
                            self.buf[6],
                            self.buf[7],
                        ]);
                        if crc != self.crc.sum() || size != self.crc.amount() {
                            return self.fail(to, GzipError::Checksum);
                        }
                        self.buf.clear();
                        self.members += 1;
                        self.state = State::Header;
                    }
                }
            }
        }
    }

    /// Inflates as much of `input` as possible; returns what is left of it.
    fn inflate<'a>(&mut self, mut input: &'a [u8], to: &mut impl Inflated) -> &'a [u8] {
        loop {
            let (in0, out0) = (self.inflate.total_in(), self.inflate.total_out());
            let status = self
                .inflate
                .decompress(input, &mut self.out, FlushDecompress::None);
            let used = (self.inflate.total_in() - in0) as usize;
            let made = (self.inflate.total_out() - out0) as usize;
            input = &input[used.min(input.len())..];
            let produced = &self.out[..made.min(self.out.len())];
            self.crc.update(produced);
            to.data(produced);
            match status {
                Err(_) => {
                    // The backend's own message depends on where its output buffer
                    // happened to fill (zlib-rs reports a later call as "repeated call
                    // with bad state"), so it would differ with the chunking: one fixed
                    // reason keeps the error identical for any chunk sizes.
                    self.fail(to, GzipError::InvalidData);
                    return &[];
                }
                Ok(Status::StreamEnd) => {
                    self.state = State::Trailer;
                    return input;
                }
                Ok(Status::Ok | Status::BufError) => {
                    // A full output buffer may hide more output; otherwise stop when
                    // no progress is made (more input is needed).
                    if made < self.out.len() && (input.is_empty() || used == 0 && made == 0) {
                        return input;
                    }
                }
            }
        }
    }

    /// End of input: a member cut short is an error.
    pub(crate) fn finish(&mut self, to: &mut impl Inflated) {
        let reason = match self.state {
            State::Header if self.buf.is_empty() && self.members > 0 => return,
            State::Header => "a member header",
            State::Deflate => "compressed data",
            State::Trailer => "a member trailer",
            State::Padding | State::Failed => return,
        };
        self.fail(to, GzipError::Truncated(reason));
    }
}

/// Up to `limit` bytes inflated from the gzip file `bytes` (all its members), for a
/// whole-buffer reader such as a context file. Damage, or input cut short (a 4 KB prefix
/// when sniffing), ends the text: the bytes inflated before it are kept. It is this
/// module's decoder rather than `flate2::read::MultiGzDecoder`, whose `io::Error`s bring
/// std's string-error `Debug` and its Unicode tables (about 8 KB gzip) into the page.
pub(crate) fn gunzip_upto(bytes: &[u8], limit: usize) -> Vec<u8> {
    struct Upto {
        out: Vec<u8>,
        limit: usize,
    }
    impl Inflated for Upto {
        fn data(&mut self, bytes: &[u8]) {
            let room = self.limit - self.out.len();
            self.out.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
        fn error(&mut self, _: GzipError) {}
    }
    let mut to = Upto {
        out: Vec::new(),
        limit,
    };
    let mut gz = Gunzip::new();
    for chunk in bytes.chunks(OUT_BUF) {
        gz.push(chunk, &mut to);
        if to.out.len() >= limit || matches!(gz.state, State::Failed) {
            break;
        }
    }
    to.out
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::super::testkit::{errors, gz, msg, run_all, texts, Ev};
    use super::super::Shape;

    const LINES: &str = "2 1 eni-1 a\n2 1 eni-1 b\n2 1 eni-1 c";

    #[test]
    fn gunzip_upto_reads_every_member_keeps_what_came_before_damage_and_stops_at_its_limit() {
        use super::gunzip_upto;
        let mut two = gz(b"first member\n");
        two.extend(gz(b"second member\n"));
        assert_eq!(gunzip_upto(&two, 1 << 20), b"first member\nsecond member\n");
        assert_eq!(gunzip_upto(&two, 9), b"first mem");
        // cut inside the second member (a sniffing prefix): the first is whole
        let cut = &two[..two.len() - 12];
        assert!(gunzip_upto(cut, 1 << 20).starts_with(b"first member\n"));
        // damage after the first member: its text is kept, nothing after it
        let mut bad = gz(b"kept\n");
        bad.extend_from_slice(b"\x1f\x8b\x09 not deflate");
        bad.extend(gz(b"never read\n"));
        assert_eq!(gunzip_upto(&bad, 1 << 20), b"kept\n");
        assert_eq!(gunzip_upto(b"", 10), b"");
        assert_eq!(gunzip_upto(b"plain text", 10), b"");
        // more than one output buffer of text, pushed in input chunks
        let big: Vec<u8> = (0..300_000u32)
            .map(|i| b"0123456789 \n"[i as usize % 12])
            .collect();
        assert_eq!(gunzip_upto(&gz(&big), 1 << 20), big);
        assert_eq!(gunzip_upto(&gz(&big), 100_000), &big[..100_000]);
    }

    #[test]
    fn single_member_around_lines() {
        let (evs, shape) = run_all(&gz(LINES.as_bytes()));
        assert_eq!(shape, Some(Shape::Lines));
        assert_eq!(
            texts(&evs),
            vec!["2 1 eni-1 a", "2 1 eni-1 b", "2 1 eni-1 c"]
        );
        assert!(
            super::super::testkit::run(&gz(b"x"), 1).2,
            "gzip() reports gzip"
        );
        assert!(!super::super::testkit::run(b"x", 1).2);
    }

    #[test]
    fn two_members_split_mid_line() {
        let (a, b) = LINES.split_at(15);
        let mut input = gz(a.as_bytes());
        input.extend(gz(b.as_bytes()));
        let (evs, _) = run_all(&input);
        assert_eq!(
            evs,
            vec![
                msg(1, "2 1 eni-1 a", None, None),
                msg(2, "2 1 eni-1 b", None, None),
                msg(3, "2 1 eni-1 c", None, None),
            ]
        );
    }

    #[test]
    fn two_members_split_mid_json_with_file_name_header() {
        let json = r#"{"events":[{"timestamp":1,"message":"m1"},
{"timestamp":2,"message":"m2"}]}"#;
        let (a, b) = json.split_at(30);
        let mut named = flate2::GzBuilder::new()
            .filename("part1.json")
            .comment("first half")
            .write(Vec::new(), flate2::Compression::fast());
        named.write_all(a.as_bytes()).expect("write to Vec");
        let mut input = named.finish().expect("finish to Vec");
        input.extend(gz(b.as_bytes()));
        input.extend([0, 0, 0, 0]); // zero padding after the last member is tolerated
        let (evs, shape) = run_all(&input);
        assert_eq!(shape, Some(Shape::Json));
        assert_eq!(
            evs,
            vec![msg(1, "m1", Some(1), None), msg(2, "m2", Some(2), None)]
        );
    }

    #[test]
    fn corrupt_data_is_reported_once() {
        let mut input = gz(LINES.repeat(50).as_bytes());
        for b in &mut input[12..30] {
            *b ^= 0x5a;
        }
        let (evs, _) = run_all(&input);
        let errs = errors(&evs);
        assert_eq!(errs.len(), 1, "{evs:?}");
        assert!(errs[0].1.starts_with("corrupt gzip"), "{}", errs[0].1);
    }

    #[test]
    fn crc_mismatch_and_trailing_garbage() {
        let mut input = gz(LINES.as_bytes());
        let n = input.len();
        input[n - 6] ^= 1;
        let (evs, _) = run_all(&input);
        assert_eq!(texts(&evs).len(), 3);
        assert_eq!(
            errors(&evs),
            vec![(3, "corrupt gzip: CRC or length mismatch")]
        );

        let mut input = gz(b"one\n");
        input.extend(b"junk");
        let (evs, _) = run_all(&input);
        assert_eq!(
            evs,
            vec![
                msg(1, "one", None, None),
                Ev::Err {
                    line: 2,
                    raw: String::new(),
                    reason: "trailing garbage after the last gzip member".into()
                },
            ]
        );
    }

    #[test]
    fn truncated_gzip() {
        let full = gz(LINES.as_bytes());
        let (evs, _) = run_all(&full[..full.len() - 4]);
        assert_eq!(
            texts(&evs),
            vec!["2 1 eni-1 a", "2 1 eni-1 b", "2 1 eni-1 c"]
        );
        assert_eq!(
            errors(&evs),
            vec![(3, "truncated gzip: input ends inside a member trailer")]
        );

        let (evs, _) = run_all(&full[..full.len() - 12]);
        // What was inflated before the cut is passed on, partial last line included.
        assert_eq!(texts(&evs), vec!["2 1 eni-1 a", "2 1 eni-1 "]);
        assert_eq!(
            errors(&evs),
            vec![(2, "truncated gzip: input ends inside compressed data")]
        );

        let (evs, _) = run_all(&full[..5]);
        assert_eq!(
            errors(&evs),
            vec![(1, "truncated gzip: input ends inside a member header")]
        );
    }

    #[test]
    fn lone_magic_byte_is_plain() {
        assert_eq!(run_all(&[0x1f]).0, vec![msg(1, "\u{1f}", None, None)]);
    }
}
