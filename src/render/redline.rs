//! A redline of the contract: the two versions' documents compared clause
//! by clause, word by word, with deleted text struck through and inserted
//! text marked, for legal review. Clauses are matched by their anchor (a
//! goal, approval or escalation keeps its id when renamed) or, for the
//! fixed clauses, by their title without its number, so a clause that only
//! moved because another was added is not a change.

use crate::document::{Block, Document, Line, Span};
use similar::{ChangeTag, DiffOp, TextDiff};

/// One heading and the blocks under it, flattened to lines of text.
struct Unit {
    key: String,
    level: u8,
    heading: String,
    lines: Vec<String>,
}

fn plain(line: &Line) -> String {
    line.0
        .iter()
        .map(|s| match s {
            Span::Text(t) | Span::Code(t) | Span::Strong(t) => t.as_str(),
            Span::Removed(t) | Span::Inserted(t) => t.as_str(),
            Span::Badge(b) => b.label,
            Span::Link { text, .. } => text.as_str(),
        })
        .collect()
}

fn block_lines(block: &Block) -> Vec<String> {
    match block {
        Block::Paragraph(l) | Block::Footer(l) => vec![plain(l)],
        Block::Items(items) => items.iter().map(|l| format!("• {}", plain(l))).collect(),
        Block::Facts(facts) => facts
            .iter()
            .map(|(k, v)| format!("{k}: {}", plain(v)))
            .collect(),
        Block::Table { columns, rows } => {
            let head: Vec<&str> = columns.iter().map(|c| c.title.as_ref()).collect();
            let mut out = vec![head.join(" | ")];
            out.extend(
                rows.iter()
                    .map(|r| r.iter().map(plain).collect::<Vec<_>>().join(" | ")),
            );
            out
        }
        Block::Heading { .. } | Block::Chart(_) | Block::Histogram(_) => Vec::new(),
    }
}

/// "6.1 First reply" without its number: "First reply".
fn unnumbered(heading: &str) -> &str {
    match heading.split_once(' ') {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit() || c == '.') => rest,
        _ => heading,
    }
}

/// The document's units below its title; the footer (which names the
/// source hash, different in every version) is not part of the contract.
fn units(d: &Document) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    for block in &d.blocks {
        match block {
            Block::Heading {
                level,
                line,
                anchor,
            } if *level >= 2 => {
                let heading = plain(line);
                let key = anchor
                    .clone()
                    .unwrap_or_else(|| unnumbered(&heading).to_string());
                out.push(Unit {
                    key,
                    level: *level,
                    heading,
                    lines: Vec::new(),
                });
            }
            Block::Footer(_) => {}
            other => {
                if let Some(u) = out.last_mut() {
                    u.lines.extend(block_lines(other));
                }
            }
        }
    }
    out
}

/// The words of `old` and `new` as lines of spans: kept text, removed
/// text and inserted text.
fn word_diff(old: &str, new: &str) -> Vec<Line> {
    let diff = TextDiff::from_words(old, new);
    let mut lines = vec![Line::new()];
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        for (i, piece) in change.value().split('\n').enumerate() {
            if i > 0 {
                lines.push(Line::new());
            }
            if piece.is_empty() {
                continue;
            }
            let line = lines.last_mut().expect("one line at least");
            push(line, tag, piece);
        }
    }
    lines.retain(|l| !l.0.is_empty());
    lines.into_iter().map(joined).collect()
}

/// Neighbouring edits separated only by a space read as one: "1 hour" →
/// "2 hours" is ~~1 hour~~ **2 hours**, not ~~1~~ **2** ~~hour~~ **hours**.
fn joined(line: Line) -> Line {
    let mut out: Vec<Span> = Vec::new();
    for span in line.0 {
        out.push(span);
        let n = out.len();
        let Some(window) = out.get(n.saturating_sub(5)..).filter(|w| w.len() == 5) else {
            continue;
        };
        if let [Span::Removed(a), Span::Inserted(b), Span::Text(gap), Span::Removed(c), Span::Inserted(d)] =
            window
        {
            if gap.trim().is_empty() {
                let merged = [
                    Span::Removed(format!("{a}{gap}{c}")),
                    Span::Inserted(format!("{b}{gap}{d}")),
                ];
                out.truncate(n - 5);
                out.extend(merged);
            }
        }
    }
    Line(out)
}

/// Appends `text` to the line, joining it to the last span of the same
/// kind.
fn push(line: &mut Line, tag: ChangeTag, text: &str) {
    match (line.0.last_mut(), tag) {
        (Some(Span::Text(t)), ChangeTag::Equal)
        | (Some(Span::Removed(t)), ChangeTag::Delete)
        | (Some(Span::Inserted(t)), ChangeTag::Insert) => t.push_str(text),
        (_, ChangeTag::Equal) => line.0.push(Span::Text(text.to_string())),
        (_, ChangeTag::Delete) => line.0.push(Span::Removed(text.to_string())),
        (_, ChangeTag::Insert) => line.0.push(Span::Inserted(text.to_string())),
    }
}

/// What became of one clause.
enum Fate<'a> {
    Kept(&'a Unit, &'a Unit),
    Added(&'a Unit),
    Removed(&'a Unit),
}

/// The clauses of both versions in reading order: matched by key, with
/// added and removed clauses where they stood.
fn fates<'a>(old: &'a [Unit], new: &'a [Unit]) -> Vec<Fate<'a>> {
    let old_keys: Vec<&str> = old.iter().map(|u| u.key.as_str()).collect();
    let new_keys: Vec<&str> = new.iter().map(|u| u.key.as_str()).collect();
    let mut out = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &old_keys, &new_keys) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => out.extend((0..len).map(|i| Fate::Kept(&old[old_index + i], &new[new_index + i]))),
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend(
                old[old_index..old_index + old_len]
                    .iter()
                    .map(Fate::Removed),
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend(new[new_index..new_index + new_len].iter().map(Fate::Added)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                out.extend(
                    old[old_index..old_index + old_len]
                        .iter()
                        .map(Fate::Removed),
                );
                out.extend(new[new_index..new_index + new_len].iter().map(Fate::Added));
            }
        }
    }
    out
}

/// The redline of `old` against `new`: only the clauses that changed, each
/// under its (new) heading, with a count of what changed first.
pub fn redline(old: &Document, new: &Document, title: String) -> Document {
    let (old_units, new_units) = (units(old), units(new));
    let mut body = Vec::new();
    let (mut changed, mut added, mut removed) = (0, 0, 0);
    for fate in fates(&old_units, &new_units) {
        let (unit, note, lines) = match fate {
            Fate::Kept(o, n) => {
                let (a, b) = (o.lines.join("\n"), n.lines.join("\n"));
                if a == b && unnumbered(&o.heading) == unnumbered(&n.heading) {
                    continue;
                }
                changed += 1;
                let mut lines = word_diff(&a, &b);
                if unnumbered(&o.heading) != unnumbered(&n.heading) {
                    lines.insert(0, word_diff(&o.heading, &n.heading).remove(0));
                }
                (n, "", lines)
            }
            Fate::Added(n) => {
                added += 1;
                (n, " (added)", word_diff("", &n.lines.join("\n")))
            }
            Fate::Removed(o) => {
                removed += 1;
                (o, " (removed)", word_diff(&o.lines.join("\n"), ""))
            }
        };
        body.push(Block::Heading {
            level: unit.level,
            line: Line::text(format!("{}{note}", unit.heading)),
            anchor: None,
        });
        body.extend(lines.into_iter().map(Block::Paragraph));
    }
    let mut d = Document {
        title: title.clone(),
        blocks: Vec::new(),
    };
    d.heading(1, title);
    let summary = if changed + added + removed == 0 {
        "The two versions say the same: no clause changed.".to_string()
    } else {
        format!(
            "{changed} clause(s) changed, {added} added, {removed} removed; unchanged clauses are not shown. Deleted text is struck through, inserted text is marked."
        )
    };
    d.paragraph(summary);
    d.blocks.extend(body);
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| {
                l.0.iter()
                    .map(|s| match s {
                        Span::Text(t) => t.clone(),
                        Span::Removed(t) => format!("[-{t}-]"),
                        Span::Inserted(t) => format!("{{+{t}+}}"),
                        _ => unreachable!(),
                    })
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn words_change_in_place_and_neighbours_join() {
        let d = word_diff(
            "at most 1 hour of Berlin time",
            "at most 2 hours of Berlin time",
        );
        assert_eq!(show(&d), "at most [-1 hour-]{+2 hours+} of Berlin time");
        let d = word_diff("a\nb c", "a\nb d\ne");
        assert_eq!(show(&d), "a\nb [-c-]{+d+}\n{+e+}");
    }
}
