//! `textDocument/completion`: clause keywords of the block the cursor is in
//! (an agreement offers `goal`, a goal `target`, a tier `notify`), and after
//! a keyword the names it takes: roles after `owner`, calendars after
//! `clock`, `crisis.minor` after `escalate`, time zones inside
//! `timezone "..."`. Works on half-typed files: the context comes from a
//! token scan of the text, not from the parser.

use super::context::{self, Context, Scan, TokKind};
use super::position::{offset, range};
use super::world::{FileKey, Parsed, World};
use crate::model::{EventSource, Exclusion, Period, WaitingOn};
use crate::source::Span;
use crate::syntax::ast::{Item, MetricClause};
use crate::syntax::index::SymbolKind;
use crate::syntax::keywords::{self, Block};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit,
    Documentation, MarkupContent, MarkupKind, TextEdit,
};
use std::path::Path;

/// What the cursor's position asks for.
#[derive(Debug, PartialEq)]
enum Want {
    Keywords(Block),
    Roles,
    Parties,
    Calendars,
    Holidays,
    Metrics,
    /// The denominators of a ratio metric (`by impressions`).
    Denominators(String),
    Tiers,
    Platforms,
    Dimensions,
    /// The values a `where` dimension takes.
    Values(String),
    Words(&'static [&'static str]),
    TimeZones {
        quoted: bool,
    },
    ImportPaths,
    Nothing,
}

/// One offer, before it becomes an LSP item.
struct Offer {
    label: String,
    kind: CompletionItemKind,
    detail: Option<String>,
    doc: Option<String>,
    insert: Option<String>,
}

impl Offer {
    fn new(label: impl Into<String>, kind: CompletionItemKind) -> Self {
        Offer {
            label: label.into(),
            kind,
            detail: None,
            doc: None,
            insert: None,
        }
    }
    fn detail(mut self, d: Option<String>) -> Self {
        self.detail = d;
        self
    }
}

pub fn completion(world: &World, params: CompletionParams) -> Option<CompletionResponse> {
    let at = params.text_document_position;
    let file = world.document(&at.text_document.uri)?;
    let offset = offset(&file.source, at.position);
    if file.text().len() > crate::source::MAX_SOURCE_BYTES {
        return None;
    }
    let scan = context::scan(file.text());
    let cx = scan.context(offset);
    if cx.in_comment {
        return Some(CompletionResponse::Array(Vec::new()));
    }
    let want = want(&cx);
    let offers = offers(world, &file, &scan, &cx, &want);
    // Replace what was typed: the word (with its dots), or a string's inside.
    let replace = match cx.string {
        Some(s) => {
            let end = if s.text.len() > 1 && s.text.ends_with('"') {
                s.span.end - 1
            } else {
                s.span.end
            };
            Span::new(s.span.start + 1, end.max(offset))
        }
        None => cx.prefix,
    };
    let replace = range(&file.source, replace);
    let items = offers
        .into_iter()
        .map(|o| CompletionItem {
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: replace,
                new_text: o.insert.unwrap_or_else(|| o.label.clone()),
            })),
            label: o.label,
            kind: Some(o.kind),
            detail: o.detail,
            documentation: o.doc.map(|d| {
                Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: d,
                })
            }),
            ..CompletionItem::default()
        })
        .collect();
    Some(CompletionResponse::Array(items))
}

fn is_comparator(s: &str) -> bool {
    matches!(s, "=" | ">" | "<" | "!")
}

/// Reads the tokens before the cursor: the keyword just typed, or the list
/// being continued, or else the start of a new clause.
fn want(cx: &Context) -> Want {
    let block = cx.block();
    if let Some(s) = cx.string {
        let kw = cx.before.iter().rev().find(|t| t.span.end <= s.span.start);
        return match kw.map(|t| t.text) {
            Some("timezone") => Want::TimeZones { quoted: false },
            Some("import") => Want::ImportPaths,
            _ => Want::Nothing,
        };
    }
    let Some(block) = block else {
        return Want::Nothing;
    };
    let Some(p0) = cx.before.last() else {
        return Want::Keywords(block);
    };
    match p0.text {
        "{" | "}" => return Want::Keywords(block),
        "," | "[" => return list(cx, block),
        // `>=` scans as two tokens; the dimension is before both.
        t if is_comparator(t) => {
            let dim = cx.before.iter().rev().find(|t| t.kind == TokKind::Word);
            return dim.map_or(Want::Nothing, |d| Want::Values(d.text.to_string()));
        }
        _ if p0.kind != TokKind::Word => return Want::Keywords(block),
        _ => {}
    }
    after_word(p0.text, cx.prev(1), block)
}

/// What follows the word `w` (`prev` is the word before it).
fn after_word(w: &str, prev: Option<&str>, block: Block) -> Want {
    use Block as B;
    match (w, block) {
        ("clock", _) => Want::Calendars,
        ("owner" | "notify" | "responsible" | "accountable" | "consulted" | "informed", _) => {
            Want::Roles
        }
        ("to" | "with", B::Communication) | ("by", B::Step | B::Tier) => Want::Roles,
        ("by", B::Goal) if prev == Some("replies") => Want::Words(REPLY_AUTHORS),
        ("replies", B::Goal) => Want::Words(&["by"]),
        ("by", B::Goal) => prev.map_or(Want::Nothing, |m| Want::Denominators(m.to_string())),
        ("of", B::Agreement) => Want::Parties,
        ("metric", B::Goal) => Want::Metrics,
        ("escalate", _) => Want::Tiers,
        ("closed", B::Calendar) => Want::Holidays,
        ("platforms", _) => Want::Platforms,
        ("where", _) => Want::Dimensions,
        // `target 95% within 15m for |`: a segment's conditions.
        ("for", B::Goal) => Want::Dimensions,
        ("review" | "period" | "report" | "meeting", _) => Want::Words(PERIODS),
        ("via", _) => Want::Words(&["email", "slack", "meeting"]),
        ("exclude", _) => Want::Words(EXCLUSIONS),
        ("subject" | "events", _) => Want::Words(EVENTS),
        ("then", _) => Want::Words(&["publish"]),
        ("silence", _) => Want::Words(&["approve", "reject"]),
        ("on", B::Goal) if prev == Some("waiting") => Want::Words(WAITING_ON),
        ("on", B::Goal) => Want::Words(&["breach"]),
        ("pause", B::Goal) => Want::Words(&["while"]),
        ("while", B::Goal) => Want::Words(&["waiting"]),
        ("waiting", B::Goal) => Want::Words(&["on"]),
        ("on", B::Step) => Want::Words(&["silence"]),
        ("kind", B::Metric) => Want::Words(&["latency", "ratio", "count"]),
        ("channel", B::Communication) => Want::Words(&["slack", "email", "teams"]),
        ("per", _) => Want::Words(PER_UNITS),
        ("acknowledge" | "resolve", B::Tier) => Want::Words(&["within"]),
        ("pause", B::Tier) => Want::Words(&["publishing"]),
        ("approve", B::Tier) => Want::Words(&["statement"]),
        ("statement", B::Tier) => Want::Words(&["by"]),
        ("when", B::Step) => Want::Words(&["tagged"]),
        ("credit", B::Agreement) => Want::Words(&["cap"]),
        ("timezone", _) => Want::TimeZones { quoted: true },
        // Clauses without arguments are complete.
        ("reported", B::Goal) | ("publishing", B::Tier) => Want::Keywords(block),
        _ => {
            // A keyword still waiting for its argument (a new name, a
            // literal): nothing to offer. Anything else was an argument, so
            // a new clause may start.
            match keywords::lookup(w, block) {
                Some(k) if k.blocks.is_empty() || k.blocks.contains(&block) => Want::Nothing,
                _ => Want::Keywords(block),
            }
        }
    }
}

/// After `,` or `[`: which list is being continued.
fn list(cx: &Context, block: Block) -> Want {
    for (i, t) in cx.before.iter().enumerate().rev() {
        match t.text {
            "[" => {
                // `DIM in [a, |`
                let dim = cx.before[..i]
                    .iter()
                    .rev()
                    .filter(|t| t.kind == TokKind::Word)
                    .nth(1);
                return dim.map_or(Want::Nothing, |d| Want::Values(d.text.to_string()));
            }
            "]" | "{" | "}" => return Want::Nothing,
            "where" | "for" => return Want::Dimensions,
            "notify" | "responsible" | "consulted" | "informed" | "by" | "with" => {
                return after_word(t.text, None, block)
            }
            "platforms" | "exclude" | "closed" => return after_word(t.text, None, block),
            // `pause while waiting on customer, |`
            "waiting" => return Want::Words(WAITING_ON),
            _ => {}
        }
    }
    Want::Nothing
}

const PERIODS: &[&str] = &["daily", "weekly", "monthly", "quarterly", "yearly"];
const PER_UNITS: &[&str] = &["day", "week", "month", "quarter", "year"];
const EXCLUSIONS: &[&str] = &["platform_outage", "force_majeure", "client_delay"];
const EVENTS: &[&str] = &["inquiries", "posts", "approvals", "incidents"];
const WAITING_ON: &[&str] = &["customer", "client"];
/// `replies by |`: the one author a goal can limit replies to.
const REPLY_AUTHORS: &[&str] = &["human"];

// The word lists above must name what the model knows.
const _: () = {
    assert!(PERIODS.len() == Period::ALL.len());
    assert!(EXCLUSIONS.len() == Exclusion::ALL.len());
    assert!(EVENTS.len() == EventSource::ALL.len());
    assert!(WAITING_ON.len() == WaitingOn::ALL.len());
};

fn offers(world: &World, file: &Parsed, scan: &Scan, cx: &Context, want: &Want) -> Vec<Offer> {
    use CompletionItemKind as K;
    let agreement = cx.agreement();
    let local = |kind: SymbolKind, k: K| -> Vec<Offer> {
        scan.names(kind, agreement)
            .map(|d| Offer::new(d.name.clone(), k).detail(d.detail.clone()))
            .collect()
    };
    match want {
        Want::Keywords(block) => keywords::clause_keywords(*block)
            .map(|k| Offer {
                label: k.phrase.to_string(),
                kind: K::KEYWORD,
                detail: Some(k.syntax.to_string()),
                doc: Some(k.doc.to_string()),
                insert: None,
            })
            .collect(),
        Want::Roles => local(SymbolKind::Role, K::PROPERTY),
        Want::Parties => local(SymbolKind::Party, K::STRUCT),
        Want::Tiers => local(SymbolKind::Tier, K::CONSTANT),
        Want::Calendars => {
            let mut out = vec![Offer::new("always", K::STRUCT)
                .detail(Some("built-in calendar: around the clock".into()))];
            out.extend(local(SymbolKind::Calendar, K::STRUCT));
            out.extend(imported(world, file, scan, SymbolKind::Calendar, K::STRUCT));
            out
        }
        Want::Holidays => {
            let mut out = local(SymbolKind::Holidays, K::ENUM);
            out.extend(imported(world, file, scan, SymbolKind::Holidays, K::ENUM));
            out
        }
        Want::Metrics => {
            let mut out = local(SymbolKind::Metric, K::FUNCTION);
            out.extend(declared(
                world.prelude().as_deref(),
                SymbolKind::Metric,
                K::FUNCTION,
                "",
            ));
            out.extend(imported(world, file, scan, SymbolKind::Metric, K::FUNCTION));
            out
        }
        Want::Denominators(metric) => denominators(world, file, metric),
        Want::Platforms => platforms(world, scan, agreement),
        Want::Dimensions => {
            let mut out: Vec<Offer> = ["platform", "channel", "priority", "audience"]
                .into_iter()
                .map(|d| Offer::new(d, K::FIELD))
                .collect();
            out.extend(local(SymbolKind::Enum, K::FIELD));
            out
        }
        Want::Values(dim) => match dim.as_str() {
            "platform" => platforms(world, scan, agreement),
            "audience" => local(SymbolKind::Audience, K::ENUM_MEMBER),
            _ => enum_values(world, file, dim),
        },
        Want::Words(words) => words.iter().map(|w| Offer::new(*w, K::VALUE)).collect(),
        Want::TimeZones { quoted } => chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| {
                let mut o = Offer::new(tz.name(), K::VALUE);
                if *quoted {
                    o.insert = Some(format!("\"{}\"", tz.name()));
                }
                o
            })
            .collect(),
        Want::ImportPaths => import_paths(&file.key),
        Want::Nothing => Vec::new(),
    }
}

/// Declarations of `kind` in a file, named with `prefix` (`cal.`).
fn declared(
    file: Option<&Parsed>,
    kind: SymbolKind,
    k: CompletionItemKind,
    prefix: &str,
) -> Vec<Offer> {
    let Some(file) = file else {
        return Vec::new();
    };
    file.index
        .decls
        .iter()
        .filter(|d| d.kind == kind)
        .map(|d| Offer::new(format!("{prefix}{}", d.key), k).detail(d.detail.clone()))
        .collect()
}

/// `alias.name` for every name of `kind` in every imported file.
fn imported(
    world: &World,
    file: &Parsed,
    scan: &Scan,
    kind: SymbolKind,
    k: CompletionItemKind,
) -> Vec<Offer> {
    let mut out = Vec::new();
    for import in scan.names(SymbolKind::Import, None) {
        let Some(path) = import.detail.as_deref() else {
            continue;
        };
        let spec = path.trim_matches('"');
        let Some(key) = world.import_target(&file.key, spec) else {
            continue;
        };
        let other = world.file(&key);
        out.extend(declared(
            other.as_deref(),
            kind,
            k,
            &format!("{}.", import.name),
        ));
    }
    out
}

fn platforms(world: &World, scan: &Scan, agreement: Option<usize>) -> Vec<Offer> {
    let mut out: Vec<Offer> = scan
        .names(SymbolKind::Platform, agreement)
        .map(|d| {
            Offer::new(d.name.clone(), CompletionItemKind::ENUM_MEMBER).detail(d.detail.clone())
        })
        .collect();
    out.extend(prelude_values(world, "platform"));
    out
}

fn prelude_values(world: &World, dim: &str) -> Vec<Offer> {
    let prefix = format!("{dim}.");
    let Some(prelude) = world.prelude() else {
        return Vec::new();
    };
    prelude
        .index
        .decls
        .iter()
        .filter(|d| d.kind == SymbolKind::EnumValue)
        .filter_map(|d| d.key.strip_prefix(&prefix))
        .map(|v| Offer::new(v, CompletionItemKind::ENUM_MEMBER).detail(Some(dim.to_string())))
        .collect()
}

/// The values of an enumeration declared in the file or the prelude.
fn enum_values(world: &World, file: &Parsed, dim: &str) -> Vec<Offer> {
    let prefix = format!("{dim}.");
    let mut out: Vec<Offer> = file
        .index
        .decls
        .iter()
        .filter(|d| d.kind == SymbolKind::EnumValue)
        .filter_map(|d| d.key.strip_prefix(&prefix))
        .map(|v| Offer::new(v, CompletionItemKind::ENUM_MEMBER).detail(Some(dim.to_string())))
        .collect();
    out.extend(prelude_values(world, dim));
    out
}

/// The denominators the metric declares (`impressions`, `reach`, ...).
fn denominators(world: &World, file: &Parsed, metric: &str) -> Vec<Offer> {
    let (alias, name) = match metric.split_once('.') {
        Some((a, n)) => (Some(a), n),
        None => (None, metric),
    };
    let mut files = Vec::new();
    match alias {
        Some(a) => files.extend(world.alias_target(file, a).and_then(|k| world.file(&k))),
        None => {
            files.extend(world.file(&file.key));
            files.extend(world.prelude());
        }
    }
    for f in files {
        let Some(ast) = &f.ast else { continue };
        for item in &ast.items {
            if let Item::Metric(m) = &item.kind {
                if m.name.text == name {
                    return m
                        .clauses
                        .iter()
                        .filter_map(|c| match &c.kind {
                            MetricClause::Denominator { name, series } => Some(
                                Offer::new(name.text.clone(), CompletionItemKind::VALUE)
                                    .detail(Some(series.value.clone())),
                            ),
                            _ => None,
                        })
                        .collect();
                }
            }
        }
    }
    Vec::new()
}

/// `std/...` modules and the `.sla` files near the importing file.
fn import_paths(from: &FileKey) -> Vec<Offer> {
    let mut out: Vec<Offer> = crate::stdlib::names()
        .filter(|n| *n != "prelude")
        .map(|n| Offer::new(format!("std/{n}"), CompletionItemKind::MODULE))
        .collect();
    if let FileKey::Path(path) = from {
        if let Some(dir) = path.parent() {
            let mut found = Vec::new();
            nearby(dir, dir, 0, &mut found);
            found.sort();
            out.extend(
                found
                    .into_iter()
                    .filter(|rel| dir.join(rel) != *path)
                    .map(|rel| Offer::new(rel, CompletionItemKind::FILE)),
            );
        }
    }
    out
}

fn nearby(root: &Path, dir: &Path, depth: usize, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten().take(500) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth < 2 && !name.starts_with('.') && name != "target" {
            nearby(root, &path, depth + 1, out);
        } else if kind.is_file() && name.ends_with(".sla") {
            if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want_at(src: &str) -> Want {
        let text = src.replace('|', "");
        let scan = context::scan(&text);
        let cx = scan.context(src.find('|').unwrap());
        want(&cx)
    }

    #[test]
    fn a_pause_clause_is_completed_word_by_word() {
        let g = "agreement a \"A\" {\n  goal g \"G\" {\n    ";
        assert_eq!(want_at(&format!("{g}pause |")), Want::Words(&["while"]));
        assert_eq!(
            want_at(&format!("{g}pause while |")),
            Want::Words(&["waiting"])
        );
        assert_eq!(
            want_at(&format!("{g}pause while waiting |")),
            Want::Words(&["on"])
        );
        assert_eq!(
            want_at(&format!("{g}pause while waiting on |")),
            Want::Words(WAITING_ON)
        );
        assert_eq!(
            want_at(&format!("{g}pause while waiting on customer, |")),
            Want::Words(WAITING_ON)
        );
        assert_eq!(want_at(&format!("{g}on |")), Want::Words(&["breach"]));
    }

    #[test]
    fn a_replies_clause_is_completed_word_by_word() {
        let g = "agreement a \"A\" {\n  goal g \"G\" {\n    ";
        assert_eq!(want_at(&format!("{g}replies |")), Want::Words(&["by"]));
        assert_eq!(
            want_at(&format!("{g}replies by |")),
            Want::Words(REPLY_AUTHORS)
        );
        // `metric M by |` still offers the metric's denominators.
        assert_eq!(
            want_at(&format!("{g}metric engagement_rate by |")),
            Want::Denominators("engagement_rate".into())
        );
    }

    #[test]
    fn a_segment_asks_for_dimensions_then_values() {
        let g = "agreement a \"A\" {\n  goal g \"G\" {\n    target 90% within 1h\n    ";
        assert_eq!(
            want_at(&format!("{g}target 95% within 15m for |")),
            Want::Dimensions
        );
        assert_eq!(
            want_at(&format!("{g}target 95% within 15m for priority = |")),
            Want::Values("priority".into())
        );
        assert_eq!(
            want_at(&format!(
                "{g}target 95% within 15m for priority = urgent, |"
            )),
            Want::Dimensions
        );
    }

    #[test]
    fn the_cursor_asks_for_what_fits() {
        let a = "agreement a \"A\" {\n  client c \"C\"\n";
        assert_eq!(
            want_at(&format!("{a}  |")),
            Want::Keywords(Block::Agreement)
        );
        assert_eq!(
            want_at(&format!("{a}  go|")),
            Want::Keywords(Block::Agreement)
        );
        assert_eq!(want_at(&format!("{a}  role r of |")), Want::Parties);
        assert_eq!(
            want_at(&format!("{a}  goal g \"G\" {{\n    owner |")),
            Want::Roles
        );
        assert_eq!(
            want_at(&format!("{a}  goal g \"G\" {{\n    owner x\n    |")),
            Want::Keywords(Block::Goal)
        );
        assert_eq!(
            want_at(&format!("{a}  goal g \"G\" {{\n    clock cal.|")),
            Want::Calendars
        );
        assert_eq!(
            want_at(&format!(
                "{a}  goal g \"G\" {{\n    where platform in [x, |"
            )),
            Want::Values("platform".into())
        );
        assert_eq!(
            want_at(&format!("{a}  goal g \"G\" {{\n    where priority >= |")),
            Want::Values("priority".into())
        );
        assert_eq!(
            want_at(&format!("{a}  goal g \"G\" {{\n    where platform = x, |")),
            Want::Dimensions
        );
        assert_eq!(
            want_at(&format!(
                "{a}  goal g \"G\" {{\n    metric engagement_rate by |"
            )),
            Want::Denominators("engagement_rate".into())
        );
        assert_eq!(
            want_at(&format!("{a}  escalation e \"E\" {{ tier t {{ notify a, |")),
            Want::Roles
        );
        assert_eq!(
            want_at(&format!("{a}  timezone \"Europe/|")),
            Want::TimeZones { quoted: false }
        );
        assert_eq!(
            want_at("calendar c { timezone \"UTC\" closed |"),
            Want::Holidays
        );
        assert_eq!(want_at("|"), Want::Keywords(Block::File));
        assert_eq!(want_at("import \"|"), Want::ImportPaths);
        assert_eq!(want_at(&format!("{a}  objective |")), Want::Nothing);
    }
}
