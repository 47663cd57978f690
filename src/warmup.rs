//! A warm-up decode of synthetic records (a plain default-format file and a gzip'd S3
//! file with a header), for the page's table worker.
//!
//! Why: a browser compiles a wasm module in two tiers. Every function starts in the fast
//! baseline compiler's code (V8's Liftoff) and is recompiled by the optimising compiler
//! only once it has run enough; the optimised code is used from its next call. Without a
//! warm-up, the first megabytes a user drops are decoded by baseline code several times
//! slower: in Chromium here the first 4 MB push of a 1M-record drop took 146 ms instead of
//! about 25 ms, and the next two about 90 ms each. Decoding a few thousand records while
//! the page is idle (after the worker starts, before any file is dropped) makes the
//! decode path hot, so the user's data meets optimised code.
//!
//! The records are made here rather than in the page because what a flow log record
//! looks like is the core's knowledge (`fields::DEFAULT_FORMAT`); they go through the same
//! `Decoder` calls as a dropped file, so the same functions are warmed.

use crate::decoder::{DecodeOptions, Decoder};
use crate::output::summarize;
use crate::query::Filter;
use crate::Table;

/// The fields of [`synthetic_s3_gzip`]'s header: the default fourteen, then the version
/// 3–5 fields an S3 delivery of a custom format carries (their order bound from the
/// header, so the layout kernel runs rather than the default format's).
const S3_HEADER: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id flow-direction traffic-path";

/// `count` synthetic records in the default format (version 2, fourteen fields), one per
/// line, deterministic. Every 50th is a NODATA record (`-` for the traffic fields) and the
/// values vary (addresses, ports, counts, actions), so the typed parsers, the dictionaries
/// and the `-` paths all run.
pub fn synthetic_default_lines(count: usize) -> Vec<u8> {
    synthetic_lines(count, false)
}

/// `count` synthetic records as an S3 delivery of a custom format: a header line
/// ([`S3_HEADER`]) and the records, gzip-compressed (fixed Huffman codes, literals only:
/// a valid stream the inflater decodes through its usual paths).
pub fn synthetic_s3_gzip(count: usize) -> Vec<u8> {
    let mut text = format!("{S3_HEADER}\n").into_bytes();
    text.extend_from_slice(&synthetic_lines(count, true));
    gzip_literals(&text)
}

fn synthetic_lines(count: usize, v5: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(count * if v5 { 220 } else { 120 });
    let mut x: u32 = 0x9e37_79b9;
    for i in 0..count {
        // xorshift: varied values without a dependency
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let start = 1_764_115_200 + (i as u64 % 3_600);
        let eni = x % 64;
        let nodata = i % 50 == 49;
        let line = if nodata {
            format!(
                "2 123456789012 eni-0a1b2c3d4e5f6{eni:04x} - - - - - - - {start} {} - NODATA",
                start + 60
            )
        } else {
            let (a, b, c, d) = (x >> 24, (x >> 16) & 0xff, (x >> 8) & 0xff, x & 0xff);
            let srcport = 1_024 + (x % 60_000);
            let dstport = [443, 80, 22, 53, 8_080][(x % 5) as usize];
            let protocol = [6, 17, 1][(x % 3) as usize];
            let packets = 1 + x % 40;
            let bytes = 40 + x % 90_000;
            let action = if x.is_multiple_of(9) {
                "REJECT"
            } else {
                "ACCEPT"
            };
            format!(
                "2 123456789012 eni-0a1b2c3d4e5f6{eni:04x} 10.0.{c}.{d} {a}.{b}.{c}.{d} {srcport} {dstport} {protocol} {packets} {bytes} {start} {} {action} OK",
                start + 60
            )
        };
        out.extend_from_slice(line.as_bytes());
        if v5 {
            let more = if nodata {
                format!(
                    " vpc-0a1b2c3d subnet-0a1b2c{:02x} - - - - - us-east-1 use1-az1 - -",
                    eni
                )
            } else {
                let flags = [2, 18, 19, 3, 1][(x % 5) as usize];
                let direction = if x.is_multiple_of(2) {
                    "ingress"
                } else {
                    "egress"
                };
                let path = if direction == "egress" {
                    ((x >> 3) % 8 + 1).to_string()
                } else {
                    "-".to_string()
                };
                format!(
                    " vpc-0a1b2c3d subnet-0a1b2c{eni:02x} i-0a1b2c3d4e5f6{eni:04x} {flags} IPv4 10.0.{}.{} 10.1.{}.{} us-east-1 use1-az1 {direction} {path}",
                    x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, x >> 24
                )
            };
            out.extend_from_slice(more.as_bytes());
        }
        out.push(b'\n');
    }
    out
}

/// A gzip member of `data` in one final deflate block of fixed Huffman codes, literals
/// only (RFC 1951 3.2.6: literals 0–143 as 8-bit codes from 0x30, 144–255 as 9-bit codes
/// from 0x190, end of block as 7 zero bits), with the CRC-32 and size trailer.
fn gzip_literals(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let (mut acc, mut bits) = (0u64, 0u32);
    let mut put = |out: &mut Vec<u8>, value: u64, n: u32| {
        acc |= value << bits;
        bits += n;
        while bits >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            bits -= 8;
        }
    };
    // Huffman codes go most significant bit first: reversed into the LSB-first stream
    let code = |c: u32, n: u32| (c.reverse_bits() >> (32 - n)) as u64;
    put(&mut out, 0b011, 3); // BFINAL 1, BTYPE 01 (fixed codes)
    for &b in data {
        let b = u32::from(b);
        if b < 144 {
            put(&mut out, code(0x30 + b, 8), 8);
        } else {
            put(&mut out, code(0x190 + b - 144, 9), 9);
        }
    }
    put(&mut out, 0, 7); // end of block
    put(&mut out, 0, 7); // flush the last partial byte
    let mut crc = flate2::Crc::new();
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// Decodes `count` synthetic records as dropped files would be: half as a plain
/// default-format file, half as a gzip'd S3 file with a header (the two shapes most
/// drops have), into one table.
pub fn decode_synthetic(count: usize) -> Table {
    let mut decoder = Decoder::new(DecodeOptions::default());
    decoder.begin_file("warm-up.log");
    decoder.push(&synthetic_default_lines(count - count / 2));
    decoder.end_file();
    decoder.begin_file("warm-up.log.gz");
    decoder.push(&synthetic_s3_gzip(count / 2));
    decoder.end_file();
    decoder.finish()
}

/// Runs the passes over a whole table that a page makes once per table when a decode
/// completes (the summary, an empty query, a filter) `passes` times over `table`.
/// Why several times over a small table: the optimising compiler takes a function over
/// once it has run enough loop iterations, and a pass made once per decoded table never
/// gets there by itself; the summary of a million rows took about 50 ms in baseline code
/// against 12 ms optimised (Node). Returns the rows the passes counted.
pub fn exercise(table: &Table, passes: usize) -> usize {
    let mut seen = 0;
    let filter = Filter::parse("action = REJECT or dstport in (22, 443) or srcaddr in 10.0.0.0/8");
    for _ in 0..passes {
        seen += summarize(table, 0..table.len()).records as usize;
        if let Ok(f) = &filter {
            seen += f.select(table).len();
        }
        seen += Filter::all().select(table).len();
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_s3_file_is_gzip_any_reader_inflates_and_decodes_with_its_header() {
        use std::io::Read;
        let gz = synthetic_s3_gzip(300);
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        assert!(text.starts_with(S3_HEADER));
        assert_eq!(text.lines().count(), 301);
        let table = crate::decode_bytes(&gz, DecodeOptions::default());
        assert_eq!(table.len(), 300);
        assert!(table.errors().is_empty(), "{:?}", table.errors().first());
        assert!(table.column(crate::Field::TrafficPath).is_some());
        assert_eq!(decode_synthetic(1_001).len(), 1_001);
    }

    #[test]
    fn every_synthetic_record_decodes_in_the_default_format() {
        let bytes = synthetic_default_lines(1_000);
        assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 1_000);
        let table = crate::decode_bytes(&bytes, DecodeOptions::default());
        assert_eq!(table.len(), 1_000);
        assert!(table.errors().is_empty(), "{:?}", table.errors().first());
        // two passes: the summary and the empty filter count every row, the filter some
        let seen = exercise(&table, 2);
        assert!(seen > 4_000 && seen < 6_000, "{seen}");
    }
}
