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
        .map(|d| d.code)
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
