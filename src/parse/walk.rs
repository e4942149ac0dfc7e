//! The bounded element walk. Every length is checked against the bytes actually left before
//! anything is skipped, nothing is reserved from a declared length, and nesting is limited.

use super::syntax::{guess_encoding, Syntax, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN};
use super::{
    Body, Element, Item, ParseError, ParsedFile, DOUBLE_FLOAT_PIXEL_DATA, FLOAT_PIXEL_DATA, ITEM,
    ITEM_DELIMITER, MAX_DEPTH, PIXEL_DATA, SEQUENCE_DELIMITER,
};
use dicom_core::VR;
use std::borrow::Cow;
use std::io::Read;

const TRANSFER_SYNTAX_UID: u32 = 0x0002_0010;
/// A deflated data set may expand to at most this many times its compressed size (plus 1 MiB):
/// real data sets compress maybe 10:1; a "deflate bomb" must not exhaust memory.
const MAX_INFLATE_RATIO: usize = 64;

pub(super) fn parse_file(file: &[u8]) -> Result<ParsedFile<'_>, ParseError> {
    if file.is_empty() {
        return Err(not_dicom("the file is empty"));
    }
    let (meta_start, has_preamble) = if file.len() >= 132 && &file[128..132] == b"DICM" {
        (Some(132), true)
    } else if file.starts_with(b"DICM") {
        (Some(4), false)
    } else {
        (None, false)
    };

    let mut warnings = Vec::new();
    let (meta, dataset_start, uid) = match meta_start {
        Some(start) => {
            let (meta, end) = read_meta(file, start)?;
            check_group_length(file, &meta, end, &mut warnings);
            let uid = meta
                .iter()
                .find(|e| e.tag == TRANSFER_SYNTAX_UID)
                .map(|e| clean_uid(&file[e.value.clone()]));
            match uid {
                Some(uid) if !uid.is_empty() => (meta, end, uid),
                _ => {
                    let guessed = guess_encoding(&file[end..])
                        .or_else(|| guess_after_meta(&file[end..]))
                        .ok_or_else(|| {
                        ParseError::new("the file meta group has no Transfer Syntax UID and the data set's encoding cannot be recognised").at(end)
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
            let (_, uid) = guess_encoding(file).ok_or_else(|| {
                not_dicom("not a DICOM file: no \"DICM\" marker and the first bytes are not a DICOM data element")
            })?;
            warnings.push(format!(
                "no file meta group (no preamble or \"DICM\"); the data set was read as {}",
                describe_uid(uid)
            ));
            (Vec::new(), 0, uid.to_string())
        }
    };

    let (uid, syntax) = check_declared_syntax(file, dataset_start, uid, &mut warnings)?;
    let dataset_bytes: Cow<'_, [u8]> = if syntax.deflated {
        Cow::Owned(inflate(&file[dataset_start..]).map_err(|e| e.at(dataset_start))?)
    } else {
        Cow::Borrowed(&file[dataset_start..])
    };
    let dataset = {
        let mut walker = Walker {
            bytes: &dataset_bytes,
            warnings: &mut warnings,
            base: if syntax.deflated { 0 } else { dataset_start },
        };
        let mut pos = 0;
        walker
            .read_elements(&mut pos, dataset_bytes.len(), syntax, 0, Context::TopLevel)
            .map_err(|mut e| {
                e.in_inflated = syntax.deflated;
                e
            })?
    };
    // Offsets in the data set are relative to `dataset_bytes`; for a plain file shift them to
    // file offsets so every reported offset means "byte N of the file".
    let (dataset_bytes, dataset) = if syntax.deflated {
        (dataset_bytes, dataset)
    } else {
        let mut dataset = dataset;
        shift_offsets(&mut dataset, dataset_start);
        (Cow::Borrowed(file), dataset)
    };

    Ok(ParsedFile {
        file,
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
    let mut error = ParseError::new(message);
    error.not_dicom = true;
    error
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

fn shift_offsets(elements: &mut [Element], by: usize) {
    for element in elements {
        element.start += by;
        element.value = element.value.start + by..element.value.end + by;
        element.end += by;
        if let Body::Sequence { items, .. } = &mut element.body {
            for item in items {
                item.start += by;
                item.end += by;
                shift_offsets(&mut item.elements, by);
            }
        }
    }
}

/// Reads the File Meta Information: Explicit VR Little Endian elements of group 0002.
fn read_meta(file: &[u8], start: usize) -> Result<(Vec<Element>, usize), ParseError> {
    let syntax = Syntax::from_uid(super::syntax::EXPLICIT_VR_LITTLE_ENDIAN);
    let mut warnings = Vec::new();
    let mut walker = Walker {
        bytes: file,
        warnings: &mut warnings,
        base: 0,
    };
    let mut pos = start;
    let mut elements = walker.read_elements(&mut pos, file.len(), syntax, 0, Context::Meta)?;
    for element in &mut elements {
        element.in_meta = true;
    }
    Ok((elements, pos))
}

/// File Meta Information Group Length (PS3.10 7.1) counts the bytes after it up to the end
/// of the group. The group is read by group number, so a wrong value loses nothing here, but
/// other readers trust it: say so.
fn check_group_length(file: &[u8], meta: &[Element], end: usize, warnings: &mut Vec<String>) {
    let Some(length) = meta.iter().find(|e| e.tag == 0x0002_0000) else {
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
        ParseError::new(format!(
            "the Deflated data set ({DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN}) cannot be inflated: {e}"
        ))
    })?;
    if out.len() > limit {
        return Err(ParseError::new(format!(
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
    bytes: &'b [u8],
    warnings: &'w mut Vec<String>,
    /// Added to offsets in messages so they are file offsets.
    base: usize,
}

impl Walker<'_, '_> {
    fn error(&self, message: String, pos: usize) -> ParseError {
        ParseError::new(message).at(pos + self.base)
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
                    format!("the data ends in the middle of an element header ({left} bytes left)"),
                    *pos,
                ));
            }
            let tag = syntax.read_tag(&self.bytes[*pos..]).unwrap_or_default();
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
        let mut source = &self.bytes[start..limit];
        let (header, header_len) = syntax
            .decode_header(&mut source)
            .ok_or_else(|| self.error("cannot read the data element header".to_string(), start))?;
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
            let end = self.close_sequence(&mut cursor, limit, inner);
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
        // A standard element stored as UN (PS3.5 6.2.2) is read with its dictionary VR, so
        // its text can be searched and replaced like any other.
        let vr = match header.vr {
            // A UN value holding a sequence that did not read as one stays opaque bytes.
            VR::UN if tag >> 16 & 1 == 0 => dictionary_vr(tag)
                .filter(|vr| *vr != VR::SQ)
                .unwrap_or(VR::UN),
            vr => vr,
        };
        if len > left {
            return Err(self
                .error(
                    format!(
                        "the element declares a {len}-byte value but only {left} bytes are left"
                    ),
                    start,
                )
                .tag(tag));
        }
        let value_end = value_start + len;
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
            .ok()?;
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
                        "a sequence ends in the middle of an item header".to_string(),
                        *pos,
                    )
                    .tag(sequence_tag));
            }
            let tag = syntax.read_tag(&self.bytes[*pos..]).unwrap_or_default();
            if tag == SEQUENCE_DELIMITER && defined_end.is_none() {
                return Ok(items);
            }
            if tag != ITEM {
                return Err(self
                    .error(
                        format!(
                            "expected a sequence item but found tag {}",
                            super::tag_text(tag)
                        ),
                        *pos,
                    )
                    .tag(sequence_tag));
            }
            let length = syntax.read_u32(&self.bytes[*pos + 4..]).unwrap_or_default();
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
    fn close_sequence(&mut self, pos: &mut usize, limit: usize, syntax: Syntax) -> usize {
        if limit - *pos >= 8 && syntax.read_tag(&self.bytes[*pos..]) == Some(SEQUENCE_DELIMITER) {
            *pos += 8;
        }
        *pos
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
                        "encapsulated Pixel Data is cut off inside a fragment header".to_string(),
                        pos,
                    )
                    .tag(tag));
            }
            let item_tag = syntax.read_tag(&self.bytes[pos..]).unwrap_or_default();
            let length = syntax.read_u32(&self.bytes[pos + 4..]).unwrap_or_default() as usize;
            match item_tag {
                SEQUENCE_DELIMITER => return Ok((fragments, pos, pos + 8)),
                ITEM => {
                    if length > limit - pos - 8 {
                        return Err(self
                            .error(
                                format!(
                                    "a Pixel Data fragment declares {length} bytes but only {} are left",
                                    limit - pos - 8
                                ),
                                pos,
                            )
                            .tag(tag));
                    }
                    pos += 8 + length;
                    fragments += 1;
                }
                other => {
                    return Err(self
                        .error(
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
fn guess_after_meta(bytes: &[u8]) -> Option<(super::syntax::Encoding, &'static str)> {
    (bytes.len() >= 8).then_some((
        super::syntax::Encoding::ImplicitLittle,
        super::syntax::IMPLICIT_VR_LITTLE_ENDIAN,
    ))
}

/// Some writers declare Explicit VR Little Endian but write the data set in Implicit VR. When
/// the first element has no valid VR but reads as Implicit VR, read (and later write) it so,
/// and say so. An encapsulated syntax with an Implicit VR data set has no valid reading.
fn check_declared_syntax(
    file: &[u8],
    dataset_start: usize,
    uid: String,
    warnings: &mut Vec<String>,
) -> Result<(String, Syntax), ParseError> {
    let syntax = Syntax::from_uid(&uid);
    let data = &file[dataset_start..];
    if syntax.deflated
        || syntax.encoding != super::syntax::Encoding::ExplicitLittle
        || data.len() < 8
    {
        return Ok((uid, syntax));
    }
    if VR::from_binary([data[4], data[5]]).is_some() {
        return Ok((uid, syntax));
    }
    match guess_encoding(data) {
        Some((super::syntax::Encoding::ImplicitLittle, implicit)) => {
            if uid != super::syntax::EXPLICIT_VR_LITTLE_ENDIAN {
                return Err(ParseError::new(format!(
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
