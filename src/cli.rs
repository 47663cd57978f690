//! `flowlens`: decode flow logs from files or stdin into NDJSON, CSV, an aligned table or
//! a summary. Bad lines go to stderr as `FILE:LINE: reason`; they never stop the rest.

use clap::{Parser, ValueEnum};
use flowlens::output::{self, display_value, summarize, Export};
use flowlens::query::{self, Filter, Measure};
use flowlens::{fields, DecodeOptions, Decoder, Table};
use std::io::{self, Read, Write};
use std::process::ExitCode;

mod report;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
enum Output {
    /// One JSON object per record, keyed by AWS field names, typed values.
    Ndjson,
    /// CSV with a header of AWS field names.
    Csv,
    /// An aligned, human-readable table (times in UTC, protocol and flag names).
    Table,
    /// Only the summary: records, errors, time span, bytes.
    Stats,
    /// The original lines, exactly as read.
    Lines,
    /// Each record as a sentence, with resource names from the context files.
    Text,
    /// A Markdown table (display values, `|` escaped), for chat and tickets.
    Markdown,
}

/// What `--top` ranks groups by.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
enum By {
    Count,
    Bytes,
    Packets,
}

/// Query languages `--emit` translates to.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
enum Emit {
    /// Athena SQL over the table AWS's Athena documentation creates.
    Athena,
    /// CloudWatch Logs Insights.
    Insights,
    /// The Athena `CREATE EXTERNAL TABLE` for the input's fields (see --athena-location).
    AthenaTable,
}

/// The S3 layouts `--emit athena-table` projects partitions over.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
enum AthenaLayout {
    /// LOCATION/AWSLogs/{account}/vpcflowlogs/{region}/yyyy/MM/dd/ (default delivery).
    Awslogs,
    /// LOCATION/AWSLogs/aws-account-id=…/aws-service=vpcflowlogs/aws-region=…/year=…/… (Hive-compatible prefixes).
    Hive,
    /// Every file directly under LOCATION (no partitions).
    Flat,
}

#[derive(Parser, Debug)]
#[command(name = "flowlens", version, about)]
struct Args {
    /// The fields of header-less lines, in order: the flow log's LogFormat
    /// (`${version} ${srcaddr} …`) or names separated by spaces or commas.
    #[arg(long, value_name = "FIELDS")]
    format: Option<String>,
    /// What to print (records: ndjson by default; --top and --histogram: aligned text by
    /// default, or ndjson / csv).
    #[arg(long, short, value_enum)]
    output: Option<Output>,
    /// Keep only the records matching EXPR, e.g. `dstport = 22 and action = reject`,
    /// `srcaddr in 10.0.0.0/8`, `tcp-flags has SYN`, `not port in (80, 443)`.
    #[arg(long, value_name = "EXPR")]
    filter: Option<String>,
    /// Sort the records: FIELD[:desc][,FIELD…], e.g. `bytes:desc,start`.
    #[arg(long, value_name = "KEYS")]
    sort: Option<String>,
    /// Print the top groups by these fields (e.g. `srcaddr` or `srcaddr,dstport`)
    /// instead of records: count, packets and bytes per group.
    #[arg(long, value_name = "FIELD[,FIELD…]")]
    top: Option<String>,
    /// What --top ranks groups by.
    #[arg(long, value_enum, default_value = "count")]
    by: By,
    /// How many groups --top prints (0: all).
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Print records, bytes, packets and rejects per time bucket (by start) instead of
    /// records; SIZE like 30s, 5m, 1h, 1d (automatic when omitted).
    #[arg(long, value_name = "SIZE", num_args = 0..=1, default_missing_value = "auto")]
    histogram: Option<String>,
    /// Print the filter and sort as an Athena SQL or CloudWatch Logs Insights query and
    /// exit (Insights uses --format, or the inputs' format, or the default format).
    #[arg(long, value_enum)]
    emit: Option<Emit>,
    /// The Athena table --emit athena queries.
    #[arg(long, value_name = "NAME", default_value = "vpc_flow_logs")]
    athena_table: String,
    /// CSV output: prefix text cells starting with = + - @ TAB or CR with `'` so a
    /// spreadsheet does not run them as formulas (on by default; `--csv-safe=false`
    /// writes every value exactly).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    csv_safe: bool,
    /// A context file (describe-network-interfaces, describe-instances, elbv2
    /// describe-load-balancers / describe-target-groups, ip-ranges.json) naming
    /// interfaces and addresses; repeatable. Context files given as FILE are recognised
    /// too. With context, NDJSON and CSV get label keys.
    #[arg(long, value_name = "FILE")]
    context: Vec<String>,
    /// Add the label keys (srcaddr.label, dstaddr.label, interface.label,
    /// interface.type, healthcheck) to NDJSON and CSV even without context files.
    #[arg(long)]
    labels: bool,
    /// Leave out load-balancer health checks (the same as `--filter 'not healthcheck'`).
    #[arg(long, alias = "no-healthchecks")]
    hide_health_checks: bool,
    /// For --emit athena-table: the S3 prefix the flow log delivers to (s3://bucket/prefix/,
    /// the part before AWSLogs/).
    #[arg(long, value_name = "S3URI")]
    athena_location: Option<String>,
    /// For --emit athena-table: how the files are laid out under --athena-location.
    #[arg(long, value_enum, default_value = "awslogs")]
    athena_layout: AthenaLayout,
    /// For --emit athena-table on data without a region field: the Regions to project.
    #[arg(long, value_name = "REGION[,REGION…]", value_delimiter = ',')]
    athena_region: Vec<String>,
    /// Exit with status 1 when any line could not be decoded.
    #[arg(long)]
    strict: bool,
    /// Decode up to N input files at once, one thread each (0: one per core); one
    /// plain-text file of 16 MB or more is decoded in parts on N threads (by default only
    /// with 3 or more cores). The result is the same table, in the same file order, as
    /// decoding them one by one.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Input files (stdin when none or `-`); each may have its own shape and format.
    #[arg(value_name = "FILE")]
    files: Vec<String>,
}

pub fn main() -> ExitCode {
    if std::env::args_os().nth(1).is_some_and(|a| a == "report") {
        return report::main();
    }
    let mut args = Args::parse();
    let format = match args.format.as_deref().map(fields::parse_format).transpose() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("flowlens: --format: {e}");
            return ExitCode::from(2);
        }
    };
    let filter_text = args.filter.clone().unwrap_or_default();
    let sort_text = args.sort.clone().unwrap_or_default();
    // A name no catalogue knows may be a header's unknown field of the input: such a
    // filter or sort is parsed again once the input is decoded (`None` until then).
    let later =
        |e: &query::QueryError| e.message.starts_with("unknown field") && !args.files.is_empty();
    let mut filter = match Filter::parse(&filter_text) {
        Ok(f) => Some(f),
        Err(e) if later(&e) => None,
        Err(e) => return query_error("filter", &filter_text, &e),
    };
    let mut sort = match query::parse_sort(&sort_text) {
        Ok(s) => Some(s),
        Err(e) if later(&e) => None,
        Err(e) => return query_error("sort", &sort_text, &e),
    };
    // a name the catalogue does not know may be a column of the input's header: looked
    // up once the input is decoded
    let mut top_fields = match args.top.as_deref().map(parse_field_list).transpose() {
        Ok(t) => t,
        Err(e) if e.starts_with("unknown field") => None,
        Err(e) => {
            eprintln!("flowlens: --top: {e}");
            return ExitCode::from(2);
        }
    };
    // `--histogram FILE`: clap took the file as the size
    let mut bucket = None;
    if let Some(h) = args.histogram.clone() {
        if h != "auto" {
            match query::parse_duration(&h) {
                Some(d) => bucket = Some(d),
                None if std::path::Path::new(&h).exists() => args.files.insert(0, h),
                None => {
                    eprintln!(
                        "flowlens: --histogram: '{h}' is not a bucket size (like 30s, 5m, 1h, 1d)"
                    );
                    return ExitCode::from(2);
                }
            }
        }
    }
    if args.emit == Some(Emit::Athena) && args.files.is_empty() {
        // no input: the table AWS documents, or the given format's fields
        let fields = format.clone().unwrap_or_default();
        let (Some(filter), Some(sort)) = (&filter, &sort) else {
            return unknown_name_error(&filter_text, &sort_text);
        };
        return emit(query::to_athena(filter, sort, &args.athena_table, &fields));
    }
    if args.emit == Some(Emit::AthenaTable) && args.athena_location.is_none() {
        eprintln!("flowlens: --emit athena-table needs --athena-location s3://BUCKET/PREFIX/ (where the flow log delivers: the part before AWSLogs/)");
        return ExitCode::from(2);
    }
    if args.emit == Some(Emit::Insights) && (format.is_some() || args.files.is_empty()) {
        let fields = format.clone().unwrap_or_default();
        let (Some(filter), Some(sort)) = (&filter, &sort) else {
            return unknown_name_error(&filter_text, &sort_text);
        };
        return emit(query::to_insights(filter, sort, &fields));
    }
    let mut context = match context_args(&args.context) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("flowlens: {e}");
            return ExitCode::from(2);
        }
    };
    let mut table = match decode_inputs_with_context(
        &mut context,
        &args.files,
        DecodeOptions {
            format,
            max_kept_errors: Some(CLI_MAX_KEPT_ERRORS),
        },
        args.jobs,
    ) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("flowlens: {e}");
            return ExitCode::from(2);
        }
    };
    let filter = match filter.take() {
        Some(f) => f,
        None => match Filter::parse_with(&filter_text, table.extra_names()) {
            Ok(f) => f,
            Err(e) => return query_error("filter", &filter_text, &e),
        },
    };
    let sort = match sort.take() {
        Some(s) => s,
        None => match query::parse_sort_with(&sort_text, table.extra_names()) {
            Ok(s) => s,
            Err(e) => return query_error("sort", &sort_text, &e),
        },
    };
    match args.emit {
        Some(kind @ (Emit::Insights | Emit::Athena)) => {
            let target = match kind {
                Emit::Insights => query::Target::Insights,
                _ => query::Target::Athena,
            };
            let name = &args.athena_table;
            return emit(query::translate_named(
                target,
                &filter,
                &sort,
                &table.fields(),
                table.extra_names(),
                name,
            ));
        }
        Some(Emit::AthenaTable) => {
            let layout = match args.athena_layout {
                AthenaLayout::Awslogs => query::Layout::AwsLogs,
                AthenaLayout::Hive => query::Layout::Hive,
                AthenaLayout::Flat => query::Layout::Flat,
            };
            return emit(query::create_table_for(
                &table,
                &args.athena_table,
                None,
                &layout,
                args.athena_location.as_deref().unwrap_or_default(),
                &args.athena_region,
            ));
        }
        None => {}
    }
    report_errors(&table);
    let absent = filter.absent_fields(&table);
    if !absent.is_empty() {
        let names: Vec<&str> = absent.iter().map(|f| table.field_name(*f)).collect();
        eprintln!(
            "flowlens: note: the input has no field {}: every test of it is false",
            names.join(", ")
        );
    }
    let with_labels = args.labels || !context.is_empty();
    for f in &context.files {
        match &f.error {
            Some(e) => eprintln!("{}:{}: context file not used: {}", f.name, e.line, e.reason),
            None => eprintln!(
                "flowlens: context {}: {} ({} items)",
                f.name, f.source, f.items
            ),
        }
    }
    // Labels and health checks cost 0.5–1.3 s per million records and need the whole
    // table (series span files): built here only when context files are given, else on
    // first use (a health-check filter, labelled output) and never for plain output.
    if !context.is_empty() {
        table.annotate(context);
    }
    if let (None, Some(text)) = (&top_fields, &args.top) {
        match parse_field_list_in(text, Some(&table)) {
            Ok(t) => top_fields = Some(t),
            Err(e) => {
                eprintln!("flowlens: --top: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let mut rows = filter.select(&table);
    if args.hide_health_checks {
        let a = table.annotations();
        rows.retain(|&r| a.health_of(r as usize).is_none());
    }
    query::sort_rows(&table, &mut rows, &sort);
    let result = if let Some(by) = top_fields {
        let order = match args.by {
            By::Count => Measure::Count,
            By::Bytes => Measure::Bytes,
            By::Packets => Measure::Packets,
        };
        let groups = query::top(&table, &rows, &by, order, args.limit, None);
        write_groups(
            args.output.unwrap_or(Output::Table),
            &table,
            &by,
            &groups,
            (order, rows.len()),
        )
    } else if args.histogram.is_some() {
        let h = query::histogram(&table, &rows, bucket, 60);
        write_histogram(args.output.unwrap_or(Output::Table), &h)
    } else {
        let output = args.output.unwrap_or(Output::Ndjson);
        write_output(
            output,
            &table,
            rows.iter().map(|r| *r as usize),
            args.csv_safe,
            with_labels,
        )
    };
    if let Err(e) = result {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("flowlens: {e}");
            return ExitCode::from(2);
        }
    }
    if args.strict && (!table.errors().is_empty() || low_confidence(&table)) {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Whether any file's fields were guessed below the confidence threshold.
fn low_confidence(table: &Table) -> bool {
    table.files().iter().any(|f| {
        f.bindings
            .iter()
            .any(|b| b.confidence < flowlens::CONFIDENCE_THRESHOLD)
    })
}

/// The error of a filter or sort naming a field that is not in the catalogue, where no
/// input can name it either (nothing is decoded).
fn unknown_name_error(filter_text: &str, sort_text: &str) -> ExitCode {
    match (Filter::parse(filter_text), query::parse_sort(sort_text)) {
        (Err(e), _) => query_error("filter", filter_text, &e),
        (_, Err(e)) => query_error("sort", sort_text, &e),
        _ => ExitCode::from(2),
    }
}

/// `flowlens: filter: <message>`, the text with a caret under the position; exit 2.
fn query_error(what: &str, text: &str, e: &query::QueryError) -> ExitCode {
    eprintln!("flowlens: {what}: {e}");
    eprintln!("  {}", query::caret_lines(text, e).replace('\n', "\n  "));
    ExitCode::from(2)
}

fn emit(q: Result<String, String>) -> ExitCode {
    match q {
        Ok(q) => {
            println!("{q}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("flowlens: --emit: cannot translate: {e}");
            ExitCode::from(2)
        }
    }
}

fn parse_field_list(text: &str) -> Result<Vec<fields::Field>, String> {
    parse_field_list_in(text, None)
}

/// Field names separated by commas; with `table`, a name the catalogue does not know may
/// be one of its extra columns (an unknown header name, kept as text).
fn parse_field_list_in(text: &str, table: Option<&Table>) -> Result<Vec<fields::Field>, String> {
    let list: Vec<fields::Field> = text
        .split([',', '+', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            fields::Field::lookup(s)
                .or_else(|| table.and_then(|t| t.extra_named(s)))
                .ok_or_else(|| format!("unknown field '{s}'"))
        })
        .collect::<Result<_, _>>()?;
    if list.is_empty() {
        return Err("name at least one field".into());
    }
    Ok(list)
}

fn write_groups(
    kind: Output,
    table: &Table,
    by: &[fields::Field],
    groups: &[query::Group],
    (measure, of): (Measure, usize),
) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match kind {
        Output::Markdown => {
            write!(
                out,
                "{}",
                output::markdown::groups_table(table, by, groups, measure, of)
            )?;
        }
        Output::Ndjson => {
            for g in groups {
                let mut s = String::from("{");
                for f in by {
                    output::json_string(&mut s, table.field_name(*f));
                    s.push(':');
                    output::json_value(&mut s, table.value(g.row as usize, *f));
                    s.push(',');
                }
                s.push_str(&format!(
                    "\"count\":{},\"packets\":{},\"bytes\":{}}}",
                    g.count, g.packets, g.bytes
                ));
                writeln!(out, "{s}")?;
            }
        }
        Output::Csv => {
            let head: Vec<&str> = by.iter().map(|f| table.field_name(*f)).collect();
            writeln!(out, "{},count,packets,bytes", head.join(","))?;
            for g in groups {
                let keys: Vec<String> = by
                    .iter()
                    .map(|f| {
                        let mut s = String::new();
                        flowlens::write_plain(&mut s, table.value(g.row as usize, *f));
                        s
                    })
                    .collect();
                writeln!(
                    out,
                    "{},{},{},{}",
                    keys.join(","),
                    g.count,
                    g.packets,
                    g.bytes
                )?;
            }
        }
        _ => {
            let mut head: Vec<String> = by
                .iter()
                .map(|f| table.field_name(*f).to_string())
                .collect();
            head.extend(["count", "packets", "bytes"].map(String::from));
            let rows: Vec<Vec<String>> = groups
                .iter()
                .map(|g| {
                    let mut r = g.keys.clone();
                    r.extend([g.count, g.packets, g.bytes].map(|n| n.to_string()));
                    r
                })
                .collect();
            let widths: Vec<usize> = (0..head.len())
                .map(|i| {
                    rows.iter()
                        .map(|r| r[i].chars().count())
                        .chain([head[i].len()])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for r in std::iter::once(&head).chain(&rows) {
                let cells: Vec<String> = r
                    .iter()
                    .zip(&widths)
                    .enumerate()
                    .map(|(i, (c, w))| {
                        if i >= by.len() {
                            format!("{c:>w$}")
                        } else {
                            format!("{c:<w$}")
                        }
                    })
                    .collect();
                writeln!(out, "{}", cells.join("  ").trim_end())?;
            }
        }
    }
    out.flush()
}

fn write_histogram(kind: Output, h: &query::Histogram) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for i in 0..h.records.len() {
        let t = output::iso_time((h.start + i as u64 * h.bucket_secs) as i64, 0);
        match kind {
            Output::Ndjson => writeln!(
                out,
                "{{\"start\":\"{t}\",\"bucket_secs\":{},\"records\":{},\"bytes\":{},\"packets\":{},\"rejects\":{}}}",
                h.bucket_secs, h.records[i], h.bytes[i], h.packets[i], h.rejects[i]
            )?,
            Output::Csv => {
                if i == 0 {
                    writeln!(out, "start,records,bytes,packets,rejects")?;
                }
                writeln!(out, "{t},{},{},{},{}", h.records[i], h.bytes[i], h.packets[i], h.rejects[i])?
            }
            _ => writeln!(
                out,
                "{t} {} {} {} {}",
                h.records[i], h.bytes[i], h.packets[i], h.rejects[i]
            )?,
        }
    }
    out.flush()
}

/// The context files of `--context` options; `Err` says which one cannot be used.
fn context_args(names: &[String]) -> Result<flowlens::context::Context, String> {
    let mut context = flowlens::context::Context::default();
    for name in names {
        let bytes = std::fs::read(name).map_err(|e| format!("--context {name}: {e}"))?;
        match context.add_file(name, &bytes) {
            Some(Ok(())) => {}
            Some(Err(e)) => return Err(format!("--context {name}: {e}")),
            None => return Err(format!(
                "--context {name}: not a context file (expected the JSON of describe-network-interfaces, describe-instances, elbv2 describe-load-balancers / describe-target-groups or ip-ranges.json)"
            )),
        }
    }
    Ok(context)
}

/// Decodes the inputs; whole files recognised as context files (by content) go to
/// `context` instead of the flow-log decoder.
fn decode_inputs_with_context(
    context: &mut flowlens::context::Context,
    files: &[String],
    options: DecodeOptions,
    jobs: usize,
) -> io::Result<Table> {
    let stdin = ["-".to_string()];
    let files = if files.is_empty() { &stdin[..] } else { files };
    // folders are read as their files (hidden and non-log names skipped, and said so)
    let (files, skipped) = flowlens::inputs::expand(files)?;
    for (name, why) in &skipped {
        eprintln!("flowlens: skipped {name}: {why}");
    }
    let files = &files[..];
    let mut logs = Vec::with_capacity(files.len());
    for name in files {
        if name == "-" || !take_context(context, name)? {
            logs.push(name.clone());
        }
    }
    let files = &logs[..];
    let (jobs, asked) = match jobs {
        0 => (
            std::thread::available_parallelism().map_or(1, |n| n.get()),
            false,
        ),
        n => (n, true),
    };
    if let [one] = files {
        // one large plain-text file: its parts on the threads. Unasked, only with three or
        // more cores: on two, the decode threads compete with the one joining the parts,
        // and it measured no faster (README, Performance), as the page does not split there.
        let split_jobs = if asked || jobs >= 3 { jobs } else { 1 };
        if let Some(table) = flowlens::inputs::decode_file_in_parts(one, &options, split_jobs)? {
            return Ok(table);
        }
    }
    let jobs = jobs.min(files.len().max(1));
    if jobs <= 1 || files.iter().any(|f| f == "-") {
        let mut decoder = Decoder::new(options);
        for name in files {
            read_into(&mut decoder, name)?;
        }
        return Ok(decoder.finish());
    }
    decode_parallel(files, &options, jobs)
}

/// Decodes each file into its own table on `jobs` threads (each takes the next file not
/// yet taken), then appends the tables in file order. Files decode independently (each
/// has its own shape and binding), so this is the table a single decoder would build.
fn decode_parallel(files: &[String], options: &DecodeOptions, jobs: usize) -> io::Result<Table> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<io::Result<Table>>>> =
        files.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(name) = files.get(i) else { break };
                let mut decoder = Decoder::new(options.clone());
                let table = read_into(&mut decoder, name).map(|()| decoder.finish());
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(table);
            });
        }
    });
    let tables = results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every file was decoded")
        })
        .collect::<io::Result<Vec<Table>>>()?;
    Ok(Table::concat(tables))
}

/// Whether the file is a context file (recognised from its first bytes, then parsed
/// whole): it is added to `context` and never reaches the flow-log decoder.
fn take_context(context: &mut flowlens::context::Context, name: &str) -> io::Result<bool> {
    let open =
        || std::fs::File::open(name).map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")));
    let mut head = Vec::new();
    open()?.take(4096).read_to_end(&mut head)?;
    if flowlens::context::sniff(&head).is_none() {
        return Ok(false);
    }
    let bytes =
        std::fs::read(name).map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?;
    Ok(context.add_file(name, &bytes).is_some())
}

/// Reads one input (a file, or stdin for `-`) into the decoder as its own file; a
/// Parquet file (`PAR1`) goes to the Parquet reader, everything else is streamed.
fn read_into(decoder: &mut Decoder, name: &str) -> io::Result<()> {
    let mut buf = vec![0u8; 1 << 20];
    flowlens::inputs::decode_input(decoder, name, &mut buf)
}

/// `FILE:LINE: reason` for every bad line, then one summary line.
/// Bad lines reported in detail on stderr; the rest are counted in the summary line.
const CLI_MAX_KEPT_ERRORS: usize = 1_000_000;

fn report_errors(table: &Table) {
    let stderr = io::stderr();
    let mut err = io::BufWriter::new(stderr.lock());
    for e in table.errors() {
        // Reasons quote the input: escape what a terminal would act on (ESC, BEL, OSC).
        let file = flowlens::terminal(&table.files()[e.file as usize].name);
        let reason = flowlens::terminal(&e.reason);
        let _ = match e.line {
            0 => writeln!(err, "{file}: {reason}"), // the file as a whole (Parquet)
            line => writeln!(err, "{file}:{line}: {reason}"),
        };
    }
    if table.errors_not_kept() > 0 {
        let _ = writeln!(
            err,
            "flowlens: {} more bad lines not listed (only the first {} are kept)",
            table.errors_not_kept(),
            table.errors().len()
        );
    }
    for f in table.files() {
        for b in f
            .bindings
            .iter()
            .filter(|b| b.origin == flowlens::Origin::Inferred)
        {
            let _ = writeln!(err, "{}: {}", f.name, describe_inference(b));
        }
        for b in f
            .bindings
            .iter()
            .filter(|b| b.origin == flowlens::Origin::Parquet)
        {
            if b.description.contains("left out") {
                let _ = writeln!(err, "{}: {}", f.name, b.description);
            }
        }
        for b in &f.bindings {
            for (_, name) in &b.extra_names {
                let _ = writeln!(
                    err,
                    "{}:{}: unknown field '{name}' kept as text",
                    f.name,
                    b.header_line.unwrap_or(0)
                );
            }
        }
        for b in f
            .bindings
            .iter()
            .filter(|b| b.confidence < flowlens::CONFIDENCE_THRESHOLD)
        {
            let names: Vec<&str> = b.fields.iter().map(|f| f.name()).collect();
            let _ = writeln!(
                err,
                "flowlens: WARNING: {}: the fields were GUESSED ({:.0}% confidence, below {:.0}%): \
                 check them, then decode exactly with --format '{}' (--strict exits 1 on a guess)",
                f.name,
                b.confidence * 100.0,
                flowlens::CONFIDENCE_THRESHOLD * 100.0,
                names.join(" ")
            );
        }
    }
    let c = table.counts();
    let _ = writeln!(
        err,
        "flowlens: {} records, {} errors, {} skipped lines{} in {} file{}",
        c.records,
        c.errors,
        c.skipped(),
        if c.skipped_other > 0 {
            format!(" ({} not records)", c.skipped_other)
        } else {
            String::new()
        },
        table.files().len(),
        if table.files().len() == 1 { "" } else { "s" }
    );
    if !c.not_records.is_empty() {
        let why: Vec<String> = c
            .not_records
            .iter()
            .map(|(reason, n)| format!("{n} × {reason}"))
            .collect();
        let _ = writeln!(err, "flowlens: not records: {}", why.join("; "));
    }
}

/// Says what an inference guessed, how sure it is, what it could not tell apart, and how
/// to override it.
fn describe_inference(b: &flowlens::BindingInfo) -> String {
    let names: Vec<&str> = b.fields.iter().map(|f| f.name()).collect();
    let mut s = format!(
        "no header and no --format: fields {} ({:.0}% confidence): {}",
        b.description,
        b.confidence * 100.0,
        names.join(" ")
    );
    if !b.ambiguous.is_empty() {
        let unsure: Vec<String> = b
            .ambiguous
            .iter()
            .map(|(pos, alts)| {
                let alts: Vec<&str> = alts.iter().map(|f| f.name()).collect();
                format!("{} ({})", pos + 1, alts.join("|"))
            })
            .collect();
        s.push_str(&format!("; unsure of positions {}", unsure.join(", ")));
    }
    s.push_str("; pass --format to override");
    s
}

fn write_output(
    kind: Output,
    table: &Table,
    rows: impl Iterator<Item = usize> + Clone,
    csv_safe: bool,
    with_labels: bool,
) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let options = output::ExportOptions {
        labels: with_labels,
        csv_safe,
    };
    match kind {
        Output::Markdown => {
            let ids: Vec<u32> = rows.map(|r| r as u32).collect();
            let md = output::markdown::rows_table(table, &ids, &table.fields(), usize::MAX);
            out.write_all(md.as_bytes())?;
        }
        Output::Table => write_table(&mut out, table, rows)?,
        Output::Stats => write_stats(&mut out, table, rows)?,
        Output::Ndjson => output::export(&mut out, table, rows, Export::Ndjson, options)?,
        Output::Csv => output::export(&mut out, table, rows, Export::Csv, options)?,
        Output::Lines => output::export(&mut out, table, rows, Export::Lines, options)?,
        Output::Text => output::export(&mut out, table, rows, Export::Text, options)?,
    }
    out.flush()
}

fn write_table(
    out: &mut impl Write,
    table: &Table,
    rows: impl Iterator<Item = usize> + Clone,
) -> io::Result<()> {
    let fields = table.fields();
    let mut widths: Vec<usize> = fields.iter().map(|f| table.field_name(*f).len()).collect();
    for r in rows.clone().take(500) {
        for (w, f) in widths.iter_mut().zip(&fields) {
            *w = (*w).max(display_value(table, r, *f).chars().count().min(48));
        }
    }
    let line = |cells: Vec<String>| {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            // a value longer than its column (widths stop at 48) is written whole and
            // pushes the rest of its row right: never cut, so the text reads back
            s.push_str(&format!("{c:<w$}"));
        }
        s.trim_end().to_string()
    };
    writeln!(
        out,
        "{}",
        line(
            fields
                .iter()
                .map(|f| table.field_name(*f).to_string())
                .collect()
        )
    )?;
    for r in rows {
        writeln!(
            out,
            "{}",
            line(fields.iter().map(|f| display_value(table, r, *f)).collect())
        )?;
    }
    Ok(())
}

fn write_stats(
    out: &mut impl Write,
    table: &Table,
    rows: impl Iterator<Item = usize> + Clone,
) -> io::Result<()> {
    let s = summarize(table, rows);
    let time = |t: Option<u64>| t.map_or("-".into(), |t| output::iso_time(t as i64, 0));
    writeln!(out, "records    {}", s.records)?;
    writeln!(out, "errors     {}", s.errors)?;
    writeln!(out, "skipped    {}", s.skipped)?;
    writeln!(out, "not record {}", s.not_records)?;
    writeln!(out, "files      {}", s.files)?;
    for f in table.files() {
        writeln!(
            out,
            "  {}: {} records, {} errors, {} skipped, {}{}, {}",
            f.name,
            f.records,
            f.errors,
            f.skipped,
            f.shape.map_or("empty", |sh| sh.name()),
            if f.gzip { " (gzip)" } else { "" },
            f.bindings
                .iter()
                .map(|b| b.description.clone())
                .collect::<Vec<_>>()
                .join("; ")
        )?;
    }
    writeln!(
        out,
        "time span  {} .. {}",
        time(s.first_start),
        time(s.last_end)
    )?;
    if let (Some(a), Some(b)) = (s.first_event_ms, s.last_event_ms) {
        let ms = |t: u64| output::iso_time((t / 1000) as i64, (t % 1000) as u16);
        writeln!(
            out,
            "event time {} .. {} (no start/end: CloudWatch event times)",
            ms(a),
            ms(b)
        )?;
    }
    // A total of a field the table does not have is "-", not 0.
    let total = |field: &str, n: u64| {
        if s.absent.contains(&field) {
            "-".to_string()
        } else {
            n.to_string()
        }
    };
    writeln!(out, "bytes      {}", total("bytes", s.bytes))?;
    writeln!(out, "packets    {}", total("packets", s.packets))?;
    writeln!(out, "accept     {}", total("action", s.accept))?;
    writeln!(out, "reject     {}", total("action", s.reject))?;
    writeln!(out, "nodata     {}", total("log-status", s.nodata))?;
    writeln!(out, "skipdata   {}", total("log-status", s.skipdata))?;
    writeln!(
        out,
        "memory     {} bytes ({:.1} bytes/record)",
        s.table_bytes,
        s.table_bytes as f64 / s.records.max(1) as f64
    )?;
    Ok(())
}
