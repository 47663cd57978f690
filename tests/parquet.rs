//! Parquet input: the standard generator's Parquet (as AWS writes it) against its text
//! twin for every field preset, other writers' types and codecs (written with pyarrow by
//! `tests/tools/write_parquet.py`), the browser's row-group-at-a-time path, and every
//! way a file can be broken — each one clear error.
#![cfg(feature = "parquet")]

mod common;

use common::{dump, generate, records, shared_dir};
use flowlens::parquet::{footer_len, ParquetFile, Window, BATCH_ROWS};
use flowlens::rows::BatchWriter;
use flowlens::{DecodeOptions, Decoder, Table};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

const PRESETS: &[&str] = &["default", "v3", "v4", "v5", "v7", "all", "custom"];

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("flowlens-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// The generator's output for `args` as (text S3 file, Parquet file, truth).
fn twins(n: usize, fields: &str, seed: u64) -> (Vec<u8>, Vec<u8>, serde_json::Value) {
    let n = n.to_string();
    let seed = seed.to_string();
    let base = ["-n", &n, "--seed", &seed, "--fields", fields];
    let (text, truth) = generate(&[&base[..], &["--container", "s3"]].concat());
    let (pq, truth2) = generate(&[&base[..], &["--container", "parquet"]].concat());
    assert_eq!(
        (&truth["records"], &truth["bytes"], &truth["packets"]),
        (&truth2["records"], &truth2["bytes"], &truth2["packets"]),
        "the generator's records do not depend on the container"
    );
    (text, pq, truth)
}

fn decode_parquet(name: &str, bytes: &[u8]) -> Table {
    let mut d = Decoder::new(DecodeOptions::default());
    flowlens::parquet::decode_into(&mut d, name, bytes::Bytes::copy_from_slice(bytes));
    d.finish()
}

fn decode_text(bytes: &[u8]) -> Table {
    common::decode(bytes)
}

/// Writes `text` (an S3 file with a header) as Parquet with the given writer options.
fn write_parquet(text: &[u8], opts: &str) -> Vec<u8> {
    let src = tmp(&format!("src-{:x}.log", fxhash(opts)));
    let out = tmp(&format!("out-{:x}.parquet", fxhash(opts)));
    std::fs::write(&src, text).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/write_parquet.py");
    let o = Command::new("python3")
        .arg(script)
        .arg(&src)
        .arg(&out)
        .arg(opts)
        .output()
        .expect("python3 runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::read(&out).unwrap()
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// Records and counts of a table, without the row sources (a text file's rows start at
/// line 2, after its header; a Parquet file's at row 1).
fn content(t: &Table) -> (Vec<serde_json::Value>, u64, u64) {
    (records(t), t.counts().records, t.counts().errors)
}

fn only_error(t: &Table) -> String {
    assert_eq!(t.len(), 0, "no records");
    assert_eq!(t.counts().errors, 1, "exactly one error: {:?}", t.errors());
    let e = &t.errors()[0];
    assert_eq!(e.line, 0, "a file-level error");
    e.reason.clone()
}

#[test]
fn every_preset_decodes_like_its_text_twin() {
    for (i, preset) in PRESETS.iter().enumerate() {
        let (text, pq, truth) = twins(2000, preset, 7 + i as u64);
        assert!(pq.starts_with(b"PAR1") && pq.ends_with(b"PAR1"));
        let t = decode_text(&text);
        let p = decode_parquet("f.log.parquet", &pq);
        assert_eq!(
            p.len() as u64,
            truth["records"].as_u64().unwrap(),
            "{preset}"
        );
        assert_eq!(content(&p), content(&t), "{preset}: typed values differ");
        assert_eq!(
            p.fields(),
            t.fields(),
            "{preset}: same columns in the same order"
        );
        // every typed value through the columns too, not only the NDJSON view
        for f in t.fields() {
            for r in (0..t.len()).step_by(7) {
                assert_eq!(
                    p.value(r, f),
                    t.value(r, f),
                    "{preset} row {r} {}",
                    f.name()
                );
            }
        }
        // a row's source is its row number; the original line is the record as text
        for r in [0, 1, t.len() - 1] {
            assert_eq!(p.row_line(r), r as u64 + 1, "{preset}");
            assert_eq!(
                t.row_line(r),
                r as u64 + 2,
                "{preset}: text rows follow the header"
            );
            assert_eq!(p.original_line(r), t.original_line(r), "{preset}");
        }
        let info = &p.files()[0];
        assert_eq!(info.shape, Some(flowlens::Shape::Parquet));
        assert_eq!(
            info.bytes,
            pq.len() as u64,
            "{preset}: every byte is counted"
        );
        assert_eq!((info.records, info.errors), (2000, 0));
        assert_eq!(info.bindings.len(), 1);
        assert_eq!(info.bindings[0].origin, flowlens::Origin::Parquet);
        assert_eq!(info.bindings[0].fields.len(), t.fields().len());
    }
}

#[test]
fn several_row_groups_keep_their_row_numbers() {
    // 70 000 records: AWS's 64k-row groups make two, the second starting at row 65 537
    let (text, pq, _) = twins(70_000, "default", 3);
    let file = open(&pq);
    assert_eq!(file.row_groups(), 2);
    assert_eq!(file.first_row(1), 65_537);
    let t = decode_text(&text);
    let p = decode_parquet("big.parquet", &pq);
    assert_eq!(content(&p), content(&t));
    assert_eq!(p.row_line(65_536), 65_537);
    assert_eq!(p.row_line(69_999), 70_000);
}

fn open(pq: &[u8]) -> ParquetFile {
    let len = pq.len() as u64;
    let need = footer_len(&pq[pq.len() - 8..], len).unwrap();
    ParquetFile::open(&pq[pq.len() - need as usize..], len).unwrap()
}

/// What the page does: the footer from the end, then each row group's bytes alone (a
/// `Window`), rendered into batches that cross to the main module as bytes.
fn decode_like_the_browser(name: &str, pq: &[u8], max_rows: usize) -> Table {
    let file = open(pq);
    let mut d = Decoder::new(DecodeOptions::default());
    d.begin_file(name);
    let mut w = BatchWriter::default();
    file.binding(&mut w);
    d.push_rows(&w.buf);
    for i in 0..file.row_groups() {
        let (s, e) = file.row_group_range(i);
        let window = Window {
            start: s,
            data: bytes::Bytes::copy_from_slice(&pq[s as usize..e as usize]),
            file_len: pq.len() as u64,
        };
        let mut rows = file.row_group(i, Arc::new(window)).unwrap();
        let mut w = BatchWriter::default();
        while rows.next_batch(max_rows, &mut w) {
            d.push_rows(&w.buf);
            w.buf.clear();
        }
        d.push_rows(&w.buf);
    }
    d.finish()
}

#[test]
fn row_groups_read_alone_give_the_same_table() {
    let (text, _, _) = twins(2500, "v5", 11);
    let pq = write_parquet(&text, r#"{"row_group_size": 700}"#);
    let whole = decode_parquet("x", &pq);
    assert_eq!(open(&pq).row_groups(), 4);
    for max_rows in [1, 3, 512, BATCH_ROWS] {
        let b = decode_like_the_browser("x", &pq, max_rows);
        assert_eq!(records(&b), records(&whole), "batches of {max_rows}");
        assert_eq!(
            (0..b.len()).map(|r| b.row_line(r)).collect::<Vec<_>>(),
            (1..=2500).collect::<Vec<u64>>()
        );
    }
    assert_eq!(content(&whole), content(&decode_text(&text)));
}

#[test]
fn other_writers_types_and_codecs_decode_the_same() {
    let (text, _, _) = twins(1500, "all", 5);
    let t = decode_text(&text);
    let cases = [
        // OpenSearch / Glue: protocol and ports as bigint, times as TIMESTAMP
        r#"{"types": {"protocol": "int64", "srcport": "int64", "dstport": "int64", "version": "int64", "start": "timestamp[s]", "end": "timestamp[ms]"}}"#,
        r#"{"types": {"start": "timestamp[us]", "end": "timestamp[ns]"}, "compression": "snappy"}"#,
        r#"{"types": {"start": "int96", "end": "int96"}, "compression": "none"}"#,
        // narrower and unsigned integers
        r#"{"types": {"protocol": "uint8", "srcport": "uint16", "dstport": "int32", "tcp-flags": "int16", "packets": "uint64", "bytes": "uint64", "version": "int8"}}"#,
        // every column text (Firehose record conversion with a string schema)
        r#"{"all_strings": true, "compression": "snappy"}"#,
        // account IDs as integers, no dictionary, non-nullable columns where full
        r#"{"types": {"account-id": "int64"}, "dictionary": false, "required": true}"#,
        // hyphenated and camelCase column names
        r#"{"names": "hyphen"}"#,
        r#"{"names": "camel", "row_group_size": 100}"#,
    ];
    for opts in cases {
        let pq = write_parquet(&text, opts);
        let p = decode_parquet("o.parquet", &pq);
        assert_eq!(content(&p), content(&t), "{opts}");
    }
}

#[test]
fn unknown_columns_are_kept_as_text_under_their_names_and_empty_text_is_null() {
    let (text, _, _) = twins(300, "default", 9);
    let pq = write_parquet(
        &text,
        r#"{"extra": {"source_file": ["a.gz", "b.gz"], "year": [2025], "ratio": [0.5]}}"#,
    );
    let p = decode_parquet("x.parquet", &pq);
    let b = &p.files()[0].bindings[0];
    assert!(
        b.description.contains(
            "unknown field 'source_file' kept as text; unknown field 'year' kept as text"
        ),
        "{}",
        b.description
    );
    // a column of another type (a float) is still left out, and named
    assert!(
        b.description.ends_with("left out: ratio"),
        "{}",
        b.description
    );
    let names: Vec<&str> = b.extra_names.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["source_file", "year"]);
    // the flow log fields equal the text twin's; the unknown columns are text columns
    let mut got = records(&p);
    for (i, r) in got.iter_mut().enumerate() {
        let o = r.as_object_mut().unwrap();
        let file = o.remove("source_file").unwrap();
        assert_eq!(file, if i % 2 == 0 { "a.gz" } else { "b.gz" }, "row {i}");
        assert_eq!(o.remove("year").unwrap(), "2025", "row {i}");
    }
    assert_eq!(got, records(&decode_text(&text)));
    let f = flowlens::query::Filter::parse_with("source_file = b.gz", p.extra_names()).unwrap();
    assert_eq!(f.select(&p).len(), 150);

    // a text column with the empty string and with a space
    let mini = b"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n\
2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1700000000 1700000060 ACCEPT OK\n";
    let pq = write_parquet(mini, r#"{"extra": {"x": [1]}}"#);
    assert_eq!(decode_parquet("m", &pq).len(), 1);
}

#[test]
fn bad_values_are_row_errors_with_the_row_number() {
    let text = b"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n\
2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1700000000 1700000060 ACCEPT OK\n\
2 123456789012 eni-2 10.0.0.1 10.0.0.2 70000 2 6 1 40 1700000000 1700000060 ACCEPT OK\n\
2 123456789012 eni-3 10.0.0.1 10.0.0.2 -5 2 6 1 40 1700000000 1700000060 ACCEPT OK\n\
2 123456789012 eni-4 not-an-ip 10.0.0.2 1 2 6 1 40 1700000000 1700000060 ACCEPT OK\n\
2 123456789012 eni-5 10.0.0.1 10.0.0.2 1 2 6 1 40 1700000000 1700000060 MAYBE OK\n\
2 123456789012 eni-6 10.0.0.1 10.0.0.2 1 2 6 1 40 1700000000 1700000060 ACCEPT OK\n";
    let pq = write_parquet(text, r#"{"types": {"srcport": "int64"}}"#);
    let p = decode_parquet("bad.parquet", &pq);
    assert_eq!(p.len(), 2);
    let errs: Vec<(u64, &str)> = p
        .errors()
        .iter()
        .map(|e| (e.line, e.reason.as_str()))
        .collect();
    assert_eq!(
        errs,
        vec![
            (
                2,
                "field 6 'srcport': 70000 is out of range (at most 65535)"
            ),
            (
                3,
                "field 6 'srcport': expected a non-negative integer, found '-5'"
            ),
            (
                4,
                "field 4 'srcaddr': expected an IP address, found 'not-an-ip'"
            ),
            (
                5,
                "field 13 'action': expected ACCEPT or REJECT, found 'MAYBE'"
            ),
        ]
    );
    assert_eq!(p.row_line(1), 6);
    // the same records as text give the same errors on the same records (rows + 1)
    let t = decode_text(text);
    let text_errs: Vec<(u64, &str)> = t
        .errors()
        .iter()
        .map(|e| (e.line - 1, e.reason.as_str()))
        .collect();
    assert_eq!(errs, text_errs);
}

#[test]
fn text_that_no_record_can_hold_is_a_row_error() {
    let text = "srcaddr dstaddr interface-id\n10.0.0.1 10.0.0.2 eni-1\n10.0.0.1 10.0.0.2 eni-2\n";
    let pq = write_parquet(text.as_bytes(), "{}");
    // rewrite interface-id of row 2 with a space through pyarrow directly
    let src = tmp("space.parquet");
    let o = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import pyarrow as pa, pyarrow.parquet as pq\n\
             t = pa.table({{'srcaddr': ['10.0.0.1', '10.0.0.3', '10.0.0.4'], 'interface_id': ['eni-1', 'eni 2', ''], 'action': ['ACCEPT', 'REJECT', None]}})\n\
             pq.write_table(t, {:?})",
            src.to_str().unwrap()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    drop(pq);
    let p = decode_parquet("s.parquet", &std::fs::read(&src).unwrap());
    assert_eq!(p.len(), 2, "{}", dump(&p));
    assert_eq!(p.errors()[0].line, 2);
    assert_eq!(
        p.errors()[0].reason,
        "field 2 'interface-id': text with a space or tab cannot be a flow log value, found 'eni 2'"
    );
    assert_eq!(p.errors()[0].raw, "10.0.0.3 eni 2 REJECT");
    // the empty string is null, as `-` is
    assert_eq!(records(&p)[1]["interface-id"], serde_json::Value::Null);
    assert_eq!(records(&p)[1]["action"], serde_json::Value::Null);
}

#[test]
fn broken_files_give_one_clear_error() {
    let (_, pq, _) = twins(500, "v5", 2);

    // cut short (a download or copy that stopped)
    let cut = decode_parquet("cut.parquet", &pq[..pq.len() / 2]);
    let r = only_error(&cut);
    assert!(r.contains("cut short"), "{r}");
    assert_eq!(cut.files()[0].bytes, (pq.len() / 2) as u64);
    assert!(only_error(&decode_parquet("tiny", b"PAR1PAR")).contains("cut short"));
    let r = only_error(&decode_parquet("tiny", b"PAR1\0\0\0\0PAR1"));
    assert!(r.starts_with("damaged Parquet footer"), "{r}");

    // a footer whose length points outside the file
    let mut bad = pq.clone();
    let n = bad.len();
    bad[n - 8..n - 4].copy_from_slice(&u32::MAX.to_le_bytes());
    let r = only_error(&decode_parquet("len.parquet", &bad));
    assert!(r.starts_with("damaged Parquet footer"), "{r}");

    // a footer whose metadata is garbage
    let mut bad = pq.clone();
    let meta = u32::from_le_bytes(bad[n - 8..n - 4].try_into().unwrap()) as usize;
    for b in &mut bad[n - 8 - meta..n - 8] {
        *b = 0xff;
    }
    let r = only_error(&decode_parquet("garbage.parquet", &bad));
    assert!(r.starts_with("damaged Parquet footer"), "{r}");

    // damage at every offset of the footer never panics and never yields wrong rows:
    // either one error, or all 500 records
    let good = records(&decode_parquet("ok", &pq));
    for at in (n - 8 - meta..n).step_by(23) {
        let mut bad = pq.clone();
        bad[at] ^= 0x5a;
        let t = decode_parquet("flip", &bad);
        if t.counts().errors > 0 {
            continue;
        }
        // a damaged column name leaves that column out, or keeps it as text under the
        // damaged name, and says so; every value under a flow log field is the right one
        let got = records(&t);
        assert_eq!(got.len(), good.len(), "flip at {at}");
        let b = &t.files()[0].bindings[0];
        assert!(
            t.fields().len() == 29
                || b.description.contains("left out")
                || b.description.contains("kept as text"),
            "flip at {at}"
        );
        for (g, w) in got.iter().zip(&good) {
            for (k, v) in g.as_object().unwrap() {
                if w.get(k).is_none() {
                    let said = format!("unknown field '{k}' kept as text");
                    assert!(b.description.contains(&said), "flip at {at}: {k}");
                    continue;
                }
                assert_eq!(v, &w[k], "flip at {at}: {k}");
            }
        }
    }

    // a Parquet file of something else
    let other = tmp("other.parquet");
    let o = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import pyarrow as pa, pyarrow.parquet as pq\n\
             pq.write_table(pa.table({{'city': ['Oslo', 'Lima'], 'population': [709000, 10000000]}}), {:?})",
            other.to_str().unwrap()
        ))
        .output()
        .unwrap();
    assert!(o.status.success());
    let r = only_error(&decode_parquet(
        "cities.parquet",
        &std::fs::read(&other).unwrap(),
    ));
    assert_eq!(
        r,
        "not a flow log: none of its 2 columns is a flow log field (city, population)"
    );

    // a type that cannot be the field
    let (text, _, _) = twins(50, "default", 4);
    for (opts, want) in [
        (
            r#"{"types": {"bytes": "double"}}"#,
            "column 'bytes' is DOUBLE, which cannot hold the flow log field 'bytes' (an integer, or text)",
        ),
        (
            r#"{"types": {"srcaddr": "int64"}}"#,
            "column 'srcaddr' is INT64, which cannot hold the flow log field 'srcaddr' (text)",
        ),
        (
            r#"{"types": {"action": "bool"}}"#,
            "column 'action' is BOOLEAN, which cannot hold the flow log field 'action' (text)",
        ),
        (
            r#"{"types": {"srcport": "timestamp[s]"}}"#,
            "column 'srcport' is INT64 (TIMESTAMP), which cannot hold the flow log field 'srcport' (an integer, or text)",
        ),
    ] {
        let pq = write_parquet(&text, opts);
        assert_eq!(only_error(&decode_parquet("t.parquet", &pq)), want);
    }
    // a list named like a field; a struct of other data is only left out
    let list = tmp("list.parquet");
    let o = Command::new("python3")
        .arg("-c")
        .arg(format!(
            "import pyarrow as pa, pyarrow.parquet as pq\n\
             pq.write_table(pa.table({{'srcaddr': ['10.0.0.1'], 'protocol': [[6]]}}), {:?})\n\
             pq.write_table(pa.table({{'srcaddr': ['10.0.0.1'], 'meta': [{{'a': 1}}]}}), {:?})",
            list.to_str().unwrap(),
            tmp("struct.parquet").to_str().unwrap()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        only_error(&decode_parquet("l.parquet", &std::fs::read(&list).unwrap())),
        "column 'protocol' is a list or group, which cannot hold the flow log field 'protocol' (an integer, or text)"
    );
    let st = decode_parquet("s.parquet", &std::fs::read(tmp("struct.parquet")).unwrap());
    assert_eq!((st.len(), st.counts().errors), (1, 0));
    assert!(st.files()[0].bindings[0]
        .description
        .ends_with("left out: meta.a"));

    // a codec this build does not read
    let pq = write_parquet(&text, r#"{"compression": "zstd"}"#);
    let r = only_error(&decode_parquet("z.parquet", &pq));
    assert!(r.contains("compressed with ZSTD"), "{r}");
    // two columns for one field
    let pq = write_parquet(&text, r#"{"extra": {"srcAddr": ["1.2.3.4"]}}"#);
    let r = only_error(&decode_parquet("dup.parquet", &pq));
    assert_eq!(
        r,
        "columns 'srcaddr' and 'srcAddr' are both the field 'srcaddr': cannot tell which one holds it"
    );
}

#[test]
fn a_damaged_row_group_is_one_error_and_the_others_decode() {
    let (text, _, _) = twins(900, "default", 6);
    let pq = write_parquet(&text, r#"{"row_group_size": 300, "dictionary": false}"#);
    let file = open(&pq);
    let (s, e) = file.row_group_range(1);
    let mut bad = pq.clone();
    for b in &mut bad[(s + (e - s) / 3) as usize..(s + (e - s) / 3 + 64) as usize] {
        *b ^= 0xa5;
    }
    let t = decode_parquet("rg.parquet", &bad);
    let good = decode_text(&text);
    let errs: Vec<_> = t
        .errors()
        .iter()
        .filter(|e| e.reason.contains("row group 2"))
        .collect();
    assert_eq!(t.counts().errors, 1, "{:?}", t.errors());
    assert_eq!(errs.len(), 1, "{:?}", t.errors());
    assert!(
        errs[0].reason.contains("could not be read"),
        "{}",
        errs[0].reason
    );
    // every row decoded is exactly the text twin's row with that number
    let want = records(&good);
    let got = records(&t);
    assert!(t.len() >= 600);
    for (r, rec) in got.iter().enumerate() {
        let row = t.row_line(r) as usize;
        assert_eq!(rec, &want[row - 1], "row {row}");
    }
    assert!(got.len() < 900);
}

#[test]
fn cli_reads_parquet_files_and_hive_style_folders_like_text() {
    let (text, pq, _) = twins(400, "v5", 12);
    let (text2, pq2, _) = twins(300, "v5", 13);
    let root = tmp("cli");
    let _ = std::fs::remove_dir_all(&root);
    let hive = root.join("AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2025/month=11/day=26/hour=00");
    std::fs::create_dir_all(&hive).unwrap();
    std::fs::write(
        hive.join("123456789012_vpcflowlogs_us-east-1_fl-1_20251126T0000Z_a.log.parquet"),
        &pq,
    )
    .unwrap();
    std::fs::write(
        hive.join("123456789012_vpcflowlogs_us-east-1_fl-1_20251126T0005Z_b.log.gz"),
        common::gzip(&text2),
    )
    .unwrap();
    std::fs::write(root.join("AWSLogs/README.md"), "not a log").unwrap();
    let textdir = tmp("cli-text");
    let _ = std::fs::remove_dir_all(&textdir);
    std::fs::create_dir_all(&textdir).unwrap();
    std::fs::write(textdir.join("a.log"), &text).unwrap();
    std::fs::write(textdir.join("b.log.gz"), common::gzip(&text2)).unwrap();

    let run = |args: &[&Path]| {
        let o = Command::new(env!("CARGO_BIN_EXE_flowlens"))
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        (
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    };
    let (a, err) = run(&[&root]);
    let (b, _) = run(&[&textdir]);
    assert_eq!(
        a, b,
        "the Parquet folder gives exactly the text folder's records"
    );
    assert_eq!(a.lines().count(), 700);
    assert!(
        err.contains("skipped") && err.contains("README.md"),
        "{err}"
    );
    assert!(err.contains("700 records, 0 errors"), "{err}");

    // several files; a Parquet file on stdin
    let p1 = tmp("one.parquet");
    let p2 = tmp("two.parquet");
    std::fs::write(&p1, &pq).unwrap();
    std::fs::write(&p2, &pq2).unwrap();
    let (c, _) = run(&[&p1, &p2]);
    assert_eq!(c, b);
    let o = Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .args(["-o", "stats"])
        .stdin(std::fs::File::open(&p1).unwrap())
        .output()
        .unwrap();
    let stats = String::from_utf8(o.stdout).unwrap();
    assert!(stats.contains("records    400"), "{stats}");

    // the original-lines export writes the records as text with a header
    let (lines, _) = run(&[Path::new("-o"), Path::new("lines"), &p1]);
    assert_eq!(
        lines.as_bytes(),
        &text[..],
        "header + records, as the text twin"
    );

    // a broken file is one error line naming it, and the rest still decodes
    let cut = tmp("cut.parquet");
    std::fs::write(&cut, &pq[..1000]).unwrap();
    let (d, err) = run(&[&cut, &p2]);
    assert_eq!(d.lines().count(), 300);
    assert!(err.contains("cut.parquet: Parquet file cut short"), "{err}");
}

#[test]
fn mutated_files_never_panic() {
    // deterministic damage anywhere in the file (data pages, dictionaries,
    // page headers, footer), gzip and uncompressed
    let (text, pq, _) = twins(400, "v5", 21);
    let plain = write_parquet(&text, r#"{"compression": "none", "row_group_size": 150}"#);
    let mut rng = common::Rng(0x9e37_79b9_7f4a_7c15);
    let mut next = || rng.next();
    for base in [&pq, &plain] {
        for _ in 0..60 {
            let mut bad = base.clone();
            for _ in 0..1 + next() % 4 {
                let at = (next() % bad.len() as u64) as usize;
                bad[at] ^= 1 << (next() % 8);
            }
            let t = decode_parquet("m.parquet", &bad);
            let c = t.counts();
            assert!(c.records + c.errors > 0, "something is reported");
        }
    }
}

#[test]
fn shared_dir_has_the_generator() {
    assert!(shared_dir().join("tools/gen_flowlogs.py").exists());
}
