//! A promtool test file that proves the rendered clock expressions of an
//! agreement over its real term: the expression of every calendar is
//! evaluated at every opening and closing instant (and the second before
//! each), at every offset-span and closed-day boundary and at the horizon,
//! and must agree with `crate::clock`, the business-time implementation the
//! report uses.
//!
//! promtool runs rules from 1970 onwards, but a `promql_expr_test` can query
//! any instant; with no rules to evaluate and a weekly evaluation interval,
//! reaching the term costs a few thousand empty steps. Each expression is
//! written once, as a YAML anchor, and referenced by every test case.

use super::clock::ClockPlan;
use super::{horizon_expr, plan_range};
use crate::clock::BusinessTime;
use crate::emit::header;
use crate::model::Agreement;
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::fmt::Write;

/// One instant to check and the value `slac:clock_open` must have.
pub struct Check {
    pub at: i64,
    pub open: bool,
}

/// The instants worth checking for a plan, with the reference answer from
/// `crate::clock` (closed outside the horizon). promtool cannot evaluate
/// before 1970, so earlier instants are left out.
pub fn checks(plan: &ClockPlan, reference: &BusinessTime) -> Vec<Check> {
    let mut at: Vec<i64> = Vec::new();
    let mut edges = |t: i64| at.extend([t - 1, t]);
    for i in reference.intervals() {
        edges(i.start.timestamp());
        edges(i.end.timestamp());
    }
    for s in &plan.spans {
        edges(s.start);
        edges(s.end);
    }
    for c in &plan.closed {
        edges(c.start);
        edges(c.end);
    }
    for (a, b) in plan.exact.iter().flat_map(|e| &e.intervals) {
        edges(*a);
        edges(*b);
    }
    edges(plan.horizon.0);
    edges(plan.horizon.1);
    at.sort_unstable();
    at.dedup();
    let (h0, h1) = plan.horizon;
    at.into_iter()
        .filter(|t| *t >= 0)
        .map(|t| {
            let open = t >= h0 && t < h1 && {
                let s = utc(t);
                reference.between(s, s + Duration::seconds(1)) == crate::clock::Micros::from_secs(1)
            };
            Check { at: t, open }
        })
        .collect()
}

fn utc(t: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(t, 0).single().expect("in range")
}

/// The promtool test file, or `None` when the agreement uses no calendar.
pub fn emit(a: &Agreement, source: &str) -> Option<String> {
    if a.calendars.is_empty() {
        return None;
    }
    let (from, to) = plan_range(a);
    let mut out = header(source);
    let _ = writeln!(
        out,
        "# Proves the business-hours clocks of `{}` over {from} to {to} against slac's own\n\
         # business-time implementation: `promtool test rules` on this file.",
        a.name
    );
    out.push_str("rule_files: []\nevaluation_interval: 1w\ntests:\n");
    for (n, (name, cal)) in a.calendars.iter().enumerate() {
        let plan = ClockPlan::new(cal, from, to);
        let reference = BusinessTime::for_calendar(cal, from, to);
        let tz = cal.timezone;
        let _ = writeln!(
            out,
            "  - name: {}\n    interval: 1m\n    promql_expr_test:",
            yaml_string(&format!("clock {name}"))
        );
        let anchor = format!("clock{n}");
        let horizon = format!("horizon{n}");
        let checks = checks(&plan, &reference);
        for (i, c) in checks.iter().enumerate() {
            let expr = if i == 0 {
                format!("&{anchor} |-\n{}", block(&plan.expr(&a.name, name), 10))
            } else {
                format!("*{anchor}")
            };
            let local = utc(c.at)
                .with_timezone(&tz)
                .format("%a %Y-%m-%d %H:%M:%S %Z");
            let _ = writeln!(
                out,
                "      - expr: {expr}\n        eval_time: {}s # {local}\n        exp_samples: [{{labels: '{{}}', value: {}}}]",
                c.at,
                u8::from(c.open)
            );
        }
        // The horizon alert's expression: silent up to the last second, then firing.
        let end = plan.horizon.1;
        let _ = writeln!(
            out,
            "      - expr: &{horizon} {}\n        eval_time: {}s\n        exp_samples: []\n      - expr: *{horizon}\n        eval_time: {end}s\n        exp_samples: [{{labels: '{{}}', value: {end}}}]",
            yaml_string(&horizon_expr(&plan)),
            end - 1
        );
    }
    Some(out)
}

fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// `text` as the body of a YAML block scalar indented by `n`.
fn block(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.trim_end_matches('\n')
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
