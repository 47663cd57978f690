//! Times the labels and health checks of a decoded file (`Table::annotate` without
//! context files, as the page's first query builds them):
//! `cargo run --release --example annotate_timing FILE`; `FLOWLENS_RUNS=N` (default 3).
fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let data = std::fs::read(&path).unwrap();
    let runs: usize = std::env::var("FLOWLENS_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let mut d = flowlens::Decoder::new(Default::default());
    d.begin_file(&path);
    d.push(&data);
    let base = d.finish();
    for _ in 0..runs {
        let mut t = base.clone();
        let t0 = std::time::Instant::now();
        t.annotate(flowlens::context::Context::default());
        let s = t0.elapsed().as_secs_f64();
        println!("{} rows annotated in {:.3} s", t.len(), s);
    }
}
