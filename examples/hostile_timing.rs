//! Times the filters and sorts an attacker would send, on 1M rows with 1M distinct
//! interface ids (issue 9: work must follow the rows, not the attacker's text).
//!
//!   cargo run --release --example hostile_timing [ROWS]
//!
//! Prints one line per case: milliseconds and matching rows. Not a test: timings live
//! here, the tests assert bounds and counts.
use flowlens::query::{parse_sort, sort_rows, Filter};
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut s = String::with_capacity(n * 110);
    for i in 0..n {
        s.push_str(&format!(
            "2 123456789010 eni-{i:017x} 10.{}.{}.{} 172.31.16.21 {} {} 6 {} {} {} {} {} OK\n",
            i % 200,
            (i / 200) % 250,
            i % 250,
            1024 + i % 60000,
            [22, 80, 443, 3389][i % 4],
            1 + i % 90,
            40 + (i * 7919) % 100_000,
            1_764_115_200 + (i % 3600) as u64,
            1_764_115_260 + (i % 3600) as u64,
            if i % 3 == 0 { "REJECT" } else { "ACCEPT" },
        ));
    }
    let t0 = Instant::now();
    let table = flowlens::decode_bytes(s.as_bytes(), Default::default());
    println!(
        "decode {n} rows: {:.0} ms",
        t0.elapsed().as_secs_f64() * 1e3
    );
    drop(s);

    let enis: Vec<String> = (0..4000).map(|i| format!("eni-{:017x}", i * 250)).collect();
    let ports: Vec<String> = (0..4000).map(|p| (1024 + p * 13).to_string()).collect();
    let nets: Vec<String> = (0..4000)
        .map(|i| format!("10.{}.{}.0/24", i % 200, i % 250))
        .collect();
    let cases: Vec<(&str, String, String)> = vec![
        (
            "baseline dstport = 22",
            "dstport = 22".into(),
            String::new(),
        ),
        (
            "text in (4,000 ENIs)",
            format!("interface-id in ({})", enis.join(", ")),
            String::new(),
        ),
        (
            "srcport in (4,000 ports)",
            format!("srcport in ({})", ports.join(", ")),
            String::new(),
        ),
        (
            "bytes in (4,000 values)",
            format!("bytes in ({})", ports.join(", ")),
            String::new(),
        ),
        (
            "srcaddr in (4,000 CIDRs)",
            format!("srcaddr in ({})", nets.join(", ")),
            String::new(),
        ),
        (
            "100,001 × '!'",
            format!("{}dstport = 22", "!".repeat(100_001)),
            String::new(),
        ),
        (
            "1 MB unknown name",
            format!("{} = 1", "q".repeat(1 << 20)),
            String::new(),
        ),
        ("sort bytes", String::new(), "bytes".into()),
        (
            "sort 1,000 × bytes",
            String::new(),
            vec!["bytes"; 1000].join(","),
        ),
        ("sort 1 MB unknown key", String::new(), "q".repeat(1 << 20)),
    ];
    for (name, filter, sort) in cases {
        let t0 = Instant::now();
        let rows = match Filter::parse(&filter) {
            Ok(f) => {
                let mut rows = f.select(&table);
                match parse_sort(&sort) {
                    Ok(keys) => sort_rows(&table, &mut rows, &keys),
                    Err(_) => rows.clear(),
                }
                rows.len().to_string()
            }
            Err(e) => format!("error: {}", &e.message[..e.message.len().min(40)]),
        };
        println!(
            "{name:<28} {:>8.1} ms  {rows}",
            t0.elapsed().as_secs_f64() * 1e3
        );
    }
}
