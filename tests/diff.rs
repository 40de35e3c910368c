//! `slac diff`: semantic changes classified for provider and client, with
//! real git in temporary repositories (commits, renames, deleted files), and
//! every output format snapshot.

mod common;

use assert_cmd::Command;
use slac::diff::{diff, Effect, Kind};
use std::path::Path;

const BASE: &str = include_str!("../examples/acme-social.sla");
const CALENDARS: &str = include_str!("../examples/calendars.sla");

use common::git;

fn repo_with_examples() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    std::fs::write(dir.path().join("acme-social.sla"), BASE).unwrap();
    std::fs::write(dir.path().join("calendars.sla"), CALENDARS).unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "base"]);
    dir
}

fn slac(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("slac")
        .unwrap()
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The model of the acme example with `edit` applied to its text.
fn changes(edit: impl Fn(&str) -> String) -> Vec<slac::diff::Change> {
    let old = common::check_text("examples/acme-social.sla", BASE);
    let new = common::check_text("examples/acme-social.sla", &edit(BASE));
    assert_eq!(new.errors(), 0, "{}", new.rendered());
    diff(&old.model, &new.model)
}

fn one(edit: impl Fn(&str) -> String) -> (Kind, Effect, String) {
    let c = changes(edit);
    assert_eq!(c.len(), 1, "{c:#?}");
    (c[0].kind, c[0].effect, c[0].summary.clone())
}

#[test]
fn reformatting_reordering_and_comments_are_not_changes() {
    let c = changes(|s| {
        let s = s.replace(
            "  client   acme   \"Acme Corp\"",
            "  client acme \"Acme Corp\"",
        );
        let s = s.replace("// In priority order.", "// Platforms, in priority order.");
        // Move the response-rate goal to the end of the agreement.
        let start = s.find("  goal answer_everyone").unwrap();
        let end = start + s[start..].find("\n  }\n").unwrap() + 5;
        let goal = s[start..end].to_string();
        let s = format!("{}{}", &s[..start], &s[end..]);
        s.replacen("  credit cap 15%", &format!("{goal}  credit cap 15%"), 1)
    });
    assert!(c.is_empty(), "{c:#?}");
}

/// `16h` and `2bd` on an eight-hour calendar are one deadline: rewriting one
/// as the other is no change; `3bd` is a longer one, shown as its length.
#[test]
fn business_days_diff_by_their_length_on_the_clock() {
    let same = changes(|s| s.replacen("within 16h", "within 2bd", 1));
    assert!(same.is_empty(), "{same:#?}");
    let (_, _, summary) = one(|s| s.replacen("within 16h", "within 3bd", 1));
    assert!(summary.contains("from `16h` to `1d`"), "{summary}");
}

/// A target that tightens its share and loosens its time says so, part by
/// part, and `--fail-on looser` (and `stricter`) catch it.
#[test]
fn mixed_changes_name_each_part_and_fail_both_gates() {
    let c = changes(|s| s.replace("90% within 1h", "95% within 2h"));
    assert_eq!(c.len(), 1, "{c:#?}");
    let c = &c[0];
    assert_eq!((c.effect, c.client), (Effect::Mixed, "mixed"));
    let parts: Vec<(&str, &str, &str, Effect)> = c
        .parts
        .iter()
        .map(|p| (p.field, p.old.as_str(), p.new.as_str(), p.effect))
        .collect();
    assert_eq!(
        parts,
        [
            ("share", "90%", "95%", Effect::Stricter),
            ("time", "1h", "2h", Effect::Looser)
        ]
    );
    assert!(
        c.summary
            .ends_with("(mixed: share `90%` → `95%` stricter, time `1h` → `2h` looser)"),
        "{}",
        c.summary
    );

    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.sla");
    std::fs::write(&new, BASE.replace("90% within 1h", "95% within 2h")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/calendars.sla"),
        dir.path().join("calendars.sla"),
    )
    .unwrap();
    let old = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme-social.sla");
    for (gate, code) in [("looser", 1), ("stricter", 1)] {
        let (status, out) = slac(
            dir.path(),
            &["diff", old.to_str().unwrap(), "new.sla", "--fail-on", gate],
        );
        assert_eq!(status, Some(code), "--fail-on {gate}: {out}");
    }
    let (_, md) = slac(
        dir.path(),
        &[
            "diff",
            old.to_str().unwrap(),
            "new.sla",
            "--format",
            "markdown",
        ],
    );
    assert!(
        md.contains("| :twisted_rightwards_arrows: | mixed | mixed | 1 |"),
        "{md}"
    );
    let (_, json) = slac(
        dir.path(),
        &["diff", old.to_str().unwrap(), "new.sla", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["mixed"], 1);
    let parts = &v["files"][0]["changes"][0]["parts"];
    assert_eq!(parts[1]["field"], "time");
    assert_eq!(parts[1]["provider"], "looser");
}

#[test]
fn each_change_is_classified() {
    use Effect::*;
    use Kind::*;
    type Edit = Box<dyn Fn(&str) -> String>;
    let cases: Vec<(&str, Edit, Kind, Effect)> = vec![
        (
            "higher percentage",
            Box::new(|s| s.replace("90% within 1h", "95% within 1h")),
            Changed,
            Stricter,
        ),
        (
            "longer within",
            Box::new(|s| s.replace("90% within 1h", "90% within 2h")),
            Changed,
            Looser,
        ),
        (
            "mixed target",
            Box::new(|s| s.replace("90% within 1h", "95% within 2h")),
            Changed,
            Mixed,
        ),
        (
            "percentile up, time longer",
            Box::new(|s| s.replace("p95 <= 30m", "p99 <= 1h")),
            Changed,
            Mixed,
        ),
        (
            "a share against a percentile does not compare",
            Box::new(|s| s.replace("90% within 1h", "p90 <= 1h")),
            Changed,
            Neutral,
        ),
        (
            "lower quantile",
            Box::new(|s| s.replace("p95 <= 30m", "p90 <= 30m")),
            Changed,
            Looser,
        ),
        (
            "larger credit",
            Box::new(|s| s.replacen("credit 5%", "credit 8%", 1)),
            Changed,
            Stricter,
        ),
        (
            "higher cap",
            Box::new(|s| s.replace("credit cap 15%", "credit cap 20%")),
            Changed,
            Stricter,
        ),
        (
            "new exclusion",
            Box::new(|s| s.replace("force_majeure", "force_majeure, client_delay")),
            Added,
            Looser,
        ),
        (
            "binding to reported",
            Box::new(|s| {
                s.replace(
                    "    target >= 4 per week\n",
                    "    target >= 4 per week\n    reported\n",
                )
            }),
            Changed,
            Looser,
        ),
        (
            "more posts",
            Box::new(|s| s.replace(">= 4 per week", ">= 5 per week")),
            Changed,
            Stricter,
        ),
        (
            "shorter acknowledge",
            Box::new(|s| s.replace("acknowledge within 15m", "acknowledge within 10m")),
            Changed,
            Stricter,
        ),
        (
            "closed date added",
            Box::new(|s| {
                s.replace(
                    "closed 2026-12-24, 2026-12-31",
                    "closed 2026-12-24, 2026-12-30, 2026-12-31",
                )
            }),
            Added,
            Looser,
        ),
        (
            "longer opening hours",
            Box::new(|s| s.replace("open mon-fri 09:00-17:00", "open mon-fri 08:00-18:00")),
            Changed,
            Stricter,
        ),
        (
            "client approver gets longer",
            Box::new(|s| s.replace("within 16h", "within 24h")),
            Changed,
            Stricter,
        ),
        (
            "fee raised",
            Box::new(|s| s.replace("fee 12000 EUR", "fee 13000 EUR")),
            Changed,
            Looser,
        ),
        (
            "new binding goal",
            Box::new(|s| {
                s.replace("  approval publish_post", "  goal more \"More\" {\n    metric posts\n    target >= 1 per day\n  }\n\n  approval publish_post")
            }),
            Added,
            Stricter,
        ),
        (
            "role contact changed",
            Box::new(|s| s.replace("legal@acme.example", "law@acme.example")),
            Added,
            Neutral,
        ),
    ];
    for (name, edit, kind, effect) in cases {
        let c = changes(|s| edit(s));
        assert!(!c.is_empty(), "{name}: no change found");
        assert!(
            c.iter().any(|c| c.kind == kind && c.effect == effect),
            "{name}: expected {kind:?}/{effect:?}, got {c:#?}"
        );
    }
    let (_, _, summary) = one(|s| s.replace("90% within 1h", "95% within 1h"));
    assert_eq!(
        summary,
        "goal first_response: target tightened from `90% within 1h` to `95% within 1h`"
    );
}

#[test]
fn git_working_tree_shows_exactly_the_semantic_changes() {
    let dir = repo_with_examples();
    let edited = BASE
        .replace("target 90% within 1h", "target 95% within 1h")
        .replace("credit cap 15%", "credit cap 10%")
        .replace(
            "  client   acme   \"Acme Corp\"",
            "  client acme \"Acme Corp\"",
        );
    std::fs::write(dir.path().join("acme-social.sla"), edited).unwrap();
    let (code, text) = slac(dir.path(), &["diff", "--git", "HEAD"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("git_text", text);
    let (_, md) = slac(
        dir.path(),
        &["diff", "--git", "HEAD", "--format", "markdown"],
    );
    insta::assert_snapshot!("git_markdown", md);
    let (_, json) = slac(dir.path(), &["diff", "--git", "HEAD", "--format", "json"]);
    insta::assert_snapshot!("git_json", json);
    // CI gates.
    assert_eq!(
        slac(
            dir.path(),
            &["diff", "--git", "HEAD", "--fail-on", "looser"]
        )
        .0,
        Some(1)
    );
    std::fs::write(
        dir.path().join("acme-social.sla"),
        BASE.replace("credit cap 15%", "credit cap 20%"),
    )
    .unwrap();
    assert_eq!(
        slac(
            dir.path(),
            &["diff", "--git", "HEAD", "--fail-on", "looser"]
        )
        .0,
        Some(0)
    );
}

#[test]
fn git_revisions_renames_additions_and_deletions() {
    let dir = repo_with_examples();
    git(dir.path(), &["mv", "acme-social.sla", "acme.sla"]);
    std::fs::write(
        dir.path().join("acme.sla"),
        BASE.replace("review quarterly", "review monthly"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("tiny.sla"),
        include_str!("../examples/minimal.sla"),
    )
    .unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "second"]);
    let (code, text) = slac(dir.path(), &["diff", "--git", "HEAD~1..HEAD"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("git_rename_and_add", text);
    git(dir.path(), &["rm", "-q", "tiny.sla"]);
    let (_, text) = slac(dir.path(), &["diff", "--git", "HEAD"]);
    assert!(text.contains("tiny.sla (deleted)"), "{text}");
    assert!(text.contains("agreement tiny removed"), "{text}");
    // Nothing changed against the working tree after a pure reformat.
    git(dir.path(), &["reset", "-q", "--hard"]);
    let acme = dir.path().join("acme.sla");
    let text = std::fs::read_to_string(&acme).unwrap();
    std::fs::write(
        &acme,
        text.replace("  client   acme   ", "  client acme ")
            .replace("// In priority order.\n", ""),
    )
    .unwrap();
    let (code, text) = slac(dir.path(), &["diff", "--git", "HEAD"]);
    assert_eq!((code, text.as_str()), (Some(0), "no semantic changes\n"));
}

#[test]
fn git_diff_driver_shows_the_semantic_diff() {
    let dir = repo_with_examples();
    let bin = assert_cmd::cargo::cargo_bin("slac");
    std::fs::write(dir.path().join(".gitattributes"), "*.sla diff=slac\n").unwrap();
    git(
        dir.path(),
        &[
            "config",
            "diff.slac.command",
            &format!("'{}' diff-driver", bin.display()),
        ],
    );
    std::fs::write(
        dir.path().join("acme-social.sla"),
        BASE.replace("within 16h", "within 8h"),
    )
    .unwrap();
    let out = std::process::Command::new("git")
        .args(["diff"])
        .env("NO_COLOR", "1")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.contains("approval publish_post step review: within loosened from `16h` to `8h`"),
        "{text}"
    );
}

#[test]
fn two_files_can_be_compared_directly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("calendars.sla"), CALENDARS).unwrap();
    std::fs::write(dir.path().join("old.sla"), BASE).unwrap();
    std::fs::write(
        dir.path().join("new.sla"),
        BASE.replace("p95 <= 30m", "p95 <= 20m"),
    )
    .unwrap();
    let (code, text) = slac(dir.path(), &["diff", "old.sla", "new.sla"]);
    assert_eq!(code, Some(1));
    assert!(
        text.contains("target tightened from `p95 <= 30m` to `p95 <= 20m`"),
        "{text}"
    );
    assert_eq!(slac(dir.path(), &["diff", "old.sla", "old.sla"]).0, Some(0));
    assert_eq!(slac(dir.path(), &["diff", "old.sla"]).0, Some(2));
}

/// `--with-data`: both versions replayed over the example's February and
/// March data, in a real git repository.
///
/// The edit raises `first_response` from 90% within 1h to 95% within 1h
/// and its credit, and `urgent_response`'s, from 5% to 7% of the
/// 12,000.00 EUR monthly fee. Worked by hand from the example report:
/// - old: `first_response` met in February (85/94 = 90.4% >= 90%), missed
///   in March (75/100) → 600.00; `urgent_response` missed in February →
///   600.00; total 1,200.00 EUR.
/// - new: `first_response` missed in February (85/94 = 90.4% < 95%) → 7%
///   = 840.00 and in March → 840.00; `urgent_response` missed in
///   February → 840.00. February owes 1,680.00, under the 15% cap of
///   1,800.00; total 2,520.00 EUR, 1,320.00 EUR more for the provider.
#[test]
fn with_data_replays_both_versions_and_gates_on_money() {
    let dir = repo_with_examples();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let edited = BASE
        .replace("target 90% within 1h", "target 95% within 1h")
        .replace("credit 5%", "credit 7%");
    std::fs::write(dir.path().join("acme-social.sla"), edited).unwrap();
    let data = data.to_str().unwrap();

    let (code, json) = slac(
        dir.path(),
        &[
            "diff",
            "--git",
            "HEAD",
            "--with-data",
            data,
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(1), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let r = &v["replay"][0];
    assert_eq!(r["agreement"], "acme_social");
    assert_eq!(r["owed_old_cents"], 120_000);
    assert_eq!(r["owed_new_cents"], 252_000);
    assert_eq!(r["periods"], serde_json::json!(["2026-02", "2026-03"]));
    let feb = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["goal"] == "first_response" && row["period"] == "2026-02")
        .unwrap();
    assert_eq!(feb["old"]["status"], "met");
    assert_eq!(feb["new"]["status"], "missed");
    assert_eq!(feb["new"]["credit"]["amount"], "840.00");

    let (_, text) = slac(dir.path(), &["diff", "--git", "HEAD", "--with-data", data]);
    assert!(
        text.contains("the provider would have owed 1320.00 EUR more in credits under the new version (2520.00 EUR instead of 1200.00 EUR)"),
        "{text}"
    );
    // The money gate: a difference of exactly 1,320.00 reaches 1320 but
    // not 1320.01.
    for (gate, code) in [("1320", 1), ("1320.01", 0), ("100", 1)] {
        let (status, out) = slac(
            dir.path(),
            &[
                "diff",
                "--git",
                "HEAD",
                "--with-data",
                data,
                "--fail-on",
                gate,
            ],
        );
        assert_eq!(status, Some(code), "--fail-on {gate}: {out}");
    }
    let (status, _) = slac(dir.path(), &["diff", "--git", "HEAD", "--fail-on", "100"]);
    assert_eq!(status, Some(2), "a money gate needs data");
}
