//! Next reply, periodic update and resolution with re-opens, timed on
//! `messages.csv` (docs/report.md "What every number means", points on
//! conversations). Every expected number is worked out in the comments.

mod common;

use chrono::DateTime;
use common::tables::table;
use slac::check::{LoadError, Loader, Session};
use slac::model::Agreement;
use slac::report::events::{Data, Inquiry, Message, Wait};
use slac::report::read::{self, Format, Vocabulary};
use slac::report::{build, Options, Report, Value};
use std::path::Path;

struct NoFiles;
impl Loader for NoFiles {
    fn load(&self, _: &Path) -> Result<Vec<u8>, LoadError> {
        Err(LoadError::NotFound)
    }
}

fn agreement(body: &str) -> Agreement {
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
  role r of p {{ email "r@example.org" }}
{body}
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
    s.model(id).agreements[0].clone()
}

const INQ: &str =
    "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at\n";
const MSG: &str = "inquiry,at,kind,direction,author\n";

fn data(a: &Agreement, inquiries: &str, messages: &str) -> Data {
    let v = Vocabulary::for_agreement(a);
    Data {
        inquiries: table::<Inquiry>("inquiries.csv", INQ, inquiries, &v),
        messages: table::<Message>("messages.csv", MSG, messages, &v),
        ..Data::default()
    }
}

fn report(a: &Agreement, d: &Data, as_of: &str) -> Result<Report, String> {
    build(
        "t.sla",
        a,
        d,
        &Options {
            as_of: DateTime::parse_from_rfc3339(as_of).unwrap().to_utc(),
            range: None,
            worst: 10,
        },
    )
}

/// (good, total, pending) of goal `g` in March 2026.
fn within(r: &Report, g: &str) -> (u64, u64, u64) {
    let p = r
        .goals
        .iter()
        .find(|x| x.id == g)
        .unwrap()
        .results
        .iter()
        .find(|p| p.period == "2026-03")
        .unwrap();
    match &p.value {
        Some(Value::Within { good, total }) => (*good, *total, p.pending),
        None => (0, 0, p.pending),
        v => panic!("{v:?}"),
    }
}

// One conversation, Mon 2026-03-02 (Berlin is UTC+1), office 09:00-17:00:
//   09:00 in; 09:10 out human (first reply, not a next reply);
//   10:00 in  -> wait 1 opens; 10:05 in (a reply is owed: no new wait);
//   10:40 out bot; 11:00 out human -> wait 1 stops: 1h (human) / 40m (any);
//   16:30 in  -> wait 2 opens; no reply. As-of Tue 09:45: 30m Mon + 45m
//   Tue = 1h15m of business time, over 1h: a miss (overdue).
const CONV: &str = "q,x,dm,normal,,2026-03-02T09:00:00+01:00,2026-03-02T09:10:00+01:00,\n";
const MSGS: &str = "\
q,2026-03-02T09:00:00+01:00,message,in,
q,2026-03-02T09:10:00+01:00,message,out,human
q,2026-03-02T10:00:00+01:00,message,in,
q,2026-03-02T10:05:00+01:00,message,in,
q,2026-03-02T10:40:00+01:00,message,out,bot
q,2026-03-02T11:00:00+01:00,message,out,human
q,2026-03-02T16:30:00+01:00,message,in,
";

#[test]
fn next_reply_counts_every_wait_after_the_first_reply() {
    let a = agreement(
        r#"goal nr "Next reply" { metric next_reply_time target 100% within 1h clock office owner r }"#,
    );
    let d = data(&a, CONV, MSGS);
    // Wait 1: bot at 10:40 counts (no `answered by human`): 40m, met.
    // Wait 2: 1h15m by as-of, overdue: a miss. 1 of 2 within.
    let r = report(&a, &d, "2026-03-03T09:45:00+01:00").unwrap();
    assert_eq!(within(&r, "nr"), (1, 2, 0));
    // As-of Mon 16:50: wait 2 has run 20m: pending, not counted.
    let r = report(&a, &d, "2026-03-02T16:50:00+01:00").unwrap();
    assert_eq!(within(&r, "nr"), (1, 1, 1));
}

#[test]
fn periodic_update_times_the_gaps_between_replies_while_open() {
    let a = agreement(
        r#"goal pu "Updates" { metric periodic_update_time target 100% within 2h clock office owner r }"#,
    );
    // Counted replies 09:10, 10:40, 11:00; then solved Mon 15:00, reopened
    // Tue 10:00, no reply since. Gaps:
    //   09:10-10:40 = 1h30m (met), 10:40-11:00 = 20m (met),
    //   11:00-15:00 (solve) = 4h (miss),
    //   Tue 10:00 (re-open) to as-of Tue 13:00 = 3h, over 2h: overdue miss.
    // The solved time Mon 15:00 - Tue 10:00 is in no gap. 2 of 4 within.
    let msgs = format!(
        "{MSGS}q,2026-03-02T15:00:00+01:00,solved,,\nq,2026-03-03T10:00:00+01:00,reopened,,\n"
    );
    let d = data(&a, CONV, &msgs);
    let r = report(&a, &d, "2026-03-03T13:00:00+01:00").unwrap();
    assert_eq!(within(&r, "pu"), (2, 4, 0));
}

#[test]
fn resolution_leaves_out_solved_time_and_a_reopen_unresolves() {
    let a = agreement(
        r#"goal res "Resolution" { metric resolution_time target 100% within 8h clock office owner r }"#,
    );
    // q: received Mon 09:00, solved Mon 15:00 (6h), reopened Tue 11:00,
    // solved again Tue 12:30. Business time Mon 09:00 - Tue 12:30 is
    // 8h + 3h30m = 11h30m; solved Mon 15:00 - Tue 11:00 is 2h + 2h = 4h;
    // resolution = 7h30m: within 8h. resolved_at (Mon 15:00) is ignored.
    let msgs = "\
q,2026-03-02T15:00:00+01:00,solved,,
q,2026-03-03T11:00:00+01:00,reopened,,
q,2026-03-03T12:30:00+01:00,solved,,
";
    let inq = "q,x,dm,normal,,2026-03-02T09:00:00+01:00,,2026-03-02T15:00:00+01:00\n";
    let d = data(&a, inq, msgs);
    let r = report(&a, &d, "2026-03-04T09:00:00+01:00").unwrap();
    assert_eq!(within(&r, "res"), (1, 1, 0));
    // As-of Tue 12:00: re-opened, not solved again: unresolved. So far
    // 8h + 3h - 4h = 7h, under 8h: pending.
    let r = report(&a, &d, "2026-03-03T12:00:00+01:00").unwrap();
    assert_eq!(within(&r, "res"), (0, 0, 1));
    // As-of Tue 13:30 without the second solve: 8h + 4h30m - 4h = 8h30m:
    // overdue, a miss.
    let d = data(&a, inq, &msgs[..msgs.len() - 37]);
    let r = report(&a, &d, "2026-03-03T13:30:00+01:00").unwrap();
    assert_eq!(within(&r, "res"), (0, 1, 0));
}

#[test]
fn a_wait_inside_solved_time_is_off_the_clock_once() {
    let a = agreement(
        r#"goal res "Resolution" { metric resolution_time target 100% within 5h30m clock office owner r pause while waiting on customer }"#,
    );
    // The conversation of the test above (11h30m of business time, solved
    // Mon 15:00 - Tue 11:00 = 4h) also waited on the customer from Mon
    // 13:00 to Tue 10:00 (Mon 4h + Tue 1h = 5h). Off the clock is the union
    // Mon 13:00 - Tue 11:00 = 4h + 2h = 6h, so resolution is 11h30m - 6h =
    // 5h30m: within 5h30m. Paused is the part not solved anyway, Mon
    // 13:00-15:00 = 2h. (Taking both off would give 2h30m and 5h paused.)
    let msgs = "\
q,2026-03-02T15:00:00+01:00,solved,,
q,2026-03-03T11:00:00+01:00,reopened,,
q,2026-03-03T12:30:00+01:00,solved,,
";
    let inq = "q,x,dm,normal,,2026-03-02T09:00:00+01:00,,2026-03-02T15:00:00+01:00\n";
    let mut d = data(&a, inq, msgs);
    let waits =
        "inquiry,on,from,to\nq,customer,2026-03-02T13:00:00+01:00,2026-03-03T10:00:00+01:00\n";
    d.waits = table::<Wait>("waits.csv", "", waits, &Vocabulary::for_agreement(&a));
    let r = report(&a, &d, "2026-03-04T09:00:00+01:00").unwrap();
    assert_eq!(within(&r, "res"), (1, 1, 0));
    let period = &r.goals[0].results[0];
    let paused = period
        .paused
        .as_ref()
        .expect("a pausing goal reports paused time");
    assert_eq!((paused.micros, paused.items), (2 * 3600 * 1_000_000, 1));
}

#[test]
fn without_status_rows_resolution_keeps_resolved_at() {
    let a = agreement(
        r#"goal res "Resolution" { metric resolution_time target 100% within 5h clock office owner r }"#,
    );
    // No status rows for q: resolved_at Mon 15:00 gives 6h, over 5h.
    let d = data(
        &a,
        CONV.replace(",\n", ",2026-03-02T15:00:00+01:00\n").as_str(),
        MSGS,
    );
    let r = report(&a, &d, "2026-03-04T09:00:00+01:00").unwrap();
    assert_eq!(within(&r, "res"), (0, 1, 0));
}

#[test]
fn messages_name_their_inquiry_and_follow_it() {
    let a = agreement(
        r#"goal nr "Next reply" { metric next_reply_time target 100% within 1h clock office owner r }"#,
    );
    let msgs =
        "zz,2026-03-02T10:00:00+01:00,message,in,\nq,2026-03-02T08:00:00+01:00,message,in,\n";
    let err = report(&a, &data(&a, CONV, msgs), "2026-03-03T09:00:00+01:00").unwrap_err();
    assert_eq!(
        err,
        "`messages.csv` row 2, column `inquiry`: no inquiry has the id `zz`\n\
         help: a conversation's row in `inquiries.csv` comes first: its `id` is what `inquiry` names\n\
         error: `messages.csv` row 3, column `at`: the row is before its inquiry `q` was received\n\
         help: row 2 of the inquiries says it was received at 2026-03-02T08:00:00+00:00"
    );
}

#[test]
fn message_rows_are_checked_like_every_other_file() {
    let v = Vocabulary::default();
    // CRLF, a BOM-free header, a blank line, every bad row reported.
    let text = "inquiry,at,kind,direction,author\r\n\
q,2026-03-02T10:00:00+01:00,message,in,human\r\n\
\r\n\
q,2026-03-02T10:00:00+01:00,message,out,\r\n\
q,2026-03-02T10:00:00+01:00,solved,out,\r\n\
q,2026-03-02T10:00:00+01:00,mesage,in,\r\n";
    let err = read::read_rows::<Message>("m.csv", Format::Csv, text.as_bytes(), &v, &mut |_| {})
        .unwrap_err()
        .to_string();
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("help")).collect();
    assert_eq!(
        lines,
        [
            "`m.csv` row 2, column `author`: `human` given for a customer's message (authors are for replies)",
            "error: `m.csv` row 4, column `author`: empty cell: a reply has an author",
            "error: `m.csv` row 5, column `direction`: `out` given for a status change",
            "error: `m.csv` row 6, column `kind`: unknown kind `mesage`",
        ]
    );
}

/// Through the CLI: a mapped `messages.csv` with a BOM, CRLF endings and a
/// blank line; the missing file named; a bad row numbered like its line.
#[test]
fn the_cli_reads_messages_mapped_and_numbers_their_rows() {
    use assert_cmd::Command;
    let dir = tempfile::tempdir().unwrap();
    let sla = dir.path().join("a.sla");
    std::fs::write(
        &sla,
        r#"calendar office {
  timezone "Europe/Berlin"
  open mon-fri 09:00-17:00
}
agreement t "Test" {
  client c "Client"
  provider p "Provider"
  effective 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  role r of p { email "r@example.org" }
  goal nr "Next reply" { metric next_reply_time target 100% within 1h clock office owner r }
}
"#,
    )
    .unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("inquiries.csv"),
        format!("{INQ}q,x,dm,normal,,2026-03-02T09:00:00+01:00,2026-03-02T09:10:00+01:00,\n"),
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut c = Command::cargo_bin("slac").unwrap();
        c.arg("report").arg(&sla).arg("--data").arg(&data);
        c.args(["--as-of", "2026-03-03T00:00:00+01:00"]).args(extra);
        c.output().unwrap()
    };
    let out = run(&[]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no `messages.csv` or `messages.jsonl` in")
    );
    // Rows: header 1, reply 2, blank 3, customer 4 (opens a wait), the
    // bot's reply 5 (stops it: 30m, within 1h). 1 of 1.
    let body = "\u{feff}conversation,at,kind,direction,author\r\n\
q,2026-03-02T09:10:00+01:00,message,out,human\r\n\r\n\
q,2026-03-02T10:00:00+01:00,message,in,\r\n\
q,2026-03-02T10:30:00+01:00,message,out,bot\r\n";
    std::fs::write(data.join("messages.csv"), body).unwrap();
    let map = dir.path().join("m.yaml");
    std::fs::write(&map, "messages:\n  columns:\n    inquiry: conversation\n").unwrap();
    let m = map.to_str().unwrap();
    let out = run(&["--map", m, "--format", "json"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let march = r["goals"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == "2026-03")
        .unwrap();
    assert_eq!(march["display"], "100.00% (1/1)");
    std::fs::write(
        data.join("messages.csv"),
        format!("{body}q,2026-03-02T11:00:00+01:00,message,inn,\r\n"),
    )
    .unwrap();
    let err = String::from_utf8_lossy(&run(&["--map", m]).stderr).to_string();
    assert!(
        err.contains("messages.csv` row 6, column `direction`: unknown direction `inn`"),
        "{err}"
    );
}
