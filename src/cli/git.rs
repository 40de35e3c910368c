//! Reading other revisions with git itself: the files that changed between
//! two revisions, and a `Loader` that reads a file as it was at a revision,
//! so imports resolve within that revision.

use crate::check::{LoadError, Loader};
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(args: &[&str], dir: &Path) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git: {}", crate::workspace::describe(&e)))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!("git {}: {}", args.join(" "), err.trim()));
    }
    Ok(out.stdout)
}

/// The top of the working tree that contains `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, String> {
    let out = git(&["rev-parse", "--show-toplevel"], dir)?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

/// Checks that a revision exists, for a clear error before anything else.
pub fn verify_rev(rev: &str, dir: &Path) -> Result<(), String> {
    git(
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
        dir,
    )
    .map(|_| ())
    .map_err(|_| format!("unknown revision `{rev}`"))
}

/// One changed `.sla` file, paths relative to the top of the working tree.
#[derive(Debug)]
pub struct Changed {
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The `.sla` files that differ between `old` and `new` (`None`: the working
/// tree, untracked files included), renames detected.
pub fn changed_files(
    old: &str,
    new: Option<&str>,
    paths: &[PathBuf],
    cwd: &Path,
) -> Result<Vec<Changed>, String> {
    let mut args = vec!["diff", "--name-status", "-M", "--no-color", "-z", old];
    if let Some(n) = new {
        args.push(n);
    }
    args.push("--");
    let specs: Vec<String> = paths
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    args.extend(specs.iter().map(String::as_str));
    let out = git(&args, cwd)?;
    let fields: Vec<String> = out
        .split(|b| *b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let mut changed = Vec::new();
    let mut i = 0;
    while i < fields.len() {
        let status = fields[i].as_str();
        let (old_path, new_path, step) = match status.chars().next() {
            Some('R') | Some('C') => (Some(fields[i + 1].clone()), Some(fields[i + 2].clone()), 3),
            Some('A') => (None, Some(fields[i + 1].clone()), 2),
            Some('D') => (Some(fields[i + 1].clone()), None, 2),
            _ => (Some(fields[i + 1].clone()), Some(fields[i + 1].clone()), 2),
        };
        i += step;
        let is_sla = |p: &Option<String>| p.as_ref().is_some_and(|p| p.ends_with(".sla"));
        if is_sla(&old_path) || is_sla(&new_path) {
            changed.push(Changed {
                old: old_path.filter(|p| p.ends_with(".sla")),
                new: new_path.filter(|p| p.ends_with(".sla")),
            });
        }
    }
    if new.is_none() {
        let mut args = vec![
            "ls-files",
            "--others",
            "--exclude-standard",
            "--full-name",
            "-z",
            "--",
        ];
        args.extend(specs.iter().map(String::as_str));
        for f in git(&args, cwd)?
            .split(|b| *b == 0)
            .filter(|f| !f.is_empty())
        {
            let f = String::from_utf8_lossy(f).into_owned();
            if f.ends_with(".sla") {
                changed.push(Changed {
                    old: None,
                    new: Some(f),
                });
            }
        }
    }
    Ok(changed)
}

/// Reads files as they are at a revision.
pub struct RevLoader {
    pub rev: String,
    pub top: PathBuf,
}

impl Loader for RevLoader {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        let rel = path
            .strip_prefix(&self.top)
            .map_err(|_| LoadError::NotFound)?;
        let spec = format!("{}:{}", self.rev, rel.to_string_lossy().replace('\\', "/"));
        git(&["show", &spec], &self.top).map_err(|_| LoadError::NotFound)
    }
}
