//! Clocks that pause (`pause while waiting on customer, client`): the waits
//! of `waits.csv` linked to their inquiries and checked against them, and
//! the business time a goal's clock stands still inside them.
//!
//! Paused time is business time: the goal's clock, its closed hours and
//! the honoured exclusion windows already left out (`Clocks::elapsed`), so
//! an hour both excluded and waited counts once, as neither. Waits of one
//! inquiry never overlap (an overlap is an error); an instant both waited
//! and solved (a re-opened conversation, `messages.csv`) counts once.

use super::clocks::Clocks;
use super::context::{Context, Ev, Outcome};
use super::events::{Data, Time, Wait};
use super::read::{DataError, FileKind};
use super::Paused;
use crate::clock::Micros;
use crate::model::{Clock, Goal, WaitingOn};
use std::collections::HashMap;

/// The waits of each inquiry, by its index in `inquiries.csv`, in order.
#[derive(Default)]
pub struct Waits<'a> {
    by_inquiry: HashMap<usize, Vec<&'a Wait>>,
}

/// The most errors reported for `waits.csv` at once.
const MAX_ERRORS: usize = 20;

impl<'a> Waits<'a> {
    /// Links every wait to its inquiry. Errors (every bad row, up to a
    /// limit): an id no inquiry has, a wait that starts before its inquiry
    /// was received, two waits of one inquiry that overlap.
    pub fn new(data: &'a Data) -> Result<Waits<'a>, String> {
        // Without waits there is nothing to link (and no index of every
        // inquiry id to build on a large export).
        if data.waits.rows.is_empty() {
            return Ok(Waits::default());
        }
        let file = data.waits.file.as_deref().unwrap_or("waits.csv");
        let ids = data.inquiry_index();
        let mut errors: Vec<DataError> = Vec::new();
        let mut by_inquiry: HashMap<usize, Vec<&Wait>> = HashMap::new();
        for w in &data.waits.rows {
            let Some(&index) = ids.get(w.inquiry.as_str()) else {
                errors.push(
                    DataError::new(file, format!("no inquiry has the id `{}`", w.inquiry))
                        .at(w.row, Some("inquiry"))
                        .help("a wait belongs to an inquiry of `inquiries.csv`: write its `id`"),
                );
                continue;
            };
            let received = data.inquiries.rows[index].received_at;
            if w.from < received {
                errors.push(
                    DataError::new(
                        file,
                        format!(
                            "the wait starts before inquiry `{}` was received ({})",
                            w.inquiry,
                            received.to_rfc3339()
                        ),
                    )
                    .at(w.row, Some("from"))
                    .help("a case can only wait once it exists: check the time zone of `from`"),
                );
                continue;
            }
            by_inquiry.entry(index).or_default().push(w);
        }
        for waits in by_inquiry.values_mut() {
            waits.sort_by_key(|w| (w.from, w.row));
            for pair in waits.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                if a.to.is_none_or(|end| end > b.from) {
                    errors.push(
                        DataError::new(
                            file,
                            format!(
                                "the wait overlaps the wait of row {} (inquiry `{}`)",
                                a.row, a.inquiry
                            ),
                        )
                        .at(b.row, Some("from"))
                        .help("a case waits on one party at a time: end the first wait before the next starts"),
                    );
                }
            }
        }
        if errors.is_empty() {
            return Ok(Waits { by_inquiry });
        }
        errors.sort_by_key(|e| e.row);
        let more = errors.len().saturating_sub(MAX_ERRORS);
        let mut text: Vec<String> = errors
            .iter()
            .take(MAX_ERRORS)
            .map(|e| e.to_string())
            .collect();
        if more > 0 {
            text.push(format!("and {more} more error(s) in `{file}`"));
        }
        Err(text.join("\nerror: "))
    }

    /// The spans of `[start, end)` during which inquiry `index` waited on
    /// one of `parties`. A wait still open runs to `end`; the parts of a
    /// wait outside `[start, end)` (after the reply, after as-of) are cut.
    pub fn spans(
        &self,
        index: usize,
        parties: &[WaitingOn],
        start: Time,
        end: Time,
    ) -> impl Iterator<Item = (Time, Time)> + '_ {
        let waits = self.by_inquiry.get(&index).map_or(&[][..], |w| &w[..]);
        let parties = parties.to_vec();
        waits
            .iter()
            .filter(move |w| parties.contains(&w.on))
            .map(move |w| (w.from.max(start), w.to.map_or(end, |t| t.min(end))))
            .filter(|(from, to)| from < to)
    }
}

/// How an event stands at as-of on `goal`'s clock with the waits of its
/// pause parties taken out (semantics point 4 on the paused clock), and the
/// business time paused up to its stop (or as-of).
pub fn outcome(ctx: &Context, goal: &Goal, ev: &Ev, deadline: u64) -> (Outcome, Micros) {
    let stop = ev.stop.filter(|s| *s <= ctx.as_of);
    let (elapsed, paused) = elapsed(ctx, goal, ev, stop.unwrap_or(ctx.as_of));
    let outcome = match stop {
        Some(_) => Outcome::Took(elapsed),
        None if !elapsed.within(deadline) => Outcome::Overdue(elapsed),
        None => Outcome::Pending(elapsed),
    };
    (outcome, paused)
}

/// The business time of `ev` on `goal`'s clock from its start to `end`,
/// with its stopped spans taken out, and the paused part of them. Stopped
/// are a re-opened conversation's solved spans (`messages.csv`) and, for a
/// goal that pauses, the waits on its parties; an instant in both counts
/// once, as solved.
pub fn elapsed(ctx: &Context, goal: &Goal, ev: &Ev, end: Time) -> (Micros, Micros) {
    let waits: Vec<(Time, Time)> = if goal.pause.is_empty() || ev.file != FileKind::Inquiries {
        Vec::new()
    } else {
        ctx.waits
            .spans(ev.index, &goal.pause, ev.start, end)
            .collect()
    };
    let span = Span {
        clock: &goal.clock,
        platform: ev.platform,
        start: ev.start,
        end,
    };
    stopped(ctx.clocks, span, &ev.solved, &waits)
}

/// What `stopped` times: `[start, end)` on `clock` for `platform`.
#[derive(Clone, Copy)]
pub struct Span<'a> {
    pub clock: &'a Clock,
    pub platform: &'a str,
    pub start: Time,
    pub end: Time,
}

/// The business time of `span` with its `solved` spans and its `waits`
/// (already cut to the span and the goal's parties, `Waits::spans`) taken
/// out, and the paused part of them: `elapsed` for an event the report
/// holds, and `slac serve`'s observation of one stored case.
pub fn stopped(
    clocks: &Clocks,
    span: Span,
    solved: &[(Time, Time)],
    waits: &[(Time, Time)],
) -> (Micros, Micros) {
    let Span {
        clock,
        platform,
        start,
        end,
    } = span;
    let all = clocks.elapsed(clock, platform, start, end);
    let clip = |(a, b): (Time, Time)| (a.max(start), b.min(end));
    let solved: Vec<(Time, Time)> = solved.iter().copied().map(clip).collect();
    let business = |spans: &[(Time, Time)]| -> u64 {
        merged(spans)
            .into_iter()
            .map(|(a, b)| clocks.elapsed(clock, platform, a, b).0)
            .sum()
    };
    let solved_time = business(&solved);
    if waits.is_empty() {
        return (Micros(all.0.saturating_sub(solved_time)), Micros(0));
    }
    let mut stopped = solved;
    stopped.extend_from_slice(waits);
    let stopped_time = business(&stopped);
    (
        Micros(all.0.saturating_sub(stopped_time)),
        Micros(stopped_time.saturating_sub(solved_time)),
    )
}

/// `spans` sorted and joined where they overlap or touch; empty ones gone.
fn merged(spans: &[(Time, Time)]) -> Vec<(Time, Time)> {
    let mut sorted: Vec<(Time, Time)> = spans.iter().copied().filter(|(a, b)| a < b).collect();
    sorted.sort();
    let mut out: Vec<(Time, Time)> = Vec::with_capacity(sorted.len());
    for (a, b) in sorted {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Adds one timed event's paused time to a period's total.
pub fn add(total: &mut Option<Paused>, paused: Micros) {
    if let Some(t) = total {
        t.micros += paused.0;
        t.seconds = Micros(t.micros).ceil_secs();
        t.items += u64::from(paused.0 > 0);
    }
}
