//! `slac report` as a process: the example report (snapshots), exit codes,
//! and data errors that name file, row and column.

use assert_cmd::Command;
use std::path::Path;

fn slac() -> Command {
    let mut c = Command::cargo_bin("slac").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = slac().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const EXAMPLE: [&str; 4] = [
    "report",
    "examples/acme-social.sla",
    "--data",
    "examples/data",
];

#[test]
fn example_report_markdown() {
    let (code, out, err) = run(&EXAMPLE);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "10 goal-periods: 5 met, 5 missed, 0 no data; credit owed 1200.00 EUR\n"
    );
    insta::assert_snapshot!("example_markdown", out);
}

#[test]
fn example_report_json() {
    let mut args = EXAMPLE.to_vec();
    args.extend(["--format", "json"]);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "slac-report/v1");
    assert_eq!(v["summary"]["credit_owed"]["amount"], "1200.00");
    insta::assert_snapshot!("example_json", out);
}

#[test]
fn one_period_and_as_of() {
    let mut args = EXAMPLE.to_vec();
    args.extend([
        "--period",
        "2026-03",
        "--as-of",
        "2026-04-02",
        "--format",
        "json",
    ]);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["selection"], "2026-03");
    assert_eq!(v["as_of"], "2026-04-02T00:00:00+02:00");
    for g in v["goals"].as_array().unwrap() {
        let periods: Vec<&str> = g["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["period"].as_str().unwrap())
            .collect();
        assert_eq!(periods, ["2026-03"], "{}", g["id"]);
    }
}

#[test]
fn out_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    let mut args = EXAMPLE.to_vec();
    let p = path.to_str().unwrap();
    args.extend(["--format", "html", "--out", p]);
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert!(err.starts_with("wrote "), "{err}");
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // A chart per goal, and a distribution per latency goal and period.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 5);
    assert_eq!(html.matches("<svg class=\"chart histogram\"").count(), 4);
    // Self-contained: nothing is fetched.
    for needle in ["src=", "href=\"http", "@import", "url("] {
        assert!(!html.contains(needle), "{needle}");
    }
}

fn data_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn report_with(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "report",
        "examples/minimal.sla",
        "--data",
        dir.to_str().unwrap(),
    ];
    args.extend(extra);
    run(&args)
}

const HEAD: &str =
    "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at\n";

#[test]
fn data_errors_name_file_row_and_column() {
    let dir = data_dir(&[(
        "inquiries.csv",
        &format!("{HEAD}q1,x,dm,normal,,2026-01-05T10:00:00+01:00,2026-01-05T10:05:00+01:00,\nq2,x,dm,normal,,yesterday,,\n"),
    )]);
    let (code, out, err) = report_with(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    let file = dir.path().join("inquiries.csv");
    assert_eq!(
        err.lines().next().unwrap(),
        format!(
            "error: `{}` row 3, column `received_at`: `yesterday` is not an RFC 3339 timestamp with an offset",
            file.display()
        )
    );
    assert!(err.contains("help: write it like"), "{err}");
}

#[test]
fn json_lines_are_read_too() {
    let dir = data_dir(&[(
        "inquiries.jsonl",
        r#"{"id":"q1","platform":"x","channel":"dm","priority":"normal","received_at":"2026-01-05T10:00:00+01:00","first_response_at":"2026-01-05T10:05:00+01:00"}
"#,
    )]);
    let (code, out, err) = report_with(dir.path(), &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["goals"][0]["results"][0]["display"], "100.00% (1/1)");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let dir = data_dir(&[]);
    let (code, _, err) = report_with(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("goal `replies` needs inquiries"), "{err}");
    let dir = data_dir(&[("inquiries.csv", HEAD), ("inquiries.jsonl", "")]);
    let (code, _, err) = report_with(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("keep one of them"), "{err}");
    let dir = data_dir(&[("inquiries.csv", HEAD)]);
    let (code, _, err) = report_with(dir.path(), &["--period", "March"]);
    assert_eq!((code, err.contains("is not a period")), (2, true), "{err}");
    let (code, _, err) = report_with(dir.path(), &["--as-of", "soon"]);
    assert_eq!((code, err.contains("--as-of `soon`")), (2, true), "{err}");
    let (code, _, err) = run(&[
        "report",
        "examples/acme-social.sla",
        "--data",
        "no/such/dir",
    ]);
    assert_eq!(
        (code, err.contains("is not a directory")),
        (2, true),
        "{err}"
    );
    let (code, _, err) = run(&[
        "report",
        "examples/agency-portfolio.sla",
        "--data",
        "examples/data",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("choose one with --agreement"), "{err}");
}

#[test]
fn an_agreement_with_errors_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let sla = dir.path().join("bad.sla");
    std::fs::write(&sla, "agreement a \"A\" { client c \"C\" }\n").unwrap();
    let (code, out, err) = run(&[
        "report",
        sla.to_str().unwrap(),
        "--data",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("no report: fix the errors"), "{err}");
}

#[test]
fn no_data_is_not_met() {
    // An empty inquiries file: the goal has no counted events.
    let dir = data_dir(&[("inquiries.csv", HEAD)]);
    let (code, out, err) = report_with(
        dir.path(),
        &[
            "--period",
            "2026-01",
            "--as-of",
            "2026-02-01",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["goals"][0]["results"][0]["status"], "no_data");
    assert_eq!(v["summary"]["no_data"], 1);
}
