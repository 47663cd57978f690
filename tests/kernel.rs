//! The decode kernel (src/kernel/) against the reference parser (src/record.rs): every
//! input, pushed in random chunk sizes, must give the same table — values, row lines,
//! original lines, errors with their text and counts — whichever decodes its lines.

mod common;
use common::*;
use flowlens::{DecodeOptions, Decoder, Table};

fn decode_with(input: &[u8], reference: bool, rng: &mut Rng) -> Table {
    let mut d = Decoder::new(DecodeOptions::default());
    if reference {
        d.use_reference_parser();
    }
    d.begin_file("input");
    let mut rest = input;
    while !rest.is_empty() {
        let n = (1 + rng.next() % 4096).min(rest.len() as u64) as usize;
        d.push(&rest[..n]);
        rest = &rest[n..];
    }
    d.finish()
}

fn assert_agree(what: &str, input: &[u8], seed: u64) {
    let mut rng = Rng(seed);
    let kernel = decode_with(input, false, &mut rng);
    let reference = decode_with(input, true, &mut rng);
    let (k, r) = (dump(&kernel), dump(&reference));
    if k != r {
        let at = k
            .lines()
            .zip(r.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{what}: kernel and reference differ at dump line {at}:\n kernel    {}\n reference {}",
            k.lines().nth(at).unwrap_or(""),
            r.lines().nth(at).unwrap_or("")
        );
    }
    assert_eq!(kernel.heap_bytes() > 0, reference.heap_bytes() > 0);
}

#[test]
fn generated_workloads_agree() {
    for (i, args) in [
        &["-n", "20000"][..],
        &["-n", "20000", "--bad-rate", "0.05", "--seed", "7"],
        &["-n", "5000", "--fields", "v5", "--container", "s3"],
        &["-n", "5000", "--fields", "all", "--bad-rate", "0.02"],
        &[
            "-n",
            "3000",
            "--container",
            "cwl-json",
            "--bad-rate",
            "0.02",
        ],
    ]
    .iter()
    .enumerate()
    {
        let (bytes, _) = generate(args);
        assert_agree(&args.join(" "), &bytes, 0x9e37_79b9 + i as u64);
    }
}

#[test]
fn the_aws_documentation_examples_agree() {
    let path = shared_dir().join("conformance/aws-docs-examples.json");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("conformance file")).unwrap();
    for (i, case) in v["cases"].as_array().unwrap().iter().enumerate() {
        let input = case["input"].as_str().unwrap();
        assert_agree(&format!("case {i}"), input.as_bytes(), 11 + i as u64);
    }
}

/// Records with values mutated at random: bad digits, leading zeros, long numbers,
/// millisecond times, odd addresses, odd separators, non-ASCII and control bytes.
#[test]
fn randomized_records_agree() {
    let (bytes, _) = generate(&["-n", "4000", "--seed", "3"]);
    let text = String::from_utf8(bytes).unwrap();
    let mutations: &[&str] = &[
        "-",
        "0",
        "00",
        "07",
        "65536",
        "256",
        "99999999999999999999",
        "18446744073709551615",
        "1234567890123456",
        "12345678901234567",
        "1e3",
        "-5",
        "1418530010000",
        "999999999",
        "4102444801",
        "10.0.0.256",
        "010.0.0.1",
        "1.2.3.4.5",
        "::",
        "2001:DB8::1",
        "2001:db8:0:0:0:0:0:1",
        "::ffff:1.2.3.4",
        "fe80::1",
        "ACCEPT",
        "REJECT",
        "accept",
        "OK",
        "NODATA",
        "SKIPDATA",
        "SKIP",
        "eni-\u{e9}",
        "a\u{1}b",
        "x\u{7f}",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:08",
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut out = String::new();
    for line in text.lines() {
        let mut toks: Vec<String> = line.split(' ').map(str::to_string).collect();
        for _ in 0..rng.next() % 3 {
            let pos = (rng.next() % toks.len() as u64) as usize;
            toks[pos] = mutations[(rng.next() % mutations.len() as u64) as usize].to_string();
        }
        let sep = match rng.next() % 20 {
            0 => "  ",
            1 => "\t",
            _ => " ",
        };
        let mut l = toks.join(sep);
        match rng.next() % 30 {
            0 => l.push(' '),
            1 => l.insert(0, ' '),
            2 => l.push_str(" extra"),
            3 => l.truncate(l.len() / 2),
            // long lines cross the index's 64-byte blocks at every offset
            4 => l = format!("{l} {}", "y".repeat((rng.next() % 200) as usize)),
            _ => {}
        }
        out.push_str(&l);
        out.push('\n');
    }
    assert_agree("randomized records", out.as_bytes(), 5);
    // the same lines under a header (a bound layout, not the default-format kernel)
    let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";
    assert_agree("under a header", format!("{header}{out}").as_bytes(), 6);
    let reordered = "log-status action end start bytes packets protocol dstport srcport dstaddr srcaddr interface-id account-id version\n";
    let flipped: String = out
        .lines()
        .map(|l| {
            let mut t: Vec<&str> = l.split(' ').collect();
            t.reverse();
            t.join(" ") + "\n"
        })
        .collect();
    assert_agree(
        "reordered layout",
        format!("{reordered}{flipped}").as_bytes(),
        8,
    );
}
