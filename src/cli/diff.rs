//! `slac diff`: the semantic difference between two agreements, two
//! revisions, or what git hands a diff driver.

use super::git::{self, RevLoader};
use super::output::{print_diagnostics, use_color, Format};
use super::{fail, write_stdout, Color, EXIT_ERRORS, EXIT_OK, EXIT_TROUBLE};
use crate::check::{Loader, Session};
use crate::diagnostics::{render_human, HumanStyle};
use crate::diff::render::FileChanges;
use crate::diff::{diff, Effect};
use crate::model::Model;
use crate::source::MAX_SOURCE_BYTES;
use crate::workspace::{self, FsLoader};
use clap::ValueEnum;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// OLD and NEW agreement files; with --git, paths to limit the comparison to
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Compare every .sla file changed since REV (or in REV..REV2) using git
    #[arg(long, value_name = "REV")]
    git: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Exit 1 only if a change of this kind exists (for CI gates): looser, stricter, any,
    /// or an amount (`500`, `1200.50`): credits differing by at least that much under --with-data
    #[arg(long, value_name = "KIND|AMOUNT", value_parser = parse_gate)]
    fail_on: Option<Gate>,
    /// Replay both versions over this data directory (as `slac report --data` reads it) and show
    /// met or missed and the credits under each
    #[arg(long, value_name = "DIR")]
    with_data: Option<PathBuf>,
    #[arg(
        long,
        value_name = "FILE",
        requires = "with_data",
        help = super::report::MAP_HELP,
        long_help = super::report::MAP_LONG_HELP
    )]
    map: Option<PathBuf>,
}

/// What `--fail-on` gates on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gate {
    Kind(FailOn),
    /// Credits under the two versions differ by at least this many cents.
    Credits(u64),
}

fn parse_gate(s: &str) -> Result<Gate, String> {
    if let Ok(kind) = FailOn::from_str(s, true) {
        return Ok(Gate::Kind(kind));
    }
    super::replay::cents(s).map(Gate::Credits).ok_or_else(|| {
        format!("`{s}` is neither looser, stricter, any nor an amount such as 500 or 1200.50")
    })
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum DiffFormat {
    /// Lines for terminals, coloured on a TTY
    Text,
    /// A pull-request comment with a summary table
    Markdown,
    /// Machine-readable; see docs/diff.md
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Changes that loosen the provider's obligations (worse for the client), mixed ones included
    Looser,
    /// Changes that tighten the provider's obligations, mixed ones included
    Stricter,
    /// Any semantic change
    Any,
}

/// Arguments git passes a `diff.<driver>.command`.
#[derive(clap::Args)]
pub struct DriverArgs {
    #[arg(num_args = 7..=9, value_name = "GIT_ARGS")]
    args: Vec<String>,
}

pub fn run(args: Args, color: Color) -> u8 {
    if matches!(args.fail_on, Some(Gate::Credits(_))) && args.with_data.is_none() {
        return fail("--fail-on AMOUNT needs --with-data DIR: the amount is a difference in credits over that data");
    }
    let (files, models) = match &args.git {
        Some(spec) => match from_git(spec, &args.paths, color) {
            Ok(f) => f,
            Err(code) => return code,
        },
        None => {
            let [old, new] = args.paths.as_slice() else {
                return fail("`slac diff` takes two files, OLD and NEW (or --git REV)");
            };
            let loader = FsLoader;
            let (Some(a), Some(b)) = (
                model_of(&loader, old, None, color),
                model_of(&loader, new, None, color),
            ) else {
                return EXIT_TROUBLE;
            };
            let name = if old == new {
                old.display().to_string()
            } else {
                format!("{} → {}", old.display(), new.display())
            };
            let changes = diff(&a, &b);
            (vec![FileChanges { name, changes }], vec![(a, b)])
        }
    };
    let replays = match &args.with_data {
        None => Vec::new(),
        Some(dir) => match crate::workspace::map::read_opt(args.map.as_deref())
            .and_then(|map| super::replay::replays(&models, dir, map.as_ref()))
        {
            Ok(r) => r,
            Err(e) => return fail(e),
        },
    };
    super::replay::emit(&files, &replays, args.format, use_color_stdout(color));
    match args.fail_on {
        Some(Gate::Credits(cents)) => super::replay::exit_code(&replays, cents),
        Some(Gate::Kind(kind)) => exit_code(&files, Some(kind)),
        None => exit_code(&files, None),
    }
}

fn emit(files: &[FileChanges], format: DiffFormat, color: Color) {
    super::replay::emit(files, &[], format, use_color_stdout(color));
}

fn use_color_stdout(color: Color) -> bool {
    use std::io::IsTerminal;
    match color {
        Color::Auto => use_color(color) && std::io::stdout().is_terminal(),
        other => use_color(other),
    }
}

fn exit_code(files: &[FileChanges], fail_on: Option<FailOn>) -> u8 {
    let mut changes = files.iter().flat_map(|f| &f.changes);
    let hit = match fail_on {
        None | Some(FailOn::Any) => changes.next().is_some(),
        Some(FailOn::Looser) => changes.any(|c| c.effect.has(Effect::Looser)),
        Some(FailOn::Stricter) => changes.any(|c| c.effect.has(Effect::Stricter)),
    };
    if hit {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

/// Checks one file through `loader`; prints diagnostics and returns `None`
/// if it has errors. `text` checks given contents as if they were at `path`.
fn model_of(loader: &dyn Loader, path: &Path, text: Option<&str>, color: Color) -> Option<Model> {
    let cwd = workspace::cwd();
    let abs = crate::check::normalize(&cwd.join(path));
    let mut session = Session::new(loader, &workspace::project_root(&abs), Some(&cwd));
    let id = match text {
        Some(t) => session.check_text(&abs, t),
        None => match session.check_path(&abs) {
            Ok(id) => id,
            Err(e) => {
                fail(format!("cannot read `{}`: {e}", path.display()));
                return None;
            }
        },
    };
    let model = session.model(id).clone();
    let diags = session.take_diagnostics();
    if diags.iter().any(|d| d.is_error()) {
        print_diagnostics(&diags, &session.sources, Format::Human, color);
        eprintln!(
            "error: `{}` has errors; fix them to compare it",
            path.display()
        );
        return None;
    }
    Some(model)
}

/// The changed files since `spec`, with their two Models (an added or
/// deleted file's missing side is an empty Model).
type Compared = (Vec<FileChanges>, Vec<(Model, Model)>);

fn from_git(spec: &str, paths: &[PathBuf], color: Color) -> Result<Compared, u8> {
    let cwd = workspace::cwd();
    let top = git::toplevel(&cwd).map_err(fail)?;
    let (old_rev, new_rev) = match spec.split_once("..") {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (spec.to_string(), None),
    };
    git::verify_rev(&old_rev, &cwd).map_err(fail)?;
    if let Some(n) = &new_rev {
        git::verify_rev(n, &cwd).map_err(fail)?;
    }
    let changed = git::changed_files(&old_rev, new_rev.as_deref(), paths, &cwd).map_err(fail)?;
    let old_loader = RevLoader {
        rev: old_rev,
        top: top.clone(),
    };
    let new_loader: Box<dyn Loader> = match &new_rev {
        Some(rev) => Box::new(RevLoader {
            rev: rev.clone(),
            top: top.clone(),
        }),
        None => Box::new(FsLoader),
    };
    let mut out = Vec::new();
    let mut models = Vec::new();
    for c in changed {
        let load = |loader: &dyn Loader, rel: &Option<String>| -> Result<Model, u8> {
            match rel {
                None => Ok(Model::default()),
                Some(rel) => {
                    let abs = top.join(rel);
                    let mut session = Session::new(loader, &top, Some(&top));
                    let id = session
                        .check_path(&abs)
                        .map_err(|e| fail(format!("cannot read `{rel}`: {e}")))?;
                    let diags = session.take_diagnostics();
                    if diags.iter().any(|d| d.is_error()) {
                        print_diagnostics(&diags, &session.sources, Format::Human, color);
                        eprintln!(
                            "error: `{rel}` has errors in this revision; fix them to compare it"
                        );
                        return Err(EXIT_TROUBLE);
                    }
                    Ok(session.model(id).clone())
                }
            }
        };
        let a = load(&old_loader, &c.old)?;
        let b = load(new_loader.as_ref(), &c.new)?;
        let name = match (&c.old, &c.new) {
            (Some(o), Some(n)) if o != n => format!("{o} → {n} (renamed)"),
            (Some(o), None) => format!("{o} (deleted)"),
            (None, Some(n)) => format!("{n} (added)"),
            (_, Some(n)) => n.clone(),
            (None, None) => continue,
        };
        out.push(FileChanges {
            name,
            changes: diff(&a, &b),
        });
        models.push((a, b));
    }
    Ok((out, models))
}

/// `slac diff-driver`: git's external diff interface, `path old-file
/// old-hex old-mode new-file new-hex new-mode` (two more for renames).
/// Imports of the old version resolve in the working tree.
///
/// Always exits 0 with something to read: git stops the whole `git diff`
/// ("external diff died") when a driver fails, and a half-edited file is
/// normal while working. When a version cannot be checked, its problems
/// are printed, followed by a plain text diff.
pub fn run_driver(args: DriverArgs, color: Color) -> u8 {
    let a = &args.args;
    let path = PathBuf::from(&a[0]);
    let new_path = a.get(7).map(PathBuf::from).unwrap_or_else(|| path.clone());
    let mut problems = String::new();
    let mut read = |f: &str| -> Option<String> {
        if f == "/dev/null" {
            return None;
        }
        match workspace::read_limited(Path::new(f), MAX_SOURCE_BYTES) {
            Ok(b) => Some(String::from_utf8_lossy(&b).into_owned()),
            Err(e) => {
                problems.push_str(&format!("slac: cannot read `{f}`: {e}\n"));
                Some(String::new())
            }
        }
    };
    let (old, new) = (read(&a[1]), read(&a[4]));
    let name = if new_path != path {
        format!("{} → {}", path.display(), new_path.display())
    } else {
        path.display().to_string()
    };
    let m_old = driver_model(&path, &old, "old", &mut problems);
    let m_new = driver_model(&new_path, &new, "new", &mut problems);
    match (m_old, m_new) {
        (Some(m_old), Some(m_new)) if problems.is_empty() => {
            let files = vec![FileChanges {
                name,
                changes: diff(&m_old, &m_new),
            }];
            emit(&files, DiffFormat::Text, color);
        }
        _ => {
            let old = old.unwrap_or_default();
            let new = new.unwrap_or_default();
            problems.push_str(&format!(
                "slac: no semantic diff of `{name}`; the text diff follows\n\n"
            ));
            problems.push_str(&super::fmt::unified_diff(
                &path.display().to_string(),
                &old,
                &new,
            ));
            write_stdout(&problems);
        }
    }
    EXIT_OK
}

/// The model of one side for the driver (`None` text: the file does not
/// exist on that side). Its diagnostics, if it has errors, are added to
/// `problems` as plain text.
fn driver_model(
    path: &Path,
    text: &Option<String>,
    side: &str,
    problems: &mut String,
) -> Option<Model> {
    let Some(text) = text else {
        return Some(Model::default());
    };
    let cwd = workspace::cwd();
    let abs = crate::check::normalize(&cwd.join(path));
    let mut session = Session::new(&FsLoader, &workspace::project_root(&abs), Some(&cwd));
    let id = session.check_text(&abs, text);
    let diags = session.take_diagnostics();
    if !diags.iter().any(|d| d.is_error()) {
        return Some(session.model(id).clone());
    }
    problems.push_str(&format!(
        "slac: the {side} version of `{}` has errors:\n\n",
        path.display()
    ));
    problems.push_str(&render_human(
        &diags,
        &session.sources,
        HumanStyle {
            color: false,
            unicode: true,
            width: 100,
        },
    ));
    None
}
