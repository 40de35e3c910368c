//! What the server knows about each agreement it serves: the checked
//! agreement, the series it publishes, the vocabulary its events must use,
//! and its business time (rebuilt when exclusion windows arrive).

use crate::model::Agreement;
use crate::report::clocks::Clocks;
use crate::report::events::{Event, ExclusionWindow, Time};
use crate::report::live::{self, Plan, Unit};
use crate::report::live_case::Case;
use crate::report::read::Vocabulary;
use crate::store::{codec, Deltas, Record, Related, SeriesRow, CASE_KINDS};
use chrono::{Duration, Utc};
use chrono_tz::Tz;
use std::hash::{Hash, Hasher};

/// The stored count of events, by agreement and kind: kept with the other
/// sums so that a scrape never counts rows.
pub const STORED: &str = "slac_serve_events_stored";

/// One agreement being served.
pub struct Live {
    pub agreement: Agreement,
    /// The `.sla` file it came from.
    pub source: String,
    pub plan: Plan,
    pub vocab: Vocabulary,
    pub tz: Tz,
    pub clocks: Clocks,
    /// The exclusion windows the agreement honours, as stored.
    pub windows: Vec<ExclusionWindow>,
    /// Identifies the plan and clocks the stored sums were computed with.
    pub fingerprint: String,
}

impl Live {
    pub fn new(agreement: Agreement, source: String, windows: Vec<ExclusionWindow>) -> Live {
        let windows: Vec<ExclusionWindow> = windows
            .into_iter()
            .filter(|w| agreement.exclusions.contains(&w.kind))
            .collect();
        let refs: Vec<&ExclusionWindow> = windows.iter().collect();
        let (from, to) = span(&agreement);
        let clocks = Clocks::new(&agreement, &refs, from, to);
        let fingerprint = fingerprint(&agreement, &windows);
        Live {
            plan: Plan::of(&agreement),
            vocab: Vocabulary::for_agreement(&agreement),
            tz: agreement.timezone,
            clocks,
            windows,
            fingerprint,
            agreement,
            source,
        }
    }

    pub fn name(&self) -> &str {
        &self.agreement.name
    }

    /// Parses a stored body with this agreement's vocabulary.
    pub fn parse(&self, stem: &str, body: &str) -> Option<Event> {
        codec::parse(stem, body, 0, &self.vocab).ok()
    }

    /// The change to the sums when `old` (a stored body) becomes `new`;
    /// `typed` is `new` already parsed, when the caller has it. `related`
    /// reads the stored case of an inquiry (after `new` was stored);
    /// `rebuild`: every record comes once, with no old body.
    pub fn worth(
        &self,
        old: Option<&str>,
        new: &Record,
        typed: Option<&Event>,
        related: &mut Related,
        rebuild: bool,
        out: &mut Deltas,
    ) {
        let worth = live::Worth {
            agreement: &self.agreement,
            plan: &self.plan,
            clocks: &self.clocks,
            tz: self.tz,
        };
        let mut sums = std::collections::BTreeMap::new();
        if let Some(ev) = old.and_then(|b| self.parse(&new.kind, b)) {
            worth.add(&ev, -1, &mut sums);
        }
        match typed {
            Some(ev) => worth.add(ev, 1, &mut sums),
            None => {
                if let Some(ev) = self.parse(&new.kind, &new.body) {
                    worth.add(&ev, 1, &mut sums);
                }
            }
        }
        if self.plan.by_case() && CASE_KINDS.contains(&new.kind.as_str()) {
            self.case_worth(&worth, old, (new, typed), related, rebuild, &mut sums);
        }
        if old.is_none() {
            let labels = format!(
                "agreement=\"{}\",kind=\"{}\"",
                live::escape_label(self.name()),
                new.kind
            );
            let row = SeriesRow {
                name: STORED.to_string(),
                labels,
                le: String::new(),
                scale: 0,
            };
            crate::store::merge(out, row, 1);
        }
        for ((key, unit), v) in sums {
            let row = SeriesRow {
                labels: key.label_text(),
                name: key.name,
                le: key.le,
                scale: match unit {
                    Unit::Count => 0,
                    Unit::Micros => 6,
                },
            };
            crate::store::merge(out, row, v);
        }
    }
}

impl Live {
    /// The change an inquiry, wait or message makes to the histograms that
    /// observe whole cases: the case as it stood before `new` was stored
    /// is taken off, the case as it stands is added. In a rebuild each
    /// case is added once, with its inquiry.
    fn case_worth(
        &self,
        worth: &live::Worth,
        old: Option<&str>,
        (new, typed): (&Record, Option<&Event>),
        related: &mut Related,
        rebuild: bool,
        sums: &mut std::collections::BTreeMap<(live::SeriesKey, Unit), i64>,
    ) {
        if rebuild && new.kind != "inquiries" {
            return;
        }
        let parsed;
        let ev = match typed {
            Some(ev) => ev,
            None => match self.parse(&new.kind, &new.body) {
                Some(ev) => {
                    parsed = ev;
                    &parsed
                }
                None => return,
            },
        };
        let id = match ev {
            Event::Inquiry(i) => &i.id,
            Event::Wait(w) => &w.inquiry,
            Event::Message(m) => &m.inquiry,
            _ => return,
        };
        // The rest of the case (the record itself is `ev`, or `old`).
        let others: Vec<Event> = related(id)
            .into_iter()
            .filter(|(k, key, _)| !(*k == new.kind && *key == new.key))
            .filter_map(|(k, _, body)| self.parse(&k, &body))
            .collect();
        if !rebuild {
            let before = old.and_then(|b| self.parse(&new.kind, b));
            if let Some(case) = case(others.iter().chain(before.as_ref())) {
                worth.add_case(&case, -1, sums);
            }
        }
        if let Some(case) = case(others.iter().chain(Some(ev))) {
            worth.add_case(&case, 1, sums);
        }
    }
}

/// A case from its stored events; `None` without its inquiry.
fn case<'e>(events: impl Iterator<Item = &'e Event>) -> Option<Case> {
    let mut inquiry = None;
    let (mut waits, mut messages) = (Vec::new(), Vec::new());
    for ev in events {
        match ev {
            Event::Inquiry(i) => inquiry = Some(i.clone()),
            Event::Wait(w) => waits.push(w.clone()),
            Event::Message(m) => messages.push(m.clone()),
            _ => {}
        }
    }
    Some(Case {
        inquiry: inquiry?,
        waits,
        messages,
    })
}

/// The instants business time is computed over: the term, two days either
/// side, and a year after it for events that stop late (or until now).
fn span(a: &Agreement) -> (Time, Time) {
    let tz = a.timezone;
    let start = crate::report::periods::midnight(tz, a.term.start) - Duration::days(2);
    let end = crate::report::periods::midnight(tz, a.term.end) + Duration::days(366);
    (start, end.max(Utc::now() + Duration::days(2)))
}

/// A stable identity of what the sums depend on.
fn fingerprint(a: &Agreement, windows: &[ExclusionWindow]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{a:?}").hash(&mut h);
    for w in windows {
        (w.kind.keyword(), &w.platform, w.start, w.end).hash(&mut h);
    }
    env!("CARGO_PKG_VERSION").hash(&mut h);
    // What the sums and open flags hold; bumped when that changes, so they
    // are recomputed (v3: only events a gauge measures are open).
    "sums-v3".hash(&mut h);
    format!("{:016x}", h.finish())
}
