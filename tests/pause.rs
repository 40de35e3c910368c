//! Clocks that pause (`pause while waiting on customer, client`): the
//! report's paused business time against hand-computed expectations, and
//! the errors of `waits.csv`. Each test writes its arithmetic in comments.
//!
//! The calendar `office` is open Monday to Friday 09:00-17:00 in Berlin
//! (UTC+1 in March 2026); the agreement honours `platform_outage` windows.

mod common;

use chrono::{DateTime, Utc};
use slac::check::{LoadError, Loader, Session};
use slac::diff::{diff, Effect, Kind};
use slac::model::Agreement;
use slac::report::events::{Data, Table};
use slac::report::read::{self, Format, Vocabulary};
use slac::report::{build, GoalPeriod, Options, Paused, Report, Status, Value};
use std::path::Path;

struct NoFiles;
impl Loader for NoFiles {
    fn load(&self, _: &Path) -> Result<Vec<u8>, LoadError> {
        Err(LoadError::NotFound)
    }
}

/// Three goals over the same inquiries: resolution time that pauses on the
/// customer, one that pauses on both parties, and one that never pauses.
const GOALS: &str = r#"
  goal paused "Resolution, paused on the customer" {
    metric resolution_time
    target mean <= 8h
    clock office
    pause while waiting on customer
  }
  goal both "Resolution, paused on either party" {
    metric resolution_time
    target mean <= 8h
    clock office
    pause while waiting on client, customer
  }
  goal plain "Resolution, never paused" {
    metric resolution_time
    target mean <= 8h
    clock office
  }
"#;

fn agreement() -> Agreement {
    checked(GOALS).agreements[0].clone()
}

/// The model of the test agreement with `goals` as its goals.
fn checked(goals: &str) -> slac::model::Model {
    let src = format!(
        r#"calendar office {{
  timezone "Europe/Berlin"
  open mon-fri 09:00-17:00
}}
agreement t "Test" {{
  client c "Client"
  provider p "Provider"
  effective 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  exclude platform_outage
{goals}
}}
"#
    );
    let mut s = Session::new(&NoFiles, Path::new("/t"), None);
    let id = s.check_text(Path::new("/t/t.sla"), &src);
    let errors: Vec<_> = s
        .take_diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    s.model(id).clone()
}

fn table<T: read::Row>(a: &Agreement, file: &str, header: &str, rows: &str) -> Table<T> {
    Table {
        file: Some(file.into()),
        rows: read::read_rows::<T>(
            file,
            Format::Csv,
            format!("{header}\n{rows}").as_bytes(),
            &Vocabulary::for_agreement(a),
            &mut |_| {},
        )
        .unwrap_or_else(|e| panic!("{e}")),
    }
}

fn data(a: &Agreement, inquiries: &str, waits: &str, exclusions: &str) -> Data {
    Data {
        inquiries: table(
            a,
            "inquiries.csv",
            "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at",
            inquiries,
        ),
        waits: table(a, "waits.csv", "inquiry,on,from,to", waits),
        exclusions: table(a, "exclusions.csv", "kind,platform,start,end", exclusions),
        ..Data::default()
    }
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

fn report(a: &Agreement, d: &Data, as_of: &str) -> Result<Report, String> {
    build(
        "t.sla",
        a,
        d,
        &Options {
            as_of: t(as_of),
            range: None,
            worst: 10,
        },
    )
}

fn result<'a>(r: &'a Report, goal: &str) -> &'a GoalPeriod {
    let g = r.goals.iter().find(|g| g.id == goal).unwrap();
    assert_eq!(g.results.len(), 1, "{:?}", g.results);
    &g.results[0]
}

/// The business time of the period's one counted event (the mean of
/// one), in microseconds.
fn took(p: &GoalPeriod) -> u128 {
    match &p.value {
        Some(Value::Mean {
            sum_micros: Some(us),
            total: 1,
            ..
        }) => *us,
        other => panic!("{other:?}"),
    }
}

const H: u64 = 3600;
const US: u128 = 1_000_000;

fn paused(seconds: u64, items: u64) -> Option<Paused> {
    Some(Paused {
        micros: seconds * 1_000_000,
        seconds,
        items,
    })
}

#[test]
fn a_wait_across_a_closed_night_pauses_only_open_hours() {
    // q1, received Mon 2 March 10:00, resolved Wed 4 March 12:00 (Berlin).
    // Open time: Mon 10:00-17:00 7h + Tue 8h + Wed 09:00-12:00 3h = 18h.
    // It waited on the customer from Mon 16:00 to Tue 10:30: Mon 16:00-17:00
    // 1h, the closed night 0, Tue 09:00-10:30 1h30m: 2h30m paused.
    // Paused on the customer: 18h - 2h30m = 15h30m.
    let a = agreement();
    let d = data(
        &a,
        "q1,x,dm,normal,,2026-03-02T10:00:00+01:00,,2026-03-04T12:00:00+01:00\n",
        "q1,customer,2026-03-02T16:00:00+01:00,2026-03-03T10:30:00+01:00\n",
        "",
    );
    let r = report(&a, &d, "2026-03-05T00:00:00+01:00").unwrap();
    let p = result(&r, "paused");
    assert_eq!(took(p), (15 * H + 30 * 60) as u128 * US);
    assert_eq!(p.paused, paused(2 * H + 30 * 60, 1));
    // Both parties: the same single wait, the same 2h30m.
    assert_eq!(took(result(&r, "both")), (15 * H + 30 * 60) as u128 * US);
    // The goal that does not pause ignores the waits: 18h, no paused line.
    let plain = result(&r, "plain");
    assert_eq!(took(plain), (18 * H) as u128 * US);
    assert_eq!(plain.paused, None);
    assert!(r
        .goals
        .iter()
        .find(|g| g.id == "plain")
        .unwrap()
        .pause
        .is_empty());
    assert_eq!(r.goals[0].pause, ["customer"]);
    assert_eq!(r.goals[1].pause, ["customer", "client"]);
}

#[test]
fn only_the_listed_parties_pause_the_clock() {
    // q1 as above (18h open), but it waited on the client from Tue 13:00 to
    // Tue 15:00 (2h) and on the customer from Tue 15:00 to Tue 16:00 (1h).
    // `paused` (customer): 18h - 1h = 17h, 1h paused on 1 item.
    // `both`: 18h - 3h = 15h, 3h paused on 1 item.
    let a = agreement();
    let d = data(
        &a,
        "q1,x,dm,normal,,2026-03-02T10:00:00+01:00,,2026-03-04T12:00:00+01:00\n",
        "q1,client,2026-03-03T13:00:00+01:00,2026-03-03T15:00:00+01:00\n\
         q1,customer,2026-03-03T15:00:00+01:00,2026-03-03T16:00:00+01:00\n",
        "",
    );
    let r = report(&a, &d, "2026-03-05T00:00:00+01:00").unwrap();
    assert_eq!(took(result(&r, "paused")), (17 * H) as u128 * US);
    assert_eq!(result(&r, "paused").paused, paused(H, 1));
    assert_eq!(took(result(&r, "both")), (15 * H) as u128 * US);
    assert_eq!(result(&r, "both").paused, paused(3 * H, 1));
}

#[test]
fn a_wait_that_overlaps_an_exclusion_is_not_counted_twice() {
    // q2 on platform x, received Mon 9 March 09:00, resolved 15:00: 6h open.
    // A platform_outage window for x 10:00-12:00 stops every clock: 4h.
    // The customer wait 11:00-13:00 overlaps it by an hour; only 12:00-13:00
    // is still on the clock, so 1h is paused, not 2h.
    // `paused`: 6h - 2h - 1h = 3h. `plain`: 6h - 2h = 4h.
    let a = agreement();
    let d = data(
        &a,
        "q2,x,dm,normal,,2026-03-09T09:00:00+01:00,,2026-03-09T15:00:00+01:00\n",
        "q2,customer,2026-03-09T11:00:00+01:00,2026-03-09T13:00:00+01:00\n",
        "platform_outage,x,2026-03-09T10:00:00+01:00,2026-03-09T12:00:00+01:00\n",
    );
    let r = report(&a, &d, "2026-03-10T00:00:00+01:00").unwrap();
    assert_eq!(took(result(&r, "paused")), (3 * H) as u128 * US);
    assert_eq!(result(&r, "paused").paused, paused(H, 1));
    assert_eq!(took(result(&r, "plain")), (4 * H) as u128 * US);
}

#[test]
fn a_wait_still_open_at_as_of_pauses_up_to_as_of() {
    // q3, received Tue 10 March 09:00, not resolved; waiting on the customer
    // since 10:00 (`to` empty). As-of Wed 11 March 12:00.
    // Open so far: Tue 8h + Wed 09:00-12:00 3h = 11h. Paused: Tue
    // 10:00-17:00 7h + Wed 3h = 10h. On the paused clock 1h: within 8h,
    // so pending (listed, not counted), 10h paused.
    // The goal that does not pause: 11h > 8h, overdue: a miss.
    let a = agreement();
    let d = data(
        &a,
        "q3,x,dm,normal,,2026-03-10T09:00:00+01:00,,\n",
        "q3,customer,2026-03-10T10:00:00+01:00,\n",
        "",
    );
    let r = report(&a, &d, "2026-03-11T12:00:00+01:00").unwrap();
    let p = result(&r, "paused");
    assert_eq!((p.counted, p.pending, p.status), (0, 1, Status::NoData));
    assert_eq!(p.pending_events[0].elapsed_micros, H * 1_000_000);
    assert_eq!(p.paused, paused(10 * H, 1));
    let plain = result(&r, "plain");
    assert_eq!(
        (plain.counted, plain.misses, plain.status),
        (1, 1, Status::Missed)
    );
    assert_eq!(plain.worst[0].elapsed_micros, 11 * H * 1_000_000);
}

#[test]
fn waits_after_the_stop_or_as_of_do_not_count() {
    // q4, received Mon 2 March 09:00, resolved 12:00: 3h open. The customer
    // wait 11:00-14:00 is clipped at the stop: 1h paused, 2h on the clock.
    // q5, received Mon 2 March 13:00, resolved 16:00, waited on the
    // customer from 15:00 on Tuesday (after it was resolved): nothing paused,
    // 3h. The period's paused time: 1h over 1 item.
    let a = agreement();
    let d = data(
        &a,
        "q4,x,dm,normal,,2026-03-02T09:00:00+01:00,,2026-03-02T12:00:00+01:00\n\
         q5,x,dm,normal,,2026-03-02T13:00:00+01:00,,2026-03-02T16:00:00+01:00\n",
        "q4,customer,2026-03-02T11:00:00+01:00,2026-03-02T14:00:00+01:00\n\
         q5,customer,2026-03-03T15:00:00+01:00,\n",
        "",
    );
    let r = report(&a, &d, "2026-03-04T00:00:00+01:00").unwrap();
    let p = result(&r, "paused");
    // Mean of 2h and 3h = 2h30m.
    match &p.value {
        Some(Value::Mean {
            sum_micros: Some(us),
            total: 2,
            ..
        }) => assert_eq!(*us, (5 * H) as u128 * US),
        other => panic!("{other:?}"),
    }
    assert_eq!(p.paused, paused(H, 1));
}

#[test]
fn paused_time_is_exact_to_the_microsecond() {
    // q6, received Mon 2 March 09:00:00, resolved Tue 09:00:00.5: Monday's
    // 8h and half a second on Tuesday, over the 8h mean: `plain` misses.
    // A wait of 0.75s (Mon 10:00:00 to 10:00:00.75) brings it to
    // 7h59m59.75s on the paused clock: met. The paused total rounds up to
    // 1s for display and keeps its 750000 microseconds.
    let a = agreement();
    let d = data(
        &a,
        "q6,x,dm,normal,,2026-03-02T09:00:00+01:00,,2026-03-03T09:00:00.5+01:00\n",
        "q6,customer,2026-03-02T10:00:00+01:00,2026-03-02T10:00:00.75+01:00\n",
        "",
    );
    let r = report(&a, &d, "2026-03-04T00:00:00+01:00").unwrap();
    let p = result(&r, "paused");
    assert_eq!(took(p), (8 * H) as u128 * US + 500_000 - 750_000);
    assert_eq!(
        p.paused,
        Some(Paused {
            micros: 750_000,
            seconds: 1,
            items: 1
        })
    );
    assert_eq!(p.status, Status::Met);
    let plain = result(&r, "plain");
    assert_eq!(took(plain), (8 * H) as u128 * US + 500_000);
    assert_eq!(plain.status, Status::Missed);
}

fn error(inquiries: &str, waits: &str) -> String {
    let a = agreement();
    let d = data(&a, inquiries, waits, "");
    match report(&a, &d, "2026-03-05T00:00:00+01:00") {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

const Q1: &str = "q1,x,dm,normal,,2026-03-02T10:00:00+01:00,,2026-03-04T12:00:00+01:00\n";

#[test]
fn a_wait_of_an_unknown_inquiry_is_an_error() {
    let e = error(Q1, "q9,customer,2026-03-02T11:00:00+01:00,\n");
    assert!(
        e.starts_with("`waits.csv` row 2, column `inquiry`: no inquiry has the id `q9`"),
        "{e}"
    );
}

#[test]
fn a_wait_before_its_inquiry_is_an_error() {
    let e = error(Q1, "q1,customer,2026-03-02T09:00:00+01:00,\n");
    assert!(
        e.starts_with(
            "`waits.csv` row 2, column `from`: the wait starts before inquiry `q1` was received"
        ),
        "{e}"
    );
}

#[test]
fn overlapping_waits_of_one_inquiry_are_an_error() {
    // Rows 2 and 3 overlap (11:00-13:00 and 12:00-); row 4 starts after an
    // open wait, so it overlaps row 3: both reported, by row.
    let e = error(
        Q1,
        "q1,customer,2026-03-02T11:00:00+01:00,2026-03-02T13:00:00+01:00\n\
         q1,client,2026-03-02T12:00:00+01:00,\n\
         q1,customer,2026-03-03T12:00:00+01:00,2026-03-03T13:00:00+01:00\n",
    );
    let lines: Vec<&str> = e.lines().filter(|l| !l.starts_with("help")).collect();
    assert_eq!(
        lines,
        [
            "`waits.csv` row 3, column `from`: the wait overlaps the wait of row 2 (inquiry `q1`)",
            "error: `waits.csv` row 4, column `from`: the wait overlaps the wait of row 3 (inquiry `q1`)",
        ],
        "{e}"
    );
}

#[test]
fn bad_rows_name_the_file_row_and_column() {
    let a = agreement();
    let rows = read::read_rows::<slac::report::events::Wait>(
        "waits.csv",
        Format::Csv,
        "inquiry,on,from,to\n\
         q1,custmer,2026-03-02T11:00:00+01:00,\n\
         q1,customer,2026-03-02T11:00:00+01:00,2026-03-02T11:00:00+01:00\n\
         q1,client,,\n"
            .as_bytes(),
        &Vocabulary::for_agreement(&a),
        &mut |_| {},
    );
    let e = rows.unwrap_err().to_string();
    assert!(e.contains("`waits.csv` row 2, column `on`"), "{e}");
    assert!(e.contains("did you mean `customer`?"), "{e}");
    assert!(
        e.contains(
            "`waits.csv` row 3, column `to`: `2026-03-02T11:00:00+01:00` is not after `from`"
        ),
        "{e}"
    );
    assert!(
        e.contains("`waits.csv` row 4, column `from`: empty cell"),
        "{e}"
    );
}

/// `goal g` over resolution time on office hours, with `pause` if any.
fn goal(pause: &str) -> String {
    format!("goal g \"G\" {{ metric resolution_time target 90% within 8h clock office {pause} }}")
}

#[test]
fn adding_a_pause_is_looser_and_removing_one_stricter() {
    let none = checked(&goal(""));
    let customer = checked(&goal("pause while waiting on customer"));
    let both = checked(&goal("pause while waiting on client, customer"));
    let one = |a, b| {
        let c = diff(a, b);
        assert_eq!(c.len(), 1, "{c:#?}");
        (
            c[0].kind,
            c[0].effect,
            c[0].field.clone(),
            c[0].old.clone(),
            c[0].new.clone(),
        )
    };
    let field = Some("pause while waiting on".to_string());
    assert_eq!(
        one(&none, &customer),
        (
            Kind::Added,
            Effect::Looser,
            field.clone(),
            None,
            Some("customer".into())
        )
    );
    assert_eq!(
        one(&customer, &both),
        (
            Kind::Added,
            Effect::Looser,
            field.clone(),
            None,
            Some("client".into())
        )
    );
    assert_eq!(
        one(&customer, &none),
        (
            Kind::Removed,
            Effect::Stricter,
            field,
            Some("customer".into()),
            None
        )
    );
    // The order the parties are written in means nothing.
    let reordered = checked(&goal("pause while waiting on customer, client"));
    assert!(diff(&both, &reordered).is_empty());
}

#[test]
fn fmt_keeps_the_clause_and_is_idempotent() {
    let src = "agreement a \"A\" {\n  goal g \"G\" {\n    metric resolution_time\n    pause   while waiting on\n customer ,client\n  }\n}\n";
    let file = slac::source::FileId(0);
    let once = slac::fmt::format(file, src).unwrap();
    assert!(
        once.contains("    pause while waiting on customer, client\n"),
        "{once}"
    );
    assert_eq!(slac::fmt::format(file, &once).unwrap(), once);
}

/// `waits.csv` from another tool's export through `--map`: renamed columns
/// and the tool's words for the parties give the same report as slac's own
/// columns (the fixture in tests/data/paused-clocks).
#[test]
fn waits_read_through_a_map_give_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/paused-clocks");
    std::fs::copy(
        fixture.join("inquiries.csv"),
        dir.path().join("inquiries.csv"),
    )
    .unwrap();
    let waits = std::fs::read_to_string(fixture.join("waits.csv")).unwrap();
    let exported = waits
        .replacen("inquiry,on,from,to", "Ticket,Status,Since,Until", 1)
        .replace(",customer,", ",Pending,")
        .replace(",client,", ",On-hold,");
    std::fs::write(dir.path().join("pending.csv"), exported).unwrap();
    let map = dir.path().join("map.yaml");
    std::fs::write(
        &map,
        "waits:\n  file: pending.csv\n  columns:\n    inquiry: Ticket\n    on: Status\n    from: Since\n    to: Until\n  values:\n    on:\n      Pending: customer\n      On-hold: client\n",
    )
    .unwrap();
    let run = |data: &Path, map: Option<&Path>| {
        let mut cmd = assert_cmd::Command::cargo_bin("slac").unwrap();
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["report", "tests/corpus/valid/paused-clocks.sla", "--data"])
            .arg(data)
            .args(["--as-of", "2026-03-20T12:00:00+01:00", "--format", "json"]);
        if let Some(m) = map {
            cmd.arg("--map").arg(m);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // The data section names the files read; the rest must agree.
        json.as_object_mut().unwrap().remove("data");
        json
    };
    let mapped = run(dir.path(), Some(&map));
    assert_eq!(mapped, run(&fixture, None));
    assert_eq!(
        mapped["goals"][1]["results"][0]["paused"]["seconds"],
        253_800
    );
}

/// The rendered contract says when a goal's clock stops.
#[test]
fn the_contract_document_says_when_the_clock_stops() {
    let text = common::rendered_markdown("tests/corpus/valid/paused-clocks.sla");
    assert!(
        text.contains("Its clock stops while the inquiry waits on the customer or on the Client.")
    );
    assert!(text.contains("Its clock stops while the inquiry waits on the customer.\n"));
    assert_eq!(text.matches("Its clock stops").count(), 2, "{text}");
}
