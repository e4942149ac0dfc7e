//! Development tasks for dicom-leakcheck, run as `cargo xtask <command>` (see `src/main.rs`).
//! Each command lives in its own module; this crate never depends on the product crate.

pub mod build_wasm;
pub mod gen_signatures;
pub mod gen_tables;
