//! Positions: the LSP counts lines from 0 and columns in UTF-16 code units;
//! slac counts bytes. `SourceFile` knows both; these wrap it in LSP types.

use crate::source::{SourceFile, Span};
use lsp_types::{Position, Range};

pub fn position(file: &SourceFile, offset: usize) -> Position {
    let (line, character) = file.line_utf16(offset);
    Position { line, character }
}

pub fn range(file: &SourceFile, span: Span) -> Range {
    Range {
        start: position(file, span.start),
        end: position(file, span.end.max(span.start)),
    }
}

/// The byte offset of a position; positions past a line's end or the
/// file's end are clamped, so any position a client sends is safe.
pub fn offset(file: &SourceFile, pos: Position) -> usize {
    file.offset_of_utf16(pos.line, pos.character)
}

/// The range covering the whole text.
pub fn whole(file: &SourceFile) -> Range {
    range(file, Span::new(0, file.text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_round_trip_and_clamp() {
        let f = SourceFile::new("t", "a😀b\nü\n");
        let b = f.text.find('b').unwrap();
        assert_eq!(position(&f, b), Position::new(0, 3));
        assert_eq!(offset(&f, Position::new(0, 3)), b);
        // Inside the surrogate pair: the next character.
        assert_eq!(offset(&f, Position::new(0, 2)), b);
        assert_eq!(offset(&f, Position::new(0, 99)), b + 1);
        assert_eq!(offset(&f, Position::new(99, 0)), f.text.len());
        assert_eq!(whole(&f).end, Position::new(2, 0));
    }
}
