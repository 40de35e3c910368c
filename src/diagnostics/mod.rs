//! The one Diagnostic type of the project and its renderers.
//!
//! Every stage returns all the diagnostics it found. A diagnostic has a stable
//! code (see `codes`), a lowercase message with user input in backticks, a
//! primary label at the exact span, optional secondary labels and a help line.

mod ci;
pub mod codes;
mod human;
mod json;
pub mod suggest;

pub use ci::{render_github, render_sarif};
pub use codes::Code;
pub use human::{render_human, HumanStyle};
pub use json::{render_json, JsonDiagnostic, JsonLabel};

use crate::source::{FileId, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub text: String,
}

/// A suggested edit: replace the text at `span` (in the primary label's
/// file) with `replacement`. Editors offer it as a quick fix titled `title`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the severity `code` has.
    pub fn new(code: Code, message: impl Into<String>, file: FileId, span: Span) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: Label {
                file,
                span,
                text: String::new(),
            },
            secondary: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// The text of the label at the primary span.
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.text = text.into();
        self
    }

    pub fn with_secondary(mut self, file: FileId, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            file,
            span,
            text: text.into(),
        });
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }

    /// A suggested replacement of `span` in the primary file.
    pub fn fix(
        mut self,
        span: Span,
        replacement: impl Into<String>,
        title: impl Into<String>,
    ) -> Self {
        self.fix = Some(Fix {
            span,
            replacement: replacement.into(),
            title: title.into(),
        });
        self
    }

    pub fn maybe_help(mut self, text: Option<String>) -> Self {
        self.help = text;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by file, position and code, and drops exact duplicates
/// (an imported file reached from two entry files is reported once).
pub fn normalize(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (a.primary.file, a.primary.span.start, a.code, &a.message).cmp(&(
            b.primary.file,
            b.primary.span.start,
            b.code,
            &b.message,
        ))
    });
    diags.dedup();
}

/// Backticks a piece of user input for a message.
pub fn tick(s: impl std::fmt::Display) -> String {
    format!("`{s}`")
}
