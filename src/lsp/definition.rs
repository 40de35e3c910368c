//! `textDocument/definition` and `textDocument/references`, both answered
//! from the symbol index: a use resolves to its declaration (across imports,
//! into the standard library), and the references of a declaration are the
//! uses anywhere that resolve back to it.

use super::position::{offset, range};
use super::world::{FileKey, Parsed, Target, World};
use crate::syntax::index::SymbolKind;
use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location, Range, ReferenceParams};
use std::path::{Path, PathBuf};

/// At most this many files are searched for references in the workspace,
/// and at most this many directory entries looked at to find them (a
/// client may name a home directory as its workspace).
const MAX_WORKSPACE_FILES: usize = 2000;
const MAX_ENTRIES_SEEN: usize = 20_000;

pub fn definition(world: &World, params: GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
    let at = params.text_document_position_params;
    let file = world.document(&at.text_document.uri)?;
    let target = world.target_at(&file, offset(&file.source, at.position))?;
    location(world, &target).map(GotoDefinitionResponse::Scalar)
}

/// Where a target is: its declared name, or the start of a whole file.
fn location(world: &World, target: &Target) -> Option<Location> {
    let uri = world.uri(&target.file)?;
    let range = match target.decl {
        Some(d) => {
            let file = world.file(&target.file)?;
            range(&file.source, file.index.decls[d].name_span)
        }
        None => Range::default(),
    };
    Some(Location { uri, range })
}

pub fn references(
    world: &World,
    roots: &[PathBuf],
    params: ReferenceParams,
) -> Option<Vec<Location>> {
    let at = params.text_document_position;
    let file = world.document(&at.text_document.uri)?;
    let target = world.target_at(&file, offset(&file.source, at.position))?;
    let kind = match target.decl {
        Some(d) => Some(world.file(&target.file)?.index.decls[d].kind),
        None => None,
    };
    // Names inside an agreement are only seen there; file-level names are
    // used by importers too, and the prelude's by every file.
    let files: Vec<FileKey> = match kind {
        Some(k) if !k.is_file_level() => vec![target.file.clone()],
        _ => workspace_files(world, &file, roots),
    };
    let mut out = Vec::new();
    if params.context.include_declaration && target.decl.is_some() {
        out.extend(location(world, &target));
    }
    for key in files {
        let Some(other) = world.file(&key) else {
            continue;
        };
        let Some(uri) = world.uri(&key) else {
            continue;
        };
        let mut add = |span| {
            out.push(Location {
                uri: uri.clone(),
                range: range(&other.source, span),
            })
        };
        match kind {
            None => {
                for import in &other.index.imports {
                    if world.import_target(&key, &import.path.value).as_ref() == Some(&target.file)
                    {
                        add(import.path.span);
                    }
                }
            }
            Some(kind) => {
                for r in &other.index.refs {
                    let related = r.kind == kind
                        || (kind == SymbolKind::EnumValue && r.kind == SymbolKind::Platform);
                    if related && world.resolve(&other, r).as_ref() == Some(&target) {
                        add(r.span);
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| {
        (a.uri.as_str(), a.range.start.line, a.range.start.character).cmp(&(
            b.uri.as_str(),
            b.range.start.line,
            b.range.start.character,
        ))
    });
    out.dedup();
    Some(out)
}

/// The files that may use a file-level name: the current one, every open
/// document, and the `.sla` files under the workspace folders.
fn workspace_files(world: &World, current: &Parsed, roots: &[PathBuf]) -> Vec<FileKey> {
    let mut paths: Vec<PathBuf> = world.documents().all().map(|d| d.path.clone()).collect();
    let mut budget = MAX_ENTRIES_SEEN;
    for root in roots {
        walk(root, &mut paths, 0, &mut budget);
    }
    paths.sort();
    paths.dedup();
    let mut keys = vec![current.key.clone()];
    keys.extend(paths.into_iter().map(FileKey::Path));
    keys.dedup();
    keys
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize, budget: &mut usize) {
    if depth > 16 || out.len() >= MAX_WORKSPACE_FILES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&path, out, depth + 1, budget);
            }
        } else if name.ends_with(".sla") && out.len() < MAX_WORKSPACE_FILES {
            out.push(path);
        }
    }
}
