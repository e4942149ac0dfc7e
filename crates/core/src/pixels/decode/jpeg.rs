//! JPEG (PS3.5 A.4.1): baseline and extended 8-bit (processes 1, 2/4) and lossless (process
//! 14, selection value 1 or any) through the pure-Rust `jpeg-decoder`.

use super::{decoded_size, Frame, ImageInfo, PixelError, PixelErrorKind};
use jpeg_decoder::{ColorTransform, Decoder};

pub(crate) fn frame(bytes: &[u8], info: &ImageInfo, index: u32) -> Result<Frame, PixelError> {
    let damaged = |e: &dyn std::fmt::Display| {
        PixelError::new(
            PixelErrorKind::Damaged,
            format!("JPEG data of frame {index} is damaged: {e}"),
        )
    };
    let mut decoder = Decoder::new(bytes);
    decoder.read_info().map_err(|e| damaged(&e))?;
    let header = decoder
        .info()
        .ok_or_else(|| damaged(&"no frame header (SOF)"))?;
    let (width, height) = (u32::from(header.width), u32::from(header.height));
    let probe = ImageInfo {
        rows: height,
        columns: width,
        ..info.clone()
    };
    let limit = decoded_size(&probe, 2)?;
    decoder.set_max_decoding_buffer_size(limit.max(1 << 20));
    // The Photometric Interpretation says what the components are (PS3.5 8.2.1): YBR means
    // the decoder must convert to RGB; RGB means the components are R, G, B already, whatever
    // the JPEG markers suggest.
    let components = match header.pixel_format {
        jpeg_decoder::PixelFormat::L8 | jpeg_decoder::PixelFormat::L16 => 1u16,
        jpeg_decoder::PixelFormat::RGB24 => 3,
        jpeg_decoder::PixelFormat::CMYK32 => 4,
    };
    let lossless = header.coding_process == jpeg_decoder::CodingProcess::Lossless;
    // Lossless JPEG has no colour transform (PS3.5 8.2.1): the samples are as the header says.
    let photometric = if components == 3 && !lossless {
        if info.photometric == "RGB" {
            decoder.set_color_transform(ColorTransform::RGB);
        } else if info.photometric.starts_with("YBR") {
            decoder.set_color_transform(ColorTransform::YCbCr);
        }
        "RGB".to_string()
    } else {
        info.photometric.clone()
    };
    let data = super::guard(|| decoder.decode())
        .ok_or_else(|| damaged(&"the decoder failed"))?
        .map_err(|e| damaged(&e))?;
    let pixels = u64::from(width) * u64::from(height) * u64::from(components);
    let bytes_per_sample = if pixels > 0 && data.len() as u64 >= pixels * 2 {
        2
    } else {
        1
    };
    if data.len() as u64 != pixels * bytes_per_sample {
        return Err(damaged(&format!(
            "decoded {} bytes for {width}x{height} with {components} components",
            data.len()
        )));
    }
    // jpeg-decoder writes 16-bit samples in native byte order; the frame is little endian.
    let mut data = data;
    if bytes_per_sample == 2 && cfg!(target_endian = "big") {
        super::native::swap(&mut data, 2);
    }
    let (bits_allocated, data) = if bytes_per_sample == 1 && info.bits_allocated == 16 {
        // Lossless JPEG of precision <= 8 in a 16-bit image: widen so the frame matches the
        // image's Bits Allocated.
        (16, data.iter().flat_map(|b| [*b, 0]).collect())
    } else {
        (8 * bytes_per_sample as u16, data)
    };
    Ok(Frame {
        index,
        width,
        height,
        samples: components,
        bits_allocated,
        signed: info.signed,
        photometric,
        data,
    })
}
