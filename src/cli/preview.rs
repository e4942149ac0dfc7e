//! `preview FILE [--frame N] -o OUT.png`: one frame as an 8-bit PNG, grayscale through the
//! file's VOI window (or the frame's min/max), colour as RGB.

use super::{Usage, EXIT_OK};
use dicom_leakcheck::parse::parse;
use dicom_leakcheck::pixels::decode::{decode_frame, image_info};
use std::path::Path;

pub fn run(path: &Path, frame: u32, out: &Path) -> Result<i32, Usage> {
    let bytes =
        std::fs::read(path).map_err(|e| Usage(format!("cannot read {}: {e}", path.display())))?;
    let parsed = parse(&bytes).map_err(|e| Usage(format!("{}: {e}", path.display())))?;
    let info = image_info(&parsed)
        .map_err(|e| Usage(format!("{}: {e}", path.display())))?
        .ok_or_else(|| Usage(format!("{}: the file has no Pixel Data", path.display())))?;
    let decoded = decode_frame(&parsed, &info, frame)
        .map_err(|e| Usage(format!("{}: {e}", path.display())))?;
    let (color, data) = match decoded.rgb8(&info, &parsed) {
        Some(rgb) => (png::ColorType::Rgb, rgb),
        None => (png::ColorType::Grayscale, decoded.luma8(&info, &parsed)),
    };
    let file = std::fs::File::create(out)
        .map_err(|e| Usage(format!("cannot create {}: {e}", out.display())))?;
    let mut encoder =
        png::Encoder::new(std::io::BufWriter::new(file), decoded.width, decoded.height);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    let written = encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&data));
    written.map_err(|e| Usage(format!("cannot write {}: {e}", out.display())))?;
    println!(
        "wrote frame {frame} of {} ({}x{}, {}) to {}",
        info.frames,
        decoded.width,
        decoded.height,
        info.encoding,
        out.display()
    );
    Ok(EXIT_OK)
}
