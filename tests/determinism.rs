//! Same inputs, same bytes: every command gives identical output across
//! runs (each process draws new `HashMap` seeds) and whatever the order of
//! the files on its command line.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

const FILES: [&str; 7] = [
    "examples/acme-social.sla",
    "examples/agency-portfolio.sla",
    "examples/helpdesk-parity.sla",
    "examples/minimal.sla",
    "examples/exports/helpdesk.sla",
    "tests/corpus/invalid/duplicate-role.sla",
    "tests/corpus/invalid/unknown-role.sla",
];

fn slac(args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("slac")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap();
    [out.stdout, b"\n--- stderr ---\n".to_vec(), out.stderr].concat()
}

/// Every output below `dir`, by name (not the build cache, which names
/// the files' modification times).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with(".slac-build-cache.json"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn build(files: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    let mut args = vec!["build", "--target", "all", "--out", dir];
    args.extend(files);
    let log = slac(&args);
    let built = tree(out.path());
    assert!(built.len() > 8, "{}", String::from_utf8_lossy(&log));
    built
}

#[test]
fn build_is_byte_identical_across_runs_and_argument_orders() {
    let agreements = &FILES[..5];
    let first = build(agreements);
    let reversed: Vec<&str> = agreements.iter().rev().copied().collect();
    assert_eq!(first, build(agreements), "a second run differs");
    assert_eq!(
        first,
        build(&reversed),
        "the argument order changed the output"
    );
    assert_eq!(
        first,
        build(&["examples"]),
        "a directory differs from its files"
    );
}

#[test]
fn check_output_does_not_depend_on_argument_order() {
    for format in ["human", "json", "sarif", "github"] {
        let forward = slac(&[&["check", "--format", format][..], &FILES].concat());
        let mut args = vec!["check", "--format", format];
        args.extend(FILES.iter().rev());
        args.push(FILES[0]); // named twice: checked once
        assert_eq!(
            String::from_utf8_lossy(&forward),
            String::from_utf8_lossy(&slac(&args)),
            "--format {format}"
        );
        assert_eq!(
            forward,
            slac(&[&["check", "--format", format][..], &FILES].concat())
        );
    }
}

#[test]
fn fmt_and_diff_are_stable_across_runs() {
    let fmt = ["fmt", "--check", "examples", "tests/corpus/valid"];
    assert_eq!(slac(&fmt), slac(&fmt));
    let diff = [
        "diff",
        "--format",
        "json",
        "examples/minimal.sla",
        "examples/acme-social.sla",
    ];
    let first = slac(&diff);
    assert!(first.len() > 100);
    assert_eq!(first, slac(&diff));
}

/// `value` without the data rows' line numbers and with `dir` as `DATA`:
/// what must not change when the rows of the data files are reordered.
fn without_row_numbers(value: &mut serde_json::Value, dir: &str) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("row");
            map.values_mut().for_each(|v| without_row_numbers(v, dir));
        }
        serde_json::Value::Array(items) => {
            items.iter_mut().for_each(|v| without_row_numbers(v, dir))
        }
        serde_json::Value::String(s) => *s = s.replace(dir, "DATA"),
        _ => {}
    }
}

fn report_json(data: &str) -> serde_json::Value {
    let out = slac(&[
        "report",
        "examples/acme-social.sla",
        "--data",
        data,
        "--format",
        "json",
    ]);
    let text = String::from_utf8(out).unwrap();
    let json = text.split("\n--- stderr ---\n").next().unwrap();
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    without_row_numbers(&mut value, data);
    value
}

#[test]
fn the_report_does_not_depend_on_the_order_of_data_rows() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shuffled = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(repo.join("examples/data")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap_or_default();
        // Reversed, then every other row first: far from the original order.
        let rows: Vec<&str> = lines.rev().collect();
        let reordered: Vec<&str> = rows
            .iter()
            .step_by(2)
            .chain(rows.iter().skip(1).step_by(2))
            .copied()
            .collect();
        let body = if path.extension().is_some_and(|x| x == "csv") {
            format!("{header}\n{}\n", reordered.join("\n"))
        } else {
            text.clone()
        };
        std::fs::write(shuffled.path().join(path.file_name().unwrap()), body).unwrap();
    }
    let original = report_json("examples/data");
    assert_eq!(
        original,
        report_json("examples/data"),
        "a second run differs"
    );
    let reordered = report_json(shuffled.path().to_str().unwrap());
    assert_eq!(
        original, reordered,
        "the order of data rows changed the report"
    );
}
