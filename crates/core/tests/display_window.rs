//! The window a viewer's "auto" uses is the core's own: the file's VOI window, else one
//! fitted to the frame's values (the window `luma8` shows the frame with).

use dicom_core::Tag;
use dicom_leakcheck::{Image, Window};
use dicom_leakcheck_testkit::*;

#[test]
fn the_files_window_when_it_has_one() {
    let bytes = part10(&sample_with([]), EXPLICIT_LE);
    let image = Image::open(&bytes).expect("opens").expect("has pixels");
    let frame = image.frame(0).expect("decodes");
    let values = image.gray_values(&frame).expect("grey");
    assert_eq!(
        image.display_window(&values),
        Window {
            center: 40.0,
            width: 400.0,
            automatic: false
        }
    );
}

#[test]
fn fitted_to_the_values_without_one() {
    let mut dataset = sample_with([]);
    dataset.remove_element(Tag(0x0028, 0x1050));
    dataset.remove_element(Tag(0x0028, 0x1051));
    let bytes = part10(&dataset, EXPLICIT_LE);
    let image = Image::open(&bytes).expect("opens").expect("has pixels");
    let frame = image.frame(0).expect("decodes");
    let values = image.gray_values(&frame).expect("grey");
    let (lo, hi) = values
        .iter()
        .fold((i32::MAX, i32::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    // Rescale Intercept -1024, slope 1 (the sample's).
    let (lo, hi) = (f64::from(lo) - 1024.0, f64::from(hi) - 1024.0);
    let w = image.display_window(&values);
    assert_eq!(w.width, hi - lo + 1.0);
    assert_eq!(w.center, (lo + hi) / 2.0 + 0.5);
    assert!(w.automatic);
    // luma8 uses that window: the darkest value is black, the brightest white.
    let luma = image.luma8(&frame);
    assert_eq!(luma.iter().min(), Some(&0));
    assert_eq!(luma.iter().max(), Some(&255));
}
