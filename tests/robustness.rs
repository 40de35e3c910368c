//! No input makes slac panic: each hostile or broken file gives a diagnostic
//! (exit 1) or checks clean, never a crash (exit 101) or a hang.

mod common;

use assert_cmd::Command;
use std::io::Write;

fn check_bytes(bytes: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.sla");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    let out = Command::cargo_bin("slac")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["check", "--format", "json"])
        .arg(&path)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn assert_code(bytes: &[u8], code: &str) {
    let (status, json) = check_bytes(bytes);
    assert_eq!(status, Some(1), "{json}");
    assert!(json.contains(&format!("slac::{code}")), "{json}");
}

#[test]
fn an_empty_file_is_an_empty_library() {
    assert_eq!(check_bytes(b"").0, Some(0));
}

#[test]
fn a_file_of_only_comments_checks_clean() {
    assert_eq!(check_bytes(b"// one\n/// two\n// three").0, Some(1));
    assert_eq!(check_bytes(b"// one\n// two\n").0, Some(0));
}

#[test]
fn binary_and_non_utf8_files_are_reported() {
    assert_code(&[0xff, 0xfe, 0x00, 0x12, 0x80], "E0002");
    assert_code(b"agreement a \"\xe9t\xe9\" {}", "E0002");
    assert_code(&[0u8, 1, 2, 3, 4, 5], "E0001");
}

#[test]
fn unterminated_strings_and_blocks_are_syntax_errors() {
    assert_code(b"agreement a \"unterminated {\n}\n", "E0001");
    assert_code(b"agreement a \"A\" {\n  client c \"C\"\n", "E0001");
    assert_code(b"}}}}", "E0001");
}

#[test]
fn a_ten_megabyte_file_is_refused_with_a_diagnostic() {
    let big = "// padding line for a very large agreement file\n".repeat(10 * 1024 * 1024 / 48);
    assert_code(big.as_bytes(), "E0003");
}

#[test]
fn deep_nesting_and_long_lines_do_not_crash() {
    let deep = "{".repeat(100_000);
    assert_code(deep.as_bytes(), "E0001");
    let long_name = format!(
        "calendar {} {{ timezone \"UTC\" open mon 09:00-10:00 }}",
        "a".repeat(200_000)
    );
    assert_eq!(check_bytes(long_name.as_bytes()).0, Some(0));
}

#[test]
fn odd_unicode_keeps_columns_right() {
    let src = "agreement a \"Caf\u{e9} \u{1F600}\" {\n  client c \"C\"\n  provider p \"P\"\n  effective 2026-01-01 to 2026-12-31\n  role r of q { email \"x\" }\n}\n";
    let (status, json) = check_bytes(src.as_bytes());
    assert_eq!(status, Some(1));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let d = v
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "slac::E0201")
        .unwrap();
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(13))
    );
}

/// Checks `main.sla` in a directory holding `files` (name, text).
fn check_project(files: &[(String, String)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = Command::cargo_bin("slac")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "main.sla"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_import_chain_deeper_than_the_limit_is_refused() {
    let depth = slac::source::MAX_IMPORT_DEPTH + 5;
    let mut files: Vec<(String, String)> = (1..depth)
        .map(|i| {
            (
                format!("m{i}.sla"),
                format!("import \"m{}.sla\" as next\n", i + 1),
            )
        })
        .collect();
    files.push((format!("m{depth}.sla"), String::new()));
    files.push(("main.sla".into(), "import \"m1.sla\" as next\n".into()));
    let json = check_project(&files);
    assert!(json.contains("slac::E0105"), "{json}");
    assert!(json.contains("nested too deeply"), "{json}");
}

#[test]
fn a_file_importing_more_than_the_limit_is_refused_at_the_first_one_too_many() {
    let limit = slac::source::MAX_IMPORTS_PER_FILE;
    let mut files: Vec<(String, String)> = (0..=limit)
        .map(|i| (format!("lib{i}.sla"), format!("enum e{i} {{ a }}\n")))
        .collect();
    let main: String = (0..=limit)
        .map(|i| format!("import \"lib{i}.sla\" as lib{i}\n"))
        .collect();
    files.push(("main.sla".into(), main));
    let json = check_project(&files);
    let diags: serde_json::Value = serde_json::from_str(&json).unwrap();
    let limits: Vec<_> = diags
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "slac::E0105")
        .collect();
    assert_eq!(limits.len(), 1, "{json}");
    assert_eq!(limits[0]["line"], limit + 1, "{json}");
}

#[test]
fn a_file_with_more_items_than_the_limit_is_refused_and_one_at_the_limit_is_not() {
    let items = |n: usize| -> String { (0..n).map(|i| format!("enum e{i} {{ a }}\n")).collect() };
    let limit = slac::source::MAX_ITEMS_PER_FILE;
    assert_eq!(check_bytes(items(limit).as_bytes()).0, Some(0));
    assert_code(items(limit + 1).as_bytes(), "E0006");
}
