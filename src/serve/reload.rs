//! Loading the agreements, at start and again on SIGHUP or when a file
//! changes: a broken edit keeps the last good version, logs its
//! diagnostics and shows them as a metric.

use super::db::Db;
use super::state::Live;
use super::{Lives, Server};
use crate::model::Agreement;
use crate::report::events::{Event, ExclusionWindow};
use crate::store::{codec, Record};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

/// What a check found: the agreements, or the count of errors.
pub struct Checked {
    pub agreements: Vec<(Agreement, String)>,
    pub warnings: usize,
}

/// Checks the agreement files; diagnostics go to stderr.
pub fn check(paths: &[PathBuf]) -> Result<Checked, String> {
    let checked = crate::workspace::check::check_inputs(paths)?;
    for note in &checked.notes {
        eprintln!("warning: {note}");
    }
    let (mut errors, mut warnings) = (0, 0);
    for (sources, diags) in &checked.groups {
        let text = crate::diagnostics::render_human(
            diags,
            sources,
            crate::diagnostics::HumanStyle::plain(),
        );
        eprint!("{text}");
        errors += diags.iter().filter(|d| d.is_error()).count();
        warnings += diags.iter().filter(|d| !d.is_error()).count();
    }
    if errors > 0 {
        return Err(format!("{errors} error(s) in the agreements"));
    }
    let mut agreements = Vec::new();
    for model in checked.models {
        for a in model.agreements {
            if agreements
                .iter()
                .any(|(b, _): &(Agreement, String)| b.name == a.name)
            {
                return Err(format!(
                    "two agreements are named `{}`: the series of one would mix with the other's",
                    a.name
                ));
            }
            agreements.push((a, model.source.clone()));
        }
    }
    if agreements.is_empty() {
        return Err("the files hold no agreement to serve".into());
    }
    Ok(Checked {
        agreements,
        warnings,
    })
}

/// The stored exclusion windows of an agreement.
fn windows(writer: &Db, a: &Agreement) -> Result<Vec<ExclusionWindow>, String> {
    let vocab = crate::report::read::Vocabulary::for_agreement(a);
    let name = a.name.clone();
    writer.call_blocking(move |s| {
        let mut out = Vec::new();
        let mut each = |stem: &str, body: &str| {
            if let Ok(Event::Exclusion(w)) = codec::parse(stem, body, 0, &vocab) {
                out.push(w);
            }
        };
        s.scan(&name, &["exclusions"], None, &mut each)
            .map(|_| out)
            .map_err(|e| e.to_string())
    })?
}

/// Builds the served state of one agreement, recomputing its stored sums
/// when they were computed with another plan or other exclusion windows.
pub fn live(writer: &Db, a: Agreement, source: String) -> Result<Arc<Live>, String> {
    let windows = windows(writer, &a)?;
    let live = Arc::new(Live::new(a, source, windows));
    let (l, name) = (live.clone(), live.name().to_string());
    writer.call_blocking(move |s| -> Result<(), String> {
        let stored = s.fingerprint(&name).map_err(|e| e.to_string())?;
        if stored.as_deref() != Some(l.fingerprint.as_str()) {
            let mut worth = |old: Option<&str>,
                             _: usize,
                             r: &Record,
                             rel: &mut crate::store::Related,
                             d: &mut crate::store::Deltas| {
                l.worth(old, r, None, rel, true, d)
            };
            let mut open = |r: &Record| {
                codec::may_be_open(&r.kind)
                    && l.parse(&r.kind, &r.body)
                        .is_some_and(|ev| codec::is_open(&l.agreement, &ev))
            };
            s.rebuild(&name, &l.fingerprint, &mut worth, &mut open)
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })??;
    Ok(live)
}

pub fn prepare(writer: &Db, checked: Checked) -> Result<Lives, String> {
    let mut lives = Vec::new();
    for (a, source) in checked.agreements {
        lives.push(live(writer, a, source)?);
    }
    Ok(Arc::new(lives))
}

/// Loads a data directory into the store for one agreement.
pub fn import(
    writer: &Db,
    lives: &Lives,
    name: Option<&str>,
    dir: &Path,
    map: Option<&crate::report::map::Mapping>,
) -> Result<usize, String> {
    let live = match name {
        Some(n) => lives
            .iter()
            .find(|l| l.name() == n)
            .ok_or_else(|| format!("--import {n}=...: no agreement `{n}` is served"))?,
        None if lives.len() == 1 => &lives[0],
        None => return Err("--import: several agreements are served: write NAME=DIR".into()),
    };
    let data = crate::workspace::data::load(dir, &live.agreement, map)?;
    let events: Vec<Event> = data
        .inquiries
        .rows
        .into_iter()
        .map(Event::Inquiry)
        .chain(data.posts.rows.into_iter().map(Event::Post))
        .chain(data.approvals.rows.into_iter().map(Event::Approval))
        .chain(data.incidents.rows.into_iter().map(Event::Incident))
        .chain(data.exclusions.rows.into_iter().map(Event::Exclusion))
        .chain(data.waits.rows.into_iter().map(Event::Wait))
        .chain(data.messages.rows.into_iter().map(Event::Message))
        .collect();
    let exclusions = events.iter().any(|e| matches!(e, Event::Exclusion(_)));
    let n = events.len();
    for chunk in events.chunks(10_000) {
        let records = chunk
            .iter()
            .map(|e| codec::record(&live.agreement, e))
            .collect();
        apply(writer, live.clone(), records, chunk.to_vec())?;
    }
    if exclusions {
        live_again(writer, live)?;
    }
    Ok(n)
}

/// Stores records of one agreement with their deltas.
pub fn apply(
    writer: &Db,
    live: Arc<Live>,
    records: Vec<Record>,
    events: Vec<Event>,
) -> Result<(), String> {
    writer.call_blocking(move |s| {
        let mut worth = |old: Option<&str>,
                         i: usize,
                         r: &Record,
                         rel: &mut crate::store::Related,
                         d: &mut crate::store::Deltas| {
            live.worth(old, r, events.get(i), rel, false, d)
        };
        s.apply(&records, &mut worth).map_err(|e| e.to_string())
    })?
}

/// Rebuilds one agreement's state from the store (after exclusion windows
/// arrived) and returns it.
pub fn live_again(writer: &Db, old: &Live) -> Result<Arc<Live>, String> {
    live(writer, old.agreement.clone(), old.source.clone())
}

/// The modification times of the served files, to notice edits.
pub fn stamps(paths: &[PathBuf]) -> Vec<Option<SystemTime>> {
    paths
        .iter()
        .map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .collect()
}

/// Checks the agreements again; keeps the last good version on errors.
pub fn reload(server: &Server) {
    let result = check(&server.config.agreements).and_then(|c| {
        let warnings = c.warnings;
        prepare(&server.writer, c).map(|l| (l, warnings))
    });
    let mut status = server.reload.lock().expect("reload lock");
    status.at = Some(chrono::Utc::now());
    match result {
        Ok((lives, warnings)) => {
            *server.lives.write().expect("lives lock") = lives;
            *status = super::ReloadStatus {
                errors: 0,
                warnings,
                ok: true,
                at: status.at,
            };
            server
                .dirty
                .store(true, std::sync::atomic::Ordering::SeqCst);
            eprintln!("slac serve: agreements reloaded");
        }
        Err(e) => {
            status.ok = false;
            status.errors = status.errors.max(1);
            if let Some(n) = e.split(' ').next().and_then(|n| n.parse().ok()) {
                status.errors = n;
            }
            eprintln!("slac serve: {e}; still serving the last good version");
        }
    }
}
