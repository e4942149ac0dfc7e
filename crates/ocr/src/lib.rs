//! Reads text burned into 8-bit grayscale images with PaddleOCR PP-OCR models run by `rten`
//! (pure Rust), natively and in wasm32.
//!
//! Bytes in, typed results out: the crate reads no files, opens no sockets and creates no
//! threads of its own (natively rten runs operators on its own rayon pool; in wasm32 all work
//! is on the caller's thread). Every input, however odd, yields a result or an [`OcrError`];
//! work is bounded by caps on the sizes fed to the networks.
//!
//! Typical use: `Ocr::new(det, rec, dict)`, then [`Ocr::detect`] on a crop around a candidate
//! region found by a cheaper finder (with [`DetectOptions::region`] and
//! [`DetectOptions::scale`]), then [`Ocr::recognize_lines`] on the boxes it returns.

mod det;
mod error;
mod image;
mod rec;

pub use error::{ModelKind, OcrError};
pub use image::{GrayImage, Rect};

use rec::Dictionary;
use rten::{Dimension, Model};
use rten_tensor::prelude::*;
use rten_tensor::{NdTensor, Tensor};

/// Longest side fed to the detector, whatever the options ask: bounds time and memory
/// (a 2048x2048 input needs about 1.5 GB of activations in the PP-OCRv5 detector).
pub const MAX_DETECTION_SIDE: u32 = 2048;
/// Widest line image fed to the recogniser (about 60 characters at 48 px height); wider crops
/// are squeezed to this width, which costs accuracy, so callers should split very long lines.
pub const MAX_LINE_WIDTH: usize = 2048;
/// Largest upscaling factor accepted for detection.
pub const MAX_SCALE: f32 = 8.0;

/// Which way round the text is, relative to what PP-OCR was trained on (dark text on a light
/// background).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Polarity {
    /// Feed the pixels as they are.
    AsIs,
    /// Feed the negative (for light text on a dark background).
    Inverted,
    /// Decide from the region's histogram: the minority Otsu class is taken as the text.
    #[default]
    Auto,
    /// Run both and keep the better result (twice the work).
    Both,
}

/// Options of [`Ocr::detect_with`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DetectOptions {
    /// Only look inside this rectangle (clipped to the image). `None`: the whole image.
    pub region: Option<Rect>,
    /// Resize factor applied to the region before detection, in (0, 8]. Text under about
    /// 10 px high needs upscaling to be found (see NOTES.md).
    pub scale: f32,
    /// The detector input's longer side is capped to this (at most [`MAX_DETECTION_SIDE`]);
    /// a larger region is scaled down, whatever `scale` says.
    pub max_side: u32,
    /// Polarity of the detector input. `Auto` decides from the region's histogram, which only
    /// makes sense on crops around text; `Both` merges the boxes found on the image and on
    /// its negative.
    pub polarity: Polarity,
    /// DB binarisation threshold of the probability map.
    pub threshold: f32,
    /// Minimum mean probability of a kept box.
    pub box_threshold: f32,
    /// How far boxes are grown (DB unclip ratio).
    pub unclip_ratio: f32,
    /// At most this many boxes are returned.
    pub max_lines: usize,
    /// Join boxes on the same row whose gap is under this many line heights. The detector
    /// splits a line at wide spaces ("Patient" | "ID: AB-12345"); the product wants whole
    /// fields. 0 keeps the detector's boxes.
    pub merge_gap: f32,
}

impl DetectOptions {
    /// The detection scale for text whose line box (ascender to descender, about 1.6 times
    /// the capital height) is `line_height` pixels high. Measured on crops (NOTES.md):
    /// capitals of 7 px and more are found best at scale 1 (96-100%; upscaling them loses
    /// lines), 6 px at x2 (99% vs 76%), 5 px at x4 (92% vs 62%).
    pub fn scale_for_line_height(line_height: f32) -> f32 {
        if !(line_height.is_finite() && line_height > 0.0) {
            1.0
        } else if line_height < 9.0 {
            4.0
        } else if line_height < 11.0 {
            2.0
        } else {
            1.0
        }
    }
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            region: None,
            scale: 1.0,
            max_side: 1280,
            polarity: Polarity::AsIs,
            threshold: 0.3,
            box_threshold: 0.6,
            unclip_ratio: 1.5,
            max_lines: 500,
            merge_gap: 1.0,
        }
    }
}

/// Options of [`Ocr::recognize_with`] and [`Ocr::recognize_lines`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RecognizeOptions {
    /// Polarity of the line images fed to the recogniser.
    pub polarity: Polarity,
    /// Grow each rectangle by this fraction of its height on every side before reading it
    /// (tight boxes from a classical finder cut off ascenders and the CTC needs some blank
    /// at both ends). In [0, 2]. Measured on exact line boxes (PP-OCRv5): 0 -> CER 2.8% at
    /// 10 px, 0.2 -> 0.55%, 0.3 -> 0.62%, 0.5 -> 2.0%.
    pub margin: f32,
    /// Read Latin script only: CJK and other scripts' symbols of the multilingual
    /// dictionary are never emitted and fullwidth punctuation comes out as ASCII. DICOM
    /// overlays in Latin-script countries need nothing else, and the multilingual model
    /// otherwise reads "DOE, JANE" as "DOE， JANE".
    pub latin_only: bool,
    /// Regions whose 2nd-98th percentile spread is below this many grey levels are taken
    /// as blank and not fed to the recogniser (which reads "[" or "-" into flat noise).
    pub min_contrast: u8,
    /// How many lines go through the recogniser in one run. Measured: no gain natively on
    /// this machine (rten used one thread) and a loss in wasm (padding and larger
    /// activations), hence 1; larger batches may pay on many-core machines.
    pub batch_size: usize,
}

impl Default for RecognizeOptions {
    fn default() -> Self {
        RecognizeOptions {
            polarity: Polarity::Auto,
            margin: 0.2,
            latin_only: true,
            min_contrast: 16,
            batch_size: 1,
        }
    }
}

/// A text line found by the detector, in image pixel coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct TextLine {
    pub rect: Rect,
    /// Mean text probability inside the line (0..1).
    pub score: f32,
    /// True if the line was found on the negative image.
    pub inverted: bool,
}

/// One recognised character (or dictionary symbol) and where it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct RecognizedChar {
    pub text: String,
    pub confidence: f32,
    /// Left and right edges in image pixel coordinates (approximate: the recogniser's time
    /// steps are 8 input pixels wide, about a third of a character at 48 px height).
    pub x0: f32,
    pub x1: f32,
}

/// The text read in a line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Recognized {
    pub text: String,
    /// Mean of the characters' probabilities; 0 when nothing was read.
    pub confidence: f32,
    pub chars: Vec<RecognizedChar>,
    /// True if the negative of the line was read.
    pub inverted: bool,
}

/// A detected line together with what it reads.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadLine {
    pub line: TextLine,
    pub text: Recognized,
}

/// The OCR engine: a detector (optional), a recogniser and its dictionary.
pub struct Ocr {
    det: Option<Model>,
    rec: Model,
    dict: Dictionary,
    rec_height: usize,
    classes: usize,
}

impl std::fmt::Debug for Ocr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ocr")
            .field("detector", &self.det.is_some())
            .field("rec_height", &self.rec_height)
            .field("classes", &self.classes)
            .finish()
    }
}

// ImageNet statistics the PP-OCR detectors were trained with (per channel; our gray input is
// replicated into all three).
const DET_MEAN: [f32; 3] = [0.485, 0.456, 0.406];
const DET_STD: [f32; 3] = [0.229, 0.224, 0.225];

impl Ocr {
    /// Loads a detector and a recogniser from ONNX (or .rten) bytes; `dictionary` is the
    /// recogniser's character list, one symbol a line. Pass `Vec<u8>`s to hand the buffers
    /// over (rten keeps the weights in them, so in wasm a slice would cost a second copy of
    /// 20+ MB that linear memory never gives back); slices are copied.
    pub fn new(
        det_model: impl Into<Vec<u8>>,
        rec_model: impl Into<Vec<u8>>,
        dictionary: &str,
    ) -> Result<Ocr, OcrError> {
        let det = load(det_model, ModelKind::Detection)?;
        check_det(&det)?;
        let mut ocr = Ocr::recognizer_only(rec_model, dictionary)?;
        ocr.det = Some(det);
        Ok(ocr)
    }

    /// An engine that can only read lines whose boxes the caller already has.
    pub fn recognizer_only(
        rec_model: impl Into<Vec<u8>>,
        dictionary: &str,
    ) -> Result<Ocr, OcrError> {
        let rec = load(rec_model, ModelKind::Recognition)?;
        let (rec_height, classes) = check_rec(&rec)?;
        let dict = Dictionary::parse(dictionary)?.fit_to(classes)?;
        Ok(Ocr {
            det: None,
            rec,
            dict,
            rec_height,
            classes,
        })
    }

    /// Detection over the whole image with default options.
    pub fn detect(&self, image: GrayImage<'_>) -> Result<Vec<TextLine>, OcrError> {
        self.detect_with(image, &DetectOptions::default())
    }

    /// Finds text lines, optionally in a sub-rectangle and at a scale. Boxes are returned in
    /// the image's pixel coordinates, top to bottom then left to right.
    pub fn detect_with(
        &self,
        image: GrayImage<'_>,
        opts: &DetectOptions,
    ) -> Result<Vec<TextLine>, OcrError> {
        let det = self.det.as_ref().ok_or(OcrError::NoDetector)?;
        if !(opts.scale > 0.0 && opts.scale <= MAX_SCALE) {
            return Err(OcrError::InvalidOption("scale must be in (0, 8]"));
        }
        if opts.max_side < 32 {
            return Err(OcrError::InvalidOption("max_side must be at least 32"));
        }
        for (v, name) in [
            (opts.threshold, "threshold must be in [0, 1)"),
            (opts.box_threshold, "box_threshold must be in [0, 1)"),
        ] {
            if !(0.0..1.0).contains(&v) {
                return Err(OcrError::InvalidOption(name));
            }
        }
        if !(0.0..=10.0).contains(&opts.merge_gap) {
            return Err(OcrError::InvalidOption("merge_gap must be in [0, 10]"));
        }
        if !(0.0..=4.0).contains(&opts.unclip_ratio) {
            return Err(OcrError::InvalidOption("unclip_ratio must be in [0, 4]"));
        }
        let region = region_of(&image, opts.region)?;

        // Target size: region * scale, capped. The detector needs sides that are multiples of
        // 32: the resized region is padded up to them (with its median grey, i.e. its
        // background) rather than stretched, because stretching a 15 px high crop to 32 px
        // distorts small text enough to lose it (measured: 71% vs 99% of 7 px lines found).
        let max_side = opts.max_side.min(MAX_DETECTION_SIDE) as f32;
        let (rw, rh) = (region.width as f32, region.height as f32);
        let mut s = opts.scale;
        if rw.max(rh) * s > max_side {
            s = max_side / rw.max(rh);
        }
        let tw = ((rw * s).round() as usize).clamp(1, max_side as usize);
        let th = ((rh * s).round() as usize).clamp(1, max_side as usize);
        let (dw, dh) = (tw.div_ceil(32) * 32, th.div_ceil(32) * 32);
        let small = image.resample(region.x as f32, region.y as f32, rw, rh, tw, th);
        let gray = pad_to(&small, tw, th, dw, dh);
        let variants: Vec<bool> = match opts.polarity {
            Polarity::AsIs => vec![false],
            Polarity::Inverted => vec![true],
            Polarity::Auto => vec![image.light_text(region).unwrap_or(false)],
            Polarity::Both => vec![false, true],
        };
        let plane = dw * dh;
        let mut input = Vec::with_capacity(variants.len() * 3 * plane);
        for &inv in &variants {
            for c in 0..3 {
                input.extend(gray.iter().map(|&v| {
                    let v = if inv { 255.0 - v } else { v };
                    (v / 255.0 - DET_MEAN[c]) / DET_STD[c]
                }));
            }
        }
        let input = NdTensor::try_from_data([variants.len(), 3, dh, dw], input)
            .map_err(|e| infer_err(ModelKind::Detection, e))?;
        let out = det
            .run_one(input.view().into(), None)
            .map_err(|e| infer_err(ModelKind::Detection, e))?;
        let out: Tensor<f32> = out
            .try_into()
            .map_err(|e| infer_err(ModelKind::Detection, e))?;
        let shape = out.shape().to_vec();
        if shape.len() != 4 || shape[0] != variants.len() || shape[2] != dh || shape[3] != dw {
            return Err(OcrError::ModelShape {
                which: ModelKind::Detection,
                message: format!("output shape {shape:?} for input {dh}x{dw}"),
            });
        }
        let probs = out.to_vec();
        let params = det::DbParams {
            threshold: opts.threshold,
            box_threshold: opts.box_threshold,
            unclip_ratio: opts.unclip_ratio,
            min_size: 3.0,
            max_boxes: opts.max_lines,
        };
        // Boxes of all variants in map coordinates; a box of the negative that mostly
        // overlaps one already found is the same text seen twice.
        let mut found: Vec<(det::MapBox, bool)> = Vec::new();
        for (k, &inv) in variants.iter().enumerate() {
            let map = probs.get(k * plane..(k + 1) * plane).unwrap_or(&[]);
            for b in det::boxes_from_map(map, dw, dh, &params) {
                match found
                    .iter_mut()
                    .find(|(f, _)| det::overlap_of_smaller(f, &b) > 0.5)
                {
                    Some(f) if b.score > f.0.score && area(&b) >= area(&f.0) => *f = (b, inv),
                    Some(_) => {}
                    None => found.push((b, inv)),
                }
            }
        }
        let (sx, sy) = (tw as f32 / rw, th as f32 / rh);
        let mut lines: Vec<TextLine> = found
            .into_iter()
            .filter_map(|(b, inverted)| {
                let x0 = region.x as f32 + b.x0 / sx;
                let y0 = region.y as f32 + b.y0 / sy;
                let x1 = region.x as f32 + b.x1 / sx;
                let y1 = region.y as f32 + b.y1 / sy;
                let rect = Rect::new(
                    x0.floor() as u32,
                    y0.floor() as u32,
                    (x1.ceil() - x0.floor()) as u32,
                    (y1.ceil() - y0.floor()) as u32,
                )
                .clip(image.width(), image.height())?;
                Some(TextLine {
                    rect,
                    score: b.score,
                    inverted,
                })
            })
            .take(opts.max_lines)
            .collect();
        lines.sort_by_key(|l| (l.rect.x, l.rect.y));
        if opts.merge_gap > 0.0 {
            lines = merge_rows(lines, opts.merge_gap);
        }
        lines.sort_by_key(|l| (l.rect.y, l.rect.x));
        Ok(lines)
    }

    /// Reads one line with default options.
    pub fn recognize(&self, image: GrayImage<'_>, rect: Rect) -> Result<Recognized, OcrError> {
        self.recognize_with(image, rect, &RecognizeOptions::default())
    }

    /// Reads one line.
    pub fn recognize_with(
        &self,
        image: GrayImage<'_>,
        rect: Rect,
        opts: &RecognizeOptions,
    ) -> Result<Recognized, OcrError> {
        let mut v = self.recognize_lines(image, &[rect], opts)?;
        Ok(v.pop().unwrap_or_default())
    }

    /// Reads several lines, batching them through the recogniser. The result has one entry
    /// per rectangle, in order; a rectangle outside the image is an error for the whole call.
    pub fn recognize_lines(
        &self,
        image: GrayImage<'_>,
        rects: &[Rect],
        opts: &RecognizeOptions,
    ) -> Result<Vec<Recognized>, OcrError> {
        if !(0.0..=2.0).contains(&opts.margin) {
            return Err(OcrError::InvalidOption("margin must be in [0, 2]"));
        }
        let batch = opts.batch_size.clamp(1, 64);
        // Every (line, polarity) job, with its crop geometry.
        struct Job {
            line: usize,
            inverted: bool,
            x0: f32,
            w: f32,
            out_w: usize,
            pixels: Vec<f32>,
        }
        let h = self.rec_height;
        let mut jobs: Vec<Job> = Vec::new();
        for (i, &r) in rects.iter().enumerate() {
            let clipped =
                r.clip(image.width(), image.height())
                    .ok_or(OcrError::RectOutsideImage {
                        rect: r,
                        width: image.width(),
                        height: image.height(),
                    })?;
            let stats = image.stats(clipped);
            if stats.spread < opts.min_contrast {
                continue;
            }
            let m = opts.margin * clipped.height as f32;
            let x0 = (clipped.x as f32 - m).max(0.0);
            let y0 = (clipped.y as f32 - m).max(0.0);
            let x1 = (clipped.right() as f32 + m).min(image.width() as f32);
            let y1 = (clipped.bottom() as f32 + m).min(image.height() as f32);
            let (w, hh) = (x1 - x0, y1 - y0);
            let out_w = ((w * h as f32 / hh).round() as usize).clamp(8, MAX_LINE_WIDTH);
            let pixels = image.resample(x0, y0, w, hh, out_w, h);
            let variants: &[bool] = match opts.polarity {
                Polarity::AsIs => &[false],
                Polarity::Inverted => &[true],
                Polarity::Both => &[false, true],
                Polarity::Auto => {
                    if stats.light_text.unwrap_or(false) {
                        &[true]
                    } else {
                        &[false]
                    }
                }
            };
            for &inverted in variants {
                jobs.push(Job {
                    line: i,
                    inverted,
                    x0,
                    w,
                    out_w,
                    pixels: pixels.clone(),
                });
            }
        }
        // Similar widths batch together so little of each run is padding.
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        order.sort_by_key(|&j| jobs[j].out_w);
        let mut results: Vec<Option<Recognized>> = vec![None; rects.len()];
        for chunk in order.chunks(batch) {
            let max_w = chunk.iter().map(|&j| jobs[j].out_w).max().unwrap_or(8);
            // The recogniser downsamples width by 8: a multiple of 8 wastes nothing.
            let tw = max_w.div_ceil(8) * 8;
            let mut input = vec![0f32; chunk.len() * 3 * h * tw];
            for (b, &j) in chunk.iter().enumerate() {
                let job = &jobs[j];
                for c in 0..3 {
                    let base = (b * 3 + c) * h * tw;
                    for y in 0..h {
                        for x in 0..job.out_w {
                            let v = job.pixels.get(y * job.out_w + x).copied().unwrap_or(0.0);
                            let v = if job.inverted { 255.0 - v } else { v };
                            // PP-OCR rec normalisation to [-1, 1]; padding stays 0 as in
                            // PaddleOCR's resize_norm_img.
                            if let Some(slot) = input.get_mut(base + y * tw + x) {
                                *slot = v / 127.5 - 1.0;
                            }
                        }
                    }
                }
            }
            let input = NdTensor::try_from_data([chunk.len(), 3, h, tw], input)
                .map_err(|e| infer_err(ModelKind::Recognition, e))?;
            let out = self
                .rec
                .run_one(input.view().into(), None)
                .map_err(|e| infer_err(ModelKind::Recognition, e))?;
            let out: Tensor<f32> = out
                .try_into()
                .map_err(|e| infer_err(ModelKind::Recognition, e))?;
            let shape = out.shape().to_vec();
            if shape.len() != 3 || shape[0] != chunk.len() || shape[2] != self.classes {
                return Err(OcrError::ModelShape {
                    which: ModelKind::Recognition,
                    message: format!("output shape {shape:?}"),
                });
            }
            let steps = shape[1];
            let probs = out.to_vec();
            for (b, &j) in chunk.iter().enumerate() {
                let job = &jobs[j];
                let per = steps * self.classes;
                let slice = probs.get(b * per..(b + 1) * per).unwrap_or(&[]);
                let syms = rec::ctc_greedy(slice, steps, self.classes, &self.dict, opts.latin_only);
                // Time step t covers input columns [t, t+1) * tw / steps.
                let px_per_step = tw as f32 / steps.max(1) as f32 * job.w / job.out_w as f32;
                let chars: Vec<RecognizedChar> = syms
                    .into_iter()
                    .map(|s| RecognizedChar {
                        x0: job.x0 + s.first_step as f32 * px_per_step,
                        x1: (job.x0 + (s.last_step + 1) as f32 * px_per_step).min(job.x0 + job.w),
                        confidence: s.prob,
                        text: s.text,
                    })
                    .collect();
                let text: String = chars.iter().map(|c| c.text.as_str()).collect();
                let confidence = if chars.is_empty() {
                    0.0
                } else {
                    chars.iter().map(|c| c.confidence).sum::<f32>() / chars.len() as f32
                };
                let cand = Recognized {
                    text: text.trim().to_string(),
                    confidence,
                    chars,
                    inverted: job.inverted,
                };
                let slot = &mut results[job.line];
                // With both polarities the better-scored reading wins; an empty reading
                // never beats a non-empty one.
                let better = match slot {
                    None => true,
                    Some(prev) => score(&cand) > score(prev),
                };
                if better {
                    *slot = Some(cand);
                }
            }
        }
        Ok(results.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// Detection then recognition of every line found.
    pub fn read(
        &self,
        image: GrayImage<'_>,
        det_opts: &DetectOptions,
        rec_opts: &RecognizeOptions,
    ) -> Result<Vec<ReadLine>, OcrError> {
        let lines = self.detect_with(image, det_opts)?;
        let rects: Vec<Rect> = lines.iter().map(|l| l.rect).collect();
        let texts = self.recognize_lines(image, &rects, rec_opts)?;
        Ok(lines
            .into_iter()
            .zip(texts)
            .map(|(line, text)| ReadLine { line, text })
            .collect())
    }
}

/// Places a `w` x `h` image at the top-left of a `dw` x `dh` one filled with its median.
fn pad_to(src: &[f32], w: usize, h: usize, dw: usize, dh: usize) -> Vec<f32> {
    let mut hist = [0usize; 256];
    for &v in src {
        hist[v.clamp(0.0, 255.0) as usize] += 1;
    }
    let mut acc = 0;
    let median = hist
        .iter()
        .position(|&c| {
            acc += c;
            acc * 2 >= src.len()
        })
        .unwrap_or(0) as f32;
    let mut out = vec![median; dw * dh];
    for y in 0..h.min(dh) {
        if let (Some(dst), Some(row)) = (
            out.get_mut(y * dw..y * dw + w.min(dw)),
            src.get(y * w..y * w + w.min(dw)),
        ) {
            dst.copy_from_slice(row);
        }
    }
    out
}

/// Joins boxes that sit on the same row (vertical overlap over half the smaller height)
/// with a horizontal gap under `gap` times the taller height. Input sorted by x, so one pass
/// that extends the last compatible box merges whole rows; quadratic in the number of boxes,
/// which `max_lines` bounds.
fn merge_rows(lines: Vec<TextLine>, gap: f32) -> Vec<TextLine> {
    let mut out: Vec<TextLine> = Vec::with_capacity(lines.len());
    for l in lines {
        let r = l.rect;
        let target = out.iter_mut().find(|o| {
            let a = o.rect;
            let overlap = a.bottom().min(r.bottom()) as f32 - a.y.max(r.y) as f32;
            let min_h = a.height.min(r.height) as f32;
            let max_h = a.height.max(r.height) as f32;
            let dx = r.x as f32 - a.right() as f32;
            overlap > 0.5 * min_h && dx < gap * max_h && o.inverted == l.inverted
        });
        match target {
            Some(o) => {
                let a = o.rect;
                let x0 = a.x.min(r.x);
                let y0 = a.y.min(r.y);
                let x1 = a.right().max(r.right());
                let y1 = a.bottom().max(r.bottom());
                o.rect = Rect::new(
                    x0,
                    y0,
                    u32::try_from(x1 - u64::from(x0)).unwrap_or(u32::MAX),
                    u32::try_from(y1 - u64::from(y0)).unwrap_or(u32::MAX),
                );
                o.score = o.score.min(l.score);
            }
            None => out.push(l),
        }
    }
    out
}

fn score(r: &Recognized) -> f32 {
    if r.chars.is_empty() {
        -1.0
    } else {
        r.confidence
    }
}

fn area(b: &det::MapBox) -> f32 {
    (b.x1 - b.x0) * (b.y1 - b.y0)
}

fn region_of(image: &GrayImage<'_>, region: Option<Rect>) -> Result<Rect, OcrError> {
    let r = region.unwrap_or_else(|| image.bounds());
    r.clip(image.width(), image.height())
        .ok_or(OcrError::RectOutsideImage {
            rect: r,
            width: image.width(),
            height: image.height(),
        })
}

fn load(bytes: impl Into<Vec<u8>>, which: ModelKind) -> Result<Model, OcrError> {
    Model::load(bytes.into()).map_err(|e| OcrError::ModelLoad {
        which,
        message: e.to_string(),
    })
}

fn infer_err(which: ModelKind, e: impl std::fmt::Display) -> OcrError {
    OcrError::Inference {
        which,
        message: e.to_string(),
    }
}

fn shape_err(which: ModelKind, message: impl Into<String>) -> OcrError {
    OcrError::ModelShape {
        which,
        message: message.into(),
    }
}

/// The first input's declared shape, as (fixed size or None) per dimension.
fn io_shape(model: &Model, input: bool) -> Option<Vec<Option<usize>>> {
    let id = *if input {
        model.input_ids()
    } else {
        model.output_ids()
    }
    .first()?;
    let dims = model.node_info(id)?.shape()?;
    Some(
        dims.iter()
            .map(|d| match d {
                Dimension::Fixed(n) => Some(*n),
                _ => None,
            })
            .collect(),
    )
}

fn check_det(det: &Model) -> Result<(), OcrError> {
    let k = ModelKind::Detection;
    match io_shape(det, true) {
        Some(s) if s.len() == 4 && matches!(s[1], Some(3) | None) => Ok(()),
        other => Err(shape_err(
            k,
            format!("input shape {other:?}, expected [N, 3, H, W]"),
        )),
    }
}

/// Returns the recogniser's input height (48 for PP-OCRv4/v5 when not fixed in the model)
/// and its number of output classes.
fn check_rec(rec: &Model) -> Result<(usize, usize), OcrError> {
    let k = ModelKind::Recognition;
    let input = io_shape(rec, true)
        .filter(|s| s.len() == 4 && matches!(s[1], Some(3) | None))
        .ok_or_else(|| shape_err(k, "input is not [N, 3, H, W]"))?;
    let height = match input[2] {
        Some(h) if (16..=128).contains(&h) => h,
        Some(h) => return Err(shape_err(k, format!("input height {h}"))),
        None => 48,
    };
    let classes = io_shape(rec, false)
        .and_then(|s| if s.len() == 3 { s[2] } else { None })
        .ok_or_else(|| shape_err(k, "output is not [N, T, classes] with fixed classes"))?;
    Ok((height, classes))
}
