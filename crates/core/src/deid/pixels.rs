//! Clean Pixel Data (PS3.15 E.3.1): black out the regions that hold burned-in text.
//!
//! Uncompressed frames are edited where they are; frames without a region are copied as they
//! are. Compressed images are decoded, cleaned and written uncompressed (Explicit VR Little
//! Endian, PS3.5 A.2), with the image pixel attributes made to match what was written and the
//! lossy compression history kept (PS3.3 C.7.6.1.1.5).

use super::emit::encode_text_element;
use super::emit::Insertion;
use super::output::Pieces;
use crate::parse::syntax::EXPLICIT_VR_LITTLE_ENDIAN;
use crate::parse::{Body, Element, ParsedFile, Syntax};
use crate::pixels::clean::{blank_frame, Layout, MARGIN};
use crate::pixels::decode::{decode_frame, image_info, ImageInfo};
use crate::pixels::frames::DecodedFrames;
use crate::pixels::{Rect, Region};
use dicom_core::header::DataElementHeader;
use dicom_core::{Length, Tag, VR};

/// Burned In Annotation (0028,0301).
pub const BURNED_IN_ANNOTATION: u32 = 0x0028_0301;
/// Its value as first written after cleaning: NO, padded to the length of `BURNED_IN_YES` so
/// the re-check of the output can say YES in place (trailing spaces of a CS value are not
/// significant, PS3.5 6.2).
pub const BURNED_IN_NO: &str = "NO  ";
/// Its value when the re-check of the output still finds text.
pub const BURNED_IN_YES: &str = "YES ";

/// What cleaning did to the pixels, for the emitter and the summary.
pub struct Cleaned {
    /// Top-level elements to write (Pixel Data and the attributes that describe it).
    pub insertions: Vec<Insertion>,
    /// The output's transfer syntax when it changed (compressed input).
    pub transfer_syntax_uid: Option<String>,
    pub frames_cleaned: usize,
}

/// Cleans the regions out of the image. `decoded` holds frames the pixel search of the same
/// request already decoded (they are used, not decoded again). `Err` is a plain reason why the
/// pixels were left as they were; the caller then must not claim they were cleaned.
pub fn clean(
    parsed: &ParsedFile<'_>,
    regions: &[Region],
    decoded: &mut DecodedFrames,
) -> Result<Cleaned, String> {
    let info = image_info(parsed)
        .map_err(|e| format!("the image could not be read: {e}"))?
        .ok_or_else(|| "the file holds no image".to_string())?;
    if let Some(why) = &info.cannot_decode {
        return Err(why.clone());
    }
    if regions.is_empty() {
        return Err("no burned-in text was found or marked".to_string());
    }
    let element = parsed
        .pixel_data()
        .ok_or_else(|| "the file holds no Pixel Data".to_string())?;
    let frames = info.frames.max(1);
    let rects_of = |frame: u32| -> Vec<Rect> {
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
    };
    let mut cleaned = match element.body {
        Body::Encapsulated { .. } => clean_encapsulated(parsed, &info, frames, &rects_of, decoded)?,
        _ => clean_native(parsed, element, &info, frames, &rects_of)?,
    };
    let syntax = if cleaned.transfer_syntax_uid.is_some() {
        Syntax::from_uid(EXPLICIT_VR_LITTLE_ENDIAN)
    } else {
        parsed.syntax
    };
    // PS3.15 E.3.1: Burned In Annotation NO only once the pixels were actually cleaned, and
    // turned into YES when the re-check of the output still finds text (see
    // `super::recheck_output_pixels`).
    cleaned
        .insertions
        .push(text(syntax, BURNED_IN_ANNOTATION, VR::CS, BURNED_IN_NO));
    cleaned.insertions.sort_by_key(|i| i.tag);
    Ok(cleaned)
}

fn clean_native(
    parsed: &ParsedFile<'_>,
    element: &Element,
    info: &ImageInfo,
    frames: u32,
    rects_of: &dyn Fn(u32) -> Vec<Rect>,
) -> Result<Cleaned, String> {
    let layout = Layout {
        rows: info.rows,
        columns: info.columns,
        samples: info.samples_per_pixel,
        bits_allocated: info.bits_allocated,
        bits_stored: info.bits_stored,
        signed: info.signed,
        planar_configuration: info.planar_configuration,
        photometric: info.photometric.clone(),
    };
    let frame_len = layout
        .frame_bytes()
        .ok_or_else(|| layout.unsupported().unwrap_or_default())?;
    let needed = frame_len as u64 * frames as u64;
    if needed > element.value_len() as u64 {
        return Err(format!(
            "Pixel Data holds {} bytes, fewer than the {needed} its {frames} frame(s) need",
            element.value_len()
        ));
    }
    let source = pixel_source(parsed, element)?;
    let mut pieces = Pieces::default();
    pieces.copy(element.start..element.value.start);
    let mut frames_cleaned = 0;
    for frame in 0..frames {
        let start = element.value.start + frame as usize * frame_len;
        let rects = rects_of(frame);
        if rects.is_empty() {
            pieces.copy(start..start + frame_len);
            continue;
        }
        let offset = start - element.value.start;
        let mut bytes = source
            .get(offset..offset + frame_len)
            .ok_or_else(|| format!("frame {frame} is not all there"))?
            .to_vec();
        blank_frame(&mut bytes, &layout, &rects, MARGIN)?;
        pieces.bytes().extend_from_slice(&bytes);
        frames_cleaned += 1;
    }
    let end = element.value.start + frame_len * frames as usize;
    pieces.copy(end..element.end);
    Ok(Cleaned {
        insertions: vec![Insertion {
            tag: element.tag,
            pieces,
        }],
        transfer_syntax_uid: None,
        frames_cleaned,
    })
}

/// Pixel Data's value bytes, which must all be present (the caller reads the whole file when
/// pixels are to be cleaned).
fn pixel_source<'p>(parsed: &'p ParsedFile<'_>, element: &Element) -> Result<&'p [u8], String> {
    let bytes = parsed.value_bytes(element);
    if bytes.len() < element.value_len() {
        return Err("the pixels were not read".to_string());
    }
    Ok(bytes)
}

fn clean_encapsulated(
    parsed: &ParsedFile<'_>,
    info: &ImageInfo,
    frames: u32,
    rects_of: &dyn Fn(u32) -> Vec<Rect>,
    decoded: &mut DecodedFrames,
) -> Result<Cleaned, String> {
    let mut value = Vec::new();
    let mut written: Option<(u16, u16, String)> = None;
    let mut frames_cleaned = 0;
    for index in 0..frames {
        let mut frame = match decoded.take(index) {
            Some(frame) => frame,
            None => decode_frame(parsed, info, index).map_err(|e| e.to_string())?,
        };
        let layout = Layout {
            rows: frame.height,
            columns: frame.width,
            samples: frame.samples,
            bits_allocated: frame.bits_allocated,
            bits_stored: info.bits_stored.min(frame.bits_allocated),
            signed: frame.signed,
            planar_configuration: 0,
            photometric: frame.photometric.clone(),
        };
        let rects = rects_of(index);
        if !rects.is_empty() {
            blank_frame(&mut frame.data, &layout, &rects, MARGIN)?;
            frames_cleaned += 1;
        }
        written.get_or_insert((frame.bits_allocated, frame.samples, frame.photometric));
        value.extend_from_slice(&frame.data);
    }
    if value.len() % 2 == 1 {
        value.push(0);
    }
    let (bits_allocated, samples, photometric) =
        written.ok_or_else(|| "the image has no frames".to_string())?;
    let syntax = Syntax::from_uid(EXPLICIT_VR_LITTLE_ENDIAN);
    let vr = if bits_allocated > 8 { VR::OW } else { VR::OB };
    let length = u32::try_from(value.len())
        .map_err(|_| "the uncompressed image would be larger than 4 GB".to_string())?;
    let mut pixel_data = Pieces::default();
    header(syntax, pixel_data.bytes(), 0x7FE0_0010, vr, length);
    pixel_data.bytes().extend_from_slice(&value);

    let mut insertions = vec![
        Insertion {
            tag: 0x7FE0_0010,
            pieces: pixel_data,
        },
        // The offset tables of the compressed fragments mean nothing any more.
        Insertion::remove(0x7FE0_0001),
        Insertion::remove(0x7FE0_0002),
        text(syntax, 0x0028_0004, VR::CS, &photometric),
        us(syntax, 0x0028_0100, bits_allocated),
    ];
    if samples > 1 {
        insertions.push(us(syntax, 0x0028_0006, 0));
    }
    if info.lossy {
        // PS3.3 C.7.6.1.1.5: once lossy, always marked lossy.
        insertions.push(text(syntax, 0x0028_2110, VR::CS, "01"));
    }
    Ok(Cleaned {
        insertions,
        transfer_syntax_uid: Some(EXPLICIT_VR_LITTLE_ENDIAN.to_string()),
        frames_cleaned,
    })
}

fn text(syntax: Syntax, tag: u32, vr: VR, value: &str) -> Insertion {
    Insertion::bytes(tag, encode_text_element(syntax, tag, vr, value))
}

fn us(syntax: Syntax, tag: u32, value: u16) -> Insertion {
    let mut bytes = Vec::new();
    header(syntax, &mut bytes, tag, VR::US, 2);
    bytes.extend_from_slice(&value.to_le_bytes());
    Insertion::bytes(tag, bytes)
}

fn header(syntax: Syntax, out: &mut Vec<u8>, tag: u32, vr: VR, length: u32) {
    let tag = Tag((tag >> 16) as u16, tag as u16);
    syntax.encode_header(out, DataElementHeader::new(tag, vr, Length(length)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use dicom_core::value::{PixelFragmentSequence, Value};
    use dicom_core::DataElement;
    use dicom_leakcheck_testkit::{part10, sample_with, text, us, PIXEL_DATA, SOP_CLASS_UID};

    /// A 64 x 32 8-bit JPEG baseline image.
    fn jpeg_file() -> Vec<u8> {
        let (width, height) = (64u16, 32u16);
        let pixels: Vec<u8> = (0..u32::from(width) * u32::from(height))
            .map(|i| (i % 97) as u8 + 60)
            .collect();
        let mut jpeg = Vec::new();
        jpeg_encoder::Encoder::new(&mut jpeg, 95)
            .encode(&pixels, width, height, jpeg_encoder::ColorType::Luma)
            .expect("encodes");
        if jpeg.len() % 2 == 1 {
            jpeg.push(0);
        }
        let mut dataset = sample_with([
            text(SOP_CLASS_UID, VR::UI, "1.2.840.10008.5.1.4.1.1.6.1"),
            us(Tag(0x0028, 0x0010), height),
            us(Tag(0x0028, 0x0011), width),
            us(Tag(0x0028, 0x0100), 8),
            us(Tag(0x0028, 0x0101), 8),
            us(Tag(0x0028, 0x0102), 7),
            DataElement::new(
                PIXEL_DATA,
                VR::OB,
                Value::PixelSequence(PixelFragmentSequence::new(vec![], vec![jpeg])),
            ),
        ]);
        for element in [0x1050, 0x1051, 0x1052, 0x1053] {
            dataset.remove_element(Tag(0x0028, element));
        }
        part10(&dataset, "1.2.840.10008.1.2.4.50")
    }

    #[test]
    fn a_frame_the_search_decoded_is_cleaned_without_decoding_it_again() {
        let file = jpeg_file();
        let parsed = parse(&file).expect("parses");
        let info = image_info(&parsed).expect("attributes").expect("an image");
        // What the search kept: marked, so that its use shows in the output.
        let mut kept = decode_frame(&parsed, &info, 0).expect("decodes");
        kept.data.fill(7);
        let mut decoded = DecodedFrames::default();
        decoded.keep(kept);
        let region = Region::new(
            Some(0),
            Rect {
                x: 0,
                y: 0,
                w: 8,
                h: 8,
            },
            crate::pixels::RegionSource::User,
        );
        let cleaned = clean(&parsed, &[region], &mut decoded).expect("cleans");
        assert!(decoded.is_empty(), "the kept frame was handed over");
        let pixel_data = cleaned
            .insertions
            .iter()
            .find(|i| i.tag == 0x7FE0_0010)
            .expect("Pixel Data written");
        let mut bytes = Vec::new();
        pixel_data
            .pieces
            .write_to(&file, &mut bytes)
            .expect("writes");
        let value = &bytes[bytes.len() - 64 * 32..];
        // Outside the region (with its margin) every pixel is the kept frame's.
        assert_eq!(value[31 * 64 + 63], 7);
        assert_eq!(value[0], 0, "the region is blacked out");
        // Without a kept frame, the frame is decoded here (its own values, not 7).
        let again = clean(
            &parsed,
            &[Region::new(
                Some(0),
                Rect {
                    x: 0,
                    y: 0,
                    w: 8,
                    h: 8,
                },
                crate::pixels::RegionSource::User,
            )],
            &mut DecodedFrames::default(),
        )
        .expect("cleans");
        let mut bytes = Vec::new();
        again
            .insertions
            .iter()
            .find(|i| i.tag == 0x7FE0_0010)
            .expect("Pixel Data written")
            .pieces
            .write_to(&file, &mut bytes)
            .expect("writes");
        assert_ne!(bytes[bytes.len() - 1], 7);
    }
}
