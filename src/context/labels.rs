//! Labels: what an interface or an address is, in words, from the context files — and,
//! without them, what the log alone says (reserved ranges, AWS's own link-local
//! services, the VPC's own address space as seen in the data). A label that is a guess
//! carries the reason in [`Label::guess`].

use super::files::{ContextFile, IpPrefix, NetworkInterface};
use crate::query::parse_net;
use rustc_hash::FxHashMap;
use std::net::IpAddr;

/// What a label names, for `interface.type = elb` and the badge colour.
pub const KINDS: &[&str] = &[
    "ec2", "elb", "nat", "lambda", "vpce", "rds", "efs", "eni", "aws", "vpc", "private", "public",
    "reserved",
];

/// A label of an interface or address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Label {
    /// In words: `ELB app/web-alb (zone a)`, `EC2 i-0abc… (web-1)`, `S3 us-east-1`.
    pub text: String,
    /// One of [`KINDS`].
    pub kind: &'static str,
    /// Where it comes from: `describe-network-interfaces`, `ip-ranges.json`,
    /// `pkt-dst-aws-service`, `the log`…
    pub source: &'static str,
    /// Why it is only a guess (`None` when a context file states it).
    pub guess: Option<String>,
}

/// One interface as the labels need it (a report carries it: see [`super::snapshot`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Interface {
    pub id: String,
    pub label: Label,
    /// Short name for sentences: the Name tag, `web-alb`, `nat-…`.
    pub name: Option<String>,
    pub addrs: Vec<IpAddr>,
    pub public: Vec<IpAddr>,
    pub instance: Option<String>,
    pub zone: String,
    /// For a load balancer's interface: its ARN id, `app/web-alb/6c01…`.
    pub lb: Option<String>,
}

#[derive(Debug, Clone)]
struct Prefix {
    v6: bool,
    base: u128,
    len: u8,
    service: String,
    region: String,
}

/// One loaded context file, for the files panel.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ContextFileInfo {
    /// The file's name.
    pub name: String,
    /// Which kind of context file.
    pub kind: super::ContextKind,
    /// The AWS command or document it comes from.
    pub source: &'static str,
    /// How many items (interfaces, instances, …) it holds.
    pub items: usize,
    /// Set when the file was recognised but could not be parsed.
    pub error: Option<super::ContextError>,
}

/// Everything the context files say, merged.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Every context file given, in order.
    pub files: Vec<ContextFileInfo>,
    raw_enis: Vec<NetworkInterface>,
    names: FxHashMap<String, String>,
    /// Load balancer ARN id part (`app/web-alb/6c01…`) → scheme (`internet-facing`).
    lbs: FxHashMap<String, String>,
    /// (LB ARN suffix, health-check port, interval) per target group.
    pub(crate) checks: Vec<(String, u16, Option<u32>)>,
    prefixes: Vec<Prefix>,
    built: Option<Built>,
    /// Longest-prefix index: per (family, length), longest first, the prefix base → the
    /// first (preferred) entry of `prefixes` with it.
    by_len: Vec<(bool, u8, FxHashMap<u128, usize>)>,
    /// The interfaces a report's labels name (see [`super::snapshot`]).
    saved_interfaces: Vec<Interface>,
    /// A report's labels of its records, until the table takes them.
    pub(crate) snapshot: Option<Box<super::snapshot::Snapshot>>,
}

#[derive(Debug, Clone, Default)]
struct Built {
    interfaces: Vec<Interface>,
    by_id: FxHashMap<String, usize>,
    by_addr: FxHashMap<IpAddr, (usize, bool)>,
}

impl Built {
    /// The lookups of these interfaces by id and by (private or public) address.
    fn of(interfaces: Vec<Interface>) -> Built {
        let mut b = Built::default();
        for i in interfaces {
            let idx = b.interfaces.len();
            for a in &i.addrs {
                b.by_addr.insert(*a, (idx, false));
            }
            for a in &i.public {
                b.by_addr.insert(*a, (idx, true));
            }
            b.by_id.insert(i.id.clone(), idx);
            b.interfaces.push(i);
        }
        b
    }
}

impl Context {
    /// Adds a file's bytes. `None` when the bytes are not a context file (decode them as
    /// flow logs); `Some(Err)` when they are one but broken (listed with the reason).
    pub fn add_file(
        &mut self,
        name: &str,
        bytes: &[u8],
    ) -> Option<Result<(), super::ContextError>> {
        let kind = super::sniff(&bytes[..bytes.len().min(4096)])?;
        match super::files::parse(bytes)? {
            Ok(f) => {
                self.files.push(ContextFileInfo {
                    name: name.to_string(),
                    kind,
                    source: kind.source(),
                    items: f.items(),
                    error: None,
                });
                self.add(f);
                Some(Ok(()))
            }
            Err(e) => {
                self.files.push(ContextFileInfo {
                    name: name.to_string(),
                    kind,
                    source: kind.source(),
                    items: 0,
                    error: Some(e.clone()),
                });
                Some(Err(e))
            }
        }
    }

    /// Adds a parsed file.
    pub(crate) fn add(&mut self, f: ContextFile) {
        self.built = None;
        match f {
            ContextFile::NetworkInterfaces(n) => self.raw_enis.extend(n.network_interfaces),
            ContextFile::Instances(i) => {
                for inst in i.reservations.into_iter().flat_map(|r| r.instances) {
                    if let Some(t) = inst.tags.iter().find(|t| t.key == "Name") {
                        self.names.insert(inst.instance_id.clone(), t.value.clone());
                    }
                }
            }
            ContextFile::LoadBalancers(l) => {
                for lb in l.load_balancers {
                    if let Some(id) = lb_id(&lb.load_balancer_arn) {
                        self.lbs.insert(id.to_string(), lb.scheme.clone());
                    }
                }
            }
            ContextFile::TargetGroups(t) => {
                for tg in t.target_groups {
                    let port = tg.check_port();
                    for arn in &tg.load_balancer_arns {
                        if let (Some(id), Some(p)) = (lb_id(arn), port) {
                            self.checks
                                .push((id.to_string(), p, tg.health_check_interval_seconds));
                        }
                    }
                }
            }
            ContextFile::ReportLabels(mut snap) => {
                // the files the labels came from, listed as they were when saved
                for f in std::mem::take(&mut snap.files) {
                    self.files.push(ContextFileInfo {
                        name: f.name,
                        kind: f.kind,
                        source: f.kind.source(),
                        items: f.items,
                        error: None,
                    });
                }
                self.saved_interfaces
                    .extend(std::mem::take(&mut snap.interfaces));
                self.snapshot = Some(snap);
            }
            ContextFile::IpRanges(r) => {
                for p in r.prefixes.iter().chain(&r.ipv6_prefixes) {
                    if let Some(p) = prefix(p) {
                        self.prefixes.push(p);
                    }
                }
                // longest prefix first, then specific services before AMAZON
                crate::sorting::sort_by(&mut self.prefixes, |a, b| {
                    b.len
                        .cmp(&a.len)
                        .then((a.service == "AMAZON").cmp(&(b.service == "AMAZON")))
                });
                self.by_len.clear();
                for (i, p) in self.prefixes.iter().enumerate() {
                    match self.by_len.last_mut() {
                        Some((v6, len, m)) if *v6 == p.v6 && *len == p.len => {
                            m.entry(p.base).or_insert(i);
                        }
                        _ => {
                            let mut m = FxHashMap::default();
                            m.insert(p.base, i);
                            self.by_len.push((p.v6, p.len, m));
                        }
                    }
                }
                crate::sorting::sort_by(&mut self.by_len, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            }
        }
    }

    /// The context as the lookups after labelling need it: the files' list and the
    /// interfaces of describe-network-interfaces (see `context::wire`).
    pub(crate) fn from_parts(files: Vec<ContextFileInfo>, interfaces: Vec<Interface>) -> Context {
        Context {
            files,
            built: Some(Built::of(interfaces)),
            ..Context::default()
        }
    }

    /// Whether any context file was loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    fn built(&mut self) -> &Built {
        if self.built.is_none() {
            let saved = self.saved_interfaces.iter().cloned();
            let interfaces = self
                .raw_enis
                .iter()
                .map(|e| self.interface(e))
                .chain(saved)
                .collect();
            self.built = Some(Built::of(interfaces));
        }
        self.built.as_ref().unwrap()
    }

    /// Prepares the lookups (call once after the last file).
    pub fn prepare(&mut self) {
        self.built();
    }

    fn b(&self) -> Option<&Built> {
        self.built.as_ref()
    }

    /// Every interface of describe-network-interfaces.
    pub fn interfaces(&self) -> &[Interface] {
        self.b().map_or(&[], |b| &b.interfaces)
    }

    /// The interface with this id, from describe-network-interfaces.
    pub fn interface_by_id(&self, id: &str) -> Option<&Interface> {
        let b = self.b()?;
        b.by_id.get(id).map(|&i| &b.interfaces[i])
    }

    /// The interface owning this address, and whether it is its public address.
    pub fn interface_by_addr(&self, a: IpAddr) -> Option<(&Interface, bool)> {
        let b = self.b()?;
        b.by_addr.get(&a).map(|&(i, p)| (&b.interfaces[i], p))
    }

    /// Health-check ports and intervals of a load balancer's target groups, by the
    /// interface's description (`ELB app/web-alb/6c01…`).
    pub fn lb_checks(&self, iface: &Interface) -> Vec<(u16, Option<u32>)> {
        let Some(id) = iface.lb.as_deref() else {
            return Vec::new();
        };
        self.checks
            .iter()
            .filter(|c| c.0 == id)
            .map(|c| (c.1, c.2))
            .collect()
    }

    /// ip-ranges.json's service and region for an address (longest prefix).
    pub fn aws_range(&self, a: IpAddr) -> Option<(&str, &str)> {
        let (v6, n) = match a {
            IpAddr::V4(v) => (false, u32::from(v) as u128),
            IpAddr::V6(v) => (true, u128::from(v)),
        };
        let bits: u32 = if v6 { 128 } else { 32 };
        self.by_len
            .iter()
            .filter(|(f, _, _)| *f == v6)
            .find_map(|(_, len, m)| {
                let shift = bits - *len as u32;
                let base = if shift >= bits {
                    0
                } else {
                    (n >> shift) << shift
                };
                m.get(&base)
            })
            .map(|&i| {
                let p = &self.prefixes[i];
                (p.service.as_str(), p.region.as_str())
            })
    }

    fn interface(&self, e: &NetworkInterface) -> Interface {
        let mut addrs: Vec<IpAddr> = e
            .private_ip_addresses
            .iter()
            .map(|p| p.private_ip_address.as_str())
            .chain(e.private_ip_address.as_deref())
            .chain(e.ipv6_addresses.iter().map(|a| a.ipv6_address.as_str()))
            .filter_map(|s| s.parse().ok())
            .collect();
        crate::sorting::sort(&mut addrs);
        addrs.dedup();
        let mut public: Vec<IpAddr> = e
            .association
            .iter()
            .chain(
                e.private_ip_addresses
                    .iter()
                    .filter_map(|p| p.association.as_ref()),
            )
            .filter_map(|a| a.public_ip.parse().ok())
            .collect();
        crate::sorting::sort(&mut public);
        public.dedup();
        let instance = e.attachment.as_ref().and_then(|a| a.instance_id.clone());
        let (label, name) = interface_label(e, instance.as_deref(), &self.names);
        let lb = e
            .description
            .trim()
            .strip_prefix("ELB ")
            .map(|id| id.trim().to_string());
        // elbv2 describe-load-balancers adds the scheme: "ELB app/web-alb (zone a, internet-facing)"
        let mut label = label;
        if let Some(scheme) = lb
            .as_deref()
            .and_then(|id| self.lbs.get(id))
            .filter(|s| !s.is_empty())
        {
            if label.text.ends_with(')') {
                label.text.pop();
                label.text.push_str(&format!(", {scheme})"));
            }
        }
        Interface {
            id: e.network_interface_id.clone(),
            label,
            name,
            addrs,
            public,
            instance,
            zone: e.availability_zone.clone(),
            lb,
        }
    }
}

/// `app/web-alb/6c01…` from a load balancer ARN.
fn lb_id(arn: &str) -> Option<&str> {
    arn.split_once(":loadbalancer/").map(|(_, id)| id)
}

fn prefix(p: &IpPrefix) -> Option<Prefix> {
    let net = parse_net(p.ip_prefix.trim()).ok()?;
    Some(match net {
        crate::query::Net::V4 { base, prefix } => Prefix {
            v6: false,
            base: base as u128,
            len: prefix,
            service: p.service.clone(),
            region: p.region.clone(),
        },
        crate::query::Net::V6 { base, prefix } => Prefix {
            v6: true,
            base,
            len: prefix,
            service: p.service.clone(),
            region: p.region.clone(),
        },
    })
}

/// `i-0abc12…`: an AWS id cut to its prefix and four characters, for sentences.
pub fn short_id(id: &str) -> String {
    match id.split_once('-') {
        Some((p, rest)) if rest.len() > 6 => format!("{p}-{}…", &rest[..4]),
        _ => id.to_string(),
    }
}

fn zone_letter(az: &str) -> String {
    match az.chars().last() {
        Some(c) if c.is_ascii_lowercase() => format!("zone {c}"),
        _ => az.to_string(),
    }
}

fn stated(text: String, kind: &'static str) -> Label {
    Label {
        text,
        kind,
        source: "describe-network-interfaces",
        guess: None,
    }
}

/// The label of an interface from its Description, InterfaceType and RequesterId (the
/// fields AWS fills for the interfaces its services create), and a short name. For load
/// balancers the name carries `name|arn-id` so the target groups can be matched.
fn interface_label(
    e: &NetworkInterface,
    instance: Option<&str>,
    names: &FxHashMap<String, String>,
) -> (Label, Option<String>) {
    let d = e.description.trim();
    let t = e.interface_type.as_str();
    let req = e.requester_id.as_deref().unwrap_or("");
    let zone = zone_letter(&e.availability_zone);
    if let Some(id) = d.strip_prefix("ELB ") {
        let parts: Vec<&str> = id.split('/').collect();
        return if parts.len() >= 3 {
            (
                stated(format!("ELB {}/{} ({zone})", parts[0], parts[1]), "elb"),
                Some(parts[1].to_string()),
            )
        } else {
            // classic load balancer: "ELB my-classic-lb"
            (
                stated(format!("Classic ELB {id} ({zone})"), "elb"),
                Some(id.to_string()),
            )
        };
    }
    if t == "nat_gateway" || d.starts_with("Interface for NAT Gateway") {
        let nat = d
            .rsplit(' ')
            .next()
            .filter(|w| w.starts_with("nat-"))
            .unwrap_or("");
        return (
            stated(format!("NAT gateway {nat}").trim_end().to_string(), "nat"),
            Some(nat.to_string()).filter(|n| !n.is_empty()),
        );
    }
    if t == "lambda" || d.starts_with("AWS Lambda VPC ENI") {
        let from_req = req.split_once(':').map(|(_, f)| f.to_string());
        let func = from_req.unwrap_or_else(|| {
            let s = d
                .trim_start_matches("AWS Lambda VPC ENI")
                .trim_start_matches('-');
            // strip the trailing `-xxxxxxxx-xxxx` id the service appends
            let mut parts: Vec<&str> = s.split('-').collect();
            while parts.len() > 1
                && parts
                    .last()
                    .is_some_and(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
            {
                parts.pop();
            }
            parts.join("-")
        });
        return (
            stated(format!("Lambda function {func}"), "lambda"),
            Some(func),
        );
    }
    if t == "vpc_endpoint" || d.starts_with("VPC Endpoint Interface") {
        let id = d.rsplit(' ').next().filter(|w| w.starts_with("vpce-"));
        return (
            stated(
                match id {
                    Some(id) => format!("VPC endpoint {id}"),
                    None => "VPC endpoint".into(),
                },
                "vpce",
            ),
            id.map(str::to_string),
        );
    }
    if d.starts_with("RDSNetworkInterface") || req == "amazon-rds" {
        return (stated(format!("RDS ({zone})"), "rds"), Some("RDS".into()));
    }
    if let Some(rest) = d.strip_prefix("EFS mount target for ") {
        let fs = rest.split(' ').next().unwrap_or("");
        return (
            stated(format!("EFS mount target {fs}"), "efs"),
            Some(fs.to_string()),
        );
    }
    if let Some(i) = instance.filter(|i| i.starts_with("i-")) {
        let name = names.get(i).cloned().or_else(|| {
            e.tag_set
                .iter()
                .find(|t| t.key == "Name")
                .map(|t| t.value.clone())
        });
        let text = match &name {
            Some(n) => format!("EC2 {i} ({n})"),
            None => format!("EC2 {i}"),
        };
        return (stated(text, "ec2"), name);
    }
    let what = crate::vocab::interface_type_label(t)
        .map(str::to_string)
        .unwrap_or_else(|| {
            if d.is_empty() {
                "interface".into()
            } else {
                d.to_string()
            }
        });
    let text = if e.requester_managed {
        format!("{what} (AWS-managed)")
    } else {
        what
    };
    (stated(text, "eni"), None)
}

/// What the address itself says, with no context: AWS's link-local services, reserved
/// and documentation ranges.
pub fn reserved_label(a: IpAddr) -> Option<Label> {
    let known = |text: &str, kind: &'static str| {
        Some(Label {
            text: text.to_string(),
            kind,
            source: "address range",
            guess: None,
        })
    };
    match a {
        IpAddr::V4(v) => {
            let o = v.octets();
            match o {
                [169, 254, 169, 254] => known("instance metadata (IMDS)", "aws"),
                [169, 254, 169, 253] => known("Amazon DNS (Route 53 Resolver)", "aws"),
                [169, 254, 169, 123] => known("Amazon Time Sync", "aws"),
                [169, 254, ..] => known("link-local", "reserved"),
                [192, 0, 2, _] | [198, 51, 100, _] | [203, 0, 113, _] => {
                    known("documentation range (RFC 5737)", "reserved")
                }
                [100, b, ..] if (64..128).contains(&b) => {
                    known("shared address space (RFC 6598)", "reserved")
                }
                [127, ..] => known("loopback", "reserved"),
                [0, ..] => known("unspecified", "reserved"),
                [224..=239, ..] => known("multicast", "reserved"),
                [255, 255, 255, 255] => known("broadcast", "reserved"),
                [198, 18..=19, ..] => known("benchmarking range (RFC 2544)", "reserved"),
                _ => None,
            }
        }
        IpAddr::V6(v) => {
            let s = v.segments();
            if s[0] == 0x2001 && s[1] == 0xdb8 {
                known("documentation range (RFC 3849)", "reserved")
            } else if v == std::net::Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
                known("instance metadata (IMDS)", "aws")
            } else if v == std::net::Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23) {
                known("Amazon DNS (Route 53 Resolver)", "aws")
            } else if s[0] & 0xffc0 == 0xfe80 {
                known("link-local", "reserved")
            } else if s[0] & 0xff00 == 0xff00 {
                known("multicast", "reserved")
            } else if v.is_loopback() {
                known("loopback", "reserved")
            } else {
                None
            }
        }
    }
}

/// A public address in ip-ranges.json: `S3 us-east-1`, `CLOUDFRONT`.
pub fn range_label(service: &str, region: &str) -> Label {
    let text = if region.is_empty() || region == "GLOBAL" {
        service.to_string()
    } else {
        format!("{service} {region}")
    };
    Label {
        text,
        kind: "aws",
        source: "ip-ranges.json",
        guess: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids() {
        assert_eq!(short_id("i-0abc1234567890def"), "i-0abc…");
        assert_eq!(short_id("eni-6d018c25"), "eni-6d01…");
        assert_eq!(short_id("nat-1"), "nat-1");
    }

    #[test]
    fn reserved_ranges() {
        let l = |s: &str| reserved_label(s.parse().unwrap()).map(|l| l.text);
        assert_eq!(l("203.0.113.12").unwrap(), "documentation range (RFC 5737)");
        assert_eq!(l("169.254.169.254").unwrap(), "instance metadata (IMDS)");
        assert_eq!(l("2001:db8::1").unwrap(), "documentation range (RFC 3849)");
        assert_eq!(l("100.64.1.1").unwrap(), "shared address space (RFC 6598)");
        assert_eq!(l("10.0.0.1"), None);
        assert_eq!(l("54.1.2.3"), None);
    }
}
