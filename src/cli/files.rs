//! Finding input files and reading them: the file-system `Loader`, directory
//! expansion, standard input and the project root.

use crate::check::{normalize, LoadError, Loader};
use std::io::Read;
use std::path::{Path, PathBuf};

pub struct FsLoader;

impl Loader for FsLoader {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        if path.is_dir() {
            return Err(LoadError::Other("is a directory".into()));
        }
        std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound,
            _ => LoadError::Other(e.to_string()),
        })
    }
}

/// One input: a file on disk, or standard input (`-`).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

pub fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

/// Expands the command-line paths: files as given, directories to every
/// `.sla` file below them, `-` to stdin. Files come sorted and once each
/// (stdin last), so output does not depend on the order of the arguments.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let cwd = cwd();
    let mut out = Vec::new();
    let mut stdin = false;
    for p in paths {
        if p.as_os_str() == "-" {
            stdin = true;
            continue;
        }
        let abs = normalize(&cwd.join(p));
        if abs.is_dir() {
            let mut found = Vec::new();
            walk(&abs, &mut found).map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
            out.extend(found.into_iter().map(Input::File));
        } else if abs.exists() {
            out.push(Input::File(abs));
        } else {
            return Err(format!("no such file or directory: `{}`", p.display()));
        }
    }
    out.sort();
    out.dedup();
    if stdin {
        out.push(Input::Stdin);
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&path, out)?;
            }
        } else if name.ends_with(".sla") {
            out.push(path);
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

pub fn read_stdin() -> Result<String, String> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    // Invalid UTF-8 is reported by the checker with a position; keep the bytes lossy here.
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// The path standard input is checked as: imports resolve from the current directory.
pub fn stdin_path() -> PathBuf {
    cwd().join("<stdin>")
}
