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
    let groups = doc["groups"].as_sequence().expect("groups");
    assert_eq!(groups.len(), 2, "the main group and the SLI group");
    for rule in groups
        .iter()
        .flat_map(|g| g["rules"].as_sequence().expect("rules"))
    {
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
        .contains(r#"{__name__="a\"}or vector(1) or {{ .Values }}_bucket",agreement="hostile",clock="hostile_hours",le=~"3600|3600\\.0"}"#));
    assert!(rules.contains("# closed 2026-03-03 Neujahr ) or vector(1) # {{ .Values }}\n"));
}

/// The series contract: every selector a goal, step or tier reads carries
/// `agreement="NAME"`, and a goal's histogram selectors carry its clock, so
/// two goals on different clocks never read the same histogram.
#[test]
fn every_selector_names_its_agreement_and_histograms_their_clock() {
    let mut histograms = 0;
    for path in common::agreement_files() {
        let model = common::model(&path);
        for a in &model.agreements {
            let rules = slac::emit::prometheus::emit_rules(a, &model.source);
            let doc: serde_yaml::Value = serde_yaml::from_str(&rules).expect("valid YAML");
            for group in doc["groups"].as_sequence().expect("groups") {
                for rule in group["rules"].as_sequence().expect("rules") {
                    let goal = rule["labels"]["goal"].as_str();
                    let clock = goal
                        .and_then(|id| a.goals.iter().find(|g| g.id == id))
                        .map(|g| g.clock.name().to_string());
                    let expr = rule["expr"].as_str().expect("expr");
                    for selector in exporter_selectors(expr) {
                        let agreement =
                            format!("agreement={}", slac::emit::promql::string(&a.name));
                        assert!(selector.contains(&agreement), "{path}: {selector}");
                        let histogram = ["_bucket{", "_count{", "_sum{"]
                            .iter()
                            .any(|s| selector.contains(s));
                        if let (true, Some(clock)) = (histogram, &clock) {
                            let clock = format!("clock={}", slac::emit::promql::string(clock));
                            assert!(selector.contains(&clock), "{path}: {selector}");
                            histograms += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(histograms > 20, "only {histograms} histogram selectors");
}

/// The selectors of exporter series (`slac_...{...}`, and user series
/// written `{__name__="..."}`) in a PromQL expression, comments left out.
fn exporter_selectors(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in expr.lines().filter(|l| !l.trim_start().starts_with('#')) {
        let mut rest = line;
        while let Some(open) = rest.find('{') {
            let head = &rest[..open];
            let name_start = head
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(0, |i| i + 1);
            let name = &head[name_start..];
            let close = rest[open..].find("}[").or_else(|| rest[open..].rfind('}'));
            let Some(close) = close else { break };
            let selector = &rest[name_start..open + close + 1];
            if !name.starts_with("slac:") && !selector.contains("slac_clock_override") {
                out.push(selector.to_string());
            }
            rest = &rest[open + close + 1..];
        }
    }
    out
}

/// Evaluation order: an alert reads only records made earlier in its own
/// group (the clock, recorded every evaluation by the main group, is the one
/// record read across groups); the long-window SLIs have their own slower
/// group.
#[test]
fn alerts_read_records_of_their_own_group_made_before_them() {
    for path in common::agreement_files() {
        let model = common::model(&path);
        for a in &model.agreements {
            let rules = slac::emit::prometheus::emit_rules(a, &model.source);
            let doc: serde_yaml::Value = serde_yaml::from_str(&rules).expect("valid YAML");
            for group in doc["groups"].as_sequence().expect("groups") {
                let name = group["name"].as_str().expect("name");
                let mut recorded: Vec<&str> = Vec::new();
                for rule in group["rules"].as_sequence().expect("rules") {
                    if let Some(r) = rule["record"].as_str() {
                        assert_eq!(
                            r == "slac:goal_sli",
                            name.ends_with(":sli"),
                            "{path}: {r} in {name}"
                        );
                        recorded.push(r);
                        continue;
                    }
                    let expr = rule["expr"].as_str().expect("expr");
                    for (i, _) in expr.match_indices("slac:") {
                        let read: String = expr[i..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || "_:".contains(*c))
                            .collect();
                        assert!(
                            read == "slac:clock_open" || recorded.contains(&read.as_str()),
                            "{path}: {name}: {} reads {read} before it is recorded",
                            rule["alert"].as_str().unwrap_or("?")
                        );
                    }
                }
                if name.ends_with(":sli") {
                    assert_eq!(group["interval"], "5m", "{path}: {name}");
                }
            }
        }
    }
}

/// `owner` is a goal's owner: one role of the agreement. Approval and tier
/// alerts carry none (their receivers come from the step's and tier's
/// roles), so no alert has a comma-joined list of roles.
#[test]
fn owner_labels_name_one_role_and_only_on_goal_alerts() {
    let mut owners = 0;
    for path in common::agreement_files() {
        let model = common::model(&path);
        for a in &model.agreements {
            let rules = slac::emit::prometheus::emit_rules(a, &model.source);
            let doc: serde_yaml::Value = serde_yaml::from_str(&rules).expect("valid YAML");
            let groups = doc["groups"].as_sequence().expect("groups");
            for rule in groups
                .iter()
                .flat_map(|g| g["rules"].as_sequence().expect("rules"))
            {
                let Some(owner) = rule["labels"]["owner"].as_str() else {
                    continue;
                };
                let alert = rule["alert"].as_str().expect("only alerts have owners");
                let goal = rule["labels"]["goal"].as_str();
                assert!(goal.is_some(), "{path}: {alert} has owner {owner}");
                assert!(a.role(owner).is_some(), "{path}: {alert}: owner {owner}");
                owners += 1;
            }
        }
    }
    assert!(owners >= 10, "only {owners} owner labels");
}
