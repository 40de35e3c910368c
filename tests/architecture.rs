//! The arrows that must never exist between the parts of `src/` (see
//! docs/architecture.md). Reads every source file, resolves its `crate::`
//! and `super::` paths to the top-level module they name, and fails on an
//! import the house rules forbid. Test modules (`#[cfg(test)] mod ...`, which
//! this codebase keeps at the end of a file) and comments are not counted.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The pure core: no file system, no printing, no process exit.
const CORE: &[&str] = &[
    "syntax",
    "check",
    "model",
    "emit",
    "fmt",
    "diff",
    "report",
    "render",
    "document",
    "clock",
    "business_day",
    "source",
    "diagnostics",
    "text",
    "stdlib",
    "parallel",
];
/// The doors (they do I/O) and the modules only doors may use.
const DOORS: &[&str] = &["cli", "lsp", "serve", "workspace", "store"];
/// The bottom: shared by every stage, importing nothing above itself.
const BOTTOM: &[&str] = &[
    "model",
    "business_day",
    "source",
    "text",
    "clock",
    "diagnostics",
    "parallel",
];

/// One rule: files of `from` must not import any of `to`.
struct Rule {
    from: &'static [&'static str],
    to: &'static [&'static str],
    why: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        from: CORE,
        to: DOORS,
        why: "the core is pure: it never reaches into a door",
    },
    Rule {
        from: &["document"],
        to: &["report", "render", "check", "syntax", "emit", "fmt", "diff"],
        why: "the document model knows nothing of the documents written in it",
    },
    Rule {
        from: &["emit", "fmt", "diff", "report", "render"],
        to: &["check"],
        why: "the Model is the contract: later stages never look at the checker",
    },
    Rule {
        from: &["emit", "diff", "report", "render"],
        to: &["syntax"],
        why: "the Model is the contract: later stages never look at the syntax",
    },
    Rule {
        from: &["syntax"],
        to: &["check"],
        why: "the parser comes before the checker",
    },
    Rule {
        from: BOTTOM,
        to: &[
            "syntax",
            "check",
            "emit",
            "fmt",
            "diff",
            "report",
            "stdlib",
            "cli",
            "lsp",
            "serve",
            "workspace",
            "store",
        ],
        why: "shared helpers live at the bottom and import only the bottom",
    },
    Rule {
        from: &["lsp", "serve", "workspace", "store"],
        to: &["cli"],
        why: "doors share the workspace module, never the CLI",
    },
    Rule {
        from: &["lsp"],
        to: &["serve"],
        why: "one door never imports another",
    },
    Rule {
        from: &["serve"],
        to: &["lsp"],
        why: "one door never imports another",
    },
    Rule {
        from: &["cli"],
        to: &["lsp", "serve"],
        why: "the CLI only starts the other doors, from their subcommand files",
    },
];

/// Known arrows the rules forbid, each with the file that has it.
const ALLOWED: &[(&str, &str)] = &[
    // `slac lsp` and `slac serve` start the other doors.
    ("cli/lsp.rs", "lsp"),
    ("cli/serve.rs", "serve"),
];

/// The module path of a file under src/: `emit/prometheus/clock.rs` is
/// `[emit, prometheus, clock]`, `emit/mod.rs` is `[emit]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file without comments and without its test module.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]")
            && lines
                .peek()
                .is_some_and(|n| n.trim_start().starts_with("mod "))
        {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first names of the path `after` starts with: `a` of `a::b`, or
/// each head of a group `{a::b, c}`.
fn heads(after: &str, out: &mut BTreeSet<String>) {
    let Some(group) = after.strip_prefix('{') else {
        out.insert(ident_at(after).to_string());
        return;
    };
    let mut depth = 0usize;
    let mut start = true;
    for (k, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && (c.is_ascii_alphabetic() || c == '_') => {
                out.insert(ident_at(&group[k..]).to_string());
                start = false;
            }
            _ => {}
        }
    }
}

/// The top-level modules `code` names through `crate::` (also in a
/// `crate::{a, b::c}` group) or through `super::` paths that climb out of
/// the file's own top-level module.
fn imports(module: &[String], code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if boundary && rest.starts_with("crate::") {
            let after = &rest["crate::".len()..];
            heads(after, &mut out);
            i += "crate::".len();
            continue;
        }
        if boundary && rest.starts_with("super::") {
            let mut depth = module.len();
            let mut p = rest;
            while let Some(r) = p.strip_prefix("super::") {
                depth = depth.saturating_sub(1);
                p = r;
            }
            if depth == 0 {
                heads(p, &mut out);
            }
            i += rest.len() - p.len();
            continue;
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    out.retain(|m| !m.is_empty());
    out
}

/// Every forbidden arrow in one file, as `file -> module (why)`.
fn violations(rel: &str, text: &str) -> Vec<String> {
    let module = module_path(Path::new(rel));
    let Some(top) = module.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for target in imports(&module, &code(text)) {
        if &target == top || ALLOWED.contains(&(rel, target.as_str())) {
            continue;
        }
        for rule in RULES {
            if rule.from.contains(&top.as_str()) && rule.to.contains(&target.as_str()) {
                out.push(format!("src/{rel} -> {target} ({})", rule.why));
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_forbidden_arrow_exists_in_src() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut found = Vec::new();
    let mut seen_top = BTreeSet::new();
    for path in &files {
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "lib.rs" || rel == "main.rs" {
            continue;
        }
        let top = module_path(Path::new(&rel))[0].clone();
        assert!(
            CORE.contains(&top.as_str()) || DOORS.contains(&top.as_str()),
            "src/{rel}: module `{top}` is neither core nor door; place it in tests/architecture.rs"
        );
        seen_top.insert(top);
        found.extend(violations(&rel, &std::fs::read_to_string(path).unwrap()));
    }
    assert!(
        seen_top.contains("check") && seen_top.contains("cli"),
        "src/ was not read"
    );
    assert!(found.is_empty(), "forbidden imports:\n{}", found.join("\n"));
}

#[test]
fn every_allowed_arrow_still_exists() {
    // An allowance outlives its reason silently unless this fails.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for (rel, target) in ALLOWED {
        let text = std::fs::read_to_string(src.join(rel)).unwrap();
        let module = module_path(Path::new(rel));
        assert!(
            imports(&module, &code(&text)).contains(*target),
            "src/{rel} no longer imports {target}: remove it from ALLOWED"
        );
    }
}

#[test]
fn the_scanner_sees_every_spelling_of_an_import() {
    let emit = ["emit".to_string(), "openslo".to_string()];
    let found = |text: &str| imports(&emit, &code(text));
    assert!(found("use crate::check::values;").contains("check"));
    assert!(found("use crate::{model::Goal, syntax::ast};").contains("syntax"));
    assert!(found("let n = crate::cli::run();").contains("cli"));
    assert!(found("use super::super::lsp::x;").contains("lsp"));
    assert!(found("use super::super::{model, cli::x};").contains("cli"));
    assert!(!found("use super::promql;").contains("promql"));
    assert!(found("// crate::check in a comment").is_empty());
    assert!(found("fn f() {}\n#[cfg(test)]\nmod tests {\n use crate::check;\n}\n").is_empty());
    let top = ["report".to_string()];
    assert!(imports(&top, "use super::check::Session;").contains("check"));
}

#[test]
fn a_forbidden_arrow_fails() {
    let v = violations("report/usage.rs", "use crate::check::Session;\n");
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("report/usage.rs -> check"));
    assert!(!violations("model.rs", "use crate::syntax::ast;").is_empty());
    assert!(!violations("lsp/world.rs", "use crate::cli::files;").is_empty());
    assert!(!violations("emit/rules.rs", "use crate::lsp::x;").is_empty());
    assert!(!violations("emit/rules.rs", "use crate::check::values;").is_empty());
    assert!(violations("cli/build.rs", "use crate::emit;").is_empty());
}

/// The compile targets under `src/emit/`: each reads the shared planner
/// (`emit::plan`) and the shared renderers, never another target.
const EMIT_TARGETS: &[&str] = &["rules", "prometheus", "alertmanager", "openslo"];

/// The targets a file under `emit/` imports, other than its own: the same
/// scan as `imports`, one level down, with `emit` as the root.
fn target_arrows(rel: &str, text: &str) -> Vec<String> {
    let module = module_path(Path::new(rel));
    if module.first().map(String::as_str) != Some("emit") || module.len() < 2 {
        return Vec::new();
    }
    let own = module[1].as_str();
    if !EMIT_TARGETS.contains(&own) {
        return Vec::new();
    }
    let code = code(text).replace("crate::emit::", "crate::");
    imports(&module[1..], &code)
        .into_iter()
        .filter(|m| m != own && EMIT_TARGETS.contains(&m.as_str()))
        .map(|m| format!("src/{rel} -> emit::{m} (targets share emit::plan, not each other)"))
        .collect()
}

#[test]
fn no_target_imports_another() {
    let emit = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
    let mut files = Vec::new();
    rust_files(&emit, &mut files);
    let mut found = Vec::new();
    for path in &files {
        let rel = format!(
            "emit/{}",
            path.strip_prefix(&emit)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        );
        found.extend(target_arrows(&rel, &std::fs::read_to_string(path).unwrap()));
    }
    assert!(files.len() > 5, "src/emit/ was not read");
    assert!(
        found.is_empty(),
        "targets import each other:\n{}",
        found.join("\n")
    );
}

#[test]
fn a_target_reaching_into_another_fails() {
    let arrows = |rel: &str, text: &str| target_arrows(rel, text).len();
    assert_eq!(
        arrows("emit/openslo.rs", "use super::prometheus::watch;"),
        1
    );
    assert_eq!(
        arrows(
            "emit/alertmanager.rs",
            "crate::emit::prometheus::clock::runs(&d)"
        ),
        1
    );
    assert_eq!(
        arrows("emit/openslo.rs", "use super::{plan::measure, rules};"),
        1
    );
    assert_eq!(
        arrows("emit/prometheus/watch.rs", "use super::super::openslo::x;"),
        1
    );
    assert_eq!(arrows("emit/openslo.rs", "use super::plan::series;"), 0);
    assert_eq!(
        arrows(
            "emit/prometheus/watch.rs",
            "use super::clock::CLOCK_SERIES;"
        ),
        0
    );
    // The target table is not a target: it lists them all.
    assert_eq!(arrows("emit/targets.rs", "use super::{openslo, rules};"), 0);
}
