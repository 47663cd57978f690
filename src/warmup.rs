//! A warm-up decode of synthetic default-format records, for the page's table worker.
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

/// `count` synthetic records in the default format (version 2, fourteen fields), one per
/// line, deterministic. Every 50th is a NODATA record (`-` for the traffic fields) and the
/// values vary (addresses, ports, counts, actions), so the typed parsers, the dictionaries
/// and the `-` paths all run.
pub fn synthetic_default_lines(count: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(count * 120);
    let mut x: u32 = 0x9e37_79b9;
    for i in 0..count {
        // xorshift: varied values without a dependency
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let start = 1_764_115_200 + (i as u64 % 3_600);
        let eni = x % 64;
        if i % 50 == 49 {
            out.extend_from_slice(
                format!(
                    "2 123456789012 eni-0a1b2c3d4e5f6{eni:04x} - - - - - - - {start} {} - NODATA\n",
                    start + 60
                )
                .as_bytes(),
            );
            continue;
        }
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
        out.extend_from_slice(
            format!(
                "2 123456789012 eni-0a1b2c3d4e5f6{eni:04x} 10.0.{c}.{d} {a}.{b}.{c}.{d} {srcport} {dstport} {protocol} {packets} {bytes} {start} {} {action} OK\n",
                start + 60
            )
            .as_bytes(),
        );
    }
    out
}

/// Decodes `count` synthetic records as a dropped file would be.
pub fn decode_synthetic(count: usize) -> Table {
    let bytes = synthetic_default_lines(count);
    let mut decoder = Decoder::new(DecodeOptions::default());
    decoder.begin_file("warm-up");
    decoder.push(&bytes);
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

/// Decodes `count` synthetic records and runs the per-table passes over them `passes`
/// times; returns how many records decoded without error (all of them: a test checks
/// it), so that the work is not optimised away and a caller can see it ran.
pub fn warm_up(count: usize, passes: usize) -> usize {
    let table = decode_synthetic(count);
    exercise(&table, passes);
    table.len() - table.errors().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_synthetic_record_decodes_in_the_default_format() {
        let bytes = synthetic_default_lines(1_000);
        assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 1_000);
        let table = crate::decode_bytes(&bytes, DecodeOptions::default());
        assert_eq!(table.len(), 1_000);
        assert!(table.errors().is_empty(), "{:?}", table.errors().first());
        assert_eq!(warm_up(1_000, 2), 1_000);
        // two passes: the summary and the empty filter count every row, the filter some
        let seen = exercise(&table, 2);
        assert!(seen > 4_000 && seen < 6_000, "{seen}");
    }
}
