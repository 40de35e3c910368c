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
use super::series::{self, Histogram, APPROVAL_PENDING, INCIDENT_UNACKNOWLEDGED};
use super::{Alert, Record};
use crate::emit::labels as l;
use crate::emit::promql::{duration, Matcher, Selector};
use crate::model::{self as m, decimal, Agreement, Bound, Clock, EventSource, Goal, Target};
use std::collections::BTreeMap;

/// Synthetic input for promtool: a series and its values in promtool's
/// expanding notation, one sample a minute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub series: String,
    pub values: String,
}

/// Samples per synthetic series: three hours at one a minute (`x180` gives
/// 181 samples, 0m to 180m).
pub const SAMPLES: u32 = 180;

/// One goal, step or tier with its alerts and data that breaches and meets it.
#[derive(Clone, Debug)]
pub struct Subject {
    pub name: String,
    /// Names of the alerts this subject owns.
    pub alerts: Vec<String>,
    /// The clock label value when the alerts are gated on a calendar.
    pub calendar: Option<String>,
    pub breach: Vec<Input>,
    pub met: Vec<Input>,
}

#[derive(Default)]
pub struct Watched {
    pub records: Vec<Record>,
    pub alerts: Vec<Alert>,
    pub subjects: Vec<Subject>,
}

/// A burn-rate window pair.
struct Pair {
    what: &'static str,
    long: u64,
    short: u64,
    /// Burn rate in tenths (Google SRE workbook, for a 30-day budget).
    factor_tenths: u64,
    for_seconds: u64,
}

const PAIRS: [Pair; 2] = [
    Pair {
        what: "Fast",
        long: 3600,
        short: 300,
        factor_tenths: 144,
        for_seconds: 120,
    },
    Pair {
        what: "Slow",
        long: 21_600,
        short: 1800,
        factor_tenths: 60,
        for_seconds: 900,
    },
];
/// The windows recorded for burn rates and means.
const WINDOWS: [u64; 4] = [300, 1800, 3600, 21_600];
const THRESHOLD_FOR: u64 = 1800;
const STEP_FOR: u64 = 300;
const TIER_FOR: u64 = 60;

pub const ERROR_RATIO: &str = "slac:goal_error_ratio";
pub const MEAN_SECONDS: &str = "slac:goal_mean_seconds";
pub const SLI: &str = "slac:goal_sli";

/// The error ratio above which a burn-rate pair fires: `factor x budget`,
/// capped halfway between the budget and 1 so low targets (90%) can page.
/// Exact: the result is a decimal string.
pub fn burn_threshold(budget_ppm: u32, factor_tenths: u64) -> String {
    decimal(burn_units(budget_ppm, factor_tenths), 7)
}

/// The threshold in units of 1e-7 (`burn_threshold` without the decimal point).
fn burn_units(budget_ppm: u32, factor_tenths: u64) -> u64 {
    let burn = budget_ppm as u64 * factor_tenths;
    let cap = (1_000_000 + budget_ppm as u64) * 5;
    burn.min(cap)
}

/// The threshold as an exact percentage: `55%`, `28.8%`.
fn burn_percent(budget_ppm: u32, factor_tenths: u64) -> String {
    format!("{}%", decimal(burn_units(budget_ppm, factor_tenths), 5))
}

fn window_name(seconds: u64) -> String {
    format!("rate{}", duration(seconds))
}

fn goal_labels(a: &Agreement, g: &Goal) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::from([
        (l::AGREEMENT.to_string(), a.name.clone()),
        (l::GOAL.to_string(), g.id.clone()),
    ]);
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

fn record_labels(a: &Agreement, g: &Goal) -> BTreeMap<String, String> {
    BTreeMap::from([
        (l::AGREEMENT.to_string(), a.name.clone()),
        (l::GOAL.to_string(), g.id.clone()),
    ])
}

fn recorded(name: &str, a: &Agreement, g: &Goal) -> String {
    Selector::new(
        name,
        vec![
            Matcher::eq(l::AGREEMENT, &a.name),
            Matcher::eq(l::GOAL, &g.id),
        ],
    )
    .render()
}

/// `and on() (slac:clock_open{...} == 1)` for a calendar clock.
fn gate(a: &Agreement, clock: &Clock) -> String {
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

fn calendar(clock: &Clock) -> Option<String> {
    match clock {
        Clock::Always => None,
        Clock::Calendar(n) => Some(n.clone()),
    }
}

fn clock_text(clock: &Clock) -> String {
    match clock {
        Clock::Always => String::new(),
        Clock::Calendar(n) => format!(", during business hours of {n}"),
    }
}

fn counter(name: String, values: String) -> Input {
    Input {
        series: name,
        values,
    }
}

/// `0+STEPxN`: a counter growing by `step` a minute.
fn growing(step: u64) -> String {
    format!("0+{step}x{SAMPLES}")
}

fn constant(v: u64) -> String {
    format!("{v}x{SAMPLES}")
}

/// How a goal is measured in PromQL.
enum Shape {
    /// Good and total events; the error budget is `1 - target`.
    Burn {
        good: Selector,
        total: Selector,
        budget_ppm: u32,
    },
    /// A histogram's mean against a maximum in seconds.
    Mean {
        hist_sum: Selector,
        hist_count: Selector,
        max: u64,
    },
    /// The SLI over a window, compared with a bound.
    Threshold {
        bound: Bound,
        value: String,
        window: u64,
    },
}

pub fn watch(a: &Agreement) -> Watched {
    let mut w = Watched::default();
    for g in &a.goals {
        goal(a, g, &mut w);
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

fn goal(a: &Agreement, g: &Goal, w: &mut Watched) {
    let metric = &g.metric;
    let filters = series::filters(g);
    let period = m::PerUnit::seconds(per_of(g.period));
    let labels = series::sample_labels(g);
    let mut breach = Vec::new();
    let mut met = Vec::new();
    let (shape, sli_expr) = match (&g.target, metric.kind) {
        (Target::Within { ratio, within }, _)
        | (
            Target::Quantile {
                quantile: ratio,
                max: within,
            },
            _,
        ) => {
            let Some(name) = metric.series.as_deref() else {
                return;
            };
            let h = Histogram {
                name,
                filters: filters.clone(),
            };
            let sli = match &g.target {
                Target::Quantile { quantile, .. } => format!(
                    "histogram_quantile({}, sum by (le) (rate({}[{}])))",
                    quantile.decimal(),
                    h.buckets().render(),
                    duration(period)
                ),
                _ => ratio_expr(&h.bucket(within.0), &h.count(), period, "increase"),
            };
            if let Some(labels) = &labels {
                let bucket =
                    |le: &str| series_with(&format!("{name}_bucket"), labels, &[("le", le)]);
                let count = series_with(&format!("{name}_count"), labels, &[]);
                let le = within.0.to_string();
                breach = vec![
                    counter(bucket(&le), constant(0)),
                    counter(bucket("+Inf"), growing(10)),
                    counter(count.clone(), growing(10)),
                ];
                met = vec![
                    counter(bucket(&le), growing(10)),
                    counter(bucket("+Inf"), growing(10)),
                    counter(count, growing(10)),
                ];
            }
            let shape = Shape::Burn {
                good: h.bucket(within.0),
                total: h.count(),
                budget_ppm: 1_000_000 - ratio.0.min(1_000_000),
            };
            (shape, sli)
        }
        (Target::Mean { max }, _) => {
            let Some(name) = metric.series.as_deref() else {
                return;
            };
            let h = Histogram {
                name,
                filters: filters.clone(),
            };
            if let Some(labels) = &labels {
                let sum = series_with(&format!("{name}_sum"), labels, &[]);
                let count = series_with(&format!("{name}_count"), labels, &[]);
                // Ten events a minute, each taking twice (breach) or half (met) the maximum.
                breach = vec![
                    counter(sum.clone(), growing(20 * max.0)),
                    counter(count.clone(), growing(10)),
                ];
                met = vec![
                    counter(sum, growing(5 * max.0)),
                    counter(count, growing(10)),
                ];
            }
            let sli = ratio_expr(&h.sum(), &h.count(), period, "increase");
            (
                Shape::Mean {
                    hist_sum: h.sum(),
                    hist_count: h.count(),
                    max: max.0,
                },
                sli,
            )
        }
        (Target::Ratio { bound, ratio }, _) => {
            let Some((num, den)) = series::ratio_series(metric, g.by.as_deref()) else {
                return;
            };
            let good = Selector::new(num, filters.clone());
            let total = Selector::new(den, filters.clone());
            let sli = ratio_expr(&good, &total, period, "increase");
            // Met and breached: every event good, or none.
            let (all, none) = (growing(10), constant(0));
            let fits = match bound {
                Bound::AtLeast => ratio.0 > 0,
                Bound::AtMost => ratio.0 < 1_000_000,
            };
            if let (Some(labels), true) = (&labels, fits) {
                let n = series_with(num, labels, &[]);
                let d = series_with(den, labels, &[]);
                let (good_met, good_breach) = match bound {
                    Bound::AtLeast => (all.clone(), none),
                    Bound::AtMost => (none, all.clone()),
                };
                breach = vec![
                    counter(n.clone(), good_breach),
                    counter(d.clone(), all.clone()),
                ];
                met = vec![counter(n, good_met), counter(d, all)];
            }
            let shape = if metric.events == EventSource::Inquiries && *bound == Bound::AtLeast {
                Shape::Burn {
                    good,
                    total,
                    budget_ppm: 1_000_000 - ratio.0.min(1_000_000),
                }
            } else {
                Shape::Threshold {
                    bound: *bound,
                    value: ratio.decimal(),
                    window: period,
                }
            };
            (shape, sli)
        }
        (Target::Rate { bound, count, per }, _) => {
            let Some(name) = metric.series.as_deref() else {
                return;
            };
            let window = per.seconds();
            let sli = format!(
                "sum(increase({}[{}]))",
                Selector::new(name, filters.clone()).render(),
                duration(window)
            );
            let fits = *bound == Bound::AtMost || *count > 0;
            if let (Some(labels), true) = (&labels, fits) {
                let s = series_with(name, labels, &[]);
                // Far more than `count` per window (breaching `at most`, meeting `at least`), or none.
                let many = growing(count + 1);
                let (b, mt) = match bound {
                    Bound::AtLeast => (constant(0), many),
                    Bound::AtMost => (many, constant(0)),
                };
                breach = vec![counter(s.clone(), b)];
                met = vec![counter(s, mt)];
            }
            (
                Shape::Threshold {
                    bound: *bound,
                    value: count.to_string(),
                    window,
                },
                sli,
            )
        }
    };
    let rl = record_labels(a, g);
    w.records.push(Record {
        record: SLI.into(),
        expr: sli_expr,
        labels: rl.clone(),
    });
    let al = goal_labels(a, g);
    let title = format!("{} ({}/{})", g.title, a.name, g.id);
    let target = format!("target {}{}", g.target, clock_text(&g.clock));
    let gate = gate(a, &g.clock);
    let mut names = Vec::new();
    let mut annotations = BTreeMap::new();
    if let Some(d) = &g.description {
        annotations.insert("description".to_string(), d.clone());
    }
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
                });
            }
            for pair in &PAIRS {
                let threshold = burn_threshold(budget_ppm, pair.factor_tenths);
                let name = l::goal_alert(g, &format!("{}Burn", pair.what));
                let expr = format!(
                    "(\n  {} > {threshold}\nand\n  {} > {threshold}\n){gate}",
                    recorded(&format!("{ERROR_RATIO}:{}", window_name(pair.long)), a, g),
                    recorded(&format!("{ERROR_RATIO}:{}", window_name(pair.short)), a, g),
                );
                let percent = burn_percent(budget_ppm, pair.factor_tenths);
                let mut ann = annotations.clone();
                ann.insert(
                    "summary".into(),
                    format!(
                        "{title}: {} error-budget burn, more than {percent} of events missed over both {} and {}; {target}",
                        pair.what.to_lowercase(),
                        duration(pair.long),
                        duration(pair.short)
                    ),
                );
                names.push(name.clone());
                w.alerts.push(Alert {
                    name,
                    expr,
                    for_seconds: pair.for_seconds,
                    labels: al.clone(),
                    annotations: ann,
                });
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
                });
            }
            for pair in &PAIRS {
                let name = l::goal_alert(g, &format!("{}MeanAboveTarget", pair.what));
                let expr = format!(
                    "(\n  {} > {max}\nand\n  {} > {max}\n){gate}",
                    recorded(&format!("{MEAN_SECONDS}:{}", window_name(pair.long)), a, g),
                    recorded(&format!("{MEAN_SECONDS}:{}", window_name(pair.short)), a, g),
                );
                let mut ann = annotations.clone();
                ann.insert(
                    "summary".into(),
                    format!(
                        "{title}: mean above {} over both {} and {}; {target}",
                        duration(max),
                        duration(pair.long),
                        duration(pair.short)
                    ),
                );
                names.push(name.clone());
                w.alerts.push(Alert {
                    name,
                    expr,
                    for_seconds: pair.for_seconds,
                    labels: al.clone(),
                    annotations: ann,
                });
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
            let name = l::goal_alert(g, what);
            let expr = format!("{} {op} {value}{gate}", recorded(SLI, a, g));
            let mut ann = annotations.clone();
            ann.insert(
                "summary".into(),
                format!(
                    "{title}: {side} target over the last {}; {target}",
                    duration(window)
                ),
            );
            names.push(name.clone());
            w.alerts.push(Alert {
                name,
                expr,
                for_seconds: THRESHOLD_FOR,
                labels: al,
                annotations: ann,
            });
        }
    }
    if !breach.is_empty() {
        w.subjects.push(Subject {
            name: format!("goal {}", g.id),
            alerts: names,
            calendar: calendar(&g.clock),
            breach,
            met,
        });
    }
}

fn per_of(p: m::Period) -> m::PerUnit {
    match p {
        m::Period::Daily => m::PerUnit::Day,
        m::Period::Weekly => m::PerUnit::Week,
        m::Period::Monthly => m::PerUnit::Month,
        m::Period::Quarterly => m::PerUnit::Quarter,
        m::Period::Yearly => m::PerUnit::Year,
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

fn ratio_expr(num: &Selector, den: &Selector, window: u64, f: &str) -> String {
    let w = duration(window);
    format!(
        "sum({f}({}[{w}]))\n/\nsum({f}({}[{w}]))",
        num.render(),
        den.render()
    )
}

fn step(a: &Agreement, ap: &m::Approval, s: &m::Step, w: &mut Watched) {
    let name = l::step_alert(&ap.id, &s.id);
    let selector = Selector::new(
        APPROVAL_PENDING,
        vec![
            Matcher::eq(l::APPROVAL, &ap.id),
            Matcher::eq(l::STEP, &s.id),
        ],
    );
    let expr = format!(
        "max({}) > {}{}",
        selector.render(),
        s.within.0,
        gate(a, &s.clock)
    );
    let labels = BTreeMap::from([
        (l::AGREEMENT.to_string(), a.name.clone()),
        (l::APPROVAL.to_string(), ap.id.clone()),
        (l::STEP.to_string(), s.id.clone()),
        (l::SEVERITY.to_string(), l::WARNING.to_string()),
        (l::OWNER.to_string(), s.by.join(",")),
        (l::CLOCK.to_string(), s.clock.name().to_string()),
    ]);
    let annotations = BTreeMap::from([(
        "summary".to_string(),
        format!(
            "{} ({}/{}): a post has waited longer than {} at step {} for {}{}",
            ap.title,
            a.name,
            ap.id,
            s.within,
            s.id,
            s.by.join(", "),
            clock_text(&s.clock)
        ),
    )]);
    let gauge = crate::emit::promql::series(
        APPROVAL_PENDING,
        &[
            (l::APPROVAL.into(), ap.id.clone()),
            (l::STEP.into(), s.id.clone()),
        ],
    );
    w.subjects.push(Subject {
        name: format!("approval {}.{}", ap.id, s.id),
        alerts: vec![name.clone()],
        calendar: calendar(&s.clock),
        breach: vec![Input {
            series: gauge.clone(),
            values: constant(s.within.0 + 3600),
        }],
        met: vec![Input {
            series: gauge,
            values: constant(0),
        }],
    });
    w.alerts.push(Alert {
        name,
        expr,
        for_seconds: STEP_FOR,
        labels,
        annotations,
    });
}

fn tier(a: &Agreement, e: &m::Escalation, t: &m::Tier, w: &mut Watched) {
    let Some(ack) = t.acknowledge else { return };
    let name = l::tier_alert(&e.id, &t.id);
    let selector = Selector::new(
        INCIDENT_UNACKNOWLEDGED,
        vec![Matcher::eq(l::SEVERITY, &t.id)],
    );
    let expr = format!(
        "max({}) > {}{}",
        selector.render(),
        ack.0,
        gate(a, &e.clock)
    );
    let labels = BTreeMap::from([
        (l::AGREEMENT.to_string(), a.name.clone()),
        (l::ESCALATION.to_string(), e.id.clone()),
        (l::SEVERITY.to_string(), t.id.clone()),
        (l::OWNER.to_string(), t.notify.join(",")),
        (l::CLOCK.to_string(), e.clock.name().to_string()),
    ]);
    let annotations = BTreeMap::from([(
        "summary".to_string(),
        format!(
            "{} ({}/{}): a {} incident is unacknowledged after {}; notify {}{}",
            e.title,
            a.name,
            e.id,
            t.id,
            ack,
            t.notify.join(", "),
            clock_text(&e.clock)
        ),
    )]);
    let gauge = crate::emit::promql::series(
        INCIDENT_UNACKNOWLEDGED,
        &[(l::SEVERITY.into(), t.id.clone())],
    );
    w.subjects.push(Subject {
        name: format!("tier {}.{}", e.id, t.id),
        alerts: vec![name.clone()],
        calendar: calendar(&e.clock),
        breach: vec![Input {
            series: gauge.clone(),
            values: constant(ack.0 + 3600),
        }],
        met: vec![Input {
            series: gauge,
            values: constant(0),
        }],
    });
    w.alerts.push(Alert {
        name,
        expr,
        for_seconds: TIER_FOR,
        labels,
        annotations,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burn_thresholds_are_exact_and_capped() {
        // 99.9%: the textbook 14.4x and 6x.
        assert_eq!(burn_threshold(1_000, 144), "0.0144");
        assert_eq!(burn_threshold(1_000, 60), "0.006");
        // 95%: 0.72 is capped at 0.525, 0.3 stays.
        assert_eq!(burn_threshold(50_000, 144), "0.525");
        assert_eq!(burn_threshold(50_000, 60), "0.3");
        // 90%: both capped.
        assert_eq!(burn_threshold(100_000, 144), "0.55");
        assert_eq!(burn_threshold(100_000, 60), "0.55");
        assert_eq!(burn_percent(100_000, 144), "55%");
        assert_eq!(burn_percent(20_000, 144), "28.8%");
        assert_eq!(burn_percent(1, 144), "0.00144%");
    }
}
