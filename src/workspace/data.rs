//! Finding and opening the data files of `slac report --data DIR` (and of
//! `slac serve --import DIR`); parsing
//! is `report::read`'s (pure, from any reader).

use crate::model::{Agreement, EventSource};
use crate::report::events::{Data, Table};
use crate::report::map::Mapping;
use crate::report::read::{self, DataErrors, FileKind, Format, Vocabulary};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Every path `load` may read in `dir`, whether or not it exists (`report
/// --out` must write over none of them).
pub fn candidates(dir: &Path, map: Option<&Mapping>) -> Vec<PathBuf> {
    FileKind::ALL
        .into_iter()
        .flat_map(|k| names(dir, k, map))
        .map(|(p, _)| p)
        .collect()
}

/// The paths the `kind` file may have: the mapping's name for it, or
/// `stem.csv` and `stem.jsonl`.
fn names(dir: &Path, kind: FileKind, map: Option<&Mapping>) -> Vec<(PathBuf, Format)> {
    if let Some((name, format)) = map.and_then(|m| m.source(kind)) {
        return vec![(dir.join(name), format)];
    }
    [Format::Csv, Format::Jsonl]
        .into_iter()
        .map(|f| (dir.join(format!("{}.{}", kind.stem(), f.extension())), f))
        .collect()
}

/// The file of `kind` in `dir`, if any: `stem.csv` or `stem.jsonl` (both
/// at once is ambiguous, so an error), or the name the mapping gives it.
fn find(
    dir: &Path,
    kind: FileKind,
    map: Option<&Mapping>,
) -> Result<Option<(PathBuf, Format)>, String> {
    let found: Vec<(PathBuf, Format)> = names(dir, kind, map)
        .into_iter()
        .filter(|(p, _)| p.is_file())
        .collect();
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.into_iter().next()),
        _ => Err(format!(
            "both `{}` and `{}` exist: keep one of them",
            found[0].0.display(),
            found[1].0.display()
        )),
    }
}

/// The event files the agreement's goals cannot do without: a missing file
/// is far more likely a wrong directory than a quiet month, so it is an
/// error rather than "no data" everywhere.
fn needed(agreement: &Agreement) -> Vec<(FileKind, String)> {
    let mut out: Vec<(FileKind, String)> = Vec::new();
    for g in &agreement.goals {
        let kind = match g.metric.events {
            EventSource::Inquiries => FileKind::Inquiries,
            EventSource::Posts => FileKind::Posts,
            EventSource::Approvals => FileKind::Approvals,
            EventSource::Incidents => FileKind::Incidents,
        };
        if !out.iter().any(|(k, _)| *k == kind) {
            out.push((kind, g.id.clone()));
        }
        // Next reply and periodic update are timed on the messages alone.
        let conversational =
            crate::report::conversation::Measure::of(&g.metric).is_some_and(|m| m.needs_messages());
        if conversational && !out.iter().any(|(k, _)| *k == FileKind::Messages) {
            out.push((FileKind::Messages, g.id.clone()));
        }
    }
    out
}

/// Reads every data file in `dir`, with a progress bar on a terminal;
/// `map` (`--map`) says how another tool's export is read.
pub fn load(dir: &Path, agreement: &Agreement, map: Option<&Mapping>) -> Result<Data, String> {
    if !dir.is_dir() {
        return Err(format!("`{}` is not a directory", dir.display()));
    }
    let mut files = Vec::new();
    for kind in FileKind::ALL {
        if let Some((path, format)) = find(dir, kind, map)? {
            files.push((kind, path, format));
        }
    }
    for (kind, goal) in needed(agreement) {
        if !files.iter().any(|(k, _, _)| *k == kind) {
            let wanted = match map.and_then(|m| m.source(kind)) {
                Some((name, _)) => format!("`{name}` (the mapping's {})", kind.stem()),
                None => format!("`{stem}.csv` or `{stem}.jsonl`", stem = kind.stem()),
            };
            return Err(format!(
                "no {wanted} in `{}`: goal `{goal}` needs {}",
                dir.display(),
                kind.stem()
            ));
        }
    }
    let total: u64 = files
        .iter()
        .filter_map(|(_, p, _)| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} reading {msg} {wide_bar} {bytes}/{total_bytes}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let vocab = Vocabulary::for_agreement(agreement);
    let mut data = Data::default();
    let mut done = 0u64;
    let mut failed: Vec<String> = Vec::new();
    for (kind, path, format) in files {
        let name = path.display().to_string();
        // A regular file inside the project only: a FIFO or device named
        // like a data file must not block the report, and a link must not
        // lead it to read (and quote rows of) a file outside the project.
        if let Some(real) = crate::workspace::outside_project(&path) {
            return Err(format!(
                "`{name}` is a symbolic link to `{}`, outside the project root",
                real.display()
            ));
        }
        let (file, _) = crate::workspace::read::open_regular(&path)
            .map_err(|e| format!("cannot read `{name}`: {e}"))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        bar.set_message(kind.stem());
        let mut progress = |bytes: u64| bar.set_position(done + bytes.min(size));
        let input = std::io::BufReader::new(file);
        // Every bad row of every file is reported, not the first alone.
        let f = &mut failed;
        let fm = map.and_then(|m| m.file(kind));
        match kind {
            FileKind::Inquiries => {
                let rows = read::read_mapped(&name, format, input, fm, &vocab, &mut progress);
                data.inquiries = table(&name, rows_or(rows, f));
            }
            FileKind::Posts => {
                let rows = read::read_mapped(&name, format, input, fm, &vocab, &mut progress);
                data.posts = table(&name, rows_or(rows, f));
            }
            FileKind::Approvals => {
                let rows = read::read_mapped(&name, format, input, fm, &vocab, &mut progress);
                data.approvals = table(&name, rows_or(rows, f));
            }
            FileKind::Incidents => {
                let rows = read::read_mapped(&name, format, input, fm, &vocab, &mut progress);
                data.incidents = table(&name, rows_or(rows, f));
            }
            FileKind::Exclusions => {
                let rows = read::read_mapped(&name, format, input, fm, &vocab, &mut progress);
                data.exclusions = table(&name, rows_or(rows, f));
            }
            FileKind::Messages => {
                let rows = read::read_mapped(&name, format, input, fm, &vocab, &mut progress);
                data.messages = table(&name, rows_or(rows, f));
            }
            FileKind::Waits => {
                let rows = read::read_mapped(&name, format, input, fm, &vocab, &mut progress);
                data.waits = table(&name, rows_or(rows, f));
            }
        }
        done += size;
    }
    bar.finish_and_clear();
    if !failed.is_empty() {
        return Err(failed.join("\nerror: "));
    }
    Ok(data)
}

/// The rows read, or none with the file's errors added to `failed`.
fn rows_or<T>(rows: Result<Vec<T>, DataErrors>, failed: &mut Vec<String>) -> Vec<T> {
    rows.unwrap_or_else(|e| {
        failed.push(e.to_string());
        Vec::new()
    })
}

fn table<T>(name: &str, rows: Vec<T>) -> Table<T> {
    Table {
        file: Some(name.to_string()),
        rows,
    }
}
