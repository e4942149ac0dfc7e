//! `dicom-leakcheck inspect`: a table per file, or one JSON document.

use crate::files::expand;
use crate::{progress, stream, Usage, EXIT_OK, EXIT_SOME_FAILED};
use dicom_leakcheck::pixels::burned_in::BurnedIn;
use dicom_leakcheck::pixels::risk::RiskLevel;
use dicom_leakcheck::{Finding, Options, Report, Request, Summary, TextReader};
use serde::Serialize;
use std::path::PathBuf;
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
}

#[derive(Serialize)]
struct Document<'a> {
    files: Vec<FileResult<'a>>,
    /// Files that are not DICOM at all, counted and listed but not errors.
    skipped: usize,
    skipped_files: &'a [String],
    errors: usize,
}

pub fn run(
    paths: &[PathBuf],
    options: Options,
    reader: Option<Arc<TextReader>>,
    json: bool,
    all: bool,
) -> Result<i32, Usage> {
    let mut request = Request::inspect(options);
    if let Some(reader) = reader {
        request = request.with_reader(reader);
    }
    let (files, problems) = expand(paths);
    for problem in &problems {
        eprintln!("dicom-leakcheck: {problem}");
    }
    let bar = progress::bar(files.len());
    let mut results: Vec<(String, Result<Report, String>)> = Vec::new();
    let mut skipped = Vec::new();
    for file in &files {
        let name = file.path.display().to_string();
        bar.inc(1);
        // Read in parts: the header and what follows Pixel Data; the pixels only of files small
        // enough to search them for burned-in text.
        let outcome = match std::fs::File::open(&file.path)
            .and_then(|mut f| stream::drive(&mut f, request.clone()))
        {
            Err(e) => Err(format!("cannot read the file: {e}")),
            Ok(result) => match result {
                Ok(outcome) => Ok(outcome.report),
                Err(e) if e.not_dicom() => {
                    skipped.push(name);
                    continue;
                }
                Err(e) => Err(e.to_string()),
            },
        };
        results.push((name, outcome));
    }
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
                },
                Err(e) => FileResult {
                    path: path.clone(),
                    ok: false,
                    error: Some(e.clone()),
                    summary: None,
                    findings: Vec::new(),
                    elements: None,
                    transfer_syntax: None,
                    warnings: &[],
                    burned_in: None,
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
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    })
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

fn print_tables(results: &[(String, Result<Report, String>)], all: bool) {
    for (path, outcome) in results {
        match outcome {
            Err(e) => println!("{path}\n  ERROR: {e}\n"),
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
                    let keyword = match (&f.keyword, &f.private_creator) {
                        (k, Some(creator)) if k.is_empty() => format!("[{creator}]"),
                        (k, _) => k.clone(),
                    };
                    println!(
                        "  {:<34} {:<28} {:<2} {:<30} {:<6} {}",
                        format!("{indent}{}", f.tag),
                        clip(&keyword, 28),
                        f.vr,
                        clip(&f.value, 30),
                        f.action.as_deref().unwrap_or(""),
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
