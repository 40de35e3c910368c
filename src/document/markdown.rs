//! A `Document` as Markdown (CommonMark with GitHub's tables).
//!
//! Everything that comes from the agreement or the data is escaped
//! (`crate::text::markdown`), and control characters are written out
//! (`crate::text::visible`): a CSV cell or a title cannot add headings,
//! HTML or links, nor reach a terminal as an escape sequence.

use super::{Badge, Block, Column, Document, Line, Span, Tone};
use crate::text::markdown::{code, code_cell, text as md};
use std::fmt::Write;

/// Blocks one blank line apart; charts are left out (their numbers are in
/// the table that follows each of them).
pub fn write(d: &Document) -> String {
    crate::text::visible(&write_unescaped_controls(d)).into_owned()
}

fn write_unescaped_controls(d: &Document) -> String {
    let mut out = String::new();
    for block in &d.blocks {
        if matches!(block, Block::Chart(_) | Block::Histogram(_)) {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        write_block(&mut out, block);
    }
    out
}

fn write_block(out: &mut String, block: &Block) {
    match block {
        Block::Heading { level, line, .. } => {
            let hashes = "#".repeat(usize::from(*level));
            let _ = writeln!(out, "{hashes} {}", inline(line, false));
        }
        Block::Paragraph(line) => {
            let _ = writeln!(out, "{}", inline(line, false));
        }
        Block::Facts(facts) => {
            out.push_str("| | |\n| --- | --- |\n");
            for (key, value) in facts {
                let _ = writeln!(out, "| {key} | {} |", inline(value, true));
            }
        }
        Block::Table { columns, rows } => table(out, columns, rows),
        Block::Items(items) => {
            for item in items {
                let _ = writeln!(out, "- {}", inline(item, false));
            }
        }
        Block::Chart(_) | Block::Histogram(_) => {}
        Block::Footer(line) => {
            let _ = writeln!(out, "---\n{}", inline(line, false));
        }
    }
}

fn table(out: &mut String, columns: &[Column], rows: &[Vec<Line>]) {
    let head: Vec<String> = columns.iter().map(|c| md(&c.title)).collect();
    let _ = writeln!(out, "| {} |", head.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(columns.len()));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| inline(c, true)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// A line's spans; `in_cell` writes code that holds a `|` as text, since a
/// pipe would end the cell even inside a code span.
fn inline(line: &Line, in_cell: bool) -> String {
    let mut s = String::new();
    for span in &line.0 {
        match span {
            Span::Text(t) => s.push_str(&md(t)),
            Span::Code(c) if in_cell => s.push_str(&code_cell(c)),
            Span::Code(c) => s.push_str(&code(c)),
            Span::Strong(t) => {
                let _ = write!(s, "**{}**", md(t));
            }
            Span::Badge(b) => s.push_str(&badge(*b)),
            Span::Link { text, .. } => s.push_str(&md(text)),
            Span::Removed(t) => s.push_str(&marked(t, "~~")),
            Span::Inserted(t) => s.push_str(&marked(t, "**")),
        }
    }
    s
}

/// `text` between `fence`s (strikethrough, bold), with the whitespace
/// around it left outside, where CommonMark needs it to open and close.
fn marked(text: &str, fence: &str) -> String {
    let inner = text.trim();
    if inner.is_empty() {
        return md(text);
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    format!("{}{fence}{}{fence}{}", md(lead), md(inner), md(trail))
}

fn badge(b: Badge) -> String {
    match b.tone {
        Tone::Bad => format!("**{}**", md(b.label)),
        Tone::Good | Tone::Neutral => md(b.label),
    }
}
