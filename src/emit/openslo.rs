//! The `openslo` target: OpenSLO v1 documents (`NAME.openslo.yaml`), one
//! YAML stream per agreement:
//!
//! - a `Service` for the agreement;
//! - per goal an `SLI` (Prometheus queries) and an `SLO` with a
//!   calendar-aligned `timeWindow` (the goal's period, starting at the
//!   period boundary on or before the term's start, in the agreement's
//!   `timeZone`);
//! - per goal with burn-rate alerts an `AlertPolicy` for the fast and one for
//!   the slow window, notifying the contacts the Alertmanager config routes to.
//!
//! Shares and ratios (`90% within 1h`, `p95 <= 30m`, `>= 95%`, engagement)
//! are `ratioMetric` SLIs budgeted by `Occurrences`; means and counts per
//! week are `thresholdMetric` SLIs budgeted by `Timeslices` in which every
//! slice must meet the target (`target: 1`).

use super::labels as l;
use super::prometheus::series;
use super::prometheus::watch::{self, Shape};
use super::{header, to_yaml};
use crate::model::{
    self as m, decimal, Agreement, Bound, Clock, ContactKind, Goal, PerUnit, Period, Target,
};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

const API_VERSION: &str = "openslo/v1";
/// OpenSLO caps descriptions at this many characters.
const MAX_DESCRIPTION: usize = 1050;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Doc<S: Serialize> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    spec: S,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    name: String,
    display_name: String,
}

#[derive(Serialize)]
struct ServiceSpec {
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SliSpec {
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ratio_metric: Option<RatioMetric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    threshold_metric: Option<MetricSource>,
}

#[derive(Serialize)]
struct RatioMetric {
    counter: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    good: Option<MetricSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bad: Option<MetricSource>,
    total: MetricSource,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetricSource {
    metric_source: Source,
}

#[derive(Serialize)]
struct Source {
    #[serde(rename = "type")]
    kind: &'static str,
    spec: Query,
}

#[derive(Serialize)]
struct Query {
    query: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SloSpec {
    description: String,
    service: String,
    indicator_ref: String,
    time_window: Vec<TimeWindow>,
    budgeting_method: &'static str,
    objectives: Vec<Objective>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alert_policies: Vec<PolicyRef>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TimeWindow {
    duration: &'static str,
    is_rolling: bool,
    calendar: CalendarWindow,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CalendarWindow {
    start_time: String,
    time_zone: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Objective {
    display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    op: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<serde_yaml::Number>,
    target: serde_yaml::Number,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_slice_target: Option<serde_yaml::Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_slice_window: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PolicyRef {
    alert_policy_ref: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PolicySpec {
    description: String,
    alert_when_breaching: bool,
    alert_when_resolved: bool,
    alert_when_no_data: bool,
    conditions: Vec<Inline<ConditionSpec>>,
    notification_targets: Vec<Inline<TargetSpec>>,
}

#[derive(Serialize)]
struct Inline<S: Serialize> {
    kind: &'static str,
    metadata: Metadata,
    spec: S,
}

#[derive(Serialize)]
struct ConditionSpec {
    description: String,
    severity: String,
    condition: Condition,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Condition {
    kind: &'static str,
    op: &'static str,
    threshold: serde_yaml::Number,
    lookback_window: String,
    alert_after: String,
}

#[derive(Serialize)]
struct TargetSpec {
    target: &'static str,
    description: String,
}

/// An RFC 1123 label from parts: lowercase alphanumerics and `-`, at most 63
/// characters. When that changes more than `_` to `-` (upper case, other
/// characters, length), a short hash of the original keeps names distinct.
pub fn dns_label(parts: &[&str]) -> String {
    let original = parts.join("-");
    let mut out = String::new();
    for c in original.chars() {
        let c = if c == '_' { '-' } else { c };
        let ok = c.is_ascii_lowercase() || c.is_ascii_digit();
        let c = if ok { c } else { '-' };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    let lossless = out == original.replace('_', "-");
    if !lossless || out.len() > 63 || out.is_empty() {
        let hash = original.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
        });
        out.truncate(63 - 7);
        let out = out.trim_end_matches('-');
        let sep = if out.is_empty() { "" } else { "-" };
        return format!("{out}{sep}{:06x}", hash & 0xff_ffff);
    }
    out
}

fn description(text: String) -> String {
    if text.chars().count() <= MAX_DESCRIPTION {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_DESCRIPTION - 1).collect();
    cut.push('…');
    cut
}

fn prometheus(query: String) -> MetricSource {
    MetricSource {
        metric_source: Source {
            kind: "Prometheus",
            spec: Query { query },
        },
    }
}

fn sum(s: &crate::emit::promql::Selector) -> MetricSource {
    prometheus(format!("sum({})", s.render()))
}

fn shorthand(per: PerUnit) -> &'static str {
    match per {
        PerUnit::Day => "1d",
        PerUnit::Week => "1w",
        PerUnit::Month => "1M",
        PerUnit::Quarter => "1Q",
        PerUnit::Year => "1Y",
    }
}

/// The first day of the period that contains `d` (ISO weeks start Monday).
fn period_start(p: Period, d: NaiveDate) -> NaiveDate {
    let first_of = |month0: u32| NaiveDate::from_ymd_opt(d.year(), month0 + 1, 1).unwrap_or(d);
    match p {
        Period::Daily => d,
        Period::Weekly => d - Duration::days(d.weekday().num_days_from_monday() as i64),
        Period::Monthly => first_of(d.month0()),
        Period::Quarterly => first_of(d.month0() / 3 * 3),
        Period::Yearly => first_of(0),
    }
}

/// An exact decimal as a YAML number: `1`, `28800`, `0.9` (never `1.0`).
fn number(text: &str) -> serde_yaml::Number {
    match text.parse::<u64>() {
        Ok(n) => n.into(),
        Err(_) => text.parse::<f64>().expect("exact decimals parse").into(),
    }
}

struct Indicator {
    ratio: Option<RatioMetric>,
    threshold: Option<MetricSource>,
    objective: Objective,
    budgeting: &'static str,
}

fn indicator(a: &Agreement, g: &Goal) -> Option<Indicator> {
    let filters = series::filters(a, g);
    let display_name = g.target.to_string();
    let occurrences = |ratio: RatioMetric, target: m::Ratio| Indicator {
        ratio: Some(ratio),
        threshold: None,
        objective: Objective {
            display_name: display_name.clone(),
            op: None,
            value: None,
            target: number(&target.decimal()),
            time_slice_target: None,
            time_slice_window: None,
        },
        budgeting: "Occurrences",
    };
    let every_slice =
        |query: String, op: &'static str, value: u64, window: &'static str| Indicator {
            ratio: None,
            threshold: Some(prometheus(query)),
            objective: Objective {
                display_name: display_name.clone(),
                op: Some(op),
                value: Some(value.into()),
                target: number("1"),
                time_slice_target: Some(number("1")),
                time_slice_window: Some(window),
            },
            budgeting: "Timeslices",
        };
    let measure = watch::measure(a, g)?;
    Some(match &g.target {
        Target::Within {
            ratio,
            within: bound,
        }
        | Target::Quantile {
            quantile: ratio,
            max: bound,
        } => {
            let h = series::histogram(a, g)?;
            let metric = RatioMetric {
                counter: true,
                good: Some(sum(&h.bucket(bound.0))),
                bad: None,
                total: sum(&h.count()),
            };
            occurrences(metric, *ratio)
        }
        Target::Ratio { bound, ratio } => {
            let (num, den) = series::ratio_series(&g.metric, g.by.as_deref())?;
            let num = sum(&crate::emit::promql::Selector::new(num, filters.clone()));
            let total = sum(&crate::emit::promql::Selector::new(den, filters));
            match bound {
                // good / total >= r
                Bound::AtLeast => occurrences(
                    RatioMetric {
                        counter: true,
                        good: Some(num),
                        bad: None,
                        total,
                    },
                    *ratio,
                ),
                // num / total <= r, that is (total - num) / total >= 1 - r
                Bound::AtMost => occurrences(
                    RatioMetric {
                        counter: true,
                        good: None,
                        bad: Some(num),
                        total,
                    },
                    m::Ratio(1_000_000 - ratio.0.min(1_000_000)),
                ),
            }
        }
        Target::Mean { max } => every_slice(
            measure.sli,
            "lte",
            max.0,
            shorthand(watch::per_of(g.period)),
        ),
        Target::Rate { bound, count, per } => {
            let op = match bound {
                Bound::AtLeast => "gte",
                Bound::AtMost => "lte",
            };
            every_slice(measure.sli, op, *count, shorthand(*per))
        }
    })
}

/// The contacts an alert of `g` reaches, as in the Alertmanager config.
fn notification_targets(a: &Agreement, g: &Goal, policy: &str) -> Vec<Inline<TargetSpec>> {
    let roles: Vec<String> = match (&g.escalate, &g.owner) {
        (Some(t), _) => a
            .escalation(&t.escalation)
            .and_then(|e| e.tiers.iter().find(|x| x.id == t.tier))
            .map(|t| t.notify.clone())
            .unwrap_or_default(),
        (None, Some(owner)) => vec![owner.clone()],
        (None, None) => Vec::new(),
    };
    let mut out: Vec<Inline<TargetSpec>> = Vec::new();
    let mut seen: Vec<(ContactKind, &str)> = Vec::new();
    for c in roles
        .iter()
        .filter_map(|r| a.role(r))
        .flat_map(|r| &r.contacts)
    {
        if seen.contains(&(c.kind, c.value.as_str())) {
            continue;
        }
        seen.push((c.kind, &c.value));
        out.push(Inline {
            kind: "AlertNotificationTarget",
            metadata: Metadata {
                name: dns_label(&[policy, c.kind.keyword(), &out.len().to_string()]),
                display_name: format!("{} {}", c.kind.keyword(), c.value),
            },
            spec: TargetSpec {
                target: c.kind.keyword(),
                description: description(c.value.clone()),
            },
        });
    }
    out
}

fn alert_policies(a: &Agreement, g: &Goal, name: &str) -> Vec<Doc<PolicySpec>> {
    let Some(watch::Measure {
        shape: Shape::Burn { budget_ppm, .. },
        ..
    }) = watch::measure(a, g)
    else {
        return Vec::new();
    };
    let (severity, _) = l::goal_severity(g);
    watch::PAIRS
        .iter()
        .map(|pair| {
            let policy = dns_label(&[name, &pair.what.to_lowercase(), "burn"]);
            let rate = burn_rate(budget_ppm, pair.factor_tenths);
            Doc {
                api_version: API_VERSION,
                kind: "AlertPolicy",
                metadata: Metadata {
                    name: policy.clone(),
                    display_name: format!("{}: {} burn", g.title, pair.what.to_lowercase()),
                },
                spec: PolicySpec {
                    description: description(format!(
                        "Error budget of {} burning {rate}x over {} (and {}); {}",
                        g.id,
                        crate::emit::promql::duration(pair.long),
                        crate::emit::promql::duration(pair.short),
                        clock_text(&g.clock)
                    )),
                    alert_when_breaching: true,
                    alert_when_resolved: false,
                    alert_when_no_data: false,
                    conditions: vec![Inline {
                        kind: "AlertCondition",
                        metadata: Metadata {
                            name: dns_label(&[&policy, "condition"]),
                            display_name: format!("burn rate above {rate}"),
                        },
                        spec: ConditionSpec {
                            description: description(format!(
                                "burn rate above {rate} over {}",
                                crate::emit::promql::duration(pair.long)
                            )),
                            severity: severity.to_string(),
                            condition: Condition {
                                kind: "burnrate",
                                op: "gt",
                                threshold: number(&rate),
                                lookback_window: crate::emit::promql::duration(pair.long),
                                alert_after: crate::emit::promql::duration(pair.for_seconds),
                            },
                        },
                    }],
                    notification_targets: notification_targets(a, g, &policy),
                },
            }
        })
        .collect()
}

/// The burn rate of a pair's threshold (`threshold / budget`), to four
/// decimals, rounded half up.
fn burn_rate(budget_ppm: u32, factor_tenths: u64) -> String {
    // burn_units are 1e-7; rate = units / (10 * budget); in 1e-4: units * 1000 / budget.
    let units = watch::burn_units(budget_ppm, factor_tenths) as u128;
    let b = budget_ppm.max(1) as u128;
    let e4 = (units * 1000 * 2 + b) / (2 * b);
    decimal(e4 as u64, 4)
}

fn clock_text(clock: &Clock) -> String {
    match clock {
        Clock::Always => "measured around the clock".to_string(),
        Clock::Calendar(n) => format!("measured during business hours of {n}"),
    }
}

pub fn emit(a: &Agreement, source: &str) -> String {
    let service = dns_label(&[&a.name]);
    let mut docs: Vec<String> = vec![to_yaml(&Doc {
        api_version: API_VERSION,
        kind: "Service",
        metadata: Metadata {
            name: service.clone(),
            display_name: a.title.clone(),
        },
        spec: ServiceSpec {
            description: description(a.description.clone().unwrap_or_else(|| a.title.clone())),
        },
    })];
    for g in &a.goals {
        let Some(ind) = indicator(a, g) else { continue };
        let name = dns_label(&[&a.name, &g.id]);
        let what = format!("{} ({}), {}", g.title, g.target, clock_text(&g.clock));
        docs.push(to_yaml(&Doc {
            api_version: API_VERSION,
            kind: "SLI",
            metadata: Metadata {
                name: name.clone(),
                display_name: g.title.clone(),
            },
            spec: SliSpec {
                description: description(format!("{} of goal {}", g.metric.title, g.id)),
                ratio_metric: ind.ratio,
                threshold_metric: ind.threshold,
            },
        }));
        let policies = alert_policies(a, g, &name);
        let start = period_start(g.period, a.term.start);
        docs.push(to_yaml(&Doc {
            api_version: API_VERSION,
            kind: "SLO",
            metadata: Metadata {
                name: name.clone(),
                display_name: g.title.clone(),
            },
            spec: SloSpec {
                description: description(match &g.description {
                    Some(d) => format!("{what}. {d}"),
                    None => what,
                }),
                service: service.clone(),
                indicator_ref: name.clone(),
                time_window: vec![TimeWindow {
                    duration: shorthand(watch::per_of(g.period)),
                    is_rolling: false,
                    calendar: CalendarWindow {
                        start_time: format!("{start} 00:00:00"),
                        time_zone: a.timezone.clone(),
                    },
                }],
                budgeting_method: ind.budgeting,
                objectives: vec![ind.objective],
                alert_policies: policies
                    .iter()
                    .map(|p| PolicyRef {
                        alert_policy_ref: p.metadata.name.clone(),
                    })
                    .collect(),
            },
        }));
        docs.extend(policies.iter().map(to_yaml));
    }
    format!(
        "{}# OpenSLO v1 documents of agreement `{}`.\n{}",
        header(source),
        a.name,
        docs.join("---\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_dns_labels() {
        assert_eq!(
            dns_label(&["acme_social", "first_response"]),
            "acme-social-first-response"
        );
        let long = "x".repeat(80);
        let n = dns_label(&[&long]);
        assert_eq!(n.len(), 63);
        assert_ne!(dns_label(&["Foo"]), dns_label(&["foo"]));
        for n in [
            dns_label(&["_a_"]),
            dns_label(&["Ünïcode"]),
            dns_label(&["A"]),
        ] {
            assert!(!n.is_empty() && n.len() <= 63, "{n}");
            assert!(
                n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{n}"
            );
            assert!(!n.starts_with('-') && !n.ends_with('-'), "{n}");
        }
    }

    #[test]
    fn windows_start_at_period_boundaries() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            period_start(Period::Monthly, d("2026-03-15")),
            d("2026-03-01")
        );
        assert_eq!(
            period_start(Period::Weekly, d("2026-06-01")),
            d("2026-06-01")
        );
        assert_eq!(
            period_start(Period::Weekly, d("2026-06-03")),
            d("2026-06-01")
        );
        assert_eq!(
            period_start(Period::Quarterly, d("2026-05-20")),
            d("2026-04-01")
        );
        assert_eq!(
            period_start(Period::Yearly, d("2026-05-20")),
            d("2026-01-01")
        );
    }

    #[test]
    fn burn_rates_are_exact_decimals() {
        assert_eq!(burn_rate(1_000, 144), "14.4");
        assert_eq!(burn_rate(100_000, 144), "5.5");
        assert_eq!(burn_rate(50_000, 144), "10.5");
        assert_eq!(burn_rate(30_000, 144), "14.4");
        assert_eq!(burn_rate(300_000, 60), "2.1667");
    }
}
