//! Snapshots of the monitoring targets (prometheus, alertmanager, openslo)
//! for every example and promtool fixture, and their determinism. Review
//! changes with `cargo insta review` (or INSTA_UPDATE=always and git diff).

mod common;

use slac::emit::{emit, Target, HEADER_MARK};

const MONITORING: [Target; 3] = [Target::Prometheus, Target::Alertmanager, Target::OpenSlo];

#[test]
fn monitoring_targets_match_their_snapshots() {
    for path in common::sla_files("examples")
        .into_iter()
        .chain(common::sla_files("tests/promtool"))
    {
        let model = common::model(&path);
        for target in MONITORING {
            for out in emit(&model, target) {
                let name = out.file_name.replace('.', "_");
                insta::with_settings!({ snapshot_suffix => "", description => path.clone(), omit_expression => true }, {
                    insta::assert_snapshot!(name, out.contents);
                });
            }
        }
    }
}

#[test]
fn output_is_byte_stable_and_marked_generated() {
    for path in common::agreement_files() {
        let first = common::model(&path);
        let second = common::model(&path);
        for target in MONITORING {
            let (a, b) = (emit(&first, target), emit(&second, target));
            assert_eq!(a, b, "{path}: {target:?} differs between runs");
            for out in a {
                assert!(
                    out.contents.starts_with(HEADER_MARK),
                    "{}: no header",
                    out.file_name
                );
                assert!(
                    !out.contents.contains("0000000001"),
                    "{}: float noise",
                    out.file_name
                );
            }
        }
    }
}

/// Asserts that every `{{` in `text` opens one of the escaping actions
/// `{{"{"}}`, so no Go-template action comes from user text.
/// Every string of a YAML file as a reader sees it, escapes decoded.
fn yaml_strings(text: &str) -> String {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(m) => m.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut strings = Vec::new();
    for d in serde_yaml::Deserializer::from_str(text) {
        let v: serde_json::Value = serde::Deserialize::deserialize(d).expect("valid YAML");
        walk(&v, &mut strings);
    }
    strings.join("\n")
}

fn assert_no_template_action(what: &str, text: &str) {
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        assert!(
            rest[i..].starts_with("{{\"{\"}}"),
            "{what}: template action in {}",
            &rest[i..]
        );
        rest = &rest[i + 2..];
    }
}

#[test]
fn hostile_strings_are_escaped_everywhere() {
    let model = common::model("tests/promtool/injection.sla");
    let file = |target: Target, suffix: &str| {
        emit(&model, target)
            .into_iter()
            .find(|o| o.file_name.ends_with(suffix))
            .expect("generated")
            .contents
    };
    // Alertmanager: contacts reach Go-template fields (`to`, `channel`).
    let am = file(Target::Alertmanager, ".alertmanager.yaml");
    let am = yaml_strings(&am);
    assert_no_template_action("alertmanager", &am);
    assert!(
        am.contains("x{{\"{\"}}{{\"{\"}}.Values}}@example.org"),
        "{am}"
    );
    // A webhook with template syntax is refused by the checker (E0325).
    assert!(!am.contains("hooks.example"));

    let rules = file(Target::Prometheus, ".prometheus.yaml");
    let doc: serde_yaml::Value = serde_yaml::from_str(&rules).expect("valid YAML");
    for rule in doc["groups"][0]["rules"].as_sequence().expect("rules") {
        // Alert labels and annotations are Go templates.
        for key in ["labels", "annotations"] {
            if rule["alert"].is_string() {
                for (_, v) in rule[key].as_mapping().expect("map") {
                    assert_no_template_action("alert rule", v.as_str().expect("string"));
                }
            }
        }
        // In PromQL, the hostile series names appear only inside a quoted
        // name matcher, and the holiday name only inside a comment.
        let expr = rule["expr"].as_str().expect("expr");
        for (i, _) in expr.match_indices("or vector(1)") {
            let line = expr[..i].rsplit('\n').next().unwrap_or("");
            assert!(
                line.trim_start().starts_with('#')
                    || line.ends_with("{__name__=\"a\\\"}")
                    || line.ends_with("{__name__=\"posts\\\"} "),
                "unquoted `or vector(1)` in {expr}"
            );
        }
    }
    let rules = yaml_strings(&rules);
    assert!(rules
        .contains(r#"{__name__="a\"}or vector(1) or {{ .Values }}_bucket",le=~"3600|3600\\.0"}"#));
    assert!(rules.contains("# closed 2026-03-03 Neujahr ) or vector(1) # {{ .Values }}\n"));
}

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// OpenSLO has no validator on Debian: check the v1 structure here. Every
/// name is a DNS label, every reference resolves within the stream, each SLO
/// has one calendar-aligned window with a tzdb time zone, and the
/// objectives fit the indicator.
#[test]
fn openslo_documents_are_structurally_valid() {
    use serde::Deserialize;
    use serde_yaml::Value;
    for path in common::agreement_files() {
        let model = common::model(&path);
        for out in emit(&model, Target::OpenSlo) {
            let docs: Vec<Value> = serde_yaml::Deserializer::from_str(&out.contents)
                .map(|d| Value::deserialize(d).expect("valid YAML"))
                .collect();
            let names = |kind: &str| -> Vec<String> {
                docs.iter()
                    .filter(|d| d["kind"] == kind)
                    .map(|d| d["metadata"]["name"].as_str().expect("name").to_string())
                    .collect()
            };
            let (services, slis, policies) = (names("Service"), names("SLI"), names("AlertPolicy"));
            assert_eq!(services.len(), 1, "{}", out.file_name);
            for d in &docs {
                let ctx = format!("{}: {:?}", out.file_name, d["metadata"]["name"]);
                assert_eq!(d["apiVersion"], "openslo/v1", "{ctx}");
                assert!(
                    is_dns_label(d["metadata"]["name"].as_str().expect("name")),
                    "{ctx}"
                );
                if let Some(desc) = d["spec"]["description"].as_str() {
                    assert!(desc.chars().count() <= 1050, "{ctx}");
                }
                match d["kind"].as_str().expect("kind") {
                    "Service" => {}
                    "SLI" => {
                        let spec = &d["spec"];
                        assert!(
                            spec["ratioMetric"].is_mapping()
                                != spec["thresholdMetric"].is_mapping(),
                            "{ctx}"
                        );
                        if spec["ratioMetric"].is_mapping() {
                            let r = &spec["ratioMetric"];
                            assert!(r["good"].is_mapping() != r["bad"].is_mapping(), "{ctx}");
                            assert!(
                                r["total"]["metricSource"]["spec"]["query"].is_string(),
                                "{ctx}"
                            );
                        }
                    }
                    "SLO" => {
                        let spec = &d["spec"];
                        assert!(
                            services.iter().any(|s| spec["service"] == s.as_str()),
                            "{ctx}"
                        );
                        let sli = spec["indicatorRef"].as_str().expect("indicatorRef");
                        assert!(slis.iter().any(|s| s == sli), "{ctx}");
                        let window = spec["timeWindow"].as_sequence().expect("timeWindow");
                        assert_eq!(window.len(), 1, "{ctx}");
                        assert_eq!(window[0]["isRolling"], false, "{ctx}");
                        let tz = window[0]["calendar"]["timeZone"]
                            .as_str()
                            .expect("timeZone");
                        assert!(tz.parse::<chrono_tz::Tz>().is_ok(), "{ctx}: {tz}");
                        let start = window[0]["calendar"]["startTime"]
                            .as_str()
                            .expect("startTime");
                        assert!(
                            chrono::NaiveDateTime::parse_from_str(start, "%Y-%m-%d %H:%M:%S")
                                .is_ok(),
                            "{ctx}"
                        );
                        let method = spec["budgetingMethod"].as_str().expect("budgetingMethod");
                        let objectives = spec["objectives"].as_sequence().expect("objectives");
                        assert_eq!(objectives.len(), 1, "{ctx}");
                        let o = &objectives[0];
                        let target = o["target"].as_f64().expect("target");
                        assert!(target > 0.0 && target <= 1.0, "{ctx}");
                        match method {
                            "Occurrences" => {
                                assert!(o["op"].is_null() && o["value"].is_null(), "{ctx}")
                            }
                            "Timeslices" => {
                                assert!(o["op"].is_string() && o["value"].is_number(), "{ctx}");
                                assert!(
                                    o["timeSliceWindow"].is_string()
                                        && o["timeSliceTarget"].is_number(),
                                    "{ctx}"
                                );
                            }
                            other => panic!("{ctx}: budgetingMethod {other}"),
                        }
                        for p in spec["alertPolicies"].as_sequence().into_iter().flatten() {
                            let name = p["alertPolicyRef"].as_str().expect("alertPolicyRef");
                            assert!(policies.iter().any(|x| x == name), "{ctx}: {name}");
                        }
                    }
                    "AlertPolicy" => {
                        let spec = &d["spec"];
                        let conditions = spec["conditions"].as_sequence().expect("conditions");
                        assert_eq!(conditions.len(), 1, "{ctx}: exactly one condition");
                        let c = &conditions[0]["spec"]["condition"];
                        assert_eq!(c["kind"], "burnrate", "{ctx}");
                        assert!(c["threshold"].as_f64().expect("threshold") > 1.0, "{ctx}");
                        assert!(conditions[0]["spec"]["severity"].is_string(), "{ctx}");
                        for t in spec["notificationTargets"].as_sequence().expect("targets") {
                            assert!(
                                is_dns_label(t["metadata"]["name"].as_str().expect("name")),
                                "{ctx}"
                            );
                        }
                    }
                    other => panic!("{ctx}: unexpected kind {other}"),
                }
            }
        }
    }
}
