//! `warn at P%` in the report: of a latency goal-period's items, which
//! were warned about (they used P% of their allowance by as-of) and which
//! of those breached anyway, with the instant the warning fell due, when
//! the item was answered or that it is still open, and how much business
//! time passed after the warning.

use super::context::{Context, Ev};
use super::events::Time;
use crate::clock::Micros;
use crate::model::Goal;
use chrono::SecondsFormat;
use serde::Serialize;

/// A goal-period's warnings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warnings {
    /// The share as written: `75%`.
    pub share: String,
    /// When an item is warned about, in business time on the goal's clock:
    /// the allowance times the share, exactly, and rounded up.
    pub after_micros: u64,
    pub after_seconds: u64,
    /// Items whose warning fell due by as-of (counted or pending).
    pub warned: u64,
    /// Of those, the counted items that breached anyway.
    pub breached: u64,
    /// The breached ones, in the order their warnings fell due (at most
    /// as many as the report lists of the worst misses).
    pub items: Vec<WarnedItem>,
}

/// One item warned about that breached anyway.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WarnedItem {
    pub id: String,
    pub file: &'static str,
    pub row: u64,
    pub platform: String,
    /// When the item started, RFC 3339 in the agreement's time zone.
    pub start: String,
    /// The instant its warning fell due, to the microsecond.
    pub warned_at: String,
    /// When it was answered (its stop); `None` while still open at as-of.
    pub answered_at: Option<String>,
    pub open: bool,
    /// Business time on the goal's clock from the warning to the answer
    /// (or to as-of, when still open): exactly, and rounded up.
    pub after_warning_micros: u64,
    pub after_warning_seconds: u64,
}

/// An item as the latency evaluation left it: its business time (`None`:
/// over the deadline and still open) or, pending, its time so far.
pub enum Timed<'e, 'a> {
    Counted(Option<Micros>, &'e Ev<'a>),
    Pending(Micros, &'e Ev<'a>),
}

pub fn warnings(ctx: &Context, goal: &Goal, items: &[Timed]) -> Option<Warnings> {
    let share = goal.warn?;
    // `goal` has no segments here: a goal with segments is evaluated per
    // part (`segments.rs`), each part a goal with the part's target.
    let after = Micros(goal.warn_after_micros(|_| None)?);
    let deadline = goal.allowance(|_| None)?;
    let mut w = Warnings {
        share: share.percent(),
        after_micros: after.0,
        after_seconds: after.ceil_secs(),
        warned: 0,
        breached: 0,
        items: Vec::new(),
    };
    let mut breached: Vec<(Time, WarnedItem)> = Vec::new();
    for item in items {
        let (took, ev) = match item {
            Timed::Counted(t, ev) => (*t, *ev),
            Timed::Pending(so_far, _) if *so_far < after => continue,
            Timed::Pending(..) => {
                w.warned += 1;
                continue;
            }
        };
        // Reached the share: over it when timed, or open past the deadline.
        if took.is_some_and(|t| t < after) {
            continue;
        }
        w.warned += 1;
        if took.is_some_and(|t| t.within(deadline.0)) {
            continue;
        }
        w.breached += 1;
        let Some(at) = ctx
            .clocks
            .instant_after(&goal.clock, ev.platform, ev.start, after)
        else {
            continue;
        };
        let stop = ev.stop.filter(|s| *s <= ctx.as_of && took.is_some());
        let since = ctx
            .clocks
            .elapsed(&goal.clock, ev.platform, at, stop.unwrap_or(ctx.as_of));
        breached.push((
            at,
            WarnedItem {
                id: ev.id.to_string(),
                file: ev.file.stem(),
                row: ev.row,
                platform: ev.platform.to_string(),
                start: exact(ctx, ev.start),
                warned_at: exact(ctx, at),
                answered_at: stop.map(|s| exact(ctx, s)),
                open: stop.is_none(),
                after_warning_micros: since.0,
                after_warning_seconds: since.ceil_secs(),
            },
        ));
    }
    breached.sort_by_key(|(at, item)| (*at, item.row));
    w.items = breached
        .into_iter()
        .take(ctx.worst)
        .map(|(_, i)| i)
        .collect();
    Some(w)
}

/// RFC 3339 in the agreement's zone, with the fraction of a second when
/// there is one.
fn exact(ctx: &Context, t: Time) -> String {
    t.with_timezone(&ctx.tz)
        .to_rfc3339_opts(SecondsFormat::AutoSi, true)
}
