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
    assert_no_template_action("alertmanager", &am);
    assert!(am.contains("x{{\"{\"}}{{\"{\"}} .Values }}@example.org"));
    // The webhook with template syntax is not a URL Alertmanager accepts: left out.
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
    assert!(rules
        .contains(r#"{__name__="a\"}or vector(1) or {{ .Values }}_bucket",le=~"3600|3600\\.0"}"#));
    assert!(rules.contains("# closed 2026-03-03 Neujahr ) or vector(1) # {{ .Values }}\n"));
}
