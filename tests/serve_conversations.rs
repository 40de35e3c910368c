//! Conversations, live: `slac serve` takes `message`, `solved` and
//! `reopened` events (and `messages.csv` on `--import`) and publishes the
//! next-reply and periodic-update histograms, timed by the report's own
//! walk of the conversation. A wait is observed once it stops.
//!
//! One conversation, Mon 2026-03-02 (Berlin is UTC+1), office 09:00-17:00:
//!   09:00 in; 09:10 out human (the first reply: not a next reply);
//!   10:00 in  -> wait 1 opens; 10:05 in (a reply is owed: no new wait);
//!   10:40 out bot (every author counts) -> wait 1 stops after 40m;
//!   11:00 out human; 16:30 in -> wait 2 opens, no reply yet.
//! Resolution follows the status rows (`solved`, `reopened`) once there
//! are some, the solved time before a re-open left out.

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

  goal nr "Next reply" {
    metric next_reply_time
    target 100% within 1h
    clock office
  }
  goal pu "Updates" {
    metric periodic_update_time
    target 100% within 2h
    clock office
  }
  goal rs "Resolution" {
    metric resolution_time
    target 100% within 8h
    clock office
  }
}
"#;

const INQUIRY: &str = r#"{"kind":"inquiry","id":"q","platform":"x","channel":"dm","priority":"normal","audience":"","received_at":"2026-03-02T09:00:00+01:00","first_response_at":"2026-03-02T09:10:00+01:00","resolved_at":null}"#;

/// A message event: `kind` is the row's own kind (`message`, `solved`,
/// `reopened`); `at` is Berlin time on `day` (2 or 3 March).
fn msg(kind: &str, day: u32, at: &str, direction: &str, author: &str) -> String {
    let opt = |v: &str| {
        if v.is_empty() {
            "null".to_string()
        } else {
            format!("\"{v}\"")
        }
    };
    format!(
        r#"{{"kind":"{kind}","inquiry":"q","at":"2026-03-{day:02}T{at}:00+01:00","direction":{},"author":{}}}"#,
        opt(direction),
        opt(author)
    )
}

fn sample(m: &str, series: &str) -> Option<f64> {
    m.lines()
        .find(|l| l.starts_with(&format!("{series}{{")) && l.contains(r#"clock="office""#))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

const NR: &str = "slac_conversation_next_reply_seconds";
const PU: &str = "slac_conversation_update_gap_seconds";
const RS: &str = "slac_inquiry_resolution_seconds";

#[test]
fn next_reply_and_update_gaps_are_live_and_follow_new_messages() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.sla"), AGREEMENT).unwrap();
    let store = dir.path().join("events.db").display().to_string();
    let server = live::start(&["t.sla", "--store", &store], dir.path());
    let batch = [
        INQUIRY.to_string(),
        msg("message", 2, "09:00", "in", ""),
        msg("message", 2, "09:10", "out", "human"),
        msg("message", 2, "10:00", "in", ""),
        msg("message", 2, "10:05", "in", ""),
        msg("message", 2, "10:40", "out", "bot"),
        msg("message", 2, "11:00", "out", "human"),
        msg("message", 2, "16:30", "in", ""),
    ]
    .join("\n");
    let (status, body) = post(&server.addr, &batch, None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    // Next reply: wait 1 stopped after 40m = 2400 s; wait 2 is open.
    assert_eq!(sample(&m, &format!("{NR}_count")), Some(1.0), "{m}");
    assert_eq!(sample(&m, &format!("{NR}_sum")), Some(2400.0), "{m}");
    // Updates: 09:10-10:40 = 5400 s, 10:40-11:00 = 1200 s; the stretch
    // from 11:00 is still running.
    assert_eq!(sample(&m, &format!("{PU}_count")), Some(2.0), "{m}");
    assert_eq!(sample(&m, &format!("{PU}_sum")), Some(6600.0), "{m}");

    // Tue 09:30 a human replies: wait 2 took Mon 16:30-17:00 and Tue
    // 09:00-09:30 = 1h = 3600 s (next reply: 2 waits, 6000 s); the update
    // gap 11:00-Tue 09:30 is 6h + 30m = 23400 s (3 gaps, 30000 s).
    let (status, body) = post(
        &server.addr,
        &msg("message", 3, "09:30", "out", "human"),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    assert_eq!(sample(&m, &format!("{NR}_count")), Some(2.0), "{m}");
    assert_eq!(sample(&m, &format!("{NR}_sum")), Some(6000.0), "{m}");
    assert_eq!(sample(&m, &format!("{PU}_count")), Some(3.0), "{m}");
    assert_eq!(sample(&m, &format!("{PU}_sum")), Some(30000.0), "{m}");
    // The 1h bound: wait 2 (exactly 3600 s) is within it, so both waits
    // are in the bucket up to 3600.
    let le = m
        .lines()
        .find(|l| l.starts_with(&format!("{NR}_bucket{{")) && l.contains(r#"le="3600""#))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse::<f64>().ok());
    assert_eq!(le, Some(2.0), "{m}");

    // Solved Tue 10:00: the running update stretch stops after 30m.
    let (status, body) = post(&server.addr, &msg("solved", 3, "10:00", "", ""), None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    assert_eq!(sample(&m, &format!("{PU}_count")), Some(4.0), "{m}");
    assert_eq!(sample(&m, &format!("{PU}_sum")), Some(31800.0), "{m}");
    // Resolution, from the status rows (`resolved_at` is empty): Mon
    // 09:00-17:00 = 8h and Tue 09:00-10:00 = 1h: 9h = 32400 s.
    assert_eq!(sample(&m, &format!("{RS}_count")), Some(1.0), "{m}");
    assert_eq!(sample(&m, &format!("{RS}_sum")), Some(32400.0), "{m}");

    // Re-opened Tue 11:00: no solve stands, the observation goes.
    let (status, body) = post(&server.addr, &msg("reopened", 3, "11:00", "", ""), None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    assert_eq!(sample(&m, &format!("{RS}_count")), Some(0.0), "{m}");
    // Solved again Tue 12:00: Mon 8h + Tue 09:00-12:00 3h = 11h, less the
    // solved hour 10:00-11:00: 10h = 36000 s.
    let (status, body) = post(&server.addr, &msg("solved", 3, "12:00", "", ""), None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    assert_eq!(sample(&m, &format!("{RS}_count")), Some(1.0), "{m}");
    assert_eq!(sample(&m, &format!("{RS}_sum")), Some(36000.0), "{m}");
}

#[test]
fn import_reads_messages_csv() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.sla"), AGREEMENT).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("inquiries.csv"),
        "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at\n\
         q,x,dm,normal,,2026-03-02T09:00:00+01:00,2026-03-02T09:10:00+01:00,\n",
    )
    .unwrap();
    std::fs::write(
        data.join("messages.csv"),
        "inquiry,at,kind,direction,author\n\
         q,2026-03-02T09:00:00+01:00,message,in,\n\
         q,2026-03-02T09:10:00+01:00,message,out,human\n\
         q,2026-03-02T10:00:00+01:00,message,in,\n\
         q,2026-03-02T10:40:00+01:00,message,out,bot\n",
    )
    .unwrap();
    let store = dir.path().join("events.db").display().to_string();
    let server = live::start(
        &["t.sla", "--store", &store, "--import", "data"],
        dir.path(),
    );
    let m = metrics(&server.addr);
    // Next reply 10:00-10:40 = 2400 s; update gap 09:10-10:40 = 5400 s.
    assert_eq!(sample(&m, &format!("{NR}_sum")), Some(2400.0), "{m}");
    assert_eq!(sample(&m, &format!("{PU}_sum")), Some(5400.0), "{m}");
    assert_eq!(sample(&m, &format!("{PU}_count")), Some(1.0), "{m}");
    drop(server);
    // `slac report --store` reads the same store (as of its last event,
    // 10:40): the same next reply (40m, within 1h) and the same update
    // gap (1h30m, within 2h), with the stretch from 10:40 pending.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_slac"))
        .args(["report", "t.sla", "--store", &store, "--period", "2026-03"])
        .args(["--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let march = |id: &str| {
        let g = r["goals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == id)
            .unwrap();
        g["results"][0].clone()
    };
    let nr = march("nr");
    assert_eq!(nr["period"], "2026-03");
    assert_eq!(
        (&nr["value"]["good"], &nr["value"]["total"]),
        (&1.into(), &1.into()),
        "{nr}"
    );
    let pu = march("pu");
    assert_eq!(
        (&pu["value"]["good"], &pu["value"]["total"]),
        (&1.into(), &1.into()),
        "{pu}"
    );
    assert_eq!(pu["pending"], 1, "{pu}");
}

/// A next-reply goal that pauses on the customer reads its own series,
/// with the waits taken out of each next reply, as the report does.
#[test]
fn a_pausing_next_reply_goal_takes_the_waits_out() {
    let sla = AGREEMENT.replace(
        "  goal pu \"Updates\"",
        "  goal nrp \"Next reply, paused\" {\n    metric next_reply_time\n    target 100% within 1h\n    clock office\n    pause while waiting on customer\n  }\n  goal pu \"Updates\"",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.sla"), sla).unwrap();
    let store = dir.path().join("events.db").display().to_string();
    let server = live::start(&["t.sla", "--store", &store], dir.path());
    // Wait 1 runs 10:00-10:40 (40m); the case waits on the customer
    // 10:10-10:30 (20m): the pausing goal's next reply took 20m = 1200 s.
    let wait = r#"{"kind":"wait","inquiry":"q","on":"customer","from":"2026-03-02T10:10:00+01:00","to":"2026-03-02T10:30:00+01:00"}"#;
    let batch = [
        INQUIRY.to_string(),
        msg("message", 2, "09:00", "in", ""),
        msg("message", 2, "09:10", "out", "human"),
        msg("message", 2, "10:00", "in", ""),
        wait.to_string(),
        msg("message", 2, "10:40", "out", "bot"),
    ]
    .join("\n");
    let (status, body) = post(&server.addr, &batch, None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    let line = |paused: bool| {
        m.lines()
            .find(|l| l.starts_with(&format!("{NR}_sum{{")) && l.contains("pause=") == paused)
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<f64>().ok())
    };
    assert_eq!(line(false), Some(2400.0), "{m}");
    assert_eq!(line(true), Some(1200.0), "{m}");
    assert!(m.contains(r#"pause="customer""#), "{m}");
}
