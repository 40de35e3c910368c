//! slac: SLA-as-code for social media service level agreements.
//!
//! The pipeline: `syntax` parses `.sla` text to an AST, `check` resolves and
//! type-checks it into a `model::Model`, and `emit` compiles the model to
//! YAML for monitoring tools. Only `cli` and `lsp` do I/O.

pub mod diagnostics;
pub mod source;
pub mod syntax;
pub mod check;
pub mod clock;
pub mod model;
pub mod report;
pub mod stdlib;
pub mod emit;
pub mod cli;
