//! Which Parquet column holds which flow log field, and how its physical and logical
//! type becomes flow log text.
//!
//! AWS writes underscore names (`account_id`, `pkt_srcaddr`), INT32 for version, ports,
//! protocol, tcp-flags and traffic-path, INT64 for packets, bytes, start and end, and
//! STRING for the rest. Other writers (Firehose conversions, Spark, Glue jobs, the
//! OpenSearch and SIEM pipelines) use other spellings and types, so any integer width or
//! signedness is accepted for an integer field, TIMESTAMP (and legacy INT96) for
//! `start`/`end`, STRING for every field (the text is then typed exactly as in a text
//! file), and an integer `account-id` (zero-padded back to AWS's 12 digits). A type that
//! cannot hold the field (DOUBLE bytes, an INT32 address, a list) is one clear error for
//! the file, never a column of wrong values.

use crate::fields::{Field, Kind, EXTRAS};
use parquet::basic::{ConvertedType, LogicalType, TimeUnit, Type as Physical};
use parquet::schema::types::{ColumnDescriptor, SchemaDescriptor};

/// How a column's values are turned into flow log text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conv {
    /// INT32 as a signed decimal (a negative value is then rejected by the line decoder).
    I32,
    /// INT32 annotated unsigned: the bits as u32.
    U32,
    /// INT64 as a signed decimal.
    I64,
    /// INT64 annotated UINT_64: the bits as u64.
    U64,
    /// An integer account ID, zero-padded to 12 digits.
    I32Account,
    /// An INT64 account ID, zero-padded to 12 digits.
    I64Account,
    /// BYTE_ARRAY text, as is (`-` and the empty string are null).
    Text,
    /// INT64 TIMESTAMP in units per millisecond divisor (1 = millis, 1000 = micros,
    /// 1_000_000 = nanos): rendered as unix seconds.
    Timestamp {
        /// Units per millisecond.
        per_milli: i64,
    },
    /// Legacy INT96 timestamp (Hive, Impala, old Spark).
    Int96,
}

/// One Parquet leaf column bound to a catalogue field.
#[derive(Debug, Clone)]
pub struct Col {
    /// Index of the leaf column in the file's schema.
    pub leaf: usize,
    /// The field the column holds.
    pub field: Field,
    /// The column's name in the file.
    pub name: String,
    /// How its values become text.
    pub conv: Conv,
    /// 0 for a REQUIRED column, 1 for an OPTIONAL one.
    pub max_def: i16,
}

/// The binding of a file's columns: the ones decoded, in schema order, and the ones
/// left out because they are not flow log fields.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The columns read, in the order of the rendered line.
    pub cols: Vec<Col>,
    /// Columns of the file that no field takes (left out, and said so).
    pub left_out: Vec<String>,
}

impl Plan {
    /// The fields' AWS names, space-separated: the header of the rendered records.
    pub fn header(&self) -> String {
        // an unknown column goes by its own name: the decoder gives it an extra column
        let names: Vec<&str> = self
            .cols
            .iter()
            .map(|c| {
                if EXTRAS.contains(&c.field) {
                    c.name.as_str()
                } else {
                    c.field.name()
                }
            })
            .collect();
        names.join(" ")
    }

    /// What the binding says in the page's files panel and the CLI.
    pub fn description(&self) -> String {
        let mut s = format!(
            "Parquet schema: {} column{}",
            self.cols.len(),
            if self.cols.len() == 1 { "" } else { "s" }
        );
        for c in self.cols.iter().filter(|c| EXTRAS.contains(&c.field)) {
            s.push_str(&format!("; unknown field '{}' kept as text", c.name));
        }
        if !self.left_out.is_empty() {
            s.push_str(&format!(
                "; not flow log fields, left out: {}",
                self.left_out.join(", ")
            ));
        }
        s
    }
}

/// Binds the schema's columns to fields, or says why the file cannot be a flow log.
pub fn plan(schema: &SchemaDescriptor) -> Result<Plan, String> {
    let mut cols: Vec<Col> = Vec::new();
    let mut left_out = Vec::new();
    for (leaf, c) in schema.columns().iter().enumerate() {
        let path = c.path().parts();
        let name = path.join(".");
        let field = match path {
            [top] => Field::lookup(top).filter(|f| !is_event(*f)),
            [top, ..] => {
                // a list or struct named like a field cannot hold it: say so rather than
                // leave the field out
                if let Some(f) = Field::lookup(top).filter(|f| !is_event(*f)) {
                    return Err(format!(
                        "column '{top}' is a list or group, which cannot hold the flow log field '{}' ({})",
                        f.name(),
                        expected(f)
                    ));
                }
                None
            }
            [] => None,
        };
        let Some(field) = field else {
            // a column flowlens does not know is kept as text under its own name, when it
            // is a top-level text or integer column with a field-like name
            let extras = cols.iter().filter(|c| EXTRAS.contains(&c.field)).count();
            match (path, extra_conv(c)) {
                ([top], Some(conv))
                    if extras < EXTRAS.len() && crate::binding::name_shaped(top) =>
                {
                    cols.push(Col {
                        leaf,
                        field: EXTRAS[extras],
                        name,
                        conv,
                        max_def: c.max_def_level(),
                    });
                }
                _ => left_out.push(name),
            }
            continue;
        };
        if let Some(prev) = cols.iter().find(|p| p.field == field) {
            return Err(format!(
                "columns '{}' and '{}' are both the field '{}': cannot tell which one holds it",
                prev.name,
                name,
                field.name()
            ));
        }
        if c.max_rep_level() > 0 {
            return Err(format!(
                "column '{name}' is a list, which cannot hold the flow log field '{}'",
                field.name()
            ));
        }
        let conv = conv_for(field, c).map_err(|what| {
            format!(
                "column '{name}' is {what}, which cannot hold the flow log field '{}' ({})",
                field.name(),
                expected(field)
            )
        })?;
        cols.push(Col {
            leaf,
            field,
            name,
            conv,
            max_def: c.max_def_level(),
        });
    }
    if cols.iter().all(|c| EXTRAS.contains(&c.field)) {
        let all: Vec<&str> = cols
            .iter()
            .map(|c| c.name.as_str())
            .chain(left_out.iter().map(String::as_str))
            .collect();
        let mut shown: Vec<&str> = all.iter().copied().take(8).collect();
        if all.len() > 8 {
            shown.push("…");
        }
        return Err(format!(
            "not a flow log: none of its {} column{} is a flow log field ({})",
            all.len(),
            if all.len() == 1 { "" } else { "s" },
            shown.join(", ")
        ));
    }
    Ok(Plan { cols, left_out })
}

/// How an unknown column's values become text: strings as they are, integers in
/// decimal; other types (floats, dates, nested) are left out.
fn extra_conv(c: &ColumnDescriptor) -> Option<Conv> {
    if c.max_rep_level() > 0 {
        return None;
    }
    match c.physical_type() {
        Physical::BYTE_ARRAY | Physical::INT32 | Physical::INT64 => {
            // as a text field's column, else as an integer field's (no timestamps)
            conv_for(Field::Extra1, c)
                .or_else(|_| conv_for(Field::Packets, c))
                .ok()
                .filter(|v| !matches!(v, Conv::Timestamp { .. }))
        }
        _ => None,
    }
}

/// `@timestamp` and `@logStream` are metadata of CloudWatch events, not record fields.
fn is_event(f: Field) -> bool {
    matches!(f, Field::EventTimestamp | Field::LogStream)
}

fn expected(f: Field) -> &'static str {
    match f.kind() {
        Kind::UInt { .. } => "an integer, or text",
        Kind::Time => "unix seconds as an integer or a TIMESTAMP, or text",
        _ if is_account(f) => "text, or an integer",
        _ => "text",
    }
}

fn is_account(f: Field) -> bool {
    matches!(
        f,
        Field::AccountId | Field::TgwSrcVpcAccountId | Field::TgwDstVpcAccountId
    )
}

/// The conversion of column `c` for `field`, or a description of its type when none fits.
fn conv_for(field: Field, c: &ColumnDescriptor) -> Result<Conv, String> {
    let physical = c.physical_type();
    let logical = c.logical_type_ref();
    let converted = c.converted_type();
    let what = describe_type(c);
    let integer = matches!(field.kind(), Kind::UInt { .. } | Kind::Time);
    match physical {
        Physical::BYTE_ARRAY => match logical {
            None | Some(LogicalType::String | LogicalType::Enum) => Ok(Conv::Text),
            _ => Err(what),
        },
        Physical::INT32 | Physical::INT64 => {
            let wide = physical == Physical::INT64;
            let timestamp = match logical {
                Some(LogicalType::Timestamp(t)) => Some(match t.unit {
                    TimeUnit::MILLIS => 1,
                    TimeUnit::MICROS => 1000,
                    TimeUnit::NANOS => 1_000_000,
                }),
                None => match converted {
                    ConvertedType::TIMESTAMP_MILLIS => Some(1),
                    ConvertedType::TIMESTAMP_MICROS => Some(1000),
                    _ => None,
                },
                _ => None,
            };
            if let Some(per_milli) = timestamp {
                return match field.kind() {
                    Kind::Time if wide => Ok(Conv::Timestamp { per_milli }),
                    _ => Err(what),
                };
            }
            let unsigned = match logical {
                None => match converted {
                    ConvertedType::NONE => false,
                    ConvertedType::INT_8
                    | ConvertedType::INT_16
                    | ConvertedType::INT_32
                    | ConvertedType::INT_64 => false,
                    ConvertedType::UINT_8
                    | ConvertedType::UINT_16
                    | ConvertedType::UINT_32
                    | ConvertedType::UINT_64 => true,
                    _ => return Err(what),
                },
                Some(LogicalType::Integer(i)) => !i.is_signed,
                Some(_) => return Err(what), // DATE, TIME, DECIMAL…
            };
            if integer {
                Ok(match (wide, unsigned) {
                    (false, false) => Conv::I32,
                    (false, true) => Conv::U32,
                    (true, false) => Conv::I64,
                    (true, true) => Conv::U64,
                })
            } else if is_account(field) && !unsigned {
                Ok(if wide {
                    Conv::I64Account
                } else {
                    Conv::I32Account
                })
            } else {
                Err(what)
            }
        }
        Physical::INT96 if field.kind() == Kind::Time => Ok(Conv::Int96),
        _ => Err(what),
    }
}

/// `INT64`, `INT32 (DATE)`, `DOUBLE`, `BYTE_ARRAY (JSON)`…
fn describe_type(c: &ColumnDescriptor) -> String {
    let p = format!("{}", c.physical_type());
    match c.logical_type_ref() {
        Some(l) => format!("{p} ({})", logical_name(l)),
        None if c.converted_type() != ConvertedType::NONE => {
            format!("{p} ({})", c.converted_type())
        }
        None => p,
    }
}

fn logical_name(l: &LogicalType) -> String {
    match l {
        LogicalType::Integer(i) => {
            format!("{}INT{}", if i.is_signed { "" } else { "U" }, i.bit_width)
        }
        LogicalType::Timestamp(_) => "TIMESTAMP".into(),
        LogicalType::Decimal(_) => "DECIMAL".into(),
        other => {
            let s = format!("{other:?}");
            s.split(['(', ' ', '{']).next().unwrap_or("").to_uppercase()
        }
    }
}
