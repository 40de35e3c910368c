//! slac: SLA-as-code for social media service level agreements.
//!
//! The pipeline: `syntax` parses `.sla` text to an AST, `check` resolves and
//! type-checks it into a `model::Model`, and `emit` compiles the model to
//! YAML for monitoring tools. Only the doors (`cli`, `lsp`) do I/O, through
//! the one `workspace` module that finds and reads files for all of them.

// A clause checker reads best as `Clause::X(..) => if once(..) { .. }`:
// folding the side-effecting `once` into a match guard would hide it.
#![allow(clippy::collapsible_match)]
// Checks return `Result<T, Diagnostic>`; diagnostics are the cold path and
// boxing every one would only add noise.
#![allow(clippy::result_large_err)]

pub mod business_day;
pub mod check;
pub mod cli;
pub mod clock;
pub mod diagnostics;
pub mod diff;
pub mod document;
pub mod emit;
pub mod fmt;
pub mod lsp;
pub mod model;
pub mod parallel;
pub mod render;
pub mod report;
pub mod serve;
pub mod source;
pub mod stdlib;
pub mod store;
pub mod syntax;
pub mod text;
pub mod workspace;
