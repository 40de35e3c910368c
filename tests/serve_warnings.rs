//! `warn at P%` live: `slac serve` exports one `slac_goal_item_open_seconds`
//! series per open item of a goal with a warning, measured at scrape time
//! on the goal's clock, and drops it once the item is answered.

mod common;

use chrono::{Duration as Days, SecondsFormat, Utc};
use common::live::{self, metrics, post, value};

fn agreement() -> String {
    let today = Utc::now().date_naive();
    let (from, to) = (today - Days::days(60), today + Days::days(60));
    format!(
        r#"agreement live "Live test" {{
  client brand "Brand"
  provider agency "Agency"
  effective {from} to {to}
  role care of agency {{ email "care@agency.example" }}

  goal replies "Reply within the hour" {{
    metric response_time
    target 90% within 1h
    warn at 75%
    owner care
  }}

  goal quick "Reply within two hours, no warning" {{
    metric response_time
    target 90% within 2h
    owner care
  }}
}}
"#
    )
}

fn inquiry(id: &str, minutes_ago: i64, answered: bool) -> String {
    let t = |m: i64| (Utc::now() - Days::minutes(m)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let answered = if answered {
        format!("\"{}\"", t(1))
    } else {
        "null".into()
    };
    format!(
        r#"{{"kind":"inquiry","id":"{id}","platform":"x","channel":"dm","priority":"normal","audience":"","received_at":"{}","first_response_at":{answered},"resolved_at":null}}"#,
        t(minutes_ago)
    )
}

#[test]
fn open_items_of_a_warning_goal_are_gauged_and_answered_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("live.sla"), agreement()).unwrap();
    let store = dir.path().join("events.db").display().to_string();
    let server = live::start(&["live.sla", "--store", &store], dir.path());
    // A: open for 50 minutes, past its warning (45m of 1h) but not breached.
    // B: open for 2 hours, breached and still open: still gauged.
    // C: answered: no series.
    let batch = [
        inquiry("A", 50, false),
        inquiry("B", 120, false),
        inquiry("C", 55, true),
    ]
    .join("\n");
    let (status, body) = post(&server.addr, &batch, None);
    assert_eq!(status, 200, "{body}");
    let m = metrics(&server.addr);
    let g = "slac_goal_item_open_seconds";
    let of = |item: &str| value(&m, g, &[r#"goal="replies""#, &format!("item=\"{item}\"")]);
    // Measured at scrape time: at least the time since receipt, at most a
    // minute more (the test's own run).
    let a = of("A").expect("A is gauged");
    assert!((3000.0..3060.0).contains(&a), "{a}\n{m}");
    let b = of("B").expect("B is gauged");
    assert!((7200.0..7260.0).contains(&b), "{b}");
    assert_eq!(of("C"), None, "{m}");
    // Only goals with a warning get the gauge.
    assert!(!m.contains(r#"goal="quick""#), "{m}");
    assert!(m.contains(&format!("# TYPE {g} gauge")));
    // Answered, A's series goes.
    let (status, _) = post(&server.addr, &inquiry("A", 50, true), None);
    assert_eq!(status, 200);
    let m = metrics(&server.addr);
    assert_eq!(value(&m, g, &[r#"item="A""#]), None, "{m}");
    assert!(value(&m, g, &[r#"item="B""#]).is_some());
}

/// How many events the store keeps open (a scrape reads those and no
/// others).
fn open_in_store(store: &str) -> i64 {
    let db = rusqlite::Connection::open(store).unwrap();
    db.query_row("SELECT count(*) FROM events WHERE open = 1", [], |r| {
        r.get(0)
    })
    .unwrap()
}

#[test]
fn only_items_a_gauge_measures_are_open_and_a_reload_marks_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("live.sla");
    let with_warning = agreement();
    let without = with_warning.replace("    warn at 75%\n", "");
    std::fs::write(&file, &without).unwrap();
    let store = dir.path().join("events.db").display().to_string();
    let server = live::start(&["live.sla", "--store", &store], dir.path());
    // Answered but never resolved (C), and unanswered (A): no goal warns,
    // so nothing is open however long the store grows.
    let batch = [inquiry("A", 50, false), inquiry("C", 55, true)].join("\n");
    assert_eq!(post(&server.addr, &batch, None).0, 200);
    let g = "slac_goal_item_open_seconds";
    assert!(!metrics(&server.addr).contains(g));
    assert_eq!(open_in_store(&store), 0);
    // `warn at` added: the reload marks A open (C is answered: its first
    // reply stopped the goal) and the gauge measures it.
    std::fs::write(&file, &with_warning).unwrap();
    let gauged = || value(&metrics(&server.addr), g, &[r#"item="A""#]).is_some();
    assert!(common::live::eventually(
        std::time::Duration::from_secs(15),
        gauged
    ));
    assert_eq!(open_in_store(&store), 1);
    // And removed again: nothing is open.
    std::fs::write(&file, &without).unwrap();
    let gone = || !metrics(&server.addr).contains(g);
    assert!(common::live::eventually(
        std::time::Duration::from_secs(15),
        gone
    ));
    assert_eq!(open_in_store(&store), 0);
}
