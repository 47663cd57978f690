//! `flowlens`: decode flow logs from files or stdin into NDJSON, CSV, an aligned table or
//! a summary. Bad lines go to stderr as `FILE:LINE: reason`; they never stop the rest.

use clap::{Parser, ValueEnum};
use flowlens::output::{self, display_value, summarize};
use flowlens::{fields, DecodeOptions, Decoder, Table};
use std::io::{self, Read, Write};
use std::process::ExitCode;

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
}

/// Decode AWS VPC and Transit Gateway flow logs: raw lines, S3 .log.gz files, `aws logs`
/// JSON output, grep'd "message" lines, subscription payloads, CloudWatch CSV exports.
#[derive(Parser, Debug)]
#[command(name = "flowlens", version, about)]
struct Args {
    /// The fields of header-less lines, in order: the flow log's LogFormat
    /// (`${version} ${srcaddr} …`) or names separated by spaces or commas.
    #[arg(long, value_name = "FIELDS")]
    format: Option<String>,
    /// What to print.
    #[arg(long, short, value_enum, default_value = "ndjson")]
    output: Output,
    /// Exit with status 1 when any line could not be decoded.
    #[arg(long)]
    strict: bool,
    /// Input files (stdin when none or `-`); each may have its own shape and format.
    #[arg(value_name = "FILE")]
    files: Vec<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let format = match args.format.as_deref().map(fields::parse_format).transpose() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("flowlens: --format: {e}");
            return ExitCode::from(2);
        }
    };
    let table = match decode_inputs(&args.files, DecodeOptions { format }) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("flowlens: {e}");
            return ExitCode::from(2);
        }
    };
    report_errors(&table);
    let rows = 0..table.len();
    if let Err(e) = write_output(args.output, &table, rows) {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("flowlens: {e}");
            return ExitCode::from(2);
        }
    }
    if args.strict && !table.errors().is_empty() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn decode_inputs(files: &[String], options: DecodeOptions) -> io::Result<Table> {
    let mut decoder = Decoder::new(options);
    let stdin = ["-".to_string()];
    let files = if files.is_empty() { &stdin[..] } else { files };
    let mut buf = vec![0u8; 1 << 20];
    for name in files {
        let mut input: Box<dyn Read> = if name == "-" {
            Box::new(io::stdin().lock())
        } else {
            Box::new(
                std::fs::File::open(name)
                    .map_err(|e| io::Error::new(e.kind(), format!("{name}: {e}")))?,
            )
        };
        decoder.begin_file(if name == "-" { "<stdin>" } else { name });
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(io::Error::new(e.kind(), format!("{name}: {e}"))),
            };
            decoder.push(&buf[..n]);
        }
    }
    Ok(decoder.finish())
}

/// `FILE:LINE: reason` for every bad line, then one summary line.
fn report_errors(table: &Table) {
    let stderr = io::stderr();
    let mut err = io::BufWriter::new(stderr.lock());
    for e in table.errors() {
        let file = &table.files()[e.file as usize].name;
        let _ = writeln!(err, "{file}:{}: {}", e.line, e.reason);
    }
    let c = table.counts();
    let _ = writeln!(
        err,
        "flowlens: {} records, {} errors, {} skipped lines in {} file{}",
        c.records,
        c.errors,
        c.skipped(),
        table.files().len(),
        if table.files().len() == 1 { "" } else { "s" }
    );
}

fn write_output(
    kind: Output,
    table: &Table,
    rows: impl Iterator<Item = usize> + Clone,
) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match kind {
        Output::Ndjson => {
            let mut s = String::with_capacity(1 << 16);
            for r in rows {
                output::ndjson_row(&mut s, table, r);
                s.push('\n');
                if s.len() > 60_000 {
                    out.write_all(s.as_bytes())?;
                    s.clear();
                }
            }
            out.write_all(s.as_bytes())?;
        }
        Output::Csv => {
            let mut s = String::new();
            output::write_csv(&mut s, table, rows);
            out.write_all(s.as_bytes())?;
        }
        Output::Lines => {
            let mut v = Vec::new();
            output::write_lines(&mut v, table, rows);
            out.write_all(&v)?;
        }
        Output::Table => write_table(&mut out, table, rows)?,
        Output::Stats => write_stats(&mut out, table, rows)?,
    }
    out.flush()
}

fn write_table(
    out: &mut impl Write,
    table: &Table,
    rows: impl Iterator<Item = usize> + Clone,
) -> io::Result<()> {
    let fields = table.fields();
    let mut widths: Vec<usize> = fields.iter().map(|f| f.name().len()).collect();
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
            let c: String = c.chars().take(*w).collect();
            s.push_str(&format!("{c:<w$}"));
        }
        s.trim_end().to_string()
    };
    writeln!(out, "{}", line(fields.iter().map(|f| f.name().to_string()).collect()))?;
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
    rows: impl Iterator<Item = usize>,
) -> io::Result<()> {
    let s = summarize(table, rows);
    let time = |t: Option<u64>| t.map_or("-".into(), |t| output::iso_time(t as i64, 0));
    writeln!(out, "records    {}", s.records)?;
    writeln!(out, "errors     {}", s.errors)?;
    writeln!(out, "skipped    {}", s.skipped)?;
    writeln!(out, "files      {}", s.files)?;
    for f in table.files() {
        writeln!(
            out,
            "  {}: {} records, {} errors, {} skipped, {}{}, {}",
            f.name,
            f.records,
            f.errors,
            f.skipped,
            match f.shape {
                Some(sh) => format!("{sh:?}").to_lowercase(),
                None => "empty".into(),
            },
            if f.gzip { " (gzip)" } else { "" },
            f.bindings
                .iter()
                .map(|b| b.description.clone())
                .collect::<Vec<_>>()
                .join("; ")
        )?;
    }
    writeln!(out, "time span  {} .. {}", time(s.first_start), time(s.last_end))?;
    writeln!(out, "bytes      {}", s.bytes)?;
    writeln!(out, "packets    {}", s.packets)?;
    writeln!(out, "accept     {}", s.accept)?;
    writeln!(out, "reject     {}", s.reject)?;
    writeln!(out, "nodata     {}", s.nodata)?;
    writeln!(out, "skipdata   {}", s.skipdata)?;
    writeln!(
        out,
        "memory     {} bytes ({:.1} bytes/record)",
        s.table_bytes,
        s.table_bytes as f64 / s.records.max(1) as f64
    )?;
    Ok(())
}
