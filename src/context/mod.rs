//! Making flow logs readable: context files ([`files`]), the labels they give interfaces
//! and addresses ([`labels`]), load-balancer health checks ([`health`]) and each record
//! as a sentence ([`sentence`]). [`Annotations`] holds all of it for one table, computed
//! once (per-row label ids and health-check verdicts) so that filters, windows, facets
//! and exports only look things up.

pub(crate) mod export;
mod files;
mod health;
mod labels;
mod sentence;
pub mod snapshot;
mod wire;

pub use files::{sniff, ContextError, ContextKind};
pub use labels::{Context, ContextFileInfo, Label, KINDS};

use crate::fields::Field;
use crate::table::Table;
use labels::{range_label, reserved_label};
use rustc_hash::FxHashMap;
use std::net::IpAddr;

/// No label.
pub const NONE: u32 = u32::MAX;

/// Which label a filter term tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Src,
    Dst,
    /// Source or destination.
    Addr,
    Interface,
}

/// `label` (its text) or `type` (its kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Prop {
    Label,
    Type,
}

/// A filter term the context answers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Test {
    /// `healthcheck`
    HealthCheck,
    /// `srcaddr.label ~ web`, `interface.type = elb`: `contains` is case-insensitive;
    /// `=` compares whole text case-insensitively. `values` are lower-cased.
    Label {
        side: Side,
        prop: Prop,
        contains: bool,
        values: Vec<String>,
    },
}

impl Test {
    /// The term as written, for messages.
    pub fn describe(&self) -> String {
        match self {
            Test::HealthCheck => "healthcheck".into(),
            Test::Label { side, prop, .. } => format!(
                "{}.{}",
                match side {
                    Side::Src => "srcaddr",
                    Side::Dst => "dstaddr",
                    Side::Addr => "addr",
                    Side::Interface => "interface",
                },
                match prop {
                    Prop::Label => "label",
                    Prop::Type => "type",
                }
            ),
        }
    }
}

/// Per-row labels and verdicts of one table, with the context they came from.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// The context files the labels come from.
    pub context: Context,
    /// Every distinct label; the per-row vectors hold indexes into it ([`NONE`]: no label).
    pub labels: Vec<Label>,
    /// Per row: the label of the source address.
    pub src: Vec<u32>,
    /// Per row: the label of the destination address.
    pub dst: Vec<u32>,
    /// Per row: the label of the interface.
    pub iface: Vec<u32>,
    /// Health-check series of the rows that are health checks (a minority: sparse).
    pub health: FxHashMap<u32, u32>,
    /// The health-check series, indexed by the values of `health`.
    pub series: Vec<health::Series>,
    /// Own addresses of interfaces, from context or inferred from the data.
    pub own: FxHashMap<String, Vec<IpAddr>>,
    /// Whether `own` for an interface is inferred (no context entry).
    pub own_inferred: FxHashMap<String, (usize, usize)>,
    /// The VPC's private address space as seen in the data (covering prefix).
    pub vpc_seen: Option<(IpAddr, u8)>,
    /// Rows annotated.
    pub n: usize,
}

#[derive(Default)]
struct Interner {
    ids: FxHashMap<Label, u32>,
    labels: Vec<Label>,
}

impl Interner {
    fn id(&mut self, l: Label) -> u32 {
        if let Some(&i) = self.ids.get(&l) {
            return i;
        }
        let i = self.labels.len() as u32;
        self.labels.push(l.clone());
        self.ids.insert(l, i);
        i
    }
}

/// A text value (as `t.value` gives it), read from the column without making a `Value`.
fn text(t: &Table, r: usize, f: Field) -> Option<&str> {
    let c = t.column(f).filter(|c| r < c.len())?;
    c.dict().get(c.code(r)? as usize).map(|s| &**s)
}

/// An address (as `t.value` gives it), read from the column without making a `Value`.
fn addr(t: &Table, r: usize, f: Field) -> Option<IpAddr> {
    t.column(f).filter(|c| r < c.len())?.addr(r)
}

fn is_private(a: IpAddr) -> bool {
    crate::vocab::address_scope(a) == crate::vocab::SCOPE_PRIVATE
}

/// The smallest prefix covering every address (same family), as (base, length).
fn covering(addrs: impl Iterator<Item = IpAddr>) -> Option<(IpAddr, u8)> {
    let mut acc: Option<(u32, u32)> = None;
    for a in addrs {
        if let IpAddr::V4(v) = a {
            let n = u32::from(v);
            acc = Some(match acc {
                None => (n, n),
                Some((lo, hi)) => (lo.min(n), hi.max(n)),
            });
        }
    }
    let (lo, hi) = acc?;
    let len = (lo ^ hi).leading_zeros().min(32) as u8;
    let mask = if len == 0 {
        0
    } else {
        u32::MAX << (32 - len as u32)
    };
    Some((IpAddr::V4((lo & mask).into()), len))
}

fn in_prefix(a: IpAddr, p: (IpAddr, u8)) -> bool {
    match (a, p.0) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let m = if p.1 == 0 {
                0
            } else {
                u32::MAX << (32 - p.1 as u32)
            };
            u32::from(a) & m == u32::from(b)
        }
        _ => false,
    }
}

/// The columns labelling and health-check classification read ([`Annotations::build`]):
/// all the context module is given of a table (`Table::columns_to_bytes`).
pub const ANNOTATION_FIELDS: &[Field] = &[
    Field::InterfaceId,
    Field::InstanceId,
    Field::SrcAddr,
    Field::DstAddr,
    Field::PktSrcAddr,
    Field::PktDstAddr,
    Field::PktSrcAwsService,
    Field::PktDstAwsService,
    Field::SrcPort,
    Field::DstPort,
    Field::Protocol,
    Field::Packets,
    Field::Bytes,
    Field::Start,
];

impl Annotations {
    /// Labels every row and classifies health checks.
    pub fn build(t: &Table, mut context: Context) -> Annotations {
        // a report's own records: labelled as the page that saved it labelled them (with
        // other records, its interfaces still name ids and addresses below)
        if let Some(s) = context.snapshot.take() {
            if s.rows == t.len() {
                context.prepare();
                return Annotations::from_snapshot(*s, context);
            }
        }
        context.prepare();
        let n = t.len();
        let mut own: FxHashMap<String, Vec<IpAddr>> = FxHashMap::default();
        let mut own_inferred = FxHashMap::default();
        // the interface of each row by dictionary code (no text hashing per row)
        let icol = t.column(Field::InterfaceId);
        let dict: &[Box<str>] = icol.map_or(&[], |c| c.dict());
        let code = |r: usize| {
            icol.and_then(|c| c.code(r))
                .filter(|&c| (c as usize) < dict.len())
        };
        let in_context: Vec<bool> = dict
            .iter()
            .map(|id| context.interface_by_id(id).is_some())
            .collect();
        // own addresses of interfaces without context: the private address in most of
        // an interface's records (at least half of them)
        {
            let mut counts: Vec<(usize, FxHashMap<IpAddr, usize>)> =
                (0..dict.len()).map(|_| Default::default()).collect();
            for r in 0..n {
                let Some(c) = code(r) else {
                    continue;
                };
                if in_context[c as usize] {
                    continue;
                }
                let e = &mut counts[c as usize];
                e.0 += 1;
                for f in [Field::SrcAddr, Field::DstAddr] {
                    if let Some(a) = addr(t, r, f).filter(|a| is_private(*a)) {
                        if e.1.len() < 4096 || e.1.contains_key(&a) {
                            *e.1.entry(a).or_default() += 1;
                        }
                    }
                }
            }
            for (i, (total, m)) in counts.into_iter().enumerate() {
                let id = &dict[i];
                if let Some((a, c)) = m.into_iter().max_by_key(|x| (x.1, x.0)) {
                    if c * 2 >= total && total >= 1 {
                        own.insert(id.to_string(), vec![a]);
                        own_inferred.insert(id.to_string(), (c, total));
                    }
                }
            }
        }
        let vpc_seen = covering(own.values().flatten().copied());
        let mut by_own: FxHashMap<IpAddr, String> = FxHashMap::default();
        // an address two interfaces claim goes to the one with more records showing it
        // (then the smaller id, so the result does not depend on hashing order)
        let mut ids: Vec<&String> = own.keys().collect();
        crate::sorting::sort(&mut ids);
        for id in ids {
            let support = own_inferred.get(id).map_or(0, |x| x.0);
            for a in &own[id] {
                let better = by_own
                    .get(a)
                    .is_none_or(|cur| own_inferred.get(cur).map_or(0, |x| x.0) < support);
                if better {
                    by_own.insert(*a, id.clone());
                }
            }
        }
        let mut it = Interner::default();
        let mut cache: FxHashMap<IpAddr, u32> = FxHashMap::default();
        // the labels most addresses get, interned once
        let mut generic: FxHashMap<(&'static str, bool), u32> = FxHashMap::default();
        let mut addr_label = |a: IpAddr, it: &mut Interner| -> u32 {
            if let Some(&i) = cache.get(&a) {
                return i;
            }
            // fast path: nothing specific to say about it (public, or private outside
            // what is known): one shared label
            let specific = context.interface_by_addr(a).is_some()
                || by_own.contains_key(&a)
                || reserved_label(a).is_some()
                || context.aws_range(a).is_some();
            if !specific {
                let private = is_private(a);
                let in_vpc = private && vpc_seen.is_some_and(|p| in_prefix(a, p));
                let key = (
                    if in_vpc {
                        "vpc"
                    } else if private {
                        "private"
                    } else {
                        "public"
                    },
                    private,
                );
                if let Some(&i) = generic.get(&key) {
                    cache.insert(a, i);
                    return i;
                }
                let l = Self::address_label(&context, a, &by_own, &own_inferred, vpc_seen);
                let i = l.map_or(NONE, |l| it.id(l));
                if crate::vocab::address_scope(a) == crate::vocab::SCOPE_PUBLIC || private {
                    generic.insert(key, i);
                }
                cache.insert(a, i);
                return i;
            }
            let l = Self::address_label(&context, a, &by_own, &own_inferred, vpc_seen);
            let i = l.map_or(NONE, |l| it.id(l));
            cache.insert(a, i);
            i
        };
        let mut src = vec![NONE; n];
        let mut dst = vec![NONE; n];
        let has_svc = t.column(Field::PktSrcAwsService).is_some()
            || t.column(Field::PktDstAwsService).is_some();
        // a service label per (side, dictionary code of the service name)
        let mut svc_cache: FxHashMap<(bool, u32), u32> = FxHashMap::default();
        let cols = [
            (
                t.column(Field::SrcAddr),
                t.column(Field::PktSrcAddr),
                t.column(Field::PktSrcAwsService),
            ),
            (
                t.column(Field::DstAddr),
                t.column(Field::PktDstAddr),
                t.column(Field::PktDstAwsService),
            ),
        ];
        for (side, (acol, pcol, scol)) in cols.into_iter().enumerate() {
            let Some(acol) = acol else { continue };
            let out = if side == 0 { &mut src } else { &mut dst };
            for (r, slot) in out.iter_mut().enumerate() {
                let Some(a) = acol.addr(r) else { continue };
                let mut id = addr_label(a, &mut it);
                if has_svc && (id == NONE || it.labels[id as usize].kind == "public") {
                    let same = pcol.and_then(|c| c.addr(r)).is_none_or(|p| p == a);
                    let code = scol
                        .filter(|_| same)
                        .and_then(|c| c.code(r).map(|k| (c, k)));
                    if let Some((c, k)) = code {
                        let key = (side == 0, k);
                        id = match svc_cache.get(&key) {
                            Some(&id) => id,
                            None => {
                                let l = c.dict().get(k as usize).map(|s| Label {
                                    text: format!("AWS {s}"),
                                    kind: "aws",
                                    source: if side == 0 {
                                        "pkt-src-aws-service"
                                    } else {
                                        "pkt-dst-aws-service"
                                    },
                                    guess: None,
                                });
                                let id = l.map_or(id, |l| it.id(l));
                                svc_cache.insert(key, id);
                                id
                            }
                        };
                    }
                }
                *slot = id;
            }
        }
        // interfaces
        let mut iface = vec![NONE; n];
        let mut icache: Vec<Option<u32>> = vec![None; dict.len()];
        for (r, slot) in iface.iter_mut().enumerate() {
            let Some(c) = code(r) else {
                continue;
            };
            let id: &str = &dict[c as usize];
            if let Some(i) = icache[c as usize] {
                *slot = i;
                continue;
            }
            let l = match context.interface_by_id(id) {
                Some(i) => Some(i.label.clone()),
                None => text(t, r, Field::InstanceId)
                    .filter(|i| i.starts_with("i-"))
                    .map(|i| Label {
                        text: format!("EC2 {i}"),
                        kind: "ec2",
                        source: "instance-id",
                        guess: None,
                    }),
            };
            let i = l.map_or(NONE, |l| it.id(l));
            icache[c as usize] = Some(i);
            *slot = i;
        }
        // own addresses from context
        for id in dict {
            let id: &str = id;
            {
                if !own.contains_key(id) {
                    if let Some(i) = context.interface_by_id(id) {
                        let mut v = i.addrs.clone();
                        v.extend(&i.public);
                        own.insert(id.to_string(), v);
                    }
                }
            }
        }
        // health checks: known load balancers from context
        let mut known = FxHashMap::default();
        {
            for i in context
                .interfaces()
                .iter()
                .filter(|i| i.label.kind == "elb")
            {
                for a in &i.addrs {
                    known.insert(
                        *a,
                        health::KnownLb {
                            label: i.label.text.clone(),
                            checks: context.lb_checks(i),
                        },
                    );
                }
            }
        }
        let v = health::classify(t, &known);
        // a source found to run health checks, not named by context, is labelled a load
        // balancer — as a guess, with the reason
        let mut inferred_lb: FxHashMap<IpAddr, u32> = FxHashMap::default();
        for sr in v.series.iter().filter(|s| s.lb_label.is_none()) {
            if let std::collections::hash_map::Entry::Vacant(e) = inferred_lb.entry(sr.lb) {
                let id = it.id(Label {
                    text: "load balancer".into(),
                    kind: "elb",
                    source: "health checks in the log",
                    guess: Some(format!(
                        "inferred: {} opens small connections to {} targets every {} s, as load-balancer health checks do",
                        sr.lb, sr.targets, sr.period
                    )),
                });
                e.insert(id);
            }
        }
        if !inferred_lb.is_empty() {
            let weak = |id: u32, labels: &[Label]| {
                id == NONE || matches!(labels[id as usize].kind, "vpc" | "private")
            };
            for r in 0..n {
                for (f, out) in [(Field::SrcAddr, &mut src), (Field::DstAddr, &mut dst)] {
                    if let Some(&l) = addr(t, r, f).and_then(|a| inferred_lb.get(&a)) {
                        if weak(out[r], &it.labels) {
                            out[r] = l;
                        }
                    }
                }
            }
        }
        Annotations {
            context,
            labels: it.labels,
            src,
            dst,
            iface,
            health: v.row_series,
            n,
            series: v.series,
            own,
            own_inferred,
            vpc_seen,
        }
    }

    fn address_label(
        ctx: &Context,
        a: IpAddr,
        by_own: &FxHashMap<IpAddr, String>,
        inferred: &FxHashMap<String, (usize, usize)>,
        vpc_seen: Option<(IpAddr, u8)>,
    ) -> Option<Label> {
        if let Some((i, public)) = ctx.interface_by_addr(a) {
            let mut l = i.label.clone();
            if public {
                l.text.push_str(" public IP");
            }
            return Some(l);
        }
        if let Some(l) = reserved_label(a) {
            return Some(l);
        }
        if let Some((s, r)) = ctx.aws_range(a) {
            return Some(range_label(s, r));
        }
        if let Some(id) = by_own.get(&a) {
            let (c, total) = inferred.get(id).copied().unwrap_or((0, 0));
            return Some(Label {
                text: format!("{id} (own address)"),
                kind: "vpc",
                source: "the log",
                guess: Some(format!(
                    "inferred: the private address in {c} of the {total} records of {id}"
                )),
            });
        }
        if is_private(a) {
            return Some(match vpc_seen.filter(|p| in_prefix(a, *p)) {
                Some((base, len)) => Label {
                    text: "VPC address".into(),
                    kind: "vpc",
                    source: "the log",
                    guess: Some(format!(
                        "inferred: inside {base}/{len}, the range covering the interfaces' own addresses seen in the log"
                    )),
                },
                None => Label {
                    text: "private address".into(),
                    kind: "private",
                    source: "address range",
                    guess: None,
                },
            });
        }
        if crate::vocab::address_scope(a) == crate::vocab::SCOPE_PUBLIC {
            return Some(Label {
                text: if ctx.is_empty() {
                    "public address".into()
                } else {
                    "public address (not in ip-ranges.json)".into()
                },
                kind: "public",
                source: "address range",
                guess: None,
            });
        }
        None
    }

    /// The label with this index, or `None` for [`NONE`].
    pub fn label(&self, id: u32) -> Option<&Label> {
        self.labels.get(id as usize)
    }

    /// The health-check series of a row, if it is one.
    pub fn health_of(&self, row: usize) -> Option<&health::Series> {
        self.health
            .get(&(row as u32))
            .map(|&s| &self.series[s as usize])
    }

    /// How many of these rows are health checks.
    pub fn health_count(&self, rows: &[u32]) -> usize {
        rows.iter()
            .filter(|&&r| self.health.contains_key(&r))
            .count()
    }

    /// The rows a filter term keeps, one bool per row.
    pub(crate) fn test(&self, test: &Test) -> Vec<bool> {
        match test {
            Test::HealthCheck => {
                let mut v = vec![false; self.n];
                for &r in self.health.keys() {
                    v[r as usize] = true;
                }
                v
            }
            Test::Label {
                side,
                prop,
                contains,
                values,
            } => {
                let ok: Vec<bool> = self
                    .labels
                    .iter()
                    .map(|l| {
                        let hay = match prop {
                            Prop::Label => l.text.to_lowercase(),
                            Prop::Type => l.kind.to_string(),
                        };
                        values.iter().any(|v| {
                            if *contains {
                                hay.contains(v.as_str())
                            } else {
                                hay == *v
                            }
                        })
                    })
                    .collect();
                let pass = |id: u32| id != NONE && ok[id as usize];
                let n = self.src.len();
                (0..n)
                    .map(|r| match side {
                        Side::Src => pass(self.src[r]),
                        Side::Dst => pass(self.dst[r]),
                        Side::Addr => pass(self.src[r]) || pass(self.dst[r]),
                        Side::Interface => pass(self.iface[r]),
                    })
                    .collect()
            }
        }
    }

    /// Direction of a row relative to its interface: `flow-direction` when the log has
    /// it, else by comparing the addresses with the interface's own (from context, or
    /// inferred from the data). `(word, how it is known)`.
    pub fn direction(&self, t: &Table, r: usize) -> Option<(&'static str, &'static str)> {
        if let Some(d) = text(t, r, Field::FlowDirection) {
            return match d {
                "ingress" => Some(("ingress", "flow-direction")),
                "egress" => Some(("egress", "flow-direction")),
                _ => None,
            };
        }
        let id = text(t, r, Field::InterfaceId)?;
        let own = self.own.get(id)?;
        let how = if self.own_inferred.contains_key(id) {
            "inferred from the interface's own address"
        } else {
            "the interface's own address (describe-network-interfaces)"
        };
        let s = addr(t, r, Field::SrcAddr);
        let d = addr(t, r, Field::DstAddr);
        if d.is_some_and(|d| own.contains(&d)) {
            Some(("ingress", how))
        } else if s.is_some_and(|s| own.contains(&s)) {
            Some(("egress", how))
        } else {
            Some(("through", how))
        }
    }

    /// Groups of the rows by interface label (the "by resource" facet):
    /// `(label text, kind, count, bytes)`, largest first.
    pub fn by_resource(&self, t: &Table, rows: &[u32], limit: usize) -> Vec<ResourceGroup> {
        let mut m: FxHashMap<u32, (u64, u64)> = FxHashMap::default();
        let bytes = t.column(Field::Bytes);
        for &r in rows {
            let e = m.entry(self.iface[r as usize]).or_default();
            e.0 += 1;
            e.1 += bytes.and_then(|c| c.uint(r as usize)).unwrap_or(0);
        }
        let mut v: Vec<ResourceGroup> = m
            .into_iter()
            .map(|(id, (count, bytes))| {
                let l = self.label(id);
                ResourceGroup {
                    label: l.map_or_else(|| "(not named)".to_string(), |l| l.text.clone()),
                    kind: l.map_or("", |l| l.kind),
                    count,
                    bytes,
                }
            })
            .collect();
        crate::sorting::sort_by(&mut v, |a, b| {
            b.count.cmp(&a.count).then(a.label.cmp(&b.label))
        });
        v.truncate(limit.max(1));
        v
    }
}

/// One group of the "by resource" facet.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ResourceGroup {
    /// The interface's label.
    pub label: String,
    /// The label's kind (one of [`KINDS`]).
    pub kind: &'static str,
    /// Records in the group.
    pub count: u64,
    /// Bytes of those records.
    pub bytes: u64,
}
