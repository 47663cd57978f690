//! Any bytes, pushed in any chunking, with or without a format: the decoder must never
//! panic, its counts must add up, and every row must render.
#![no_main]
use flowlens::{fields, DecodeOptions, Decoder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, data)) = data.split_first() else {
        return;
    };
    let chunk = 1 + (ctl as usize & 0x3f);
    let format = (ctl & 0x40 != 0).then(|| fields::DEFAULT_FORMAT.to_vec());
    let mut d = Decoder::new(DecodeOptions {
        format,
        ..DecodeOptions::default()
    });
    d.begin_file("fuzz");
    for c in data.chunks(chunk) {
        d.push(c);
        if ctl & 0x80 != 0 && c.first() == Some(&b'\n') {
            d.begin_file("next");
        }
    }
    let t = d.finish();
    assert_eq!(t.counts().records as usize, t.len());
    for r in 0..t.len() {
        let _ = t.original_line(r);
        let mut s = String::new();
        flowlens::output::ndjson_row(&mut s, &t, r);
    }
});
