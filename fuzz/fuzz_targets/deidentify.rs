//! De-identification with a fixed key and options chosen by the first byte: it fails only on
//! input that does not parse, and what it writes parses again and stays within a size bound
//! (see `size_bound`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((options, file)) = dicom_leakcheck_fuzz::split_options(data) else {
        return;
    };
    let run = dicom_leakcheck_fuzz::deidentifier(options);
    let _ = dicom_leakcheck_fuzz::deidentify_checked(&run, file);
});
