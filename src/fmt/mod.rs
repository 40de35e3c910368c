//! `slac fmt`: the canonical layout of `.sla` files.
//!
//! The formatter prints the syntax tree back in one layout and puts every
//! comment back next to the clause it was written at. It then proves it
//! changed nothing but layout: the formatted text must parse to the same tree
//! (rule for rule, token for token) with the same comments in the same order.
//! A file with syntax errors is left untouched.

mod printer;
pub mod trivia;

use crate::diagnostics::Diagnostic;
use crate::source::FileId;
use crate::syntax::{self, grammar::Rule, grammar::SlacParser};
use pest::Parser;

#[derive(Debug)]
pub enum FormatError {
    /// The input does not parse; it is left as it is.
    Syntax(Box<Diagnostic>),
    /// The formatted text would not mean the same: a bug in the formatter,
    /// reported instead of writing anything.
    Unsafe(String),
}

/// Formats a whole file.
pub fn format(file: FileId, src: &str) -> Result<String, FormatError> {
    let ast = syntax::parse(file, src).map_err(|d| FormatError::Syntax(Box::new(d)))?;
    let out = printer::Printer::new(src, trivia::comments(src)).file(&ast);
    // Text already in the canonical layout has nothing to prove: the
    // re-parses of the proof would be two thirds of the time.
    if out != src {
        verify(src, &out).map_err(FormatError::Unsafe)?;
    }
    Ok(out)
}

/// Proves `after` has the same syntax tree and comments as `before`.
pub fn verify(before: &str, after: &str) -> Result<(), String> {
    let a = fingerprint(before).ok_or("the input does not parse")?;
    let b = fingerprint(after).ok_or("the formatted text does not parse")?;
    if let Some(i) = (0..a.len().max(b.len())).find(|i| a.get(*i) != b.get(*i)) {
        return Err(format!(
            "the formatted text parses differently at token {i}: {:?} became {:?}",
            a.get(i),
            b.get(i)
        ));
    }
    let (ca, cb) = (trivia::comments(before), trivia::comments(after));
    let ta: Vec<&str> = ca.iter().map(|c| c.text.as_str()).collect();
    let tb: Vec<&str> = cb.iter().map(|c| c.text.as_str()).collect();
    if ta != tb {
        return Err("the formatted text lost, changed or reordered a comment".into());
    }
    Ok(())
}

/// The parse tree in preorder: each rule, and the text of leaf tokens (doc
/// comments compared by their words, since `///x` prints as `/// x`).
fn fingerprint(src: &str) -> Option<Vec<(Rule, String)>> {
    let pairs = SlacParser::parse(Rule::file, src).ok()?;
    let mut out = Vec::new();
    for p in pairs.flatten() {
        let leaf = p.clone().into_inner().next().is_none();
        let text = match (leaf, p.as_rule()) {
            (true, Rule::doc) => p.as_str()[3..].trim().to_string(),
            (true, _) => p.as_str().to_string(),
            (false, _) => String::new(),
        };
        out.push((p.as_rule(), text));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        format(FileId(0), s).unwrap()
    }

    #[test]
    fn canonical_layout() {
        let src = "agreement  a \"A\"{client c \"C\"\n\n\n provider p \"P\" effective 2026-01-01 to 2026-02-01 role r of p {email \"e\"}}";
        assert_eq!(
            fmt(src),
            "agreement a \"A\" {\n  client c \"C\"\n\n  provider p \"P\"\n  effective 2026-01-01 to 2026-02-01\n  role r of p { email \"e\" }\n}\n"
        );
    }

    #[test]
    fn comments_stay_with_their_clause() {
        let src = "// top\n\n/// doc\ncalendar c { // head\n  timezone \"UTC\" // tz\n  // before open\n  open mon 09:00-10:00\n  // end of block\n} // after\n// tail\n";
        assert_eq!(fmt(src), src);
    }

    #[test]
    fn empty_and_comment_only_files() {
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("// a\n\n\n// b\n"), "// a\n\n// b\n");
    }

    #[test]
    fn syntax_errors_are_refused() {
        assert!(matches!(
            format(FileId(0), "agreement {"),
            Err(FormatError::Syntax(_))
        ));
    }

    #[test]
    fn verify_catches_changed_meaning() {
        assert!(verify(
            "calendar c { timezone \"UTC\" }",
            "calendar d { timezone \"UTC\" }"
        )
        .is_err());
        assert!(verify("// x\ncalendar c {}", "calendar c {}").is_err());
    }
}
