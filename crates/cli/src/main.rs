//! The dicom-leakcheck command line: inspect files for patient information and write
//! de-identified copies (PS3.15 Annex E). Exit codes: 0 all done, 1 some files failed,
//! 2 usage errors.

mod deid;
mod files;
mod inspect;
mod preview;
mod progress;
mod stream;

use clap::{Parser, Subcommand};
use dicom_leakcheck::{Key, Options, TextReader, ALL_OPTIONS};
use std::path::PathBuf;
use std::sync::Arc;

pub const EXIT_OK: i32 = 0;
pub const EXIT_SOME_FAILED: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser)]
#[command(
    name = "dicom-leakcheck",
    version,
    about = "Find and remove patient information in DICOM files, locally (DICOM PS3.15 Annex E)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List what each file reveals about the patient, and why.
    Inspect {
        /// Print one JSON document instead of tables.
        #[arg(long)]
        json: bool,
        /// Show (or, with --json, include as "elements") every element, not only findings.
        #[arg(long)]
        all: bool,
        /// Judge as if these de-identification options were chosen (see `deid --help`).
        #[arg(long = "option", value_name = "NAME")]
        options: Vec<String>,
        #[command(flatten)]
        reader: ReaderArgs,
        /// Files or folders (searched recursively; non-DICOM files are skipped).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write de-identified copies of DICOM files (the inputs are never changed).
    #[command(after_help = option_help())]
    Deid {
        /// Folder to write into; each file lands at its path relative to the argument it came from.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Secret key file (from `dicom-leakcheck key`): same key, same replacement UIDs and
        /// date shifts across runs. Without it a random key is used for this run only.
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
        /// A PS3.15 Annex E option; repeat for several.
        #[arg(long = "option", value_name = "NAME")]
        options: Vec<String>,
        /// Also write a JSON report of what was found and done.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        #[command(flatten)]
        reader: ReaderArgs,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write one frame of an image as an 8-bit PNG (windowed grayscale, or RGB).
    Preview {
        /// Frame number, counting from 0.
        #[arg(long, default_value_t = 0)]
        frame: u32,
        /// The PNG file to write.
        #[arg(short = 'o', long = "out", value_name = "OUT.png")]
        out: PathBuf,
        file: PathBuf,
    },
    /// Make a new secret key file for `deid --key`.
    Key {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write the built-in sample file (a synthetic CT with fake patient information).
    Sample {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// Where the text reader's models are (reading burned-in text, OCR).
#[derive(clap::Args)]
struct ReaderArgs {
    /// Folder with the OCR models (rec.onnx and dict.txt, as scripts/fetch-models.sh leaves
    /// them) to read text burned into the pixels; default: $LEAKCHECK_OCR_MODELS. Without
    /// them, text found in the pixels is reported as not read.
    #[arg(long, value_name = "DIR")]
    ocr_models: Option<PathBuf>,
}

impl ReaderArgs {
    /// The reader, loaded once for the whole run.
    fn load(&self) -> Result<Option<Arc<TextReader>>, Usage> {
        let dir = match &self.ocr_models {
            Some(dir) => dir.clone(),
            None => match std::env::var_os("LEAKCHECK_OCR_MODELS") {
                Some(dir) if !dir.is_empty() => PathBuf::from(dir),
                _ => return Ok(None),
            },
        };
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path)
                .map_err(|e| Usage(format!("cannot read the OCR model {}: {e}", path.display())))
        };
        let model = read("rec.onnx")?;
        let dictionary = String::from_utf8(read("dict.txt")?)
            .map_err(|_| Usage(format!("{}: the dictionary is not UTF-8", dir.display())))?;
        TextReader::new(&model, &dictionary)
            .map(|reader| Some(Arc::new(reader)))
            .map_err(|e| Usage(format!("{}: {e}", dir.display())))
    }
}

fn option_help() -> String {
    let mut text = String::from("Options (--option NAME):\n");
    for o in ALL_OPTIONS.iter() {
        text.push_str(&format!(
            "  {:<32} {} (PS3.15 {})\n",
            o.name, o.label, o.section
        ));
    }
    text
}

pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    let result = match cli.command {
        Command::Inspect {
            json,
            all,
            options,
            reader,
            paths,
        } => parse_options(&options).and_then(|options| {
            let reader = reader.load()?;
            inspect::run(&paths, options, reader, json, all)
        }),
        Command::Deid {
            out,
            key,
            options,
            report,
            reader,
            paths,
        } => parse_options(&options).and_then(|options| {
            let key = load_key(key.as_deref())?;
            let reader = reader.load()?;
            deid::run(&paths, &out, key, options, reader, report.as_deref())
        }),
        Command::Preview { frame, out, file } => preview::run(&file, frame, &out),
        Command::Key { out } => write_key(&out),
        Command::Sample { out } => std::fs::write(&out, dicom_leakcheck::sample::sample_file())
            .map(|_| {
                println!("wrote the sample file {}", out.display());
                EXIT_OK
            })
            .map_err(|e| Usage(format!("cannot write {}: {e}", out.display()))),
    };
    match result {
        Ok(code) => code,
        Err(Usage(message)) => {
            eprintln!("dicom-leakcheck: {message}");
            EXIT_USAGE
        }
    }
}

/// A problem with how the command was called (exit code 2).
pub struct Usage(pub String);

fn parse_options(names: &[String]) -> Result<Options, Usage> {
    Options::from_names(names).map_err(Usage)
}

fn load_key(path: Option<&std::path::Path>) -> Result<Key, Usage> {
    match path {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Usage(format!("cannot read the key file {}: {e}", path.display())))?;
            Key::parse(&text).map_err(|e| Usage(format!("{}: {e}", path.display())))
        }
        None => random_key(),
    }
}

fn random_key() -> Result<Key, Usage> {
    let mut bytes = [0u8; dicom_leakcheck::key::KEY_BYTES];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| Usage(format!("cannot get random bytes for a key: {e}")))?;
    Ok(Key::from_bytes(bytes))
}

fn write_key(path: &std::path::Path) -> Result<i32, Usage> {
    use std::io::Write;
    let key = random_key()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        Usage(format!(
            "cannot create the key file {} (it must not exist yet): {e}",
            path.display()
        ))
    })?;
    file.write_all(key.to_text().as_bytes())
        .map_err(|e| Usage(format!("cannot write {}: {e}", path.display())))?;
    println!("wrote a new key to {}; keep it secret and keep it safe: the same key gives the same replacement UIDs and date shifts", path.display());
    Ok(EXIT_OK)
}

fn main() {
    std::process::exit(run());
}
