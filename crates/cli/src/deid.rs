//! `dicom-leakcheck deid`: write de-identified copies under --out, never touching the inputs.

use crate::files::expand;
use crate::{progress, stream, Usage, EXIT_OK, EXIT_SOME_FAILED};
use dicom_leakcheck::deid::Changes;
use dicom_leakcheck::pixels::Region;
use dicom_leakcheck::{check, Finding, Key, Options, Request, TextReader};
use serde::Serialize;
use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
}

pub fn run(
    paths: &[PathBuf],
    out_dir: &Path,
    key: Key,
    options: Options,
    reader: Option<Arc<TextReader>>,
    report_path: Option<&Path>,
) -> Result<i32, Usage> {
    let started = Instant::now();
    let (files, problems) = expand(paths);
    for problem in &problems {
        eprintln!("dicom-leakcheck: {problem}");
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Usage(format!("cannot create {}: {e}", out_dir.display())))?;
    let mut request = Request::deidentify(options, key);
    if let Some(reader) = reader {
        request = request.with_reader(reader);
    }
    let bar = progress::bar(files.len());
    let mut outcomes = Vec::new();
    let mut skipped = 0;
    let mut targets = std::collections::HashMap::new();
    let mut made_dirs = HashSet::new();
    for file in &files {
        bar.inc(1);
        let target = out_dir.join(&file.relative);
        // Two inputs with the same relative path (e.g. a/scan.dcm and b/scan.dcm given as
        // files) must not overwrite each other's output.
        let clash = targets.insert(target.clone(), file.path.clone());
        let result = match clash {
            Some(first) => Err(format!(
                "its output {} would overwrite the output of {}; pass their common folder instead",
                target.display(),
                first.display()
            )),
            None => deid_one(&request, &file.path, &target, &mut made_dirs),
        };
        let outcome = match result {
            Ok(None) => {
                skipped += 1;
                continue;
            }
            Ok(Some(done)) => done,
            Err(error) => FileOutcome {
                path: file.path.display().to_string(),
                output: None,
                ok: false,
                error: Some(error),
                changes: None,
                residual: Vec::new(),
                regions_cleaned: Vec::new(),
                warnings: Vec::new(),
            },
        };
        if !outcome.ok {
            bar.suspend(|| {
                eprintln!(
                    "FAILED {}: {}",
                    outcome.path,
                    outcome.error.as_deref().unwrap_or_default()
                )
            });
        } else if !outcome.residual.is_empty() {
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
    }
    bar.finish_and_clear();

    let failed = outcomes.iter().filter(|o| !o.ok).count() + problems.len();
    let written = outcomes.iter().filter(|o| o.ok).count();
    let residual: usize = outcomes.iter().map(|o| o.residual.len()).sum();
    println!(
        "de-identified {written} file{} into {} in {:.1} s; {failed} failed; {skipped} non-DICOM skipped; {residual} element{} still flagged; options: {}",
        if written == 1 { "" } else { "s" },
        out_dir.display(),
        started.elapsed().as_secs_f64(),
        if residual == 1 { "" } else { "s" },
        match options.names() {
            names if names.is_empty() => "basic profile only".to_string(),
            names => names.join(", "),
        }
    );
    if let Some(path) = report_path {
        let text = serde_json::to_string_pretty(&serde_json::json!({ "files": outcomes }))
            .map_err(|e| Usage(format!("cannot write JSON: {e}")))?;
        std::fs::write(path, text)
            .map_err(|e| Usage(format!("cannot write the report {}: {e}", path.display())))?;
    }
    Ok(if failed > 0 {
        EXIT_SOME_FAILED
    } else {
        EXIT_OK
    })
}

/// Files up to this size are read in one go and written in one go: for the many small files of
/// a CD, system calls, not bytes, are the cost.
const SMALL_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// `Ok(None)`: not a DICOM file, skipped.
fn deid_one(
    request: &Request,
    input: &Path,
    target: &Path,
    made_dirs: &mut HashSet<PathBuf>,
) -> Result<Option<FileOutcome>, String> {
    let mut file = File::open(input).map_err(|e| format!("cannot read the file: {e}"))?;
    let size = file
        .metadata()
        .map_err(|e| format!("cannot read the file: {e}"))?
        .len();
    let small = size <= SMALL_FILE_BYTES;
    let mut whole = Vec::new();
    // Larger files: only the header (and anything after Pixel Data) is read into memory; Pixel
    // Data is copied from the input file to the output as it is.
    let done = if small {
        file.read_to_end(&mut whole)
            .map_err(|e| format!("cannot read the file: {e}"))?;
        check(&whole, request)
    } else {
        stream::drive(&mut file, request.clone())
            .map_err(|e| format!("cannot read the file: {e}"))?
    };
    let done = match done {
        Ok(outcome) => outcome
            .deidentified
            .ok_or("the request did not de-identify (no key)")?,
        Err(e) if e.not_dicom() => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    // Outputs never exist beforehand in a fresh folder; only then can one be the input.
    if target.exists() && same_file(input, target) {
        return Err("the output would overwrite the input; choose another --out folder".into());
    }
    if let Some(parent) = target.parent() {
        if !made_dirs.contains(parent) {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            made_dirs.insert(parent.to_path_buf());
        }
    }
    if small {
        let bytes = done.to_bytes(&whole).map_err(|e| e.to_string())?;
        std::fs::write(target, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    } else {
        stream::write_pieces(&mut file, &done.pieces.segments, target)?;
    }
    Ok(Some(FileOutcome {
        path: input.display().to_string(),
        output: Some(target.display().to_string()),
        ok: true,
        error: None,
        changes: Some(done.changes),
        residual: done.residual,
        warnings: done.warnings,
        regions_cleaned: done.regions_cleaned,
    }))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
