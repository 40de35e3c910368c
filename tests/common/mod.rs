//! Helpers shared by the integration tests: checking `.sla` files through
//! the library and finding the agreements the suite compiles.
#![allow(dead_code)]

use slac::check::{LoadError, Loader, Session};
use slac::model::Model;
use std::path::{Path, PathBuf};

struct FsLoader;

impl Loader for FsLoader {
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

/// The checked model of `path` (relative to the repository); panics on errors.
pub fn model(path: &str) -> Model {
    let root = repo();
    let loader = FsLoader;
    let mut session = Session::new(&loader, &root, Some(&root));
    let id = session
        .check_path(&root.join(path))
        .unwrap_or_else(|e| panic!("cannot read {path}: {e:?}"));
    let errors: Vec<String> = session
        .take_diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{d:?}"))
        .collect();
    assert!(errors.is_empty(), "{path} has errors: {errors:#?}");
    session.model(id).clone()
}

/// `.sla` files directly in `dir` (relative to the repository), sorted.
pub fn sla_files(dir: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(repo().join(dir)) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sla"))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    out.sort();
    out
}

/// Every agreement the monitoring targets are tested on: the examples, the
/// valid corpus (when present) and the promtool fixtures.
pub fn agreement_files() -> Vec<String> {
    let mut out = sla_files("examples");
    out.extend(sla_files("tests/corpus/valid"));
    out.extend(sla_files("tests/promtool"));
    out
}
