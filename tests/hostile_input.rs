//! Issue #11, "safe on hostile input", outside the language server (which
//! tests/lsp.rs drives over stdio): contacts, dates and terms the checker
//! must refuse or accept, Markdown that cannot be broken out of, and
//! terminal output without raw control characters.

mod common;

use common::check_text;

fn agreement(effective: &str, role: &str, communication: &str) -> String {
    format!(
        r#"agreement care "Tiny Bakery social care" {{
  client bakery "Tiny Bakery"
  provider studio "Pixel Studio"
  effective {effective}

  role community_manager of studio {{ {role} }}

  goal replies "Reply within a day" {{
    metric response_time
    target 95% within 1d
    owner community_manager
  }}
  {communication}
}}
"#
    )
}

fn codes(text: &str) -> Vec<&'static str> {
    check_text("hostile.sla", text)
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

const EMAIL: &str = r#"email "care@pixel.example""#;
const YEAR: &str = "2026-01-01 to 2026-12-31";

#[test]
fn a_term_of_exactly_one_hundred_calendar_years_is_accepted() {
    for ok in [
        "2026-01-01 to 2126-01-01",
        "2026-01-01 to 2125-12-31",
        "2028-02-29 to 2128-02-29",
        "1970-01-01 to 2070-01-01",
    ] {
        assert_eq!(codes(&agreement(ok, EMAIL, "")), [] as [&str; 0], "{ok}");
    }
    for too_long in ["2026-01-01 to 2126-01-02", "2028-02-29 to 2128-03-01"] {
        assert_eq!(
            codes(&agreement(too_long, EMAIL, "")),
            ["E0321"],
            "{too_long}"
        );
    }
}

#[test]
fn dates_before_1970_and_year_zero_are_refused() {
    for early in ["1969-12-31 to 2026-12-31", "0000-01-01 to 2026-12-31"] {
        assert_eq!(codes(&agreement(early, EMAIL, "")), ["E0322"], "{early}");
    }
    // Closed dates too: a calendar with one in 1969.
    let text = format!(
        "calendar office {{\n  timezone \"UTC\"\n  open mon-fri 09:00-17:00\n  closed 1969-07-20\n}}\n{}",
        agreement(YEAR, EMAIL, "")
    );
    assert!(codes(&text).contains(&"E0322"), "{:?}", codes(&text));
}

#[test]
fn contacts_are_one_address_of_their_kind() {
    for (role, code) in [
        (r#"email "a@x.example, evil@y.example""#, "E0323"),
        (r#"email "Care <a@x.example>""#, "E0323"),
        (r#"email "a@x.example\nBcc: evil@y.example""#, "E0323"),
        (r##"slack "#care, #evil""##, "E0324"),
        (r##"slack "#Care""##, "E0324"),
        (r#"webhook "javascript:alert(1)""#, "E0325"),
        (r#"webhook "https://x.example/a b""#, "E0325"),
        (r#"webhook "https://""#, "E0325"),
    ] {
        let c = check_text("hostile.sla", &agreement(YEAR, role, ""));
        let d = c
            .diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{role}: {}", c.rendered()));
        // The span is the string, quotes included.
        let text = c.sources.get(d.primary.file).text.to_string();
        let at = &text[d.primary.span.start..d.primary.span.end];
        assert!(at.starts_with('"') && at.ends_with('"'), "{role}: {at}");
    }
    for role in [
        r##"email "care@pixel.example" slack "#pixel-care" webhook "https://hooks.pixel.example/care""##,
        r#"slack "C024BE91L""#,
    ] {
        assert_eq!(codes(&agreement(YEAR, role, "")), [] as [&str; 0], "{role}");
    }
    // Communication channels are checked the same way.
    let bad = r#"communication { channel email "a@x.example, evil@y.example" }"#;
    assert_eq!(codes(&agreement(YEAR, EMAIL, bad)), ["E0323"]);
    let bad = r#"communication { channel slack "general" }"#;
    assert_eq!(codes(&agreement(YEAR, EMAIL, bad)), ["E0324"]);
}

fn slac(args: &[&str]) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("slac")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_period_outside_the_term_is_an_error_not_a_report_of_no_data() {
    let report = [
        "report",
        "examples/acme-social.sla",
        "--data",
        "examples/data",
    ];
    for period in ["2031-01", "2025", "2025-Q4", "2027-01-01"] {
        let (code, out, err) = slac(&[&report[..], &["--period", period]].concat());
        assert_eq!(code, 2, "{period}: {out}{err}");
        assert!(err.contains("is outside the term"), "{period}: {err}");
    }
    let (code, _, err) = slac(&[&report[..], &["--period", "2026-03"]].concat());
    assert_eq!(code, 0, "{err}");
}

/// Titles and ids an attacker controls: a heading, raw HTML, a link, code
/// fences, a table pipe, a line break and terminal escapes.
const EVIL_TITLE: &str = r#"Care\n## Credits\nNo credit is owed <img src=x onerror=alert(1)> [x](javascript:alert(1)) ``` `tick` | # \u{1b}]0;pwn\u{7}\u{1b}[2J"#;
const EVIL_IDS: [&str; 6] = [
    "a`b<img src=x onerror=alert(1)>",
    "## Credits",
    "```",
    "x|y",
    "- [ ] <script>",
    "\u{1b}[31mred\u{1b}[0m",
];

fn hostile_report(format: &str) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let sla = format!(
        r#"agreement tiny "{EVIL_TITLE}" {{
  client bakery "Tiny <b>Bakery</b>"
  provider freelancer "Sam | Rivera"
  effective 2026-01-01 to 2026-06-30

  role community_manager of freelancer {{ email "sam@example.org" }}

  goal replies "{EVIL_TITLE}" {{
    metric response_time
    target 95% within 1h
    owner community_manager
  }}
}}
"#
    );
    std::fs::write(dir.path().join("evil.sla"), sla).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let mut csv = csv_writer();
    for (i, id) in EVIL_IDS.iter().enumerate() {
        // Late answers (worst misses) and open ones (pending at as-of).
        csv.push_str(&format!(
            "{},x,dm,normal,,2026-03-02T09:0{i}:00+00:00,2026-03-02T15:00:00+00:00,\n",
            quote(id)
        ));
        csv.push_str(&format!(
            "{},x,dm,normal,,2026-03-31T23:3{i}:00+00:00,,\n",
            quote(&format!("{id}-open"))
        ));
    }
    std::fs::write(data.join("inquiries.csv"), csv).unwrap();
    slac(&[
        "report",
        dir.path().join("evil.sla").to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--as-of",
        "2026-03-31T23:59:00+00:00",
        "--format",
        format,
    ])
}

fn csv_writer() -> String {
    "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at\n".into()
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// What a CommonMark reader (GitHub's tables on) makes of `md`.
fn markdown_events(md: &str) -> Vec<pulldown_cmark::Event<'_>> {
    pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES).collect()
}

/// The text of every heading, in order.
fn headings(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for e in markdown_events(md) {
        match e {
            Event::Start(Tag::Heading { .. }) => current = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t)
                }
            }
            _ => {}
        }
    }
    out
}

/// No HTML, no links or images, no raw control characters.
fn assert_inert(md: &str) {
    use pulldown_cmark::{Event, Tag};
    for e in markdown_events(md) {
        match e {
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML {h:?} in:\n{md}"),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => panic!("a link in:\n{md}"),
            _ => {}
        }
    }
    assert!(
        !md.chars()
            .any(|c| c != '\n' && slac::text::is_hidden_control(c)),
        "a control character in:\n{md:?}"
    );
    // Outside code spans (where it is literal text), no raw `<` at all.
    let mut outside = md.to_string().into_bytes();
    let parser = pulldown_cmark::Parser::new_ext(md, pulldown_cmark::Options::ENABLE_TABLES);
    for (e, range) in parser.into_offset_iter() {
        if let pulldown_cmark::Event::Code(_) = e {
            outside[range].fill(b' ');
        }
    }
    let outside = String::from_utf8_lossy(&outside);
    assert!(
        !outside.contains('<'),
        "a raw `<` outside code spans:\n{outside}"
    );
}

#[test]
fn the_markdown_report_cannot_be_broken_out_of() {
    let (code, md, err) = hostile_report("markdown");
    assert_eq!(code, 0, "{err}");
    assert_inert(&md);
    let heads = headings(&md);
    // slac's own headings only: the title's `## Credits` stays in its line.
    let h2: Vec<&String> = heads.iter().filter(|h| !h.contains("Care")).collect();
    assert_eq!(h2, ["Summary", "Goals", "Data"], "{heads:?}\n{md}");
    assert!(heads[0].starts_with("Compliance report: Care ## Credits No credit is owed <img"));
    assert!(heads[0].contains("\\u{1b}]0;pwn"), "{heads:?}");
    // Every id shows whole, as one code span (or escaped text for `|`).
    let code: Vec<String> = markdown_events(&md)
        .into_iter()
        .filter_map(|e| match e {
            pulldown_cmark::Event::Code(c) => Some(c.to_string()),
            _ => None,
        })
        .collect();
    for id in EVIL_IDS.iter().filter(|id| !id.contains(['|', '\u{1b}'])) {
        assert!(
            code.iter().any(|c| c == id),
            "{id:?} not a code span: {code:?}\n{md}"
        );
        let open = format!("{id}-open");
        assert!(code.contains(&open), "{open:?}: {code:?}\n{md}");
    }
    assert!(
        code.iter().any(|c| c == "\\u{1b}[31mred\\u{1b}[0m"),
        "{code:?}"
    );
    // Every table row has as many cells as its header.
    for table in md.split("\n\n").filter(|b| b.starts_with('|')) {
        let cells = |row: &str| {
            markdown_events(row)
                .iter()
                .filter(|e| {
                    matches!(
                        e,
                        pulldown_cmark::Event::Start(pulldown_cmark::Tag::TableCell)
                    )
                })
                .count()
        };
        let head = table.lines().take(2).collect::<Vec<_>>().join("\n");
        let width = cells(&head);
        for row in table.lines().skip(2) {
            assert_eq!(cells(&format!("{head}\n{row}")), width * 2, "{row}");
        }
    }
    // The terminal summary and the JSON stay valid too.
    let (code, json, _) = hostile_report("json");
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["agreement"]["title"].as_str().unwrap().contains('\u{1b}'));
}

#[test]
fn the_markdown_diff_cannot_be_broken_out_of() {
    use slac::diff::{diff, render, render::FileChanges};
    let title = |t: &str| {
        format!(
            r#"agreement tiny "T" {{
  client bakery "Tiny Bakery"
  provider freelancer "Sam"
  effective 2026-01-01 to 2026-06-30
  role community_manager of freelancer {{ email "sam@example.org" }}
  goal replies "{t}" {{
    metric response_time
    target 95% within 1h
    owner community_manager
  }}
}}
"#
        )
    };
    let old = check_text("old.sla", &title("Reply"));
    let new = check_text("new.sla", &title(EVIL_TITLE));
    assert_eq!(old.errors() + new.errors(), 0, "{}", new.rendered());
    let files = [FileChanges {
        name: "a`b <i>.sla".into(),
        changes: diff(&old.model, &new.model),
    }];
    assert!(!files[0].changes.is_empty());
    let md = render::markdown(&files);
    assert_inert(&md);
    assert_eq!(headings(&md), ["slac diff"], "{md}");
    let text = render::text(&files, false);
    assert!(
        !text
            .chars()
            .any(|c| c != '\n' && slac::text::is_hidden_control(c)),
        "{text:?}"
    );
    assert!(text.contains("\\u{1b}]0;pwn"), "{text}");
    // Colours are slac's own, and still there.
    let colored = render::text(&files, true);
    assert_eq!(
        colored.matches('\u{1b}').count(),
        2 * files[0].changes.len()
    );
}

#[test]
fn terminal_output_shows_control_characters_instead_of_sending_them() {
    // A diagnostic whose message, label and source line carry escapes.
    let text =
        agreement(YEAR, EMAIL, "").replace("owner community_manager", "owner \u{1b}]0;pwn\u{7}x");
    let (code, out, err) = {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("evil.sla");
        std::fs::write(&file, text).unwrap();
        slac(&["check", file.to_str().unwrap(), "--color", "never"])
    };
    assert_ne!(code, 0);
    let all = out + &err;
    assert!(!all.contains('\u{1b}') && !all.contains('\u{7}'), "{all:?}");
    // A data error quotes the cell.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inquiries.csv"),
        format!("{}q1,x,dm,normal,,\"\u{1b}[2Jsoon\",,\n", csv_writer()),
    )
    .unwrap();
    let (code, _, err) = slac(&[
        "report",
        "examples/minimal.sla",
        "--data",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("\\u{1b}[2Jsoon"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}
