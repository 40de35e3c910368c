//! The generated promtool unit tests (`NAME.prometheus-test.yaml`): for every
//! goal, approval step and escalation tier, one test group with data that
//! breaches it and one with data that meets it.
//!
//! promtool starts every test at 1970-01-01, long before the agreement's
//! term, so business hours are driven by the clock override series
//! (`slac_clock_override`): open for the first 45 minutes, closed after.
//! Breach data must fire every alert of the subject inside business hours
//! (at 40m) and none outside (at 50m); data that meets the goal fires
//! nothing at either time. An hour of data at one sample a minute keeps
//! promtool fast (it needs milliseconds per evaluation step). The clock's behaviour over the real term is proven
//! separately (see `clock_proof` and docs/targets.md).

use super::clock::OVERRIDE_SERIES;
use super::watch::{Input, Subject, SAMPLES};
use super::{rules_file_name, Alert, Compiled};
use crate::emit::labels as l;
use crate::emit::{header, promql, to_yaml};
use crate::model::Agreement;
use serde::Serialize;
use std::collections::BTreeMap;

/// The clock override is open for the first 45 minutes, closed after. At
/// 40m every alert has outlived its `for` (at most 30m).
const OPEN_MINUTES: u32 = 45;
const INSIDE: &str = "40m";
const OUTSIDE: &str = "50m";

#[derive(Serialize)]
struct TestFile {
    rule_files: Vec<String>,
    evaluation_interval: &'static str,
    tests: Vec<TestGroup>,
}

#[derive(Serialize)]
struct TestGroup {
    name: String,
    interval: &'static str,
    input_series: Vec<SeriesOut>,
    alert_rule_test: Vec<AlertTest>,
}

#[derive(Serialize)]
struct SeriesOut {
    series: String,
    values: String,
}

#[derive(Serialize)]
struct AlertTest {
    eval_time: &'static str,
    alertname: String,
    exp_alerts: Vec<ExpAlert>,
}

#[derive(Serialize)]
struct ExpAlert {
    exp_labels: BTreeMap<String, String>,
    exp_annotations: BTreeMap<String, String>,
}

pub fn emit(a: &Agreement, c: &Compiled, source: &str) -> String {
    let mut tests = Vec::new();
    for s in &c.watched.subjects {
        tests.push(group(a, c, s, true));
        tests.push(group(a, c, s, false));
    }
    if !c.clocks.is_empty() {
        tests.push(TestGroup {
            name: "clock horizons: not reached".into(),
            interval: "1m",
            input_series: Vec::new(),
            alert_rule_test: vec![AlertTest {
                eval_time: INSIDE,
                alertname: l::HORIZON_ALERT.into(),
                exp_alerts: Vec::new(),
            }],
        });
    }
    let file = TestFile {
        rule_files: vec![rules_file_name(a)],
        evaluation_interval: "1m",
        tests,
    };
    format!(
        "{}# promtool unit tests of {}: `promtool test rules {}`.\n{}",
        header(source),
        rules_file_name(a),
        super::tests_file_name(a),
        to_yaml(&file)
    )
}

fn input(i: &Input) -> SeriesOut {
    SeriesOut {
        series: i.series.clone(),
        values: i.values.clone(),
    }
}

fn group(a: &Agreement, c: &Compiled, s: &Subject, breached: bool) -> TestGroup {
    let mut input_series: Vec<SeriesOut> = if breached { &s.breach } else { &s.met }
        .iter()
        .map(input)
        .collect();
    if let Some(cal) = &s.calendar {
        let half = OPEN_MINUTES;
        input_series.push(SeriesOut {
            series: promql::series(
                OVERRIDE_SERIES,
                &[
                    (l::AGREEMENT.into(), a.name.clone()),
                    (l::CALENDAR.into(), cal.clone()),
                ],
            ),
            values: format!("1x{half} 0x{}", SAMPLES - half - 1),
        });
    }
    let alerts: Vec<&Alert> = s.alerts.iter().filter_map(|i| c.alerts.get(*i)).collect();
    let mut alert_rule_test = Vec::new();
    let expected = |al: &Alert| {
        let mut exp_labels = al.labels.clone();
        exp_labels.extend(s.carried.clone());
        vec![ExpAlert {
            exp_labels,
            exp_annotations: al.annotations.clone(),
        }]
    };
    for al in &alerts {
        let firing = || expected(al);
        alert_rule_test.push(AlertTest {
            eval_time: INSIDE,
            alertname: al.name.clone(),
            exp_alerts: if breached { firing() } else { Vec::new() },
        });
    }
    for al in &alerts {
        let (outside_fires, checked) = match &s.calendar {
            Some(_) => (false, true),
            None => (breached, !breached),
        };
        if checked {
            alert_rule_test.push(AlertTest {
                eval_time: OUTSIDE,
                alertname: al.name.clone(),
                exp_alerts: if outside_fires {
                    expected(al)
                } else {
                    Vec::new()
                },
            });
        }
    }
    let when = match (&s.calendar, breached) {
        (Some(cal), true) => format!("breached: fires while {cal} is open, silent when closed"),
        (Some(_), false) => "met: silent in and out of business hours".to_string(),
        (None, true) => "breached: fires".to_string(),
        (None, false) => "met: silent".to_string(),
    };
    TestGroup {
        name: format!("{}: {when}", s.name),
        interval: "1m",
        input_series,
        alert_rule_test,
    }
}
