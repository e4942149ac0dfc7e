//! Where the text reader's OCR models are found, and the reader loaded from them on first use.

use crate::Usage;
use dicom_leakcheck::TextReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The files of a model folder, as scripts/fetch-models.sh leaves them.
const MODEL: &str = "rec.onnx";
const DICTIONARY: &str = "dict.txt";
/// Model sets looked for under `.cache/models/` of the repository layout, preferred first.
const SETS: [&str; 2] = ["default", "ppocrv5"];

/// Where the text reader's models are (reading burned-in text, OCR).
#[derive(clap::Args)]
pub struct ReaderArgs {
    /// Folder with the OCR models (rec.onnx and dict.txt, as scripts/fetch-models.sh leaves
    /// them) to read text burned into the pixels; default: $LEAKCHECK_OCR_MODELS, else
    /// .cache/models/default of the repository the program was built in or of the current
    /// folder. Without them, text found in the pixels is reported as not read.
    #[arg(long, value_name = "DIR")]
    ocr_models: Option<PathBuf>,
}

impl ReaderArgs {
    /// The reader for the whole run, or `None` (and a plain notice) when no models are found.
    /// The model is read the first time a file has text to read, so runs that find none
    /// never hold it in memory. Models named explicitly must be there.
    pub fn load(&self) -> Result<Option<Arc<TextReader>>, Usage> {
        let named = self.ocr_models.clone().or_else(|| {
            std::env::var_os("LEAKCHECK_OCR_MODELS")
                .filter(|dir| !dir.is_empty())
                .map(PathBuf::from)
        });
        let dir = match named {
            Some(dir) => {
                for name in [MODEL, DICTIONARY] {
                    let path = dir.join(name);
                    if !path.is_file() {
                        return Err(Usage(format!(
                            "the OCR model {} is missing (fetch it with scripts/fetch-models.sh)",
                            path.display()
                        )));
                    }
                }
                dir
            }
            None => match found_in_repository() {
                Some(dir) => dir,
                None => {
                    eprintln!(
                        "dicom-leakcheck: no OCR models found (--ocr-models DIR, $LEAKCHECK_OCR_MODELS, or scripts/fetch-models.sh): text found in the pixels is reported as NOT READ, never as clean."
                    );
                    return Ok(None);
                }
            },
        };
        Ok(Some(Arc::new(TextReader::on_first_use(move || {
            read_models(&dir)
        }))))
    }
}

/// `.cache/models/<set>` in the current folder or a folder above the program (the repository
/// it was built in: target/<profile>/dicom-leakcheck).
fn found_in_repository() -> Option<PathBuf> {
    let mut roots: Vec<PathBuf> = std::env::current_dir().into_iter().collect();
    if let Ok(exe) = std::env::current_exe() {
        roots.extend(exe.ancestors().skip(1).map(Path::to_path_buf));
    }
    roots.iter().find_map(|root| {
        SETS.iter()
            .map(|set| root.join(".cache").join("models").join(set))
            .find(|dir| dir.join(MODEL).is_file() && dir.join(DICTIONARY).is_file())
    })
}

fn read_models(dir: &Path) -> Result<(Vec<u8>, String), String> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let model = read(MODEL)?;
    let dictionary = String::from_utf8(read(DICTIONARY)?)
        .map_err(|_| format!("{}: the dictionary is not UTF-8", dir.display()))?;
    Ok((model, dictionary))
}
