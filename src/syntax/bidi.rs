//! Invisible text-direction controls ("Trojan Source", CVE-2021-42574):
//! U+202A-U+202E (embeddings and overrides) and U+2066-U+2069 (isolates)
//! make an editor or a code review show text in another order than the
//! one slac reads, so that `"care@agency.example"` can display as something
//! else, or a comment can seem to end where it does not. Each one in a
//! string, a comment or anywhere else is a warning (W0008), as rustc's
//! `text_direction_codepoint_in_literal` lint does.
//!
//! The marks U+200E and U+200F are not warned about: they only place
//! neutral characters (punctuation) next to right-to-left text, cannot
//! reorder a run, and real Arabic or Hebrew titles need them. Terminal
//! output shows all of them escaped anyway (`crate::text::visible`).

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// The controls warned about, with their names.
pub fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Place {
    Code,
    String,
    Comment,
}

/// One warning per text-direction control in `src`.
pub fn check(file: FileId, src: &str) -> Vec<Diagnostic> {
    if !src.chars().any(|c| name(c).is_some()) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut place = Place::Code;
    let mut chars = src.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if let Some(what) = name(c) {
            out.push(warning(file, i, c, what, place));
            continue;
        }
        match (place, c) {
            (Place::Code, '/') if chars.peek().map(|p| p.1) == Some('/') => place = Place::Comment,
            (Place::Code, '"') => place = Place::String,
            (Place::String, '\\') => {
                // The escaped character cannot end the string; a control
                // right after the backslash is still reported next turn.
                if chars.peek().is_some_and(|p| name(p.1).is_none()) {
                    chars.next();
                }
            }
            (Place::String, '"') | (Place::String | Place::Comment, '\n') => place = Place::Code,
            _ => {}
        }
    }
    out
}

fn warning(file: FileId, at: usize, c: char, what: &str, place: Place) -> Diagnostic {
    let code = format!("U+{:04X}", c as u32);
    let (where_, help) = match place {
        Place::String => (
            "a string",
            format!(
                "remove it; if the text needs it, write it as the escape `\\u{{{:x}}}`, which stays visible",
                c as u32
            ),
        ),
        Place::Comment => ("a comment", "remove it".to_string()),
        Place::Code => ("the source", "remove it".to_string()),
    };
    Diagnostic::new(
        Code::W0008,
        format!("invisible text-direction control `{code}` ({what}) in {where_}"),
        file,
        Span::new(at, at + c.len_utf8()),
    )
    .label("invisible: changes the order in which the text is displayed")
    .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_controls_and_says_where() {
        let src = "// a \u{202e} b\nx \"s \u{2066}\\\"\u{2069}\" \u{202d} \"\\u{202e}\" \u{200f}";
        let d = check(FileId(0), src);
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "invisible text-direction control `U+202E` (right-to-left override) in a comment",
                "invisible text-direction control `U+2066` (left-to-right isolate) in a string",
                "invisible text-direction control `U+2069` (pop directional isolate) in a string",
                "invisible text-direction control `U+202D` (left-to-right override) in the source",
            ]
        );
        assert_eq!(
            &src[d[0].primary.span.start..d[0].primary.span.end],
            "\u{202e}"
        );
        assert!(check(FileId(0), "plain \"text\" // é").is_empty());
    }
}
