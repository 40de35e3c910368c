//! Human output: miette's graphical report. Labels that point into another
//! file than the primary one are rendered as related notes with their own
//! source snippet.

use super::{Diagnostic, Label, Severity};
use crate::source::SourceMap;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};
use std::fmt;

#[derive(Clone, Copy, Debug)]
pub struct HumanStyle {
    pub color: bool,
    pub unicode: bool,
    pub width: usize,
}

impl HumanStyle {
    /// No colour, unicode, 80 columns: what snapshot tests use.
    pub fn plain() -> Self {
        HumanStyle {
            color: false,
            unicode: true,
            width: 80,
        }
    }
}

/// Renders every diagnostic, each followed by a blank line.
pub fn render_human(diags: &[Diagnostic], sources: &SourceMap, style: HumanStyle) -> String {
    let theme = match (style.color, style.unicode) {
        (true, true) => GraphicalTheme::unicode(),
        (true, false) => GraphicalTheme::ascii(),
        (false, true) => GraphicalTheme::unicode_nocolor(),
        (false, false) => GraphicalTheme::none(),
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let mut out = String::new();
    for d in diags {
        let view = View::new(d, sources);
        if handler.render_report(&mut out, &view).is_err() {
            // Rendering into a String cannot fail; fall back to the bare message.
            out.push_str(&d.message);
        }
        out.push('\n');
    }
    out
}

/// One diagnostic (or a related note) as miette sees it.
struct View {
    code: String,
    severity: miette::Severity,
    message: String,
    help: Option<String>,
    source: NamedSource<String>,
    labels: Vec<LabeledSpan>,
    related: Vec<View>,
}

impl View {
    fn new(d: &Diagnostic, sources: &SourceMap) -> View {
        let file = d.primary.file;
        let mut labels = vec![labeled(&d.primary, true)];
        let mut related = Vec::new();
        for l in &d.secondary {
            if l.file == file {
                labels.push(labeled(l, false));
            } else {
                related.push(View::note(l, sources));
            }
        }
        View {
            code: format!("slac::{}", d.code),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            },
            message: d.message.clone(),
            help: d.help.clone(),
            source: named(sources, file),
            labels,
            related,
        }
    }

    fn note(l: &Label, sources: &SourceMap) -> View {
        View {
            code: String::new(),
            severity: miette::Severity::Advice,
            message: l.text.clone(),
            help: None,
            source: named(sources, l.file),
            labels: vec![labeled(l, false)],
            related: Vec::new(),
        }
    }
}

fn named(sources: &SourceMap, file: crate::source::FileId) -> NamedSource<String> {
    let f = sources.get(file);
    NamedSource::new(f.name.clone(), f.text.to_string())
}

fn labeled(l: &Label, primary: bool) -> LabeledSpan {
    let text = (!l.text.is_empty()).then(|| l.text.clone());
    let span = (l.span.start, l.span.len());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

impl fmt::Debug for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View {}

impl miette::Diagnostic for View {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}
