//! Every record of AWS's own documentation examples, through every container shape,
//! must decode to exactly the typed values in `shared/conformance/aws-docs-examples.json`.

mod common;
use common::*;
use flowlens::DecodeOptions;
use serde_json::Value as J;

fn cases() -> Vec<J> {
    let path = shared_dir().join("conformance/aws-docs-examples.json");
    let v: J = serde_json::from_slice(&std::fs::read(&path).expect("conformance file")).unwrap();
    v["cases"].as_array().unwrap().clone()
}

/// The case's input wrapped in every container the decoder reads.
fn wrappings(input: &str) -> Vec<(&'static str, Vec<u8>)> {
    let ls = lines(input);
    let mut multi = gzip(
        ls[..ls.len() / 2]
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .as_bytes(),
    );
    multi.extend(gzip(
        ls[ls.len() / 2..]
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .as_bytes(),
    ));
    vec![
        ("raw", input.as_bytes().to_vec()),
        ("crlf-bom-no-final-newline", {
            let mut v = b"\xef\xbb\xbf".to_vec();
            v.extend(input.trim_end().replace('\n', "\r\n").as_bytes());
            v
        }),
        ("gzip", gzip(input.as_bytes())),
        ("multi-member-gzip", multi),
        ("get-log-events", get_log_events(&ls).into_bytes()),
        ("two-get-log-events-documents", {
            let half = ls.len() / 2;
            let mut s = get_log_events(&ls[..half]);
            s.push_str(&get_log_events(&ls[half..]));
            s.into_bytes()
        }),
        ("filter-log-events", filter_log_events(&ls).into_bytes()),
        (
            "filter-log-events-gzip",
            gzip(filter_log_events(&ls).as_bytes()),
        ),
        ("grepped-message-lines", grepped_messages(&ls).into_bytes()),
        ("subscription-payloads-gzip", subscription_payloads(&ls)),
        ("console-csv", console_csv(&ls).into_bytes()),
        ("insights-csv", insights_csv(&ls).into_bytes()),
        ("insights-results-json", insights_results(&ls).into_bytes()),
        ("export-to-s3-prefix", export_prefixed(&ls).into_bytes()),
    ]
}

fn strip_event_keys(mut v: J) -> J {
    if let Some(m) = v.as_object_mut() {
        m.retain(|k, _| !k.starts_with('@'));
    }
    v
}

#[test]
fn every_docs_example_decodes_exactly_in_every_container() {
    let cases = cases();
    assert!(cases.len() >= 9);
    let mut checked = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let input = case["input"].as_str().unwrap();
        let expected = case["expected"].as_array().unwrap();
        for (shape, bytes) in wrappings(input) {
            let t = decode(&bytes);
            assert!(
                t.errors().is_empty(),
                "{name} in {shape}: errors {:?}",
                t.errors()
            );
            let got: Vec<J> = records(&t).into_iter().map(strip_event_keys).collect();
            assert_eq!(&got, expected, "{name} in {shape}");
            // key order is the format's order
            let keys: Vec<&str> = case["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect();
            assert_eq!(
                t.row_fields(0).iter().map(|f| f.name()).collect::<Vec<_>>(),
                keys,
                "{name} in {shape}"
            );
            checked += got.len();
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn header_less_examples_decode_with_the_format_given() {
    for case in cases() {
        let input = case["input"].as_str().unwrap();
        let fields: Vec<&str> = case["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        let body: String = if case["has_header"].as_bool().unwrap() {
            input.lines().skip(1).map(|l| format!("{l}\n")).collect()
        } else {
            input.to_string()
        };
        let format = flowlens::fields::parse_format(
            &fields
                .iter()
                .map(|f| format!("${{{f}}}"))
                .collect::<Vec<_>>()
                .join(" "),
        )
        .unwrap();
        let t = decode_chunked(
            body.as_bytes(),
            7,
            DecodeOptions {
                format: Some(format),
                ..Default::default()
            },
        );
        assert_eq!(
            &records(&t),
            case["expected"].as_array().unwrap(),
            "{}",
            case["name"]
        );
    }
}

#[test]
fn original_lines_are_reproduced_exactly() {
    for case in cases() {
        let input = case["input"].as_str().unwrap();
        let t = decode(input.as_bytes());
        let body: Vec<&str> = input
            .lines()
            .skip(if case["has_header"].as_bool().unwrap() {
                1
            } else {
                0
            })
            .collect();
        let got: Vec<String> = (0..t.len())
            .map(|r| String::from_utf8(t.original_line(r).into_owned()).unwrap())
            .collect();
        assert_eq!(got, body, "{}", case["name"]);
    }
}
