//! Tables decoded separately and appended (`Table::append`, what `flowlens --jobs`
//! does with one table per file) are the table one decoder builds from the same
//! inputs: rows, sources, original lines, errors, counts and file summaries.

mod common;
use common::*;
use flowlens::{DecodeOptions, Decoder, Table};
use std::process::Command;

/// Inputs of different shapes, formats and error rates, as (name, bytes).
fn inputs() -> Vec<(String, Vec<u8>)> {
    let cases: [(&str, &[&str]); 5] = [
        ("default.log", &["-n", "3000", "--bad-rate", "0.02"]),
        (
            "all.log.gz",
            &[
                "-n",
                "2000",
                "--fields",
                "all",
                "--container",
                "s3",
                "--gzip",
            ],
        ),
        (
            "events.json",
            &["-n", "1500", "--container", "cwl-json", "--seed", "7"],
        ),
        ("empty.log", &["-n", "0"]),
        (
            "v5.log",
            &[
                "-n",
                "2500",
                "--fields",
                "v5",
                "--container",
                "s3",
                "--bad-rate",
                "0.01",
            ],
        ),
    ];
    cases
        .iter()
        .map(|(name, args)| (name.to_string(), generate(args).0))
        .collect()
}

fn decode_one(name: &str, bytes: &[u8], options: &DecodeOptions) -> Table {
    let mut d = Decoder::new(options.clone());
    d.begin_file(name);
    for c in bytes.chunks(4096) {
        d.push(c);
    }
    d.finish()
}

fn full_dump(t: &Table) -> String {
    let mut s = dump(t);
    for r in 0..t.len() {
        s.push_str(&format!("{} ", t.row_file(r)));
    }
    s.push_str(&serde_json::to_string(t.files()).unwrap());
    s.push_str(&format!("{:?}", t.fields()));
    s
}

/// All the inputs through one decoder.
fn decode_all(inputs: &[(String, Vec<u8>)], options: &DecodeOptions) -> Table {
    let mut one = Decoder::new(options.clone());
    for (name, bytes) in inputs {
        one.begin_file(name);
        for c in bytes.chunks(4096) {
            one.push(c);
        }
    }
    one.finish()
}

fn check(options: DecodeOptions) {
    let inputs = inputs();
    let one = decode_all(&inputs, &options);

    // The first table is the base, as in the CLI: its error-detail limit applies.
    let mut tables = inputs.iter().map(|(n, b)| decode_one(n, b, &options));
    let mut merged = tables.next().unwrap();
    for t in tables {
        merged.append(t);
    }
    assert!(one.len() > 8000, "{}", one.len());
    assert!(one.counts().errors > 0);
    assert_eq!(full_dump(&merged), full_dump(&one));
    assert_eq!(merged.errors_not_kept(), one.errors_not_kept());

    // the CLI's join: the same table, its columns reserved once and shrunk at the end
    let tables: Vec<Table> = inputs
        .iter()
        .map(|(n, b)| decode_one(n, b, &options))
        .collect();
    let concat = Table::concat(tables);
    assert_eq!(full_dump(&concat), full_dump(&one));
    assert_eq!(concat.errors_not_kept(), one.errors_not_kept());
    merged.finish_building();
    assert!(
        concat.heap_bytes() <= merged.heap_bytes(),
        "{} > {}",
        concat.heap_bytes(),
        merged.heap_bytes()
    );
    assert!(Table::concat(Vec::new()).is_empty());
}

#[test]
fn appended_tables_equal_one_decode() {
    check(DecodeOptions::default());
}

#[test]
fn appended_tables_keep_the_same_errors_in_detail() {
    check(DecodeOptions {
        max_kept_errors: Some(20),
        ..DecodeOptions::default()
    });
}

#[test]
fn cli_jobs_give_the_same_output_as_one_job() {
    let dir = std::env::temp_dir().join(format!("flowlens-jobs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for (name, bytes) in inputs() {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p.to_string_lossy().into_owned());
    }
    let run = |jobs: &str, output: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_flowlens"))
            .args(["--jobs", jobs, "-o", output])
            .args(&paths)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        (out.stdout, String::from_utf8(out.stderr).unwrap())
    };
    for output in ["ndjson", "lines", "stats"] {
        let (one_out, one_err) = run("1", output);
        let (par_out, par_err) = run("3", output);
        assert!(!one_out.is_empty());
        assert!(one_err.contains(":2"), "{one_err}");
        assert_eq!(par_out, one_out, "-o {output}");
        assert_eq!(par_err, one_err, "-o {output}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

// ── tables moved between workers as bytes (Table::to_bytes / from_bytes) ─────────

#[test]
fn a_table_read_back_from_its_bytes_is_the_same_table() {
    let options = DecodeOptions::default();
    for (name, bytes) in inputs() {
        let t = decode_one(&name, &bytes, &options);
        let wire = t.to_bytes();
        let back = Table::from_bytes(&wire).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(full_dump(&back), full_dump(&t), "{name}");
        assert_eq!(back.errors_not_kept(), t.errors_not_kept(), "{name}");
        assert_eq!(back.to_bytes(), wire, "{name}: the bytes are stable");
    }
}

#[test]
fn tables_moved_as_bytes_and_appended_equal_one_decode() {
    let options = DecodeOptions {
        max_kept_errors: Some(30),
        ..DecodeOptions::default()
    };
    let inputs = inputs();
    let one = decode_all(&inputs, &options);
    // as the page's merge worker does: each table arrives as bytes, in file order
    let mut merged: Option<Table> = None;
    for (name, bytes) in &inputs {
        let t = Table::from_bytes(&decode_one(name, bytes, &options).to_bytes()).unwrap();
        match &mut merged {
            None => merged = Some(t),
            Some(m) => m.append(t),
        }
    }
    let merged = merged.unwrap();
    assert_eq!(full_dump(&merged), full_dump(&one));
    assert_eq!(merged.errors_not_kept(), one.errors_not_kept());
}

#[test]
fn damaged_table_bytes_are_an_error_never_a_panic() {
    let (bytes, _) = generate(&[
        "-n",
        "40",
        "--bad-rate",
        "0.1",
        "--fields",
        "all",
        "--seed",
        "3",
    ]);
    let t = decode_one("small.log", &bytes, &DecodeOptions::default());
    let wire = t.to_bytes();
    assert!(Table::from_bytes(b"not a table").is_err());
    assert_eq!(
        Table::from_bytes(&wire[..3]).unwrap_err().to_string(),
        "not a table serialized by this build of flowlens"
    );
    for cut in 8..wire.len() {
        assert!(Table::from_bytes(&wire[..cut]).is_err(), "cut at {cut}");
    }
    let mut trailing = wire.clone();
    trailing.push(0);
    assert!(Table::from_bytes(&trailing).is_err());
    // single flipped bytes: read back or refused, and a table read back can be shown
    for at in (8..wire.len()).step_by(3) {
        let mut bad = wire.clone();
        bad[at] ^= 0x5a;
        if let Ok(t) = Table::from_bytes(&bad) {
            let _ = full_dump(&t);
        }
    }
}

/// The page's merger (`Merger.expectRest`): after the first of nine like files, the
/// columns are reserved for the rest at its rows per byte, so the tables appended after
/// it fit, and the capacity the memory budget counts stays near the finished table's
/// instead of growing by doubling to up to twice it. The rows are the same either way.
#[test]
fn a_reservation_for_the_rest_keeps_a_merge_near_its_final_size() {
    let files: Vec<(String, Vec<u8>)> = (0..9)
        .map(|i| {
            let seed = (11 + i).to_string();
            (
                format!("part-{i}.log"),
                generate(&["-n", "4000", "--seed", &seed]).0,
            )
        })
        .collect();
    let total: usize = files.iter().map(|(_, b)| b.len()).sum();
    let options = DecodeOptions::default();
    let merge = |reserve: bool| {
        let mut tables = files.iter().map(|(n, b)| decode_one(n, b, &options));
        let mut merged = tables.next().unwrap();
        let read = files[0].1.len() as u64;
        if reserve {
            let rows = merged.len();
            let made = merged.reserve_for_rest(rows, read, (total as u64) - read, usize::MAX);
            assert!((8 * 4000..=8 * 4000 * 11 / 10).contains(&made), "{made}");
        }
        let mut peak = 0;
        for t in tables {
            merged.append(t);
            peak = peak.max(merged.heap_bytes());
        }
        let before_finish = merged.heap_bytes();
        merged.finish_building();
        (merged, peak, before_finish)
    };
    let (reserved, peak, _) = merge(true);
    let (grown, _, grown_capacity) = merge(false);
    let finished = reserved.heap_bytes();
    assert_eq!(full_dump(&reserved), full_dump(&grown));
    assert_eq!(reserved.len(), 36_000);
    // the reservation's 2 % and the null bitmaps' growth aside, no room to spare
    assert!(peak <= finished * 110 / 100, "{peak} against {finished}");
    // what it prevents: doubling left a capacity far over the table's
    assert!(
        grown_capacity > finished * 130 / 100,
        "{grown_capacity} against {finished}"
    );
    // nothing read or nothing left: nothing reserved
    let mut t = decode_one("a.log", &files[0].1, &options);
    assert_eq!(t.reserve_for_rest(t.len(), 0, 100, usize::MAX), 0);
    assert_eq!(t.reserve_for_rest(t.len(), 100, 0, usize::MAX), 0);
    // a budget: rows for at most that many more bytes (4,000 bytes, a few bytes a row)
    let heap = t.heap_bytes();
    let made = t.reserve_for_rest(t.len(), 1000, 1_000_000, heap + 4000);
    assert!(made > 40 && made < 1000, "{made}");
    assert_eq!(t.reserve_for_rest(t.len(), 1000, 1_000_000, heap / 2), 0);
}
