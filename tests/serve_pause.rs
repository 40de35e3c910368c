//! Clocks that pause, live: `slac serve` takes `wait` events (and
//! `waits.csv` on `--import`) and writes a pausing goal's latency histogram
//! apart from the non-pausing one (`pause="customer"` beside `clock`),
//! measured with the report's own arithmetic. A wait that arrives after
//! the answer corrects the observation.
//!
//! The calendar `office` is open Monday to Friday 09:00-17:00 in Berlin
//! (UTC+1 in March 2026). Inquiry Q is received Monday 2026-03-02 at 10:00
//! and answered at 14:00 (Berlin): 4h of office time.

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

  goal plain "First reply, never paused" {
    metric response_time
    target 90% within 4h
    clock office
  }
  goal paused "First reply, paused on the customer" {
    metric response_time
    target mean <= 4h
    clock office
    pause while waiting on customer
  }
}
"#;

const Q: &str = r#"{"kind":"inquiry","id":"Q","platform":"x","channel":"dm","priority":"normal","audience":"","received_at":"2026-03-02T10:00:00+01:00","first_response_at":"2026-03-02T14:00:00+01:00","resolved_at":null}"#;

fn wait(on: &str, from: &str, to: &str) -> String {
    format!(
        r#"{{"kind":"wait","inquiry":"Q","on":"{on}","from":"2026-03-02T{from}:00+01:00","to":"2026-03-02T{to}:00+01:00"}}"#
    )
}

/// The value of the sample of `series` whose labels hold every one of
/// `with` and none of `without`.
fn sample(m: &str, series: &str, with: &[&str], without: &[&str]) -> Option<f64> {
    m.lines()
        .filter(|l| l.starts_with(&format!("{series}{{")))
        .filter(|l| with.iter().all(|x| l.contains(x)))
        .find(|l| !without.iter().any(|x| l.contains(x)))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

const SUM: &str = "slac_inquiry_first_response_seconds_sum";
const COUNT: &str = "slac_inquiry_first_response_seconds_count";

fn plain(m: &str, series: &str) -> Option<f64> {
    sample(m, series, &[r#"clock="office""#], &["pause="])
}

fn paused(m: &str, series: &str) -> Option<f64> {
    sample(
        m,
        series,
        &[r#"clock="office""#, r#"pause="customer""#],
        &[],
    )
}

#[test]
fn a_pausing_goal_has_its_own_series_and_late_waits_correct_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("events.db").display().to_string();
    pausing_scenario(dir.path(), &store, "t");
}

/// The same on the shared store (`scripts/postgres.sh`), under an
/// agreement name of its own so that earlier runs do not count.
#[test]
fn a_pausing_goal_on_postgres() {
    let Ok(url) = std::env::var("SLAC_TEST_POSTGRES") else {
        eprintln!("skipped: set SLAC_TEST_POSTGRES=postgres://... (scripts/test.sh does)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    pausing_scenario(dir.path(), &url, &format!("pause_{stamp}"));
}

fn pausing_scenario(dir: &std::path::Path, store: &str, name: &str) {
    let sla = AGREEMENT.replace(
        "agreement t \"Test\"",
        &format!("agreement {name} \"Test\""),
    );
    std::fs::write(dir.join("t.sla"), sla).unwrap();
    let server = live::start(&["t.sla", "--store", store], dir);

    // Waits before the answer: on the customer 11:00-12:30 (1h30m), on the
    // client 13:00-13:30 (another party: the goal does not pause on it).
    let batch = [
        wait("customer", "11:00", "12:30"),
        wait("client", "13:00", "13:30"),
        Q.to_string(),
    ]
    .join("\n");
    let (status, body) = post(&server.addr, &batch, None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    // Never paused: 10:00-14:00 = 4h = 14400 s.
    assert_eq!(plain(&m, SUM), Some(14400.0), "{m}");
    assert_eq!(plain(&m, COUNT), Some(1.0), "{m}");
    // Paused on the customer: 4h - 1h30m = 2h30m = 9000 s, in the bucket
    // up to 4h (14400), not the one up to 2h (7200).
    assert_eq!(paused(&m, SUM), Some(9000.0), "{m}");
    assert_eq!(paused(&m, COUNT), Some(1.0), "{m}");
    let bucket = "slac_inquiry_first_response_seconds_bucket";
    assert_eq!(
        sample(&m, bucket, &[r#"pause="customer""#, r#"le="7200""#], &[]),
        Some(0.0),
        "{m}"
    );
    assert_eq!(
        sample(&m, bucket, &[r#"pause="customer""#, r#"le="14400""#], &[]),
        Some(1.0),
        "{m}"
    );

    // A wait posted after the answer (on the customer, 13:30-13:45, 15m)
    // corrects the observation: 9000 - 900 = 8100 s, still one inquiry.
    let (status, body) = post(&server.addr, &wait("customer", "13:30", "13:45"), None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    assert_eq!(paused(&m, SUM), Some(8100.0), "{m}");
    assert_eq!(paused(&m, COUNT), Some(1.0), "{m}");
    assert_eq!(plain(&m, SUM), Some(14400.0), "{m}");

    // The same wait sent again with a later end (13:45 -> 13:55, upserted
    // by inquiry, party and start): 25m paused instead of 15m: 7500 s.
    let (status, body) = post(&server.addr, &wait("customer", "13:30", "13:55"), None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    assert_eq!(paused(&m, SUM), Some(7500.0), "{m}");

    // An overlapping wait (11:15-11:45 inside 11:00-12:30) is data the
    // report refuses: the case is counted as a conflict and its pausing
    // goal observed unpaused (stricter, never looser) until corrected.
    let (status, body) = post(&server.addr, &wait("customer", "11:15", "11:45"), None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    assert_eq!(paused(&m, SUM), Some(14400.0), "{m}");
    assert_eq!(
        sample(
            &m,
            "slac_serve_case_conflicts",
            &[&format!("agreement=\"{name}\"")],
            &[]
        ),
        Some(1.0),
        "{m}"
    );
}

#[test]
fn import_reads_waits_csv_and_restarts_keep_the_paused_sums() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.sla"), AGREEMENT).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("inquiries.csv"),
        "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at\n\
         Q,x,dm,normal,,2026-03-02T10:00:00+01:00,2026-03-02T14:00:00+01:00,\n",
    )
    .unwrap();
    std::fs::write(
        data.join("waits.csv"),
        "inquiry,on,from,to\nQ,customer,2026-03-02T11:00:00+01:00,2026-03-02T12:30:00+01:00\n",
    )
    .unwrap();
    let store = dir.path().join("events.db").display().to_string();
    let server = live::start(
        &["t.sla", "--store", &store, "--import", "data"],
        dir.path(),
    );
    let m = metrics(&server.addr);
    // As above: 14400 s unpaused, 9000 s paused.
    assert_eq!(plain(&m, SUM), Some(14400.0), "{m}");
    assert_eq!(paused(&m, SUM), Some(9000.0), "{m}");
    drop(server);
    // `slac report --store` reads the same store: its mean of the pausing
    // goal is the same 9000 s, 5400 s of it paused.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_slac"))
        .args(["report", "t.sla", "--store", &store, "--period", "2026-03"])
        .args(["--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let goal = r["goals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "paused")
        .unwrap();
    let march = &goal["results"][0];
    assert_eq!(march["period"], "2026-03");
    assert_eq!(march["value"]["sum_seconds"], 9000, "{march}");
    assert_eq!(march["paused"]["seconds"], 5400, "{march}");
    // The agreement changes (a new goal): the sums are rebuilt from the
    // stored events, cases included.
    let more = AGREEMENT.replace(
        "  goal plain",
        "  goal plain2 \"Two hours\" {\n    metric response_time\n    target 90% within 2h\n    clock office\n  }\n  goal plain",
    );
    std::fs::write(dir.path().join("t.sla"), more).unwrap();
    let server = live::start(&["t.sla", "--store", &store], dir.path());
    let m = metrics(&server.addr);
    assert_eq!(plain(&m, SUM), Some(14400.0), "{m}");
    assert_eq!(paused(&m, SUM), Some(9000.0), "{m}");
}

/// The contract gauges read the stored events of the running periods: a
/// wait of an inquiry received before them (a case of an earlier period)
/// is left out with its inquiry, not taken for a wait of no inquiry.
#[test]
fn contract_gauges_leave_out_the_waits_of_earlier_periods() {
    use chrono::{Datelike, Duration, SecondsFormat, Utc};
    let now = Utc::now();
    let today = now.date_naive();
    let (from, to) = (today - Duration::days(60), today + Duration::days(60));
    let sla = format!(
        r#"agreement live "Live" {{
  client c "Client"
  provider p "Provider"
  effective {from} to {to}
  goal paused "First reply, paused on the customer" {{
    metric response_time
    target 90% within 1h
    pause while waiting on customer
  }}
}}
"#
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.sla"), sla).unwrap();
    let store = dir.path().join("events.db").display().to_string();
    let server = live::start(&["t.sla", "--store", &store, "--refresh", "1"], dir.path());
    let t =
        |d: chrono::DateTime<Utc>| format!("\"{}\"", d.to_rfc3339_opts(SecondsFormat::Secs, true));
    let month = today
        .with_day(1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let inquiry = |id: &str, at: chrono::DateTime<Utc>| {
        format!(
            r#"{{"kind":"inquiry","id":"{id}","platform":"x","channel":"dm","priority":"normal","audience":"","received_at":{},"first_response_at":{},"resolved_at":null}}"#,
            t(at),
            t(at + Duration::minutes(50))
        )
    };
    let wait = |id: &str, a: chrono::DateTime<Utc>, b: chrono::DateTime<Utc>| {
        format!(
            r#"{{"kind":"wait","inquiry":"{id}","on":"customer","from":{},"to":{}}}"#,
            t(a),
            t(b)
        )
    };
    // OLD: received two days before this month, waiting on the customer
    // again a minute ago. NEW: received an hour ago, answered 50 minutes
    // later, 20 of them waiting: 30m on the paused clock.
    let hour_ago = now - Duration::hours(1);
    let batch = [
        inquiry("OLD", month - Duration::days(2)),
        wait(
            "OLD",
            now - Duration::minutes(2),
            now - Duration::minutes(1),
        ),
        inquiry("NEW", hour_ago),
        wait(
            "NEW",
            hour_ago + Duration::minutes(10),
            hour_ago + Duration::minutes(30),
        ),
    ]
    .join("\n");
    let (status, body) = post(&server.addr, &batch, None);
    assert_eq!(status, 200, "{body}");
    let counted = |m: &str| sample(m, "slac_goal_counted", &[r#"goal="paused""#], &[]);
    let mut m = String::new();
    let seen = common::live::eventually(std::time::Duration::from_secs(20), || {
        m = metrics(&server.addr);
        counted(&m) == Some(1.0)
    });
    assert!(seen, "{m}\n{}", server.log.lock().unwrap());
    // Within 1h on the paused clock (30m): met, share 1.
    assert_eq!(
        sample(&m, "slac_goal_value", &[r#"goal="paused""#], &[]),
        Some(1.0),
        "{m}"
    );
    let paused_sum = sample(&m, SUM, &[r#"pause="customer""#], &[]).unwrap();
    // OLD: 50m, NEW: 30m.
    assert_eq!(paused_sum, 4800.0, "{m}");
}
