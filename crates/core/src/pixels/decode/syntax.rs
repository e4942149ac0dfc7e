//! What a transfer syntax means for Pixel Data (PS3.5 Annex A and Section 8).

use super::ImageInfo;
use crate::parse::ParsedFile;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PixelSyntax {
    /// Native (uncompressed) pixels: implicit/explicit little, explicit big, deflated.
    Native,
    Rle,
    Jpeg {
        process: JpegProcess,
    },
    J2k {
        lossless: bool,
        ht: bool,
    },
    JpegLs {
        lossless: bool,
    },
    /// Anything else we know by name but cannot decode (video, JPEG XL, JPIP, retired JPEG).
    Other {
        name: &'static str,
        lossy: bool,
    },
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JpegProcess {
    Baseline,
    Extended,
    Lossless,
}

impl PixelSyntax {
    pub fn from_uid(uid: &str) -> PixelSyntax {
        use PixelSyntax::*;
        match uid.trim_end_matches(['\0', ' ']) {
            "1.2.840.10008.1.2"
            | "1.2.840.10008.1.2.1"
            | "1.2.840.10008.1.2.1.99"
            | "1.2.840.10008.1.2.2" => Native,
            "1.2.840.10008.1.2.5" => Rle,
            "1.2.840.10008.1.2.4.50" => Jpeg {
                process: JpegProcess::Baseline,
            },
            "1.2.840.10008.1.2.4.51" => Jpeg {
                process: JpegProcess::Extended,
            },
            "1.2.840.10008.1.2.4.57" | "1.2.840.10008.1.2.4.70" => Jpeg {
                process: JpegProcess::Lossless,
            },
            "1.2.840.10008.1.2.4.80" => JpegLs { lossless: true },
            "1.2.840.10008.1.2.4.81" => JpegLs { lossless: false },
            "1.2.840.10008.1.2.4.90" => J2k {
                lossless: true,
                ht: false,
            },
            "1.2.840.10008.1.2.4.91" => J2k {
                lossless: false,
                ht: false,
            },
            "1.2.840.10008.1.2.4.201" | "1.2.840.10008.1.2.4.202" => J2k {
                lossless: true,
                ht: true,
            },
            "1.2.840.10008.1.2.4.203" => J2k {
                lossless: false,
                ht: true,
            },
            "1.2.840.10008.1.2.4.92" | "1.2.840.10008.1.2.4.93" => Other {
                name: "JPEG 2000 Part 2 multi-component",
                lossy: uid.ends_with(".93"),
            },
            "1.2.840.10008.1.2.4.94" | "1.2.840.10008.1.2.4.95" => Other {
                name: "JPIP (pixels stored elsewhere)",
                lossy: false,
            },
            "1.2.840.10008.1.2.4.110" | "1.2.840.10008.1.2.4.111" | "1.2.840.10008.1.2.4.112" => {
                Other {
                    name: "JPEG XL",
                    lossy: uid.ends_with(".112"),
                }
            }
            u if u.starts_with("1.2.840.10008.1.2.4.10") => Other {
                name: "MPEG/HEVC video",
                lossy: true,
            },
            u if u.starts_with("1.2.840.10008.1.2.4.5")
                || u.starts_with("1.2.840.10008.1.2.4.6") =>
            {
                Other {
                    name: "retired JPEG process",
                    lossy: true,
                }
            }
            "1.2.840.10008.1.2.8.1" => Other {
                name: "SMPTE ST 2110 video",
                lossy: false,
            },
            _ => Unknown,
        }
    }

    pub fn name(self) -> String {
        match self {
            PixelSyntax::Native => "uncompressed",
            PixelSyntax::Rle => "RLE",
            PixelSyntax::Jpeg { process } => match process {
                JpegProcess::Baseline => "JPEG baseline",
                JpegProcess::Extended => "JPEG extended",
                JpegProcess::Lossless => "JPEG lossless",
            },
            PixelSyntax::J2k { ht: true, .. } => "HTJ2K",
            PixelSyntax::J2k { .. } => "JPEG 2000",
            PixelSyntax::JpegLs { .. } => "JPEG-LS",
            PixelSyntax::Other { name, .. } => name,
            PixelSyntax::Unknown => "unknown",
        }
        .to_string()
    }

    pub fn lossy(self) -> bool {
        match self {
            PixelSyntax::Native | PixelSyntax::Rle | PixelSyntax::Unknown => false,
            PixelSyntax::Jpeg { process } => process != JpegProcess::Lossless,
            PixelSyntax::J2k { lossless, .. } | PixelSyntax::JpegLs { lossless } => !lossless,
            PixelSyntax::Other { lossy, .. } => lossy,
        }
    }

    /// The first bytes of every frame's codestream, for finding frames without offset tables.
    pub fn start_marker(self) -> Option<[u8; 2]> {
        match self {
            PixelSyntax::Jpeg { .. } | PixelSyntax::JpegLs { .. } => Some([0xFF, 0xD8]),
            PixelSyntax::J2k { .. } => Some([0xFF, 0x4F]),
            _ => None,
        }
    }

    /// Why frames of this image cannot be decoded here, in plain words.
    pub fn cannot_decode(self, info: &ImageInfo, parsed: &ParsedFile) -> Option<String> {
        let encapsulated = matches!(
            parsed.pixel_data().map(|e| &e.body),
            Some(crate::parse::Body::Encapsulated { .. })
        );
        match self {
            PixelSyntax::Native if encapsulated => return Some(
                "the Pixel Data is encapsulated but the transfer syntax says it is not compressed"
                    .into(),
            ),
            PixelSyntax::Native => {
                if info.bits_allocated == 12 {
                    return Some(
                        "Bits Allocated 12 (packed 12-bit pixels) is retired and not supported"
                            .into(),
                    );
                }
                if !matches!(info.bits_allocated, 1 | 8 | 16 | 32) {
                    return Some(format!(
                        "Bits Allocated {} is not supported (1, 8, 16 or 32 are)",
                        info.bits_allocated
                    ));
                }
            }
            _ if !encapsulated => {
                return Some(format!(
                    "the transfer syntax says {} but the Pixel Data is not encapsulated",
                    self.name()
                ))
            }
            PixelSyntax::J2k { ht: true, .. } => {
                return Some("HTJ2K (High-Throughput JPEG 2000) has no decoder here yet".into())
            }
            PixelSyntax::Other { name, .. } => {
                return Some(format!("{name} pixel data cannot be previewed"))
            }
            PixelSyntax::Unknown => {
                return Some(format!(
                    "unknown transfer syntax {}; its pixel data cannot be previewed",
                    parsed.transfer_syntax_uid.trim_end_matches(['\0', ' '])
                ))
            }
            _ => {}
        }
        let rle = self == PixelSyntax::Rle;
        if self != PixelSyntax::Native
            && !(matches!(info.bits_allocated, 8 | 16) || rle && info.bits_allocated == 32)
        {
            return Some(format!(
                "Bits Allocated {} is not supported for {} pixel data",
                info.bits_allocated,
                self.name()
            ));
        }
        None
    }
}
