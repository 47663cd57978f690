//! Vocabularies used to decode flow log values for display and exports.
//!
//! Everything here is a pure function over static tables: IANA protocol numbers, TCP
//! flag bits, the small enumerations AWS documents for VPC Flow Logs fields
//! (`traffic-path`, `log-status`, `reject-reason`, `encryption-status`,
//! `flow-direction`, `type`, `sublocation-type`, `interface-type`,
//! `pkt-src-aws-service` / `pkt-dst-aws-service`), well-known port names, the
//! percent-decoding used by the version 11 tag fields, and address scopes.
//!
//! Lookups return `Option<&'static str>` and never allocate; the only functions that
//! may allocate are [`tcp_flags_label`] (which builds a `String`) and
//! [`percent_decode`] (which borrows its input when there is nothing to decode).
//!
//! String vocabularies are matched ASCII case-insensitively unless noted otherwise.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

// ---------------------------------------------------------------------------------
// IANA protocol numbers
// ---------------------------------------------------------------------------------

/// IANA "Assigned Internet Protocol Numbers", indexed by number, for 0..=145.
///
/// Each entry is `(keyword, description)`. The keyword is `None` where IANA lists no
/// keyword (61, 63, 68, 99 and 114 are "any …" placeholders). Keywords IANA marks as
/// deprecated (13 ARGUS, 53 SWIPE, 95 MICP, 122 SM) keep their keyword; the description
/// says they are deprecated. 146..=252 are unassigned.
static PROTOCOLS: [(Option<&str>, &str); 146] = [
    (Some("HOPOPT"), "IPv6 Hop-by-Hop Option"),
    (Some("ICMP"), "Internet Control Message"),
    (Some("IGMP"), "Internet Group Management"),
    (Some("GGP"), "Gateway-to-Gateway"),
    (Some("IPv4"), "IPv4 encapsulation"),
    (Some("ST"), "Stream"),
    (Some("TCP"), "Transmission Control"),
    (Some("CBT"), "CBT"),
    (Some("EGP"), "Exterior Gateway Protocol"),
    (
        Some("IGP"),
        "Any private interior gateway (used by Cisco for their IGRP)",
    ),
    (Some("BBN-RCC-MON"), "BBN RCC Monitoring"),
    (Some("NVP-II"), "Network Voice Protocol"),
    (Some("PUP"), "PUP"),
    (Some("ARGUS"), "ARGUS (deprecated)"),
    (Some("EMCON"), "EMCON"),
    (Some("XNET"), "Cross Net Debugger"),
    (Some("CHAOS"), "Chaos"),
    (Some("UDP"), "User Datagram"),
    (Some("MUX"), "Multiplexing"),
    (Some("DCN-MEAS"), "DCN Measurement Subsystems"),
    (Some("HMP"), "Host Monitoring"),
    (Some("PRM"), "Packet Radio Measurement"),
    (Some("XNS-IDP"), "XEROX NS IDP"),
    (Some("TRUNK-1"), "Trunk-1"),
    (Some("TRUNK-2"), "Trunk-2"),
    (Some("LEAF-1"), "Leaf-1"),
    (Some("LEAF-2"), "Leaf-2"),
    (Some("RDP"), "Reliable Data Protocol"),
    (Some("IRTP"), "Internet Reliable Transaction"),
    (Some("ISO-TP4"), "ISO Transport Protocol Class 4"),
    (Some("NETBLT"), "Bulk Data Transfer Protocol"),
    (Some("MFE-NSP"), "MFE Network Services Protocol"),
    (Some("MERIT-INP"), "MERIT Internodal Protocol"),
    (Some("DCCP"), "Datagram Congestion Control Protocol"),
    (Some("3PC"), "Third Party Connect Protocol"),
    (Some("IDPR"), "Inter-Domain Policy Routing Protocol"),
    (Some("XTP"), "XTP"),
    (Some("DDP"), "Datagram Delivery Protocol"),
    (Some("IDPR-CMTP"), "IDPR Control Message Transport Protocol"),
    (Some("TP++"), "TP++ Transport Protocol"),
    (Some("IL"), "IL Transport Protocol"),
    (Some("IPv6"), "IPv6 encapsulation"),
    (Some("SDRP"), "Source Demand Routing Protocol"),
    (Some("IPv6-Route"), "Routing Header for IPv6"),
    (Some("IPv6-Frag"), "Fragment Header for IPv6"),
    (Some("IDRP"), "Inter-Domain Routing Protocol"),
    (Some("RSVP"), "Reservation Protocol"),
    (Some("GRE"), "Generic Routing Encapsulation"),
    (Some("DSR"), "Dynamic Source Routing Protocol"),
    (Some("BNA"), "BNA"),
    (Some("ESP"), "Encapsulating Security Payload"),
    (Some("AH"), "Authentication Header"),
    (Some("I-NLSP"), "Integrated Net Layer Security TUBA"),
    (Some("SWIPE"), "IP with Encryption (deprecated)"),
    (Some("NARP"), "NBMA Address Resolution Protocol"),
    (Some("Min-IPv4"), "Minimal IPv4 Encapsulation"),
    (
        Some("TLSP"),
        "Transport Layer Security Protocol using Kryptonet key management",
    ),
    (Some("SKIP"), "SKIP"),
    (Some("IPv6-ICMP"), "ICMP for IPv6"),
    (Some("IPv6-NoNxt"), "No Next Header for IPv6"),
    (Some("IPv6-Opts"), "Destination Options for IPv6"),
    (None, "Any host internal protocol"),
    (Some("CFTP"), "CFTP"),
    (None, "Any local network"),
    (Some("SAT-EXPAK"), "SATNET and Backroom EXPAK"),
    (Some("KRYPTOLAN"), "Kryptolan"),
    (Some("RVD"), "MIT Remote Virtual Disk Protocol"),
    (Some("IPPC"), "Internet Pluribus Packet Core"),
    (None, "Any distributed file system"),
    (Some("SAT-MON"), "SATNET Monitoring"),
    (Some("VISA"), "VISA Protocol"),
    (Some("IPCV"), "Internet Packet Core Utility"),
    (Some("CPNX"), "Computer Protocol Network Executive"),
    (Some("CPHB"), "Computer Protocol Heart Beat"),
    (Some("WSN"), "Wang Span Network"),
    (Some("PVP"), "Packet Video Protocol"),
    (Some("BR-SAT-MON"), "Backroom SATNET Monitoring"),
    (Some("SUN-ND"), "SUN ND PROTOCOL-Temporary"),
    (Some("WB-MON"), "WIDEBAND Monitoring"),
    (Some("WB-EXPAK"), "WIDEBAND EXPAK"),
    (
        Some("ISO-IP"),
        "International Organization for Standardization Internet Protocol",
    ),
    (Some("VMTP"), "VMTP"),
    (Some("SECURE-VMTP"), "SECURE-VMTP"),
    (Some("VINES"), "VINES"),
    (
        Some("TTP"),
        "Transaction Transport Protocol (also IPTM, Internet Protocol Traffic Manager)",
    ),
    (Some("NSFNET-IGP"), "NSFNET-IGP"),
    (Some("DGP"), "Dissimilar Gateway Protocol"),
    (Some("TCF"), "TCF"),
    (Some("EIGRP"), "EIGRP"),
    (Some("OSPFIGP"), "OSPFIGP"),
    (Some("Sprite-RPC"), "Sprite RPC Protocol"),
    (Some("LARP"), "Locus Address Resolution Protocol"),
    (Some("MTP"), "Multicast Transport Protocol"),
    (Some("AX.25"), "AX.25 Frames"),
    (Some("IPIP"), "IP-within-IP Encapsulation Protocol"),
    (
        Some("MICP"),
        "Mobile Internetworking Control Protocol (deprecated)",
    ),
    (Some("SCC-SP"), "Semaphore Communications Sec. Pro."),
    (Some("ETHERIP"), "Ethernet-within-IP Encapsulation"),
    (Some("ENCAP"), "Encapsulation Header"),
    (None, "Any private encryption scheme"),
    (Some("GMTP"), "GMTP"),
    (Some("IFMP"), "Ipsilon Flow Management Protocol"),
    (Some("PNNI"), "PNNI over IP"),
    (Some("PIM"), "Protocol Independent Multicast"),
    (Some("ARIS"), "ARIS"),
    (Some("SCPS"), "SCPS"),
    (Some("QNX"), "QNX"),
    (Some("A/N"), "Active Networks"),
    (Some("IPComp"), "IP Payload Compression Protocol"),
    (Some("SNP"), "Sitara Networks Protocol"),
    (Some("Compaq-Peer"), "Compaq Peer Protocol"),
    (Some("IPX-in-IP"), "IPX in IP"),
    (Some("VRRP"), "Virtual Router Redundancy Protocol"),
    (Some("PGM"), "PGM Reliable Transport Protocol"),
    (None, "Any 0-hop protocol"),
    (Some("L2TP"), "Layer Two Tunneling Protocol"),
    (Some("DDX"), "D-II Data Exchange (DDX)"),
    (Some("IATP"), "Interactive Agent Transfer Protocol"),
    (Some("STP"), "Schedule Transfer Protocol"),
    (Some("SRP"), "SpectraLink Radio Protocol"),
    (Some("UTI"), "UTI"),
    (Some("SMP"), "Simple Message Protocol"),
    (Some("SM"), "Simple Multicast Protocol (deprecated)"),
    (Some("PTP"), "Performance Transparency Protocol"),
    (Some("ISIS over IPv4"), "IS-IS over IPv4"),
    (Some("FIRE"), "FIRE"),
    (Some("CRTP"), "Combat Radio Transport Protocol"),
    (Some("CRUDP"), "Combat Radio User Datagram"),
    (Some("SSCOPMCE"), "SSCOPMCE"),
    (Some("IPLT"), "IPLT"),
    (Some("SPS"), "Secure Packet Shield"),
    (Some("PIPE"), "Private IP Encapsulation within IP"),
    (Some("SCTP"), "Stream Control Transmission Protocol"),
    (Some("FC"), "Fibre Channel"),
    (
        Some("RSVP-E2E-IGNORE"),
        "Reservation Protocol (RSVP) End-to-End Ignore",
    ),
    (Some("Mobility Header"), "Mobility Header"),
    (Some("UDPLite"), "Lightweight User Datagram Protocol"),
    (Some("MPLS-in-IP"), "MPLS-in-IP"),
    (Some("manet"), "MANET Protocols"),
    (Some("HIP"), "Host Identity Protocol"),
    (Some("Shim6"), "Shim6 Protocol"),
    (Some("WESP"), "Wrapped Encapsulating Security Payload"),
    (Some("ROHC"), "Robust Header Compression"),
    (Some("Ethernet"), "Ethernet"),
    (Some("AGGFRAG"), "AGGFRAG encapsulation payload for ESP"),
    (Some("NSH"), "Network Service Header"),
];

/// Common names accepted by [`protocol_from_name`] in addition to the IANA keywords.
static PROTOCOL_ALIASES: &[(&str, u8)] = &[
    ("icmpv6", 58),
    ("icmp6", 58),
    ("ipv6-icmp", 58),
    ("ipip", 4),
    ("ip-in-ip", 4),
    ("ospf", 89),
    ("isis", 124),
    ("udp-lite", 136),
    ("iptm", 84),
];

/// The IANA keyword for an IP protocol number, as IANA lists it (`6` → `"TCP"`,
/// `41` → `"IPv6"`, `58` → `"IPv6-ICMP"`).
///
/// Covers every assigned number 0..=145. Numbers IANA assigns without a keyword (61, 63,
/// 68, 99, 114) and unassigned numbers (146..=252) give `None`; see
/// [`protocol_description`] for those. 253 and 254 (reserved for experimentation and
/// testing, RFC 3692) give `"experimental"` and 255 gives `"reserved"`, which are labels
/// rather than IANA keywords. Number 84 has two keywords; this returns `"TTP"`
/// ([`protocol_from_name`] also accepts `"IPTM"`).
pub fn protocol_name(n: u8) -> Option<&'static str> {
    match n {
        0..=145 => PROTOCOLS[n as usize].0,
        253 | 254 => Some("experimental"),
        255 => Some("reserved"),
        _ => None,
    }
}

/// IANA's description of an IP protocol number (`41` → `"IPv6 encapsulation"`,
/// `50` → `"Encapsulating Security Payload"`).
///
/// Unlike [`protocol_name`] this also describes the keyword-less assignments (61 "Any
/// host internal protocol", …). Unassigned numbers (146..=252) give `None`.
pub fn protocol_description(n: u8) -> Option<&'static str> {
    match n {
        0..=145 => Some(PROTOCOLS[n as usize].1),
        253 | 254 => Some("Use for experimentation and testing"),
        255 => Some("Reserved"),
        _ => None,
    }
}

/// The protocol number for an IANA keyword or a common alias, ASCII case-insensitively
/// (`"tcp"` → 6, `"UDP"` → 17, `"icmpv6"` / `"ipv6-icmp"` → 58, `"ipv6"` → 41).
///
/// Accepts every keyword [`protocol_name`] returns for 0..=145 plus the aliases
/// `icmpv6`, `icmp6`, `ipip`/`ip-in-ip` (4), `ospf` (89), `isis` (124), `udp-lite`
/// (136) and `iptm` (84). Surrounding whitespace is ignored. Numbers are not parsed.
pub fn protocol_from_name(s: &str) -> Option<u8> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(n) = PROTOCOLS
        .iter()
        .position(|(k, _)| k.is_some_and(|k| k.eq_ignore_ascii_case(s)))
    {
        return Some(n as u8);
    }
    PROTOCOL_ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(s))
        .map(|&(_, n)| n)
}

// ---------------------------------------------------------------------------------
// TCP flags
// ---------------------------------------------------------------------------------

/// FIN: no more data from sender.
pub const FIN: u8 = 1;
/// SYN: synchronize sequence numbers (connection open).
pub const SYN: u8 = 2;
/// RST: reset the connection.
pub const RST: u8 = 4;
/// PSH: push function.
pub const PSH: u8 = 8;
/// ACK: acknowledgment field significant.
pub const ACK: u8 = 16;
/// URG: urgent pointer field significant.
pub const URG: u8 = 32;
/// ECE: ECN-Echo.
pub const ECE: u8 = 64;
/// CWR: congestion window reduced.
pub const CWR: u8 = 128;

/// The one copy of the TCP flag names, in bit order. Display order is `SYN` (or
/// `SYN-ACK`) first, then the others in this order.
static TCP_FLAGS: [(u8, &str); 8] = [
    (FIN, "FIN"),
    (SYN, "SYN"),
    (RST, "RST"),
    (PSH, "PSH"),
    (ACK, "ACK"),
    (URG, "URG"),
    (ECE, "ECE"),
    (CWR, "CWR"),
];

/// Every name [`tcp_flag_from_name`] accepts: the flags in bit order, then `SYN-ACK`.
pub(crate) fn tcp_flag_words() -> impl Iterator<Item = &'static str> + Clone {
    TCP_FLAGS.iter().map(|&(_, name)| name).chain(["SYN-ACK"])
}

/// The flag names of a `tcp-flags` value in display order, with `SYN` and `ACK` both
/// set folded into one `"SYN-ACK"` item. See [`tcp_flags_label`].
pub fn tcp_flags_names(v: u8) -> impl Iterator<Item = &'static str> {
    let lead = if v & (SYN | ACK) == SYN | ACK {
        Some("SYN-ACK")
    } else if v & SYN != 0 {
        Some("SYN")
    } else {
        None
    };
    let folded_ack = v & (SYN | ACK) == SYN | ACK;
    lead.into_iter().chain(
        TCP_FLAGS
            .iter()
            .filter(move |&&(bit, _)| v & bit != 0 && bit != SYN && !(bit == ACK && folded_ack))
            .map(|&(_, name)| name),
    )
}

/// A readable label for a `tcp-flags` bitmask.
///
/// Scheme: when both SYN and ACK are set they are shown as one `SYN-ACK`; otherwise
/// `SYN` is shown alone. The remaining flags follow in the fixed order FIN, RST, PSH,
/// ACK, URG, ECE, CWR, all joined with `+`. `0` gives the empty string.
///
/// | value | label |
/// |---|---|
/// | 0 | `""` |
/// | 1 | `FIN` |
/// | 2 | `SYN` |
/// | 3 | `SYN+FIN` |
/// | 4 | `RST` |
/// | 16 | `ACK` |
/// | 18 | `SYN-ACK` |
/// | 19 | `SYN-ACK+FIN` |
/// | 20 | `RST+ACK` |
///
/// AWS OR-s the flags observed over the whole aggregation interval into one value, so a
/// record can carry flags that never appear together in a single segment: `3`
/// (`SYN+FIN`) or `19` (`SYN-ACK+FIN`) mean a short connection was opened and closed
/// within the interval. AWS also documents that only some flags are reliably logged
/// (FIN, SYN, RST, SYN-ACK); a record with only unsupported flags may show `0`.
pub fn tcp_flags_label(v: u8) -> String {
    let mut out = String::new();
    for name in tcp_flags_names(v) {
        if !out.is_empty() {
            out.push('+');
        }
        out.push_str(name);
    }
    out
}

/// The bit of a TCP flag name, ASCII case-insensitively: FIN SYN RST PSH ACK URG ECE CWR.
///
/// `"SYN-ACK"` is also accepted and gives `SYN | ACK` (18), matching the labels of
/// [`tcp_flags_label`].
pub fn tcp_flag_from_name(s: &str) -> Option<u8> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("SYN-ACK") {
        return Some(SYN | ACK);
    }
    TCP_FLAGS
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(s))
        .map(|&(bit, _)| bit)
}

/// A value of a number field as flowlens shows it (`-o table`, a Markdown table, the
/// page's copy) turned back into the log's number, only where that is exact: a protocol
/// name (`TCP` → 6), TCP flag labels (`SYN-ACK+FIN` → 19, `none` → 0), a UTC time of
/// `start` or `end` exactly as flowlens writes it (`2025-11-26T00:00:18Z` → unix
/// seconds) and an event time (`@timestamp`, `…:18.250Z` → unix milliseconds).
/// Anything else is `None`, so a display value that cannot be turned back exactly stays
/// a bad value, never a guess.
pub(crate) fn from_shown(field: crate::fields::Field, shown: &[u8]) -> Option<u64> {
    use crate::fields::{Field, Kind};
    if shown.is_empty() || shown.iter().all(u8::is_ascii_digit) || shown == b"-" {
        return None;
    }
    match field {
        Field::Protocol => protocol_from_name(std::str::from_utf8(shown).ok()?).map(u64::from),
        Field::TcpFlags if shown.eq_ignore_ascii_case(b"none") => Some(0),
        Field::TcpFlags => std::str::from_utf8(shown)
            .ok()?
            .split('+')
            .map(tcp_flag_from_name)
            .try_fold(0u8, |all, bit| bit.map(|b| all | b))
            .map(u64::from),
        _ => {
            let (secs, ms) = crate::calendar::parse_iso(shown)?;
            match field.kind() {
                Kind::Time if ms == 0 => u64::try_from(secs).ok(),
                Kind::EventTime => u64::try_from(secs * 1000 + i64::from(ms)).ok(),
                _ => None,
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// AWS enumerations
// ---------------------------------------------------------------------------------

/// A fixed AWS vocabulary: each word as AWS spells it, with what it means. One table per
/// enumeration serves the filter parser (case-insensitive input, canonical spelling,
/// suggestions), the labels of hints and sentences, and the page's catalogue.
pub(crate) type Vocabulary = &'static [(&'static str, &'static str)];

/// `action`, in dictionary-code order ([`crate::table::column::ACCEPT`], `REJECT`).
pub(crate) const ACTIONS: Vocabulary = &[
    ("ACCEPT", "The traffic was accepted."),
    (
        "REJECT",
        "The traffic was rejected (security group, network ACL, or a reject-reason).",
    ),
];

/// `log-status`, in dictionary-code order (`STATUS_OK`, `STATUS_NODATA`, `STATUS_SKIPDATA`).
pub(crate) const LOG_STATUSES: Vocabulary = &[
    ("OK", "Data is logging normally to the chosen destinations."),
    (
        "NODATA",
        "There was no network traffic to or from the network interface during the \
         aggregation interval.",
    ),
    (
        "SKIPDATA",
        "Some flow log records were skipped during the aggregation interval \
         (internal capacity constraint or internal error).",
    ),
];

/// `type` (version 3, the traffic type).
pub(crate) const TRAFFIC_TYPES: Vocabulary = &[
    ("IPv4", "IPv4"),
    ("IPv6", "IPv6"),
    ("EFA", "Elastic Fabric Adapter"),
];

/// `flow-direction` (version 5), relative to the interface where traffic is captured.
pub(crate) const FLOW_DIRECTIONS: Vocabulary = &[
    ("ingress", "Ingress (inbound to the network interface)"),
    ("egress", "Egress (outbound from the network interface)"),
];

/// `sublocation-type` (version 4).
pub(crate) const SUBLOCATION_TYPES: Vocabulary = &[
    ("wavelength", "AWS Wavelength Zone"),
    ("outpost", "AWS Outpost"),
    ("localzone", "AWS Local Zone"),
];

/// `resource-type` (Transit Gateway flow logs).
pub(crate) const RESOURCE_TYPES: Vocabulary = &[
    ("TransitGateway", "A transit gateway"),
    ("TransitGatewayAttachment", "A transit gateway attachment"),
];

/// `reject-reason` (version 8): `BPA` (VPC Block Public Access) or `EC` (VPC encryption
/// controls in enforce mode). AWS records `-` for any other reason (security groups,
/// network ACLs…).
pub(crate) const REJECT_REASONS: Vocabulary = &[
    ("BPA", "Blocked by VPC Block Public Access"),
    ("EC", "Rejected by VPC encryption controls"),
];

/// Every field with a fixed vocabulary and its table, in catalogue order: the one list
/// that the filter parser and the page's catalogue ([`crate::catalogue`]) both read.
pub(crate) const VOCABULARIES: &[(crate::fields::Field, Vocabulary)] = {
    use crate::fields::Field;
    &[
        (Field::Action, ACTIONS),
        (Field::LogStatus, LOG_STATUSES),
        (Field::Type, TRAFFIC_TYPES),
        (Field::SublocationType, SUBLOCATION_TYPES),
        (Field::FlowDirection, FLOW_DIRECTIONS),
        (Field::RejectReason, REJECT_REASONS),
        (Field::ResourceType, RESOURCE_TYPES),
    ]
};

/// The fixed vocabulary of a text field, if it has one.
pub(crate) fn vocabulary(field: crate::fields::Field) -> Option<Vocabulary> {
    VOCABULARIES
        .iter()
        .find(|(f, _)| *f == field)
        .map(|&(_, v)| v)
}

/// The words of a vocabulary, as AWS spells them.
pub(crate) fn words(v: Vocabulary) -> impl Iterator<Item = &'static str> + Clone {
    v.iter().map(|&(word, _)| word)
}

/// The AWS spelling of `s` (ASCII case-insensitive), if it is a word of `v`.
pub(crate) fn canonical(v: Vocabulary, s: &str) -> Option<&'static str> {
    words(v).find(|w| w.eq_ignore_ascii_case(s))
}

/// What a word of `v` means (surrounding space ignored, ASCII case-insensitive).
pub(crate) fn label(v: Vocabulary, s: &str) -> Option<&'static str> {
    let s = s.trim();
    v.iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(s))
        .map(|&(_, meaning)| meaning)
}

/// What a `traffic-path` value (version 5) means, indexed by value − 1: the path egress
/// traffic takes to its destination. AWS records `-` when none applies and for ingress
/// traffic. Wording follows AWS's "Flow log records" page. For 1 the current AWS text
/// continues "…, including resources that create a network interface in the VPC".
const TRAFFIC_PATHS: [&str; 8] = [
    "Through another resource in the same VPC",
    "Through an internet gateway or a gateway VPC endpoint",
    "Through a virtual private gateway",
    "Through an intra-region VPC peering connection",
    "Through an inter-region VPC peering connection",
    "Through a local gateway",
    "Through a gateway VPC endpoint (Nitro-based instances only)",
    "Through an internet gateway (Nitro-based instances only)",
];

/// What a `traffic-path` value means (1–8; see [`TRAFFIC_PATHS`]).
pub fn traffic_path_label(v: u8) -> Option<&'static str> {
    TRAFFIC_PATHS.get(usize::from(v).checked_sub(1)?).copied()
}

/// What an `encryption-status` value (version 10, VPC encryption controls) means,
/// indexed by value: 0 not encrypted, 1 encrypted by Nitro hardware, 2 encrypted by the
/// application (e.g. TLS), 3 both.
const ENCRYPTION_STATUSES: [&str; 4] = [
    "Not encrypted in transit",
    "Encrypted in transit by AWS Nitro hardware",
    "Encrypted in transit by the application (e.g. TLS)",
    "Encrypted in transit by both AWS Nitro hardware and the application",
];

/// What an `encryption-status` value means (0–3; see [`ENCRYPTION_STATUSES`]).
pub fn encryption_status_label(v: u8) -> Option<&'static str> {
    ENCRYPTION_STATUSES.get(usize::from(v)).copied()
}

/// Network interface types: the EC2 `NetworkInterfaceType` values, in both the
/// spellings the EC2 API uses and the snake_case flow logs use, plus the
/// `regional_nat_gateway` type seen in `next-hop-interface-type`.
static INTERFACE_TYPES: &[(&str, &str)] = &[
    ("interface", "Elastic network interface"),
    ("nat_gateway", "NAT gateway"),
    ("natGateway", "NAT gateway"),
    ("regional_nat_gateway", "Regional NAT gateway"),
    ("efa", "Elastic Fabric Adapter"),
    ("efa-only", "Elastic Fabric Adapter (EFA-only interface)"),
    ("efa_only", "Elastic Fabric Adapter (EFA-only interface)"),
    ("trunk", "Trunk interface"),
    ("branch", "Branch interface"),
    ("load_balancer", "Load balancer"),
    ("network_load_balancer", "Network Load Balancer"),
    ("gateway_load_balancer", "Gateway Load Balancer"),
    (
        "gateway_load_balancer_endpoint",
        "Gateway Load Balancer endpoint",
    ),
    ("vpc_endpoint", "VPC endpoint"),
    ("transit_gateway", "Transit gateway"),
    ("lambda", "AWS Lambda function"),
    ("quicksight", "Amazon QuickSight"),
    (
        "global_accelerator_managed",
        "AWS Global Accelerator (managed)",
    ),
    ("api_gateway_managed", "Amazon API Gateway (managed)"),
    ("iot_rules_managed", "AWS IoT rules (managed)"),
    (
        "aws_codestar_connections_managed",
        "AWS CodeStar Connections (managed)",
    ),
];

/// What an `interface-type` / `next-hop-interface-type` value (version 11) means.
///
/// The table is the EC2 `NetworkInterfaceType` enumeration (`interface`, `natGateway`,
/// `efa`, `efa-only`, `trunk`, `load_balancer`, `network_load_balancer`, `vpc_endpoint`,
/// `branch`, `transit_gateway`, `lambda`, `quicksight`, `global_accelerator_managed`,
/// `api_gateway_managed`, `gateway_load_balancer`, `gateway_load_balancer_endpoint`,
/// `iot_rules_managed`, `aws_codestar_connections_managed`), with `nat_gateway` /
/// `regional_nat_gateway` as they appear in flow logs. AWS's flow log page does not
/// enumerate the values, so this is an open set: unknown values are valid and give
/// `None`.
pub fn interface_type_label(s: &str) -> Option<&'static str> {
    label(INTERFACE_TYPES, s)
}

// ---------------------------------------------------------------------------------
// Well-known ports
// ---------------------------------------------------------------------------------

/// The transport(s) a port name applies to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Transport {
    Tcp,
    Udp,
    Both,
}

use Transport::{Both, Tcp, Udp};

/// Well-known service names, sorted by port. A port may appear twice with different
/// transports; for a lookup without protocol the first entry wins.
static PORTS: &[(u16, Transport, &str)] = &[
    (20, Tcp, "ftp-data"),
    (21, Tcp, "ftp"),
    (22, Tcp, "ssh"),
    (23, Tcp, "telnet"),
    (25, Tcp, "smtp"),
    (43, Tcp, "whois"),
    (53, Both, "dns"),
    (67, Udp, "dhcp"),
    (68, Udp, "dhcp"),
    (69, Udp, "tftp"),
    (80, Tcp, "http"),
    (88, Both, "kerberos"),
    (110, Tcp, "pop3"),
    (111, Both, "rpcbind"),
    (119, Tcp, "nntp"),
    (123, Udp, "ntp"),
    (135, Tcp, "msrpc"),
    (137, Udp, "netbios-ns"),
    (138, Udp, "netbios-dgm"),
    (139, Tcp, "netbios-ssn"),
    (143, Tcp, "imap"),
    (161, Udp, "snmp"),
    (162, Udp, "snmptrap"),
    (179, Tcp, "bgp"),
    (389, Both, "ldap"),
    (443, Both, "https"),
    (445, Tcp, "smb"),
    (464, Both, "kpasswd"),
    (465, Tcp, "smtps"),
    (500, Udp, "isakmp"),
    (514, Udp, "syslog"),
    (514, Tcp, "rsh"),
    (515, Tcp, "lpd"),
    (520, Udp, "rip"),
    (546, Udp, "dhcpv6-client"),
    (547, Udp, "dhcpv6-server"),
    (587, Tcp, "submission"),
    (623, Udp, "ipmi"),
    (631, Tcp, "ipp"),
    (636, Tcp, "ldaps"),
    (853, Tcp, "dns-over-tls"),
    (873, Tcp, "rsync"),
    (989, Tcp, "ftps-data"),
    (990, Tcp, "ftps"),
    (993, Tcp, "imaps"),
    (995, Tcp, "pop3s"),
    (1080, Tcp, "socks"),
    (1099, Tcp, "java-rmi"),
    (1194, Both, "openvpn"),
    (1433, Tcp, "mssql"),
    (1434, Udp, "mssql-browser"),
    (1521, Tcp, "oracle"),
    (1701, Udp, "l2tp"),
    (1723, Tcp, "pptp"),
    (1812, Udp, "radius"),
    (1813, Udp, "radius-acct"),
    (1883, Tcp, "mqtt"),
    (1900, Udp, "ssdp"),
    (2049, Both, "nfs"),
    (2181, Tcp, "zookeeper"),
    (2375, Tcp, "docker"),
    (2376, Tcp, "docker-tls"),
    (2379, Tcp, "etcd"),
    (2380, Tcp, "etcd-peer"),
    (3128, Tcp, "squid"),
    (3260, Tcp, "iscsi"),
    (3268, Tcp, "ldap-gc"),
    (3269, Tcp, "ldap-gc-ssl"),
    (3306, Tcp, "mysql"),
    (3389, Both, "rdp"),
    (3478, Both, "stun"),
    (3690, Tcp, "svn"),
    (4222, Tcp, "nats"),
    (4317, Tcp, "otlp-grpc"),
    (4318, Tcp, "otlp-http"),
    (4369, Tcp, "epmd"),
    (4500, Udp, "ipsec-nat-t"),
    (4789, Udp, "vxlan"),
    (5044, Tcp, "beats"),
    (5060, Both, "sip"),
    (5061, Tcp, "sips"),
    (5222, Tcp, "xmpp"),
    (5353, Udp, "mdns"),
    (5432, Tcp, "postgresql"),
    (5439, Tcp, "redshift"),
    (5601, Tcp, "kibana"),
    (5671, Tcp, "amqps"),
    (5672, Tcp, "amqp"),
    (5900, Tcp, "vnc"),
    (5984, Tcp, "couchdb"),
    (5985, Tcp, "winrm"),
    (5986, Tcp, "winrm-https"),
    (6000, Tcp, "x11"),
    (6081, Udp, "geneve"),
    (6379, Tcp, "redis"),
    (6443, Tcp, "kubernetes"),
    (6514, Tcp, "syslog-tls"),
    (6667, Tcp, "irc"),
    (7474, Tcp, "neo4j"),
    (7687, Tcp, "neo4j-bolt"),
    (8009, Tcp, "ajp"),
    (8080, Tcp, "http-alt"),
    (8086, Tcp, "influxdb"),
    (8125, Udp, "statsd"),
    (8182, Tcp, "neptune"),
    (8200, Tcp, "vault"),
    (8443, Tcp, "https-alt"),
    (8500, Tcp, "consul"),
    (8883, Tcp, "mqtts"),
    (9042, Tcp, "cassandra"),
    (9090, Tcp, "prometheus"),
    (9092, Tcp, "kafka"),
    (9094, Tcp, "kafka-tls"),
    (9200, Tcp, "elasticsearch"),
    (9300, Tcp, "elasticsearch-transport"),
    (9411, Tcp, "zipkin"),
    (9418, Tcp, "git"),
    (10250, Tcp, "kubelet"),
    (11211, Tcp, "memcached"),
    (15672, Tcp, "rabbitmq-mgmt"),
    (27017, Tcp, "mongodb"),
    (51820, Udp, "wireguard"),
];

/// A well-known service name for a port (`22` → `"ssh"`, `5432` → `"postgresql"`).
///
/// `protocol` is the IANA protocol number of the flow, when known:
/// - TCP-like transports (6 TCP, 33 DCCP, 132 SCTP) match TCP names;
/// - UDP-like transports (17 UDP, 136 UDPLite) match UDP names;
/// - any other protocol (ICMP, ESP, GRE…) has no ports and gives `None`;
/// - `None` matches either, preferring the first (TCP where a port has both).
///
/// So `53` is `"dns"` for both, `123` is `"ntp"` for UDP but `None` for TCP, and `514` is
/// `"syslog"` over UDP but `"rsh"` over TCP. About 125 common services are known;
/// ephemeral or unlisted ports give `None`.
pub fn port_name(port: u16, protocol: Option<u8>) -> Option<&'static str> {
    let want = match protocol {
        None => None,
        Some(6 | 33 | 132) => Some(Tcp),
        Some(17 | 136) => Some(Udp),
        Some(_) => return None,
    };
    let start = PORTS.partition_point(|&(p, _, _)| p < port);
    PORTS[start..]
        .iter()
        .take_while(|&&(p, _, _)| p == port)
        .find(|&&(_, t, _)| match want {
            None => true,
            Some(w) => t == Both || t == w,
        })
        .map(|&(_, _, name)| name)
}

// ---------------------------------------------------------------------------------
// Percent decoding (version 11 tags)
// ---------------------------------------------------------------------------------

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes a percent-encoded value such as a version 11 tag field
/// (`Name%3Dweb%20server` → `Name=web server`).
///
/// - Input without `%` is returned borrowed, without allocating.
/// - `%` followed by two hex digits (either case) becomes that byte; any other `%` is
///   kept verbatim (`100%`, `%zz`, a trailing `%4`).
/// - `+` is not special (this is percent-encoding, not form encoding).
/// - Decoded bytes that are not valid UTF-8 are replaced with U+FFFD, as
///   [`String::from_utf8_lossy`] does.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    let bytes = s.as_bytes();
    let Some(first) = memchr::memchr(b'%', bytes) else {
        return Cow::Borrowed(s);
    };
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut i = first;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(decoded) => Cow::Owned(decoded),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

// ---------------------------------------------------------------------------------
// Address scopes
// ---------------------------------------------------------------------------------

/// [`address_scope`] value for RFC 1918, CGNAT (100.64.0.0/10) and ULA (fc00::/7).
pub const SCOPE_PRIVATE: &str = "private";
/// [`address_scope`] value for 127.0.0.0/8 and ::1.
pub const SCOPE_LOOPBACK: &str = "loopback";
/// [`address_scope`] value for 169.254.0.0/16 and fe80::/10.
pub const SCOPE_LINK_LOCAL: &str = "link-local";
/// [`address_scope`] value for 224.0.0.0/4 and ff00::/8.
pub const SCOPE_MULTICAST: &str = "multicast";
/// [`address_scope`] value for everything else.
pub const SCOPE_PUBLIC: &str = "public";

/// Whether an IPv4 address (as a big-endian `u32`, i.e. `u32::from(Ipv4Addr)`) is
/// private: RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) or shared address
/// space for carrier-grade NAT (100.64.0.0/10, RFC 6598).
pub fn is_private_ipv4(ip: u32) -> bool {
    ip >> 24 == 10 // 10.0.0.0/8
        || ip >> 20 == 0xAC1 // 172.16.0.0/12
        || ip >> 16 == 0xC0A8 // 192.168.0.0/16
        || ip >> 22 == (100 << 2 | 1) // 100.64.0.0/10
}

fn ipv4_scope(ip: Ipv4Addr) -> &'static str {
    let n = u32::from(ip);
    if n >> 24 == 127 {
        SCOPE_LOOPBACK
    } else if n >> 16 == 0xA9FE {
        SCOPE_LINK_LOCAL
    } else if n >> 28 == 0xE {
        SCOPE_MULTICAST
    } else if is_private_ipv4(n) {
        SCOPE_PRIVATE
    } else {
        SCOPE_PUBLIC
    }
}

fn ipv6_scope(ip: Ipv6Addr) -> &'static str {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return ipv4_scope(v4);
    }
    let first = ip.segments()[0];
    if ip == Ipv6Addr::LOCALHOST {
        SCOPE_LOOPBACK
    } else if first & 0xFFC0 == 0xFE80 {
        SCOPE_LINK_LOCAL
    } else if first & 0xFF00 == 0xFF00 {
        SCOPE_MULTICAST
    } else if first & 0xFE00 == 0xFC00 {
        SCOPE_PRIVATE
    } else {
        SCOPE_PUBLIC
    }
}

/// The scope of an address, for marking private vs public addresses:
/// `"loopback"` (127.0.0.0/8, ::1), `"link-local"` (169.254.0.0/16, fe80::/10),
/// `"multicast"` (224.0.0.0/4, ff00::/8), `"private"` (see [`is_private_ipv4`], and
/// fc00::/7 unique local addresses) or `"public"` for everything else (including the
/// unspecified and broadcast addresses). IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`)
/// take the scope of their IPv4 address.
pub fn address_scope(ip: IpAddr) -> &'static str {
    match ip {
        IpAddr::V4(v4) => ipv4_scope(v4),
        IpAddr::V6(v6) => ipv6_scope(v6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_names_and_descriptions() {
        assert_eq!(protocol_name(0), Some("HOPOPT"));
        assert_eq!(protocol_name(1), Some("ICMP"));
        assert_eq!(protocol_name(2), Some("IGMP"));
        assert_eq!(protocol_name(4), Some("IPv4"));
        assert_eq!(protocol_name(6), Some("TCP"));
        assert_eq!(protocol_name(17), Some("UDP"));
        assert_eq!(protocol_name(41), Some("IPv6"));
        assert_eq!(protocol_name(47), Some("GRE"));
        assert_eq!(protocol_name(50), Some("ESP"));
        assert_eq!(protocol_name(51), Some("AH"));
        assert_eq!(protocol_name(58), Some("IPv6-ICMP"));
        assert_eq!(protocol_name(89), Some("OSPFIGP"));
        assert_eq!(protocol_name(112), Some("VRRP"));
        assert_eq!(protocol_name(115), Some("L2TP"));
        assert_eq!(protocol_name(132), Some("SCTP"));
        assert_eq!(protocol_name(136), Some("UDPLite"));
        assert_eq!(protocol_name(143), Some("Ethernet"));
        assert_eq!(protocol_name(145), Some("NSH"));
        assert_eq!(protocol_name(61), None);
        assert_eq!(protocol_name(146), None);
        assert_eq!(protocol_name(252), None);
        assert_eq!(protocol_name(253), Some("experimental"));
        assert_eq!(protocol_name(254), Some("experimental"));
        assert_eq!(protocol_name(255), Some("reserved"));

        assert_eq!(protocol_description(41), Some("IPv6 encapsulation"));
        assert_eq!(
            protocol_description(50),
            Some("Encapsulating Security Payload")
        );
        assert_eq!(protocol_description(6), Some("Transmission Control"));
        assert_eq!(protocol_description(61), Some("Any host internal protocol"));
        assert_eq!(protocol_description(200), None);
        assert!(protocol_description(253).is_some());
        assert!(protocol_description(255).is_some());
        // Every assigned number has a description.
        assert!((0..=145).all(|n| protocol_description(n).is_some()));
    }

    #[test]
    fn protocol_table_spot_checks_alignment() {
        // Spot checks spread through the table catch an off-by-one anywhere.
        for (n, k) in [
            (10, "BBN-RCC-MON"),
            (20, "HMP"),
            (30, "NETBLT"),
            (33, "DCCP"),
            (46, "RSVP"),
            (60, "IPv6-Opts"),
            (62, "CFTP"),
            (70, "VISA"),
            (80, "ISO-IP"),
            (88, "EIGRP"),
            (94, "IPIP"),
            (100, "GMTP"),
            (103, "PIM"),
            (108, "IPComp"),
            (113, "PGM"),
            (124, "ISIS over IPv4"),
            (131, "PIPE"),
            (137, "MPLS-in-IP"),
            (141, "WESP"),
        ] {
            assert_eq!(protocol_name(n), Some(k), "protocol {n}");
        }
        for n in [61, 63, 68, 99, 114] {
            assert_eq!(protocol_name(n), None, "protocol {n}");
        }
    }

    #[test]
    fn protocol_from_names() {
        assert_eq!(protocol_from_name("tcp"), Some(6));
        assert_eq!(protocol_from_name("TCP"), Some(6));
        assert_eq!(protocol_from_name("udp"), Some(17));
        assert_eq!(protocol_from_name("icmp"), Some(1));
        assert_eq!(protocol_from_name("icmpv6"), Some(58));
        assert_eq!(protocol_from_name("ICMPv6"), Some(58));
        assert_eq!(protocol_from_name("ipv6-icmp"), Some(58));
        assert_eq!(protocol_from_name("esp"), Some(50));
        assert_eq!(protocol_from_name("ah"), Some(51));
        assert_eq!(protocol_from_name("gre"), Some(47));
        assert_eq!(protocol_from_name("ipv6"), Some(41));
        assert_eq!(protocol_from_name("sctp"), Some(132));
        assert_eq!(protocol_from_name(" Tcp "), Some(6));
        assert_eq!(protocol_from_name("iptm"), Some(84));
        assert_eq!(protocol_from_name("ospf"), Some(89));
        assert_eq!(protocol_from_name("nope"), None);
        assert_eq!(protocol_from_name(""), None);
        assert_eq!(protocol_from_name("6"), None);
        // Every keyword round-trips.
        for n in 0..=145u8 {
            if let Some(k) = protocol_name(n) {
                assert_eq!(protocol_from_name(k), Some(n), "{k}");
                assert_eq!(protocol_from_name(&k.to_ascii_lowercase()), Some(n), "{k}");
            }
        }
    }

    #[test]
    fn tcp_flag_constants() {
        assert_eq!(
            (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR),
            (1, 2, 4, 8, 16, 32, 64, 128)
        );
    }

    #[test]
    fn tcp_flag_labels() {
        assert_eq!(tcp_flags_label(0), "");
        assert_eq!(tcp_flags_label(2), "SYN");
        assert_eq!(tcp_flags_label(18), "SYN-ACK");
        assert_eq!(tcp_flags_label(1), "FIN");
        assert_eq!(tcp_flags_label(3), "SYN+FIN");
        assert_eq!(tcp_flags_label(19), "SYN-ACK+FIN");
        assert_eq!(tcp_flags_label(16), "ACK");
        assert_eq!(tcp_flags_label(4), "RST");
        assert_eq!(tcp_flags_label(20), "RST+ACK");
        assert_eq!(tcp_flags_label(17), "FIN+ACK");
        assert_eq!(tcp_flags_label(24), "PSH+ACK");
        assert_eq!(tcp_flags_label(22), "SYN-ACK+RST");
        assert_eq!(tcp_flags_label(255), "SYN-ACK+FIN+RST+PSH+URG+ECE+CWR");
        assert_eq!(tcp_flags_names(19).collect::<Vec<_>>(), ["SYN-ACK", "FIN"]);
    }

    #[test]
    fn tcp_flag_labels_cover_every_bit_once() {
        for v in 0..=255u8 {
            let mut mask = 0u8;
            for name in tcp_flags_names(v) {
                let bit = tcp_flag_from_name(name).expect(name);
                assert_eq!(mask & bit, 0, "value {v}: {name} repeats a bit");
                mask |= bit;
            }
            assert_eq!(mask, v, "value {v}");
        }
    }

    #[test]
    fn tcp_flag_names() {
        assert_eq!(tcp_flag_from_name("FIN"), Some(FIN));
        assert_eq!(tcp_flag_from_name("syn"), Some(SYN));
        assert_eq!(tcp_flag_from_name("Rst"), Some(RST));
        assert_eq!(tcp_flag_from_name("psh"), Some(PSH));
        assert_eq!(tcp_flag_from_name("ack"), Some(ACK));
        assert_eq!(tcp_flag_from_name("urg"), Some(URG));
        assert_eq!(tcp_flag_from_name("ece"), Some(ECE));
        assert_eq!(tcp_flag_from_name("CWR"), Some(CWR));
        assert_eq!(tcp_flag_from_name("syn-ack"), Some(18));
        assert_eq!(tcp_flag_from_name("NS"), None);
        assert_eq!(tcp_flag_from_name(""), None);
    }

    #[test]
    fn traffic_paths() {
        assert_eq!(
            traffic_path_label(1),
            Some("Through another resource in the same VPC")
        );
        assert_eq!(
            traffic_path_label(2),
            Some("Through an internet gateway or a gateway VPC endpoint")
        );
        assert_eq!(
            traffic_path_label(3),
            Some("Through a virtual private gateway")
        );
        assert_eq!(
            traffic_path_label(4),
            Some("Through an intra-region VPC peering connection")
        );
        assert_eq!(
            traffic_path_label(5),
            Some("Through an inter-region VPC peering connection")
        );
        assert_eq!(traffic_path_label(6), Some("Through a local gateway"));
        assert_eq!(
            traffic_path_label(7),
            Some("Through a gateway VPC endpoint (Nitro-based instances only)")
        );
        assert_eq!(
            traffic_path_label(8),
            Some("Through an internet gateway (Nitro-based instances only)")
        );
        assert_eq!(traffic_path_label(0), None);
        assert_eq!(traffic_path_label(9), None);
    }

    #[test]
    fn log_statuses() {
        assert_eq!(
            label(LOG_STATUSES, "OK"),
            Some("Data is logging normally to the chosen destinations.")
        );
        assert_eq!(
            label(LOG_STATUSES, "NODATA"),
            Some(
                "There was no network traffic to or from the network interface during the \
                 aggregation interval."
            )
        );
        assert_eq!(
            label(LOG_STATUSES, "SKIPDATA"),
            Some(
                "Some flow log records were skipped during the aggregation interval \
                 (internal capacity constraint or internal error)."
            )
        );
        assert_eq!(label(LOG_STATUSES, "nodata"), label(LOG_STATUSES, "NODATA"));
        assert_eq!(label(LOG_STATUSES, "-"), None);
    }

    #[test]
    fn reject_reasons_and_encryption() {
        assert_eq!(
            label(REJECT_REASONS, "BPA"),
            Some("Blocked by VPC Block Public Access")
        );
        assert_eq!(
            label(REJECT_REASONS, "EC"),
            Some("Rejected by VPC encryption controls")
        );
        assert_eq!(label(REJECT_REASONS, "bpa"), label(REJECT_REASONS, "BPA"));
        assert_eq!(label(REJECT_REASONS, "-"), None);

        assert_eq!(encryption_status_label(0), Some("Not encrypted in transit"));
        assert!(encryption_status_label(1).unwrap().contains("Nitro"));
        assert!(encryption_status_label(2).unwrap().contains("application"));
        let both = encryption_status_label(3).unwrap();
        assert!(both.contains("Nitro") && both.contains("application"));
        assert_eq!(encryption_status_label(4), None);
    }

    #[test]
    fn small_string_vocabularies() {
        assert_eq!(
            interface_type_label("interface"),
            Some("Elastic network interface")
        );
        assert_eq!(interface_type_label("nat_gateway"), Some("NAT gateway"));
        assert_eq!(interface_type_label("natGateway"), Some("NAT gateway"));
        assert_eq!(
            interface_type_label("regional_nat_gateway"),
            Some("Regional NAT gateway")
        );
        assert_eq!(interface_type_label("vpc_endpoint"), Some("VPC endpoint"));
        assert_eq!(interface_type_label("lambda"), Some("AWS Lambda function"));
        assert_eq!(interface_type_label("efa"), Some("Elastic Fabric Adapter"));
        assert_eq!(interface_type_label("something_new"), None);
    }

    #[test]
    fn port_names() {
        assert!(
            PORTS.windows(2).all(|w| w[0].0 <= w[1].0),
            "table must stay sorted"
        );
        let tcp = Some(6);
        let udp = Some(17);
        for (port, name) in [
            (20, "ftp-data"),
            (21, "ftp"),
            (22, "ssh"),
            (23, "telnet"),
            (25, "smtp"),
            (80, "http"),
            (110, "pop3"),
            (143, "imap"),
            (389, "ldap"),
            (443, "https"),
            (445, "smb"),
            (465, "smtps"),
            (587, "submission"),
            (636, "ldaps"),
            (873, "rsync"),
            (993, "imaps"),
            (995, "pop3s"),
            (1433, "mssql"),
            (1521, "oracle"),
            (2049, "nfs"),
            (2375, "docker"),
            (3128, "squid"),
            (3306, "mysql"),
            (3389, "rdp"),
            (5432, "postgresql"),
            (5439, "redshift"),
            (5672, "amqp"),
            (5900, "vnc"),
            (6379, "redis"),
            (6443, "kubernetes"),
            (8080, "http-alt"),
            (8443, "https-alt"),
            (9092, "kafka"),
            (9200, "elasticsearch"),
            (11211, "memcached"),
            (27017, "mongodb"),
        ] {
            assert_eq!(port_name(port, tcp), Some(name), "{port}/tcp");
            assert_eq!(port_name(port, None), Some(name), "{port}");
        }
        assert_eq!(port_name(53, tcp), Some("dns"));
        assert_eq!(port_name(53, udp), Some("dns"));
        assert_eq!(port_name(53, None), Some("dns"));
        assert_eq!(port_name(67, udp), Some("dhcp"));
        assert_eq!(port_name(68, udp), Some("dhcp"));
        assert_eq!(port_name(123, udp), Some("ntp"));
        assert_eq!(port_name(123, tcp), None);
        assert_eq!(port_name(123, None), Some("ntp"));
        assert_eq!(port_name(161, udp), Some("snmp"));
        assert_eq!(port_name(161, tcp), None);
        assert_eq!(port_name(514, udp), Some("syslog"));
        assert_eq!(port_name(514, tcp), Some("rsh"));
        assert_eq!(port_name(514, None), Some("syslog"));
        assert_eq!(port_name(22, udp), None);
        assert_eq!(port_name(443, udp), Some("https"));
        assert_eq!(port_name(22, Some(132)), Some("ssh"));
        assert_eq!(port_name(22, Some(1)), None);
        assert_eq!(port_name(0, None), None);
        assert_eq!(port_name(49152, None), None);
        assert_eq!(port_name(u16::MAX, None), None);
        assert!(PORTS.len() >= 100);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("Name%3Dweb%20server"), "Name=web server");
        assert!(matches!(percent_decode("plain"), Cow::Borrowed("plain")));
        assert_eq!(percent_decode(""), "");
        assert_eq!(percent_decode("%41%62"), "Ab");
        assert_eq!(percent_decode("%e2%82%ac"), "€");
        assert_eq!(percent_decode("%E2%82%AC"), "€");
        assert_eq!(percent_decode("a+b"), "a+b");
        // Invalid sequences stay verbatim.
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%4g%41"), "%4gA");
        assert_eq!(percent_decode("%%41"), "%A");
        // Already-decoded UTF-8 passes through.
        assert_eq!(percent_decode("caf\u{e9}%20bar"), "caf\u{e9} bar");
        // Invalid UTF-8 after decoding is replaced.
        assert_eq!(percent_decode("a%FFb"), "a\u{FFFD}b");
        assert_eq!(percent_decode("%C3"), "\u{FFFD}");
    }

    fn v4(s: &str) -> u32 {
        u32::from(s.parse::<Ipv4Addr>().unwrap())
    }

    fn scope(s: &str) -> &'static str {
        address_scope(s.parse().unwrap())
    }

    #[test]
    fn private_ipv4() {
        for a in [
            "10.0.0.0",
            "10.255.255.255",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.0",
            "100.127.255.255",
        ] {
            assert!(is_private_ipv4(v4(a)), "{a}");
        }
        for a in [
            "9.255.255.255",
            "11.0.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.167.255.255",
            "192.169.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "8.8.8.8",
            "127.0.0.1",
        ] {
            assert!(!is_private_ipv4(v4(a)), "{a}");
        }
    }

    #[test]
    fn address_scopes() {
        assert_eq!(scope("10.1.2.3"), "private");
        assert_eq!(scope("172.20.0.1"), "private");
        assert_eq!(scope("192.168.0.10"), "private");
        assert_eq!(scope("100.100.100.100"), "private");
        assert_eq!(scope("127.0.0.1"), "loopback");
        assert_eq!(scope("127.255.0.1"), "loopback");
        assert_eq!(scope("169.254.169.254"), "link-local");
        assert_eq!(scope("224.0.0.251"), "multicast");
        assert_eq!(scope("239.255.255.250"), "multicast");
        assert_eq!(scope("52.95.110.1"), "public");
        assert_eq!(scope("8.8.8.8"), "public");
        assert_eq!(scope("240.0.0.1"), "public");

        assert_eq!(scope("::1"), "loopback");
        assert_eq!(scope("fe80::1"), "link-local");
        assert_eq!(scope("febf::1"), "link-local");
        assert_eq!(scope("fec0::1"), "public");
        assert_eq!(scope("ff02::1"), "multicast");
        assert_eq!(scope("fc00::1"), "private");
        assert_eq!(scope("fd12:3456::1"), "private");
        assert_eq!(scope("2600:1f18::1"), "public");
        assert_eq!(scope("::ffff:10.0.0.1"), "private");
        assert_eq!(scope("::ffff:8.8.8.8"), "public");
    }
}
