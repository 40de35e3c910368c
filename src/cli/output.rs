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
use std::path::Path;

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

/// Writes a file atomically: a temporary file in the same directory, synced,
/// then renamed over the target. A crash leaves the old file or the new one.
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
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
