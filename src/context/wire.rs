//! A table's annotations as bytes and back. The page labels a table in the context module
//! (`crates/flowlens-context`, loaded after a decode), which parses the context files,
//! labels every row and classifies health checks; what comes back to the main module is
//! only what looking things up needs ([`Annotations::from_bytes`]): the labels, the
//! per-row label ids and health-check series, the interfaces' own addresses, and of the
//! context files their list and interfaces (for sentences). The main module then links
//! none of the JSON parsing, labelling or classification code.
//!
//! As with tables ([`crate::Table::to_bytes`]), both ends are the same build: a magic and
//! a version guard the format, and damaged bytes are a [`WireError`], never a panic.

use super::files::ContextKind;
use super::health::Series;
use super::labels::{Context, ContextFileInfo, Interface, Label};
use super::{Annotations, ContextError, NONE};
use crate::table::wire::{Reader, Res, Writer};
use crate::table::WireError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const MAGIC: &[u8; 4] = b"FLAN";
const VERSION: u32 = 1;

const KINDS: [ContextKind; 5] = [
    ContextKind::NetworkInterfaces,
    ContextKind::Instances,
    ContextKind::LoadBalancers,
    ContextKind::TargetGroups,
    ContextKind::IpRanges,
];

impl Writer {
    fn ip(&mut self, a: IpAddr) {
        match a {
            IpAddr::V4(v) => {
                self.u8(4);
                self.0.extend_from_slice(&v.octets());
            }
            IpAddr::V6(v) => {
                self.u8(6);
                self.0.extend_from_slice(&v.octets());
            }
        }
    }
    fn ips(&mut self, v: &[IpAddr]) {
        self.len(v.len());
        for &a in v {
            self.ip(a);
        }
    }
    fn opt_str(&mut self, s: Option<&str>) {
        self.bool(s.is_some());
        if let Some(s) = s {
            self.str(s);
        }
    }
    fn label(&mut self, l: &Label) {
        self.str(&l.text);
        self.str(l.kind);
        self.str(l.source);
        self.opt_str(l.guess.as_deref());
    }
}

impl Reader<'_> {
    fn ip(&mut self) -> Res<IpAddr> {
        Ok(match self.u8()? {
            4 => IpAddr::V4(Ipv4Addr::from(self.array::<4>()?)),
            6 => IpAddr::V6(Ipv6Addr::from(self.array::<16>()?)),
            _ => return Err(WireError::Damaged("an address of no family")),
        })
    }
    fn ips(&mut self) -> Res<Vec<IpAddr>> {
        let n = self.len()?;
        (0..n).map(|_| self.ip()).collect()
    }
    fn opt_string(&mut self) -> Res<Option<String>> {
        Ok(if self.bool()? {
            Some(self.string()?)
        } else {
            None
        })
    }
    fn label(&mut self) -> Res<Label> {
        Ok(Label {
            text: self.string()?,
            kind: self.static_str()?,
            source: self.static_str()?,
            guess: self.opt_string()?,
        })
    }
}

impl Annotations {
    /// The annotations as bytes for [`Annotations::from_bytes`] in another module of
    /// this build.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(self.n * 12 + 1024));
        w.0.extend_from_slice(MAGIC);
        w.u32(VERSION);
        w.len(self.n);
        w.len(self.labels.len());
        for l in &self.labels {
            w.label(l);
        }
        for v in [&self.src, &self.dst, &self.iface] {
            w.words(v, u32::to_le_bytes);
        }
        // in row order, so that equal annotations give equal bytes
        // (row, series) as one u64, row high: one shared sort (`sorting::sort_u64`)
        let mut health: Vec<u64> = self
            .health
            .iter()
            .map(|(&r, &s)| (r as u64) << 32 | s as u64)
            .collect();
        crate::sorting::sort_u64(&mut health);
        w.len(health.len());
        for rs in health {
            w.u32((rs >> 32) as u32);
            w.u32(rs as u32);
        }
        w.len(self.series.len());
        for s in &self.series {
            w.ip(s.lb);
            w.ip(s.target);
            w.u32(s.port as u32);
            w.u64(s.period);
            w.len(s.checks);
            w.opt_str(s.lb_label.as_deref());
            w.len(s.targets);
            w.u64(s.max_packets);
            w.u64(s.max_bytes);
        }
        // a few per interface: the shared sort (keys are distinct, so stable is the same)
        let mut own: Vec<_> = self.own.iter().collect();
        crate::sorting::sort_by(&mut own, |a, b| a.0.cmp(b.0));
        w.len(own.len());
        for (id, addrs) in own {
            w.str(id);
            w.ips(addrs);
        }
        let mut inferred: Vec<_> = self.own_inferred.iter().collect();
        crate::sorting::sort_by(&mut inferred, |a, b| a.0.cmp(b.0));
        w.len(inferred.len());
        for (id, &(c, total)) in inferred {
            w.str(id);
            w.len(c);
            w.len(total);
        }
        w.bool(self.vpc_seen.is_some());
        if let Some((base, len)) = self.vpc_seen {
            w.ip(base);
            w.u8(len);
        }
        let ctx = &self.context;
        w.len(ctx.files.len());
        for f in &ctx.files {
            w.str(&f.name);
            w.u8(KINDS.iter().position(|k| *k == f.kind).unwrap_or(0) as u8);
            w.len(f.items);
            w.bool(f.error.is_some());
            if let Some(e) = &f.error {
                w.u64(e.line);
                w.str(&e.reason);
            }
        }
        let ifaces = ctx.interfaces();
        w.len(ifaces.len());
        for i in ifaces {
            w.str(&i.id);
            w.label(&i.label);
            w.opt_str(i.name.as_deref());
            w.ips(&i.addrs);
            w.ips(&i.public);
            w.opt_str(i.instance.as_deref());
            w.str(&i.zone);
            w.opt_str(i.lb.as_deref());
        }
        w.0
    }

    /// Annotations from [`Annotations::to_bytes`], for a table of `rows` rows (bytes
    /// made for another table are refused). Damaged or foreign bytes are an error.
    pub fn from_bytes(bytes: &[u8], rows: usize) -> Result<Annotations, WireError> {
        let mut r = Reader { buf: bytes, at: 0 };
        if r.take(4).ok() != Some(&MAGIC[..]) || r.u32().ok() != Some(VERSION) {
            return Err(WireError::Damaged("not annotations made by this build"));
        }
        let n = r.len()?;
        if n != rows {
            return Err(WireError::Damaged("annotations of another table"));
        }
        let count = r.len()?;
        let labels: Vec<Label> = (0..count).map(|_| r.label()).collect::<Res<_>>()?;
        let mut per_row = || -> Res<Vec<u32>> {
            let v = r.words(u32::from_le_bytes)?;
            if v.len() != n
                || v.iter()
                    .any(|&id| id != NONE && id as usize >= labels.len())
            {
                return Err(WireError::Damaged("row labels that point at no label"));
            }
            Ok(v)
        };
        let (src, dst, iface) = (per_row()?, per_row()?, per_row()?);
        let count = r.len()?;
        let mut health = rustc_hash::FxHashMap::default();
        for _ in 0..count {
            health.insert(r.u32()?, r.u32()?);
        }
        let count = r.len()?;
        let mut series = Vec::with_capacity(count.min(1 << 16));
        for _ in 0..count {
            series.push(Series {
                lb: r.ip()?,
                target: r.ip()?,
                port: u16::try_from(r.u32()?)
                    .map_err(|_| WireError::Damaged("a port past 65535"))?,
                period: r.u64()?,
                checks: r.len()?,
                lb_label: r.opt_string()?,
                targets: r.len()?,
                max_packets: r.u64()?,
                max_bytes: r.u64()?,
            });
        }
        if health
            .iter()
            .any(|(&row, &s)| row as usize >= n || s as usize >= series.len())
        {
            return Err(WireError::Damaged("a health check of no row or series"));
        }
        let count = r.len()?;
        let mut own = rustc_hash::FxHashMap::default();
        for _ in 0..count {
            own.insert(r.string()?, r.ips()?);
        }
        let count = r.len()?;
        let mut own_inferred = rustc_hash::FxHashMap::default();
        for _ in 0..count {
            own_inferred.insert(r.string()?, (r.len()?, r.len()?));
        }
        let vpc_seen = if r.bool()? {
            Some((r.ip()?, r.u8()?))
        } else {
            None
        };
        let count = r.len()?;
        let mut files = Vec::new();
        for _ in 0..count {
            let name = r.string()?;
            let kind = *KINDS
                .get(r.u8()? as usize)
                .ok_or(WireError::Damaged("an unknown kind of context file"))?;
            let items = r.len()?;
            let error = if r.bool()? {
                Some(ContextError {
                    line: r.u64()?,
                    reason: r.string()?,
                })
            } else {
                None
            };
            files.push(ContextFileInfo {
                name,
                kind,
                source: kind.source(),
                items,
                error,
            });
        }
        let count = r.len()?;
        let mut interfaces = Vec::new();
        for _ in 0..count {
            interfaces.push(Interface {
                id: r.string()?,
                label: r.label()?,
                name: r.opt_string()?,
                addrs: r.ips()?,
                public: r.ips()?,
                instance: r.opt_string()?,
                zone: r.string()?,
                lb: r.opt_string()?,
            });
        }
        if r.at != bytes.len() {
            return Err(WireError::Damaged("bytes after the end"));
        }
        Ok(Annotations {
            context: Context::from_parts(files, interfaces),
            labels,
            src,
            dst,
            iface,
            health,
            series,
            own,
            own_inferred,
            vpc_seen,
            n,
        })
    }
}
