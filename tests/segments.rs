//! Targets per segment (`target 95% within 15m for priority = urgent`) in
//! the report: each segment's result against its own target, the other
//! items' against the goal's, and the goal met when no part is missed.
//! The expected numbers are worked out by hand from
//! tests/data/segments/inquiries.csv (all times UTC, clock `always`).

use assert_cmd::Command;
use serde_json::{json, Value};

const AS_OF: &str = "2026-03-31T12:00:00Z";

fn report(sla: &str, format: &str, audience: &str) -> String {
    let out = Command::cargo_bin("slac")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["report", sla, "--data", "tests/data/segments"])
        .args(["--as-of", AS_OF, "--format", format, "--audience", audience])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json_report(sla: &str) -> Value {
    serde_json::from_str(&report(sla, "json", "internal")).unwrap()
}

/// (for, status, good, total, pending, misses) of each part of a period.
fn parts(period: &Value) -> Vec<(Value, String, u64, u64, u64, u64)> {
    period["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["for"].clone(),
                s["status"].as_str().unwrap().to_string(),
                s["value"]["good"]
                    .as_u64()
                    .or(s["value"]["numerator"].as_u64())
                    .unwrap(),
                s["value"]["total"]
                    .as_u64()
                    .or(s["value"]["denominator"].as_u64())
                    .unwrap(),
                s["pending"].as_u64().unwrap(),
                s["misses"].as_u64().unwrap(),
            )
        })
        .collect()
}

const SLA: &str = "tests/data/segments/care.sla";

/// `replies`: where platform in [x, facebook, instagram] (r1 and n5, on
/// reddit, are not its items).
/// - urgent (95% within 15m): u1 10m in time, u2 20m late, u3 received
///   11:50 and unanswered at 12:00, 10m < 15m: pending. 1/2 = 50% < 95%:
///   missed.
/// - high on x or instagram (95% within 30m): h1 25m, h2 exactly 30m (at
///   most D is in time): 2/2, met.
/// - other items (90% within 1h): h3 (high, but on facebook) 50m, n1 59m,
///   n2 exactly 1h, n3 5m: 4/4, met.
/// - the goal: 8 counted, 1 pending, 1 miss; 7 of 8 each within its own
///   part's deadline (87.50%), missed because the urgent part is.
#[test]
fn replies_per_segment_and_for_the_goal() {
    let r = json_report(SLA);
    let g = &r["goals"][0];
    assert_eq!(g["id"], "replies");
    assert_eq!(
        g["segments"],
        json!([
            { "for": ["priority = urgent"], "target": "95% within 15m",
              "target_spec": { "kind": "within", "ratio_ppm": 950_000, "within_seconds": 900 } },
            { "for": ["priority = high", "platform in [x, instagram]"], "target": "95% within 30m",
              "target_spec": { "kind": "within", "ratio_ppm": 950_000, "within_seconds": 1800 } },
        ])
    );
    let p = &g["results"][0];
    assert_eq!(
        parts(p),
        [
            (json!(["priority = urgent"]), "missed".into(), 1, 2, 1, 1),
            (
                json!(["priority = high", "platform in [x, instagram]"]),
                "met".into(),
                2,
                2,
                0,
                0
            ),
            (json!([]), "met".into(), 4, 4, 0, 0),
        ]
    );
    assert_eq!(p["segments"][2]["rest"], true);
    assert_eq!(p["segments"][2]["target"], "90% within 1h");
    assert_eq!(p["status"], "missed");
    assert_eq!(
        p["value"],
        json!({ "kind": "within", "good": 7, "total": 8 })
    );
    assert_eq!(p["display"], "87.50% (7/8); 2 of 3 parts met");
    assert_eq!(
        (&p["counted"], &p["pending"], &p["misses"]),
        (&json!(8), &json!(1), &json!(1))
    );
    assert_eq!(p["worst"][0]["id"], "u2");
    assert_eq!(p["pending_events"][0]["id"], "u3");
    // Per platform and per band the parts' targets differ: given per part.
    assert_eq!(p["platforms"], json!([]));
    assert_eq!(p["segments"][0]["platforms"].as_array().unwrap().len(), 2);
}

/// `answered` (response rate; no `where`, so reddit counts): the period
/// is still running at as-of, so the unanswered u3 and n5 are pending.
/// - priority >= urgent (>= 99%): u1, u2 answered: 2/2, met; u3 pending.
/// - other items (>= 90%): h1 h2 h3 n1 n2 n3 r1 answered: 7/7, met; n5
///   pending.
/// - the goal: 9/9 answered (the sums), met.
#[test]
fn a_response_rate_per_segment() {
    let r = json_report(SLA);
    let p = &r["goals"][1]["results"][0];
    assert_eq!(
        parts(p),
        [
            (json!(["priority >= urgent"]), "met".into(), 2, 2, 1, 0),
            (json!([]), "met".into(), 7, 7, 1, 0),
        ]
    );
    assert_eq!(p["status"], "met");
    assert_eq!(
        p["value"],
        json!({ "kind": "ratio", "numerator": 9, "denominator": 9 })
    );
    assert_eq!(p["pending"], 2);
}

/// `warn at 50%` with segments: every item is warned after half of its own
/// part's allowance, not of the goal's.
/// - urgent (15m, warned after 7m30s = 450s): u1 10m warned, in time; u2
///   20m warned, breached; u3 pending at 10m, warned. 3 warned, 1
///   breached (u2). Held to the goal's 1h, none of them would be warned.
/// - other items (1h, warned after 30m = 1800s; no `where`, reddit too):
///   h1 25m and n3 5m not warned; h2 30m, h3 50m, n1 59m, n2 1h warned
///   and in time; r1 3h warned and breached; n5 unanswered since 13 March
///   warned and breached. 6 warned, 2 breached (r1, n5). Counted 8, 6 in
///   time: 75% < 90%, missed.
/// - the goal: 10 counted, 7 in time (70.00%), 3 misses, 1 pending; no
///   part met.
#[test]
fn warnings_use_each_segments_allowance() {
    let r = json_report("tests/data/segments/warned.sla");
    let p = &r["goals"][0]["results"][0];
    let w = |i: usize| p["segments"][i]["warnings"].clone();
    assert_eq!(
        (
            w(0)["after_seconds"].clone(),
            w(0)["warned"].clone(),
            w(0)["breached"].clone()
        ),
        (json!(450), json!(3), json!(1))
    );
    assert_eq!(w(0)["items"][0]["id"], "u2");
    assert_eq!(
        (
            w(1)["after_seconds"].clone(),
            w(1)["warned"].clone(),
            w(1)["breached"].clone()
        ),
        (json!(1800), json!(6), json!(2))
    );
    assert_eq!(p["status"], "missed");
    assert_eq!(p["display"], "70.00% (7/10); 0 of 2 parts met");
    assert_eq!(
        (&p["counted"], &p["pending"], &p["misses"]),
        (&json!(10), &json!(1), &json!(3))
    );
}

/// Each view of the report carries the by-segment rows.
#[test]
fn every_view_shows_the_segments() {
    let md = report(SLA, "markdown", "internal");
    assert!(
        md.contains(
            "| priority = urgent | 95% within 15m | 50.00% (1/2) | 2 | 1 | 1 | **missed** |"
        ),
        "{md}"
    );
    assert!(md.contains("| other items | 90% within 1h | 100.00% (4/4) | 4 | 0 | 0 | met |"));
    assert!(md.contains(
        "| whole goal | every part | 87.50% (7/8); 2 of 3 parts met | 8 | 1 | 1 | **missed** |"
    ));
    let client = report(SLA, "markdown", "client");
    assert!(client.contains(
        "| priority = urgent: 95% within 15 minutes | 50.00% (1 of 2 in time) | 2 | 1 | 1 | **missed** |"
    ), "{client}");
    assert!(client.contains("the service level is met when no segment is missed"));
}

/// The live targets watch each part with its own selector and target,
/// told apart by the `segment` label; the other items are "none of the
/// segments' values" when one matcher says it (W0014 otherwise).
#[test]
fn prometheus_watches_each_part() {
    let dir = tempfile::tempdir().unwrap();
    let build = |sla: &str| {
        let out = Command::cargo_bin("slac")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["build", sla, "--target", "prometheus", "--out"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read_to_string(dir.path().join("care.prometheus.yaml")).unwrap()
    };
    let rules = build("tests/corpus/valid/targets-per-segment.sla");
    for selector in [
        r#"platform=~"x|facebook|instagram",priority="urgent",le=~"900|900\\.0""#,
        r#"platform=~"x|facebook|instagram",priority="high",le=~"1800|1800\\.0""#,
        r#"platform=~"x|facebook|instagram",priority!~"high|urgent",le=~"3600|3600\\.0""#,
        r#"slac_inquiries_responded_total{agreement="care",priority!="urgent"}"#,
        r#"channel!=\"dm\""#,
    ] {
        assert!(rules.contains(selector), "{selector}");
    }
    for label in [
        r#"segment: "priority = urgent""#,
        r#"segment: "priority >= urgent""#,
        r#"segment: "channel = dm""#,
        r#"segment: "other""#,
    ] {
        assert!(rules.contains(label), "{label}");
    }
    // `warn at 50%`: half of each part's allowance, on the part's gauge.
    assert!(rules.contains(
        r#"slac_goal_item_open_seconds{agreement=\"care\",goal=\"replies\",segment=\"priority = urgent\"} >= 450"#
    ));
    assert!(rules.contains(
        r#"slac_goal_item_open_seconds{agreement=\"care\",goal=\"replies\",segment=\"other\"} >= 1800"#
    ));
    // Two conditions in a segment: the segments only, no `other` part.
    let rules = build("tests/data/segments/care.sla");
    assert!(rules.contains(r#"segment: "priority = high, platform in [x, instagram]""#));
    assert!(!rules.contains(
        r#"goal: "replies"
          segment: "other""#
    ));
}

/// OpenSLO: one SLI and SLO per part, each on its part's selector.
#[test]
fn openslo_has_an_slo_per_part() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("slac")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["build", "tests/corpus/valid/targets-per-segment.sla"])
        .args(["--target", "openslo", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = std::fs::read_to_string(dir.path().join("care.openslo.yaml")).unwrap();
    let slos: Vec<&str> = docs
        .split("---\n")
        .filter(|d| d.contains("kind: \"SLO\""))
        .collect();
    // replies: urgent, high, other; answered: urgent, other; resolved: dm, other.
    assert_eq!(slos.len(), 7);
    assert!(slos[0].contains("displayName: \"Replies by priority, segment priority = urgent\""));
    assert!(slos[0].contains("(95% within 15m)"));
    assert!(slos[2].contains("name: \"care-replies-other\""));
    assert!(slos[2].contains("(90% within 1h)"));
    assert!(docs.contains(r#"priority!~\"high|urgent\""#));
}

mod common;

/// `slac diff`: a segment's target is judged like a goal's, part by part;
/// an added segment against the goal's old target (which held its items),
/// a removed one against the goal's new target (which holds them now).
#[test]
fn diff_classifies_segment_targets() {
    const BASE: &str = include_str!("corpus/valid/targets-per-segment.sla");
    let changes = |edit: &dyn Fn(&str) -> String| {
        let old = common::check_text("targets-per-segment.sla", BASE);
        let new = common::check_text("targets-per-segment.sla", &edit(BASE));
        assert_eq!(new.errors(), 0, "{}", new.rendered());
        slac::diff::diff(&old.model, &new.model)
            .into_iter()
            .map(|c| (c.kind, c.effect, c.summary))
            .collect::<Vec<_>>()
    };
    use slac::diff::{Effect, Kind};
    // 15m to 10m for urgent: stricter.
    let c = changes(&|s| {
        s.replace(
            "95% within 15m for priority = urgent",
            "95% within 10m for priority = urgent",
        )
    });
    assert_eq!(
        c,
        [(
            Kind::Changed,
            Effect::Stricter,
            "goal replies: target for priority = urgent tightened from `95% within 15m` to `95% within 10m`".to_string()
        )]
    );
    // A lower share for high: looser.
    let c = changes(&|s| {
        s.replace(
            "95% within 30m for priority = high",
            "90% within 30m for priority = high",
        )
    });
    assert_eq!((c[0].0, c[0].1), (Kind::Changed, Effect::Looser), "{c:?}");
    // Direct messages back on the goal's p90 <= 8h instead of 2h: looser;
    // reviews held to 4h instead of the goal's 8h: stricter.
    let c = changes(&|s| s.replace("    target p90 <= 2h for channel = dm\n", ""));
    assert_eq!((c[0].0, c[0].1), (Kind::Removed, Effect::Looser), "{c:?}");
    let c = changes(&|s| {
        s.replace(
            "    target p90 <= 8h\n",
            "    target p90 <= 8h\n    target p90 <= 4h for channel = review\n",
        )
    });
    assert_eq!((c[0].0, c[0].1), (Kind::Added, Effect::Stricter), "{c:?}");
    assert_eq!(
        c[0].2,
        "goal resolved: segment added: `target p90 <= 4h for channel = review`"
    );
}

/// `slac fmt` writes a segment's clause in canonical form and reads it
/// back to the same model (the corpus round trip covers the valid file).
#[test]
fn fmt_writes_segments_canonically() {
    let messy = "agreement a \"A\" {\n  client c \"C\"\n  provider p \"P\"\n  effective 2026-01-01 to 2026-12-31\n  role r of p { email \"r@p.example\" }\n  goal g \"G\" {\n    metric response_time\n    target   90%   within 1h\n    target 95%  within   15m   for priority=urgent,platform in [x,instagram]\n    owner r\n  }\n}\n";
    let out = Command::cargo_bin("slac")
        .unwrap()
        .args(["fmt", "-"])
        .write_stdin(messy)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let formatted = String::from_utf8(out.stdout).unwrap();
    assert!(
        formatted.contains(
            "    target 95% within 15m for priority = urgent, platform in [x, instagram]\n"
        ),
        "{formatted}"
    );
    let again = Command::cargo_bin("slac")
        .unwrap()
        .args(["fmt", "-"])
        .write_stdin(formatted.clone())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(again.stdout).unwrap(), formatted);
    let (a, b) = (
        common::check_text("a.sla", messy),
        common::check_text("a.sla", &formatted),
    );
    assert_eq!(a.model.agreements[0].goals, b.model.agreements[0].goals);
    assert_eq!(a.model.agreements[0].goals[0].segments.len(), 1);
}

/// `warn at` leaves each segment's items too little time when 75% of the
/// segment's `within 2m` leaves 30s (W0016), though the goal's 1h is fine.
#[test]
fn a_warning_too_close_to_a_segments_deadline() {
    let text = "agreement a \"A\" {\n  client c \"C\"\n  provider p \"P\"\n  effective 2026-01-01 to 2026-12-31\n  role r of p { email \"r@p.example\" }\n  goal g \"G\" {\n    metric response_time\n    target 90% within 1h\n    target 95% within 2m for priority = urgent\n    warn at 75%\n    owner r\n  }\n}\n";
    let c = common::check_text("a.sla", text);
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["W0016"], "{}", c.rendered());
    assert!(c
        .rendered()
        .contains("warning at 75% of 2m leaves 30s before the breach"));
}

/// A percentile goal has no single value across its parts: `resolved`
/// (p90 <= 8h; p90 <= 2h for channel = dm) over data where nothing is
/// resolved yet. dm: u2, h1, h2, h3, n3, all open for days at as-of: 5
/// counted, 5 misses (+infinity), missed. Other items (mentions): u1, n1,
/// n2, r1, n5 open for days (5 misses); u3 open 10m < 8h: pending. Missed.
/// The goal: value null, "0 of 2 parts met", 10 counted, 1 pending.
#[test]
fn a_percentile_goal_has_no_single_value() {
    let r = json_report("tests/corpus/valid/targets-per-segment.sla");
    let p = &r["goals"][2]["results"][0];
    assert_eq!(r["goals"][2]["id"], "resolved");
    assert_eq!(p["value"], Value::Null);
    assert_eq!(p["display"], "0 of 2 parts met");
    assert_eq!(p["status"], "missed");
    assert_eq!(
        (&p["counted"], &p["pending"], &p["misses"]),
        (&json!(10), &json!(1), &json!(10))
    );
    let s = &p["segments"];
    assert_eq!(
        (&s[0]["counted"], &s[0]["misses"], &s[0]["status"]),
        (&json!(5), &json!(5), &json!("missed"))
    );
    assert_eq!(
        (
            &s[1]["counted"],
            &s[1]["pending"],
            &s[1]["value"]["seconds"]
        ),
        (&json!(5), &json!(1), &Value::Null)
    );
}

/// `slac serve`: the item gauge of a goal with segments carries the item's
/// part, which the compiled warning of that part matches.
#[test]
fn serve_labels_each_open_item_with_its_segment() {
    use chrono::{Duration as Days, SecondsFormat, Utc};
    use common::live::{self, metrics, post, value};
    let today = Utc::now().date_naive();
    let (from, to) = (today - Days::days(60), today + Days::days(60));
    let sla = format!(
        r#"agreement live "Live test" {{
  client brand "Brand"
  provider agency "Agency"
  effective {from} to {to}
  role care of agency {{ email "care@agency.example" }}
  goal replies "Replies by priority" {{
    metric response_time
    target 90% within 1h
    target 95% within 15m for priority = urgent
    warn at 75%
    owner care
  }}
}}
"#
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("live.sla"), sla).unwrap();
    let store = dir.path().join("events.db").display().to_string();
    let server = live::start(&["live.sla", "--store", &store], dir.path());
    let received = (Utc::now() - Days::minutes(10)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let inquiry = |id: &str, priority: &str| {
        format!(
            r#"{{"kind":"inquiry","id":"{id}","platform":"x","channel":"dm","priority":"{priority}","audience":"","received_at":"{received}","first_response_at":null,"resolved_at":null}}"#
        )
    };
    let batch = [inquiry("U", "urgent"), inquiry("N", "normal")].join("\n");
    let (status, body) = post(&server.addr, &batch, None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    let g = "slac_goal_item_open_seconds";
    assert!(
        value(&m, g, &[r#"item="U""#, r#"segment="priority = urgent""#]).is_some(),
        "{m}"
    );
    assert!(
        value(&m, g, &[r#"item="N""#, r#"segment="other""#]).is_some(),
        "{m}"
    );
}
