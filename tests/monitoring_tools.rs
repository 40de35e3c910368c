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
//! - a real Alertmanager (Debian's prometheus-alertmanager 0.25) fed with
//!   `amtool alert add`: the inhibit rules silence a lower tier for the same
//!   incident only, and a goal's alert reaches its tier and its owner.
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

/// An Alertmanager started on a free local port, stopped when dropped.
struct Running {
    child: std::process::Child,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_alertmanager(binary: &Path, config: &str, dir: &Path) -> Running {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = std::process::Command::new(binary)
        .current_dir(dir)
        .arg(format!("--config.file={config}"))
        .arg(format!("--storage.path={}", dir.join("data").display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--cluster.listen-address=")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start alertmanager");
    let running = Running {
        child,
        url: format!("--alertmanager.url=http://127.0.0.1:{port}"),
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return running;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("Alertmanager did not start listening on port {port}");
}

fn query_alerts(amtool: &Path, am: &Running, dir: &Path) -> Vec<serde_json::Value> {
    let out = std::process::Command::new(amtool)
        .args(["alert", "query", "-a", "-i", "-o", "json", &am.url])
        .current_dir(dir)
        .output()
        .expect("amtool");
    serde_json::from_slice(&out.stdout).unwrap_or_default()
}

/// The alerts Alertmanager holds (labels, status, receivers) once all `n`
/// have arrived and the inhibitor has seen them.
fn held_alerts(amtool: &Path, am: &Running, dir: &Path, n: usize) -> Vec<serde_json::Value> {
    for _ in 0..50 {
        if query_alerts(amtool, am, dir).len() == n {
            std::thread::sleep(std::time::Duration::from_secs(1));
            return query_alerts(amtool, am, dir);
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    panic!("Alertmanager did not receive the {n} alerts");
}

/// A higher tier silences a lower one for the same incident (or goal) of the
/// same escalation, never another incident or an unrelated goal: the
/// generated inhibit rules on a real Alertmanager (Debian's
/// prometheus-alertmanager 0.25), fed with `amtool alert add`.
#[test]
fn a_higher_tier_inhibits_only_the_same_subject() {
    let (Some(amtool), Some(binary)) = (tool("amtool"), tool("prometheus-alertmanager")) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    Command::cargo_bin("slac")
        .expect("slac binary")
        .current_dir(common::repo())
        .args([
            "build",
            "examples/acme-social.sla",
            "--target",
            "alertmanager",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success();
    let am = start_alertmanager(&binary, "acme_social.alertmanager.yaml", tmp.path());
    let tier = |severity: &str, incident: &str| {
        vec![
            format!(
                "alertname=SlacCrisis{}Unacknowledged",
                labels::pascal(severity)
            ),
            format!("severity={severity}"),
            format!("incident={incident}"),
            "clock=always".to_string(),
        ]
    };
    let goal = |id: &str, severity: &str| {
        vec![
            format!("alertname=Slac{}FastBurn", labels::pascal(id)),
            format!("goal={id}"),
            format!("severity={severity}"),
            "owner=community_manager".to_string(),
        ]
    };
    let alerts = [
        tier("major", "a"),
        tier("minor", "a"),
        tier("minor", "b"),
        goal("urgent_response", "major"),
        goal("first_response", "minor"),
    ];
    for labels in &alerts {
        let mut args = vec![
            "alert",
            "add",
            &am.url,
            "agreement=acme_social",
            "escalation=crisis",
        ];
        args.extend(labels.iter().map(String::as_str));
        run(&amtool, &args, tmp.path());
    }
    let held = held_alerts(&amtool, &am, tmp.path(), alerts.len());
    let state = |alertname: &str, key: &str, value: &str| {
        held.iter()
            .find(|a| a["labels"]["alertname"] == alertname && a["labels"][key] == value)
            .map(|a| a["status"]["state"].as_str().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("no {alertname} {key}={value}: {held:?}"))
    };
    // The major incident `a` silences the minor alert of `a` only.
    assert_eq!(
        state("SlacCrisisMinorUnacknowledged", "incident", "a"),
        "suppressed"
    );
    assert_eq!(
        state("SlacCrisisMinorUnacknowledged", "incident", "b"),
        "active"
    );
    assert_eq!(
        state("SlacCrisisMajorUnacknowledged", "incident", "a"),
        "active"
    );
    // A major goal or incident does not silence another goal's minor alert.
    assert_eq!(
        state("SlacFirstResponseFastBurn", "goal", "first_response"),
        "active"
    );
    // And that goal's alert reaches its tier and its owner.
    let receivers: Vec<&str> = held
        .iter()
        .find(|a| a["labels"]["goal"] == "first_response")
        .and_then(|a| a["receivers"].as_array())
        .map(|r| r.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        receivers,
        [
            "acme_social/tier/crisis/minor",
            "acme_social/role/community_manager"
        ]
    );
}
