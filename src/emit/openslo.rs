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
//! are `ratioMetric` SLIs budgeted by `Occurrences`. Means, counts per week
//! (day, month, ...) and shares of 100% are `thresholdMetric` SLIs budgeted
//! by `Timeslices` with one slice per time window, so the objective holds
//! exactly when the window's value meets the goal (`ONE_SLICE_TARGET`).
//! A count's window is its `per` bucket: a calendar week from Monday (the
//! ISO week the contract counts), a local day, a month.
//!
//! Display names are cut to 63 characters (`display`); the full title is
//! in the description.

use super::labels as l;
use super::plan::burn;
use super::plan::measure::{self, Shape};
use super::plan::{segments, series};
use super::{header, to_yaml};
use crate::model::{
    self as m, decimal, Agreement, Bound, Clock, ContactKind, Goal, PerUnit, Target,
};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

const API_VERSION: &str = "openslo/v1";
/// The OpenSLO SDK's limit on `metadata.displayName`, in characters.
pub const MAX_DISPLAY_NAME: usize = 63;
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

/// A `metadata.displayName` of at most 63 characters: a longer text is cut
/// at a word boundary (or mid-word when a word is too long) and ends with
/// `…`; the full text is always in the document's description.
pub fn display(text: &str) -> String {
    if text.chars().count() <= MAX_DISPLAY_NAME {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_DISPLAY_NAME - 1).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i >= cut.len() / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        at_word.trim_end_matches([' ', ',', ':', ';', '-', '.'])
    )
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

/// The first day of the window (a local day, ISO week from Monday, month,
/// quarter or year) that contains `d`.
fn window_start(w: PerUnit, d: NaiveDate) -> NaiveDate {
    let first_of = |month0: u32| NaiveDate::from_ymd_opt(d.year(), month0 + 1, 1).unwrap_or(d);
    match w {
        PerUnit::Day => d,
        PerUnit::Week => d - Duration::days(d.weekday().num_days_from_monday() as i64),
        PerUnit::Month => first_of(d.month0()),
        PerUnit::Quarter => first_of(d.month0() / 3 * 3),
        PerUnit::Year => first_of(0),
    }
}

/// An exact decimal as a YAML number: `1`, `28800`, `0.9` (never `1.0`).
fn number(text: &str) -> serde_yaml::Number {
    match text.parse::<u64>() {
        Ok(n) => n.into(),
        Err(_) => text.parse::<f64>().expect("exact decimals parse").into(),
    }
}

/// The objective `target` of a one-slice `Timeslices` objective. OpenSLO
/// requires `target` in [0, 1), so "the slice must meet the goal" cannot be
/// written `target: 1`; but with exactly one slice per time window the share
/// of good slices is 0 or 1, and any target in (0, 1) holds exactly when the
/// slice is good. slac writes one half.
pub const ONE_SLICE_TARGET: &str = "0.5";

struct Indicator {
    ratio: Option<RatioMetric>,
    threshold: Option<MetricSource>,
    objective: Objective,
    budgeting: &'static str,
    /// The SLO's calendar window: the goal's period, or for counts the
    /// `per` bucket the contract counts (an ISO week, a local day, ...).
    window: PerUnit,
}

/// Shares and ratios: `Occurrences` with the share of good events the goal
/// requires, when that is below 1.
fn occurrences(g: &Goal, ratio: RatioMetric, target: m::Ratio) -> Option<Indicator> {
    (target.0 < 1_000_000).then(|| Indicator {
        ratio: Some(ratio),
        threshold: None,
        objective: Objective {
            display_name: g.target.to_string(),
            op: None,
            value: None,
            target: number(&target.decimal()),
            time_slice_target: None,
            time_slice_window: None,
        },
        budgeting: "Occurrences",
        window: measure::per_of(g.period),
    })
}

/// One slice per window that must meet `op value`: the slice window is the
/// SLO's window, so the objective is met exactly when the window's value is
/// (see `ONE_SLICE_TARGET`).
fn one_slice(g: &Goal, query: String, op: &'static str, value: &str, window: PerUnit) -> Indicator {
    Indicator {
        ratio: None,
        threshold: Some(prometheus(query)),
        objective: Objective {
            display_name: g.target.to_string(),
            op: Some(op),
            value: Some(number(value)),
            target: number(ONE_SLICE_TARGET),
            time_slice_target: Some(number("1")),
            time_slice_window: Some(shorthand(window)),
        },
        budgeting: "Timeslices",
        window,
    }
}

fn bound_op(bound: Bound) -> &'static str {
    match bound {
        Bound::AtLeast => "gte",
        Bound::AtMost => "lte",
    }
}

fn indicator(a: &Agreement, g: &Goal) -> Option<Indicator> {
    let measure = measure::measure(a, g)?;
    let period = measure::per_of(g.period);
    // A share of 100% leaves no error budget, which `Occurrences` cannot
    // express (target < 1): such goals are one slice whose SLI must be 1.
    let whole =
        |op: &'static str, value: &str| one_slice(g, measure.sli.clone(), op, value, period);
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
            occurrences(g, metric, *ratio).unwrap_or_else(|| whole("gte", "1"))
        }
        Target::Ratio { bound, ratio } => {
            let filters = series::filters(a, g);
            let (num, den) = series::ratio_series(&g.metric, g.by.as_deref())?;
            let num = sum(&crate::emit::promql::Selector::new(num, filters.clone()));
            let total = sum(&crate::emit::promql::Selector::new(den, filters));
            let (good, bad, target) = match bound {
                // good / total >= r
                Bound::AtLeast => (Some(num), None, *ratio),
                // num / total <= r, that is (total - num) / total >= 1 - r
                Bound::AtMost => (
                    None,
                    Some(num),
                    m::Ratio(1_000_000 - ratio.0.min(1_000_000)),
                ),
            };
            let metric = RatioMetric {
                counter: true,
                good,
                bad,
                total,
            };
            occurrences(g, metric, target)
                .unwrap_or_else(|| whole(bound_op(*bound), &ratio.decimal()))
        }
        Target::Mean { max } => whole("lte", &max.0.to_string()),
        Target::Rate { bound, count, per } => {
            one_slice(g, measure.sli, bound_op(*bound), &count.to_string(), *per)
        }
    })
}

/// The contacts an alert of `g` reaches, as in the Alertmanager config.
fn notification_targets(a: &Agreement, g: &Goal, policy: &str) -> Vec<Inline<TargetSpec>> {
    // The tier's roles (when the goal escalates), then the owner: the tier
    // route continues to the owner's.
    let mut roles: Vec<String> = g
        .escalate
        .as_ref()
        .and_then(|t| {
            a.escalation(&t.escalation)
                .and_then(|e| e.tiers.iter().find(|x| x.id == t.tier))
        })
        .map(|t| t.notify.clone())
        .unwrap_or_default();
    roles.extend(g.owner.iter().cloned());
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
                display_name: display(&format!("{} {}", c.kind.keyword(), c.value)),
            },
            spec: TargetSpec {
                target: c.kind.keyword(),
                description: description(c.value.clone()),
            },
        });
    }
    out
}

/// Burn-rate policies for a goal with burn-rate alerts and an error budget
/// (a 100% goal has none: nothing to burn a rate of).
fn alert_policies(a: &Agreement, g: &Goal, name: &str) -> Vec<Doc<PolicySpec>> {
    let Some(measure::Measure {
        shape: Shape::Burn { budget_ppm, .. },
        ..
    }) = measure::measure(a, g)
    else {
        return Vec::new();
    };
    if budget_ppm == 0 {
        return Vec::new();
    }
    let (severity, _) = l::goal_severity(g);
    burn::PAIRS
        .iter()
        .map(|pair| {
            let policy = dns_label(&[name, &pair.what.to_lowercase(), "burn"]);
            let rate = burn_rate(budget_ppm, pair.factor_tenths);
            Doc {
                api_version: API_VERSION,
                kind: "AlertPolicy",
                metadata: Metadata {
                    name: policy.clone(),
                    display_name: display(&format!(
                        "{}: {} burn",
                        g.title,
                        pair.what.to_lowercase()
                    )),
                },
                spec: PolicySpec {
                    description: description(format!(
                        "{}: error budget of {} burning {rate}x over {} (and {}); {}",
                        g.title,
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
                            display_name: display(&format!("burn rate above {rate}")),
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
    let units = burn::burn_units(budget_ppm, factor_tenths) as u128;
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
            display_name: display(&a.title),
        },
        spec: ServiceSpec {
            description: description(match &a.description {
                Some(d) => format!("{}. {d}", a.title),
                None => a.title.clone(),
            }),
        },
    })];
    // A goal with segments is one SLI and SLO per part (`plan::segments`).
    let parts = a.goals.iter().flat_map(segments::parts);
    for part in parts {
        let g = &part.goal;
        let Some(ind) = indicator(a, g) else { continue };
        let (name, title) = match &part.label {
            Some(label) => (
                dns_label(&[&a.name, &g.id, label]),
                format!("{}, segment {label}", g.title),
            ),
            None => (dns_label(&[&a.name, &g.id]), g.title.clone()),
        };
        let g = &m::Goal { title, ..g.clone() };
        let what = format!("{} ({}), {}", g.title, g.target, clock_text(&g.clock));
        docs.push(to_yaml(&Doc {
            api_version: API_VERSION,
            kind: "SLI",
            metadata: Metadata {
                name: name.clone(),
                display_name: display(&g.title),
            },
            spec: SliSpec {
                description: description(format!(
                    "{}: {} of goal {}",
                    g.title, g.metric.title, g.id
                )),
                ratio_metric: ind.ratio,
                threshold_metric: ind.threshold,
            },
        }));
        let policies = alert_policies(a, g, &name);
        let start = window_start(ind.window, a.term.start);
        docs.push(to_yaml(&Doc {
            api_version: API_VERSION,
            kind: "SLO",
            metadata: Metadata {
                name: name.clone(),
                display_name: display(&g.title),
            },
            spec: SloSpec {
                description: description(match &g.description {
                    Some(d) => format!("{what}. {d}"),
                    None => what,
                }),
                service: service.clone(),
                indicator_ref: name.clone(),
                time_window: vec![TimeWindow {
                    duration: shorthand(ind.window),
                    is_rolling: false,
                    calendar: CalendarWindow {
                        start_time: format!("{start} 00:00:00"),
                        time_zone: a.timezone.name().to_string(),
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
            window_start(PerUnit::Month, d("2026-03-15")),
            d("2026-03-01")
        );
        assert_eq!(
            window_start(PerUnit::Week, d("2026-06-01")),
            d("2026-06-01")
        );
        assert_eq!(
            window_start(PerUnit::Week, d("2026-06-03")),
            d("2026-06-01")
        );
        assert_eq!(
            window_start(PerUnit::Quarter, d("2026-05-20")),
            d("2026-04-01")
        );
        assert_eq!(
            window_start(PerUnit::Year, d("2026-05-20")),
            d("2026-01-01")
        );
    }

    #[test]
    fn display_names_fit_in_63_characters() {
        assert_eq!(display("Posting cadence"), "Posting cadence");
        let exact = "x".repeat(63);
        assert_eq!(display(&exact), exact);
        let long = "Answer every customer on social media quickly, in the brand voice, always";
        let shown = display(long);
        assert_eq!(
            shown,
            "Answer every customer on social media quickly, in the brand…"
        );
        assert!(shown.chars().count() <= 63);
        // One long word: cut mid-word; multi-byte characters count as one.
        let umlauts = "ä".repeat(100);
        assert_eq!(display(&umlauts).chars().count(), 63);
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
