//! `slac serve` as a process: events in over HTTP, series out on /metrics,
//! bad input refused whole, durability across `kill -9`, reloads, the
//! contract gauges against `slac report --store`, and replicas sharing a
//! PostgreSQL store.

mod common;

use chrono::{Datelike, Duration as Days, NaiveDate, Utc};
use common::live::{self, eventually, metrics, post, sum, value};
use std::path::Path;
use std::time::Duration;

/// An agreement whose term runs from 60 days ago to 60 days ahead, with a
/// UTC office clock (weekdays 09:00-17:00) and goals on it and on `always`.
fn agreement(today: NaiveDate) -> String {
    let (from, to) = (today - Days::days(60), today + Days::days(60));
    format!(
        r#"calendar office {{
  timezone "UTC"
  open mon-fri 09:00-17:00
}}

agreement live "Live test" {{
  client brand "Brand"
  provider agency "Agency"
  effective {from} to {to}
  fee 1000 EUR per month
  role care of agency {{ email "care@agency.example" }}

  goal office_reply "Reply within an office hour" {{
    metric response_time
    target 90% within 1h
    clock office
    owner care
    on breach {{ credit 5% }}
  }}

  goal any_reply "Reply within two hours" {{
    metric response_time
    target 90% within 2h
    owner care
  }}

  goal answer_everyone "Response rate" {{
    metric response_rate
    target >= 95%
    owner care
  }}
}}
"#
    )
}

/// The Monday of the week two weeks before `today`.
fn past_monday(today: NaiveDate) -> NaiveDate {
    today - Days::days(14 + today.weekday().num_days_from_monday() as i64)
}

fn setup() -> (tempfile::TempDir, NaiveDate) {
    let dir = tempfile::tempdir().unwrap();
    let today = Utc::now().date_naive();
    std::fs::write(dir.path().join("live.sla"), agreement(today)).unwrap();
    (dir, today)
}

fn inquiry(id: &str, received: &str, answered: Option<&str>) -> String {
    let answered = answered
        .map(|a| format!("\"{a}\""))
        .unwrap_or("null".into());
    format!(
        r#"{{"kind":"inquiry","id":"{id}","platform":"x","channel":"dm","priority":"normal","audience":"","received_at":"{received}","first_response_at":{answered},"resolved_at":null}}"#
    )
}

fn store_arg(dir: &Path) -> String {
    dir.join("events.db").display().to_string()
}

#[test]
fn events_become_histograms_in_each_clocks_business_seconds() {
    let (dir, today) = setup();
    let monday = past_monday(today);
    let tuesday = monday + Days::days(1);
    let store = store_arg(dir.path());
    let server = live::start(&["live.sla", "--store", &store], dir.path());
    // A: Monday 16:30 to Tuesday 09:45 is 30m + 45m = 4,500 office seconds
    // and 17h15m = 62,100 seconds on `always`. B: 10:00 to 10:45, 2,700
    // seconds on both. A arrives first unanswered, then completed.
    let a_open = inquiry("A", &format!("{monday}T16:30:00Z"), None);
    let (status, body) = post(&server.addr, &a_open, None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    assert_eq!(sum(&m, "slac_inquiries_total", &[]), 1.0);
    assert_eq!(sum(&m, "slac_inquiries_responded_total", &[]), 0.0);
    assert_eq!(
        sum(&m, "slac_inquiry_first_response_seconds_count", &[]),
        0.0
    );
    let batch = [
        inquiry(
            "A",
            &format!("{monday}T16:30:00Z"),
            Some(&format!("{tuesday}T09:45:00Z")),
        ),
        inquiry(
            "B",
            &format!("{monday}T10:00:00Z"),
            Some(&format!("{monday}T10:45:00Z")),
        ),
    ]
    .join("\n");
    let (status, body) = post(&server.addr, &batch, None);
    assert_eq!((status, body.as_str()), (200, r#"{"accepted":2}"#));
    let m = metrics(&server.addr);
    let h = "slac_inquiry_first_response_seconds";
    let office = r#"clock="office""#;
    let always = r#"clock="always""#;
    let bucket = |clock: &str, le: &str| {
        value(
            &m,
            &format!("{h}_bucket"),
            &[clock, &format!("le=\"{le}\"")],
        )
    };
    assert_eq!(bucket(office, "3600"), Some(1.0), "{m}");
    assert_eq!(bucket(office, "7200"), Some(2.0));
    assert_eq!(bucket(always, "3600"), Some(1.0));
    assert_eq!(bucket(always, "7200"), Some(1.0));
    assert_eq!(bucket(always, "86400"), Some(2.0));
    assert_eq!(bucket(always, "+Inf"), Some(2.0));
    assert_eq!(value(&m, &format!("{h}_sum"), &[office]), Some(7200.0));
    assert_eq!(value(&m, &format!("{h}_sum"), &[always]), Some(64800.0));
    assert_eq!(value(&m, &format!("{h}_count"), &[always]), Some(2.0));
    assert!(m.contains(r#"agreement="live""#));
    assert_eq!(sum(&m, "slac_inquiries_total", &[]), 2.0);
    assert_eq!(sum(&m, "slac_inquiries_responded_total", &[]), 2.0);
    assert!(m.contains("# TYPE slac_inquiry_first_response_seconds histogram"));
    // Restarted on the same store, the sums are the same.
    drop(server);
    let again = live::start(&["live.sla", "--store", &store], dir.path());
    let m2 = metrics(&again.addr);
    assert_eq!(value(&m2, &format!("{h}_sum"), &[always]), Some(64800.0));
    assert_eq!(sum(&m2, "slac_inquiries_total", &[]), 2.0);
}

#[test]
fn bad_requests_are_refused_whole_and_the_server_keeps_running() {
    let (dir, today) = setup();
    let monday = past_monday(today);
    std::fs::write(dir.path().join("token"), "s3cret\n").unwrap();
    let store = store_arg(dir.path());
    let server = live::start(
        &[
            "live.sla",
            "--store",
            &store,
            "--token-file",
            "token",
            "--max-body",
            "4096",
            "--max-batch",
            "3",
        ],
        dir.path(),
    );
    let good = inquiry("ok-1", &format!("{monday}T10:00:00Z"), None);
    let t = Some("s3cret");
    let cases: Vec<(String, Option<&str>, u16, &str)> = vec![
        (good.clone(), None, 401, "bearer token"),
        (good.clone(), Some("wrong"), 401, "bearer token"),
        (
            format!("{good}\n{{not json"),
            t,
            400,
            "line 2 is not valid JSON",
        ),
        (
            format!("{good}\n{}", good.replace("inquiry", "inqiury")),
            t,
            400,
            "unknown kind `inqiury`",
        ),
        (
            good.replace(r#""audience":"""#, r#""audiense":"""#),
            t,
            400,
            "unknown field `audiense`",
        ),
        (
            good.replace("T10:00:00Z", "T10:00:00"),
            t,
            400,
            "is not an RFC 3339 timestamp",
        ),
        (
            inquiry(
                "x",
                &format!("{monday}T10:00:00Z"),
                Some(&format!("{monday}T09:00:00Z")),
            ),
            t,
            400,
            "is before `received_at`",
        ),
        (
            good.replace(r#""x""#, r#""myspace""#),
            t,
            400,
            "unknown platform `myspace`",
        ),
        (
            format!("{good}\n{good}\n{good}\n{good}"),
            t,
            400,
            "more than 3 events",
        ),
        (format!("{good}\n{}", "x".repeat(5000)), t, 413, ""),
        (
            good.replace(r#""agreement""#, "")
                .replace(r#"{"kind""#, r#"{"agreement":"other","kind""#),
            t,
            400,
            "unknown agreement `other`",
        ),
    ];
    for (body, token, status, says) in &cases {
        let (got, answer) = post(&server.addr, body, *token);
        assert_eq!(got, *status, "{body}\n{answer}");
        assert!(answer.contains(says), "{answer} lacks {says}");
        if *status == 400 {
            let json: serde_json::Value = serde_json::from_str(&answer).unwrap();
            assert!(json["errors"][0]["message"].is_string(), "{answer}");
        }
    }
    // A batch with one bad event stores none of them, and says which.
    let mixed = format!(
        "{good}\n{}",
        good.replace("ok-1", "ok-2").replace(r#""dm""#, r#""fax""#)
    );
    let (got, answer) = post(&server.addr, &mixed, t);
    assert_eq!(got, 400);
    let json: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(json["errors"][0]["index"], 1);
    assert_eq!(json["errors"][0]["field"], "channel");
    let m = metrics(&server.addr);
    assert!(
        !m.contains("slac_serve_events_stored{"),
        "something was stored:\n{m}"
    );
    let (status, _) = live::request(&server.addr, "GET", "/healthz", &[], b"");
    assert_eq!(status, 200);
    assert_eq!(post(&server.addr, &good, t).0, 200);
}

#[test]
fn acknowledged_events_survive_kill_9_and_counters_never_go_back() {
    let (dir, today) = setup();
    let monday = past_monday(today);
    let store = store_arg(dir.path());
    let mut server = live::start(&["live.sla", "--store", &store], dir.path());
    let addr = server.addr.clone();
    let acked = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = acked.clone();
    let writer = std::thread::spawn(move || {
        for batch in 0.. {
            let body: Vec<String> = (0..200)
                .map(|i| {
                    inquiry(
                        &format!("b{batch}-{i}"),
                        &format!("{monday}T10:00:00Z"),
                        Some(&format!("{monday}T10:30:00Z")),
                    )
                })
                .collect();
            match std::panic::catch_unwind(|| post(&addr, &body.join("\n"), None)) {
                Ok((200, _)) => {
                    counter.fetch_add(200, std::sync::atomic::Ordering::SeqCst);
                }
                _ => break,
            }
        }
    });
    std::thread::sleep(Duration::from_millis(1500));
    let before = sum(&metrics(&server.addr), "slac_inquiries_total", &[]);
    std::thread::sleep(Duration::from_millis(500));
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    writer.join().unwrap();
    let acked = acked.load(std::sync::atomic::Ordering::SeqCst) as f64;
    assert!(acked >= 400.0, "too few batches were acknowledged: {acked}");
    let again = live::start(&["live.sla", "--store", &store], dir.path());
    let m = metrics(&again.addr);
    let stored = value(&m, "slac_serve_events_stored", &[r#"kind="inquiries""#]).unwrap();
    assert!(stored >= acked, "{stored} stored < {acked} acknowledged");
    let after = sum(&m, "slac_inquiries_total", &[]);
    assert!(
        after >= before && after == stored,
        "before {before}, after {after}, stored {stored}"
    );
}

#[test]
fn a_broken_edit_keeps_the_last_good_agreement_and_says_so() {
    let (dir, _) = setup();
    let store = store_arg(dir.path());
    let server = live::start(&["live.sla", "--store", &store], dir.path());
    let good = std::fs::read_to_string(dir.path().join("live.sla")).unwrap();
    let errors = |addr: &str| value(&metrics(addr), "slac_serve_config_errors", &[]);
    assert_eq!(errors(&server.addr), Some(0.0));
    std::fs::write(
        dir.path().join("live.sla"),
        good.replace("owner care\n    on breach", "owner carer\n    on breach"),
    )
    .unwrap();
    assert!(
        eventually(Duration::from_secs(15), || errors(&server.addr)
            .unwrap_or(0.0)
            > 0.0),
        "the broken edit was not noticed"
    );
    assert!(value(
        &metrics(&server.addr),
        "slac_serve_agreement",
        &[r#"agreement="live""#]
    )
    .is_some());
    assert!(server.log.lock().unwrap().contains("unknown role `carer`"));
    std::fs::write(dir.path().join("live.sla"), good).unwrap();
    assert!(
        eventually(Duration::from_secs(15), || errors(&server.addr)
            == Some(0.0)),
        "the fix was not noticed"
    );
    assert_eq!(
        value(
            &metrics(&server.addr),
            "slac_serve_config_last_reload_successful",
            &[]
        ),
        Some(1.0)
    );
}

#[test]
fn contract_gauges_equal_what_the_report_prints_at_the_same_instant() {
    let (dir, _) = setup();
    let store = store_arg(dir.path());
    let server = live::start(
        &["live.sla", "--store", &store, "--refresh", "1"],
        dir.path(),
    );
    let now = Utc::now();
    let t =
        |secs: i64| (now - Days::seconds(secs)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let events = [
        inquiry("fast", &t(120), Some(&t(60))),
        inquiry("open", &t(30), None),
        inquiry("old-open", &t(30), None),
    ]
    .join("\n");
    assert_eq!(post(&server.addr, &events, None).0, 200);
    std::thread::sleep(Duration::from_millis(2500));
    let m = metrics(&server.addr);
    let as_of = value(&m, "slac_contract_as_of_seconds", &[]).expect("as-of gauge") as i64;
    let as_of = chrono::DateTime::from_timestamp(as_of, 0).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_slac"))
        .args(["report", "live.sla", "--store", &store, "--format", "json"])
        .args(["--as-of", &as_of.to_rfc3339()])
        .args(["--period", &as_of.format("%Y-%m").to_string()])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut compared = 0;
    for goal in report["goals"].as_array().unwrap() {
        let id = goal["id"].as_str().unwrap();
        for r in goal["results"].as_array().unwrap() {
            let labels = [
                format!("goal=\"{id}\""),
                format!("period=\"{}\"", r["period"].as_str().unwrap()),
            ];
            let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
            for field in ["counted", "pending", "misses"] {
                let gauge = value(&m, &format!("slac_goal_{field}"), &labels);
                assert_eq!(gauge, r[field].as_f64(), "{id} {field}\n{m}");
                compared += 1;
            }
            let met = value(&m, "slac_goal_met", &labels);
            let expected = match r["status"].as_str().unwrap() {
                "met" => Some(1.0),
                "missed" => Some(0.0),
                _ => None,
            };
            assert_eq!(met, expected, "{id} status");
        }
    }
    assert!(compared >= 9, "too few numbers compared: {compared}");
    assert_eq!(
        value(&m, "slac_goal_counted", &[r#"goal="any_reply""#]),
        Some(1.0)
    );
    assert_eq!(
        value(&m, "slac_goal_pending", &[r#"goal="answer_everyone""#]),
        Some(2.0)
    );
}

/// The PostgreSQL server `scripts/test.sh` starts; required there.
fn postgres_url() -> Option<String> {
    match std::env::var("SLAC_TEST_POSTGRES") {
        Ok(url) => Some(url),
        Err(_) if std::env::var("SLAC_REQUIRE_TOOLS").is_ok() => {
            panic!("SLAC_TEST_POSTGRES is not set: scripts/test.sh starts PostgreSQL and sets it")
        }
        Err(_) => {
            eprintln!("skipped: set SLAC_TEST_POSTGRES=postgres://... (scripts/test.sh does)");
            None
        }
    }
}

#[test]
fn replicas_on_one_postgres_store_serve_the_same_numbers() {
    let Some(url) = postgres_url() else { return };
    let mut client =
        postgres::Client::connect(&url, postgres::NoTls).expect("connect to the test database");
    client
        .batch_execute("DROP TABLE IF EXISTS slac_events, slac_series, slac_plans")
        .unwrap();
    let (dir, today) = setup();
    let monday = past_monday(today);
    let a = live::start(&["live.sla", "--store", &url], dir.path());
    let b = live::start(&["live.sla", "--store", &url], dir.path());
    let one = inquiry(
        "pg-1",
        &format!("{monday}T10:00:00Z"),
        Some(&format!("{monday}T10:20:00Z")),
    );
    let two = inquiry("pg-2", &format!("{monday}T11:00:00Z"), None);
    assert_eq!(post(&a.addr, &one, None).0, 200);
    assert_eq!(post(&b.addr, &two, None).0, 200);
    let (ma, mb) = (metrics(&a.addr), metrics(&b.addr));
    for m in [&ma, &mb] {
        assert_eq!(sum(m, "slac_inquiries_total", &[]), 2.0, "{m}");
        assert_eq!(sum(m, "slac_inquiries_responded_total", &[]), 1.0);
        assert_eq!(
            value(
                m,
                "slac_inquiry_first_response_seconds_sum",
                &[r#"clock="office""#]
            ),
            Some(1200.0)
        );
    }
    // The report reads the same store.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_slac"))
        .args(["report", "live.sla", "--store", &url, "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn ready_answers_and_sigterm_stops_it_cleanly() {
    let (dir, _) = setup();
    let store = store_arg(dir.path());
    let mut server = live::start(&["live.sla", "--store", &store], dir.path());
    assert_eq!(
        live::request(&server.addr, "GET", "/readyz", &[], b"").0,
        200
    );
    let (status, body) = live::request(&server.addr, "GET", "/nowhere", &[], b"");
    assert_eq!(status, 404);
    assert!(body.contains("POST /v1/events"), "{body}");
    let pid = server.child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{}", server.log.lock().unwrap());
    let log = server.log.clone();
    assert!(eventually(Duration::from_secs(5), || log
        .lock()
        .unwrap()
        .contains("slac serve: stopped")));
}
