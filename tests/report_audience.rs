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
    // Platform ids where the client reads names (the breakdown by platform).
    "| x |",
    "| instagram |",
    "| facebook |",
    "`x`",
    // The internal view's words for the distribution.
    "deadline 1h",
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
        "not answered: the slowest of 13 had no reply",
        "## Trend",
        "| Business time taken |",
        "334 hours 22 minutes so far, still open",
        "Credit owed: **1,200.00 EUR**",
        "| February 2026 | 12,000.00 EUR | Urgent inquiries, seven days a week (600.00 EUR) | **600.00 EUR** |",
        // The breakdown by platform, beside the result for all of them.
        "By platform in March 2026, each against the same target (90% within 1 hour of Berlin Office Hours); the service level itself is judged on all platforms together:",
        "| All platforms | 75.00% (75 of 100 in time) | 100 | 2 | 25 | **missed** |",
        "| X | 72.50% (29 of 40 in time) | 40 | 0 | 11 | **missed** |",
        "| Facebook | 78.26% (18 of 23 in time) | 23 | 2 | 5 | **missed** |",
        "| LinkedIn | 7 minutes 34 seconds, the only one | 1 | 0 | 0 | met |",
        // The distribution, in business hours and minutes.
        "How long the 100 inquiries counted in March 2026 took, in Berlin Office Hours, against the deadline of 1 hour:",
        "| Business time taken | Count | Share | Within 1 hour |",
        "| up to 30 minutes | 49 | 49.00% | yes |",
        "| 2 hours to 4 hours | 12 | 12.00% | no |",
        "| still open, over 1 hour | 5 | 5.00% | no |",
        "| 15 minutes to 30 minutes | 8 | 38.09% | yes |",
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
