//! Overlay planes from Overlay Data and from the high bits of old Pixel Data.

use super::*;

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
