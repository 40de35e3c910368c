//! `warn at P%`: the report's warned-then-breached items worked out by hand,
//! the same numbers in JSON, Markdown and HTML, and the compiled outputs.

mod common;

use chrono::{DateTime, Utc};
use slac::check::{LoadError, Loader, Session};
use slac::model::Agreement;
use slac::report::events::{Data, Table};
use slac::report::read::{self, Format, Vocabulary};
use slac::report::{build, Options, Report};
use std::path::Path;

struct NoFiles;
impl Loader for NoFiles {
    fn load(&self, _: &Path) -> Result<Vec<u8>, LoadError> {
        Err(LoadError::NotFound)
    }
}

const SOURCE: &str = r#"calendar office {
  timezone "Europe/Berlin"
  open mon-fri 09:00-17:00
  closed 2026-01-06
}

agreement t "Test" {
  client c "Client"
  provider p "Provider"
  effective 2026-01-01 to 2026-12-31
  timezone "Europe/Berlin"
  role r of p { email "r@example.org" }
  goal g "Replies" {
    metric response_time
    target 90% within 2h
    warn at 75%
    clock office
    owner r
  }
}
"#;

fn agreement(src: &str) -> Agreement {
    let mut s = Session::new(&NoFiles, Path::new("/t"), None);
    let id = s.check_text(Path::new("/t/t.sla"), src);
    let errors: Vec<_> = s
        .take_diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    s.model(id).agreements[0].clone()
}

// Berlin office hours, Mon-Fri 09:00-17:00, Tuesday 6 January closed. The
// allowance is 2h; the warning falls due after 75% of it, 1h30m.
// - a: Mon 09:00 -> 10:00, 1h: never warned.
// - b: Mon 09:00 -> 10:45, 1h45m: warned at 10:30, answered in time.
// - c: Mon 16:00 -> Wed 10:30: Mon 1h + Tue closed + Wed 1h30m = 2h30m, a
//   breach. 1h30m is reached Wed 09:30 (Mon 1h, Wed 30m); answered 10:30,
//   1h after the warning.
// - d: Thu 09:00:00.5, unanswered at as-of Thu 12:00: 2h59m59.5s, overdue.
//   Warned at 10:30:00.5; 1h29m59.5s since (5,399,500,000 µs, shown 1h30m).
// - e: Thu 10:00, unanswered: 2h at as-of, exactly the deadline, so pending;
//   its warning fell due at 11:30: warned, not breached.
// - f: Thu 11:00, unanswered: 1h, pending, not warned.
// Warned: b, c, d, e = 4. Breached anyway: c, d = 2, in the order their
// warnings fell due.
const INQUIRIES: &str = "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at,requires_response
a,x,dm,normal,,2026-01-05T09:00:00+01:00,2026-01-05T10:00:00+01:00,,
b,x,dm,normal,,2026-01-05T09:00:00+01:00,2026-01-05T10:45:00+01:00,,
c,x,dm,normal,,2026-01-05T16:00:00+01:00,2026-01-07T10:30:00+01:00,,
d,instagram,dm,normal,,2026-01-08T09:00:00.5+01:00,,,
e,x,dm,normal,,2026-01-08T10:00:00+01:00,,,
f,x,dm,normal,,2026-01-08T11:00:00+01:00,,,
";

fn report() -> Report {
    let a = agreement(SOURCE);
    let v = Vocabulary::for_agreement(&a);
    let rows = read::read_rows::<slac::report::events::Inquiry>(
        "inquiries.csv",
        Format::Csv,
        INQUIRIES.as_bytes(),
        &v,
        &mut |_| {},
    )
    .unwrap();
    let d = Data {
        inquiries: Table {
            file: Some("inquiries.csv".into()),
            rows,
        },
        ..Data::default()
    };
    let as_of: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-01-08T12:00:00+01:00")
        .unwrap()
        .to_utc();
    build(
        "t.sla",
        &a,
        &d,
        &Options {
            as_of,
            range: None,
            worst: 10,
        },
    )
    .unwrap()
}

#[test]
fn warned_items_that_breached_anyway_are_listed() {
    let r = report();
    let p = &r.goals[0].results[0];
    assert_eq!((p.counted, p.pending, p.misses), (4, 2, 2));
    let w = p.warnings.as_ref().expect("the goal warns");
    assert_eq!(w.share, "75%");
    assert_eq!((w.after_seconds, w.after_micros), (5400, 5_400_000_000));
    assert_eq!((w.warned, w.breached), (4, 2));
    let items: Vec<_> = w
        .items
        .iter()
        .map(|i| {
            (
                i.id.as_str(),
                i.warned_at.as_str(),
                i.answered_at.as_deref(),
                i.open,
                i.after_warning_seconds,
                i.after_warning_micros,
            )
        })
        .collect();
    assert_eq!(
        items,
        vec![
            (
                "c",
                "2026-01-07T09:30:00+01:00",
                Some("2026-01-07T10:30:00+01:00"),
                false,
                3600,
                3_600_000_000
            ),
            (
                "d",
                "2026-01-08T10:30:00.500+01:00",
                None,
                true,
                5400,
                5_399_500_000
            ),
        ]
    );
}

#[test]
fn json_markdown_and_html_carry_the_warnings() {
    let r = report();
    let json: serde_json::Value =
        serde_json::from_str(&slac::report::render_json::render(&r)).unwrap();
    let w = &json["goals"][0]["results"][0]["warnings"];
    assert_eq!(w["warned"], 4);
    assert_eq!(w["breached"], 2);
    assert_eq!(w["items"][1]["warned_at"], "2026-01-08T10:30:00.500+01:00");
    assert_eq!(w["items"][1]["answered_at"], serde_json::Value::Null);
    let line = "Warnings at 75% of the allowance (1h30m), 2026-01: 4 warned, 2 breached anyway (2 of 2 listed):";
    let md = slac::report::render_markdown::render(&r);
    let html = slac::report::render_html::render(&r);
    assert!(md.contains(line), "{md}");
    assert!(html.contains(line), "{html}");
    for cell in [
        "2026-01-07 09:30",
        "2026-01-07 10:30",
        "2026-01-08 10:30",
        "still open",
        "1h30m so far",
        "1h",
    ] {
        assert!(md.contains(cell), "markdown lacks {cell}");
        assert!(html.contains(cell), "html lacks {cell}");
    }
}

#[test]
fn a_goal_without_the_clause_has_no_warnings_key() {
    let src = SOURCE.replace("    warn at 75%\n", "");
    let a = agreement(&src);
    assert_eq!(a.goals[0].warn, None);
    let rules = slac::emit::rules::emit(&a, "t.sla");
    assert!(!rules.contains("warn"), "{rules}");
    let (prom, _) = slac::emit::prometheus::emit_both(&a, "t.sla");
    assert!(!prom.contains("ItemWarning"));
}

#[test]
fn rules_and_prometheus_carry_the_warning() {
    let a = agreement(SOURCE);
    let rules = slac::emit::rules::emit(&a, "t.sla");
    assert!(rules.contains("after_seconds: 5400"), "{rules}");
    assert!(rules.contains("share: 0.75"), "{rules}");
    let (prom, tests) = slac::emit::prometheus::emit_both(&a, "t.sla");
    // One alert per open item: the gauge reaches 1h30m (5400 s), gated on
    // the office clock, severity warning, routed by the owner label.
    assert!(prom.contains("alert: \"SlacGItemWarning\""), "{prom}");
    assert!(
        prom.contains(r#"slac_goal_item_open_seconds{agreement="t",goal="g"} >= 5400"#),
        "{prom}"
    );
    assert!(prom.contains("severity: \"warning\"") && prom.contains("owner: \"r\""));
    assert!(tests.contains("SlacGItemWarning"), "{tests}");
    // The generated promtool test sits on the edge: 5400 fires, 5399 not.
    assert!(tests.contains(r#"values: "5400x60""#), "{tests}");
    assert!(tests.contains(r#"values: "5399x60""#), "{tests}");
    assert!(tests.contains("item: \"item-1\""), "{tests}");
}

fn model(src: &str) -> slac::model::Model {
    let mut s = Session::new(&NoFiles, Path::new("/t"), None);
    let id = s.check_text(Path::new("/t/t.sla"), src);
    assert!(!s.take_diagnostics().iter().any(|d| d.is_error()));
    s.model(id).clone()
}

#[test]
fn diff_lists_a_warning_as_a_neutral_change() {
    use slac::diff::{diff, Effect, Kind};
    let with = model(SOURCE);
    let without = model(&SOURCE.replace("    warn at 75%\n", ""));
    let earlier = model(&SOURCE.replace("warn at 75%", "warn at 50%"));
    let seen = |a, b| {
        let c = diff(a, b);
        assert_eq!(c.len(), 1, "{c:#?}");
        (c[0].kind, c[0].effect, c[0].field.clone(), c[0].new.clone())
    };
    // Moving the warning earlier asks nothing more of the provider: a
    // warning is an early notice, not a term.
    assert_eq!(
        seen(&with, &earlier),
        (
            Kind::Changed,
            Effect::Neutral,
            Some("warning".into()),
            Some("warn at 50%".into())
        )
    );
    assert_eq!(seen(&without, &with).1, Effect::Neutral);
    assert_eq!(seen(&with, &without).1, Effect::Neutral);
    assert!(diff(&with, &with).is_empty());
}

#[test]
fn fmt_keeps_the_clause_and_is_idempotent() {
    let f = slac::source::FileId(0);
    // Written out of place and spaced oddly, it comes back one a line.
    let messy = SOURCE
        .replace("    warn at 75%\n", "")
        .replace("    owner r\n", "    owner r    warn   at 75%\n");
    let once = slac::fmt::format(f, &messy).map_err(|_| "formats").unwrap();
    assert!(once.contains("    owner r\n    warn at 75%\n"), "{once}");
    assert_eq!(
        slac::fmt::format(f, &once).map_err(|_| "formats").unwrap(),
        once
    );
    // The canonical text is itself.
    assert_eq!(
        slac::fmt::format(f, SOURCE).map_err(|_| "formats").unwrap(),
        SOURCE
    );
}

/// The rendered contract says when an item is flagged.
#[test]
fn the_contract_document_says_when_an_item_is_flagged() {
    let text = common::rendered_markdown("tests/corpus/valid/item-warnings.sla");
    let sentence = "An open item is flagged to the Provider once it has used";
    let flagged = text.matches(sentence).count();
    let clauses = std::fs::read_to_string("tests/corpus/valid/item-warnings.sla")
        .unwrap()
        .lines()
        .filter(|l| l.trim_start().starts_with("warn at"))
        .count();
    assert!(
        flagged > 0 && flagged == clauses,
        "{flagged} of {clauses}:\n{text}"
    );
    assert!(text.contains("once it has used 75% of the time allowed for it."));
    assert!(text.contains("once it has used 50.5% of the time allowed for it."));
}
