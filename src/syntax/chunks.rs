//! Where a large file may be cut between top-level items, so that pest's
//! token queue (about 16 bytes for every byte of source) is held for one
//! piece at a time instead of for the whole file.
//!
//! The cut is only ever a shortcut: `parse` uses the pieces when every one
//! of them parses, and otherwise parses the whole file again, so a syntax
//! error reads exactly as it would without cutting. When every piece parses,
//! the file is the same sequence of items: items end with `}` or, for an
//! import, with its alias, so no item reaches past a cut at a line start.

use std::ops::Range;

/// A piece is cut once it holds at least this many bytes; a file smaller
/// than that is parsed whole.
pub const PIECE_BYTES: usize = 64 * 1024;

/// Byte ranges covering `text` in order, cut only at the start of a line
/// that opens an item: outside any `{}`, string or comment, starting at
/// column 0 with a letter or `///`, and not after a doc comment (which
/// belongs to the item below it). One range when there is nowhere to cut.
pub fn pieces(text: &str, at_least: usize) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    if bytes.len() <= at_least {
        // Too small for a second piece: not worth a scan.
        #[allow(clippy::single_range_in_vec_init)] // one range, not its items
        return vec![0..bytes.len()];
    }
    let mut cuts = vec![0];
    let mut scan = Scan::default();
    let mut line_start = 0;
    while line_start < bytes.len() {
        let line_end =
            find_byte(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i + 1);
        let line = &bytes[line_start..line_end];
        let last = *cuts.last().expect("starts with 0");
        if line_start - last >= at_least && scan.at_top() && opens_item(line) {
            cuts.push(line_start);
        }
        scan.line(line);
        line_start = line_end;
    }
    cuts.push(bytes.len());
    cuts.windows(2).map(|w| w[0]..w[1]).collect()
}

fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|b| *b == needle)
}

/// Whether a line can start an item: a keyword or a doc comment at column 0.
fn opens_item(line: &[u8]) -> bool {
    line.first().is_some_and(u8::is_ascii_alphabetic) || line.starts_with(b"///")
}

/// Brace depth and doc-comment state, line by line.
#[derive(Default)]
struct Scan {
    depth: i64,
    /// The last line with content was a doc comment.
    after_doc: bool,
    /// Depth went below zero once: the file is broken, so no cut at all.
    broken: bool,
}

impl Scan {
    fn at_top(&self) -> bool {
        self.depth == 0 && !self.after_doc && !self.broken
    }

    fn line(&mut self, line: &[u8]) {
        let trimmed = line.trim_ascii_start();
        if trimmed.starts_with(b"///") {
            self.after_doc = true;
            return;
        }
        if !trimmed.is_empty() && !trimmed.starts_with(b"//") {
            self.after_doc = false;
        }
        let mut i = 0;
        while i < line.len() {
            match line[i] {
                b'"' => i = string_end(line, i + 1),
                b'/' if line.get(i + 1) == Some(&b'/') => return,
                b'{' => self.depth += 1,
                b'}' => {
                    self.depth -= 1;
                    self.broken |= self.depth < 0;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

/// The index of the quote closing a string whose text starts at `i`, or the
/// line's end: strings do not span lines.
fn string_end(line: &[u8], mut i: usize) -> usize {
    while i < line.len() {
        match line[i] {
            b'\\' => i += 2,
            b'"' | b'\n' => return i,
            _ => i += 1,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Vec<&str> {
        cut_at(text, 1)
    }

    fn cut_at(text: &str, at_least: usize) -> Vec<&str> {
        pieces(text, at_least)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn cuts_before_items_and_their_docs() {
        let text = "import \"a\" as a\n\n/// Doc.\n\ncalendar c {\n  open mon 09:00-17:00\n}\nagreement x {\n}\n";
        assert_eq!(
            cut(text),
            [
                "import \"a\" as a\n\n",
                "/// Doc.\n\ncalendar c {\n  open mon 09:00-17:00\n}\n",
                "agreement x {\n}\n"
            ]
        );
    }

    #[test]
    fn never_inside_braces_strings_or_comments() {
        let text = "agreement x \"{\" {\n// }\nclient c \"}\\\"\"\n}\nmetric m {\n}\n";
        assert_eq!(
            cut(text),
            [
                "agreement x \"{\" {\n// }\nclient c \"}\\\"\"\n}\n",
                "metric m {\n}\n"
            ]
        );
    }

    #[test]
    fn a_stray_closing_brace_stops_all_cuts() {
        let text = "}\nagreement x {\n}\nmetric m {\n}\n";
        assert_eq!(cut(text), [text]);
    }

    #[test]
    fn small_pieces_are_not_cut() {
        let text = "metric a {\n}\nmetric b {\n}\n";
        assert_eq!(cut_at(text, 1000), [text]);
    }
}
