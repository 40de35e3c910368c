//! Parsing: `.sla` text to the typed AST (`ast`), with syntax errors as
//! diagnostics. Comments are not in the AST; `trivia` collects them for the
//! formatter.

pub mod ast;
pub mod bidi;
mod chunks;
pub mod escapes;
pub mod grammar;
pub mod index;
pub mod keywords;
mod lower;
mod syntax_error;

pub use lower::unescape;

use crate::diagnostics::Diagnostic;
use crate::source::FileId;
use grammar::{Rule, SlacParser};
use pest::Parser;

/// Rule calls pest may make in one parse. Real files need at most about 16
/// calls a byte (a file of nothing but one-line goals), so twice that for the
/// largest file slac accepts is never reached by real input; it bounds any
/// input that would make the parser backtrack without end. pest holds the
/// limit process-wide, hence one fixed value rather than one per file.
pub const CALL_BUDGET: usize = 32 * crate::source::MAX_SOURCE_BYTES;

/// Parses one file. On a syntax error the result is the error alone: pest
/// does not recover, so there is no partial tree.
pub fn parse(file: FileId, text: &str) -> Result<ast::File, Diagnostic> {
    parse_in_pieces(file, text, chunks::PIECE_BYTES)
}

/// `parse`, with a large file parsed in pieces of at least `piece_bytes`
/// cut between items (`chunks`), which keeps pest's memory to one piece.
/// Any piece that does not parse sends the whole file to the parser, so
/// the error is the one the whole file gives.
pub fn parse_in_pieces(
    file: FileId,
    text: &str,
    piece_bytes: usize,
) -> Result<ast::File, Diagnostic> {
    static BUDGET: std::sync::Once = std::sync::Once::new();
    BUDGET.call_once(|| pest::set_call_limit(std::num::NonZeroUsize::new(CALL_BUDGET)));
    let pieces = chunks::pieces(text, piece_bytes);
    if pieces.len() > 1 {
        let mut items = Vec::new();
        let whole = pieces.into_iter().all(|r| {
            let parsed = SlacParser::parse(Rule::file, &text[r.clone()]);
            parsed
                .map(|mut p| lower::items_at(p.next().expect("file rule"), r.start, &mut items))
                .is_ok()
        });
        if whole {
            return Ok(ast::File { items });
        }
    }
    match SlacParser::parse(Rule::file, text) {
        Ok(mut pairs) => Ok(lower::file(pairs.next().expect("file rule"))),
        Err(e) => Err(syntax_error::convert(file, text, e)),
    }
}
