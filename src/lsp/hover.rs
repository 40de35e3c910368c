//! `textDocument/hover`: what the thing under the cursor is. A name shows its
//! declaration (as written), its doc comment and what it resolves to; a
//! duration shows its length in seconds and largest units and the clock it
//! runs on; a keyword shows what its clause means in that block.

use super::business_days;
use super::context;
use super::position::{offset, range};
use super::world::{FileKey, Parsed, Target, World};
use crate::check::values;
use crate::source::{FileId, Span};
use crate::syntax::ast::{Clause, Item};
use crate::syntax::index::{Decl, DurationUse, ImportUse, Scope, SymbolKind};
use crate::syntax::keywords::{self, Block};
use crate::text::markdown;
use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

/// Declarations longer than this show only their first line.
const MAX_SNIPPET_LINES: usize = 12;

pub fn hover(world: &World, params: HoverParams) -> Option<Hover> {
    let at = params.text_document_position_params;
    let file = world.document(&at.text_document.uri)?;
    let offset = offset(&file.source, at.position);
    let (markdown, span) = hover_at(world, &file, offset)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(range(&file.source, span)),
    })
}

fn hover_at(world: &World, file: &Parsed, offset: usize) -> Option<(String, Span)> {
    let ix = &file.index;
    if let Some(import) = ix.import_at(offset) {
        return Some((import_hover(world, file, import), import.path.span));
    }
    if let Some(d) = ix.duration_at(offset) {
        return duration_hover(world, file, d).map(|md| (md, d.lit.span));
    }
    if let Some(r) = ix.ref_at(offset) {
        let target = world.resolve(file, r)?;
        return Some((decl_hover(world, file, &target)?, r.span));
    }
    if let Some(decl) = ix.decl_at(offset) {
        let target = Target {
            file: file.key.clone(),
            decl: Some(decl),
        };
        return Some((decl_hover(world, file, &target)?, ix.decls[decl].name_span));
    }
    keyword_hover(file.text(), offset)
}

/// The declaration as written (its first line when long), its doc comment,
/// and what else helps: a role's party and contacts, where it comes from.
fn decl_hover(world: &World, from: &Parsed, target: &Target) -> Option<String> {
    let file = world.file(&target.file)?;
    let decl = &file.index.decls[target.decl?];
    let mut md = format!("```slac\n{}\n```", snippet(file.text(), decl.span));
    if let Some(docs) = &decl.docs {
        md.push_str("\n\n");
        md.push_str(docs);
    }
    let extra = match decl.kind {
        SymbolKind::Role => role_facts(&file, decl),
        SymbolKind::Tier => tier_facts(&file, decl),
        SymbolKind::EnumValue => decl
            .parent
            .and_then(|p| file.index.decls[p].docs.clone())
            .map(|d| format!("A value of `enum {}`: {d}", enum_name(decl))),
        _ => None,
    };
    if let Some(extra) = extra {
        md.push_str("\n\n");
        md.push_str(&extra);
    }
    match &target.file {
        FileKey::Std(name) => md.push_str(&format!("\n\n*Defined in `std/{name}`.*")),
        FileKey::Path(p) if target.file != from.key => {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            md.push_str(&format!("\n\n*Defined in `{}`.*", name.unwrap_or_default()));
        }
        FileKey::Path(_) => {}
    }
    Some(md)
}

fn enum_name(decl: &Decl) -> &str {
    decl.key.split('.').next().unwrap_or(&decl.key)
}

/// The source of a declaration; long blocks are cut to their header.
fn snippet(text: &str, span: Span) -> String {
    let src = text.get(span.start..span.end).unwrap_or("");
    let lines: Vec<&str> = src.lines().collect();
    if lines.len() > MAX_SNIPPET_LINES {
        let head = lines[0].trim_end();
        return match head.ends_with('{') {
            true => format!("{head} … }}"),
            false => format!("{head} …"),
        };
    }
    // Later lines lose the indentation the first line had in the file.
    let line_start = text
        .get(..span.start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let indent = text
        .get(line_start..span.start)
        .filter(|s| s.chars().all(|c| c == ' ' || c == '\t'))
        .map_or(0, str::len);
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            // Spaces and tabs only: one byte each, so the slice is safe.
            let strip = l.bytes().take_while(|b| *b == b' ' || *b == b'\t').count();
            if i == 0 {
                l
            } else {
                &l[strip.min(indent)..]
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A role: its party (kind and name) and its contacts.
fn role_facts(file: &Parsed, decl: &Decl) -> Option<String> {
    let Scope::Agreement(i) = decl.scope else {
        return None;
    };
    let Item::Agreement(a) = &file.ast.as_ref()?.items.get(i)?.kind else {
        return None;
    };
    let (party, contacts) = a.clauses.iter().find_map(|c| match &c.kind {
        Clause::Role {
            id,
            party,
            contacts,
        } if id.span == decl.name_span => Some((party, contacts)),
        _ => None,
    })?;
    let mut out = match a.clauses.iter().find_map(|c| match &c.kind {
        Clause::Party { kind, id, name } if id.text == party.text => Some((kind, name)),
        _ => None,
    }) {
        Some((kind, name)) => format!(
            "**Party:** `{}`, {} ({})",
            party.text,
            markdown::text(&name.value),
            kind.keyword()
        ),
        None => format!("**Party:** `{}` (not declared)", party.text),
    };
    if contacts.is_empty() {
        out.push_str("\n\n**Contacts:** none");
    } else {
        out.push_str("\n\n**Contacts:**");
        for c in contacts {
            out.push_str(&format!(
                "\n- {}: {}",
                c.kind.kind.keyword(),
                markdown::code(&c.kind.value.value)
            ));
        }
    }
    Some(out)
}

/// A tier: its place in its escalation.
fn tier_facts(file: &Parsed, decl: &Decl) -> Option<String> {
    let esc = &file.index.decls[decl.parent?];
    let tiers: Vec<&Decl> = file
        .index
        .decls
        .iter()
        .filter(|d| d.kind == SymbolKind::Tier && d.parent == decl.parent)
        .collect();
    let n = tiers.iter().position(|d| d.key == decl.key)? + 1;
    Some(format!(
        "Tier {n} of {} (ascending severity) of escalation `{}`{}.",
        tiers.len(),
        esc.key,
        esc.detail
            .as_ref()
            .map(|t| format!(", \"{}\"", markdown::text(t)))
            .unwrap_or_default()
    ))
}

fn import_hover(world: &World, file: &Parsed, import: &ImportUse) -> String {
    let spec = &import.path.value;
    let mut md = format!(
        "```slac\nimport {} as {}\n```",
        import.path.raw, import.alias.text
    );
    match world.import_target(&file.key, spec) {
        Some(FileKey::Std(name)) => md.push_str(&format!(
            "\n\nThe standard library module `std/{name}`, embedded in slac."
        )),
        Some(FileKey::Path(p)) => {
            let exists = world.file(&FileKey::Path(p.clone())).is_some();
            md.push_str(&format!(
                "\n\n{}{}",
                markdown::code(&p.display().to_string()),
                if exists { "" } else { " (not found)" }
            ));
        }
        None => md.push_str("\n\nNo such standard library module."),
    }
    md.push_str(&format!(
        "\n\nIts names are used as `{}.name`.",
        import.alias.text
    ));
    md
}

fn duration_hover(world: &World, file: &Parsed, d: &DurationUse) -> Option<String> {
    if let Some(n) = values::business_days(&d.lit) {
        return Some(business_days_hover(world, file, d, n));
    }
    let secs = values::duration(FileId(0), &d.lit).ok()?;
    let mut md = format!(
        "**Duration** `{}` = {} seconds = `{secs}`",
        d.lit.text,
        thousands(secs.0)
    );
    match d.clock.as_deref() {
        Some("always") => md.push_str("\n\nOn clock `always`: wall-clock time, around the clock."),
        Some(cal) => md.push_str(&format!(
            "\n\nOn clock `{cal}`: only the calendar's open hours count."
        )),
        None => md.push_str("\n\nIn calendar time."),
    }
    Some(md)
}

/// `2bd`: what it comes to on its clock's calendar, or why it has no length.
fn business_days_hover(world: &World, file: &Parsed, d: &DurationUse, n: u64) -> String {
    let md = format!("**Duration** `{}` = {n} business days", d.lit.text);
    let rest = match d.clock.as_deref() {
        Some("always") => "\n\nOn clock `always` there are no business days (E0326).".to_string(),
        Some(cal) => business_days::resolve(world, file, cal, n),
        None => "\n\nMeasured on no clock, so there are no business days (E0326).".to_string(),
    };
    md + &rest
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A keyword's meaning in the block it is written in. Works on files that
/// do not parse, from the text alone.
fn keyword_hover(text: &str, offset: usize) -> Option<(String, Span)> {
    if text.len() > crate::source::MAX_SOURCE_BYTES {
        return None;
    }
    let scan = context::scan(text);
    let tok = scan.tokens.iter().find(|t| {
        t.kind == context::TokKind::Word && t.span.start <= offset && offset <= t.span.end
    })?;
    if tok.text == "always" {
        return Some((
            "```slac\nclock always\n```\n\nThe built-in calendar: open around the clock, every day of the year.".into(),
            tok.span,
        ));
    }
    let block = scan.context(tok.span.start).block().unwrap_or(Block::File);
    let kw = keywords::lookup(tok.text, block)?;
    let mut md = format!("```slac\n{}\n```\n\n{}", kw.syntax, kw.doc);
    if !kw.blocks.is_empty() && !kw.blocks.contains(&block) {
        let wheres: Vec<&str> = kw.blocks.iter().map(|b| b.noun()).collect();
        md.push_str(&format!("\n\n*A clause of: {}.*", wheres.join(", ")));
    }
    Some((md, tok.span))
}
