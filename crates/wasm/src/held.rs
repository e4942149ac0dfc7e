//! Flagged first: a report crosses into JavaScript in two parts, without inspecting the file
//! twice. The page's list and verdicts need a file's summary and its flagged findings only;
//! the other elements (most of a report: an RT plan of the benchmark's batch has 4,151, of
//! which 31 are flagged) are wanted only when the user opens the file. Crossing them all for every file of a
//! batch (writing JSON in the module, decoding it, `JSON.parse`) took longer than a bare parse
//! of the file by dicom-parser.
//!
//! So `inspect_flagged` gives the report's shape with `elements` holding the flagged findings
//! only, and keeps the whole report in the module under a `handle`; `unflagged_elements(handle)`
//! gives the rest later, and `release_held(handle)` lets it go. What the module holds is
//! bounded (`HELD_BUDGET_BYTES`): past it, the oldest reports are let go first, and a call on
//! their handle answers `null` (the page then inspects the file again).
//!
//! This file is pure Rust (tested natively); the exports are in `lib.rs`.

use dicom_leakcheck::{BurnedIn, Finding, PixelDataInfo, Report, Summary};
use serde::Serialize;
use std::collections::VecDeque;

/// What the reports held in one module may take, about (see `report_bytes`). Each of the
/// page's workers has its own module, so a pool of 4 holds at most four times this. The
/// built-in CT sample's report counts about 30 KB: some 550 such files per worker are kept.
pub const HELD_BUDGET_BYTES: usize = 16 << 20;

/// The flagged-first shape of a report: the fields of `Report`, in its order, with `elements`
/// holding the flagged findings only, and what is needed to put the whole list back together.
#[derive(Serialize)]
pub struct FlaggedFirst<'a> {
    transfer_syntax: &'a str,
    has_preamble: bool,
    has_meta: bool,
    offsets_in_inflated: bool,
    warnings: &'a [String],
    summary: &'a Summary,
    pixel_data: &'a Option<PixelDataInfo>,
    /// The flagged findings, in the order of the whole list.
    elements: Vec<&'a Finding>,
    burned_in: &'a BurnedIn,
    /// How many elements the whole list has (flagged or not).
    element_count: usize,
    /// Where each of `elements` stands in the whole list (0-based, rising): the unflagged
    /// elements fill the other places, in their order.
    element_positions: Vec<usize>,
    /// The handle of the whole report held in the module, `null` when it was not kept.
    handle: Option<u32>,
}

impl<'a> FlaggedFirst<'a> {
    pub fn of(report: &'a Report, handle: Option<u32>) -> Self {
        let (element_positions, elements) = report
            .elements
            .iter()
            .enumerate()
            .filter(|(_, finding)| finding.flagged)
            .unzip();
        FlaggedFirst {
            transfer_syntax: &report.transfer_syntax,
            has_preamble: report.has_preamble,
            has_meta: report.has_meta,
            offsets_in_inflated: report.offsets_in_inflated,
            warnings: &report.warnings,
            summary: &report.summary,
            pixel_data: &report.pixel_data,
            elements,
            burned_in: &report.burned_in,
            element_count: report.elements.len(),
            element_positions,
            handle,
        }
    }
}

/// The elements `FlaggedFirst` leaves out, in their order, serialised as a list without being
/// collected first.
pub struct Unflagged<'a>(pub &'a Report);

impl Serialize for Unflagged<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.elements.iter().filter(|f| !f.flagged))
    }
}

/// The reports held in one module, oldest first, within `budget` bytes.
pub struct HeldReports {
    held: VecDeque<Held>,
    bytes: usize,
    budget: usize,
    next_handle: u32,
}

struct Held {
    handle: u32,
    report: Box<Report>,
    bytes: usize,
}

impl HeldReports {
    pub const fn new(budget: usize) -> Self {
        HeldReports {
            held: VecDeque::new(),
            bytes: 0,
            budget,
            next_handle: 1,
        }
    }

    /// Keeps `report` and gives its handle; lets the oldest reports go while the total is over
    /// the budget. A report larger than the whole budget is not kept: it is given back.
    pub fn hold(&mut self, report: Box<Report>) -> Result<u32, Box<Report>> {
        let bytes = report_bytes(&report);
        if bytes > self.budget {
            return Err(report);
        }
        while self.bytes + bytes > self.budget {
            let Some(oldest) = self.held.pop_front() else {
                break;
            };
            self.bytes -= oldest.bytes;
        }
        let handle = self.next_handle;
        // Handles are never 0 (falsy in JavaScript) and wrap after 4 billion files.
        self.next_handle = self.next_handle.checked_add(1).unwrap_or(1);
        self.bytes += bytes;
        self.held.push_back(Held {
            handle,
            report,
            bytes,
        });
        Ok(handle)
    }

    pub fn get(&self, handle: u32) -> Option<&Report> {
        self.position(handle).map(|at| &*self.held[at].report)
    }

    /// Lets the report go; false when it was not held (any more).
    pub fn release(&mut self, handle: u32) -> bool {
        let Some(at) = self.position(handle) else {
            return false;
        };
        if let Some(gone) = self.held.remove(at) {
            self.bytes -= gone.bytes;
        }
        true
    }

    pub fn release_all(&mut self) {
        self.held.clear();
        self.bytes = 0;
    }

    /// About how many bytes the held reports take.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.held.len()
    }

    fn position(&self, handle: u32) -> Option<usize> {
        self.held.iter().position(|held| held.handle == handle)
    }
}

/// About how many bytes a report takes in memory: its findings and their text. The summary,
/// warnings and burned-in verdict are a few KB at most and counted as one.
fn report_bytes(report: &Report) -> usize {
    const REST_OF_REPORT: usize = 4 << 10;
    let finding_bytes = |f: &Finding| {
        std::mem::size_of::<Finding>()
            + f.tag.capacity()
            + f.path.capacity()
            + f.value.capacity()
            + f.private_creator.as_ref().map_or(0, String::capacity)
            + match &f.reason {
                Some(std::borrow::Cow::Owned(reason)) => reason.capacity(),
                _ => 0,
            }
    };
    REST_OF_REPORT + report.elements.iter().map(finding_bytes).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use dicom_leakcheck::sample::{sample_file, ultrasound_sample};
    use dicom_leakcheck::{check, Options, PixelWork, Request};
    use serde_json::{json, Value};

    /// The report `inspect` gives the page (the header's, as `session::header_request`).
    fn eager(bytes: &[u8]) -> Report {
        let request = Request::inspect(Options::basic()).with_pixels(PixelWork::HeaderRisk);
        check(bytes, &request).expect("the sample reads").report
    }

    fn files() -> Vec<Vec<u8>> {
        vec![sample_file(), ultrasound_sample()]
    }

    #[test]
    fn flagged_first_is_the_eager_report_with_only_its_flagged_elements() {
        for bytes in files() {
            let report = eager(&bytes);
            let whole = serde_json::to_value(&report).unwrap();
            let mut first = serde_json::to_value(FlaggedFirst::of(&report, Some(7))).unwrap();
            let first = first.as_object_mut().unwrap();
            assert_eq!(first.remove("handle"), Some(json!(7)));
            assert_eq!(
                first.remove("element_count"),
                Some(json!(report.elements.len()))
            );
            let positions = first.remove("element_positions").unwrap();
            // Every other field is the eager report's, under the same names.
            let mut expected = whole.as_object().unwrap().clone();
            let all = expected["elements"].as_array().unwrap().clone();
            let flagged: Vec<Value> = all
                .iter()
                .filter(|e| e["flagged"] == json!(true))
                .cloned()
                .collect();
            assert!(!flagged.is_empty() && flagged.len() < all.len());
            expected.insert("elements".into(), Value::Array(flagged));
            assert_eq!(*first, expected);
            let positions: Vec<usize> = serde_json::from_value(positions).unwrap();
            for (at, finding) in positions.iter().zip(first["elements"].as_array().unwrap()) {
                assert_eq!(&all[*at], finding);
            }
        }
    }

    #[test]
    fn the_unflagged_rest_fills_the_other_places_to_give_the_eager_list() {
        for bytes in files() {
            let report = eager(&bytes);
            let all = serde_json::to_value(&report.elements).unwrap();
            let all = all.as_array().unwrap();
            let first = serde_json::to_value(FlaggedFirst::of(&report, None)).unwrap();
            let rest = serde_json::to_value(Unflagged(&report)).unwrap();
            let rest = rest.as_array().unwrap();
            let eager_rest: Vec<&Value> = all
                .iter()
                .filter(|e| e["flagged"] == json!(false))
                .collect();
            assert_eq!(rest.iter().collect::<Vec<_>>(), eager_rest);
            // Put together as the page does (www/worker.js `wholeReport`).
            let positions: Vec<usize> =
                serde_json::from_value(first["element_positions"].clone()).unwrap();
            let flagged = first["elements"].as_array().unwrap();
            let mut merged = Vec::new();
            let (mut f, mut r) = (flagged.iter(), rest.iter());
            for at in 0..first["element_count"].as_u64().unwrap() as usize {
                let next = if positions.contains(&at) {
                    f.next()
                } else {
                    r.next()
                };
                merged.push(next.unwrap().clone());
            }
            assert_eq!(&merged, all);
        }
    }

    #[test]
    fn held_reports_stay_within_the_budget_oldest_let_go_first() {
        let one = eager(&sample_file());
        // (A clone's strings have no spare capacity: the size of what is held.)
        let size = report_bytes(&one.clone());
        let mut held = HeldReports::new(size * 3);
        let handles: Vec<u32> = (0..5)
            .map(|_| held.hold(Box::new(one.clone())).expect("fits"))
            .collect();
        assert_eq!(held.len(), 3);
        assert!(held.bytes() <= size * 3);
        assert!(held.get(handles[0]).is_none() && held.get(handles[1]).is_none());
        assert!(held.get(handles[4]).is_some());
        assert!(held.release(handles[3]));
        assert!(!held.release(handles[3]));
        assert_eq!(held.len(), 2);
        assert_eq!(held.bytes(), size * 2);
        held.release_all();
        assert!(held.len() == 0 && held.bytes() == 0);
        // Larger than the whole budget: given back, nothing let go for it.
        let mut small = HeldReports::new(size - 1);
        assert!(small.hold(Box::new(one)).is_err());
    }
}
