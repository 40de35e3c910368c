//! The HTML report in a real browser: headless Chromium renders the example
//! report, takes a screenshot, and a check script confirms every chart laid
//! out with bars of real size and that no script error happened.
//!
//! Needs Debian's `chromium` (the test script installs it). Without it the
//! test fails when SLAC_REQUIRE_TOOLS=1 and otherwise says how to install it.
//! SLAC_SAVE_SCREENSHOT=PATH keeps the screenshot (docs/img/report.png).

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs chromium with the shared flags plus `extra`, killing it after a
/// minute (a hung browser must not hang the suite). Returns stdout.
fn run_chromium(bin: &Path, profile: &Path, extra: &[String]) -> String {
    let mut child = std::process::Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    // Read while it runs: a page bigger than the pipe's buffer would
    // otherwise block chromium on its write and never finish.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut out).unwrap();
        out
    });
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium failed: {status}");
            return reader.join().unwrap();
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within 60 seconds");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Appended to a copy of the report (the report itself has no script):
/// records script errors and checks that every chart has a real layout.
const CHECK: &str = r#"<script>
(function () {
  var errors = [];
  window.addEventListener('error', function (e) { errors.push(String(e.message)); });
  var charts = Array.prototype.slice.call(document.querySelectorAll('svg.chart'));
  var bad = charts.filter(function (s) {
    var r = s.getBoundingClientRect();
    var bars = Array.prototype.slice.call(s.querySelectorAll('rect.bar'));
    return r.width < 300 || r.height < 100 || bars.length === 0 ||
      bars.some(function (b) { return !(b.getBBox().height > 0); });
  });
  // No text of a histogram touches its deadline line, as laid out.
  var crossed = [];
  Array.prototype.slice.call(document.querySelectorAll('svg.histogram')).forEach(function (h) {
    var x = Number(h.querySelector('line.target').getAttribute('x1'));
    Array.prototype.slice.call(h.querySelectorAll('text')).forEach(function (t) {
      var b = t.getBBox();
      if (b.x - 2 < x && x < b.x + b.width + 2 && b.y + b.height > 30) { crossed.push(t.textContent); }
    });
  });
  if (crossed.length) { errors.push('labels on the deadline line: ' + crossed.join(', ')); }
  document.body.setAttribute('data-charts', String(charts.length));
  document.body.setAttribute('data-check', bad.length === 0 && errors.length === 0 ? 'ok' : 'failed: ' + bad.length + ' charts, ' + errors.join('; '));
})();
</script></body>"#;

#[test]
fn the_html_report_renders_in_chromium() {
    let Some(bin) = chromium() else {
        if std::env::var("SLAC_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("chromium is required (SLAC_REQUIRE_TOOLS=1): install it with `apt-get install -y chromium`");
        }
        eprintln!("skipping: chromium not found; install it with `apt-get install -y chromium` to run this test");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    Command::cargo_bin("slac")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "report",
            "examples/acme-social.sla",
            "--data",
            "examples/data",
            "--format",
            "html",
            "--out",
        ])
        .arg(&html)
        .assert()
        .success();

    // The screenshot: a real PNG of the page, big enough to hold the charts.
    let png = dir.path().join("report.png");
    run_chromium(
        &bin,
        &dir.path().join("profile-1"),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,1600".into(),
            format!("file://{}", html.display()),
        ],
    );
    let bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    // The PNG header's width and height.
    let (w, h) = (
        u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
        u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
    );
    assert_eq!((w, h), (1200, 1600));
    // A blank page compresses to a few kilobytes; tables and charts do not.
    assert!(
        bytes.len() > 50_000,
        "screenshot looks empty: {} bytes",
        bytes.len()
    );
    if let Some(keep) = std::env::var_os("SLAC_SAVE_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }

    // The DOM after layout, with the check script's verdict.
    let checked = dir.path().join("checked.html");
    let page = std::fs::read_to_string(&html)
        .unwrap()
        .replace("</body>", CHECK);
    std::fs::write(&checked, page).unwrap();
    let dom = run_chromium(
        &bin,
        &dir.path().join("profile-2"),
        &[
            "--dump-dom".into(),
            "--window-size=1200,1600".into(),
            format!("file://{}", checked.display()),
        ],
    );
    assert!(
        dom.contains(r#"data-check="ok""#),
        "render check failed: {}",
        &dom[..dom.len().min(400)]
    );
    // A chart per goal, and a histogram per latency goal and period.
    assert!(
        dom.contains(r#"data-charts="9""#),
        "expected a chart per goal and four histograms"
    );
    assert_eq!(dom.matches("<svg").count(), 9);
    assert!(dom.contains("Credit owed: <strong>1200.00 EUR</strong>"));
}

/// The client's HTML report, as a marketing manager would open it: after
/// Chromium lays it out, its text has no path, DSL line or internal name,
/// and its screenshot is a real page (SLAC_SAVE_CLIENT_SCREENSHOT=PATH
/// keeps it: docs/img/report-client.png).
#[test]
fn the_client_report_reads_without_internals_in_chromium() {
    let Some(bin) = chromium() else {
        if std::env::var("SLAC_REQUIRE_TOOLS").as_deref() == Ok("1") {
            panic!("chromium is required (SLAC_REQUIRE_TOOLS=1): install it with `apt-get install -y chromium`");
        }
        eprintln!("skipping: chromium not found; install it with `apt-get install -y chromium` to run this test");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("client.html");
    Command::cargo_bin("slac")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "report",
            "examples/acme-social.sla",
            "--data",
            "examples/data",
            "--audience",
            "client",
            "--format",
            "html",
            "--out",
        ])
        .arg(&html)
        .assert()
        .success();
    let png = dir.path().join("client.png");
    run_chromium(
        &bin,
        &dir.path().join("profile-1"),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,3000".into(),
            format!("file://{}", html.display()),
        ],
    );
    let bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 50_000);
    if let Some(keep) = std::env::var_os("SLAC_SAVE_CLIENT_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
    // The text a reader sees once the browser has laid the page out.
    let checked = dir.path().join("checked.html");
    let page = std::fs::read_to_string(&html).unwrap().replace(
        "</body>",
        &format!("<script>document.body.setAttribute('data-text', document.body.innerText);</script>{CHECK}"),
    );
    std::fs::write(&checked, page).unwrap();
    let dom = run_chromium(
        &bin,
        &dir.path().join("profile-2"),
        &["--dump-dom".into(), format!("file://{}", checked.display())],
    );
    assert!(
        dom.contains(r#"data-check="ok""#),
        "render check failed: {}",
        &dom[..dom.len().min(400)]
    );
    let start = dom.find("data-text=\"").expect("the page's text") + 11;
    let text = &dom[start..start + dom[start..].find('"').unwrap()];
    assert!(text.contains("Service report: Acme Social Care"), "{text}");
    assert!(text.contains("the 20th fastest of 21"), "{text}");
    assert!(text.contains("By platform in March 2026"), "{text}");
    assert!(text.contains("still open, over 1 hour"), "{text}");
    for bad in [
        "examples/",
        ".sla",
        ".csv",
        "docs/",
        "first_response",
        "berlin_office",
        "response_time",
        "p95",
        "&lt;=",
        "rank ",
        "acme_social",
    ] {
        assert!(!text.contains(bad), "the client page shows {bad:?}");
    }
    assert_eq!(
        dom.matches("<svg").count(),
        9,
        "a chart per goal and a histogram per latency goal and period"
    );
}
