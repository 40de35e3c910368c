//! One goal over its periods: which events it selects, what they measured,
//! and whether the target was met (semantics points 3 to 7).

use super::context::{outcome, Context, Ev, Outcome};
use super::periods::{self, PeriodKey};
use super::read::FileKind;
use super::usage::{Usage, Use};
use super::{local, Bucket, GoalPeriod, GoalReport, Status, Value};
use crate::clock::Micros;
use crate::model::{
    Bound, Condition, Dimension, EventSource, Goal, MetricKind, Op, Seconds, Target,
};
use std::collections::BTreeMap;

fn matches<'e>(conditions: &[Condition], dim: impl Fn(&Dimension) -> Option<&'e str>) -> bool {
    conditions.iter().all(|c| {
        let v = dim(&c.dimension).unwrap_or_default();
        if c.op == Op::Ne {
            !c.operands.iter().any(|o| o == v)
        } else {
            c.values.iter().any(|o| o == v)
        }
    })
}

/// The events a goal selects with `where`, with `field` as the stop.
fn select<'a>(
    ctx: &Context<'a>,
    goal: &Goal,
    stop_field: Option<&str>,
) -> Result<Vec<Ev<'a>>, String> {
    let data = ctx.data;
    let unknown = |f: &str| {
        format!(
            "goal `{}`: metric `{}` measures `{f}`, which {} do not have",
            goal.id,
            goal.metric.name,
            goal.metric.events.keyword()
        )
    };
    let mut out = Vec::new();
    match goal.metric.events {
        EventSource::Inquiries => {
            for (index, i) in data.inquiries.rows.iter().enumerate() {
                let dim = |d: &Dimension| match d {
                    Dimension::Platform => Some(&*i.platform),
                    Dimension::Channel => Some(&*i.channel),
                    Dimension::Priority => Some(&*i.priority),
                    Dimension::Audience => Some(&*i.audience),
                    _ => None,
                };
                let stop = match stop_field {
                    None => None,
                    Some("first_response_at") => i.first_response_at,
                    Some("resolved_at") => i.resolved_at,
                    Some(f) => return Err(unknown(f)),
                };
                if matches(&goal.conditions, dim) {
                    out.push(Ev {
                        file: FileKind::Inquiries,
                        index,
                        row: i.row,
                        id: &i.id,
                        platform: &i.platform,
                        start: i.received_at,
                        stop,
                        requires_response: i.requires_response,
                        post: None,
                    });
                }
            }
        }
        EventSource::Posts => {
            if let Some(f) = stop_field {
                return Err(unknown(f));
            }
            for (index, p) in data.posts.rows.iter().enumerate() {
                let dim = |d: &Dimension| match d {
                    Dimension::Platform => Some(&*p.platform),
                    Dimension::Audience => Some(&*p.audience),
                    _ => None,
                };
                if matches(&goal.conditions, dim) {
                    out.push(Ev {
                        file: FileKind::Posts,
                        index,
                        row: p.row,
                        id: &p.id,
                        platform: &p.platform,
                        start: p.published_at,
                        stop: None,
                        requires_response: false,
                        post: Some(p),
                    });
                }
            }
        }
        EventSource::Approvals => {
            for (index, a) in data.approvals.rows.iter().enumerate() {
                let dim = |d: &Dimension| match d {
                    Dimension::Approval => Some(&*a.approval),
                    Dimension::Step => Some(&*a.step),
                    Dimension::Decision => Some(&*a.decision),
                    _ => None,
                };
                let stop = match stop_field {
                    None => None,
                    Some("decided_at") => a.decided_at,
                    Some(f) => return Err(unknown(f)),
                };
                if matches(&goal.conditions, dim) {
                    out.push(Ev {
                        file: FileKind::Approvals,
                        index,
                        row: a.row,
                        id: &a.post_id,
                        platform: "",
                        start: a.requested_at,
                        stop,
                        requires_response: false,
                        post: None,
                    });
                }
            }
        }
        EventSource::Incidents => {
            for (index, i) in data.incidents.rows.iter().enumerate() {
                let dim = |d: &Dimension| match d {
                    Dimension::Escalation => Some(&*i.escalation),
                    Dimension::Tier => Some(&*i.tier),
                    Dimension::Platform => Some(&*i.platform),
                    _ => None,
                };
                let stop = match stop_field {
                    None => None,
                    Some("acknowledged_at") => i.acknowledged_at,
                    Some("resolved_at") => i.resolved_at,
                    Some(f) => return Err(unknown(f)),
                };
                if matches(&goal.conditions, dim) {
                    out.push(Ev {
                        file: FileKind::Incidents,
                        index,
                        row: i.row,
                        id: &i.id,
                        platform: &i.platform,
                        start: i.detected_at,
                        stop,
                        requires_response: false,
                        post: None,
                    });
                }
            }
        }
    }
    if let Some(field) = goal.metric.measure.as_ref().map(|m| m.0.as_str()) {
        let known = match goal.metric.events {
            EventSource::Inquiries => "received_at",
            EventSource::Posts => "published_at",
            EventSource::Approvals => "requested_at",
            EventSource::Incidents => "detected_at",
        };
        if field != known {
            return Err(format!(
                "goal `{}`: metric `{}` measures from `{field}`; {} start at `{known}`",
                goal.id,
                goal.metric.name,
                goal.metric.events.keyword()
            ));
        }
    }
    Ok(out)
}

/// Events grouped by the period they started in (point 3), restricted to
/// the reported periods, the term and as-of.
fn by_period<'e, 'a>(
    ctx: &Context,
    periods: &[PeriodKey],
    evs: &'e [Ev<'a>],
) -> BTreeMap<PeriodKey, Vec<&'e Ev<'a>>> {
    let mut out: BTreeMap<PeriodKey, Vec<&Ev>> = periods.iter().map(|p| (*p, Vec::new())).collect();
    for ev in evs {
        let Some(day) = ctx.start_day(ev.start) else {
            continue;
        };
        let key = PeriodKey::containing(
            periods
                .first()
                .map(|p| p.kind)
                .unwrap_or(ctx.agreement.period),
            day,
        );
        if let Some(v) = out.get_mut(&key) {
            v.push(ev);
        }
    }
    out
}

pub fn goal(ctx: &Context, goal: &Goal, usage: &mut Usage) -> Result<GoalReport, String> {
    let stop_field = match goal.metric.kind {
        MetricKind::Latency => goal.metric.measure.as_ref().map(|m| m.1.as_str()),
        _ => None,
    };
    let evs = select(ctx, goal, stop_field)?;
    let periods = ctx.scope.periods(goal.period);
    let grouped = by_period(ctx, &periods, &evs);
    let mut results = Vec::new();
    for (period, events) in &grouped {
        let (start, end) = period.utc_bounds(ctx.tz);
        let mut r = GoalPeriod {
            period: period.to_string(),
            first_day: period.start,
            start: local(ctx.tz, start),
            end: local(ctx.tz, end),
            status: Status::NoData,
            value: None,
            display: "no data".into(),
            counted: 0,
            pending: 0,
            misses: 0,
            credit: None,
            worst: Vec::new(),
            pending_events: Vec::new(),
        };
        match &goal.target {
            Target::Within { .. } | Target::Quantile { .. } | Target::Mean { .. } => {
                latency(ctx, goal, events, &mut r, usage)
            }
            Target::Ratio { bound, ratio } => {
                let (num, den) = ratio_parts(ctx, goal, *period, events, &mut r, usage)?;
                if den > 0 {
                    let value = num as u128 * 1_000_000;
                    let target = ratio.0 as u128 * den as u128;
                    let ok = match bound {
                        Bound::AtLeast => value >= target,
                        Bound::AtMost => value <= target,
                    };
                    r.status = if ok { Status::Met } else { Status::Missed };
                    r.display = format!("{} ({num}/{den})", percent(num, den));
                    r.value = Some(Value::Ratio {
                        numerator: num,
                        denominator: den,
                    });
                }
            }
            Target::Rate { bound, count, per } => {
                count_target(ctx, *period, &evs, *bound, *count, *per, &mut r, usage)
            }
        }
        results.push(r);
    }
    Ok(GoalReport {
        id: goal.id.clone(),
        title: goal.title.clone(),
        metric: goal.metric.name.clone(),
        by: goal.by.clone(),
        conditions: goal.conditions.iter().map(condition_text).collect(),
        target: goal.target.to_string(),
        target_spec: super::TargetSpec::of(&goal.target),
        clock: goal.clock.name().to_string(),
        period: goal.period.keyword(),
        owner: goal.owner.clone(),
        binding: goal.binding,
        credit: goal.credit.map(|c| c.percent()),
        results,
    })
}

pub fn condition_text(c: &Condition) -> String {
    if c.op == Op::In {
        format!("{} in [{}]", c.dimension, c.operands.join(", "))
    } else {
        format!("{} {} {}", c.dimension, c.op, c.operands.join(", "))
    }
}

/// `num/den` as a percentage with two decimals, rounded toward zero so the
/// printed value never looks like it reaches a target it missed.
pub fn percent(num: u64, den: u64) -> String {
    let hundredths = num as u128 * 10_000 / den as u128;
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}

fn latency(ctx: &Context, goal: &Goal, events: &[&Ev], r: &mut GoalPeriod, usage: &mut Usage) {
    let deadline = match goal.target {
        Target::Within { within, .. } => within.0,
        Target::Quantile { max, .. } | Target::Mean { max } => max.0,
        _ => unreachable!("latency targets only"),
    };
    // Inquiries that need no response are never late (point 6's
    // "requiring a response" applies to every inquiry goal).
    let events: Vec<&&Ev> = events
        .iter()
        .filter(|e| e.file != FileKind::Inquiries || e.requires_response)
        .collect();
    // (elapsed or None for +infinity, event) of counted events.
    let mut counted: Vec<(Option<Micros>, &Ev)> = Vec::new();
    let mut pending: Vec<(Micros, &Ev)> = Vec::new();
    for ev in events {
        match outcome(ctx, ev, &goal.clock, deadline) {
            Outcome::Took(s) => counted.push((Some(s), ev)),
            Outcome::Overdue(_) => counted.push((None, ev)),
            Outcome::Pending(s) => pending.push((s, ev)),
        }
    }
    for (_, ev) in &counted {
        usage.mark(ev.file, ev.index, Use::Counted);
    }
    for (_, ev) in &pending {
        usage.mark(ev.file, ev.index, Use::Pending);
    }
    r.counted = counted.len() as u64;
    r.pending = pending.len() as u64;
    pending.sort_by_key(|(_, e)| (e.start, e.row));
    r.pending_events = pending
        .iter()
        .take(ctx.worst)
        .map(|(s, e)| ctx.line(e, *s, true))
        .collect();
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
            let elapsed = s.unwrap_or_else(|| {
                ctx.clocks
                    .elapsed(&goal.clock, e.platform, e.start, ctx.as_of)
            });
            ctx.line(e, elapsed, open)
        })
        .collect();
    let n = counted.len() as u64;
    if n == 0 {
        return;
    }
    let (ok, value, display) = match goal.target {
        Target::Within { ratio, within } => {
            let good = counted
                .iter()
                .filter(|(s, _)| s.is_some_and(|s| s.within(within.0)))
                .count() as u64;
            let ok = good as u128 * 1_000_000 >= ratio.0 as u128 * n as u128;
            (
                ok,
                Value::Within { good, total: n },
                format!("{} ({good}/{n})", percent(good, n)),
            )
        }
        Target::Quantile { quantile, max } => {
            let mut values: Vec<Option<Micros>> = counted.iter().map(|(s, _)| *s).collect();
            // None (infinity) sorts last.
            values.sort_by_key(|v| (v.is_none(), v.unwrap_or_default()));
            let rank = nearest_rank(quantile.0, n);
            let v = values[(rank - 1) as usize];
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
            let sum: Option<u128> = counted.iter().map(|(s, _)| s.map(|s| s.0 as u128)).sum();
            let per_second = Micros::PER_SECOND as u128;
            let ok = sum.is_some_and(|s| s <= max.0 as u128 * per_second * n as u128);
            let shown = match sum {
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
                    sum_seconds: sum.map(|s| s.div_ceil(per_second) as u64),
                    sum_micros: sum,
                    total: n,
                },
                shown,
            )
        }
        _ => unreachable!("latency targets only"),
    };
    r.status = if ok { Status::Met } else { Status::Missed };
    r.value = Some(value);
    r.display = display;
}

/// The nearest rank of quantile `q` (parts per million) among `n` values:
/// `ceil(q * n)`, at least 1.
pub fn nearest_rank(q_ppm: u32, n: u64) -> u64 {
    ((q_ppm as u128 * n as u128).div_ceil(1_000_000) as u64).clamp(1, n)
}

/// Numerator and denominator of a ratio metric over one period (point 6).
fn ratio_parts(
    ctx: &Context,
    goal: &Goal,
    period: PeriodKey,
    events: &[&Ev],
    r: &mut GoalPeriod,
    usage: &mut Usage,
) -> Result<(u64, u64), String> {
    let metric = &goal.metric;
    match metric.events {
        EventSource::Inquiries => {
            // Answered by as-of / requiring a response. An unanswered
            // inquiry is pending while its period is still running at
            // as-of (it may yet be answered in time); once the period is
            // over it counts as unanswered.
            let (_, period_end) = period.utc_bounds(ctx.tz);
            let (mut num, mut den) = (0, 0);
            let mut unanswered = Vec::new();
            let mut pending = Vec::new();
            for ev in events.iter().filter(|e| e.requires_response) {
                let answered = ctx.data.inquiries.rows[ev.index]
                    .first_response_at
                    .is_some_and(|t| t <= ctx.as_of);
                if answered {
                    num += 1;
                    den += 1;
                    usage.mark(ev.file, ev.index, Use::Counted);
                } else if ctx.as_of < period_end {
                    pending.push(*ev);
                    usage.mark(ev.file, ev.index, Use::Pending);
                } else {
                    den += 1;
                    unanswered.push(*ev);
                    usage.mark(ev.file, ev.index, Use::Counted);
                }
            }
            let since = |e: &Ev| {
                ctx.clocks
                    .elapsed(&goal.clock, e.platform, e.start, ctx.as_of)
            };
            r.counted = den;
            r.pending = pending.len() as u64;
            r.misses = unanswered.len() as u64;
            unanswered.sort_by_key(|e| (e.start, e.row));
            r.worst = unanswered
                .iter()
                .take(ctx.worst)
                .map(|e| ctx.line(e, since(e), true))
                .collect();
            r.pending_events = pending
                .iter()
                .take(ctx.worst)
                .map(|e| ctx.line(e, since(e), true))
                .collect();
            Ok((num, den))
        }
        EventSource::Posts => {
            let num_name = metric
                .numerator
                .as_ref()
                .map(|s| s.name.as_str())
                .unwrap_or("");
            let den_name = goal
                .by
                .clone()
                .or_else(|| metric.denominators.first().map(|d| d.name.clone()))
                .unwrap_or_default();
            let field = |e: &Ev, name: &str| e.counter(name);
            let (mut num, mut den) = (0u64, 0u64);
            for ev in events {
                let (Some(n), Some(d)) = (field(ev, num_name), field(ev, &den_name)) else {
                    return Err(format!(
                        "goal `{}`: posts have no counter `{}`; the report knows engagements, impressions, reach and followers",
                        goal.id,
                        if field(ev, num_name).is_none() { num_name } else { den_name.as_str() }
                    ));
                };
                num += n;
                den += d;
                usage.mark(ev.file, ev.index, Use::Counted);
            }
            r.counted = events.len() as u64;
            Ok((num, den))
        }
        other => Err(format!(
            "goal `{}`: a ratio metric over {} cannot be evaluated from the data",
            goal.id,
            other.keyword()
        )),
    }
}

/// `N per UNIT` (point 7): every bucket that starts in the period must
/// reach the count. A bucket still running at as-of is decided only once
/// its outcome is certain (reached, or exceeded for `<=`); until then it is
/// pending.
#[allow(clippy::too_many_arguments)]
fn count_target(
    ctx: &Context,
    period: PeriodKey,
    evs: &[Ev],
    bound: Bound,
    n: u64,
    per: crate::model::PerUnit,
    r: &mut GoalPeriod,
    usage: &mut Usage,
) {
    let buckets: Vec<PeriodKey> = periods::buckets(period, per)
        .into_iter()
        .filter(|b| ctx.scope.in_term(b.start))
        .collect();
    let kind = periods::unit_period(per);
    let mut counts: BTreeMap<PeriodKey, Vec<&Ev>> =
        buckets.iter().map(|b| (*b, Vec::new())).collect();
    // Every selected event, not only those attributed to this period: a week
    // whose Monday is in March counts its posts of early April too.
    for ev in evs {
        let Some(day) = ctx.start_day(ev.start) else {
            continue;
        };
        if let Some(v) = counts.get_mut(&PeriodKey::containing(kind, day)) {
            v.push(ev);
        }
    }
    let mut out = Vec::new();
    let (mut decided, mut pending, mut missed) = (0u64, 0u64, 0u64);
    for (b, events) in &counts {
        let c = events.len() as u64;
        let over = b.utc_bounds(ctx.tz).1 <= ctx.as_of;
        let status = match bound {
            Bound::AtLeast if c >= n => "met",
            Bound::AtMost if c > n => "missed",
            _ if !over => "pending",
            Bound::AtLeast => "missed",
            Bound::AtMost => "met",
        };
        let u = if status == "pending" {
            Use::Pending
        } else {
            Use::Counted
        };
        for ev in events {
            usage.mark(ev.file, ev.index, u);
        }
        match status {
            "pending" => pending += 1,
            "missed" => {
                missed += 1;
                decided += 1
            }
            _ => decided += 1,
        }
        out.push(Bucket {
            label: b.to_string(),
            start: local(ctx.tz, b.utc_bounds(ctx.tz).0),
            count: c,
            status,
        });
    }
    r.counted = decided;
    r.pending = pending;
    r.misses = missed;
    if decided > 0 {
        r.status = if missed > 0 {
            Status::Missed
        } else {
            Status::Met
        };
        let decided_counts = out
            .iter()
            .filter(|b| b.status != "pending")
            .map(|b| b.count);
        let (word, extreme) = match bound {
            Bound::AtLeast => ("lowest", decided_counts.min().unwrap_or(0)),
            Bound::AtMost => ("highest", decided_counts.max().unwrap_or(0)),
        };
        r.display = format!(
            "{word} {extreme} per {unit} ({} of {decided} {unit}s on target)",
            decided - missed,
            unit = per.keyword()
        );
    }
    r.value = Some(Value::Count {
        unit: per.keyword(),
        buckets: out,
    });
}
