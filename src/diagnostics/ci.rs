//! Diagnostics for CI systems: GitHub Actions workflow commands (annotations
//! at file:line in a pull request) and SARIF 2.1.0 (code scanning).

use super::{codes, Diagnostic, JsonDiagnostic, JsonLabel, Severity};
use crate::source::SourceMap;
use serde_json::{json, Value};

/// Escapes a workflow-command property value (GitHub's rules: `%`, CR, LF,
/// and in properties also `:` and `,`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error file=...,line=...::message` line per diagnostic.
pub fn render_github(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diags {
        let l = JsonLabel::new(&d.primary, sources);
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Workflow commands land in a log shown as a terminal would.
        let mut message = crate::text::visible(&d.message).into_owned();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&crate::text::visible(h));
        }
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            escape_property(&crate::text::visible(&l.file)),
            l.line,
            l.column,
            l.end_line,
            l.end_column,
            escape_property(&format!("slac::{}", d.code)),
            escape_data(&message)
        ));
    }
    out
}

fn region(l: &JsonLabel) -> Value {
    json!({
        "startLine": l.line,
        "startColumn": l.column,
        "endLine": l.end_line,
        "endColumn": l.end_column,
    })
}

fn location(l: &JsonLabel) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": l.file.replace('\\', "/") },
            "region": region(l),
        }
    })
}

/// A SARIF 2.1.0 log with one run; every code is a rule, with its page as
/// the full description. Diagnostics come in groups, each with the sources
/// its spans point into.
pub fn render_sarif(groups: &[(&SourceMap, &[Diagnostic])]) -> String {
    let rules: Vec<Value> = codes::ALL
        .iter()
        .map(|c| {
            json!({
                "id": format!("slac::{}", c.as_str()),
                "name": c.title().replace(' ', "-"),
                "shortDescription": { "text": c.title() },
                "fullDescription": { "text": c.page().lines().skip(2).take_while(|l| !l.starts_with('#')).collect::<Vec<_>>().join(" ").trim() },
                "help": { "text": format!("Run `slac explain {}` for an example and the fix.", c.as_str()), "markdown": c.page() },
                "defaultConfiguration": { "level": if c.severity() == Severity::Error { "error" } else { "warning" } },
            })
        })
        .collect();
    let results: Vec<Value> = groups
        .iter()
        .flat_map(|(sources, diags)| diags.iter().map(move |d| (*sources, d)))
        .map(|(sources, d)| {
            let primary = JsonLabel::new(&d.primary, sources);
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str(&format!(" (help: {h})"));
            }
            let related: Vec<Value> = d
                .secondary
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let l = JsonLabel::new(l, sources);
                    let mut loc = location(&l);
                    loc["id"] = json!(i);
                    loc["message"] = json!({ "text": l.text });
                    loc
                })
                .collect();
            let mut r = json!({
                "ruleId": format!("slac::{}", d.code),
                "ruleIndex": codes::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
                "level": if d.is_error() { "error" } else { "warning" },
                "message": { "text": text },
                "locations": [location(&primary)],
            });
            if !related.is_empty() {
                r["relatedLocations"] = json!(related);
            }
            // The suggested edit, as SARIF's fix: one replacement.
            if let Some(f) = JsonDiagnostic::new(d, sources).fix {
                r["fixes"] = json!([{
                    "description": { "text": f.title },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": f.file.replace('\\', "/") },
                        "replacements": [{
                            "deletedRegion": {
                                "startLine": f.line,
                                "startColumn": f.column,
                                "endLine": f.end_line,
                                "endColumn": f.end_column,
                            },
                            "insertedContent": { "text": f.replacement },
                        }],
                    }],
                }]);
            }
            r
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "slac",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).expect("SARIF serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::source::Span;

    #[test]
    fn github_annotations_escape_their_fields() {
        let mut sources = SourceMap::new();
        let f = sources.add("a,b.sla", "x\ny");
        let d = Diagnostic::new(Code::E0202, "bad\nthing 100%", f, Span::new(2, 3)).help("fix: it");
        let out = render_github(&[d], &sources);
        assert_eq!(
            out,
            "::error file=a%2Cb.sla,line=2,col=1,endLine=2,endColumn=2,title=slac%3A%3AE0202::bad%0Athing 100%25%0Ahelp: fix: it\n"
        );
    }
}
