//! One goal over its periods: which events it selects, what they measured,
//! and whether the target was met (semantics points 3 to 7).

use super::breakdown::{self, Tallies};
use super::context::{Context, Ev};
use super::conversation::{self, Measure};
use super::periods::{self, PeriodKey};
use super::read::FileKind;
use super::segments::Part;
use super::usage::{Usage, Use};
use super::{local, Bucket, GoalPeriod, GoalReport, Status, Value};
use crate::model::{
    Bound, Condition, Dimension, EventSource, Goal, MetricKind, Op, Replies, Target,
};
use std::collections::BTreeMap;

/// Whether an item whose dimensions `dim` gives passes every condition.
pub(super) fn matches<'e>(
    conditions: &[Condition],
    dim: impl Fn(&Dimension) -> Option<&'e str>,
) -> bool {
    conditions.iter().all(|c| c.holds(dim(&c.dimension)))
}

/// The events a goal selects with `where` and that are in `part` (a
/// segment's, or all of them), with `field` as the stop.
fn select<'a>(
    ctx: &Context<'a>,
    goal: &Goal,
    part: Part,
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
    let conversation = Measure::of(&goal.metric);
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
                    // `replies by human`: the first person's reply, from the
                    // messages (docs/report.md "Human replies").
                    Some("first_response_at") if goal.replies == Replies::Human => {
                        conversation::first_reply(ctx, index, goal.replies)
                    }
                    Some("first_response_at") => i.first_response_at,
                    Some("resolved_at") => i.resolved_at,
                    // Timed on the conversation's messages (below).
                    Some(_) if conversation.is_some() => None,
                    Some(f) => return Err(unknown(f)),
                };
                if matches(&goal.conditions, dim) && part.keeps(&dim) {
                    let ev = Ev {
                        file: FileKind::Inquiries,
                        index,
                        row: i.row,
                        id: &i.id,
                        platform: &i.platform,
                        start: i.received_at,
                        stop,
                        requires_response: i.requires_response,
                        post: None,
                        solved: Vec::new(),
                    };
                    match conversation {
                        Some(m) => conversation::items(ctx, m, ev, goal.replies, &mut out),
                        None => out.push(ev),
                    }
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
                if matches(&goal.conditions, dim) && part.keeps(&dim) {
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
                        solved: Vec::new(),
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
                if matches(&goal.conditions, dim) && part.keeps(&dim) {
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
                        solved: Vec::new(),
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
                if matches(&goal.conditions, dim) && part.keeps(&dim) {
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
                        solved: Vec::new(),
                    });
                }
            }
        }
    }
    let start_field = goal.metric.measure.as_ref().map(|m| m.0.as_str());
    if let Some(field) = start_field.filter(|_| conversation.is_none()) {
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

/// One goal over its periods. A goal with segments (`target ... for
/// COND`) is evaluated per segment and for the items no segment selects,
/// and judged on those parts (`segments`).
pub fn goal(ctx: &Context, goal: &Goal, usage: &mut Usage) -> Result<GoalReport, String> {
    if goal.segments.is_empty() {
        part(ctx, goal, Part::All, usage)
    } else {
        super::segments::goal(ctx, goal, usage)
    }
}

/// A goal's items in `part`, each held to `goal.target`.
pub(super) fn part(
    ctx: &Context,
    goal: &Goal,
    part: Part,
    usage: &mut Usage,
) -> Result<GoalReport, String> {
    let stop_field = match goal.metric.kind {
        MetricKind::Latency => goal.metric.measure.as_ref().map(|m| m.1.as_str()),
        _ => None,
    };
    let evs = select(ctx, goal, part, stop_field)?;
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
            platforms: Vec::new(),
            distribution: Vec::new(),
            paused: None,
            warnings: None,
            segments: Vec::new(),
        };
        match &goal.target {
            Target::Within { .. } | Target::Quantile { .. } | Target::Mean { .. } => {
                super::latency::evaluate(ctx, goal, events, &mut r, usage)
            }
            Target::Ratio { bound, ratio } => {
                let mut tallies = Tallies::default();
                let (num, den) =
                    ratio_parts(ctx, goal, *period, events, &mut r, &mut tallies, usage)?;
                if let Some((ok, value, display)) = ratio_verdict(*bound, *ratio, num, den) {
                    r.status = if ok { Status::Met } else { Status::Missed };
                    r.display = display;
                    r.value = Some(value);
                }
                r.platforms = tallies
                    .sorted(&ctx.agreement.platforms)
                    .iter()
                    .map(|t| {
                        let v = ratio_verdict(*bound, *ratio, t.numerator, t.denominator);
                        breakdown::platform_result(t, v)
                    })
                    .collect();
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
        pause: goal.pause.iter().map(|w| w.keyword()).collect(),
        segments: Vec::new(),
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

/// The nearest rank of quantile `q` (parts per million) among `n` values:
/// `ceil(q * n)`, at least 1.
pub fn nearest_rank(q_ppm: u32, n: u64) -> u64 {
    ((q_ppm as u128 * n as u128).div_ceil(1_000_000) as u64).clamp(1, n)
}

/// A ratio's verdict: met or not, its value and display; `None` when the
/// denominator is zero (no value).
fn ratio_verdict(
    bound: Bound,
    ratio: crate::model::Ratio,
    num: u64,
    den: u64,
) -> Option<(bool, Value, String)> {
    if den == 0 {
        return None;
    }
    let value = num as u128 * 1_000_000;
    let target = ratio.0 as u128 * den as u128;
    let ok = match bound {
        Bound::AtLeast => value >= target,
        Bound::AtMost => value <= target,
    };
    Some((
        ok,
        Value::Ratio {
            numerator: num,
            denominator: den,
        },
        format!("{} ({num}/{den})", percent(num, den)),
    ))
}

/// Numerator and denominator of a ratio metric over one period (point 6),
/// and per platform in `tallies`.
#[allow(clippy::too_many_arguments)]
fn ratio_parts<'a>(
    ctx: &Context,
    goal: &Goal,
    period: PeriodKey,
    events: &[&Ev<'a>],
    r: &mut GoalPeriod,
    tallies: &mut Tallies<'a>,
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
                let t = tallies.get(ev.platform);
                if answered {
                    num += 1;
                    den += 1;
                    (t.numerator, t.denominator, t.counted) =
                        (t.numerator + 1, t.denominator + 1, t.counted + 1);
                    usage.mark(ev.file, ev.index, Use::Counted);
                } else if ctx.as_of < period_end {
                    t.pending += 1;
                    pending.push(*ev);
                    usage.mark(ev.file, ev.index, Use::Pending);
                } else {
                    den += 1;
                    (t.denominator, t.counted, t.misses) =
                        (t.denominator + 1, t.counted + 1, t.misses + 1);
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
                let t = tallies.get(ev.platform);
                (t.numerator, t.denominator, t.counted) =
                    (t.numerator + n, t.denominator + d, t.counted + 1);
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
