//! Native decode throughput (no criterion: best of N runs timed with `Instant`).
//!
//!   cargo bench --bench decode                   # all cases
//!   cargo bench --bench decode -- default-1m     # cases whose name contains the word
//!
//! Inputs come from `bench-data/cases.tsv`, written by `scripts/bench-data.sh` (run
//! automatically when missing): the shared deterministic generator
//! (`$FLOWLENS_SHARED/tools/gen_flowlogs.py`, default `../shared` beside the repo).
//!
//! Output: one JSON object per line on stdout (human notes go to stderr), e.g.
//!   {"bench":"decode","impl":"native","case":"default-1m","input_bytes":…,"records":…,
//!    "errors":…,"best_s":…,"mb_s":…,"rec_s":…,"heap_bytes":…,"bytes_per_record":…}
//! MB = 10^6 bytes of input as fed to `push` (compressed bytes for .gz inputs).
//! `scripts/bench.sh` merges these with the wasm numbers into one table.
//!
//! Env: FLOWLENS_BENCH_RUNS (default 5).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use flowlens::{DecodeOptions, Decoder, Table};

const CHUNK: usize = 1 << 20;

struct Case {
    name: String,
    file: PathBuf,
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_cases(filter: &[String]) -> Vec<Case> {
    let root = repo_root();
    let tsv = root.join("bench-data/cases.tsv");
    // bench-data.sh is idempotent: it only generates what's missing.
    let status = Command::new("bash")
        .arg(root.join("scripts/bench-data.sh"))
        .current_dir(&root)
        .status()
        .expect("run scripts/bench-data.sh");
    assert!(status.success(), "scripts/bench-data.sh failed");
    let text = std::fs::read_to_string(&tsv).expect("read bench-data/cases.tsv");
    text.lines()
        .filter_map(|l| {
            let mut it = l.split('\t');
            let name = it.next()?.to_string();
            let file = root.join("bench-data").join(it.next()?);
            Some(Case { name, file })
        })
        .filter(|c| filter.is_empty() || filter.iter().any(|f| c.name.contains(f.as_str())))
        .collect()
}

fn decode(name: &str, bytes: &[u8]) -> Table {
    let mut d = Decoder::new(DecodeOptions::default());
    d.begin_file(name);
    for chunk in bytes.chunks(CHUNK) {
        d.push(chunk);
    }
    d.finish()
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn bench_decode(case: &Case, runs: usize) {
    let bytes =
        std::fs::read(&case.file).unwrap_or_else(|e| panic!("{}: {e}", case.file.display()));
    let file_name = Path::new(&case.file)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let mut best = Duration::MAX;
    let mut summary = None;
    for run in 0..runs {
        let t0 = Instant::now();
        let table = decode(&file_name, &bytes);
        let dt = t0.elapsed();
        best = best.min(dt);
        eprintln!("  {} run {}: {:.3}s", case.name, run + 1, dt.as_secs_f64());
        if summary.is_none() {
            summary = Some((table.len(), table.counts().errors, table.heap_bytes()));
        }
        drop(table); // outside the timed region
    }
    let (records, errors, heap) = summary.unwrap();
    let s = best.as_secs_f64();
    println!(
        "{{\"bench\":\"decode\",\"impl\":\"native\",\"case\":{},\"file\":{},\"input_bytes\":{},\"records\":{},\"errors\":{},\"runs\":{},\"best_s\":{:.6},\"mb_s\":{:.2},\"rec_s\":{:.0},\"heap_bytes\":{},\"bytes_per_record\":{:.2}}}",
        json_str(&case.name),
        json_str(&file_name),
        bytes.len(),
        records,
        errors,
        runs,
        s,
        bytes.len() as f64 / 1e6 / s,
        records as f64 / s,
        heap,
        heap as f64 / (records.max(1) as f64),
    );
}

// ── HOOK: query benchmarks ──────────────────────────────────────────────────────────
// Add filter / sort / group-by timings on a ~10M-row table here once src/query has a
// public API. Build the table once (e.g. decode default-1m ten times into one Decoder,
// or a dedicated `query-10m` case in scripts/bench-data.sh), then time each query
// best-of-N and print one JSON line per query in the same style:
//   {"bench":"query","impl":"native","case":"filter action=REJECT","rows":…,"best_s":…}
// scripts/bench-table.mjs prints every non-decode line in its "other benchmarks" table.
fn bench_queries(_filter: &[String], _runs: usize) {}

fn main() {
    // `cargo bench` passes `--bench`; everything not starting with `-` filters cases.
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let runs: usize = std::env::var("FLOWLENS_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
        .max(1);
    let cases = load_cases(&filter);
    if cases.is_empty() {
        eprintln!("no benchmark case matches {filter:?}");
    }
    for case in &cases {
        eprintln!("decode {} ({})", case.name, case.file.display());
        bench_decode(case, runs);
    }
    bench_queries(&filter, runs);
}
