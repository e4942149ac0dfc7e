//! `preview FILE [--frame N] -o OUT.png`: one frame as an 8-bit PNG, grayscale through the
//! file's VOI window (or the frame's min/max), colour as RGB.

use crate::{Exit, Usage};
use dicom_leakcheck::Image;
use std::path::Path;

/// Exit 0 when written, 1 when the file cannot be read or decoded, 2 for a frame number past
/// the end or an unwritable output (the CLI's exit code contract).
pub fn run(path: &Path, frame: u32, out: &Path) -> Result<Exit, Usage> {
    let failed = |message: String| {
        eprintln!("dicom-leakcheck: {}: {message}", path.display());
        Ok(Exit::SomeFailed)
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return failed(format!("cannot read it: {e}")),
    };
    let image = match Image::open(&bytes) {
        Ok(Some(image)) => image,
        Ok(None) => return failed("the file has no Pixel Data".into()),
        Err(e) => return failed(e.to_string()),
    };
    let info = image.info();
    if frame >= info.frames {
        return Err(Usage(format!(
            "{}: there is no frame {frame}; the image has {} (frames count from 0)",
            path.display(),
            info.frames
        )));
    }
    let decoded = match image.frame(frame) {
        Ok(decoded) => decoded,
        Err(e) => return failed(e.to_string()),
    };
    let (color, data) = match image.rgb8(&decoded) {
        Some(rgb) => (png::ColorType::Rgb, rgb),
        None => (png::ColorType::Grayscale, image.luma8(&decoded)),
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
    Ok(Exit::AllDone)
}
