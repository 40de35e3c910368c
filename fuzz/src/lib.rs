//! Helpers shared by the fuzz targets: an in-memory file system for the
//! checker, splitting one input into several files, and output checks.

use serde::Deserialize;
use slac::check::{LoadError, Loader, Session};
use slac::diagnostics::{render_github, render_human, render_json, render_sarif, HumanStyle};
use slac::model::Model;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The project root every fuzzed file lives under.
pub const ROOT: &str = "/fuzz";

/// Where the parts of a split input are stored: the entry file, a sibling
/// and one in a sub-directory, so relative imports (`"a.sla"`,
/// `"lib/b.sla"`, `"../a.sla"`) can reach each other.
pub const FILES: [&str; 3] = ["/fuzz/main.sla", "/fuzz/a.sla", "/fuzz/lib/b.sla"];

/// Serves files from memory; anything else does not exist.
#[derive(Default)]
pub struct MemLoader(pub HashMap<PathBuf, Vec<u8>>);

impl Loader for MemLoader {
    fn load(&self, path: &Path) -> Result<Vec<u8>, LoadError> {
        self.0.get(path).cloned().ok_or(LoadError::NotFound)
    }
}

/// Splits `data` at NUL bytes into at most `n` parts (the last part keeps
/// any further NULs, so those still reach the checker as binary input).
pub fn split(data: &[u8], n: usize) -> Vec<&[u8]> {
    data.splitn(n, |b| *b == 0).collect()
}

/// A loader holding the NUL-separated parts of `data` as `FILES`.
pub fn loader(data: &[u8]) -> MemLoader {
    let mut files = MemLoader::default();
    for (part, path) in split(data, FILES.len()).into_iter().zip(FILES) {
        files.0.insert(PathBuf::from(path), part.to_vec());
    }
    files
}

/// Checks the entry file and renders its diagnostics in every format (the
/// renderers slice the source by the diagnostics' spans). Returns the model
/// when there are no errors.
pub fn check(loader: &MemLoader, render: bool) -> Option<Model> {
    let root = Path::new(ROOT);
    let mut session = Session::new(loader, root, Some(root));
    let id = session
        .check_path(Path::new(FILES[0]))
        .expect("the entry file is always present");
    let model = session.model(id).clone();
    let diags = session.take_diagnostics();
    if render {
        let sources = &session.sources;
        let style = HumanStyle {
            color: false,
            unicode: true,
            width: 80,
        };
        let _ = render_human(&diags, sources, style);
        let json = render_json(&[(sources, &diags[..])]);
        serde_json::from_str::<serde_json::Value>(&json).expect("diagnostics JSON parses");
        let _ = render_github(&diags, sources);
        let sarif = render_sarif(&[(sources, &diags)]);
        serde_json::from_str::<serde_json::Value>(&sarif).expect("SARIF parses");
    }
    (!diags.iter().any(|d| d.is_error())).then_some(model)
}

/// Asserts that every YAML document in `text` parses.
pub fn assert_yaml(name: &str, text: &str) {
    for doc in serde_yaml::Deserializer::from_str(text) {
        if let Err(e) = serde_yaml::Value::deserialize(doc) {
            panic!("{name} is not valid YAML: {e}\n{text}");
        }
    }
}

/// Checks the input and, when it has no errors, compiles it for `target`;
/// every generated file must be YAML.
pub fn emit(data: &[u8], target: slac::emit::Target) {
    let files = loader(data);
    if let Some(model) = check(&files, false) {
        for out in slac::emit::emit(&model, target) {
            assert_yaml(&out.file_name, &out.contents);
        }
    }
}
