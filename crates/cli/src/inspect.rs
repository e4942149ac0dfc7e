//! `dicom-leakcheck inspect`: a table per file, or one JSON document.

use crate::damaged::{self, DamagedFile};
use crate::files::expand;
use crate::{pool, progress, stream, Exit, Usage};
use dicom_leakcheck::{BurnedIn, RiskLevel};
use dicom_leakcheck::{Finding, Options, PixelWork, Report, Request, Summary, TextReader};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file in `inspect --json`. The field names are a contract; extend, never rename.
#[derive(Serialize)]
pub struct FileResult<'a> {
    pub path: String,
    pub ok: bool,
    pub error: Option<String>,
    pub summary: Option<&'a Summary>,
    pub findings: Vec<&'a Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elements: Option<&'a [Finding]>,
    pub transfer_syntax: Option<&'a str>,
    pub warnings: &'a [String],
    /// Burned-in text: risk, reasons and regions (PS3.15 E.3.1).
    pub burned_in: Option<&'a BurnedIn>,
    /// A damaged file (`ok` false): whom the part before the damage names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub damaged: Option<&'a DamagedFile>,
}

#[derive(Serialize)]
struct Document<'a> {
    files: Vec<FileResult<'a>>,
    /// Files that are not DICOM at all, counted and listed but not errors.
    skipped: usize,
    skipped_files: &'a [String],
    errors: usize,
}

/// How `inspect` was asked to run.
pub struct Settings {
    pub options: Options,
    pub json: bool,
    pub all: bool,
    /// Skip the pixel search: the burned-in verdict rests on the header (`--no-pixels`).
    pub no_pixels: bool,
    /// Files checked at once (`--jobs`).
    pub jobs: usize,
    /// Reads the text the pixel search finds (`--ocr-models`); `None`: reported as not read.
    pub reader: Option<Arc<TextReader>>,
}

/// One file's outcome: its report, not DICOM (skipped), or an error.
enum Checked {
    Report(Box<Report>),
    NotDicom,
    Failed(Box<Unread>),
}

/// Reads `path` in parts: the header and what follows Pixel Data; the pixels only of files
/// small enough to search them for burned-in text (and not with `--no-pixels`). A damaged
/// file is read again up to its damage, to say whom that part names.
fn inspect_one(path: &Path, request: &Request) -> Checked {
    match std::fs::File::open(path).and_then(|mut f| stream::drive(&mut f, request.clone())) {
        Err(e) => Checked::Failed(Box::new(Unread::from(format!("cannot read the file: {e}")))),
        Ok(Ok(outcome)) => Checked::Report(Box::new(outcome.report)),
        Ok(Err(e)) if e.not_dicom() => Checked::NotDicom,
        Ok(Err(e)) => Checked::Failed(Box::new(Unread {
            message: e.to_string(),
            damaged: damaged::read(path, &e, request.options),
        })),
    }
}

pub fn run(paths: &[PathBuf], settings: Settings) -> Result<Exit, Usage> {
    let Settings {
        options,
        json,
        all,
        no_pixels,
        jobs,
        reader,
    } = settings;
    let (files, problems) = expand(paths);
    for problem in &problems {
        eprintln!("dicom-leakcheck: {problem}");
    }
    let request = match (no_pixels, reader) {
        (true, _) => Request::inspect(options).with_pixels(PixelWork::HeaderRisk),
        (false, Some(reader)) => Request::inspect(options).with_reader(reader),
        (false, None) => Request::inspect(options),
    };
    let bar = progress::bar(files.len());
    let mut results: Vec<(String, Result<Report, Unread>)> = Vec::new();
    let mut skipped = Vec::new();
    pool::for_each_ordered(
        &files,
        jobs,
        |file| inspect_one(&file.path, &request),
        |_, file, checked| {
            bar.inc(1);
            let name = file.path.display().to_string();
            match checked {
                Ok(Checked::Report(report)) => results.push((name, Ok(*report))),
                Ok(Checked::NotDicom) => skipped.push(name),
                Ok(Checked::Failed(unread)) => results.push((name, Err(*unread))),
                Err(panicked) => results.push((name, Err(Unread::from(panicked)))),
            }
        },
    );
    bar.finish_and_clear();
    let errors = results.iter().filter(|r| r.1.is_err()).count() + problems.len();

    if json {
        let files = results
            .iter()
            .map(|(path, outcome)| match outcome {
                Ok(report) => FileResult {
                    path: path.clone(),
                    ok: true,
                    error: None,
                    summary: Some(&report.summary),
                    findings: report.findings().collect(),
                    elements: all.then_some(report.elements.as_slice()),
                    transfer_syntax: Some(&report.transfer_syntax),
                    warnings: &report.warnings,
                    burned_in: Some(&report.burned_in),
                    damaged: None,
                },
                Err(e) => FileResult {
                    path: path.clone(),
                    ok: false,
                    error: Some(e.message.clone()),
                    summary: None,
                    findings: Vec::new(),
                    elements: None,
                    transfer_syntax: None,
                    warnings: &[],
                    burned_in: None,
                    damaged: e.damaged.as_ref(),
                },
            })
            .collect();
        let document = Document {
            files,
            skipped: skipped.len(),
            skipped_files: &skipped,
            errors,
        };
        match serde_json::to_string_pretty(&document) {
            Ok(text) => println!("{text}"),
            Err(e) => return Err(Usage(format!("cannot write JSON: {e}"))),
        }
    } else {
        print_tables(&results, all);
        let leaking = results
            .iter()
            .filter(|r| matches!(&r.1, Ok(report) if report.summary.flagged > 0))
            .count();
        println!(
            "{} DICOM file{}: {leaking} leak{} patient information, {} clean, {errors} could not be read; {} non-DICOM file{} skipped.",
            results.len(),
            plural(results.len()),
            if leaking == 1 { "s" } else { "" },
            results.len() - leaking - (errors - problems.len()),
            skipped.len(),
            plural(skipped.len()),
        );
    }
    Ok(if errors > 0 {
        Exit::SomeFailed
    } else {
        Exit::AllDone
    })
}

/// A file that could not be read: why, and what the part before a damage says.
struct Unread {
    message: String,
    damaged: Option<DamagedFile>,
}

impl From<String> for Unread {
    fn from(message: String) -> Unread {
        Unread {
            message,
            damaged: None,
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// One line for the burned-in text verdict, and the reasons that raise it.
fn print_burned_in(burned_in: &BurnedIn) {
    if report_is_quiet(burned_in) {
        return;
    }
    let level = match burned_in.risk {
        RiskLevel::High => "HIGH",
        RiskLevel::Medium => "medium",
        RiskLevel::Low => "low",
    };
    let regions = match burned_in.regions.len() {
        0 => String::new(),
        n => format!(", {n} region{} to black out", plural(n)),
    };
    println!("  burned-in text risk: {level}{regions}");
    for reason in burned_in
        .reasons
        .iter()
        .filter(|r| r.level > RiskLevel::Low)
    {
        println!("    - {}", reason.text);
    }
}

fn report_is_quiet(burned_in: &BurnedIn) -> bool {
    burned_in.risk == RiskLevel::Low && burned_in.regions.is_empty()
}

fn print_tables(results: &[(String, Result<Report, Unread>)], all: bool) {
    for (path, outcome) in results {
        match outcome {
            Err(e) => {
                println!("{path}\n  ERROR: {}", e.message);
                if let Some(damaged) = &e.damaged {
                    println!("  {}", damaged.text);
                    // The values that name the patient; --json lists every finding.
                    for f in damaged
                        .findings
                        .iter()
                        .filter(|f| f.category.is_some_and(|c| c.name() == "direct-identifier"))
                    {
                        println!("    {} {} = {}", f.tag, f.keyword, clip(&f.value, 40));
                    }
                }
                println!();
            }
            Ok(report) => {
                let verdict = if report.summary.flagged > 0 {
                    "LEAKS"
                } else {
                    "clean"
                };
                println!("{path}  [{verdict}]");
                println!("  {}", report.summary.text);
                for warning in &report.warnings {
                    println!("  note: {warning}");
                }
                print_burned_in(&report.burned_in);
                let rows: Vec<&Finding> = if all {
                    report.elements.iter().collect()
                } else {
                    report.findings().collect()
                };
                if !rows.is_empty() {
                    println!(
                        "  {:<34} {:<28} {:<2} {:<30} {:<6} WHY",
                        "TAG", "KEYWORD", "VR", "VALUE", "ACTION"
                    );
                }
                for f in rows {
                    let indent = "  ".repeat(f.depth);
                    let keyword = match (f.keyword, &f.private_creator) {
                        ("", Some(creator)) => format!("[{creator}]"),
                        (k, _) => k.to_string(),
                    };
                    println!(
                        "  {:<34} {:<28} {:<2} {:<30} {:<6} {}",
                        format!("{indent}{}", f.tag),
                        clip(&keyword, 28),
                        f.vr,
                        clip(&f.value, 30),
                        f.action.unwrap_or(""),
                        f.reason.as_deref().unwrap_or(""),
                    );
                }
                println!();
            }
        }
    }
}

fn clip(text: &str, width: usize) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() <= width {
        text
    } else {
        let mut cut: String = text.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}
