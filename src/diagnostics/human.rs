//! Human output: miette's graphical report. Labels that point into another
//! file than the primary one are rendered as related notes with their own
//! source snippet. Messages, labels, file names and source lines pass
//! through `crate::text::visible`: an escape sequence in a `.sla` string
//! is shown as `\u{1b}`, never sent to the terminal (spans are moved to
//! match).

use super::{Diagnostic, Label, Severity};
use crate::source::SourceMap;
use crate::text::{visible, visible_mapped, OffsetMap};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
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
    source: NamedText,
    labels: Vec<LabeledSpan>,
    related: Vec<View>,
}

impl View {
    fn new(d: &Diagnostic, sources: &SourceMap) -> View {
        let file = d.primary.file;
        let source = named(sources, file);
        let mut labels = vec![labeled(&d.primary, true, &source.map)];
        let mut related = Vec::new();
        for l in &d.secondary {
            if l.file == file {
                labels.push(labeled(l, false, &source.map));
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
            message: visible(&d.message).into_owned(),
            help: d.help.as_deref().map(|h| visible(h).into_owned()),
            source,
            labels,
            related,
        }
    }

    fn note(l: &Label, sources: &SourceMap) -> View {
        let source = named(sources, l.file);
        View {
            code: String::new(),
            severity: miette::Severity::Advice,
            message: visible(&l.text).into_owned(),
            help: None,
            labels: vec![labeled(l, false, &source.map)],
            source,
            related: Vec::new(),
        }
    }
}

fn named(sources: &SourceMap, file: crate::source::FileId) -> NamedText {
    let f = sources.get(file);
    let (text, map) = visible_mapped(&f.text);
    NamedText {
        name: visible(&f.name).into_owned(),
        text: text.into_owned(),
        map,
    }
}

/// A source file for miette whose columns count characters, as the JSON,
/// GitHub and SARIF formats and editors do; miette's own count bytes, so a
/// line with `é` or an emoji before the error would disagree.
struct NamedText {
    name: String,
    /// The file's text with control characters written out.
    text: String,
    /// Where the file's offsets are in `text`.
    map: OffsetMap,
}

impl SourceCode for NamedText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .read_span(span, context_lines_before, context_lines_after)?;
        let start = inner.span().offset();
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..start].chars().count();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

fn labeled(l: &Label, primary: bool, map: &OffsetMap) -> LabeledSpan {
    let text = (!l.text.is_empty()).then(|| visible(&l.text).into_owned());
    let (start, end) = (map.map(l.span.start), map.map(l.span.end));
    let span = (start, end - start);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::source::Span;

    #[test]
    fn the_header_counts_columns_in_characters_like_the_json() {
        let mut sources = SourceMap::default();
        let text = "x \"Caf\u{e9} \u{1F600}\" oops\n";
        let file = sources.add("u.sla", text);
        let at = text.find("oops").unwrap();
        let d = Diagnostic::new(Code::E0001, "boom", file, Span::new(at, at + 4));
        let out = render_human(&[d], &sources, HumanStyle::plain());
        // `oops` is the 12th character of its line but its 16th byte.
        assert!(out.contains("[u.sla:1:12]"), "{out}");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let mut sources = SourceMap::default();
        let text = "x \"\x1b]0;pwn\x07\x1b[2J\u{9b}\" oops\n";
        let file = sources.add("evil\x1b[31m.sla", text);
        let at = text.find("oops").unwrap();
        let d = Diagnostic::new(Code::E0001, "bad `\x1b[2J`", file, Span::new(at, at + 4))
            .label("here \x1b[5m")
            .help("\u{202e}fix");
        let out = render_human(&[d], &sources, HumanStyle::plain());
        assert!(
            !out.chars()
                .any(|c| c != '\n' && crate::text::is_hidden_control(c)),
            "{out:?}"
        );
        assert!(out.contains("\\u{1b}]0;pwn\\u{7}"), "{out}");
        assert!(out.contains("bad `\\u{1b}[2J`"), "{out}");
        assert!(out.contains("\\u{202e}fix"), "{out}");
        // The label still points at `oops`, after the longer escapes.
        let line = out.lines().find(|l| l.contains("oops")).unwrap();
        let under = out
            .lines()
            .skip_while(|l| !l.contains("oops"))
            .nth(1)
            .unwrap();
        let col = |s: &str, pat: char| s.chars().position(|c| c == pat).unwrap();
        assert_eq!(col(line, 'o'), col(under, '─'), "{out}");
    }
}
