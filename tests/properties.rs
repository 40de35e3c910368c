//! Properties over generated valid agreements (proptest): every generated
//! agreement checks clean; fmt is idempotent, canonical (layout does not
//! matter) and keeps the Model and every comment; build is deterministic
//! and every emitted file is valid YAML; an agreement differs from nothing
//! in itself. `PROPTEST_CASES` raises the number of cases (default 48).

mod common;

use proptest::prelude::*;
use serde::Deserialize;
use slac::emit::{emit, Target};
use slac::fmt::format;
use slac::source::FileId;

const PLATFORMS: [&str; 5] = ["x", "instagram", "facebook", "linkedin", "tiktok"];
const ZONES: [&str; 4] = ["Europe/Berlin", "America/New_York", "UTC", "Asia/Tokyo"];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[derive(Debug, Clone)]
struct Calendar {
    zone: usize,
    first_day: usize,
    last_day: usize,
    opens: u32,
    hours: u32,
    closed_day: Option<u32>,
}

#[derive(Debug, Clone)]
enum Promise {
    Within { percent: u32, hours: u32 },
    Quantile { q: u32, minutes: u32 },
    Rate { percent: u32 },
    Posts { per_week: u32 },
}

#[derive(Debug, Clone)]
struct Goal {
    target: Promise,
    platforms: Vec<usize>,
    high_priority: bool,
    clock: Option<usize>,
    owner: usize,
    credit: Option<u32>,
    escalate: Option<usize>,
    reported: bool,
}

#[derive(Debug, Clone)]
struct Agreement {
    calendars: Vec<Calendar>,
    start_month: u32,
    months: u32,
    platforms: Vec<usize>,
    roles: usize,
    tiers: usize,
    goals: Vec<Goal>,
    fee: u32,
    cap: u32,
    approval: bool,
}

fn calendar() -> impl Strategy<Value = Calendar> {
    (
        0..ZONES.len(),
        0..5usize,
        0..3usize,
        6..12u32,
        1..10u32,
        prop::option::of(1..28u32),
    )
        .prop_map(
            |(zone, first_day, span, opens, hours, closed_day)| Calendar {
                zone,
                first_day,
                last_day: first_day + span,
                opens,
                hours,
                closed_day,
            },
        )
}

fn target() -> impl Strategy<Value = Promise> {
    prop_oneof![
        (50..100u32, 1..48u32).prop_map(|(percent, hours)| Promise::Within { percent, hours }),
        (prop::sample::select(vec![50u32, 90, 95, 99]), 5..240u32)
            .prop_map(|(q, minutes)| Promise::Quantile { q, minutes }),
        (50..100u32).prop_map(|percent| Promise::Rate { percent }),
        (1..20u32).prop_map(|per_week| Promise::Posts { per_week }),
    ]
}

fn goal() -> impl Strategy<Value = Goal> {
    (
        target(),
        prop::collection::vec(0..PLATFORMS.len(), 0..3),
        any::<bool>(),
        prop::option::of(0..3usize),
        0..4usize,
        prop::option::of(1..6u32),
        prop::option::of(0..3usize),
        any::<bool>(),
    )
        .prop_map(
            |(target, platforms, high_priority, clock, owner, credit, escalate, reported)| Goal {
                target,
                platforms,
                high_priority,
                clock,
                owner,
                credit,
                escalate,
                reported,
            },
        )
}

fn agreement() -> impl Strategy<Value = Agreement> {
    (
        prop::collection::vec(calendar(), 0..3),
        1..13u32,
        1..24u32,
        prop::collection::vec(0..PLATFORMS.len(), 1..4),
        1..5usize,
        1..4usize,
        prop::collection::vec(goal(), 1..6),
        100..50_000u32,
        any::<bool>(),
    )
        .prop_map(
            |(calendars, start_month, months, platforms, roles, tiers, goals, fee, approval)| {
                let mut platforms = platforms;
                platforms.sort();
                platforms.dedup();
                Agreement {
                    calendars,
                    start_month,
                    months,
                    platforms,
                    roles,
                    tiers,
                    goals,
                    fee,
                    cap: 30,
                    approval,
                }
            },
        )
}

/// How the text is laid out: the formatter must not care.
#[derive(Debug, Clone, Copy)]
struct Layout {
    indent: &'static str,
    gap: &'static str,
    blank_lines: bool,
    comments: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        prop::sample::select(vec!["  ", "    ", "\t", " "]),
        prop::sample::select(vec![" ", "  ", "\t"]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(indent, gap, blank_lines, comments)| Layout {
            indent,
            gap,
            blank_lines,
            comments,
        })
}

/// Writes the agreement as source text in the given layout.
fn render(a: &Agreement, l: Layout) -> String {
    let mut out = Vec::<String>::new();
    let i1 = l.indent.to_string();
    let i2 = l.indent.repeat(2);
    let i3 = l.indent.repeat(3);
    let g = l.gap;
    let mut line = |depth: &str, text: String, comment: &str| {
        if l.comments && !comment.is_empty() {
            out.push(format!("{depth}// {comment}"));
        }
        out.push(format!("{depth}{text}"));
    };
    for (c, cal) in a.calendars.iter().enumerate() {
        line("", format!("calendar{g}hours_{c}{g}{{"), "a calendar");
        line(&i1, format!("timezone{g}\"{}\"", ZONES[cal.zone]), "");
        line(
            &i1,
            format!(
                "open{g}{}-{}{g}{:02}:00-{:02}:00",
                DAYS[cal.first_day],
                DAYS[cal.last_day],
                cal.opens,
                cal.opens + cal.hours
            ),
            "opening hours",
        );
        if let Some(day) = cal.closed_day {
            line(&i1, format!("closed{g}2026-03-{day:02}"), "");
        }
        line("", "}".into(), "");
        if l.blank_lines {
            line("", String::new(), "");
        }
    }
    let (start_y, start_m) = (2026, a.start_month);
    let end_index = start_m - 1 + a.months;
    let (end_y, end_m) = (start_y + (end_index / 12) as i32, end_index % 12 + 1);
    line(
        "",
        format!("agreement{g}generated{g}\"Generated\"{g}{{"),
        "the agreement",
    );
    // Party lines keep the author's alignment (a documented choice), so
    // they are written with single spaces here.
    line(&i1, "client brand \"Brand\"".into(), "");
    line(&i1, "provider agency \"Agency\"".into(), "");
    line(
        &i1,
        format!("effective{g}{start_y}-{start_m:02}-01{g}to{g}{end_y}-{end_m:02}-01"),
        "the term",
    );
    line(&i1, format!("fee{g}{}{g}EUR{g}per{g}month", a.fee), "");
    let listed: Vec<&str> = a.platforms.iter().map(|p| PLATFORMS[*p]).collect();
    line(&i1, format!("platforms{g}{}", listed.join(", ")), "");
    if l.blank_lines {
        line("", String::new(), "");
    }
    for r in 0..a.roles {
        let party = if r % 2 == 0 { "agency" } else { "brand" };
        line(
            &i1,
            format!("role{g}role_{r}{g}of{g}{party}{g}{{ email \"r{r}@example.com\" }}"),
            if r == 0 { "the roles" } else { "" },
        );
    }
    // One responsibility keeps every RACI rule satisfied.
    line(&i1, format!("responsibility{g}care{g}{{"), "");
    line(&i2, format!("responsible{g}role_0"), "");
    line(&i2, format!("accountable{g}role_0"), "");
    line(&i2, format!("duty{g}\"Answer customers\""), "");
    line(&i1, "}".into(), "");
    for (n, goal) in a.goals.iter().enumerate() {
        let owner = goal.owner % a.roles;
        if l.blank_lines {
            line("", String::new(), "");
        }
        line(
            &i1,
            format!("goal{g}goal_{n}{g}\"Goal {n}\"{g}{{"),
            "a goal",
        );
        let (metric, target) = match goal.target {
            Promise::Within { percent, hours } => {
                ("response_time", format!("{percent}%{g}within{g}{hours}h"))
            }
            Promise::Quantile { q, minutes } => {
                ("response_time", format!("p{q}{g}<={g}{minutes}m"))
            }
            Promise::Rate { percent } => ("response_rate", format!(">={g}{percent}%")),
            Promise::Posts { per_week } => ("posts", format!(">={g}{per_week}{g}per{g}week")),
        };
        line(&i2, format!("metric{g}{metric}"), "");
        let mut conditions = Vec::new();
        let mut filtered: Vec<&str> = goal
            .platforms
            .iter()
            .map(|p| PLATFORMS[*p])
            .filter(|p| listed.contains(p))
            .collect();
        filtered.dedup();
        if !filtered.is_empty() {
            conditions.push(format!("platform in [{}]", filtered.join(", ")));
        }
        if goal.high_priority && metric != "posts" {
            conditions.push("priority >= high".into());
        }
        if !conditions.is_empty() {
            line(&i2, format!("where{g}{}", conditions.join(", ")), "");
        }
        line(&i2, format!("target{g}{target}"), "the promise");
        if metric == "response_time" {
            match goal.clock {
                Some(c) if c < a.calendars.len() => line(&i2, format!("clock{g}hours_{c}"), ""),
                Some(_) => line(&i2, format!("clock{g}always"), ""),
                None => {}
            }
        }
        line(&i2, format!("owner{g}role_{owner}"), "");
        if goal.reported {
            line(&i2, "reported".into(), "not binding");
        } else if goal.credit.is_some() || goal.escalate.is_some() {
            line(&i2, format!("on{g}breach{g}{{"), "");
            if let Some(t) = goal.escalate {
                line(&i3, format!("escalate{g}crisis.tier_{}", t % a.tiers), "");
            }
            if let Some(credit) = goal.credit {
                line(&i3, format!("credit{g}{credit}%"), "");
            }
            line(&i2, "}".into(), "");
        }
        line(&i1, "}".into(), "");
    }
    if a.approval {
        line(&i1, format!("approval{g}publish{g}\"Approval\"{g}{{"), "");
        line(&i2, format!("subject{g}posts"), "");
        line(&i2, format!("step{g}review{g}{{"), "");
        line(&i3, format!("by{g}role_{}", (a.roles - 1)), "");
        line(&i3, format!("within{g}1d"), "");
        line(&i2, "}".into(), "");
        line(&i2, format!("then{g}publish"), "");
        line(&i1, "}".into(), "");
    }
    line(
        &i1,
        format!("escalation{g}crisis{g}\"Crisis\"{g}{{"),
        "escalation",
    );
    for t in 0..a.tiers {
        line(&i2, format!("tier{g}tier_{t}{g}{{"), "");
        line(&i3, format!("notify{g}role_{}", t % a.roles), "");
        // Severer tiers acknowledge faster.
        line(
            &i3,
            format!("acknowledge{g}within{g}{}m", 120 / (t + 1)),
            "",
        );
        line(&i2, "}".into(), "");
    }
    line(&i1, "}".into(), "");
    line(&i1, format!("credit{g}cap{g}{}%", a.cap), "");
    line("", "}".into(), "");
    out.join("\n") + "\n"
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(48);
    ProptestConfig {
        cases,
        // The shrunk failing input is printed; no regression files to manage.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn comments(text: &str) -> usize {
    text.lines()
        .filter(|l| l.trim_start().starts_with("//"))
        .count()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn generated_agreements_check_clean(a in agreement(), l in layout()) {
        let text = render(&a, l);
        let checked = common::check_text("generated.sla", &text);
        prop_assert_eq!(checked.errors(), 0, "{}\n{}", text, checked.rendered());
    }

    #[test]
    fn fmt_is_idempotent_canonical_and_keeps_the_model(a in agreement(), l in layout()) {
        let text = render(&a, l);
        let once = format(FileId(0), &text).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let twice = format(FileId(0), &once).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(&once, &twice, "fmt is not idempotent");
        prop_assert_eq!(comments(&once), comments(&text), "a comment was lost");
        let before = common::check_text("generated.sla", &text).model;
        let after = common::check_text("generated.sla", &once).model;
        prop_assert!(before == after, "fmt changed the Model");
        prop_assert!(slac::diff::diff(&before, &after).is_empty());
        // Without comments, indentation and spacing never change the
        // formatted text (blank lines between items are the author's and kept).
        let plain = Layout { indent: "  ", gap: " ", blank_lines: l.blank_lines, comments: false };
        if !l.comments {
            let canonical = format(FileId(0), &render(&a, plain)).unwrap();
            prop_assert_eq!(once, canonical, "layout changed the formatted text");
        }
    }

    #[test]
    fn build_is_deterministic_and_emits_valid_yaml(a in agreement()) {
        let text = render(&a, Layout { indent: "  ", gap: " ", blank_lines: true, comments: false });
        let first = common::check_text("generated.sla", &text).model;
        let second = common::check_text("generated.sla", &text).model;
        for target in [Target::Rules, Target::Prometheus, Target::Alertmanager, Target::OpenSlo] {
            let outputs = emit(&first, target);
            prop_assert_eq!(&outputs, &emit(&second, target), "{:?} differs between runs", target);
            prop_assert!(!outputs.is_empty());
            for out in outputs {
                for doc in serde_yaml::Deserializer::from_str(&out.contents) {
                    let parsed = serde_yaml::Value::deserialize(doc);
                    prop_assert!(parsed.is_ok(), "{} is not YAML: {:?}", out.file_name, parsed.err());
                }
            }
        }
    }
}
