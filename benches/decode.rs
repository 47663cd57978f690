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
//! MB = 10^6 bytes of input as fed to `push` (compressed bytes for .gz inputs, which
//! inflate on a second thread as the CLI reads them; `FLOWLENS_BENCH_ONE_THREAD=1` for
//! one thread). `scripts/bench.sh` merges these with the wasm numbers into one table.
//!
//! Query timings (filter / sort / top / histogram on a 10M-row table built from ten
//! copies of default-1m) follow as {"bench":"query","impl":"native",…} lines; see
//! `bench_queries`. `cargo bench --bench decode -- query` runs only those.
//!
//! Env: FLOWLENS_BENCH_RUNS (default 5).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use flowlens::query::{self, Filter, Measure};
use flowlens::{DecodeOptions, Decoder, Field, Table};

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
    #[cfg(feature = "parquet")]
    if flowlens::parquet::is_parquet(bytes) {
        // whole-file: the footer, then row group by row group (the copy is ~1% of it)
        flowlens::parquet::decode_into(&mut d, name, bytes::Bytes::copy_from_slice(bytes));
        return d.finish();
    }
    // (no threads in wasm32: the CLI's second thread is native only)
    #[cfg(not(target_arch = "wasm32"))]
    if bytes.starts_with(&[0x1f, 0x8b]) && std::env::var_os("FLOWLENS_BENCH_ONE_THREAD").is_none() {
        // gzip as the CLI reads it: inflated on a second thread while this one decodes
        // (`FLOWLENS_BENCH_ONE_THREAD=1` pushes the compressed bytes on one thread)
        let data: std::sync::Arc<[u8]> = bytes.into();
        flowlens::inputs::decode_gzip_on_thread(&mut d, name, std::io::Cursor::new(data))
            .expect("in memory");
        return d.finish();
    }
    d.begin_file(name);
    // a plain file's columns reserved for its size, as the CLI does (`inputs::decode_input`;
    // `FLOWLENS_BENCH_NO_RESERVE=1` grows them by doubling, as before round 11)
    #[cfg(not(target_arch = "wasm32"))] // (`inputs` is the CLI's, native only)
    if std::env::var_os("FLOWLENS_BENCH_NO_RESERVE").is_none() {
        d.expect_file_bytes(bytes.len() as u64, flowlens::inputs::RESERVE_AT_MOST);
    }
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

// ── query benchmarks ────────────────────────────────────────────────────────────────
// Filter / sort / group-by timings on a 10M-row table: default-1m decoded ten times into
// one Decoder (one `begin_file` per copy), built once outside every timed region. Each
// query is timed best-of-N (N = FLOWLENS_BENCH_RUNS; at most 3 for sorts) and printed as
//   {"bench":"query","impl":"native","case":"filter dstport = 22","rows":10000000,
//    "matched":…,"runs":…,"best_s":…,"rows_per_s":…}
// (`groups` for top, `buckets` for the histogram instead of `matched`). The same cases
// run in wasm in scripts/bench-wasm-query.mjs; scripts/bench-table.mjs prints both.
// Query cases run when no case filter is given, or when a filter word occurs in
// "query <case>" (e.g. `-- query`, `-- sort`, `-- dstport`).

/// Input copies of default-1m in the query table (10 × 1M rows).
const QUERY_COPIES: usize = 10;

/// Filters timed (`Filter::parse(text)?.select(&table)`).
const QUERY_FILTERS: &[&str] = &[
    "dstport = 22",
    "action = reject",
    "srcaddr in 10.0.0.0/8",
    "bytes > 1MB and protocol = tcp",
    "interface-id ~ 0a",
    "eni-3d26",
];
/// Sorts timed over all rows (`query::sort_rows`).
const QUERY_SORTS: &[&str] = &["bytes:desc", "start,bytes:desc"];

fn query_selected(filter: &[String], case: &str) -> bool {
    let hay = format!("query {case}");
    filter.is_empty() || filter.iter().any(|f| hay.contains(f.as_str()))
}

/// Best of `runs` timings of `f`; `prep` (untimed) makes each run's input. Returns the
/// best time and the last result.
fn best_of<I, T>(
    runs: usize,
    label: &str,
    mut prep: impl FnMut() -> I,
    mut f: impl FnMut(I) -> T,
) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for run in 0..runs {
        let input = prep();
        let t0 = Instant::now();
        let r = std::hint::black_box(f(std::hint::black_box(input)));
        let dt = t0.elapsed().as_secs_f64();
        best = best.min(dt);
        eprintln!("  {label} run {}: {:.4}s", run + 1, dt);
        out = Some(r); // the previous result drops here, outside the timed region
    }
    (best, out.expect("runs >= 1"))
}

fn query_line(case: &str, rows: usize, runs: usize, best: f64, extra: (&str, usize)) {
    println!(
        "{{\"bench\":\"query\",\"impl\":\"native\",\"case\":{},\"rows\":{},\"{}\":{},\"runs\":{},\"best_s\":{:.6},\"rows_per_s\":{:.0}}}",
        json_str(case),
        rows,
        extra.0,
        extra.1,
        runs,
        best,
        rows as f64 / best,
    );
}

fn build_query_table() -> Table {
    let root = repo_root();
    let file = root.join("bench-data/default-1m.log");
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let t0 = Instant::now();
    let mut d = Decoder::new(DecodeOptions::default());
    for copy in 0..QUERY_COPIES {
        d.begin_file(&format!("default-1m.log#{}", copy + 1));
        for chunk in bytes.chunks(CHUNK) {
            d.push(chunk);
        }
    }
    let table = d.finish();
    eprintln!(
        "query table: {} rows from {} × default-1m.log in {:.2}s ({:.0} MB held)",
        table.len(),
        QUERY_COPIES,
        t0.elapsed().as_secs_f64(),
        table.heap_bytes() as f64 / 1e6
    );
    table
}

fn bench_queries(filter: &[String], runs: usize) {
    let filter_cases: Vec<String> = QUERY_FILTERS
        .iter()
        .map(|f| format!("filter {f}"))
        .collect();
    let sort_cases: Vec<String> = QUERY_SORTS.iter().map(|s| format!("sort {s}")).collect();
    let top_cases = ["top srcaddr by bytes", "top srcaddr,dstport by count"];
    let hist_case = "histogram auto 120";
    let any = filter_cases
        .iter()
        .chain(&sort_cases)
        .map(String::as_str)
        .chain(top_cases)
        .chain([hist_case])
        .any(|c| query_selected(filter, c));
    if !any {
        return;
    }
    let table = build_query_table();
    let n = table.len();
    let all: Vec<u32> = (0..n as u32).collect();

    for (text, case) in QUERY_FILTERS.iter().zip(&filter_cases) {
        if !query_selected(filter, case) {
            continue;
        }
        let (best, rows) = best_of(
            runs,
            case,
            || Filter::parse(text).unwrap_or_else(|e| panic!("{case}: {e}")),
            |f| f.select(&table),
        );
        query_line(case, n, runs, best, ("matched", rows.len()));
    }

    let sort_runs = runs.min(3);
    for (text, case) in QUERY_SORTS.iter().zip(&sort_cases) {
        if !query_selected(filter, case) {
            continue;
        }
        let keys = query::parse_sort(text).unwrap_or_else(|e| panic!("{case}: {e}"));
        let (best, rows) = best_of(
            sort_runs,
            case,
            || all.clone(),
            |mut rows| {
                query::sort_rows(&table, &mut rows, &keys);
                rows
            },
        );
        query_line(case, n, sort_runs, best, ("matched", rows.len()));
    }

    let tops: [(&str, &[Field], Measure); 2] = [
        (top_cases[0], &[Field::SrcAddr], Measure::Bytes),
        (
            top_cases[1],
            &[Field::SrcAddr, Field::DstPort],
            Measure::Count,
        ),
    ];
    for (case, fields, measure) in tops {
        if !query_selected(filter, case) {
            continue;
        }
        let (best, groups) = best_of(
            runs,
            case,
            || (),
            |()| query::top(&table, &all, fields, measure, 10, None),
        );
        query_line(case, n, runs, best, ("groups", groups.len()));
    }

    if query_selected(filter, hist_case) {
        let (best, h) = best_of(
            runs,
            hist_case,
            || (),
            |()| query::histogram(&table, &all, None, 120),
        );
        query_line(hist_case, n, runs, best, ("buckets", h.records.len()));
    }
}

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
