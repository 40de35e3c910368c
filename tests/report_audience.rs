//! `slac report --audience client|provider`: the report for the people who
//! read it. Plain sentences from the same code as `slac render`, results in
//! words, a trend, and nothing a client cannot use: no file path, no `.sla`
//! line, no internal name, no reference to slac's docs.

use assert_cmd::Command;

fn report(extra: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("slac")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "report",
            "examples/acme-social.sla",
            "--data",
            "examples/data",
        ])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// What the client view must never show: paths, file names, goal, role,
/// clock and metric ids, DSL targets and keywords, and docs references.
pub const INTERNAL: &[&str] = &[
    "examples/",
    ".sla",
    ".csv",
    "docs/",
    "first_response",
    "urgent_response",
    "answer_everyone",
    "community_manager",
    "berlin_office",
    "extended_care",
    "response_time",
    "p95",
    "<=",
    "&lt;=",
    ">=",
    "&gt;=",
    "within 1h",
    "rank ",
    "platform_outage",
    "client_delay",
    "acme_social",
];

#[test]
fn the_client_view_speaks_plainly() {
    let (code, md, err) = report(&["--audience", "client"]);
    assert_eq!(code, 0, "{err}");
    for bad in INTERNAL {
        assert!(!md.contains(bad), "the client view shows {bad:?}:\n{md}");
    }
    for good in [
        "# Service report: Acme Social Care",
        "| Periods | February 2026 and March 2026 |",
        "For at least 90% of inquiries where the platform is X, Facebook or Instagram",
        "90% within 1 hour of Berlin Office Hours",
        "26 minutes 41 seconds, the 20th fastest of 21",
        "not answered: the 13th fastest of 13 had no reply",
        "## Trend",
        "| Business time taken |",
        "334 hours 22 minutes so far, still open",
        "Credit owed: **1200.00 EUR**",
    ] {
        assert!(md.contains(good), "the client view lacks {good:?}:\n{md}");
    }
    assert!(
        !md.contains("## Data"),
        "the data section is the provider's"
    );
    insta::assert_snapshot!("client_markdown", md);
}

#[test]
fn the_provider_view_adds_the_data_without_paths() {
    let (code, md, err) = report(&["--audience", "provider"]);
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("## Data"), "{md}");
    assert!(md.contains("| Inquiries | "), "{md}");
    for bad in ["examples/", ".csv", "docs/", "first_response"] {
        assert!(!md.contains(bad), "the provider view shows {bad:?}");
    }
}

#[test]
fn the_json_has_no_audience() {
    let (code, _, err) = report(&["--audience", "client", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--audience shapes the markdown and html"),
        "{err}"
    );
}
