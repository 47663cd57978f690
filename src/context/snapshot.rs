//! The labels a report carries. A report embeds its records, not the context files, so
//! it carries what the context files *gave* those records instead: the derived label
//! table (every distinct label, and per record the label of its source, destination and
//! interface), the health-check verdicts with their series, and the interfaces the
//! records touch (for the names in sentences). Why derived rather than the raw files:
//!
//! - **the same verdicts**: health checks and inferred labels depend on the whole table
//!   (a series spans records the filter left out; an interface's own address is the one
//!   in most of its records), so the report's subset re-labelled from the raw files could
//!   say otherwise than the page that saved it;
//! - **redaction covers it**: the raw files hold owner account IDs, ARNs, every tag and
//!   address of the account; the derived table holds only what the labels show, and it
//!   goes through the same [`Redactor`] as the records, so a public address gets the same
//!   pseudonym in a label as in the lines and labels still attach;
//! - **size**: `ip-ranges.json` alone is ~2 MB; the labels of a view are a few KB.
//!
//! It travels as one more context file (gzip, first key [`MARKER`]), so the page reads it
//! with the code that reads any context file; [`super::Annotations::build`] takes it as the
//! table's labels when its row count is the table's (the report's records, in order).

use super::health::Series;
use super::labels::{Interface, Label, KINDS};
use super::{Annotations, Context, ContextKind, NONE};
// what writing a report's labels needs (the `report` feature)
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
#[cfg(feature = "report")]
use {
    crate::fields::Field,
    crate::redact::{is_public, Redactor},
    crate::table::{Table, Value},
    rustc_hash::{FxHashMap, FxHashSet},
};

/// The first key of the embedded labels file: how it is recognised as context.
pub const MARKER: &str = "flowlens_labels";
/// Its format version.
pub const VERSION: u32 = 1;

/// Where labels come from, as [`Label::source`] names it.
const SOURCES: &[&str] = &[
    "describe-network-interfaces",
    "ip-ranges.json",
    "pkt-src-aws-service",
    "pkt-dst-aws-service",
    "the log",
    "address range",
    "instance-id",
    "health checks in the log",
];

/// The labels of a report's records (see the module documentation).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    /// The format version; the first key, so that the file is recognised.
    pub flowlens_labels: u32,
    /// Records labelled: the report's, in the order they are embedded.
    pub rows: usize,
    /// The context files the labels came from.
    pub files: Vec<SavedFile>,
    /// Every distinct label.
    pub labels: Vec<Label>,
    /// Per record: the index + 1 into `labels` of its source address's label (0: none).
    pub src: Vec<u32>,
    /// Per record: the same for its destination address.
    pub dst: Vec<u32>,
    /// Per record: the same for its interface.
    pub iface: Vec<u32>,
    /// `(record, series)` of every health check.
    pub health: Vec<(u32, u32)>,
    /// The health-check series, with their reasons' facts.
    pub series: Vec<Series>,
    /// The interfaces the records name or address, for names in sentences.
    pub interfaces: Vec<Interface>,
    /// Own addresses of the records' interfaces (the direction of a record).
    pub own: Vec<(String, Vec<IpAddr>)>,
    /// Interfaces whose own address is inferred: `(id, records showing it, records)`.
    pub own_inferred: Vec<(String, usize, usize)>,
    /// The VPC's private space as seen in the log.
    pub vpc_seen: Option<(IpAddr, u8)>,
}

/// A context file the labels came from, for the files panel.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedFile {
    /// Its name (redacted like file names).
    pub name: String,
    /// Which kind of context file.
    pub kind: ContextKind,
    /// How many items it held.
    pub items: usize,
}

/// A [`Label`] as read back: its kind and source are names this version may not know.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedLabel {
    /// [`Label::text`].
    pub text: String,
    /// [`Label::kind`].
    pub kind: String,
    /// [`Label::source`].
    pub source: String,
    /// [`Label::guess`].
    pub guess: Option<String>,
}

/// A context file's name as a report gives it: the file name of an absolute path (the
/// sender's directories do not travel with the report), a relative one as it is.
#[cfg(feature = "report")]
fn shown_name(name: &str) -> String {
    let p = std::path::Path::new(name);
    if p.is_absolute() || name.starts_with("..") || name.contains(":\\") {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        return base.to_string();
    }
    name.to_string()
}

fn known(s: &str, list: &[&'static str], otherwise: &'static str) -> &'static str {
    list.iter().find(|k| **k == s).copied().unwrap_or(otherwise)
}

/// Read through [`SavedLabel`]: the kind and source are names, mapped to this version's.
impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Label, D::Error> {
        SavedLabel::deserialize(d).map(Label::from)
    }
}

impl From<SavedLabel> for Label {
    fn from(l: SavedLabel) -> Label {
        Label {
            text: l.text,
            // a kind or source this version does not know (a newer report): the nearest
            // neutral one, so a label is never dropped
            kind: known(&l.kind, KINDS, "eni"),
            source: known(&l.source, SOURCES, "a flowlens report"),
            guess: l.guess,
        }
    }
}

/// Interns labels (or series) of the source by their index, in order of first use.
#[cfg(feature = "report")]
struct Remap {
    of: FxHashMap<u32, u32>,
    order: Vec<u32>,
}

#[cfg(feature = "report")]
impl Remap {
    fn new() -> Remap {
        Remap {
            of: FxHashMap::default(),
            order: Vec::new(),
        }
    }

    /// The new index of `id`.
    fn id(&mut self, id: u32) -> u32 {
        let next = self.order.len() as u32;
        *self.of.entry(id).or_insert_with(|| {
            self.order.push(id);
            next
        })
    }
}

impl Annotations {
    /// The labels of `rows` (in the order a report embeds them), as a report carries them.
    /// Writing a report is the report module's (the `report` feature).
    #[cfg(feature = "report")]
    pub fn snapshot(&self, t: &Table, rows: &[u32]) -> Snapshot {
        let mut labels = Remap::new();
        let mut per_row = |v: &[u32]| -> Vec<u32> {
            rows.iter()
                .map(|&r| match v.get(r as usize) {
                    Some(&id) if id != NONE && (id as usize) < self.labels.len() => {
                        labels.id(id) + 1
                    }
                    _ => 0,
                })
                .collect()
        };
        let (src, dst, iface) = (per_row(&self.src), per_row(&self.dst), per_row(&self.iface));
        let mut series = Remap::new();
        let health = rows
            .iter()
            .enumerate()
            .filter_map(|(k, r)| self.health.get(r).map(|&s| (k as u32, series.id(s))))
            .collect();
        // the interfaces the rows name or address
        let mut ids: FxHashSet<&str> = FxHashSet::default();
        let mut addrs: FxHashSet<IpAddr> = FxHashSet::default();
        for &r in rows {
            let r = r as usize;
            if let Value::Text(id) = t.value(r, Field::InterfaceId) {
                ids.insert(id);
            }
            for f in [
                Field::SrcAddr,
                Field::DstAddr,
                Field::PktSrcAddr,
                Field::PktDstAddr,
            ] {
                if let Value::Addr(a) = t.value(r, f) {
                    addrs.insert(a);
                }
            }
        }
        let interfaces = self
            .context
            .interfaces()
            .iter()
            .filter(|i| {
                ids.contains(i.id.as_str())
                    || i.addrs.iter().chain(&i.public).any(|a| addrs.contains(a))
            })
            .cloned()
            .collect();
        let mut own: Vec<(String, Vec<IpAddr>)> = self
            .own
            .iter()
            .filter(|(id, _)| ids.contains(id.as_str()))
            .map(|(id, a)| (id.clone(), a.clone()))
            .collect();
        crate::sorting::sort_by(&mut own, |a, b| a.0.cmp(&b.0));
        let mut own_inferred: Vec<(String, usize, usize)> = self
            .own_inferred
            .iter()
            .filter(|(id, _)| ids.contains(id.as_str()))
            .map(|(id, &(c, n))| (id.clone(), c, n))
            .collect();
        crate::sorting::sort_by(&mut own_inferred, |a, b| a.0.cmp(&b.0));
        Snapshot {
            flowlens_labels: VERSION,
            rows: rows.len(),
            files: self
                .context
                .files
                .iter()
                .filter(|f| f.error.is_none() && f.kind != ContextKind::ReportLabels)
                .map(|f| SavedFile {
                    name: shown_name(&f.name),
                    kind: f.kind,
                    items: f.items,
                })
                .collect(),
            labels: labels
                .order
                .iter()
                .map(|&i| self.labels[i as usize].clone())
                .collect(),
            src,
            dst,
            iface,
            health,
            series: series
                .order
                .iter()
                .map(|&i| self.series[i as usize].clone())
                .collect(),
            interfaces,
            own,
            own_inferred,
            vpc_seen: self.vpc_seen,
        }
    }

    /// The annotations a report's labels give its `rows` records (`context` holds their
    /// interfaces). Indexes out of range (a damaged file) are no label.
    pub(crate) fn from_snapshot(s: Snapshot, context: Context) -> Annotations {
        let n = s.rows;
        let labels = s.labels;
        let ids = |v: Vec<u32>| -> Vec<u32> {
            let mut v: Vec<u32> = v
                .into_iter()
                .map(|i| match i.checked_sub(1) {
                    Some(i) if (i as usize) < labels.len() => i,
                    _ => NONE,
                })
                .collect();
            v.resize(n, NONE);
            v
        };
        let (src, dst, iface) = (ids(s.src), ids(s.dst), ids(s.iface));
        let health = s
            .health
            .into_iter()
            .filter(|&(r, k)| (r as usize) < n && (k as usize) < s.series.len())
            .collect();
        Annotations {
            context,
            labels,
            src,
            dst,
            iface,
            health,
            series: s.series,
            own: s.own.into_iter().collect(),
            own_inferred: s
                .own_inferred
                .into_iter()
                .map(|(id, c, t)| (id, (c, t)))
                .collect(),
            vpc_seen: s.vpc_seen,
            n,
        }
    }
}

/// Redacting the labels a report writes (the `report` feature: the report module).
#[cfg(feature = "report")]
impl Snapshot {
    /// Every address the labels hold.
    fn addresses(&self) -> impl Iterator<Item = IpAddr> + '_ {
        self.interfaces
            .iter()
            .flat_map(|i| i.addrs.iter().chain(&i.public))
            .chain(self.series.iter().flat_map(|s| [&s.lb, &s.target]))
            .chain(self.own.iter().flat_map(|(_, a)| a))
            .copied()
    }

    /// Notes the addresses of the pseudonym pools the labels hold as they are, so that no
    /// other address is given one of them (see [`Redactor::reserve`]).
    pub fn reserve(&self, red: &mut Redactor) {
        for a in self.addresses() {
            red.reserve(a);
        }
        for l in &self.labels {
            red.reserve_in_text(&l.text);
        }
    }

    /// Redacts the labels with the report's redactor, so that a value is replaced as in
    /// the records: public addresses (in the interfaces, series and texts) get the same
    /// pseudonyms, account IDs in texts are masked, file names are redacted like the
    /// records' file names; with tags dropped, the Name tag an EC2 label shows
    /// (`EC2 i-0abc… (web-1)`, the only tag value labels hold) goes, and with it the
    /// interface's short name.
    pub fn redact(&mut self, red: &mut Redactor) {
        if red.opts.is_none() {
            return;
        }
        // (label text with the Name tag, without it)
        let mut named: Vec<(String, String)> = Vec::new();
        if red.opts.tags {
            for i in &mut self.interfaces {
                if i.label.kind == "ec2" {
                    if let (Some(n), Some(inst)) = (&i.name, &i.instance) {
                        named.push((format!("EC2 {inst} ({n})"), format!("EC2 {inst}")));
                    }
                    i.name = None;
                }
            }
            // longest first: `web-10` before `web-1`
            crate::sorting::sort_by(&mut named, |a, b| b.0.len().cmp(&a.0.len()));
        }
        let text = |s: &str, red: &mut Redactor| -> String {
            let mut s = s.to_string();
            for (with, without) in &named {
                if s.contains(with.as_str()) {
                    s = s.replace(with.as_str(), without);
                }
            }
            red.text(&s)
        };
        let label = |l: &mut Label, red: &mut Redactor| {
            l.text = text(&l.text, red);
            l.guess = l.guess.as_deref().map(|g| text(g, red));
        };
        for l in &mut self.labels {
            label(l, red);
        }
        for i in &mut self.interfaces {
            label(&mut i.label, red);
            i.name = i.name.as_deref().map(|n| red.text(n));
            i.lb = i.lb.as_deref().map(|n| red.text(n));
            for a in i.addrs.iter_mut().chain(i.public.iter_mut()) {
                *a = red.addr(*a);
            }
        }
        for s in &mut self.series {
            s.lb = red.addr(s.lb);
            s.target = red.addr(s.target);
            s.lb_label = s.lb_label.as_deref().map(|l| red.text(l));
        }
        for (_, addrs) in &mut self.own {
            for a in addrs {
                *a = red.addr(*a);
            }
        }
        if red.opts.ips && self.vpc_seen.is_some_and(|(a, _)| is_public(a)) {
            self.vpc_seen = None;
        }
        for f in &mut self.files {
            f.name = red.text(&f.name);
        }
    }
}
