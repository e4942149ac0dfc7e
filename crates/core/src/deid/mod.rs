//! De-identification per PS3.15 Annex E: the Basic Application Level Confidentiality Profile
//! and the options chosen, with PS3.15 E.1.1's attributes added and a fresh meta group.

mod dates;
pub(crate) mod emit;
pub mod output;
mod pixels;
pub mod uid;

use crate::decide::Decider;
use crate::dicomdir::RecordKeys;
use crate::error::{Error, OutputError};
use crate::inspect::{
    flagged_findings, inspect_decided, Finding, Inspection, PixelCheck, PixelVerdict, Reading,
    Report,
};
use crate::key::Key;
use crate::meta::file_meta_bytes;
use crate::options::{Options, ProfileOption};
use crate::parse::{self, ParseError, ParseOutcome, ParsedFile, SparseFile, Syntax};
use crate::pixels::burned_in::{self, BurnedIn};
use crate::pixels::frames::DecodedFrames;
use crate::pixels::read::TextReader;
use crate::pixels::risk::RiskLevel;
use crate::pixels::{Region, RegionSource};
use crate::rules::cid7050::{CID_7050, CID_7050_SCHEME};
use crate::tags;
use dicom_core::VR;
pub use emit::Changes;
use emit::{encode_sequence, encode_text_element, Emitter, Insertion};
use output::{Pieces, Segment};
use std::collections::HashSet;
use std::io::Write;

/// The de-identified output of one file and what was done: the output as pieces (new bytes,
/// and ranges of the input file copied as they are; Pixel Data is a copied range unless its
/// pixels were cleaned), so a caller with a huge file copies from the original file.
#[derive(Debug, Clone)]
pub struct Deidentified {
    pub pieces: Pieces,
    /// The output's length in bytes (the sum of the pieces).
    pub output_length: u64,
    /// What was done, counted.
    pub changes: Changes,
    /// Findings still flagged when the output is inspected again, other than values we wrote
    /// ourselves. Empty unless something slipped through.
    pub residual: Vec<Finding>,
    pub warnings: Vec<String>,
    pub sop_instance_uid: Option<String>,
    /// The regions blacked out under Clean Pixel Data (empty when the pixels were not cleaned).
    pub regions_cleaned: Vec<Region>,
    /// When the pixels were cleaned: the written output's pixels searched again (and read,
    /// with a reader), matched with the input's patient. Burned In Annotation (0028,0301) says
    /// NO only when this found no text (PS3.15 E.3.1); its regions are what is left, and where.
    pub pixels_after: Option<BurnedIn>,
    /// What the output's directory records would say (read from the output's header), for a
    /// DICOMDIR written anew over the de-identified files (`crate::dicomdir`).
    pub record_keys: RecordKeys,
}

impl Deidentified {
    /// The whole output, given the input it was made from (the whole file).
    pub fn to_bytes(&self, input: &[u8]) -> Result<Vec<u8>, Error> {
        let mut bytes = Vec::with_capacity(usize::try_from(self.output_length).unwrap_or(0));
        self.pieces
            .write_to(input, &mut bytes)
            .map_err(Error::Output)?;
        Ok(bytes)
    }
}

/// One run over one or many files with the same key and options (the facade's `Request`
/// makes one per file; it holds nothing else).
pub(crate) struct Deidentifier {
    key: Key,
    options: Options,
}

impl Deidentifier {
    pub fn new(key: Key, options: Options) -> Deidentifier {
        Deidentifier { key, options }
    }

    /// The UID that replaces `uid` in this run.
    pub fn replacement_uid(&self, uid: &str) -> String {
        uid::replacement_uid(&self.key, uid)
    }

    /// De-identifies a parsed file; returns the report of the input too. `clean`: Clean Pixel
    /// Data is carried out (`Some`), with the regions to black out as the user left them
    /// (`Some(Some(regions))`) or those the text finder and the vendor layouts find
    /// (`Some(None)`, read by `reader` when given).
    pub(crate) fn deidentify_parsed(
        &self,
        parsed: &ParsedFile<'_>,
        clean: Option<Option<&[Region]>>,
        reader: Option<&TextReader>,
    ) -> Result<(Report, Deidentified), Error> {
        let decider = Decider::new(parsed, self.options);
        let pixel_check = match clean {
            Some(None) => PixelCheck::Search,
            _ => PixelCheck::Header,
        };
        // Frames the search decodes are kept for cleaning, so none is decoded twice; only
        // compressed frames are decoded to be cleaned (uncompressed ones are edited in place).
        let mut decoded = DecodedFrames::default();
        let encapsulated = parsed
            .pixel_data()
            .is_some_and(|p| matches!(p.body, parse::Body::Encapsulated { .. }));
        let Inspection {
            report: before,
            decisions,
            pixels: verdict,
        } = inspect_decided(
            &decider,
            pixel_check,
            Reading {
                reader,
                keep: encapsulated.then_some(&mut decoded),
            },
        );

        let date_offset = self
            .options
            .has(ProfileOption::RetainLongModifiedDates)
            .then(|| {
                let text = |tag| {
                    parsed
                        .dataset
                        .iter()
                        .find(|e| e.tag == tag)
                        .map(|e| decider.text(e))
                        .unwrap_or_default()
                };
                dates::patient_offset_days(
                    &self.key,
                    &text(tags::PATIENT_ID),
                    &text(tags::ISSUER_OF_PATIENT_ID),
                    &text(tags::PATIENT_NAME),
                )
            });
        let mut emitter = Emitter {
            decider: &decider,
            decisions: decisions.cursor(),
            key: &self.key,
            date_offset,
            produced: HashSet::new(),
            changes: Changes::default(),
            warnings: parsed.warnings.clone(),
        };
        let cleaned = if let Some(regions) = clean {
            let regions = match regions {
                Some(chosen) => chosen.to_vec(),
                None => automatic_regions(
                    verdict,
                    self.options.has(ProfileOption::CleanAllPixelText),
                    &mut emitter.warnings,
                ),
            };
            match pixels::clean(parsed, &regions, &mut decoded) {
                Ok(cleaned) => Some((cleaned, regions)),
                Err(why) => {
                    emitter.warnings.push(format!(
                        "The pixels were not cleaned ({why}); the file does not claim they were."
                    ));
                    None
                }
            }
        } else {
            None
        };
        let mut insertions = self.deid_attributes(parsed.syntax, cleaned.is_some());
        let mut transfer_syntax_uid = parsed.transfer_syntax_uid.clone();
        let mut regions_cleaned = Vec::new();
        if let Some((cleaned, regions)) = cleaned {
            regions_cleaned = regions;
            emitter.changes.frames_cleaned = cleaned.frames_cleaned;
            insertions.extend(cleaned.insertions);
            insertions.sort_by_key(|i| i.tag);
            if let Some(uid) = cleaned.transfer_syntax_uid {
                transfer_syntax_uid = uid;
            }
        }
        let dataset = emitter
            .elements(&parsed.dataset, parsed.syntax, &mut insertions)
            .unwrap_or_default();

        let sop_instance_uid = self.new_sop_instance_uid(parsed, &decider);
        if let Some(uid) = &sop_instance_uid {
            emitter.produced.insert(uid.clone());
        }
        let sop_class_uid = sop_class_uid(parsed, &decider);
        let mut pieces = Pieces::default();
        pieces.bytes().extend(file_meta_bytes(
            &sop_class_uid,
            sop_instance_uid.as_deref().unwrap_or_default(),
            &transfer_syntax_uid,
        ));
        append_dataset(parsed, dataset, &mut pieces)?;

        let (residual, record_keys) =
            residual_findings(parsed, &pieces, self.options, &emitter.produced)?;
        let pixels_after = if regions_cleaned.is_empty() {
            None
        } else {
            let after = recheck_output_pixels(parsed, &mut pieces, &decider, reader)?;
            if let Some(left) = text_left(&after) {
                emitter.warnings.push(left);
            }
            Some(after)
        };
        Ok((
            before,
            Deidentified {
                output_length: pieces.len(),
                pieces,
                changes: emitter.changes,
                residual,
                warnings: emitter.warnings,
                sop_instance_uid,
                regions_cleaned,
                pixels_after,
                record_keys,
            },
        ))
    }

    /// PS3.15 E.1.1 and E.3: Patient Identity Removed, the method in words and as CID 7050
    /// codes, and Longitudinal Temporal Information Modified; in tag order.
    fn deid_attributes(&self, syntax: Syntax, pixels_cleaned: bool) -> Vec<Insertion> {
        // Only options actually carried out are declared: Clean Pixel Data only when pixels
        // were cleaned (PS3.15 E.3.1).
        let chosen: Vec<_> = self
            .options
            .chosen()
            .filter(|o| {
                let pixel_option = matches!(
                    o.option,
                    ProfileOption::CleanPixelData | ProfileOption::CleanAllPixelText
                );
                !pixel_option || pixels_cleaned
            })
            .collect();
        let mut method = vec![
            format!("DICOM-LEAKCHECK {}", env!("CARGO_PKG_VERSION")),
            "PS3.15 BASIC PROFILE".to_string(),
        ];
        method.extend(chosen.iter().map(|o| o.name.to_uppercase()));
        let codes = std::iter::once("113100").chain(chosen.iter().map(|o| o.code));
        let items: Vec<Vec<u8>> = codes
            .filter_map(|code| CID_7050.iter().find(|c| c.value == code))
            .map(|code| {
                let mut item = encode_text_element(syntax, tags::CODE_VALUE, VR::SH, code.value);
                item.extend(encode_text_element(
                    syntax,
                    tags::CODING_SCHEME_DESIGNATOR,
                    VR::SH,
                    CID_7050_SCHEME,
                ));
                item.extend(encode_text_element(
                    syntax,
                    tags::CODE_MEANING,
                    VR::LO,
                    code.meaning,
                ));
                item
            })
            .collect();
        let temporal = if self.options.has(ProfileOption::RetainLongModifiedDates) {
            "MODIFIED"
        } else if self.options.has(ProfileOption::RetainLongFullDates) {
            "UNMODIFIED"
        } else {
            "REMOVED"
        };
        vec![
            Insertion::bytes(
                tags::PATIENT_IDENTITY_REMOVED,
                encode_text_element(syntax, tags::PATIENT_IDENTITY_REMOVED, VR::CS, "YES"),
            ),
            Insertion::bytes(
                tags::DEIDENTIFICATION_METHOD,
                encode_text_element(
                    syntax,
                    tags::DEIDENTIFICATION_METHOD,
                    VR::LO,
                    &method.join("\\"),
                ),
            ),
            Insertion::bytes(
                tags::DEIDENTIFICATION_METHOD_CODE_SEQUENCE,
                encode_sequence(syntax, tags::DEIDENTIFICATION_METHOD_CODE_SEQUENCE, &items),
            ),
            Insertion::bytes(
                tags::LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED,
                encode_text_element(
                    syntax,
                    tags::LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED,
                    VR::CS,
                    temporal,
                ),
            ),
        ]
    }

    /// Media Storage SOP Instance UID follows SOP Instance UID (PS3.10 7.1).
    fn new_sop_instance_uid(
        &self,
        parsed: &ParsedFile<'_>,
        decider: &Decider<'_>,
    ) -> Option<String> {
        let from_dataset = parsed
            .dataset
            .iter()
            .find(|e| e.tag == tags::SOP_INSTANCE_UID)
            .map(|e| decider.text(e));
        let from_meta = || meta_text(parsed, tags::MEDIA_STORAGE_SOP_INSTANCE_UID);
        let original = from_dataset.or_else(from_meta)?;
        let original = original.trim();
        if original.is_empty() {
            return None;
        }
        Some(
            if self.options.has(ProfileOption::RetainUids) || uid::is_dicom_defined(original) {
                original.to_string()
            } else {
                self.replacement_uid(original)
            },
        )
    }
}

/// The regions Clean Pixel Data blacks out when nobody chose them (PS3.15 E.3.1): vendor
/// layouts always; on any image, text the reader found identifying (it names the patient, an
/// ID, a date..., or looks like it: a label such as Name: or DOB:, a date, a long number),
/// with the whole block of lines it belongs to, and any block of `ANNOTATION_BLOCK_LINES` or
/// more lines (see `text_blocks`); every other text found only on the kinds of image that
/// routinely carry burned-in text (header risk high: ultrasound, secondary capture, screen
/// saves ...), because on a CT or MR a lone unread find is more often anatomy, or when
/// `all_text` asks for all of it.
fn automatic_regions(
    verdict: PixelVerdict,
    all_text: bool,
    warnings: &mut Vec<String>,
) -> Vec<Region> {
    let clean_all = all_text || verdict.header_risk >= RiskLevel::High;
    let first_choice = |r: &Region| !found_in_pixels(r) || identifying(r) || clean_all;
    let mut chosen: Vec<bool> = verdict.regions.iter().map(first_choice).collect();
    let mut extra: Vec<Region> = Vec::new();
    for block in text_blocks(&verdict.regions, &verdict.unconfirmed) {
        let lines = block.found.len();
        let named = block
            .found
            .iter()
            .any(|&k| identifying(&verdict.regions[k]));
        if !named && lines < ANNOTATION_BLOCK_LINES {
            continue;
        }
        for &k in &block.found {
            chosen[k] = true;
        }
        extra.extend(
            block
                .unconfirmed
                .iter()
                .map(|&k| verdict.unconfirmed[k].clone()),
        );
        if lines + block.unconfirmed.len() >= 2 {
            extra.push(block.bounds);
        }
    }
    let skipped = chosen.iter().filter(|c| !**c).count();
    if skipped > 0 {
        warnings.push(format!(
            "{skipped} text-like area(s) were found in the image that do not identify anyone as far as could be read, and images of this kind rarely carry burned-in text, so they were not blacked out automatically; look at the image and mark the areas on the page if they are text, or choose clean-all-pixel-text to black out all text found."
        ));
    }
    let mut out: Vec<Region> = verdict
        .regions
        .into_iter()
        .zip(chosen)
        .filter(|(_, c)| *c)
        .map(|(r, _)| r)
        .collect();
    out.extend(extra);
    out
}

/// A block of this many stacked lines is a viewer's annotation block (patient, study, series
/// lines), cleaned whole even when the reader read none of them as identifying: at 5-6 px it
/// misreads most of what such blocks hold.
const ANNOTATION_BLOCK_LINES: usize = 3;

/// Lines of text found in the pixels that belong together (see `same_block`), with the
/// unconfirmed boxes that touch them, and the box around all of them widened by a line height
/// on each side (a line's first or last letters are often outside its box).
struct TextBlock {
    /// Indices into the found regions.
    found: Vec<usize>,
    /// Indices into the unconfirmed boxes.
    unconfirmed: Vec<usize>,
    bounds: Region,
}

/// Groups the regions found in the pixels into blocks: lines on the same line or stacked in an
/// aligned block of text of a similar size. Why: viewers print the patient's details as a
/// block of label-value lines, and a line the reader misread ("Stdy Dt 2O1O") or split
/// ("Name:" apart from its value) sits next to one it read; leaving it would leave identifying
/// text (PS3.15 E.3.1). Unconfirmed boxes join a block but do not link two: on anatomy they
/// are often texture, which must not carry a block across the image.
fn text_blocks(regions: &[Region], unconfirmed: &[Region]) -> Vec<TextBlock> {
    let found: Vec<usize> = (0..regions.len())
        .filter(|&k| found_in_pixels(&regions[k]))
        .collect();
    let mut block_of: Vec<Option<usize>> = vec![None; regions.len()];
    let mut blocks: Vec<TextBlock> = Vec::new();
    for &start in &found {
        if block_of[start].is_some() {
            continue;
        }
        let id = blocks.len();
        block_of[start] = Some(id);
        let mut members = vec![start];
        let mut next = 0;
        while next < members.len() {
            let line = &regions[members[next]];
            next += 1;
            for &k in &found {
                if block_of[k].is_none() && same_block(line, &regions[k]) {
                    block_of[k] = Some(id);
                    members.push(k);
                }
            }
        }
        let touching: Vec<usize> = (0..unconfirmed.len())
            .filter(|&u| {
                members
                    .iter()
                    .any(|&k| same_block(&regions[k], &unconfirmed[u]))
            })
            .collect();
        let all: Vec<&Region> = members
            .iter()
            .map(|&k| &regions[k])
            .chain(touching.iter().map(|&u| &unconfirmed[u]))
            .collect();
        let high = all.iter().map(|r| r.h).max().unwrap_or(0);
        let x0 = all
            .iter()
            .map(|r| r.x)
            .min()
            .unwrap_or(0)
            .saturating_sub(high);
        let y0 = all.iter().map(|r| r.y).min().unwrap_or(0);
        let x1 = all.iter().map(|r| r.x + r.w).max().unwrap_or(0) + high;
        let y1 = all.iter().map(|r| r.y + r.h).max().unwrap_or(0);
        let first = &regions[start];
        let mut bounds = Region::new(
            (!first.all_frames).then_some(first.frame),
            crate::pixels::Rect {
                x: x0,
                y: y0,
                w: x1 - x0,
                h: y1 - y0,
            },
            RegionSource::Detector,
        );
        // A block that mixes frames (a cine's still text with one frame's) applies to all.
        bounds.all_frames = all.iter().any(|r| r.all_frames || r.frame != first.frame);
        blocks.push(TextBlock {
            found: members,
            unconfirmed: touching,
            bounds,
        });
    }
    blocks
}

/// Two boxes of text of a similar size on the same frame, either on one line (overlapping
/// rows, close along it) or on neighbouring lines of one block (a small gap between them,
/// their left or right edges aligned or their spans overlapping).
fn same_block(a: &Region, b: &Region) -> bool {
    let same_frame = a.all_frames || b.all_frames || a.frame == b.frame;
    let (high, low) = (a.h.max(b.h), a.h.min(b.h).max(1));
    if !same_frame || high > low * 5 / 2 {
        return false;
    }
    let top = a.y.max(b.y);
    let bottom = (a.y + a.h).min(b.y + b.h);
    let left = a.x.max(b.x);
    let right = (a.x + a.w).min(b.x + b.w);
    if bottom > top {
        // Rows overlap: one line when they share half the lower box and are close along it.
        let one_line = (bottom - top) * 2 >= low;
        let gap = left.saturating_sub(right);
        return one_line && gap <= high * 4;
    }
    let vertical_gap = top - bottom;
    let aligned = a.x.abs_diff(b.x) <= high * 2
        || (a.x + a.w).abs_diff(b.x + b.w) <= high * 2
        || right > left;
    vertical_gap <= high * 3 / 2 && aligned
}

/// Read in the pixels and identifying: it matches the patient's identity, or has the shape of
/// something that identifies (a label, a date, a long number, a name written LAST, FIRST).
fn identifying(region: &Region) -> bool {
    !region.identifies.is_empty() || region.pattern.is_some()
}

/// A text value of the file meta group (ASCII, PS3.10 7.1), padding removed.
fn meta_text(parsed: &ParsedFile<'_>, tag: u32) -> Option<String> {
    parsed.meta.iter().find(|e| e.tag == tag).map(|e| {
        String::from_utf8_lossy(parsed.meta_value_bytes(e))
            .trim_end_matches(['\0', ' '])
            .to_string()
    })
}

fn sop_class_uid(parsed: &ParsedFile<'_>, decider: &Decider<'_>) -> String {
    parsed
        .dataset
        .iter()
        .find(|e| e.tag == tags::SOP_CLASS_UID)
        .map(|e| decider.text(e).trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| meta_text(parsed, tags::MEDIA_STORAGE_SOP_CLASS_UID))
        // Neither the data set nor the meta group names one: the output stays as it was.
        .unwrap_or_default()
}

/// Appends the data set. Its copied ranges are file offsets, kept as they are; a Deflated
/// syntax is written out and compressed again (PS3.5 A.5), so it becomes new bytes.
fn append_dataset(parsed: &ParsedFile<'_>, dataset: Pieces, out: &mut Pieces) -> Result<(), Error> {
    if !parsed.syntax.deflated {
        out.append(dataset);
        return Ok(());
    }
    let mut plain = Vec::new();
    dataset
        .write_to(&parsed.dataset_bytes, &mut plain)
        .map_err(Error::Output)?;
    let mut encoder =
        flate2::write::DeflateEncoder::new(out.bytes(), flate2::Compression::default());
    encoder
        .write_all(&plain)
        .and_then(|_| encoder.finish().map(|_| ()))
        .map_err(|e| Error::Output(OutputError::Deflate(e.to_string())))
}

/// The output as a sparse file: our new bytes, and of each copied range the parts the input
/// had. Everything but Pixel Data's value is there, so the output re-parses without it.
fn output_as_sparse<'a>(
    parsed: &ParsedFile<'a>,
    pieces: &'a Pieces,
) -> Result<SparseFile<'a>, ParseError> {
    let mut segments = Vec::new();
    let mut at = 0u64;
    for segment in &pieces.segments {
        match segment {
            Segment::New(bytes) => {
                segments.push((at, std::borrow::Cow::Borrowed(bytes.as_slice())));
                at += bytes.len() as u64;
            }
            Segment::Copy(range) => {
                for (offset, part) in parsed.input.present(range.clone()) {
                    segments.push((
                        at + (offset - range.start),
                        std::borrow::Cow::Borrowed(part),
                    ));
                }
                at += range.end.saturating_sub(range.start);
            }
        }
    }
    SparseFile::new(at, segments)
}

/// Inspects the output again: anything still flagged that is not a value we wrote is a leak
/// we missed. The meta group is ours and not checked. The output's directory record keys are
/// read from the same parse.
fn residual_findings(
    input: &ParsedFile<'_>,
    output: &Pieces,
    options: Options,
    produced: &HashSet<String>,
) -> Result<(Vec<Finding>, RecordKeys), Error> {
    let unreadable = |e| Error::Output(OutputError::Unreadable(e));
    let sparse = output_as_sparse(input, output).map_err(unreadable)?;
    let parsed = match parse::parse_sparse(&sparse).map_err(unreadable)? {
        ParseOutcome::Parsed(parsed) => parsed,
        ParseOutcome::Need(ranges) => {
            return Err(Error::Output(OutputError::Incomplete { ranges }));
        }
    };
    let residual = flagged_findings(&parsed, options)
        .into_iter()
        .filter(|f| !produced.contains(f.value.trim()))
        .collect();
    Ok((residual, RecordKeys::of(&parsed)))
}

/// The output's pixels searched again after cleaning (read by `reader`, matched with the
/// input's patient); when text is still found, Burned In Annotation is turned from NO into YES
/// in the output (PS3.15 E.3.1: NO only when no text is left).
fn recheck_output_pixels(
    input: &ParsedFile<'_>,
    output: &mut Pieces,
    decider: &Decider<'_>,
    reader: Option<&TextReader>,
) -> Result<BurnedIn, Error> {
    let unreadable = |e| Error::Output(OutputError::Unreadable(e));
    let (after, annotation) = {
        let sparse = output_as_sparse(input, output).map_err(unreadable)?;
        let parsed = match parse::parse_sparse(&sparse).map_err(unreadable)? {
            ParseOutcome::Parsed(parsed) => parsed,
            ParseOutcome::Need(ranges) => {
                return Err(Error::Output(OutputError::Incomplete { ranges }));
            }
        };
        let after = burned_in::assess_with(
            &parsed,
            Some(burned_in::How {
                identity: &decider.identity,
                reader,
                keep: None,
            }),
        );
        let annotation = parsed
            .dataset
            .iter()
            .find(|e| e.tag == pixels::BURNED_IN_ANNOTATION)
            .map(|e| e.value.clone());
        (after, annotation)
    };
    // The check after cleaning is at least as suspicious as the search before it: a box the
    // reader could not read is not proof that no text is there, nor are pixels that could
    // not be searched. PS3.15 E.3.1: NO only when no text is left.
    let text_left = after.regions.iter().any(found_in_pixels)
        || !after.unconfirmed.is_empty()
        || !after.pixels_checked;
    if text_left {
        // Offsets of a Deflated data set are in its inflated bytes, not the output's.
        let marked = !input.syntax.deflated
            && annotation.is_some_and(|value| {
                value.len() == pixels::BURNED_IN_YES.len()
                    && output.overwrite(value.start as u64, pixels::BURNED_IN_YES.as_bytes())
            });
        if !marked {
            return Err(Error::Output(OutputError::TextLeftUnmarked));
        }
    }
    Ok(after)
}

/// How the warning about text left after cleaning begins.
pub const TEXT_LEFT: &str = "Text is still in the image after cleaning";

/// How the warning about text that may be left after cleaning begins (marks the re-check
/// could not read, or pixels it could not search).
pub const TEXT_MAY_BE_LEFT: &str = "Text may be left in the image after cleaning";

/// What the re-check of a cleaned output still finds, in words; `None` when nothing is left.
fn text_left(after: &BurnedIn) -> Option<String> {
    let left: Vec<&Region> = after
        .regions
        .iter()
        .filter(|r| found_in_pixels(r))
        .collect();
    if !left.is_empty() {
        return Some(format!(
            "{TEXT_LEFT} ({} area(s): {}), so Burned In Annotation (0028,0301) says YES; mark those areas and clean again.",
            left.len(),
            places(&left),
        ));
    }
    if !after.pixels_checked {
        return Some(format!(
            "{TEXT_MAY_BE_LEFT}: the cleaned image could not be searched again, so Burned In Annotation (0028,0301) says YES."
        ));
    }
    let unconfirmed: Vec<&Region> = after.unconfirmed.iter().collect();
    if unconfirmed.is_empty() {
        return None;
    }
    Some(format!(
        "{TEXT_MAY_BE_LEFT} ({} text-like area(s) the reader could not read: {}), so Burned In Annotation (0028,0301) says YES; look at those areas, mark them if they are text, and clean again (or choose clean-all-pixel-text).",
        unconfirmed.len(),
        places(&unconfirmed),
    ))
}

/// Up to five regions in words: what was read there, where, on which frame.
fn places(regions: &[&Region]) -> String {
    let mut places: Vec<String> = regions
        .iter()
        .take(5)
        .map(|r| {
            let frame = if r.all_frames {
                "every frame".to_string()
            } else {
                format!("frame {}", r.frame + 1)
            };
            let what = r
                .text
                .as_deref()
                .map(|t| format!("\"{t}\" "))
                .unwrap_or_default();
            format!("{what}at x {} y {} ({}x{} px, {frame})", r.x, r.y, r.w, r.h)
        })
        .collect();
    if regions.len() > 5 {
        places.push("...".to_string());
    }
    places.join("; ")
}

/// Found by the pixel search (the text finder or the reader), as opposed to a vendor layout or
/// a user's box.
fn found_in_pixels(region: &Region) -> bool {
    matches!(region.source, RegionSource::Detector | RegionSource::Ocr)
}
