//! The file system as every door (`cli`, `lsp`, `serve`) sees it: which
//! `.sla` files a project has, how one is read, and where the project root
//! is. One module, so the doors cannot disagree about any of it, and the
//! rules of docs/security.md ("File system") hold everywhere:
//!
//! - only regular files are read, and never more than the size limit
//!   (`read`), so a FIFO or `/dev/zero` named `x.sla` cannot hang slac;
//! - directory scans do not follow symbolic links to directories (no
//!   loops), skip files that are not regular with a note, and list each
//!   real file once;
//! - a file's real location (links resolved) must lie in its project root.
//!
//! The checker stays pure: it reads through the `Loader` given to it, and
//! `FsLoader` is the file system's.

pub mod check;
pub mod data;
pub mod map;
pub mod read;

use crate::check::{normalize, LoadError, Loader};
use crate::source::MAX_SOURCE_BYTES;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub use read::{describe, read_limited};

/// Reads source files from disk, within the limits above.
pub struct FsLoader;

impl Loader for FsLoader {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        read_limited(path, MAX_SOURCE_BYTES)
    }

    fn real_path(&self, path: &Path) -> Result<PathBuf, LoadError> {
        std::fs::canonicalize(path).map_err(|e| read::load_error(&e))
    }
}

/// One input: a file on disk, or standard input (`-`).
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

/// The inputs a command line names, and notes about files a directory scan
/// skipped (for the door to show as warnings).
#[derive(Debug, Default)]
pub struct Expanded {
    pub inputs: Vec<Input>,
    pub notes: Vec<String>,
}

pub fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// Expands the command-line paths: files as given, directories to every
/// `.sla` file below them, `-` to stdin. Files come sorted and once each
/// (a real file reached through several links counts once; stdin last), so
/// output does not depend on the order of the arguments.
///
/// A named file that is not a regular file, or whose real location is
/// outside its project root, is an error; the same found by a scan is
/// skipped with a note.
pub fn expand(paths: &[PathBuf]) -> Result<Expanded, String> {
    let cwd = cwd();
    let mut found = Vec::new();
    let mut notes = Vec::new();
    let mut stdin = false;
    for p in paths {
        if p.as_os_str() == "-" {
            stdin = true;
            continue;
        }
        let abs = normalize(&cwd.join(p));
        let meta = match std::fs::metadata(&abs) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(match std::fs::symlink_metadata(&abs) {
                    Ok(_) => format!(
                        "`{}` is a symbolic link to a file that does not exist",
                        p.display()
                    ),
                    Err(_) => format!("no such file or directory: `{}`", p.display()),
                })
            }
            Err(e) => return Err(format!("cannot read `{}`: {}", p.display(), describe(&e))),
        };
        if meta.is_dir() {
            let root = real_root(&project_root(&abs.join("x.sla")));
            walk(&abs, &root, &cwd, &mut found, &mut notes)
                .map_err(|e| format!("cannot read `{}`: {}", p.display(), describe(&e)))?;
        } else if !meta.is_file() {
            return Err(format!(
                "`{}` is {}, not a regular file: slac reads only regular files",
                p.display(),
                read::kind(&meta)
            ));
        } else {
            if let Some(outside) = outside_project(&abs) {
                return Err(format!(
                    "`{}` is a symbolic link to `{}`, outside the project root",
                    p.display(),
                    outside.display()
                ));
            }
            found.push(abs);
        }
    }
    found.sort();
    let mut seen = HashSet::new();
    let mut inputs: Vec<Input> = found
        .into_iter()
        .filter(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())))
        .map(Input::File)
        .collect();
    if stdin {
        inputs.push(Input::Stdin);
    }
    Ok(Expanded { inputs, notes })
}

/// The real location of `file` (links resolved) when it lies outside the
/// real location of its project root: a link that leads out of the project.
/// `None` when it is inside, or does not exist.
pub fn outside_project(file: &Path) -> Option<PathBuf> {
    let file = normalize(&cwd().join(file));
    outside_root(&file, &real_root(&project_root(&file)))
}

/// Reads a file of the project for an editor feature: like `read_limited`,
/// and refused when a link leads it out of the project.
pub fn read_project_file(path: &Path, limit: usize) -> Result<Vec<u8>, LoadError> {
    if outside_project(path).is_some() {
        return Err(LoadError::Other(
            "a symbolic link leads outside the project root".to_string(),
        ));
    }
    read_limited(path, limit)
}

/// `dir` with links resolved (as given if that fails).
fn real_root(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// The real location of `file` if it lies outside `root` (already real).
fn outside_root(file: &Path, root: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(file).ok()?;
    (!real.starts_with(root)).then_some(real)
}

/// Lists the `.sla` files below `dir`. Links to directories are not
/// followed (a link to `.` or `..` would loop); links to files are, when
/// the file lies inside `root`. Hidden directories, `target` and
/// `node_modules` are skipped. Iterative: deep trees cannot overflow the stack.
fn walk(
    dir: &Path,
    root: &Path,
    cwd: &Path,
    out: &mut Vec<PathBuf>,
    notes: &mut Vec<String>,
) -> std::io::Result<()> {
    let shown = |p: &Path| p.strip_prefix(cwd).unwrap_or(p).display().to_string();
    let mut pending = vec![dir.to_path_buf()];
    let mut first = true;
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            // The directory named on the command line must be readable;
            // one below it that is not is noted and skipped.
            Err(e) if !first => {
                notes.push(format!("skipped `{}`: {}", shown(&dir), describe(&e)));
                continue;
            }
            Err(e) => return Err(e),
        };
        first = false;
        for entry in entries {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let file_type = entry.file_type()?;
            if file_type.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    pending.push(path);
                }
                continue;
            }
            if file_type.is_symlink() {
                let Ok(meta) = std::fs::metadata(&path) else {
                    if name.ends_with(".sla") {
                        notes.push(format!(
                            "skipped `{}`: a symbolic link to nothing",
                            shown(&path)
                        ));
                    }
                    continue;
                };
                if meta.is_dir() {
                    if !name.starts_with('.') {
                        notes.push(format!(
                            "skipped `{}`: symbolic links to directories are not followed",
                            shown(&path)
                        ));
                    }
                    continue;
                }
                if !name.ends_with(".sla") {
                    continue;
                }
                if !meta.is_file() {
                    notes.push(format!(
                        "skipped `{}`: a link to {}, not a regular file",
                        shown(&path),
                        read::kind(&meta)
                    ));
                } else if outside_root(&path, root).is_some() {
                    notes.push(format!(
                        "skipped `{}`: a symbolic link to a file outside `{}`",
                        shown(&path),
                        shown(root)
                    ));
                } else {
                    out.push(path);
                }
                continue;
            }
            if !name.ends_with(".sla") {
                continue;
            }
            if file_type.is_file() {
                out.push(path);
            } else if let Ok(meta) = entry.metadata() {
                notes.push(format!(
                    "skipped `{}`: {}, not a regular file",
                    shown(&path),
                    read::kind(&meta)
                ));
            }
        }
    }
    Ok(())
}

/// The project root bounds imports: the nearest ancestor holding `slac.toml`
/// or `.git`, else the file's own directory.
pub fn project_root(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("/"));
    dir.ancestors()
        .find(|d| d.join("slac.toml").exists() || d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// Reads standard input, at most one byte more than the size limit (the
/// checker reports a larger input as too large; it is never read whole).
pub fn read_stdin() -> Result<String, String> {
    let buf = read::read_all_limited(std::io::stdin().lock(), MAX_SOURCE_BYTES)
        .map_err(|e| format!("cannot read standard input: {}", describe(&e)))?;
    // Invalid UTF-8 is reported by the checker with a position; keep the bytes lossy here.
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// The path standard input is checked as: imports resolve from the current directory.
pub fn stdin_path() -> PathBuf {
    cwd().join("<stdin>")
}
