//! `GET /metrics`: the stored sums, the waiting items measured now, the
//! contract gauges, and the server's own state.

use super::contract;
use super::exposition::{scaled, Chunk, Exposition, Sample, Type};
use super::state::Live;
use super::{Lives, Server};
use crate::report::live::{escape_label, go_float};
use crate::store::{SeriesRow, Store};
use chrono::Utc;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What one agreement's scrape read from the store: its sums when they
/// changed since the last scrape, and its waiting items.
struct Read {
    series: Option<Vec<(SeriesRow, i64)>>,
    version: i64,
    waiting: Vec<(crate::report::live::SeriesKey, u64)>,
    /// Open items of goals with `warn at`, measured now.
    warned: Vec<crate::report::warn_live::OpenItem>,
}

/// An agreement's sums as rendered at a version of the store.
#[derive(Clone)]
pub struct Cached {
    version: i64,
    fingerprint: String,
    chunks: Arc<Vec<Chunk>>,
}

/// The rendered sums of each agreement, by name.
pub type Cache = std::collections::HashMap<String, Cached>;

fn read(
    s: &mut dyn Store,
    live: &Live,
    now: crate::report::events::Time,
    version: i64,
    known: Option<&(i64, String)>,
) -> Result<Read, String> {
    let name = live.name();
    let fresh = known != Some(&(version, live.fingerprint.clone()));
    let series = match fresh {
        true => Some(s.series(name).map_err(|e| e.to_string())?),
        false => None,
    };
    let mut waiting = Vec::new();
    let mut warned = Vec::new();
    let mut each = |stem: &str, body: &str| {
        if let Some(ev) = live.parse(stem, body) {
            waiting.extend(crate::report::live::waiting(
                &live.agreement,
                &live.clocks,
                &ev,
                now,
            ));
            warned.extend(crate::report::warn_live::open_items(
                &live.agreement,
                &live.clocks,
                &ev,
                now,
            ));
        }
    };
    s.open_items(name, &mut each).map_err(|e| e.to_string())?;
    Ok(Read {
        series,
        version,
        waiting,
        warned,
    })
}

/// The family a stored series belongs to, and its type.
fn family(live: &Live, name: &str) -> (String, Type) {
    for h in &live.plan.histograms {
        for suffix in ["_bucket", "_sum", "_count"] {
            if name.strip_suffix(suffix) == Some(h.series.as_str()) {
                return (h.series.clone(), Type::Histogram);
            }
        }
    }
    let kind = if name == super::state::STORED {
        Type::Gauge
    } else {
        Type::Counter
    };
    (name.to_string(), kind)
}

const SERIES_HELP: &str = "Computed by slac serve from stored events, on the clock its `clock` label names (docs/targets.md).";

/// The value of label `name` in a label text this server wrote (its
/// values are identifiers here: no quotes to unescape).
fn label<'a>(labels: &'a str, name: &str) -> Option<&'a str> {
    let at = labels.find(&format!("{name}=\""))? + name.len() + 2;
    labels[at..].split('"').next()
}

/// A histogram's buckets as the exposition wants them: cumulative, every
/// bound of its clock's histogram present, `+Inf` last.
fn buckets(live: &Live, name: &str, labels: &str, counts: &BTreeMap<String, i64>) -> Vec<Sample> {
    let series = name.trim_end_matches("_bucket");
    let of = |n: &str| label(labels, n).unwrap_or("");
    // Histograms of one series and clock told apart by `pause` and
    // `replies` have bounds of their own.
    let bounds = live
        .plan
        .histograms
        .iter()
        .find(|h| {
            h.series == series
                && h.clock.name() == of("clock")
                && crate::model::pause_label(&h.pause) == of("pause")
                && h.replies.keyword().unwrap_or("") == of("replies")
        })
        .map(|h| h.bounds.iter().map(|b| go_float(*b)).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut total = 0;
    let mut out = Vec::new();
    for le in bounds.iter().map(String::as_str).chain(["+Inf"]) {
        total += counts.get(le).copied().unwrap_or(0);
        out.push(Sample {
            name: name.to_string(),
            labels: format!("{labels},le=\"{le}\""),
            value: total.to_string(),
        });
    }
    out
}

/// The stored sums of one agreement as exposition lines.
fn render_series(live: &Live, series: Vec<(SeriesRow, i64)>) -> Vec<Chunk> {
    let mut out = Exposition::default();
    let mut histograms: BTreeMap<(String, String), BTreeMap<String, i64>> = BTreeMap::new();
    for (row, value) in series {
        if !row.le.is_empty() {
            let bucket = histograms.entry((row.name, row.labels)).or_default();
            bucket.insert(row.le, value);
            continue;
        }
        let (fam, kind) = family(live, &row.name);
        let sample = Sample {
            name: row.name.clone(),
            labels: row.labels,
            value: scaled(value, row.scale),
        };
        let help = if kind == Type::Gauge {
            "Events in the store, by agreement and kind."
        } else {
            SERIES_HELP
        };
        out.add(&fam, kind, help, sample);
    }
    for ((name, labels), counts) in histograms {
        let (fam, kind) = family(live, &name);
        for sample in buckets(live, &name, &labels, &counts) {
            out.add(&fam, kind, SERIES_HELP, sample);
        }
    }
    out.into_chunks()
}

/// Adds one agreement's lines: its sums (rendered again only when they
/// changed) and its waiting items, measured now.
fn expose(server: &Server, live: &Live, r: Read, out: &mut Exposition) {
    let chunks = {
        let mut cache = server.series_cache.lock().expect("cache lock");
        match r.series {
            Some(series) => {
                let chunks = Arc::new(render_series(live, series));
                let cached = Cached {
                    version: r.version,
                    fingerprint: live.fingerprint.clone(),
                    chunks: chunks.clone(),
                };
                cache.insert(live.name().to_string(), cached);
                chunks
            }
            None => cache
                .get(live.name())
                .map(|c| c.chunks.clone())
                .unwrap_or_default(),
        }
    };
    for chunk in chunks.iter() {
        out.add_chunk(chunk);
    }
    for (key, seconds) in r.waiting {
        let help = "Business seconds a pending approval step or an unacknowledged incident has waited, on its clock, at scrape time.";
        let sample = Sample {
            name: key.name.clone(),
            labels: key.label_text(),
            value: seconds.to_string(),
        };
        out.add(&key.name, Type::Gauge, help, sample);
    }
    let gauge = crate::emit::plan::series::GOAL_ITEM_OPEN;
    for w in r.warned {
        let help = "Business seconds an open item of a goal with `warn at` has used of its allowance, on the goal's clock, at scrape time.";
        let sample = Sample {
            name: gauge.to_string(),
            labels: format!(
                "agreement=\"{}\",goal=\"{}\",item=\"{}\"{}",
                escape_label(live.name()),
                escape_label(&w.goal),
                escape_label(&w.item),
                w.segment
                    .as_ref()
                    .map(|s| format!(",segment=\"{}\"", escape_label(s)))
                    .unwrap_or_default()
            ),
            value: w.seconds.to_string(),
        };
        out.add(gauge, Type::Gauge, help, sample);
    }
}

fn status(server: &Server, lives: &Lives, out: &mut Exposition) {
    let st = server.reload.lock().expect("reload lock").clone();
    let mut g = |family: &str, help: &str, labels: String, value: String| {
        out.gauge(family, help, labels, value)
    };
    g(
        "slac_serve_config_errors",
        "Errors found in the agreement files at the last look (0: the files are good).",
        String::new(),
        st.errors.to_string(),
    );
    g("slac_serve_config_last_reload_successful", "1 when the last look at the agreement files loaded them, 0 when it kept the last good version.", String::new(), u8::from(st.ok).to_string());
    if let Some(at) = st.at {
        g(
            "slac_serve_config_last_reload_seconds",
            "When the agreement files were last looked at (Unix seconds).",
            String::new(),
            at.timestamp().to_string(),
        );
    }
    for l in lives.iter() {
        let labels = format!(
            "agreement=\"{}\",source=\"{}\"",
            escape_label(l.name()),
            escape_label(&l.source)
        );
        g(
            "slac_serve_agreement",
            "1 for each agreement served, with the file it came from.",
            labels,
            "1".into(),
        );
    }
}

/// The whole `/metrics` page.
pub async fn metrics(server: Arc<Server>) -> Result<String, String> {
    let lives = server.lives();
    let now = Utc::now();
    let known: std::collections::HashMap<String, (i64, String)> = server
        .series_cache
        .lock()
        .expect("cache lock")
        .iter()
        .map(|(k, c)| (k.clone(), (c.version, c.fingerprint.clone())))
        .collect();
    let reads = {
        let lives = lives.clone();
        server
            .reader
            .call(move |s| {
                let versions = s.versions().map_err(|e| e.to_string())?;
                lives
                    .iter()
                    .map(|l| {
                        let version = versions.get(l.name()).copied().unwrap_or(0);
                        read(s, l, now, version, known.get(l.name()))
                    })
                    .collect::<Result<Vec<Read>, String>>()
            })
            .await??
    };
    let mut out = Exposition::default();
    for (live, r) in lives.iter().zip(reads) {
        expose(&server, live, r, &mut out);
    }
    for (as_of, report) in server.contracts.lock().expect("contracts lock").iter() {
        contract::expose(report, *as_of, &mut out);
    }
    status(&server, &lives, &mut out);
    Ok(out.render())
}

/// Recomputes the contract reports of every agreement at `now`.
pub async fn refresh_contracts(server: &Arc<Server>) -> Result<(), String> {
    let lives = server.lives();
    // Whole seconds: the gauge that tells the instant is then exact, and
    // `slac report --as-of` with it gives the same numbers.
    let now = chrono::DurationRound::duration_trunc(Utc::now(), chrono::TimeDelta::seconds(1))
        .map_err(|e| e.to_string())?;
    let reports = server
        .contracts_db
        .call(move |s| {
            lives
                .iter()
                .map(|l| contract::current(s, l, now).map(|r| (now, r)))
                .collect::<Result<Vec<_>, String>>()
        })
        .await??;
    *server.contracts.lock().expect("contracts lock") = reports;
    Ok(())
}
