//! Pixel Data is an image, Waveform Data samples, Overlay Data a bitmap: bytes in them that
//! happen to spell the patient's name are not a repeat of it, and the report is the same
//! whether the file is read whole or by ranges (without its pixels).

use dicom_core::{Tag, VR};
use dicom_leakcheck::{check, Options, PixelWork, Request, Session};
use dicom_leakcheck_testkit::{binary, part10, sample_with};

const PIXEL_DATA: Tag = Tag(0x7FE0, 0x0010);

fn by_ranges(file: &[u8], request: &Request) -> dicom_leakcheck::Outcome {
    let mut session = Session::new(request.clone(), file.len() as u64);
    loop {
        let ranges = session.need();
        if ranges.is_empty() {
            break;
        }
        for r in ranges {
            let bytes = file[r.start as usize..r.end as usize].to_vec();
            session.give(r.start, bytes).expect("in bounds");
        }
    }
    session.finish().expect("the file reads")
}

#[test]
fn pixel_bytes_spelling_the_patients_name_are_no_repeat_of_it() {
    // 2 MB of pixels (more than the header read of a session) with the name in them.
    let mut pixels = vec![0u8; 2 * 1024 * 1024];
    pixels[4096..4104].copy_from_slice(b"DOE^JOHN");
    let file = part10(
        &sample_with([binary(PIXEL_DATA, VR::OB, pixels)]),
        "1.2.840.10008.1.2.1",
    );
    let request = Request::inspect(Options::basic()).with_pixels(PixelWork::HeaderRisk);
    let whole = check(&file, &request).expect("the file reads").report;
    let pixel = whole
        .elements
        .iter()
        .find(|e| e.tag == "(7FE0,0010)")
        .expect("Pixel Data reported");
    assert!(!pixel.flagged, "Pixel Data flagged: {:?}", pixel.reason);
    let ranged = by_ranges(&file, &request).report;
    assert_eq!(ranged.summary.flagged, whole.summary.flagged);
    let flagged = |r: &dicom_leakcheck::Report| -> Vec<String> {
        r.findings().map(|f| f.path.clone()).collect()
    };
    assert_eq!(flagged(&ranged), flagged(&whole));
}

#[test]
fn waveform_and_overlay_samples_spelling_the_name_are_no_repeat_of_it() {
    let mut samples = vec![0u8; 4096];
    samples[100..108].copy_from_slice(b"DOE^JOHN");
    let file = part10(
        &sample_with([
            binary(Tag(0x5400, 0x1010), VR::OB, samples.clone()),
            binary(Tag(0x6002, 0x3000), VR::OB, samples),
        ]),
        "1.2.840.10008.1.2.1",
    );
    let report = check(
        &file,
        &Request::inspect(Options::basic()).with_pixels(PixelWork::HeaderRisk),
    )
    .expect("the file reads")
    .report;
    for tag in ["(5400,1010)", "(6002,3000)"] {
        let element = report
            .elements
            .iter()
            .find(|e| e.tag == tag)
            .unwrap_or_else(|| panic!("{tag} reported"));
        assert!(
            element
                .reason
                .as_deref()
                .is_none_or(|r| !r.contains("Repeats")),
            "{tag}: {:?}",
            element.reason
        );
    }
}
