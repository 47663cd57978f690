//! Any filter and sort text must parse or give an error with a position inside the text,
//! never panic, and a parsed filter must evaluate on a small table.
#![no_main]
use flowlens::query::{parse_sort, sort_rows, Filter};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static TABLE: OnceLock<flowlens::Table> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let table = TABLE.get_or_init(|| {
        flowlens::decode_bytes(
            b"2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n\
              2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA\n\
              2 123456789010 eni-2 2001:db8::1 2001:db8::2 443 34892 6 54 8855 1477913708 1477913820 REJECT OK\n",
            Default::default(),
        )
    });
    match Filter::parse(text) {
        Ok(f) => {
            let mut rows = f.select(table);
            for &r in &rows {
                assert!(f.matches(table, r as usize));
            }
            if let Ok(keys) = parse_sort(text) {
                sort_rows(table, &mut rows, &keys);
            }
        }
        Err(e) => assert!(e.start <= e.end && e.end <= text.len(), "{e:?}"),
    }
});
