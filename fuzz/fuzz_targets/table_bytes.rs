//! Any bytes read as a serialized table (what the page's workers pass each other):
//! refused with an error or read back into a table whose every row renders, never a
//! panic. Seeded inputs are best made from `Table::to_bytes` of a small decode.
#![no_main]
use flowlens::Table;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(t) = Table::from_bytes(data) else {
        return;
    };
    for r in 0..t.len() {
        let _ = t.original_line(r);
        let _ = t.row_line(r);
        let mut s = String::new();
        flowlens::output::ndjson_row(&mut s, &t, r);
    }
    let mut merged = Table::default();
    merged.append(t);
});
