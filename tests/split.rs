//! One plain-text file decoded in parts (the first part fixes the binding, the others
//! decode at once assuming it, each checked against the part before and decoded again
//! where that was wrong; `flowlens::parts`, as the page's decode workers do) is the
//! table one decode of the whole file builds: rows, values, lines, original lines,
//! errors and their lines, counts, bindings and the one file entry. The files are cut
//! at many random line boundaries, as lol-html's tests cut their input in random chunks.

mod common;
use common::*;
use flowlens::parts::{decode_in_parts, line_cuts, PartsReport};
use flowlens::{DecodeOptions, Decoder, Table};

/// Everything a user can see of a table, as text.
fn full_dump(t: &Table) -> String {
    let mut s = dump(t);
    for r in 0..t.len() {
        s.push_str(&format!("{}:{:?} ", t.row_file(r), t.row_fields(r)));
    }
    s.push_str(&serde_json::to_string(t.files()).unwrap());
    s.push_str(&format!(
        "{:?} {:?} not kept {}",
        t.fields(),
        t.extra_names(),
        t.errors_not_kept()
    ));
    s
}

fn one_go(bytes: &[u8], options: &DecodeOptions) -> Table {
    let mut d = Decoder::new(options.clone());
    d.begin_file("big.log");
    for c in bytes.chunks(7919) {
        d.push(c);
    }
    d.finish()
}

fn in_parts(bytes: &[u8], cuts: &[u64], options: &DecodeOptions) -> (Table, PartsReport) {
    let feed = |r: std::ops::Range<u64>, d: &mut Decoder| {
        // in uneven chunks, as Blob slices arrive
        for c in bytes[r.start as usize..r.end as usize].chunks(4093) {
            d.push(c);
        }
        Ok(())
    };
    decode_in_parts("big.log", bytes.len() as u64, cuts, options, 3, &feed).unwrap()
}

/// Positions just after each `\n` (where a part may start), but the end.
fn line_starts(bytes: &[u8]) -> Vec<u64> {
    bytes
        .iter()
        .enumerate()
        .filter(|(i, &b)| b == b'\n' && i + 1 < bytes.len())
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Random sorted cuts at line starts: 1 to 11 of them, of random sizes. Mostly the
/// first part is past the 64 KiB the decoder reads to tell the file's shape (as the
/// page's first part of a few MB is); else the file is decoded in one go.
fn random_cuts(rng: &mut Lcg, starts: &[u64]) -> Vec<u64> {
    let n = 1 + rng.below(11);
    let past_sniff = starts
        .partition_point(|&s| s < 70_000)
        .min(starts.len() - 1);
    let from = if rng.below(4) == 0 { 0 } else { past_sniff };
    let mut cuts: Vec<u64> = (0..n)
        .map(|_| starts[from + rng.below(starts.len() - from)])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// Fails with the first difference (the dumps are long).
fn same(got: &str, want: &str, what: &str) {
    if got == want {
        return;
    }
    let at = got
        .bytes()
        .zip(want.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    let around = |s: &str| {
        let from = s.floor_char_boundary(at.saturating_sub(300));
        let to = s.floor_char_boundary((at + 300).min(s.len()));
        s[from..to].to_string()
    };
    panic!(
        "{what}: differs at byte {at}:\n split: {}\n whole: {}",
        around(got),
        around(want)
    );
}

/// Checks the split decode of `bytes` against one decode at `rounds` random cuttings;
/// returns the reports.
fn check(
    name: &str,
    bytes: &[u8],
    options: &DecodeOptions,
    rounds: usize,
    seed: u64,
) -> Vec<PartsReport> {
    let want = full_dump(&one_go(bytes, options));
    let starts = line_starts(bytes);
    assert!(starts.len() > 20, "{name}: too few lines to cut");
    let mut rng = Lcg(seed);
    (0..rounds)
        .map(|_| {
            let cuts = random_cuts(&mut rng, &starts);
            let (t, report) = in_parts(bytes, &cuts, options);
            same(
                &full_dump(&t),
                &want,
                &format!("{name}, cut at {cuts:?} ({report:?})"),
            );
            assert_eq!(report.parts, cuts.len() + 1);
            eprintln!("{name}: {report:?}");
            report
        })
        .collect()
}

fn text(args: &[&str]) -> Vec<u8> {
    generate(args).0
}

#[test]
fn default_format_with_bad_lines_is_the_same_cut_anywhere() {
    let bytes = text(&["-n", "4000", "--bad-rate", "0.03", "--seed", "11"]);
    let reports = check("default", &bytes, &DecodeOptions::default(), 40, 1);
    assert!(
        reports
            .iter()
            .filter(|r| r.redone == 0 && !r.in_one_go)
            .count()
            > 25,
        "one layout throughout: the guesses hold, {reports:?}"
    );
}

#[test]
fn s3_header_file_with_bad_lines_is_the_same_cut_anywhere() {
    let bytes = text(&[
        "-n",
        "3000",
        "--fields",
        "v5",
        "--container",
        "s3",
        "--bad-rate",
        "0.02",
        "--seed",
        "5",
    ]);
    check("v5 s3", &bytes, &DecodeOptions::default(), 30, 2);
    // fewer kept errors than there are: the same ones are kept
    let few = DecodeOptions {
        max_kept_errors: Some(17),
        ..DecodeOptions::default()
    };
    check("v5 s3, 17 kept", &bytes, &few, 20, 3);
}

/// Two exports concatenated: the second's header changes the binding inside a part,
/// so the parts after it assumed the wrong one and are decoded again.
#[test]
fn a_header_inside_a_part_rebinds_as_in_one_decode() {
    let mut bytes = text(&[
        "-n",
        "1500",
        "--fields",
        "v5",
        "--container",
        "s3",
        "--bad-rate",
        "0.02",
    ]);
    bytes.extend(text(&[
        "-n",
        "1500",
        "--fields",
        "all",
        "--container",
        "s3",
        "--bad-rate",
        "0.02",
        "--seed",
        "9",
    ]));
    // and a header with names flowlens does not know: extra text columns
    let (extra, _) = custom_header_lines();
    bytes.extend(extra.as_bytes());
    bytes.extend(text(&[
        "-n",
        "500",
        "--fields",
        "v5",
        "--container",
        "s3",
        "--seed",
        "4",
    ]));
    let reports = check("concatenated", &bytes, &DecodeOptions::default(), 40, 4);
    assert!(reports.iter().any(|r| r.redone > 0), "{reports:?}");
}

/// A header of known and unknown names and a few records of it.
fn custom_header_lines() -> (String, usize) {
    let mut s = String::from("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status team cost-center\n");
    for i in 0..60 {
        s.push_str(&format!(
            "2 123456789012 eni-0a{i:02} 10.0.1.{i} 10.0.2.9 443 {} 6 8 1376 1764115206 1764115806 ACCEPT OK payments cc-{i}\n",
            40000 + i
        ));
    }
    (s, 61)
}

#[test]
fn unknown_header_names_carry_into_later_parts() {
    let (s, _) = custom_header_lines();
    let mut bytes = s.into_bytes();
    // the same extra names again later, after another header: the same columns
    bytes.extend(text(&[
        "-n",
        "300",
        "--fields",
        "v5",
        "--container",
        "s3",
        "--seed",
        "8",
    ]));
    let (again, _) = custom_header_lines();
    bytes.extend(again.as_bytes());
    check("extra columns", &bytes, &DecodeOptions::default(), 30, 5);
}

#[test]
fn crlf_blank_lines_and_no_final_newline() {
    let base = text(&["-n", "2000", "--bad-rate", "0.02", "--seed", "21"]);
    let mut crlf = Vec::new();
    for (i, line) in base.split(|&b| b == b'\n').enumerate() {
        crlf.extend_from_slice(line);
        crlf.extend_from_slice(b"\r\n");
        if i % 37 == 0 {
            crlf.extend_from_slice(b"\r\n   \n");
        }
    }
    while crlf.ends_with(b"\r\n") || crlf.ends_with(b"\n") || crlf.ends_with(b" ") {
        crlf.pop();
    }
    assert!(!crlf.ends_with(b"\n"));
    check("crlf", &crlf, &DecodeOptions::default(), 40, 6);
}

/// Header-less lines of two documented layouts interleaved: each field count binds on
/// its own, and the bindings carry.
#[test]
fn two_layouts_by_field_count_and_a_given_format() {
    let v2 = text(&["-n", "1200", "--seed", "31", "--bad-rate", "0.01"]);
    let v5 = text(&[
        "-n",
        "1200",
        "--seed",
        "32",
        "--fields",
        "v5",
        "--container",
        "raw",
    ]);
    let mut mixed = Vec::new();
    let (a, b): (Vec<&[u8]>, Vec<&[u8]>) = (
        v2.split(|&c| c == b'\n').collect(),
        v5.split(|&c| c == b'\n').collect(),
    );
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        if x.is_empty() || y.is_empty() {
            continue;
        }
        mixed.extend_from_slice(x);
        mixed.push(b'\n');
        if i % 5 < 2 {
            mixed.extend_from_slice(y);
            mixed.push(b'\n');
        }
        if i == 700 {
            mixed.extend_from_slice(b"this is not a record, just a remark\n");
        }
    }
    check("two layouts", &mixed, &DecodeOptions::default(), 30, 7);
    let format = DecodeOptions {
        format: Some(flowlens::fields::parse_format("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}").unwrap()),
        ..DecodeOptions::default()
    };
    check("given format", &v2, &format, 20, 8);
}

/// A cut right before and right after every bad line.
#[test]
fn bad_lines_at_part_edges() {
    let bytes = text(&["-n", "2500", "--bad-rate", "0.01", "--seed", "41"]);
    let options = DecodeOptions::default();
    let whole = one_go(&bytes, &options);
    let starts: Vec<u64> = std::iter::once(0).chain(line_starts(&bytes)).collect();
    let want = full_dump(&whole);
    assert!(whole.errors().len() > 10);
    for e in whole.errors().iter().take(12) {
        let i = (e.line - 1) as usize;
        let cuts: Vec<u64> = [starts[i], starts[i + 1]]
            .into_iter()
            .filter(|&c| c > 0)
            .collect();
        let (t, _) = in_parts(&bytes, &cuts, &options);
        same(
            &full_dump(&t),
            &want,
            &format!("bad line {} alone in a part", e.line),
        );
    }
}

/// Input no carry can hold at the first cut (a paste, JSON): decoded in one go, same table.
#[test]
fn other_shapes_are_decoded_in_one_go() {
    let json = text(&["-n", "400", "--container", "cwl-json"]);
    let cuts = vec![line_starts(&json)[10]];
    let (t, report) = in_parts(&json, &cuts, &DecodeOptions::default());
    assert!(report.in_one_go, "{report:?}");
    assert_eq!(
        full_dump(&t),
        full_dump(&one_go(&json, &DecodeOptions::default()))
    );
}

#[test]
fn line_cuts_fall_after_newlines() {
    let bytes = text(&["-n", "3000", "--seed", "51"]);
    let nl = |p: u64| Ok(memchr_after(&bytes, p));
    let cuts = line_cuts(bytes.len() as u64, 20_000, 6, nl).unwrap();
    assert_eq!(cuts.len(), 5, "{cuts:?}");
    assert!(cuts[0] >= 20_000 && cuts[0] < 20_400, "{cuts:?}");
    for c in &cuts {
        assert_eq!(bytes[*c as usize - 1], b'\n');
    }
    assert!(cuts.windows(2).all(|w| w[0] < w[1]));
    // one line longer than the parts: fewer cuts
    let long = [vec![b'x'; 5000], b"\n".to_vec(), vec![b'y'; 100]].concat();
    let nl = |p: u64| Ok(memchr_after(&long, p));
    assert_eq!(line_cuts(long.len() as u64, 10, 8, nl).unwrap(), vec![5001]);
}

fn memchr_after(bytes: &[u8], p: u64) -> Option<u64> {
    bytes[p as usize..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| p + i as u64 + 1)
}

/// `flowlens --jobs 3` on one file of more than 16 MB decodes it in parts on threads:
/// the same output, errors (with their lines) and summary as one thread.
#[test]
fn cli_jobs_split_one_large_file() {
    let mut bytes = text(&["-n", "120000", "--bad-rate", "0.005", "--seed", "61"]);
    bytes.extend(text(&[
        "-n",
        "40000",
        "--fields",
        "v5",
        "--container",
        "s3",
        "--bad-rate",
        "0.005",
        "--seed",
        "62",
    ]));
    assert!(bytes.len() > 16 << 20, "{} bytes", bytes.len());
    let dir = std::env::temp_dir().join(format!("flowlens-split-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.log");
    std::fs::write(&path, &bytes).unwrap();
    let run = |jobs: &str, output: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_flowlens"))
            .args(["--jobs", jobs, "-o", output])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (out.stdout, String::from_utf8(out.stderr).unwrap())
    };
    for output in ["ndjson", "stats"] {
        let (one_out, one_err) = run("1", output);
        let (par_out, par_err) = run("3", output);
        assert!(
            one_err.contains("big.log:"),
            "{}",
            &one_err[..one_err.len().min(300)]
        );
        assert!(par_out == one_out, "-o {output}: the outputs differ");
        assert_eq!(par_err, one_err, "-o {output}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// What moves between workers (a part's start and end, as bytes) reads back the same,
/// and damaged bytes are an error, never a panic; a continuation needs a file to
/// continue.
#[test]
fn part_states_as_bytes_and_damage() {
    use flowlens::{ContinuationError, PartEnd, PartStart};
    let bytes = text(&["-n", "3000", "--bad-rate", "0.05", "--seed", "71"]);
    let cut = line_starts(&bytes)[2000] as usize;
    let mut d = Decoder::new(DecodeOptions::default());
    d.begin_file("x.log");
    d.push(&bytes[..cut]);
    let end = d.end_part();
    let wire = end.to_bytes();
    assert_eq!(PartEnd::from_bytes(&wire).unwrap(), end);
    let splice = flowlens::parts::Splice::begin("x.log", &end).expect("a carry");
    let start = splice.start();
    assert!(
        !start.waiting.is_empty(),
        "bad lines of odd field counts wait"
    );
    let swire = start.to_bytes();
    assert_eq!(PartStart::from_bytes(&swire).unwrap(), start);
    for cut in 0..swire.len() {
        assert!(
            PartStart::from_bytes(&swire[..cut]).is_err(),
            "start cut at {cut}"
        );
    }
    for cut in 0..wire.len() {
        assert!(
            PartEnd::from_bytes(&wire[..cut]).is_err(),
            "end cut at {cut}"
        );
    }
    assert!(PartStart::from_bytes(&[swire.clone(), vec![0]].concat()).is_err());
    let mut empty = Table::default();
    let part = one_go(&bytes, &DecodeOptions::default());
    assert_eq!(
        empty.append_continuation(part.clone(), 0),
        Err(ContinuationError::NoFile)
    );
    let mut two = part.clone();
    two.append(part.clone());
    let mut base = part;
    assert_eq!(
        base.append_continuation(two, 0),
        Err(ContinuationError::NotOneFile(2))
    );
}
