//! `flowlens`: decode flow logs from files or stdin into NDJSON, CSV, an aligned table or
//! a summary. Bad lines go to stderr as `FILE:LINE: reason`; they never stop the rest.
//! The command line lives in `cli.rs`; it is native only (the wasm build is a library).

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
