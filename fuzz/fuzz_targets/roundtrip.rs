//! De-identifying a de-identified file again: the output of the first run is a valid input for
//! the second, which must succeed, parse again and stay within the size bound.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((options, file)) = dicom_leakcheck_fuzz::split_options(data) else {
        return;
    };
    let run = dicom_leakcheck_fuzz::deidentifier(options);
    let Some(first) = dicom_leakcheck_fuzz::deidentify_checked(&run, file) else {
        return;
    };
    let second = dicom_leakcheck_fuzz::deidentify_checked(&run, &first.bytes);
    assert!(
        second.is_some(),
        "our own output could not be de-identified again"
    );
});
