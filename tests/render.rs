//! `slac render`: the agreement as a document. The Markdown of every
//! example is a snapshot (the wording is reviewed there); the PDF is
//! checked with poppler's real readers (`pdfinfo`, `pdffonts`,
//! `pdftotext`) and a page is rendered to PNG (`pdftoppm`).
//!
//! The PDF needs Debian's `chromium` and `poppler-utils` (the test script
//! installs both). Without them the PDF test fails when SLAC_REQUIRE_TOOLS=1
//! and otherwise says how to install them. SLAC_SAVE_RENDER=DIR keeps the
//! PDF and the PNG of its first page (docs/img/render-page-1.png).

use assert_cmd::Command;
use std::path::Path;

fn slac() -> Command {
    let mut c = Command::cargo_bin("slac").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn render(args: &[&str]) -> String {
    let out = slac().arg("render").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn acme_social_as_markdown() {
    insta::assert_snapshot!("acme_social", render(&["examples/acme-social.sla"]));
}

#[test]
fn both_portfolio_agreements_as_markdown() {
    for name in ["northwind_retail", "bluepeak_outdoor"] {
        let md = render(&["examples/agency-portfolio.sla", "--agreement", name]);
        insta::assert_snapshot!(name, md);
    }
}

#[test]
fn minimal_as_markdown() {
    insta::assert_snapshot!("minimal", render(&["examples/minimal.sla"]));
}

/// Every goal, approval, step, tier, role, calendar and closed date of the
/// example appears in the document: nothing of the contract is left out.
#[test]
fn every_clause_of_acme_is_stated() {
    let md = render(&["examples/acme-social.sla"]);
    for must in [
        "First reply to customer inquiries",
        "Urgent inquiries, seven days a week",
        "Response rate",
        "Instagram engagement",
        "Posting cadence",
        "at most 1 hour of Berlin Office Hours",
        "at most 30 minutes of Extended Care Hours",
        "is at least 95%",
        "is at least 3.5%",
        "is at least 4 each week",
        "Content approval before publishing",
        "decides within 16 hours of Berlin Office Hours",
        "counts as approved",
        "For content tagged “regulated”",
        "Crisis management",
        "acknowledged within 15 minutes and resolved within 4 hours",
        "Scheduled publishing is paused",
        "12,000.00 EUR per month",
        "at most 15% of that period's Fee",
        "an outage of a platform or force majeure",
        "| Community Care |",
        "Head of Comms",
        "25 December 2026 | Christmas Day",
        "Monday to Friday from 09:00 to 17:00, Europe/Berlin time",
        "weekly",
    ] {
        assert!(md.contains(must), "the document lacks {must:?}");
    }
}

#[test]
fn html_is_print_ready_and_carries_the_source_hash() {
    let html = render(&["examples/acme-social.sla", "--format", "html"]);
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme-social.sla"))
            .unwrap();
    let hash = sha256_hex(&bytes);
    assert!(html.contains(&hash), "the full hash is in the schedule");
    assert!(html.contains("@page{@bottom-left{content:"));
    assert!(html.contains("counter(page)"));
    assert!(html.contains(&format!("source sha256 {}", &hash[..16])));
}

/// The test's own SHA-256 would be a copy of the code under test; ask the
/// system's `sha256sum` instead, as a reader of the document would.
fn sha256_hex(bytes: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum (coreutils)");
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

#[test]
fn a_pdf_needs_a_file_and_a_broken_agreement_gets_no_document() {
    let out = slac()
        .args(["render", "examples/acme-social.sla", "--format", "pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a PDF needs --out FILE"));

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.sla");
    std::fs::write(
        &bad,
        "agreement x \"X\" {\n  client a \"A\"\n  timezone \"Mars/Olympus\"\n}\n",
    )
    .unwrap();
    let out = slac().arg("render").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no document"));
    assert!(out.stdout.is_empty());
}

#[test]
fn hostile_titles_cannot_escape_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let src =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/minimal.sla"))
            .unwrap();
    let hostile = src.replacen(
        "\"Tiny Bakery social care\"",
        "\"</style><script>alert(1)</script>\\\" x\"",
        1,
    );
    assert_ne!(hostile, src, "the example's title changed");
    let file = dir.path().join("hostile.sla");
    std::fs::write(&file, hostile).unwrap();
    let html = render(&[file.to_str().unwrap(), "--format", "html"]);
    assert!(!html.contains("<script>"), "{html}");
    assert_eq!(html.matches("</style>").count(), 1);
}

fn tool(name: &str) -> bool {
    std::process::Command::new(name).arg("-v").output().is_ok()
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(cmd).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{cmd} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_pdf_reads_in_poppler() {
    let have = tool("pdfinfo")
        && ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .any(|b| {
                std::process::Command::new(b)
                    .arg("--version")
                    .output()
                    .is_ok()
            });
    if !have {
        if std::env::var("SLAC_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("chromium and poppler-utils are required (SLAC_REQUIRE_TOOLS=1): apt-get install -y chromium poppler-utils");
        }
        eprintln!("skipping: install chromium and poppler-utils to run this test");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("acme.pdf");
    let out = slac()
        .args([
            "render",
            "examples/acme-social.sla",
            "--format",
            "pdf",
            "--out",
        ])
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf_s = pdf.to_str().unwrap();

    let info = run("pdfinfo", &[pdf_s]);
    assert!(info.contains("Title:           Acme Social Care"), "{info}");
    assert!(info.contains("(A4)"), "{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 2, "{info}");

    // Every font is embedded.
    let fonts = run("pdffonts", &[pdf_s]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "a font is not embedded: {row}");
    }

    // Every page carries the agreement, slac's version and the hash.
    let hash = sha256_hex(&std::fs::read("examples/acme-social.sla").unwrap());
    for page in 1..=pages {
        let p = page.to_string();
        let text = run("pdftotext", &["-f", &p, "-l", &p, pdf_s, "-"]);
        let running = format!(
            "Acme Social Care (acme_social) · slac {} · source sha256 {}",
            env!("CARGO_PKG_VERSION"),
            &hash[..16]
        );
        assert!(
            text.contains(&running),
            "page {page} lacks the running line:\n{text}"
        );
        // pdftotext may drop the spaces around the slash.
        let squeezed: String = text.split_whitespace().collect();
        assert!(
            squeezed.contains(&format!("{page}/{pages}")),
            "page {page} of {pages} lacks its number:\n{text}"
        );
    }
    let all = run("pdftotext", &[pdf_s, "-"]);
    for must in [
        "6.1 First reply to customer inquiries",
        "Schedule 2: Calendars and closed dates",
        &hash,
    ] {
        assert!(all.contains(must), "the PDF text lacks {must}");
    }

    // A page as an image, for review.
    let png = dir.path().join("page");
    run(
        "pdftoppm",
        &[
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            "60",
            "-png",
            pdf_s,
            png.to_str().unwrap(),
        ],
    );
    let first = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .expect("pdftoppm wrote a PNG");
    let bytes = std::fs::read(&first).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
    if let Some(keep) = std::env::var_os("SLAC_SAVE_RENDER") {
        let keep = Path::new(&keep);
        std::fs::copy(&first, keep.join("render-page-1.png")).unwrap();
        std::fs::copy(&pdf, keep.join("acme-social.pdf")).unwrap();
    }
}

/// A git repository holding the example at its first commit, in a
/// temporary directory: the agreement, its import, and a working-tree
/// edit that tightens one target's share and loosens its time.
fn repo_with_an_edit() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for f in ["acme-social.sla", "calendars.sla"] {
        std::fs::copy(root.join("examples").join(f), dir.path().join(f)).unwrap();
    }
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "signed version"]);
    let file = dir.path().join("acme-social.sla");
    let text = std::fs::read_to_string(&file).unwrap();
    let edited = text.replacen("target 90% within 1h", "target 95% within 2h", 1);
    assert_ne!(text, edited);
    std::fs::write(&file, edited).unwrap();
    dir
}

#[test]
fn a_redline_against_git_shows_each_changed_clause() {
    let dir = repo_with_an_edit();
    let out = Command::cargo_bin("slac")
        .unwrap()
        .current_dir(dir.path())
        .args(["render", "acme-social.sla", "--git", "HEAD"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Redline: Acme Social Care\n"), "{md}");
    // The goal's clause, word by word; the neighbours "1 hour" → "2 hours"
    // read as one edit.
    assert!(
        md.contains("### 6.1 First reply to customer inquiries"),
        "{md}"
    );
    assert!(
        md.contains("For at least ~~90%~~**95%** of inquiries"),
        "{md}"
    );
    assert!(
        md.contains("at most ~~1 hour~~**2 hours** of Berlin Office Hours"),
        "{md}"
    );
    // Unchanged clauses are not shown; the other change is the source
    // schedule, where the file's hash moves.
    assert!(!md.contains("6.2 Urgent"), "{md}");
    assert!(
        md.contains("2 clause(s) changed, 0 added, 0 removed"),
        "{md}"
    );
    assert!(md.contains("## Schedule 3: Source files"), "{md}");
    insta::assert_snapshot!("redline_git", md.replace(&hashes(dir.path()), "HASHES"));
}

/// The two hashes of the edited file (before and after) as the redline
/// prints them, so the snapshot does not depend on them.
fn hashes(dir: &Path) -> String {
    let new = sha256_hex(&std::fs::read(dir.join("acme-social.sla")).unwrap());
    let old = sha256_hex(
        &std::process::Command::new("git")
            .args(["show", "HEAD:acme-social.sla"])
            .current_dir(dir)
            .output()
            .unwrap()
            .stdout,
    );
    format!("~~{old}~~**{new}**")
}

#[test]
fn a_redline_of_two_files_and_of_a_file_with_itself() {
    let dir = repo_with_an_edit();
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("slac")
            .unwrap()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let same = run(&["render", "--diff", "acme-social.sla", "acme-social.sla"]);
    assert!(same.contains("no clause changed"), "{same}");
    assert!(!same.contains("~~"), "{same}");
    let html = run(&[
        "render",
        "--git",
        "HEAD",
        "acme-social.sla",
        "--format",
        "html",
    ]);
    assert!(html.contains("<del>90%</del><ins>95%</ins>"), "{html}");
    assert!(html.contains("Redline of Acme Social Care (acme_social)"));
}
