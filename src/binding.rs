//! Binding fields to positions: a header line, a format the user gives, a documented
//! layout that the values' shapes agree with, or — as a last resort — a per-position
//! guess from the shapes of the first lines, reported with its confidence and the
//! positions it cannot tell apart.

use crate::fields::{documented_layouts, Field, Kind};
use crate::record::{parse_ipv4, split_fields};
use crate::table::{BindingInfo, Origin};
use Field::*;

/// Below this confidence a binding is a guess to confirm: the CLI warns with the guessed
/// format and how to pass `--format` (and `--strict` exits 1), the page's format bar asks
/// the user to confirm it. Headers, a given format and documented layouts whose values
/// fit are at or near 1; an inference reaches 0.9 only when almost every position has a
/// distinctive shape.
pub const CONFIDENCE_THRESHOLD: f32 = 0.9;

/// A header line: its fields, and the names it has that flowlens does not know, each
/// bound to an extra text column ([`crate::fields::EXTRAS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub fields: Vec<Field>,
    pub unknown: Vec<(Field, String)>,
}

/// Whether a token has the shape of a field name (`tgw-src-eni`, `pkt_src_aws_service`,
/// `${new-field}`): a lowercase letter first, then letters, digits, `-` or `_`.
pub(crate) fn name_shaped(tok: &str) -> bool {
    let t = tok
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(tok);
    let mut b = t.bytes();
    t.len() <= 40
        && b.next().is_some_and(|c| c.is_ascii_lowercase())
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
}

/// The fields named by a header line (S3 or Athena spelling), or None for any other line.
/// A line is a header when every token is name-shaped and most are known fields (at
/// least two, and more known than unknown): AWS adds fields with every version, so one
/// unknown name must not turn a whole S3 file into "no header" — it becomes an extra
/// text column instead (at most eight per header).
#[inline]
pub fn header(line: &[u8]) -> Option<Header> {
    // Fast rejection (this runs on every line): records start with a value, headers with
    // a lowercase name.
    let first = *line.iter().find(|b| **b != b' ' && **b != b'\t')?;
    if !(first.is_ascii_lowercase() || first == b'$') {
        return None;
    }
    header_slow(line)
}

#[inline(never)]
fn header_slow(line: &[u8]) -> Option<Header> {
    let text = std::str::from_utf8(line).ok()?;
    let mut fields = Vec::new();
    let mut unknown = Vec::new();
    // Unknown `@` names (Logs Insights metadata: `@log`, `@ptr`) are kept as text but
    // do not count against the known names: they are not flow log field names at all.
    let mut unknown_meta = 0;
    for tok in text.split([' ', '\t']).filter(|t| !t.is_empty()) {
        let meta = tok.strip_prefix('@').is_some_and(name_shaped);
        match Field::lookup(tok) {
            Some(f) => fields.push(f),
            None if (meta || name_shaped(tok)) && unknown.len() < crate::fields::EXTRAS.len() => {
                let extra = crate::fields::EXTRAS[unknown.len()];
                unknown.push((extra, tok.to_string()));
                fields.push(extra);
                unknown_meta += usize::from(meta);
            }
            None => return None,
        }
    }
    let known = fields.len() - unknown.len();
    // A one-word line that is a field name is still a header (rare, harmless).
    let ok = if unknown.is_empty() {
        known >= 1
    } else {
        known >= 2 && known > unknown.len() - unknown_meta
    };
    ok.then_some(Header { fields, unknown })
}

/// Whether a token has the shape of a value of `f`. `-` fits every field.
pub fn fits(f: Field, tok: &[u8]) -> bool {
    if tok == b"-" {
        return true;
    }
    let digits = !tok.is_empty() && tok.iter().all(u8::is_ascii_digit);
    match f {
        Version => digits && tok.len() <= 2 && (2..=11).contains(&atoi(tok)),
        AccountId | TgwSrcVpcAccountId | TgwDstVpcAccountId => digits && tok.len() == 12,
        InterfaceId | TgwSrcEni | TgwDstEni | NextHopInterfaceId => tok.starts_with(b"eni-"),
        VpcId | TgwSrcVpcId | TgwDstVpcId | NextHopVpcId => tok.starts_with(b"vpc-"),
        SubnetId | TgwSrcSubnetId | TgwDstSubnetId | NextHopSubnetId => tok.starts_with(b"subnet-"),
        InstanceId => tok.starts_with(b"i-"),
        TgwId => tok.starts_with(b"tgw-") && !tok.starts_with(b"tgw-attach-"),
        TgwAttachmentId | TgwPairAttachmentId => tok.starts_with(b"tgw-attach-"),
        Type => matches!(tok, b"IPv4" | b"IPv6" | b"EFA"),
        FlowDirection => matches!(tok, b"ingress" | b"egress"),
        ResourceType => tok.starts_with(b"TransitGateway"),
        Region => is_region(tok),
        // AWS writes AZ IDs; an AZ name (`us-east-1a`, seen in other tools' samples) is
        // still an Availability Zone
        AzId | TgwSrcAzId | TgwDstAzId | NextHopAzId => is_az_id(tok) || is_az_name(tok),
        EcsClusterArn | EcsContainerInstanceArn | EcsTaskDefinitionArn | EcsTaskArn => {
            ecs_arn_kind(tok) == Some(f)
        }
        _ => match f.kind() {
            Kind::UInt { .. } | Kind::Time if max_ok(f, tok) => digits,
            Kind::UInt { .. } | Kind::Time => false,
            Kind::EventTime => digits,
            Kind::Addr => is_addr(tok),
            Kind::Action => matches!(tok, b"ACCEPT" | b"REJECT"),
            Kind::LogStatus => matches!(tok, b"OK" | b"NODATA" | b"SKIPDATA"),
            Kind::Text | Kind::Tag => true,
        },
    }
}

/// How well a token fits a field, for layouts: shape checks score, they don't gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fit {
    /// The value clearly belongs to another field (an address under an ID, `vpc-…`
    /// under interface-id, a word under an integer).
    Contradicts,
    /// Plausible but unusual: an 11-digit, `xxxxxxxxxxxx` or `unknown` account id, a
    /// 9- or 11–13-digit time, a version outside 2–11.
    Loose,
    Strict,
}

/// Whether a token has the distinctive shape of some particular field's value.
fn distinctive(tok: &[u8]) -> bool {
    const PREFIXES: [&[u8]; 5] = [b"eni-", b"vpc-", b"subnet-", b"i-", b"tgw-"];
    PREFIXES.iter().any(|p| tok.starts_with(p))
        || is_addr(tok)
        || ecs_arn_kind(tok).is_some()
        || matches!(
            tok,
            b"ACCEPT" | b"REJECT" | b"OK" | b"NODATA" | b"SKIPDATA" | b"ingress" | b"egress"
        )
}

/// Scores a token against a field (see [`Fit`]). `-` fits everything.
pub fn fit(f: Field, tok: &[u8]) -> Fit {
    if fits(f, tok) {
        return Fit::Strict;
    }
    let digits = !tok.is_empty() && tok.iter().all(u8::is_ascii_digit);
    match f {
        AccountId | TgwSrcVpcAccountId | TgwDstVpcAccountId => {
            if (digits && tok.len() <= 13)
                || tok == b"unknown"
                || (tok.len() == 12 && tok.iter().all(|b| matches!(b, b'x' | b'X' | b'*')))
            {
                Fit::Loose
            } else if distinctive(tok) {
                Fit::Contradicts
            } else {
                Fit::Loose
            }
        }
        Version if digits && tok.len() <= 2 => Fit::Loose,
        _ => match f.kind() {
            Kind::Time if digits && (9..=13).contains(&tok.len()) => Fit::Loose,
            Kind::UInt { .. } | Kind::Time | Kind::Addr | Kind::Action | Kind::LogStatus => {
                Fit::Contradicts
            }
            // ID-shaped and enumerated text fields: a value of another field contradicts,
            // anything else (a new enumeration word, `unknown`) is loose
            _ if distinctive(tok) => Fit::Contradicts,
            _ => Fit::Loose,
        },
    }
}

/// Whether a line fits a layout: no text position contradicted (a typed one is caught
/// by decoding, as an error on that line), few typed contradictions and at most a
/// quarter of the positions loose. Returns the number of loose positions.
fn line_fit(layout: &[Field], toks: &[&[u8]]) -> Option<usize> {
    if layout.len() != toks.len() {
        return None;
    }
    let (mut loose, mut typed_bad) = (0usize, 0usize);
    for (f, t) in layout.iter().zip(toks) {
        match fit(*f, t) {
            Fit::Strict => {}
            Fit::Loose => loose += 1,
            Fit::Contradicts if matches!(f.kind(), Kind::Text | Kind::Tag) => return None,
            Fit::Contradicts => typed_bad += 1,
        }
    }
    // Loose values are plausible one at a time; a line mostly of them (36 copies of "7")
    // is not evidence for the layout.
    (typed_bad <= (layout.len() / 7).max(1) && loose <= layout.len().div_ceil(4)).then_some(loose)
}

fn max_ok(f: Field, tok: &[u8]) -> bool {
    match f.kind() {
        Kind::UInt { max } => tok.len() <= 20 && atoi(tok) <= max,
        Kind::Time => tok.len() == 10 || tok.len() == 13,
        _ => true,
    }
}

fn atoi(tok: &[u8]) -> u64 {
    tok.iter().take(20).fold(0u64, |v, b| {
        v.saturating_mul(10)
            .saturating_add(b.wrapping_sub(b'0') as u64)
    })
}

fn is_addr(tok: &[u8]) -> bool {
    parse_ipv4(tok).is_some()
        || (tok.contains(&b':')
            && std::str::from_utf8(tok)
                .ok()
                .and_then(|s| s.parse::<std::net::Ipv6Addr>().ok())
                .is_some())
}

/// `us-east-1`, `ap-southeast-2`, `us-gov-west-1`.
pub(crate) fn is_region(tok: &[u8]) -> bool {
    let parts: Vec<&[u8]> = tok.split(|b| *b == b'-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].iter().all(u8::is_ascii_lowercase)
        && parts[parts.len() - 1].iter().all(u8::is_ascii_digit)
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_lowercase))
}

/// `use1-az1`, `apse2-az3`, `usw2-lax1-az1`.
pub(crate) fn is_az_id(tok: &[u8]) -> bool {
    let s = match std::str::from_utf8(tok) {
        Ok(s) => s,
        Err(_) => return false,
    };
    match s.rsplit_once("-az") {
        Some((head, n)) => {
            !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && head.len() >= 4
                && head.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }
        None => false,
    }
}

/// An Availability Zone name: a region and one letter (`us-east-1a`, `eu-west-2c`).
fn is_az_name(tok: &[u8]) -> bool {
    match tok.split_last() {
        Some((last, region)) => last.is_ascii_lowercase() && is_region(region),
        None => false,
    }
}

/// The resource of an ECS ARN (`arn:aws:ecs:us-east-1:123456789012:task/c/abcd` →
/// `task/c/abcd`), in any partition (`aws`, `aws-cn`, `aws-us-gov`).
fn ecs_arn_resource(tok: &[u8]) -> Option<&[u8]> {
    let mut parts = tok.splitn(6, |b| *b == b':');
    let ok =
        parts.next()? == b"arn" && parts.next()?.starts_with(b"aws") && parts.next()? == b"ecs";
    let (_region, _account) = (parts.next()?, parts.next()?);
    ok.then(|| parts.next()).flatten()
}

/// Which ECS ARN field (version 7) a token is the value of, by its resource type:
/// `cluster/`, `container-instance/`, `task-definition/` or `task/`. ECS ARNs are the
/// one distinctive shape of the ECS fields, so an inference can place them (and the
/// names and IDs they end with, see [`Guess::ecs_names`]).
fn ecs_arn_kind(tok: &[u8]) -> Option<Field> {
    let resource = ecs_arn_resource(tok)?;
    [
        (&b"cluster/"[..], EcsClusterArn),
        (b"container-instance/", EcsContainerInstanceArn),
        (b"task-definition/", EcsTaskDefinitionArn),
        (b"task/", EcsTaskArn),
    ]
    .into_iter()
    .find(|(prefix, _)| resource.starts_with(prefix) && resource.len() > prefix.len())
    .map(|(_, f)| f)
}

/// An ECS field of version 7 (`ecs-cluster-arn` … `ecs-task-id`).
fn is_ecs(f: Field) -> bool {
    f.name().starts_with("ecs-")
}

/// The last `/` segment of an ARN: the cluster name of a cluster ARN, the ID of a
/// container instance or task ARN.
fn arn_last_segment(tok: &[u8]) -> &[u8] {
    tok.rsplit(|b| *b == b'/').next().unwrap_or(tok)
}

/// How many sample lines fit the layout, and their loose positions in all.
fn layout_fit(layout: &[Field], samples: &[&[u8]]) -> (usize, usize) {
    let mut spans = Vec::new();
    let (mut lines, mut loose) = (0, 0);
    for line in samples {
        split_fields(line, &mut spans);
        let toks: Vec<&[u8]> = spans
            .iter()
            .map(|&(s, e)| &line[s as usize..e as usize])
            .collect();
        if let Some(l) = line_fit(layout, &toks) {
            lines += 1;
            loose += l;
        }
    }
    (lines, loose)
}

/// Binds a line to a documented layout when its field count matches and its values do
/// not contradict it: the fast path that needs no buffering.
pub fn documented_layout_for(line: &[u8]) -> Option<BindingInfo> {
    let mut spans = Vec::new();
    split_fields(line, &mut spans);
    documented_layouts()
        .into_iter()
        .filter(|(_, l)| l.len() == spans.len())
        .find_map(|(name, fields)| {
            let (ok, loose) = layout_fit(&fields, &[line]);
            (ok == 1).then(|| {
                let n = fields.len() as f32;
                layout_info(name, fields, 1.0 - 0.02 * loose as f32 / n)
            })
        })
}

fn layout_info(name: &str, fields: Vec<Field>, confidence: f32) -> BindingInfo {
    BindingInfo {
        fields,
        origin: Origin::Layout,
        header_line: None,
        description: name.to_string(),
        confidence,
        ambiguous: Vec::new(),
        guessed: false,
        extra_names: Vec::new(),
    }
}

/// Infers a binding from sample lines (the first lines of a header-less input with no
/// format given). None when the lines give nothing to go on.
pub fn infer(samples: &[&[u8]]) -> Option<BindingInfo> {
    if samples.is_empty() {
        return None;
    }
    // The most common field count is the record's.
    let mut spans = Vec::new();
    // (ties of the maximum are broken by the count itself, so the map's order never shows)
    let mut counts = rustc_hash::FxHashMap::<usize, usize>::default();
    for l in samples {
        split_fields(l, &mut spans);
        *counts.entry(spans.len()).or_default() += 1;
    }
    let (&n, _) = counts.iter().max_by_key(|(n, c)| (**c, **n))?;
    if n < 2 {
        return None;
    }
    let lines: Vec<Vec<&[u8]>> = samples
        .iter()
        .filter_map(|l| {
            split_fields(l, &mut spans);
            (spans.len() == n).then(|| {
                spans
                    .iter()
                    .map(|&(s, e)| &l[s as usize..e as usize])
                    .collect()
            })
        })
        .collect();
    let refs: Vec<&[u8]> = samples.to_vec();
    for (name, layout) in documented_layouts() {
        if layout.len() == n {
            let (fit, _) = layout_fit(&layout, &refs);
            if fit * 10 >= lines.len() * 9 {
                return Some(layout_info(name, layout, fit as f32 / lines.len() as f32));
            }
        }
    }
    guess_positions(n, &lines)
}

/// Whether two positions hold the same value on at least half of the lines.
fn mostly_equal(lines: &[Vec<&[u8]>], a: usize, b: usize) -> bool {
    lines.iter().filter(|l| l[a] == l[b]).count() * 2 >= lines.len()
}

/// Per-position statistics over the sample.
#[derive(Default, Clone)]
struct PosStats {
    seen: usize,
    ints: usize,
    min: u64,
    max: u64,
    sum: f64,
    /// Up to 64 distinct values (only tested for membership).
    distinct: rustc_hash::FxHashSet<u64>,
}

/// What the inference has decided so far, position by position, as its phases run.
struct Guess {
    /// The field chosen for each position.
    fields: Vec<Option<Field>>,
    /// Positions chosen by a distinctive shape (or a plausible start/end pair).
    sure: Vec<bool>,
    /// Positions filled with a spare text field (nothing pointed at them).
    filler: Vec<bool>,
    /// Positions it cannot tell apart from others, with the alternatives.
    ambiguous: Vec<(usize, Vec<Field>)>,
    /// Positions bound by shape or time.
    certain: usize,
    /// Positions bound by integer statistics.
    guessed: usize,
    /// Positions left to a filler.
    unknown: usize,
}

/// The shapes phase 1 looks for, in order of appearance: IDs, enumerations, addresses.
/// A record with a Transit Gateway id is a Transit Gateway flow log: its ENIs, VPCs,
/// subnets and AZs are the tgw-src-/tgw-dst- fields, not the VPC ones.
fn distinctive_shapes(tgw: bool) -> &'static [&'static [Field]] {
    const VPC: &[&[Field]] = &[
        &[InterfaceId, NextHopInterfaceId],
        &[VpcId, NextHopVpcId],
        &[SubnetId, NextHopSubnetId],
        &[InstanceId],
        &[TgwAttachmentId, TgwPairAttachmentId],
        &[TgwId],
        &[EcsClusterArn],
        &[EcsContainerInstanceArn],
        &[EcsTaskDefinitionArn],
        &[EcsTaskArn],
        &[AccountId],
        &[Action],
        &[LogStatus],
        &[Type],
        &[FlowDirection],
        &[Region],
        &[AzId, NextHopAzId],
        &[ResourceType],
        &[SrcAddr, DstAddr, PktSrcAddr, PktDstAddr],
    ];
    const TGW: &[&[Field]] = &[
        &[TgwSrcEni, TgwDstEni],
        &[TgwSrcVpcId, TgwDstVpcId],
        &[TgwSrcSubnetId, TgwDstSubnetId],
        &[TgwAttachmentId, TgwPairAttachmentId],
        &[TgwId],
        &[AccountId, TgwSrcVpcAccountId, TgwDstVpcAccountId],
        &[Action],
        &[LogStatus],
        &[Type],
        &[FlowDirection],
        &[Region],
        &[TgwSrcAzId, TgwDstAzId],
        &[ResourceType],
        &[SrcAddr, DstAddr, PktSrcAddr, PktDstAddr],
    ];
    if tgw {
        TGW
    } else {
        VPC
    }
}

/// The integer statistics of the positions not yet bound.
fn position_stats(lines: &[Vec<&[u8]>], fields: &[Option<Field>]) -> Vec<PosStats> {
    let mut stats = vec![PosStats::default(); fields.len()];
    for (i, st) in stats.iter_mut().enumerate() {
        st.min = u64::MAX;
        if fields[i].is_some() {
            continue;
        }
        for t in lines.iter().map(|l| l[i]).filter(|t| *t != b"-") {
            st.seen += 1;
            if !t.is_empty() && t.len() <= 19 && t.iter().all(u8::is_ascii_digit) {
                let v = atoi(t);
                st.ints += 1;
                st.min = st.min.min(v);
                st.max = st.max.max(v);
                st.sum += v as f64;
                if st.distinct.len() < 64 {
                    st.distinct.insert(v);
                }
            }
        }
    }
    stats
}

/// Every value of the position is an integer.
fn is_int(st: &PosStats) -> bool {
    st.seen > 0 && st.ints == st.seen
}

impl Guess {
    fn new(n: usize) -> Guess {
        Guess {
            fields: vec![None; n],
            sure: vec![false; n],
            filler: vec![false; n],
            ambiguous: Vec::new(),
            certain: 0,
            guessed: 0,
            unknown: 0,
        }
    }

    fn free(&self, i: usize) -> bool {
        self.fields[i].is_none()
    }

    /// Phase 1: Distinctive shapes: each group's fields go to the positions all of whose
    /// values fit the group, in order; equal neighbouring addresses are a field and its
    /// pkt- twin.
    fn shapes(&mut self, lines: &[Vec<&[u8]>]) {
        let tgw = lines
            .iter()
            .any(|l| l.iter().any(|t| t.starts_with(b"tgw-")));
        for group in distinctive_shapes(tgw) {
            let mut next = group.iter();
            for i in 0..self.fields.len() {
                if !self.free(i) {
                    continue;
                }
                let vals: Vec<&[u8]> = lines.iter().map(|l| l[i]).filter(|t| *t != b"-").collect();
                if vals.is_empty() || !vals.iter().all(|t| fits(group[0], t)) {
                    continue;
                }
                match next.next() {
                    Some(f) => {
                        self.fields[i] = Some(*f);
                        self.sure[i] = true;
                        self.certain += 1;
                    }
                    None => break,
                }
            }
        }
        let addrs: Vec<usize> = (0..self.fields.len())
            .filter(|i| {
                matches!(
                    self.fields[*i],
                    Some(SrcAddr | PktSrcAddr | DstAddr | PktDstAddr)
                )
            })
            .collect();
        if addrs.len() == 4
            && mostly_equal(lines, addrs[0], addrs[1])
            && mostly_equal(lines, addrs[2], addrs[3])
        {
            // srcaddr is usually pkt-srcaddr: equal neighbours are a field and its pkt- twin
            for (&i, f) in addrs.iter().zip([SrcAddr, PktSrcAddr, DstAddr, PktDstAddr]) {
                self.fields[i] = Some(f);
            }
        }
        if addrs.len() > 2 {
            for &i in &addrs {
                self.ambiguous
                    .push((i, vec![SrcAddr, DstAddr, PktSrcAddr, PktDstAddr]));
            }
        }
    }

    /// Phase 2a: Times: 10-digit seconds of this century, or 13-digit milliseconds; end ≥ start.
    fn times(&mut self, lines: &[Vec<&[u8]>], stats: &[PosStats]) {
        let mut times = Vec::new();
        for (i, st) in stats.iter().enumerate() {
            if self.free(i)
                && is_int(st)
                && st.min >= 1_000_000_000
                && (st.max < 4_000_000_000 || st.min >= 1_000_000_000_000)
                && times.len() < 2
            {
                times.push(i);
            }
        }
        if let [a, b] = times[..] {
            let ints = |i: usize, l: &Vec<&[u8]>| (l[i] != b"-").then(|| atoi(l[i]));
            let before = |x: usize, y: usize| {
                lines.iter().all(|l| match (ints(x, l), ints(y, l)) {
                    (Some(p), Some(q)) => p <= q,
                    _ => true,
                })
            };
            let (s0, e0) = if !before(a, b) && before(b, a) {
                (b, a)
            } else {
                (a, b)
            };
            self.fields[s0] = Some(Start);
            self.fields[e0] = Some(End);
            // a plausible aggregation interval: AWS aggregates over at most 10 minutes, and
            // a record spans little more; far longer spans mean these may not be start/end
            let plausible = lines.iter().all(|l| match (ints(s0, l), ints(e0, l)) {
                (Some(p), Some(q)) if q >= 1_000_000_000_000 => q.saturating_sub(p) <= 86_400_000,
                (Some(p), Some(q)) => q.saturating_sub(p) <= 86_400,
                _ => true,
            });
            if plausible {
                self.sure[s0] = true;
                self.sure[e0] = true;
            } else {
                self.ambiguous.push((s0, vec![Start, End]));
                self.ambiguous.push((e0, vec![Start, End]));
            }
            self.certain += 2;
        } else if let [a] = times[..] {
            self.fields[a] = Some(Start);
            self.ambiguous.push((a, vec![Start, End]));
            self.certain += 1;
        }
    }

    /// Binds `f` to the first free integer position whose statistics pass `test`.
    fn pick(&mut self, stats: &[PosStats], f: Field, test: impl Fn(&PosStats) -> bool) -> bool {
        let found =
            (0..self.fields.len()).find(|&i| self.free(i) && is_int(&stats[i]) && test(&stats[i]));
        if let Some(i) = found {
            self.fields[i] = Some(f);
            self.guessed += 1;
        }
        found.is_some()
    }

    /// Phase 2b: Small integers by their statistics: version, protocol, flags, traffic path,
    /// encryption status.
    fn small_integers(&mut self, stats: &[PosStats]) {
        let common_protocols = [1u64, 6, 17, 41, 47, 50, 51, 58, 132];
        self.pick(stats, Version, |s| {
            s.min == s.max && (2..=11).contains(&s.min)
        });
        self.pick(stats, Protocol, |s| {
            s.max <= 255
                && s.distinct.iter().all(|v| common_protocols.contains(v))
                && s.distinct.iter().any(|v| [6, 17].contains(v))
        });
        self.pick(stats, TcpFlags, |s| {
            s.max <= 63 && s.distinct.iter().any(|v| [2, 18, 19, 3, 16].contains(v))
        });
        if !self.transit_gateway() {
            self.pick(stats, TrafficPath, |s| s.min >= 1 && s.max <= 8);
            self.pick(stats, EncryptionStatus, |s| s.max <= 3);
        }
    }

    /// Whether a Transit Gateway field is bound: the record is a Transit Gateway flow
    /// log, which has no VPC-only field (traffic-path, encryption-status, vpc-id…).
    fn transit_gateway(&self) -> bool {
        self.fields
            .iter()
            .any(|f| f.is_some_and(|f| f.def().family == crate::fields::Family::TransitGateway))
    }

    /// Phase 2c: The two ports ([`port_pair`] finds them and tells them apart where the
    /// statistics can); where they cannot, both are unsure and AWS's order (srcport
    /// first) decides.
    fn ports(&mut self, lines: &[Vec<&[u8]>], stats: &[PosStats]) {
        let free: Vec<usize> = (0..self.fields.len())
            .filter(|&i| self.free(i) && is_int(&stats[i]) && stats[i].max <= 65535)
            .collect();
        match free[..] {
            [] => {}
            [only] => {
                self.fields[only] = Some(SrcPort);
                self.guessed += 1;
            }
            _ => {
                let pair = port_pair(lines, &free);
                self.fields[pair.src] = Some(SrcPort);
                self.fields[pair.dst] = Some(DstPort);
                self.guessed += 2;
                if !pair.told_apart {
                    for i in [pair.src, pair.dst] {
                        self.ambiguous.push((i, vec![SrcPort, DstPort]));
                    }
                }
            }
        }
    }

    /// Phase 2d: Packets and bytes: an IPv4 packet is at least 20 bytes, so bytes ≥ 20 ×
    /// packets on every line; failing that, the smaller on average is packets.
    fn volumes(&mut self, lines: &[Vec<&[u8]>], stats: &[PosStats]) {
        let big: Vec<usize> = (0..self.fields.len())
            .filter(|&i| self.free(i) && is_int(&stats[i]))
            .collect();
        let ratio_ok = |p: usize, b: usize| {
            lines.iter().all(|l| {
                l[p] == b"-" || l[b] == b"-" || atoi(l[b]) >= atoi(l[p]).saturating_mul(20)
            })
        };
        if big.len() >= 2 {
            let pair = big
                .iter()
                .flat_map(|&a| big.iter().map(move |&b| (a, b)))
                .find(|&(a, b)| a != b && stats[a].sum > 0.0 && ratio_ok(a, b));
            let (a, b) = (big[0], big[1]);
            let (p, by) = match pair {
                Some(pb) => pb,
                None if stats[a].sum <= stats[b].sum => (a, b),
                None => (b, a),
            };
            self.fields[p] = Some(Packets);
            self.fields[by] = Some(Bytes);
            self.guessed += 2;
        } else if big.len() == 1 {
            self.fields[big[0]] = Some(Bytes);
            self.ambiguous.push((big[0], vec![Bytes, Packets]));
            self.guessed += 1;
        }
    }

    /// Phase 1b: The ECS names and IDs an ECS ARN ends with: a position whose values are
    /// the last segment of a cluster ARN's is `ecs-cluster-name`, of a container-instance
    /// ARN's `ecs-container-instance-id` (even when they look like an instance's `i-…`),
    /// of a task ARN's `ecs-task-id`. Where ECS ARNs are bound, an `i-…` position left as
    /// `instance-id` may be the container instance's ID instead, so it is unsure.
    fn ecs_names(&mut self, lines: &[Vec<&[u8]>]) {
        let pairs = [
            (EcsClusterArn, EcsClusterName),
            (EcsContainerInstanceArn, EcsContainerInstanceId),
            (EcsTaskArn, EcsTaskId),
        ];
        let mut moved_instance = false;
        for (arn, name) in pairs {
            let Some(p) = self.fields.iter().position(|f| *f == Some(arn)) else {
                continue;
            };
            let ends_arn = |q: usize| {
                let both: Vec<&Vec<&[u8]>> = lines
                    .iter()
                    .filter(|l| l[p] != b"-" && l[q] != b"-")
                    .collect();
                !both.is_empty() && both.iter().all(|l| arn_last_segment(l[p]) == l[q])
            };
            let found = (0..self.fields.len()).find(|&q| {
                q != p && (self.free(q) || self.fields[q] == Some(InstanceId)) && ends_arn(q)
            });
            if let Some(q) = found {
                if self.fields[q] == Some(InstanceId) {
                    moved_instance = true;
                } else {
                    self.certain += 1;
                }
                self.fields[q] = Some(name);
                self.sure[q] = true;
            }
        }
        if moved_instance {
            let other = (0..self.fields.len()).find(|&i| {
                self.free(i) && {
                    let vals: Vec<&[u8]> =
                        lines.iter().map(|l| l[i]).filter(|t| *t != b"-").collect();
                    !vals.is_empty() && vals.iter().all(|t| fits(InstanceId, t))
                }
            });
            if let Some(i) = other {
                self.fields[i] = Some(InstanceId);
                self.sure[i] = true;
                self.certain += 1;
            }
        }
        let ecs = self.fields.iter().any(|f| f.is_some_and(is_ecs));
        if let Some(i) = self.fields.iter().position(|f| *f == Some(InstanceId)) {
            if ecs && !self.fields.contains(&Some(EcsContainerInstanceId)) {
                self.ambiguous
                    .push((i, vec![InstanceId, EcsContainerInstanceId]));
            }
        }
    }

    /// Phase 3: Whatever is left: text fields not yet used whose shape the position's
    /// values fit (no `us-east-1a` under `interface-id`, no ARN under `vpc-id`), in
    /// catalogue order, none newer than the version column says — the ECS fields first
    /// when ECS ARNs were found; in a Transit Gateway flow log the Transit Gateway ones
    /// first and no VPC-only field.
    fn fill(&mut self, lines: &[Vec<&[u8]>]) {
        let ecs = self.fields.iter().any(|f| f.is_some_and(is_ecs));
        let tgw = self.transit_gateway();
        let preferred = |f: &Field| {
            (ecs && is_ecs(*f)) || (tgw && f.def().family == crate::fields::Family::TransitGateway)
        };
        // AWS writes the highest version of any field of the format as the version: when
        // the fields bound so far agree with the version column, no field is newer.
        let bound_newest = self.fields.iter().flatten().map(|f| f.def().version).max();
        let newest_allowed = self
            .fields
            .iter()
            .position(|f| *f == Some(Version))
            .map(|vi| lines.iter().map(|l| atoi(l[vi])).max().unwrap_or(0))
            .filter(|v| bound_newest.is_some_and(|b| u64::from(b) <= *v))
            .unwrap_or(u64::MAX);
        let unused: Vec<Field> = Field::all()
            .filter(|f| {
                f.def().family != crate::fields::Family::Extra
                    && !matches!(f, EventTimestamp | LogStream)
                    && !self.fields.contains(&Some(*f))
            })
            .collect();
        // The likely text fields first (stable: catalogue order within each group); a
        // position of only `-` may also be a number field of the log's kind (tcp-flags);
        // the other unused text fields last, so that no field is bound twice.
        let eligible = |f: &Field| {
            u64::from(f.def().version) <= newest_allowed
                && !(tgw && f.def().family == crate::fields::Family::Vpc)
        };
        let text = |f: &Field| matches!(f.kind(), Kind::Text | Kind::Tag);
        let mut likely: Vec<Field> = unused
            .iter()
            .copied()
            .filter(|f| text(f) && eligible(f))
            .collect();
        crate::sorting::sort_by_key(&mut likely, |f| !preferred(f));
        let mut numbers: Vec<Field> = unused
            .iter()
            .copied()
            .filter(|f| !text(f) && eligible(f) && !f.name().starts_with("packets-lost-"))
            .collect();
        let mut rest: Vec<Field> = unused
            .iter()
            .copied()
            .filter(|f| text(f) && !eligible(f))
            .collect();
        // a Transit Gateway flow log's integers left over are its packet-loss counters
        let mut lost = unused
            .iter()
            .copied()
            .filter(|f| tgw && f.name().starts_with("packets-lost-"));
        for i in 0..self.fields.len() {
            if self.fields[i].is_none() {
                let vals: Vec<&[u8]> = lines.iter().map(|l| l[i]).filter(|t| *t != b"-").collect();
                let integers = !vals.is_empty()
                    && vals
                        .iter()
                        .all(|t| t.len() <= 19 && t.iter().all(u8::is_ascii_digit));
                if let Some(f) = integers.then(|| lost.next()).flatten() {
                    self.fields[i] = Some(f);
                    self.guessed += 1;
                    self.ambiguous.push((i, vec![f]));
                    continue;
                }
                let f = if vals.is_empty() {
                    take_first(&mut likely).or_else(|| take_first(&mut numbers))
                } else {
                    take_fitting(&mut likely, &vals)
                }
                .or_else(|| take_fitting(&mut rest, &vals))
                .or_else(|| take_first(&mut likely))
                .or_else(|| take_first(&mut rest))
                .unwrap_or(ResourceId);
                self.fields[i] = Some(f);
                self.filler[i] = true;
                self.unknown += 1;
                self.ambiguous.push((i, vec![f]));
            }
        }
    }

    /// Phase 4: The binding, unless nothing distinctive was found (an id, an address, an
    /// action or status word, a time: numbers alone are not evidence of a flow log),
    /// with a version check and the confidence.
    fn finish(mut self, lines: &[Vec<&[u8]>]) -> Option<BindingInfo> {
        let n = self.fields.len();
        if self.unknown * 2 > n || self.certain + self.guessed < 3 || self.certain == 0 {
            return None;
        }
        let fields: Vec<Field> = self
            .fields
            .iter()
            .map(|f| f.unwrap_or(ResourceId))
            .collect();
        // Version consistent with the fields chosen: a field newer than the version
        // column's value means that column (or the fields) may be wrong.
        if let Some(vi) = fields.iter().position(|f| *f == Version) {
            let v = lines.iter().map(|l| atoi(l[vi])).max().unwrap_or(0);
            let newest = fields.iter().map(|f| f.def().version).max().unwrap_or(2) as u64;
            if v < newest && !self.ambiguous.iter().any(|(i, _)| *i == vi) {
                self.ambiguous.push((vi, vec![Version]));
            }
        }
        // Confidence: the mean certainty of the positions — a distinctive shape 1, a
        // statistical guess 0.7, a position it cannot tell from others 0.5, a filler
        // 0.2 — so unsure positions always lower it.
        let certainty: f32 = (0..n)
            .map(|i| match self.ambiguous.iter().find(|(p, _)| *p == i) {
                _ if self.filler[i] => 0.2,
                Some(_) => 0.5,
                None if self.sure[i] => 1.0,
                None => 0.7,
            })
            .sum();
        let confidence = certainty / n as f32;
        let mut ambiguous = self.ambiguous;
        crate::sorting::sort_by_key(&mut ambiguous, |a| a.0);
        let unknown = self.unknown;
        Some(BindingInfo {
            description: format!(
                "inferred from {} line{}{}",
                lines.len(),
                if lines.len() == 1 { "" } else { "s" },
                if unknown > 0 {
                    format!(", {unknown} position(s) unknown")
                } else {
                    String::new()
                }
            ),
            fields,
            origin: Origin::Inferred,
            header_line: None,
            confidence: confidence.min(1.0),
            ambiguous,
            guessed: false,
            extra_names: Vec::new(),
        })
    }
}

/// Takes the first field of `list`.
fn take_first(list: &mut Vec<Field>) -> Option<Field> {
    (!list.is_empty()).then(|| list.remove(0))
}

/// Takes the first field of `list` whose shape every one of `vals` fits.
fn take_fitting(list: &mut Vec<Field>, vals: &[&[u8]]) -> Option<Field> {
    let k = list.iter().position(|f| vals.iter().all(|t| fits(*f, t)))?;
    Some(list.remove(k))
}

/// The two port positions of an inference and which is which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PortPair {
    src: usize,
    dst: usize,
    /// The statistics told them apart; otherwise `src` is the earlier position (AWS's
    /// order) and both are unsure.
    told_apart: bool,
}

/// Lines needed to call the direction of a port pair, at least.
const PORT_VOTES_MIN: usize = 8;

/// How many lines of those that vote must agree to call the direction (three in four).
const PORT_VOTES_AGREE: f64 = 0.75;

/// A known service port ([`crate::vocab::port_name`]): 22, 443, 5432…
fn known_port(v: u64) -> bool {
    u16::try_from(v).is_ok_and(|p| crate::vocab::port_name(p, None).is_some())
}

/// A server's port: well-known (1–1023) or a known service port.
fn service_port(v: u64) -> bool {
    (1..1024).contains(&v) || known_port(v)
}

/// A client's port: in the ephemeral range operating systems pick from (Linux from
/// 32768, IANA and Windows from 49152), and not a known service.
fn ephemeral_port(v: u64) -> bool {
    (32768..=65535).contains(&v) && !known_port(v)
}

/// Finds the two port positions among `free` (integer positions of values up to 65535)
/// and tells srcport from dstport by the relation between them, not by single values:
///
/// - the ports are the pair that most often holds a known service port beside an
///   ephemeral one (the first two positions when no pair does);
/// - on each line where one is a server's port and the other a client's, the server's
///   is the destination of a request. When at least [`PORT_VOTES_MIN`] lines vote and
///   three in four agree, the position that is mostly the server's is dstport: a
///   capture is mostly requests (scans, health checks, calls to databases and the
///   internet); their answers have the ports the other way round.
///
/// Where the lines are as much answers as requests (every connection logged both ways)
/// or too few vote, the values cannot tell the two apart: AWS's order decides and the
/// pair is not told apart.
fn port_pair(lines: &[Vec<&[u8]>], free: &[usize]) -> PortPair {
    let int = |l: &Vec<&[u8]>, i: usize| (l[i] != b"-").then(|| atoi(l[i]));
    // (lines where `a` is the server's port, lines where `b` is), by `server`
    let votes = |a: usize, b: usize, server: &dyn Fn(u64) -> bool| {
        lines.iter().fold((0usize, 0usize), |(va, vb), l| {
            match (int(l, a), int(l, b)) {
                (Some(x), Some(y)) if server(x) && ephemeral_port(y) => (va + 1, vb),
                (Some(x), Some(y)) if server(y) && ephemeral_port(x) => (va, vb + 1),
                _ => (va, vb),
            }
        })
    };
    let mut best = (free[0], free[1], 0usize);
    for (k, &a) in free.iter().enumerate() {
        for &b in &free[k + 1..] {
            let (va, vb) = votes(a, b, &known_port);
            if va + vb > best.2 {
                best = (a, b, va + vb);
            }
        }
    }
    let (a, b, _) = best;
    let (va, vb) = votes(a, b, &service_port);
    let total = va + vb;
    let agree = |v: usize| total >= PORT_VOTES_MIN && v as f64 >= PORT_VOTES_AGREE * total as f64;
    match (agree(va), agree(vb)) {
        (true, _) => PortPair {
            src: b,
            dst: a,
            told_apart: true,
        },
        (_, true) => PortPair {
            src: a,
            dst: b,
            told_apart: true,
        },
        _ => PortPair {
            src: a,
            dst: b,
            told_apart: false,
        },
    }
}

/// None when too few positions look like flow log values to call the lines records.
fn guess_positions(n: usize, lines: &[Vec<&[u8]>]) -> Option<BindingInfo> {
    let mut guess = Guess::new(n);
    guess.shapes(lines);
    guess.ecs_names(lines);
    let stats = position_stats(lines, &guess.fields);
    guess.times(lines, &stats);
    guess.small_integers(&stats);
    guess.ports(lines, &stats);
    guess.volumes(lines, &stats);
    guess.fill(lines);
    guess.finish(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{DEFAULT_FORMAT, TGW_DEFAULT};

    /// The fields of a header line whose names are all known.
    fn header_fields(line: &[u8]) -> Option<Vec<Field>> {
        header(line)
            .filter(|h| h.unknown.is_empty())
            .map(|h| h.fields)
    }

    #[test]
    fn headers_are_recognised_in_both_spellings() {
        assert_eq!(
            header_fields(b"version account_id interface-id").unwrap(),
            vec![Version, AccountId, InterfaceId]
        );
        assert!(header_fields(b"2 123 eni-1").is_none());
        assert!(header_fields(b"version account-id bogus").is_none());
        let h = header(b"version account-id bogus").unwrap();
        assert_eq!(
            h.fields,
            vec![Version, AccountId, crate::fields::Field::Extra1]
        );
        assert_eq!(
            h.unknown,
            vec![(crate::fields::Field::Extra1, "bogus".to_string())]
        );
        assert!(
            header(b"version bogus").is_none(),
            "as many unknown as known"
        );
        assert!(header(b"hello there this is prose").is_none());
        assert!(header(b"interface-id eni-1 10.0.0.1").is_none());
        assert!(header_fields(b"ingress - 10.0.0.1").is_none());
        // Logs Insights metadata names are kept as text without outvoting the fields,
        // but a line must still start with a field name.
        let h = header(b"srcAddr dstAddr @log @ptr").unwrap();
        assert_eq!(h.fields[..2], [SrcAddr, DstAddr]);
        assert_eq!(h.unknown.len(), 2);
        assert_eq!(h.unknown[0].1, "@log");
        assert!(header(b"@timestamp @message @logStream @log").is_none());
        assert!(header(b"srcaddr @log @ptr").is_none(), "one known name");
        assert!(header(b"srcaddr dstaddr @").is_none());
    }

    #[test]
    fn documented_layouts_bind_when_shapes_agree() {
        let line = b"2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
        let b = documented_layout_for(line).unwrap();
        assert_eq!(b.fields, DEFAULT_FORMAT);
        // 14 fields that are not the default format do not bind to it
        let odd = b"a b c d e f g h i j k l m n";
        assert!(documented_layout_for(odd).is_none());
        let tgw = "6 TransitGateway 123456789012 tgw-0123 tgw-attach-01 123456789012 123456789012 vpc-1 vpc-2 subnet-1 subnet-2 eni-1 eni-2 use1-az1 use1-az2 tgw-attach-02 10.0.0.1 10.1.0.1 443 51000 6 10 1000 1700000000 1700000060 OK IPv4 0 0 0 0 19 us-east-1 ingress - -";
        assert_eq!(
            documented_layout_for(tgw.as_bytes()).unwrap().fields,
            TGW_DEFAULT
        );
    }

    #[test]
    fn ecs_arns_and_az_names_have_their_shapes() {
        let arn = |r: &str| format!("arn:aws:ecs:eu-west-1:444455556666:{r}");
        assert_eq!(
            ecs_arn_kind(arn("cluster/shop").as_bytes()),
            Some(EcsClusterArn)
        );
        assert_eq!(
            ecs_arn_kind(arn("container-instance/shop/0a1b").as_bytes()),
            Some(EcsContainerInstanceArn)
        );
        assert_eq!(
            ecs_arn_kind(arn("task-definition/cart:9").as_bytes()),
            Some(EcsTaskDefinitionArn)
        );
        assert_eq!(
            ecs_arn_kind(arn("task/shop/5e6f").as_bytes()),
            Some(EcsTaskArn)
        );
        assert_eq!(
            ecs_arn_kind(b"arn:aws-cn:ecs:cn-north-1:1:task/c/1"),
            Some(EcsTaskArn)
        );
        // other services, a bare prefix, not an ARN
        assert_eq!(ecs_arn_kind(b"arn:aws:iam::444455556666:role/x"), None);
        assert_eq!(ecs_arn_kind(arn("task/").as_bytes()), None);
        assert_eq!(ecs_arn_kind(b"my-cluster"), None);
        assert_eq!(arn_last_segment(arn("task/shop/5e6f").as_bytes()), b"5e6f");
        // an ARN under account-id contradicts it (it is some other field's value)
        assert_eq!(
            fit(AccountId, arn("cluster/shop").as_bytes()),
            Fit::Contradicts
        );
        for az in ["us-east-1a", "eu-west-2c", "use1-az4"] {
            assert!(
                fits(TgwSrcAzId, az.as_bytes()) && fits(AzId, az.as_bytes()),
                "{az}"
            );
        }
        for not_az in ["us-east-1", "us-east-1ab", "eni-1a"] {
            assert!(!fits(AzId, not_az.as_bytes()), "{not_az}");
        }
    }

    #[test]
    fn infers_a_custom_order() {
        // the generator's "custom" preset
        let lines = [
            "eni-0a 10.0.1.5 10.0.1.5 10.0.2.9 10.0.2.9 40001 5432 6 19 120 98000 1764115200 1764115260 ACCEPT OK egress 1 5",
            "eni-0b 8.8.4.4 8.8.4.4 10.0.2.9 10.0.2.9 50002 22 6 2 1 44 1764115201 1764115261 REJECT OK ingress - 5",
            "eni-0c 10.0.1.7 10.0.1.7 1.1.1.1 1.1.1.1 40003 53 17 0 3 240 1764115202 1764115262 ACCEPT OK egress 7 5",
        ];
        let refs: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
        let b = infer(&refs).unwrap();
        assert_eq!(
            b.fields,
            vec![
                InterfaceId,
                SrcAddr,
                PktSrcAddr,
                DstAddr,
                PktDstAddr,
                SrcPort,
                DstPort,
                Protocol,
                TcpFlags,
                Packets,
                Bytes,
                Start,
                End,
                Action,
                LogStatus,
                FlowDirection,
                TrafficPath,
                Version
            ]
        );
        assert_eq!(b.origin, Origin::Inferred);
        assert!(b.confidence > 0.5 && b.confidence < 1.0, "{}", b.confidence);
        assert!(b
            .ambiguous
            .iter()
            .any(|(i, alts)| *i == 5 && alts.contains(&DstPort)));
    }

    /// A random but realistic value of `f`, with the odd real shapes a layout must
    /// accept: 11-digit, redacted and `unknown` account ids, 9- and 13-digit times.
    fn value(rng: &mut crate::container::testkit::Rng, f: Field, version: u8) -> String {
        let hex = |rng: &mut crate::container::testkit::Rng, n: usize| -> String {
            (0..n)
                .map(|_| b"0123456789abcdef"[rng.below(16)] as char)
                .collect()
        };
        let pick = |rng: &mut crate::container::testkit::Rng, xs: &[&str]| {
            xs[rng.below(xs.len())].to_string()
        };
        match f {
            Version => version.to_string(),
            AccountId | TgwSrcVpcAccountId | TgwDstVpcAccountId => match rng.below(5) {
                0 => format!("{:011}", rng.next() % 100_000_000_000),
                1 => "xxxxxxxxxxxx".into(),
                2 => "unknown".into(),
                _ => format!("{:012}", rng.next() % 1_000_000_000_000),
            },
            InterfaceId | TgwSrcEni | TgwDstEni | NextHopInterfaceId => {
                format!("eni-{}", hex(rng, 17))
            }
            VpcId | TgwSrcVpcId | TgwDstVpcId | NextHopVpcId => format!("vpc-{}", hex(rng, 17)),
            SubnetId | TgwSrcSubnetId | TgwDstSubnetId | NextHopSubnetId => {
                format!("subnet-{}", hex(rng, 17))
            }
            InstanceId => format!("i-{}", hex(rng, 17)),
            TgwId => format!("tgw-{}", hex(rng, 17)),
            TgwAttachmentId | TgwPairAttachmentId => format!("tgw-attach-{}", hex(rng, 17)),
            Type => pick(rng, &["IPv4", "IPv6", "EFA"]),
            FlowDirection => pick(rng, &["ingress", "egress"]),
            ResourceType => pick(rng, &["TransitGateway", "TransitGatewayAttachment"]),
            Region => pick(
                rng,
                &["us-east-1", "eu-west-3", "ap-southeast-2", "us-gov-west-1"],
            ),
            AzId | TgwSrcAzId | TgwDstAzId | NextHopAzId => {
                pick(rng, &["use1-az1", "euw3-az2", "usw2-lax1-az1"])
            }
            _ => match f.kind() {
                Kind::Time => match rng.below(4) {
                    0 => format!("{}", 100_000_000 + rng.next() % 900_000_000),
                    1 => format!("{}", 1_700_000_000_000 + rng.next() % 100_000_000_000),
                    _ => format!("{}", 1_700_000_000 + rng.next() % 100_000_000),
                },
                Kind::UInt { max } => {
                    format!("{}", rng.next() % max.min(100_000).saturating_add(1))
                }
                Kind::Addr if rng.below(4) == 0 => format!("2001:db8::{:x}", rng.next() % 65536),
                Kind::Addr => format!(
                    "10.{}.{}.{}",
                    rng.below(256),
                    rng.below(256),
                    rng.below(256)
                ),
                Kind::Action => pick(rng, &["ACCEPT", "REJECT"]),
                Kind::LogStatus => "OK".into(),
                _ => pick(
                    rng,
                    &[
                        "AMAZON",
                        "S3",
                        "EC2",
                        "wavelength",
                        "outpost",
                        "Name%3Dweb",
                        "-",
                    ],
                ),
            },
        }
    }

    #[test]
    fn property_every_documented_layout_binds_its_own_lines_never_a_guess() {
        let mut rng = crate::container::testkit::Rng(0x5eed_1a70_u64);
        for (name, layout) in documented_layouts() {
            let version = layout
                .iter()
                .map(|f| f.def().version)
                .max()
                .unwrap_or(2)
                .max(2);
            for round in 0..300 {
                let nodata = round % 7 == 0;
                let toks: Vec<String> = layout
                    .iter()
                    .map(|f| {
                        let keep = matches!(
                            f,
                            Version
                                | AccountId
                                | InterfaceId
                                | Start
                                | End
                                | LogStatus
                                | ResourceType
                        );
                        if nodata && !keep {
                            "-".to_string()
                        } else if *f == LogStatus && nodata {
                            "NODATA".to_string()
                        } else if !keep && rng.below(10) == 0 {
                            "-".to_string()
                        } else {
                            value(&mut rng, *f, version)
                        }
                    })
                    .collect();
                let toks: Vec<String> = toks
                    .into_iter()
                    .zip(&layout)
                    .map(|(t, f)| {
                        if nodata && *f == LogStatus {
                            "NODATA".into()
                        } else {
                            t
                        }
                    })
                    .collect();
                let line = toks.join(" ");
                let b = documented_layout_for(line.as_bytes())
                    .unwrap_or_else(|| panic!("{name}: did not bind {line}"));
                assert_eq!(b.fields, layout, "{name}: {line}");
                assert_eq!(b.origin, Origin::Layout);
                assert!(
                    b.confidence >= CONFIDENCE_THRESHOLD,
                    "{name}: {} {line}",
                    b.confidence
                );
                // and through the decoder: never an inference, and no error but the one
                // for a time outside the plausible range (9-digit times bind the layout,
                // then their value is refused under its own field name)
                let t = crate::decoder::decode_bytes(line.as_bytes(), Default::default());
                let time_refused = t.errors().iter().all(|e| {
                    (e.reason.contains("'start'") || e.reason.contains("'end'"))
                        && e.reason.contains("is not a plausible time")
                });
                assert!(
                    (t.len(), t.errors().len()) == (1, 0)
                        || (t.is_empty() && t.errors().len() == 1 && time_refused),
                    "{name}: {line} {:?}",
                    t.errors()
                );
                assert!(t.files()[0]
                    .bindings
                    .iter()
                    .all(|b| b.origin == Origin::Layout));
            }
        }
    }
}
