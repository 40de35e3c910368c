//! Text that leaves slac for a terminal or a Markdown reader.
//!
//! `.sla` strings, CSV cells and file names are data from whoever wrote
//! them, and slac prints them: in diagnostics, source snippets, reports and
//! diffs. Two things must never reach the reader as they were written:
//! - control characters (ESC starts terminal escape sequences that can
//!   rewrite the screen, set the window title or hide text; C1 controls and
//!   bidirectional overrides reorder what is shown): [`visible`] writes them
//!   as `\u{1b}`, the way Rust's `{:?}` does. Every text renderer passes its
//!   data through it (JSON and SARIF escape them anyway);
//! - Markdown syntax (headings, HTML, links, code-span fences) that would
//!   turn a cell into structure: [`markdown`] escapes it.

use std::borrow::Cow;

/// A character that a terminal or a text viewer would act on rather than
/// show: C0 controls but tab and line feed, DEL, C1 controls, bidirectional
/// embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the
/// marks U+200E and U+200F, and the line and paragraph separators.
pub fn is_hidden_control(c: char) -> bool {
    matches!(c,
        '\0'..='\x08' | '\x0b'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every hidden control written out as `\u{..}`; a carriage
/// return is kept only right before a line feed (CRLF files).
pub fn visible(s: &str) -> Cow<'_, str> {
    visible_mapped(s).0
}

/// [`visible`], plus a map from byte offsets in `s` to offsets in the
/// result, for spans that point into the text.
pub fn visible_mapped(s: &str) -> (Cow<'_, str>, OffsetMap) {
    let needs = |i: usize, c: char| match c {
        '\r' => s.as_bytes().get(i + 1) != Some(&b'\n'),
        c => is_hidden_control(c),
    };
    if !s.char_indices().any(|(i, c)| needs(i, c)) {
        return (Cow::Borrowed(s), OffsetMap::default());
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut shifts = Vec::new();
    for (i, c) in s.char_indices() {
        if needs(i, c) {
            let before = out.len();
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
            shifts.push((i + c.len_utf8(), out.len() - before - c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    (Cow::Owned(out), OffsetMap { shifts })
}

/// Where byte offsets moved when controls were written out.
#[derive(Debug, Default)]
pub struct OffsetMap {
    /// (old offset just after a replaced character, bytes added by it).
    shifts: Vec<(usize, usize)>,
}

impl OffsetMap {
    pub fn map(&self, offset: usize) -> usize {
        let added: usize = self
            .shifts
            .iter()
            .take_while(|(at, _)| *at <= offset)
            .map(|(_, n)| n)
            .sum();
        offset + added
    }
}

/// Markdown (CommonMark with GitHub's tables) that cannot be broken out of.
pub mod markdown {
    /// Plain text for a heading, a table cell, a list item or a paragraph:
    /// inline syntax is backslash-escaped, `<`, `>` and `&` become entities
    /// (no raw HTML, no autolinks), line breaks become spaces, and a start
    /// that would open a block (`- `, `+ `, `1. `, `=`) is escaped.
    pub fn text(s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 8);
        let start = s.trim_start();
        let digits = start.bytes().take_while(u8::is_ascii_digit).count();
        let list_number = digits > 0
            && matches!(start.as_bytes().get(digits), Some(b'.' | b')'))
            && matches!(start.as_bytes().get(digits + 1), None | Some(b' ' | b'\t'));
        let lead = s.len() - start.len();
        for (i, c) in s.char_indices() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '\n' | '\r' | '\t' => out.push(' '),
                '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' | '$' | '!' => {
                    out.push('\\');
                    out.push(c);
                }
                '-' | '+' | '=' if i == lead => {
                    out.push('\\');
                    out.push(c);
                }
                '.' | ')' if list_number && i == lead + digits => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
        out
    }

    /// An inline code span around `s`, for prose: the fence is one backtick
    /// longer than the longest run inside, so no content closes it.
    pub fn code(s: &str) -> String {
        let s: String = s
            .chars()
            .map(|c| if matches!(c, '\n' | '\r') { ' ' } else { c })
            .collect();
        let mut longest = 0;
        let mut run = 0;
        for c in s.chars() {
            run = if c == '`' { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        let fence = "`".repeat(longest + 1);
        let pad = s.starts_with('`')
            || s.ends_with('`')
            || (s.starts_with(' ') && s.ends_with(' ') && !s.trim().is_empty());
        if s.is_empty() {
            return "` `".into();
        }
        let pad = if pad { " " } else { "" };
        format!("{fence}{pad}{s}{pad}{fence}")
    }

    /// A code span for a table cell. A `|` would end the cell even inside
    /// a code span (and `\|` would show its backslash outside tables), so a
    /// value with one is written as escaped plain text instead.
    pub fn code_cell(s: &str) -> String {
        if s.contains('|') {
            text(s)
        } else {
            code(s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::markdown::{code, code_cell, text};
    use super::*;

    #[test]
    fn controls_are_written_out() {
        assert_eq!(visible("a\x1b]0;x\x07b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(visible("ok\ttab\nline\r\n"), "ok\ttab\nline\r\n");
        assert_eq!(visible("lone\rcr"), "lone\\u{d}cr");
        assert_eq!(visible("\u{9b}2J \u{202e}x"), "\\u{9b}2J \\u{202e}x");
        assert!(matches!(visible("plain é 😀"), Cow::Borrowed(_)));
        let s = "ab\x1bcd";
        let (v, map) = visible_mapped(s);
        assert_eq!(&v[map.map(4)..map.map(5)], "d");
        assert_eq!(map.map(2), 2);
        assert_eq!(&v[map.map(2)..map.map(3)], "\\u{1b}");
    }

    #[test]
    fn markdown_text_cannot_open_structure() {
        assert_eq!(
            text("## Credits <img src=x onerror=alert(1)> & [a](b) `x` |"),
            "\\#\\# Credits &lt;img src=x onerror=alert(1)&gt; &amp; \\[a\\](b) \\`x\\` \\|"
        );
        assert_eq!(text("- item"), "\\- item");
        assert_eq!(text("12. x"), "12\\. x");
        assert_eq!(text("a\nb"), "a b");
        assert_eq!(text("1.5% - 2"), "1.5% - 2");
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code("ev-1"), "`ev-1`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code(""), "` `");
        assert_eq!(code_cell("a|b"), "a\\|b");
    }
}
