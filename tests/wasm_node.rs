//! The wasm build in Node: `decode` and the streaming `Decoder` must agree with the
//! native core path on the same bytes, and reproduce AWS's documentation examples.
//! Run with `cargo test --target wasm32-unknown-unknown --test wasm_node`.
#![cfg(target_arch = "wasm32")]

use flowlens::output::ndjson_row;
use flowlens::query::Filter;
use flowlens::wasm;
use flowlens::{decode_bytes, DecodeOptions};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

const FIXTURES: &[(&str, &[u8])] = &[
    (
        "default-bad.log",
        include_bytes!("fixtures/default-bad.log"),
    ),
    ("v5-s3.log.gz", include_bytes!("fixtures/v5-s3.log.gz")),
    (
        "filter-log-events.json",
        include_bytes!("fixtures/filter-log-events.json"),
    ),
    ("custom.log", include_bytes!("fixtures/custom.log")),
];

const DOCS: &str = include_str!("../../shared/conformance/aws-docs-examples.json");

fn stringify(v: &JsValue) -> String {
    js_sys::JSON::stringify(v).unwrap().as_string().unwrap()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

/// The native path's records, as the JSON text JS would give for them.
fn native_records(bytes: &[u8]) -> (String, usize) {
    let t = decode_bytes(bytes, DecodeOptions::default());
    let mut s = String::from("[");
    for r in 0..t.len() {
        if r > 0 {
            s.push(',');
        }
        ndjson_row(&mut s, &t, r);
    }
    s.push(']');
    // normalise through JS so number and key formatting match
    let v = js_sys::JSON::parse(&s).unwrap();
    (stringify(&v), t.errors().len())
}

#[wasm_bindgen_test]
fn decode_agrees_with_the_native_path() {
    for (name, bytes) in FIXTURES {
        let out = wasm::decode(bytes, JsValue::UNDEFINED).unwrap();
        let (native, native_errors) = native_records(bytes);
        assert_eq!(stringify(&get(&out, "records")), native, "{name}");
        let errors = js_sys::Array::from(&get(&out, "errors"));
        assert_eq!(errors.length() as usize, native_errors, "{name}");
        for e in errors.iter() {
            assert!(get(&e, "line").as_f64().unwrap() >= 1.0);
            assert!(!get(&e, "message").as_string().unwrap().is_empty());
        }
    }
}

#[wasm_bindgen_test]
fn decode_reproduces_the_aws_documentation_examples() {
    let docs = js_sys::JSON::parse(DOCS).unwrap();
    let cases = js_sys::Array::from(&get(&docs, "cases"));
    assert!(cases.length() >= 9);
    for case in cases.iter() {
        let input = get(&case, "input").as_string().unwrap();
        let out = wasm::decode(input.as_bytes(), JsValue::UNDEFINED).unwrap();
        assert_eq!(
            stringify(&get(&out, "records")),
            stringify(&get(&case, "expected")),
            "{}",
            get(&case, "name").as_string().unwrap()
        );
    }
}

#[wasm_bindgen_test]
fn decode_takes_a_format_and_reports_a_bad_one() {
    let opts = js_sys::JSON::parse(r#"{"format": "${srcaddr} ${dstaddr} ${bytes}"}"#).unwrap();
    let out = wasm::decode(b"10.0.0.1 10.0.0.2 300\n", opts).unwrap();
    assert_eq!(
        stringify(&get(&out, "records")),
        r#"[{"srcaddr":"10.0.0.1","dstaddr":"10.0.0.2","bytes":300}]"#
    );
    let bad = js_sys::JSON::parse(r#"{"format": "srcaddr dstprt"}"#).unwrap();
    assert!(wasm::decode(b"", bad).is_err());
}

#[wasm_bindgen_test]
fn the_streaming_decoder_and_table_handle_agree_with_the_core() {
    let mut d = wasm::Decoder::new(JsValue::UNDEFINED).unwrap();
    let mut native = flowlens::Decoder::new(DecodeOptions::default());
    for (name, bytes) in FIXTURES {
        d.begin_file(name).unwrap();
        native.begin_file(name);
        for chunk in bytes.chunks(997) {
            d.push(chunk).unwrap();
            native.push(chunk);
        }
    }
    let mut table = d.finish().unwrap();
    let native = native.finish();
    assert_eq!(table.row_count(), native.len());
    assert_eq!(table.error_count() as usize, native.errors().len());
    let filter = "action = reject and dstport in (22, 3389)";
    let r = table
        .set_query(filter, "bytes:desc", JsValue::UNDEFINED)
        .unwrap_or_else(|_| panic!("setQuery threw"));
    assert_eq!(get(&r, "ok").as_bool(), Some(true));
    let want = Filter::parse(filter).unwrap().select(&native).len();
    assert_eq!(get(&r, "count").as_f64().unwrap() as usize, want);
    assert_eq!(table.view_count(), want);
    let w = table.window(0, 5, JsValue::UNDEFINED).unwrap();
    assert_eq!(
        js_sys::Array::from(&get(&w, "rows")).length() as usize,
        want.min(5)
    );
    let bad = table
        .set_query("dstprt = 22", "", JsValue::UNDEFINED)
        .unwrap_or_else(|_| panic!("setQuery threw"));
    assert_eq!(get(&bad, "ok").as_bool(), Some(false));
    let msg = get(&get(&bad, "error"), "message").as_string().unwrap();
    assert!(msg.contains("did you mean 'dstport'"), "{msg}");
}

/// Addresses of every shape, good and bad, in the srcaddr of a default-format record:
/// the kernel (with `simd128`, the vector IPv4 parser) must give what the reference
/// parser gives, value by value and error by error.
#[wasm_bindgen_test]
fn the_kernel_reads_addresses_as_the_reference_parser_does() {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut input = String::new();
    // the same addresses again as the last value of a line (a header puts srcaddr last),
    // where fewer than sixteen bytes follow the address's start: the vector load's
    // fallback
    let mut at_end = String::from(
        "version account-id interface-id dstaddr srcport dstport protocol packets bytes start end action log-status srcaddr\n",
    );
    for _ in 0..20_000 {
        let r = next();
        let tok: String = match r % 4 {
            0 | 1 => (0..4)
                .map(|k| match (r >> (8 + k * 12)) % 8 {
                    0 => format!("0{}", (r >> (k * 5)) % 100),
                    1 => format!("{}", 250 + (r >> (k * 5)) % 10),
                    _ => format!("{}", (r >> (k * 7)) % 256),
                })
                .collect::<Vec<_>>()
                .join("."),
            2 => {
                let n = 5 + (r % 13) as usize;
                (0..n)
                    .map(|i| b"0123456789..x2"[((r >> ((i * 4) % 64)) & 0xf) as usize % 14] as char)
                    .collect()
            }
            _ => [
                "2001:db8::1",
                "2600:1f18:a721:6e3c::e668",
                "::",
                "1:2:3:4:5:6:7:8",
                "2001:DB8::1",
            ][(r >> 8) as usize % 5]
                .to_string(),
        };
        input.push_str(&format!(
            "2 123456789010 eni-1235b8ca123456789 {tok} 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n"
        ));
        at_end.push_str(&format!(
            "2 123456789010 eni-1235b8ca123456789 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK {tok}\n"
        ));
    }
    for (what, text) in [("mid-line", &input), ("at the end of the line", &at_end)] {
        agree(what, text);
    }
}

/// The kernel and the reference parser give the same rows and errors for `input`.
fn agree(what: &str, input: &str) {
    let decode = |reference: bool| {
        let mut d = flowlens::Decoder::new(DecodeOptions::default());
        if reference {
            d.use_reference_parser();
        }
        d.begin_file("addresses");
        d.push(input.as_bytes());
        d.finish()
    };
    let (kernel, reference) = (decode(false), decode(true));
    assert_eq!(kernel.len(), reference.len());
    assert!(
        kernel.len() > 5_000 && kernel.errors().len() > 1_000,
        "{what}: both kinds are met"
    );
    for row in 0..kernel.len() {
        let (mut a, mut b) = (String::new(), String::new());
        ndjson_row(&mut a, &kernel, row);
        ndjson_row(&mut b, &reference, row);
        assert_eq!(a, b, "{what}: row {row}");
    }
    let errors = |t: &flowlens::Table| -> Vec<String> {
        t.errors().iter().map(|e| format!("{e:?}")).collect()
    };
    assert_eq!(errors(&kernel), errors(&reference), "{what}");
}

/// The page's parallel decode merges tables two ways: a pool worker's as bytes
/// (`Merger.append`) and the query worker's own as they are (`Merger.appendTable`).
/// Both, in any mix, give the table of one decode of the files in order.
#[wasm_bindgen_test]
fn a_merger_takes_bytes_and_tables_of_its_own_alike() {
    let file = |bytes: &[u8], name: &str| {
        let mut d = wasm::Decoder::new(JsValue::UNDEFINED).unwrap();
        d.begin_file(name).unwrap();
        d.push(bytes).unwrap();
        d.finish().unwrap()
    };
    let mut one = wasm::Decoder::new(JsValue::UNDEFINED).unwrap();
    for (name, bytes) in FIXTURES {
        one.begin_file(name).unwrap();
        one.push(bytes).unwrap();
    }
    let one = one.finish().unwrap();
    let total: usize = FIXTURES.iter().map(|(_, b)| b.len()).sum();
    for mix in 0..8u32 {
        let mut m = wasm::Merger::new();
        let mut read = 0;
        for (i, (name, bytes)) in FIXTURES.iter().enumerate() {
            let t = file(bytes, name);
            if (mix >> (i % 2)) & 1 == 1 {
                m.append_table(t);
            } else {
                m.append(&t.to_bytes()).unwrap();
            }
            read += bytes.len();
            // as the page does after the first file: room for the rest, rows unchanged
            if mix & 4 != 0 && i == 0 {
                m.expect_rest(read as f64, total as f64, 1e9);
            }
        }
        let merged = m.finish();
        assert_eq!(merged.row_count(), one.row_count(), "mix {mix}");
        assert_eq!(merged.error_count(), one.error_count(), "mix {mix}");
        // the same records, files and errors (the bytes themselves may differ: a merged
        // column keeps the width its values need, a dictionary its merge order)
        for kind in ["ndjson", "lines"] {
            assert_eq!(
                merged.export_view(kind).unwrap(),
                one.export_view(kind).unwrap(),
                "mix {mix}: {kind}"
            );
        }
        assert_eq!(
            stringify(&merged.files()),
            stringify(&one.files()),
            "mix {mix}: files"
        );
        assert_eq!(
            stringify(&merged.errors(0, 1000)),
            stringify(&one.errors(0, 1000)),
            "mix {mix}: errors"
        );
    }
}
