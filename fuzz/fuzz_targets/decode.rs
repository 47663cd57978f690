//! Any bytes, pushed in any chunking, with or without a format and with or without a
//! size hint (`expect_file_bytes`, right or wrong, capped or not): the decoder must never
//! panic, its counts must add up, and every row must render.
#![no_main]
use flowlens::{fields, DecodeOptions, Decoder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, data)) = data.split_first() else {
        return;
    };
    let Some((&hint, data)) = data.split_first() else {
        return;
    };
    let chunk = 1 + (ctl as usize & 0x3f);
    // hint: bit 0 on, bits 1-4 the size told (0..=2× the true one), bits 5-6 the rows
    // measured first, bit 7 a cap of 4 KB on the reservation
    let expect = |d: &mut Decoder, left: usize| {
        if hint & 1 != 0 {
            let size = left as u64 * u64::from((hint >> 1) & 0x0f) / 8;
            let max = if hint & 0x80 != 0 { 4096 } else { usize::MAX };
            d.expect_file_bytes_measuring(size, max, 1 + usize::from((hint >> 5) & 3));
        }
    };
    let format = (ctl & 0x40 != 0).then(|| fields::DEFAULT_FORMAT.to_vec());
    let mut d = Decoder::new(DecodeOptions {
        format,
        ..DecodeOptions::default()
    });
    d.begin_file("fuzz");
    expect(&mut d, data.len());
    let mut at = 0;
    for c in data.chunks(chunk) {
        d.push(c);
        at += c.len();
        if ctl & 0x80 != 0 && c.first() == Some(&b'\n') {
            d.begin_file("next");
            expect(&mut d, data.len() - at);
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
