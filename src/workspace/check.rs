//! Checking the agreement files a door was given: expanding directories,
//! grouping files by project root so a shared import is read and reported
//! once, and parsing ahead on every core. Every door (`cli`, `lsp`, `serve`)
//! checks files through here.

use super::{FsLoader, Input};
use crate::check::{Loader, Session};
use crate::diagnostics::Diagnostic;
use crate::model::Model;
use crate::source::SourceMap;
use crate::workspace;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The outcome of checking a set of inputs: every diagnostic, the models of
/// the entry files, and the sources the diagnostics point into.
pub struct Checked {
    pub groups: Vec<(SourceMap, Vec<Diagnostic>)>,
    pub models: Vec<Model>,
    pub files: usize,
    /// Time the parser took over the named files, parsed ahead on every
    /// core (for `build --timings`; imports are parsed as they are met,
    /// within checking).
    pub parse_time: Duration,
    /// What a directory scan skipped (FIFOs, links to directories...),
    /// for the door to show.
    pub notes: Vec<String>,
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
    check_keeping(paths, loader, Keep::Models)
}

/// What checking keeps of each entry file besides its diagnostics.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Its model, for the stages after checking (`Checked::models`).
    Models,
    /// Nothing: `slac check` only reports, and dropping each file's
    /// agreements once it is checked keeps a large workspace's memory to
    /// its sources and declarations (no other file can use an agreement).
    Diagnostics,
}

/// `check_inputs_with`, keeping the models or not.
pub fn check_keeping(
    paths: &[PathBuf],
    loader: &dyn Loader,
    keep: Keep,
) -> Result<Checked, String> {
    let expanded = workspace::expand(paths)?;
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
        notes: expanded.notes,
    };
    for (root, entries) in by_root {
        let mut session = Session::new(loader, &root, Some(&cwd));
        session.keep_models = keep == Keep::Models;
        let mut ids = Vec::new();
        // Parsed on every core a batch at a time, so that only one batch
        // of syntax trees waits in memory.
        for batch in entries.chunks(PARSE_BATCH) {
            session.read_ahead(&batch.iter().flatten().cloned().collect::<Vec<_>>());
            let started = Instant::now();
            session.parse_ahead();
            out.parse_time += started.elapsed();
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
        if keep == Keep::Models {
            out.models
                .extend(ids.into_iter().map(|id| session.take_model(id)));
        }
        out.groups.push((session.sources, diags));
    }
    Ok(out)
}
