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
use dicom_leakcheck::dicomdir::{self, FileId, NeutralPaths, RecordKeys};
use serde::Serialize;
use std::path::{Component, Path, PathBuf};

/// How outputs are named and indexed.
#[derive(Debug, Clone, Copy)]
pub struct PathChoice {
    pub keep_paths: bool,
    pub always_dicomdir: bool,
}

/// One output written.
struct Written {
    /// Relative to --out.
    relative: PathBuf,
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
    /// Input DICOMDIRs: where each was, relative to --out's layout, and its input path.
    directories: Vec<(PathBuf, String)>,
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
        let study = keys.text(0x0020_000D).unwrap_or_default();
        let series = keys.text(0x0020_000E).unwrap_or_default();
        let id = self.neutral.place(patient, &study, &series)?;
        Ok(id.components().iter().collect())
    }

    /// The file was written at `relative` (from `place`).
    pub fn wrote(&mut self, relative: PathBuf, patient: String, keys: RecordKeys) {
        self.written.push(Written {
            relative,
            patient,
            keys,
        });
    }

    /// An input DICOMDIR: not written itself; returns where its replacement goes.
    pub fn directory(&mut self, file: &InputFile) -> PathBuf {
        let relative = if self.choice.keep_paths {
            file.relative.clone()
        } else {
            PathBuf::from("DICOMDIR")
        };
        self.directories
            .push((relative.clone(), file.path.display().to_string()));
        self.out_dir.join(relative)
    }

    /// Writes the DICOMDIRs: one per place an input DICOMDIR had (every input DICOMDIR maps
    /// to `DICOMDIR` at the top with neutral paths), or one at the top with --dicomdir.
    pub fn finish(self) -> Result<Vec<DirectoryWritten>, String> {
        let mut places: Vec<(PathBuf, Vec<String>)> = Vec::new();
        for (relative, input) in &self.directories {
            match places.iter_mut().find(|(r, _)| r == relative) {
                Some((_, inputs)) => inputs.push(input.clone()),
                None => places.push((relative.clone(), vec![input.clone()])),
            }
        }
        if places.is_empty() && self.choice.always_dicomdir {
            places.push((PathBuf::from("DICOMDIR"), Vec::new()));
        }
        let mut done = Vec::new();
        for (relative, replaces) in places {
            done.push(self.write_directory(&relative, replaces)?);
        }
        Ok(done)
    }

    fn write_directory(
        &self,
        relative: &Path,
        replaces: Vec<String>,
    ) -> Result<DirectoryWritten, String> {
        let folder = relative.parent().unwrap_or(Path::new(""));
        // A folder below with a DICOMDIR of its own is another file set (PS3.10 8.1).
        let nested: Vec<&Path> = self
            .directories
            .iter()
            .filter_map(|(other, _)| other.parent())
            .filter(|other| *other != folder && other.starts_with(folder))
            .collect();
        // The files under the DICOMDIR's folder, with their file IDs relative to it.
        let mut ids = Vec::new();
        let mut left_out = Vec::new();
        for written in &self.written {
            let Ok(below) = written.relative.strip_prefix(folder) else {
                continue;
            };
            if nested.iter().any(|n| written.relative.starts_with(n)) {
                continue;
            }
            match file_id(below) {
                Ok(id) => ids.push((id, written)),
                Err(reason) => left_out.push(LeftOutFile {
                    output: self.out_dir.join(&written.relative).display().to_string(),
                    reason: format!("{reason}; without --keep-paths every path is one"),
                }),
            }
        }
        let members: Vec<dicomdir::Member<'_>> = ids
            .iter()
            .map(|(id, w)| dicomdir::Member {
                file_id: id,
                patient: &w.patient,
                keys: &w.keys,
            })
            .collect();
        let built = dicomdir::build(&members).map_err(|e| e.to_string())?;
        for l in &built.left_out {
            left_out.push(LeftOutFile {
                output: self
                    .out_dir
                    .join(&ids[l.index].1.relative)
                    .display()
                    .to_string(),
                reason: l.reason.clone(),
            });
        }
        let target = self.out_dir.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&target, &built.bytes)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        Ok(DirectoryWritten {
            output: target.display().to_string(),
            replaces,
            files: built.files,
            patients: built.patients,
            left_out,
        })
    }
}

/// A relative path as a File ID (PS3.10 8.2), or why it is not one.
fn file_id(relative: &Path) -> Result<FileId, String> {
    let mut components = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(name) => components.push(
                name.to_str()
                    .ok_or_else(|| format!("{} is not a file ID", relative.display()))?
                    .to_string(),
            ),
            _ => return Err(format!("{} is not a file ID", relative.display())),
        }
    }
    FileId::new(components).map_err(|why| format!("{}: {why}", relative.display()))
}
