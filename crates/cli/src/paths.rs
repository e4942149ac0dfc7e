//! Where `deid` writes each file under --out, and the DICOMDIR it writes over them.
//!
//! By default every output gets a neutral path, `P001/ST001/SE001/IM0001` (PS3.10 8.2 file
//! IDs, one folder per patient, study and series in the order they are first seen), so no
//! folder or file name carries the patient's name or ID. `--keep-paths` keeps each input's
//! path relative to the argument it came from. The mapping from old to new paths is in the
//! `--report` only, never in the outputs.
//!
//! A DICOMDIR in the input is not copied: its offsets and file IDs would be wrong, and its
//! records name the patients. A new one is written from the de-identified files (see the
//! core's `dicomdir`): at the top of --out over every file by default; with --keep-paths in
//! the input DICOMDIR's own place, over the files of its folder. `--dicomdir` writes one even
//! when the input had none.

use crate::files::InputFile;
use dicom_leakcheck::dicomdir::{self, NeutralPaths, PathChoice, RecordKeys, SetFile};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One output written.
struct Written {
    /// Relative to --out, `/` between components.
    relative: String,
    patient: String,
    keys: RecordKeys,
}

/// A DICOMDIR written, for the report and the summary line.
#[derive(Serialize)]
pub struct DirectoryWritten {
    pub output: String,
    /// The input DICOMDIRs it replaces.
    pub replaces: Vec<String>,
    pub files: usize,
    pub patients: usize,
    /// Files of its folder it does not index, and why.
    pub left_out: Vec<LeftOutFile>,
}

#[derive(Serialize)]
pub struct LeftOutFile {
    pub output: String,
    pub reason: String,
}

pub struct Layout {
    out_dir: PathBuf,
    choice: PathChoice,
    neutral: NeutralPaths,
    written: Vec<Written>,
    /// Input DICOMDIRs: where each would land with kept paths, and its input path.
    directories: Vec<(String, String)>,
}

/// A relative path with `/` between its components (as file IDs and the core count them).
fn slashed(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

impl Layout {
    pub fn new(out_dir: &Path, choice: PathChoice) -> Layout {
        Layout {
            out_dir: out_dir.to_path_buf(),
            choice,
            neutral: NeutralPaths::new(),
            written: Vec::new(),
            directories: Vec::new(),
        }
    }

    pub fn out_dir(&self) -> &Path {
        &self.out_dir
    }

    /// Where the de-identified `file` goes (relative to --out). Call in input order: neutral
    /// paths are numbered in the order files are seen.
    pub fn place(
        &mut self,
        file: &InputFile,
        patient: &str,
        keys: &RecordKeys,
    ) -> Result<PathBuf, String> {
        if self.choice.keep_paths {
            return Ok(file.relative.clone());
        }
        let id = self.neutral.place_file(patient, keys)?;
        Ok(id.components().iter().collect())
    }

    /// The file was written at `relative` (from `place`).
    pub fn wrote(&mut self, relative: &Path, patient: String, keys: RecordKeys) {
        self.written.push(Written {
            relative: slashed(relative),
            patient,
            keys,
        });
    }

    /// An input DICOMDIR: not written itself, but written anew by `finish`.
    pub fn directory(&mut self, file: &InputFile) {
        self.directories
            .push((slashed(&file.relative), file.path.display().to_string()));
    }

    /// Writes the DICOMDIRs (see the core's `dicomdir::directory_places`).
    pub fn finish(self) -> Result<Vec<DirectoryWritten>, String> {
        let found: Vec<String> = self.directories.iter().map(|(r, _)| r.clone()).collect();
        let places = dicomdir::directory_places(&found, self.choice);
        let files: Vec<SetFile<'_>> = self
            .written
            .iter()
            .map(|w| SetFile {
                path: &w.relative,
                patient: &w.patient,
                keys: &w.keys,
            })
            .collect();
        let mut done = Vec::new();
        for place in &places {
            let made = dicomdir::directory(place, &places, &files).map_err(|e| e.to_string())?;
            let target = self.out_dir.join(place);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&target, &made.bytes)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
            let replaces = self
                .directories
                .iter()
                .filter(|(relative, _)| !self.choice.keep_paths || relative == place)
                .map(|(_, input)| input.clone())
                .collect();
            let left_out = made
                .left_out
                .into_iter()
                .map(|(index, reason)| LeftOutFile {
                    output: self
                        .out_dir
                        .join(&self.written[index].relative)
                        .display()
                        .to_string(),
                    reason: if self.choice.keep_paths && reason.contains("file ID") {
                        format!("{reason}; without --keep-paths every path is one")
                    } else {
                        reason
                    },
                })
                .collect();
            done.push(DirectoryWritten {
                output: target.display().to_string(),
                replaces,
                files: made.files,
                patients: made.patients,
                left_out,
            });
        }
        Ok(done)
    }
}
