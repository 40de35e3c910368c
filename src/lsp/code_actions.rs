//! Quick fixes: a diagnostic with a suggested edit carries it in its `data`
//! when published (see `diagnostics`); the editor hands it back with the
//! code-action request, and the edit becomes a quick fix. Nothing is checked
//! again, so the fix is the one the diagnostic showed.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Range, TextEdit,
    WorkspaceEdit,
};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
struct Fix {
    title: String,
    range: Range,
    #[serde(rename = "newText")]
    new_text: String,
}

pub fn quick_fixes(params: CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = params.text_document.uri;
    params
        .context
        .diagnostics
        .into_iter()
        .filter_map(|d| {
            let fix: Fix = serde_json::from_value(d.data.as_ref()?.get("fix")?.clone()).ok()?;
            let edit = TextEdit {
                range: fix.range,
                new_text: fix.new_text,
            };
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..Default::default()
                }),
                is_preferred: Some(true),
                ..Default::default()
            }))
        })
        .collect()
}
