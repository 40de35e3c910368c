//! Machine-readable diagnostics: the `--format json` shape that tools and
//! tests rely on (documented in docs/cli.md). Lines and columns are 1-based;
//! columns count characters; `end_*` is exclusive.

use super::{Diagnostic, Fix, Label, Severity};
use crate::source::SourceMap;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub help: Option<String>,
    pub labels: Vec<JsonLabel>,
    /// The suggested edit, when the diagnostic has one (the LSP's quick
    /// fix): replace the span with `replacement`.
    pub fix: Option<JsonFix>,
}

/// A suggested edit: the span to replace (same position fields as a label)
/// and the text to put there (empty: delete it).
#[derive(Debug, Serialize)]
pub struct JsonFix {
    pub title: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub replacement: String,
}

impl JsonFix {
    /// A fix's span is in the primary label's file.
    fn new(fix: &Fix, primary: &Label, sources: &SourceMap) -> Self {
        let f = sources.get(primary.file);
        let start = f.line_col(fix.span.start);
        let end = f.line_col(fix.span.end);
        JsonFix {
            title: fix.title.clone(),
            file: f.name.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            replacement: fix.replacement.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub text: String,
}

impl JsonLabel {
    pub fn new(l: &Label, sources: &SourceMap) -> Self {
        let f = sources.get(l.file);
        let start = f.line_col(l.span.start);
        let end = f.line_col(l.span.end);
        JsonLabel {
            file: f.name.clone(),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            text: l.text.clone(),
        }
    }
}

impl JsonDiagnostic {
    pub fn new(d: &Diagnostic, sources: &SourceMap) -> Self {
        let primary = JsonLabel::new(&d.primary, sources);
        let labels = std::iter::once(&d.primary)
            .chain(&d.secondary)
            .map(|l| JsonLabel::new(l, sources))
            .collect();
        JsonDiagnostic {
            code: format!("slac::{}", d.code),
            severity: d.severity,
            message: d.message.clone(),
            file: primary.file,
            line: primary.line,
            column: primary.column,
            end_line: primary.end_line,
            end_column: primary.end_column,
            help: d.help.clone(),
            labels,
            fix: d.fix.as_ref().map(|x| JsonFix::new(x, &d.primary, sources)),
        }
    }
}

/// One pretty-printed JSON array of all diagnostics. Diagnostics come in
/// groups, each with the sources its spans point into (as for SARIF).
pub fn render_json(groups: &[(&SourceMap, &[Diagnostic])]) -> String {
    let all: Vec<JsonDiagnostic> = groups
        .iter()
        .flat_map(|(sources, diags)| diags.iter().map(|d| JsonDiagnostic::new(d, sources)))
        .collect();
    let mut s = serde_json::to_string_pretty(&all).expect("diagnostics serialize");
    s.push('\n');
    s
}
