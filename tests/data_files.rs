//! `slac report` reading data files as a process: row numbers are the lines
//! an editor shows (CRLF, blank lines, a byte order mark), every bad row of
//! every file is printed, and oversized input is refused with file and row.

use assert_cmd::Command;
use std::path::Path;

fn report(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("slac")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["report", "examples/minimal.sla", "--data"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn data_dir(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

const HEAD: &str =
    "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at";

/// A row answered five minutes after receipt.
fn ok(id: &str) -> String {
    format!("{id},x,dm,normal,,2026-01-05T10:00:00+01:00,2026-01-05T10:05:00+01:00,")
}

#[test]
fn crlf_blank_lines_and_a_bom_keep_editor_line_numbers() {
    // Line 1: BOM + header; 2: q1; 3-4: blank; 5: q2 (a bad timestamp);
    // 6: blank; 7: q3 (an unknown platform). Before this was fixed, CRLF
    // numbered q2 as row 4 and the blank lines made it row 3.
    let text = format!(
        "\u{feff}{HEAD}\r\n{}\r\n\r\n\r\nq2,x,dm,normal,,yesterday,,\r\n\r\nq3,myspace,dm,normal,,2026-01-05T10:00:00+01:00,,\r\n",
        ok("q1")
    );
    let dir = data_dir(&[("inquiries.csv", text.as_bytes())]);
    let (code, out, err) = report(dir.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    let file = dir.path().join("inquiries.csv");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(
        errors,
        vec![
            format!(
                "error: `{}` row 5, column `received_at`: `yesterday` is not an RFC 3339 timestamp with an offset",
                file.display()
            ),
            format!(
                "error: `{}` row 7, column `platform`: unknown platform `myspace`",
                file.display()
            ),
        ]
    );
    // The same file without its bad rows reads, BOM and all; the JSON
    // report lists nothing by row here, so check the count read.
    let text = format!("\u{feff}{HEAD}\r\n{}\r\n\r\n{}\r\n", ok("q1"), ok("q2"));
    let dir = data_dir(&[("inquiries.csv", text.as_bytes())]);
    let (code, out, err) = report(dir.path(), &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["data"][0]["read"], 2);
}

#[test]
fn a_duplicated_column_and_an_empty_file_are_named() {
    let text = format!("{HEAD},platform\n{},x\n", ok("q1"));
    let dir = data_dir(&[("inquiries.csv", text.as_bytes())]);
    let (code, _, err) = report(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "row 1, column `platform`: column `platform` appears twice: as column 2 and column 9"
        ),
        "{err}"
    );
    let dir = data_dir(&[("inquiries.csv", b"\r\n")]);
    let (code, _, err) = report(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("inquiries.csv`: the file is empty: expected a header row"),
        "{err}"
    );
    assert!(!err.contains("missing required column"), "{err}");
}

#[test]
fn every_bad_row_is_printed_up_to_twenty() {
    let mut text = format!("{HEAD}\n");
    for i in 0..23 {
        text += &format!("q{i},x,dm,normal,,never,,\n");
    }
    let dir = data_dir(&[("inquiries.csv", text.as_bytes())]);
    let (code, _, err) = report(dir.path(), &[]);
    assert_eq!(code, 2);
    let rows: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("error: ") && l.contains(" row "))
        .collect();
    assert_eq!(rows.len(), 20, "{err}");
    assert!(rows[19].contains("row 21,"), "{}", rows[19]);
    assert!(err.contains("error: and 3 more errors in `"), "{err}");
}

#[test]
fn oversized_input_is_refused_with_file_and_row() {
    // 8 MB of commas: refused after the header's first 64 KiB.
    let dir = data_dir(&[("inquiries.csv", &vec![b','; 8 << 20])]);
    let (code, _, err) = report(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("row 1: the header is longer than 64 KiB"),
        "{err}"
    );
    let mut text = format!("{HEAD}\n{}\n", ok("q1")).into_bytes();
    text.extend(format!("q2,x,dm,normal,\"{}\",,,\n", "a".repeat(70_000)).bytes());
    let dir = data_dir(&[("inquiries.csv", &text)]);
    let (code, _, err) = report(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("row 3: a cell of the row is longer than 64 KiB"),
        "{err}"
    );
}
