//! Reading the text in candidate boxes: the OCR engine (`dicom-leakcheck-ocr`, PaddleOCR
//! models run by rten) behind one type the caller loads once and lends to every request.
//!
//! The core does no I/O: the caller reads the model files (or has them embedded) and passes
//! their bytes to `TextReader::new`. Without a reader the pixel verdict says the text was not
//! read; it never guesses what a box says.

use super::decode::Plane;
use super::Rect;
use dicom_leakcheck_ocr::{GrayImage, Ocr, Polarity, RecognizeOptions};
use std::fmt;
use std::sync::OnceLock;

/// A box is read over a strip this many line heights wider on each side than the candidate:
/// the finder's boxes are tight around strokes it saw and may miss a first or last letter
/// (the recogniser also needs some blank at both ends). What was read gives the final box.
/// Measured on the benchmark's tune part: 0.3-0.8 read best; wider strips pick up other text
/// and cost time.
const WIDEN: f32 = 0.8;
/// And this share of its height above and below (ascenders, descenders, accents).
const MARGIN_Y: f32 = 0.3;
/// Characters read with less confidence than this are noise, not letters.
const MIN_CHAR_CONFIDENCE: f32 = 0.5;
/// A reading counts as text with at least this many letters or digits read confidently...
const MIN_CHARS: usize = 2;
/// ... and a mean confidence of at least this.
const MIN_CONFIDENCE: f32 = 0.75;

/// Gives the recognition model's bytes and its dictionary, or why it cannot.
type Load = dyn Fn() -> Result<(Vec<u8>, String), String> + Send + Sync;

/// The OCR engine, loaded once (about a second) and shared by every request.
pub struct TextReader {
    engine: OnceLock<Result<Ocr, ReaderError>>,
    /// For a reader loaded on first use (`TextReader::on_first_use`).
    load: Option<Box<Load>>,
}

impl fmt::Debug for TextReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TextReader").finish_non_exhaustive()
    }
}

/// The models could not be loaded: not PP-OCR models, or a dictionary that does not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderError {
    pub message: String,
}

impl fmt::Display for ReaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the text reader could not be loaded: {}", self.message)
    }
}

impl std::error::Error for ReaderError {}

/// What was read in one candidate box.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The text, as read (fullwidth punctuation folded to ASCII, other scripts left out).
    pub text: String,
    /// Mean confidence of the characters kept (0..1).
    pub confidence: f32,
    /// Where the characters were read: the candidate grown or shrunk to them.
    pub rect: Rect,
}

impl TextReader {
    /// Loads the recognition model (ONNX bytes, e.g. PP-OCRv5 `rec.onnx`) and its
    /// dictionary (one symbol a line). Candidate boxes come from the pixel text finder, so
    /// no detection model is needed.
    pub fn new(
        recognition_model: impl Into<Vec<u8>>,
        dictionary: &str,
    ) -> Result<TextReader, ReaderError> {
        let engine = OnceLock::new();
        let _ = engine.set(Ok(engine_of(recognition_model, dictionary)?));
        Ok(TextReader { engine, load: None })
    }

    /// A reader that loads its model the first time it has something to read: `load` gives
    /// the model's bytes and dictionary (the caller reads them; the core does no I/O). A run
    /// whose images show no candidate text never holds the model (about 20 MB) in memory.
    /// A failed load is an error of every reading that needed it (the verdict says the text
    /// was not read, and why).
    pub fn on_first_use(
        load: impl Fn() -> Result<(Vec<u8>, String), String> + Send + Sync + 'static,
    ) -> TextReader {
        TextReader {
            engine: OnceLock::new(),
            load: Some(Box::new(load)),
        }
    }

    /// The engine, loaded now if it was not yet.
    fn engine(&self) -> Result<&Ocr, ReaderError> {
        self.engine
            .get_or_init(|| match &self.load {
                Some(load) => {
                    let (model, dictionary) = load().map_err(|message| ReaderError { message })?;
                    engine_of(model, &dictionary)
                }
                None => Err(ReaderError {
                    message: "no model was given".into(),
                }),
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Reads each box of `plane`: `None` where nothing text-like was read (the candidate was
    /// not text), and for every box when the engine fails (the caller says so).
    pub(crate) fn read(
        &self,
        plane: &Plane,
        boxes: &[Rect],
    ) -> Result<Vec<Option<Reading>>, String> {
        let (w, h) = (plane.width as usize, plane.height as usize);
        let image = GrayImage::new(&plane.luma, w, h).map_err(|e| e.to_string())?;
        let strips: Vec<dicom_leakcheck_ocr::Rect> = boxes.iter().map(|b| strip(b, w, h)).collect();
        let mut options = RecognizeOptions::default();
        options.polarity = Polarity::Auto;
        options.latin_only = true;
        // The strip already has its margins (WIDEN, MARGIN_Y, tuned with none added here).
        options.margin = 0.0;
        let read = self
            .engine()
            .map_err(|e| e.to_string())?
            .recognize_lines(image, &strips, &options)
            .map_err(|e| e.to_string())?;
        Ok(read
            .into_iter()
            .zip(boxes)
            .map(|(r, b)| accept(r, b))
            .collect())
    }
}

/// The recognition-only engine of a model and its dictionary.
fn engine_of(model: impl Into<Vec<u8>>, dictionary: &str) -> Result<Ocr, ReaderError> {
    Ocr::recognizer_only(model, dictionary).map_err(|e| ReaderError {
        message: e.to_string(),
    })
}

/// The strip read for a candidate box, inside the frame.
fn strip(b: &Rect, w: usize, h: usize) -> dicom_leakcheck_ocr::Rect {
    let grow_x = (WIDEN * b.h as f32).round() as u32;
    let grow_y = (MARGIN_Y * b.h as f32).ceil() as u32;
    let x0 = b.x.saturating_sub(grow_x);
    let y0 = b.y.saturating_sub(grow_y);
    let x1 = (b.x + b.w + grow_x).min(w as u32);
    let y1 = (b.y + b.h + grow_y).min(h as u32);
    dicom_leakcheck_ocr::Rect::new(x0, y0, x1.saturating_sub(x0), y1.saturating_sub(y0))
}

/// Keeps the confidently read characters; `None` when too few of them are letters or digits.
fn accept(read: dicom_leakcheck_ocr::Recognized, b: &Rect) -> Option<Reading> {
    let kept: Vec<&dicom_leakcheck_ocr::RecognizedChar> = read
        .chars
        .iter()
        .filter(|c| c.confidence >= MIN_CHAR_CONFIDENCE)
        .collect();
    let alnum = kept
        .iter()
        .filter(|c| c.text.chars().any(char::is_alphanumeric))
        .count();
    if alnum < MIN_CHARS {
        return None;
    }
    let confidence = kept.iter().map(|c| c.confidence).sum::<f32>() / kept.len() as f32;
    if confidence < MIN_CONFIDENCE {
        return None;
    }
    let text: String = read
        .chars
        .iter()
        .filter(|c| c.confidence >= MIN_CHAR_CONFIDENCE || c.text == " ")
        .map(|c| c.text.as_str())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // The box: from the first to the last character read, on the candidate's rows.
    let x0 = kept
        .iter()
        .map(|c| c.x0)
        .fold(f32::MAX, f32::min)
        .floor()
        .max(0.0) as u32;
    let x1 = kept.iter().map(|c| c.x1).fold(0.0, f32::max).ceil() as u32;
    let rect = Rect {
        x: x0.min(b.x),
        y: b.y,
        w: x1.max(b.x + b.w) - x0.min(b.x),
        h: b.h,
    };
    Some(Reading {
        text,
        confidence,
        rect,
    })
}
