//! Labels and health checks: the cost of `Table::annotate` (labels for every row and the
//! health-check classifier), a `healthcheck` filter and sentences, on the generator's
//! conversations (200k v5 records with their context files).
//!
//!   cargo bench --bench context
//!
//! Output: {"bench":"context","impl":"native","case":…,"best_s":…,"rows":…} lines, shown
//! by `npm run bench` under "Other benchmarks". Env: FLOWLENS_BENCH_RUNS (default 5).

use flowlens::context::Context;
use flowlens::query::Filter;
use flowlens::{DecodeOptions, Decoder, Table};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn data() -> (Vec<u8>, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("bench-data/conversations-200k");
    let log = dir.join("flows.log");
    if !log.exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let shared = std::env::var("FLOWLENS_SHARED")
            .map(PathBuf::from)
            .unwrap_or_else(|_| root.join("../shared"));
        let st = Command::new("python3")
            .arg(shared.join("tools/gen_flowlogs.py"))
            .args([
                "-n",
                "200000",
                "--seed",
                "5",
                "--fields",
                "v5",
                "--conversations",
            ])
            .arg("--context")
            .arg(dir.join("ctx"))
            .arg("-o")
            .arg(&log)
            .status()
            .expect("python3 runs the generator");
        assert!(st.success());
    }
    (std::fs::read(&log).unwrap(), dir.join("ctx"))
}

fn context(dir: &PathBuf) -> Context {
    let mut c = Context::default();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        c.add_file(&p.to_string_lossy(), &std::fs::read(&p).unwrap());
    }
    c
}

fn best(runs: usize, mut f: impl FnMut()) -> f64 {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn report(case: &str, s: f64, rows: usize) {
    println!(
        "{{\"bench\":\"context\",\"impl\":\"native\",\"case\":\"{case}\",\"best_s\":{s:.6},\"rows\":{rows}}}"
    );
}

fn main() {
    let runs: usize = std::env::var("FLOWLENS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let (log, ctx) = data();
    let mut d = Decoder::new(DecodeOptions::default());
    d.begin_file("flows.log");
    d.push(&log);
    let base: Table = d.finish();
    let n = base.len();
    report(
        "annotate 200k, no context",
        best(runs, || {
            let mut t = base.clone();
            t.annotate(Context::default());
        }),
        n,
    );
    report(
        "annotate 200k, with context",
        best(runs, || {
            let mut t = base.clone();
            t.annotate(context(&ctx));
        }),
        n,
    );
    let mut t = base.clone();
    t.annotate(context(&ctx));
    let f = Filter::parse("not healthcheck and interface.type = elb").unwrap();
    report(
        "filter 'not healthcheck and interface.type = elb'",
        best(runs, || {
            f.select(&t);
        }),
        n,
    );
    report(
        "10k sentences",
        best(runs, || {
            let a = t.annotations();
            for r in 0..10_000 {
                std::hint::black_box(a.sentence(&t, r));
            }
        }),
        10_000,
    );
}
