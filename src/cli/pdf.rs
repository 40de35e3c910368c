//! Printing an HTML page to PDF with headless Chromium: the same engine the
//! suite checks the HTML in, which lays out the print CSS (page size,
//! margins, the running line on every page) and embeds the fonts it used.
//! `SLAC_CHROMIUM` names the browser when it is not `chromium`,
//! `chromium-browser` or `google-chrome` on PATH.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a print may take before the browser is stopped.
const TIMEOUT: Duration = Duration::from_secs(120);

fn browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SLAC_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Whether Chromium must run without its sandbox: it refuses to start
/// sandboxed as root (containers, CI).
fn as_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// The PDF of `html`, printed in a private temporary directory.
pub fn print(html: &str) -> Result<Vec<u8>, String> {
    let Some(bin) = browser() else {
        return Err("a PDF needs Chromium: install it (Debian: `apt-get install chromium`) or name it with SLAC_CHROMIUM; `--format html` gives the same page to print from any browser".into());
    };
    let dir = tempfile::tempdir().map_err(|e| format!("cannot make a temporary directory: {e}"))?;
    let page = dir.path().join("document.html");
    let pdf = dir.path().join("document.pdf");
    std::fs::write(&page, html).map_err(|e| format!("cannot write `{}`: {e}", page.display()))?;
    let mut cmd = Command::new(&bin);
    cmd.args([
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-pdf-header-footer",
    ]);
    if as_root() {
        cmd.arg("--no-sandbox");
    }
    cmd.arg(format!(
        "--user-data-dir={}",
        dir.path().join("profile").display()
    ))
    .arg(format!("--print-to-pdf={}", pdf.display()))
    .arg(format!("file://{}", page.display()))
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot start `{}`: {e}", bin.display()))?;
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "`{}` did not print the PDF within {} s",
                bin.display(),
                TIMEOUT.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    if !status.success() || !bytes.starts_with(b"%PDF-") {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        let last = err.lines().rev().take(3).collect::<Vec<_>>().join(" / ");
        return Err(format!(
            "`{}` failed to print the PDF ({status}): {last}",
            bin.display()
        ));
    }
    Ok(bytes)
}
