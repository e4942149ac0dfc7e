//! Synthetic frames built in code, in every layout the decoder reads.

use super::rle::pack;
use super::*;
use crate::parse::parse;

const EXPLICIT_LE: &str = "1.2.840.10008.1.2.1";
const IMPLICIT_LE: &str = "1.2.840.10008.1.2";
const EXPLICIT_BE: &str = "1.2.840.10008.1.2.2";
const RLE: &str = "1.2.840.10008.1.2.5";
const JPEG_BASELINE: &str = "1.2.840.10008.1.2.4.50";
const JPEG_LS: &str = "1.2.840.10008.1.2.4.80";

enum V {
    Us(Vec<u16>),
    Text(&'static str, String),
    /// Already in the file's byte order.
    Raw(&'static str, Vec<u8>),
    /// Items: the Basic Offset Table first, then the fragments.
    Encapsulated(Vec<Vec<u8>>),
}

/// A Part 10 file: preamble, meta group, then the elements in the transfer syntax's encoding.
fn file(ts: &str, mut elements: Vec<(u32, V)>) -> Vec<u8> {
    let mut out = vec![0u8; 128];
    out.extend_from_slice(b"DICM");
    let mut uid = ts.as_bytes().to_vec();
    if uid.len() % 2 == 1 {
        uid.push(0);
    }
    let mut meta = Vec::new();
    meta.extend_from_slice(&[0x02, 0x00, 0x10, 0x00, b'U', b'I']);
    meta.extend_from_slice(&(uid.len() as u16).to_le_bytes());
    meta.extend_from_slice(&uid);
    out.extend_from_slice(&[0x02, 0x00, 0x00, 0x00, b'U', b'L', 4, 0]);
    out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
    out.extend_from_slice(&meta);
    let big = ts == EXPLICIT_BE;
    let implicit = ts == IMPLICIT_LE;
    let u16b = |v: u16| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let u32b = |v: u32| {
        if big {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    elements.sort_by_key(|(tag, _)| *tag);
    for (tag, value) in elements {
        let (vr, bytes, undefined) = match value {
            V::Us(values) => ("US", values.iter().flat_map(|v| u16b(*v)).collect(), false),
            V::Text(vr, text) => {
                let mut b = text.into_bytes();
                if b.len() % 2 == 1 {
                    b.push(if vr == "UI" { 0 } else { b' ' });
                }
                (vr, b, false)
            }
            V::Raw(vr, bytes) => (vr, bytes, false),
            V::Encapsulated(items) => {
                let mut b = Vec::new();
                for item in items {
                    b.extend_from_slice(&[0xFE, 0xFF, 0x00, 0xE0]);
                    b.extend_from_slice(&(item.len() as u32).to_le_bytes());
                    b.extend_from_slice(&item);
                }
                b.extend_from_slice(&[0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
                ("OB", b, true)
            }
        };
        out.extend_from_slice(&u16b((tag >> 16) as u16));
        out.extend_from_slice(&u16b(tag as u16));
        let length = if undefined {
            u32::MAX
        } else {
            bytes.len() as u32
        };
        if implicit {
            out.extend_from_slice(&u32b(length));
        } else {
            out.extend_from_slice(vr.as_bytes());
            if matches!(vr, "OB" | "OW" | "OV" | "UN" | "UT") {
                out.extend_from_slice(&[0, 0]);
                out.extend_from_slice(&u32b(length));
            } else {
                out.extend_from_slice(&u16b(length as u16));
            }
        }
        out.extend_from_slice(&bytes);
    }
    out
}

/// The Image Pixel module attributes.
fn image(
    rows: u16,
    columns: u16,
    samples: u16,
    bits: (u16, u16),
    signed: bool,
    photometric: &str,
    frames: u32,
) -> Vec<(u32, V)> {
    vec![
        (0x0028_0002, V::Us(vec![samples])),
        (0x0028_0004, V::Text("CS", photometric.to_string())),
        (0x0028_0008, V::Text("IS", frames.to_string())),
        (0x0028_0010, V::Us(vec![rows])),
        (0x0028_0011, V::Us(vec![columns])),
        (0x0028_0100, V::Us(vec![bits.0])),
        (0x0028_0101, V::Us(vec![bits.1])),
        (0x0028_0102, V::Us(vec![bits.1 - 1])),
        (0x0028_0103, V::Us(vec![u16::from(signed)])),
    ]
}

fn with(mut base: Vec<(u32, V)>, more: Vec<(u32, V)>) -> Vec<(u32, V)> {
    base.extend(more);
    base
}

fn decode(bytes: &[u8], index: u32) -> Result<(ImageInfo, Frame), PixelError> {
    let parsed = parse(bytes).expect("the test file parses");
    let info = image_info(&parsed)?.expect("pixel data");
    let frame = decode_frame(&parsed, &info, index)?;
    Ok((info, frame))
}

fn gray(bytes: &[u8], index: u32) -> Vec<i32> {
    let (info, frame) = decode(bytes, index).expect("decodes");
    frame.gray_values(&info).expect("monochrome")
}

fn le16(values: &[i16]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn eight_bit_multi_frame_decodes_only_the_asked_frame() {
    let data: Vec<u8> = (0..12).collect();
    let f = file(
        EXPLICIT_LE,
        with(
            image(2, 3, 1, (8, 8), false, "MONOCHROME2", 2),
            vec![(0x7FE0_0010, V::Raw("OB", data))],
        ),
    );
    assert_eq!(gray(&f, 0), vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(gray(&f, 1), vec![6, 7, 8, 9, 10, 11]);
    let err = decode(&f, 2).unwrap_err();
    assert_eq!(err.message, "frame 2 of 2 (frames count from 0)");
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    assert_eq!(info.encoding, "uncompressed");
    assert!(!info.lossy);
    assert!(info.cannot_decode.is_none());
}

#[test]
fn signed_sixteen_bit_is_masked_and_sign_extended_in_every_byte_order() {
    // Bits Stored 12: the top 4 bits hold garbage (0xF000) that must not show.
    let stored: Vec<i16> = vec![-2048, -1, 0, 2047];
    let with_garbage: Vec<u16> = stored
        .iter()
        .map(|v| (*v as u16 & 0x0FFF) | 0xA000)
        .collect();
    let want: Vec<i32> = stored.iter().map(|v| i32::from(*v)).collect();
    for ts in [EXPLICIT_LE, IMPLICIT_LE, EXPLICIT_BE] {
        let big = ts == EXPLICIT_BE;
        let data: Vec<u8> = with_garbage
            .iter()
            .flat_map(|v| {
                if big {
                    v.to_be_bytes()
                } else {
                    v.to_le_bytes()
                }
            })
            .collect();
        let f = file(
            ts,
            with(
                image(2, 2, 1, (16, 12), true, "MONOCHROME2", 1),
                vec![(0x7FE0_0010, V::Raw("OW", data))],
            ),
        );
        assert_eq!(gray(&f, 0), want, "{ts}");
        let (_, frame) = decode(&f, 0).unwrap();
        // The frame is little endian whatever the file's byte order.
        assert_eq!(frame.data[..2], (with_garbage[0]).to_le_bytes(), "{ts}");
    }
}

#[test]
fn thirty_two_bit_and_one_bit_frames() {
    let values: Vec<u32> = vec![0, 70_000, 1, 4_000_000];
    let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let f = file(
        EXPLICIT_LE,
        with(
            image(2, 2, 1, (32, 32), false, "MONOCHROME2", 1),
            vec![(0x7FE0_0010, V::Raw("OW", data))],
        ),
    );
    assert_eq!(gray(&f, 0), vec![0, 70_000, 1, 4_000_000]);

    // Two 3x3 frames of 1-bit pixels: frame 1 starts at bit 9, inside the second byte.
    let bits: Vec<u8> = vec![1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1];
    let mut packed = vec![0u8; 4];
    for (i, b) in bits.iter().enumerate() {
        packed[i / 8] |= b << (i % 8);
    }
    let f = file(
        EXPLICIT_LE,
        with(
            image(3, 3, 1, (1, 1), false, "MONOCHROME2", 2),
            vec![(0x7FE0_0010, V::Raw("OB", packed))],
        ),
    );
    let want =
        |r: std::ops::Range<usize>| bits[r].iter().map(|b| i32::from(*b)).collect::<Vec<_>>();
    assert_eq!(gray(&f, 0), want(0..9));
    assert_eq!(gray(&f, 1), want(9..18));
}

#[test]
fn planar_rgb_becomes_interleaved() {
    // 2 pixels: R plane, G plane, B plane.
    let planar = vec![10, 20, 30, 40, 50, 60];
    let f = file(
        EXPLICIT_LE,
        with(
            image(1, 2, 3, (8, 8), false, "RGB", 1),
            vec![
                (0x0028_0006, V::Us(vec![1])),
                (0x7FE0_0010, V::Raw("OB", planar)),
            ],
        ),
    );
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    let frame = decode_frame(&parsed, &info, 0).unwrap();
    assert_eq!(frame.data, vec![10, 30, 50, 20, 40, 60]);
    assert_eq!(frame.rgb8(&info, &parsed).unwrap(), frame.data);
    assert!(frame.gray_values(&info).is_none());
    // Luma of (10,30,50) = (2990 + 17610 + 5700) / 1000 = 26.
    assert_eq!(frame.luma8(&info, &parsed)[0], 26);
}

#[test]
fn ybr_full_and_422_convert_to_rgb() {
    // Y=100, Cb=Cr=128 is gray 100; Y2=200 shares the chroma.
    let f = file(
        EXPLICIT_LE,
        with(
            image(1, 2, 3, (8, 8), false, "YBR_FULL_422", 1),
            vec![(0x7FE0_0010, V::Raw("OB", vec![100, 200, 128, 128]))],
        ),
    );
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    let frame = decode_frame(&parsed, &info, 0).unwrap();
    assert_eq!(frame.data.len(), 4, "kept as stored");
    assert_eq!(
        frame.rgb8(&info, &parsed).unwrap(),
        vec![100, 100, 100, 200, 200, 200]
    );
    let f = file(
        EXPLICIT_LE,
        with(
            image(1, 1, 3, (8, 8), false, "YBR_FULL", 1),
            vec![(0x7FE0_0010, V::Raw("OB", vec![128, 128, 255, 0]))],
        ),
    );
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    let rgb = decode_frame(&parsed, &info, 0)
        .unwrap()
        .rgb8(&info, &parsed)
        .unwrap();
    // Cr = 255: R = 128 + 1.402 * 127 = 306 -> 255; G = 128 - 0.714 * 127 = 37; B = 128.
    assert_eq!(rgb, vec![255, 37, 128]);
}

#[test]
fn palette_colour_maps_through_the_luts() {
    // 4 entries starting at index 10; 16-bit entries, shown by their high byte.
    let lut = |base: u16| -> Vec<u8> {
        (0..4u16)
            .flat_map(|i| ((base + i) << 8).to_le_bytes())
            .collect()
    };
    let f = file(
        EXPLICIT_LE,
        with(
            image(1, 3, 1, (8, 8), false, "PALETTE COLOR", 1),
            vec![
                (0x0028_1101, V::Us(vec![4, 10, 16])),
                (0x0028_1102, V::Us(vec![4, 10, 16])),
                (0x0028_1103, V::Us(vec![4, 10, 16])),
                (0x0028_1201, V::Raw("OW", lut(100))),
                (0x0028_1202, V::Raw("OW", lut(150))),
                (0x0028_1203, V::Raw("OW", lut(200))),
                // Index 5 is below the first mapped value, 99 above the last entry.
                (0x7FE0_0010, V::Raw("OB", vec![11, 5, 99, 0])),
            ],
        ),
    );
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    let frame = decode_frame(&parsed, &info, 0).unwrap();
    assert_eq!(
        frame.rgb8(&info, &parsed).unwrap(),
        vec![101, 151, 201, 100, 150, 200, 103, 153, 203]
    );
}

#[test]
fn luma_uses_the_window_and_inverts_monochrome1() {
    let data = le16(&[0, 130, 170, 300]);
    let elements = |photometric: &str| {
        with(
            image(2, 2, 1, (16, 16), true, photometric, 1),
            vec![
                (0x0028_1050, V::Text("DS", "150".into())),
                (0x0028_1051, V::Text("DS", "101".into())),
                (0x7FE0_0010, V::Raw("OW", data.clone())),
            ],
        )
    };
    let f = file(EXPLICIT_LE, elements("MONOCHROME2"));
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    let frame = decode_frame(&parsed, &info, 0).unwrap();
    let luma = frame.luma8(&info, &parsed);
    assert_eq!(luma[0], 0);
    assert_eq!(luma[3], 255);
    // PS3.3 C.11.2.1.2.1: ((130 - 149.5) / 100 + 0.5) * 255 = 77.8.
    assert_eq!(luma, vec![0, 78, 180, 255]);
    let f = file(EXPLICIT_LE, elements("MONOCHROME1"));
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    let frame = decode_frame(&parsed, &info, 0).unwrap();
    let inverted = frame.luma8(&info, &parsed);
    assert_eq!(inverted[0], 255);
    assert_eq!(inverted[3], 0);
}

/// An RLE frame (PS3.5 G): header with segment offsets, then PackBits segments, MSB first.
fn rle_frame(planes: &[Vec<u8>]) -> Vec<u8> {
    let segments: Vec<Vec<u8>> = planes.iter().map(|p| pack(p)).collect();
    let mut header = vec![0u8; 64];
    header[..4].copy_from_slice(&(segments.len() as u32).to_le_bytes());
    let mut offset = 64u32;
    let mut body = Vec::new();
    for (i, s) in segments.iter().enumerate() {
        header[4 + 4 * i..8 + 4 * i].copy_from_slice(&offset.to_le_bytes());
        offset += s.len() as u32;
        body.extend_from_slice(s);
    }
    let mut out = header;
    out.extend_from_slice(&body);
    if out.len() % 2 == 1 {
        out.push(0);
    }
    out
}

#[test]
fn rle_sixteen_bit_and_rgb_frames() {
    let values: Vec<i16> = vec![-300, -300, -300, 5, 6, 7, 1000, 1000, 1000];
    let msb: Vec<u8> = values.iter().map(|v| (*v as u16 >> 8) as u8).collect();
    let lsb: Vec<u8> = values.iter().map(|v| *v as u8).collect();
    let second: Vec<i16> = values.iter().map(|v| v / 2).collect();
    let msb2: Vec<u8> = second.iter().map(|v| (*v as u16 >> 8) as u8).collect();
    let lsb2: Vec<u8> = second.iter().map(|v| *v as u8).collect();
    let f = file(
        RLE,
        with(
            image(3, 3, 1, (16, 16), true, "MONOCHROME2", 2),
            vec![(
                0x7FE0_0010,
                V::Encapsulated(vec![
                    vec![],
                    rle_frame(&[msb, lsb]),
                    rle_frame(&[msb2, lsb2]),
                ]),
            )],
        ),
    );
    let want = |v: &[i16]| v.iter().map(|x| i32::from(*x)).collect::<Vec<_>>();
    assert_eq!(gray(&f, 0), want(&values));
    assert_eq!(gray(&f, 1), want(&second));
    let parsed = parse(&f).unwrap();
    assert_eq!(image_info(&parsed).unwrap().unwrap().encoding, "RLE");

    let f = file(
        RLE,
        with(
            image(1, 4, 3, (8, 8), false, "RGB", 1),
            vec![(
                0x7FE0_0010,
                V::Encapsulated(vec![
                    vec![],
                    rle_frame(&[vec![1, 1, 1, 2], vec![3, 4, 5, 6], vec![9, 9, 9, 9]]),
                ]),
            )],
        ),
    );
    let (_, frame) = decode(&f, 0).unwrap();
    assert_eq!(frame.data, vec![1, 3, 9, 1, 4, 9, 1, 5, 9, 2, 6, 9]);
}

/// A baseline JPEG of a gray ramp, `width` x `height`.
fn jpeg_gray(width: u16, height: u16, shift: u8) -> (Vec<u8>, Vec<u8>) {
    let pixels: Vec<u8> = (0..u32::from(width) * u32::from(height))
        .map(|i| ((i * 3) as u8).wrapping_add(shift) / 2 + 40)
        .collect();
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, 100);
    encoder
        .encode(&pixels, width, height, jpeg_encoder::ColorType::Luma)
        .expect("encodes");
    (out, pixels)
}

fn close(a: &[i32], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - i32::from(*y)).abs() <= 3)
}

#[test]
fn jpeg_frames_split_by_offset_table_or_start_marker() {
    let (j0, p0) = jpeg_gray(16, 8, 0);
    let (j1, p1) = jpeg_gray(16, 8, 90);
    // Each frame in two fragments (even lengths), no Basic Offset Table: found by SOI markers.
    let split = |j: &[u8]| {
        let mid = (j.len() / 2) & !1;
        let mut tail = j[mid..].to_vec();
        if tail.len() % 2 == 1 {
            tail.push(0);
        }
        vec![j[..mid].to_vec(), tail]
    };
    let mut items = vec![vec![]];
    items.extend(split(&j0));
    items.extend(split(&j1));
    let elements = |items: Vec<Vec<u8>>| {
        with(
            image(8, 16, 1, (8, 8), false, "MONOCHROME2", 2),
            vec![(0x7FE0_0010, V::Encapsulated(items))],
        )
    };
    let f = file(JPEG_BASELINE, elements(items.clone()));
    assert!(close(&gray(&f, 0), &p0));
    assert!(close(&gray(&f, 1), &p1));
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    assert_eq!(info.encoding, "JPEG baseline");
    assert!(info.lossy);

    // The same with a Basic Offset Table: offsets of each frame's first item.
    let first = 0u32;
    let second = (8 + items[1].len() + 8 + items[2].len()) as u32;
    items[0] = [first.to_le_bytes(), second.to_le_bytes()].concat();
    let f = file(JPEG_BASELINE, elements(items));
    assert!(close(&gray(&f, 1), &p1));
}

#[test]
fn unsupported_encodings_say_why() {
    let f = file(
        JPEG_LS,
        with(
            image(2, 2, 1, (8, 8), false, "MONOCHROME2", 1),
            vec![(0x7FE0_0010, V::Encapsulated(vec![vec![], vec![0xFF, 0xD8]]))],
        ),
    );
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    assert_eq!(info.encoding, "JPEG-LS");
    assert!(info.cannot_decode.as_deref().unwrap().contains("JPEG-LS"));
    let err = decode_frame(&parsed, &info, 0).unwrap_err();
    assert!(err.message.contains("JPEG-LS"), "{err}");

    let f = file(
        EXPLICIT_LE,
        with(
            image(2, 2, 1, (12, 12), false, "MONOCHROME2", 1),
            vec![(0x7FE0_0010, V::Raw("OB", vec![0; 6]))],
        ),
    );
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    assert!(info.cannot_decode.unwrap().contains("retired"));

    let f = file(EXPLICIT_LE, vec![(0x0010_0010, V::Text("PN", "X".into()))]);
    assert!(image_info(&parse(&f).unwrap()).unwrap().is_none());
}

#[test]
fn damaged_data_gives_errors_not_panics() {
    // Native data shorter than one frame.
    let f = file(
        EXPLICIT_LE,
        with(
            image(4, 4, 1, (16, 16), false, "MONOCHROME2", 1),
            vec![(0x7FE0_0010, V::Raw("OW", vec![0; 30]))],
        ),
    );
    let err = decode(&f, 0).unwrap_err();
    assert!(err.message.contains("too short"), "{err}");

    // Huge declared size with no data: refused before any allocation.
    let f = file(
        EXPLICIT_LE,
        with(
            image(65535, 65535, 3, (16, 16), false, "RGB", 1000),
            vec![(0x7FE0_0010, V::Raw("OW", vec![0; 8]))],
        ),
    );
    assert!(decode(&f, 999).is_err());

    let (jpeg, _) = jpeg_gray(16, 8, 0);
    let garbled: Vec<Vec<u8>> = vec![
        vec![0xFF, 0xD8, 1, 2, 3, 4],
        jpeg[..(jpeg.len() / 2) & !1].to_vec(),
        jpeg.iter()
            .enumerate()
            .map(|(i, b)| if i > 200 { b ^ 0x5A } else { *b })
            .collect(),
        vec![],
    ];
    for (n, item) in garbled.into_iter().enumerate() {
        let mut item = item;
        if item.len() % 2 == 1 {
            item.push(0);
        }
        let f = file(
            JPEG_BASELINE,
            with(
                image(8, 16, 1, (8, 8), false, "MONOCHROME2", 1),
                vec![(0x7FE0_0010, V::Encapsulated(vec![vec![], item]))],
            ),
        );
        // Any outcome but a panic; the first is surely an error naming JPEG.
        let result = decode(&f, 0);
        if n == 0 {
            assert!(result
                .unwrap_err()
                .message
                .contains("JPEG data of frame 0 is damaged"));
        }
    }

    for rle in [vec![0u8; 10], vec![1, 0, 0, 0, 200, 0, 0, 0], {
        let mut r = rle_frame(&[vec![1, 2, 3, 4, 5, 6, 7, 8, 9]]);
        r.truncate(69);
        r
    }] {
        let mut item = rle;
        if item.len() % 2 == 1 {
            item.push(0);
        }
        let f = file(
            RLE,
            with(
                image(3, 3, 1, (8, 8), false, "MONOCHROME2", 1),
                vec![(0x7FE0_0010, V::Encapsulated(vec![vec![], item]))],
            ),
        );
        let err = decode(&f, 0).unwrap_err();
        assert!(
            err.message.starts_with("RLE data of frame 0 is damaged"),
            "{err}"
        );
    }
}

#[test]
fn a_fragment_longer_than_the_file_is_cut_not_trusted() {
    let (jpeg, _) = jpeg_gray(16, 8, 0);
    let mut f = file(
        JPEG_BASELINE,
        with(
            image(8, 16, 1, (8, 8), false, "MONOCHROME2", 1),
            vec![(0x7FE0_0010, V::Encapsulated(vec![vec![], jpeg]))],
        ),
    );
    // Drop the sequence delimiter and half the fragment: its item length now overstates it.
    let keep = f.len() - 8 - 300;
    f.truncate(keep);
    if let Ok(parsed) = parse(&f) {
        if let Ok(Some(info)) = image_info(&parsed) {
            let _ = decode_frame(&parsed, &info, 0);
        }
    }
}

#[test]
fn overlay_planes_and_their_bits() {
    use crate::pixels::overlay::{overlay_bits, overlays};
    // A 3x3 overlay, 2 frames, origin (row 2, column 3); bits fill bytes from bit 0.
    let bits: Vec<u8> = vec![1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
    let mut packed = vec![0u8; 4];
    for (i, b) in bits.iter().enumerate() {
        packed[i / 8] |= b << (i % 8);
    }
    let f = file(
        EXPLICIT_LE,
        with(
            image(4, 4, 1, (8, 8), false, "MONOCHROME2", 1),
            vec![
                (0x6002_0010, V::Us(vec![3])),
                (0x6002_0011, V::Us(vec![3])),
                (0x6002_0015, V::Text("IS", "2".into())),
                (0x6002_0022, V::Text("LO", "marker".into())),
                (0x6002_0040, V::Text("CS", "G".into())),
                (
                    0x6002_0050,
                    V::Raw(
                        "SS",
                        [2u16, 3].iter().flat_map(|v| v.to_le_bytes()).collect(),
                    ),
                ),
                (0x6002_0100, V::Us(vec![1])),
                (0x6002_0102, V::Us(vec![0])),
                (0x6002_3000, V::Raw("OW", packed)),
                (0x7FE0_0010, V::Raw("OB", vec![0; 16])),
            ],
        ),
    );
    let parsed = parse(&f).unwrap();
    let list = overlays(&parsed);
    assert_eq!(list.len(), 1);
    let o = &list[0];
    assert_eq!((o.group, o.rows, o.columns, o.frames), (0x6002, 3, 3, 2));
    assert_eq!((o.origin_x, o.origin_y, o.first_frame), (2, 1, 0));
    assert_eq!(o.kind, "graphics");
    assert_eq!(o.description.as_deref(), Some("marker"));
    assert_eq!(overlay_bits(&parsed, o, 0).unwrap(), bits[..9].to_vec());
    assert_eq!(overlay_bits(&parsed, o, 1).unwrap(), bits[9..].to_vec());
    assert!(overlay_bits(&parsed, o, 2).is_none());
}

#[test]
fn overlay_in_the_high_bits_of_old_pixel_data() {
    use crate::pixels::overlay::{overlay_bits, overlays};
    // Bits Stored 12; bit 15 carries the overlay (retired usage).
    let values: Vec<u16> = vec![0x8001, 0x0002, 0x8003, 0x0004];
    let f = file(
        EXPLICIT_LE,
        with(
            image(2, 2, 1, (16, 12), false, "MONOCHROME2", 1),
            vec![
                (0x6000_0010, V::Us(vec![2])),
                (0x6000_0011, V::Us(vec![2])),
                (0x6000_0100, V::Us(vec![16])),
                (0x6000_0102, V::Us(vec![15])),
                (
                    0x7FE0_0010,
                    V::Raw("OW", values.iter().flat_map(|v| v.to_le_bytes()).collect()),
                ),
            ],
        ),
    );
    let parsed = parse(&f).unwrap();
    let list = overlays(&parsed);
    assert_eq!(
        overlay_bits(&parsed, &list[0], 0).unwrap(),
        vec![1, 0, 1, 0]
    );
    assert_eq!(
        gray(&f, 0),
        vec![1, 2, 3, 4],
        "the overlay bit is masked off"
    );
}

#[test]
fn twelve_bit_jpeg_garbage_is_an_error() {
    // Extended process 4 goes to the 12-bit decoder; junk and a cut stream must not panic.
    let (eight_bit, _) = jpeg_gray(16, 8, 0);
    for item in [
        vec![0xFF, 0xD8, 0xFF, 0xC1, 0x00],
        vec![
            0xFF, 0xD8, 0xFF, 0xC1, 0x00, 0x0B, 12, 0, 8, 0, 16, 1, 1, 0x11, 0, 0xFF, 0xDA,
        ],
        eight_bit[..eight_bit.len() - 40].to_vec(),
    ] {
        let mut item = item;
        if item.len() % 2 == 1 {
            item.push(0);
        }
        let f = file(
            "1.2.840.10008.1.2.4.51",
            with(
                image(8, 16, 1, (16, 12), false, "MONOCHROME2", 1),
                vec![(0x7FE0_0010, V::Encapsulated(vec![vec![], item]))],
            ),
        );
        let err = decode(&f, 0).unwrap_err();
        assert!(
            err.message.starts_with("JPEG data of frame 0 is damaged"),
            "{err}"
        );
    }
}

/// A hand-made 12-bit JPEG (SOF1) of two flat 8x8 blocks: DC only, quantisation 1. The DC
/// coefficient 8 * (3048 - 2048) = 8000 gives samples of 3048; the second block repeats it
/// through the DC predictor (difference 0).
fn flat_twelve_bit_jpeg() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x43, 0x00]);
    j.extend_from_slice(&[1u8; 64]);
    j.extend_from_slice(&[0xFF, 0xC1, 0x00, 0x0B, 12, 0, 8, 0, 16, 1, 1, 0x11, 0]);
    // DC table: codes 00 -> category 0, 01 -> category 13. AC table: 0 -> end of block.
    let mut dht = vec![0xFF, 0xC4, 0x00, 0x00, 0x00, 0, 2];
    dht.extend_from_slice(&[0; 14]);
    dht.extend_from_slice(&[0, 13, 0x10, 1]);
    dht.extend_from_slice(&[0; 15]);
    dht.push(0x00);
    let length = (dht.len() - 2) as u16;
    dht[2..4].copy_from_slice(&length.to_be_bytes());
    j.extend_from_slice(&dht);
    j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 1, 1, 0x00, 0, 63, 0]);
    let bits = format!("01{:013b}0000", 8000);
    let mut padded = bits.clone();
    while padded.len() % 8 != 0 {
        padded.push('1');
    }
    for chunk in padded.as_bytes().chunks(8) {
        let byte = u8::from_str_radix(std::str::from_utf8(chunk).unwrap(), 2).unwrap();
        j.push(byte);
        if byte == 0xFF {
            j.push(0);
        }
    }
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

#[test]
fn twelve_bit_jpeg_decodes() {
    let f = file(
        "1.2.840.10008.1.2.4.51",
        with(
            image(8, 16, 1, (16, 12), false, "MONOCHROME2", 1),
            vec![(
                0x7FE0_0010,
                V::Encapsulated(vec![vec![], flat_twelve_bit_jpeg()]),
            )],
        ),
    );
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    assert_eq!(info.encoding, "JPEG extended");
    assert!(info.cannot_decode.is_none());
    assert_eq!(gray(&f, 0), vec![3048; 128]);
}
