//! `Decoder::expect_file_bytes`: a plain-text file's columns reserved for the whole file
//! once its first lines are measured. The table must be the one decoding without it,
//! whatever the hint (right, too small, too large, capped, wrong for a later file) and
//! whichever column widens after the reservation; and the room is given back at finish.

mod common;
use common::*;
use flowlens::{DecodeOptions, Decoder, Table};

/// Decodes the files in chunks of `chunk` bytes, telling the decoder each file's size
/// times `scale` (None: no hint) with at most `max_bytes` reserved.
fn decode_hinted(files: &[&[u8]], chunk: usize, hint: Option<(f64, usize)>) -> Table {
    let mut d = Decoder::new(DecodeOptions::default());
    for (i, f) in files.iter().enumerate() {
        d.begin_file(&format!("f{i}"));
        if let Some((scale, max_bytes)) = hint {
            d.expect_file_bytes((f.len() as f64 * scale) as u64, max_bytes);
        }
        for c in f.chunks(chunk) {
            d.push(c);
        }
    }
    d.finish()
}

#[test]
fn a_hinted_decode_gives_the_same_table_whatever_the_hint() {
    let (a, _) = generate(&["-n", "20000", "--seed", "5", "--bad-rate", "0.01"]);
    let (b, _) = generate(&[
        "-n",
        "6000",
        "--fields",
        "v5",
        "--container",
        "s3",
        "--seed",
        "6",
    ]);
    let files: [&[u8]; 2] = [&a, &b];
    let plain = decode_hinted(&files, 64 << 10, None);
    let want = dump(&plain);
    assert!(
        plain.len() > 25_000 && plain.counts().errors > 0,
        "records and bad lines: {:?}",
        plain.counts()
    );
    for hint in [
        (1.0, usize::MAX),
        (0.3, usize::MAX),
        (5.0, usize::MAX),
        (1.0, 50_000),
        (1.0, 0),
    ] {
        for chunk in [4096, 256 << 10] {
            let t = decode_hinted(&files, chunk, Some(hint));
            assert_eq!(dump(&t), want, "hint {hint:?}, chunks of {chunk}");
            // the reservation is given back: the table holds what it would without it
            assert!(
                t.heap_bytes() <= plain.heap_bytes() + plain.heap_bytes() / 50,
                "hint {hint:?}: {} bytes held against {}",
                t.heap_bytes(),
                plain.heap_bytes()
            );
        }
    }
}

#[test]
fn a_column_widened_after_the_reservation_keeps_every_value() {
    // small byte counts for the first lines (one byte wide), then a large one
    let mut text = Vec::new();
    for i in 0..5000u64 {
        let bytes = if i == 4000 { 9_000_000_000 } else { i % 200 };
        text.extend_from_slice(
            format!("2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 {bytes} 1418530010 1418530070 ACCEPT OK\n")
                .as_bytes(),
        );
    }
    let plain = decode_hinted(&[&text], 8192, None);
    let hinted = decode_hinted(&[&text], 8192, Some((1.0, usize::MAX)));
    assert_eq!(dump(&hinted), dump(&plain));
    assert_eq!(
        records(&hinted)[4000]["bytes"],
        serde_json::json!(9_000_000_000u64)
    );
}

#[test]
fn a_file_of_few_records_is_not_reserved_for() {
    // mostly lines that are not records: the measure never has 2,000 rows; same table
    let mut text = Vec::new();
    for i in 0..30_000 {
        text.extend_from_slice(
            format!("# comment line {i} of a file that is mostly notes\n").as_bytes(),
        );
    }
    text.extend_from_slice(b"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n");
    let plain = decode_hinted(&[&text], 4096, None);
    let hinted = decode_hinted(&[&text], 4096, Some((1.0, usize::MAX)));
    assert_eq!(dump(&hinted), dump(&plain));
    assert_eq!(hinted.len(), 1);
}

#[test]
fn the_columns_are_reserved_once_the_first_lines_are_measured_and_capped() {
    let (a, _) = generate(&["-n", "50000", "--seed", "9"]);
    let held_after_first_slice = |hint: Option<usize>| {
        let mut d = Decoder::new(DecodeOptions::default());
        d.begin_file("a");
        if let Some(max) = hint {
            d.expect_file_bytes(a.len() as u64, max);
        }
        d.push(&a[..a.iter().take(300_000).rposition(|&b| b == b'\n').unwrap() + 1]);
        d.heap_bytes()
    };
    let (none, all, capped) = (
        held_after_first_slice(None),
        held_after_first_slice(Some(usize::MAX)),
        held_after_first_slice(Some(400_000)),
    );
    // 50,000 rows of about 30 bytes reserved at once, against 2,600 rows' worth
    assert!(
        all > 1_000_000 && all > 8 * none,
        "reserved {all} against {none}"
    );
    assert!(
        capped <= 400_000 + none && capped > none,
        "capped {capped} against {none}"
    );
}

#[test]
fn many_hinted_files_grow_the_columns_amortized() {
    // a folder of small files, each hinted: the same table, and the columns' room grows
    // by doubling at most (a reservation per file must not copy the columns each time)
    let (one, _) = generate(&["-n", "3000", "--seed", "12"]);
    let files: Vec<&[u8]> = (0..60).map(|_| &one[..]).collect();
    let plain = decode_hinted(&files, 64 << 10, None);
    // how often the held bytes grow past their most so far, with and without the hints
    let growths = |hinted: bool| {
        let mut d = Decoder::new(DecodeOptions::default());
        let (mut growths, mut most) = (0, 0);
        for (i, f) in files.iter().enumerate() {
            d.begin_file(&format!("f{i}"));
            if hinted {
                d.expect_file_bytes(f.len() as u64, usize::MAX);
            }
            for c in f.chunks(64 << 10) {
                d.push(c);
                if d.heap_bytes() > most + most / 20 {
                    growths += 1;
                }
                most = most.max(d.heap_bytes());
            }
        }
        (growths, d)
    };
    let (without, _) = growths(false);
    let (with, d) = growths(true);
    assert!(
        with <= without + 5,
        "the columns grew {with} times for 60 files, {without} times without the hints"
    );
    assert_eq!(dump(&d.finish()), dump(&plain));
}

#[cfg(not(target_arch = "wasm32"))] // (`inputs` is the CLI's, native only)
#[test]
fn the_cli_reserves_a_plain_file_for_its_size_and_gives_the_same_table() {
    // `inputs::decode_input` tells the decoder a regular file's size
    let (a, _) = generate(&["-n", "20000", "--seed", "7", "--bad-rate", "0.01"]);
    let path = std::env::temp_dir().join(format!("flowlens-reserve-{}.log", std::process::id()));
    std::fs::write(&path, &a).unwrap();
    let name = path.to_string_lossy().into_owned();
    let mut d = Decoder::new(DecodeOptions::default());
    let mut buf = vec![0u8; 64 << 10];
    let read = flowlens::inputs::decode_input(&mut d, &name, &mut buf);
    let _ = std::fs::remove_file(&path);
    read.unwrap();
    let t = d.finish();
    let mut plain = Decoder::new(DecodeOptions::default());
    plain.begin_file(&name);
    for c in a.chunks(64 << 10) {
        plain.push(c);
    }
    let plain = plain.finish();
    assert!(
        plain.len() > 19_000 && plain.counts().errors > 0,
        "{:?}",
        plain.counts()
    );
    assert_eq!(dump(&t), dump(&plain));
    assert!(t.heap_bytes() <= plain.heap_bytes() + plain.heap_bytes() / 50);
}
