//! Times an in-memory decode of a file: `cargo run --release --example decode_timing FILE`.
//! With `FLOWLENS_COLUMNS=1`, also prints the heap bytes per record of every column;
//! `FLOWLENS_RUNS=N` decodes N times (default 3). With `FLOWLENS_ANNOTATE=1`, also times
//! the labels and health checks of the table without context files (`Table::annotate`,
//! which the page builds after showing a fresh table).
fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let data = std::fs::read(&path).unwrap();
    let runs: usize = std::env::var("FLOWLENS_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    for _ in 0..runs {
        let t0 = std::time::Instant::now();
        let mut d = flowlens::Decoder::new(Default::default());
        d.begin_file(&path);
        for c in data.chunks(1 << 20) {
            d.push(c);
        }
        let t = d.finish();
        let s = t0.elapsed().as_secs_f64();
        println!(
            "{} rows, {} errors, {:.3} s, {:.0} MB/s, {:.1} bytes/record",
            t.len(),
            t.errors().len(),
            s,
            data.len() as f64 / s / 1e6,
            t.heap_bytes() as f64 / t.len().max(1) as f64
        );
        if std::env::var_os("FLOWLENS_COLUMNS").is_some() {
            let n = t.len().max(1) as f64;
            let mut cols = 0;
            for c in t.columns() {
                cols += c.heap_bytes();
                println!(
                    "  {:<14} {:6.2} bytes/record",
                    c.field.name(),
                    c.heap_bytes() as f64 / n
                );
            }
            println!(
                "  (rest)         {:6.2} bytes/record",
                (t.heap_bytes() - cols) as f64 / n
            );
        }
        if std::env::var_os("FLOWLENS_ANNOTATE").is_some() {
            let mut t = t;
            let t0 = std::time::Instant::now();
            t.annotate(flowlens::context::Context::default());
            println!(
                "  labels and health checks: {:.3} s",
                t0.elapsed().as_secs_f64()
            );
        }
    }
}
