//! The Annex E options a user can choose (PS3.15 E.3), their command-line names, their plain
//! labels and their CID 7050 codes. One list drives the CLI, the wasm API and the page.

use crate::error::RequestError;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileOption {
    RetainSafePrivate,
    RetainUids,
    RetainDeviceIdentity,
    RetainInstitutionIdentity,
    RetainPatientCharacteristics,
    RetainLongFullDates,
    RetainLongModifiedDates,
    CleanDescriptors,
    CleanStructuredContent,
    CleanGraphics,
    /// PS3.15 E.3.1; no column in Table E.1-1, it concerns pixels (implemented with the pixel
    /// work; accepted by the option set so the interface does not change).
    CleanPixelData,
    /// Clean Pixel Data (PS3.15 E.3.1) carried out on every text found in the pixels, not only
    /// where it identifies someone. Implies `CleanPixelData`, whose code the output declares.
    CleanAllPixelText,
}

/// Facts about one option, for help texts and the page.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct OptionInfo {
    pub option: ProfileOption,
    /// Command-line and JSON name.
    pub name: &'static str,
    /// Short plain-language label.
    pub label: &'static str,
    /// One or two sentences for a non-specialist.
    pub help: &'static str,
    /// More for the page, where there is room (empty when the help says it all).
    pub details: &'static str,
    /// PS3.15 section.
    pub section: &'static str,
    /// CID 7050 code value (coding scheme DCM).
    pub code: &'static str,
}

pub const ALL_OPTIONS: [OptionInfo; 12] = [
    OptionInfo { option: ProfileOption::RetainSafePrivate, name: "retain-safe-private", label: "Keep safe vendor fields", help: "Keep the private (vendor) elements that the standard lists as safe, such as scanner settings; all other private elements are removed.", details: "", section: "E.3.10", code: "113111" },
    OptionInfo { option: ProfileOption::RetainUids, name: "retain-uids", label: "Keep original UIDs", help: "Keep study, series and image UIDs unchanged. They can link the file back to the hospital's records.", details: "", section: "E.3.2", code: "113110" },
    OptionInfo { option: ProfileOption::RetainDeviceIdentity, name: "retain-device-identity", label: "Keep device identity", help: "Keep the scanner's station name, serial numbers and similar device details.", details: "", section: "E.3.3", code: "113109" },
    OptionInfo { option: ProfileOption::RetainInstitutionIdentity, name: "retain-institution-identity", label: "Keep hospital identity", help: "Keep the institution's name, address and department.", details: "", section: "E.3.11", code: "113112" },
    OptionInfo { option: ProfileOption::RetainPatientCharacteristics, name: "retain-patient-characteristics", label: "Keep age, sex, size and weight", help: "Keep the patient's age, sex, height, weight and similar characteristics that matter for reading the images.", details: "", section: "E.3.4", code: "113108" },
    OptionInfo { option: ProfileOption::RetainLongFullDates, name: "retain-long-full-dates", label: "Keep real dates", help: "Keep every date and time exactly as it is.", details: "", section: "E.3.6", code: "113106" },
    OptionInfo { option: ProfileOption::RetainLongModifiedDates, name: "retain-long-modified-dates", label: "Shift dates", help: "Move every date of a patient by the same secret number of days, so intervals between scans survive but the real dates do not.", details: "", section: "E.3.6", code: "113107" },
    OptionInfo { option: ProfileOption::CleanDescriptors, name: "clean-descriptors", label: "Keep descriptions, cleaned", help: "Keep study and series descriptions and similar text, removing the names and identifiers found in them, instead of deleting the text.", details: "", section: "E.3.5", code: "113105" },
    OptionInfo { option: ProfileOption::CleanStructuredContent, name: "clean-structured-content", label: "Keep structured reports, cleaned", help: "Keep structured report content, removing identifying values from it, instead of deleting it.", details: "", section: "E.3.7", code: "113104" },
    OptionInfo { option: ProfileOption::CleanGraphics, name: "clean-graphics", label: "Keep annotations, cleaned", help: "Keep graphic annotations (text and shapes drawn on the image), removing identifying text from them.", details: "", section: "E.3.8", code: "113103" },
    OptionInfo { option: ProfileOption::CleanPixelData, name: "clean-pixel-data", label: "Clean burned-in text", help: "Black out text burned into the image pixels.", details: "The boxes shown on the image are filled in: those found (text finder, known screen layouts) and those you draw; remove a box to leave that part alone. A compressed image is saved uncompressed, so the file gets larger. When a file cannot be cleaned this way, the result says why.", section: "E.3.1", code: "113101" },
    // No code of its own: a way of carrying out Clean Pixel Data (113101), declared as that.
    OptionInfo { option: ProfileOption::CleanAllPixelText, name: "clean-all-pixel-text", label: "Black out all text in the image", help: "Black out every text found in the image pixels, not only text that names the patient or looks identifying (a name, an ID, a date, a label such as Name: or DOB:). Implies clean-pixel-data.", details: "Without it, Clean burned-in text blacks out the known screen layouts, text that identifies someone on any image, and all text found on images that routinely carry it (ultrasound, screen captures). With it, every text the search finds is blacked out, including scale labels and orientation marks.", section: "E.3.1", code: "" },
];

/// Options that exclude each other. PS3.15 E.3.6 keeps the dates of a patient either as they
/// are (Retain Longitudinal Temporal Information with Full Dates) or shifted (with Modified
/// Dates): a file cannot be both.
pub const EXCLUSIVE_OPTIONS: [(ProfileOption, ProfileOption); 1] = [(
    ProfileOption::RetainLongFullDates,
    ProfileOption::RetainLongModifiedDates,
)];

impl ProfileOption {
    pub fn info(self) -> &'static OptionInfo {
        &ALL_OPTIONS[self as usize]
    }

    pub fn from_name(name: &str) -> Option<ProfileOption> {
        ALL_OPTIONS
            .iter()
            .find(|o| o.name == name)
            .map(|o| o.option)
    }

    /// The options this one excludes (see `EXCLUSIVE_OPTIONS`).
    pub fn excludes(self) -> impl Iterator<Item = ProfileOption> {
        EXCLUSIVE_OPTIONS.iter().filter_map(move |&(a, b)| {
            if a == self {
                Some(b)
            } else if b == self {
                Some(a)
            } else {
                None
            }
        })
    }
}

/// A set of chosen options. The empty set is the Basic Profile alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options(u16);

impl Options {
    pub fn basic() -> Options {
        Options(0)
    }

    pub fn with(mut self, option: ProfileOption) -> Options {
        self.0 |= 1 << option as u16;
        self
    }

    pub fn without(mut self, option: ProfileOption) -> Options {
        self.0 &= !(1 << option as u16);
        self
    }

    pub fn has(self, option: ProfileOption) -> bool {
        self.0 & (1 << option as u16) != 0
    }

    /// Parses option names; the error names the first unknown one.
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Result<Options, String> {
        names.iter().try_fold(Options::basic(), |options, name| {
            let name = name.as_ref();
            ProfileOption::from_name(name)
                .map(|o| options.with(o))
                .ok_or_else(|| {
                    let known: Vec<_> = ALL_OPTIONS.iter().map(|o| o.name).collect();
                    format!("unknown option '{name}' (known: {})", known.join(", "))
                })
        })
    }

    /// The set itself, or the first two chosen options that exclude each other.
    pub fn checked(self) -> Result<Options, RequestError> {
        match EXCLUSIVE_OPTIONS
            .iter()
            .find(|(a, b)| self.has(*a) && self.has(*b))
        {
            Some((a, b)) => Err(RequestError::ConflictingOptions(
                a.info().name,
                b.info().name,
            )),
            None => Ok(self),
        }
    }

    pub fn chosen(self) -> impl Iterator<Item = &'static OptionInfo> {
        ALL_OPTIONS.iter().filter(move |o| self.has(o.option))
    }

    pub fn names(self) -> Vec<&'static str> {
        self.chosen().map(|o| o.name).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check, Error, Request};

    #[test]
    fn full_and_modified_dates_exclude_each_other() {
        let both = Options::basic()
            .with(ProfileOption::RetainLongFullDates)
            .with(ProfileOption::RetainLongModifiedDates);
        assert_eq!(
            both.checked(),
            Err(RequestError::ConflictingOptions(
                "retain-long-full-dates",
                "retain-long-modified-dates"
            ))
        );
        let excluded: Vec<_> = ProfileOption::RetainLongFullDates.excludes().collect();
        assert_eq!(excluded, vec![ProfileOption::RetainLongModifiedDates]);
        let one = Options::basic().with(ProfileOption::RetainLongModifiedDates);
        assert_eq!(one.checked(), Ok(one));

        // The core refuses such a request before reading anything.
        let outcome = check(&crate::sample::sample_file(), &Request::inspect(both));
        assert!(matches!(outcome, Err(Error::Request(_))), "{outcome:?}");
    }
}
