//! Clean Pixel Data (PS3.15 E.3.1): synthetic ultrasound frames with text drawn in a real font
//! are found, blacked out inside the boxes and left alone outside them; the file is marked clean
//! only when it was cleaned; compressed images come out uncompressed and consistent.

use dicom_leakcheck_testkit as common;
#[path = "detector_set/mod.rs"]
mod detector_set;

use common::*;
use detector_set::{frame_set, Fonts};
use dicom_core::value::{PixelFragmentSequence, PrimitiveValue, Value};
use dicom_core::{DataElement, Tag, VR};
use dicom_leakcheck::parse::{self, ParsedFile};
use dicom_leakcheck::pixels::clean::{clip, MARGIN};
use dicom_leakcheck::pixels::decode::{decode_frame, image_info};
use dicom_leakcheck::pixels::detect::find_text;
use dicom_leakcheck::pixels::{Luma, Rect, Region, RegionSource};
use dicom_leakcheck::RiskLevel;
use dicom_leakcheck::{inspect, Options};
use dicom_object::InMemDicomObject;

const US_IMAGE_STORAGE: &str = "1.2.840.10008.5.1.4.1.1.6.1";
const JPEG_BASELINE: &str = "1.2.840.10008.1.2.4.50";
const BURNED_IN_ANNOTATION: Tag = Tag(0x0028, 0x0301);

/// An 8-bit MONOCHROME2 ultrasound image of the sample's fake patient, `frames` frames.
fn ultrasound(
    width: u32,
    height: u32,
    frames: &[Vec<u8>],
    pixel_data: Value<InMemDicomObject>,
) -> InMemDicomObject {
    let mut dataset = sample_with([
        text(SOP_CLASS_UID, VR::UI, US_IMAGE_STORAGE),
        text(Tag(0x0008, 0x0060), VR::CS, "US"),
        us(Tag(0x0028, 0x0002), 1),
        text(Tag(0x0028, 0x0004), VR::CS, "MONOCHROME2"),
        text(Tag(0x0028, 0x0008), VR::IS, &frames.len().to_string()),
        us(Tag(0x0028, 0x0010), height as u16),
        us(Tag(0x0028, 0x0011), width as u16),
        us(Tag(0x0028, 0x0100), 8),
        us(Tag(0x0028, 0x0101), 8),
        us(Tag(0x0028, 0x0102), 7),
        us(Tag(0x0028, 0x0103), 0),
        text(BURNED_IN_ANNOTATION, VR::CS, "YES"),
        DataElement::new(PIXEL_DATA, VR::OB, pixel_data),
    ]);
    // The CT sample's window and rescale do not fit 8-bit ultrasound pixels.
    for element in [0x1050, 0x1051, 0x1052, 0x1053] {
        dataset.remove_element(Tag(0x0028, element));
    }
    dataset
}

fn native(width: u32, height: u32, frames: &[Vec<u8>]) -> Vec<u8> {
    let bytes: Vec<u8> = frames.concat();
    let value = Value::Primitive(PrimitiveValue::U8(bytes.into()));
    part10(&ultrasound(width, height, frames, value), EXPLICIT_LE)
}

/// A synthetic frame with text on an ultrasound-like background from the detector's set.
fn text_frame() -> (u32, u32, Vec<u8>) {
    let fonts = Fonts::load().unwrap_or_else(|e| panic!("{e}"));
    frame_set(&fonts, 60, 0x5eed_7e47)
        .into_iter()
        .find(|f| {
            let luma = Luma {
                width: f.width,
                height: f.height,
                pixels: &f.pixels,
            };
            !f.lines.is_empty() && f.width <= 640 && find_text(&luma).len() >= f.lines.len()
        })
        .map(|f| (f.width, f.height, f.pixels))
        .expect("the set has a frame with text")
}

fn pixel_bytes(parsed: &ParsedFile<'_>) -> Vec<u8> {
    let element = parsed.pixel_data().expect("Pixel Data");
    parsed.value_bytes(element).to_vec()
}

fn text_value(parsed: &ParsedFile<'_>, tag: u32) -> Option<String> {
    let element = parsed.dataset.iter().find(|e| e.tag == tag)?;
    Some(
        String::from_utf8_lossy(parsed.value_bytes(element))
            .trim_matches(['\0', ' '])
            .to_string(),
    )
}

fn method_codes(parsed: &ParsedFile<'_>) -> Vec<String> {
    parsed
        .dataset
        .iter()
        .filter(|e| e.tag == 0x0012_0064)
        .flat_map(|e| e.items())
        .flat_map(|item| item.elements.iter())
        .filter(|e| e.tag == 0x0008_0100)
        .map(|e| {
            String::from_utf8_lossy(parsed.value_bytes(e))
                .trim()
                .to_string()
        })
        .collect()
}

/// Pixels of frame `index` inside any of `rects` (grown by the cleaner's margin).
fn inside(rects: &[Rect], x: u32, y: u32, width: u32, height: u32) -> bool {
    rects
        .iter()
        .filter_map(|r| clip(*r, MARGIN, width, height))
        .any(|r| x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)
}

fn rects(regions: &[Region], frame: u32) -> Vec<Rect> {
    regions
        .iter()
        .filter(|r| r.all_frames || r.frame == frame)
        .map(|r| Rect {
            x: r.x,
            y: r.y,
            w: r.w,
            h: r.h,
        })
        .collect()
}

#[test]
fn text_found_in_an_ultrasound_frame_is_blacked_out_and_nothing_else() {
    let (width, height, pixels) = text_frame();
    let input = native(width, height, std::slice::from_ref(&pixels));
    let before = inspect(&input, Options::basic()).expect("input parses");
    assert_eq!(before.burned_in.risk, RiskLevel::High);
    assert!(before.burned_in.pixels_checked);
    let found: Vec<_> = before
        .burned_in
        .regions
        .iter()
        .filter(|r| r.source == RegionSource::Detector)
        .cloned()
        .collect();
    assert!(!found.is_empty(), "the text finder boxes the drawn text");

    let done = deid(&input, options(&["clean-pixel-data"]));
    assert_eq!(done.changes.frames_cleaned, 1);
    let out = parse::parse(&done.bytes).expect("output parses");
    let cleaned = pixel_bytes(&out);
    assert_eq!(
        cleaned.len(),
        pixels.len(),
        "uncompressed stays the same size"
    );
    let boxes = rects(&before.burned_in.regions, 0);
    for y in 0..height {
        for x in 0..width {
            let i = (y * width + x) as usize;
            if inside(&boxes, x, y, width, height) {
                assert_eq!(cleaned[i], 0, "pixel {x},{y} inside a box is black");
            } else {
                assert_eq!(
                    cleaned[i], pixels[i],
                    "pixel {x},{y} outside the boxes is unchanged"
                );
            }
        }
    }
    assert_eq!(text_value(&out, 0x0028_0301).as_deref(), Some("NO"));
    assert!(method_codes(&out).contains(&"113101".to_string()));
    assert_eq!(out.transfer_syntax_uid, EXPLICIT_LE);

    let after = inspect(&done.bytes, Options::basic()).expect("output parses");
    assert!(
        after.burned_in.regions.is_empty(),
        "no text is found in the cleaned frame: {:?}",
        after.burned_in.regions
    );
    assert_eq!(
        after.burned_in.risk,
        RiskLevel::Low,
        "{:?}",
        after.burned_in.reasons
    );
}

#[test]
fn without_the_option_pixels_stay_byte_identical_and_nothing_is_claimed() {
    let (width, height, pixels) = text_frame();
    let input = native(width, height, std::slice::from_ref(&pixels));
    let done = deid(&input, Options::basic());
    let out = parse::parse(&done.bytes).expect("output parses");
    assert_eq!(pixel_bytes(&out), pixels);
    assert_eq!(done.changes.frames_cleaned, 0);
    assert!(!method_codes(&out).contains(&"113101".to_string()));
    assert_eq!(text_value(&out, 0x0028_0301).as_deref(), Some("YES"));
}

#[test]
fn an_image_without_text_is_not_cleaned_and_not_claimed_clean() {
    let (width, height) = (256u32, 256u32);
    // A smooth disc: anatomy-like, no text.
    let pixels: Vec<u8> = (0..width * height)
        .map(|i| {
            let (x, y) = ((i % width) as f32 - 128.0, (i / width) as f32 - 128.0);
            let r = (x * x + y * y).sqrt();
            if r < 100.0 {
                (180.0 - r) as u8
            } else {
                0
            }
        })
        .collect();
    let input = native(width, height, std::slice::from_ref(&pixels));
    let done = deid(&input, options(&["clean-pixel-data"]));
    let out = parse::parse(&done.bytes).expect("output parses");
    assert_eq!(pixel_bytes(&out), pixels);
    assert!(!method_codes(&out).contains(&"113101".to_string()));
    assert_eq!(text_value(&out, 0x0028_0301).as_deref(), Some("YES"));
    assert!(
        done.warnings.iter().any(|w| w.contains("not cleaned")),
        "{:?}",
        done.warnings
    );
}

#[test]
fn the_users_regions_replace_the_found_ones_and_other_frames_are_copied() {
    let (width, height) = (64u32, 48u32);
    let frames: Vec<Vec<u8>> = (0..3u8)
        .map(|f| {
            (0..width * height)
                .map(|i| (i as u8).wrapping_add(f * 50) | 1)
                .collect()
        })
        .collect();
    let input = native(width, height, &frames);
    let chosen = [Region::new(
        Some(1),
        Rect {
            x: 10,
            y: 5,
            w: 8,
            h: 4,
        },
        RegionSource::User,
    )];
    let done = deidentifier(options(&["clean-pixel-data"]))
        .deidentify_with_regions(&input, Some(&chosen))
        .expect("de-identifies");
    assert_eq!(done.changes.frames_cleaned, 1);
    let out = parse::parse(&done.bytes).expect("output parses");
    let cleaned = pixel_bytes(&out);
    let frame_len = (width * height) as usize;
    assert_eq!(&cleaned[..frame_len], &frames[0][..]);
    assert_eq!(&cleaned[2 * frame_len..3 * frame_len], &frames[2][..]);
    let boxes = rects(&chosen, 1);
    for y in 0..height {
        for x in 0..width {
            let i = (y * width + x) as usize;
            let want = if inside(&boxes, x, y, width, height) {
                0
            } else {
                frames[1][i]
            };
            assert_eq!(cleaned[frame_len + i], want, "frame 1 pixel {x},{y}");
        }
    }
    // An empty list from the user means "nothing to clean": nothing is claimed.
    let none = deidentifier(options(&["clean-pixel-data"]))
        .deidentify_with_regions(&input, Some(&[]))
        .expect("de-identifies");
    let out = parse::parse(&none.bytes).expect("output parses");
    assert_eq!(pixel_bytes(&out), frames.concat());
    assert!(!method_codes(&out).contains(&"113101".to_string()));
}

#[test]
fn a_jpeg_image_is_decoded_cleaned_and_written_uncompressed() {
    let (width, height) = (96u32, 64u32);
    let pixels: Vec<u8> = (0..width * height).map(|i| (i % 200) as u8 + 20).collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 95)
        .encode(
            &pixels,
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Luma,
        )
        .expect("encodes");
    if jpeg.len() % 2 == 1 {
        jpeg.push(0);
    }
    let value = Value::PixelSequence(PixelFragmentSequence::new(vec![], vec![jpeg]));
    let input = part10(&ultrasound(width, height, &[pixels], value), JPEG_BASELINE);
    let parsed_in = parse::parse(&input).expect("input parses");
    let info = image_info(&parsed_in)
        .expect("attributes")
        .expect("an image");
    let decoded = decode_frame(&parsed_in, &info, 0).expect("decodes").data;

    let chosen = [Region::new(
        None,
        Rect {
            x: 0,
            y: 0,
            w: 40,
            h: 12,
        },
        RegionSource::User,
    )];
    let done = deidentifier(options(&["clean-pixel-data"]))
        .deidentify_with_regions(&input, Some(&chosen))
        .expect("de-identifies");
    let out = parse::parse(&done.bytes).expect("output parses");
    assert_eq!(out.transfer_syntax_uid, EXPLICIT_LE);
    assert_eq!(
        text_value(&out, 0x0028_0004).as_deref(),
        Some("MONOCHROME2")
    );
    assert_eq!(
        text_value(&out, 0x0028_2110).as_deref(),
        Some("01"),
        "once lossy, always lossy"
    );
    assert_eq!(text_value(&out, 0x0028_0301).as_deref(), Some("NO"));
    let cleaned = pixel_bytes(&out);
    assert_eq!(cleaned.len(), decoded.len());
    let boxes = rects(&chosen, 0);
    for y in 0..height {
        for x in 0..width {
            let i = (y * width + x) as usize;
            let want = if inside(&boxes, x, y, width, height) {
                0
            } else {
                decoded[i]
            };
            assert_eq!(cleaned[i], want, "pixel {x},{y}");
        }
    }
    // The output decodes with our own reader as an uncompressed image of the same size.
    let info_out = image_info(&out).expect("attributes").expect("an image");
    assert_eq!(info_out.encoding, "uncompressed");
    assert_eq!((info_out.rows, info_out.columns), (height, width));
}
