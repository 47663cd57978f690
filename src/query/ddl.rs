//! The Athena `CREATE EXTERNAL TABLE` statement for flow log files with a given list of
//! fields, so that the statement creates the table and [`super::to_athena`] (given the
//! same fields) queries it. It follows AWS's Athena documentation for VPC flow logs:
//! space-delimited text (`-` stays the text `-` in string columns and reads as NULL in
//! integer ones) or Parquet, underscore column names, and partition projection over the
//! delivery layout (`AWSLogs/{account}/vpcflowlogs/{region}/yyyy/MM/dd/`, or the
//! Hive-compatible `aws-account-id=…/aws-service=vpcflowlogs/aws-region=…/year=…/…`).

use super::translate::{athena_column, is_athena_field};
use crate::calendar::civil_from_days;
use crate::fields::{Field, Kind};
use crate::table::Table;

/// The SQL type of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlType {
    /// `int`.
    Int,
    /// `bigint`.
    BigInt,
    /// `string`.
    String,
}

impl SqlType {
    fn sql(self) -> &'static str {
        match self {
            SqlType::Int => "int",
            SqlType::BigInt => "bigint",
            SqlType::String => "string",
        }
    }

    /// The type AWS's DDL gives the field (text and Parquet agree): `int` for integers
    /// that fit 32 bits, `bigint` for the others and for times, `string` for the rest.
    pub fn of(f: Field) -> SqlType {
        match f.kind() {
            Kind::UInt { max } if max <= i32::MAX as u64 => SqlType::Int,
            Kind::UInt { .. } | Kind::Time | Kind::EventTime => SqlType::BigInt,
            _ => SqlType::String,
        }
    }
}

/// One column: the field and its type (for Parquet, the type the file's schema has).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DdlColumn {
    /// The field the column holds.
    pub field: Field,
    /// Its SQL type.
    pub ty: SqlType,
}

impl DdlColumn {
    /// The columns of text files with these fields (event fields, which S3 files do not
    /// have, are left out).
    pub fn for_fields(fields: &[Field]) -> Vec<DdlColumn> {
        fields
            .iter()
            .filter(|f| is_athena_field(**f))
            .map(|&field| DdlColumn {
                field,
                ty: SqlType::of(field),
            })
            .collect()
    }
}

/// How the files store records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// Space-delimited lines (gzip or not); `header`: each file starts with the header
    /// line (as S3 delivery writes it).
    Text {
        /// Each file starts with the header line.
        header: bool,
    },
    /// Apache Parquet, as S3 delivery writes it with `FileFormat=parquet`.
    Parquet,
}

/// How the files are laid out under the location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `LOCATION/AWSLogs/{account}/vpcflowlogs/{region}/yyyy/MM/dd/` (the default delivery).
    AwsLogs,
    /// `LOCATION/AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/year=…/month=…/day=…/hour=…/`
    /// (delivery with Hive-compatible prefixes).
    Hive,
    /// Every file directly under the location (no partitions).
    Flat,
}

/// What the partition projection enumerates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Partitions {
    /// Account IDs (the data's `account-id` values).
    pub accounts: Vec<String>,
    /// Region codes (the data's `region` values, or given).
    pub regions: Vec<String>,
    /// The first day to project, `yyyy/MM/dd` (the data's earliest start).
    pub first_day: String,
}

/// `CREATE EXTERNAL TABLE IF NOT EXISTS name (…)` for the columns, storage and layout.
/// `location` is the S3 prefix the flow log delivers to (the part before `AWSLogs/`,
/// e.g. `s3://bucket/prefix/`). Errors when a partitioned layout lacks accounts, regions
/// or a first day, or when there are no columns.
pub fn create_table(
    name: &str,
    columns: &[DdlColumn],
    storage: Storage,
    layout: &Layout,
    location: &str,
    parts: &Partitions,
) -> Result<String, String> {
    create_table_with(name, columns, &[], storage, layout, location, parts)
}

/// [`create_table`] for data whose extra (unknown-header) columns hold the header names
/// `extras` ([`Table::extra_names`]): each is a column under its own name, as
/// [`super::to_athena_named`] names it.
fn create_table_with(
    name: &str,
    columns: &[DdlColumn],
    extras: &[String],
    storage: Storage,
    layout: &Layout,
    location: &str,
    parts: &Partitions,
) -> Result<String, String> {
    if columns.is_empty() {
        return Err("no flow log fields to make columns of".into());
    }
    if !location.starts_with("s3://") {
        return Err(format!(
            "the location must be an S3 URI like s3://bucket/prefix/, not '{location}'"
        ));
    }
    let base = format!("{}/", location.trim_end_matches('/'));
    let base = base.strip_suffix("AWSLogs/").unwrap_or(&base).to_string();
    let check = |what: &str, v: &[String]| -> Result<String, String> {
        if v.is_empty() {
            return Err(format!("the partition projection needs the {what}"));
        }
        if let Some(bad) = v.iter().find(|s| {
            s.is_empty()
                || !s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }) {
            return Err(format!("'{bad}' is not a valid {what} value"));
        }
        Ok(v.join(","))
    };
    let mut q = format!(
        "CREATE EXTERNAL TABLE IF NOT EXISTS {} (\n",
        super::translate::athena_table(name)
    );
    let cols: Vec<String> = columns
        .iter()
        .map(|c| {
            // Hive DDL quotes identifiers with backticks (a backtick doubled)
            let n = athena_column(c.field, extras)?;
            let n = match n.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
                Some(inner) => format!("`{}`", inner.replace("\"\"", "\"").replace('`', "``")),
                None => n,
            };
            Ok(format!("  {n} {}", c.ty.sql()))
        })
        .collect::<Result<_, String>>()?;
    q.push_str(&cols.join(",\n"));
    q.push_str("\n)\n");
    let mut props: Vec<(String, String)> = Vec::new();
    let location_sql;
    match layout {
        Layout::Flat => location_sql = base.clone(),
        Layout::AwsLogs => {
            let accounts = check("account IDs", &parts.accounts)?;
            let regions = check("Regions", &parts.regions)?;
            valid_day(&parts.first_day)?;
            q.push_str("PARTITIONED BY (accid string, region_code string, day string)\n");
            location_sql = format!("{base}AWSLogs/");
            props.extend([
                ("projection.enabled".into(), "true".into()),
                ("projection.accid.type".into(), "enum".into()),
                ("projection.accid.values".into(), accounts),
                ("projection.region_code.type".into(), "enum".into()),
                ("projection.region_code.values".into(), regions),
                ("projection.day.type".into(), "date".into()),
                (
                    "projection.day.range".into(),
                    format!("{},NOW", parts.first_day),
                ),
                ("projection.day.format".into(), "yyyy/MM/dd".into()),
                (
                    "storage.location.template".into(),
                    format!("{base}AWSLogs/${{accid}}/vpcflowlogs/${{region_code}}/${{day}}"),
                ),
            ]);
        }
        Layout::Hive => {
            let accounts = check("account IDs", &parts.accounts)?;
            let regions = check("Regions", &parts.regions)?;
            let year = valid_day(&parts.first_day)?;
            q.push_str(
                "PARTITIONED BY (aws_account_id string, aws_service string, aws_region string, year int, month int, day int, hour int)\n",
            );
            location_sql = format!("{base}AWSLogs/");
            props.extend([
                ("projection.enabled".into(), "true".into()),
                ("projection.aws_account_id.type".into(), "enum".into()),
                ("projection.aws_account_id.values".into(), accounts),
                ("projection.aws_service.type".into(), "enum".into()),
                ("projection.aws_service.values".into(), "vpcflowlogs".into()),
                ("projection.aws_region.type".into(), "enum".into()),
                ("projection.aws_region.values".into(), regions),
                ("projection.year.type".into(), "integer".into()),
                ("projection.year.range".into(), format!("{year},2099")),
                ("projection.month.type".into(), "integer".into()),
                ("projection.month.range".into(), "1,12".into()),
                ("projection.month.digits".into(), "2".into()),
                ("projection.day.type".into(), "integer".into()),
                ("projection.day.range".into(), "1,31".into()),
                ("projection.day.digits".into(), "2".into()),
                ("projection.hour.type".into(), "integer".into()),
                ("projection.hour.range".into(), "0,23".into()),
                ("projection.hour.digits".into(), "2".into()),
                (
                    "storage.location.template".into(),
                    format!("{base}AWSLogs/aws-account-id=${{aws_account_id}}/aws-service=${{aws_service}}/aws-region=${{aws_region}}/year=${{year}}/month=${{month}}/day=${{day}}/hour=${{hour}}"),
                ),
            ]);
        }
    }
    match storage {
        Storage::Text { header } => {
            q.push_str("ROW FORMAT DELIMITED FIELDS TERMINATED BY ' '\n");
            if header {
                props.insert(0, ("skip.header.line.count".into(), "1".into()));
            }
        }
        Storage::Parquet => q.push_str("STORED AS PARQUET\n"),
    }
    q.push_str(&format!("LOCATION '{}'", location_sql.replace('\'', "''")));
    if !props.is_empty() {
        let p: Vec<String> = props
            .iter()
            .map(|(k, v)| format!("  '{k}' = '{}'", v.replace('\'', "''")))
            .collect();
        q.push_str(&format!("\nTBLPROPERTIES (\n{}\n)", p.join(",\n")));
    }
    Ok(q)
}

/// The statement for the S3 files a decoded table came from: its columns are the data's
/// fields in the files' order (Parquet storage when every file was Parquet, else text;
/// `storage` overrides),
/// and the projection enumerates the data's account IDs, its Regions (its `region`
/// values, else `regions`) and starts at the day of its earliest `start`. Errors when
/// the files have different formats (one text table cannot hold both) or the layout
/// needs what the data does not say.
pub fn create_table_for(
    table: &Table,
    name: &str,
    storage: Option<Storage>,
    layout: &Layout,
    location: &str,
    regions: &[String],
) -> Result<String, String> {
    let mut formats = table
        .files()
        .iter()
        .flat_map(|f| f.bindings.iter())
        .filter(|b| !b.fields.is_empty());
    let Some(first) = formats.next() else {
        return Err("the input has no flow log records to make a table of".into());
    };
    let cols = |b: &crate::table::BindingInfo| DdlColumn::for_fields(&b.fields);
    if let Some(other) = formats.find(|b| cols(b) != cols(first)) {
        return Err(format!(
            "the files have different formats ({} fields and {} fields); make one table per format",
            cols(first).len(),
            cols(other).len()
        ));
    }
    // S3 delivery writes a header line in every file of both layouts it uses
    let header = first.origin == crate::table::Origin::Header || *layout != Layout::Flat;
    // Parquet files (as AWS delivers them) make a Parquet table; anything else text.
    let parquet = table
        .files()
        .iter()
        .filter(|f| !f.bindings.is_empty())
        .all(|f| f.shape == Some(crate::container::Shape::Parquet));
    let storage = storage.unwrap_or(if parquet {
        Storage::Parquet
    } else {
        Storage::Text { header }
    });
    let distinct = |f: Field| -> Vec<String> {
        let mut v: Vec<String> = table
            .column(f)
            .map(|c| c.dict().iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        v.retain(|s| !s.is_empty() && s != "-");
        crate::sorting::sort(&mut v);
        v.dedup();
        v
    };
    let mut parts = Partitions {
        accounts: distinct(Field::AccountId),
        regions: distinct(Field::Region),
        first_day: String::new(),
    };
    if parts.regions.is_empty() {
        parts.regions = regions.to_vec();
    }
    if let Some(c) = table.column(Field::Start) {
        if let Some(min) = (0..table.len()).filter_map(|r| c.uint(r)).min() {
            let (y, m, d) = civil_from_days((min / 86_400) as i64);
            parts.first_day = format!("{y:04}/{m:02}/{d:02}");
        }
    }
    if *layout != Layout::Flat {
        if parts.accounts.is_empty() {
            return Err("the data has no account-id values to project partitions over".into());
        }
        if parts.regions.is_empty() {
            return Err(
                "the data has no region field: name the Regions the flow log delivers from (--athena-region us-east-1,…)"
                    .into(),
            );
        }
        if parts.first_day.is_empty() {
            return Err("the data has no start times to begin the date projection at".into());
        }
    }
    create_table_with(
        name,
        &cols(first),
        table.extra_names(),
        storage,
        layout,
        location,
        &parts,
    )
}

/// Checks `yyyy/MM/dd`; returns the year.
fn valid_day(day: &str) -> Result<u32, String> {
    let b = day.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'/'
        && b[7] == b'/'
        && [0..4, 5..7, 8..10]
            .iter()
            .all(|r| day[r.clone()].bytes().all(|c| c.is_ascii_digit()));
    if !ok {
        return Err(format!(
            "the partition projection needs a first day as yyyy/MM/dd, not '{day}'"
        ));
    }
    Ok(day[0..4].parse().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::{ALL_V5, DEFAULT_FORMAT};

    fn parts() -> Partitions {
        Partitions {
            accounts: vec!["123456789010".into()],
            regions: vec!["us-east-1".into(), "eu-west-1".into()],
            first_day: "2025/11/26".into(),
        }
    }

    #[test]
    fn text_table_with_projection_over_awslogs() {
        let q = create_table(
            "vpc_flow_logs",
            &DdlColumn::for_fields(DEFAULT_FORMAT),
            Storage::Text { header: true },
            &Layout::AwsLogs,
            "s3://bucket/prefix/",
            &parts(),
        )
        .unwrap();
        assert_eq!(
            q,
            "CREATE EXTERNAL TABLE IF NOT EXISTS vpc_flow_logs (\n  version int,\n  account_id string,\n  interface_id string,\n  srcaddr string,\n  dstaddr string,\n  srcport int,\n  dstport int,\n  protocol int,\n  packets bigint,\n  bytes bigint,\n  start bigint,\n  `end` bigint,\n  action string,\n  log_status string\n)\nPARTITIONED BY (accid string, region_code string, day string)\nROW FORMAT DELIMITED FIELDS TERMINATED BY ' '\nLOCATION 's3://bucket/prefix/AWSLogs/'\nTBLPROPERTIES (\n  'skip.header.line.count' = '1',\n  'projection.enabled' = 'true',\n  'projection.accid.type' = 'enum',\n  'projection.accid.values' = '123456789010',\n  'projection.region_code.type' = 'enum',\n  'projection.region_code.values' = 'us-east-1,eu-west-1',\n  'projection.day.type' = 'date',\n  'projection.day.range' = '2025/11/26,NOW',\n  'projection.day.format' = 'yyyy/MM/dd',\n  'storage.location.template' = 's3://bucket/prefix/AWSLogs/${accid}/vpcflowlogs/${region_code}/${day}'\n)"
        );
        // the same location given with AWSLogs/ at the end
        let q2 = create_table(
            "vpc_flow_logs",
            &DdlColumn::for_fields(DEFAULT_FORMAT),
            Storage::Text { header: true },
            &Layout::AwsLogs,
            "s3://bucket/prefix/AWSLogs",
            &parts(),
        )
        .unwrap();
        assert_eq!(q, q2);
    }

    #[test]
    fn parquet_hive_and_flat() {
        let q = create_table(
            "db.flows",
            &DdlColumn::for_fields(ALL_V5),
            Storage::Parquet,
            &Layout::Hive,
            "s3://b/p",
            &parts(),
        )
        .unwrap();
        assert!(q.contains("  traffic_path int\n)\nPARTITIONED BY (aws_account_id string, aws_service string, aws_region string, year int, month int, day int, hour int)\nSTORED AS PARQUET\nLOCATION 's3://b/p/AWSLogs/'"), "{q}");
        assert!(q.contains("'projection.year.range' = '2025,2099'"), "{q}");
        assert!(q.contains("'storage.location.template' = 's3://b/p/AWSLogs/aws-account-id=${aws_account_id}/aws-service=${aws_service}/aws-region=${aws_region}/year=${year}/month=${month}/day=${day}/hour=${hour}'"), "{q}");
        assert!(!q.contains("skip.header"));
        let q = create_table(
            "t",
            &DdlColumn::for_fields(&[Field::EcsClusterName, Field::EventTimestamp]),
            Storage::Text { header: false },
            &Layout::Flat,
            "s3://b/logs/",
            &Partitions::default(),
        )
        .unwrap();
        assert_eq!(
            q,
            "CREATE EXTERNAL TABLE IF NOT EXISTS t (\n  ecs_cluster_name string\n)\nROW FORMAT DELIMITED FIELDS TERMINATED BY ' '\nLOCATION 's3://b/logs/'"
        );
    }

    #[test]
    fn refuses_what_it_cannot_fill_in() {
        let cols = DdlColumn::for_fields(DEFAULT_FORMAT);
        let text = Storage::Text { header: true };
        let mut p = parts();
        p.regions.clear();
        let e = create_table("t", &cols, text, &Layout::AwsLogs, "s3://b/", &p).unwrap_err();
        assert!(e.contains("Regions"), "{e}");
        let e = create_table("t", &cols, text, &Layout::Flat, "/tmp/x", &p).unwrap_err();
        assert!(e.contains("S3 URI"), "{e}");
        let mut p = parts();
        p.accounts = vec!["1' OR".into()];
        assert!(create_table("t", &cols, text, &Layout::Hive, "s3://b/", &p).is_err());
        let mut p = parts();
        p.first_day = "2025-11-26".into();
        assert!(create_table("t", &cols, text, &Layout::AwsLogs, "s3://b/", &p).is_err());
        assert!(create_table("t", &[], text, &Layout::Flat, "s3://b/", &p).is_err());
    }
}
