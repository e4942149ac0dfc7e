//! The page's zip as a set (see the core's `dicomdir`): each cleaned file's path in the zip
//! (neutral `P001/ST001/SE001/IM0001`, or its own) and the DICOMDIRs written anew over them.
//!
//! `file_set(entries, keep_paths, always_dicomdir)`: `entries` is an Array of `{path,
//! patient_key, record_keys}` as `deidentify` and `deidentify_ranges` return them, with `path`
//! the file's relative path as added. Returns `{paths, dicomdirs}`: `paths[i]` the i-th
//! entry's path in the zip (`null` for a DICOMDIR, which is written anew instead), and
//! `dicomdirs` an Array of `{path, bytes: Uint8Array, files, patients, sop_instance_uid,
//! left_out: [[index, reason]]}`.

use super::{core_error, error, set, to_js};
use dicom_leakcheck::dicomdir::{self, PathChoice, RecordKeys, SetFile};
use wasm_bindgen::prelude::*;

#[derive(serde::Deserialize)]
struct Entry {
    path: String,
    patient_key: String,
    record_keys: RecordKeys,
}

#[wasm_bindgen]
pub fn file_set(
    entries: JsValue,
    keep_paths: bool,
    always_dicomdir: bool,
) -> Result<JsValue, JsValue> {
    let entries: Vec<Entry> = serde_wasm_bindgen::from_value(entries).map_err(|e| {
        error(&format!(
            "entries must be an array of {{path, patient_key, record_keys}}: {e}"
        ))
    })?;
    // Numbered in the order the CLI's folder walk gives, so both name a folder the same way.
    let paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    let order = dicomdir::walk_order(&paths);
    let files: Vec<SetFile<'_>> = order
        .iter()
        .map(|&i| SetFile {
            path: &entries[i].path,
            patient: &entries[i].patient_key,
            keys: &entries[i].record_keys,
        })
        .collect();
    let choice = PathChoice {
        keep_paths,
        always_dicomdir,
    };
    let (placed, directories) = dicomdir::place_set(&files, choice).map_err(|e| core_error(&e))?;
    let mut in_given_order = vec![None; entries.len()];
    for (k, &i) in order.iter().enumerate() {
        in_given_order[i] = placed[k].clone();
    }
    let result = js_sys::Object::new();
    set(&result, "paths", &to_js(&in_given_order)?)?;
    let list = js_sys::Array::new();
    for mut directory in directories {
        for left in &mut directory.left_out {
            left.0 = order[left.0];
        }
        let object = to_js(&directory)?;
        set(
            object.unchecked_ref(),
            "bytes",
            &js_sys::Uint8Array::from(directory.bytes.as_slice()),
        )?;
        list.push(&object);
    }
    set(&result, "dicomdirs", &list)?;
    Ok(result.into())
}
