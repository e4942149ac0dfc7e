//! The element walk on arbitrary bytes: never panics, and every range it reports lies inside
//! the buffer it counts bytes of.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = dicom_leakcheck::parse::parse(data) {
        dicom_leakcheck_fuzz::check_ranges(&parsed);
    }
});
