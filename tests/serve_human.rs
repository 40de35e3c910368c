//! `replies by human`, live: `slac serve` observes a goal that counts only
//! a person's replies on a histogram of its own (`replies="human"`), timed
//! from the conversation's messages with the report's own walk, and a goal
//! on the same series and clock that counts every reply reads the series
//! without the label (its rules match `replies=""`).
//!
//! One conversation, Mon 2026-03-02 (Berlin is UTC+1), office 09:00-17:00:
//!   09:00 in; 09:05 out bot (`first_response_at`: every reply counts);
//!   09:50 out human (the first person's reply: 50m = 3000 s);
//!   10:00 in -> a next reply is owed; 10:10 out bot (does not count for
//!   a person-only goal); 10:30 out human -> that next reply took 30m.

mod common;

use common::live::{self, metrics, post};

const AGREEMENT: &str = r#"calendar office {
  timezone "Europe/Berlin"
  open mon-fri 09:00-17:00
}
agreement t "Test" {
  client c "Client"
  provider p "Provider"
  effective 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"

  goal fr "First reply by a person" {
    metric response_time
    target 100% within 1h
    clock office
    replies by human
  }
  goal any "First reply by anyone" {
    metric response_time
    target 100% within 10m
    clock office
  }
  goal nr "Next reply by a person" {
    metric next_reply_time
    target 100% within 1h
    clock office
    replies by human
  }
}
"#;

const INQUIRY: &str = r#"{"kind":"inquiry","id":"q","platform":"x","channel":"dm","priority":"normal","audience":"","received_at":"2026-03-02T09:00:00+01:00","first_response_at":"2026-03-02T09:05:00+01:00","resolved_at":null}"#;

/// An `in` or `out` message of `q` at `at`, Berlin time on 2 March.
fn msg(at: &str, direction: &str, author: &str) -> String {
    let author = match author {
        "" => "null".to_string(),
        a => format!("\"{a}\""),
    };
    format!(
        r#"{{"kind":"message","inquiry":"q","at":"2026-03-02T{at}:00+01:00","direction":"{direction}","author":{author}}}"#
    )
}

/// The value of the sample of `series` whose labels hold `replies="human"`
/// (`human`) or no `replies` label at all.
fn sample(m: &str, series: &str, human: bool) -> Option<f64> {
    m.lines()
        .filter(|l| l.starts_with(&format!("{series}{{")))
        .find(|l| l.contains(r#"replies="human""#) == human)
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

const FR: &str = "slac_inquiry_first_response_seconds";
const NR: &str = "slac_conversation_next_reply_seconds";

#[test]
fn a_person_only_goal_is_observed_at_the_first_human_reply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.sla"), AGREEMENT).unwrap();
    let store = dir.path().join("events.db").display().to_string();
    let server = live::start(&["t.sla", "--store", &store], dir.path());
    let batch = [
        INQUIRY.to_string(),
        msg("09:00", "in", ""),
        msg("09:05", "out", "bot"),
    ];
    let (status, body) = post(&server.addr, &batch.join("\n"), None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    // Every reply counts: 09:00-09:05 = 300 s, from `first_response_at`.
    assert_eq!(sample(&m, &format!("{FR}_sum"), false), Some(300.0), "{m}");
    // Only the bot has replied: no person-only observation yet.
    assert_eq!(sample(&m, &format!("{FR}_count"), true).unwrap_or(0.0), 0.0);

    let rest = [
        msg("09:50", "out", "human"),
        msg("10:00", "in", ""),
        msg("10:10", "out", "bot"),
        msg("10:30", "out", "human"),
    ];
    let (status, body) = post(&server.addr, &rest.join("\n"), None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    assert_eq!(sample(&m, &format!("{FR}_count"), true), Some(1.0), "{m}");
    assert_eq!(sample(&m, &format!("{FR}_sum"), true), Some(3000.0), "{m}");
    // The anyone series is unchanged by the messages.
    assert_eq!(sample(&m, &format!("{FR}_count"), false), Some(1.0), "{m}");
    assert_eq!(sample(&m, &format!("{FR}_sum"), false), Some(300.0), "{m}");
    // Next reply, a person's only: 10:00-10:30 (the bot's 10:10 does not
    // close it) = 1800 s.
    assert_eq!(sample(&m, &format!("{NR}_sum"), true), Some(1800.0), "{m}");
    assert_eq!(sample(&m, &format!("{NR}_count"), true), Some(1.0), "{m}");
    // Buckets are the human histogram's own: 3000 s is within 1h.
    let le = m
        .lines()
        .find(|l| {
            l.starts_with(&format!("{FR}_bucket{{"))
                && l.contains(r#"replies="human""#)
                && l.contains(r#"le="3600""#)
        })
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse::<f64>().ok());
    assert_eq!(le, Some(1.0), "{m}");
    drop(server);

    // `slac report --store` on the same store agrees: the person's first
    // reply took 50m (within 1h), anyone's 5m (within 10m).
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_slac"))
        .args(["report", "t.sla", "--store", &store, "--period", "2026-03"])
        .args(["--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    for id in ["fr", "any", "nr"] {
        let g = r["goals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .unwrap();
        let v = &g["results"][0]["value"];
        assert_eq!(
            (&v["good"], &v["total"]),
            (&1.into(), &1.into()),
            "{id}: {g}"
        );
    }
}

#[test]
fn the_rules_of_the_other_goal_read_the_series_without_the_label() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.sla"), AGREEMENT).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_slac"))
        .args(["build", "t.sla", "--target", "prometheus", "--out", "out"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rules = std::fs::read_to_string(dir.path().join("out/t.prometheus.yaml")).unwrap();
    let sli = |goal: &str| {
        let at = rules
            .find(&format!("goal: \"{goal}\"\n"))
            .unwrap_or_else(|| panic!("goal {goal} in\n{rules}"));
        let before = &rules[..at];
        let expr = before.rfind("expr:").unwrap();
        before[expr..].to_string()
    };
    assert!(sli("fr").contains(r#"replies="human""#), "{}", sli("fr"));
    assert!(sli("any").contains(r#"replies="""#), "{}", sli("any"));
}
