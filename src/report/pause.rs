//! Clocks that pause (`pause while waiting on customer, client`): the waits
//! of `waits.csv` linked to their inquiries and checked against them, and
//! the business time a goal's clock stands still inside them.
//!
//! Paused time is business time: the goal's clock, its closed hours and
//! the honoured exclusion windows already left out (`Clocks::elapsed`), so
//! an hour both excluded and waited counts once, as neither. Waits of one
//! inquiry never overlap (an overlap is an error), so their paused times
//! add up without counting an instant twice.

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
        let ids: HashMap<&str, usize> = data
            .inquiries
            .rows
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i))
            .collect();
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

    /// The business time on `clock` during `[start, end)` that inquiry
    /// `index` spent waiting on one of `parties`. A wait still open runs to
    /// `end`; the parts of a wait outside `[start, end)` (after the reply,
    /// after as-of) do not count.
    #[allow(clippy::too_many_arguments)]
    pub fn paused(
        &self,
        clocks: &Clocks,
        clock: &Clock,
        platform: &str,
        index: usize,
        parties: &[WaitingOn],
        start: Time,
        end: Time,
    ) -> Micros {
        let Some(waits) = self.by_inquiry.get(&index) else {
            return Micros(0);
        };
        let mut total = 0u64;
        for w in waits.iter().filter(|w| parties.contains(&w.on)) {
            let from = w.from.max(start);
            let to = w.to.map_or(end, |t| t.min(end));
            if from < to {
                total += clocks.elapsed(clock, platform, from, to).0;
            }
        }
        Micros(total)
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
/// paused time removed, and the paused time.
pub fn elapsed(ctx: &Context, goal: &Goal, ev: &Ev, end: Time) -> (Micros, Micros) {
    let all = ctx.clocks.elapsed(&goal.clock, ev.platform, ev.start, end);
    if goal.pause.is_empty() || ev.file != FileKind::Inquiries {
        return (all, Micros(0));
    }
    let paused = ctx.waits.paused(
        ctx.clocks,
        &goal.clock,
        ev.platform,
        ev.index,
        &goal.pause,
        ev.start,
        end,
    );
    (Micros(all.0.saturating_sub(paused.0)), paused)
}

/// Adds one timed event's paused time to a period's total.
pub fn add(total: &mut Option<Paused>, paused: Micros) {
    if let Some(t) = total {
        t.micros += paused.0;
        t.seconds = Micros(t.micros).ceil_secs();
        t.items += u64::from(paused.0 > 0);
    }
}
