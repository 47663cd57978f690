//! The CLI's inputs: files, folders (an `AWSLogs/…` tree, Hive-style or not) and stdin,
//! each routed to the streaming decoder or, when it starts with `PAR1`, to the
//! whole-file Parquet reader.

use crate::Decoder;
use std::io::{self, Read};
use std::path::Path;

/// Why a file found inside a folder is not decoded, or None to decode it: the same rules
/// as the page's folder drop (`www/ingest.js`), so a README or a screenshot next to the
/// logs does not become thousands of bad lines. Files named one by one are always read.
pub fn folder_skip_reason(path: &str) -> Option<&'static str> {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let lower = base.to_ascii_lowercase();
    if lower.starts_with('.') || lower == "thumbs.db" || lower == "desktop.ini" {
        return Some("a hidden or system file");
    }
    if lower == "aws-logs-write-test" {
        return Some("the permission-check file of a CloudWatch Logs export");
    }
    const DOCS: &[&str] = &[
        "readme",
        "license",
        "licence",
        "changelog",
        "changes",
        "notice",
        "copying",
        "authors",
        "manifest",
    ];
    let stem_end = lower.find(['.', '_', '-']).unwrap_or(lower.len());
    if DOCS.contains(&&lower[..stem_end]) {
        return Some("a document, not a flow log");
    }
    let Some(dot) = lower.rfind('.') else {
        return None; // CloudWatch export parts have no extension
    };
    const LOGS: &[&str] = &[
        "log", "txt", "json", "jsonl", "ndjson", "csv", "tsv", "gz", "gzip", "parquet",
    ];
    if LOGS.contains(&&lower[dot + 1..]) {
        None
    } else {
        Some("not a flow log, by its file name")
    }
}

/// A folder file left out, and why.
pub type Skipped = (String, &'static str);

/// The files to read, in order: each argument as given, a folder as its files (all
/// levels, sorted by path), `-` as stdin. Returns the files and the folder files left
/// out with the reason.
pub fn expand(args: &[String]) -> io::Result<(Vec<String>, Vec<Skipped>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for a in args {
        if a != "-" && Path::new(a).is_dir() {
            let mut found = Vec::new();
            walk(Path::new(a), &mut found)?;
            found.sort();
            for f in found {
                match folder_skip_reason(&f) {
                    Some(why) => skipped.push((f, why)),
                    None => files.push(f),
                }
            }
        } else {
            files.push(a.clone());
        }
    }
    Ok((files, skipped))
}

fn walk(dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    for e in entries {
        let e = e?;
        let path = e.path();
        let hidden = e.file_name().to_string_lossy().starts_with('.');
        if e.file_type()?.is_dir() {
            if !hidden {
                walk(&path, out)?;
            }
        } else {
            out.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// The most a plain file's columns are reserved for at once: 4 GB, the table of about
/// 13 GB of default-format lines (past it the columns grow by doubling, as before). A
/// cap, so that the reservation is one the kernel's overcommit check grants on a small
/// machine too; capacity never written takes no memory.
pub const RESERVE_AT_MOST: usize = if usize::BITS >= 64 {
    (4u64 << 30) as usize
} else {
    1 << 28
};

/// Decodes one input (`-` for stdin) into `decoder`, reading with `buf`.
/// A plain file's columns are reserved once for the rows its size holds: no copies of
/// columns grown by doubling, and no capacity of up to twice the rows.
pub fn decode_input(decoder: &mut Decoder, name: &str, buf: &mut [u8]) -> io::Result<()> {
    let with_name = |e: io::Error| io::Error::new(e.kind(), format!("{name}: {e}"));
    let shown = if name == "-" { "<stdin>" } else { name };
    let mut size = None; // a plain file's size, to reserve its columns for
    let mut input: Box<dyn Read> = if name == "-" {
        Box::new(io::stdin().lock())
    } else {
        let mut f = std::fs::File::open(name).map_err(with_name)?;
        // the first bytes say what the file is: Parquet (read footer first) or gzip
        // (inflated on a thread of its own while this one decodes); else streamed
        let mut head = [0u8; 4];
        let n = read_full(&mut f, &mut head).map_err(with_name)?;
        use std::io::Seek;
        f.rewind().map_err(with_name)?;
        #[cfg(feature = "parquet")]
        if crate::parquet::is_parquet(&head[..n]) {
            crate::parquet::decode_into(decoder, shown, f);
            return Ok(());
        }
        if head[..n].starts_with(&[0x1f, 0x8b]) {
            return decode_gzip_on_thread(decoder, shown, f).map_err(with_name);
        }
        // plain text of known size: its columns are reserved for the whole file once
        // its first lines show their length, as the page does (`Decoder::expect_file_bytes`)
        size = f.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
        Box::new(f)
    };
    decoder.begin_file(shown);
    if let Some(size) = size {
        decoder.expect_file_bytes(size, RESERVE_AT_MOST);
    }
    let mut first = true;
    loop {
        let n = match input.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(with_name(e)),
        };
        #[cfg(feature = "parquet")]
        if first && crate::parquet::is_parquet(&buf[..n]) {
            // Parquet on stdin: its footer is at the end, so it is read whole first.
            let mut all = buf[..n].to_vec();
            input.read_to_end(&mut all).map_err(with_name)?;
            crate::parquet::decode_into(decoder, shown, bytes::Bytes::from(all));
            return Ok(());
        }
        first = false;
        decoder.push(&buf[..n]);
    }
    let _ = first;
    Ok(())
}

/// Decodes a gzip stream as the input `name`: inflated on a second thread
/// (`container::inflate_on_thread`), decoded on this one; the table is the one pushing
/// the compressed bytes would make. (The CLI's `.log.gz` files; the benchmark too.)
pub fn decode_gzip_on_thread(
    decoder: &mut Decoder,
    name: &str,
    input: impl Read + Send + 'static,
) -> io::Result<()> {
    decoder.begin_inflated_file(name);
    let (pieces, thread) = crate::container::inflate_on_thread(input);
    let mut result = Ok(());
    for m in pieces {
        if let Err(e) = decoder.push_inflation(m) {
            result = Err(e);
            break;
        }
    }
    if thread.join().is_err() && result.is_ok() {
        result = Err(io::Error::other("the inflating thread failed"));
    }
    result
}

/// A plain-text file at least this big is decoded in parts on several threads
/// ([`decode_file_in_parts`]).
pub const SPLIT_MIN_BYTES: u64 = 16 << 20;

/// Decodes the plain-text file `name` in parts on `jobs` threads (see
/// [`crate::parts`]): the table a decode of the whole file builds. `None` when the file
/// is not one to split (stdin, smaller than [`SPLIT_MIN_BYTES`], gzip, Parquet): decode
/// it as usual.
pub fn decode_file_in_parts(
    name: &str,
    options: &crate::DecodeOptions,
    jobs: usize,
) -> io::Result<Option<crate::Table>> {
    use std::io::{Seek, SeekFrom};
    let with_name = |e: io::Error| io::Error::new(e.kind(), format!("{name}: {e}"));
    if name == "-" || jobs < 2 {
        return Ok(None);
    }
    let mut f = std::fs::File::open(name).map_err(with_name)?;
    let len = f.metadata().map_err(with_name)?.len();
    let mut head = [0u8; 4];
    let n = read_full(&mut f, &mut head).map_err(with_name)?;
    if len < SPLIT_MIN_BYTES || head[..n].starts_with(&[0x1f, 0x8b]) || &head[..n] == b"PAR1" {
        return Ok(None);
    }
    let mut window = vec![0u8; 64 << 10];
    let newline_after = |pos: u64| -> io::Result<Option<u64>> {
        let mut at = pos;
        f.seek(SeekFrom::Start(at))?;
        loop {
            let n = read_full(&mut f, &mut window)?;
            if n == 0 {
                return Ok(None);
            }
            if let Some(i) = memchr::memchr(b'\n', &window[..n]) {
                return Ok(Some(at + i as u64 + 1));
            }
            at += n as u64;
        }
    };
    let first = (len / (4 * jobs as u64)).clamp(1 << 20, 4 << 20);
    let cuts =
        crate::parts::line_cuts(len, first, 1 + 3 * jobs, newline_after).map_err(with_name)?;
    let feed = |range: std::ops::Range<u64>, d: &mut crate::Decoder| -> io::Result<()> {
        let mut f = std::fs::File::open(name)?;
        f.seek(SeekFrom::Start(range.start))?;
        let mut left = range.end - range.start;
        let mut buf = vec![0u8; (1 << 20).min(left as usize)];
        while left > 0 {
            let want = buf.len().min(left as usize);
            let n = read_full(&mut f, &mut buf[..want])?;
            if n == 0 {
                break;
            }
            d.push(&buf[..n]);
            left -= n as u64;
        }
        Ok(())
    };
    let (table, _) =
        crate::parts::decode_in_parts(name, len, &cuts, options, jobs, &feed).map_err(with_name)?;
    Ok(Some(table))
}

fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::folder_skip_reason as why;

    #[test]
    fn folder_files() {
        assert_eq!(why("AWSLogs/1/vpcflowlogs/a.log.parquet"), None);
        assert_eq!(why("x/000000"), None);
        assert_eq!(why("x/a.log.gz"), None);
        assert!(why("x/README.md").is_some());
        assert!(why("x/.DS_Store").is_some());
        assert!(why("x/aws-logs-write-test").is_some());
        assert!(why("x/shot.png").is_some());
    }
}
