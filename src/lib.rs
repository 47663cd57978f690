//! flowlens: AWS VPC and Transit Gateway flow logs decoded into a typed, columnar table.
//!
//! The core is plain Rust with no browser code: [`fields`] (the catalogue), [`vocab`]
//! (protocol, port, flag and status vocabularies), [`container`] (input shapes),
//! [`record`] (line decoding), [`binding`] (fields to positions), [`table`] (columnar
//! storage), [`decoder`] (the push-style pipeline), [`output`] (exports and display).
//! Browser bindings live in `wasm`, compiled only for `wasm32`.

pub mod binding;
pub mod catalogue;
pub mod cells;
pub mod container;
pub mod context;
pub mod decoder;
pub mod display;
pub mod fields;
#[cfg(not(target_arch = "wasm32"))]
pub mod inputs;
pub mod output;
pub mod query;
pub mod record;
pub mod redact;
pub mod report;
pub mod rows;
pub mod table;
pub mod vocab;

#[cfg(all(target_arch = "wasm32", feature = "bindings"))]
pub mod wasm;

#[cfg(feature = "parquet")]
pub mod parquet;

pub use decoder::{decode_bytes, DecodeOptions, Decoder, Progress};
pub use fields::{Field, FIELDS};
pub use table::{DecodeError, Table, Value};
