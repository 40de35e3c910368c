//! `slac lsp`: hands standard input and output to the language server.

use super::{fail, EXIT_ERRORS, EXIT_OK};

pub fn run() -> u8 {
    match crate::lsp::run() {
        Ok(true) => EXIT_OK,
        // `exit` without `shutdown`, or the client hung up: 1, as the
        // protocol asks.
        Ok(false) => EXIT_ERRORS,
        Err(e) => fail(format!("language server: {e}")),
    }
}
