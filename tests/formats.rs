//! Formats beyond the shared examples: Transit Gateway logs, the all-fields layouts of
//! later versions (bound by count and shape, with no header), v11 tags, millisecond times.

mod common;
use common::*;
use flowlens::fields::{all_vpc_fields_up_to, Field, TGW_DEFAULT};
use flowlens::output::display_value;
use flowlens::Value;

const TGW: &str = "6 TransitGateway 123456789012 tgw-0123456789abcdef0 tgw-attach-0aaaaaaaaaaaaaaaa 123456789012 210987654321 vpc-0a1b2c3d4e5f60718 vpc-0f0e0d0c0b0a09080 subnet-0123456789abcdef0 subnet-0fedcba9876543210 eni-0123456789abcdef0 eni-0fedcba9876543210 use1-az1 use1-az2 tgw-attach-0bbbbbbbbbbbbbbbb 10.0.1.5 10.1.2.9 43418 443 6 12 3460 1764115200 1764115260 OK IPv4 0 2 0 1 19 us-east-1 ingress - S3";

#[test]
fn transit_gateway_default_format_binds_by_count_and_shape() {
    let t = decode(format!("{TGW}\n{TGW}\n").as_bytes());
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert_eq!(t.len(), 2);
    assert_eq!(t.row_fields(0), TGW_DEFAULT);
    let r = &records(&t)[0];
    assert_eq!(r["version"], 6);
    assert_eq!(r["resource-type"], "TransitGateway");
    assert_eq!(r["tgw-pair-attachment-id"], "tgw-attach-0bbbbbbbbbbbbbbbb");
    assert_eq!(r["packets-lost-blackhole"], 2);
    assert_eq!(r["packets-lost-ttl-expired"], 1);
    assert_eq!(r["tcp-flags"], 19);
    assert_eq!(r["pkt-src-aws-service"], serde_json::Value::Null);
    assert_eq!(r["pkt-dst-aws-service"], "S3");
    assert_eq!(display_value(&t, 0, Field::TcpFlags), "SYN-ACK+FIN");
}

fn v11_line(tag: &str) -> String {
    // every VPC field of versions 2-11, in catalogue order
    all_vpc_fields_up_to(11)
        .iter()
        .map(|f| match f {
            Field::Version => "11".to_string(),
            Field::AccountId => "123456789012".into(),
            Field::InterfaceId => "eni-0123456789abcdef0".into(),
            Field::SrcAddr | Field::PktSrcAddr => "10.0.1.5".into(),
            Field::DstAddr | Field::PktDstAddr => "52.95.128.179".into(),
            Field::SrcPort => "34210".into(),
            Field::DstPort => "443".into(),
            Field::Protocol => "6".into(),
            Field::Packets => "7".into(),
            Field::Bytes => "471".into(),
            Field::Start => "1764115200".into(),
            Field::End => "1764115260".into(),
            Field::Action => "ACCEPT".into(),
            Field::LogStatus => "OK".into(),
            Field::VpcId | Field::NextHopVpcId => "vpc-0a1b2c3d4e5f60718".into(),
            Field::SubnetId | Field::NextHopSubnetId => "subnet-0123456789abcdef0".into(),
            Field::InstanceId => "i-0c50d5961bcb2d47b".into(),
            Field::TcpFlags => "3".into(),
            Field::Type => "IPv4".into(),
            Field::Region => "us-east-1".into(),
            Field::AzId | Field::NextHopAzId => "use1-az1".into(),
            Field::FlowDirection => "egress".into(),
            Field::TrafficPath => "8".into(),
            Field::EncryptionStatus => "1".into(),
            Field::InstanceTag => tag.into(),
            Field::InterfaceType => "interface".into(),
            Field::NextHopInterfaceId => "eni-0fedcba9876543210".into(),
            Field::NextHopInterfaceType => "nat_gateway".into(),
            Field::RejectReason => "-".into(),
            _ => "-".into(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn all_fields_of_version_11_bind_and_decode_tags() {
    let line = v11_line("Name%3Dweb%20server%20%C3%A9");
    let t = decode(format!("{line}\n").as_bytes());
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    assert_eq!(t.row_fields(0), all_vpc_fields_up_to(11));
    assert_eq!(t.value(0, Field::EncryptionStatus), Value::UInt(1));
    assert_eq!(t.value(0, Field::TrafficPath), Value::UInt(8));
    // the typed value keeps AWS's encoding; the display decodes it
    assert_eq!(
        t.value(0, Field::InstanceTag),
        Value::Text("Name%3Dweb%20server%20%C3%A9")
    );
    assert_eq!(
        display_value(&t, 0, Field::InstanceTag),
        "Name=web server é"
    );
    assert_eq!(t.original_line(0).as_ref(), line.as_bytes());
}

#[test]
fn millisecond_times_are_seconds_with_a_fraction_only_when_not_whole() {
    let input =
        "2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1764115200000 1764115260250 ACCEPT OK\n";
    let t = decode(input.as_bytes());
    let r = &records(&t)[0];
    assert_eq!(r["start"], 1764115200);
    assert_eq!(r["end"], 1764115260.25);
    // and the original line is kept exactly
    assert_eq!(t.original_line(0).as_ref(), input.trim_end().as_bytes());
}

#[test]
fn unknown_shapes_become_errors_not_silence() {
    let t = decode(b"this is not a flow log record\nnor is this one\n");
    assert_eq!(t.len(), 0);
    assert_eq!(t.errors().len(), 2);
    assert_eq!(t.errors()[1].line, 2);
}
