//! The ultrasound sample (synthetic, with a fake patient banner burned into its pixels) is what
//! the page offers to try the burned-in text feature: its pixels decode, and the text finder
//! finds the banner on every frame.

use dicom_leakcheck::parse::parse;
use dicom_leakcheck::pixels::decode::{decode_frame, image_info};
use dicom_leakcheck::pixels::detect::find_text;
use dicom_leakcheck::pixels::Luma;
use dicom_leakcheck::sample::{ultrasound_sample, US_BANNER, US_COLUMNS, US_FRAMES, US_ROWS};

#[test]
fn the_banner_is_found_on_every_frame() {
    let bytes = ultrasound_sample();
    let parsed = parse(&bytes).expect("parses");
    let info = image_info(&parsed)
        .expect("attributes")
        .expect("has pixels");
    assert_eq!(
        (info.columns, info.rows, info.frames),
        (US_COLUMNS, US_ROWS, US_FRAMES)
    );
    assert_eq!(info.photometric, "RGB");
    assert!(info.cannot_decode.is_none());
    let (bx, by, bw, bh) = US_BANNER;
    for index in 0..info.frames {
        let frame = decode_frame(&parsed, &info, index).expect("decodes");
        let luma = frame.luma8(&info, &parsed);
        let found = find_text(&Luma {
            width: info.columns,
            height: info.rows,
            pixels: &luma,
        });
        // The union of what was found over the banner covers most of its width.
        let over: Vec<_> = found
            .iter()
            .filter(|r| r.x < bx + bw && bx < r.x + r.w && r.y < by + bh && by < r.y + r.h)
            .collect();
        assert!(
            !over.is_empty(),
            "frame {index}: nothing over the banner: {found:?}"
        );
        let left = over.iter().map(|r| r.x).min().unwrap_or(0);
        let right = over.iter().map(|r| r.x + r.w).max().unwrap_or(0);
        assert!(right - left > bw * 3 / 4, "frame {index}: {over:?}");
    }
}
