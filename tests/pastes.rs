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

/// Each message rewritten by `f` (with its index), one per line.
fn each(msgs: &[&str], f: impl Fn(usize, &str) -> String) -> String {
    msgs.iter()
        .enumerate()
        .map(|(i, m)| f(i, m) + "\n")
        .collect()
}

/// `aws logs filter-log-events --output table`: a titled ASCII table, one row per event
/// with its keys as columns.
fn fle_table(ev: &[Event]) -> String {
    let rows: Vec<[String; 5]> = ev
        .iter()
        .map(|e| {
            [
                e.id.clone(),
                e.ingest.to_string(),
                STREAM.to_string(),
                e.message.clone(),
                e.ts.to_string(),
            ]
        })
        .collect();
    let names = [
        "eventId",
        "ingestionTime",
        "logStreamName",
        "message",
        "timestamp",
    ];
    let widths: Vec<usize> = (0..5)
        .map(|j| {
            rows.iter()
                .map(|r| r[j].len())
                .chain([names[j].len()])
                .max()
                .unwrap()
        })
        .collect();
    let row = |cells: Vec<&str>| -> String {
        let inner: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!(" {c:<w$} "))
            .collect();
        format!("||{}||\n", inner.join("|"))
    };
    let border: String = format!(
        "|+{}+|\n",
        widths
            .iter()
            .map(|w| "-".repeat(w + 2))
            .collect::<Vec<_>>()
            .join("+")
    );
    let total = border.len() - 1;
    let mut s = format!(
        "{}\n|{:^w$}|\n+{}+\n",
        "-".repeat(total),
        "FilterLogEvents",
        "-".repeat(total - 2),
        w = total - 2
    );
    s += &format!("||{:^w$}||\n", "events", w = total - 4);
    s += &border;
    s += &row(names.to_vec());
    s += &border;
    for r in &rows {
        s += &row(r.iter().map(String::as_str).collect());
    }
    s + &border
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
        (
            "prompt, then jq -c '.events[]'",
            format!("{PROMPT}aws logs get-log-events --log-group-name fl --log-stream-name {STREAM} | jq -c '.events[]'\n")
                + &ev.iter().map(|e| format!("{{\"timestamp\":{},\"message\":{},\"ingestionTime\":{}}}\n", e.ts, json_str(&e.message), e.ingest)).collect::<String>()
                + PROMPT + "\n",
        ),
        (
            "prompt, then jq -c . (the document on one line)",
            format!("{PROMPT}aws logs get-log-events --log-group-name fl --log-stream-name {STREAM} | jq -c .\n{}\n{PROMPT}\n", get_doc(&ev)),
        ),
        (
            "Slack [10:31 AM] stamps before jq -c '.events[]' lines",
            ev.iter().enumerate().map(|(i, e)| format!("[10:{:02} AM] {{\"timestamp\":{},\"message\":{}}}\n", i % 60, e.ts, json_str(&e.message))).collect(),
        ),
        (
            "chat: a one-line document in a fence",
            format!("output of get-log-events:\n```json\n{}\n```\nany idea?\n", get_doc(&ev)),
        ),
        (
            "e-mail: a one-line document quoted under a line of the reply",
            format!("On Mon, Jane wrote:\n> {}\n\nLooks like a port scan.\n", get_doc(&ev)),
        ),
        (
            "chat: a document laid out an event a line",
            format!(
                "like this:\n{{\"events\": [\n{}\n], \"nextForwardToken\": \"f/1\"}}\n",
                ev.iter().map(|e| format!("  {{\"timestamp\": {}, \"message\": {}}}", e.ts, json_str(&e.message))).collect::<Vec<_>>().join(",\n")
            ),
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
        // rich-text copies
        ("non-breaking spaces between fields", each(msgs, |_, m| m.replace(' ', "\u{a0}"))),
        ("nbsp after a space, CRLF", each(msgs, |_, m| format!("{}\r", m.replacen(' ', " \u{a0}", 3)))),
        ("zero-width spaces", each(msgs, |_, m| format!("\u{200b}{}", m.replace(' ', " \u{200b}")))),
        ("smart quotes around each line", each(msgs, |_, m| format!("\u{201c}{m}\u{201d}"))),
        ("backticks around each line", each(msgs, |_, m| format!("`{m}`"))),
        (
            "two pastes joined, each with its BOM",
            format!("\u{feff}{}\n\u{feff}{}\n", msgs[..half].join("\n"), msgs[half..].join("\n")),
        ),
        // chat and Markdown wrappers
        ("Slack [10:31 AM] stamps", each(msgs, |i, m| format!("[10:{:02} AM] {m}", i % 60))),
        ("Teams [10:31] Name: stamps", each(msgs, |_, m| format!("[10:31] Alice Smith: {m}"))),
        (
            "Slack author line, then the records",
            format!("alice  10:31\n{block}\nbob  10:32\nthanks!\n"),
        ),
        ("> quote markers", each(msgs, |_, m| format!("> {m}"))),
        (
            "> quoted fence in a reply",
            format!("> ```\n{}> ```\n", each(msgs, |_, m| format!("> {m}"))),
        ),
        ("numbered list 1. ", each(msgs, |i, m| format!("{}. {m}", i + 1))),
        ("numbered list 1) ", each(msgs, |i, m| format!("{}) {m}", i + 1))),
        ("* bullets", each(msgs, |_, m| format!("* {m}"))),
        ("\u{2022} bullets", each(msgs, |_, m| format!("\u{2022} {m}"))),
        // aws CLI and console shapes
        (
            "aws logs tail --format short",
            each(msgs, |i, m| format!("2026-12-01T10:00:{:02} {m}", i % 60)),
        ),
        ("aws logs filter-log-events --output table", fle_table(&ev)),
        (
            "CloudWatch console copy (timestamp tab message)",
            each(msgs, |i, m| format!("2026-12-01T10:00:{:02}.000Z\t{m}", i % 60)),
        ),
        (
            "Logs Insights JSON export",
            serde_json::to_string_pretty(&ev.iter().map(|e| json!({"@timestamp": "2026-12-01 10:00:00.000", "@message": e.message})).collect::<Vec<_>>()).unwrap(),
        ),
        // an e-mail client's wrap at a space (rejoined)
        (
            "e-mail: each record wrapped at a space, quoted",
            each(msgs, |_, m| {
                let cut = m[..60].rfind(' ').unwrap();
                format!("> {}\n> {}", &m[..cut], &m[cut + 1..])
            }),
        ),
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

/// Decodes with the CLI's defaults and returns (records without event fields, errors as
/// `line: reason`, not-record counts by reason).
fn outcome(input: &str) -> (Vec<J>, Vec<String>, Vec<(String, u64)>) {
    let t = decode(input.as_bytes());
    let errors = t
        .errors()
        .iter()
        .map(|e| format!("{}: {}", e.line, e.reason))
        .collect();
    let skips = t
        .counts()
        .not_records
        .iter()
        .map(|(r, n)| (r.to_string(), *n))
        .collect();
    (records_without_event_fields(&t), errors, skips)
}

#[test]
fn records_wrapped_at_a_space_are_rejoined_and_say_so() {
    let (raw, _) = generate(&["-n", "30", "--seed", "13"]);
    let raw = String::from_utf8(raw).unwrap();
    let want = records(&decode(raw.as_bytes()));
    let wrapped = each(&lines(&raw), |_, m| {
        let cut = m[..60].rfind(' ').unwrap();
        format!("{}\n{}", &m[..cut], &m[cut + 1..])
    });
    for chunk in [1, 5, 4096] {
        let t = decode_chunked(wrapped.as_bytes(), chunk, DecodeOptions::default());
        assert_eq!(records(&t), want, "chunks of {chunk}");
        assert!(t.errors().is_empty(), "{:?}", t.errors());
        assert_eq!(
            t.counts().not_records.get(flowlens::noise_reasons::WRAPPED),
            Some(&30)
        );
    }
    // each record is on the line where it starts
    let t = decode(wrapped.as_bytes());
    assert_eq!([t.row_line(0), t.row_line(1), t.row_line(2)], [1, 3, 5]);
}

#[test]
fn records_wrapped_inside_a_value_are_bad_lines_not_guesses() {
    // A terminal's hard wrap cuts a value in two: where cannot be told, so those halves
    // are errors with their line numbers; the lines wrapped at a space are rejoined.
    let recs = [
        "2 123456789012 eni-285a4309b7b552e1c 10.0.20.65 1.1.1.1 41680 53 17 4 364 1764115207 1764115267 ACCEPT OK",
        "2 123456789012 eni-c87ff4adfa36d0840 10.0.38.81 10.0.5.149 33926 3306 6 1327 1093448 1764115219 1764115339 ACCEPT OK",
    ];
    let input: String = recs
        .iter()
        .map(|r| format!("{}\n{}\n", &r[..72], &r[72..]))
        .collect();
    let (got, errors, skips) = outcome(&input);
    assert_eq!(
        got,
        records_without_event_fields(&decode(recs[1].as_bytes()))
    );
    assert_eq!(
        errors,
        [
            "1: line has 10 fields, the default format (version 2) has 14",
            "2: line has 5 fields, the default format (version 2) has 14"
        ]
    );
    assert_eq!(skips, [(flowlens::noise_reasons::WRAPPED.to_string(), 1)]);
}

#[test]
fn aws_logs_tail_gives_each_record_its_event_time_and_stream() {
    let rec = "2 123456789012 eni-285a4309b7b552e1c 10.0.20.65 1.1.1.1 41680 53 17 4 364 1764115207 1764115267 ACCEPT OK";
    let input = format!(
        "$ aws logs tail vpc-flow-logs --since 1h\n2026-12-01T10:00:00.250000+00:00 eni-285a4309b7b552e1c-all {rec}\n2026-12-01T11:00:00+01:00 eni-285a4309b7b552e1c-reject {rec}\n"
    );
    let t = decode(input.as_bytes());
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let got = records(&t);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["@timestamp"], json!(1_796_119_200_250i64));
    assert_eq!(got[0]["@logStream"], json!("eni-285a4309b7b552e1c-all"));
    assert_eq!(got[1]["@timestamp"], json!(1_796_119_200_000i64));
    assert_eq!(got[1]["@logStream"], json!("eni-285a4309b7b552e1c-reject"));
    assert_eq!(got[0]["interface-id"], json!("eni-285a4309b7b552e1c"));
    assert_eq!(got[1]["bytes"], json!(364));
}

#[test]
fn console_rows_copied_as_time_tab_record_take_the_time_as_their_event_time() {
    // The CloudWatch console's log events table selected and copied: `time⇥message`,
    // the time as the console shows it, in either of its spellings.
    let rec = "2 123456789012 eni-285a4309b7b552e1c 10.0.20.65 1.1.1.1 41680 53 17 4 364 1764115207 1764115267 ACCEPT OK";
    let input =
        format!("2026-12-01T10:00:00.250Z\t{rec}\n2026-12-01 10:00:01.000\t{rec}\n57\t{rec}\n");
    let t = decode(input.as_bytes());
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let got = records(&t);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["@timestamp"], json!(1_796_119_200_250i64));
    assert_eq!(got[1]["@timestamp"], json!(1_796_119_201_000i64));
    assert_eq!(got[0]["bytes"], json!(364));
    // One line, one record: the time cell is not counted as a line that is not a record.
    // Bare digits are no time (they could be anything): that cell stays a counted
    // non-record, and the record has no event time.
    assert_eq!(got[2].get("@timestamp"), None);
    assert_eq!(t.counts().skipped_other, 1);

    // The Logs Insights results table copied: row number, time, message, stream, log
    // group; its title row is the one line that is not a record.
    let input = format!(
        "#\t@timestamp\t@message\t@logStream\t@log\n\
         1\t2026-12-01 10:00:00.250\t{rec}\teni-285a4309b7b552e1c-all\t123456789012:vpc-flow-logs\n\
         2\t2026-12-01 10:00:01.000\t{rec}\teni-285a4309b7b552e1c-reject\t123456789012:vpc-flow-logs\n"
    );
    let t = decode(input.as_bytes());
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let got = records(&t);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["@timestamp"], json!(1_796_119_200_250i64));
    assert_eq!(got[1]["@logStream"], json!("eni-285a4309b7b552e1c-reject"));
    assert_eq!(got[1]["srcaddr"], json!("10.0.20.65"));
    assert_eq!(t.counts().skipped_other, 1);
    // A cell of any other kind: no time is taken, as before (each cell on its own).
    let input = format!("2026-12-01 10:00:00.250\t{rec}\tsomething else\n");
    let got = records(&decode(input.as_bytes()));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].get("@timestamp"), None);
}

#[test]
fn an_expanded_logs_insights_row_gives_its_message_and_no_bad_lines() {
    // A result row expanded in the console and copied: a `Field⇥Value` table whose
    // @message row is the record; the other rows are counted as not records.
    let rec = "2 123456789012 eni-285a4309b7b552e1c 10.0.20.65 1.1.1.1 41680 53 17 4 364 1764115207 1764115267 ACCEPT OK";
    let input = format!(
        "Field\tValue\n@ingestionTime\t1764115270123\n@log\t123456789012:vpc-flow-logs\n\
         @logStream\teni-285a4309b7b552e1c-all\n@message\t{rec}\n@timestamp\t1764115267000\n\
         accountId\t123456789012\naction\tACCEPT\nbytes\t364\ndstAddr\t1.1.1.1\n\
         interfaceId\teni-285a4309b7b552e1c\nlogStatus\tOK\nsrcPort\t41680\nstartTime\t1764115207\n"
    );
    let t = decode(input.as_bytes());
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let got = records(&t);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["dstaddr"], json!("1.1.1.1"));
    assert_eq!(got[0]["bytes"], json!(364));
    let rows = t
        .counts()
        .not_records
        .iter()
        .find(|(r, _)| **r == flowlens::noise_reasons::FIELD_ROW);
    assert_eq!(rows.map(|(_, n)| *n), Some(13));
}

#[test]
fn athena_result_csv_reads_its_underscored_header_and_nulls() {
    let input = "\"version\",\"account_id\",\"interface_id\",\"srcaddr\",\"dstaddr\",\"srcport\",\"dstport\",\"protocol\",\"packets\",\"bytes\",\"start\",\"end\",\"action\",\"log_status\"\n\
\"2\",\"123456789012\",\"eni-1a\",\"10.0.1.5\",\"10.0.2.9\",\"44308\",\"443\",\"6\",\"12\",\"4800\",\"1764115200\",\"1764115260\",\"ACCEPT\",\"OK\"\n\
\"2\",\"123456789012\",\"eni-1b\",,,,,,,,\"1764115200\",\"1764115260\",,\"NODATA\"\n";
    let t = decode(input.as_bytes());
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let got = records(&t);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["srcport"], json!(44308));
    assert_eq!(got[0]["log-status"], json!("OK"));
    assert_eq!(got[1]["interface-id"], json!("eni-1b"));
    assert_eq!(got[1]["srcaddr"], J::Null);
    assert_eq!(got[1]["start"], json!(1764115200));
    assert_eq!(got[1]["log-status"], json!("NODATA"));
}

#[test]
fn a_paste_of_two_formats_rebinds_at_the_header_and_not_before() {
    let default_rec = "2 123456789012 eni-b170f36557c3cd780 84.208.89.83 10.0.36.78 44249 23 6 1 44 1764115222 1764115282 REJECT OK";
    let input = format!(
        "two exports:\n```\n> {default_rec}\n> {default_rec}\n> srcaddr dstaddr dstport action version\n> 10.0.3.58 10.0.38.80 80 ACCEPT 2\n```\n"
    );
    let (got, errors, _) = outcome(&input);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(got.len(), 3);
    assert_eq!(got[1]["srcaddr"], json!("84.208.89.83"));
    assert_eq!(got[1]["log-status"], json!("OK"));
    assert_eq!(
        got[2],
        json!({"srcaddr": "10.0.3.58", "dstaddr": "10.0.38.80", "dstport": 80, "action": "ACCEPT", "version": 2})
    );
}

#[test]
fn a_dash_bullet_is_kept_because_dash_is_a_value() {
    // `- ` is not taken off (a custom format may start with an empty field): the lines
    // have 15 fields, a count no documented layout has, so the binding is a stated guess.
    let rec = "2 123456789012 eni-b170f36557c3cd780 84.208.89.83 10.0.36.78 44249 23 6 1 44 1764115222 1764115282 REJECT OK";
    let input = format!("- {rec}\n- {rec}\n");
    let t = decode(input.as_bytes());
    let b = &t.files()[0].bindings;
    assert!(b.len() == 1 && b[0].guessed, "{b:?}");
}

/// A line of JSON in a paste is read as JSON (`src/container/jsonline.rs`): its events
/// keep their `timestamp` and `logStreamName`, a Logs Insights row of fields binds its
/// own values only, a line cut inside a string is a bad line with its number, and prose
/// in braces stays prose.
#[test]
fn json_lines_in_a_paste_keep_their_event_fields_and_a_cut_one_is_a_bad_line() {
    let rec = "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1764115243 1764115303 ACCEPT OK";
    let input = format!(
        concat!(
            "$ aws logs filter-log-events --log-group-name vpc | jq -c '.events[]'\n",
            "{{\"logStreamName\": \"eni-1-all\", \"timestamp\": 1764115200000, \"message\": \"{rec}\"}}\n",
            "{{\"logStreamName\": \"eni-1-all\", \"timestamp\": 1764115201000, \"message\": \"2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 17641\n",
            "{{braces}} in prose are not JSON\n",
            "Insights rows, as JSON lines:\n",
            "{{\"@timestamp\": \"2025-11-26 00:01:00.000\", \"srcAddr\": \"10.0.0.7\", \"dstPort\": 443, \"action\": \"REJECT\"}}\n",
            "and a record line after them:\n",
            "{rec}\n",
            "[10:32 AM] Jane Doe: {{\"timestamp\": 1764115202000, \"message\": \"{rec}\"}}\n",
        ),
        rec = rec
    );
    for chunk in [1, 5, 4096] {
        let t = decode_chunked(input.as_bytes(), chunk, DecodeOptions::default());
        let got = records(&t);
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0]["@timestamp"], json!(1_764_115_200_000i64));
        assert_eq!(got[0]["@logStream"], json!("eni-1-all"));
        assert_eq!(got[0]["bytes"], json!(40));
        assert_eq!(
            got[1],
            json!({"srcaddr": "10.0.0.7", "dstport": 443, "action": "REJECT", "@timestamp": 1_764_115_260_000i64})
        );
        // the Insights row's header bound its own values only: the last line is a
        // default-format record
        assert_eq!(got[2]["interface-id"], json!("eni-1"));
        assert_eq!(got[2]["end"], json!(1_764_115_303));
        // a Slack stamp and author before an event line
        assert_eq!(got[3]["@timestamp"], json!(1_764_115_202_000i64));
        assert_eq!(got[3]["srcaddr"], json!("10.0.0.1"));
        let errors: Vec<(u64, String)> = t
            .errors()
            .iter()
            .map(|e| (e.line, e.reason.to_string()))
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, 3);
        assert!(errors[0].1.contains("closing the string"), "{errors:?}");
        assert_eq!(t.counts().records, 4);
    }
}

/// The lines of `text` holding `needle`, numbered from 1.
fn lines_with(text: &str, needle: &str) -> Vec<u64> {
    (1..)
        .zip(text.lines())
        .filter(|(_, l)| l.contains(needle))
        .map(|(n, _)| n)
        .collect()
}

#[test]
fn a_document_laid_out_over_lines_keeps_its_event_fields_and_a_broken_one_its_messages() {
    let (raw, _) = generate(&["-n", "6", "--seed", "5"]);
    let raw = String::from_utf8(raw).unwrap();
    let msgs = lines(&raw);
    let want = records_without_event_fields(&decode(raw.as_bytes()));
    let ev = events(&msgs);
    let with_streams = json!({
        "events": ev.iter().map(|e| json!({"logStreamName": STREAM, "timestamp": e.ts, "message": e.message, "ingestionTime": e.ingest, "eventId": e.id})).collect::<Vec<_>>(),
        "searchedLogStreams": [],
    });
    let pretty = pretty4(&with_streams);
    let whole =
        format!("{PROMPT}aws logs filter-log-events --log-group-name fl\n{pretty}\n{PROMPT}\n");
    // Event objects copied out of the middle of the output, each laid out over lines.
    let objects: String = pretty
        .lines()
        .skip_while(|l| !l.contains("\"events\""))
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with(']'))
        .map(|l| format!("{l}\n"))
        .collect();
    let objects = format!("these ones:\n{objects}any idea?\n");
    let quoted = format!(
        "On Mon, Jane wrote:\n{}\n\nLooks fine.\n",
        whole
            .lines()
            .map(|l| format!("> {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    for (name, input) in [
        ("whole", &whole),
        ("objects", &objects),
        ("quoted", &quoted),
    ] {
        for chunk in [1, 7, 4096] {
            let t = decode_chunked(input.as_bytes(), chunk, DecodeOptions::default());
            let got = records(&t);
            assert_eq!(records_without_event_fields(&t), want, "{name} {chunk}");
            assert_eq!(t.counts().errors, 0, "{name}");
            for (i, r) in got.iter().enumerate() {
                assert_eq!(r["@timestamp"], json!(ev[i].ts), "{name} {i}");
                assert_eq!(r["@logStream"], json!(STREAM), "{name} {i}");
            }
            // each record on the line of its message
            let rows: Vec<u64> = (0..t.len()).map(|r| t.row_line(r)).collect();
            assert_eq!(rows, lines_with(input, "\"message\""), "{name}");
            // the framing lines are skipped as such, none lost
            let c = t.counts();
            assert_eq!(
                c.records + c.skipped(),
                input.lines().count() as u64,
                "{name} {c:?}"
            );
        }
    }

    // A document a chat cut inside a message, or one cut short by the end of the paste,
    // is read line by line as before: its messages are records, the cut line a bad line.
    let cut_at = lines_with(&whole, "\"message\"")[2];
    let mut broken: Vec<String> = whole.lines().map(str::to_string).collect();
    let line = &mut broken[cut_at as usize - 1];
    line.truncate(line.len() - 20);
    let broken = broken.join("\n") + "\n";
    // cut after the third event's message, inside its object
    let short: String = whole
        .lines()
        .take(cut_at as usize)
        .map(|l| format!("{l}\n"))
        .collect();
    for chunk in [1, 4096] {
        let t = decode_chunked(broken.as_bytes(), chunk, DecodeOptions::default());
        let mut expect = want.clone();
        expect.remove(2);
        assert_eq!(records_without_event_fields(&t), expect);
        let errors: Vec<u64> = t.errors().iter().map(|e| e.line).collect();
        assert_eq!(errors, vec![cut_at]);
        // the event objects around the broken one are each read as a document
        let stamps: Vec<J> = records(&t)
            .iter()
            .map(|r| r["@timestamp"].clone())
            .collect();
        let mut expect_stamps: Vec<J> = ev.iter().map(|e| json!(e.ts)).collect();
        expect_stamps.remove(2);
        assert_eq!(stamps, expect_stamps);
        let t = decode_chunked(short.as_bytes(), chunk, DecodeOptions::default());
        assert_eq!(records_without_event_fields(&t), want[..3].to_vec());
        assert_eq!(t.counts().errors, 0);
        let got = records(&t);
        assert_eq!(got[1]["@timestamp"], json!(ev[1].ts));
        assert_eq!(got[2].get("@timestamp"), None, "its object never closed");
        let c = t.counts();
        assert_eq!(c.records + c.skipped(), short.lines().count() as u64);
    }

    // JSON of another tool laid out over lines is no record, and the lines after it are
    // read as before.
    let other = format!(
        "$ aws ec2 describe-vpcs\n{}\n{}\n",
        pretty4(
            &json!({"Vpcs": [{"CidrBlock": "10.0.0.0/16", "VpcId": "vpc-1", "State": "available"}]})
        ),
        msgs[0]
    );
    let t = decode(other.as_bytes());
    assert_eq!(records_without_event_fields(&t), want[..1].to_vec());
    assert_eq!(t.counts().errors, 0);
    assert_eq!(t.row_line(0), other.lines().count() as u64);
}
