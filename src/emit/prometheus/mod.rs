//! The `prometheus` target: Prometheus 2.x rule groups (`NAME.prometheus.yaml`)
//! and promtool unit tests that prove them (`NAME.prometheus-test.yaml`).
//!
//! Two rule groups per agreement:
//!
//! - `slac:NAME`, at the server's evaluation interval, in order: the
//!   business-hours clocks (`slac:clock_open`), the burn-rate and mean
//!   recordings over short windows, then the alerts that read them, so an
//!   alert always sees the clock and recordings of the same evaluation;
//! - `slac:NAME:sli`, every 5 minutes: the long-window SLIs
//!   (`slac:goal_sli` over a goal's period, up to a year of data) and the
//!   threshold alerts that read them, placed after them in the same group.
//!   Those alerts also read the clock of the first group: its latest sample,
//!   at most one evaluation interval old.
//!
//! Only Prometheus 2.42 syntax is used (no `query_offset`, no
//! `keep_firing_for`).

pub mod clock;
pub mod clock_proof;
mod promtool_tests;
mod warn;
pub mod watch;

use super::{header, promql, to_yaml};
use crate::emit::labels as l;
use crate::model::Agreement;
use chrono::{Duration, NaiveDate};
use clock::{ClockPlan, CLOCK_SERIES};
use serde::Serialize;
use std::collections::BTreeMap;
use watch::Watched;

/// The rule group a rule belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleGroup {
    /// `slac:NAME`: clocks, short-window recordings and their alerts.
    Main,
    /// `slac:NAME:sli`: the long-window SLIs and the alerts that read them.
    Sli,
}

/// How often the SLI group is evaluated: its windows span days to a year,
/// so a fresher value changes nothing but the cost.
pub const SLI_INTERVAL: &str = "5m";

/// A recording rule.
#[derive(Clone, Debug)]
pub struct Record {
    pub record: String,
    pub expr: String,
    pub labels: BTreeMap<String, String>,
    pub group: RuleGroup,
}

/// An alerting rule; labels and annotations are the text as it must read
/// once Prometheus has expanded it (escaped when written).
#[derive(Clone, Debug)]
pub struct Alert {
    pub group: RuleGroup,
    pub name: String,
    pub expr: String,
    pub for_seconds: u64,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
}

/// Everything compiled for one agreement.
pub struct Compiled {
    /// Each calendar a clock of the agreement uses, by clock name.
    pub clocks: Vec<(String, ClockPlan)>,
    pub records: Vec<Record>,
    pub alerts: Vec<Alert>,
    pub watched: Watched,
}

/// The local dates a calendar is planned over: the agreement's term and a
/// day either side (events near the edges, time zones apart).
pub fn plan_range(a: &Agreement) -> (NaiveDate, NaiveDate) {
    (
        a.term.start - Duration::days(1),
        a.term.end + Duration::days(1),
    )
}

/// The suffixes of the two files: the rules and their promtool tests.
pub const SUFFIXES: [&str; 2] = [".prometheus.yaml", ".prometheus-test.yaml"];

pub fn rules_file_name(a: &Agreement) -> String {
    format!("{}{}", a.name, SUFFIXES[0])
}

pub fn tests_file_name(a: &Agreement) -> String {
    format!("{}{}", a.name, SUFFIXES[1])
}

pub fn group_name(a: &Agreement, group: RuleGroup) -> String {
    match group {
        RuleGroup::Main => format!("slac:{}", a.name),
        RuleGroup::Sli => format!("slac:{}:sli", a.name),
    }
}

pub fn compile(a: &Agreement) -> Compiled {
    let (from, to) = plan_range(a);
    let clocks: Vec<(String, ClockPlan)> = a
        .calendars
        .iter()
        .map(|(name, cal)| (name.clone(), ClockPlan::new(cal, from, to)))
        .collect();
    let mut records: Vec<Record> = clocks
        .iter()
        .map(|(name, plan)| Record {
            record: CLOCK_SERIES.into(),
            expr: plan.expr(&a.name, name),
            labels: BTreeMap::from([
                (l::AGREEMENT.to_string(), a.name.clone()),
                (l::CALENDAR.to_string(), name.clone()),
            ]),
            group: RuleGroup::Main,
        })
        .collect();
    let watched = watch::watch(a);
    records.extend(watched.records.iter().cloned());
    let mut alerts = watched.alerts.clone();
    alerts.extend(
        clocks
            .iter()
            .map(|(name, plan)| horizon_alert(a, name, plan)),
    );
    Compiled {
        clocks,
        records,
        alerts,
        watched,
    }
}

/// Fires once time passes the last planned day of a clock: its business
/// hours are unknown from then on, so its alerts could not page.
fn horizon_alert(a: &Agreement, name: &str, plan: &ClockPlan) -> Alert {
    Alert {
        group: RuleGroup::Main,
        name: l::HORIZON_ALERT.into(),
        expr: horizon_expr(plan),
        for_seconds: 0,
        labels: BTreeMap::from([
            (l::AGREEMENT.to_string(), a.name.clone()),
            (l::CALENDAR.to_string(), name.to_string()),
            (l::SEVERITY.to_string(), l::WARNING.to_string()),
        ]),
        annotations: BTreeMap::from([(
            "summary".to_string(),
            format!(
                "The business hours of {name} ({}) are compiled for {} to {} only: rebuild the rules of {} with `slac build`",
                plan.timezone, plan.from, plan.to, a.name
            ),
        )]),
    }
}

pub fn horizon_expr(plan: &ClockPlan) -> String {
    format!("vector(time()) >= {}", plan.horizon.1)
}

#[derive(Serialize)]
struct RuleFile {
    groups: Vec<Group>,
}

#[derive(Serialize)]
struct Group {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    interval: Option<&'static str>,
    rules: Vec<RuleOut>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum RuleOut {
    Record {
        record: String,
        expr: String,
        labels: BTreeMap<String, String>,
    },
    Alert {
        alert: String,
        expr: String,
        #[serde(rename = "for", skip_serializing_if = "Option::is_none")]
        for_: Option<String>,
        labels: BTreeMap<String, String>,
        annotations: BTreeMap<String, String>,
    },
}

fn templated(map: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    map.iter()
        .map(|(k, v)| (promql::label_name(k), promql::template_text(v)))
        .collect()
}

/// `NAME.prometheus.yaml`.
pub fn emit_rules(a: &Agreement, source: &str) -> String {
    rules_text(a, &compile(a), source)
}

/// `NAME.prometheus.yaml` and `NAME.prometheus-test.yaml` from one
/// compilation (compiling is most of the work, see BENCHMARKS.md).
pub fn emit_both(a: &Agreement, source: &str) -> (String, String) {
    let c = compile(a);
    (
        rules_text(a, &c, source),
        promtool_tests::emit(a, &c, source),
    )
}

fn rules_text(a: &Agreement, c: &Compiled, source: &str) -> String {
    let groups = [
        (RuleGroup::Main, None),
        (RuleGroup::Sli, Some(SLI_INTERVAL)),
    ]
    .into_iter()
    .map(|(group, interval)| Group {
        name: group_name(a, group),
        interval,
        rules: group_rules(c, group),
    })
    .filter(|g| !g.rules.is_empty())
    .collect();
    format!(
        "{}# Prometheus 2.x rules of agreement `{}`: load with `rule_files` or a Thanos/Mimir ruler.\n{}",
        header(source),
        a.name,
        to_yaml(&RuleFile { groups })
    )
}

/// The rules of one group: its recording rules, then its alerts.
fn group_rules(c: &Compiled, group: RuleGroup) -> Vec<RuleOut> {
    let records = c.records.iter().filter(|r| r.group == group);
    let alerts = c.alerts.iter().filter(|al| al.group == group);
    records
        .map(|r| RuleOut::Record {
            record: r.record.clone(),
            expr: r.expr.clone(),
            labels: r.labels.clone(),
        })
        .chain(alerts.map(|al| RuleOut::Alert {
            alert: al.name.clone(),
            expr: al.expr.clone(),
            for_: (al.for_seconds > 0).then(|| promql::duration(al.for_seconds)),
            labels: templated(&al.labels),
            annotations: templated(&al.annotations),
        }))
        .collect()
}
