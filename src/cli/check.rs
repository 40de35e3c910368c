//! `slac check`: report every problem in the given agreements.

use super::output::{plural, print_diagnostics, Format};
use super::{fail, Color, EXIT_ERRORS, EXIT_OK};
use crate::check::Loader;
use crate::diagnostics::{render_json, render_sarif, Diagnostic};
use crate::source::SourceMap;
pub use crate::workspace::check::Checked;
use crate::workspace::check::{check_keeping, Keep};
use crate::workspace::FsLoader;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories to check (`-` reads standard input)
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format of the diagnostics
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Treat warnings as errors (exit 1 when there are any)
    #[arg(long)]
    deny_warnings: bool,
}

/// Checks every input (see `workspace::check`) for a door that only
/// reports, so no model is kept; prints what a directory scan skipped.
fn diagnose_inputs(paths: &[PathBuf]) -> Result<Checked, String> {
    let checked = check_keeping(paths, &FsLoader, Keep::Diagnostics)?;
    print_notes(&checked.notes);
    Ok(checked)
}

/// Checks every input keeping the models, with files read through `loader`
/// (`build --timings` times the reads with a wrapper); prints what a
/// directory scan skipped.
pub fn check_inputs_with(paths: &[PathBuf], loader: &dyn Loader) -> Result<Checked, String> {
    let checked = check_keeping(paths, loader, Keep::Models)?;
    print_notes(&checked.notes);
    Ok(checked)
}

/// Shows what a directory scan skipped (FIFOs, links to directories...).
pub fn print_notes(notes: &[String]) {
    for note in notes {
        eprintln!("warning: {note}");
    }
}

/// Prints all diagnostics and the summary line; returns (errors, warnings).
/// Machine formats print one document for all inputs on stdout; the human
/// summary goes to stderr either way.
pub fn report(checked: &Checked, format: Format, color: Color) -> (usize, usize) {
    let all = || checked.groups.iter().flat_map(|(_, d)| d);
    let errors = all().filter(|d| d.is_error()).count();
    let warnings = all().count() - errors;
    let groups: Vec<(&SourceMap, &[Diagnostic])> = checked
        .groups
        .iter()
        .map(|(s, d)| (s, d.as_slice()))
        .collect();
    match format {
        Format::Json => super::write_stdout(&render_json(&groups)),
        Format::Sarif => super::write_stdout(&render_sarif(&groups)),
        Format::Human | Format::Github => {
            for (sources, diags) in &checked.groups {
                print_diagnostics(diags, sources, format, color);
            }
        }
    }
    let files = plural(checked.files, "file");
    if errors + warnings == 0 {
        eprintln!("checked {files}: no problems");
    } else {
        eprintln!(
            "checked {files}: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
    }
    (errors, warnings)
}

pub fn run(args: Args, color: Color) -> u8 {
    let checked = match diagnose_inputs(&args.paths) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let (errors, warnings) = report(&checked, args.format, color);
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}
