//! `slac check`: report every problem in the given agreements.

use super::output::{plural, print_diagnostics, Format};
use super::{fail, Color, EXIT_ERRORS, EXIT_OK};
use crate::check::{Loader, Session};
use crate::diagnostics::{render_sarif, Diagnostic, JsonDiagnostic};
use crate::model::Model;
use crate::source::SourceMap;
use crate::workspace::{self, FsLoader, Input};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

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

/// The outcome of checking a set of inputs: every diagnostic, the models of
/// the entry files, and the sources the diagnostics point into.
pub struct Checked {
    pub groups: Vec<(SourceMap, Vec<Diagnostic>)>,
    pub models: Vec<Model>,
    pub files: usize,
    /// Time the parser took, a part of checking (for `build --timings`).
    pub parse_time: Duration,
}

/// How many named files are parsed ahead together.
const PARSE_BATCH: usize = 32;

/// Checks every input; inputs sharing a project root share one session, so a
/// common import is read and reported once.
pub fn check_inputs(paths: &[PathBuf]) -> Result<Checked, String> {
    check_inputs_with(paths, &FsLoader)
}

/// `check_inputs` with files read through `loader` (`build --timings` times
/// the reads with a wrapper).
pub fn check_inputs_with(paths: &[PathBuf], loader: &dyn Loader) -> Result<Checked, String> {
    let expanded = workspace::expand(paths)?;
    print_notes(&expanded.notes);
    let inputs = expanded.inputs;
    let cwd = workspace::cwd();
    let mut by_root: BTreeMap<PathBuf, Vec<Option<PathBuf>>> = BTreeMap::new();
    let mut stdin = None;
    for input in &inputs {
        match input {
            Input::File(p) => by_root
                .entry(workspace::project_root(p))
                .or_default()
                .push(Some(p.clone())),
            Input::Stdin => {
                if stdin.is_none() {
                    stdin = Some(workspace::read_stdin()?);
                }
                by_root.entry(cwd.clone()).or_default().push(None);
            }
        }
    }
    let mut out = Checked {
        groups: Vec::new(),
        models: Vec::new(),
        files: inputs.len(),
        parse_time: Duration::ZERO,
    };
    for (root, entries) in by_root {
        let mut session = Session::new(loader, &root, Some(&cwd));
        let mut ids = Vec::new();
        // Parsed on every core a batch at a time, so that only one batch
        // of syntax trees waits in memory.
        for batch in entries.chunks(PARSE_BATCH) {
            session.parse_ahead(&batch.iter().flatten().cloned().collect::<Vec<_>>());
            for entry in batch {
                let id = match entry {
                    Some(path) => session
                        .check_path(path)
                        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?,
                    None => {
                        session.check_text(&workspace::stdin_path(), stdin.as_deref().unwrap_or(""))
                    }
                };
                ids.push(id);
            }
        }
        let diags = session.take_diagnostics();
        // Moved, not copied: a large workspace's models are a good part of
        // its memory. Imports are resolved by now.
        out.models
            .extend(ids.into_iter().map(|id| session.take_model(id)));
        out.parse_time += session.parse_time;
        out.groups.push((session.sources, diags));
    }
    Ok(out)
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
    match format {
        Format::Json => {
            let json: Vec<_> = checked
                .groups
                .iter()
                .flat_map(|(sources, diags)| {
                    diags.iter().map(move |d| JsonDiagnostic::new(d, sources))
                })
                .collect();
            let text = serde_json::to_string_pretty(&json).expect("diagnostics serialize");
            super::write_stdout(&format!("{text}\n"));
        }
        Format::Sarif => {
            let groups: Vec<(&SourceMap, &[Diagnostic])> = checked
                .groups
                .iter()
                .map(|(s, d)| (s, d.as_slice()))
                .collect();
            super::write_stdout(&render_sarif(&groups));
        }
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
    let checked = match check_inputs(&args.paths) {
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
