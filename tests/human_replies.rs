//! `replies by human`: only a person's reply stops a goal's clock; bot and
//! automation replies in `messages.csv` do not (docs/report.md "Human
//! replies"). Every expected number is worked out in the comments. The
//! office is Mon-Fri 09:00-17:00 Europe/Berlin (UTC+1 in March); Monday
//! is 2026-03-02.

mod common;

use chrono::DateTime;
use common::tables::table;
use slac::check::{LoadError, Loader, Session};
use slac::diagnostics::Code;
use slac::model::{Agreement, Replies};
use slac::report::events::{Data, Inquiry, Message};
use slac::report::read::{self, Format, Vocabulary};
use slac::report::{build, Options, Report, Value};
use std::path::Path;

struct NoFiles;
impl Loader for NoFiles {
    fn load(&self, _: &Path) -> Result<Vec<u8>, LoadError> {
        Err(LoadError::NotFound)
    }
}

fn source(body: &str) -> String {
    format!(
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
    )
}

/// The agreement and the codes of its diagnostics (errors fail the test).
fn checked(body: &str) -> (Agreement, Vec<Code>) {
    let mut s = Session::new(&NoFiles, Path::new("/t"), None);
    let id = s.check_text(Path::new("/t/t.sla"), &source(body));
    let diags = s.take_diagnostics();
    let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let codes = diags.iter().map(|d| d.code).collect();
    (s.model(id).agreements[0].clone(), codes)
}

fn agreement(body: &str) -> Agreement {
    checked(body).0
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

fn report(a: &Agreement, d: &Data, as_of: &str) -> Report {
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
    .unwrap()
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

// First replies, Mon 2026-03-02:
//   a: received 09:00; bot 09:02 (inquiries.csv's first_response_at);
//      automation 09:30; human 10:20: 1h20m to a person.
//   b: received 16:30; bot 16:31; human Tue 09:20: 30m Mon + 20m Tue = 50m.
//   c: received 14:00; bot 14:01; solved 14:05 by the bot; no person ever.
const INQUIRIES: &str = "\
a,x,dm,normal,,2026-03-02T09:00:00+01:00,2026-03-02T09:02:00+01:00,
b,x,dm,normal,,2026-03-02T16:30:00+01:00,2026-03-02T16:31:00+01:00,
c,x,dm,normal,,2026-03-02T14:00:00+01:00,2026-03-02T14:01:00+01:00,
";
const FIRST: &str = "\
a,2026-03-02T09:00:00+01:00,message,in,
a,2026-03-02T09:02:00+01:00,message,out,bot
a,2026-03-02T09:30:00+01:00,message,out,automation
a,2026-03-02T10:20:00+01:00,message,out,human
b,2026-03-02T16:31:00+01:00,message,out,bot
b,2026-03-03T09:20:00+01:00,message,out,human
c,2026-03-02T14:01:00+01:00,message,out,bot
c,2026-03-02T14:05:00+01:00,solved,,
";

#[test]
fn first_reply_is_the_first_person_in_the_messages() {
    let a = agreement(
        r#"goal any "First reply" { metric response_time target 100% within 1h clock office owner r }
goal human "First reply by a person" { metric response_time target 100% within 1h clock office replies by human owner r }"#,
    );
    let d = data(&a, INQUIRIES, FIRST);
    // As-of Tue 10:00.
    // Without the clause, inquiries.csv's first_response_at: 2m, 1m, 1m:
    // 3 of 3 within 1h.
    // With it: a 1h20m late; b 50m within; c has no person's reply and
    // the bot's solve does not stop the clock: Mon 14:00-17:00 3h + Tue
    // 09:00-10:00 1h = 4h, overdue. 1 of 3.
    let r = report(&a, &d, "2026-03-03T10:00:00+01:00");
    assert_eq!(within(&r, "any"), (3, 3, 0));
    assert_eq!(within(&r, "human"), (1, 3, 0));
    // As-of Mon 10:10: the person's reply to a (10:20) has not happened
    // (rows after as-of are not read): a has run 1h10m, overdue; b and c
    // have not arrived. 0 of 1. The goal without the clause: a within.
    let r = report(&a, &d, "2026-03-02T10:10:00+01:00");
    assert_eq!(within(&r, "human"), (0, 1, 0));
    assert_eq!(within(&r, "any"), (1, 1, 0));
    // As-of Mon 09:45: a has run 45m with no person's reply: pending.
    let r = report(&a, &d, "2026-03-02T09:45:00+01:00");
    assert_eq!(within(&r, "human"), (0, 0, 1));
}

#[test]
fn an_inquiry_that_requires_no_response_is_left_out_as_before() {
    let a = agreement(
        r#"goal human "First reply by a person" { metric response_time target 100% within 1h clock office replies by human owner r }"#,
    );
    // a and c as above, c marked as requiring no response: it is out of
    // the goal, so only a (1h20m, late) is counted: 0 of 1.
    let inq = "\
id,platform,channel,priority,audience,received_at,first_response_at,resolved_at,requires_response
a,x,dm,normal,,2026-03-02T09:00:00+01:00,2026-03-02T09:02:00+01:00,,true
c,x,dm,normal,,2026-03-02T14:00:00+01:00,2026-03-02T14:01:00+01:00,,false
";
    let msgs: String = FIRST
        .lines()
        .filter(|l| !l.starts_with('b'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut d = data(&a, "", &msgs);
    let v = Vocabulary::for_agreement(&a);
    d.inquiries.rows = read::read_rows::<Inquiry>(
        "inquiries.csv",
        Format::Csv,
        inq.as_bytes(),
        &v,
        &mut |_| {},
    )
    .unwrap();
    let r = report(&a, &d, "2026-03-03T10:00:00+01:00");
    assert_eq!(within(&r, "human"), (0, 1, 0));
}

// Next reply, one conversation on Mon 2026-03-02:
//   09:00 in; 09:10 out human (the first reply);
//   10:00 in (a wait opens); 10:40 out bot; 11:00 out human;
//   16:30 in (a wait opens); no reply by as-of Tue 09:45.
// A second conversation, e:
//   09:00 in; 09:01 out bot; 09:30 in; 09:50 out human.
const NEXT: &str = "\
q,2026-03-02T09:00:00+01:00,message,in,
q,2026-03-02T09:10:00+01:00,message,out,human
q,2026-03-02T10:00:00+01:00,message,in,
q,2026-03-02T10:40:00+01:00,message,out,bot
q,2026-03-02T11:00:00+01:00,message,out,human
q,2026-03-02T16:30:00+01:00,message,in,
e,2026-03-02T09:00:00+01:00,message,in,
e,2026-03-02T09:01:00+01:00,message,out,bot
e,2026-03-02T09:30:00+01:00,message,in,
e,2026-03-02T09:50:00+01:00,message,out,human
";
const TWO: &str = "\
q,x,dm,normal,,2026-03-02T09:00:00+01:00,2026-03-02T09:10:00+01:00,
e,x,dm,normal,,2026-03-02T09:00:00+01:00,2026-03-02T09:01:00+01:00,
";

#[test]
fn next_reply_waits_for_a_person() {
    let a = agreement(
        r#"goal any "Next reply" { metric next_reply_time target 100% within 45m clock office owner r }
goal human "Next reply by a person" { metric next_reply_time target 100% within 45m clock office replies by human owner r }"#,
    );
    let d = data(&a, TWO, NEXT);
    // Any author:
    //   q wait 1 10:00-10:40 (the bot) = 40m, within 45m;
    //   q wait 2 Mon 16:30 - as-of Tue 09:45 = 30m + 45m = 1h15m, overdue;
    //   e: the bot's 09:01 is the first reply, so 09:30 opens a wait that
    //   the person's 09:50 stops: 20m, within. 2 of 3.
    // Human replies only:
    //   q wait 1 10:00-11:00 = 1h, late; q wait 2 overdue as above;
    //   e: no person replied before 09:30, so that message is still the
    //   first reply's to answer (response_time), not a next reply: no
    //   wait. 0 of 2.
    let r = report(&a, &d, "2026-03-03T09:45:00+01:00");
    assert_eq!(within(&r, "any"), (2, 3, 0));
    assert_eq!(within(&r, "human"), (0, 2, 0));
}

#[test]
fn periodic_updates_are_refreshed_by_people_only() {
    let a = agreement(
        r#"goal any "Updates" { metric periodic_update_time target 100% within 90m clock office owner r }
goal human "Updates by a person" { metric periodic_update_time target 100% within 90m clock office replies by human owner r }"#,
    );
    // Mon: out human 09:00, out bot 10:00, out automation 10:30, out human
    // 12:00, solved 13:00.
    //   Any author: 09:00-10:00 1h within, 10:00-10:30 30m within,
    //   10:30-12:00 1h30m within (<= 90m), 12:00-13:00 1h within: 4 of 4.
    //   People only: 09:00-12:00 3h late, 12:00-13:00 1h within: 1 of 2.
    let msgs = "\
q,2026-03-02T09:00:00+01:00,message,out,human
q,2026-03-02T10:00:00+01:00,message,out,bot
q,2026-03-02T10:30:00+01:00,message,out,automation
q,2026-03-02T12:00:00+01:00,message,out,human
q,2026-03-02T13:00:00+01:00,solved,,
";
    let inq = "q,x,dm,normal,,2026-03-02T08:30:00+01:00,2026-03-02T09:00:00+01:00,\n";
    let d = data(&a, inq, msgs);
    let r = report(&a, &d, "2026-03-03T09:45:00+01:00");
    assert_eq!(within(&r, "any"), (4, 4, 0));
    assert_eq!(within(&r, "human"), (1, 2, 0));
}

#[test]
fn resolution_time_is_unaffected_and_warned_about() {
    let body = r#"goal res "Resolved" { metric resolution_time target 100% within 2h clock office replies by human owner r }"#;
    let (a, codes) = checked(body);
    assert_eq!(codes, [Code::W0018]);
    // The model keeps what the clause means there: nothing.
    assert_eq!(a.goals[0].replies, Replies::Anyone);
    let (plain, _) = checked(
        r#"goal res "Resolved" { metric resolution_time target 100% within 2h clock office owner r }"#,
    );
    assert_eq!(a, plain);
    // a is solved at 14:05 after a bot's reply: 5h05m, late either way.
    let inq = "a,x,dm,normal,,2026-03-02T09:00:00+01:00,2026-03-02T09:02:00+01:00,\n";
    let msgs =
        "a,2026-03-02T09:02:00+01:00,message,out,bot\na,2026-03-02T14:05:00+01:00,solved,,\n";
    let r = report(&a, &data(&a, inq, msgs), "2026-03-03T10:00:00+01:00");
    assert_eq!(within(&r, "res"), (0, 1, 0));
}

#[test]
fn the_model_and_the_canonical_rules_carry_the_clause() {
    let a = agreement(
        r#"goal human "First reply by a person" { metric response_time target 100% within 1h clock office replies by human owner r }
goal any "First reply" { metric response_time target 100% within 1h clock office owner r }"#,
    );
    assert_eq!(a.goals[0].replies, Replies::Human);
    assert_eq!(a.goals[1].replies, Replies::Anyone);
}

fn model(body: &str) -> slac::model::Model {
    let mut s = Session::new(&NoFiles, Path::new("/t"), None);
    let id = s.check_text(Path::new("/t/t.sla"), &source(body));
    assert!(!s.take_diagnostics().iter().any(|d| d.is_error()));
    s.model(id).clone()
}

const HUMAN: &str = r#"goal g "First reply by a person" {
    metric response_time
    target 90% within 1h
    clock office
    replies by human
    owner r
  }"#;

#[test]
fn diff_adding_the_clause_is_stricter_and_removing_it_looser() {
    use slac::diff::{diff, Effect, Kind};
    let with = model(HUMAN);
    let without = model(&HUMAN.replace("    replies by human\n", ""));
    let seen = |a, b| {
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
    let field = Some("replies by".to_string());
    // Bots no longer stop the clock: items wait longer, the provider owes
    // more.
    assert_eq!(
        seen(&without, &with),
        (
            Kind::Added,
            Effect::Stricter,
            field.clone(),
            None,
            Some("human".into())
        )
    );
    assert_eq!(
        seen(&with, &without),
        (
            Kind::Removed,
            Effect::Looser,
            field,
            Some("human".into()),
            None
        )
    );
    // On resolution time the clause means nothing (W0018): no change.
    let res = |g: &str| g.replace("response_time", "resolution_time");
    assert!(diff(
        &model(&res(HUMAN)),
        &model(&res(&HUMAN.replace("    replies by human\n", "")))
    )
    .is_empty());
}

#[test]
fn fmt_keeps_the_clause_and_is_idempotent() {
    let src = "agreement a \"A\" {\n  goal g \"G\" {\n    metric response_time\n    replies\n   by    human\n  }\n}\n";
    let file = slac::source::FileId(0);
    let once = slac::fmt::format(file, src).unwrap();
    assert!(once.contains("    replies by human\n"), "{once}");
    assert_eq!(slac::fmt::format(file, &once).unwrap(), once);
}

#[test]
fn rules_and_prometheus_read_the_human_histogram() {
    let m = model(HUMAN);
    let a = &m.agreements[0];
    let rules = slac::emit::rules::emit(a, "t.sla");
    assert!(rules.contains(r#"replies_by: "human""#), "{rules}");
    let (prom, tests) = slac::emit::prometheus::emit_both(a, "t.sla");
    // The goal reads only observations of a person's first reply: the
    // histogram series labelled replies="human" (docs/targets.md).
    assert!(
        prom.contains(r#"slac_inquiry_first_response_seconds_bucket{agreement="t",clock="office",replies="human",le=~"#),
        "{prom}"
    );
    // OpenSLO's queries carry the same matcher.
    let openslo = slac::emit::emit_agreement(a, "t.sla", slac::emit::Target::OpenSlo);
    let openslo = &openslo[0].contents;
    assert!(
        openslo.contains(r#"clock=\"office\",replies=\"human\""#),
        "{openslo}"
    );
    // The generated promtool test feeds the same series.
    assert!(tests.contains(r#"replies=\"human\""#), "{tests}");
    // A goal without the clause has neither.
    let m = model(&HUMAN.replace("    replies by human\n", ""));
    let a = &m.agreements[0];
    assert!(!slac::emit::rules::emit(a, "t.sla").contains("replies"));
    let (prom, tests) = slac::emit::prometheus::emit_both(a, "t.sla");
    assert!(!prom.contains("replies") && !tests.contains("replies"));
}

/// Through the CLI: a goal with the clause on `response_time` needs
/// `messages.csv` (inquiries.csv's `first_response_at` cannot say who
/// replied), and the error names the file.
#[test]
fn the_cli_names_the_missing_messages_file() {
    use assert_cmd::Command;
    let dir = tempfile::tempdir().unwrap();
    let sla = dir.path().join("a.sla");
    std::fs::write(&sla, source(HUMAN)).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("inquiries.csv"), format!("{INQ}{INQUIRIES}")).unwrap();
    let run = || {
        let mut c = Command::cargo_bin("slac").unwrap();
        c.arg("report").arg(&sla).arg("--data").arg(&data);
        c.args(["--as-of", "2026-03-03T10:00:00+01:00", "--format", "json"]);
        c.output().unwrap()
    };
    let out = run();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        err.contains("no `messages.csv` or `messages.jsonl` in"),
        "{err}"
    );
    // With the file: a 1h20m late, b 50m within, c overdue (see above):
    // 1 of 3.
    std::fs::write(data.join("messages.csv"), format!("{MSG}{FIRST}")).unwrap();
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let march = r["goals"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["period"] == "2026-03")
        .unwrap();
    assert_eq!(march["display"], "33.33% (1/3)");
    // The client's report says whose replies count, in words.
    let mut c = Command::cargo_bin("slac").unwrap();
    c.arg("report").arg(&sla).arg("--data").arg(&data);
    c.args([
        "--as-of",
        "2026-03-03T10:00:00+01:00",
        "--audience",
        "client",
    ]);
    let text = String::from_utf8(c.output().unwrap().stdout).unwrap();
    assert!(
        text.contains(
            "Only a reply written by a person counts; replies sent by bots or automations do not."
        ),
        "{text}"
    );
}

/// `slac serve` times a goal with the clause from the conversation's
/// messages, on a histogram of its own read by the case
/// (`tests/serve_human.rs`), but has no per-item warning gauge for it: an
/// inquiry alone cannot say whether a person has replied, and a gauge
/// that stopped at a bot's reply would be looser than the contract
/// (docs/serve.md "Limits").
#[test]
fn serve_times_the_clause_from_messages_and_gauges_no_item_it_cannot_tell() {
    use slac::report::clocks::Clocks;
    use slac::report::events::Event;
    use slac::report::{live::Plan, warn_live::open_items};
    let warned = HUMAN.replace("    owner r\n", "    warn at 50%\n    owner r\n");
    let any = warned.replace("    replies by human\n", "");
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    // a, received Mon 09:00, not answered by 09:45.
    let a = |body: &str| model(body).agreements[0].clone();
    let inquiry = Event::Inquiry(Inquiry {
        row: 2,
        id: "a".into(),
        platform: "x".into(),
        channel: "dm".into(),
        priority: "normal".into(),
        audience: "".into(),
        received_at: at("2026-03-02T09:00:00+01:00"),
        first_response_at: None,
        resolved_at: None,
        requires_response: true,
    });
    let now = at("2026-03-02T09:45:00+01:00");
    for (body, by_case, open) in [(&any, false, 1), (&warned, true, 0)] {
        let a = a(body);
        let plan = Plan::of(&a);
        assert_eq!(plan.histograms.len(), 1, "{body}");
        assert_eq!(plan.histograms[0].reads_messages(), by_case, "{body}");
        let clocks = Clocks::new(&a, &[], now, now);
        // Unanswered at 09:45: 45m of the office clock used, an open item
        // of the goal without the clause only.
        let items = open_items(&a, &clocks, &inquiry, now);
        assert_eq!(items.len(), open, "{body}");
        if open == 1 {
            assert_eq!(items[0].seconds, 45 * 60);
        }
    }
}

/// The rendered contract says whose replies count, once per goal with the
/// clause (the valid corpus file has three).
#[test]
fn the_contract_document_says_only_people_count() {
    let text = common::rendered_markdown("tests/corpus/valid/human-replies.sla");
    let sentence =
        "Only a reply written by a person counts; replies sent by bots or automations do not.";
    assert_eq!(text.matches(sentence).count(), 3, "{text}");
}
