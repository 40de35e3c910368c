//! Helpers shared by the integration tests: check files in-process from the
//! repository, and render their diagnostics as the snapshots show them.
#![allow(dead_code)]

pub mod big;
pub mod live;
pub mod tables;

use slac::check::{LoadError, Loader, Session};
use slac::diagnostics::{render_human, Diagnostic, HumanStyle};
use slac::model::Model;
use slac::source::SourceMap;
use std::path::{Path, PathBuf};

pub struct Fs;

impl Loader for Fs {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::NotFound,
            _ => LoadError::Other(e.to_string()),
        })
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Checked {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
    pub model: Model,
}

impl Checked {
    /// Diagnostics rendered without colour at 80 columns, as in snapshots.
    pub fn rendered(&self) -> String {
        render_human(&self.diagnostics, &self.sources, HumanStyle::plain())
    }
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Checks a file of the repository (path relative to the repo root); file
/// names in diagnostics are shown relative to the repo root.
pub fn check(rel: &str) -> Checked {
    let root = repo();
    let mut session = Session::new(&Fs, &root, Some(&root));
    let id = session.check_path(&root.join(rel)).expect("file exists");
    let model = session.model(id).clone();
    let diagnostics = session.take_diagnostics();
    Checked {
        sources: session.sources,
        diagnostics,
        model,
    }
}

/// Checks source text held in memory as if it were `name` in the repo root.
pub fn check_text(name: &str, text: &str) -> Checked {
    let root = repo();
    let mut session = Session::new(&Fs, &root, Some(&root));
    let id = session.check_text(&root.join(name), text);
    let model = session.model(id).clone();
    let diagnostics = session.take_diagnostics();
    Checked {
        sources: session.sources,
        diagnostics,
        model,
    }
}

/// The `.sla` files directly inside a repo folder, sorted.
pub fn sla_files(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(repo().join(dir))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "sla"))
                .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Every `.sla` file below the examples and the corpus, at any depth, sorted.
pub fn every_sla_file() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "sla") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&repo().join("examples"), &mut files);
    walk(&repo().join("tests/corpus"), &mut files);
    files.sort();
    files
}

/// The checked model of `path` (relative to the repository); panics on errors.
pub fn model(path: &str) -> Model {
    let c = check(path);
    assert_eq!(c.errors(), 0, "{path} has errors:\n{}", c.rendered());
    c.model
}

/// Every agreement the monitoring targets are tested on: the examples, the
/// valid corpus and the promtool fixtures.
pub fn agreement_files() -> Vec<String> {
    let mut out = sla_files("examples");
    out.extend(sla_files("tests/corpus/valid"));
    out.extend(sla_files("tests/promtool"));
    out
}

/// Runs git in `dir` with a fixed identity; panics with git's message if it fails.
pub fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `slac render REL --format markdown` run from the repository: the
/// contract document's text (the command must succeed).
pub fn rendered_markdown(rel: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_slac"))
        .current_dir(repo())
        .args(["render", rel, "--format", "markdown"])
        .output()
        .expect("slac runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 markdown")
}
