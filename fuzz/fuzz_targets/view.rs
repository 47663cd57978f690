//! The view state a link carries, as the Rust core receives it from the page: filter
//! text (with the page's time-window clause around it), sort text, a histogram bucket
//! size and target, and facet fields. Input fields are separated by 0xff bytes. Nothing
//! may panic, every error must point inside its text, and the histogram stays within
//! its bucket bound whatever the numbers.
#![no_main]
use flowlens::query::{self, parse_sort, sort_rows, Filter, Measure};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static TABLE: OnceLock<flowlens::Table> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0xff);
    let mut next = || std::str::from_utf8(parts.next().unwrap_or_default()).unwrap_or("");
    let (filter, sort, window, bucket, target, facet) =
        (next(), next(), next(), next(), next(), next());
    let table = TABLE.get_or_init(|| {
        flowlens::decode_bytes(
            b"2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n\
              2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA\n\
              2 123456789010 eni-2 2001:db8::1 2001:db8::2 443 34892 6 54 8855 4102444000 4102444800 REJECT OK\n\
              2 123456789010 eni-3 10.0.0.1 10.0.0.2 1 2 17 1 1 1000000000 1000000000 ACCEPT OK\n",
            Default::default(),
        )
    });
    // The page wraps the link's filter with its time window `#t=a..b`.
    let text = match window.split_once("..") {
        Some((a, b)) if !filter.trim().is_empty() => {
            format!("({filter}) and start >= {a} and start < {b}")
        }
        Some((a, b)) => format!("start >= {a} and start < {b}"),
        None => filter.to_string(),
    };
    let f = match Filter::parse(&text) {
        Ok(f) => f,
        Err(e) => {
            assert!(e.start <= e.end && e.end <= text.len(), "{e:?}");
            return;
        }
    };
    let _ = f.absent_fields(table);
    let mut rows = f.select(table);
    match parse_sort(sort) {
        Ok(keys) => sort_rows(table, &mut rows, &keys),
        Err(e) => assert!(e.start <= e.end && e.end <= sort.len(), "{e:?}"),
    }
    let size = query::parse_duration(bucket).filter(|&s| s > 0);
    let target = target.trim().parse::<usize>().unwrap_or(60);
    let h = query::histogram(table, &rows, size, target);
    assert!(
        h.records.len() as u64 <= query::MAX_BUCKETS,
        "{} buckets",
        h.records.len()
    );
    assert_eq!(
        h.records.iter().sum::<u64>(),
        rows.iter()
            .filter(|&&r| table.value(r as usize, flowlens::Field::Start) != flowlens::Value::Null)
            .count() as u64
    );
    let fields: Vec<_> = facet
        .split(',')
        .filter_map(flowlens::Field::lookup)
        .take(3)
        .collect();
    if !fields.is_empty() {
        let _ = query::top(table, &rows, &fields, Measure::Bytes, 10, None);
    }
    let _ = query::to_athena(&f, &[], "t", &table.fields());
    let _ = query::to_insights(&f, &[], &[]);
});
