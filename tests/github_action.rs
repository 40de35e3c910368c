//! The composite GitHub Action (`action.yml`), run step by step the way the
//! runner does it: `${{ }}` expressions expanded, each `run:` script under
//! `bash --noprofile --norc -eo pipefail`, the step's `env:` set and
//! `GITHUB_STEP_SUMMARY` pointing at a file, in a real git checkout of a
//! pull request with `origin/main` as its base. Only the install step is
//! replaced: the slac under test is put on PATH instead of `cargo install`.

mod common;

use common::git;
use serde_yaml::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

const ACME: &str = include_str!("../examples/acme-social.sla");
const CALENDARS: &str = include_str!("../examples/calendars.sla");

/// A clone of a repository whose `main` holds the example, with the pull
/// request's version of `acme-social.sla` committed on a branch.
fn pull_request(new_acme: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let upstream = dir.path().join("upstream");
    std::fs::create_dir(&upstream).unwrap();
    git(&upstream, &["init", "-q", "-b", "main"]);
    std::fs::write(upstream.join("acme-social.sla"), ACME).unwrap();
    std::fs::write(upstream.join("calendars.sla"), CALENDARS).unwrap();
    git(&upstream, &["add", "."]);
    git(&upstream, &["commit", "-qm", "base"]);
    git(dir.path(), &["clone", "-q", "upstream", "checkout"]);
    let checkout = dir.path().join("checkout");
    git(&checkout, &["checkout", "-q", "-b", "pr"]);
    std::fs::write(checkout.join("acme-social.sla"), new_acme).unwrap();
    git(&checkout, &["commit", "-qam", "change the agreement"]);
    dir
}

struct Run {
    /// Exit code of the first failing step, or 0.
    code: i32,
    /// What the steps printed (stdout and stderr).
    log: String,
    summary: String,
}

/// Expands one `${{ }}` expression: `a || b` takes the first non-empty.
fn evaluate(expr: &str, context: &HashMap<&str, String>) -> String {
    expr.split("||")
        .map(|term| {
            let term = term.trim();
            context
                .get(term)
                .unwrap_or_else(|| {
                    panic!("action.yml uses `{term}`, which this test does not provide")
                })
                .clone()
        })
        .find(|v| !v.is_empty())
        .unwrap_or_default()
}

fn expand(text: &str, context: &HashMap<&str, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        let end = rest[start..].find("}}").expect("closed expression") + start;
        out.push_str(&rest[..start]);
        out.push_str(&evaluate(&rest[start + 3..end], context));
        rest = &rest[end + 2..];
    }
    out + rest
}

/// Runs the action in `checkout` with the given inputs and `github.base_ref`.
fn run_action(checkout: &Path, inputs: &[(&str, &str)], base_ref: &str) -> Run {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let action: Value =
        serde_yaml::from_str(&std::fs::read_to_string(repo.join("action.yml")).unwrap()).unwrap();
    assert_eq!(action["runs"]["using"], "composite");
    let mut context: HashMap<&str, String> = HashMap::new();
    context.insert("github.action_path", repo.display().to_string());
    context.insert("github.base_ref", base_ref.to_string());
    for (name, spec) in action["inputs"].as_mapping().unwrap() {
        let name = name.as_str().unwrap();
        let given = inputs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string());
        let default = spec["default"].as_str().unwrap_or("").to_string();
        let key: &'static str = Box::leak(format!("inputs.{name}").into_boxed_str());
        context.insert(key, given.unwrap_or(default));
    }
    let summary = checkout.join("step-summary.md");
    let slac_dir = Path::new(env!("CARGO_BIN_EXE_slac"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!("{}:{}", slac_dir.display(), std::env::var("PATH").unwrap());
    let mut log = String::new();
    for step in action["runs"]["steps"].as_sequence().unwrap() {
        assert_eq!(step["shell"], "bash", "every step runs in bash");
        let script = expand(step["run"].as_str().unwrap(), &context);
        if step["name"] == "Install slac" {
            assert_eq!(
                script,
                format!("cargo install --locked --path \"{}\"", repo.display())
            );
            continue;
        }
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .current_dir(checkout)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("GITHUB_STEP_SUMMARY", &summary);
        if let Some(env) = step["env"].as_mapping() {
            for (k, v) in env {
                command.env(k.as_str().unwrap(), expand(v.as_str().unwrap(), &context));
            }
        }
        let out = command.output().unwrap();
        log.push_str(&String::from_utf8_lossy(&out.stdout));
        log.push_str(&String::from_utf8_lossy(&out.stderr));
        let code = out.status.code().unwrap_or(-1);
        if code != 0 {
            return Run {
                code,
                log,
                summary: std::fs::read_to_string(&summary).unwrap_or_default(),
            };
        }
    }
    Run {
        code: 0,
        log,
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
    }
}

/// Tightens one target (stricter for the provider) and lowers the credit
/// cap (looser for the provider).
fn stricter_and_looser() -> String {
    ACME.replace("target 90% within 1h", "target 95% within 1h")
        .replace("credit cap 15%", "credit cap 10%")
}

#[test]
fn a_pull_request_gets_the_semantic_diff_as_its_summary() {
    let dir = pull_request(&stricter_and_looser());
    let run = run_action(&dir.path().join("checkout"), &[], "main");
    assert_eq!(run.code, 0, "{}", run.log);
    assert!(!run.log.contains("::error"), "{}", run.log);
    assert!(run.summary.starts_with("### slac diff"), "{}", run.summary);
    assert!(
        run.summary.contains(
            "target tightened from `90% within 1h` to `95% within 1h` | stricter | better |"
        ),
        "{}",
        run.summary
    );
    assert!(
        run.summary
            .contains("credit cap loosened from `15%` to `10%` | looser | worse |"),
        "{}",
        run.summary
    );
}

#[test]
fn fail_on_looser_fails_the_job_after_writing_the_summary() {
    let dir = pull_request(&stricter_and_looser());
    let run = run_action(
        &dir.path().join("checkout"),
        &[("fail-on", "looser")],
        "main",
    );
    assert_eq!(run.code, 1, "{}", run.log);
    assert!(run.summary.contains("looser"), "{}", run.summary);
    // Only stricter changes: the gate passes.
    let dir = pull_request(&ACME.replace("target 90% within 1h", "target 95% within 1h"));
    let run = run_action(
        &dir.path().join("checkout"),
        &[("fail-on", "looser")],
        "main",
    );
    assert_eq!(run.code, 0, "{}", run.log);
}

#[test]
fn errors_become_annotations_and_fail_the_check_step() {
    let dir = pull_request(&ACME.replace(
        "owner community_manager\n    on breach",
        "owner community_managr\n    on breach",
    ));
    let run = run_action(&dir.path().join("checkout"), &[], "main");
    assert_eq!(run.code, 1, "{}", run.log);
    assert!(
        run.log.contains("::error file=acme-social.sla,line="),
        "{}",
        run.log
    );
    assert!(
        run.summary.is_empty(),
        "the diff step must not run after a failed check"
    );
}

#[test]
fn outside_a_pull_request_the_diff_step_is_skipped() {
    let dir = pull_request(&stricter_and_looser());
    let run = run_action(&dir.path().join("checkout"), &[], "");
    assert_eq!(run.code, 0, "{}", run.log);
    assert!(run.log.contains("not a pull request"), "{}", run.log);
    assert!(run.summary.is_empty());
}

/// With `data`, the summary replays both versions and `fail-on` can be an
/// amount. Tightening `first_response` to 95% misses February too
/// (85/94 = 90.4%): one more 5% credit of 12,000.00 EUR, 600.00 EUR more
/// for the provider (1,800.00 instead of 1,200.00; February's two misses
/// owe 1,200.00, under its 15% cap of 1,800.00).
#[test]
fn with_data_the_summary_shows_what_the_change_costs() {
    let dir = pull_request(&ACME.replace("target 90% within 1h", "target 95% within 1h"));
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let data = data.to_str().unwrap();
    let run = run_action(
        &dir.path().join("checkout"),
        &[("data", data), ("fail-on", "500")],
        "main",
    );
    assert_eq!(run.code, 1, "{}", run.log);
    assert!(
        run.summary.contains(
            "the provider would have owed 600.00 EUR more in credits under the new version (1800.00 EUR instead of 1200.00 EUR)"
        ),
        "{}",
        run.summary
    );
    let run = run_action(
        &dir.path().join("checkout"),
        &[("data", data), ("fail-on", "600.01")],
        "main",
    );
    assert_eq!(run.code, 0, "{}", run.log);
}

/// With `map`, the data may be in another tool's columns: the example's
/// inquiries with `received_at` headed `Created`, read through a mapping,
/// cost what the same data in slac's columns costs (600.00 EUR more, as
/// above).
#[test]
fn with_a_map_the_data_may_come_in_another_tools_columns() {
    let dir = pull_request(&ACME.replace("target 90% within 1h", "target 95% within 1h"));
    let data = dir.path().join("exported");
    std::fs::create_dir(&data).unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    for entry in std::fs::read_dir(&examples).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap();
        let text = if name == "inquiries.csv" {
            let (header, rows) = text.split_once('\n').unwrap();
            assert!(header.contains("received_at"), "{header}");
            format!("{}\n{rows}", header.replace("received_at", "Created"))
        } else {
            text
        };
        std::fs::write(data.join(name), text).unwrap();
    }
    let map = dir.path().join("map.yaml");
    std::fs::write(&map, "inquiries:\n  columns:\n    received_at: Created\n").unwrap();
    let run = run_action(
        &dir.path().join("checkout"),
        &[
            ("data", data.to_str().unwrap()),
            ("map", map.to_str().unwrap()),
        ],
        "main",
    );
    assert_eq!(run.code, 0, "{}", run.log);
    assert!(
        run.summary
            .contains("the provider would have owed 600.00 EUR more in credits"),
        "{}\n{}",
        run.summary,
        run.log
    );
    // Without the map the renamed column is missing: the step fails.
    let run = run_action(
        &dir.path().join("checkout"),
        &[("data", data.to_str().unwrap())],
        "main",
    );
    assert_ne!(run.code, 0, "{}", run.summary);
}
