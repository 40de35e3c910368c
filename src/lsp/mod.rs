//! `slac lsp`: the language server editors talk to over stdio.
//!
//! One file per group of LSP methods: `server` (the loop and dispatch),
//! `documents` (open buffers, file URIs), `diagnostics`, `hover`,
//! `definition` (definition and references), `completion`, `symbols`,
//! `formatting`. `world` parses and indexes the files a request needs and
//! resolves names across imports; `context` reads the cursor's surroundings
//! from text that may not parse; `position` converts UTF-16 positions.
//! Everything it knows about the language comes from the pure core: the
//! checker for diagnostics, `syntax::index` for names, `syntax::keywords`
//! for keyword help, `fmt` for formatting.

mod completion;
mod context;
mod definition;
mod diagnostics;
mod documents;
mod formatting;
mod hover;
mod position;
mod server;
mod symbols;
mod world;

pub use diagnostics::check_document;
pub use server::capabilities;

/// Serves one editor session over standard input and output.
pub fn run() -> Result<(), String> {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    server::serve(&connection)?;
    drop(connection);
    io_threads.join().map_err(|e| e.to_string())
}
