//! `slac lsp`: hands standard input and output to the language server.

use super::{fail, EXIT_OK};

pub fn run() -> u8 {
    match crate::lsp::run() {
        Ok(()) => EXIT_OK,
        Err(e) => fail(format!("language server: {e}")),
    }
}
