//! The HTML and Markdown reports say the same thing: the same sections in
//! the same order, and word for word the same text and numbers (the HTML
//! adds only its charts, whose numbers are in the table after each).
//!
//! Both are rendered by the real binary; the Markdown is read with a
//! CommonMark parser and the HTML by stripping its tags, so a renderer that
//! drops a row, a column, a list or a note fails here.

use assert_cmd::Command;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn report(extra: &[&str], format: &str) -> String {
    let out = Command::cargo_bin("slac")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "report",
            "examples/acme-social.sla",
            "--data",
            "examples/data",
        ])
        .args(extra)
        .args(["--format", format])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A rendered report reduced to what a reader sees.
#[derive(Debug, Default)]
struct Seen {
    /// (level, text) of every heading.
    headings: Vec<(u8, String)>,
    /// Every word of the text, in order.
    words: Vec<String>,
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn markdown(md: &str) -> Seen {
    let mut seen = Seen::default();
    let mut text = String::new();
    let mut heading: Option<(u8, usize)> = None;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::Start(Tag::Heading { level, .. }) => {
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    other => panic!("unexpected heading {other:?}"),
                };
                heading = Some((level, text.len()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let (level, from) = heading.take().unwrap();
                seen.headings.push((level, text[from..].trim().to_string()));
                text.push(' ');
            }
            Event::End(TagEnd::Paragraph | TagEnd::TableCell | TagEnd::Item | TagEnd::TableRow) => {
                text.push(' ')
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    seen.words = words(&text);
    seen
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The visible text of the HTML body, without its charts: block tags
/// separate words, inline tags (code, strong, links, status badges) do not.
fn html(page: &str) -> Seen {
    let body = &page[page.find("<body>").expect("a body")..];
    let mut seen = Seen::default();
    let mut text = String::new();
    let mut rest = body;
    let mut heading: Option<(u8, usize)> = None;
    while let Some(open) = rest.find('<') {
        text.push_str(&unescape(&rest[..open]));
        let close = open + rest[open..].find('>').expect("a closed tag");
        let tag = &rest[open + 1..close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &rest[close + 1..];
        if name == "svg" && !tag.starts_with('/') {
            rest = &rest[rest.find("</svg>").expect("a closed chart") + 6..];
            continue;
        }
        match (name.as_str(), tag.starts_with('/')) {
            ("h1" | "h2" | "h3", false) => {
                heading = Some((name[1..].parse().unwrap(), text.len()));
            }
            ("h1" | "h2" | "h3", true) => {
                let (level, from) = heading.take().unwrap();
                seen.headings.push((level, text[from..].trim().to_string()));
                text.push(' ');
            }
            ("code" | "strong" | "a" | "span", _) => {}
            _ => text.push(' '),
        }
    }
    text.push_str(&unescape(rest));
    seen.words = words(&text);
    seen
}

fn assert_same(extra: &[&str]) {
    let md = markdown(&report(extra, "markdown"));
    let page = html(&report(extra, "html"));
    assert_eq!(md.headings, page.headings, "the sections differ");
    // The first differing word, with context, reads better than two dumps.
    for (i, (a, b)) in md.words.iter().zip(&page.words).enumerate() {
        assert_eq!(
            a,
            b,
            "word {i} differs; markdown: …{}…; html: …{}…",
            md.words[i.saturating_sub(8)..(i + 8).min(md.words.len())].join(" "),
            page.words[i.saturating_sub(8)..(i + 8).min(page.words.len())].join(" ")
        );
    }
    assert_eq!(md.words.len(), page.words.len(), "one format says more");
}

#[test]
fn html_and_markdown_carry_the_same_report() {
    assert_same(&[]);
}

#[test]
fn the_same_with_a_selected_period() {
    assert_same(&["--period", "2026-03", "--as-of", "2026-04-02"]);
}

#[test]
fn the_same_for_the_client_and_the_provider() {
    assert_same(&["--audience", "client"]);
    assert_same(&["--audience", "provider"]);
}

#[test]
fn the_sections_are_the_reports_sections() {
    let page = html(&report(&[], "html"));
    let h2: Vec<&str> = page
        .headings
        .iter()
        .filter(|(level, _)| *level == 2)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(
        h2,
        [
            "Summary",
            "Credits",
            "Goals",
            "Approvals",
            "Escalations",
            "Data",
            "Notes"
        ]
    );
    let html = report(&[], "html");
    // What the HTML used to leave out.
    for must in [
        "<td>Excluded time</td>",
        "<th class=\"num\">Settled by silence</th>",
        "Late or overdue, <code>publish_post.review</code>",
        "(<code>client_delay</code>)",
    ] {
        assert!(html.contains(must), "the HTML lacks {must}");
    }
    assert!(!html.contains('`'), "raw backticks in the HTML");
    let selected = report(&["--period", "2026-03"], "html");
    assert!(selected.contains("<td>Asked for</td><td>2026-03</td>"));
}

/// The words `phrase` appear in `seen`, one after the other.
fn says(seen: &Seen, phrase: &str) -> bool {
    let want = words(phrase);
    seen.words.windows(want.len()).any(|w| w == want.as_slice())
}

/// The counts of every distribution table of a Markdown report, in order:
/// the tables whose columns are a time band, `Count` and `Share`.
fn distribution_tables(md: &str) -> Vec<Vec<u64>> {
    let mut out = Vec::new();
    let mut lines = md.lines();
    while let Some(line) = lines.next() {
        if !(line.starts_with("| ") && line.contains("time") && line.contains("| Count | Share |"))
        {
            continue;
        }
        lines.next(); // the delimiter row
        let counts = lines
            .by_ref()
            .take_while(|l| l.starts_with('|'))
            .map(|l| l.split('|').nth(2).unwrap().trim().parse().unwrap())
            .collect();
        out.push(counts);
    }
    out
}

/// The numbers over the bars of every histogram of an HTML report.
fn histograms(page: &str) -> Vec<Vec<u64>> {
    page.split("<svg class=\"chart histogram\"")
        .skip(1)
        .map(|svg| {
            let svg = &svg[..svg.find("</svg>").unwrap()];
            svg.split("<text class=\"value\"")
                .skip(1)
                .map(|t| {
                    let t = &t[t.find('>').unwrap() + 1..];
                    t[..t.find('<').unwrap()].parse().unwrap()
                })
                .collect()
        })
        .collect()
}

/// The breakdown by platform and the distribution are in both formats, for
/// every audience, with the same numbers; each histogram draws the counts
/// of the table after it.
#[test]
fn the_breakdown_and_the_distribution_in_both_formats() {
    for (audience, phrases) in [
        (
            "internal",
            [
                "By platform, 2026-03, each against the target 90% within 1h:",
                "x 72.50% (29/40) 40 0 11 missed",
                "Business time of the 100 counted, 2026-03, against the deadline 1h:",
                "2h to 4h 12 12.00% no",
            ],
        ),
        (
            "client",
            [
                "By platform in March 2026, each against the same target",
                "X 72.50% (29 of 40 in time) 40 0 11 missed",
                "How long the 100 inquiries counted in March 2026 took,",
                "2 hours to 4 hours 12 12.00% no",
            ],
        ),
        (
            "provider",
            [
                "By platform in February 2026, each against the same target",
                "Facebook 91.66% (22 of 24 in time) 24 0 2 met",
                "How long the 13 inquiries counted in February 2026 took,",
                "still open, over 30 minutes 2 15.38% no",
            ],
        ),
    ] {
        let args = ["--audience", audience];
        let (md_text, page) = (report(&args, "markdown"), report(&args, "html"));
        let (md, html) = (markdown(&md_text), html(&page));
        for phrase in phrases {
            assert!(says(&md, phrase), "{audience} markdown lacks {phrase:?}");
            assert!(says(&html, phrase), "{audience} html lacks {phrase:?}");
        }
        // Two latency goals over two months: four distributions, each
        // adding up to the goal-period's counted events.
        let tables = distribution_tables(&md_text);
        assert_eq!(tables.len(), 4, "{audience}");
        assert_eq!(histograms(&page), tables, "{audience}");
        let sums: Vec<u64> = tables.iter().map(|t| t.iter().sum()).collect();
        assert_eq!(sums, [94, 100, 13, 21], "{audience}");
    }
}

/// A goal whose clock pauses (`pause while waiting on`): its paused
/// business time is in the Markdown, the HTML and the JSON alike.
#[test]
fn paused_time_in_every_format() {
    let run_for = |format: &str, audience: &str| {
        let out = Command::cargo_bin("slac")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["report", "tests/corpus/valid/paused-clocks.sla"])
            .args(["--data", "tests/data/paused-clocks", "--audience", audience])
            .args(["--as-of", "2026-03-20T12:00:00+01:00", "--format", format])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let run = |format: &str| run_for(format, "internal");
    // The client's and the provider's views say it in words, alike.
    for audience in ["client", "provider"] {
        let md = markdown(&run_for("markdown", audience));
        let page = html(&run_for("html", audience));
        assert_eq!(md.words, page.words, "{audience}");
        for seen in [&md, &page] {
            assert!(says(seen, "In March 2026, the clock stood still for 70 hours 30 minutes while 3 inquiries waited on the customer or on the Client."));
            assert!(says(
                seen,
                "260 hours 30 minutes while 2 inquiries waited on the customer."
            ));
        }
    }
    let md = markdown(&run("markdown"));
    let page = html(&run("html"));
    assert_eq!(md.headings, page.headings);
    assert_eq!(md.words, page.words);
    // `resolved` (office hours, customer and client): c1 waited Mon 16:00 to
    // Tue 10:30 (1h + 1h30m), c2 on the client 11:00-13:00 (2h), c3 since
    // Tue 10 March 10:00, still open at Fri 20 March 12:00 (Tue 7h, seven
    // office days of 8h, Fri 3h: 66h). 70h30m over 3 items.
    // `resolved_p90` (always, customer only): c1 18h30m, c3 10d2h = 242h;
    // 260h30m over 2 items.
    for seen in [&md, &page] {
        assert!(says(seen, "Paused while waiting on customer, client"));
        // A table row reads as its cells' words.
        assert!(says(seen, "2026-03 70h30m 3"));
        assert!(says(seen, "2026-03 260h30m 2"));
    }
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let paused = |goal: usize| json["goals"][goal]["results"][0]["paused"].clone();
    assert_eq!(
        paused(0),
        serde_json::Value::Null,
        "`replies` does not pause"
    );
    assert_eq!(
        paused(1),
        serde_json::json!({ "micros": 253_800_000_000u64, "seconds": 253_800, "items": 3 })
    );
    assert_eq!(
        paused(2),
        serde_json::json!({ "micros": 937_800_000_000u64, "seconds": 937_800, "items": 2 })
    );
    assert_eq!(
        json["goals"][1]["pause"],
        serde_json::json!(["customer", "client"])
    );
}

/// A goal with targets per segment: its by-segment rows say the same in
/// the Markdown and the HTML, for every audience (numbers worked out in
/// tests/segments.rs).
#[test]
fn segments_in_every_format() {
    let run = |format: &str, audience: &str| {
        let out = Command::cargo_bin("slac")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["report", "tests/data/segments/care.sla"])
            .args(["--data", "tests/data/segments", "--audience", audience])
            .args(["--as-of", "2026-03-31T12:00:00Z", "--format", format])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    for audience in ["internal", "client", "provider"] {
        let md = markdown(&run("markdown", audience));
        let page = html(&run("html", audience));
        assert_eq!(md.headings, page.headings, "{audience}");
        assert_eq!(md.words, page.words, "{audience}");
    }
    let md = markdown(&run("markdown", "internal"));
    let page = html(&run("html", "internal"));
    for seen in [&md, &page] {
        assert!(says(
            seen,
            "priority = urgent 95% within 15m 50.00% (1/2) 2 1 1 missed"
        ));
        assert!(says(
            seen,
            "other items 90% within 1h 100.00% (4/4) 4 0 0 met"
        ));
        assert!(says(
            seen,
            "whole goal every part 87.50% (7/8); 2 of 3 parts met 8 1 1 missed"
        ));
    }
}
