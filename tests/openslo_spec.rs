//! The OpenSLO v1 constraints, checked on every OpenSLO document slac
//! generates for every example, corpus agreement and promtool fixture, and
//! for agreements written here to reach the edges (targets of 100%, titles
//! longer than a display name may be, counts per week in a month that
//! starts on a Thursday).
//!
//! The rules are those of the OpenSLO specification and of its official
//! validator, the Go SDK (`go-sdk`, package `pkg/openslo/v1`):
//! - `metadata.name` is an RFC 1123 label; `metadata.displayName` has at
//!   most 63 characters (inline conditions and notification targets too);
//!   descriptions at most 1050;
//! - no field the SDK does not know (it decodes strictly);
//! - `objectives[].target` in [0, 1); `timeSliceTarget` in (0, 1] and
//!   `timeSliceWindow` set for `Timeslices`; durations `[0-9]+[mhdwMQY]`;
//! - one `timeWindow`, calendar-aligned (`isRolling: false` with a
//!   `calendar` of `startTime` `YYYY-MM-DD hh:mm:ss` and a tzdb `timeZone`);
//! - every reference (`service`, `indicatorRef`, `alertPolicyRef`) resolves
//!   to a document of the stream, and every `AlertPolicy` is used.
//!
//! slac's own choices are checked as well: each `Timeslices` objective has
//! one slice per window (see docs/targets.md), weekly windows start on a
//! Monday (ISO weeks), and every query reads the series contract's
//! `agreement` (and, for histograms, `clock`) label.

mod common;

use chrono::{Datelike, NaiveDateTime, Weekday};
use serde::Deserialize;
use serde_yaml::{Mapping, Value};
use slac::emit::{emit, Target};
use slac::model::Model;

/// Agreements at the edges of what OpenSLO can say.
const EDGES: &str = r#"
agreement edge_cases "An agreement whose title goes on and on, well beyond the sixty-three characters OpenSLO allows" {
  client c "C"
  provider p "P"
  effective 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  role owner_with_a_rather_long_name of p { email "a-very-long-mailbox-name-for-notifications@example.org" }

  goal every_reply "Every single reply within one hour, with no exceptions whatsoever" {
    metric response_time
    target 100% within 1h
    owner owner_with_a_rather_long_name
  }
  goal all_answered "All answered" {
    metric response_rate
    target >= 100%
  }
  goal cadence "Cadence" {
    metric posts
    target >= 3 per week
  }
  goal mean_reply "Mean reply" {
    metric response_time
    target mean <= 30m
  }
}
"#;

fn models() -> Vec<(String, Model)> {
    let mut out: Vec<(String, Model)> = common::agreement_files()
        .into_iter()
        .map(|p| {
            let m = common::model(&p);
            (p, m)
        })
        .collect();
    let edges = common::check_text("edge_cases.sla", EDGES);
    assert_eq!(edges.errors(), 0, "{}", edges.rendered());
    out.push(("edge_cases.sla".into(), edges.model));
    out
}

fn documents(model: &Model) -> Vec<(String, Vec<Value>)> {
    emit(model, Target::OpenSlo)
        .into_iter()
        .map(|out| {
            let docs = serde_yaml::Deserializer::from_str(&out.contents)
                .map(|d| Value::deserialize(d).expect("valid YAML"))
                .collect();
            (out.file_name, docs)
        })
        .collect()
}

#[test]
fn every_openslo_document_meets_the_v1_constraints() {
    let mut slos = 0;
    for (path, model) in models() {
        for (file, docs) in documents(&model) {
            let names = Names::of(&docs);
            for d in &docs {
                let ctx = format!("{path}: {file}: {:?}", d["metadata"]["name"]);
                document(d, &names, &ctx);
                slos += usize::from(d["kind"] == "SLO");
            }
            names.every_policy_used(&docs, &file);
        }
    }
    assert!(slos >= 20, "only {slos} SLOs checked");
}

/// The edge cases come out as the docs say: a 100% share is one slice whose
/// SLI must be 1, a count per week is judged per ISO week, a long title is
/// cut in the display name and kept whole in the description.
#[test]
fn edges_are_expressed_within_the_spec() {
    let model = common::check_text("edge_cases.sla", EDGES).model;
    let (_, docs) = documents(&model).remove(0);
    let slo = |name: &str| {
        docs.iter()
            .find(|d| d["kind"] == "SLO" && d["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("no SLO {name}"))
    };
    let every = slo("edge-cases-every-reply");
    assert_eq!(every["spec"]["budgetingMethod"], "Timeslices");
    assert_eq!(every["spec"]["objectives"][0]["op"], "gte");
    assert_eq!(every["spec"]["objectives"][0]["value"].as_f64(), Some(1.0));
    let all = slo("edge-cases-all-answered");
    assert_eq!(all["spec"]["budgetingMethod"], "Timeslices");
    let cadence = slo("edge-cases-cadence");
    let window = &cadence["spec"]["timeWindow"][0];
    assert_eq!(window["duration"], "1w");
    // 2026-01-01 is a Thursday: the weeks are anchored on the Monday before.
    assert_eq!(window["calendar"]["startTime"], "2025-12-29 00:00:00");
    assert_eq!(cadence["spec"]["objectives"][0]["timeSliceWindow"], "1w");
    let service = docs
        .iter()
        .find(|d| d["kind"] == "Service")
        .expect("service");
    let shown = service["metadata"]["displayName"].as_str().expect("name");
    assert!(
        shown.ends_with('…') && shown.chars().count() <= 63,
        "{shown}"
    );
    let description = service["spec"]["description"]
        .as_str()
        .expect("description");
    assert!(description.contains("well beyond the sixty-three characters OpenSLO allows"));
}

/// Names of the stream's documents, by kind.
struct Names {
    services: Vec<String>,
    slis: Vec<String>,
    policies: Vec<String>,
}

impl Names {
    fn of(docs: &[Value]) -> Names {
        let names = |kind: &str| -> Vec<String> {
            let out: Vec<String> = docs
                .iter()
                .filter(|d| d["kind"] == kind)
                .map(|d| d["metadata"]["name"].as_str().expect("name").to_string())
                .collect();
            let mut unique = out.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), out.len(), "duplicate {kind} names: {out:?}");
            out
        };
        Names {
            services: names("Service"),
            slis: names("SLI"),
            policies: names("AlertPolicy"),
        }
    }

    fn every_policy_used(&self, docs: &[Value], file: &str) {
        for p in &self.policies {
            let used = docs.iter().any(|d| {
                d["spec"]["alertPolicies"]
                    .as_sequence()
                    .into_iter()
                    .flatten()
                    .any(|r| r["alertPolicyRef"] == p.as_str())
            });
            assert!(used, "{file}: AlertPolicy {p} is not used by any SLO");
        }
    }
}

fn document(d: &Value, names: &Names, ctx: &str) {
    assert_eq!(d["apiVersion"], "openslo/v1", "{ctx}");
    only_keys(d, &["apiVersion", "kind", "metadata", "spec"], ctx);
    metadata(&d["metadata"], ctx);
    let spec = &d["spec"];
    if let Some(desc) = spec["description"].as_str() {
        assert!(desc.chars().count() <= 1050, "{ctx}: description too long");
    }
    match d["kind"].as_str().expect("kind") {
        "Service" => only_keys(spec, &["description"], ctx),
        "SLI" => sli(spec, ctx),
        "SLO" => slo(spec, names, ctx),
        "AlertPolicy" => policy(spec, ctx),
        other => panic!("{ctx}: unexpected kind {other}"),
    }
}

fn is_dns_label(s: &str) -> bool {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && edge(s.chars().next())
        && edge(s.chars().last())
}

fn is_duration_shorthand(v: &Value) -> bool {
    let s = v.as_str().unwrap_or("");
    let unit = s.chars().last().unwrap_or(' ');
    let digits = &s[..s.len().saturating_sub(1)];
    "mhdwMQY".contains(unit) && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

fn only_keys(v: &Value, allowed: &[&str], ctx: &str) {
    let map: &Mapping = v.as_mapping().unwrap_or_else(|| panic!("{ctx}: not a map"));
    for k in map.keys() {
        let k = k.as_str().expect("string key");
        assert!(allowed.contains(&k), "{ctx}: unknown field `{k}`");
    }
}

fn metadata(m: &Value, ctx: &str) {
    only_keys(m, &["name", "displayName", "labels", "annotations"], ctx);
    let name = m["name"].as_str().expect("metadata.name");
    assert!(
        is_dns_label(name),
        "{ctx}: name {name} is not an RFC 1123 label"
    );
    if let Some(shown) = m["displayName"].as_str() {
        assert!(
            shown.chars().count() <= 63,
            "{ctx}: displayName {shown:?} is longer than 63 characters"
        );
    }
}

fn query(source: &Value, ctx: &str) -> String {
    only_keys(source, &["metricSource"], ctx);
    let ms = &source["metricSource"];
    only_keys(ms, &["metricSourceRef", "type", "spec"], ctx);
    let q = ms["spec"]["query"].as_str().expect("query").to_string();
    assert!(
        q.contains("agreement="),
        "{ctx}: query without agreement: {q}"
    );
    let histogram = ["_bucket{", "_count{", "_sum{"]
        .iter()
        .any(|s| q.contains(s));
    assert!(
        !histogram || q.contains("clock="),
        "{ctx}: histogram without clock: {q}"
    );
    q
}

fn sli(spec: &Value, ctx: &str) {
    only_keys(
        spec,
        &["description", "thresholdMetric", "ratioMetric"],
        ctx,
    );
    let (ratio, threshold) = (&spec["ratioMetric"], &spec["thresholdMetric"]);
    assert!(
        ratio.is_mapping() != threshold.is_mapping(),
        "{ctx}: one metric"
    );
    if threshold.is_mapping() {
        query(threshold, ctx);
        return;
    }
    only_keys(
        ratio,
        &["counter", "good", "bad", "total", "rawType", "raw"],
        ctx,
    );
    assert!(
        ratio["good"].is_mapping() != ratio["bad"].is_mapping(),
        "{ctx}"
    );
    for part in ["good", "bad", "total"] {
        if ratio[part].is_mapping() {
            query(&ratio[part], ctx);
        }
    }
    assert!(ratio["total"].is_mapping(), "{ctx}: no total");
}

fn slo(spec: &Value, names: &Names, ctx: &str) {
    let keys = [
        "description",
        "service",
        "indicator",
        "indicatorRef",
        "budgetingMethod",
        "timeWindow",
        "objectives",
        "alertPolicies",
    ];
    only_keys(spec, &keys, ctx);
    let service = spec["service"].as_str().expect("service");
    assert!(
        names.services.iter().any(|s| s == service),
        "{ctx}: {service}"
    );
    let sli = spec["indicatorRef"].as_str().expect("indicatorRef");
    assert!(names.slis.iter().any(|s| s == sli), "{ctx}: {sli}");
    for p in spec["alertPolicies"].as_sequence().into_iter().flatten() {
        only_keys(p, &["alertPolicyRef"], ctx);
        let name = p["alertPolicyRef"].as_str().expect("alertPolicyRef");
        assert!(names.policies.iter().any(|x| x == name), "{ctx}: {name}");
    }
    let windows = spec["timeWindow"].as_sequence().expect("timeWindow");
    assert_eq!(windows.len(), 1, "{ctx}: one time window");
    let window = &windows[0];
    time_window(window, ctx);
    let objectives = spec["objectives"].as_sequence().expect("objectives");
    assert_eq!(objectives.len(), 1, "{ctx}: one objective");
    let method = spec["budgetingMethod"].as_str().expect("budgetingMethod");
    objective(&objectives[0], method, &window["duration"], ctx);
}

fn time_window(w: &Value, ctx: &str) {
    only_keys(w, &["duration", "isRolling", "calendar"], ctx);
    assert!(
        is_duration_shorthand(&w["duration"]),
        "{ctx}: {:?}",
        w["duration"]
    );
    assert_eq!(w["isRolling"], false, "{ctx}: calendar-aligned");
    let cal = &w["calendar"];
    only_keys(cal, &["startTime", "timeZone"], ctx);
    let tz = cal["timeZone"].as_str().expect("timeZone");
    assert!(tz.parse::<chrono_tz::Tz>().is_ok(), "{ctx}: {tz}");
    let start = cal["startTime"].as_str().expect("startTime");
    let start = NaiveDateTime::parse_from_str(start, "%Y-%m-%d %H:%M:%S")
        .unwrap_or_else(|e| panic!("{ctx}: startTime {start}: {e}"));
    // Windows start at their calendar boundary: ISO weeks on a Monday,
    // months on the 1st.
    match w["duration"].as_str().expect("duration") {
        "1w" => assert_eq!(start.weekday(), Weekday::Mon, "{ctx}: week not ISO"),
        "1M" | "1Q" | "1Y" => assert_eq!(start.day(), 1, "{ctx}"),
        _ => {}
    }
}

fn objective(o: &Value, method: &str, window: &Value, ctx: &str) {
    let keys = [
        "displayName",
        "op",
        "value",
        "target",
        "targetPercent",
        "timeSliceTarget",
        "timeSliceWindow",
        "indicator",
        "indicatorRef",
        "compositeWeight",
    ];
    only_keys(o, &keys, ctx);
    let target = o["target"].as_f64().expect("target");
    assert!(
        (0.0..1.0).contains(&target),
        "{ctx}: target {target} not in [0, 1)"
    );
    match method {
        "Occurrences" => assert!(o["op"].is_null() && o["value"].is_null(), "{ctx}"),
        "Timeslices" => {
            assert!(["gt", "lt", "gte", "lte"].contains(&o["op"].as_str().unwrap_or("")));
            assert!(o["value"].is_number(), "{ctx}");
            let slice = o["timeSliceTarget"].as_f64().expect("timeSliceTarget");
            assert!(
                slice > 0.0 && slice <= 1.0,
                "{ctx}: timeSliceTarget {slice}"
            );
            assert!(is_duration_shorthand(&o["timeSliceWindow"]), "{ctx}");
            // One slice per window: the objective holds exactly when it does.
            assert_eq!(&o["timeSliceWindow"], window, "{ctx}: one slice per window");
        }
        other => panic!("{ctx}: budgetingMethod {other}"),
    }
}

fn policy(spec: &Value, ctx: &str) {
    let keys = [
        "description",
        "alertWhenNoData",
        "alertWhenBreaching",
        "alertWhenResolved",
        "conditions",
        "notificationTargets",
    ];
    only_keys(spec, &keys, ctx);
    let conditions = spec["conditions"].as_sequence().expect("conditions");
    assert_eq!(conditions.len(), 1, "{ctx}: exactly one condition");
    let c = &conditions[0];
    only_keys(c, &["kind", "metadata", "spec"], ctx);
    assert_eq!(c["kind"], "AlertCondition", "{ctx}");
    metadata(&c["metadata"], ctx);
    only_keys(&c["spec"], &["description", "severity", "condition"], ctx);
    assert!(c["spec"]["severity"].is_string(), "{ctx}");
    let cond = &c["spec"]["condition"];
    only_keys(
        cond,
        &["kind", "op", "threshold", "lookbackWindow", "alertAfter"],
        ctx,
    );
    assert_eq!(cond["kind"], "burnrate", "{ctx}");
    assert!(
        cond["threshold"].as_f64().expect("threshold") > 1.0,
        "{ctx}"
    );
    assert!(is_duration_shorthand(&cond["lookbackWindow"]), "{ctx}");
    assert!(is_duration_shorthand(&cond["alertAfter"]), "{ctx}");
    for t in spec["notificationTargets"].as_sequence().expect("targets") {
        only_keys(t, &["kind", "metadata", "spec"], ctx);
        assert_eq!(t["kind"], "AlertNotificationTarget", "{ctx}");
        metadata(&t["metadata"], ctx);
        only_keys(&t["spec"], &["description", "target"], ctx);
    }
}
