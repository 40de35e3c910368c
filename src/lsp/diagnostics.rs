//! `textDocument/publishDiagnostics`: the same diagnostics `slac check`
//! reports for a file, in LSP terms. Only the file's own diagnostics are
//! published for it; problems inside an imported file show when that file
//! is open (the import itself is reported where it fails).

use super::documents::{path_to_uri, std_path};
use super::position::range;
use crate::check::{Loader, Session};
use crate::diagnostics::{Code, Diagnostic, Label, Severity};
use crate::source::SourceMap;
use lsp_types as lsp;
use std::path::Path;

/// Checks `text` as the file at `path` (imports read through `loader`) and
/// converts what the checker found. This is all the server does on a change.
pub fn check_document(path: &Path, text: &str, loader: &dyn Loader) -> Vec<lsp::Diagnostic> {
    let root = crate::workspace::project_root(path);
    let mut session = Session::new(loader, &root, None);
    let id = session.check_text(path, text);
    let file = session.module(id).file;
    let diags = session.take_diagnostics();
    diags
        .iter()
        .filter(|d| Some(d.primary.file) == file)
        .map(|d| convert(d, &session))
        .collect()
}

fn convert(d: &Diagnostic, session: &Session) -> lsp::Diagnostic {
    let sources = &session.sources;
    let file = sources.get(d.primary.file);
    // The primary label says what is wrong at the spot; related information
    // is shown apart from the message, so it goes into the message itself.
    let mut message = d.message.clone();
    if !d.primary.text.is_empty() {
        message.push('\n');
        message.push_str(&d.primary.text);
    }
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|l| related(l, session, sources))
        .collect();
    lsp::Diagnostic {
        range: range(file, d.primary.span),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(format!("slac::{}", d.code))),
        code_description: None,
        source: Some("slac".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        // Unused declarations are faded by editors that support the tag.
        tags: matches!(d.code, Code::W0001 | Code::W0002 | Code::W0007)
            .then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: d.fix.as_ref().map(|f| {
            serde_json::json!({ "fix": {
                "title": f.title,
                "range": range(file, f.span),
                "newText": f.replacement,
            }})
        }),
    }
}

fn related(
    l: &Label,
    session: &Session,
    sources: &SourceMap,
) -> Option<lsp::DiagnosticRelatedInformation> {
    let module = session.module_of_file(l.file)?;
    let path = match &module.path {
        Some(p) => p.clone(),
        None => {
            let name = sources.get(l.file).name.strip_prefix("std/")?.to_string();
            std_path(&name)?
        }
    };
    Some(lsp::DiagnosticRelatedInformation {
        location: lsp::Location {
            uri: path_to_uri(&path)?,
            range: range(sources.get(l.file), l.span),
        },
        message: if l.text.is_empty() {
            "related".into()
        } else {
            l.text.clone()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::LoadError;

    struct NoFiles;
    impl Loader for NoFiles {
        fn load(&self, _: &Path) -> Result<Vec<u8>, LoadError> {
            Err(LoadError::NotFound)
        }
    }

    #[test]
    fn checker_diagnostics_become_lsp_diagnostics() {
        let src = "calendar c { timezone \"UTC\" open mon 09:00-10:00 }\ncalendar c { timezone \"UTC\" open mon 09:00-10:00 }\n";
        let d = check_document(Path::new("/nowhere/x.sla"), src, &NoFiles);
        assert_eq!(d.len(), 1, "{d:#?}");
        let d = &d[0];
        assert_eq!(
            d.code,
            Some(lsp::NumberOrString::String("slac::E0209".into()))
        );
        assert_eq!(d.range.start, lsp::Position::new(1, 9));
        assert!(d.message.contains("\nhelp: "), "{}", d.message);
        let rel = &d.related_information.as_ref().unwrap()[0];
        assert_eq!(rel.location.uri.as_str(), "file:///nowhere/x.sla");
        assert_eq!(rel.message, "first declared here");
    }
}
