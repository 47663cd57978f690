//! Hostile-input bounds of the container layer: every shape turns a line, row or JSON
//! string over [`MAX_LINE`] into one bad line with its length, keeps only its head, and
//! goes on with the next one.

use super::testkit::{errors, gz, msg, run, texts, Ev};
use super::Shape;
use super::{Container, Message, Sink, Skip, MAX_LINE};

const R: &str = "2 123456789012 eni-0a1b2c3d 10.0.1.5 10.0.2.9 44308 80 6 8 1376 1764115206 1764115806 ACCEPT OK";

/// Like `testkit::run_all` with chunk sizes that keep megabyte inputs quick (1-byte
/// chunks are covered by the small inputs of the shape tests).
fn run_all(input: &[u8]) -> (Vec<Ev>, Option<Shape>) {
    let whole = run(input, input.len());
    for size in [61, 4096, 65536] {
        assert_eq!(run(input, size), whole, "chunk size {size} differs");
    }
    (whole.0, whole.1)
}

fn long_reason(what: &str, len: usize) -> String {
    format!("{what} is {len} bytes long, over the 1 MiB limit: skipped")
}

#[test]
fn an_overlong_plain_line_is_one_bad_line_and_decoding_goes_on() {
    let n = MAX_LINE + 1;
    let input = format!("{R}\n{}\n{R}\n", "x".repeat(n));
    let (evs, _) = run_all(input.as_bytes());
    assert_eq!(evs.len(), 3);
    assert_eq!(evs[0], msg(1, R, None, None));
    assert_eq!(evs[2], msg(3, R, None, None));
    let Ev::Err { line, raw, reason } = &evs[1] else {
        panic!("{:?}", evs[1])
    };
    assert_eq!((*line, reason.clone()), (2, long_reason("line", n)));
    assert_eq!(raw.len(), 160, "only the head is kept");
}

#[test]
fn exactly_the_limit_is_accepted() {
    let input = format!("{}\r\n{R}", "y".repeat(MAX_LINE - 1));
    let evs = run(input.as_bytes(), 4096).0;
    assert!(errors(&evs).is_empty());
    assert_eq!(texts(&evs).len(), 2);
}

#[test]
fn an_overlong_last_line_without_newline_is_reported() {
    let input = format!("{R}\n{}", "z".repeat(3 * MAX_LINE));
    let (evs, _) = run_all(input.as_bytes());
    assert_eq!(
        errors(&evs),
        vec![(2, long_reason("line", 3 * MAX_LINE).as_str())]
    );
}

/// Counts what a sink receives without keeping it, to measure memory held.
#[derive(Default)]
struct Count {
    msgs: u64,
    errs: Vec<(u64, String)>,
    skipped: u64,
}

impl Sink for Count {
    fn message(&mut self, _m: Message<'_>) {
        self.msgs += 1;
    }
    fn skipped(&mut self, _line: u64, _why: Skip) {
        self.skipped += 1;
    }
    fn error(&mut self, line: u64, _raw: &[u8], reason: crate::line_error::LineError) {
        self.errs.push((line, reason.to_string()));
    }
}

#[test]
fn a_gzip_bomb_of_nul_bytes_is_one_bad_line_in_bounded_memory() {
    // 16 MiB of NUL bytes compress to ~16 KiB; decoded beside good lines.
    let mut raw = format!("{R}\n").into_bytes();
    raw.extend(std::iter::repeat_n(0u8, 16 << 20));
    raw.extend(format!("\n{R}\n").as_bytes());
    let bomb = gz(&raw);
    assert!(bomb.len() < 200_000);
    let mut c = Container::new();
    let mut sink = Count::default();
    for chunk in bomb.chunks(4096) {
        c.push(chunk, &mut sink);
    }
    c.finish(&mut sink);
    assert_eq!(sink.msgs, 2);
    assert_eq!(sink.errs, vec![(2, long_reason("line", 16 << 20))]);
}

#[test]
fn an_overlong_message_line_is_one_bad_line() {
    let long = "a".repeat(MAX_LINE + 5);
    let input =
        format!("  \"message\": \"{R}\",\n  \"message\": \"{long}\",\n  \"message\": \"{R}\"\n");
    let (evs, _) = run_all(input.as_bytes());
    assert_eq!(texts(&evs), vec![R, R]);
    assert_eq!(
        errors(&evs),
        vec![(2, long_reason("line", MAX_LINE + 5 + 16).as_str())]
    );
}

#[test]
fn an_overlong_json_message_or_stream_costs_its_event_only() {
    let long = "b".repeat(MAX_LINE + 1);
    let input = format!(
        "{{\"events\": [\n{{\"timestamp\": 1, \"message\": \"{R}\"}},\n\
         {{\"timestamp\": 2, \"message\": \"{long}\"}},\n\
         {{\"timestamp\": 3, \"logStreamName\": \"{long}\", \"message\": \"{R}\"}},\n\
         {{\"timestamp\": 4, \"message\": \"{R}\", \"ignored\": \"{long}\"}}\n]}}\n"
    );
    let (evs, _) = run_all(input.as_bytes());
    assert_eq!(
        evs.iter()
            .filter_map(|e| match e {
                Ev::Msg { ts, .. } => *ts,
                _ => None,
            })
            .collect::<Vec<_>>(),
        vec![1, 4],
        "only the events without an over-long kept string"
    );
    let want = long_reason("JSON string", MAX_LINE + 1);
    assert_eq!(errors(&evs), vec![(3, want.as_str()), (4, want.as_str())]);
}

#[test]
fn huge_json_numbers_are_bounded_and_invalid_ones_still_caught() {
    let digits = "9".repeat(100_000);
    let input = format!("{{\"events\":[{{\"timestamp\": {digits}, \"message\": \"m\"}}]}}");
    let (evs, _) = run_all(input.as_bytes());
    assert_eq!(evs, vec![msg(1, "m", None, None)]);
    let input = format!("{{\"events\":[{{\"timestamp\": {digits}-, \"message\": \"m\"}}]}}");
    let evs = run(input.as_bytes(), 4096).0;
    assert_eq!(errors(&evs).len(), 1);
}
