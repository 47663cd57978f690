//! The `flowlens` command line: outputs, errors on stderr as FILE:LINE, exit statuses.

mod common;

use common::flowlens;

const DOC_LINES: &str = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n\
2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK\n";

#[test]
fn ndjson_from_stdin_is_typed() {
    let out = flowlens(&[], DOC_LINES.as_bytes());
    assert!(out.status.success());
    let first = String::from_utf8(out.stdout).unwrap();
    let first: serde_json::Value = serde_json::from_str(first.lines().next().unwrap()).unwrap();
    assert_eq!(first["dstport"], 22);
    assert_eq!(first["srcaddr"], "172.31.16.139");
    assert_eq!(first["log-status"], "OK");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("flowlens: 2 records, 0 errors"), "{err}");
}

#[test]
fn bad_lines_go_to_stderr_and_strict_fails() {
    let input = format!("{DOC_LINES}2 123 eni-1 1.1.1.1\n");
    let out = flowlens(&["-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("<stdin>:3: line has 4 fields, the default format (version 2) has 14"),
        "{err}"
    );
    let strict = flowlens(&["--strict"], input.as_bytes());
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn usage_io_and_filter_errors_exit_2() {
    assert_eq!(flowlens(&["--output", "nope"], b"").status.code(), Some(2));
    assert_eq!(flowlens(&["/no/such/file"], b"").status.code(), Some(2));
    assert_eq!(
        flowlens(&["--format", "srcaddr dstprt"], b"").status.code(),
        Some(2)
    );
    let out = flowlens(&["--filter", "dstprt = 22"], DOC_LINES.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("did you mean 'dstport'"), "{err}");
}

#[test]
fn outputs_csv_lines_table_and_stats() {
    let csv = flowlens(&["-o", "csv"], DOC_LINES.as_bytes());
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(
        csv.starts_with("version,account-id,interface-id,srcaddr"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 3);

    let lines = flowlens(&["-o", "lines"], DOC_LINES.as_bytes());
    assert_eq!(String::from_utf8(lines.stdout).unwrap(), DOC_LINES);

    let table = flowlens(&["-o", "table"], DOC_LINES.as_bytes());
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.contains("2014-12-14T04:06:50Z") && table.contains("TCP"),
        "{table}"
    );

    let stats = flowlens(&["-o", "stats", "tests/fixtures/default-bad.log"], b"");
    let stats = String::from_utf8(stats.stdout).unwrap();
    assert!(stats.contains("records    387"), "{stats}");
    assert!(stats.contains("errors     11"), "{stats}");
    // its two prose lines ("this is not a flow log record") are noise, not errors
    assert!(stats.contains("not record 2"), "{stats}");
}

#[test]
fn filters_sort_and_top() {
    let out = flowlens(
        &["--filter", "action = reject", "-o", "lines"],
        DOC_LINES.as_bytes(),
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        DOC_LINES.lines().nth(1).unwrap().to_string() + "\n"
    );
    let top = flowlens(
        &["--top", "dstport", "--by", "count", "-o", "ndjson"],
        DOC_LINES.as_bytes(),
    );
    let top = String::from_utf8(top.stdout).unwrap();
    assert_eq!(top.lines().count(), 2, "{top}");
    assert!(top.contains("\"count\":1"), "{top}");
}

#[test]
fn inference_is_reported_with_a_way_to_override() {
    let out = flowlens(&["-o", "stats", "tests/fixtures/custom.log"], b"");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("confidence") && err.contains("--format"),
        "{err}"
    );
}

fn write_tmp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("flowlens-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

const V7: &str = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ecs-cluster-name region
7 123456789010 eni-1 10.0.0.1 10.0.0.2 443 5000 6 3 300 1764115200 1764115260 ACCEPT OK prod-cluster eu-west-1
7 123456789010 eni-2 10.0.0.3 10.0.0.4 443 5001 6 3 300 1764201600 1764201660 ACCEPT OK - eu-west-1
";

#[test]
fn emit_athena_uses_the_data_fields_and_makes_its_table() {
    let f = write_tmp("v7.log", V7);
    // the bare word searches the data's v7 column
    let o = flowlens(&["--emit", "athena", "--filter", "prod-cluster", &f], b"");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let q = String::from_utf8(o.stdout).unwrap();
    assert!(
        q.contains("strpos(lower(ecs_cluster_name), 'prod-cluster') > 0"),
        "{q}"
    );
    assert!(!q.contains("vpc_id"), "{q}");
    // without data: the documented v2–v5 table, which has no ECS columns
    let o = flowlens(
        &["--emit", "athena", "--filter", "ecs-cluster-name = x"],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--emit athena-table"));
    // the table: columns in the file's order, projection from the data
    let o = flowlens(
        &[
            "--emit",
            "athena-table",
            "--athena-location",
            "s3://b/p/",
            &f,
        ],
        b"",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ddl = String::from_utf8(o.stdout).unwrap();
    assert!(
        ddl.contains("  log_status string,\n  ecs_cluster_name string,\n  region string\n)"),
        "{ddl}"
    );
    assert!(
        ddl.contains("'projection.accid.values' = '123456789010'"),
        "{ddl}"
    );
    assert!(
        ddl.contains("'projection.region_code.values' = 'eu-west-1'"),
        "{ddl}"
    );
    assert!(
        ddl.contains("'projection.day.range' = '2025/11/26,NOW'"),
        "{ddl}"
    );
    assert!(ddl.contains("'skip.header.line.count' = '1'"), "{ddl}");
    // refusals with a reason
    let o = flowlens(&["--emit", "athena-table", &f], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--athena-location"));
    let d = write_tmp(
        "default.log",
        "2 123456789010 eni-1 10.0.0.1 10.0.0.2 443 5000 6 3 300 1764115200 1764115260 ACCEPT OK\n",
    );
    let o = flowlens(
        &["--emit", "athena-table", "--athena-location", "s3://b/", &d],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--athena-region"));
    let o = flowlens(
        &[
            "--emit",
            "athena-table",
            "--athena-location",
            "s3://b/",
            "--athena-region",
            "us-east-1,us-west-2",
            "--athena-layout",
            "hive",
            &d,
        ],
        b"",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ddl = String::from_utf8(o.stdout).unwrap();
    assert!(
        ddl.contains("'projection.aws_region.values' = 'us-east-1,us-west-2'"),
        "{ddl}"
    );
}

#[test]
fn emit_insights_names_discovered_fields() {
    let o = flowlens(
        &[
            "--emit",
            "insights",
            "--filter",
            "time >= 2025-11-26 and dstport != 22",
        ],
        b"",
    );
    assert!(o.status.success());
    let q = String::from_utf8(o.stdout).unwrap();
    assert!(q.contains("startTime, endTime"), "{q}");
    assert!(
        q.contains(
            "(endTime != \"-\" and endTime >= 1764115200) and (dstPort != \"-\" and dstPort != 22)"
        ),
        "{q}"
    );
    assert!(q.trim_end().ends_with("| limit 10000"), "{q}");
}

#[test]
fn athena_table_of_parquet_files_is_a_parquet_table() {
    let out = flowlens(
        &[
            "--emit",
            "athena-table",
            "--athena-location",
            "s3://b/p/",
            "--athena-layout",
            "hive",
            "tests/fixtures/v5.log.parquet",
        ],
        b"",
    );
    let ddl = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(ddl.contains("STORED AS PARQUET"), "{ddl}");
    assert!(!ddl.contains("skip.header.line.count"), "{ddl}");
    assert!(ddl.contains("  pkt_srcaddr string,"), "{ddl}");
}

#[test]
fn an_unknown_header_column_keeps_its_own_name_in_every_output() {
    let input = b"version srcaddr dstaddr action team-owner\n\
                  5 10.0.0.1 10.0.0.2 ACCEPT blue\n\
                  5 10.0.0.1 10.0.0.3 ACCEPT blue\n\
                  5 10.0.0.4 10.0.0.2 REJECT red\n";
    let text = |args: &[&str]| {
        let o = flowlens(args, input);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let md = text(&["--top", "team-owner", "-o", "markdown"]);
    assert_eq!(
        md,
        "| team-owner | records | packets | bytes |\n| --- | ---: | ---: | ---: |\n\
         | blue | 2 | 0 | 0 |\n| red | 1 | 0 | 0 |\n\n_top 2 by records of 3 records_\n"
    );
    let top = text(&["--top", "srcaddr,team-owner"]);
    assert!(top.starts_with("srcaddr   team-owner  count"), "{top}");
    let csv = text(&["--top", "team-owner", "-o", "csv"]);
    assert!(csv.starts_with("team-owner,count,packets,bytes\n"), "{csv}");
    let nd = text(&["--top", "team-owner", "-o", "ndjson"]);
    assert!(
        nd.starts_with("{\"team-owner\":\"blue\",\"count\":2"),
        "{nd}"
    );
    let table = text(&["-o", "table"]);
    assert!(
        table.lines().next().unwrap().ends_with("team-owner"),
        "{table}"
    );
    let md_rows = text(&["-o", "markdown"]);
    assert!(
        md_rows.starts_with("| version | srcaddr | dstaddr | action | team-owner |"),
        "{md_rows}"
    );
    assert!(!format!("{md}{top}{csv}{nd}{table}{md_rows}").contains("extra-"));
    // a name neither the catalogue nor the input knows is still an error
    let o = flowlens(&["--top", "nosuch"], input);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--top: unknown field 'nosuch'"));
}
