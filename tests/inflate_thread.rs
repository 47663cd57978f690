//! The CLI inflates `.log.gz` files on a thread of its own (`container::inflate_on_thread`,
//! used by `inputs::decode_input`): the table must be exactly the one pushing the
//! compressed bytes into the decoder makes — records, original lines, errors with their
//! line numbers, counts and the file's info — for whole, multi-member and damaged gzip.
#![cfg(not(target_arch = "wasm32"))]
mod common;
use common::{dump, generate, gzip};
use flowlens::{DecodeOptions, Decoder, Table};

fn pushed(bytes: &[u8], chunk: usize) -> Table {
    let mut d = Decoder::new(DecodeOptions::default());
    d.begin_file("in.log.gz");
    for c in bytes.chunks(chunk) {
        d.push(c);
    }
    d.finish()
}

fn threaded(bytes: &[u8]) -> Table {
    let dir = std::env::temp_dir().join(format!("flowlens-inflate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("in-{}.log.gz", bytes.len()));
    std::fs::write(&path, bytes).unwrap();
    let mut d = Decoder::new(DecodeOptions::default());
    let mut buf = vec![0u8; 1 << 16];
    // the file is named as in `pushed`, so the dumps compare
    let name = path.to_str().unwrap().to_string();
    flowlens::inputs::decode_input(&mut d, &name, &mut buf).unwrap();
    let t = d.finish();
    std::fs::remove_file(&path).unwrap();
    t
}

fn same(what: &str, bytes: &[u8]) {
    let a = pushed(bytes, 1 << 16);
    let b = threaded(bytes);
    assert_eq!(dump(&a), dump(&b), "{what}: pushed vs inflated on a thread");
    let (fa, fb) = (&a.files()[0], &b.files()[0]);
    assert_eq!(
        (fa.gzip, fa.bytes, fa.shape),
        (fb.gzip, fb.bytes, fb.shape),
        "{what}: file info"
    );
    // and the push path does not depend on the chunking either
    assert_eq!(dump(&a), dump(&pushed(bytes, 997)), "{what}: chunking");
}

#[test]
fn threaded_inflate_gives_the_pushed_table() {
    let (log, _) = generate(&["-n", "30000", "--seed", "7", "--bad-rate", "0.01"]);
    let whole = gzip(&log);
    same("whole", &whole);
    // several members (`cat a.gz b.gz`), with the records split mid-line between them
    let cut = log.len() / 3 + 17;
    let multi = [gzip(&log[..cut]), gzip(&log[cut..])].concat();
    same("multi-member", &multi);
    // all fields, gzip'd S3 style
    let (s3, _) = generate(&[
        "-n",
        "5000",
        "--seed",
        "3",
        "--fields",
        "all",
        "--container",
        "s3",
    ]);
    same("s3 all fields", &gzip(&s3));
    // CloudWatch JSON inside gzip
    let (cwl, _) = generate(&["-n", "2000", "--seed", "5", "--container", "cwl-json"]);
    same("cwl json", &gzip(&cwl));
    // damage: truncated in the data, a flipped byte, a bad trailer, garbage after it
    same("truncated", &whole[..whole.len() / 2]);
    let mut flipped = whole.clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 0x55;
    same("flipped byte", &flipped);
    let mut crc = whole.clone();
    let n = crc.len();
    crc[n - 6] ^= 1;
    same("bad CRC", &crc);
    same(
        "trailing garbage",
        &[whole.clone(), b"not gzip".to_vec()].concat(),
    );
    same("zero padding", &[whole.clone(), vec![0; 512]].concat());
    same("header only", &whole[..5]);
    same("empty member", &gzip(b""));
    // highly compressed: 64 MB of one repeated record in ~100 KB (bounded pieces)
    let line = b"2 123456789012 eni-0a1b2c3d4e5f60718 10.0.1.5 10.0.2.9 443 49152 6 10 840 1764115206 1764115266 ACCEPT OK\n";
    let big: Vec<u8> = line
        .iter()
        .copied()
        .cycle()
        .take(line.len() * 600_000)
        .collect();
    same("highly compressed", &gzip(&big));
}
