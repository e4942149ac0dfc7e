//! The bounded element walk. Every length is checked against the bytes actually left before
//! anything is skipped, nothing is reserved from a declared length, and nesting is limited.

use super::source::{Input, ParseOutcome, HEADER_CHUNK};
use super::syntax::{guess_encoding_within, Syntax, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN};
use super::ParseErrorKind as Kind;
use super::{
    Body, Element, Item, ParseError, ParsedFile, DOUBLE_FLOAT_PIXEL_DATA, FLOAT_PIXEL_DATA, ITEM,
    ITEM_DELIMITER, MAX_DEPTH, PIXEL_DATA, SEQUENCE_DELIMITER,
};
use crate::tags;
use dicom_core::VR;
use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;

/// A deflated data set may expand to at most this many times its compressed size (plus 1 MiB):
/// real data sets compress maybe 10:1; a "deflate bomb" must not exhaust memory.
const MAX_INFLATE_RATIO: usize = 64;
/// Fragment headers guessed at a constant stride in one round.
const MAX_GUESSED_FRAGMENTS: usize = 64;
/// Basic Offset Tables larger than this are not used to predict fragment positions.
const MAX_OFFSET_TABLE: usize = 1 << 20;
/// The warning given when a sparse Deflated file has to be read whole.
pub(super) const DEFLATED_WHOLE: &str = "Deflated files are read whole: the data set is one compressed stream (PS3.5 A.5), so it cannot be read in parts";

/// Reads the file, or says which bytes of a sparse input are still needed. One walk for both:
/// a whole file is a sparse file with every byte present, and never needs more.
pub(super) fn parse_input(input: Input<'_>) -> Result<ParseOutcome<ParsedFile<'_>>, ParseError> {
    let total = input.len();
    if total == 0 {
        return Err(not_dicom("the file is empty"));
    }
    let mut need = Vec::new();
    let result = parse_with(input, &mut need);
    if need.is_empty() {
        return result.map(ParseOutcome::Parsed);
    }
    // Ask for what was missing, generously where the header goes on (so the loop is short),
    // exactly where only fragment headers were wanted.
    let mut ranges: Vec<Range<u64>> = Vec::new();
    for (range, generous) in need {
        let end = if generous {
            range
                .end
                .max(range.start.saturating_add(HEADER_CHUNK as usize))
        } else {
            range.end
        };
        ranges.extend(input.missing(range.start.min(total)..end.min(total)));
    }
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<u64>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    if merged.is_empty() {
        // Needed bytes that are all present: cannot happen with merged segments; never loop.
        return Err(ParseError::new(
            Kind::Internal,
            "the parser asked for bytes it was already given",
        ));
    }
    Ok(ParseOutcome::Need(merged))
}

fn parse_with<'a>(
    input: Input<'a>,
    need: &mut Vec<(Range<usize>, bool)>,
) -> Result<ParsedFile<'a>, ParseError> {
    let total = input.len();
    let head = input.head();
    // The preamble, "DICM" and the first element must be at hand to tell what this is.
    if head.len() < total.min(HEADER_CHUNK as usize).min(1024) {
        need.push((0..total.min(HEADER_CHUNK as usize), false));
        return Err(ParseError::new(
            Kind::NotAvailable,
            "the start of the file is not available",
        ));
    }
    let (meta_start, has_preamble) = if head.len() >= 132 && &head[128..132] == b"DICM" {
        (Some(132), true)
    } else if head.starts_with(b"DICM") {
        (Some(4), false)
    } else {
        (None, false)
    };

    let mut warnings = Vec::new();
    let first_bytes = |at: usize| input.prefix(at..at.saturating_add(8).min(total));
    let (meta, dataset_start, uid) = match meta_start {
        Some(start) => {
            let (meta, end) = read_meta(input, start, need)?;
            check_group_length(input.head(), &meta, end, &mut warnings);
            let uid = meta
                .iter()
                .find(|e| e.tag == tags::TRANSFER_SYNTAX_UID)
                .map(|e| clean_uid(input.prefix(e.value.clone())));
            match uid {
                Some(uid) if !uid.is_empty() => (meta, end, uid),
                _ => {
                    let guessed = guess_encoding_within(first_bytes(end), total - end)
                        .or_else(|| guess_after_meta(total - end))
                        .ok_or_else(|| {
                        ParseError::new(Kind::BadTransferSyntax, "the file meta group has no Transfer Syntax UID and the data set's encoding cannot be recognised").at(end)
                    })?;
                    warnings.push(format!(
                        "no Transfer Syntax UID in the file meta group; read as {}",
                        guessed.1
                    ));
                    (meta, end, guessed.1.to_string())
                }
            }
        }
        None => {
            let (_, uid) = guess_encoding_within(first_bytes(0), total).ok_or_else(|| {
                not_dicom("not a DICOM file: no \"DICM\" marker and the first bytes are not a DICOM data element")
            })?;
            warnings.push(format!(
                "no file meta group (no preamble or \"DICM\"); the data set was read as {}",
                describe_uid(uid)
            ));
            (Vec::new(), 0, uid.to_string())
        }
    };
    if first_bytes(dataset_start).len() < (total - dataset_start).min(8) {
        need.push((dataset_start..dataset_start + 8, true));
        return Err(ParseError::new(
            Kind::NotAvailable,
            "the start of the data set is not available",
        ));
    }

    let (uid, syntax) = check_declared_syntax(
        first_bytes(dataset_start),
        total - dataset_start,
        dataset_start,
        uid,
        &mut warnings,
    )?;
    let (whole, dataset_bytes): (&[u8], Cow<'_, [u8]>) = if syntax.deflated {
        if !input.is_complete() {
            need.push((0..total, false));
            return Err(ParseError::new(Kind::NotAvailable, DEFLATED_WHOLE));
        }
        if matches!(input, Input::Sparse(_)) {
            warnings.push(DEFLATED_WHOLE.to_string());
        }
        let compressed = head.get(dataset_start..).unwrap_or_default();
        let inflated = inflate(compressed).map_err(|e| e.at(dataset_start))?;
        (head, Cow::Owned(inflated))
    } else {
        // Offsets in the data set are file offsets: the walk starts at `dataset_start`.
        (head, Cow::Borrowed(head))
    };
    let dataset = {
        let (bytes, start) = if syntax.deflated {
            (Input::Whole(&dataset_bytes), 0)
        } else {
            (input, dataset_start)
        };
        let mut walker = Walker {
            bytes,
            warnings: &mut warnings,
            base: 0,
            need: Vec::new(),
        };
        let mut pos = start;
        let result = walker
            .read_elements(&mut pos, bytes.len(), syntax, 0, Context::TopLevel)
            .map_err(|mut e| {
                e.in_inflated = syntax.deflated;
                e
            });
        need.append(&mut walker.need);
        result?
    };

    Ok(ParsedFile {
        file: whole,
        input,
        meta,
        dataset_start,
        has_preamble,
        syntax,
        transfer_syntax_uid: uid,
        dataset_bytes,
        dataset,
        warnings,
    })
}

fn not_dicom(message: &str) -> ParseError {
    ParseError::new(Kind::NotDicom, message)
}

fn describe_uid(uid: &str) -> &'static str {
    match uid {
        super::syntax::IMPLICIT_VR_LITTLE_ENDIAN => "Implicit VR Little Endian",
        super::syntax::EXPLICIT_VR_BIG_ENDIAN => "Explicit VR Big Endian",
        _ => "Explicit VR Little Endian",
    }
}

fn clean_uid(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .trim_end_matches(['\0', ' '])
        .trim()
        .to_string()
}

/// Reads the File Meta Information: Explicit VR Little Endian elements of group 0002.
fn read_meta(
    input: Input<'_>,
    start: usize,
    need: &mut Vec<(Range<usize>, bool)>,
) -> Result<(Vec<Element>, usize), ParseError> {
    let syntax = Syntax::from_uid(super::syntax::EXPLICIT_VR_LITTLE_ENDIAN);
    let mut warnings = Vec::new();
    let mut walker = Walker {
        bytes: input,
        warnings: &mut warnings,
        base: 0,
        need: Vec::new(),
    };
    let mut pos = start;
    let result = walker.read_elements(&mut pos, input.len(), syntax, 0, Context::Meta);
    need.append(&mut walker.need);
    let mut elements = result?;
    for element in &mut elements {
        element.in_meta = true;
    }
    Ok((elements, pos))
}

/// File Meta Information Group Length (PS3.10 7.1) counts the bytes after it up to the end
/// of the group. The group is read by group number, so a wrong value loses nothing here, but
/// other readers trust it: say so.
fn check_group_length(file: &[u8], meta: &[Element], end: usize, warnings: &mut Vec<String>) {
    let Some(length) = meta
        .iter()
        .find(|e| e.tag == tags::FILE_META_INFORMATION_GROUP_LENGTH)
    else {
        return;
    };
    let declared = file
        .get(length.value.clone())
        .and_then(|v| <[u8; 4]>::try_from(v).ok())
        .map(u32::from_le_bytes);
    let actual = end.saturating_sub(length.end);
    if declared.map(|d| d as usize) != Some(actual) {
        let said = declared.map_or("an unreadable value".to_string(), |d| format!("{d} bytes"));
        warnings.push(format!(
            "the File Meta Information Group Length (0002,0000) says {said} but the group has {actual}; read by group number"
        ));
    }
}

fn inflate(compressed: &[u8]) -> Result<Vec<u8>, ParseError> {
    // Saturating: on wasm32 (32-bit usize) a plain `+` overflows past 64 MiB of input.
    let limit = compressed
        .len()
        .saturating_mul(MAX_INFLATE_RATIO)
        .saturating_add(1 << 20);
    let mut out = Vec::new();
    let mut decoder = flate2::read::DeflateDecoder::new(compressed).take(limit as u64 + 1);
    decoder.read_to_end(&mut out).map_err(|e| {
        ParseError::new(
            Kind::BadDeflate,
            format!(
            "the Deflated data set ({DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN}) cannot be inflated: {e}"
        ),
        )
    })?;
    if out.len() > limit {
        return Err(ParseError::new(Kind::TooLarge, format!(
            "the Deflated data set expands more than {MAX_INFLATE_RATIO} times its size; refusing it"
        )));
    }
    Ok(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The file meta group: stop at the first element outside group 0002.
    Meta,
    TopLevel,
    /// Inside an item of defined length (ends at the limit).
    DefinedItem,
    /// Inside an item of undefined length (ends at an Item Delimitation Item).
    UndefinedItem,
}

struct Walker<'b, 'w> {
    bytes: Input<'b>,
    warnings: &'w mut Vec<String>,
    /// Added to offsets in messages so they are file offsets.
    base: usize,
    /// Bytes the walk needed but the (sparse) input lacks: (range, ask for a generous chunk).
    /// When set, the walk's result (error or not) is void and these are asked for.
    need: Vec<(Range<usize>, bool)>,
}

impl<'b> Walker<'b, '_> {
    fn error(&self, kind: Kind, message: String, pos: usize) -> ParseError {
        ParseError::new(kind, message).at(pos + self.base)
    }

    /// `len` bytes at `pos`, or an error after noting that they are needed. Callers check
    /// lengths against the limit first, so a whole file never lacks them.
    fn take(&mut self, pos: usize, len: usize, generous: bool) -> Result<&'b [u8], ParseError> {
        match self.bytes.get(pos, len) {
            Some(bytes) => Ok(bytes),
            None => {
                self.need.push((pos..pos.saturating_add(len), generous));
                Err(self.error(
                    Kind::NotAvailable,
                    format!("{len} bytes are not available"),
                    pos,
                ))
            }
        }
    }

    fn read_elements(
        &mut self,
        pos: &mut usize,
        limit: usize,
        syntax: Syntax,
        depth: usize,
        context: Context,
    ) -> Result<Vec<Element>, ParseError> {
        let mut elements = Vec::new();
        loop {
            if *pos >= limit {
                if context == Context::UndefinedItem {
                    self.warnings.push(format!(
                        "an item of undefined length has no delimiter before byte {}",
                        limit + self.base
                    ));
                }
                return Ok(elements);
            }
            let left = limit - *pos;
            if left < 8 {
                // Fewer than 8 bytes cannot be a meta element: they belong to the data set
                // (a Deflated data set can be that short), which is read on its own.
                if context == Context::Meta {
                    return Ok(elements);
                }
                if context == Context::TopLevel {
                    self.warnings.push(format!(
                        "{left} stray bytes at the end of the data set were ignored"
                    ));
                    *pos = limit;
                    return Ok(elements);
                }
                return Err(self.error(
                    Kind::Truncated,
                    format!("the data ends in the middle of an element header ({left} bytes left)"),
                    *pos,
                ));
            }
            let tag = syntax
                .read_tag(self.take(*pos, 8, true)?)
                .unwrap_or_default();
            if context == Context::Meta && tag >> 16 != 0x0002 {
                return Ok(elements);
            }
            match tag {
                ITEM_DELIMITER if context == Context::UndefinedItem => {
                    *pos += 8;
                    return Ok(elements);
                }
                // A sequence delimiter inside an item: the item lacked its own delimiter.
                SEQUENCE_DELIMITER if context == Context::UndefinedItem => {
                    self.warnings.push(format!(
                        "an item was closed by a sequence delimiter at byte {}",
                        *pos + self.base
                    ));
                    return Ok(elements);
                }
                ITEM | ITEM_DELIMITER | SEQUENCE_DELIMITER => {
                    return Err(self
                        .error(
                            Kind::UnexpectedTag,
                            "an item or delimiter tag appears where a data element was expected"
                                .to_string(),
                            *pos,
                        )
                        .tag(tag));
                }
                _ => {}
            }
            let element = self.read_element(pos, limit, syntax, depth)?;
            elements.push(element);
        }
    }

    fn read_element(
        &mut self,
        pos: &mut usize,
        limit: usize,
        syntax: Syntax,
        depth: usize,
    ) -> Result<Element, ParseError> {
        let start = *pos;
        let mut source = self.take(start, (limit - start).min(12), true)?;
        let (header, header_len) = syntax.decode_header(&mut source).ok_or_else(|| {
            self.error(
                Kind::BadHeader,
                "cannot read the data element header".to_string(),
                start,
            )
        })?;
        let tag = (u32::from(header.tag.0) << 16) | u32::from(header.tag.1);
        let value_start = start + header_len;
        let left = limit - value_start;
        let undefined = header.len.is_undefined();
        let is_pixel_data = matches!(tag, PIXEL_DATA | FLOAT_PIXEL_DATA | DOUBLE_FLOAT_PIXEL_DATA);

        if undefined {
            // Encapsulated Pixel Data, at the top or in an Icon Image Sequence item.
            if is_pixel_data {
                let (fragments, value_end, end) =
                    self.skip_fragments(value_start, limit, syntax, tag)?;
                *pos = end;
                return Ok(Element {
                    tag,
                    vr: header.vr,
                    start,
                    value: value_start..value_end,
                    end,
                    undefined_length: true,
                    in_meta: false,
                    body: Body::Encapsulated { fragments },
                });
            }
            // SQ, or UN / private of undefined length: a sequence. An undefined-length UN holds
            // Implicit VR Little Endian items (PS3.5 6.2.2).
            let implicit_vr = header.vr == VR::UN;
            let inner = if implicit_vr {
                Syntax::from_uid(super::syntax::IMPLICIT_VR_LITTLE_ENDIAN)
            } else {
                syntax
            };
            let mut cursor = value_start;
            let items = self.read_items(&mut cursor, limit, inner, depth, None, tag)?;
            let value_end = cursor;
            let end = self.close_sequence(&mut cursor, limit, inner)?;
            *pos = end;
            return Ok(Element {
                tag,
                vr: if header.vr == VR::UN { VR::UN } else { VR::SQ },
                start,
                value: value_start..value_end,
                end,
                undefined_length: true,
                in_meta: false,
                body: Body::Sequence { items, implicit_vr },
            });
        }

        let len = header.len.0 as usize;
        if len > left {
            return Err(self
                .error(
                    Kind::LengthPastEnd,
                    format!(
                        "the element declares a {len}-byte value but only {left} bytes are left"
                    ),
                    start,
                )
                .tag(tag));
        }
        let value_end = value_start + len;
        // Pixel Data is skipped by arithmetic, never read. Every other value is read later
        // (shown, decided on, rewritten): it must be here.
        let value = if is_pixel_data {
            &[][..]
        } else {
            self.take(value_start, len, true)?
        };
        let implicit = syntax.encoding == super::syntax::Encoding::ImplicitLittle;
        let vr = read_vr(header.vr, tag, value, implicit);
        if header.vr == VR::UN && tag >> 16 & 1 == 0 && len > 0 && is_dictionary_sequence(tag) {
            if let Some(element) = self.try_un_sequence(start, value_start, value_end, depth, tag) {
                *pos = value_end;
                return Ok(element);
            }
        }
        let body = if vr == VR::SQ {
            let mut cursor = value_start;
            let items =
                self.read_items(&mut cursor, value_end, syntax, depth, Some(value_end), tag)?;
            Body::Sequence {
                items,
                implicit_vr: false,
            }
        } else {
            Body::Value
        };
        *pos = value_end;
        Ok(Element {
            tag,
            vr,
            start,
            value: value_start..value_end,
            end: value_end,
            undefined_length: false,
            in_meta: false,
            body,
        })
    }

    /// A standard sequence stored as UN with a defined length holds Implicit VR Little Endian
    /// items (PS3.5 6.2.2). If they do not read cleanly the value stays opaque bytes.
    fn try_un_sequence(
        &mut self,
        start: usize,
        value_start: usize,
        value_end: usize,
        depth: usize,
        tag: u32,
    ) -> Option<Element> {
        let implicit = Syntax::from_uid(super::syntax::IMPLICIT_VR_LITTLE_ENDIAN);
        let mut warnings = Vec::new();
        let mut inner = Walker {
            bytes: self.bytes,
            warnings: &mut warnings,
            base: self.base,
            need: Vec::new(),
        };
        let mut cursor = value_start;
        let items = inner
            .read_items(
                &mut cursor,
                value_end,
                implicit,
                depth,
                Some(value_end),
                tag,
            )
            .ok();
        // The value was required whole before, so this is only a safeguard.
        self.need.append(&mut inner.need);
        let items = items?;
        self.warnings.append(&mut warnings);
        Some(Element {
            tag,
            vr: VR::UN,
            start,
            value: value_start..value_end,
            end: value_end,
            undefined_length: false,
            in_meta: false,
            body: Body::Sequence {
                items,
                implicit_vr: true,
            },
        })
    }

    /// Reads sequence items until `defined_end` (defined length) or a Sequence Delimitation
    /// Item (undefined length, left for `close_sequence`).
    fn read_items(
        &mut self,
        pos: &mut usize,
        limit: usize,
        syntax: Syntax,
        depth: usize,
        defined_end: Option<usize>,
        sequence_tag: u32,
    ) -> Result<Vec<Item>, ParseError> {
        if depth + 1 > super::MAX_DEPTH {
            return Err(self
                .error(
                    Kind::DepthLimit,
                    format!("sequences are nested deeper than {MAX_DEPTH} levels"),
                    *pos,
                )
                .tag(sequence_tag));
        }
        let end = defined_end.unwrap_or(limit);
        let mut items = Vec::new();
        while *pos < end {
            if end - *pos < 8 {
                return Err(self
                    .error(
                        Kind::Truncated,
                        "a sequence ends in the middle of an item header".to_string(),
                        *pos,
                    )
                    .tag(sequence_tag));
            }
            let head = self.take(*pos, 8, true)?;
            let tag = syntax.read_tag(head).unwrap_or_default();
            if tag == SEQUENCE_DELIMITER && defined_end.is_none() {
                return Ok(items);
            }
            if tag != ITEM {
                return Err(self
                    .error(
                        Kind::UnexpectedTag,
                        format!(
                            "expected a sequence item but found tag {}",
                            super::tag_text(tag)
                        ),
                        *pos,
                    )
                    .tag(sequence_tag));
            }
            let length = syntax
                .read_u32(head.get(4..).unwrap_or_default())
                .unwrap_or_default();
            let item_start = *pos;
            let mut clamped = false;
            *pos += 8;
            let elements = if length == u32::MAX {
                self.read_elements(pos, end, syntax, depth + 1, Context::UndefinedItem)?
            } else {
                let mut length = length as usize;
                if length > end - *pos {
                    // Writers that drop elements sometimes forget the item length: read the
                    // item to the end of its sequence and rewrite it on output.
                    self.warnings.push(format!(
                        "a sequence item at byte {} declares {length} bytes but only {} are left; read to the end of its sequence",
                        item_start + self.base,
                        end - *pos
                    ));
                    length = end - *pos;
                    clamped = true;
                }
                let item_end = *pos + length;
                let elements =
                    self.read_elements(pos, item_end, syntax, depth + 1, Context::DefinedItem)?;
                *pos = item_end;
                elements
            };
            items.push(Item {
                start: item_start,
                end: *pos,
                elements,
                length_was_wrong: clamped,
            });
        }
        if defined_end.is_none() {
            self.warnings.push(format!(
                "a sequence of undefined length ({}) has no delimiter before the end of the data",
                super::tag_text(sequence_tag)
            ));
        }
        Ok(items)
    }

    /// Consumes the Sequence Delimitation Item if present; returns the element's end.
    fn close_sequence(
        &mut self,
        pos: &mut usize,
        limit: usize,
        syntax: Syntax,
    ) -> Result<usize, ParseError> {
        if limit - *pos >= 8
            && syntax.read_tag(self.take(*pos, 8, true)?) == Some(SEQUENCE_DELIMITER)
        {
            *pos += 8;
        }
        Ok(*pos)
    }

    /// Skips encapsulated Pixel Data fragments (PS3.5 A.4) without reading them.
    /// Returns (fragment count, end of the last fragment, end of the element).
    fn skip_fragments(
        &mut self,
        start: usize,
        limit: usize,
        syntax: Syntax,
        tag: u32,
    ) -> Result<(usize, usize, usize), ParseError> {
        let mut pos = start;
        let mut fragments = 0;
        let mut predicted: Vec<usize> = Vec::new();
        let mut last_length = None;
        let mut stride = None;
        loop {
            if limit - pos < 8 {
                if limit == pos {
                    self.warnings.push(
                        "encapsulated Pixel Data has no sequence delimiter at the end of the file"
                            .to_string(),
                    );
                    return Ok((fragments, pos, pos));
                }
                return Err(self
                    .error(
                        Kind::Truncated,
                        "encapsulated Pixel Data is cut off inside a fragment header".to_string(),
                        pos,
                    )
                    .tag(tag));
            }
            let head = match self.bytes.get(pos, 8) {
                Some(head) => head,
                None => {
                    self.ask_fragment_headers(pos, limit, &predicted, stride);
                    return Err(self.error(
                        Kind::NotAvailable,
                        "a fragment header is not available".into(),
                        pos,
                    ));
                }
            };
            let item_tag = syntax.read_tag(head).unwrap_or_default();
            let length = syntax
                .read_u32(head.get(4..).unwrap_or_default())
                .unwrap_or_default() as usize;
            match item_tag {
                SEQUENCE_DELIMITER => return Ok((fragments, pos, pos + 8)),
                ITEM => {
                    if length > limit - pos - 8 {
                        return Err(self
                            .error(
                                Kind::LengthPastEnd,
                                format!(
                                    "a Pixel Data fragment declares {length} bytes but only {} are left",
                                    limit - pos - 8
                                ),
                                pos,
                            )
                            .tag(tag));
                    }
                    if fragments == 0 {
                        predicted = self.offset_table(pos + 8, length, syntax)?;
                    } else {
                        // Two fragments of one size in a row (fixed-size splits of a video
                        // stream, say): guess that the next ones are that size too.
                        stride = (last_length == Some(length)).then_some(8 + length);
                        last_length = Some(length);
                    }
                    pos += 8 + length;
                    fragments += 1;
                }
                other => {
                    return Err(self
                        .error(
                            Kind::UnexpectedTag,
                            format!(
                                "expected a Pixel Data fragment but found tag {}",
                                super::tag_text(other)
                            ),
                            pos,
                        )
                        .tag(tag))
                }
            }
        }
    }
}

impl Walker<'_, '_> {
    /// The Basic Offset Table (the first item, PS3.5 A.4): where each frame's first fragment
    /// starts, counted from the first byte after the table. Used only to ask for fragment
    /// headers in one go; a wrong table costs another round, never a wrong result.
    /// Asks for the fragment header at `pos` and the ones expected after it (from the offset
    /// table, or at a constant stride), never for the pixels between them. A wrong guess costs
    /// a few bytes read and another round, never a wrong result.
    fn ask_fragment_headers(
        &mut self,
        pos: usize,
        limit: usize,
        predicted: &[usize],
        stride: Option<usize>,
    ) {
        self.need.push((pos..pos + 8, false));
        let last = limit.saturating_sub(8);
        let mut guesses: Vec<usize> = predicted.iter().copied().filter(|&p| p > pos).collect();
        if guesses.is_empty() {
            if let Some(stride) = stride {
                guesses = (1..=MAX_GUESSED_FRAGMENTS)
                    .map_while(|k| pos.checked_add(k.checked_mul(stride)?))
                    .collect();
            }
        }
        for next in guesses {
            if next <= last && self.bytes.get(next, 8).is_none() {
                self.need.push((next..next + 8, false));
            }
        }
    }

    fn offset_table(
        &mut self,
        start: usize,
        length: usize,
        syntax: Syntax,
    ) -> Result<Vec<usize>, ParseError> {
        if length == 0 || length > MAX_OFFSET_TABLE || !matches!(self.bytes, Input::Sparse(_)) {
            return Ok(Vec::new());
        }
        let table = self.take(start, length, false)?;
        let first = start + length;
        Ok(table
            .chunks_exact(4)
            .filter_map(|c| syntax.read_u32(c))
            .filter_map(|offset| first.checked_add(offset as usize))
            .collect())
    }
}

/// The VR an element is read with. A standard element stored as UN (PS3.5 6.2.2) is read
/// with its dictionary VR, so its text can be searched and replaced like any other; but when
/// the dictionary says binary (US, AT, OW ...: e.g. the retired (1010,xxxx) Zonal Map) and the
/// value reads as text, it stays UN, whose bytes are searched as text: a value that does not
/// fit its dictionary VR was written by something that used the tag for something else.
/// In an Implicit VR file the VR comes from the dictionary (PS3.5 7.1.3): a retired binary
/// element there (Image Dimensions (0028,0005) US, Original Image Identification (0020,5000)
/// AT ...) whose value reads as text is read as UN for the same reason.
fn read_vr(stored: VR, tag: u32, value: &[u8], implicit: bool) -> VR {
    let binary = matches!(
        stored,
        VR::US
            | VR::SS
            | VR::UL
            | VR::SL
            | VR::AT
            | VR::FL
            | VR::FD
            | VR::OW
            | VR::OF
            | VR::OD
            | VR::OL
            | VR::UV
            | VR::SV
            | VR::OV
    );
    if implicit && binary && tag >> 16 & 1 == 0 && reads_as_text(value) {
        return VR::UN;
    }
    if stored != VR::UN || tag >> 16 & 1 == 1 {
        return stored;
    }
    match dictionary_vr(tag) {
        // A UN value holding a sequence that did not read as one stays opaque bytes.
        None | Some(VR::SQ) => VR::UN,
        Some(vr) if !super::syntax::is_text_vr(vr) && reads_as_text(value) => VR::UN,
        Some(vr) => vr,
    }
}

/// What text looks like, and what binary numbers almost never do: at least 4 bytes (padding
/// aside) with no control byte, and at least 2 letters or digits; bytes above ASCII are
/// allowed as UTF-8, or as a single-byte set's letters when most of the text is ASCII
/// ("MÜLLER"). Binary numbers hold control bytes: the high byte of a small integer is 0, and
/// so are the low bytes of most floats. IDs have few letters ("AT-7781102") or none.
fn reads_as_text(value: &[u8]) -> bool {
    let text = value
        .iter()
        .rposition(|b| *b != 0 && *b != b' ')
        .map_or(&value[..0], |last| &value[..=last]);
    if reads_as_utf16(value) {
        return true;
    }
    // Line ends, tabs and ISO 2022 escapes belong to text (PS3.5 6.1.3).
    let control = |b: &u8| {
        (*b < 0x20 && !matches!(*b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))
            || *b == 0x7F
            || (0x80..0xA0).contains(b)
    };
    let alphanumeric = text.iter().filter(|b| b.is_ascii_alphanumeric()).count();
    let single_byte_letters =
        || 2 * (alphanumeric + text.iter().filter(|b| **b == b' ').count()) >= text.len();
    text.len() >= 4
        && match std::str::from_utf8(text) {
            Ok(utf8) => {
                !utf8
                    .chars()
                    .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C' | '\x1B'))
                    && utf8.chars().filter(|c| c.is_alphanumeric()).count() >= 2
            }
            Err(_) => !text.iter().any(control) && alphanumeric >= 2 && single_byte_letters(),
        }
}

/// UTF-16 text of the Latin script (either byte order): most 16-bit units are ASCII
/// letters, digits, spaces or punctuation with a zero high byte, 3 letters or digits at least.
fn reads_as_utf16(value: &[u8]) -> bool {
    if value.len() < 8 || value.len() % 2 == 1 {
        return false;
    }
    let units = || value.chunks_exact(2);
    [0, 1].into_iter().any(|high| {
        let ascii = |u: &[u8]| u[high] == 0 && (0x20..0x7F).contains(&u[1 - high]);
        let letters = units()
            .filter(|u| u[high] == 0 && u[1 - high].is_ascii_alphanumeric())
            .count();
        let padding = units().filter(|u| u[0] == 0 && u[1] == 0).count();
        let texty = units().filter(|u| ascii(u)).count() + padding;
        letters >= 3 && texty * 10 >= units().len() * 9
    })
}

/// The dictionary's VR for a standard tag, when it is one fixed VR.
fn dictionary_vr(tag: u32) -> Option<VR> {
    use dicom_core::dictionary::{DataDictionary, DataDictionaryEntry, VirtualVr};
    let entry = dicom_dictionary_std::StandardDataDictionary
        .by_tag(dicom_core::Tag((tag >> 16) as u16, tag as u16))?;
    match entry.vr() {
        VirtualVr::Exact(vr) => Some(vr),
        _ => None,
    }
}

/// After a valid meta group without a Transfer Syntax UID, PS3.10 readers assume Implicit VR
/// Little Endian unless the first element plainly carries a VR.
fn guess_after_meta(left: usize) -> Option<(super::syntax::Encoding, &'static str)> {
    (left >= 8).then_some((
        super::syntax::Encoding::ImplicitLittle,
        super::syntax::IMPLICIT_VR_LITTLE_ENDIAN,
    ))
}

/// Some writers declare Explicit VR Little Endian but write the data set in Implicit VR. When
/// the first element has no valid VR but reads as Implicit VR, read (and later write) it so,
/// and say so. An encapsulated syntax with an Implicit VR data set has no valid reading.
/// `data`: the data set's first (up to 8) bytes; `left`: the bytes from there to the end.
fn check_declared_syntax(
    data: &[u8],
    left: usize,
    dataset_start: usize,
    uid: String,
    warnings: &mut Vec<String>,
) -> Result<(String, Syntax), ParseError> {
    let syntax = Syntax::from_uid(&uid);
    if syntax.deflated
        || syntax.encoding != super::syntax::Encoding::ExplicitLittle
        || data.len() < 8
        || left < 8
    {
        return Ok((uid, syntax));
    }
    if VR::from_binary([data[4], data[5]]).is_some() {
        return Ok((uid, syntax));
    }
    match guess_encoding_within(data, left) {
        Some((super::syntax::Encoding::ImplicitLittle, implicit)) => {
            if uid != super::syntax::EXPLICIT_VR_LITTLE_ENDIAN {
                return Err(ParseError::new(Kind::BadTransferSyntax, format!(
                    "the file meta group declares transfer syntax {uid}, but the data set is written in Implicit VR, which that syntax does not allow"
                ))
                .at(dataset_start));
            }
            warnings.push(
                "the file meta group declares Explicit VR Little Endian but the data set is Implicit VR Little Endian; read and written as Implicit VR".to_string(),
            );
            Ok((implicit.to_string(), Syntax::from_uid(implicit)))
        }
        _ => Ok((uid, syntax)),
    }
}

fn is_dictionary_sequence(tag: u32) -> bool {
    dictionary_vr(tag) == Some(VR::SQ)
}
