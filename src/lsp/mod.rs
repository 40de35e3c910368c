//! `slac lsp`: the language server editors talk to over stdio.
//!
//! One file per group of LSP methods: `server` (the loop and dispatch),
//! `documents` (open buffers, file URIs), `diagnostics`, `hover`,
//! `definition` (definition and references), `completion`, `symbols`,
//! `formatting`. `parsed` is one file parsed and indexed; `world` parses and indexes the files a request needs and
//! resolves names across imports; `context` reads the cursor's surroundings
//! from text that may not parse; `position` converts UTF-16 positions.
//! Everything it knows about the language comes from the pure core: the
//! checker for diagnostics, `syntax::index` for names, `syntax::keywords`
//! for keyword help, `fmt` for formatting.

mod business_days;
mod code_actions;
mod completion;
mod context;
mod definition;
mod diagnostics;
mod documents;
mod formatting;
mod hover;
mod parsed;
mod position;
mod server;
mod symbols;
pub mod transport;
mod world;

pub use diagnostics::check_document;
pub use server::capabilities;

/// Serves one editor session over standard input and output. Returns
/// whether it ended with `shutdown` then `exit` (exit status 0; the
/// protocol asks for 1 otherwise).
pub fn run() -> Result<bool, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    // The reader may block on stdin when the session ends; the process
    // exits without waiting for it.
    std::thread::spawn(move || server::read_events(std::io::stdin().lock(), tx));
    let mut out = std::io::stdout().lock();
    let ended = server::serve(rx, &mut out);
    documents::remove_std_copy();
    ended
}
