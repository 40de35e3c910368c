//! The command line, tested as a process: exit codes, output formats, and
//! the guarantees of `build` (nothing written on errors, atomic writes, no
//! overwriting of files slac did not generate).

mod common;

use assert_cmd::Command;
use common::repo;
use std::fs;

fn slac() -> Command {
    let mut c = Command::cargo_bin("slac").unwrap();
    c.current_dir(repo()).env("NO_COLOR", "1");
    c
}

const TYPO: &str = r#"agreement a "A" {
  client c "C"
  provider p "P"
  effective 2026-01-01 to 2026-12-31
  role community_manager of p { email "x@example.org" }
  goal g "G" {
    metric response_time
    target 90% within 1h
    owner community_manger
  }
}
"#;

#[test]
fn check_clean_example_exits_zero() {
    let out = slac()
        .args(["check", "examples/acme-social.sla"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no problems"));
}

#[test]
fn check_directory_checks_every_file() {
    let out = slac().args(["check", "examples"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("checked 6 files"));
}

#[test]
fn a_typo_in_a_role_points_at_it_and_names_the_fix() {
    let out = slac()
        .args(["check", "-"])
        .write_stdin(TYPO)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("slac::E0202"), "{err}");
    assert!(err.contains("unknown role `community_manger`"), "{err}");
    assert!(err.contains("<stdin>:9:11"), "{err}");
    assert!(err.contains("did you mean `community_manager`?"), "{err}");
}

#[test]
fn json_format_has_the_documented_shape() {
    let out = slac()
        .args(["check", "-", "--format", "json"])
        .write_stdin(TYPO)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v.as_array().unwrap()[0];
    assert_eq!(d["code"], "slac::E0202");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "<stdin>");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(9), Some(11))
    );
    assert_eq!(
        (d["end_line"].as_u64(), d["end_column"].as_u64()),
        (Some(9), Some(27))
    );
    assert_eq!(d["help"], "did you mean `community_manager`?");
    assert_eq!(
        d["labels"][0]["text"],
        "no role of this name in this agreement"
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let src = TYPO
        .replace("community_manger", "community_manager")
        .replace(
            "  goal g",
            "  role idle of p { email \"idle@example.org\" }\n  goal g",
        );
    let ok = slac()
        .args(["check", "-"])
        .write_stdin(src.clone())
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stderr).contains("W0001"));
    let denied = slac()
        .args(["check", "-", "--deny-warnings"])
        .write_stdin(src)
        .output()
        .unwrap();
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn missing_input_is_io_trouble() {
    let out = slac().args(["check", "no/such.sla"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file or directory"));
}

#[test]
fn usage_errors_exit_two() {
    let out = slac().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = slac().args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn build_writes_one_rules_file_per_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let out = slac()
        .args(["build", "examples/agency-portfolio.sla", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".slac-build-cache.json",
            "bluepeak_outdoor.rules.yaml",
            "northwind_retail.rules.yaml"
        ]
    );
}

#[test]
fn build_timings_prints_one_line_per_phase() {
    let dir = tempfile::tempdir().unwrap();
    let out = slac()
        .args([
            "build",
            "examples/",
            "--target",
            "rules,prometheus",
            "--timings",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let table: Vec<&str> = stderr
        .lines()
        .skip_while(|l| *l != "timings:")
        .skip(1)
        .collect();
    let phases: Vec<&str> = table
        .iter()
        .map(|line| {
            // `  PHASE   12.3 ms`: a name, then a number with one decimal.
            let body = line
                .strip_prefix("  ")
                .and_then(|l| l.strip_suffix(" ms"))
                .unwrap_or_else(|| panic!("not a timing line: {line:?}"));
            let (phase, figure) = body.rsplit_once(' ').unwrap();
            let (whole, tenths) = figure.split_once('.').expect("one decimal");
            assert!(
                !whole.is_empty() && whole.chars().all(|c| c.is_ascii_digit()) && tenths.len() == 1,
                "{line:?}"
            );
            phase.trim()
        })
        .collect();
    assert_eq!(
        phases,
        [
            "read",
            "parse",
            "check",
            "diagnostics",
            "fingerprint",
            "emit rules",
            "emit prometheus",
            "write",
            "total"
        ]
    );
    // Without the flag there is no table.
    let plain = slac()
        .args(["build", "examples/minimal.sla", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("timings:"));
}

#[test]
fn build_writes_nothing_when_there_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = slac()
        .args(["build", "-", "--out"])
        .arg(dir.path())
        .write_stdin(TYPO)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn build_refuses_to_overwrite_a_hand_written_file_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("tiny.rules.yaml");
    fs::write(&target, "my own notes\n").unwrap();
    let out = slac()
        .args(["build", "examples/minimal.sla", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("refusing to overwrite"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "my own notes\n");

    let forced = slac()
        .args(["build", "examples/minimal.sla", "--force", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0));
    let generated = fs::read_to_string(&target).unwrap();
    assert!(generated.starts_with("# Generated by slac"));

    // A file slac generated is replaced without --force, and no temp file is left.
    let again = slac()
        .args(["build", "examples/minimal.sla", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    let mut left: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, [".slac-build-cache.json", "tiny.rules.yaml"]);
}

#[test]
fn explain_prints_the_page_and_suggests_close_codes() {
    let out = slac().args(["explain", "E0202"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# E0202: unknown role"));
    let out = slac().args(["explain", "slac::e0202"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let out = slac().args(["explain", "E9202"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `E0202`?"));
    let list = slac().args(["explain", "--list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).lines().count() >= 40);
}

#[test]
fn init_writes_a_starter_that_checks_clean_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agreement.sla");
    let out = slac().arg("init").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let check = slac()
        .args(["check", "--deny-warnings"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let again = slac().arg("init").arg(&path).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn completions_are_generated() {
    let out = slac().args(["completions", "bash"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("slac"));
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    let bin = assert_cmd::cargo::cargo_bin("slac");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("'{}' explain --list | head -1", bin.display()))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn syntax_errors_found_while_parsing_ahead_point_at_their_own_file() {
    // Named files are parsed on several threads before checking; each
    // diagnostic must still name the file it came from.
    let out = slac()
        .args([
            "check",
            "--format",
            "json",
            "examples/minimal.sla",
            "tests/corpus/invalid/syntax-missing-target-value.sla",
            "examples/acme-social.sla",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &json.as_array().unwrap()[0];
    assert_eq!(d["code"], "slac::E0001");
    assert_eq!(
        d["file"],
        "tests/corpus/invalid/syntax-missing-target-value.sla"
    );
    assert_eq!(d["line"], 14);
}

/// `--format json` carries a diagnostic's suggested edit as `fix`: the
/// span to replace and its replacement; `null` where there is none.
#[test]
fn json_diagnostics_carry_their_fix() {
    let run = |path: &str| {
        let out = slac()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["check", path, "--format", "json"])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let pos = |f: &serde_json::Value| {
        (
            f["line"].as_u64().unwrap(),
            f["column"].as_u64().unwrap(),
            f["end_line"].as_u64().unwrap(),
            f["end_column"].as_u64().unwrap(),
        )
    };
    // W0009, line 19 `    target 95% within 1d`: `1d` is columns 23-24.
    let v = run("tests/corpus/invalid/whole-day-on-business-hours.sla");
    let d = &v[0];
    assert_eq!(d["code"], "slac::W0009");
    let fix = &d["fix"];
    assert_eq!(fix["replacement"], "1bd", "{d}");
    assert_eq!(fix["file"], d["file"]);
    assert_eq!(pos(fix), (19, 23, 19, 25), "{d}");
    assert!(fix["title"].as_str().unwrap().contains("1bd"), "{d}");
    // W0018, line 11 `    replies by human`: the whole line goes.
    let v = run("tests/corpus/invalid/replies-by-on-resolution.sla");
    let fix = &v[0]["fix"];
    assert_eq!(fix["replacement"], "");
    assert_eq!(pos(fix), (11, 1, 12, 1), "{}", v[0]);
    assert_eq!(fix["title"], "Remove `replies by human`");
    // SARIF carries the same edit as the result's fix.
    let out = slac()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "check",
            "tests/corpus/invalid/replies-by-on-resolution.sla",
            "--format",
            "sarif",
        ])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let change = &sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0];
    let r = &change["replacements"][0];
    assert_eq!(r["insertedContent"]["text"], "", "{sarif}");
    assert_eq!(
        (
            &r["deletedRegion"]["startLine"],
            &r["deletedRegion"]["endLine"]
        ),
        (&serde_json::json!(11), &serde_json::json!(12)),
        "{sarif}"
    );
    // No fix: `null`, not absent.
    let out = slac()
        .args(["check", "-", "--format", "json"])
        .write_stdin(TYPO)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v[0].as_object().unwrap()["fix"].is_null(), "{v}");
}
