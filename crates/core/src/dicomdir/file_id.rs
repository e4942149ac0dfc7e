//! File IDs (PS3.10 8.2, PS3.11 Annex A media profiles): how a DICOMDIR names a file of its
//! file set, a path of at most 8 components, each 1 to 8 characters from uppercase A-Z,
//! digits and underscore. And the neutral layout we write files in by default,
//! `P001/ST001/SE001/IM0001`: one folder per patient, study and series, numbered in the
//! order they are first seen, so no path repeats a name, an ID or a date of the patient.

use super::keys::RecordKeys;
use std::collections::HashMap;
use std::fmt;

/// Most components in a File ID (PS3.10 8.2).
pub const MAX_COMPONENTS: usize = 8;
/// Most characters in one component (PS3.10 8.2).
pub const MAX_COMPONENT_CHARS: usize = 8;

/// A valid File ID: its components, from the folder of the DICOMDIR down.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(Vec<String>);

impl FileId {
    /// A File ID from its components, or why they do not make one.
    pub fn new<I, S>(components: I) -> Result<FileId, String>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let components: Vec<String> = components.into_iter().map(Into::into).collect();
        if components.is_empty() {
            return Err("a file ID needs at least one component".into());
        }
        if components.len() > MAX_COMPONENTS {
            return Err(format!(
                "{} folders deep: a file ID has at most {MAX_COMPONENTS} components (PS3.10 8.2)",
                components.len()
            ));
        }
        for c in &components {
            let valid = (1..=MAX_COMPONENT_CHARS).contains(&c.len())
                && c.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            if !valid {
                return Err(format!(
                    "\"{c}\" is not a file ID component: 1 to 8 characters from A-Z, 0-9 and _ (PS3.10 8.2)"
                ));
            }
        }
        Ok(FileId(components))
    }

    /// From a relative path with `/` between components.
    pub fn parse(path: &str) -> Result<FileId, String> {
        FileId::new(path.split('/'))
    }

    pub fn components(&self) -> &[String] {
        &self.0
    }
}

/// `P001/ST001/SE001/IM0001`.
impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

/// Hands out neutral File IDs: `P<n>/ST<n>/SE<n>/IM<n>`, numbered from 1 in the order
/// patients, studies (by Study Instance UID), series (by Series Instance UID) and files are
/// first seen. Give it the files in the same order and it gives the same paths.
#[derive(Debug, Default)]
pub struct NeutralPaths {
    patients: HashMap<String, usize>,
    studies: HashMap<(usize, String), usize>,
    studies_of: HashMap<usize, usize>,
    series: HashMap<(usize, usize, String), usize>,
    series_of: HashMap<(usize, usize), usize>,
    files_of: HashMap<(usize, usize, usize), usize>,
}

impl NeutralPaths {
    pub fn new() -> NeutralPaths {
        NeutralPaths::default()
    }

    /// The File ID of the next file. `patient` groups files into patients and is never
    /// written (see `patient_key`); `study` and `series` are the file's Study and Series
    /// Instance UIDs (empty when it has none: such files share one folder).
    pub fn place(&mut self, patient: &str, study: &str, series: &str) -> Result<FileId, String> {
        let next = self.patients.len() + 1;
        let p = *self.patients.entry(patient.to_string()).or_insert(next);
        let next = self.studies_of.get(&p).copied().unwrap_or(0) + 1;
        let s = *self
            .studies
            .entry((p, study.to_string()))
            .or_insert_with(|| {
                self.studies_of.insert(p, next);
                next
            });
        let next = self.series_of.get(&(p, s)).copied().unwrap_or(0) + 1;
        let e = *self
            .series
            .entry((p, s, series.to_string()))
            .or_insert_with(|| {
                self.series_of.insert((p, s), next);
                next
            });
        let n = self.files_of.entry((p, s, e)).or_insert(0);
        *n += 1;
        FileId::new([
            numbered("P", 3, p)?,
            numbered("ST", 3, s)?,
            numbered("SE", 3, e)?,
            numbered("IM", 4, *n)?,
        ])
    }

    /// `place` with the file's own Study and Series Instance UIDs.
    pub fn place_file(&mut self, patient: &str, keys: &RecordKeys) -> Result<FileId, String> {
        let study = keys.text(0x0020_000D).unwrap_or_default();
        let series = keys.text(0x0020_000E).unwrap_or_default();
        self.place(patient, &study, &series)
    }
}

/// `prefix` and `n` with at least `width` digits, if that fits a component.
fn numbered(prefix: &str, width: usize, n: usize) -> Result<String, String> {
    let text = format!("{prefix}{n:0width$}");
    if text.len() > MAX_COMPONENT_CHARS {
        return Err(format!(
            "more than {} in one folder: a file ID component has at most {MAX_COMPONENT_CHARS} characters",
            10usize.pow((MAX_COMPONENT_CHARS - prefix.len()) as u32) - 1
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_follow_part_10() {
        assert!(FileId::parse("P001/ST001/SE001/IM0001").is_ok());
        assert!(FileId::parse("A_1").is_ok());
        for bad in [
            "",
            "lower",
            "TOOLONGNAME",
            "IM0001.DCM",
            "A//B",
            "1/2/3/4/5/6/7/8/9",
        ] {
            assert!(FileId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn neutral_paths_number_in_order_seen() {
        let mut paths = NeutralPaths::new();
        let mut place = |p: &str, st: &str, se: &str| paths.place(p, st, se).unwrap().to_string();
        assert_eq!(place("DOE", "1.1", "1.1.1"), "P001/ST001/SE001/IM0001");
        assert_eq!(place("DOE", "1.1", "1.1.1"), "P001/ST001/SE001/IM0002");
        assert_eq!(place("DOE", "1.1", "1.1.2"), "P001/ST001/SE002/IM0001");
        assert_eq!(place("ROE", "2.1", "2.1.1"), "P002/ST001/SE001/IM0001");
        assert_eq!(place("DOE", "1.2", "1.2.1"), "P001/ST002/SE001/IM0001");
        assert_eq!(place("DOE", "1.1", "1.1.2"), "P001/ST001/SE002/IM0002");
    }

    #[test]
    fn numbers_past_a_component_are_refused() {
        assert_eq!(numbered("IM", 4, 999_999).unwrap(), "IM999999");
        assert!(numbered("IM", 4, 1_000_000).is_err());
    }
}
