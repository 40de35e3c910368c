//! Where the cursor is, read from the text alone: which blocks enclose it,
//! the words before it, and the names the file declares. Completion runs
//! while a file is half typed, when the parser has no tree to offer, so this
//! is a forgiving token scan instead: braces nest blocks, and the keyword
//! before each `{` says what kind of block it opens.

use crate::source::Span;
use crate::syntax::index::SymbolKind;
use crate::syntax::keywords::Block;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Str,
    Punct,
}

#[derive(Clone, Copy, Debug)]
pub struct Tok<'t> {
    pub kind: TokKind,
    pub text: &'t str,
    pub span: Span,
}

/// A block: its kind (`None` when the scan cannot tell), the name after its
/// keyword, and the agreement it belongs to.
#[derive(Clone, Debug)]
pub struct Frame {
    pub block: Option<Block>,
    pub name: Option<String>,
    /// From just after `{` to `}` (or the end of the text when unclosed).
    pub body: Span,
    /// Which agreement of the file (0, 1, ...) encloses the block.
    pub agreement: Option<usize>,
}

/// A name the text declares, found by its clause's shape.
#[derive(Clone, Debug)]
pub struct ScannedDecl {
    pub kind: SymbolKind,
    /// Tiers are `escalation.tier`.
    pub name: String,
    /// What completion shows beside it (`role of bright`).
    pub detail: Option<String>,
    pub agreement: Option<usize>,
}

pub struct Scan<'t> {
    pub text: &'t str,
    pub tokens: Vec<Tok<'t>>,
    pub comments: Vec<Span>,
    pub frames: Vec<Frame>,
    pub decls: Vec<ScannedDecl>,
}

/// The cursor's surroundings.
pub struct Context<'s, 't> {
    /// Enclosing blocks, innermost last; never empty (the file).
    pub frames: Vec<&'s Frame>,
    /// Tokens of the innermost block before the word under the cursor.
    pub before: &'s [Tok<'t>],
    /// The part of a word typed so far (may be empty).
    pub prefix: Span,
    /// The string literal the cursor is in.
    pub string: Option<Tok<'t>>,
    pub in_comment: bool,
}

impl Context<'_, '_> {
    pub fn block(&self) -> Option<Block> {
        self.frames.last().and_then(|f| f.block)
    }
    pub fn agreement(&self) -> Option<usize> {
        self.frames.last().and_then(|f| f.agreement)
    }
    /// The `n`th token before the cursor (0 is the nearest).
    pub fn prev(&self, n: usize) -> Option<&str> {
        let len = self.before.len();
        (n < len).then(|| self.before[len - 1 - n].text)
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'%' | b':')
}

fn tokenize(text: &str) -> (Vec<Tok<'_>>, Vec<Span>) {
    let b = text.as_bytes();
    let (mut toks, mut comments) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let kind = match b[i] {
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                comments.push(Span::new(start, i));
                continue;
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' && b[i] != b'\n' {
                    i += if b[i] == b'\\' && b.get(i + 1).is_some_and(|c| *c != b'\n') {
                        2
                    } else {
                        1
                    };
                }
                if i < b.len() && b[i] == b'"' {
                    i += 1;
                }
                TokKind::Str
            }
            c if is_word(c) => {
                while i < b.len() && is_word(b[i]) {
                    i += 1;
                }
                TokKind::Word
            }
            _ => {
                // One character, whole (the text may hold any Unicode).
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                TokKind::Punct
            }
        };
        let i = i.min(b.len());
        toks.push(Tok {
            kind,
            text: &text[start..i],
            span: Span::new(start, i),
        });
    }
    (toks, comments)
}

fn block_of(word: &str) -> Option<Block> {
    Some(match word {
        "agreement" => Block::Agreement,
        "calendar" => Block::Calendar,
        "metric" => Block::Metric,
        "holidays" => Block::Holidays,
        "enum" => Block::Enum,
        "role" => Block::Role,
        "guidelines" => Block::Guidelines,
        "responsibility" => Block::Responsibility,
        "goal" => Block::Goal,
        "breach" => Block::Breach,
        "approval" => Block::Approval,
        "step" => Block::Step,
        "escalation" => Block::Escalation,
        "tier" => Block::Tier,
        "communication" => Block::Communication,
        _ => return None,
    })
}

/// The blocks that may open inside `parent`.
fn children(parent: Option<Block>) -> &'static [Block] {
    use Block::*;
    match parent {
        Some(File) => &[Agreement, Calendar, Metric, Holidays, Enum],
        Some(Agreement) => &[
            Role,
            Guidelines,
            Responsibility,
            Goal,
            Approval,
            Escalation,
            Communication,
        ],
        Some(Goal) => &[Breach],
        Some(Approval) => &[Step],
        Some(Escalation) => &[Tier],
        _ => &[],
    }
}

/// How many tokens a block's header has between its keyword and `{`:
/// `goal ID "Title" {` has 2; several counts when parts are optional.
fn header_lengths(block: Block) -> &'static [usize] {
    use Block::*;
    match block {
        Agreement | Metric | Holidays | Goal | Approval | Escalation => &[2],
        Calendar | Enum => &[1, 2],
        Role => &[3],
        Responsibility | Step | Tier => &[1],
        Guidelines | Communication | Breach | File => &[0],
    }
}

/// Which block a `{` opens, from the tokens since the previous brace: the
/// keyword whose header shape ends right at the brace, else (a header typed
/// halfway) the nearest keyword that may open a block here.
fn opener(parent: Option<Block>, header: &[Tok]) -> Option<(Block, usize)> {
    let allowed = children(parent);
    let n = header.len();
    for (k, t) in header.iter().enumerate().rev().take(4) {
        if let Some(b) = block_of(t.text).filter(|b| allowed.contains(b)) {
            if header_lengths(b).contains(&(n - 1 - k)) {
                return Some((b, k));
            }
        }
    }
    header.iter().enumerate().rev().take(4).find_map(|(k, t)| {
        block_of(t.text)
            .filter(|b| allowed.contains(b))
            .map(|b| (b, k))
    })
}

pub fn scan(text: &str) -> Scan<'_> {
    let (tokens, comments) = tokenize(text);
    let mut frames = vec![Frame {
        block: Some(Block::File),
        name: None,
        body: Span::new(0, text.len()),
        agreement: None,
    }];
    let mut stack = vec![0usize];
    let mut decls = Vec::new();
    let mut agreements = 0;
    let mut since_brace = 0;
    for (i, t) in tokens.iter().enumerate() {
        let top = *stack.last().expect("the file frame stays");
        match t.text {
            "{" => {
                let header = &tokens[since_brace..i];
                let found = opener(frames[top].block, header);
                let block = found.map(|(b, _)| b);
                let name = found
                    .and_then(|(_, k)| header.get(k + 1))
                    .filter(|t| t.kind == TokKind::Word)
                    .map(|t| t.text.to_string());
                let agreement = if block == Some(Block::Agreement) {
                    agreements += 1;
                    Some(agreements - 1)
                } else {
                    frames[top].agreement
                };
                frames.push(Frame {
                    block,
                    name,
                    body: Span::new(t.span.end, text.len()),
                    agreement,
                });
                stack.push(frames.len() - 1);
                since_brace = i + 1;
            }
            "}" => {
                if stack.len() > 1 {
                    frames[top].body.end = t.span.start;
                    stack.pop();
                }
                since_brace = i + 1;
            }
            _ => {
                if let Some(d) = declared(&frames[top], &tokens[i..]) {
                    decls.push(d);
                }
            }
        }
    }
    Scan {
        text,
        tokens,
        comments,
        frames,
        decls,
    }
}

/// A declaration starting at `toks[0]`, recognised by its clause's shape.
fn declared(frame: &Frame, toks: &[Tok]) -> Option<ScannedDecl> {
    let word = |i: usize| {
        toks.get(i)
            .filter(|t| t.kind == TokKind::Word)
            .map(|t| t.text)
    };
    let is_str = |i: usize| toks.get(i).is_some_and(|t| t.kind == TokKind::Str);
    let first = word(0)?;
    if frame.block? == Block::File && first == "import" && is_str(1) && word(2) == Some("as") {
        return Some(ScannedDecl {
            kind: SymbolKind::Import,
            name: word(3)?.to_string(),
            detail: Some(toks[1].text.to_string()),
            agreement: None,
        });
    }
    let id = word(1)?;
    let (kind, detail) = match (frame.block?, first) {
        (Block::File, "calendar") => (SymbolKind::Calendar, None),
        (Block::File, "metric") if is_str(2) => (SymbolKind::Metric, None),
        (Block::File, "holidays") if is_str(2) => (SymbolKind::Holidays, None),
        (Block::File, "enum") => (SymbolKind::Enum, None),
        (Block::Agreement, "client" | "provider" | "vendor") if is_str(2) => {
            (SymbolKind::Party, Some(format!("{first} {}", toks[2].text)))
        }
        (Block::Agreement, "role") if word(2) == Some("of") => {
            (SymbolKind::Role, word(3).map(|p| format!("role of {p}")))
        }
        (Block::Agreement, "audience") if is_str(2) => {
            (SymbolKind::Audience, Some(toks[2].text.to_string()))
        }
        (Block::Agreement, "platform") if is_str(2) => {
            (SymbolKind::Platform, Some(toks[2].text.to_string()))
        }
        (Block::Agreement, "escalation") => (SymbolKind::Escalation, None),
        (Block::Escalation, "tier") => {
            let esc = frame.name.as_deref()?;
            return Some(ScannedDecl {
                kind: SymbolKind::Tier,
                name: format!("{esc}.{id}"),
                detail: Some("tier".into()),
                agreement: frame.agreement,
            });
        }
        _ => return None,
    };
    Some(ScannedDecl {
        kind,
        name: id.to_string(),
        detail,
        agreement: frame.agreement,
    })
}

impl<'t> Scan<'t> {
    /// The names of `kind` declared in the file (for agreement-level kinds,
    /// in agreement `agreement`).
    pub fn names(
        &self,
        kind: SymbolKind,
        agreement: Option<usize>,
    ) -> impl Iterator<Item = &ScannedDecl> {
        self.decls
            .iter()
            .filter(move |d| d.kind == kind && (kind.is_file_level() || d.agreement == agreement))
    }

    pub fn context(&self, offset: usize) -> Context<'_, 't> {
        let offset = offset.min(self.text.len());
        let mut frames: Vec<&Frame> = self
            .frames
            .iter()
            .filter(|f| f.body.start <= offset && offset <= f.body.end)
            .collect();
        frames.sort_by_key(|f| f.body.start);
        let inner = frames.last().map_or(0, |f| f.body.start);
        let in_comment = self
            .comments
            .iter()
            .any(|c| c.start < offset && offset <= c.end);
        // Tokens wholly before the cursor, and the one it is in or at the end of.
        let upto = self.tokens.partition_point(|t| t.span.end < offset);
        let at = self.tokens.get(upto).filter(|t| t.span.start < offset);
        let mut prefix = Span::new(offset, offset);
        let mut string = None;
        let mut end = upto;
        if let Some(t) = at {
            match t.kind {
                TokKind::Word => {
                    prefix = Span::new(t.span.start, offset);
                }
                // Inside a string, or just after an unterminated one.
                TokKind::Str if t.span.end > offset || !closed(t.text) => {
                    string = Some(*t);
                }
                _ => end = upto + 1,
            }
        }
        let from = self.tokens.partition_point(|t| t.span.start < inner);
        Context {
            frames,
            before: &self.tokens[from.min(end)..end],
            prefix,
            string,
            in_comment,
        }
    }
}

fn closed(s: &str) -> bool {
    s.len() >= 2 && s.ends_with('"') && !s.ends_with("\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"import "cal.sla" as cal
agreement a "A" {
  client c "C"
  provider p "P"
  role care of p { email "x" }
  goal g "G" {
    metric response_time
    owner 
    on breach { escalate  }
  }
  escalation crisis "Crisis" {
    tier minor { notify care }
  }
  goal h { clock
"#;

    fn ctx_at(marker: &str) -> (Option<Block>, Vec<String>) {
        let s = scan(SRC);
        let c = s.context(SRC.find(marker).unwrap() + marker.len());
        let before = c.before.iter().map(|t| t.text.to_string()).collect();
        (c.block(), before)
    }

    #[test]
    fn blocks_nest_by_their_keywords() {
        assert_eq!(ctx_at("owner ").0, Some(Block::Goal));
        assert_eq!(ctx_at("owner ").1.last().unwrap(), "owner");
        assert_eq!(ctx_at("escalate ").0, Some(Block::Breach));
        assert_eq!(ctx_at("notify ").0, Some(Block::Tier));
        // A header typed halfway (no title yet) still opens a goal.
        assert_eq!(ctx_at("clock").0, Some(Block::Goal));
        assert_eq!(ctx_at("client c \"C\"\n").0, Some(Block::Agreement));
    }

    #[test]
    fn declarations_are_found_by_shape() {
        let s = scan(SRC);
        let names: Vec<(SymbolKind, &str)> =
            s.decls.iter().map(|d| (d.kind, d.name.as_str())).collect();
        assert!(names.contains(&(SymbolKind::Import, "cal")));
        assert!(names.contains(&(SymbolKind::Role, "care")));
        assert!(names.contains(&(SymbolKind::Party, "p")));
        assert!(names.contains(&(SymbolKind::Tier, "crisis.minor")));
        assert_eq!(s.names(SymbolKind::Role, Some(0)).count(), 1);
        assert_eq!(s.names(SymbolKind::Role, Some(1)).count(), 0);
    }

    #[test]
    fn prefixes_strings_and_comments() {
        let text = "calendar c {\n  timezone \"Europe/Be\n  // open mon\n  clo";
        let s = scan(text);
        let c = s.context(text.find("/Be").unwrap() + 3);
        assert_eq!(c.string.unwrap().text, "\"Europe/Be");
        assert!(s.context(text.find("mon").unwrap()).in_comment);
        let c = s.context(text.len());
        assert_eq!(&text[c.prefix.start..c.prefix.end], "clo");
        assert_eq!(c.block(), Some(Block::Calendar));
    }

    #[test]
    fn anything_scans() {
        for text in ["", "}}}{{{", "\"", "é{\"\\", "{ { { a } ] [ ", "\u{0}\u{1}"] {
            let s = scan(text);
            for i in 0..=text.len() {
                let _ = s.context(i);
            }
        }
    }
}
