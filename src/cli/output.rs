//! Printing diagnostics in the chosen format (writing files is `write`'s).

use super::Color;
use crate::diagnostics::{
    render_github, render_human, render_json, render_sarif, Diagnostic, HumanStyle, Severity,
};
use crate::source::SourceMap;
use clap::ValueEnum;
use std::io::{IsTerminal, Write};

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
        Format::Json => super::write_stdout(&render_json(&[(sources, diags)])),
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
