//! Targets per segment (`target 95% within 15m for priority = urgent`):
//! a goal with segments is evaluated once per segment, over the items the
//! segment's conditions select and against the segment's target, and once
//! over the items no segment selects, against the goal's own target. The
//! goal is met in a period when every part with data is met (docs/report.md,
//! "Targets per segment").

use super::context::Context;
use super::evaluate::{self, matches, percent};
use super::usage::Usage;
use super::{
    GoalPeriod, GoalReport, Paused, SegmentResult, SegmentTarget, Status, TargetSpec, Value,
};
use crate::model::{Condition, Dimension, Goal, Segment};

/// Which of a goal's items an evaluation takes.
#[derive(Clone, Copy)]
pub enum Part<'g> {
    /// Every item the goal's `where` selects.
    All,
    /// The items a segment's conditions select.
    Only(&'g [Condition]),
    /// The items none of the segments selects.
    NoneOf(&'g [Segment]),
}

impl Part<'_> {
    pub fn keeps<'e>(&self, dim: &impl Fn(&Dimension) -> Option<&'e str>) -> bool {
        match self {
            Part::All => true,
            Part::Only(conditions) => matches(conditions, dim),
            Part::NoneOf(segments) => !segments.iter().any(|s| matches(&s.conditions, dim)),
        }
    }
}

/// A goal with segments: each part evaluated as a goal of its own, then
/// the whole goal's result per period combined from them.
pub fn goal(ctx: &Context, goal: &Goal, usage: &mut Usage) -> Result<GoalReport, String> {
    // The parts, each as the goal it is judged as: the segment's target
    // (and allowance, for `warn at`), no segments of its own.
    let mut parts = Vec::new();
    for s in &goal.segments {
        let view = Goal {
            target: s.target.clone(),
            segments: Vec::new(),
            ..goal.clone()
        };
        let report = evaluate::part(ctx, &view, Part::Only(&s.conditions), usage)?;
        let conditions = s.conditions.iter().map(Condition::text).collect();
        parts.push((conditions, false, &s.target, report));
    }
    let view = Goal {
        segments: Vec::new(),
        ..goal.clone()
    };
    let rest = evaluate::part(ctx, &view, Part::NoneOf(&goal.segments), usage)?;
    parts.push((Vec::new(), true, &goal.target, rest));
    // Every part has the same periods, in the same order.
    let mut whole = parts[parts.len() - 1].3.clone();
    whole.segments = goal
        .segments
        .iter()
        .map(|s| SegmentTarget {
            conditions: s.conditions.iter().map(Condition::text).collect(),
            target: s.target.to_string(),
            target_spec: TargetSpec::of(&s.target),
        })
        .collect();
    for (i, r) in whole.results.iter_mut().enumerate() {
        let segments: Vec<SegmentResult> = parts
            .iter()
            .map(|(conditions, rest, target, report)| SegmentResult {
                conditions: conditions.clone(),
                rest: *rest,
                target: target.to_string(),
                target_spec: TargetSpec::of(target),
                result: report.results[i].clone(),
            })
            .collect();
        *r = combine(r.clone(), segments, ctx.worst);
    }
    Ok(whole)
}

/// The whole goal over one period, from its parts: the counts are sums,
/// the status is missed when a part is missed, met when the others with
/// data are met, no data when none has data. The value is an exact
/// figure only where the parts' values add up: for `N% within D`, the
/// items each within its own part's deadline over all counted; for
/// ratios, the sums of numerators and denominators. Other targets have no
/// single value across parts: the display says how many parts were met.
fn combine(mut r: GoalPeriod, parts: Vec<SegmentResult>, worst: usize) -> GoalPeriod {
    let results = || parts.iter().map(|p| &p.result);
    r.counted = results().map(|p| p.counted).sum();
    r.pending = results().map(|p| p.pending).sum();
    r.misses = results().map(|p| p.misses).sum();
    let count = |s: Status| results().filter(|p| p.status == s).count();
    let (met, missed) = (count(Status::Met), count(Status::Missed));
    r.status = match (met, missed) {
        (_, 1..) => Status::Missed,
        (1.., 0) => Status::Met,
        _ => Status::NoData,
    };
    let tally = format!("{met} of {} parts met", parts.len());
    let sum = |f: fn(&Value) -> Option<(u64, u64)>| -> Option<(u64, u64)> {
        results().try_fold((0u64, 0u64), |(a, b), p| match &p.value {
            None => Some((a, b)),
            Some(v) => f(v).map(|(x, y)| (a + x, b + y)),
        })
    };
    let within = sum(|v| match v {
        Value::Within { good, total } => Some((*good, *total)),
        _ => None,
    });
    let ratio = sum(|v| match v {
        Value::Ratio {
            numerator,
            denominator,
        } => Some((*numerator, *denominator)),
        _ => None,
    });
    (r.value, r.display) = match (within, ratio) {
        _ if r.status == Status::NoData => (None, "no data".to_string()),
        (Some((good, total)), _) if total > 0 => (
            Some(Value::Within { good, total }),
            format!("{} ({good}/{total}); {tally}", percent(good, total)),
        ),
        (_, Some((numerator, denominator))) if denominator > 0 => (
            Some(Value::Ratio {
                numerator,
                denominator,
            }),
            format!(
                "{} ({numerator}/{denominator}); {tally}",
                percent(numerator, denominator)
            ),
        ),
        _ => (None, tally),
    };
    // Worst first across the parts, as in a goal without segments: open
    // (overdue) items, then the longest times. Each part kept its own
    // `worst` longest, so the goal's `worst` longest are among them.
    let mut misses: Vec<_> = results().flat_map(|p| p.worst.iter().cloned()).collect();
    misses.sort_by(|a, b| {
        (b.open, b.elapsed_micros)
            .cmp(&(a.open, a.elapsed_micros))
            .then(a.row.cmp(&b.row))
    });
    misses.truncate(worst);
    r.worst = misses;
    let mut pending: Vec<_> = results()
        .flat_map(|p| p.pending_events.iter().cloned())
        .collect();
    pending.sort_by(|a, b| (&a.start, a.row).cmp(&(&b.start, b.row)));
    pending.truncate(worst);
    r.pending_events = pending;
    // Per platform and per band of time, the parts' targets differ: those
    // are given per part only. Warnings likewise (each part's allowance).
    r.platforms = Vec::new();
    r.distribution = Vec::new();
    r.warnings = None;
    r.paused = results()
        .filter_map(|p| p.paused.as_ref())
        .fold(None, |acc: Option<Paused>, x| {
            let a = acc.unwrap_or_default();
            let micros = a.micros + x.micros;
            Some(Paused {
                micros,
                seconds: micros.div_ceil(1_000_000),
                items: a.items + x.items,
            })
        });
    r.segments = parts;
    r
}
