//! `dicom-leakcheck deid`: write de-identified copies under --out, never touching the inputs.
//! Where each goes and the DICOMDIR written over them: `paths.rs`.

use crate::damaged::{self, DamagedFile};
use crate::files::{expand, InputFile};
use crate::paths::{DirectoryWritten, Layout};
use crate::{pool, progress, stream, Exit, Usage};
use dicom_leakcheck::dicomdir::{self, PathChoice};
use dicom_leakcheck::{
    check, BurnedIn, Changes, Deidentified, Finding, Region, Report, Request, TEXT_LEFT,
    TEXT_MAY_BE_LEFT,
};
use serde::Serialize;
use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Serialize)]
struct FileOutcome {
    path: String,
    output: Option<String>,
    ok: bool,
    error: Option<String>,
    changes: Option<Changes>,
    residual: Vec<Finding>,
    warnings: Vec<String>,
    /// Regions blacked out under clean-pixel-data.
    regions_cleaned: Vec<Region>,
    /// When pixels were cleaned: the output's pixels searched (and read) again; its regions
    /// are the text left, and where. Burned In Annotation says NO only when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pixels_after: Option<BurnedIn>,
    /// A damaged file: whom the part before the damage names (no output is written).
    #[serde(skip_serializing_if = "Option::is_none")]
    damaged: Option<DamagedFile>,
}

impl FileOutcome {
    fn failed(path: &Path, error: String) -> FileOutcome {
        FileOutcome {
            path: path.display().to_string(),
            output: None,
            ok: false,
            error: Some(error),
            changes: None,
            residual: Vec::new(),
            regions_cleaned: Vec::new(),
            pixels_after: None,
            warnings: Vec::new(),
            damaged: None,
        }
    }
}

pub fn run(
    paths: &[PathBuf],
    out_dir: &Path,
    request: Request,
    report_path: Option<&Path>,
    choice: PathChoice,
    jobs: usize,
) -> Result<Exit, Usage> {
    let started = Instant::now();
    let (files, problems) = expand(paths);
    for problem in &problems {
        eprintln!("dicom-leakcheck: {problem}");
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Usage(format!("cannot create {}: {e}", out_dir.display())))?;
    let options = request.options;
    let bar = progress::bar(files.len());
    let mut outcomes = Vec::new();
    let mut skipped = 0;
    let mut layout = Layout::new(out_dir, choice);
    let mut targets = std::collections::HashMap::new();
    let mut made_dirs = HashSet::new();
    let mut directory_inputs = Vec::new();
    // Files are checked in parallel (`jobs` at once, a bounded window ahead) and written in
    // the inputs' order: neutral paths are numbered in the order files are seen.
    pool::for_each_ordered(
        &files,
        jobs,
        |file| checked(&request, &file.path),
        |_, file, result| {
            bar.inc(1);
            let outcome = match result.unwrap_or_else(|panicked| Err(Failure::from(panicked))) {
                Ok(None) => {
                    skipped += 1;
                    return;
                }
                Ok(Some(done)) if done.deidentified.record_keys.is_directory() => {
                    // A DICOMDIR is written anew over the de-identified files (paths.rs).
                    layout.directory(file);
                    directory_inputs.push(file.path.display().to_string());
                    return;
                }
                Ok(Some(done)) => write_one(done, file, &mut layout, &mut targets, &mut made_dirs)
                    .unwrap_or_else(|error| FileOutcome::failed(&file.path, error)),
                Err(Failure { message, error }) => FileOutcome {
                    damaged: error.and_then(|e| damaged::read(&file.path, &e, options)),
                    ..FileOutcome::failed(&file.path, message)
                },
            };
            if !outcome.ok {
                bar.suspend(|| {
                    eprintln!(
                        "FAILED {}: {}",
                        outcome.path,
                        outcome.error.as_deref().unwrap_or_default()
                    );
                    if let Some(damaged) = &outcome.damaged {
                        eprintln!("    {}", damaged.text);
                    }
                });
            }
            if let Some(left) = outcome
                .warnings
                .iter()
                .find(|w| w.starts_with(TEXT_LEFT) || w.starts_with(TEXT_MAY_BE_LEFT))
            {
                bar.suspend(|| eprintln!("CHECK {}: {left}", outcome.path));
            }
            if outcome.ok && !outcome.residual.is_empty() {
                bar.suspend(|| {
                    eprintln!(
                        "CHECK {}: still flagged after de-identification:",
                        outcome.path
                    );
                    for f in &outcome.residual {
                        eprintln!(
                            "    {} {} = {:?}: {}",
                            f.path,
                            f.keyword,
                            f.value,
                            f.reason.as_deref().unwrap_or("")
                        );
                    }
                });
            }
            outcomes.push(outcome);
        },
    );
    bar.finish_and_clear();
    let directories = match layout.finish() {
        Ok(written) => written,
        Err(error) => {
            for input in &directory_inputs {
                eprintln!("FAILED {input}: the new DICOMDIR could not be written: {error}");
                outcomes.push(FileOutcome::failed(Path::new(input), error.clone()));
            }
            Vec::new()
        }
    };
    for directory in &directories {
        for input in &directory.replaces {
            outcomes.push(FileOutcome {
                output: Some(directory.output.clone()),
                ok: true,
                error: None,
                warnings: vec![format!(
                    "a DICOMDIR: written anew from the de-identified files it indexes ({} files, {} patients; PS3.3 Annex F)",
                    directory.files, directory.patients
                )],
                ..FileOutcome::failed(Path::new(input), String::new())
            });
        }
        const SHOWN: usize = 10;
        for gap in directory.left_out.iter().take(SHOWN) {
            eprintln!(
                "NOTE {} is not in the DICOMDIR {}: {}",
                gap.output, directory.output, gap.reason
            );
        }
        if directory.left_out.len() > SHOWN {
            eprintln!(
                "NOTE {} more files are not in the DICOMDIR {} (the --report lists each)",
                directory.left_out.len() - SHOWN,
                directory.output
            );
        }
    }

    let failed = outcomes.iter().filter(|o| !o.ok).count() + problems.len();
    let replaced: usize = directories.iter().map(|d| d.replaces.len()).sum();
    let written = outcomes.iter().filter(|o| o.ok).count() - replaced;
    let residual: usize = outcomes.iter().map(|o| o.residual.len()).sum();
    println!(
        "de-identified {written} file{} into {} in {:.1} s; {failed} failed; {skipped} non-DICOM skipped; {residual} element{} still flagged{}; options: {}{}",
        if written == 1 { "" } else { "s" },
        out_dir.display(),
        started.elapsed().as_secs_f64(),
        if residual == 1 { "" } else { "s" },
        directories_said(&directories),
        match options.names() {
            names if names.is_empty() => "basic profile only".to_string(),
            names => names.join(", "),
        },
        failed_names(&outcomes, &problems),
    );
    if let Some(path) = report_path {
        let document = serde_json::json!({ "files": outcomes, "dicomdirs": directories });
        let text = serde_json::to_string_pretty(&document)
            .map_err(|e| Usage(format!("cannot write JSON: {e}")))?;
        std::fs::write(path, text)
            .map_err(|e| Usage(format!("cannot write the report {}: {e}", path.display())))?;
    }
    Ok(if failed > 0 {
        Exit::SomeFailed
    } else {
        Exit::AllDone
    })
}

/// "\nnot written: a.dcm (the file is empty (0 bytes)...), link.dcm (a broken link ...) and 3
/// more": which files failed, and why, in the summary.
fn failed_names(outcomes: &[FileOutcome], problems: &[String]) -> String {
    const SHOWN: usize = 10;
    /// Longest reason shown in the summary; the FAILED lines and the report have all of it.
    const REASON_CHARS: usize = 100;
    let short = |reason: &str| -> String {
        let mut text: String = reason.chars().take(REASON_CHARS).collect();
        if reason.chars().count() > REASON_CHARS {
            text.push_str("...");
        }
        text
    };
    let names: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.ok)
        .map(|o| {
            format!(
                "{} ({})",
                o.path,
                short(o.error.as_deref().unwrap_or("failed"))
            )
        })
        // Problems read "path: why".
        .chain(problems.iter().map(|p| match p.split_once(": ") {
            Some((path, why)) => format!("{path} ({})", short(why)),
            None => p.clone(),
        }))
        .collect();
    if names.is_empty() {
        return String::new();
    }
    let shown = names[..names.len().min(SHOWN)].join(", ");
    let more = match names.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more (the FAILED lines say why)"),
    };
    format!("\nnot written: {shown}{more}")
}

/// "; wrote a new out/DICOMDIR (12 files, 2 patients; replaces 1)".
fn directories_said(directories: &[DirectoryWritten]) -> String {
    directories
        .iter()
        .map(|d| {
            format!(
                "; wrote a new {} ({} file{}, {} patient{}{})",
                d.output,
                d.files,
                if d.files == 1 { "" } else { "s" },
                d.patients,
                if d.patients == 1 { "" } else { "s" },
                match d.replaces.len() {
                    0 => String::new(),
                    n => format!(
                        "; replaces {n} DICOMDIR{} of the input",
                        if n == 1 { "" } else { "s" }
                    ),
                }
            )
        })
        .collect()
}

/// Files up to this size are read in one go and written in one go: for the many small files of
/// a CD, system calls, not bytes, are the cost. Larger ones are read by ranges, so the files in
/// flight (a few per thread) keep the memory small.
const SMALL_FILE_BYTES: u64 = 1024 * 1024;

/// A file de-identified in memory, not written yet.
struct Checked {
    file: File,
    /// The whole input, for files up to SMALL_FILE_BYTES (else `None`: read by ranges).
    whole: Option<Vec<u8>>,
    report: Report,
    deidentified: Deidentified,
}

/// Why a file was not written: the words, and the core's error when it gave one.
struct Failure {
    message: String,
    error: Option<dicom_leakcheck::Error>,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure {
            message,
            error: None,
        }
    }
}

/// `Ok(None)`: not a DICOM file, skipped.
fn checked(request: &Request, input: &Path) -> Result<Option<Checked>, Failure> {
    let mut file = File::open(input).map_err(|e| format!("cannot read the file: {e}"))?;
    let size = file
        .metadata()
        .map_err(|e| format!("cannot read the file: {e}"))?
        .len();
    // An empty file is not "not DICOM" to be skipped in silence: it is most often a copy or
    // a download that failed, and the summary names it.
    if size == 0 {
        return Err(Failure::from(
            "the file is empty (0 bytes): nothing was written for it".to_string(),
        ));
    }
    let mut whole = None;
    // Larger files: only the header (and anything after Pixel Data) is read into memory; Pixel
    // Data is copied from the input file to the output as it is.
    let done = if size <= SMALL_FILE_BYTES {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read the file: {e}"))?;
        check(whole.insert(bytes), request)
    } else {
        stream::drive(&mut file, request.clone())
            .map_err(|e| format!("cannot read the file: {e}"))?
    };
    match done {
        Ok(outcome) => Ok(Some(Checked {
            file,
            whole,
            report: outcome.report,
            deidentified: outcome
                .deidentified
                .ok_or_else(|| "the request did not de-identify (no key)".to_string())?,
        })),
        Err(e) if e.not_dicom() => Ok(None),
        Err(e) => Err(Failure {
            message: e.to_string(),
            error: Some(e),
        }),
    }
}

fn write_one(
    mut done: Checked,
    input: &InputFile,
    layout: &mut Layout,
    targets: &mut std::collections::HashMap<PathBuf, PathBuf>,
    made_dirs: &mut HashSet<PathBuf>,
) -> Result<FileOutcome, String> {
    let patient = dicomdir::patient_key(&done.report.summary);
    let relative = layout.place(input, &patient, &done.deidentified.record_keys)?;
    let target = layout.out_dir().join(&relative);
    // Two inputs with the same relative path (e.g. a/scan.dcm and b/scan.dcm given as files,
    // with --keep-paths) must not overwrite each other's output.
    if let Some(first) = targets.insert(target.clone(), input.path.clone()) {
        return Err(format!(
            "its output {} would overwrite the output of {}; pass their common folder instead",
            target.display(),
            first.display()
        ));
    }
    // Outputs never exist beforehand in a fresh folder; only then can one be the input.
    if target.exists() && same_file(&input.path, &target) {
        return Err("the output would overwrite the input; choose another --out folder".into());
    }
    if let Some(parent) = target.parent() {
        if !made_dirs.contains(parent) {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            made_dirs.insert(parent.to_path_buf());
        }
    }
    let out = &done.deidentified;
    match &done.whole {
        None => stream::write_pieces(&mut done.file, &out.pieces.segments, &target)?,
        Some(whole) => {
            let bytes = out.to_bytes(whole).map_err(|e| e.to_string())?;
            std::fs::write(&target, &bytes)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        }
    }
    let out = done.deidentified;
    layout.wrote(&relative, patient, out.record_keys);
    Ok(FileOutcome {
        path: input.path.display().to_string(),
        output: Some(target.display().to_string()),
        ok: true,
        error: None,
        changes: Some(out.changes),
        residual: out.residual,
        warnings: out.warnings,
        regions_cleaned: out.regions_cleaned,
        pixels_after: out.pixels_after,
        damaged: None,
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
