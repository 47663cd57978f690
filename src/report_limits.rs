//! The size limits of a report file, which the page's dialog shows before the report
//! module is loaded (`reportLimits` of the main wasm module); the writer is
//! [`crate::report`] (the `report` feature).

/// Above this a report is still saved, after a warning: mail and chat attachments.
pub const REPORT_WARN_BYTES: usize = 25_000_000;
/// Reports larger than this are refused. Opening one holds the file as a page, then its
/// base64 text, then the compressed bytes, while the records are decoded into the same
/// wasm table a dropped file uses; at 100 MB (about 4–5 million default-format records,
/// gzip compresses flow logs ~6×) that stays well inside a tab's memory and the 1.5 GB
/// table budget, and Chromium still parses the file from `file://` in a few seconds.
pub const REPORT_MAX_BYTES: usize = 100_000_000;
