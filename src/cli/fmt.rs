//! `slac fmt`: rewrite files in the canonical layout, or check that they are.

use super::output::{plural, print_diagnostics, Format};
use super::write::rewrite;
use super::{fail, write_stdout, Color, EXIT_ERRORS, EXIT_OK, EXIT_TROUBLE};
use crate::fmt::{format, FormatError};
use crate::source::SourceMap;
use crate::source::MAX_SOURCE_BYTES;
use crate::workspace::{self, Input};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories to format (`-` formats standard input to standard output)
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted and exit 1 if any
    #[arg(long)]
    check: bool,
    /// Change nothing; show the changes as a unified diff and exit 1 if any
    #[arg(long)]
    diff: bool,
}

enum Outcome {
    Unchanged,
    Changed,
    Failed,
    /// The file could not be written (read-only, ...): exit 2.
    NotWritten,
}

pub fn run(args: Args, color: Color) -> u8 {
    let inputs = match workspace::expand(&args.paths) {
        Ok(expanded) => {
            super::check::print_notes(&expanded.notes);
            expanded.inputs
        }
        Err(e) => return fail(e),
    };
    let dry = args.check || args.diff;
    let (mut changed, mut failed, total) = (Vec::new(), 0, inputs.len());
    let mut not_written = 0;
    for input in inputs {
        let (name, path, text) = match &input {
            Input::Stdin => match workspace::read_stdin() {
                // Reading stopped at the limit: formatting the part read
                // would print a truncated file.
                Ok(t) if t.len() > MAX_SOURCE_BYTES => {
                    return fail(format!(
                        "standard input is larger than {} MiB; not formatted",
                        MAX_SOURCE_BYTES >> 20
                    ))
                }
                Ok(t) => ("<stdin>".to_string(), None, t),
                Err(e) => return fail(e),
            },
            Input::File(p) => match workspace::read_limited(p, MAX_SOURCE_BYTES) {
                Ok(bytes) if bytes.len() > MAX_SOURCE_BYTES => {
                    eprintln!(
                        "error: `{}` is larger than {} MiB; left unchanged",
                        display(p),
                        MAX_SOURCE_BYTES >> 20
                    );
                    failed += 1;
                    continue;
                }
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(t) => (display(p), Some(p.clone()), t),
                    Err(_) => {
                        eprintln!("error: `{}` is not valid UTF-8; left unchanged", display(p));
                        failed += 1;
                        continue;
                    }
                },
                Err(e) => return fail(format!("cannot read `{}`: {e}", display(p))),
            },
        };
        match one(&name, path.as_deref(), &text, &args, color) {
            Ok(Outcome::Unchanged) => {}
            Ok(Outcome::Changed) => changed.push(name),
            Ok(Outcome::Failed) => failed += 1,
            Ok(Outcome::NotWritten) => not_written += 1,
            Err(e) => return fail(e),
        }
    }
    if args.check {
        let list: String = changed.iter().map(|n| format!("{n}\n")).collect();
        write_stdout(&list);
    }
    let verb = if dry { "would reformat" } else { "reformatted" };
    eprintln!(
        "{verb} {} of {}{}",
        plural(changed.len(), "file"),
        total,
        if failed > 0 {
            format!(
                "; {} left unchanged because of errors",
                plural(failed, "file")
            )
        } else {
            String::new()
        }
    );
    if not_written > 0 {
        eprintln!(
            "{} could not be written (see above)",
            plural(not_written, "file")
        );
        EXIT_TROUBLE
    } else if failed > 0 || (dry && !changed.is_empty()) {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

fn one(
    name: &str,
    path: Option<&Path>,
    text: &str,
    args: &Args,
    color: Color,
) -> Result<Outcome, String> {
    let mut sources = SourceMap::new();
    let file = sources.add(name, text);
    let formatted = match format(file, text) {
        Ok(f) => f,
        Err(FormatError::Syntax(d)) => {
            print_diagnostics(&[*d], &sources, Format::Human, color);
            return Ok(Outcome::Failed);
        }
        Err(FormatError::Unsafe(why)) => {
            eprintln!("error: refusing to format `{name}`: {why}; this is a bug in slac, please report it");
            return Ok(Outcome::Failed);
        }
    };
    let changed = formatted != text;
    if args.diff && changed {
        write_stdout(&unified_diff(name, text, &formatted));
    }
    match path {
        None if !args.check && !args.diff => write_stdout(&formatted),
        Some(p) if changed && !args.check && !args.diff => {
            if let Err(e) = rewrite(p, name, formatted.as_bytes()) {
                eprintln!("error: {e}");
                return Ok(Outcome::NotWritten);
            }
        }
        _ => {}
    }
    Ok(if changed {
        Outcome::Changed
    } else {
        Outcome::Unchanged
    })
}

fn display(p: &Path) -> String {
    let cwd = workspace::cwd();
    p.strip_prefix(&cwd).unwrap_or(p).display().to_string()
}

/// A unified diff with three lines of context.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
