//! flowlens: AWS VPC and Transit Gateway flow logs decoded into a typed, columnar table.
//!
//! The core is plain Rust with no browser code. Modules are private; what they offer is
//! re-exported here, as csv and csv-core do, so that the public API is this page and the
//! namespaces below:
//!
//! - the decoder: [`Decoder`] (push bytes, file by file), [`decode_bytes`], giving a
//!   [`Table`] of typed columns with every bad line counted ([`DecodeError`], why:
//!   [`LineError`]) and every
//!   file's shape and bindings ([`FileInfo`], [`BindingInfo`], [`Origin`], [`Shape`]);
//!   one large plain-text file decoded in parts ([`Carry`], [`PartEnd`],
//!   [`Table::append_continuation`]);
//! - [`fields`]: the catalogue of flow-log fields and formats;
//! - [`query`]: filters, sorting, top groups, histograms, Athena and Insights;
//! - [`output`]: exports (CSV, NDJSON, lines, text, Markdown) and display text;
//! - [`context`]: resource names from AWS context files, and the sentences they allow;
//! - [`report`]: the self-contained report file; [`parquet`] (native) and [`rows`]: the
//!   Parquet reader and the row batches it hands to the decoder.
//!
//! Browser bindings live in `wasm`, an adapter compiled only for `wasm32`.

#![warn(missing_docs)]

mod binding;
mod calendar;
mod carry;
pub mod catalogue;
pub mod cells;
mod container;
pub mod context;
mod decoder;
mod display;
pub mod fields;
#[cfg(not(target_arch = "wasm32"))]
pub mod inputs;
/// The single-pass decode kernel: public only for the agreement tests and the fuzz target
/// that compare it with the reference decoder; not part of the documented API.
#[doc(hidden)]
pub mod kernel;
mod line_error;
pub mod output;
pub mod parts;
pub mod query;
mod record;
#[cfg(feature = "report")]
mod redact;
/// Writing reports (the `report` feature): on for the CLI; the page's main wasm module is
/// built without it and loads the report module (`crates/flowlens-report`) to save one.
#[cfg(feature = "report")]
pub mod report;
pub mod report_limits;
pub mod rows;
mod sorting;
mod table;
#[cfg(test)]
mod testrng;
mod vocab;
// used by the wasm adapter's warmUp only (and its own tests natively)
#[cfg_attr(
    not(all(target_arch = "wasm32", feature = "bindings")),
    allow(dead_code)
)]
mod warmup;

#[cfg(all(target_arch = "wasm32", feature = "bindings"))]
pub mod wasm;

#[cfg(feature = "parquet")]
pub mod parquet;

pub use binding::CONFIDENCE_THRESHOLD;
pub use carry::{Carry, PartEnd, PartStart, Waiting};
pub use container::{noise_reasons, Binary, Shape, MAX_LINE};
pub use decoder::{decode_bytes, DecodeOptions, Decoder, Progress};
pub use display::terminal;
pub use fields::{Field, FIELDS};
pub use line_error::{ErrorKind, GzipError, HeaderProblem, LineError, ValueProblem};
pub use record::MAX_TEXT;
pub use table::{
    write_plain, BindingInfo, ContinuationError, Counts, DecodeError, FileInfo, Origin, Table,
    Value, WireError, RAW_LIMIT,
};
