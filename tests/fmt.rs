//! The formatter: every example formats to itself; fmt is idempotent and
//! keeps the meaning (same syntax tree, same Model) and every comment over
//! the whole corpus; files with syntax errors are left untouched.

mod common;

use assert_cmd::Command;
use common::{check_text, repo, sla_files};
use slac::fmt::{format, FormatError};
use slac::source::FileId;

fn corpus() -> Vec<String> {
    let mut files = sla_files("examples");
    files.extend(sla_files("tests/corpus/valid"));
    files.extend(sla_files("tests/corpus/invalid"));
    files.extend(sla_files("stdlib"));
    files
}

#[test]
fn examples_and_stdlib_format_to_themselves() {
    let mut files = sla_files("examples");
    files.extend(sla_files("stdlib"));
    for f in files {
        let src = std::fs::read_to_string(repo().join(&f)).unwrap();
        assert_eq!(
            format(FileId(0), &src).unwrap(),
            src,
            "{f} is not in canonical form"
        );
    }
}

#[test]
fn fmt_is_idempotent_and_keeps_the_model_over_the_corpus() {
    let mut formatted_some = 0;
    for f in corpus() {
        let Ok(src) = std::fs::read_to_string(repo().join(&f)) else {
            continue;
        };
        let once = match format(FileId(0), &src) {
            Ok(s) => s,
            Err(FormatError::Syntax(_)) => continue,
            Err(FormatError::Unsafe(why)) => panic!("{f}: {why}"),
        };
        let twice = format(FileId(0), &once).unwrap();
        assert_eq!(once, twice, "{f}: fmt is not idempotent");
        let name = f.rsplit('/').next().unwrap();
        let dir = f.rsplit_once('/').map_or("", |p| p.0);
        let path = format!("{dir}/{name}");
        let (a, b) = (check_text(&path, &src), check_text(&path, &once));
        assert_eq!(a.model, b.model, "{f}: the Model changed");
        assert_eq!(
            a.diagnostics.len(),
            b.diagnostics.len(),
            "{f}: the diagnostics changed"
        );
        formatted_some += 1;
    }
    assert!(formatted_some >= 4);
}

/// A file with a comment in every position a comment can take.
const COMMENTS: &str = "// file header

// before the import
import \"std/holidays\" as holidays // after the import

/// Doc of the calendar.
calendar office { // on the header line
  // before timezone
  timezone \"Europe/Berlin\" // after timezone

  // after a blank line
  open mon-fri 09:00-17:00
  closed holidays.de_2026 // after closed
  // last in block
} // after the block

agreement a \"A\" {
  client   c \"C\" // after client
  provider p \"P\"
  effective 2026-01-01 to 2026-12-31
  role r of p { email \"r@example.org\" } // after an inline role
  role s of p {
    // inside a role
    email \"s@example.org\"
  }
  goal g \"G\" {
    metric response_time
    where channel in [dm, // inside a list
      mention]
    target 90% within 1h // after the target
    clock office
    owner r
    on breach {
      // inside on breach
      escalate e.low
    }
  }
  escalation e \"E\" {
    tier low {
      notify r, s
    }
  }
}
// end of file
";

#[test]
fn no_comment_is_lost_or_moved_to_another_clause() {
    let out = format(FileId(0), COMMENTS).unwrap();
    let expected = COMMENTS.replace(
        "    where channel in [dm, // inside a list\n      mention]\n",
        "    // inside a list\n    where channel in [dm, mention]\n",
    );
    assert_eq!(out, expected);
}

fn slac() -> Command {
    let mut c = Command::cargo_bin("slac").unwrap();
    c.env("NO_COLOR", "1");
    c
}

#[test]
fn cli_check_lists_unformatted_files_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let messy = dir.path().join("messy.sla");
    let clean = dir.path().join("clean.sla");
    std::fs::write(&messy, "calendar c {timezone \"UTC\" open mon 09:00-10:00}").unwrap();
    std::fs::write(
        &clean,
        "calendar c {\n  timezone \"UTC\"\n  open mon 09:00-10:00\n}\n",
    )
    .unwrap();
    let out = slac()
        .current_dir(dir.path())
        .args(["fmt", "--check", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "messy.sla");
    assert!(std::fs::read_to_string(&messy)
        .unwrap()
        .starts_with("calendar c {timezone"));

    let diff = slac()
        .current_dir(dir.path())
        .args(["fmt", "--diff", "messy.sla"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&diff.stdout).contains("+  timezone \"UTC\""));

    let write = slac()
        .current_dir(dir.path())
        .args(["fmt", "."])
        .output()
        .unwrap();
    assert_eq!(write.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        std::fs::read_to_string(&clean).unwrap()
    );
    let again = slac()
        .current_dir(dir.path())
        .args(["fmt", "--check", "."])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
}

#[test]
fn cli_leaves_a_file_with_syntax_errors_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.sla");
    let text = "agreement a \"A\" {\n  client c \"unterminated\n}\n";
    std::fs::write(&broken, text).unwrap();
    let out = slac()
        .current_dir(dir.path())
        .args(["fmt", "broken.sla"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unterminated string"));
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), text);
}

#[test]
fn cli_formats_standard_input_to_standard_output() {
    let out = slac()
        .args(["fmt", "-"])
        .write_stdin("enum e {a,b}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "enum e { a, b }\n");
}
