//! Searching one file's frames for burned-in text: decode a sample of frames, find candidate
//! boxes on each frame's plane (stored values normalised per frame, never the display window)
//! and, in a cine, on the mean of the sample; then, with a reader, read every candidate and
//! keep what reads as text, with what it says and whom it names.

use super::decode::{decode_frame, ImageInfo, Plane};
use super::detect::{find_candidates, Candidate, StillText, Tier};
use super::frames::DecodedFrames;
use super::read::{Reading, TextReader};
use super::read_match::Patient;
use super::{Luma, Rect, Region, RegionSource};
use crate::parse::ParsedFile;

/// Frames of a multi-frame image that are searched: text burned into a cine stays still while
/// the anatomy moves, so a handful spread over the loop finds text on every frame; text on a
/// few frames only is found when it is on a sampled one.
pub const SAMPLED_FRAMES: u32 = 8;
/// Most candidates read per frame (confident ones first, then the strongest possible ones):
/// beyond that the frame is texture, and reading more would only cost time. The verdict says
/// when some were left.
pub const MAX_READ_PER_FRAME: usize = 48;
/// Of which possible lines (ultrasound speckle gives dozens, real small print a dozen or two).
pub const MAX_POSSIBLE_PER_FRAME: usize = 24;
/// Lone glyphs kept per plane as unconfirmed boxes: one is enough to keep Burned In
/// Annotation from saying NO; speckle would give hundreds.
pub const MAX_GLYPHS_PER_PLANE: usize = 32;

/// What the search found.
#[derive(Debug, Default)]
pub struct Found {
    pub regions: Vec<Region>,
    /// A reader read the candidates.
    pub read: bool,
    /// Possible text (bands of strokes) that nobody read, so not shown.
    pub unread: usize,
    /// Candidates left unread because a frame had more than `MAX_READ_PER_FRAME`.
    pub skipped: usize,
    /// The reader could not read (its model failed to load or to run): why. The candidates
    /// are then reported as not read, as without a reader.
    pub reader_failed: Option<String>,
    /// Candidates that are not in `regions` although text may be there: possible lines the
    /// reader did not read as text (or nobody read), confident ones dropped because the
    /// reader read nothing in them, and those left unread over `MAX_READ_PER_FRAME`. Not
    /// shown as text; what the check after cleaning cannot rule out (PS3.15 E.3.1).
    pub unconfirmed: Vec<Region>,
}

/// How the search runs.
pub struct Search<'a> {
    pub reader: Option<&'a TextReader>,
    pub patient: &'a Patient,
    /// The header says this kind of image routinely carries text (ultrasound, screen saves):
    /// a confident box that cannot be read is kept there, and dropped elsewhere.
    pub text_expected: bool,
    /// Where to keep the decoded frames for cleaning (`None`: not needed).
    pub keep: Option<&'a mut DecodedFrames>,
}

/// The frames searched: all of a short image, else `SAMPLED_FRAMES` spread over it.
fn sampled(frames: u32) -> Vec<u32> {
    let frames = frames.max(1);
    if frames <= SAMPLED_FRAMES {
        return (0..frames).collect();
    }
    (0..SAMPLED_FRAMES)
        .map(|i| (u64::from(i) * u64::from(frames - 1) / u64::from(SAMPLED_FRAMES - 1)) as u32)
        .collect()
}

fn luma(plane: &Plane) -> Luma<'_> {
    Luma {
        width: plane.width,
        height: plane.height,
        pixels: &plane.luma,
    }
}

/// Searches the frames of `parsed`; `Err` is a plain reason why the pixels could not be
/// searched.
pub fn search(parsed: &ParsedFile<'_>, info: &ImageInfo, run: Search<'_>) -> Result<Found, String> {
    let Search {
        reader,
        patient,
        text_expected,
        mut keep,
    } = run;
    // The frames' planes; colour-text planes of colour frames are appended after them (the
    // same frame number, searched and read on their own).
    let mut planes: Vec<(u32, Plane)> = Vec::new();
    for index in sampled(info.frames) {
        let frame = decode_frame(parsed, info, index).map_err(|e| e.to_string())?;
        planes.push((index, frame.search_plane(info, parsed)));
        if let Some(store) = keep.as_deref_mut() {
            store.keep(frame);
        }
    }
    // Candidates, each with the plane it is read on: `None` for the cine's mean.
    let mut jobs: Vec<(Option<usize>, Candidate)> = Vec::new();
    let cine = if planes.len() > 1 {
        let views: Vec<Luma> = planes.iter().map(|(_, p)| luma(p)).collect();
        StillText::of(&views)
    } else {
        None
    };
    let still: Vec<Candidate> = cine.as_ref().map(StillText::candidates).unwrap_or_default();
    jobs.extend(still.iter().map(|c| (None, *c)));
    // Each frame alone too: text on some frames only is diluted in the mean.
    for (k, (_, plane)) in planes.iter().enumerate() {
        for c in find_candidates(&luma(plane), plane.chroma.as_deref()) {
            // A lone glyph of the mean (often a speck) hides nothing of a frame.
            let in_still = still
                .iter()
                .any(|s| s.tier != Tier::Glyph && overlaps(&s.rect, &c.rect));
            if !in_still {
                jobs.push((Some(k), c));
            }
        }
    }
    // Coloured text on a grey picture (a screen save's cyan caption over bone) can have the
    // luminance of what lies under it, so the luminance plane does not show it; its
    // colourfulness does. Searched as a plane of its own, read there, only on frames that are
    // almost all grey (a photograph or colour flow would make the colour plane texture).
    let luma_planes = planes.len();
    for k in 0..luma_planes {
        let Some(colour) = colour_text_plane(&planes[k].1) else {
            continue;
        };
        let frame = planes[k].0;
        let new: Vec<Candidate> = find_candidates(&luma(&colour), None)
            .into_iter()
            .filter(|c| {
                // One line of a caption, not a colour-flow blob or speck (a small Doppler box on
                // a grey ultrasound leaves the frame almost all grey; its blob reads as a band,
                // its specks as lone letters).
                c.tier != Tier::Glyph
                    && c.rect.h <= MAX_COLOUR_LINE_HEIGHT
                    && coloured_around(&colour, &c.rect) <= MAX_COLOURED_AROUND
                    && !jobs.iter().any(|(a, j)| {
                        let same_frame = a.is_none_or(|i| planes[i].0 == frame);
                        same_frame && j.tier != Tier::Glyph && covers_most(&j.rect, &c.rect)
                    })
            })
            .collect();
        if !new.is_empty() {
            let at = planes.len();
            planes.push((frame, colour));
            jobs.extend(new.into_iter().map(|c| (Some(at), c)));
        }
    }
    // Lone glyphs are never read: they only tell the check after cleaning that a mark that may
    // be a letter is there (`Found::unconfirmed`), at most `MAX_GLYPHS_PER_PLANE` per plane.
    let mut glyphs: Vec<Region> = Vec::new();
    jobs.retain(|(at, c)| {
        if c.tier != Tier::Glyph {
            return true;
        }
        let on_plane = glyphs
            .iter()
            .filter(|g| g.all_frames == at.is_none() && at.is_none_or(|k| g.frame == planes[k].0))
            .count();
        if on_plane < MAX_GLYPHS_PER_PLANE {
            glyphs.push(region(&planes, *at, c.rect, RegionSource::Detector));
        }
        false
    });
    let mut found = Found::default();
    if let Some(reader) = reader {
        let mut read = Found {
            read: true,
            ..Found::default()
        };
        let context = ReadContext {
            planes: &planes,
            cine: cine.as_ref(),
            patient,
            text_expected,
        };
        match read_candidates(reader, &context, &jobs, &mut read) {
            Ok(()) => {
                merge_same_line(&mut read.regions);
                match_split_lines(&mut read.regions, patient);
                read.unconfirmed.extend(glyphs);
                return Ok(read);
            }
            Err(why) => found.reader_failed = Some(why),
        }
    }
    for (at, c) in jobs {
        match c.tier {
            Tier::Confident => {
                found
                    .regions
                    .push(region(&planes, at, c.rect, RegionSource::Detector))
            }
            Tier::Possible => {
                found.unread += 1;
                found
                    .unconfirmed
                    .push(region(&planes, at, c.rect, RegionSource::Detector));
            }
            Tier::Glyph => {}
        }
    }
    found.unconfirmed.extend(glyphs);
    Ok(found)
}

/// What reading the candidates needs besides them.
struct ReadContext<'a> {
    planes: &'a [(u32, Plane)],
    cine: Option<&'a StillText>,
    patient: &'a Patient,
    text_expected: bool,
}

/// Reads the candidates plane by plane, confident ones first, at most `MAX_READ_PER_FRAME`
/// of each plane, into `found`; `Err`: the reader failed (why).
fn read_candidates(
    reader: &TextReader,
    context: &ReadContext<'_>,
    jobs: &[(Option<usize>, Candidate)],
    found: &mut Found,
) -> Result<(), String> {
    let planes = context.planes;
    let mut on: Vec<Option<usize>> = jobs.iter().map(|(at, _)| *at).collect();
    on.sort();
    on.dedup();
    for at in on {
        let mut cands: Vec<Candidate> = jobs
            .iter()
            .filter(|(a, _)| *a == at)
            .map(|(_, c)| *c)
            .collect();
        cands.sort_by_key(|c| (c.tier == Tier::Possible, std::cmp::Reverse(c.strength)));
        let confident = cands.iter().filter(|c| c.tier == Tier::Confident).count();
        let most = MAX_READ_PER_FRAME.min(confident + MAX_POSSIBLE_PER_FRAME);
        if cands.len() > most {
            found.skipped += cands.len() - most;
            let left = cands.split_off(most);
            found.unconfirmed.extend(
                left.iter()
                    .map(|c| region(planes, at, c.rect, RegionSource::Detector)),
            );
        }
        let plane_owned;
        let plane: &Plane = match (at, context.cine) {
            (Some(k), _) => &planes[k].1,
            (None, Some(cine)) => {
                plane_owned = Plane {
                    width: cine.width,
                    height: cine.height,
                    luma: cine.mean.clone(),
                    chroma: None,
                };
                &plane_owned
            }
            (None, None) => continue,
        };
        let rects: Vec<Rect> = cands.iter().map(|c| c.rect).collect();
        let readings = reader.read(plane, &rects)?;
        for (c, reading) in cands.iter().zip(readings) {
            match reading {
                Some(r) => found
                    .regions
                    .push(read_region(planes, at, c, r, context.patient)),
                None if c.tier == Tier::Confident && context.text_expected => found
                    .regions
                    .push(region(planes, at, c.rect, RegionSource::Detector)),
                None => found
                    .unconfirmed
                    .push(region(planes, at, c.rect, RegionSource::Detector)),
            }
        }
    }
    Ok(())
}

/// Most of a colour frame's pixels are grey (colourfulness at most `GREY_CHROMA`) when at
/// least this share of them is: text and a few coloured marks stay well below the rest.
const GREY_SHARE: f32 = 0.9;
const GREY_CHROMA: u8 = 24;
/// The tallest line searched for on the colourfulness plane: captions are one line of small
/// print (the reader reads one line at a time); taller finds there are colour flow.
const MAX_COLOUR_LINE_HEIGHT: u32 = 40;

/// The colourfulness of a colour frame that is almost all grey, as a plane to search for
/// coloured text; `None` for grey frames and colourful ones.
fn colour_text_plane(plane: &Plane) -> Option<Plane> {
    let chroma = plane.chroma.as_ref()?;
    let grey = chroma.iter().filter(|&&c| c <= GREY_CHROMA).count();
    if chroma.is_empty() || (grey as f32) < GREY_SHARE * chroma.len() as f32 {
        return None;
    }
    if chroma.iter().all(|&c| c <= GREY_CHROMA) {
        return None;
    }
    Some(Plane {
        width: plane.width,
        height: plane.height,
        luma: chroma.clone(),
        chroma: None,
    })
}

/// A caption's surroundings are grey; colour flow's are coloured. At most this share of the
/// ring around a find on the colourfulness plane may be coloured.
const MAX_COLOURED_AROUND: f32 = 0.25;

/// The share of coloured pixels (colourfulness above `GREY_CHROMA`) in the ring of one box
/// height around `r` on the colourfulness plane `colour`.
fn coloured_around(colour: &Plane, r: &Rect) -> f32 {
    let margin = r.h.max(4);
    let (x0, y0) = (r.x.saturating_sub(margin), r.y.saturating_sub(margin));
    let x1 = (r.x + r.w + margin).min(colour.width);
    let y1 = (r.y + r.h + margin).min(colour.height);
    let (mut ring, mut coloured) = (0u32, 0u32);
    for y in y0..y1 {
        for x in x0..x1 {
            if (r.x..r.x + r.w).contains(&x) && (r.y..r.y + r.h).contains(&y) {
                continue;
            }
            ring += 1;
            let at = y as usize * colour.width as usize + x as usize;
            if colour.luma.get(at).is_some_and(|&c| c > GREY_CHROMA) {
                coloured += 1;
            }
        }
    }
    if ring == 0 {
        0.0
    } else {
        coloured as f32 / ring as f32
    }
}

/// `b` lies mostly (three quarters of its area) inside `a`.
fn covers_most(a: &Rect, b: &Rect) -> bool {
    let w = (a.x + a.w).min(b.x + b.w).saturating_sub(a.x.max(b.x));
    let h = (a.y + a.h).min(b.y + b.h).saturating_sub(a.y.max(b.y));
    u64::from(w) * u64::from(h) * 4 >= u64::from(b.w) * u64::from(b.h) * 3
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/// A region on the frame of plane `at`, or on every frame (`None`: the cine's mean).
fn region(planes: &[(u32, Plane)], at: Option<usize>, rect: Rect, source: RegionSource) -> Region {
    let frame = at.map(|k| planes[k].0);
    Region::new(frame, rect, source)
}

fn read_region(
    planes: &[(u32, Plane)],
    at: Option<usize>,
    c: &Candidate,
    reading: Reading,
    patient: &Patient,
) -> Region {
    let source = match c.tier {
        Tier::Confident => RegionSource::Detector,
        Tier::Possible | Tier::Glyph => RegionSource::Ocr,
    };
    let said = patient.match_text(&reading.text);
    let mut r = region(planes, at, reading.rect, source);
    r.identifies = said.identifies.iter().map(|k| k.to_string()).collect();
    r.pattern = said.pattern.map(str::to_string);
    r.text = Some(reading.text);
    r
}

/// Two candidates of one line read over overlapping strips read the same text: one region.
fn merge_same_line(regions: &mut Vec<Region>) {
    let mut i = 0;
    while i < regions.len() {
        let mut j = i + 1;
        while j < regions.len() {
            let (a, b) = (&regions[i], &regions[j]);
            let same_frames = a.all_frames == b.all_frames && (a.all_frames || a.frame == b.frame);
            let same_line = a.text.is_some()
                && b.text.is_some()
                && overlaps(&a.rect(), &b.rect())
                && a.y.abs_diff(b.y) * 2 <= a.h.min(b.h);
            if same_frames && same_line {
                let b = regions.swap_remove(j);
                merge_into(&mut regions[i], b);
            } else {
                j += 1;
            }
        }
        i += 1;
    }
}

/// Parts of one line read as separate regions ("Patient ID:", "6963", "0254") are matched
/// together too, left to right: a value split by the reader's boxes still shows the value.
/// Each part gets what the whole line shows.
fn match_split_lines(regions: &mut [Region], patient: &Patient) {
    let shows: Vec<Vec<&'static str>> = (0..regions.len())
        .map(|i| {
            let a = &regions[i];
            if a.text.is_none() {
                return Vec::new();
            }
            let mut line: Vec<&Region> = regions
                .iter()
                .filter(|b| b.text.is_some() && on_one_line(a, b))
                .collect();
            if line.len() < 2 {
                return Vec::new();
            }
            line.sort_by_key(|r| r.x);
            let joined: Vec<&str> = line.iter().filter_map(|r| r.text.as_deref()).collect();
            patient.match_text(&joined.join(" ")).identifies
        })
        .collect();
    for (r, keywords) in regions.iter_mut().zip(shows) {
        for k in keywords {
            if !r.identifies.iter().any(|i| i == k) {
                r.identifies.push(k.to_string());
            }
        }
    }
}

/// Same frame, rows overlapping by half the lower box, at most eight line heights apart.
fn on_one_line(a: &Region, b: &Region) -> bool {
    let same_frames = a.all_frames == b.all_frames && (a.all_frames || a.frame == b.frame);
    let top = a.y.max(b.y);
    let bottom = (a.y + a.h).min(b.y + b.h);
    let high = a.h.max(b.h);
    let gap = a.x.max(b.x).saturating_sub((a.x + a.w).min(b.x + b.w));
    same_frames && bottom > top && (bottom - top) * 2 >= a.h.min(b.h) && gap <= high * 8
}

fn merge_into(a: &mut Region, b: Region) {
    let (x0, y0) = (a.x.min(b.x), a.y.min(b.y));
    let (x1, y1) = ((a.x + a.w).max(b.x + b.w), (a.y + a.h).max(b.y + b.h));
    (a.x, a.y, a.w, a.h) = (x0, y0, x1 - x0, y1 - y0);
    let (ta, tb) = (
        a.text.take().unwrap_or_default(),
        b.text.unwrap_or_default(),
    );
    a.text = Some(if ta.contains(&tb) {
        ta
    } else if tb.contains(&ta) {
        tb
    } else if b.x < a.x {
        format!("{tb} {ta}")
    } else {
        format!("{ta} {tb}")
    });
    for k in b.identifies {
        if !a.identifies.contains(&k) {
            a.identifies.push(k);
        }
    }
    a.pattern = a.pattern.take().or(b.pattern);
    if b.source == RegionSource::Detector {
        a.source = RegionSource::Detector;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_images_are_searched_whole_long_ones_sampled() {
        assert_eq!(sampled(0), vec![0]);
        assert_eq!(sampled(3), vec![0, 1, 2]);
        let long = sampled(1000);
        assert_eq!(long.len(), SAMPLED_FRAMES as usize);
        assert_eq!((long[0], long[7]), (0, 999));
    }

    /// Bug (issue 9, name/ID matched): the reader read "LC-12" and "345" of one line as two
    /// boxes, and neither part alone matched the ID LC-12345. The parts of a line are matched
    /// together, and each gets what the line shows; a line below is not joined to them.
    #[test]
    fn regression_an_id_split_across_two_reads_was_not_matched() {
        let file = dicom_leakcheck_testkit::part10(
            &dicom_leakcheck_testkit::sample_with([]),
            dicom_leakcheck_testkit::EXPLICIT_LE,
        );
        let parsed = crate::parse::parse(&file).expect("parses");
        let identity = crate::pixels::burned_in::identity_of(&parsed);
        let patient = Patient::new(&identity, &parsed);
        let read = |x: u32, y: u32, text: &str| {
            let mut r = Region::new(Some(0), Rect { x, y, w: 24, h: 8 }, RegionSource::Ocr);
            r.text = Some(text.to_string());
            r
        };
        let mut regions = vec![
            read(40, 10, "345"),
            read(4, 10, "LC-12"),
            read(4, 40, "WL 40"),
        ];
        assert!(regions.iter().all(|r| patient
            .match_text(r.text.as_deref().unwrap_or(""))
            .identifies
            .is_empty()));
        match_split_lines(&mut regions, &patient);
        assert_eq!(regions[0].identifies, vec!["PatientID".to_string()]);
        assert_eq!(regions[1].identifies, vec!["PatientID".to_string()]);
        assert!(regions[2].identifies.is_empty());
    }

    #[test]
    fn two_readings_of_one_line_become_one_region() {
        let mut a = Region::new(
            Some(0),
            Rect {
                x: 10,
                y: 10,
                w: 40,
                h: 8,
            },
            RegionSource::Detector,
        );
        a.text = Some("Name: DOE".into());
        a.identifies = vec!["PatientName".into()];
        let mut b = Region::new(
            Some(0),
            Rect {
                x: 30,
                y: 11,
                w: 50,
                h: 8,
            },
            RegionSource::Ocr,
        );
        b.text = Some("DOE JANE".into());
        let mut other_frame = b.clone();
        other_frame.frame = 1;
        let mut regions = vec![a, b, other_frame];
        merge_same_line(&mut regions);
        assert_eq!(regions.len(), 2);
        let r = &regions[0];
        assert_eq!((r.x, r.y, r.w, r.h), (10, 10, 70, 9));
        assert_eq!(r.text.as_deref(), Some("Name: DOE DOE JANE"));
        assert_eq!(r.source, RegionSource::Detector);
        assert_eq!(r.identifies, vec!["PatientName".to_string()]);
    }
}
