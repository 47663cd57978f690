//! Shared helpers for the integration tests: the shared workload, container wrappers and
//! a canonical dump of a decoded table for comparisons.
#![allow(dead_code)]

use flate2::write::GzEncoder;
use flate2::Compression;
use flowlens::output::ndjson_row;
use flowlens::{DecodeOptions, Decoder, Table};
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

#[path = "../../src/testrng.rs"]
mod testrng;
#[allow(unused_imports)] // not every test crate draws random numbers
pub use testrng::Rng;

/// The read-only `shared/` folder (workload generator, conformance examples): the
/// `FLOWLENS_SHARED` variable, else `../shared` beside the repository. Missing, it fails
/// the test with a message saying how to point at it: a test never skips silently.
pub fn shared_dir() -> PathBuf {
    let dir = match std::env::var("FLOWLENS_SHARED") {
        Ok(p) => PathBuf::from(p),
        Err(_) => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    };
    assert!(
        dir.join("tools/gen_flowlogs.py").is_file(),
        "the shared test data is not at {} (set FLOWLENS_SHARED to the folder holding tools/gen_flowlogs.py)",
        dir.display()
    );
    dir
}

/// Runs the standard workload generator; returns (bytes, truth JSON).
pub fn generate(args: &[&str]) -> (Vec<u8>, serde_json::Value) {
    // unique per call: tests of one process run in parallel, often with the same args
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let truth = std::env::temp_dir().join(format!(
        "flowlens-truth-{}-{call}-{}.json",
        std::process::id(),
        args.join("_")
            .replace(['/', ' '], "")
            .chars()
            .take(80)
            .collect::<String>()
    ));
    let out = Command::new("python3")
        .arg(shared_dir().join("tools/gen_flowlogs.py"))
        .args(args)
        .arg("--truth")
        .arg(&truth)
        .output()
        .expect("python3 runs the generator");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = serde_json::from_slice(&std::fs::read(&truth).unwrap()).unwrap();
    let _ = std::fs::remove_file(truth);
    (out.stdout, t)
}

/// Decodes `input` pushed in chunks of `chunk` bytes.
pub fn decode_chunked(input: &[u8], chunk: usize, options: DecodeOptions) -> Table {
    let mut d = Decoder::new(options);
    d.begin_file("input");
    for c in input.chunks(chunk.max(1)) {
        d.push(c);
    }
    d.finish()
}

pub fn decode(input: &[u8]) -> Table {
    decode_chunked(input, 1 << 16, DecodeOptions::default())
}

/// Every record as a JSON value (the NDJSON contract).
pub fn records(t: &Table) -> Vec<serde_json::Value> {
    (0..t.len())
        .map(|r| {
            let mut s = String::new();
            ndjson_row(&mut s, t, r);
            serde_json::from_str(&s).unwrap()
        })
        .collect()
}

/// A canonical text dump: records, row lines, original lines, errors and counts.
pub fn dump(t: &Table) -> String {
    let mut s = String::new();
    for r in 0..t.len() {
        ndjson_row(&mut s, t, r);
        s.push_str(&format!(
            " @{} {}\n",
            t.row_line(r),
            String::from_utf8_lossy(&t.original_line(r))
        ));
    }
    for e in t.errors() {
        s.push_str(&format!(
            "E {}:{} {} | {}\n",
            e.file, e.line, e.reason, e.raw
        ));
    }
    s.push_str(&format!("{:?}\n", t.counts()));
    s
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Splits text into its lines (no terminators).
pub fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

pub fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// `aws logs get-log-events` output (4-space indented).
pub fn get_log_events(lines: &[&str]) -> String {
    let events: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            serde_json::json!({"timestamp": 1_764_115_200_000u64 + i as u64, "message": l, "ingestionTime": 1_764_115_204_321u64})
        })
        .collect();
    let doc = serde_json::json!({"events": events, "nextForwardToken": "f/3", "nextBackwardToken": "b/3"});
    pretty4(&doc)
}

/// `aws logs filter-log-events` output.
pub fn filter_log_events(lines: &[&str]) -> String {
    let events: Vec<serde_json::Value> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            serde_json::json!({"logStreamName": "eni-1235b8ca123456789-all", "timestamp": 1_764_115_200_000u64 + i as u64, "message": l, "ingestionTime": 1u64, "eventId": format!("{i}")})
        })
        .collect();
    let doc = serde_json::json!({"events": events, "searchedLogStreams": [{"logStreamName": "eni-1235b8ca123456789-all", "searchedCompletely": true}]});
    pretty4(&doc)
}

pub fn pretty4(v: &serde_json::Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(v, &mut ser).unwrap();
    String::from_utf8(buf).unwrap() + "\n"
}

/// The same output after `| grep message`, pasted from a terminal with its prompt.
pub fn grepped_messages(lines: &[&str]) -> String {
    let mut s = String::from("$ aws logs get-log-events --log-group-name vpc --log-stream-name eni-1-all | grep message\n");
    for (i, l) in lines.iter().enumerate() {
        let comma = if i % 2 == 0 { "," } else { "" };
        s.push_str(&format!(
            "            \"message\": {}{comma}\n",
            json_str(l)
        ));
    }
    s.push_str("$ \n");
    s
}

/// CloudWatch subscription payloads as Firehose writes them: concatenated, gzipped,
/// one message per document, with a CONTROL_MESSAGE first.
pub fn subscription_payloads(lines: &[&str]) -> Vec<u8> {
    let mut s = String::from(
        r#"{"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1764115200000,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}"#,
    );
    for (i, chunk) in lines.chunks(2).enumerate() {
        let events: Vec<serde_json::Value> = chunk
            .iter()
            .map(|l| serde_json::json!({"id": format!("{i}"), "timestamp": 1_764_115_200_000u64, "message": l}))
            .collect();
        let doc = serde_json::json!({"messageType": "DATA_MESSAGE", "owner": "123456789010", "logGroup": "vpc-flow", "logStream": "eni-1235b8ca123456789-all", "subscriptionFilters": ["to-firehose"], "logEvents": events});
        s.push_str(&serde_json::to_string(&doc).unwrap());
    }
    gzip(s.as_bytes())
}

/// A CloudWatch console CSV download.
pub fn console_csv(lines: &[&str]) -> String {
    let mut s = String::from("timestamp,message\n");
    for l in lines {
        s.push_str(&format!("1764115200000,\"{}\"\n", l.replace('"', "\"\"")));
    }
    s
}

/// A Logs Insights CSV download.
pub fn insights_csv(lines: &[&str]) -> String {
    let mut s = String::from("@timestamp,@message\n");
    for l in lines {
        s.push_str(&format!("2025-11-26 00:00:00.000,{}\n", l));
    }
    s
}

/// Logs Insights `get-query-results` output.
pub fn insights_results(lines: &[&str]) -> String {
    let results: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::json!([{"field": "@timestamp", "value": "2025-11-26 00:00:00.000"}, {"field": "@message", "value": l}, {"field": "@ptr", "value": "abc"}]))
        .collect();
    pretty4(
        &serde_json::json!({"results": results, "statistics": {"recordsMatched": 1.0}, "status": "Complete"}),
    )
}

/// A CloudWatch Logs export-to-S3 file: each line prefixed with an ISO-8601 timestamp.
pub fn export_prefixed(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|l| format!("2025-11-26T00:00:00.000Z {l}\n"))
        .collect()
}

/// Runs the CLI with `args`, feeding `stdin`, from the repository root.
pub fn flowlens(args: &[&str], stdin: &[u8]) -> std::process::Output {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // a process that stops early (usage errors) closes its stdin: ignore the broken pipe
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}
