//! What is watched: each goal, approval step and escalation tier compiles to
//! recording rules, alerting rules and the synthetic data that proves them
//! (a `Subject` for the generated promtool tests).
//!
//! - Ratio goals over inquiries (`response_rate >= 95%`) and latency goals
//!   with a share or a percentile (`90% within 1h`, `p95 <= 30m`) get
//!   multi-window burn-rate alerts: fast (1h and 5m) and slow (6h and 30m).
//! - `mean <= D` goals alert when the mean exceeds D over both windows of a
//!   pair.
//! - Other ratio goals (engagement) and count goals (posts per week) get a
//!   threshold alert on the value over their period (or `per` window).
//! - Approval steps alert when a post waits longer than `within`; escalation
//!   tiers when an incident stays unacknowledged longer than `acknowledge`.
//!
//! Alerts on a business-hours clock are gated on `slac:clock_open`, so they
//! page only while the clock runs.

use super::clock::CLOCK_SERIES;
use super::{Alert, Record, RuleGroup};
use crate::emit::labels as l;
use crate::emit::plan::burn::{burn_percent, burn_threshold, PAIRS};
use crate::emit::plan::measure::{measure, Measure, Shape};
use crate::emit::plan::segments;
use crate::emit::plan::series::{self, APPROVAL_PENDING, INCIDENT_UNACKNOWLEDGED};
use crate::emit::promql::{duration, Matcher, Selector};
use crate::model::{self as m, Agreement, Bound, Clock, Goal, Target};
use std::collections::BTreeMap;

/// Synthetic input for promtool: a series and its values in promtool's
/// expanding notation, one sample a minute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub series: String,
    pub values: String,
}

/// Samples per synthetic series: an hour at one a minute (`x60` gives 61
/// samples, 0m to 60m).
pub const SAMPLES: u32 = 60;

/// One goal, step or tier with its alerts and data that breaches and meets it.
#[derive(Clone, Debug)]
pub struct Subject {
    pub name: String,
    /// The alerts this subject owns, as indices into `Watched::alerts`
    /// (the parts of a goal with segments share their alerts' names).
    pub alerts: Vec<usize>,
    /// The clock label value when the alerts are gated on a calendar.
    pub calendar: Option<String>,
    /// Labels the alerts take from the breaching series (the `post_id` of
    /// a pending post, the `incident` of an unacknowledged incident).
    pub carried: BTreeMap<String, String>,
    pub breach: Vec<Input>,
    pub met: Vec<Input>,
}

#[derive(Default)]
pub struct Watched {
    pub records: Vec<Record>,
    pub alerts: Vec<Alert>,
    pub subjects: Vec<Subject>,
}

/// The windows recorded for burn rates and means.
const WINDOWS: [u64; 4] = [300, 1800, 3600, 21_600];
const THRESHOLD_FOR: u64 = 1800;
const STEP_FOR: u64 = 300;
const TIER_FOR: u64 = 60;

pub const ERROR_RATIO: &str = "slac:goal_error_ratio";
pub const MEAN_SECONDS: &str = "slac:goal_mean_seconds";
pub const SLI: &str = "slac:goal_sli";

fn window_name(seconds: u64) -> String {
    format!("rate{}", duration(seconds))
}

fn goal_labels(a: &Agreement, g: &Goal, segment: Option<&str>) -> BTreeMap<String, String> {
    let mut labels = record_labels(a, g, segment);
    let (severity, escalation) = l::goal_severity(g);
    labels.insert(l::SEVERITY.into(), severity.into());
    if let Some(e) = escalation {
        labels.insert(l::ESCALATION.into(), e.into());
    }
    if let Some(o) = &g.owner {
        labels.insert(l::OWNER.into(), o.clone());
    }
    labels.insert(l::CLOCK.into(), g.clock.name().into());
    labels
}

/// `agreement` and `goal`, and `segment` for a part of a goal with
/// segments.
fn record_labels(a: &Agreement, g: &Goal, segment: Option<&str>) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::from([
        (l::AGREEMENT.to_string(), a.name.clone()),
        (l::GOAL.to_string(), g.id.clone()),
    ]);
    if let Some(s) = segment {
        labels.insert(l::SEGMENT.to_string(), s.to_string());
    }
    labels
}

fn recorded(name: &str, a: &Agreement, g: &Goal, segment: Option<&str>) -> String {
    let mut matchers = vec![
        Matcher::eq(l::AGREEMENT, &a.name),
        Matcher::eq(l::GOAL, &g.id),
    ];
    matchers.extend(segment.map(|s| Matcher::eq(l::SEGMENT, s)));
    Selector::new(name, matchers).render()
}

/// `and on() (slac:clock_open{...} == 1)` for a calendar clock.
pub(super) fn gate(a: &Agreement, clock: &Clock) -> String {
    match clock {
        Clock::Always => String::new(),
        Clock::Calendar(name) => format!(
            "\nand on() ({} == 1)",
            Selector::new(
                CLOCK_SERIES,
                vec![
                    Matcher::eq(l::AGREEMENT, &a.name),
                    Matcher::eq(l::CALENDAR, name)
                ]
            )
            .render()
        ),
    }
}

pub(super) fn calendar(clock: &Clock) -> Option<String> {
    match clock {
        Clock::Always => None,
        Clock::Calendar(n) => Some(n.clone()),
    }
}

pub(super) fn clock_text(clock: &Clock) -> String {
    match clock {
        Clock::Always => String::new(),
        Clock::Calendar(n) => format!(", during business hours of {n}"),
    }
}

/// `0+STEPxN`: a counter growing by `step` a minute.
fn growing(step: u64) -> String {
    format!("0+{step}x{SAMPLES}")
}

pub(super) fn constant(v: u64) -> String {
    format!("{v}x{SAMPLES}")
}

/// Synthetic data that breaches and meets `g`, or `None` when no data can
/// (a condition that admits nothing, `>= 0 per week`).
fn fixtures(a: &Agreement, g: &Goal) -> Option<(Vec<Input>, Vec<Input>)> {
    let labels = series::sample_labels(a, g)?;
    let metric = &g.metric;
    let with = |name: &str, extra: &[(&str, &str)]| series_with(name, &labels, extra);
    let input = |series: String, values: String| Input { series, values };
    Some(match &g.target {
        Target::Within { within: bound, .. } | Target::Quantile { max: bound, .. } => {
            let name = metric.series.as_deref()?;
            let owned = series::histogram_labels(a, g);
            // An empty `pause` matches the series without the label: left out.
            let labels: Vec<(&str, &str)> = owned
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (*k, v.as_str()))
                .collect();
            let bucket = |le: &str| {
                let mut extra = labels.clone();
                extra.push(("le", le));
                with(&format!("{name}_bucket"), &extra)
            };
            let count = with(&format!("{name}_count"), &labels);
            let le = bound.0.to_string();
            // Ten events a minute, none (breach) or all (met) within the bound.
            let data = |good: String| {
                vec![
                    input(bucket(&le), good),
                    input(bucket("+Inf"), growing(10)),
                    input(count.clone(), growing(10)),
                ]
            };
            (data(constant(0)), data(growing(10)))
        }
        Target::Mean { max } => {
            let name = metric.series.as_deref()?;
            let owned = series::histogram_labels(a, g);
            // An empty `pause` matches the series without the label: left out.
            let labels: Vec<(&str, &str)> = owned
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (*k, v.as_str()))
                .collect();
            let (sum, count) = (
                with(&format!("{name}_sum"), &labels),
                with(&format!("{name}_count"), &labels),
            );
            // Ten events a minute, each taking twice (breach) or half (met) the maximum.
            let data = |per_event_twice: u64| {
                vec![
                    input(sum.clone(), growing(per_event_twice * 5 * max.0)),
                    input(count.clone(), growing(10)),
                ]
            };
            (data(4), data(1))
        }
        Target::Ratio { bound, ratio } => {
            let (num, den) = series::ratio_series(metric, g.by.as_deref())?;
            let (n, d) = (with(num, &[]), with(den, &[]));
            // Every event good (ratio 1) or none (ratio 0).
            let data = |good: String| vec![input(n.clone(), good), input(d.clone(), growing(10))];
            match bound {
                Bound::AtLeast if ratio.0 > 0 => (data(constant(0)), data(growing(10))),
                Bound::AtMost if ratio.0 < 1_000_000 => (data(growing(10)), data(constant(0))),
                _ => return None,
            }
        }
        Target::Rate { bound, count, .. } => {
            let s = with(metric.series.as_deref()?, &[]);
            // Far more than `count` per window (a minute already exceeds it), or none.
            let (many, none) = (
                vec![input(s.clone(), growing(count + 1))],
                vec![input(s, constant(0))],
            );
            match bound {
                Bound::AtLeast if *count > 0 => (none, many),
                Bound::AtMost => (many, none),
                _ => return None,
            }
        }
    })
}

pub fn watch(a: &Agreement) -> Watched {
    let mut w = Watched::default();
    for g in &a.goals {
        // A goal with segments is watched per part (`plan::segments`).
        for part in segments::parts(g) {
            let segment = part.label.as_deref();
            goal(a, &part.goal, segment, &mut w);
            super::warn::goal_warning(a, &part.goal, segment, &mut w);
        }
    }
    for ap in &a.approvals {
        for s in &ap.steps {
            step(a, ap, s, &mut w);
        }
    }
    for e in &a.escalations {
        for t in &e.tiers {
            tier(a, e, t, &mut w);
        }
    }
    w
}

fn goal(a: &Agreement, g: &Goal, segment: Option<&str>, w: &mut Watched) {
    let Some(Measure { shape, sli, .. }) = measure(a, g) else {
        return;
    };
    let rl = record_labels(a, g, segment);
    w.records.push(Record {
        record: SLI.into(),
        expr: sli,
        labels: rl.clone(),
        group: RuleGroup::Sli,
    });
    let al = goal_labels(a, g, segment);
    let title = match segment {
        Some(s) => format!("{} ({}/{}, segment {s})", g.title, a.name, g.id),
        None => format!("{} ({}/{})", g.title, a.name, g.id),
    };
    let target = format!("target {}{}", g.target, clock_text(&g.clock));
    let gate = gate(a, &g.clock);
    let mut owned = Vec::new();
    let mut annotations = BTreeMap::new();
    if let Some(d) = &g.description {
        annotations.insert("description".to_string(), d.clone());
    }
    let mut alert = |w: &mut Watched, group, name: String, expr, for_seconds, summary| {
        let mut ann = annotations.clone();
        ann.insert("summary".into(), summary);
        owned.push(w.alerts.len());
        w.alerts.push(Alert {
            group,
            name,
            expr,
            for_seconds,
            labels: al.clone(),
            annotations: ann,
        });
    };
    match shape {
        Shape::Burn {
            good,
            total,
            budget_ppm,
        } => {
            for window in WINDOWS {
                let expr = format!(
                    "1 - (\n  {}\n/\n  {}\n)",
                    sum_rate(&good, window),
                    sum_rate(&total, window)
                );
                w.records.push(Record {
                    record: format!("{ERROR_RATIO}:{}", window_name(window)),
                    expr,
                    labels: rl.clone(),
                    group: RuleGroup::Main,
                });
            }
            for pair in &PAIRS {
                let threshold = burn_threshold(budget_ppm, pair.factor_tenths);
                let expr = format!(
                    "(\n  {} > {threshold}\nand\n  {} > {threshold}\n){gate}",
                    recorded(
                        &format!("{ERROR_RATIO}:{}", window_name(pair.long)),
                        a,
                        g,
                        segment
                    ),
                    recorded(
                        &format!("{ERROR_RATIO}:{}", window_name(pair.short)),
                        a,
                        g,
                        segment
                    ),
                );
                let summary = format!(
                    "{title}: {} error-budget burn, more than {} of events missed over both {} and {}; {target}",
                    pair.what.to_lowercase(),
                    burn_percent(budget_ppm, pair.factor_tenths),
                    duration(pair.long),
                    duration(pair.short)
                );
                alert(
                    w,
                    RuleGroup::Main,
                    l::goal_alert(g, &format!("{}Burn", pair.what)),
                    expr,
                    pair.for_seconds,
                    summary,
                );
            }
        }
        Shape::Mean {
            hist_sum,
            hist_count,
            max,
        } => {
            for window in WINDOWS {
                let expr = format!(
                    "{}\n/\n{}",
                    sum_rate(&hist_sum, window),
                    sum_rate(&hist_count, window)
                );
                w.records.push(Record {
                    record: format!("{MEAN_SECONDS}:{}", window_name(window)),
                    expr,
                    labels: rl.clone(),
                    group: RuleGroup::Main,
                });
            }
            for pair in &PAIRS {
                let expr = format!(
                    "(\n  {} > {max}\nand\n  {} > {max}\n){gate}",
                    recorded(
                        &format!("{MEAN_SECONDS}:{}", window_name(pair.long)),
                        a,
                        g,
                        segment
                    ),
                    recorded(
                        &format!("{MEAN_SECONDS}:{}", window_name(pair.short)),
                        a,
                        g,
                        segment
                    ),
                );
                let summary = format!(
                    "{title}: mean above {} over both {} and {}; {target}",
                    duration(max),
                    duration(pair.long),
                    duration(pair.short)
                );
                alert(
                    w,
                    RuleGroup::Main,
                    l::goal_alert(g, &format!("{}MeanAboveTarget", pair.what)),
                    expr,
                    pair.for_seconds,
                    summary,
                );
            }
        }
        Shape::Threshold {
            bound,
            value,
            window,
        } => {
            let (op, what, side) = match bound {
                Bound::AtLeast => ("<", "BelowTarget", "below"),
                Bound::AtMost => (">", "AboveTarget", "above"),
            };
            let expr = format!("{} {op} {value}{gate}", recorded(SLI, a, g, segment));
            let summary = format!(
                "{title}: {side} target over the last {}; {target}",
                duration(window)
            );
            // In the SLI group, after the record it reads.
            let name = l::goal_alert(g, what);
            alert(w, RuleGroup::Sli, name, expr, THRESHOLD_FOR, summary);
        }
    }
    if let Some((breach, met)) = fixtures(a, g) {
        w.subjects.push(Subject {
            name: match segment {
                Some(s) => format!("goal {} segment {s}", g.id),
                None => format!("goal {}", g.id),
            },
            alerts: owned,
            calendar: calendar(&g.clock),
            carried: BTreeMap::new(),
            breach,
            met,
        });
    }
}

fn series_with(name: &str, labels: &[(String, String)], extra: &[(&str, &str)]) -> String {
    let mut all: Vec<(String, String)> = labels.to_vec();
    all.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    crate::emit::promql::series(name, &all)
}

fn sum_rate(s: &Selector, window: u64) -> String {
    format!("sum(rate({}[{}]))", s.render(), duration(window))
}

/// The alert of a gauge that holds one series per waiting item (a post at
/// an approval step, an unacknowledged incident): it fires per item, so the
/// item's label (`post_id`, `incident`) stays on the alert.
pub(super) struct Waiting<'a> {
    pub name: String,
    pub gauge: &'a str,
    /// The gauge's labels that name the subject (agreement first).
    pub labels: Vec<(String, String)>,
    /// The label naming the item and the value of the synthetic item.
    pub item: (&'static str, &'static str),
    /// `>`: fires once the item is over `limit`; `>=`: once it reaches it.
    pub op: &'static str,
    pub limit: u64,
    pub clock: &'a Clock,
    pub for_seconds: u64,
    pub alert_labels: BTreeMap<String, String>,
    pub summary: String,
    pub subject: String,
}

pub(super) fn waiting(a: &Agreement, wt: Waiting, w: &mut Watched) {
    let matchers = wt.labels.iter().map(|(k, v)| Matcher::eq(k, v)).collect();
    let selector = Selector::new(wt.gauge, matchers);
    let expr = format!(
        "{} {} {}{}",
        selector.render(),
        wt.op,
        wt.limit,
        gate(a, wt.clock)
    );
    let mut labels = wt.labels.clone();
    labels.push((wt.item.0.to_string(), wt.item.1.to_string()));
    let gauge = crate::emit::promql::series(wt.gauge, &labels);
    // `>=` (a warning) is tested on its edge: at the limit and a second
    // short of it.
    let (breach, met) = match wt.op {
        ">=" => (wt.limit, wt.limit.saturating_sub(1)),
        _ => (wt.limit + 3600, 0),
    };
    w.subjects.push(Subject {
        name: wt.subject,
        alerts: vec![w.alerts.len()],
        calendar: calendar(wt.clock),
        carried: BTreeMap::from([(wt.item.0.to_string(), wt.item.1.to_string())]),
        breach: vec![Input {
            series: gauge.clone(),
            values: constant(breach),
        }],
        met: vec![Input {
            series: gauge,
            values: constant(met),
        }],
    });
    w.alerts.push(Alert {
        group: RuleGroup::Main,
        name: wt.name,
        expr,
        for_seconds: wt.for_seconds,
        labels: wt.alert_labels,
        annotations: BTreeMap::from([("summary".to_string(), wt.summary)]),
    });
}

fn step(a: &Agreement, ap: &m::Approval, s: &m::Step, w: &mut Watched) {
    let summary = format!(
        "{} ({}/{}): a post has waited longer than {} at step {} for {}{}",
        ap.title,
        a.name,
        ap.id,
        s.within,
        s.id,
        s.by.join(", "),
        clock_text(&s.clock)
    );
    let alert_labels = BTreeMap::from([
        (l::AGREEMENT.to_string(), a.name.clone()),
        (l::APPROVAL.to_string(), ap.id.clone()),
        (l::STEP.to_string(), s.id.clone()),
        (l::SEVERITY.to_string(), l::WARNING.to_string()),
        (l::CLOCK.to_string(), s.clock.name().to_string()),
    ]);
    let wt = Waiting {
        name: l::step_alert(&ap.id, &s.id),
        gauge: APPROVAL_PENDING,
        labels: vec![
            (l::AGREEMENT.into(), a.name.clone()),
            (l::APPROVAL.into(), ap.id.clone()),
            (l::STEP.into(), s.id.clone()),
        ],
        item: (l::POST_ID, "post-1"),
        op: ">",
        limit: s.within.0,
        clock: &s.clock,
        for_seconds: STEP_FOR,
        alert_labels,
        summary,
        subject: format!("approval {}.{}", ap.id, s.id),
    };
    waiting(a, wt, w);
}

fn tier(a: &Agreement, e: &m::Escalation, t: &m::Tier, w: &mut Watched) {
    let Some(ack) = t.acknowledge else { return };
    let summary = format!(
        "{} ({}/{}): a {} incident is unacknowledged after {}; notify {}{}",
        e.title,
        a.name,
        e.id,
        t.id,
        ack,
        t.notify.join(", "),
        clock_text(&e.clock)
    );
    // No `owner`: the tier's receiver is built from its `notify` roles.
    let alert_labels = BTreeMap::from([
        (l::AGREEMENT.to_string(), a.name.clone()),
        (l::ESCALATION.to_string(), e.id.clone()),
        (l::SEVERITY.to_string(), t.id.clone()),
        (l::CLOCK.to_string(), e.clock.name().to_string()),
    ]);
    let wt = Waiting {
        name: l::tier_alert(&e.id, &t.id),
        gauge: INCIDENT_UNACKNOWLEDGED,
        labels: vec![
            (l::AGREEMENT.into(), a.name.clone()),
            (l::ESCALATION.into(), e.id.clone()),
            (l::SEVERITY.into(), t.id.clone()),
        ],
        item: (l::INCIDENT, "incident-1"),
        op: ">",
        limit: ack.0,
        clock: &e.clock,
        for_seconds: TIER_FOR,
        alert_labels,
        summary,
        subject: format!("tier {}.{}", e.id, t.id),
    };
    waiting(a, wt, w);
}
