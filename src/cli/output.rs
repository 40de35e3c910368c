//! Printing diagnostics in the chosen format, and writing generated files
//! safely.

use super::Color;
use crate::diagnostics::{
    render_github, render_human, render_json, render_sarif, Diagnostic, HumanStyle, Severity,
};
use crate::emit::HEADER_MARK;
use crate::source::SourceMap;
use clap::ValueEnum;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphical reports for people (on stderr)
    Human,
    /// One JSON array of diagnostics (on stdout); see docs/cli.md
    Json,
    /// GitHub Actions annotations at file:line (on stdout)
    Github,
    /// A SARIF 2.1.0 log for code scanning (on stdout)
    Sarif,
}

pub fn use_color(color: Color) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        // no-color.org: a NO_COLOR that is present and not empty turns colour off.
        Color::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
}

/// Prints diagnostics and a one-line summary; returns (errors, warnings).
pub fn print_diagnostics(
    diags: &[Diagnostic],
    sources: &SourceMap,
    format: Format,
    color: Color,
) -> (usize, usize) {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    match format {
        Format::Json => super::write_stdout(&render_json(diags, sources)),
        Format::Github => super::write_stdout(&render_github(diags, sources)),
        Format::Sarif => super::write_stdout(&render_sarif(&[(sources, diags)])),
        Format::Human => {
            let style = HumanStyle {
                color: use_color(color),
                unicode: true,
                width: 100,
            };
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(render_human(diags, sources, style).as_bytes());
        }
    }
    (errors, warnings)
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Whether an existing file may be replaced: it is absent, or slac made it.
pub fn may_overwrite(path: &Path) -> bool {
    match std::fs::read(path) {
        Ok(bytes) => bytes.starts_with(HEADER_MARK.as_bytes()),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// The temporary file a write goes to before it is renamed over `path`.
fn temporary(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes a file atomically: a temporary file in the same directory, synced,
/// then renamed over the target. A crash leaves the old file or the new one.
/// Used for files people wrote or keep (`fmt`, `report --out`).
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let tmp = temporary(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A set of generated files that replace their targets together: each is
/// written to a temporary file as soon as it is ready (so the whole set is
/// never held in memory), and only `commit` renames them into place. If any
/// write fails, or the set is dropped uncommitted, the temporary files are
/// removed and no target has changed. Files are not synced one by one: they
/// are generated, so after a power cut `slac build` makes them again, and a
/// sync per file cost a large build most of its time.
pub struct StagedFiles {
    staged: Vec<(PathBuf, PathBuf)>,
}

impl StagedFiles {
    pub fn new() -> Self {
        StagedFiles { staged: Vec::new() }
    }

    pub fn stage(&mut self, path: &Path, contents: &str) -> std::io::Result<()> {
        let tmp = temporary(path);
        // Recorded first, so a failed write's remains are removed too.
        self.staged.push((tmp.clone(), path.to_path_buf()));
        std::fs::write(&tmp, contents)
    }

    pub fn len(&self) -> usize {
        self.staged.len()
    }

    /// Takes over another set's files (from another thread).
    pub fn absorb(&mut self, mut other: StagedFiles) {
        self.staged.append(&mut other.staged);
    }

    /// Renames every staged file over its target; stops at the first error.
    pub fn commit(mut self) -> std::io::Result<()> {
        let staged = std::mem::take(&mut self.staged);
        for (i, (tmp, path)) in staged.iter().enumerate() {
            if let Err(e) = std::fs::rename(tmp, path) {
                for (rest, _) in &staged[i..] {
                    let _ = std::fs::remove_file(rest);
                }
                return Err(e);
            }
        }
        Ok(())
    }
}

impl Drop for StagedFiles {
    fn drop(&mut self) {
        for (tmp, _) in &self.staged {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StagedFiles;

    fn names(dir: &std::path::Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_write_leaves_no_trace_and_changes_no_target() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "old").unwrap();
        let mut staged = StagedFiles::new();
        staged.stage(&dir.path().join("a.yaml"), "new").unwrap();
        let missing = dir.path().join("no-such-dir/b.yaml");
        assert!(staged.stage(&missing, "b").is_err());
        drop(staged);
        assert_eq!(names(dir.path()), ["a.yaml"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.yaml")).unwrap(),
            "old"
        );
    }

    #[test]
    fn commit_moves_every_file_into_place() {
        let dir = tempfile::tempdir().unwrap();
        let mut staged = StagedFiles::new();
        staged.stage(&dir.path().join("a.yaml"), "a").unwrap();
        staged.stage(&dir.path().join("b.yaml"), "b").unwrap();
        assert_eq!(names(dir.path()).len(), 2, "staged under temporary names");
        assert!(!dir.path().join("a.yaml").exists());
        staged.commit().unwrap();
        assert_eq!(names(dir.path()), ["a.yaml", "b.yaml"]);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.yaml")).unwrap(),
            "b"
        );
    }
}
