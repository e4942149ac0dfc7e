//! The leak report on arbitrary bytes, with options chosen by the first byte.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((options, file)) = dicom_leakcheck_fuzz::split_options(data) else {
        return;
    };
    if let Ok(report) = dicom_leakcheck::inspect(file, options) {
        // Findings outside the meta group of a Deflated file count inflated bytes.
        for f in &report.elements {
            if !report.offsets_in_inflated || f.in_meta {
                assert!(f.offset + f.length <= file.len(), "{f:?}");
            }
        }
    }
});
