//! Generated documents are valid against their published schemas, checked
//! by a real validator (ajv, installed by scripts/test.sh into tests/tools):
//! the rules target against docs/schema/rules.schema.json, and SARIF output
//! against the official SARIF 2.1.0 schema.

mod common;

use common::{check, repo, sla_files};
use slac::diagnostics::render_sarif;
use slac::emit::{self, Target};
use std::path::PathBuf;
use std::process::Command;

/// The validator, or `None` (with a note) when its tools are not installed;
/// with SLAC_REQUIRE_TOOLS=1 a missing tool fails the test.
fn validator() -> Option<PathBuf> {
    let tools = repo().join("tests/tools");
    let ready = tools.join("node_modules/ajv").exists()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if ready {
        return Some(tools.join("validate.js"));
    }
    let how = "install it with `npm ci --prefix tests/tools` (scripts/test.sh does)";
    if std::env::var("SLAC_REQUIRE_TOOLS").as_deref() == Ok("1") {
        panic!("the schema validator is missing: {how}");
    }
    eprintln!("skipping: the schema validator is missing; {how}");
    None
}

fn validate(schema: &str, files: &[PathBuf]) {
    let Some(script) = validator() else { return };
    let out = Command::new("node")
        .arg(script)
        .arg(schema)
        .args(files)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(&format!("{} passed, 0 failed", files.len())),
        "{text}"
    );
}

#[test]
fn rules_documents_match_the_published_schema() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut sources = sla_files("examples");
    sources.extend(sla_files("tests/corpus/valid"));
    for f in sources {
        for out in emit::emit(&check(&f).model, Target::Rules) {
            let value: serde_json::Value = serde_yaml::from_str(&out.contents).unwrap();
            let path = dir.path().join(format!("{}.json", out.file_name));
            std::fs::write(&path, serde_json::to_string(&value).unwrap()).unwrap();
            files.push(path);
        }
    }
    assert!(files.len() >= 4);
    validate(
        repo()
            .join("docs/schema/rules.schema.json")
            .to_str()
            .unwrap(),
        &files,
    );
}

#[test]
fn a_document_that_breaks_the_schema_is_rejected() {
    let Some(script) = validator() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = emit::emit(&check("examples/minimal.sla").model, Target::Rules);
    let mut value: serde_json::Value = serde_yaml::from_str(&out[0].contents).unwrap();
    value["spec"]["goals"][0]["target"]["ratio"] = serde_json::json!("ninety");
    let path = dir.path().join("broken.json");
    std::fs::write(&path, value.to_string()).unwrap();
    let schema = repo().join("docs/schema/rules.schema.json");
    let status = Command::new("node")
        .arg(script)
        .arg(schema)
        .arg(&path)
        .output()
        .unwrap()
        .status;
    assert!(!status.success());
}

#[test]
fn sarif_output_matches_the_sarif_2_1_0_schema() {
    let dir = tempfile::tempdir().unwrap();
    let checked: Vec<_> = sla_files("tests/corpus/invalid")
        .iter()
        .map(|f| check(f))
        .collect();
    let groups: Vec<_> = checked
        .iter()
        .map(|c| (&c.sources, c.diagnostics.as_slice()))
        .collect();
    let path = dir.path().join("slac.sarif");
    std::fs::write(&path, render_sarif(&groups)).unwrap();
    validate("sarif", &[path]);
}
