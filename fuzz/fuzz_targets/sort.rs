//! Any sort text parses or fails with a position inside it; a parsed sort never has
//! more keys than there are fields (repeats collapse), and sorting a table gives a
//! permutation of its rows ordered by the first key.
#![no_main]
use flowlens::query::{parse_sort, sort_rows};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static TABLE: OnceLock<flowlens::Table> = OnceLock::new();

fn table() -> &'static flowlens::Table {
    TABLE.get_or_init(|| {
        let mut s = String::from(
            "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n",
        );
        for i in 0..300u64 {
            let b = (i * 7919) % 1000;
            let addr = if i % 5 == 0 { format!("2001:db8::{i:x}") } else { format!("10.0.{}.{}", i % 7, i % 250) };
            if i % 11 == 0 {
                s.push_str(&format!("2 123456789010 eni-{i} - - - - - - - 1418530010 1418530070 - NODATA\n"));
            } else {
                s.push_str(&format!(
                    "2 123456789010 eni-{} {addr} 172.31.16.21 {} {} 6 {} {b} {} {} {} OK\n",
                    i % 13,
                    i * 3,
                    443 + i % 3,
                    i % 17,
                    1_418_530_010 + i % 29,
                    1_418_530_070 + i % 31,
                    if i % 2 == 0 { "ACCEPT" } else { "REJECT" },
                ));
            }
        }
        flowlens::decode_bytes(s.as_bytes(), Default::default())
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_sort(text) {
        Ok(keys) => {
            assert!(keys.len() <= flowlens::fields::FIELDS.len() + 1);
            for (i, k) in keys.iter().enumerate() {
                assert!(
                    keys[..i].iter().all(|o| o.field != k.field),
                    "repeats collapse"
                );
            }
            let t = table();
            let mut rows: Vec<u32> = (0..t.len() as u32).rev().collect();
            sort_rows(t, &mut rows, &keys);
            let mut seen = rows.clone();
            seen.sort_unstable();
            assert_eq!(
                seen,
                (0..t.len() as u32).collect::<Vec<_>>(),
                "a permutation"
            );
        }
        Err(e) => assert!(e.start <= e.end && e.end <= text.len(), "{e:?}"),
    }
});
