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
fn fmt_refuses_standard_input_over_the_limit() {
    let dir = project();
    let big = "// padding\n".repeat(1 << 20); // 11 MiB
    let r = slac(dir.path())
        .args(["fmt", "-"])
        .write_stdin(big)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(r.stdout.is_empty(), "a truncated file was printed");
    assert!(String::from_utf8_lossy(&r.stderr).contains("larger than 8 MiB"));
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
fn a_huge_import_is_not_read_whole() {
    let dir = project();
    let d = dir.path();
    // A sparse 64 GiB file: reading it whole would take minutes and all memory.
    let huge = fs::File::create(d.join("huge.sla")).unwrap();
    huge.set_len(64 << 30).unwrap();
    write(d.join("a.sla"), "import \"huge.sla\" as h\n");
    let started = std::time::Instant::now();
    let r = run(d, &["check", "a.sla"]);
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("file is too large"), "{}", r.stderr);
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

// ---------------------------------------------------------------- writing

/// `examples/minimal.sla` with its layout spoiled, so `fmt` changes it.
fn unformatted() -> String {
    MINIMAL.replace("  client bakery", "client   bakery")
}

/// What `slac fmt` makes of `unformatted()`.
fn formatted() -> String {
    let out = Command::cargo_bin("slac")
        .unwrap()
        .args(["fmt", "-"])
        .write_stdin(unformatted())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_ne!(text, unformatted());
    text
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn temporary_files_are_never_predictable_links() {
    let dir = project();
    let d = dir.path();
    let victim = d.join("victim.txt");
    write(&victim, "untouched\n");
    write(d.join("a.sla"), &unformatted());
    // Older slac wrote `.NAME.PID.tmp`: plant links at every name the next
    // few hundred processes would have used.
    let next = std::process::id();
    for pid in next..next + 400 {
        symlink(&victim, d.join(format!(".a.sla.{pid}.tmp"))).unwrap();
        symlink(&victim, d.join(format!(".r.md.{pid}.tmp"))).unwrap();
    }
    let r = run(d, &["fmt", "a.sla"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "untouched\n");
    assert_eq!(fs::read_to_string(d.join("a.sla")).unwrap(), formatted());
    // No temporary file of slac's is left.
    let left: Vec<_> = fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".slac-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn fmt_keeps_mode_owner_and_the_executable_bit() {
    let dir = project();
    let d = dir.path();
    for (name, m) in [
        ("private.sla", 0o600),
        ("script.sla", 0o755),
        ("group.sla", 0o664),
    ] {
        let p = d.join(name);
        write(&p, &unformatted());
        fs::set_permissions(&p, fs::Permissions::from_mode(m)).unwrap();
    }
    let r = run(d, &["fmt", "."]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for (name, m) in [
        ("private.sla", 0o600),
        ("script.sla", 0o755),
        ("group.sla", 0o664),
    ] {
        let p = d.join(name);
        assert_eq!(fs::read_to_string(&p).unwrap(), formatted(), "{name}");
        assert_eq!(mode(&p), m, "{name}");
    }
}

#[test]
fn fmt_keeps_the_owner_when_it_can() {
    use std::os::unix::fs::MetadataExt;
    let dir = project();
    let p = dir.path().join("a.sla");
    write(&p, &unformatted());
    // Only root may give a file away; as anyone else the file is already
    // the runner's, and keeping the owner is trivially true.
    let owner = if std::os::unix::fs::chown(&p, Some(4321), Some(4321)).is_ok() {
        (4321, 4321)
    } else {
        let m = fs::metadata(&p).unwrap();
        (m.uid(), m.gid())
    };
    let r = run(dir.path(), &["fmt", "a.sla"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let m = fs::metadata(&p).unwrap();
    assert_eq!((m.uid(), m.gid()), owner);
    assert_eq!(fs::read_to_string(&p).unwrap(), formatted());
}

#[test]
fn fmt_refuses_a_read_only_file() {
    let dir = project();
    let p = dir.path().join("a.sla");
    write(&p, &unformatted());
    fs::set_permissions(&p, fs::Permissions::from_mode(0o444)).unwrap();
    let r = run(dir.path(), &["fmt", "a.sla"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("`a.sla` is read-only"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&p).unwrap(), unformatted());
    assert_eq!(mode(&p), 0o444);
}

#[test]
fn fmt_writes_through_a_symlink_and_keeps_it() {
    let dir = project();
    let d = dir.path();
    fs::create_dir(d.join("real")).unwrap();
    write(d.join("real/a.sla"), &unformatted());
    symlink("real/a.sla", d.join("link.sla")).unwrap();
    let r = run(d, &["fmt", "link.sla"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(fs::symlink_metadata(d.join("link.sla"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        fs::read_to_string(d.join("real/a.sla")).unwrap(),
        formatted()
    );
}

#[test]
fn fmt_keeps_hard_links_one_file() {
    use std::os::unix::fs::MetadataExt;
    let dir = project();
    let d = dir.path();
    write(d.join("a.sla"), &unformatted());
    fs::hard_link(d.join("a.sla"), d.join("b.txt")).unwrap();
    let ino = fs::metadata(d.join("a.sla")).unwrap().ino();
    let r = run(d, &["fmt", "a.sla"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(fs::metadata(d.join("a.sla")).unwrap().ino(), ino);
    assert_eq!(fs::metadata(d.join("a.sla")).unwrap().nlink(), 2);
    assert_eq!(fs::read_to_string(d.join("b.txt")).unwrap(), formatted());
    let left = fs::read_dir(d).unwrap().count();
    assert_eq!(left, 3, "only .git, a.sla and b.txt");
}

#[test]
fn init_never_writes_through_a_dangling_symlink() {
    let dir = project();
    let d = dir.path();
    let target = d.join("elsewhere.txt");
    symlink(&target, d.join("agreement.sla")).unwrap();
    let r = run(d, &["init"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert!(!target.exists());
}

// ---------------------------------------------------------------- report --out

fn report_project() -> tempfile::TempDir {
    let dir = project();
    let d = dir.path();
    let repo = common::repo();
    write(
        d.join("acme-social.sla"),
        &fs::read_to_string(repo.join("examples/acme-social.sla")).unwrap(),
    );
    write(
        d.join("calendars.sla"),
        &fs::read_to_string(repo.join("examples/calendars.sla")).unwrap(),
    );
    fs::create_dir(d.join("data")).unwrap();
    for e in fs::read_dir(repo.join("examples/data")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), d.join("data").join(e.file_name())).unwrap();
    }
    dir
}

#[test]
fn report_out_never_replaces_an_input() {
    let dir = report_project();
    let d = dir.path();
    let agreement = fs::read(d.join("acme-social.sla")).unwrap();
    let data = fs::read(d.join("data/inquiries.csv")).unwrap();
    symlink("data/inquiries.csv", d.join("link.md")).unwrap();
    for out in [
        "acme-social.sla",
        "data/inquiries.csv",
        "calendars.sla",
        "link.md",
    ] {
        for force in [false, true] {
            let mut args = vec!["report", "acme-social.sla", "--data", "data", "--out", out];
            if force {
                args.push("--force");
            }
            let r = run(d, &args);
            assert_eq!(r.code, Some(2), "{out}: {}", r.stderr);
            assert!(
                r.stderr.contains("an input of this report"),
                "{out}: {}",
                r.stderr
            );
        }
    }
    assert_eq!(fs::read(d.join("acme-social.sla")).unwrap(), agreement);
    assert_eq!(fs::read(d.join("data/inquiries.csv")).unwrap(), data);
}

#[test]
fn report_out_replaces_only_its_own_reports_unless_forced() {
    let dir = report_project();
    let d = dir.path();
    let base = ["report", "acme-social.sla", "--data", "data", "--out"];
    for (file, format) in [("r.md", "markdown"), ("r.json", "json"), ("r.html", "html")] {
        let mut args = base.to_vec();
        args.extend([file, "--format", format]);
        assert_eq!(run(d, &args).code, Some(0));
        // Its own report: replaced again without --force.
        let r = run(d, &args);
        assert_eq!(r.code, Some(0), "{file}: {}", r.stderr);
    }
    write(d.join("notes.md"), "my notes\n");
    let mut args = base.to_vec();
    args.push("notes.md");
    let r = run(d, &args);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("not a report slac wrote"), "{}", r.stderr);
    assert_eq!(
        fs::read_to_string(d.join("notes.md")).unwrap(),
        "my notes\n"
    );
    args.push("--force");
    assert_eq!(run(d, &args).code, Some(0));
    assert!(fs::read_to_string(d.join("notes.md"))
        .unwrap()
        .starts_with("# Compliance report"));
}

#[test]
fn report_data_cannot_be_a_link_out_of_the_project() {
    let outer = tempfile::tempdir().unwrap();
    let dir = report_project();
    let d = dir.path();
    let secret = outer.path().join("secret.csv");
    fs::rename(d.join("data/incidents.csv"), &secret).unwrap();
    symlink(&secret, d.join("data/incidents.csv")).unwrap();
    let r = run(d, &["report", "acme-social.sla", "--data", "data"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("outside the project root"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

// ---------------------------------------------------------------- build

fn build_project() -> tempfile::TempDir {
    let dir = project();
    write(dir.path().join("a.sla"), MINIMAL);
    dir
}

/// The files in `dir`, without the build cache (tested on its own below).
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != CACHE)
        .collect();
    v.sort();
    v
}

#[test]
fn build_leaves_unchanged_files_untouched() {
    let dir = build_project();
    let d = dir.path();
    let r = run(d, &["build", "a.sla", "--target", "all", "--out", "out"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let file = d.join("out/tiny.rules.yaml");
    let old = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let ino = |p: &Path| std::os::unix::fs::MetadataExt::ino(&fs::metadata(p).unwrap());
    let before = ino(&file);
    let r = run(d, &["build", "a.sla", "--target", "all", "--out", "out"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("wrote 0 files"), "{}", r.stderr);
    assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), old);
    assert_eq!(ino(&file), before);
    // A changed agreement rewrites only what changed.
    write(d.join("a.sla"), &MINIMAL.replace("95%", "96%"));
    let r = run(d, &["build", "a.sla", "--target", "all", "--out", "out"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!r.stderr.contains("wrote 0 files"), "{}", r.stderr);
    assert_ne!(fs::metadata(&file).unwrap().modified().unwrap(), old);
}

const CACHE: &str = ".slac-build-cache.json";

/// Modification times of every output in `out`, by name.
fn times(out: &Path) -> Vec<(String, std::time::SystemTime)> {
    listing(out)
        .into_iter()
        .map(|n| {
            let t = fs::metadata(out.join(&n)).unwrap().modified().unwrap();
            (n, t)
        })
        .collect()
}

#[test]
fn the_build_cache_skips_unchanged_agreements_and_nothing_else() {
    let dir = build_project();
    let d = dir.path();
    write(
        d.join("b.sla"),
        &MINIMAL.replace("agreement tiny", "agreement other"),
    );
    let build = |d: &Path| {
        run(
            d,
            &["build", ".", "--target", "all", "--out", "out", "--timings"],
        )
    };
    let r = build(d);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("emit prometheus"), "{}", r.stderr);
    let out = d.join("out");
    let fresh: Vec<(String, Vec<u8>)> = contents(&out);
    // Nothing changed: nothing is compiled (no emit phase), nothing written.
    let before = times(&out);
    let r = build(d);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("wrote 0 files"), "{}", r.stderr);
    assert!(!r.stderr.contains("emit "), "{}", r.stderr);
    assert_eq!(times(&out), before);
    // One agreement changed: only its files are compiled and rewritten.
    write(
        d.join("b.sla"),
        &fs::read_to_string(d.join("b.sla"))
            .unwrap()
            .replace("95%", "96%"),
    );
    let r = build(d);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let after = times(&out);
    for ((name, t0), (_, t1)) in before.iter().zip(&after) {
        // The other agreement's outputs that the target does not change
        // (its routing) are compiled again but keep their time.
        if name.starts_with("tiny.") || !name.contains("rules") {
            continue;
        }
        assert_ne!(t0, t1, "{name}: {}", r.stderr);
    }
    let tiny = |ts: &[(String, std::time::SystemTime)]| {
        ts.iter()
            .filter(|(n, _)| n.starts_with("tiny."))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(tiny(&after), tiny(&before));
    assert!(r.stderr.contains("emit prometheus"), "{}", r.stderr);
    // An output edited by hand, or removed, is compiled again.
    write(
        d.join("b.sla"),
        &MINIMAL.replace("agreement tiny", "agreement other"),
    );
    assert_eq!(build(d).code, Some(0));
    let edited = out.join("tiny.rules.yaml");
    let mut text = fs::read_to_string(&edited).unwrap();
    text.push_str("# edited\n");
    write(&edited, &text);
    fs::remove_file(out.join("tiny.openslo.yaml")).unwrap();
    let r = build(d);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("wrote 2 files"), "{}", r.stderr);
    assert_eq!(contents(&out), fresh);
    // A cache that is not JSON, or from another binary, means a full
    // build with the same output.
    write(out.join(CACHE), "{ not json");
    let r = build(d);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("emit prometheus"), "{}", r.stderr);
    let cache = fs::read_to_string(out.join(CACHE)).unwrap();
    let tool = cache.split('"').nth(3).unwrap().to_string();
    write(out.join(CACHE), &cache.replace(&tool, "slac 0.0.0 1 1"));
    let r = build(d);
    assert!(r.stderr.contains("emit prometheus"), "{}", r.stderr);
    assert_eq!(contents(&out), fresh);
}

#[test]
fn the_build_cache_is_never_written_through_a_link() {
    let dir = build_project();
    let d = dir.path();
    fs::create_dir(d.join("out")).unwrap();
    write(d.join("victim.txt"), "keep me");
    std::os::unix::fs::symlink(d.join("victim.txt"), d.join("out").join(CACHE)).unwrap();
    let r = run(d, &["build", "a.sla", "--out", "out"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(fs::read_to_string(d.join("victim.txt")).unwrap(), "keep me");
    let m = fs::symlink_metadata(d.join("out").join(CACHE)).unwrap();
    assert!(m.is_file(), "the link was replaced by the cache itself");
}

#[test]
fn a_build_that_cannot_finish_changes_nothing() {
    let dir = build_project();
    let d = dir.path();
    let r = run(d, &["build", "a.sla", "--target", "all", "--out", "out"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let before: Vec<(String, Vec<u8>)> = listing(&d.join("out"))
        .into_iter()
        .map(|n| (n.clone(), fs::read(d.join("out").join(&n)).unwrap()))
        .collect();
    assert_eq!(before.len(), 5);
    // The last file to be replaced cannot be: a directory is in its place.
    let last = d.join("out/tiny.rules.yaml");
    fs::remove_file(&last).unwrap();
    fs::create_dir(&last).unwrap();
    write(last.join("keep"), "x");
    write(d.join("a.sla"), &MINIMAL.replace("95%", "96%"));
    let r = run(
        d,
        &[
            "build", "a.sla", "--target", "all", "--out", "out", "--force",
        ],
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was changed"), "{}", r.stderr);
    for (name, bytes) in &before {
        if name != "tiny.rules.yaml" {
            assert_eq!(
                &fs::read(d.join("out").join(name)).unwrap(),
                bytes,
                "{name}"
            );
        }
    }
    assert_eq!(listing(&d.join("out")).len(), 5, "no temporary files left");
}

#[test]
fn the_next_build_rolls_back_an_interrupted_one_and_cleans_up() {
    let dir = build_project();
    let d = dir.path();
    let r = run(d, &["build", "a.sla", "--out", "out"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let out = d.join("out");
    let original = fs::read_to_string(out.join("tiny.rules.yaml")).unwrap();
    // As `kill -9` during the renames leaves it: a journal, the old file
    // in old/, the new one already in place, another not yet moved.
    let staging = out.join(".slac-staging-AbC123");
    fs::create_dir_all(staging.join("old")).unwrap();
    fs::create_dir_all(staging.join("new")).unwrap();
    fs::hard_link(
        out.join("tiny.rules.yaml"),
        staging.join("old/tiny.rules.yaml"),
    )
    .unwrap();
    fs::remove_file(out.join("tiny.rules.yaml")).unwrap(); // as a rename over it would
    write(out.join("tiny.rules.yaml"), &original.replace("95", "11"));
    write(out.join("other.rules.yaml"), "# Generated by slac x\n");
    write(
        staging.join("new/third.rules.yaml"),
        "# Generated by slac x\n",
    );
    write(
        staging.join("journal"),
        r#"{"replaced":["tiny.rules.yaml"],"created":["other.rules.yaml","third.rules.yaml"]}"#,
    );
    // A killed build without a journal, and a stale file of an older slac.
    fs::create_dir_all(out.join(".slac-staging-zzz/new")).unwrap();
    write(out.join(".slac-staging-zzz/new/big.yaml"), "partial");
    write(
        out.join(".tiny.rules.yaml.4242.tmp"),
        "# Generated by slac partial",
    );
    // The next build (of another target) restores and cleans up.
    let r = run(
        d,
        &["build", "a.sla", "--out", "out", "--target", "openslo"],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("restored 2 files"), "{}", r.stderr);
    assert_eq!(
        listing(&out),
        ["tiny.openslo.yaml", "tiny.rules.yaml"],
        "{}",
        r.stderr
    );
    assert_eq!(
        fs::read_to_string(out.join("tiny.rules.yaml")).unwrap(),
        original
    );
}

/// Runs `slac ARGS` in `dir` under strace, which makes the `nth` rename
/// system call do `action` (`error=EIO`, `signal=KILL`). `None` when strace
/// cannot run here (not installed, or tracing is not permitted).
fn slac_with_rename_fault(dir: &Path, nth: u32, action: &str, args: &[&str]) -> Option<Run> {
    // `/^rename` matches rename, renameat and renameat2, whichever the
    // architecture has.
    let inject = format!("inject=/^rename:{action}:when={nth}");
    let probe = std::process::Command::new("strace")
        .args(["-f", "-o", "/dev/null", "-e", &inject, "true"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "skipped: strace is not available or may not trace here (apt-get install strace)"
        );
        return None;
    }
    let out = std::process::Command::new("strace")
        .args(["-f", "-o", "/dev/null", "-e", &inject])
        .arg(assert_cmd::cargo::cargo_bin("slac"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Some(Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    listing(dir)
        .into_iter()
        .map(|n| (n.clone(), fs::read(dir.join(&n)).unwrap_or_default()))
        .collect()
}

#[test]
fn a_rename_failing_partway_through_a_build_is_undone() {
    let dir = build_project();
    let d = dir.path();
    let args = ["build", "a.sla", "--target", "all", "--out", "out"];
    assert_eq!(run(d, &args).code, Some(0));
    let before = contents(&d.join("out"));
    write(
        d.join("a.sla"),
        &MINIMAL.replace("95%", "96%").replace("24h", "12h"),
    );
    // Rename 1 is the journal; 2 and 3 move files; 4 fails.
    let Some(r) = slac_with_rename_fault(d, 4, "error=EIO", &args) else {
        return;
    };
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was changed"), "{}", r.stderr);
    assert_eq!(contents(&d.join("out")), before);
    // Nothing is left over, and the next build works.
    let r = run(d, &args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!r.stderr.contains("restored"), "{}", r.stderr);
}

#[test]
fn a_build_killed_during_its_renames_is_undone_by_the_next() {
    let dir = build_project();
    let d = dir.path();
    let args = ["build", "a.sla", "--target", "all", "--out", "out"];
    assert_eq!(run(d, &args).code, Some(0));
    let before = contents(&d.join("out"));
    let edited = MINIMAL.replace("95%", "96%").replace("24h", "12h");
    write(d.join("a.sla"), &edited);
    // SIGKILL on the third file's rename: two files are already replaced.
    let Some(r) = slac_with_rename_fault(d, 4, "signal=KILL", &args) else {
        return;
    };
    assert_ne!(r.code, Some(0), "{}", r.stderr);
    let mixed = contents(&d.join("out"));
    assert_ne!(mixed, before, "the kill landed before any rename");
    // The next build, even of the old text, first undoes the killed one.
    write(d.join("a.sla"), MINIMAL);
    let r = run(d, &args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("restored 2 files"), "{}", r.stderr);
    assert!(r.stderr.contains("wrote 0 files"), "{}", r.stderr);
    assert_eq!(contents(&d.join("out")), before);
    // And a build of the new text then replaces every file that changed.
    write(d.join("a.sla"), &edited);
    let r = run(d, &args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!r.stderr.contains("wrote 0 files"), "{}", r.stderr);
}

#[test]
fn outputs_that_differ_only_in_case_are_refused() {
    let dir = project();
    let d = dir.path();
    write(d.join("a.sla"), MINIMAL);
    write(
        d.join("b.sla"),
        &MINIMAL.replace("agreement tiny", "agreement Tiny"),
    );
    let r = run(d, &["build", ".", "--out", "out"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("differ only in case"), "{}", r.stderr);
    assert!(!d.join("out/tiny.rules.yaml").exists());
}

// ---------------------------------------------------------------- git diff driver

#[test]
fn the_diff_driver_survives_a_half_edited_file() {
    let dir = project();
    let d = dir.path();
    fs::remove_dir(d.join(".git")).unwrap();
    common::git(d, &["init", "-q"]);
    write(d.join(".gitattributes"), "*.sla diff=slac\n");
    let bin = assert_cmd::cargo::cargo_bin("slac");
    common::git(
        d,
        &[
            "config",
            "diff.slac.command",
            &format!("'{}' diff-driver", bin.display()),
        ],
    );
    write(d.join("a.sla"), MINIMAL);
    write(d.join("b.sla"), MINIMAL);
    common::git(d, &["add", "."]);
    common::git(d, &["commit", "-qm", "base"]);
    // a.sla is half edited (a syntax error), b.sla has a real change.
    write(d.join("a.sla"), &MINIMAL.replace("  }\n}\n", "  }\n"));
    write(d.join("b.sla"), &MINIMAL.replace("95%", "90%"));
    let out = std::process::Command::new("git")
        .args(["diff"])
        .env("NO_COLOR", "1")
        .current_dir(d)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("external diff died"), "{err}");
    assert!(
        text.contains("the new version of `a.sla` has errors"),
        "{text}"
    );
    assert!(text.contains("E0001"), "{text}");
    assert!(text.contains("-}"), "the text diff: {text}");
    // The next file still gets its semantic diff.
    assert!(text.contains("95%") && text.contains("90%"), "{text}");
}
