//! Expanding the PATH arguments into files, each with the path it gets under --out.

use std::path::{Path, PathBuf};

pub struct InputFile {
    pub path: PathBuf,
    /// Where it lands relative to the output folder.
    pub relative: PathBuf,
}

/// Files named directly land as <file name>; files found in a folder keep their path
/// relative to that folder. Unreadable folder entries are reported, not fatal. A file reached
/// twice (a folder and a file inside it, or the same folder twice) is listed once, where it
/// was first reached.
pub fn expand(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<String>) {
    let (mut files, problems) = expand_all(paths);
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(f.path.canonicalize().unwrap_or_else(|_| f.path.clone())));
    (files, problems)
}

fn expand_all(paths: &[PathBuf]) -> (Vec<InputFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for root in paths {
        if root.is_dir() {
            for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
                match entry {
                    // A link is followed to a file; one that leads nowhere is named, so a
                    // batch never loses a file without saying so.
                    Ok(entry) if entry.path_is_symlink() && !entry.path().is_dir() => {
                        match std::fs::metadata(entry.path()) {
                            Ok(meta) if meta.is_file() => files.push(InputFile {
                                path: entry.path().to_path_buf(),
                                relative: relative_to(root, &entry),
                            }),
                            Ok(_) => {}
                            Err(e) => problems.push(broken_link(entry.path(), &e)),
                        }
                    }
                    Ok(entry) if entry.file_type().is_file() => {
                        let relative = entry
                            .path()
                            .strip_prefix(root)
                            .map(Path::to_path_buf)
                            .unwrap_or_else(|_| PathBuf::from(entry.file_name()));
                        files.push(InputFile {
                            path: entry.path().to_path_buf(),
                            relative,
                        });
                    }
                    Ok(_) => {}
                    Err(e) => problems.push(format!("{e}")),
                }
            }
        } else if root.is_symlink() && !root.exists() {
            let error = std::fs::metadata(root).err();
            problems.push(match error {
                Some(e) => broken_link(root, &e),
                None => format!("{}: a link to nothing", root.display()),
            });
        } else if root.exists() {
            let relative = root
                .file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| root.clone());
            files.push(InputFile {
                path: root.clone(),
                relative,
            });
        } else {
            problems.push(format!("{}: no such file or folder", root.display()));
        }
    }
    (files, problems)
}

fn relative_to(root: &Path, entry: &walkdir::DirEntry) -> PathBuf {
    entry
        .path()
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| PathBuf::from(entry.file_name()))
}

/// "scans/link.dcm: not written: a broken link (to old/IM1.dcm: No such file or directory)".
fn broken_link(path: &Path, error: &std::io::Error) -> String {
    let target = std::fs::read_link(path)
        .map(|t| format!("to {}: ", t.display()))
        .unwrap_or_default();
    format!("{}: a broken link ({target}{error})", path.display())
}
