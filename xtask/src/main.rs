//! `cargo xtask <command>`: a small dispatcher; each command lives in its own module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Development tasks for dicom-leakcheck",
    disable_version_flag = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate crates/core/src/rules/{table_e1_1,table_e3_10_1,cid7050}.rs from the PS3.15 DocBook XML.
    GenTables(xtask::gen_tables::Args),
    /// Generate crates/core/src/pixels/signatures_table.rs from data/pixel-signatures.tsv.
    GenSignatures(xtask::gen_signatures::Args),
    /// Build the web page into dist/: the wasm module, its JS glue, and the single-file page.
    BuildWasm(xtask::build_wasm::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::GenTables(args) => xtask::gen_tables::run(&args),
        Command::BuildWasm(args) => xtask::build_wasm::run(&args),
        Command::GenSignatures(args) => xtask::gen_signatures::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
