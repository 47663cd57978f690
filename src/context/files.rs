//! Context files: the JSON the AWS CLI prints for `ec2 describe-network-interfaces`,
//! `ec2 describe-instances`, `elbv2 describe-load-balancers`, `elbv2
//! describe-target-groups`, and AWS's published `ip-ranges.json`. Each is recognised
//! from its content (its top-level key), never its file name, and parsed with serde;
//! unknown keys are ignored, so newer CLI versions still parse.

use serde::Deserialize;

/// Which kind of context file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContextKind {
    /// `aws ec2 describe-network-interfaces`
    NetworkInterfaces,
    /// `aws ec2 describe-instances`
    Instances,
    /// `aws elbv2 describe-load-balancers`
    LoadBalancers,
    /// `aws elbv2 describe-target-groups`
    TargetGroups,
    /// `https://ip-ranges.amazonaws.com/ip-ranges.json`
    IpRanges,
    /// The labels a flowlens report carries (see [`super::snapshot`]).
    ReportLabels,
}

impl ContextKind {
    /// The kind's name, as serialized (`network-interfaces`, `ip-ranges`…).
    pub fn name(self) -> &'static str {
        match self {
            ContextKind::NetworkInterfaces => "network-interfaces",
            ContextKind::Instances => "instances",
            ContextKind::LoadBalancers => "load-balancers",
            ContextKind::TargetGroups => "target-groups",
            ContextKind::IpRanges => "ip-ranges",
            ContextKind::ReportLabels => "report-labels",
        }
    }

    /// The command (or download) that produces the file.
    pub fn source(self) -> &'static str {
        match self {
            ContextKind::NetworkInterfaces => "aws ec2 describe-network-interfaces",
            ContextKind::Instances => "aws ec2 describe-instances",
            ContextKind::LoadBalancers => "aws elbv2 describe-load-balancers",
            ContextKind::TargetGroups => "aws elbv2 describe-target-groups",
            ContextKind::IpRanges => "ip-ranges.json",
            ContextKind::ReportLabels => "the labels saved in a flowlens report",
        }
    }
}

/// The top-level keys that identify each kind.
const MARKERS: &[(&str, ContextKind)] = &[
    ("NetworkInterfaces", ContextKind::NetworkInterfaces),
    ("Reservations", ContextKind::Instances),
    ("LoadBalancers", ContextKind::LoadBalancers),
    ("TargetGroups", ContextKind::TargetGroups),
    ("prefixes", ContextKind::IpRanges),
    ("ipv6_prefixes", ContextKind::IpRanges),
    ("syncToken", ContextKind::IpRanges),
    (super::snapshot::MARKER, ContextKind::ReportLabels),
];

/// Recognises a context file from its first bytes (a few KB are enough): a JSON object
/// whose first key is one of the markers above. Flow log containers (`events`,
/// `logEvents`, `results`, records) never start that way, so this runs before the
/// flow-log decoder. A `Some` is confirmed by [`parse`]; when that fails the input is
/// decoded as flow logs after all.
pub fn sniff(prefix: &[u8]) -> Option<ContextKind> {
    if prefix.starts_with(&GZIP_MAGIC) {
        return sniff_text(&gunzip(prefix, 4096));
    }
    sniff_text(prefix)
}

/// The first bytes of a gzip member.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// The largest context file read once inflated (ip-ranges.json is ~2 MB).
const MAX_INFLATED: usize = 512 << 20;

/// Up to `limit` bytes of the text of gzip-compressed bytes. A gzip-compressed context
/// file (`enis.json.gz`, or the labels a report embeds) is read as its text; a cut-off
/// stream (a 4 KB prefix when sniffing) gives what could be inflated.
fn gunzip(bytes: &[u8], limit: usize) -> Vec<u8> {
    crate::container::gunzip_upto(bytes, limit)
}

fn sniff_text(prefix: &[u8]) -> Option<ContextKind> {
    let mut s = prefix;
    if s.starts_with(b"\xEF\xBB\xBF") {
        s = &s[3..];
    }
    let s = trim_start(s);
    let s = trim_start(s.strip_prefix(b"{")?);
    let s = s.strip_prefix(b"\"")?;
    let end = memchr::memchr(b'"', s)?;
    let key = std::str::from_utf8(&s[..end]).ok()?;
    let after = trim_start(&s[end + 1..]);
    if !after.starts_with(b":") {
        return None;
    }
    MARKERS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|&(_, kind)| kind)
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &s[n..]
}

/// Why a context file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ContextError {
    /// The line of the file where it fails (0: the file as a whole).
    pub line: u64,
    /// What is wrong.
    pub reason: String,
}

// ------------------------------------------------------------------ file schemas

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PrivateIp {
    pub private_ip_address: String,
    pub association: Option<Association>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Association {
    pub public_ip: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Ipv6 {
    pub ipv6_address: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Attachment {
    pub instance_id: Option<String>,
    pub instance_owner_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Group {
    pub group_id: String,
    pub group_name: String,
}

/// One element of `NetworkInterfaces[]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkInterface {
    pub network_interface_id: String,
    pub interface_type: String,
    pub description: String,
    pub requester_id: Option<String>,
    pub requester_managed: bool,
    pub attachment: Option<Attachment>,
    pub private_ip_address: Option<String>,
    pub private_ip_addresses: Vec<PrivateIp>,
    pub association: Option<Association>,
    pub ipv6_addresses: Vec<Ipv6>,
    pub groups: Vec<Group>,
    pub tag_set: Vec<Tag>,
    pub vpc_id: String,
    pub subnet_id: String,
    pub availability_zone: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct NetworkInterfaces {
    pub network_interfaces: Vec<NetworkInterface>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Instance {
    pub instance_id: String,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Reservation {
    pub instances: Vec<Instance>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Instances {
    pub reservations: Vec<Reservation>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LoadBalancer {
    pub load_balancer_arn: String,
    pub load_balancer_name: String,
    #[serde(rename = "Type")]
    pub kind: String,
    pub scheme: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct LoadBalancers {
    pub load_balancers: Vec<LoadBalancer>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TargetGroup {
    pub target_group_name: String,
    pub protocol: Option<String>,
    pub port: Option<u16>,
    /// A port number as text, or `traffic-port`.
    pub health_check_port: Option<String>,
    pub health_check_protocol: Option<String>,
    pub health_check_interval_seconds: Option<u32>,
    pub health_check_path: Option<String>,
    pub load_balancer_arns: Vec<String>,
}

impl TargetGroup {
    /// The port health checks go to: `HealthCheckPort`, or the traffic port.
    pub fn check_port(&self) -> Option<u16> {
        match self.health_check_port.as_deref() {
            Some(p) if p != "traffic-port" => p.parse().ok(),
            _ => self.port,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct TargetGroups {
    pub target_groups: Vec<TargetGroup>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IpPrefix {
    #[serde(alias = "ipv6_prefix")]
    pub ip_prefix: String,
    pub region: String,
    pub service: String,
    pub network_border_group: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IpRanges {
    pub prefixes: Vec<IpPrefix>,
    pub ipv6_prefixes: Vec<IpPrefix>,
}

/// A parsed context file.
#[derive(Debug, Clone)]
pub enum ContextFile {
    NetworkInterfaces(NetworkInterfaces),
    Instances(Instances),
    LoadBalancers(LoadBalancers),
    TargetGroups(TargetGroups),
    IpRanges(IpRanges),
    ReportLabels(Box<super::snapshot::Snapshot>),
}

impl ContextFile {
    /// How many items it describes (interfaces, instances, prefixes…).
    pub fn items(&self) -> usize {
        match self {
            ContextFile::NetworkInterfaces(n) => n.network_interfaces.len(),
            ContextFile::Instances(i) => i.reservations.iter().map(|r| r.instances.len()).sum(),
            ContextFile::LoadBalancers(l) => l.load_balancers.len(),
            ContextFile::TargetGroups(t) => t.target_groups.len(),
            ContextFile::IpRanges(r) => r.prefixes.len() + r.ipv6_prefixes.len(),
            ContextFile::ReportLabels(s) => s.labels.len(),
        }
    }
}

/// Parses a whole context file. `None` when it is not one (then it is flow-log input);
/// an error when it is one but its JSON is broken (with the line of the fault).
pub fn parse(bytes: &[u8]) -> Option<Result<ContextFile, ContextError>> {
    let kind = sniff(&bytes[..bytes.len().min(4096)])?;
    let inflated;
    let mut s = bytes;
    if bytes.starts_with(&GZIP_MAGIC) {
        inflated = gunzip(bytes, MAX_INFLATED);
        if inflated.len() >= MAX_INFLATED {
            return Some(Err(ContextError {
                line: 0,
                reason: format!(
                    "larger than {} MB once inflated: not read",
                    MAX_INFLATED >> 20
                ),
            }));
        }
        s = &inflated;
    }
    if s.starts_with(b"\xEF\xBB\xBF") {
        s = &s[3..];
    }
    fn go<T: serde::de::DeserializeOwned>(s: &[u8]) -> Result<T, ContextError> {
        serde_json::from_slice(s).map_err(|e| ContextError {
            line: e.line() as u64,
            reason: format!("not valid {}: {e}", "JSON"),
        })
    }
    Some(match kind {
        ContextKind::NetworkInterfaces => go(s).map(ContextFile::NetworkInterfaces),
        ContextKind::Instances => go(s).map(ContextFile::Instances),
        ContextKind::LoadBalancers => go(s).map(ContextFile::LoadBalancers),
        ContextKind::TargetGroups => go(s).map(ContextFile::TargetGroups),
        ContextKind::IpRanges => go(s).map(ContextFile::IpRanges),
        ContextKind::ReportLabels => go(s).map(|s| ContextFile::ReportLabels(Box::new(s))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_first_key() {
        assert_eq!(
            sniff(b"\xEF\xBB\xBF {\n  \"NetworkInterfaces\": ["),
            Some(ContextKind::NetworkInterfaces)
        );
        assert_eq!(sniff(b"{\"syncToken\":\"1\""), Some(ContextKind::IpRanges));
        assert_eq!(
            sniff(b"{\"Reservations\" : []}"),
            Some(ContextKind::Instances)
        );
        assert_eq!(sniff(b"{\"events\": [{\"message\": \"2 1 eni\"}]}"), None);
        assert_eq!(sniff(b"{\"messageType\":\"DATA_MESSAGE\"}"), None);
        assert_eq!(
            sniff(b"2 123456789010 eni-1 - - - - - - - 1 2 - NODATA"),
            None
        );
        assert_eq!(sniff(b"{\"NetworkInterfaces\"}"), None);
    }

    #[test]
    fn a_gzip_compressed_context_file_is_read_as_its_text() {
        use std::io::Write as _;
        let one = r#"{"NetworkInterfaceId": "eni-1", "Description": "Primary network interface"}"#;
        let json = format!(
            "{{\"NetworkInterfaces\": [{}]}}",
            vec![one; 400].join(",\n")
        );
        let gz = |b: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(b).unwrap();
            e.finish().unwrap()
        };
        let z = gz(json.as_bytes());
        assert_eq!(
            sniff(&z[..z.len().min(4096)]),
            Some(ContextKind::NetworkInterfaces)
        );
        match parse(&z) {
            Some(Ok(ContextFile::NetworkInterfaces(n))) => {
                assert_eq!(n.network_interfaces.len(), 400)
            }
            _ => panic!("not read"),
        }
        // cut short on the way: recognised, and an error with its line
        let e = parse(&z[..z.len() / 2]).unwrap().unwrap_err();
        assert!(e.line > 1, "{e}");
        // gzip flow logs are not context
        assert_eq!(
            sniff(&gz(b"2 123456789012 eni-1 - - - - - - - 1 2 - NODATA\n")),
            None
        );
    }

    #[test]
    fn broken_context_json_names_the_line() {
        let e = parse(b"{\"TargetGroups\": [\n{\"Port\": 80,\n}]}")
            .unwrap()
            .unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn check_port_defaults_to_traffic_port() {
        let t: TargetGroups = serde_json::from_str(
            r#"{"TargetGroups":[{"Port":80,"HealthCheckPort":"traffic-port"},{"Port":80,"HealthCheckPort":"8081"}]}"#,
        )
        .unwrap();
        assert_eq!(t.target_groups[0].check_port(), Some(80));
        assert_eq!(t.target_groups[1].check_port(), Some(8081));
    }
}
