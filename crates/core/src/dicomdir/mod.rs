//! DICOMDIR: the index of a file set (PS3.3 Annex F, PS3.10 sections 8 and 9, PS3.11).
//!
//! A DICOMDIR names patients, studies and series, and holds the byte offsets of its own
//! records: de-identifying it element by element would leave its offsets and file IDs wrong.
//! So the DICOMDIR of a de-identified set is written anew from the de-identified files:
//! their `RecordKeys` (taken from each output's header) and their new file IDs.
//!
//! - `RecordKeys`: what a directory record needs of one de-identified file;
//! - `NeutralPaths`, `FileId`: file IDs that follow PS3.10 8.2, and the neutral layout
//!   `P001/ST001/SE001/IM0001` we write files in by default;
//! - `build`: the DICOMDIR's bytes;
//! - `place_set`, `directory`: a whole set as written out, for the CLI and the page.

mod build;
mod file_id;
mod keys;
mod records;
mod set;

pub use build::{build, Built, LeftOut, Member, FILE_SET_ID};
pub use file_id::{FileId, NeutralPaths, MAX_COMPONENTS, MAX_COMPONENT_CHARS};
pub use keys::{RecordKeys, MEDIA_STORAGE_DIRECTORY};
pub use set::{
    directory, directory_places, place_set, walk_order, PathChoice, SetDirectory, SetFile,
};

use crate::inspect::Summary;

/// What groups files into one patient, from the report of the original file: the Patient ID
/// when there is one, else the name. Used to number patients and to write one PATIENT record
/// each; it is never written anywhere (de-identified files no longer carry it).
pub fn patient_key(summary: &Summary) -> String {
    match (&summary.patient_id, &summary.patient_name) {
        (Some(id), _) => format!("id:{id}"),
        (None, Some(name)) => format!("name:{name}"),
        (None, None) => String::new(),
    }
}
