//! Uncompressed frames: every bit depth, byte order and colour layout.

use super::*;

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
    assert_eq!(err.kind, PixelErrorKind::NoSuchFrame, "{err}");
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

#[test]
fn luma_without_a_window_spans_the_frame() {
    // Values 1000..1255 with no VOI window map onto 0..255 one to one (and through the
    // per-value table, as the frame has more pixels than distinct values).
    let values: Vec<i16> = (0..512).map(|i| 1000 + (i % 256) as i16).collect();
    let f = file(
        EXPLICIT_LE,
        with(
            image(16, 32, 1, (16, 16), true, "MONOCHROME2", 1),
            vec![(0x7FE0_0010, V::Raw("OW", le16(&values)))],
        ),
    );
    let parsed = parse(&f).unwrap();
    let info = image_info(&parsed).unwrap().unwrap();
    let luma = decode_frame(&parsed, &info, 0)
        .unwrap()
        .luma8(&info, &parsed);
    let want: Vec<u8> = (0..512).map(|i| (i % 256) as u8).collect();
    assert_eq!(luma, want);
}
