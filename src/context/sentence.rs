//! Each record as a sentence, for people:
//!
//! `12:03:04–12:04:04 UTC · 203.0.113.12:51234 → bastion (i-0abc…, eni-0a1b…):22 ssh · TCP · REJECTED · 1 packet, 40 B`
//!
//! Addresses carry their names (the interface's instance Name tag, load balancer, NAT
//! gateway…), the interface's own side shows its ids, the direction relative to the
//! interface is stated (from `flow-direction`, or by comparing the addresses with the
//! interface's own), pkt-srcaddr/pkt-dstaddr appear when they differ ("via NAT
//! gateway …"), and NODATA/SKIPDATA are spelled out.

use super::{addr, labels::short_id, text, Annotations, NONE};
use crate::fields::Field;
use crate::output::iso_time;
use crate::table::Table;
use crate::vocab;
use std::fmt::Write as _;
use std::net::IpAddr;

/// An integer or a time's seconds (as `t.value` gives them), read from the column
/// without making a `Value`: labelling reads several per row of millions.
fn uint(t: &Table, r: usize, f: Field) -> Option<u64> {
    let c = t
        .column(f)
        .filter(|c| r < c.len() && c.field.kind() != crate::fields::Kind::EventTime)?;
    c.uint(r)
}

fn hms(secs: u64) -> String {
    iso_time(secs as i64, 0)[11..19].to_string()
}

/// `12:03:04–12:04:04 UTC` (with the date when the span crosses midnight or is asked for).
fn span(t: &Table, r: usize) -> String {
    match (uint(t, r, Field::Start), uint(t, r, Field::End)) {
        (Some(s), Some(e)) => {
            let (ds, de) = (&iso_time(s as i64, 0)[..10], &iso_time(e as i64, 0)[..10]);
            if ds == de {
                format!("{}–{} UTC", hms(s), hms(e))
            } else {
                format!("{ds} {}–{de} {} UTC", hms(s), hms(e))
            }
        }
        (Some(s), None) => format!("{} UTC", hms(s)),
        _ => "time unknown".into(),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `1.5 KB` style sizes, to one decimal (halves round up). In integers: printing an
/// `f64` would link the float formatter (`core::num::flt2dec`, 16 KB) into the main wasm
/// module for this one sentence.
pub fn size(b: u64) -> String {
    let (unit, name) = match b {
        0..=999 => return format!("{b} B"),
        1_000..=999_999 => (1_000u128, "KB"),
        1_000_000..=999_999_999 => (1_000_000, "MB"),
        _ => (1_000_000_000, "GB"),
    };
    let tenths = (b as u128 * 10 + unit / 2) / unit;
    format!("{}.{} {name}", tenths / 10, tenths % 10)
}

impl Annotations {
    /// The name of one side of a row: `web-1 (i-0abc…, eni-0a1b…)` for the interface's
    /// own address, the label for others, the bare address when nothing is known.
    fn side(&self, t: &Table, r: usize, a: IpAddr, label: u32, own_side: bool) -> String {
        let eni = text(t, r, Field::InterfaceId);
        if let Some((i, public)) = self.context.interface_by_addr(a) {
            let mut ids = Vec::new();
            if let Some(inst) = &i.instance {
                ids.push(short_id(inst));
            }
            if own_side || i.instance.is_none() {
                ids.push(short_id(&i.id));
            }
            let name = match (i.label.kind, &i.name) {
                ("ec2", Some(n)) => n.clone(),
                _ => i.label.text.clone(),
            };
            let public = if public { "public IP " } else { "" };
            return format!("{name} ({}, {public}{a})", ids.join(", "));
        }
        match self.label(label) {
            Some(l) if matches!(l.kind, "public" | "private" | "vpc") => {
                if own_side && l.text.ends_with("(own address)") {
                    format!("{a} ({})", short_id(eni.unwrap_or("")))
                } else {
                    a.to_string()
                }
            }
            Some(l) => format!(
                "{a} ({}{})",
                l.text,
                if l.guess.is_some() { "?" } else { "" }
            ),
            None => a.to_string(),
        }
    }

    /// The record as a sentence (see the module documentation).
    pub fn sentence(&self, t: &Table, r: usize) -> String {
        let mut s = span(t, r);
        let status = text(t, r, Field::LogStatus);
        let eni = text(t, r, Field::InterfaceId);
        let iface_name = || {
            let l = self.label(*self.iface.get(r).unwrap_or(&NONE));
            match (eni, l) {
                (Some(e), Some(l)) => format!("{} ({})", l.text, short_id(e)),
                (Some(e), None) => e.to_string(),
                _ => "the interface".into(),
            }
        };
        match status {
            Some("NODATA") => {
                let _ = write!(
                    s,
                    " · {} · no traffic in this interval (NODATA)",
                    iface_name()
                );
                return s;
            }
            Some("SKIPDATA") => {
                let _ = write!(
                    s,
                    " · {} · records were skipped in this interval (SKIPDATA: capture capacity exceeded or an internal error)",
                    iface_name()
                );
                return s;
            }
            _ => {}
        }
        let dir = self.direction(t, r);
        let (Some(sa), Some(da)) = (addr(t, r, Field::SrcAddr), addr(t, r, Field::DstAddr)) else {
            let _ = write!(s, " · {} · no addresses", iface_name());
            return s;
        };
        let proto = uint(t, r, Field::Protocol).map(|p| p as u8);
        let port = |f: Field| {
            uint(t, r, f).map(|p| {
                let name =
                    vocab::port_name(p as u16, proto).filter(|_| f == Field::DstPort || p < 1024);
                match name {
                    Some(n) => format!(":{p} {n}"),
                    None => format!(":{p}"),
                }
            })
        };
        let own_src = matches!(dir, Some(("egress", _)));
        let own_dst = matches!(dir, Some(("ingress", _)));
        let src = self.side(t, r, sa, self.src[r], own_src);
        let dst = self.side(t, r, da, self.dst[r], own_dst);
        let sp = port(Field::SrcPort).unwrap_or_default();
        let sp = sp.split(' ').next().unwrap_or("").to_string();
        let dp = port(Field::DstPort).unwrap_or_default();
        let _ = write!(s, " · {src}{sp} → {dst}{dp}");
        // packet-level addresses when they differ
        for (pf, f, words) in [
            (Field::PktSrcAddr, sa, "from"),
            (Field::PktDstAddr, da, "to"),
        ] {
            if let Some(p) = addr(t, r, pf).filter(|p| *p != f) {
                let via = self
                    .label(if pf == Field::PktSrcAddr {
                        self.src[r]
                    } else {
                        self.dst[r]
                    })
                    .filter(|l| l.guess.is_none() && !matches!(l.kind, "public" | "private"))
                    .map(|l| l.text.clone())
                    .unwrap_or_else(|| f.to_string());
                let _ = write!(s, " · packet {words} {p} via {via}");
            }
        }
        if let Some(p) = proto {
            let _ = write!(s, " · {}", vocab::protocol_name(p).unwrap_or("protocol"));
            if vocab::protocol_name(p).is_none() {
                let _ = write!(s, " {p}");
            }
        }
        match text(t, r, Field::Action) {
            Some("ACCEPT") => s.push_str(" · ACCEPTED"),
            Some("REJECT") => s.push_str(" · REJECTED"),
            _ => {}
        }
        if let (Some(p), Some(b)) = (uint(t, r, Field::Packets), uint(t, r, Field::Bytes)) {
            let _ = write!(s, " · {}, {}", plural(p, "packet", "packets"), size(b));
        }
        match dir {
            Some(("through", _)) => {
                let _ = write!(s, " · through {}", iface_name());
            }
            Some((d, _)) => {
                let _ = write!(s, " · {d}");
            }
            None => {}
        }
        if self.health_of(r).is_some() {
            s.push_str(" · health check");
        }
        s
    }
}

impl Annotations {
    /// What the log says — or cannot say — about the client behind a load balancer or
    /// NAT gateway: pkt-srcaddr / pkt-dstaddr when they differ from srcaddr / dstaddr,
    /// and, in formats without them, where the client's address can be found.
    pub fn client_notes(&self, t: &Table, r: usize) -> Vec<String> {
        let mut out = Vec::new();
        let kind = |id: u32| self.label(id).map_or("", |l| l.kind);
        let via = |k: &str| match k {
            "elb" => " (via ELB)",
            "nat" => " (via NAT gateway)",
            _ => "",
        };
        let has_pkt = t.column(Field::PktSrcAddr).is_some();
        let (sa, da) = (addr(t, r, Field::SrcAddr), addr(t, r, Field::DstAddr));
        if let (Some(p), Some(a)) = (addr(t, r, Field::PktSrcAddr), sa) {
            if p != a {
                out.push(format!(
                    "pkt-srcaddr {p} differs from srcaddr {a}: the packet came from {p}{}; {a} is the address it was sent on from.",
                    via(kind(self.src[r]))
                ));
            }
        }
        if let (Some(p), Some(a)) = (addr(t, r, Field::PktDstAddr), da) {
            if p != a {
                out.push(format!(
                    "pkt-dstaddr {p} differs from dstaddr {a}: the packet is going to {p}{}.",
                    via(kind(self.dst[r]))
                ));
            }
        }
        if !has_pkt {
            let src_kind = kind(self.src.get(r).copied().unwrap_or(NONE));
            let private_src =
                sa.is_some_and(|a| crate::vocab::address_scope(a) == crate::vocab::SCOPE_PRIVATE);
            if matches!(src_kind, "elb" | "nat") {
                out.push(format!(
                    "srcaddr is the {} private address, not the client's. The client's address is not in flow logs of this format: pkt-srcaddr (flow log version 3 and later) or the load balancer's access logs carry it.",
                    if src_kind == "elb" { "load balancer's" } else { "NAT gateway's" }
                ));
            } else if private_src && matches!(self.direction(t, r), Some(("ingress", _))) {
                out.push("If this traffic came through a load balancer or NAT gateway, srcaddr is its private address, not the client's: this format has no pkt-srcaddr. Add pkt-srcaddr (version 3+) to the flow log format, or read the load balancer's access logs, to see the client.".to_string());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_to_one_decimal() {
        let cases = [
            (0, "0 B"),
            (999, "999 B"),
            (1_000, "1.0 KB"),
            (4_200, "4.2 KB"),
            (1_249, "1.2 KB"),
            (1_250, "1.3 KB"),
            (999_949, "999.9 KB"),
            (1_500_000, "1.5 MB"),
            (2_340_000_000, "2.3 GB"),
            (u64::MAX, "18446744073.7 GB"),
        ];
        for (b, text) in cases {
            assert_eq!(super::size(b), text, "{b}");
        }
    }
}
