//! What people really paste, written independently of the shape fixtures: terminal
//! sessions with prompts, every `aws logs` output mode, jq and grep pipelines, chat
//! messages. Each carries the same generated records; each must decode to exactly
//! those records (no value under a wrong field, nothing lost), with no bad line, in
//! any chunking. Noise lines are counted as skipped, never as errors.

mod common;
use common::*;
use flowlens::{DecodeOptions, Table};
use serde_json::{json, Value as J};

const PROMPT: &str = "[ec2-user@ip-172-31-31-219 ~]$ ";
const STREAM: &str = "eni-0a1b2c3d4e5f67890-all";
const T0: u64 = 1_764_115_200_000;

struct Event {
    ts: u64,
    ingest: u64,
    id: String,
    message: String,
}

fn events(msgs: &[&str]) -> Vec<Event> {
    msgs.iter()
        .enumerate()
        .map(|(i, m)| Event {
            ts: T0 + i as u64 * 1000,
            ingest: T0 + i as u64 * 1000 + 5000,
            id: format!("3700000000000000000000000000000000000000000000000000{i:04}"),
            message: m.to_string(),
        })
        .collect()
}

fn get_doc(ev: &[Event]) -> J {
    json!({
        "events": ev.iter().map(|e| json!({"timestamp": e.ts, "message": e.message, "ingestionTime": e.ingest})).collect::<Vec<_>>(),
        "nextForwardToken": "f/38765432109876543210987654321098765432109876543210987654",
        "nextBackwardToken": "b/38765432109876543210987654321098765432109876543210987600"
    })
}

/// The aws CLI's `--output text` for get-log-events: the top-level scalars on one line
/// (keys sorted), then one EVENTS row per event (keys sorted).
fn text_get(ev: &[Event]) -> String {
    let mut s = "b/38765432109876543210987654321098765432109876543210987600\tf/38765432109876543210987654321098765432109876543210987654\n".to_string();
    for e in ev {
        s += &format!("EVENTS\t{}\t{}\t{}\n", e.ingest, e.message, e.ts);
    }
    s
}

fn text_filter(ev: &[Event]) -> String {
    let mut s = String::new();
    for e in ev {
        s += &format!(
            "EVENTS\t{}\t{}\t{STREAM}\t{}\t{}\n",
            e.id, e.ingest, e.message, e.ts
        );
    }
    s + &format!("SEARCHEDLOGSTREAMS\t{STREAM}\tTrue\n")
}

fn yaml_get(ev: &[Event]) -> String {
    let mut s = "events:\n".to_string();
    for e in ev {
        s += &format!(
            "- ingestionTime: {}\n  message: {}\n  timestamp: {}\n",
            e.ingest, e.message, e.ts
        );
    }
    s + "nextBackwardToken: b/3876543210987654321098765432109876543210\nnextForwardToken: f/3876543210987654321098765432109876543210\n"
}

fn yaml_filter(ev: &[Event]) -> String {
    let mut s = "events:\n".to_string();
    for e in ev {
        s += &format!(
            "- eventId: '{}'\n  ingestionTime: {}\n  logStreamName: {STREAM}\n  message: {}\n  timestamp: {}\n",
            e.id, e.ingest, e.message, e.ts
        );
    }
    s + &format!("searchedLogStreams:\n- logStreamName: {STREAM}\n  searchedCompletely: true\n")
}

/// Every shape, by name, with the same records as `msgs`.
fn shapes(msgs: &[&str]) -> Vec<(&'static str, String)> {
    let ev = events(msgs);
    let pretty = pretty4(&get_doc(&ev));
    let tabbed = msgs.join("\t");
    let half = msgs.len() / 2;
    let block = msgs.join("\n");
    let mut out = vec![
        (
            "prompt, then | grep message",
            format!("{PROMPT}aws logs get-log-events --log-group-name vpc-flow-logs --log-stream-name {STREAM} | grep message\n")
                + &pretty.lines().filter(|l| l.contains("\"message\"")).map(|l| format!("{l}\n")).collect::<String>()
                + PROMPT + "\n",
        ),
        (
            "prompt, then the whole JSON",
            format!("{PROMPT}aws logs get-log-events --log-group-name vpc-flow-logs --log-stream-name {STREAM}\n{pretty}{PROMPT}\n"),
        ),
        (
            "$ prompt, then | grep -v ingestionTime",
            format!("$ aws logs get-log-events --log-group-name fl --log-stream-name {STREAM} | grep -v ingestionTime\n")
                + &pretty.lines().filter(|l| !l.contains("ingestionTime")).map(|l| format!("{l}\n")).collect::<String>(),
        ),
        ("get-log-events --output text", text_get(&ev)),
        ("get-log-events --output text, CRLF", text_get(&ev).replace('\n', "\r\n")),
        ("filter-log-events --output text", text_filter(&ev)),
        ("--query 'events[*].message' --output text", format!("{tabbed}\n")),
        ("--query … --output text, CRLF", format!("{tabbed}\r\n")),
        ("--query … --output text, no final newline", tabbed.clone()),
        (
            "PowerShell prompt, then --query … --output text",
            format!("PS C:\\Users\\me> aws logs get-log-events --log-group-name fl --log-stream-name x --output text --query \"events[*].message\"\n{tabbed}\n"),
        ),
        ("get-log-events --output yaml", yaml_get(&ev)),
        ("get-log-events --output yaml, BOM", format!("\u{feff}{}", yaml_get(&ev))),
        ("filter-log-events --output yaml", yaml_filter(&ev)),
        (
            "jq -c '.events[]'",
            ev.iter().map(|e| format!("{{\"timestamp\":{},\"message\":{},\"ingestionTime\":{}}}\n", e.ts, json_str(&e.message), e.ingest)).collect(),
        ),
        ("jq -r '.events[].message'", format!("{block}\n")),
        (
            "prompt, then jq '.events[].message' (quoted strings)",
            format!("{PROMPT}aws logs get-log-events --log-group-name fl --log-stream-name {STREAM} | jq '.events[].message'\n")
                + &ev.iter().map(|e| format!("{}\n", json_str(&e.message))).collect::<String>()
                + PROMPT + "\n",
        ),
        (
            "jq '.events[].message' (quoted strings), CRLF",
            ev.iter().map(|e| format!("{}\r\n", json_str(&e.message))).collect(),
        ),
        (
            "jq '[.events[].message]'",
            format!("[\n{}\n]\n", ev.iter().map(|e| format!("  {}", json_str(&e.message))).collect::<Vec<_>>().join(",\n")),
        ),
        (
            "zgrep '' a.log.gz b.log.gz",
            msgs[..half].iter().map(|m| format!("AWSLogs/123456789010/vpcflowlogs/us-east-1/2025/11/26/a.log.gz:{m}\n")).collect::<String>()
                + &msgs[half..].iter().map(|m| format!("AWSLogs/123456789010/vpcflowlogs/us-east-1/2025/11/26/b.log.gz:{m}\n")).collect::<String>(),
        ),
        (
            "grep -Hn",
            msgs.iter().enumerate().map(|(i, m)| format!("flows.log:{}:{m}\n", i + 1)).collect(),
        ),
        (
            "chat: prose around a fence",
            format!("Hey team, seeing a bunch of these since this morning, any idea what's going on?\n\n```\n{block}\n```\n\nThanks! (nothing redacted, it's staging)\n"),
        ),
        ("chat: fence with a language", format!("here you go:\n```text\n{block}\n```\n")),
    ];
    out.retain(|(_, s)| !s.is_empty());
    out
}

fn records_without_event_fields(t: &Table) -> Vec<J> {
    records(t)
        .into_iter()
        .map(|mut r| {
            let o = r.as_object_mut().unwrap();
            o.remove("@timestamp");
            o.remove("@logStream");
            r
        })
        .collect()
}

#[test]
fn every_paste_decodes_to_the_same_records() {
    let (raw, _) = generate(&["-n", "40", "--seed", "11"]);
    let raw = String::from_utf8(raw).unwrap();
    let msgs = lines(&raw);
    let want = records_without_event_fields(&decode(raw.as_bytes()));
    assert_eq!(want.len(), 40);
    let mut failures = Vec::new();
    for (name, input) in shapes(&msgs) {
        for chunk in [1, 7, 4096] {
            let t = decode_chunked(input.as_bytes(), chunk, DecodeOptions::default());
            let got = records_without_event_fields(&t);
            let errors: Vec<String> = t
                .errors()
                .iter()
                .map(|e| format!("{}: {}", e.line, e.reason))
                .collect();
            if got != want || !errors.is_empty() {
                failures.push(format!(
                    "{name} (chunks of {chunk}): {} records ({} as expected), errors {errors:?}",
                    got.len(),
                    got.iter().zip(&want).filter(|(a, b)| a == b).count()
                ));
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn zgrep_of_s3_files_keeps_their_headers() {
    let (s3, _) = generate(&[
        "-n",
        "15",
        "--seed",
        "12",
        "--fields",
        "v5",
        "--container",
        "s3",
    ]);
    let s3 = String::from_utf8(s3).unwrap();
    let want = records(&decode(s3.as_bytes()));
    let pasted: String = s3.lines().map(|l| format!("part-1.log.gz:{l}\n")).collect();
    let t = decode(pasted.as_bytes());
    assert_eq!(records(&t), want);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
}
