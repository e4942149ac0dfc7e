//! A second built-in synthetic file: an ultrasound cine loop whose pixels carry a patient
//! banner, the way many ultrasound machines burn the patient's name, ID and birth date into
//! the image (the reason PS3.15 E.3.1 has the Clean Pixel Data option). The banner repeats the
//! CT sample's invented patient (JOHN DOE); every value is made up. The text is drawn with a
//! small built-in 5x7 bitmap font, so no font file or real screen capture is involved.

use super::write_part10;
use dicom_core::value::PrimitiveValue;
use dicom_core::{DataElement, Tag, VR};
use dicom_object::InMemDicomObject;

pub const ULTRASOUND_FILE_NAME: &str = "sample-ultrasound-with-burned-in-text.dcm";
pub const ULTRASOUND_SOP_INSTANCE_UID: &str = "2.25.209787451339183513466711530917233815021";
const US_MULTIFRAME_IMAGE_STORAGE: &str = "1.2.840.10008.5.1.4.1.1.3.1";
pub const US_COLUMNS: u32 = 640;
pub const US_ROWS: u32 = 480;
pub const US_FRAMES: u32 = 6;
/// Where the banner with the (fake) patient's name, ID and birth date is drawn: x, y, w, h.
pub const US_BANNER: (u32, u32, u32, u32) = (8, 6, 520, 40);

/// The banner's two lines (scale 2: 12 px per character, 14 px high).
pub const US_BANNER_LINES: [&str; 2] = [
    "DOE, JOHN  ID: LC-12345  DOB: 01/01/1970",
    "ST. ELSEWHERE GENERAL  02/03/2024 10:15",
];

/// The ultrasound sample as a Part 10 file (Explicit VR Little Endian, RGB, 6 frames).
pub fn ultrasound_sample() -> Vec<u8> {
    write_part10(
        &ultrasound_dataset(),
        crate::parse::syntax::EXPLICIT_VR_LITTLE_ENDIAN,
    )
    .unwrap_or_default()
}

fn text(tag: (u16, u16), vr: VR, value: &str) -> DataElement<InMemDicomObject> {
    DataElement::new(Tag(tag.0, tag.1), vr, PrimitiveValue::from(value))
}

fn us(tag: (u16, u16), value: u16) -> DataElement<InMemDicomObject> {
    DataElement::new(Tag(tag.0, tag.1), VR::US, PrimitiveValue::from(value))
}

/// The data set: the same invented patient as the CT sample, an ultrasound study.
pub fn ultrasound_dataset() -> InMemDicomObject {
    let mut o = InMemDicomObject::new_empty();
    let elements = [
        text((0x0008, 0x0005), VR::CS, "ISO_IR 100"),
        text((0x0008, 0x0008), VR::CS, "ORIGINAL\\PRIMARY\\ABDOMINAL"),
        text((0x0008, 0x0016), VR::UI, US_MULTIFRAME_IMAGE_STORAGE),
        text((0x0008, 0x0018), VR::UI, ULTRASOUND_SOP_INSTANCE_UID),
        text((0x0008, 0x0020), VR::DA, "20240302"),
        text((0x0008, 0x0030), VR::TM, "101500"),
        text((0x0008, 0x0050), VR::SH, "ACC-98766"),
        text((0x0008, 0x0060), VR::CS, "US"),
        text((0x0008, 0x0070), VR::LO, "ACME MEDICAL"),
        text((0x0008, 0x0080), VR::LO, "ST. ELSEWHERE GENERAL HOSPITAL"),
        text((0x0008, 0x0090), VR::PN, "HOUSE^GREGORY"),
        text((0x0008, 0x1030), VR::LO, "US ABDOMEN"),
        text((0x0008, 0x1090), VR::LO, "SONOMASTER U5"),
        text((0x0010, 0x0010), VR::PN, "DOE^JOHN"),
        text((0x0010, 0x0020), VR::LO, "LC-12345"),
        text((0x0010, 0x0030), VR::DA, "19700101"),
        text((0x0010, 0x0040), VR::CS, "M"),
        text((0x0018, 0x0040), VR::IS, "10"),
        text((0x0018, 0x1063), VR::DS, "100"),
        text(
            (0x0020, 0x000D),
            VR::UI,
            "2.25.209787451339183513466711530917233815022",
        ),
        text(
            (0x0020, 0x000E),
            VR::UI,
            "2.25.209787451339183513466711530917233815023",
        ),
        text((0x0020, 0x0010), VR::SH, "STUDY78"),
        text((0x0020, 0x0011), VR::IS, "1"),
        text((0x0020, 0x0013), VR::IS, "1"),
        us((0x0028, 0x0002), 3),
        text((0x0028, 0x0004), VR::CS, "RGB"),
        us((0x0028, 0x0006), 0),
        text((0x0028, 0x0008), VR::IS, &US_FRAMES.to_string()),
        // Frame Increment Pointer: the frames are timed by Frame Time (PS3.3 C.7.6.6).
        DataElement::new(
            Tag(0x0028, 0x0009),
            VR::AT,
            PrimitiveValue::Tags(dicom_core::smallvec::smallvec![Tag(0x0018, 0x1063)]),
        ),
        us((0x0028, 0x0010), US_ROWS as u16),
        us((0x0028, 0x0011), US_COLUMNS as u16),
        us((0x0028, 0x0100), 8),
        us((0x0028, 0x0101), 8),
        us((0x0028, 0x0102), 7),
        us((0x0028, 0x0103), 0),
        // The machine says so itself: text is burned into the pixels (PS3.3 C.7.6.1.1.5).
        text((0x0028, 0x0301), VR::CS, "YES"),
        DataElement::new(Tag(0x7FE0, 0x0010), VR::OB, PrimitiveValue::from(pixels())),
    ];
    for element in elements {
        o.put(element);
    }
    o
}

/// Every frame: a speckled fan-shaped sector with a dark round structure that moves a little
/// from frame to frame, the patient banner at the top and the machine's settings bottom right.
fn pixels() -> Vec<u8> {
    let (w, h) = (US_COLUMNS as usize, US_ROWS as usize);
    let mut out = Vec::with_capacity(w * h * 3 * US_FRAMES as usize);
    for frame in 0..US_FRAMES {
        let mut gray = vec![0u8; w * h];
        sector(&mut gray, w, h, frame);
        let mut rgb = Vec::with_capacity(w * h * 3);
        for v in &gray {
            rgb.extend_from_slice(&[*v, *v, *v]);
        }
        let banner = [235, 235, 200];
        draw_text(&mut rgb, w, US_BANNER_LINES[0], 10, 8, 2, banner);
        draw_text(&mut rgb, w, US_BANNER_LINES[1], 10, 28, 2, banner);
        draw_text(
            &mut rgb,
            w,
            "C5-2  MI 1.1  TIS 0.4",
            500,
            440,
            1,
            [120, 200, 255],
        );
        draw_text(
            &mut rgb,
            w,
            &format!("FR 10  {}/6", frame + 1),
            500,
            456,
            1,
            [120, 200, 255],
        );
        out.extend_from_slice(&rgb);
    }
    out
}

/// A fan from an apex near the top, filled with speckle: white noise from a small
/// deterministic generator (xorshift), smoothed over a 7x3 window (speckle grains are wider
/// than tall) and squared, fading with depth.
fn sector(gray: &mut [u8], w: usize, h: usize, frame: u32) {
    let mut state: u32 = 0x9E37_79B9 ^ frame.wrapping_mul(0x85EB_CA6B);
    let noise: Vec<f32> = (0..w * h)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as f32 / 255.0
        })
        .collect();
    let apex = (320.0_f32, 60.0_f32);
    let cyst = (300.0 + 6.0 * frame as f32, 260.0 - 3.0 * frame as f32);
    for y in 1..h.saturating_sub(1) {
        for x in 3..w.saturating_sub(3) {
            let (dx, dy) = (x as f32 - apex.0, y as f32 - apex.1);
            let r = (dx * dx + dy * dy).sqrt();
            if dy <= 0.0 || !(20.0..=400.0).contains(&r) || dx.abs() > dy * 0.84 {
                continue;
            }
            let mut sum = 0.0;
            for yy in y - 1..=y + 1 {
                sum += noise
                    .get(yy * w + x - 3..yy * w + x + 4)
                    .map_or(0.0, |row| row.iter().sum());
            }
            let grain = sum / 21.0;
            let (cx, cy) = (x as f32 - cyst.0, y as f32 - cyst.1);
            let inside = (cx * cx) / 2500.0 + (cy * cy) / 1200.0 < 1.0;
            let base = if inside {
                10.0 + 30.0 * grain
            } else {
                20.0 + 420.0 * grain * grain
            };
            let fade = 1.0 - 0.5 * (r / 400.0);
            if let Some(p) = gray.get_mut(y * w + x) {
                *p = (base * fade).clamp(0.0, 255.0) as u8;
            }
        }
    }
}

/// Draws `text` with the 5x7 font, each dot `scale` pixels square, 1 dot between characters.
fn draw_text(rgb: &mut [u8], w: usize, text: &str, x0: usize, y0: usize, scale: usize, c: [u8; 3]) {
    for (i, ch) in text.chars().enumerate() {
        let rows = glyph(ch);
        let left = x0 + i * 6 * scale;
        for (row, bits) in rows.iter().enumerate() {
            for col in 0..5 {
                if bits & (0x10 >> col) == 0 {
                    continue;
                }
                for sy in 0..scale {
                    for sx in 0..scale {
                        let (x, y) = (left + col * scale + sx, y0 + row * scale + sy);
                        if x >= w {
                            continue;
                        }
                        if let Some(p) = rgb.get_mut((y * w + x) * 3..(y * w + x) * 3 + 3) {
                            p.copy_from_slice(&c);
                        }
                    }
                }
            }
        }
    }
}

/// The 5x7 dots of one character (bit 4 = leftmost column); unknown characters are blank.
fn glyph(ch: char) -> [u8; 7] {
    match ch {
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'B' => [0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E],
        'C' => [0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E],
        'D' => [0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C],
        'E' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F],
        'F' => [0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'H' => [0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'J' => [0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C],
        'K' => [0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'M' => [0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11],
        'N' => [0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'P' => [0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10],
        'Q' => [0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D],
        'R' => [0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        'T' => [0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
        'U' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'V' => [0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04],
        'W' => [0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A],
        'X' => [0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11],
        'Y' => [0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04],
        'Z' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F],
        '0' => [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E],
        '1' => [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E],
        '2' => [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F],
        '3' => [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E],
        '4' => [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02],
        '5' => [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E],
        '6' => [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E],
        '7' => [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
        '8' => [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E],
        '9' => [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C],
        ':' => [0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00],
        '/' => [0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00],
        '-' => [0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00],
        '.' => [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C],
        ',' => [0x00, 0x00, 0x00, 0x00, 0x0C, 0x04, 0x08],
        '^' => [0x04, 0x0A, 0x11, 0x00, 0x00, 0x00, 0x00],
        _ => [0; 7],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_is_in_the_pixels_and_fits() {
        let bytes = ultrasound_sample();
        let expected = (US_COLUMNS * US_ROWS * 3 * US_FRAMES) as usize;
        assert!(bytes.len() > expected, "{}", bytes.len());
        let report = crate::inspect(&bytes, crate::Options::basic()).expect("parses");
        assert_eq!(report.summary.patient_name.as_deref(), Some("DOE JOHN"));
        let pixels = &bytes[bytes.len() - expected..];
        let (bx, by, bw, bh) = US_BANNER;
        // Bright banner dots inside the banner box, none right below it in the black margin.
        let bright = |x: u32, y: u32| pixels[((y * US_COLUMNS + x) * 3) as usize] > 200;
        let inside = (by..by + bh)
            .flat_map(|y| (bx..bx + bw).map(move |x| (x, y)))
            .filter(|&(x, y)| bright(x, y))
            .count();
        assert!(inside > 1000, "{inside} banner dots");
        for (i, line) in US_BANNER_LINES.iter().enumerate() {
            assert!(
                10 + line.len() as u32 * 12 <= bx + bw,
                "line {i} fits the box"
            );
        }
        assert!((bx..bx + bw).all(|x| !bright(x, by + bh + 2)));
    }
}
