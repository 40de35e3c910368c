//! `slac serve`'s observations that need an inquiry's whole case: a goal
//! whose clock pauses (its waits) and next reply or periodic update (its
//! messages). Pure, and the report's own arithmetic: the waits are linked
//! by `pause::Waits`, the messages walked by `conversation::walk`, the
//! business time taken by `pause::stopped`, so serve and report agree.
//!
//! A case is observed whole each time one of its parts changes (the door
//! subtracts the case as it stood and adds it as it stands), so a wait or
//! a message that arrives after the stop corrects the observation.

use super::conversation::{self, Measure, Threads};
use super::events::{Data, Event, Inquiry, Message, Table, Time, Wait};
use super::live::{self, Histogram, SeriesKey, Unit, Worth};
use super::pause::{self, Span, Waits};
use super::periods;
use crate::model::Replies;
use std::collections::BTreeMap;

/// An inquiry with the waits and messages stored for it.
#[derive(Clone, Debug)]
pub struct Case {
    pub inquiry: Inquiry,
    pub waits: Vec<Wait>,
    pub messages: Vec<Message>,
}

/// Gauge-like count of the cases whose stored waits overlap (or start
/// before the inquiry was received), or whose messages lie before it:
/// data `slac report` refuses. Their pausing goals are observed without
/// the waits (stricter, never looser) and their conversation clocks not
/// at all, until the case is corrected.
pub const CONFLICTS: &str = "slac_serve_case_conflicts";

/// One timed stretch of a case: where it starts and stops, and the
/// solved spans inside it that no clock counts (a re-opened conversation).
struct Item {
    start: Time,
    stop: Time,
    solved: Vec<(Time, Time)>,
}

impl Worth<'_> {
    /// Adds `sign` times what `case` is worth to the histograms that need
    /// cases (`Histogram::by_case`); the others take the inquiry alone
    /// (`Worth::add`).
    pub fn add_case(&self, case: &Case, sign: i64, out: &mut BTreeMap<(SeriesKey, Unit), i64>) {
        let q = &case.inquiry;
        let hs: Vec<&Histogram> = self
            .plan
            .histograms
            .iter()
            .filter(|h| h.by_case() && h.source == crate::model::EventSource::Inquiries)
            .collect();
        if hs.is_empty() || !q.requires_response {
            return;
        }
        let data = Data {
            inquiries: table(vec![q.clone()]),
            waits: table(case.waits.clone()),
            messages: table(case.messages.clone()),
            ..Data::default()
        };
        // Most cases are an inquiry alone: nothing to link or walk.
        let alone = case.waits.is_empty() && case.messages.is_empty();
        let waits = if alone {
            Ok(Waits::default())
        } else {
            Waits::new(&data)
        };
        let threads = if alone {
            Ok(Threads::default())
        } else {
            Threads::new(&data)
        };
        let pauses = hs.iter().any(|h| !h.pause.is_empty());
        let talks = hs
            .iter()
            .any(|h| h.conversation.is_some() || h.reads_messages());
        if (pauses && waits.is_err()) || (talks && threads.is_err()) {
            let key = SeriesKey {
                name: CONFLICTS.to_string(),
                labels: vec![("agreement".into(), self.agreement.name.clone())],
                le: String::new(),
            };
            *out.entry((key, Unit::Count)).or_default() += sign;
        }
        let waits = waits.unwrap_or_default();
        let ev = Event::Inquiry(q.clone());
        for h in hs {
            let items = match h.conversation {
                Some(measure) if measure.needs_messages() => match &threads {
                    Ok(t) => conversation_items(measure, h.replies, &data, t),
                    Err(_) => Vec::new(),
                },
                // Resolution: from the status rows when the conversation
                // has some (as the report does), else from `resolved_at`.
                Some(_) => match &threads {
                    Ok(t) if t.has_status(&data, 0) => resolution(q, &data, t),
                    _ => column(&ev, h, q),
                },
                None if h.reads_messages() => match &threads {
                    Ok(t) => first_reply(q, h.replies, &data, t),
                    Err(_) => Vec::new(),
                },
                None => column(&ev, h, q),
            };
            for item in items.into_iter().filter(|i| self.in_term(i.start)) {
                let spans: Vec<(Time, Time)> = if h.pause.is_empty() {
                    Vec::new()
                } else {
                    waits.spans(0, &h.pause, item.start, item.stop).collect()
                };
                let span = Span {
                    clock: &h.clock,
                    platform: &q.platform,
                    start: item.start,
                    end: item.stop,
                };
                let (elapsed, _) = pause::stopped(self.clocks, span, &item.solved, &spans);
                let labels = self.histogram_labels(h, &ev);
                live::put_observation(h, labels, elapsed, sign, out);
            }
        }
    }

    /// Whether an item that starts at `start` counts: in the term
    /// (semantics point 15).
    fn in_term(&self, start: Time) -> bool {
        let day = periods::local_date(self.tz, start);
        let term = &self.agreement.term;
        day >= term.start && day <= term.end
    }
}

fn table<T>(rows: Vec<T>) -> Table<T> {
    Table { file: None, rows }
}

/// The walk of the case's conversation, the replies of `replies` counting.
fn walk(replies: Replies, data: &Data, threads: &Threads) -> conversation::Walk {
    let counts = |a| conversation::counts(replies, a);
    conversation::walk(threads.of(data, 0), Time::MAX_UTC, counts)
}

/// The stopped waits the walk of the case's conversation finds, the
/// replies of `replies` closing them as the report counts them: an open
/// wait is not observed until it stops.
fn conversation_items(
    measure: Measure,
    replies: Replies,
    data: &Data,
    threads: &Threads,
) -> Vec<Item> {
    let w = walk(replies, data, threads);
    let waits = match measure {
        Measure::NextReply => w.follow_ups,
        Measure::PeriodicUpdate => w.updates,
        Measure::Resolution => Vec::new(),
    };
    waits
        .into_iter()
        .filter_map(|wait| {
            wait.stop.map(|stop| Item {
                start: wait.start,
                stop,
                solved: Vec::new(),
            })
        })
        .collect()
}

/// `response_time` with `replies by human`: the inquiry timed from its
/// received time to its first reply by a person, as the report's
/// `conversation::first_reply` finds it; nothing until there is one.
fn first_reply(q: &Inquiry, replies: Replies, data: &Data, threads: &Threads) -> Vec<Item> {
    from_receipt(q, walk(replies, data, threads).first_reply)
}

/// The inquiry timed from its received time to the column the histogram
/// stops at, if it has been filled.
fn column(ev: &Event, h: &Histogram, q: &Inquiry) -> Vec<Item> {
    from_receipt(q, live::stop_of(ev, &h.stop_field))
}

/// The inquiry timed from its received time to `stop`, once there is one.
fn from_receipt(q: &Inquiry, stop: Option<Time>) -> Vec<Item> {
    stop.map(|stop| Item {
        start: q.received_at,
        stop,
        solved: Vec::new(),
    })
    .into_iter()
    .collect()
}

/// Resolution as the status rows tell it: received to the solve that
/// stands (none while re-opened), the solved time before each re-open
/// left out.
fn resolution(q: &Inquiry, data: &Data, threads: &Threads) -> Vec<Item> {
    let w = walk(Replies::Anyone, data, threads);
    w.solved_at
        .map(|stop| Item {
            start: q.received_at,
            stop,
            solved: w.solved,
        })
        .into_iter()
        .collect()
}
