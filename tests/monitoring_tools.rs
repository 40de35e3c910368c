//! The real consumers: promtool and amtool on everything slac compiles for
//! every example, corpus agreement and promtool fixture.
//!
//! - `promtool check rules` on every NAME.prometheus.yaml;
//! - `promtool test rules` on every generated NAME.prometheus-test.yaml;
//! - `promtool test rules` on the clock proof of every agreement (the
//!   business-hours expressions against slac's business time over the term);
//! - `promtool test rules` on the hand-written tests/promtool/business_hours_test.yaml;
//! - `amtool check-config` on every NAME.alertmanager.yaml, and
//!   `amtool config routes test --verify.receivers` for every escalation tier,
//!   approval step and goal: a goal that escalates reaches its tier's
//!   receiver and then its owner's (`continue`), in that order.
//!
//! The tools come from Debian 12 (`apt-get install --no-install-recommends
//! prometheus prometheus-alertmanager`: promtool 2.42, amtool 0.25). When one
//! is missing the tests say how to install it and pass, unless
//! SLAC_REQUIRE_TOOLS=1, when they fail.

mod common;

use assert_cmd::Command;
use slac::emit::{labels, prometheus::clock_proof};
use slac::model::Agreement;
use std::path::{Path, PathBuf};

const INSTALL: &str = "apt-get install --no-install-recommends prometheus prometheus-alertmanager";

/// The tool's path, or `None` (after saying how to install it) when it is
/// missing and not required.
fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        let required = std::env::var("SLAC_REQUIRE_TOOLS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "`{name}` is required (SLAC_REQUIRE_TOOLS=1) but not on PATH; install it: {INSTALL}"
        );
        eprintln!("skipping: `{name}` is not on PATH; install it with: {INSTALL}");
    }
    found
}

/// Runs a tool and panics with its output unless it succeeds.
fn run(program: &Path, args: &[&str], dir: &Path) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "`{} {}` failed in {}:\n{text}",
        program.display(),
        args.join(" "),
        dir.display()
    );
    text
}

/// Compiles every agreement file for every target into its own directory.
fn build_all(out: &Path) -> Vec<(String, PathBuf)> {
    common::agreement_files()
        .into_iter()
        .map(|path| {
            let dir = out.join(Path::new(&path).file_stem().expect("file name"));
            Command::cargo_bin("slac")
                .expect("slac binary")
                .current_dir(common::repo())
                .args(["build", &path, "--target", "all", "--out"])
                .arg(&dir)
                .assert()
                .success();
            (path, dir)
        })
        .collect()
}

fn files(dir: &Path, suffix: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(suffix))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn agreements(path: &str) -> Vec<Agreement> {
    common::model(path).agreements
}

#[test]
fn promtool_accepts_every_rule_file_and_passes_every_generated_test() {
    let Some(promtool) = tool("promtool") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut checked = 0;
    for (path, dir) in build_all(tmp.path()) {
        for a in agreements(&path) {
            let rules = format!("{}.prometheus.yaml", a.name);
            let tests = format!("{}.prometheus-test.yaml", a.name);
            assert!(dir.join(&rules).is_file(), "{path}: no {rules}");
            let out = run(&promtool, &["check", "rules", &rules], &dir);
            assert!(out.contains("SUCCESS"), "{out}");
            let out = run(&promtool, &["test", "rules", &tests], &dir);
            assert!(out.contains("SUCCESS"), "{out}");
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} agreements checked");
}

#[test]
fn amtool_accepts_every_config_and_routes_every_tier() {
    let Some(amtool) = tool("amtool") else { return };
    let tmp = tempfile::tempdir().expect("temp dir");
    let (mut routes, mut both) = (0, 0);
    for (path, dir) in build_all(tmp.path()) {
        for a in agreements(&path) {
            let config = format!("{}.alertmanager.yaml", a.name);
            let out = run(&amtool, &["check-config", &config], &dir);
            assert!(out.contains("SUCCESS"), "{out}");
            let mut expect = |receiver: String, labels: Vec<String>| {
                let mut args = vec![
                    "config".to_string(),
                    "routes".into(),
                    "test".into(),
                    format!("--config.file={config}"),
                    format!("--verify.receivers={receiver}"),
                    format!("agreement={}", a.name),
                ];
                args.extend(labels);
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let out = run(&amtool, &args, &dir);
                assert!(out.contains(&receiver), "{path}: {out}");
                routes += 1;
            };
            for e in &a.escalations {
                for t in &e.tiers {
                    expect(
                        labels::tier_receiver(&a, &e.id, &t.id),
                        vec![
                            format!("escalation={}", e.id),
                            format!("severity={}", t.id),
                            "incident=incident-1".into(),
                            format!("clock={}", e.clock.name()),
                        ],
                    );
                }
            }
            for ap in &a.approvals {
                for s in &ap.steps {
                    expect(
                        labels::step_receiver(&a, &ap.id, &s.id),
                        vec![
                            format!("approval={}", ap.id),
                            format!("step={}", s.id),
                            "post_id=post-1".into(),
                            "severity=warning".into(),
                            format!("clock={}", s.clock.name()),
                        ],
                    );
                }
            }
            for g in &a.goals {
                // A goal that escalates and has an owner reaches both.
                both += usize::from(g.escalate.is_some() && g.owner.is_some());
                let (receivers, labels) = goal_route(&a, g);
                expect(receivers, labels);
            }
        }
    }
    assert!(routes >= 10, "only {routes} routes tested");
    assert!(
        both >= 2,
        "only {both} goals routed to their tier and owner"
    );
}

/// The receivers a goal's alert must reach, in routing order, and its
/// labels: its tier (when it escalates) and its owner (when it has one), or
/// else the agreement's default receiver.
fn goal_route(a: &Agreement, g: &slac::model::Goal) -> (String, Vec<String>) {
    let mut receivers = Vec::new();
    let mut l = vec![
        format!("goal={}", g.id),
        format!("clock={}", g.clock.name()),
    ];
    match &g.escalate {
        Some(t) => {
            receivers.push(labels::tier_receiver(a, &t.escalation, &t.tier));
            l.push(format!("escalation={}", t.escalation));
            l.push(format!("severity={}", t.tier));
        }
        None => l.push("severity=warning".into()),
    }
    if let Some(o) = &g.owner {
        receivers.push(labels::role_receiver(a, o));
        l.push(format!("owner={o}"));
    }
    if receivers.is_empty() {
        receivers.push(labels::default_receiver(a));
    }
    (receivers.join(","), l)
}

/// The rendered business-hours expressions agree with slac's business time
/// at every opening and closing instant of every agreement's term.
#[test]
fn clock_rules_match_business_time_over_every_term() {
    let Some(promtool) = tool("promtool") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut proofs = 0;
    for path in common::agreement_files() {
        let model = common::model(&path);
        for a in &model.agreements {
            let Some(proof) = clock_proof::emit(a, &model.source) else {
                continue;
            };
            let file = format!("{}.clock-proof.yaml", a.name);
            std::fs::write(tmp.path().join(&file), proof).expect("write proof");
            let out = run(&promtool, &["test", "rules", &file], tmp.path());
            assert!(out.contains("SUCCESS"), "{out}");
            proofs += 1;
        }
    }
    assert!(proofs >= 3, "only {proofs} clock proofs");
}

/// tests/promtool/business_hours_test.yaml, written by hand, on the rules
/// slac generates from tests/promtool/business_hours.sla.
#[test]
fn business_hours_page_only_while_the_clock_runs_across_dst() {
    let Some(promtool) = tool("promtool") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    Command::cargo_bin("slac")
        .expect("slac binary")
        .current_dir(common::repo())
        .args([
            "build",
            "tests/promtool/business_hours.sla",
            "--target",
            "prometheus",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success();
    std::fs::copy(
        common::repo().join("tests/promtool/business_hours_test.yaml"),
        tmp.path().join("business_hours_test.yaml"),
    )
    .expect("copy test");
    let out = run(
        &promtool,
        &["test", "rules", "business_hours_test.yaml"],
        tmp.path(),
    );
    assert!(out.contains("SUCCESS"), "{out}");
    assert_eq!(
        files(tmp.path(), ".prometheus.yaml"),
        vec!["epoch_desk.prometheus.yaml"]
    );
}
