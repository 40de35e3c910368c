//! `textDocument/documentSymbol`: the outline, from the symbol index:
//! items at the top, an agreement's parties, roles, goals, approvals (with
//! their steps) and escalations (with their tiers) below it.

use super::position::range;
use super::world::{Parsed, World};
use crate::syntax::index::SymbolKind as Kind;
use lsp_types::{DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, SymbolKind};

pub fn document_symbols(
    world: &World,
    params: DocumentSymbolParams,
) -> Option<DocumentSymbolResponse> {
    let file = world.document(&params.text_document.uri)?;
    // A file that does not parse keeps the outline the editor last had.
    file.ast.as_ref()?;
    Some(DocumentSymbolResponse::Nested(children(&file, None)))
}

fn children(file: &Parsed, parent: Option<usize>) -> Vec<DocumentSymbol> {
    file.index
        .decls
        .iter()
        .enumerate()
        .filter(|(_, d)| d.parent == parent)
        .map(|(i, d)| {
            // Tiers and steps are keyed `escalation.tier`; the outline nests them.
            let name = match d.kind {
                Kind::Tier | Kind::Step | Kind::EnumValue => {
                    d.key.rsplit('.').next().unwrap_or(&d.key).to_string()
                }
                _ => d.key.clone(),
            };
            let kids = children(file, Some(i));
            #[allow(deprecated)] // `deprecated` is a required field of the type.
            DocumentSymbol {
                name,
                detail: d.detail.clone(),
                kind: kind(d.kind),
                tags: None,
                deprecated: None,
                range: range(&file.source, d.span),
                selection_range: range(&file.source, d.name_span),
                children: (!kids.is_empty()).then_some(kids),
            }
        })
        .collect()
}

fn kind(k: Kind) -> SymbolKind {
    match k {
        Kind::Import => SymbolKind::MODULE,
        Kind::Calendar => SymbolKind::STRUCT,
        Kind::Holidays => SymbolKind::ARRAY,
        Kind::Metric => SymbolKind::FUNCTION,
        Kind::Enum => SymbolKind::ENUM,
        Kind::EnumValue => SymbolKind::ENUM_MEMBER,
        Kind::Agreement => SymbolKind::NAMESPACE,
        Kind::Party => SymbolKind::OBJECT,
        Kind::Role => SymbolKind::PROPERTY,
        Kind::Audience => SymbolKind::KEY,
        Kind::Platform => SymbolKind::ENUM_MEMBER,
        Kind::Responsibility => SymbolKind::INTERFACE,
        Kind::Goal => SymbolKind::EVENT,
        Kind::Approval => SymbolKind::METHOD,
        Kind::Step => SymbolKind::FIELD,
        Kind::Escalation => SymbolKind::CLASS,
        Kind::Tier => SymbolKind::CONSTANT,
    }
}
