//! The standard workload (`shared/tools/gen_flowlogs.py`) in every shape: counts, sums
//! and bad line numbers must equal the generator's truth file; any chunking must give
//! the identical table.

mod common;
use common::*;
use flowlens::fields::Field;
use flowlens::output::summarize;
use flowlens::{DecodeOptions, Table, Value};
use serde_json::Value as J;

/// Bad lines of the generator that are prose ("this is not a flow log record"): text
/// with no flow log values among records is noise, counted as "not a record", not an
/// error (issue #7); its other bad lines look like broken records and stay errors.
fn prose(t: &Table) -> u64 {
    t.counts()
        .not_records
        .get(flowlens::noise_reasons::PROSE)
        .copied()
        .unwrap_or(0)
}

fn check_truth(t: &Table, truth: &J, what: &str) {
    assert_eq!(
        t.len() as u64,
        truth["records"].as_u64().unwrap(),
        "{what}: records"
    );
    assert_eq!(
        t.errors().len() as u64 + prose(t),
        truth["bad-records"].as_u64().unwrap(),
        "{what}: errors and prose lines"
    );
    let s = summarize(t, 0..t.len());
    assert_eq!(s.bytes, truth["bytes"].as_u64().unwrap(), "{what}: bytes");
    assert_eq!(
        s.packets,
        truth["packets"].as_u64().unwrap(),
        "{what}: packets"
    );
    let actions = &truth["action"];
    assert_eq!(
        s.accept,
        actions["ACCEPT"].as_u64().unwrap_or(0),
        "{what}: ACCEPT"
    );
    assert_eq!(
        s.reject,
        actions["REJECT"].as_u64().unwrap_or(0),
        "{what}: REJECT"
    );
    let status = &truth["log-status"];
    assert_eq!(
        s.nodata,
        status["NODATA"].as_u64().unwrap_or(0),
        "{what}: NODATA"
    );
    assert_eq!(
        s.skipdata,
        status["SKIPDATA"].as_u64().unwrap_or(0),
        "{what}: SKIPDATA"
    );
    if let Some(bad) = truth["bad-lines"].as_array() {
        let lines: Vec<u64> = t.errors().iter().map(|e| e.line).collect();
        let want: Vec<u64> = bad.iter().map(|v| v.as_u64().unwrap()).collect();
        assert!(
            lines.iter().all(|l| want.contains(l)),
            "{what}: bad line numbers {lines:?} are among {want:?}"
        );
        assert_eq!(
            (want.len() - lines.len()) as u64,
            prose(t),
            "{what}: the others are prose"
        );
    }
    let fields: Vec<&str> = truth["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    if !t.is_empty() {
        assert_eq!(
            t.row_fields(0).iter().map(|f| f.name()).collect::<Vec<_>>(),
            fields,
            "{what}: binding"
        );
    }
    // every line is accounted for
    let c = t.counts();
    assert_eq!(
        c.records + c.errors + prose(t),
        truth["records"].as_u64().unwrap() + truth["bad-records"].as_u64().unwrap()
    );
}

#[test]
fn generated_workloads_match_their_truth() {
    let cases: &[&[&str]] = &[
        &["-n", "20000", "--bad-rate", "0.01"],
        &[
            "-n",
            "5000",
            "--fields",
            "all",
            "--container",
            "s3",
            "--gzip",
            "--bad-rate",
            "0.01",
        ],
        &[
            "-n",
            "5000",
            "--fields",
            "v5",
            "--container",
            "s3",
            "--bad-rate",
            "0.02",
        ],
        &[
            "-n",
            "3000",
            "--container",
            "cwl-json",
            "--bad-rate",
            "0.01",
        ],
        &[
            "-n",
            "3000",
            "--fields",
            "v4",
            "--container",
            "cwl-filter-json",
            "--gzip",
        ],
        &[
            "-n",
            "3000",
            "--container",
            "cwl-messages",
            "--bad-rate",
            "0.01",
        ],
        &["-n", "5000", "--fields", "custom"],
        &[
            "-n",
            "5000",
            "--fields",
            "v7",
            "--container",
            "s3",
            "--seed",
            "7",
        ],
    ];
    for args in cases {
        let (bytes, truth) = generate(args);
        let t = decode(&bytes);
        check_truth(&t, &truth, &args.join(" "));
    }
}

#[test]
fn bad_lines_carry_precise_reasons() {
    let (bytes, _) = generate(&["-n", "4000", "--bad-rate", "0.05", "--seed", "3"]);
    let t = decode(&bytes);
    assert!(!t.errors().is_empty());
    for e in t.errors() {
        assert!(
            e.reason.starts_with("line has ") || e.reason.starts_with("field "),
            "{}",
            e.reason
        );
        assert!(e.raw.len() <= flowlens::RAW_LIMIT + 3);
    }
    assert!(t.errors().iter().any(|e| e.reason.contains("expected")));
}

#[test]
fn any_chunking_gives_the_same_table() {
    let mut fixtures: Vec<(String, Vec<u8>)> = Vec::new();
    for args in [
        &["-n", "300", "--bad-rate", "0.05"][..],
        &[
            "-n",
            "200",
            "--fields",
            "all",
            "--container",
            "s3",
            "--gzip",
        ][..],
        &["-n", "150", "--container", "cwl-json", "--bad-rate", "0.05"][..],
        &["-n", "150", "--container", "cwl-filter-json", "--gzip"][..],
        &["-n", "150", "--container", "cwl-messages"][..],
        &["-n", "200", "--fields", "custom"][..],
    ] {
        fixtures.push((args.join(" "), generate(args).0));
    }
    let docs =
        std::fs::read_to_string(shared_dir().join("conformance/aws-docs-examples.json")).unwrap();
    let docs: J = serde_json::from_str(&docs).unwrap();
    for c in docs["cases"].as_array().unwrap() {
        let input = c["input"].as_str().unwrap();
        let ls = lines(input);
        fixtures.push((format!("{} csv", c["name"]), console_csv(&ls).into_bytes()));
        fixtures.push((
            format!("{} subscription", c["name"]),
            subscription_payloads(&ls),
        ));
        fixtures.push((
            format!("{} insights", c["name"]),
            insights_results(&ls).into_bytes(),
        ));
        fixtures.push((
            format!("{} export", c["name"]),
            export_prefixed(&ls).into_bytes(),
        ));
    }
    for (name, bytes) in &fixtures {
        let whole = dump(&decode_chunked(
            bytes,
            bytes.len(),
            DecodeOptions::default(),
        ));
        for chunk in [1, 2, 3, 7, 64, 4096] {
            let got = dump(&decode_chunked(bytes, chunk, DecodeOptions::default()));
            assert_eq!(got, whole, "{name} with {chunk}-byte chunks");
        }
    }
}

#[test]
fn files_decoded_together_keep_their_own_shapes_and_formats() {
    let (a, ta) = generate(&["-n", "500", "--container", "s3", "--fields", "v5"]);
    let (b, tb) = generate(&["-n", "400", "--container", "cwl-json", "--seed", "9"]);
    let (c, tc) = generate(&["-n", "300", "--fields", "custom", "--gzip", "--seed", "5"]);
    let mut d = flowlens::Decoder::new(DecodeOptions::default());
    for (name, bytes) in [("a.log", &a), ("b.json", &b), ("c.log.gz", &c)] {
        d.begin_file(name);
        for chunk in bytes.chunks(1000) {
            d.push(chunk);
        }
    }
    let t = d.finish();
    let files = t.files();
    assert_eq!(files.len(), 3);
    let want = [&ta, &tb, &tc];
    for (f, truth) in files.iter().zip(want) {
        assert_eq!(f.records, truth["records"].as_u64().unwrap(), "{}", f.name);
    }
    assert!(files[2].gzip);
    assert_eq!(t.len(), 1200);
    // a row of the second file has its own format's keys; columns it lacks are null
    let r = files[1].first_row;
    assert_eq!(t.row_fields(r).len(), 14);
    assert_eq!(t.value(r, Field::VpcId), Value::Null);
    assert_eq!(t.row_file(r), 1);
    assert_eq!(
        t.value(files[0].first_row, Field::VpcId),
        Value::Text("vpc-0a1b2c3d4e5f60718")
    );
}

#[test]
fn a_later_header_rebinds_the_lines_after_it() {
    // two S3 files concatenated, as `zcat a.gz b.gz` gives
    let (a, _) = generate(&["-n", "50", "--container", "s3", "--fields", "v3"]);
    let (b, _) = generate(&["-n", "60", "--container", "s3", "--fields", "custom"]);
    let mut both = a.clone();
    both.extend_from_slice(&b);
    let t = decode(&both);
    assert!(t.errors().is_empty(), "{:?}", t.errors().first());
    assert_eq!(t.len(), 110);
    assert_eq!(t.row_fields(0).len(), 21);
    assert_eq!(t.row_fields(50).len(), 18);
    assert_eq!(t.row_line(50), 53);
    assert_eq!(t.counts().skipped_header, 2);
}

#[test]
fn hostile_input_never_panics() {
    let mut rng = common::Rng(0x9e3779b97f4a7c15);
    let mut next = || rng.next();
    let seeds: Vec<Vec<u8>> = vec![
        b"2 123 eni-1 1.1.1.1 2.2.2.2 1 2 6 1 1 1 1 ACCEPT OK\n".to_vec(),
        b"{\"events\":[{\"message\":\"2 1\"}]}".to_vec(),
        b"timestamp,message\n1,\"2 3\"\n".to_vec(),
        gzip(b"version srcaddr\n2 1.1.1.1\n"),
    ];
    for i in 0..3000 {
        let mut input = seeds[i % seeds.len()].clone();
        let edits = next() % 8;
        for _ in 0..edits {
            let pos = (next() as usize) % (input.len() + 1);
            match next() % 3 {
                0 => input.insert(pos, next() as u8),
                1 if pos < input.len() => {
                    input.remove(pos);
                }
                _ => input
                    .splice(pos..pos, (0..next() % 40).map(|_| next() as u8))
                    .for_each(drop),
            }
        }
        let chunk = 1 + (next() % 50) as usize;
        let t = decode_chunked(&input, chunk, DecodeOptions::default());
        // counts add up and every row renders
        assert_eq!(t.counts().records as usize, t.len());
        for r in 0..t.len() {
            let _ = t.original_line(r);
        }
    }
}

#[test]
fn every_bad_line_is_counted_even_beyond_the_details_kept() {
    let garbage: String = (0..500).map(|i| format!("not a record {i}\n")).collect();
    let options = DecodeOptions {
        max_kept_errors: Some(10),
        ..Default::default()
    };
    let t = decode_chunked(garbage.as_bytes(), 1 << 16, options);
    assert_eq!(t.counts().errors, 500);
    assert_eq!(t.errors().len(), 10);
    assert_eq!(t.errors_not_kept(), 490);
    assert_eq!(t.errors()[9].line, 10);
}

#[test]
fn an_abandoned_file_drops_its_cut_off_line() {
    let (bytes, _) = generate(&["-n", "100", "--gzip"]);
    // stop in the middle of the gzip stream, as a cancel would
    let mut d = flowlens::Decoder::new(DecodeOptions::default());
    d.begin_file("cut.log.gz");
    d.push(&bytes[..bytes.len() / 2]);
    d.abandon_file();
    let t = d.finish();
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert!(!t.is_empty() && t.len() < 100);
    assert!(t.files()[0].stopped_early);
    // the same cut, ended normally, reports the truncation
    let mut d = flowlens::Decoder::new(DecodeOptions::default());
    d.begin_file("cut.log.gz");
    d.push(&bytes[..bytes.len() / 2]);
    let t = d.finish();
    assert!(!t.errors().is_empty());
    assert!(!t.files()[0].stopped_early);
}
