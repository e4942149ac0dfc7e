//! The dicom-leakcheck command line: inspect files for patient information and write
//! de-identified copies (PS3.15 Annex E). Exit codes: 0 all done, 1 some files failed,
//! 2 usage errors.

mod cli;

fn main() {
    std::process::exit(cli::run());
}
