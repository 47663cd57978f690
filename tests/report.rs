//! Report files from the CLI (`flowlens report`): they re-decode to exactly the records
//! of the view, redaction leaves no original value, the template is checked, the size
//! limit refuses. Uses a stand-in template: `cargo test` runs before the web build.

mod common;

use flowlens::output;
use flowlens::report;
use std::path::PathBuf;
use std::process::{Command, Output};

const TEMPLATE: &str = "<!doctype html>\n<html lang=\"en\">\n<!-- single-file build of flowlens: works from file:// with no network. -->\n<head><title>flowlens</title></head>\n<body><main>app</main>\n</body>\n</html>\n";

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowlens-report-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn flowlens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flowlens"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn template() -> String {
    let p = tmp("template.html");
    std::fs::write(&p, TEMPLATE).unwrap();
    p.display().to_string()
}

fn redecode(html: &str) -> (report::ReportMeta, flowlens::Table, Vec<(String, Vec<u8>)>) {
    let (meta, parts) = report::read(html).unwrap();
    let mut d = flowlens::Decoder::new(Default::default());
    for (name, text) in &parts {
        d.begin_file(name);
        d.push(text);
    }
    (meta, d.finish(), parts)
}

#[test]
fn the_cli_report_holds_exactly_the_filtered_records() {
    let (raw, _) = common::generate(&["-n", "3000", "--seed", "21"]);
    let input = tmp("flows.log");
    std::fs::write(&input, &raw).unwrap();
    let out = tmp("r1.html");
    let (i, o, t) = (
        input.display().to_string(),
        out.display().to_string(),
        template(),
    );
    let filter = "action = reject and dstport in (22, 3389)";
    let r = flowlens(&[
        "report",
        "--filter",
        filter,
        "--sort",
        "bytes:desc",
        "--title",
        "SSH & RDP <rejects>",
        "--note",
        "look",
        "--columns",
        "srcaddr,dstport,bytes",
        "--template",
        &t,
        "-o",
        &o,
        &i,
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(stderr.contains("flowlens report: wrote"), "{stderr}");
    // the same records as the plain CLI prints for that filter, in the original order
    let lines = flowlens(&["--filter", filter, "-o", "lines", &i]);
    let expected: Vec<&str> = std::str::from_utf8(&lines.stdout)
        .unwrap()
        .lines()
        .collect();
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<title>SSH &amp; RDP &lt;rejects&gt; — flowlens report</title>"));
    let (meta, back, parts) = redecode(&html);
    assert_eq!(meta.records as usize, expected.len());
    assert_eq!(meta.loaded_records, 3000);
    assert_eq!(meta.view["filter"], filter);
    assert_eq!(meta.view["sort"], "bytes:desc");
    assert_eq!(
        meta.view["columns"],
        serde_json::json!(["srcaddr", "dstport", "bytes"])
    );
    assert_eq!(meta.title, "SSH & RDP <rejects>");
    assert_eq!(
        meta.files[0].name, "flows.log",
        "no local directory in the report"
    );
    assert!(!html.contains(&std::env::temp_dir().display().to_string()));
    let text = String::from_utf8(parts[0].1.clone()).unwrap();
    let embedded: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(
        embedded, expected,
        "the original lines, a header line first"
    );
    assert_eq!(back.len(), expected.len());
    assert_eq!(back.counts().errors, 0);
}

#[test]
fn redaction_from_the_cli_leaves_no_original_value() {
    let mut text = String::from_utf8(
        common::generate(&[
            "-n",
            "800",
            "--seed",
            "5",
            "--fields",
            "v5",
            "--container",
            "s3",
        ])
        .0,
    )
    .unwrap();
    // a second file with v11 tags and an ECS-style ARN holding the account
    let tagged = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status instance-tag ecs-cluster-arn\n\
                  11 111122223333 eni-0a1 10.0.0.1 52.94.1.7 443 22 6 10 840 1764115200 1764115260 REJECT OK Owner%3Dalice arn:aws:ecs:us-east-1:111122223333:cluster/prod\n";
    text.push('\n');
    let a = tmp("AWSLogs_123456789012_a.log");
    let b = tmp("tagged.log");
    std::fs::write(&a, &text).unwrap();
    std::fs::write(&b, tagged).unwrap();
    let out = tmp("r2.html");
    let (sa, sb, o, t) = (
        a.display().to_string(),
        b.display().to_string(),
        out.display().to_string(),
        template(),
    );
    let r = flowlens(&[
        "report",
        "--redact",
        "all",
        "--title",
        "from 52.94.1.7",
        "--template",
        &t,
        "-o",
        &o,
        &sa,
        &sb,
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    // every account id and public address of the inputs
    let original = flowlens::decode_bytes(format!("{text}{tagged}").as_bytes(), Default::default());
    let mut secrets = std::collections::BTreeSet::new();
    for row in 0..original.len() {
        for f in original.fields() {
            match original.value(row, f) {
                flowlens::Value::Addr(ip) if flowlens::report::is_public(ip) => {
                    secrets.insert(ip.to_string());
                }
                flowlens::Value::Text(s) if flowlens::report::is_account_field(f) => {
                    secrets.insert(s.to_string());
                }
                _ => {}
            }
        }
    }
    secrets.insert("111122223333".into());
    secrets.insert("Owner%3Dalice".into());
    secrets.insert("123456789012".into());
    assert!(secrets.len() > 50, "{} originals", secrets.len());
    let html = std::fs::read_to_string(&out).unwrap();
    let (meta, back, parts) = redecode(&html);
    for (_, p) in &parts {
        let p = String::from_utf8_lossy(p);
        for s in &secrets {
            assert!(!p.contains(s.as_str()), "payload holds {s}");
        }
    }
    for s in &secrets {
        assert!(!html.contains(s.as_str()), "the HTML holds {s}");
    }
    assert_eq!(back.len(), original.len(), "every record still decodes");
    assert_eq!(back.counts().errors, 0);
    assert!(
        !back.fields().contains(&flowlens::Field::InstanceTag),
        "tags dropped"
    );
    assert!(
        meta.files[0].name.contains("AWSLogs_xxxxxxxx9012_a.log"),
        "{}",
        meta.files[0].name
    );
    let tagged_back = String::from_utf8(parts[1].1.clone()).unwrap();
    // the title names 52.94.1.7 by the same pseudonym as its record
    let pseudonym = meta.title.strip_prefix("from ").unwrap();
    assert!(
        tagged_back.contains(&format!(" 10.0.0.1 {pseudonym} 443 22 ")),
        "{pseudonym}: {tagged_back}"
    );
    assert!(
        tagged_back.contains("arn:aws:ecs:us-east-1:xxxxxxxx3333:cluster/prod"),
        "{tagged_back}"
    );
    // private addresses and everything else are kept
    let mut a = String::new();
    output::write_csv(&mut a, &back, 0..1);
    assert!(a.contains(",10.0."), "{a}");
}

#[test]
fn templates_and_limits_fail_clearly() {
    let input = tmp("small.log");
    std::fs::write(&input, "2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n").unwrap();
    let i = input.display().to_string();
    let o = tmp("r3.html").display().to_string();
    let missing = flowlens(&[
        "report",
        "--template",
        "/nonexistent/flowlens.html",
        "-o",
        &o,
        &i,
    ]);
    assert_eq!(missing.status.code(), Some(2));
    let e = String::from_utf8_lossy(&missing.stderr);
    assert!(
        e.contains("no app template found")
            && e.contains("npm run build")
            && e.contains("--template"),
        "{e}"
    );
    let not_app = tmp("other.html");
    std::fs::write(&not_app, "<html><body>hi</body></html>").unwrap();
    let bad = flowlens(&[
        "report",
        "--template",
        &not_app.display().to_string(),
        "-o",
        &o,
        &i,
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not the single-file flowlens app"));
    let t = template();
    let big = flowlens(&[
        "report",
        "--template",
        &t,
        "--max-bytes",
        "300",
        "-o",
        &o,
        &i,
    ]);
    assert_eq!(big.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&big.stderr).contains("the report would be about"),
        "{}",
        String::from_utf8_lossy(&big.stderr)
    );
    let bad_redact = flowlens(&["report", "--template", &t, "--redact", "ipz", "-o", &o, &i]);
    assert_eq!(bad_redact.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_redact.stderr).contains("unknown redaction 'ipz'"));
    // a report is not a template
    let ok = flowlens(&["report", "--template", &t, "-o", &o, &i]);
    assert!(ok.status.success());
    let again = flowlens(&[
        "report",
        "--template",
        &o,
        "-o",
        &tmp("r4.html").display().to_string(),
        &i,
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("itself a report"));
}

#[test]
fn markdown_output_of_records_and_top_groups() {
    let input = "2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n\
                 2 123456789010 eni-1 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK\n";
    let f = tmp("md.log");
    std::fs::write(&f, input).unwrap();
    let f = f.display().to_string();
    let top = flowlens(&["--top", "action", "-o", "markdown", &f]);
    assert_eq!(
        String::from_utf8_lossy(&top.stdout),
        "| action | records | packets | bytes |\n| --- | ---: | ---: | ---: |\n| ACCEPT | 1 | 20 | 4249 |\n| REJECT | 1 | 20 | 4249 |\n\n_top 2 by records of 2 records_\n"
    );
    let rows = flowlens(&["--filter", "dstport = 22", "-o", "markdown", &f]);
    let md = String::from_utf8_lossy(&rows.stdout);
    assert!(
        md.starts_with("| version | account-id | interface-id | srcaddr |"),
        "{md}"
    );
    assert!(md.contains("\n| 2 | 123456789010 | eni-1 | 172.31.16.139 | 172.31.16.21 | 20641 | 22 | TCP | 20 | 4249 | 2014-12-14T04:06:50Z | 2014-12-14T04:07:50Z | ACCEPT | OK |\n"), "{md}");
}

/// The labels element of a report, as the page reads it: gzip bytes, a context file.
fn report_context(html: &str) -> flowlens::context::Context {
    let (name, gz) = report::labels_element(html)
        .unwrap()
        .expect("the report carries labels");
    let mut ctx = flowlens::context::Context::default();
    ctx.add_file(&name, &gz).unwrap().unwrap();
    ctx
}

fn row_labels(t: &flowlens::Table, r: usize) -> [String; 4] {
    let a = t.annotations();
    let text = |v: &Vec<u32>| a.label(v[r]).map(|l| l.text.clone()).unwrap_or_default();
    [text(&a.src), text(&a.dst), text(&a.iface), a.sentence(t, r)]
}

#[test]
fn the_cli_report_carries_the_context_labels_and_redacts_them() {
    let dir = "tests/fixtures/context";
    let (enis, inst, ranges, log) = (
        format!("{dir}/describe-network-interfaces.json"),
        format!("{dir}/describe-instances.json"),
        format!("{dir}/ip-ranges.json"),
        format!("{dir}/flows.log"),
    );
    // what the main command labels: the same files, the whole log
    let mut ctx = flowlens::context::Context::default();
    for f in [&enis, &inst, &ranges] {
        ctx.add_file(f, &std::fs::read(f).unwrap())
            .unwrap()
            .unwrap();
    }
    let mut whole = flowlens::decode_bytes(&std::fs::read(&log).unwrap(), Default::default());
    whole.annotate(ctx);
    let filter = "action = accept";
    let kept = flowlens::query::Filter::parse(filter)
        .unwrap()
        .select(&whole);
    assert!(kept.len() >= 3 && kept.len() < whole.len());

    let (o, t) = (tmp("ctx.html").display().to_string(), template());
    // two with --context, one among the inputs
    let r = flowlens(&[
        "report",
        "--filter",
        filter,
        "--context",
        &enis,
        "--context",
        &ranges,
        "--template",
        &t,
        "-o",
        &o,
        &inst,
        &log,
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let html = std::fs::read_to_string(&o).unwrap();
    let (meta, mut back, _) = redecode(&html);
    assert_eq!(meta.records as usize, kept.len());
    assert_eq!(
        meta.files.len(),
        1,
        "context files are not data: {:?}",
        meta.files
    );
    assert_eq!(meta.files[0].name, log);
    let c = meta.context.clone().unwrap();
    assert_eq!(c.files.len(), 3, "{:?}", c.files);
    back.annotate(report_context(&html));
    for (k, &r) in kept.iter().enumerate() {
        assert_eq!(
            row_labels(&back, k),
            row_labels(&whole, r as usize),
            "record {k}"
        );
    }
    assert!(row_labels(&back, 0).iter().any(|l| l.contains("bastion")));

    // redacted: no account id, tag value (the Name `bastion`, the Team `ops`) remains
    let o2 = tmp("ctx-redacted.html").display().to_string();
    let r = flowlens(&[
        "report",
        "--redact",
        "all",
        "--context",
        &enis,
        "--context",
        &inst,
        "--context",
        &ranges,
        "--template",
        &t,
        "-o",
        &o2,
        &log,
    ]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let html = std::fs::read_to_string(&o2).unwrap();
    let labels = String::from_utf8(report::read_labels(&html).unwrap().unwrap()).unwrap();
    for v in ["111122223333", "bastion", "\"ops\""] {
        assert!(!html.contains(v) && !labels.contains(v), "{v} remains");
    }
    let (_, mut back, _) = redecode(&html);
    back.annotate(report_context(&html));
    let ec2: Vec<String> = (0..back.len())
        .map(|r| row_labels(&back, r)[2].clone())
        .collect();
    assert!(
        ec2.iter().any(|l| l == "EC2 i-0abc1234567890def"),
        "the label stays, without its Name: {ec2:?}"
    );
}
