//! Hostile file systems (issue #11): slac runs in CI on strangers' pull
//! requests, so links, FIFOs, devices, modes, hard links and planted
//! temporary files are all input. Each test builds the situation with real
//! file-system objects and drives the binary as a process; docs/security.md
//! ("File system") states the guarantees these tests hold slac to.
#![cfg(unix)]

mod common;

use assert_cmd::Command;
use std::fs;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::time::Duration;

const MINIMAL: &str = include_str!("../examples/minimal.sla");

/// A project directory (with `.git`, so it is a project root).
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

fn slac(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("slac").unwrap();
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60));
    c
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = slac(dir).args(args).output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

fn write(path: impl AsRef<Path>, text: &str) {
    fs::write(path, text).unwrap();
}

// ---------------------------------------------------------------- loading

#[test]
fn an_import_through_a_symlink_cannot_leave_the_project() {
    let outer = tempfile::tempdir().unwrap();
    write(
        outer.path().join("secret.sla"),
        "the first line of a secret\n",
    );
    let proj = outer.path().join("proj");
    fs::create_dir_all(proj.join(".git")).unwrap();
    symlink("..", proj.join("lib")).unwrap();
    write(proj.join("a.sla"), "import \"lib/secret.sla\" as s\n");
    let r = run(&proj, &["check", "a.sla"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("E0103"), "{}", r.stderr);
    assert!(
        r.stderr.contains("escapes the project root"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("secret\n"), "{}", r.stderr);
    assert!(!r.stderr.contains("first line"), "{}", r.stderr);
}

#[test]
fn a_named_file_linking_out_of_the_project_is_refused() {
    let outer = tempfile::tempdir().unwrap();
    write(outer.path().join("other.sla"), MINIMAL);
    let proj = outer.path().join("proj");
    fs::create_dir_all(proj.join(".git")).unwrap();
    symlink("../other.sla", proj.join("a.sla")).unwrap();
    let r = run(&proj, &["check", "a.sla"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("outside the project root"),
        "{}",
        r.stderr
    );
    // Found by a scan, the same link is skipped with a note.
    let r = run(&proj, &["check", "."]);
    assert!(
        r.stderr.contains("warning: skipped `a.sla`"),
        "{}",
        r.stderr
    );
}

#[test]
fn directory_link_loops_neither_hang_nor_repeat_files() {
    let dir = project();
    fs::create_dir(dir.path().join("sub")).unwrap();
    write(dir.path().join("a.sla"), MINIMAL);
    symlink(".", dir.path().join("sub/loop")).unwrap();
    symlink("..", dir.path().join("up")).unwrap();
    // A link to a file the scan also finds directly: one real file.
    symlink("a.sla", dir.path().join("same.sla")).unwrap();
    let r = run(dir.path(), &["check", "."]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.contains("checked 1 file: no problems"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("skipped `sub/loop`"), "{}", r.stderr);
}

#[test]
fn fifos_and_devices_are_never_read() {
    let dir = project();
    write(dir.path().join("a.sla"), MINIMAL);
    mkfifo(&dir.path().join("p.sla"));
    symlink("/dev/zero", dir.path().join("z.sla")).unwrap();
    // Found by a scan: skipped, with a note.
    let r = run(dir.path(), &["check", "."]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("skipped `p.sla`: a FIFO"), "{}", r.stderr);
    assert!(r.stderr.contains("skipped `z.sla`"), "{}", r.stderr);
    assert!(r.stderr.contains("checked 1 file"), "{}", r.stderr);
    // Named: a clear error, not a hang.
    for name in ["p.sla", "z.sla"] {
        let r = run(dir.path(), &["check", name]);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    }
    let r = run(dir.path(), &["fmt", "--check", "p.sla"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    // Imported: a diagnostic at the import.
    write(
        dir.path().join("b.sla"),
        "import \"p.sla\" as p\nimport \"z.sla\" as z\n",
    );
    let r = run(dir.path(), &["check", "b.sla"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("it is a FIFO"), "{}", r.stderr);
    // `/dev/zero` is outside the project: refused before it is opened.
    assert!(
        r.stderr.contains("a symbolic link leads to `/dev/zero`"),
        "{}",
        r.stderr
    );
}

#[test]
fn endless_standard_input_is_cut_at_the_size_limit() {
    let dir = project();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("slac"))
        .args(["check", "-"])
        .current_dir(dir.path())
        .stdin(fs::File::open("/dev/zero").unwrap())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("`slac check -` kept reading an endless input");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(1));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("file is too large"), "{err}");
    assert!(
        err.len() < 10_000,
        "the diagnostic quotes the input: {} bytes",
        err.len()
    );
}

#[test]
fn one_file_reached_through_many_links_is_one_module() {
    let dir = project();
    let d = dir.path();
    // Each file imports itself through two links: without real-path keys
    // this doubles at every level until the 100,000-file limit.
    write(
        d.join("a.sla"),
        "import \"l1/a.sla\" as x\nimport \"l2/a.sla\" as y\n",
    );
    symlink(".", d.join("l1")).unwrap();
    symlink(".", d.join("l2")).unwrap();
    let started = std::time::Instant::now();
    let r = run(d, &["check", "a.sla"]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("import cycle"), "{}", r.stderr);
    assert!(!r.stderr.contains("too many files"), "{}", r.stderr);
    assert!(r.stderr.len() < 5_000, "{}", r.stderr);
    // A library shared through a link is read once.
    write(
        d.join("lib.sla"),
        "calendar office {\n  timezone \"UTC\"\n  open mon-fri 09:00-17:00\n}\n",
    );
    symlink("lib.sla", d.join("lib2.sla")).unwrap();
    write(
        d.join("b.sla"),
        "import \"lib.sla\" as a\nimport \"lib2.sla\" as b\n",
    );
    let r = run(d, &["check", "--format", "json", "b.sla"]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    // Two unused imports of one module, no duplicate-declaration trouble.
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "slac::E0101"),
        "{json}"
    );
}

#[test]
fn a_directory_imported_as_a_file_is_called_a_directory() {
    let dir = project();
    fs::create_dir(dir.path().join("shared")).unwrap();
    write(dir.path().join("a.sla"), "import \"shared\" as s\n");
    let r = run(dir.path(), &["check", "a.sla"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("`shared` is a directory"), "{}", r.stderr);
    assert!(!r.stderr.contains("permissions"), "{}", r.stderr);
}

#[test]
fn messages_carry_no_debug_formatting() {
    let dir = project();
    let r = run(dir.path(), &["check", "."]);
    assert!(!r.stderr.contains("Other("), "{}", r.stderr);
    // An unreadable file (only meaningful when not running as root).
    let p = dir.path().join("locked.sla");
    write(&p, MINIMAL);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o000)).unwrap();
    let r = run(dir.path(), &["check", "locked.sla"]);
    assert!(!r.stderr.contains("Other("), "{}", r.stderr);
    assert!(!r.stderr.contains("os error"), "{}", r.stderr);
    assert!(!r.stderr.contains("PermissionDenied"), "{}", r.stderr);
}
