//! Encapsulated frames: RLE, JPEG (8 and 12-bit), JPEG-LS, and damaged data.

use super::super::rle::pack;
use super::*;
use crate::parse::ParseErrorKind;

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
        HTJ2K,
        with(
            image(2, 2, 1, (8, 8), false, "MONOCHROME2", 1),
            vec![(0x7FE0_0010, V::Encapsulated(vec![vec![], vec![0xFF, 0x4F]]))],
        ),
    );
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    assert_eq!(info.encoding, "HTJ2K");
    assert!(info.cannot_decode.as_deref().unwrap().contains("HTJ2K"));
    let err = decode_frame(&parsed, &info, 0).unwrap_err();
    assert_eq!(err.kind, PixelErrorKind::Unsupported, "{err}");

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
    assert_eq!(err.kind, PixelErrorKind::Truncated, "{err}");

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
            assert_eq!(result.unwrap_err().kind, PixelErrorKind::Damaged);
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
        assert_eq!(err.kind, PixelErrorKind::Damaged, "{err}");
    }
}

#[test]
fn a_fragment_longer_than_the_file_is_cut_not_trusted() {
    let (jpeg, _) = jpeg_gray(16, 8, 0);
    let mut f = file(
        JPEG_BASELINE,
        with(
            image(8, 16, 1, (8, 8), false, "MONOCHROME2", 1),
            vec![(0x7FE0_0010, V::Encapsulated(vec![vec![], jpeg.clone()]))],
        ),
    );
    // Drop the sequence delimiter and half the fragment: its item length now overstates it.
    let keep = f.len() - 8 - 300;
    f.truncate(keep);
    // The fragment's declared length is checked against the bytes left, not trusted: the file
    // is refused at that fragment's item header, naming Pixel Data, before anything is decoded.
    let e = parse(&f).expect_err("a fragment past the end of the file");
    assert_eq!(e.kind, ParseErrorKind::LengthPastEnd, "{e}");
    assert_eq!(e.tag, Some(0x7FE0_0010), "{e}");
    let at = e.offset.expect("the error says where");
    let fragment_header = f.len() - (jpeg.len() - 300) - 8;
    assert_eq!(at, fragment_header, "{e}");
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
        assert_eq!(err.kind, PixelErrorKind::Damaged, "{err}");
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

#[test]
fn jpeg_ls_garbage_is_an_error() {
    let header = vec![
        0xFF, 0xD8, 0xFF, 0xF7, 0x00, 0x0B, 8, 0, 4, 0, 4, 1, 1, 0x11, 0, 0xFF, 0xDA, 0x00, 0x08,
        1, 1, 0, 0, 0, 0,
    ];
    for item in [
        vec![0xFF, 0xD8, 0xFF, 0xF7, 0x00],
        header.clone(),
        [header.clone(), vec![0x00; 3], vec![0xFF, 0xD9]].concat(),
        [header, vec![0xFF, 0x7F, 0xFF, 0x7F]].concat(),
    ] {
        let mut item = item;
        if item.len() % 2 == 1 {
            item.push(0);
        }
        let f = file(
            JPEG_LS,
            with(
                image(4, 4, 1, (8, 8), false, "MONOCHROME2", 1),
                vec![(0x7FE0_0010, V::Encapsulated(vec![vec![], item]))],
            ),
        );
        let parsed = parse(&f).unwrap();
        let info = image_info(&parsed).unwrap().unwrap();
        assert_eq!(info.encoding, "JPEG-LS");
        assert!(info.cannot_decode.is_none());
        // Damaged streams: an error, or (all-zero bits are valid runs) some frame; no panic.
        if let Err(e) = decode_frame(&parsed, &info, 0) {
            assert_eq!(e.kind, PixelErrorKind::Damaged, "{e}");
        }
    }
}
