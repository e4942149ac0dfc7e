//! Typed errors. Messages from rten are kept as text rather than as rten's own error types so
//! that the public API does not tie callers to one rten version.

use crate::Rect;

/// Which of the two networks an error concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelKind {
    /// The text detection network (DB).
    Detection,
    /// The text line recognition network (CTC).
    Recognition,
}

impl std::fmt::Display for ModelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ModelKind::Detection => "detection",
            ModelKind::Recognition => "recognition",
        })
    }
}

/// Everything that can go wrong. No function of this crate panics on any input; it returns one
/// of these instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OcrError {
    /// The image has a zero width or height.
    #[error("the image is empty ({width}x{height})")]
    EmptyImage { width: usize, height: usize },

    /// The pixel buffer is shorter than width, height and stride say, or the stride is smaller
    /// than the width.
    #[error(
        "the pixel buffer holds {len} bytes, {width}x{height} with stride {stride} needs {needed}"
    )]
    ImageBuffer {
        width: usize,
        height: usize,
        stride: usize,
        len: usize,
        needed: usize,
    },

    /// The requested rectangle does not overlap the image.
    #[error("rectangle {rect:?} lies outside the {width}x{height} image")]
    RectOutsideImage {
        rect: Rect,
        width: usize,
        height: usize,
    },

    /// An option is out of its range (the name says which).
    #[error("invalid option: {0}")]
    InvalidOption(&'static str),

    /// The model bytes are not a model rten can load.
    #[error("the {which} model could not be loaded: {message}")]
    ModelLoad { which: ModelKind, message: String },

    /// The model loaded but its inputs or outputs are not those of a PP-OCR model.
    #[error("the {which} model does not look like a PP-OCR model: {message}")]
    ModelShape { which: ModelKind, message: String },

    /// The dictionary is empty or does not match the recogniser's number of classes.
    #[error("the dictionary does not fit the recognition model: {message}")]
    Dictionary { message: String },

    /// The model failed while running.
    #[error("the {which} model failed: {message}")]
    Inference { which: ModelKind, message: String },

    /// Detection was asked of an engine built with [`crate::Ocr::recognizer_only`].
    #[error("this engine was built without a detection model")]
    NoDetector,
}
