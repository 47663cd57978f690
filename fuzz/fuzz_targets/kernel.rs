//! The decode kernel against the reference parser: any bytes, in any chunking, with or
//! without the default format given, must decode to the same rows, original lines and
//! errors whichever of the two decodes the lines.
#![no_main]
use flowlens::{fields, DecodeOptions, Decoder, Table};
use libfuzzer_sys::fuzz_target;

fn decode(data: &[u8], chunk: usize, format: bool, reference: bool) -> Table {
    let mut d = Decoder::new(DecodeOptions {
        format: format.then(|| fields::DEFAULT_FORMAT.to_vec()),
        ..DecodeOptions::default()
    });
    if reference {
        d.use_reference_parser();
    }
    d.begin_file("fuzz");
    for c in data.chunks(chunk) {
        d.push(c);
    }
    d.finish()
}

fn dump(t: &Table) -> String {
    let mut s = String::new();
    for r in 0..t.len() {
        flowlens::output::ndjson_row(&mut s, t, r);
        s.push_str(&format!(" @{} {:?}\n", t.row_line(r), t.original_line(r)));
    }
    for e in t.errors() {
        s.push_str(&format!("E {} {}\n", e.line, e.reason));
    }
    s.push_str(&format!("{:?}", t.counts()));
    s
}

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, data)) = data.split_first() else {
        return;
    };
    let chunk = 1 + (ctl as usize & 0x7f);
    let format = ctl & 0x80 != 0;
    let kernel = decode(data, chunk, format, false);
    let reference = decode(data, chunk, format, true);
    assert_eq!(dump(&kernel), dump(&reference));
});
