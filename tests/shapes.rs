//! Every paste and file shape of issue 7, from fixtures that reproduce what the aws CLI
//! v2 and terminals print: exact records (with the container's timestamp and stream),
//! noise counted as "not a record" with its reason, the same table for any chunking,
//! and the same through the CLI.

mod common;

use common::{decode_chunked, records};
use flowlens::{DecodeOptions, Table};
use serde_json::{json, Value};
use std::process::Command;

const R: [&str; 3] = [
    "2 123456789012 eni-0a1b2c3d4e5f67890 10.0.1.5 10.0.2.9 44308 443 6 12 4800 1764115200 1764115260 ACCEPT OK",
    "2 123456789012 eni-0a1b2c3d4e5f67890 203.0.113.9 10.0.1.5 51515 22 6 1 40 1764115201 1764115261 REJECT OK",
    "2 123456789012 eni-0a1b2c3d4e5f67890 - - - - - - - 1764115262 1764115322 - NODATA",
];
const TS: [i64; 3] = [1_764_115_260_000, 1_764_115_261_000, 1_764_115_322_000];
const STREAM: &str = "eni-0a1b2c3d4e5f67890-all";

/// The three records as the NDJSON contract types them.
fn expected(ts: bool, stream: bool) -> Vec<Value> {
    let base = [
        json!({"version":2,"account-id":"123456789012","interface-id":"eni-0a1b2c3d4e5f67890","srcaddr":"10.0.1.5","dstaddr":"10.0.2.9","srcport":44308,"dstport":443,"protocol":6,"packets":12,"bytes":4800,"start":1764115200,"end":1764115260,"action":"ACCEPT","log-status":"OK"}),
        json!({"version":2,"account-id":"123456789012","interface-id":"eni-0a1b2c3d4e5f67890","srcaddr":"203.0.113.9","dstaddr":"10.0.1.5","srcport":51515,"dstport":22,"protocol":6,"packets":1,"bytes":40,"start":1764115201,"end":1764115261,"action":"REJECT","log-status":"OK"}),
        json!({"version":2,"account-id":"123456789012","interface-id":"eni-0a1b2c3d4e5f67890","srcaddr":null,"dstaddr":null,"srcport":null,"dstport":null,"protocol":null,"packets":null,"bytes":null,"start":1764115262,"end":1764115322,"action":null,"log-status":"NODATA"}),
    ];
    base.into_iter()
        .zip(TS)
        .map(|(mut v, t)| {
            if ts {
                v["@timestamp"] = json!(t);
            }
            if stream {
                v["@logStream"] = json!(STREAM);
            }
            v
        })
        .collect()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/shapes/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Decodes whole and in chunks of 1, 2, 3, 7, 64 and 4096 bytes; all must agree.
fn decode_all(bytes: &[u8]) -> Table {
    let whole = decode_chunked(bytes, bytes.len().max(1), DecodeOptions::default());
    let dump = |t: &Table| {
        (
            records(t),
            t.counts().clone(),
            t.errors()
                .iter()
                .map(|e| (e.line, e.reason.clone()))
                .collect::<Vec<_>>(),
        )
    };
    let want = dump(&whole);
    for chunk in [1, 2, 3, 7, 64, 4096] {
        let t = decode_chunked(bytes, chunk, DecodeOptions::default());
        assert_eq!(dump(&t), want, "{chunk}-byte chunks");
    }
    whole
}

/// Each bad line's number and reason.
fn line_errors(t: &Table) -> Vec<(u64, String)> {
    t.errors()
        .iter()
        .map(|e| (e.line, e.reason.clone()))
        .collect()
}

/// The shape the (first) file was read as.
fn shape_of(t: &Table) -> Value {
    serde_json::to_value(&t.files()[0]).unwrap()["shape"].clone()
}

/// The three records of the header-scope cases: one under the header line, one of the
/// scoped block in its own order, one after the block under the header line again.
fn assert_scoped_rows(t: &Table) {
    let got = records(t);
    let rows: Vec<(&Value, &Value, &Value)> = got
        .iter()
        .map(|r| (&r["srcaddr"], &r["dstport"], &r["bytes"]))
        .collect();
    assert_eq!(
        rows,
        [
            (&json!("10.0.0.1"), &json!(443), &json!(100)),
            (&json!("10.0.0.3"), &json!(22), &json!(200)),
            (&json!("10.0.0.5"), &json!(80), &json!(300)),
        ]
    );
}

struct Case {
    file: &'static str,
    shape: &'static str,
    ts: bool,
    stream: bool,
    /// (reason, count) of the lines that are not records.
    noise: &'static [(&'static str, u64)],
}

const PROMPT: &str = "a shell prompt or command";
const CLI_ROW: &str = "an aws CLI text row (token or SEARCHEDLOGSTREAMS)";
const YAML: &str = "a YAML key of aws CLI output";
const FOLD: &str = "the rest of a folded YAML message";
const PROSE: &str = "no flow log values (prose, a prompt or a command)";
const FENCE: &str = "a Markdown code fence";

const CASES: &[Case] = &[
    Case {
        file: "prompt-grep.txt",
        shape: "message-lines",
        ts: false,
        stream: false,
        noise: &[(PROMPT, 2)],
    },
    Case {
        file: "get-log-events.txt",
        shape: "aws-cli-text",
        ts: true,
        stream: false,
        noise: &[(PROMPT, 1), (CLI_ROW, 1)],
    },
    Case {
        file: "filter-log-events.txt",
        shape: "aws-cli-text",
        ts: true,
        stream: true,
        noise: &[(PROMPT, 1), (CLI_ROW, 1)],
    },
    Case {
        file: "query-messages.txt",
        shape: "aws-cli-text",
        ts: false,
        stream: false,
        noise: &[],
    },
    Case {
        file: "get-log-events.yaml",
        shape: "aws-cli-yaml",
        ts: true,
        stream: false,
        noise: &[(YAML, 9), (FOLD, 1)],
    },
    Case {
        file: "filter-log-events.yaml",
        shape: "aws-cli-yaml",
        ts: true,
        stream: true,
        noise: &[(YAML, 16)],
    },
    Case {
        file: "events.ndjson",
        shape: "json",
        ts: true,
        stream: false,
        noise: &[],
    },
    Case {
        file: "zgrep.txt",
        shape: "paste",
        ts: false,
        stream: false,
        noise: &[],
    },
    Case {
        file: "grep-n.txt",
        shape: "paste",
        ts: false,
        stream: false,
        noise: &[],
    },
    // Logs Insights `fields @timestamp, version, accountId, …` downloaded as CSV: a
    // column per field under its discovered camelCase name, `-` exported as empty.
    Case {
        file: "insights-fields.csv",
        shape: "csv",
        ts: true,
        stream: true,
        noise: &[],
    },
    // `aws logs get-query-results` of the same query: field/value cells per row; the
    // NODATA row gives `-` as its message does.
    Case {
        file: "get-query-results-fields.json",
        shape: "json",
        ts: true,
        stream: true,
        noise: &[],
    },
    // The console's JSON download of it: one flat object per row, absent values null.
    Case {
        file: "insights-fields.json",
        shape: "json",
        ts: true,
        stream: true,
        noise: &[],
    },
    // Rows of the CloudWatch console's log events table, copied: `time⇥message`.
    Case {
        file: "console-copy.txt",
        shape: "paste",
        ts: true,
        stream: false,
        noise: &[],
    },
    Case {
        file: "chat.md",
        shape: "paste",
        ts: false,
        stream: false,
        noise: &[(FENCE, 2), (PROSE, 2)],
    },
    // flowlens's own "Copy as Markdown" (`-o markdown`) posted in a chat between two
    // lines of prose: display values (TCP, ISO times) turned back into the log's
    Case {
        file: "markdown-table.md",
        shape: "paste",
        ts: false,
        stream: false,
        noise: &[(PROSE, 2), ("the alignment row of a Markdown table", 1)],
    },
];

#[test]
fn every_paste_shape_decodes_exactly_in_any_chunking() {
    for c in CASES {
        let t = decode_all(&fixture(c.file));
        assert_eq!(records(&t), expected(c.ts, c.stream), "{}", c.file);
        assert_eq!(t.errors().len(), 0, "{}: {:?}", c.file, t.errors());
        let shape = shape_of(&t);
        assert_eq!(shape, json!(c.shape), "{}", c.file);
        let noise: Vec<(&str, u64)> = t
            .counts()
            .not_records
            .iter()
            .map(|(k, v)| (*k, *v))
            .collect();
        let mut want = c.noise.to_vec();
        want.sort();
        assert_eq!(noise, want, "{}", c.file);
        assert_eq!(
            t.counts().skipped_other,
            want.iter().map(|w| w.1).sum::<u64>()
        );
        // bound by the documented layout or the header, never a guess
        assert!(
            t.files()[0]
                .bindings
                .iter()
                .all(|b| b.origin != flowlens::Origin::Inferred),
            "{}",
            c.file
        );
    }
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_cli_gives_the_same_records_and_counts_noise() {
    for c in CASES {
        let path = format!("tests/fixtures/shapes/{}", c.file);
        let (code, out, err) = cli(&["--strict", &path]);
        assert_eq!(code, 0, "{}: {err}", c.file);
        let got: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(got, expected(c.ts, c.stream), "{}", c.file);
        let noise: u64 = c.noise.iter().map(|n| n.1).sum();
        if noise > 0 {
            assert!(
                err.contains(&format!("({noise} not records)")),
                "{}: {err}",
                c.file
            );
        } else {
            assert!(!err.contains("not records"), "{}: {err}", c.file);
        }
        for (reason, n) in c.noise {
            assert!(
                err.contains(&format!("{n} × {reason}")),
                "{}: {err}",
                c.file
            );
        }
    }
}

#[test]
fn binary_and_eventless_json_get_one_clear_message() {
    let t = decode_all(&fixture("parquet.bin"));
    assert_eq!((t.len(), t.errors().len()), (0, 1));
    assert!(t.errors()[0]
        .reason
        .contains("Parquet file (it starts with PAR1)"));
    let t = decode_all(&fixture("describe-network-interfaces.json"));
    assert_eq!((t.len(), t.errors().len()), (0, 1));
    assert!(
        t.errors()[0].reason.contains("holds no flow log events"),
        "{:?}",
        t.errors()
    );
    let mut zip = b"PK\x03\x04".to_vec();
    zip.extend((0..2000u32).map(|i| (i * 7) as u8));
    let t = decode_all(&zip);
    assert_eq!(t.errors().len(), 1);
    assert!(t.errors()[0].reason.contains("a zip archive"));
    let (code, _, err) = cli(&["--strict", "tests/fixtures/shapes/parquet.bin"]);
    assert_eq!(code, 1);
    assert!(err.contains("parquet.bin: damaged Parquet footer"), "{err}");
}

#[test]
fn a_prompt_starting_with_a_bracket_is_not_json() {
    let t = decode_all(&fixture("prompt-grep.txt"));
    assert_eq!(t.len(), 3);
    // but a real JSON document after leading whitespace still is
    let doc = format!(
        "  \n[{{\"message\": \"{}\", \"timestamp\": {}}}]",
        R[0], TS[0]
    );
    let t = decode_all(doc.as_bytes());
    assert_eq!(records(&t), expected(true, false)[..1].to_vec());
}

#[test]
fn documented_layouts_bind_odd_but_real_values() {
    // 11-digit and redacted account ids, `unknown`, 9- and 13-digit times, `-` anywhere
    let lines = [
        "2 64111117617 eni-0a1b2c3d 10.0.1.5 10.0.2.9 44308 443 6 12 4800 1764115200 1764115260 ACCEPT OK",
        "2 xxxxxxxxxxxx eni-0a1b2c3d 10.0.1.5 10.0.2.9 123 123 17 3 228 1764115200 1764115260 ACCEPT OK",
        "2 unknown eni-0a1b2c3d - - - - - - - 1538696170 1538696308 - NODATA",
        "2 1111 eni-0a1b2c3d 10.0.1.5 10.0.2.9 123 123 17 3 228 164000066 164000126 ACCEPT OK",
        "2 123456789012 eni-0a1b2c3d 10.0.1.5 10.0.2.9 443 51000 6 3 228 1764115200000 1764115260000 ACCEPT OK",
    ];
    for l in lines {
        let t = decode_all(format!("{l}\n").as_bytes());
        assert_eq!(t.len(), 1, "{l}: {:?}", t.errors());
        let b = &t.files()[0].bindings[0];
        assert_eq!(b.origin, flowlens::Origin::Layout, "{l}");
        let r = &records(&t)[0];
        assert_eq!(r["account-id"], json!(l.split(' ').nth(1).unwrap()), "{l}");
        assert_eq!(r["interface-id"], json!("eni-0a1b2c3d"));
    }
}

#[test]
fn each_field_count_binds_on_its_own() {
    // a line of 10,000 fields first, then default-format lines and all-v5 lines
    let garbage = vec!["7"; 10_000].join(" ");
    let v5 = "5 123456789012 eni-0a1b2c3d 10.0.1.5 10.0.2.9 443 51000 6 3 228 1764115200 1764115260 ACCEPT OK vpc-0a1b2c3d subnet-0a1b2c3d i-0a1b2c3d4e5f67890 19 IPv4 10.0.1.5 10.0.2.9 us-east-1 use1-az1 - - - - ingress 1";
    let mut input = format!("{garbage}\n");
    for _ in 0..3 {
        input.push_str(&format!("{}\n{v5}\n", R[0]));
    }
    let t = decode_all(input.as_bytes());
    assert_eq!(t.len(), 6, "{:?}", t.errors());
    assert_eq!(t.errors().len(), 1);
    assert_eq!(t.errors()[0].line, 1);
    let names: Vec<&str> = t.files()[0]
        .bindings
        .iter()
        .map(|b| b.description.as_str())
        .collect();
    assert_eq!(
        names,
        ["default format (version 2)", "all fields of versions 2–5"]
    );
}

#[test]
fn transit_gateway_records_are_inferred_with_tgw_names() {
    // the Transit Gateway default layout, reordered so no documented layout binds it
    let lines = [
        "TransitGateway tgw-0a1b2c3d tgw-attach-0a1b2c3d 123456789012 eni-0a1b2c3d eni-0f9e8d7c vpc-0a1b2c3d vpc-0f9e8d7c 10.0.1.5 10.1.0.9 443 51000 6 10 4000 1764115200 1764115260 OK",
        "TransitGateway tgw-0a1b2c3d tgw-attach-0a1b2c3d 123456789012 eni-0a1b2c3d eni-0f9e8d7c vpc-0a1b2c3d vpc-0f9e8d7c 10.0.1.6 10.1.0.9 51001 22 6 2 120 1764115201 1764115261 OK",
    ];
    let t = decode_all((lines.join("\n") + "\n").as_bytes());
    let b = &t.files()[0].bindings[0];
    assert_eq!(b.origin, flowlens::Origin::Inferred);
    let names: Vec<&str> = b.fields.iter().map(|f| f.name()).collect();
    assert_eq!(
        &names[4..8],
        [
            "tgw-src-eni",
            "tgw-dst-eni",
            "tgw-src-vpc-id",
            "tgw-dst-vpc-id"
        ]
    );
    assert!(
        !names.contains(&"vpc-id") && !names.contains(&"interface-id"),
        "{names:?}"
    );
    assert!(b.confidence < flowlens::CONFIDENCE_THRESHOLD);
}

#[test]
fn a_header_with_unknown_names_is_a_header_and_keeps_them_as_text() {
    let input = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecn-codepoint future_field\n\
        2 123456789012 eni-0a1b2c3d 10.0.1.5 10.0.2.9 44308 443 6 12 4800 1764115200 1764115260 ACCEPT OK 2 x\n\
        2 123456789012 eni-0a1b2c3d 10.0.1.6 10.0.2.9 44309 443 6 12 4800 1764115200 1764115260 ACCEPT OK - y\n";
    let t = decode_all(input.as_bytes());
    assert_eq!(t.len(), 2, "{:?}", t.errors());
    let b = &t.files()[0].bindings[0];
    assert_eq!(b.origin, flowlens::Origin::Header);
    let extra: Vec<(&str, &str)> = b
        .extra_names
        .iter()
        .map(|(f, n)| (f.name(), n.as_str()))
        .collect();
    assert_eq!(
        extra,
        [("extra-1", "ecn-codepoint"), ("extra-2", "future_field")]
    );
    assert!(b
        .description
        .contains("unknown field 'ecn-codepoint' kept as text"));
    // each unknown name is a column under its own name: records, filters, sorts, exports
    assert_eq!(t.field_name(flowlens::Field::Extra2), "future_field");
    let r = records(&t);
    assert_eq!(
        (r[0]["ecn-codepoint"].clone(), r[0]["future_field"].clone()),
        (json!("2"), json!("x"))
    );
    assert_eq!(
        (r[1]["ecn-codepoint"].clone(), r[1]["future_field"].clone()),
        (json!(null), json!("y"))
    );
    assert!(r[0].get("extra-1").is_none(), "{:?}", r[0]);
    let f = flowlens::query::Filter::parse_with("future_field = y", t.extra_names()).unwrap();
    assert_eq!(f.select(&t), vec![1]);
    let f = flowlens::query::Filter::parse_with("ECN-codepoint exists", t.extra_names()).unwrap();
    assert_eq!(f.select(&t), vec![0]);
    assert!(flowlens::query::Filter::parse("future_field = y")
        .unwrap_err()
        .message
        .starts_with("unknown field 'future_field'"));
    let mut rows = vec![0, 1];
    let s = flowlens::query::parse_sort_with("future_field:desc", t.extra_names()).unwrap();
    flowlens::query::sort_rows(&t, &mut rows, &s);
    assert_eq!(rows, [1, 0]);
    let mut csv = String::new();
    flowlens::output::write_csv(&mut csv, &t, 0..t.len());
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",ecn-codepoint,future_field"),
        "{csv}"
    );
    let path = std::env::temp_dir().join(format!("flowlens-extra-{}.log", std::process::id()));
    std::fs::write(&path, input).unwrap();
    let p = path.to_str().unwrap();
    let (code, out, err) = cli(&[p, "--filter", "future_field = y", "-o", "ndjson"]);
    let (bad, _, bad_err) = cli(&[p, "--filter", "future_fieldx = y"]);
    let _ = std::fs::remove_file(&path);
    assert!(
        err.contains(":1: unknown field 'ecn-codepoint' kept as text"),
        "{err}"
    );
    assert_eq!(code, 0, "{err}");
    let got: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got.len(), 1, "{out}");
    assert_eq!(got[0]["future_field"], json!("y"));
    assert_eq!(
        bad, 2,
        "an unknown name in neither the catalogue nor the input"
    );
    assert!(
        bad_err.contains("unknown field 'future_fieldx'"),
        "{bad_err}"
    );
}

#[test]
fn one_unknown_name_is_one_column_across_headers_and_files() {
    // two files, and a second header in the first: the same unknown name shares its
    // column, another name gets its own; never two fields in one column
    let a = "version srcaddr dstaddr action ecn-codepoint\n\
        2 10.0.0.1 10.0.0.2 ACCEPT 1\n\
        version srcaddr dstaddr action zeta ecn-codepoint\n\
        2 10.0.0.3 10.0.0.4 REJECT z 3\n";
    let b = "version srcaddr dstaddr action alpha\n2 10.0.0.5 10.0.0.6 ACCEPT a\n";
    let dir = std::env::temp_dir().join(format!("flowlens-extras-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.log"), a).unwrap();
    std::fs::write(dir.join("b.log"), b).unwrap();
    let pa = dir.join("a.log");
    let pb = dir.join("b.log");
    let (pa, pb) = (pa.to_str().unwrap(), pb.to_str().unwrap());
    for jobs in ["1", "2"] {
        // --jobs 2 decodes each file into its own table and merges them
        let (code, out, err) = cli(&[pa, pb, "--jobs", jobs, "-o", "ndjson"]);
        assert_eq!(code, 0, "{err}");
        let got: Vec<Value> = out
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(got.len(), 3, "{out}");
        assert_eq!(got[0]["ecn-codepoint"], json!("1"), "jobs {jobs}");
        assert_eq!(
            (got[1]["ecn-codepoint"].clone(), got[1]["zeta"].clone()),
            (json!("3"), json!("z")),
            "jobs {jobs}"
        );
        assert_eq!(got[2]["alpha"], json!("a"), "jobs {jobs}: {out}");
        assert!(got[2].get("zeta").is_none() && got[2].get("ecn-codepoint").is_none());
        let (_, csv, _) = cli(&[pa, pb, "--jobs", jobs, "-o", "csv"]);
        let head = csv.lines().next().unwrap().to_string();
        assert!(
            head.ends_with(",ecn-codepoint,zeta,alpha"),
            "jobs {jobs}: {head}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn more_unknown_names_than_columns_is_a_clear_error() {
    let mut input =
        String::from("version srcaddr dstaddr srcport dstport protocol packets bytes action");
    for i in 0..5 {
        input.push_str(&format!(" new-a{i}"));
    }
    input.push_str("\n2 10.0.0.1 10.0.0.2 1 2 6 1 40 ACCEPT 1 2 3 4 5\n");
    input.push_str("version srcaddr dstaddr srcport dstport protocol packets bytes action");
    for i in 0..5 {
        input.push_str(&format!(" new-b{i}"));
    }
    input.push_str("\n2 10.0.0.1 10.0.0.2 1 2 6 1 40 ACCEPT 1 2 3 4 5\n");
    let t = decode_all(input.as_bytes());
    assert_eq!(t.len(), 1, "the first header's five names fit");
    let e = &t.errors()[0];
    assert_eq!(e.line, 3, "{e:?}");
    assert!(
        e.reason
            .contains("more unknown field names than the 8 text columns"),
        "{}",
        e.reason
    );
    assert_eq!(t.errors()[1].line, 4);
}

/// AWS's custom-format examples (the conformance file's header cases), filled with the
/// standard generator's data and given without a header: every position the inference
/// is sure of is exactly right, and every position it is unsure of lists the right field
/// among its alternatives — a wrong name never appears without the output saying so.
#[test]
fn property_aws_custom_formats_infer_every_distinguishable_position() {
    let doc: Value = serde_json::from_slice(
        &std::fs::read(common::shared_dir().join("conformance/aws-docs-examples.json")).unwrap(),
    )
    .unwrap();
    let mut checked = 0;
    for case in doc["cases"].as_array().unwrap() {
        if case["has_header"] != json!(true) {
            continue;
        }
        let fields: Vec<String> = case["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect();
        for seed in ["1", "2", "3"] {
            let out = Command::new("python3")
                .arg(common::shared_dir().join("tools/gen_flowlogs.py"))
                .args(["-n", "300", "--seed", seed, "--fields", &fields.join(" ")])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            if stderr.contains("unknown fields") {
                // a field the generator cannot fill (encryption-status): nothing to check
                continue;
            }
            assert!(out.status.success(), "{stderr}");
            let bytes = out.stdout;
            let t = decode_chunked(&bytes, 1 << 16, DecodeOptions::default());
            let what = format!("{} (seed {seed})", case["name"]);
            let b = &t.files()[0].bindings[0];
            if b.origin == flowlens::Origin::Layout {
                let got: Vec<&str> = b.fields.iter().map(|f| f.name()).collect();
                assert_eq!(got, fields, "{what}");
                continue;
            }
            assert_eq!(b.origin, flowlens::Origin::Inferred, "{what}");
            assert!(
                b.guessed,
                "{what}: an inference below the threshold says it is a guess"
            );
            for (i, (f, want)) in b.fields.iter().zip(&fields).enumerate() {
                match b.ambiguous.iter().find(|(p, _)| *p == i) {
                    None => assert_eq!(
                        f.name(),
                        want,
                        "{what}: position {} is sure but wrong",
                        i + 1
                    ),
                    Some((_, alts)) if alts.len() > 1 => assert!(
                        alts.iter().any(|a| a.name() == want),
                        "{what}: position {} unsure between {alts:?}, none is {want}",
                        i + 1
                    ),
                    // a filler position: the values gave nothing to go on, and it says so
                    Some(_) => {}
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 9, "checked {checked}");
}

#[test]
fn a_guess_below_the_threshold_warns_and_strict_fails() {
    let (code, out, err) = cli(&["tests/fixtures/custom.log"]);
    assert_eq!(code, 0);
    assert!(!out.is_empty());
    assert!(
        err.contains("WARNING: tests/fixtures/custom.log: the fields were GUESSED ("),
        "{err}"
    );
    assert!(
        err.contains("below 90%): check them, then decode exactly with --format '"),
        "{err}"
    );
    let (code, _, _) = cli(&["--strict", "tests/fixtures/custom.log"]);
    assert_eq!(code, 1, "--strict exits 1 on a guess");
    // the format it suggests decodes the same records, exactly and without a warning
    let fmt = err
        .split("--format '")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    let (code, again, err2) = cli(&["--strict", "--format", fmt, "tests/fixtures/custom.log"]);
    assert_eq!(code, 0, "{err2}");
    assert_eq!(again, out);
    assert!(!err2.contains("WARNING"));
}

#[test]
fn prose_in_a_plain_file_is_noise_but_a_broken_record_is_a_bad_line() {
    // no fence, no prompt: remarks typed between the records of a plain file
    let body = "2 123456789012 eni-0a1b2c3d 10.0.1.5 10.0.2.9 44308 443 6 12 4800 1764115200 1764115260 ACCEPT OK\n\
        These are the rejects from this morning, see the second one\n\
        2 123456789012 eni-0a1b2c3d 10.0.1.6 10.0.2.9 44309 22 6 3 180 1764115200 1764115260 REJECT OK\n\
        2 123456789012 eni-0a1b2c3d 10.0.1.7 10.0.2.9 44310 22 6 3 1764115200 1764115260 REJECT OK\n\
        (the line above lost a value when I copied it)\n\
        2 123456789012 eni-0a1b2c3d 10.0.1.8 10.0.2.9 44311 443 6 12 4800 1764115200 1764115260 ACCEPT OK\n";
    let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";
    for (name, input, first) in [
        ("header-less", body.to_string(), 1u64),
        ("with a header", format!("{header}{body}"), 2),
    ] {
        for chunk in [1, 9, 4096] {
            let t = decode_chunked(input.as_bytes(), chunk, DecodeOptions::default());
            assert_eq!(t.len(), 3, "{name}, chunks of {chunk}: {:?}", t.errors());
            let bad: Vec<u64> = t.errors().iter().map(|e| e.line).collect();
            assert_eq!(
                bad,
                [first + 3],
                "{name}, chunks of {chunk}: the broken record"
            );
            let c = t.counts();
            assert_eq!(
                c.not_records.get(flowlens::noise_reasons::PROSE).copied(),
                Some(2),
                "{name}, chunks of {chunk}: {:?}",
                c.not_records
            );
            let lines = input.lines().count() as u64;
            assert_eq!(
                c.records + c.errors + c.skipped(),
                lines,
                "{name}: counts add up"
            );
        }
    }
}

/// Random custom layouts (the ports among other fields, in any order), filled with the
/// generator's data and given without a header: srcport and dstport are told apart by
/// the relation between the two positions — one mostly a server's port, the other a
/// client's — wherever the lines say so (a capture of mostly requests), and are left
/// unsure, in AWS's order, where they cannot (every connection logged both ways).
#[test]
fn property_ports_are_told_apart_by_their_statistics_or_said_to_be_unsure() {
    use flowlens::Field;
    const OTHERS: &[&str] = &[
        "version",
        "account-id",
        "srcaddr",
        "dstaddr",
        "protocol",
        "packets",
        "bytes",
        "start",
        "end",
        "log-status",
        "vpc-id",
        "subnet-id",
        "tcp-flags",
        "type",
        "flow-direction",
        "traffic-path",
    ];
    let mut rng = common::Rng(0x0b5e_55ed_1a70_u64);
    let (mut told, mut unsure) = (0, 0);
    for round in 0..16 {
        // the ports, an interface and an action (something distinctive), and a random
        // handful of the other fields, shuffled
        let mut layout = vec!["srcport", "dstport", "interface-id", "action"];
        for f in OTHERS {
            if rng.below(2) == 0 {
                layout.push(f);
            }
        }
        for i in (1..layout.len()).rev() {
            layout.swap(i, rng.below(i + 1));
        }
        let both_ways = round % 2 == 1;
        let seed = (round + 1).to_string();
        let fields = layout.join(" ");
        let mut args = vec!["-n", "64", "--seed", &seed, "--fields", &fields];
        if both_ways {
            args.push("--conversations");
        }
        let (bytes, _) = common::generate(&args);
        let t = decode_chunked(&bytes, 1 << 16, DecodeOptions::default());
        let what = format!(
            "{fields} ({})",
            if both_ways { "both ways" } else { "requests" }
        );
        let b = &t.files()[0].bindings[0];
        assert_eq!(b.origin, flowlens::Origin::Inferred, "{what}");
        let (sp, dp) = (
            layout.iter().position(|f| *f == "srcport").unwrap(),
            layout.iter().position(|f| *f == "dstport").unwrap(),
        );
        // what the lines say, read from the truth: requests have a client's port at
        // srcport and a server's at dstport, answers the other way round
        let text = String::from_utf8_lossy(&bytes);
        let (mut requests, mut answers) = (0usize, 0usize);
        for line in text.lines() {
            let toks: Vec<&str> = line.split(' ').collect();
            let (Ok(s), Ok(d)) = (toks[sp].parse::<u16>(), toks[dp].parse::<u16>()) else {
                continue;
            };
            let server = |p: u16| (1..32768).contains(&p);
            let client = |p: u16| p >= 32768;
            requests += (client(s) && server(d)) as usize;
            answers += (server(s) && client(d)) as usize;
        }
        let votes = requests + answers;
        let unsure_at = |i: usize| {
            b.ambiguous
                .iter()
                .any(|(p, alts)| *p == i && alts.len() > 1)
        };
        let counts = format!("{requests} requests, {answers} answers");
        if !unsure_at(sp) && !unsure_at(dp) {
            // sure: then exactly right, and never without the lines saying so
            assert_eq!(b.fields[sp], Field::SrcPort, "{what}: {counts}");
            assert_eq!(b.fields[dp], Field::DstPort, "{what}: {counts}");
            assert!(requests * 3 > votes * 2, "{what}: told apart on {counts}");
            told += 1;
        } else {
            // the values cannot tell them apart: both unsure, between the two ports, in
            // AWS's order (srcport at the earlier position), and the figure says so
            assert!(
                votes < 12 || requests * 100 < votes * 85,
                "{what}: {counts} tell them apart"
            );
            let (first, second) = (sp.min(dp), sp.max(dp));
            assert_eq!(
                (b.fields[first], b.fields[second]),
                (Field::SrcPort, Field::DstPort),
                "{what}: {counts}"
            );
            for i in [first, second] {
                let alts = &b.ambiguous.iter().find(|(p, _)| *p == i).expect("unsure").1;
                assert_eq!(alts, &[Field::SrcPort, Field::DstPort], "{what}");
            }
            assert!(
                b.guessed && b.confidence < flowlens::CONFIDENCE_THRESHOLD,
                "{what}"
            );
            unsure += 1;
        }
        if both_ways {
            assert!(
                requests * 100 < votes * 65,
                "{what}: the generator logs both ways"
            );
        }
    }
    assert!(
        told >= 6 && unsure >= 6,
        "told apart {told}, unsure {unsure}"
    );
}

/// A Logs Insights `fields` export with a few fields (CSV and `get-query-results`):
/// the values under their fields, a short row and a spaced value as bad lines with their
/// line numbers, and totals only of the fields the records have ("-" for the rest).
#[test]
fn a_logs_insights_export_of_some_fields_decodes_them_and_totals_only_those() {
    let csv = concat!(
        "\"@timestamp\",\"srcAddr\",\"dstAddr\",\"dstPort\",\"bytes\",\"action\",\"@log\"\n",
        "\"2025-11-26 00:01:00.000\",\"10.0.1.5\",\"10.0.2.9\",\"443\",\"4800\",\"ACCEPT\",\"123456789012:vpc-flow-logs\"\n",
        "\"2025-11-26 00:01:01.000\",\"203.0.113.9\",\"10.0.1.5\",\"22\",\"\",\"REJECT\",\"123456789012:vpc-flow-logs\"\n",
        "\"2025-11-26 00:01:02.000\",\"203.0.113.9\",\"10.0.1.5\",\"22\"\n",
        "\"2025-11-26 00:01:03.000\",\"203.0.113.9 (scanner)\",\"10.0.1.5\",\"22\",\"40\",\"REJECT\",\"x\"\n",
    );
    let t = decode_all(csv.as_bytes());
    assert_eq!(
        records(&t),
        vec![
            json!({"srcaddr":"10.0.1.5","dstaddr":"10.0.2.9","dstport":443,"bytes":4800,"action":"ACCEPT","@log":"123456789012:vpc-flow-logs","@timestamp":1_764_115_260_000_i64}),
            json!({"srcaddr":"203.0.113.9","dstaddr":"10.0.1.5","dstport":22,"bytes":null,"action":"REJECT","@log":"123456789012:vpc-flow-logs","@timestamp":1_764_115_261_000_i64}),
        ]
    );
    let errors = line_errors(&t);
    assert_eq!(
        errors,
        vec![
            (
                4,
                "CSV row has 4 field(s) where the header names 7: no value can be placed safely"
                    .to_string()
            ),
            (
                5,
                "CSV column 2 (srcAddr) holds a space, which no flow log value does".to_string()
            ),
        ]
    );
    let dir = std::env::temp_dir().join(format!("flowlens-insights-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("insights.csv");
    std::fs::write(&path, csv).unwrap();
    let (_, out, _) = cli(&["-o", "stats", path.to_str().unwrap()]);
    for line in [
        "records    2",
        "errors     2",
        "bytes      4800",
        "packets    -",
        "accept     1",
        "reject     1",
        "nodata     -",
        "skipdata   -",
        "time span  - .. -",
        "event time 2025-11-26T00:01:00Z .. 2025-11-26T00:01:01Z (no start/end: CloudWatch event times)",
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} in\n{out}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every field preset, and the AWS documentation's own records, copied as flowlens's
/// Markdown table (display values: protocol and flag names, ISO times) and pasted back:
/// the same typed records as the log, in any chunking.
/// Calls `check` with a generated log of every field preset (`n` records), CloudWatch
/// events of both JSON containers, and every documented record of the conformance file.
fn every_kind_of_log(n: usize, check: impl Fn(&[u8], &str)) {
    let n = n.to_string();
    for preset in ["default", "v3", "v4", "v5", "v7", "all", "custom"] {
        let (log, _) = common::generate(&["-n", &n, "--seed", "5", "--fields", preset]);
        check(&log, preset);
    }
    // CloudWatch events: the event time and stream columns come back as the event's
    for container in ["cwl-json", "cwl-filter-json"] {
        let args = [
            "-n",
            &n,
            "--seed",
            "6",
            "--fields",
            "v5",
            "--container",
            container,
        ];
        let (log, _) = common::generate(&args);
        check(&log, container);
    }
    let doc: Value = serde_json::from_slice(
        &std::fs::read(common::shared_dir().join("conformance/aws-docs-examples.json")).unwrap(),
    )
    .unwrap();
    let mut checked = 0;
    for case in doc["cases"].as_array().unwrap() {
        let input = case["input"].as_str().unwrap();
        check(input.as_bytes(), case["name"].as_str().unwrap_or("?"));
        checked += 1;
    }
    assert!(checked > 0, "no documented record was checked");
}

#[test]
fn a_markdown_table_of_any_preset_reads_back_as_its_log() {
    use flowlens::output::markdown::rows_table;
    let check = |log: &[u8], what: &str| {
        let t = decode_chunked(log, 1 << 16, DecodeOptions::default());
        let rows: Vec<u32> = (0..t.len() as u32).collect();
        let md = rows_table(&t, &rows, &t.fields(), usize::MAX);
        let back = decode_all(md.as_bytes());
        assert_eq!(back.errors().len(), 0, "{what}: {:?}", back.errors());
        assert_eq!(records(&back), records(&t), "{what}");
        assert!(!records(&t).is_empty(), "{what}");
    };
    every_kind_of_log(400, check);
}

/// A table a person edited or typed: what cannot be placed is a bad line at its own line
/// number, the rest of the table is still read, and a table without field names is not
/// read as records.
#[test]
fn a_markdown_table_row_that_cannot_be_placed_is_a_bad_line() {
    let text = "\
| srcaddr | dstaddr | dstport | protocol | bytes | action |
|---|---|---:|---|---:|---|
| 10.0.1.5 | 10.0.2.9 | 443 | TCP | 4800 | ACCEPT |
| 10.0.1.5 | 10.0.2.9 | 443 | TCP | 4,800 | ACCEPT |
| 10.0.1.5 | 10.0.2.9 | 443 | TCP | 48 00 | ACCEPT |
| 10.0.1.5 | 10.0.2.9 | 443 | TCP | ACCEPT |
| 10.0.1.6 | 10.0.2.9 | 53 | UDP | 76 | REJECT |
the end

| Name | Value |
|---|---|
| srcaddr | 10.0.1.5 |

| srcaddr | dstport | records | packets | bytes |
| --- | --- | ---: | ---: | ---: |
| 10.0.44.244 | 443 | 153 | 65900 | 48241855 |
";
    let t = decode_all(text.as_bytes());
    let got = records(&t);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0]["protocol"], json!(6));
    assert_eq!(got[1]["protocol"], json!(17));
    assert_eq!(got[1]["srcaddr"], json!("10.0.1.6"));
    let errors = line_errors(&t);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(errors[0].0, 4);
    assert!(errors[0].1.contains("bytes"), "{errors:?}");
    assert_eq!(errors[1].0, 5);
    assert!(
        errors[1].1.contains("column 5 (bytes) holds a space"),
        "{errors:?}"
    );
    assert_eq!(errors[2].0, 6);
    assert!(
        errors[2].1.contains("5 cell(s) where the header names 6"),
        "{errors:?}"
    );
}

/// What a reviewer found: a row that lost its closing `|` is a bad line and the table
/// goes on; a header row straight under another table starts a new table (of records or
/// of groups); a NODATA row of `-` cells is a record, not the alignment row.
#[test]
fn markdown_tables_back_to_back_and_broken_rows() {
    let text = "\
| srcaddr | dstaddr | @timestamp |
| --- | --- | --- |
| 10.0.1.5 | 10.0.2.9 | 2025-11-26T00:01:00.000Z |
| 10.0.1.6 | 10.0.2.9 | 2025-11-26T00:01:00.000Z
| 10.0.1.7 | 10.0.2.9 | 2025-11-26T00:01:00.000Z |
| srcaddr | dstaddr | packets |
| --- | --- | --- |
| 10.0.1.8 | 10.0.2.9 | 1764115200000 |
| - | - | - |
| srcaddr | dstport | records | packets | bytes |
| --- | --- | ---: | ---: | ---: |
| 10.0.44.244 | 443 | 153 | 65900 | 48241855 |
| srcaddr | dstaddr | bytes |
| 10.0.1.9 | 10.0.2.9 | 5 |
";
    let t = decode_all(text.as_bytes());
    let got = records(&t);
    let src: Vec<&Value> = got.iter().map(|r| &r["srcaddr"]).collect();
    assert_eq!(
        src,
        [
            json!("10.0.1.5"),
            json!("10.0.1.7"),
            json!("10.0.1.8"),
            json!(null),
            json!("10.0.1.9")
        ]
        .iter()
        .collect::<Vec<_>>(),
        "{got:?}"
    );
    assert_eq!(got[0]["@timestamp"], json!(1_764_115_260_000_i64));
    assert_eq!(got[2]["packets"], json!(1_764_115_200_000_i64));
    assert!(got[2].get("@timestamp").is_none(), "{:?}", got[2]);
    assert_eq!(got[4]["bytes"], json!(5));
    let errors = line_errors(&t);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 4);
    assert!(errors[0].1.contains("does not end with `|`"), "{errors:?}");
    let groups = t
        .counts()
        .not_records
        .get("a row of a table of groups (totals of many flows, not a record)");
    // the header row and its one row (its alignment row is counted as one)
    assert_eq!(groups, Some(&2), "{:?}", t.counts().not_records);
}

/// GitHub-flavoured Markdown lets a table leave out its outer pipes (`a | b`, or only one
/// of them). Such a table of field names reads as the piped one does: its rows are
/// records, its alignment row is skipped, a row of another width is a bad line at its
/// line number, and a line with a `|` that is no table row (a shell pipeline, prose) is
/// not taken for one.
#[test]
fn a_markdown_table_without_outer_pipes_reads_as_one_with_them() {
    let text = "\
$ aws logs filter-log-events --log-group-name vpc | jq -r '.events[].message'
version | account-id | srcaddr | dstaddr | dstport | protocol | bytes | action
--- | --- | --- | --- | ---: | --- | ---: | ---
2 | 123456789010 | 10.0.1.5 | 10.0.2.9 | 443 | TCP | 4800 | ACCEPT
| 2 | 123456789010 | 10.0.1.6 | 10.0.2.9 | 53 | UDP | 76 | REJECT
2 | 123456789010 | 10.0.1.7 | 10.0.2.9 | 22 | TCP | ACCEPT
2 | 123456789010 | - | - | - | - | - | - |
this one is blocked | that one is not

srcaddr|dstaddr|bytes
-|-|-
10.0.1.8|10.0.2.9|5
";
    let t = decode_all(text.as_bytes());
    assert_eq!(shape_of(&t), json!("paste"));
    let got = records(&t);
    let rows: Vec<(&Value, &Value, &Value)> = got
        .iter()
        .map(|r| (&r["srcaddr"], &r["protocol"], &r["bytes"]))
        .collect();
    assert_eq!(
        rows,
        [
            (&json!("10.0.1.5"), &json!(6), &json!(4800)),
            (&json!("10.0.1.6"), &json!(17), &json!(76)),
            (&json!(null), &json!(null), &json!(null)),
            (&json!("10.0.1.8"), &json!(null), &json!(5)),
        ],
        "{got:?}"
    );
    assert_eq!(got[0]["version"], json!(2));
    let errors = line_errors(&t);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0].0, 6);
    assert!(
        errors[0].1.contains("7 cell(s) where the header names 8"),
        "{errors:?}"
    );
    // the prose line with a `|` is a row of the open table, of the wrong width
    assert_eq!(errors[1].0, 8);
    assert!(errors[1].1.contains("2 cell(s)"), "{errors:?}");
    // the prompt and the two alignment rows
    assert_eq!(t.counts().skipped_other, 3, "{:?}", t.counts());
}

/// A Markdown table's header names its own rows' columns: the lines after the table are
/// bound as they were before it (a header line's binding, or the documented layout of
/// header-less lines), never by the table's order of the same width.
#[test]
fn the_lines_after_a_markdown_table_are_bound_as_before_it() {
    // header-less default-format lines around a table of the same 14 fields in another order
    let text = "\
2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK

| version | account-id | interface-id | dstaddr | srcaddr | srcport | dstport | protocol | packets | bytes | start | end | action | log-status |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| 2 | 123456789010 | eni-1235b8ca123456789 | 172.31.9.12 | 172.31.9.69 | 49761 | 3389 | 6 | 20 | 4249 | 1418530010 | 1418530070 | REJECT | OK |

2 123456789010 eni-1235b8ca123456789 172.31.16.140 172.31.16.22 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
";
    let t = decode_all(text.as_bytes());
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let got = records(&t);
    let addrs: Vec<(&Value, &Value)> = got.iter().map(|r| (&r["srcaddr"], &r["dstaddr"])).collect();
    assert_eq!(
        addrs,
        [
            (&json!("172.31.16.139"), &json!("172.31.16.21")),
            (&json!("172.31.9.69"), &json!("172.31.9.12")),
            (&json!("172.31.16.140"), &json!("172.31.16.22")),
        ]
    );

    // a header line's binding goes on after the table
    let text = "\
srcaddr dstaddr dstport action bytes
10.0.0.1 10.0.0.2 443 ACCEPT 100
| dstaddr | srcaddr | bytes | action | dstport |
| --- | --- | --- | --- | --- |
| 10.0.0.4 | 10.0.0.3 | 200 | REJECT | 22 |
10.0.0.5 10.0.0.6 80 ACCEPT 300
10.0.0.7 10.0.0.8 80 ACCEPT
";
    let t = decode_all(text.as_bytes());
    assert_scoped_rows(&t);
    let errors = line_errors(&t);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 7);
    assert!(errors[0].1.contains("the header at line 1"), "{errors:?}");
}

/// UTF-16 text (Windows PowerShell 5.1's `>` and `Out-File`, Notepad's "Unicode"):
/// every shape decodes exactly as its UTF-8, with a byte-order mark either way round,
/// without one when it starts with ASCII, and gzipped, in any chunking.
#[test]
fn utf16_text_of_every_shape_decodes_as_its_utf8() {
    fn utf16(text: &[u8], big: bool, bom: bool) -> Vec<u8> {
        let text = std::str::from_utf8(text).unwrap();
        let units = bom.then_some(0xfeff).into_iter().chain(text.encode_utf16());
        units
            .flat_map(|u| {
                if big {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }
    let (generated, _) = common::generate(&["-n", "300", "--seed", "9", "--bad-rate", "0.05"]);
    let (s3, _) = common::generate(&[
        "-n",
        "200",
        "--fields",
        "v5",
        "--container",
        "s3",
        "--seed",
        "9",
    ]);
    let (cwl, _) = common::generate(&["-n", "200", "--container", "cwl-json", "--seed", "9"]);
    let mut inputs: Vec<(String, Vec<u8>)> = CASES
        .iter()
        .map(|c| c.file)
        .chain([
            "insights-fields.csv",
            "insights-fields.json",
            "markdown-table.md",
            "chat-csv.txt",
        ])
        .map(|f| (f.to_string(), fixture(f)))
        .collect();
    inputs.push(("generated with bad lines".into(), generated));
    inputs.push(("s3 v5".into(), s3));
    inputs.push(("cwl-json".into(), cwl));
    for (name, text) in &inputs {
        let want = decode_all(text);
        assert!(!want.is_empty(), "{name}");
        let shape = shape_of;
        let ascii_start = text
            .iter()
            .take(64)
            .all(|b| (0x20..0x7f).contains(b) || b"\t\r\n".contains(b));
        for (big, bom, gz) in [
            (false, true, false),
            (true, true, false),
            (false, false, false),
            (true, false, false),
            (false, true, true),
        ] {
            if !bom && !ascii_start {
                continue;
            }
            let mut bytes = utf16(text, big, bom);
            if gz {
                bytes = common::gzip(&bytes);
            }
            let got = decode_all(&bytes);
            let what = format!("{name}: big-endian {big}, mark {bom}, gzip {gz}");
            assert_eq!(common::dump(&got), common::dump(&want), "{what}");
            assert_eq!(shape(&got), shape(&want), "{what}");
        }
    }
    // a cut-off last byte is one replacement character: that line is a bad line
    let line = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
    let mut bytes = utf16(format!("{line}\n{line}").as_bytes(), false, true);
    bytes.pop();
    let t = decode_all(&bytes);
    assert_eq!(t.len(), 1);
    assert_eq!(t.errors().len(), 1, "{:?}", t.errors());
    assert_eq!(t.errors()[0].line, 2);
    assert!(
        t.errors()[0].raw.ends_with("ACCEPT O\u{fffd}"),
        "{:?}",
        t.errors()
    );
}

/// CSV pasted into a chat among prose: an Athena result and a console download, each
/// read as the CSV shape reads it, the prose between them not records; a field CSV's
/// header binds its rows only.
#[test]
fn csv_blocks_in_a_chat_paste_are_read_as_csv() {
    let t = decode_all(&fixture("chat-csv.txt"));
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let got = records(&t);
    assert_eq!(got.len(), 6, "{got:?}");
    let src: Vec<&Value> = got.iter().map(|r| &r["srcaddr"]).collect();
    let (a, b) = (json!("10.0.1.5"), json!("203.0.113.9"));
    assert_eq!(src, [&a, &b, &json!(null), &a, &b, &a]);
    assert_eq!(got[2]["log-status"], json!("NODATA"));
    assert_eq!(got[4]["@timestamp"], json!(1_764_115_201_000_i64));
    assert_eq!(got[4]["dstport"], json!(22));
    let shape = shape_of(&t);
    assert_eq!(shape, json!("paste"));
    let noise: Vec<(&str, u64)> = t
        .counts()
        .not_records
        .iter()
        .map(|(k, v)| (*k, *v))
        .collect();
    assert_eq!(noise, [(FENCE, 2), (PROSE, 3)]);

    // the records after a field CSV block are bound as before it; a short row inside
    // the block is a bad line, and a line of prose with a comma ends the block
    let text = "\
srcaddr dstaddr dstport action bytes
10.0.0.1 10.0.0.2 443 ACCEPT 100
dstAddr,srcAddr,bytes,action,dstPort
10.0.0.4,10.0.0.3,200,REJECT,22
10.0.0.9,10.0.0.8
Right, and then:
10.0.0.5 10.0.0.6 80 ACCEPT 300
";
    let t = decode_all(text.as_bytes());
    assert_scoped_rows(&t);
    let errors = line_errors(&t);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, 5);
    assert!(errors[0].1.contains("CSV row has 2 field(s)"), "{errors:?}");

    // a CSV file (its header the first line) with a remark after its rows: the remark
    // is not a record, not a bad line
    let text = "@timestamp,srcAddr,dstAddr,action\n2025-11-26 00:01:00.000,10.0.1.5,10.0.2.9,REJECT\n\nthese are the rejects I mentioned\n";
    let t = decode_all(text.as_bytes());
    assert_eq!((t.len(), t.errors().len()), (1, 0), "{:?}", t.errors());
    assert_eq!(t.counts().not_records.get(PROSE), Some(&1));
}

/// The CLI's aligned `-o table` output, pasted or saved and read again, gives the records
/// it shows: its header line binds, the shown protocol names, flag labels and UTC times
/// are turned back exactly, a value longer than its column is written whole, and event
/// times named in the header are the events' times (one value per row).
#[test]
fn the_cli_table_output_reads_back_as_its_log() {
    let dir = std::env::temp_dir().join(format!("flowlens-table-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let check = |log: &[u8], what: &str| {
        let path = dir.join(format!("{}.log", what.replace([' ', '/'], "_")));
        std::fs::write(&path, log).unwrap();
        let (code, table, err) = cli(&["-o", "table", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{what}: {err}");
        let want = decode_chunked(log, 1 << 16, DecodeOptions::default());
        let back = decode_all(table.as_bytes());
        assert_eq!(back.errors().len(), 0, "{what}: {:?}", back.errors());
        assert_eq!(records(&back), records(&want), "{what}");
        assert!(!records(&want).is_empty(), "{what}");
    };
    every_kind_of_log(300, check);
    let _ = std::fs::remove_dir_all(&dir);

    // shown values that cannot be turned back exactly stay bad values
    let head = "srcaddr dstaddr protocol start tcp-flags\n";
    for (line, why) in [
        ("10.0.0.1 10.0.0.2 TCPX 1764115200 2", "'protocol'"),
        ("10.0.0.1 10.0.0.2 6 2025-11-26T00:00:00.500Z 2", "'start'"),
        ("10.0.0.1 10.0.0.2 6 2025-11-26T00:00:00+01:00 2", "'start'"),
        ("10.0.0.1 10.0.0.2 6 2025-02-30T00:00:00Z 2", "'start'"),
        ("10.0.0.1 10.0.0.2 6 1764115200 SYN+BOGUS", "'tcp-flags'"),
    ] {
        let t = decode_all(format!("{head}{line}\n").as_bytes());
        assert_eq!(t.len(), 0, "{line}");
        assert!(
            t.errors()[0].reason.contains(why),
            "{line}: {:?}",
            t.errors()
        );
    }
    let t = decode_all(
        format!("{head}10.0.0.1 10.0.0.2 udp 2025-11-26T00:00:00Z SYN-ACK+FIN\n").as_bytes(),
    );
    let got = records(&t);
    assert_eq!(got[0]["protocol"], json!(17));
    assert_eq!(got[0]["start"], json!(1_764_115_200));
    assert_eq!(got[0]["tcp-flags"], json!(19));
    // the line is kept as it was written
    assert!(String::from_utf8_lossy(&t.original_line(0)).contains("udp"));
}

/// A table of fields copied from a spreadsheet (Excel, Google Sheets) is tab-separated:
/// as a file or pasted among prose its empty cells are nulls, never shifted values, and
/// Excel's "Unicode Text" (UTF-16 with a byte-order mark) reads the same.
#[test]
fn a_spreadsheet_copy_is_read_as_tsv_with_empty_cells_as_nulls() {
    for preset in ["default", "v5", "all", "custom"] {
        let (log, _) = common::generate(&["-n", "300", "--seed", "12", "--fields", preset]);
        let want = decode_chunked(&log, 1 << 16, DecodeOptions::default());
        // flowlens's CSV export (nulls as empty cells) with tabs for commas
        let mut csv = String::new();
        flowlens::output::write_csv(&mut csv, &want, 0..want.len());
        assert!(!csv.contains('"'), "{preset}: quoted cells");
        let tsv = csv.replace(',', "\t");
        let back = decode_all(tsv.as_bytes());
        assert_eq!(back.errors().len(), 0, "{preset}: {:?}", back.errors());
        assert_eq!(records(&back), records(&want), "{preset}");
        let shape = shape_of(&back);
        assert_eq!(shape, json!("tsv"), "{preset}");
        // Excel's "Unicode Text"
        let utf16: Vec<u8> = std::iter::once(0xfeff_u16)
            .chain(tsv.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            records(&decode_all(&utf16)),
            records(&want),
            "{preset} UTF-16"
        );
        // pasted under a line of prose, with a remark after it
        let pasted = format!("rows from the incident sheet:\n{tsv}\nthat's all of them\n");
        let back = decode_all(pasted.as_bytes());
        assert_eq!(back.errors().len(), 0, "{preset}: {:?}", back.errors());
        assert_eq!(records(&back), records(&want), "{preset} pasted");
        assert_eq!(back.counts().not_records.get(PROSE), Some(&2), "{preset}");
    }
    // a row with a cell too few is a bad line, not a shifted record
    let t = decode_all(
        b"srcaddr\tdstaddr\tdstport\tbytes\n10.0.0.1\t10.0.0.2\t443\t100\n10.0.0.3\t10.0.0.4\t53\n",
    );
    assert_eq!(t.len(), 1);
    assert_eq!(t.errors().len(), 1);
    assert_eq!(t.errors()[0].line, 3);
}

/// Cases a review found (each was wrong or lost before its fix): a CSV header straight
/// under a Markdown table, a message CSV block followed by lines of other paste shapes,
/// a header-bound `@timestamp` over seconds, a plain file
/// whose header uses tabs, TSV rows of shown values only, a message column left empty.
#[test]
fn pasted_blocks_and_shown_values_never_misplace_a_value() {
    // the CSV block under the table has its own scope: the last line is bound by line 1
    let t = decode_all(
        b"dstaddr srcaddr dstport srcport\n10.0.0.1 10.0.0.2 443 1111\n\
| srcaddr | dstaddr | protocol |\n| --- | --- | --- |\n| 10.0.2.9 | 10.0.1.5 | TCP |\n\
srcaddr,dstaddr,srcport,dstport\n10.0.1.5,10.0.2.9,1234,443\n\n10.0.0.3 10.0.0.4 80 2222\n",
    );
    let got = records(&t);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[3]["dstaddr"], json!("10.0.0.3"));
    assert_eq!(got[3]["srcport"], json!(2222));

    // a message CSV block ends at lines of other shapes, which are read as before
    let rec = |eni: &str| {
        format!("2 123456789012 eni-{eni} 10.0.39.28 222.184.212.101 49801 443 6 812 87696 1764115239 1764115299 ACCEPT OK")
    };
    let text = format!(
        "Insights gave me:\n@timestamp,@message\n2025-11-26 00:01:00.000,{}\n    \"message\": \"{}\",\n\"{}\",\n{}\n",
        rec("0a3b48c2fdc979412"),
        rec("0a3b48c2fdc979413"),
        rec("0a3b48c2fdc979414"),
        rec("0a3b48c2fdc979415")
    );
    let t = decode_all(text.as_bytes());
    assert_eq!((t.len(), t.errors().len()), (4, 0), "{:?}", t.errors());
    // in a CSV file, a record in the wrong column is a bad line, not dropped
    let t = decode_all(format!("@timestamp,@message\n\"{}\",\n", rec("1")).as_bytes());
    assert_eq!((t.len(), t.errors().len()), (0, 1));
    assert!(
        t.errors()[0].reason.contains("empty message column"),
        "{:?}",
        t.errors()
    );

    // an event time named in a header line is milliseconds in CloudWatch's range
    let t = decode_all(b"srcaddr dstaddr @timestamp\n10.0.0.1 10.0.0.2 1764115206\n10.0.0.1 10.0.0.2 1764115206000\n");
    assert_eq!((t.len(), t.errors().len()), (1, 1));
    assert!(
        t.errors()[0].reason.contains("not a plausible event time"),
        "{:?}",
        t.errors()
    );

    // a header of tabs over rows of spaces, or rows with a run of two tabs: plain lines
    let (s3, _) = common::generate(&[
        "-n",
        "20",
        "--fields",
        "default",
        "--container",
        "s3",
        "--seed",
        "3",
    ]);
    let s3 = String::from_utf8(s3).unwrap();
    let want = records(&decode_all(s3.as_bytes()));
    let (head, rows) = s3.split_once('\n').unwrap();
    let tab_head = format!("{}\n{rows}", head.replace(' ', "\t"));
    let tab_runs = format!(
        "{}\n{}",
        head.replace(' ', "\t"),
        rows.replacen(' ', "\t", 1)
            .replace(' ', "\t")
            .replace("\t6\t", "\t\t6\t")
    );
    for (what, text) in [("tab header", tab_head), ("tab runs", tab_runs)] {
        let t = decode_all(text.as_bytes());
        assert_eq!(t.errors().len(), 0, "{what}: {:?}", t.errors());
        assert_eq!(records(&t), want, "{what}");
        let shape = shape_of(&t);
        assert_eq!(shape, json!("lines"), "{what}");
    }

    // TSV rows of shown values only are records
    let t = decode_all(b"protocol\ttcp-flags\tstart\tend\nTCP\tSYN\t2025-11-26T00:00:18Z\t2025-11-26T00:01:18Z\nUDP\t\t2025-11-26T00:00:19Z\t2025-11-26T00:01:19Z\n");
    let got = records(&t);
    assert_eq!((got.len(), t.errors().len()), (2, 0), "{:?}", t.errors());
    assert_eq!(got[1]["protocol"], json!(17));
    assert_eq!(got[1]["tcp-flags"], json!(null));
}

/// An e-mail reply or chat quote of a paste (`> ` before every line, nested or not)
/// reads as the paste itself: every shape's records, JSON documents included, with no
/// bad line; and a reply's own lines around the quote change nothing.
#[test]
fn a_quoted_paste_of_every_shape_reads_as_the_paste() {
    let files = CASES.iter().map(|c| c.file).chain([
        "insights-fields.csv",
        "insights-fields.json",
        "get-query-results-fields.json",
        "markdown-table.md",
        "chat-csv.txt",
    ]);
    for file in files {
        let text = String::from_utf8(fixture(file)).unwrap();
        let want = decode_all(text.as_bytes());
        for marker in ["> ", ">> ", "> > ", ">"] {
            let quoted: String = text.lines().map(|l| format!("{marker}{l}\n")).collect();
            let got = decode_all(quoted.as_bytes());
            let what = format!("{file} quoted with {marker:?}");
            assert_eq!(records(&got), records(&want), "{what}");
            assert_eq!(
                got.errors().len(),
                want.errors().len(),
                "{what}: {:?}",
                got.errors()
            );
            // the reply's own lines around the quote: the line shapes are unquoted line
            // by line (a quoted JSON document needs the whole input quoted)
            if file.ends_with(".json") || file.ends_with(".ndjson") {
                continue;
            }
            let reply = format!("On Tue, Jane wrote:\n\n{quoted}\nThanks, see above.\n");
            let got = decode_all(reply.as_bytes());
            assert_eq!(records(&got), records(&want), "{what}, in a reply");
            assert_eq!(
                got.errors().len(),
                want.errors().len(),
                "{what}, in a reply: {:?}",
                got.errors()
            );
        }
    }
    // a file of records quoted whole, gzipped
    let (log, _) = common::generate(&["-n", "500", "--seed", "4", "--container", "s3"]);
    let want = decode_all(&log);
    let quoted: String = String::from_utf8(log)
        .unwrap()
        .lines()
        .map(|l| format!("> {l}\n"))
        .collect();
    assert_eq!(
        records(&decode_all(&common::gzip(quoted.as_bytes()))),
        records(&want)
    );
}

/// A terminal session saved with its colours (`script`, a terminal's "save output",
/// `aws logs tail --color on`): the escape sequences come out before anything else, so
/// every shape reads exactly as the text on the screen, noise counts included.
#[test]
fn a_coloured_terminal_session_reads_as_the_screen_text() {
    let files = CASES.iter().map(|c| c.file).chain([
        "insights-fields.csv",
        "get-query-results-fields.json",
        "markdown-table.md",
    ]);
    for file in files {
        let text = String::from_utf8(fixture(file)).unwrap();
        let want = decode_all(text.as_bytes());
        // each line coloured as `tput setaf` / `tput sgr0` write it
        let coloured: String = text
            .lines()
            .enumerate()
            .map(|(i, l)| format!("\u{1b}[0{};3{}m{l}\u{1b}(B\u{1b}[m\n", i % 2, i % 7))
            .collect();
        let got = decode_all(coloured.as_bytes());
        assert_eq!(common::dump(&got), common::dump(&want), "{file}");
    }
    let line = "2 123456789012 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
    // a `script` session: window titles and a coloured prompt around the records
    let session = format!(
        "\u{1b}]0;ec2-user@ip-10-0-1-5:~\u{7}\u{1b}[01;32mec2-user@ip-10-0-1-5\u{1b}[00m:\u{1b}[01;34m~\u{1b}[00m$ cat flows.log\r\n{line}\r\n{line}\r\n\u{1b}]0;ec2-user@ip-10-0-1-5:~\u{7}$ exit\r\n"
    );
    let t = decode_all(session.as_bytes());
    assert_eq!((t.len(), t.errors().len()), (2, 0), "{:?}", t.errors());
    // `aws logs tail --color on`: the time and the stream coloured
    let text = format!(
        "\u{1b}[32m2026-12-01T10:00:00.250000+00:00\u{1b}[0m \u{1b}[36meni-1235b8ca123456789-all\u{1b}[0m {line}\n"
    );
    let t = decode_all(text.as_bytes());
    assert_eq!((t.len(), t.errors().len()), (1, 0), "{:?}", t.errors());
    assert_eq!(records(&t)[0]["@timestamp"], json!(1_796_119_200_250_i64));
    // a title sequence inside a value is no colour: the line stays a bad line, shown
    let text = format!(
        "\u{1b}[32m{line}\u{1b}[0m\n{}\n",
        line.replace("eni-1235b8ca123456789", "eni-\u{1b}]0;pwned\u{7}")
    );
    let t = decode_all(text.as_bytes());
    assert_eq!((t.len(), t.errors().len()), (1, 1), "{:?}", t.errors());
    assert!(t.errors()[0].raw.contains("]0;pwned"), "{:?}", t.errors());
}
