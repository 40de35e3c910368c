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
