//! The three faces of a diff: text for terminals, markdown for pull-request
//! comments, JSON for tools. Each takes the changes grouped by file.

use super::{Change, Effect, Kind};
use crate::text::markdown::{code_cell, text as md};
use crate::text::visible;

/// The changes of one file (or of one pair of files).
pub struct FileChanges {
    /// `a.sla`, or `old.sla → new.sla` for a rename.
    pub name: String,
    pub changes: Vec<Change>,
}

/// How many changes of each effect: stricter, looser, neutral, mixed.
#[derive(Default)]
struct Counts {
    stricter: usize,
    looser: usize,
    neutral: usize,
    mixed: usize,
}

impl Counts {
    fn total(&self) -> usize {
        self.stricter + self.looser + self.neutral + self.mixed
    }
}

fn counts(files: &[FileChanges]) -> Counts {
    let mut n = Counts::default();
    for c in files.iter().flat_map(|f| &f.changes) {
        match c.effect {
            Effect::Stricter => n.stricter += 1,
            Effect::Looser => n.looser += 1,
            Effect::Neutral => n.neutral += 1,
            Effect::Mixed => n.mixed += 1,
        }
    }
    n
}

fn sigil(k: Kind) -> char {
    match k {
        Kind::Added => '+',
        Kind::Removed => '-',
        Kind::Changed => '~',
    }
}

/// Plain text, one line a change; `color` adds ANSI colours by the effect
/// on the client (green better, red worse). Control characters in names
/// and values are written out (`\u{1b}`): only slac's own colours reach the
/// terminal.
pub fn text(files: &[FileChanges], color: bool) -> String {
    let mut out = String::new();
    let n = counts(files);
    if n.total() == 0 {
        out.push_str("no semantic changes\n");
        return out;
    }
    for f in files.iter().filter(|f| !f.changes.is_empty()) {
        out.push_str(&format!("{}\n", visible(&f.name)));
        let mut agreement = "";
        for c in &f.changes {
            if c.agreement != agreement {
                agreement = &c.agreement;
                out.push_str(&format!("  agreement {}\n", visible(agreement)));
            }
            let tag = format!(
                "[provider: {}, client: {}]",
                c.effect.for_provider(),
                c.client
            );
            let tag = match (color, c.effect) {
                (true, Effect::Stricter) => format!("\x1b[32m{tag}\x1b[0m"),
                (true, Effect::Looser) => format!("\x1b[31m{tag}\x1b[0m"),
                (true, Effect::Neutral) => format!("\x1b[2m{tag}\x1b[0m"),
                (true, Effect::Mixed) => format!("\x1b[33m{tag}\x1b[0m"),
                (false, _) => tag,
            };
            out.push_str(&format!(
                "    {} {}  {tag}\n",
                sigil(c.kind),
                visible(&c.summary)
            ));
        }
    }
    let mixed = if n.mixed > 0 {
        format!(", {} mixed", n.mixed)
    } else {
        String::new()
    };
    out.push_str(&format!(
        "{} semantic {}: {} stricter, {} looser, {} neutral{mixed} for the provider\n",
        n.total(),
        if n.total() == 1 { "change" } else { "changes" },
        n.stricter,
        n.looser,
        n.neutral
    ));
    out
}

/// A change's summary in Markdown: the words of `Change::summary`, with the
/// old and new values as code spans that no backtick in them can end.
fn md_summary(c: &Change) -> String {
    let what = match &c.field {
        Some(f) => format!("{}: {}", c.subject, f),
        None => c.subject.clone(),
    };
    let what = md(&what);
    let verb = match c.kind {
        Kind::Added => "added",
        Kind::Removed => "removed",
        Kind::Changed => c.effect.verb(),
    };
    match (&c.old, &c.new, c.kind) {
        (Some(o), Some(n), Kind::Changed) if c.effect == Effect::Mixed => {
            let parts: Vec<String> = c.parts.iter().map(|p| p.describe(code_cell)).collect();
            format!(
                "{what} {verb} from {} to {} (mixed: {})",
                code_cell(o),
                code_cell(n),
                parts.join(", ")
            )
        }
        (Some(o), Some(n), Kind::Changed) => {
            format!("{what} {verb} from {} to {}", code_cell(o), code_cell(n))
        }
        (_, Some(n), Kind::Added) if c.field.is_some() => {
            format!("{what} {verb}: {}", code_cell(n))
        }
        (Some(o), _, Kind::Removed) if c.field.is_some() => {
            format!("{what} {verb} (was {})", code_cell(o))
        }
        (_, Some(n), Kind::Added) => format!("{what} {verb}: {}", md(n)),
        _ => format!("{what} {verb}"),
    }
}

/// A pull-request comment: a summary table, then a table of changes. Names
/// and values are escaped (`crate::text::markdown`) and control characters
/// written out: a title in a pull request cannot add structure to the
/// comment.
pub fn markdown(files: &[FileChanges]) -> String {
    visible(&markdown_unescaped_controls(files)).into_owned()
}

fn markdown_unescaped_controls(files: &[FileChanges]) -> String {
    let n = counts(files);
    let total = n.total();
    let mut out = String::from("### slac diff\n\n");
    if total == 0 {
        out.push_str("No semantic changes: layout, comments and order only.\n");
        return out;
    }
    out.push_str(&format!(
        "{total} semantic {} to the agreements.\n\n",
        if total == 1 { "change" } else { "changes" }
    ));
    out.push_str(
        "| Effect | For the provider | For the client | Changes |\n| --- | --- | --- | ---: |\n",
    );
    out.push_str(&format!(
        "| :arrow_up: | stricter | better | {} |\n",
        n.stricter
    ));
    out.push_str(&format!(
        "| :arrow_down: | looser | worse | {} |\n",
        n.looser
    ));
    if n.mixed > 0 {
        out.push_str(&format!(
            "| :twisted_rightwards_arrows: | mixed | mixed | {} |\n",
            n.mixed
        ));
    }
    out.push_str(&format!(
        "| :left_right_arrow: | neutral | neutral | {} |\n\n",
        n.neutral
    ));
    out.push_str(
        "| File | Agreement | Change | Provider | Client |\n| --- | --- | --- | --- | --- |\n",
    );
    for f in files {
        for c in &f.changes {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                code_cell(&f.name),
                code_cell(&c.agreement),
                md_summary(c),
                c.effect.for_provider(),
                c.client
            ));
        }
    }
    out
}

#[derive(serde::Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    changes: &'a [Change],
}

/// `{"files": [{"file", "changes": [...]}], "summary": {...}}`.
pub fn json(files: &[FileChanges]) -> String {
    let n = counts(files);
    let doc = serde_json::json!({
        "files": files.iter().map(|f| JsonFile { file: &f.name, changes: &f.changes }).collect::<Vec<_>>(),
        "summary": {
            "stricter": n.stricter,
            "looser": n.looser,
            "neutral": n.neutral,
            "mixed": n.mixed,
            "total": n.total(),
        },
    });
    let mut out = serde_json::to_string_pretty(&doc).expect("changes serialise");
    out.push('\n');
    out
}
