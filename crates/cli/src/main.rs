//! The dicom-leakcheck command line: inspect files for patient information and write
//! de-identified copies (PS3.15 Annex E). Exit codes: 0 all done, 1 some files failed,
//! 2 usage errors.

mod damaged;
mod deid;
mod files;
mod inspect;
mod paths;
mod pool;
mod preview;
mod progress;
mod reader;
mod stream;

use clap::{Parser, Subcommand};
use dicom_leakcheck::{Key, Options, Request, ALL_OPTIONS};
use reader::ReaderArgs;
use std::path::PathBuf;
use std::process::ExitCode;

/// How a command ended, as the exit code says it (the contract of docs/cli.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Every file was done (0).
    AllDone,
    /// Some file failed; each is reported with its error and the others went on (1).
    SomeFailed,
    /// The command was called wrongly, or its own output could not be written (2).
    Usage,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(match exit {
            Exit::AllDone => 0,
            Exit::SomeFailed => 1,
            Exit::Usage => 2,
        })
    }
}

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
        /// Do not search the pixels for burned-in text: the burned-in verdict then rests on
        /// the header alone ("pixels_checked": false), and large images are not read.
        #[arg(long)]
        no_pixels: bool,
        /// Files checked at once (default: one per core).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        #[command(flatten)]
        reader: ReaderArgs,
        /// Files or folders (searched recursively; non-DICOM files are skipped).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Write de-identified copies of DICOM files (the inputs are never changed).
    #[command(after_help = option_help())]
    Deid {
        /// Folder to write into: each file lands at a neutral path P001/ST001/SE001/IM0001 (one
        /// folder per patient, study and series, in the order seen), or with --keep-paths at its
        /// path relative to the argument it came from; a DICOMDIR in the input is written anew.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Secret key file (from `dicom-leakcheck key`): same key, same replacement UIDs and
        /// date shifts across runs. Without it a random key is used for this run only.
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
        /// A PS3.15 Annex E option; repeat for several.
        #[arg(long = "option", value_name = "NAME")]
        options: Vec<String>,
        /// Also write a JSON report of what was found and done (with each file's new path).
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        #[command(flatten)]
        reader: ReaderArgs,
        /// Keep each file's folder and file name (relative to the argument it came from)
        /// instead of neutral paths (P001/ST001/SE001/IM0001): names may carry the patient's
        /// name or ID.
        #[arg(long)]
        keep_paths: bool,
        /// Write a DICOMDIR over the de-identified files even when the input has none.
        #[arg(long)]
        dicomdir: bool,
        /// Files de-identified at once (default: one per core).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
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

/// Runs the command line; an error is a usage error (see `main`).
fn run() -> anyhow::Result<ExitCode> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (a success) and mistakes to stderr.
            e.print()?;
            return Ok(if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::AllDone
            }
            .into());
        }
    };
    let exit = match cli.command {
        Command::Inspect {
            json,
            all,
            options,
            no_pixels,
            jobs,
            reader,
            paths,
        } => parse_options(&options).and_then(|options| {
            let settings = inspect::Settings {
                options,
                json,
                all,
                no_pixels,
                jobs: jobs_or_default(jobs),
                reader: if no_pixels { None } else { reader.load()? },
            };
            inspect::run(&paths, settings)
        }),
        Command::Deid {
            out,
            key,
            options,
            report,
            keep_paths,
            dicomdir,
            jobs,
            reader,
            paths,
        } => parse_options(&options).and_then(|options| {
            let key = load_key(key.as_deref())?;
            let choice = dicom_leakcheck::dicomdir::PathChoice {
                keep_paths,
                always_dicomdir: dicomdir,
            };
            let jobs = jobs_or_default(jobs);
            let mut request = Request::deidentify(options, key);
            if let Some(reader) = reader.load()? {
                request = request.with_reader(reader);
            }
            deid::run(&paths, &out, request, report.as_deref(), choice, jobs)
        }),
        Command::Preview { frame, out, file } => preview::run(&file, frame, &out),
        Command::Key { out } => write_key(&out),
        Command::Sample { out } => std::fs::write(&out, dicom_leakcheck::sample::sample_file())
            .map(|_| {
                println!("wrote the sample file {}", out.display());
                Exit::AllDone
            })
            .map_err(|e| Usage(format!("cannot write {}: {e}", out.display()))),
    }?;
    Ok(exit.into())
}

/// A problem with how the command was called, or with writing its own output (exit code 2).
#[derive(Debug)]
pub struct Usage(pub String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

fn jobs_or_default(jobs: Option<u16>) -> usize {
    jobs.map_or_else(pool::default_jobs, usize::from)
}

/// The chosen options; unknown names and options that exclude each other are usage errors.
fn parse_options(names: &[String]) -> Result<Options, Usage> {
    Options::from_names(names)
        .map_err(Usage)?
        .checked()
        .map_err(|e| Usage(e.to_string()))
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
    let mut bytes = [0u8; dicom_leakcheck::KEY_BYTES];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| Usage(format!("cannot get random bytes for a key: {e}")))?;
    Ok(Key::from_bytes(bytes))
}

fn write_key(path: &std::path::Path) -> Result<Exit, Usage> {
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
    Ok(Exit::AllDone)
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dicom-leakcheck: {e:#}");
            Exit::Usage.into()
        }
    }
}
