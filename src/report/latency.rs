//! A latency goal over one period (semantics points 4 and 5): which events
//! count, which are pending, the worst misses, the verdict on the whole
//! and per platform, and the distribution of times in bands sized from the
//! target (`breakdown`).

use super::breakdown::{self, Tallies};
use super::context::{Context, Ev, Outcome};
use super::evaluate::{nearest_rank, percent};
use super::pause;
use super::read::FileKind;
use super::usage::{Usage, Use};
use super::warnings::{warnings, Timed};
use super::{GoalPeriod, Status, Value};
use crate::clock::Micros;
use crate::model::{Goal, Seconds, Target};

/// What a latency verdict needs of a set of counted events.
struct Stats {
    n: u64,
    misses: u64,
    /// The sum of the times; `None`: one is +infinity.
    sum: Option<u128>,
    /// Quantile targets: the rank and the time at it (`None`: +infinity).
    nth: Option<(u64, Option<Micros>)>,
}

pub fn evaluate(ctx: &Context, goal: &Goal, events: &[&Ev], r: &mut GoalPeriod, usage: &mut Usage) {
    let deadline = match goal.target {
        Target::Within { within, .. } => within.0,
        Target::Quantile { max, .. } | Target::Mean { max } => max.0,
        _ => unreachable!("latency targets only"),
    };
    let mut tallies = Tallies::default();
    let mut bands = breakdown::bands(deadline);
    // (elapsed or None for +infinity, event) of counted events.
    let mut counted: Vec<(Option<Micros>, &Ev)> = Vec::new();
    let mut pending: Vec<(Micros, &Ev)> = Vec::new();
    // Goals that pause total their paused time over every timed event.
    let mut paused = (!goal.pause.is_empty()).then(super::Paused::default);
    // Inquiries that need no response are never late (point 6's
    // "requiring a response" applies to every inquiry goal).
    for ev in events
        .iter()
        .filter(|e| e.file != FileKind::Inquiries || e.requires_response)
    {
        let (outcome, held) = pause::outcome(ctx, goal, ev, deadline);
        pause::add(&mut paused, held);
        let t = match outcome {
            Outcome::Took(s) => Some(s),
            Outcome::Overdue(_) => None,
            Outcome::Pending(s) => {
                tallies.get(ev.platform).pending += 1;
                usage.mark(ev.file, ev.index, Use::Pending);
                pending.push((s, ev));
                continue;
            }
        };
        let miss = !t.is_some_and(|s| s.within(deadline));
        tallies.get(ev.platform).took(t, miss);
        bands[breakdown::band_of(t, deadline)].count += 1;
        usage.mark(ev.file, ev.index, Use::Counted);
        counted.push((t, ev));
    }
    r.counted = counted.len() as u64;
    r.pending = pending.len() as u64;
    r.paused = paused;
    pending.sort_by_key(|(_, e)| (e.start, e.row));
    r.pending_events = pending
        .iter()
        .take(ctx.worst)
        .map(|(s, e)| ctx.line(e, *s, true))
        .collect();
    let timed: Vec<Timed> = counted
        .iter()
        .map(|(t, e)| Timed::Counted(*t, e))
        .chain(pending.iter().map(|(s, e)| Timed::Pending(*s, e)))
        .collect();
    r.warnings = warnings(ctx, goal, &timed);
    // Misses: over the deadline or unanswered past it, worst first.
    let mut misses: Vec<(Option<Micros>, &Ev)> = counted
        .iter()
        .filter(|(s, _)| !s.is_some_and(|s| s.within(deadline)))
        .cloned()
        .collect();
    r.misses = misses.len() as u64;
    misses.sort_by(|a, b| {
        let key = |x: &(Option<Micros>, &Ev)| (x.0.is_none(), x.0.unwrap_or_default());
        key(b).cmp(&key(a)).then(a.1.start.cmp(&b.1.start))
    });
    r.worst = misses
        .iter()
        .take(ctx.worst)
        .map(|(s, e)| {
            let open = s.is_none();
            let elapsed = s.unwrap_or_else(|| pause::elapsed(ctx, goal, e, ctx.as_of).0);
            ctx.line(e, elapsed, open)
        })
        .collect();
    let n = counted.len() as u64;
    let overall = Stats {
        n,
        misses: r.misses,
        sum: counted.iter().map(|(s, _)| s.map(|s| s.0 as u128)).sum(),
        nth: None,
    };
    let overall = match goal.target {
        Target::Quantile { quantile, .. } if n > 0 => {
            // Ascending, +infinity last; each platform's nearest rank is
            // found on the same walk.
            counted.sort_by_key(|(v, _)| (v.is_none(), v.unwrap_or_default()));
            for t in &mut tallies.0 {
                t.rank = nearest_rank(quantile.0, t.counted.max(1));
            }
            for (v, ev) in &counted {
                let t = tallies.get(ev.platform);
                t.seen += 1;
                if t.seen == t.rank {
                    t.nth = Some(*v);
                }
            }
            let rank = nearest_rank(quantile.0, n);
            Stats {
                nth: Some((rank, counted[(rank - 1) as usize].0)),
                ..overall
            }
        }
        _ => overall,
    };
    let quantile = match goal.target {
        Target::Quantile { quantile, .. } => Some(quantile.0),
        _ => None,
    };
    r.platforms = tallies
        .sorted(&ctx.agreement.platforms)
        .iter()
        .map(|t| {
            let stats = Stats {
                n: t.counted,
                misses: t.misses,
                sum: t.sum,
                nth: quantile
                    .zip(t.nth)
                    .map(|(q, v)| (nearest_rank(q, t.counted), v)),
            };
            breakdown::platform_result(t, verdict(&goal.target, &stats))
        })
        .collect();
    if n > 0 {
        r.distribution = bands;
    }
    if let Some((ok, value, display)) = verdict(&goal.target, &overall) {
        r.status = if ok { Status::Met } else { Status::Missed };
        r.value = Some(value);
        r.display = display;
    }
}

/// Met or not, the exact value and its display; `None` without counted
/// events.
fn verdict(target: &Target, s: &Stats) -> Option<(bool, Value, String)> {
    let n = s.n;
    if n == 0 {
        return None;
    }
    Some(match *target {
        Target::Within { ratio, .. } => {
            // The deadline is the target's `within`: the good ones are the
            // counted ones that did not miss it.
            let good = n - s.misses;
            let ok = good as u128 * 1_000_000 >= ratio.0 as u128 * n as u128;
            (
                ok,
                Value::Within { good, total: n },
                format!("{} ({good}/{n})", percent(good, n)),
            )
        }
        Target::Quantile { max, .. } => {
            let (rank, v) = s.nth?;
            let ok = v.is_some_and(|v| v.within(max.0));
            // Rounded up to whole seconds so a value just over the target
            // never prints as equal to it.
            let shown = v
                .map(|v| Seconds(v.ceil_secs()).to_string())
                .unwrap_or_else(|| "∞, unanswered".into());
            (
                ok,
                Value::Quantile {
                    rank,
                    total: n,
                    seconds: v.map(Micros::ceil_secs),
                    micros: v.map(|v| v.0),
                },
                format!("{shown} (rank {rank} of {n})"),
            )
        }
        Target::Mean { max } => {
            // Exact: the sum of microseconds against the target times n.
            let per_second = Micros::PER_SECOND as u128;
            let ok = s
                .sum
                .is_some_and(|s| s <= max.0 as u128 * per_second * n as u128);
            let shown = match s.sum {
                // Rounded up to whole seconds so a mean just over the
                // target never prints as equal to it.
                Some(s) => format!(
                    "{} (mean of {n})",
                    Seconds(s.div_ceil(per_second * n as u128) as u64)
                ),
                None => format!("∞, unanswered (mean of {n})"),
            };
            (
                ok,
                Value::Mean {
                    sum_seconds: s.sum.map(|s| s.div_ceil(per_second) as u64),
                    sum_micros: s.sum,
                    total: n,
                },
                shown,
            )
        }
        _ => unreachable!("latency targets only"),
    })
}
