//! `flowlens report`: writes the same self-contained report file the page's "Save as
//! report…" writes, from the command line. The app template is the single-file build
//! (`dist/flowlens.html` from `npm run build`); it is read at run time, not compiled in,
//! so building the crate never depends on the web build.

use clap::Parser;
use flowlens::query::{self, Filter};
use flowlens::report::RedactOptions;
use flowlens::report::{self, ReportOptions, REPORT_WARN_BYTES};
use flowlens::{fields, DecodeOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// Write a self-contained HTML report (the flowlens app with the records, the view and
/// a banner embedded) that opens offline from file://.
#[derive(Parser, Debug)]
#[command(name = "flowlens report", version)]
struct ReportArgs {
    /// The report file to write.
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
    /// Keep only the records matching EXPR (saved as the report's filter).
    #[arg(long, value_name = "EXPR")]
    filter: Option<String>,
    /// Sort: FIELD[:desc][,…] (saved as the report's sort).
    #[arg(long, value_name = "KEYS")]
    sort: Option<String>,
    /// Visible columns, comma-separated (default: the page's default columns).
    #[arg(long, value_name = "FIELDS")]
    columns: Option<String>,
    /// Redact before saving: all, or any of accounts (last 4 digits kept),
    /// accounts=pseudonym, ips (public addresses → documentation-range pseudonyms),
    /// tags (drop the tag fields), comma-separated.
    #[arg(long, value_name = "WHAT")]
    redact: Option<String>,
    /// The banner's title.
    #[arg(long, default_value = "")]
    title: String,
    /// The banner's note.
    #[arg(long, default_value = "")]
    note: String,
    /// The fields of header-less lines (as the main command's --format).
    #[arg(long, value_name = "FIELDS")]
    format: Option<String>,
    /// The single-file app to build on (default: $FLOWLENS_TEMPLATE, flowlens.html next
    /// to the executable, ../../dist/flowlens.html from it, ./dist/flowlens.html).
    #[arg(long, value_name = "PATH")]
    template: Option<PathBuf>,
    /// Refuse reports larger than this many bytes (default 100000000).
    #[arg(long, value_name = "BYTES")]
    max_bytes: Option<usize>,
    /// A context file (describe-network-interfaces, describe-instances, elbv2
    /// describe-load-balancers / describe-target-groups, ip-ranges.json), as the main
    /// command's; repeatable. Context files given as FILE are recognised too. The report
    /// carries the labels and health-check verdicts they give its records (redacted with
    /// the records), not the files.
    #[arg(long, value_name = "FILE")]
    context: Vec<String>,
    /// Decode up to N input files at once (0: one per core), as the main command.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Input files (stdin when none or `-`).
    #[arg(value_name = "FILE")]
    files: Vec<String>,
}

fn template_candidates(explicit: Option<PathBuf>) -> Vec<PathBuf> {
    if let Some(p) = explicit {
        return vec![p];
    }
    let mut v = Vec::new();
    if let Some(p) = std::env::var_os("FLOWLENS_TEMPLATE") {
        v.push(PathBuf::from(p));
    }
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(PathBuf::from))
    {
        v.push(dir.join("flowlens.html"));
        v.push(dir.join("../../dist/flowlens.html"));
    }
    v.push(PathBuf::from("dist/flowlens.html"));
    v
}

/// The name a report gives an input: a relative path as typed (it may say what the file
/// is: `AWSLogs/…/2025/11/26/…`), but only the file name of an absolute one, so that the
/// sender's home directory does not travel with the report.
fn shown_name(arg: &str) -> String {
    let p = std::path::Path::new(arg);
    if arg == "-" {
        "<stdin>".into()
    } else if p.is_absolute() || arg.starts_with("..") {
        p.file_name()
            .map_or_else(|| arg.to_string(), |n| n.to_string_lossy().into_owned())
    } else {
        arg.trim_start_matches("./").to_string()
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("flowlens report: {msg}");
    ExitCode::from(2)
}

/// Runs `flowlens report …` (the arguments after the program name include "report").
pub fn main() -> ExitCode {
    let args = ReportArgs::parse_from(std::env::args_os().skip(1));
    let format = match args.format.as_deref().map(fields::parse_format).transpose() {
        Ok(f) => f,
        Err(e) => return fail(format!("--format: {e}")),
    };
    let filter_text = args.filter.clone().unwrap_or_default();
    let filter = match Filter::parse(&filter_text) {
        Ok(f) => f,
        Err(e) => return super::query_error("filter", &filter_text, &e),
    };
    let sort_text = args.sort.clone().unwrap_or_default();
    let sort = match query::parse_sort(&sort_text) {
        Ok(s) => s,
        Err(e) => return super::query_error("sort", &sort_text, &e),
    };
    let columns = match args
        .columns
        .as_deref()
        .map(super::parse_field_list)
        .transpose()
    {
        Ok(c) => c.map(|c| c.iter().map(|f| f.name()).collect::<Vec<_>>()),
        Err(e) => return fail(format!("--columns: {e}")),
    };
    let redact = match RedactOptions::parse(args.redact.as_deref().unwrap_or("")) {
        Ok(r) => r,
        Err(e) => return fail(format!("--redact: {e}")),
    };
    let candidates = template_candidates(args.template.clone());
    let Some((path, template)) = candidates
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok().map(|t| (p.clone(), t)))
    else {
        let tried: Vec<String> = candidates.iter().map(|p| p.display().to_string()).collect();
        return fail(format!(
            "no app template found (tried {}): run `npm run build` to make dist/flowlens.html, or pass --template PATH",
            tried.join(", ")
        ));
    };
    if let Err(e) = report::check_template(&template) {
        return fail(format!("{}: {e}", path.display()));
    }
    let mut context = match super::context_args(&args.context) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let mut table = match super::decode_inputs_with_context(
        &mut context,
        &args.files,
        DecodeOptions {
            format,
            max_kept_errors: Some(super::CLI_MAX_KEPT_ERRORS),
        },
        args.jobs,
    ) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    super::report_errors(&table);
    for f in &context.files {
        if let Some(e) = &f.error {
            eprintln!("{}:{}: context file not used: {}", f.name, e.line, e.reason);
        }
    }
    if !context.is_empty() {
        table.annotate(context);
    }
    let mut rows = filter.select(&table);
    query::sort_rows(&table, &mut rows, &sort);
    let saved_at_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64);
    let opts = ReportOptions {
        title: args.title.clone(),
        note: args.note.clone(),
        data: "view".into(),
        redact,
        view: serde_json::json!({
            "filter": filter_text.trim(),
            "sort": sort_text.trim(),
            "columns": columns,
            "time": null,
            "local": false,
        }),
        saved_at_ms,
        max_bytes: args.max_bytes,
        // by the table's files: folders expand and context files are not among them
        file_names: table.files().iter().map(|f| shown_name(&f.name)).collect(),
    };
    let r = match report::build(&table, &rows, &template, &opts) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if let Err(e) = std::fs::write(&args.output, &r.html) {
        return fail(format!("{}: {e}", args.output.display()));
    }
    let size = r.html.len();
    eprintln!(
        "flowlens report: wrote {} ({:.1} MB, {} of {} records{})",
        args.output.display(),
        size as f64 / 1e6,
        r.meta.records,
        r.meta.loaded_records,
        if r.meta.redaction.is_empty() {
            String::new()
        } else {
            format!("; {}", r.meta.redaction)
        }
    );
    if size > REPORT_WARN_BYTES {
        eprintln!(
            "flowlens report: warning: the report is larger than {} MB; mail and chat may refuse it",
            REPORT_WARN_BYTES / 1_000_000
        );
    }
    ExitCode::SUCCESS
}
