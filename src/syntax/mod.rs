//! Parsing: `.sla` text to the typed AST (`ast`), with syntax errors as
//! diagnostics. Comments are not in the AST; `trivia` collects them for the
//! formatter.

pub mod ast;
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

/// Parses one file. On a syntax error the result is the error alone: pest
/// does not recover, so there is no partial tree.
pub fn parse(file: FileId, text: &str) -> Result<ast::File, Diagnostic> {
    match SlacParser::parse(Rule::file, text) {
        Ok(mut pairs) => Ok(lower::file(pairs.next().expect("file rule"))),
        Err(e) => Err(syntax_error::convert(file, text, e)),
    }
}
