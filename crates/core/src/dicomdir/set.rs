//! A de-identified set as written out: where each file goes (neutral paths, or the input's
//! own with `keep_paths`) and the DICOMDIRs written over them, in one place for the CLI and
//! the page. Paths are relative, with `/` between components; nothing here touches a disk.
//!
//! DICOMDIRs (PS3.10 8.1: a file set is a folder with its DICOMDIR at the top): with neutral
//! paths, one at the top over every file, when the input had one (or `always_dicomdir`); with
//! kept paths, one in each input DICOMDIR's own place over the files of its folder (a folder
//! below with a DICOMDIR of its own is another file set), or one at the top with
//! `always_dicomdir` when the input had none. A kept path that is not a file ID (PS3.10 8.2)
//! cannot be indexed, and is listed as such.

use super::build::{build, Member};
use super::file_id::{FileId, NeutralPaths};
use super::keys::RecordKeys;
use crate::error::{Error, OutputError};
use serde::Serialize;

/// How a set is written out.
#[derive(Debug, Clone, Copy, Default)]
pub struct PathChoice {
    /// Keep each input's relative path instead of a neutral one.
    pub keep_paths: bool,
    /// Write a DICOMDIR even when the input had none.
    pub always_dicomdir: bool,
}

/// One file of the set: its path (relative to the output folder), what groups it into a
/// patient (`patient_key`, never written) and its keys.
#[derive(Debug, Clone, Copy)]
pub struct SetFile<'a> {
    pub path: &'a str,
    pub patient: &'a str,
    pub keys: &'a RecordKeys,
}

/// A DICOMDIR to write.
#[derive(Debug, Clone, Serialize)]
pub struct SetDirectory {
    /// Where, relative to the output folder.
    pub path: String,
    #[serde(skip)]
    pub bytes: Vec<u8>,
    pub sop_instance_uid: String,
    pub files: usize,
    pub patients: usize,
    /// Files of its folder it does not index: (index in the files given, why).
    pub left_out: Vec<(usize, String)>,
}

/// Where the DICOMDIRs go, given where the input's DICOMDIRs would land (`found`, output
/// paths: the input's own with kept paths).
pub fn directory_places(found: &[String], choice: PathChoice) -> Vec<String> {
    let mut places: Vec<String> = Vec::new();
    for path in found {
        let place = if choice.keep_paths {
            path.clone()
        } else {
            "DICOMDIR".to_string()
        };
        if !places.contains(&place) {
            places.push(place);
        }
    }
    if places.is_empty() && choice.always_dicomdir {
        places.push("DICOMDIR".to_string());
    }
    places
}

fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// `path` below `folder` ("" is the top), without the folder.
fn below<'p>(path: &'p str, folder: &str) -> Option<&'p str> {
    if folder.is_empty() {
        return Some(path);
    }
    path.strip_prefix(folder)?.strip_prefix('/')
}

/// The DICOMDIR at `place` over the `files` of its folder; `places` are all the DICOMDIRs of
/// the set (those in folders below are other file sets).
pub fn directory(
    place: &str,
    places: &[String],
    files: &[SetFile<'_>],
) -> Result<SetDirectory, Error> {
    let folder = folder_of(place);
    let nested: Vec<&str> = places
        .iter()
        .map(|p| folder_of(p))
        .filter(|f| *f != folder && below(f, folder).is_some())
        .collect();
    let mut ids = Vec::new();
    let mut indexes = Vec::new();
    let mut left_out = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let Some(relative) = below(file.path, folder) else {
            continue;
        };
        if nested.iter().any(|n| below(file.path, n).is_some()) {
            continue;
        }
        match FileId::parse(relative) {
            Ok(id) => {
                ids.push(id);
                indexes.push(index);
            }
            Err(why) => left_out.push((index, format!("{relative}: {why}"))),
        }
    }
    let members: Vec<Member<'_>> = ids
        .iter()
        .zip(&indexes)
        .map(|(id, &i)| Member {
            file_id: id,
            patient: files[i].patient,
            keys: files[i].keys,
        })
        .collect();
    let built = build(&members)?;
    left_out.extend(
        built
            .left_out
            .into_iter()
            .map(|l| (indexes[l.index], l.reason)),
    );
    left_out.sort();
    Ok(SetDirectory {
        path: place.to_string(),
        bytes: built.bytes,
        sop_instance_uid: built.sop_instance_uid,
        files: built.files,
        patients: built.patients,
        left_out,
    })
}

/// The order a folder walk sorted by name gives (the CLI's `walkdir` order): paths compared
/// component by component, bytewise. The page numbers neutral paths in this order, so a folder
/// gets the same paths from the page and from the CLI.
pub fn walk_order(paths: &[&str]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..paths.len()).collect();
    order.sort_by(|&a, &b| paths[a].split('/').cmp(paths[b].split('/')));
    order
}

/// A whole set at once (the page's zip): the files in the order given, each with its
/// original relative path; DICOMDIR inputs (by their keys) are not written themselves. Gives
/// each file's new path (`None` for a DICOMDIR input) and the DICOMDIRs to write.
pub fn place_set(
    files: &[SetFile<'_>],
    choice: PathChoice,
) -> Result<(Vec<Option<String>>, Vec<SetDirectory>), Error> {
    let mut neutral = NeutralPaths::new();
    let mut paths = Vec::with_capacity(files.len());
    let mut found = Vec::new();
    for file in files {
        if file.keys.is_directory() {
            found.push(file.path.to_string());
            paths.push(None);
        } else if choice.keep_paths {
            paths.push(Some(file.path.to_string()));
        } else {
            let study = file.keys.text(0x0020_000D).unwrap_or_default();
            let series = file.keys.text(0x0020_000E).unwrap_or_default();
            let id = neutral
                .place(file.patient, &study, &series)
                .map_err(|why| Error::Output(OutputError::Directory(why)))?;
            paths.push(Some(id.to_string()));
        }
    }
    let written: Vec<SetFile<'_>> = files
        .iter()
        .zip(&paths)
        .filter_map(|(f, p)| p.as_deref().map(|path| SetFile { path, ..*f }))
        .collect();
    let places = directory_places(&found, choice);
    let mut directories = Vec::new();
    for place in &places {
        let mut made = directory(place, &places, &written)?;
        // Indexes of `written` back to indexes of `files`.
        let original: Vec<usize> = paths
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_some())
            .map(|(i, _)| i)
            .collect();
        for l in &mut made.left_out {
            l.0 = original[l.0];
        }
        directories.push(made);
    }
    Ok((paths, directories))
}
