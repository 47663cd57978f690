//! The catalogue as the page needs it, in one serializable value: every field with its
//! kind, version and meaning, the derived `duration` column, which columns are hidden
//! by default and which make the "Essentials" set, the facets of the side panel, the
//! fixed vocabularies and the address scopes with their short badges. The page keeps
//! no copy of any of this (see `src/wasm.rs`, `catalogue()`).

use crate::fields::{Family, Field, Kind, FIELDS};
use crate::vocab;
use serde::Serialize;

/// How the page shows (and aligns) a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KindName {
    /// An unsigned integer.
    Integer,
    /// A time (unix seconds).
    Time,
    /// An IP address.
    Address,
    /// Text.
    Text,
    /// Seconds between two times (the derived `duration`).
    Duration,
}

impl From<Kind> for KindName {
    fn from(k: Kind) -> Self {
        match k {
            Kind::UInt { .. } => KindName::Integer,
            Kind::Time | Kind::EventTime => KindName::Time,
            Kind::Addr => KindName::Address,
            Kind::Action | Kind::LogStatus | Kind::Text | Kind::Tag => KindName::Text,
        }
    }
}

/// Which flow log family a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FamilyName {
    /// VPC and Transit Gateway flow logs.
    Both,
    /// VPC flow logs only.
    Vpc,
    /// Transit Gateway flow logs only.
    TransitGateway,
    /// A CloudWatch event field, not part of the record.
    Event,
    /// An extra column for an unknown header name.
    Extra,
}

impl From<Family> for FamilyName {
    fn from(f: Family) -> Self {
        match f {
            Family::Both => FamilyName::Both,
            Family::Vpc => FamilyName::Vpc,
            Family::TransitGateway => FamilyName::TransitGateway,
            Family::Event => FamilyName::Event,
            Family::Extra => FamilyName::Extra,
        }
    }
}

/// One field of the catalogue.
#[derive(Debug, Clone, Serialize)]
pub struct FieldInfo {
    /// The AWS name.
    pub name: &'static str,
    /// Its kind family.
    pub kind: KindName,
    /// The flow log version that introduced it.
    pub version: u8,
    /// Which flow logs have it.
    pub family: FamilyName,
    /// One sentence about it.
    pub about: &'static str,
    /// Left out of the table until the user shows it (constant in almost every log).
    pub hidden: bool,
    /// The cell's hint is worth showing beside the value (port names, path labels).
    pub hint_beside: bool,
}

/// A column computed from others.
#[derive(Debug, Clone, Serialize)]
pub struct DerivedColumn {
    /// The column's name.
    pub name: &'static str,
    /// Its kind family.
    pub kind: KindName,
    /// One sentence about it.
    pub about: &'static str,
    /// Shown right after this field…
    pub after: &'static str,
    /// …when the data has all of these.
    pub needs: &'static [&'static str],
}

/// A "Top values" facet of the side panel.
#[derive(Debug, Clone, Serialize)]
pub struct Facet {
    /// The field the facet groups by.
    pub field: &'static str,
    /// Its heading.
    pub label: &'static str,
}

/// The fixed spellings AWS writes for a field (matched case-insensitively in filters).
#[derive(Debug, Clone, Serialize)]
pub struct Vocabulary {
    /// The field.
    pub field: &'static str,
    /// Its values, as AWS spells them (from the vocabulary tables the filter parser
    /// reads).
    pub values: Vec<&'static str>,
}

/// An address scope (the hint of address cells) and its badge.
#[derive(Debug, Clone, Serialize)]
pub struct Scope {
    /// The scope's name (`private`, `public`, …).
    pub name: &'static str,
    /// The short badge the page shows.
    pub badge: &'static str,
}

/// Everything the page knows about flow-log fields.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    /// Every field.
    pub fields: Vec<FieldInfo>,
    /// Columns computed from fields (duration).
    pub derived: Vec<DerivedColumn>,
    /// The "Essentials" column set of the Columns menu.
    pub essentials: &'static [&'static str],
    /// The facet candidates.
    pub facets: Vec<Facet>,
    /// The fixed vocabularies.
    pub vocabularies: Vec<Vocabulary>,
    /// The address scopes and their badges.
    pub scopes: Vec<Scope>,
    /// The ways a `top` can rank groups (`by`).
    pub measures: &'static [&'static str],
}

/// Columns hidden until shown: the same in almost every log.
const HIDDEN: &[Field] = &[Field::Version, Field::AccountId];

/// Fields whose hint is shown beside the value.
const HINT_BESIDE: &[Field] = &[
    Field::SrcPort,
    Field::DstPort,
    Field::TrafficPath,
    Field::EncryptionStatus,
    Field::RejectReason,
];

const ESSENTIALS: &[&str] = &[
    "interface-id",
    "srcaddr",
    "dstaddr",
    "srcport",
    "dstport",
    "protocol",
    "packets",
    "bytes",
    "start",
    "duration",
    "action",
    "log-status",
    "tcp-flags",
    "flow-direction",
];

const FACETS: &[(Field, &str)] = &[
    (Field::SrcAddr, "Source"),
    (Field::DstAddr, "Destination"),
    (Field::DstPort, "Destination port"),
    (Field::InterfaceId, "ENI"),
    (Field::Protocol, "Protocol"),
    (Field::Action, "Action"),
];

const SCOPES: &[(&str, &str)] = &[
    (vocab::SCOPE_PRIVATE, "pvt"),
    (vocab::SCOPE_PUBLIC, "pub"),
    (vocab::SCOPE_LOOPBACK, "lo"),
    (vocab::SCOPE_LINK_LOCAL, "ll"),
    (vocab::SCOPE_MULTICAST, "mc"),
];

/// The whole catalogue.
pub fn catalogue() -> Catalogue {
    Catalogue {
        fields: FIELDS
            .iter()
            .map(|d| FieldInfo {
                name: d.name,
                kind: d.kind.into(),
                version: d.version,
                family: d.family.into(),
                about: d.about,
                hidden: HIDDEN.contains(&d.field),
                hint_beside: HINT_BESIDE.contains(&d.field),
            })
            .collect(),
        derived: vec![DerivedColumn {
            name: "duration",
            kind: KindName::Duration,
            about: "end − start: how long the flow was seen within its aggregation interval.",
            after: Field::End.name(),
            needs: &["start", "end"],
        }],
        essentials: ESSENTIALS,
        facets: FACETS
            .iter()
            .map(|&(f, label)| Facet {
                field: f.name(),
                label,
            })
            .collect(),
        vocabularies: vocab::VOCABULARIES
            .iter()
            .map(|&(f, words)| Vocabulary {
                field: f.name(),
                values: vocab::words(words).collect(),
            })
            .collect(),
        scopes: SCOPES
            .iter()
            .map(|&(name, badge)| Scope { name, badge })
            .collect(),
        measures: crate::query::Measure::NAMES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cells::lookup_column;

    #[test]
    fn every_name_the_catalogue_gives_is_a_column() {
        let c = catalogue();
        assert_eq!(c.fields.len(), FIELDS.len());
        for n in c.essentials.iter().chain(c.facets.iter().map(|f| &f.field)) {
            assert!(lookup_column(n).is_ok(), "{n}");
        }
        for d in &c.derived {
            assert!(lookup_column(d.name).is_ok());
            assert!(d.needs.iter().all(|n| Field::lookup(n).is_some()));
        }
        let hidden: Vec<_> = c
            .fields
            .iter()
            .filter(|f| f.hidden)
            .map(|f| f.name)
            .collect();
        assert_eq!(hidden, ["version", "account-id"]);
        assert_eq!(c.fields[Field::Start.index()].kind, KindName::Time);
        assert_eq!(c.fields[Field::SrcAddr.index()].kind, KindName::Address);
        assert_eq!(c.fields[Field::Bytes.index()].kind, KindName::Integer);
    }

    #[test]
    fn scopes_are_exactly_what_address_scope_emits() {
        let c = catalogue();
        let names: Vec<_> = c.scopes.iter().map(|s| s.name).collect();
        for a in [
            "10.0.0.1",
            "8.8.8.8",
            "127.0.0.1",
            "169.254.1.1",
            "224.0.0.1",
            "::",
            "ff02::1",
        ] {
            let s = vocab::address_scope(a.parse().unwrap());
            assert!(names.contains(&s), "{a}: {s}");
        }
        assert_eq!(names.len(), 5);
    }

    #[test]
    fn vocabularies_and_measures() {
        let c = catalogue();
        assert!(c
            .vocabularies
            .iter()
            .any(|v| v.field == "action" && v.values == ["ACCEPT", "REJECT"]));
        assert!(c.vocabularies.iter().all(|v| !v.values.is_empty()));
        for m in c.measures {
            assert!(m.parse::<crate::query::Measure>().is_ok(), "{m}");
        }
        assert!("distinct".parse::<crate::query::Measure>().is_err());
    }
}
