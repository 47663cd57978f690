//! Real-world shapes from other tools' test corpora (Elastic Beats and integrations,
//! flowlogs-reader, Vector's VRL): `tests/corpus/` holds lines re-authored in each shape
//! (`tests/corpus/SOURCES.md` names where each was seen) and `expected.json` the typed
//! values they must decode to. The inferred cases assert the fields a guess must get
//! right and that it says it is a guess.

mod common;
use common::*;
use flowlens::fields::{Family, Field};
use flowlens::{BindingInfo, Origin};
use serde_json::Value as J;
use std::path::PathBuf;

fn corpus(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn origin_name(o: &Origin) -> &'static str {
    match o {
        Origin::Header => "Header",
        Origin::Format => "Format",
        Origin::Layout => "Layout",
        Origin::Inferred => "Inferred",
        Origin::Parquet => "Parquet",
    }
}

#[test]
fn every_exact_corpus_file_decodes_to_its_expected_records_counts_and_binding() {
    let expected: J = serde_json::from_slice(&corpus("expected.json")).unwrap();
    let cases = expected["exact"].as_array().unwrap();
    assert!(cases.len() >= 7);
    for case in cases {
        let file = case["file"].as_str().unwrap();
        let t = decode(&corpus(file));
        assert!(t.errors().is_empty(), "{file}: {:?}", t.errors());
        assert_eq!(&J::Array(records(&t)), &case["records"], "{file}");
        let c = t.counts();
        for (key, got) in [
            ("skipped_header", c.skipped_header),
            ("skipped_other", c.skipped_other),
            ("skipped_blank", c.skipped_blank),
        ] {
            assert_eq!(Some(got), case[key].as_u64(), "{file}: {key}");
        }
        let bindings = &t.files()[0].bindings;
        let origins: Vec<&str> = bindings.iter().map(|b| origin_name(&b.origin)).collect();
        let want: Vec<&str> = case["origin"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_str().unwrap())
            .collect();
        assert_eq!(origins, want, "{file}");
        assert!(bindings.iter().all(|b| !b.guessed), "{file}: not a guess");
    }
}

/// The field bound at each position of the file's one binding, by name.
fn inferred_fields(file: &str) -> (Vec<Field>, BindingInfo) {
    let t = decode(&corpus(file));
    assert!(t.errors().is_empty(), "{file}: {:?}", t.errors());
    let b = t.files()[0].bindings[0].clone();
    assert_eq!(b.origin, Origin::Inferred, "{file}");
    (b.fields.clone(), b)
}

fn no_field_twice(fields: &[Field]) {
    let mut seen = std::collections::BTreeSet::new();
    for f in fields {
        assert!(
            seen.insert(f.name()),
            "{} bound twice in {fields:?}",
            f.name()
        );
    }
}

#[test]
fn ecs_fields_in_a_custom_order_are_placed_by_their_arns_and_the_ids_they_end_with() {
    // Beats' processor sample: the v7 ECS fields in an order of its own, no header
    let (fields, b) = inferred_fields("ecs-custom-order.log");
    let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
    assert_eq!(
        &names[14..21],
        &[
            "ecs-task-id",
            "ecs-task-arn",
            "ecs-task-definition-arn",
            "ecs-cluster-name",
            "ecs-cluster-arn",
            "ecs-container-instance-id",
            "ecs-container-instance-arn",
        ]
    );
    assert_eq!(&names[..3], &["version", "account-id", "interface-id"]);
    // the three ECS values with no shape are fillers: ECS fields, reported unsure
    for (i, name) in names.iter().enumerate().skip(21) {
        assert!(name.starts_with("ecs-"), "{i}: {name}");
        assert!(b.ambiguous.iter().any(|(p, _)| *p == i), "{i} unsure");
    }
    assert!(b.guessed, "a guess says it is one");
    no_field_twice(&fields);
}

#[test]
fn a_custom_transit_gateway_line_never_gets_vpc_fields_and_az_names_are_zones() {
    // Beats' processor v6 sample: AZ names (us-east-1a) rather than IDs, double spaces
    let (fields, b) = inferred_fields("tgw-custom-az-names.log");
    let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
    assert_eq!(&names[12..14], &["tgw-src-az-id", "tgw-dst-az-id"]);
    assert_eq!(
        &names[..4],
        &["resource-type", "account-id", "tgw-id", "tgw-attachment-id"]
    );
    assert!(
        fields.iter().all(|f| f.def().family != Family::Vpc),
        "no VPC-only field in a Transit Gateway log: {names:?}"
    );
    // its left-over counters are packets-lost fields
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("packets-lost-"))
            .count(),
        3,
        "{names:?}"
    );
    assert!(b.guessed);
    no_field_twice(&fields);
}

#[test]
fn a_file_with_no_flow_log_gets_one_clear_error_with_its_line() {
    // Beats' bad.log: one line of prose
    let t = decode(&corpus("not-a-flow-log.log"));
    assert_eq!(t.len(), 0);
    let e = t.errors();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].line, 1);
    assert!(
        e[0].reason.contains("is this a flow log?"),
        "{}",
        e[0].reason
    );
}

#[test]
fn an_event_timestamp_in_seconds_is_a_bad_line_that_says_what_it_looks_like() {
    // a hand-written Firehose fixture: `timestamp` in seconds where CloudWatch writes
    // milliseconds. The unit is not guessed; the error says what the value would be.
    let t = decode(&corpus("subscription-seconds.json"));
    assert_eq!(t.len(), 0);
    let e = t.errors();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].line, 1);
    assert_eq!(
        e[0].reason,
        "@timestamp 1714000060 is not a plausible time (unix milliseconds from 1973-03-03 \
         to 2100-01-01); as unix seconds it would be 2024-04-24T23:07:40Z, but CloudWatch \
         writes milliseconds"
    );
}
