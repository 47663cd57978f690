//! The field catalogue: every VPC flow log field of versions 2–11, every Transit Gateway
//! flow log field, and the two event fields that CloudWatch exports carry beside the
//! message. Each field knows its AWS name, the version that introduced it, how its values
//! are typed, and what it means — the single source of truth for the decoder, the table,
//! the query engine, the exports and the page.

use std::fmt;

/// How a field's text is typed and stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// An unsigned integer no greater than `max` (JSON number in every output).
    UInt {
        /// The largest valid value.
        max: u64,
    },
    /// Unix seconds; 13-digit millisecond values are accepted and given as seconds.
    Time,
    /// An IPv4 or IPv6 address.
    Addr,
    /// `ACCEPT` or `REJECT`.
    Action,
    /// `OK`, `NODATA` or `SKIPDATA`.
    LogStatus,
    /// Any other text (IDs, names, enumerations AWS may extend).
    Text,
    /// Text that AWS percent-encodes (v11 tags); decoded for display only.
    Tag,
    /// A CloudWatch event timestamp in milliseconds (not part of the record).
    EventTime,
}

impl Kind {
    /// Whether values of this kind are JSON numbers in the typed contract.
    pub fn is_numeric(self) -> bool {
        matches!(self, Kind::UInt { .. } | Kind::Time | Kind::EventTime)
    }

    /// What the page calls the kind (column alignment, filter help): `integer`, `time`,
    /// `address` or `text`.
    pub fn family_name(self) -> &'static str {
        match self {
            Kind::UInt { .. } => "integer",
            Kind::Time | Kind::EventTime => "time",
            Kind::Addr => "address",
            _ => "text",
        }
    }
}

/// Which flow log family a field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Fields that VPC and Transit Gateway flow logs share.
    Both,
    /// VPC (network interface, subnet, VPC) flow logs only.
    Vpc,
    /// Transit Gateway flow logs only.
    TransitGateway,
    /// Not a flow log field: metadata of the CloudWatch event that carried the record.
    Event,
    /// A column for a header name flowlens does not know (AWS adds fields with every
    /// version): its values are kept as text.
    Extra,
}

/// One entry of the catalogue.
#[derive(Debug)]
pub struct FieldDef {
    /// Which field it describes.
    pub field: Field,
    /// The AWS name, hyphenated (`log-status`).
    pub name: &'static str,
    /// The flow log version that introduced the field (Transit Gateway fields: 6).
    pub version: u8,
    /// How its values are typed and stored.
    pub kind: Kind,
    /// Which flow logs have it (VPC, Transit Gateway, both, CloudWatch).
    pub family: Family,
    /// One sentence for help texts and the page's column tooltips.
    pub about: &'static str,
}

const U8: Kind = Kind::UInt {
    max: u8::MAX as u64,
};
const U16: Kind = Kind::UInt {
    max: u16::MAX as u64,
};
const U64: Kind = Kind::UInt { max: u64::MAX };

macro_rules! catalogue {
    ($( $variant:ident = $name:literal, $version:literal, $kind:expr, $family:ident, $about:literal; )*) => {
        /// A catalogue field. The discriminant is the index into [`FIELDS`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        #[allow(missing_docs)] // each variant is its AWS name; FIELDS describes it
        pub enum Field { $( $variant, )* }

        /// The whole catalogue, in `Field` order.
        pub static FIELDS: &[FieldDef] = &[
            $( FieldDef { field: Field::$variant, name: $name, version: $version, kind: $kind,
                          family: Family::$family, about: $about }, )*
        ];
    };
}

catalogue! {
    // ---- version 2: the default format, in its order
    Version = "version", 2, U8, Both, "The flow log version; the highest version of any field in the format.";
    AccountId = "account-id", 2, Kind::Text, Both, "The AWS account ID of the owner of the source network interface (or transit gateway).";
    InterfaceId = "interface-id", 2, Kind::Text, Vpc, "The ID of the network interface for which the traffic is recorded.";
    SrcAddr = "srcaddr", 2, Kind::Addr, Both, "The source address of incoming traffic or the network interface's address for outgoing traffic.";
    DstAddr = "dstaddr", 2, Kind::Addr, Both, "The destination address of outgoing traffic or the network interface's address for incoming traffic.";
    SrcPort = "srcport", 2, U16, Both, "The source port of the traffic.";
    DstPort = "dstport", 2, U16, Both, "The destination port of the traffic.";
    Protocol = "protocol", 2, U8, Both, "The IANA protocol number of the traffic (6 TCP, 17 UDP, 1 ICMP, 41 IPv6 encapsulation…).";
    Packets = "packets", 2, U64, Both, "The number of packets transferred during the flow.";
    Bytes = "bytes", 2, U64, Both, "The number of bytes transferred during the flow.";
    Start = "start", 2, Kind::Time, Both, "When the first packet of the flow was received within the aggregation interval (unix seconds).";
    End = "end", 2, Kind::Time, Both, "When the last packet of the flow was received within the aggregation interval (unix seconds).";
    Action = "action", 2, Kind::Action, Vpc, "ACCEPT: the traffic was accepted; REJECT: rejected by a security group, network ACL, or Block Public Access.";
    LogStatus = "log-status", 2, Kind::LogStatus, Both, "OK: data logged normally; NODATA: no traffic in the interval; SKIPDATA: records were skipped in the interval.";
    // ---- version 3
    VpcId = "vpc-id", 3, Kind::Text, Vpc, "The ID of the VPC that contains the network interface.";
    SubnetId = "subnet-id", 3, Kind::Text, Vpc, "The ID of the subnet that contains the network interface.";
    InstanceId = "instance-id", 3, Kind::Text, Vpc, "The ID of the instance associated with the network interface, if the instance is owned by you.";
    TcpFlags = "tcp-flags", 3, U8, Both, "The bitmask of TCP flags seen in the interval, OR-ed: FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32.";
    Type = "type", 3, Kind::Text, Both, "The type of traffic: IPv4, IPv6 or EFA.";
    PktSrcAddr = "pkt-srcaddr", 3, Kind::Addr, Vpc, "The packet-level (original) source address of the traffic.";
    PktDstAddr = "pkt-dstaddr", 3, Kind::Addr, Vpc, "The packet-level (original) destination address of the traffic.";
    // ---- version 4
    Region = "region", 4, Kind::Text, Both, "The Region that contains the network interface (or transit gateway).";
    AzId = "az-id", 4, Kind::Text, Vpc, "The ID of the Availability Zone that contains the network interface.";
    SublocationType = "sublocation-type", 4, Kind::Text, Vpc, "The type of sublocation: wavelength, outpost or localzone.";
    SublocationId = "sublocation-id", 4, Kind::Text, Vpc, "The ID of the sublocation that contains the network interface.";
    // ---- version 5
    PktSrcAwsService = "pkt-src-aws-service", 5, Kind::Text, Both, "The name of the AWS service subset of the pkt-srcaddr range, if it belongs to one.";
    PktDstAwsService = "pkt-dst-aws-service", 5, Kind::Text, Both, "The name of the AWS service subset of the pkt-dstaddr range, if it belongs to one.";
    FlowDirection = "flow-direction", 5, Kind::Text, Both, "The direction of the flow with respect to the interface: ingress or egress.";
    TrafficPath = "traffic-path", 5, U8, Vpc, "The path egress traffic takes to the destination (1 through another resource in the VPC … 8 through an internet gateway).";
    // ---- version 7
    EcsClusterArn = "ecs-cluster-arn", 7, Kind::Text, Vpc, "The ARN of the ECS cluster, if the traffic is from a running ECS task.";
    EcsClusterName = "ecs-cluster-name", 7, Kind::Text, Vpc, "The name of the ECS cluster.";
    EcsContainerInstanceArn = "ecs-container-instance-arn", 7, Kind::Text, Vpc, "The ARN of the ECS container instance (EC2 launch type).";
    EcsContainerInstanceId = "ecs-container-instance-id", 7, Kind::Text, Vpc, "The ID of the ECS container instance (EC2 launch type).";
    EcsContainerId = "ecs-container-id", 7, Kind::Text, Vpc, "The Docker runtime ID of the container.";
    EcsSecondContainerId = "ecs-second-container-id", 7, Kind::Text, Vpc, "The Docker runtime ID of a second container of the task.";
    EcsServiceName = "ecs-service-name", 7, Kind::Text, Vpc, "The name of the ECS service.";
    EcsTaskDefinitionArn = "ecs-task-definition-arn", 7, Kind::Text, Vpc, "The ARN of the ECS task definition.";
    EcsTaskArn = "ecs-task-arn", 7, Kind::Text, Vpc, "The ARN of the ECS task.";
    EcsTaskId = "ecs-task-id", 7, Kind::Text, Vpc, "The ID of the ECS task.";
    // ---- version 8
    RejectReason = "reject-reason", 8, Kind::Text, Vpc, "Why the traffic was rejected: BPA (VPC Block Public Access) or EC (encryption controls).";
    // ---- version 9
    ResourceId = "resource-id", 9, Kind::Text, Vpc, "The ID of the resource (NAT gateway, VPC endpoint…) that the flow belongs to.";
    // ---- version 10
    EncryptionStatus = "encryption-status", 10, U8, Vpc, "Whether the traffic was encrypted in transit: 0 not encrypted, 1 Nitro-encrypted, 2 application-encrypted, 3 both.";
    // ---- version 11
    InstanceTag = "instance-tag", 11, Kind::Tag, Vpc, "A tag of the instance, key=value, percent-encoded UTF-8.";
    InstanceTag2 = "instance-tag-2", 11, Kind::Tag, Vpc, "A second tag of the instance, key=value, percent-encoded UTF-8.";
    InterfaceTag = "interface-tag", 11, Kind::Tag, Vpc, "A tag of the network interface, key=value, percent-encoded UTF-8.";
    InterfaceTag2 = "interface-tag-2", 11, Kind::Tag, Vpc, "A second tag of the network interface, key=value, percent-encoded UTF-8.";
    AsgTag = "asg-tag", 11, Kind::Tag, Vpc, "A tag of the Auto Scaling group, key=value, percent-encoded UTF-8.";
    AsgTag2 = "asg-tag-2", 11, Kind::Tag, Vpc, "A second tag of the Auto Scaling group, key=value, percent-encoded UTF-8.";
    InterfaceType = "interface-type", 11, Kind::Text, Vpc, "The type of the network interface (interface, nat_gateway, vpc_endpoint, lambda…).";
    NextHopInterfaceId = "next-hop-interface-id", 11, Kind::Text, Vpc, "The ID of the network interface the traffic goes to next.";
    NextHopSubnetId = "next-hop-subnet-id", 11, Kind::Text, Vpc, "The ID of the subnet of the next-hop interface.";
    NextHopAzId = "next-hop-az-id", 11, Kind::Text, Vpc, "The Availability Zone ID of the next-hop interface.";
    NextHopVpcId = "next-hop-vpc-id", 11, Kind::Text, Vpc, "The ID of the VPC of the next-hop interface.";
    NextHopInterfaceType = "next-hop-interface-type", 11, Kind::Text, Vpc, "The type of the next-hop network interface.";
    // ---- Transit Gateway flow logs
    ResourceType = "resource-type", 6, Kind::Text, TransitGateway, "The type of resource the flow log is for: TransitGateway or TransitGatewayAttachment.";
    TgwId = "tgw-id", 6, Kind::Text, TransitGateway, "The ID of the transit gateway.";
    TgwAttachmentId = "tgw-attachment-id", 6, Kind::Text, TransitGateway, "The ID of the transit gateway attachment.";
    TgwSrcVpcAccountId = "tgw-src-vpc-account-id", 6, Kind::Text, TransitGateway, "The AWS account ID of the source VPC.";
    TgwDstVpcAccountId = "tgw-dst-vpc-account-id", 6, Kind::Text, TransitGateway, "The AWS account ID of the destination VPC.";
    TgwSrcVpcId = "tgw-src-vpc-id", 6, Kind::Text, TransitGateway, "The ID of the source VPC.";
    TgwDstVpcId = "tgw-dst-vpc-id", 6, Kind::Text, TransitGateway, "The ID of the destination VPC.";
    TgwSrcSubnetId = "tgw-src-subnet-id", 6, Kind::Text, TransitGateway, "The ID of the source subnet.";
    TgwDstSubnetId = "tgw-dst-subnet-id", 6, Kind::Text, TransitGateway, "The ID of the destination subnet.";
    TgwSrcEni = "tgw-src-eni", 6, Kind::Text, TransitGateway, "The ID of the source transit gateway attachment ENI.";
    TgwDstEni = "tgw-dst-eni", 6, Kind::Text, TransitGateway, "The ID of the destination transit gateway attachment ENI.";
    TgwSrcAzId = "tgw-src-az-id", 6, Kind::Text, TransitGateway, "The ID of the Availability Zone of the source.";
    TgwDstAzId = "tgw-dst-az-id", 6, Kind::Text, TransitGateway, "The ID of the Availability Zone of the destination.";
    TgwPairAttachmentId = "tgw-pair-attachment-id", 6, Kind::Text, TransitGateway, "The attachment ID of the other side of the flow.";
    PacketsLostNoRoute = "packets-lost-no-route", 6, U64, TransitGateway, "Packets lost because no route was specified.";
    PacketsLostBlackhole = "packets-lost-blackhole", 6, U64, TransitGateway, "Packets lost to a blackhole route.";
    PacketsLostMtuExceeded = "packets-lost-mtu-exceeded", 6, U64, TransitGateway, "Packets lost because their size exceeded the MTU.";
    PacketsLostTtlExpired = "packets-lost-ttl-expired", 6, U64, TransitGateway, "Packets lost because their time-to-live expired.";
    // ---- CloudWatch event metadata, carried beside the message
    EventTimestamp = "@timestamp", 0, Kind::EventTime, Event, "The CloudWatch Logs event timestamp (unix milliseconds) of the message that carried the record.";
    LogStream = "@logStream", 0, Kind::Text, Event, "The CloudWatch Logs stream that carried the record.";
    // ---- columns for header names not in this catalogue, kept as text (issue 7)
    Extra1 = "extra-1", 0, Kind::Text, Extra, "The values under the 1st unknown field name of a header line, kept as text.";
    Extra2 = "extra-2", 0, Kind::Text, Extra, "The values under the 2nd unknown field name of a header line, kept as text.";
    Extra3 = "extra-3", 0, Kind::Text, Extra, "The values under the 3rd unknown field name of a header line, kept as text.";
    Extra4 = "extra-4", 0, Kind::Text, Extra, "The values under the 4th unknown field name of a header line, kept as text.";
    Extra5 = "extra-5", 0, Kind::Text, Extra, "The values under the 5th unknown field name of a header line, kept as text.";
    Extra6 = "extra-6", 0, Kind::Text, Extra, "The values under the 6th unknown field name of a header line, kept as text.";
    Extra7 = "extra-7", 0, Kind::Text, Extra, "The values under the 7th unknown field name of a header line, kept as text.";
    Extra8 = "extra-8", 0, Kind::Text, Extra, "The values under the 8th unknown field name of a header line, kept as text.";
}

/// The extra text columns, in order, for a header's unknown names.
pub const EXTRAS: [Field; 8] = [
    Field::Extra1,
    Field::Extra2,
    Field::Extra3,
    Field::Extra4,
    Field::Extra5,
    Field::Extra6,
    Field::Extra7,
    Field::Extra8,
];

/// Number of catalogue fields.
pub const FIELD_COUNT: usize = Field::Extra8 as usize + 1;

impl Field {
    /// The catalogue entry of the field.
    pub fn def(self) -> &'static FieldDef {
        &FIELDS[self as usize]
    }
    /// The AWS name (`log-status`).
    pub fn name(self) -> &'static str {
        self.def().name
    }
    /// How values of the field are typed.
    pub fn kind(self) -> Kind {
        self.def().kind
    }
    /// The position in [`FIELDS`].
    pub fn index(self) -> usize {
        self as usize
    }
    /// Every field, in catalogue order.
    pub fn all() -> impl Iterator<Item = Field> {
        FIELDS.iter().map(|d| d.field)
    }

    /// Looks a field up by its AWS name, its underscore spelling (Athena, Parquet),
    /// its `${name}` format spelling or its Logs Insights camelCase name; case-insensitive.
    pub fn lookup(name: &str) -> Option<Field> {
        let name = name.trim();
        let name = name
            .strip_prefix("${")
            .and_then(|n| n.strip_suffix('}'))
            .unwrap_or(name);
        if name.is_empty() || name.len() > 40 {
            return None;
        }
        // Normalised (lowercase, no '-' or '_') into a stack buffer: this runs for the
        // first word of every line that might be a header, so it must not allocate.
        if !name.is_ascii() {
            return None;
        }
        let mut buf = [0u8; 40];
        let mut n = 0;
        for b in name.bytes().filter(|b| *b != b'-' && *b != b'_') {
            buf[n] = b.to_ascii_lowercase();
            n += 1;
        }
        let normal = &buf[..n];
        let same = |catalogue_name: &str| {
            catalogue_name
                .bytes()
                .filter(|b| *b != b'-')
                .map(|b| b.to_ascii_lowercase())
                .eq(normal.iter().copied())
        };
        FIELDS
            .iter()
            .find(|d| same(d.name))
            .map(|d| d.field)
            .or(match normal {
                // Logs Insights names that differ by more than case and hyphens.
                b"interfaceid" => Some(Field::InterfaceId),
                b"srcaddress" => Some(Field::SrcAddr),
                b"dstaddress" => Some(Field::DstAddr),
                b"starttime" => Some(Field::Start),
                b"endtime" => Some(Field::End),
                b"logstatus" => Some(Field::LogStatus),
                b"timestamp" => Some(Field::EventTimestamp),
                b"logstreamname" | b"logstream" => Some(Field::LogStream),
                b"packet" => Some(Field::Packets),
                _ => None,
            })
    }

    /// The Logs Insights discovered name of a default-format field.
    pub fn insights_name(self) -> Option<&'static str> {
        Some(match self {
            Field::Version => "version",
            Field::AccountId => "accountId",
            Field::InterfaceId => "interfaceId",
            Field::SrcAddr => "srcAddr",
            Field::DstAddr => "dstAddr",
            Field::SrcPort => "srcPort",
            Field::DstPort => "dstPort",
            Field::Protocol => "protocol",
            Field::Packets => "packets",
            Field::Bytes => "bytes",
            Field::Start => "startTime",
            Field::End => "endTime",
            Field::Action => "action",
            Field::LogStatus => "logStatus",
            Field::EventTimestamp => "@timestamp",
            Field::LogStream => "@logStream",
            _ => return None,
        })
    }
}

impl serde::Serialize for Field {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

use Field::*;

/// The default (version 2) format.
pub const DEFAULT_FORMAT: &[Field] = &[
    Version,
    AccountId,
    InterfaceId,
    SrcAddr,
    DstAddr,
    SrcPort,
    DstPort,
    Protocol,
    Packets,
    Bytes,
    Start,
    End,
    Action,
    LogStatus,
];

/// Every field of versions 2–5 in the order of AWS's field table (29 fields).
pub const ALL_V5: &[Field] = &[
    Version,
    AccountId,
    InterfaceId,
    SrcAddr,
    DstAddr,
    SrcPort,
    DstPort,
    Protocol,
    Packets,
    Bytes,
    Start,
    End,
    Action,
    LogStatus,
    VpcId,
    SubnetId,
    InstanceId,
    TcpFlags,
    Type,
    PktSrcAddr,
    PktDstAddr,
    Region,
    AzId,
    SublocationType,
    SublocationId,
    PktSrcAwsService,
    PktDstAwsService,
    FlowDirection,
    TrafficPath,
];

/// The Transit Gateway default format (36 fields).
pub const TGW_DEFAULT: &[Field] = &[
    Version,
    ResourceType,
    AccountId,
    TgwId,
    TgwAttachmentId,
    TgwSrcVpcAccountId,
    TgwDstVpcAccountId,
    TgwSrcVpcId,
    TgwDstVpcId,
    TgwSrcSubnetId,
    TgwDstSubnetId,
    TgwSrcEni,
    TgwDstEni,
    TgwSrcAzId,
    TgwDstAzId,
    TgwPairAttachmentId,
    SrcAddr,
    DstAddr,
    SrcPort,
    DstPort,
    Protocol,
    Packets,
    Bytes,
    Start,
    End,
    LogStatus,
    Type,
    PacketsLostNoRoute,
    PacketsLostBlackhole,
    PacketsLostMtuExceeded,
    PacketsLostTtlExpired,
    TcpFlags,
    Region,
    FlowDirection,
    PktSrcAwsService,
    PktDstAwsService,
];

/// Every VPC flow log field up to `version`, in table order (versions 2–5 first, then the
/// later versions' fields in the order AWS lists them).
pub fn all_vpc_fields_up_to(version: u8) -> Vec<Field> {
    FIELDS
        .iter()
        .filter(|d| matches!(d.family, Family::Both | Family::Vpc) && d.version <= version)
        .filter(|d| d.version != 0)
        .map(|d| d.field)
        .filter(|f| version >= 2 && (*f as usize) <= (NextHopInterfaceType as usize))
        .collect()
}

/// The documented layouts that a bare field count can be bound to, most common first.
pub fn documented_layouts() -> Vec<(&'static str, Vec<Field>)> {
    vec![
        ("default format (version 2)", DEFAULT_FORMAT.to_vec()),
        ("all fields of versions 2–5", ALL_V5.to_vec()),
        ("Transit Gateway default format", TGW_DEFAULT.to_vec()),
        ("all fields of versions 2–7", all_vpc_fields_up_to(7)),
        ("all fields of versions 2–8", all_vpc_fields_up_to(8)),
        ("all fields of versions 2–9", all_vpc_fields_up_to(9)),
        ("all fields of versions 2–10", all_vpc_fields_up_to(10)),
        ("all fields of versions 2–11", all_vpc_fields_up_to(11)),
    ]
}

/// Parses a format the user gives: the flow log's `LogFormat` (`${version} ${vpc-id} …`)
/// or a plain list of names separated by spaces or commas. Errors name the unknown field.
pub fn parse_format(text: &str) -> Result<Vec<Field>, String> {
    let mut out = Vec::new();
    for (i, tok) in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .enumerate()
    {
        match Field::lookup(tok) {
            Some(f) => out.push(f),
            None => return Err(format!("format field {}: unknown field '{}'", i + 1, tok)),
        }
    }
    if out.is_empty() {
        return Err("the format names no fields".into());
    }
    check_unique(&out).map_err(|e| format!("format: {e}"))?;
    Ok(out)
}

/// Rejects a field list (a format or a header) that names a field twice: the two
/// positions would share one column, so one value would silently replace the other.
/// The error names the field and both 1-based positions.
pub fn check_unique(fields: &[Field]) -> Result<(), String> {
    let mut seen = [usize::MAX; FIELD_COUNT];
    for (i, f) in fields.iter().enumerate() {
        let first = &mut seen[*f as usize];
        if *first != usize::MAX {
            return Err(format!(
                "field '{}' is named twice, at positions {} and {}",
                f.name(),
                *first + 1,
                i + 1
            ));
        }
        *first = i;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_in_field_order_and_names_are_unique() {
        for (i, d) in FIELDS.iter().enumerate() {
            assert_eq!(d.field as usize, i);
            assert_eq!(Field::lookup(d.name), Some(d.field), "{}", d.name);
        }
        assert_eq!(FIELD_COUNT, FIELDS.len());
    }

    #[test]
    fn layouts_have_documented_sizes() {
        assert_eq!(DEFAULT_FORMAT.len(), 14);
        assert_eq!(ALL_V5.len(), 29);
        assert_eq!(TGW_DEFAULT.len(), 36);
        assert_eq!(all_vpc_fields_up_to(5), ALL_V5);
        assert_eq!(all_vpc_fields_up_to(7).len(), 39);
        assert_eq!(all_vpc_fields_up_to(8).len(), 40);
        assert_eq!(all_vpc_fields_up_to(11).len(), 54);
    }

    #[test]
    fn lookup_accepts_every_spelling() {
        assert_eq!(Field::lookup("log_status"), Some(LogStatus));
        assert_eq!(Field::lookup("${pkt-srcaddr}"), Some(PktSrcAddr));
        assert_eq!(Field::lookup("srcAddr"), Some(SrcAddr));
        assert_eq!(Field::lookup("interfaceId"), Some(InterfaceId));
        assert_eq!(Field::lookup("LOGSTATUS"), Some(LogStatus));
        assert_eq!(Field::lookup("nonsense"), None);
        // "end" must not match a longer name by prefix
        assert_eq!(Field::lookup("end"), Some(End));
    }

    #[test]
    fn formats_parse() {
        assert_eq!(
            parse_format("${version} ${srcaddr}").unwrap(),
            vec![Version, SrcAddr]
        );
        assert_eq!(
            parse_format("version,srcaddr dstaddr").unwrap(),
            vec![Version, SrcAddr, DstAddr]
        );
        assert!(parse_format("version dstprt")
            .unwrap_err()
            .contains("'dstprt'"));
    }
}
