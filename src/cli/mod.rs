//! The command line: argument parsing and dispatch. Each subcommand lives in
//! its own module; this is where slac meets files, terminals and exit codes.
//!
//! Exit codes: 0 success (warnings allowed), 1 the input has errors (or
//! changes, for `--check`-style flags), 2 usage or I/O trouble.

mod build;
mod check;
mod completions;
mod explain;
pub(crate) mod files;
mod fmt;
mod init;
mod lsp;
mod output;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

pub(crate) const EXIT_OK: u8 = 0;
pub(crate) const EXIT_ERRORS: u8 = 1;
pub(crate) const EXIT_TROUBLE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "slac",
    version,
    about = "SLA-as-code: check social media service level agreements and compile them to monitoring rules",
    long_about = "slac checks `.sla` agreements between a brand and its social media team \
                  and compiles them to YAML rules that monitoring tools load.\n\n\
                  Start with `slac init`, check with `slac check`, compile with `slac build`, \
                  and look up any error code with `slac explain`.",
    after_help = "Exit codes: 0 success (warnings allowed), 1 errors in the input, 2 usage or I/O trouble."
)]
pub struct Cli {
    /// When to colour output
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Color {
    /// Colour when writing to a terminal and NO_COLOR is not set
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check agreements and report every problem found
    #[command(
        after_help = "Examples:\n  slac check examples/acme-social.sla\n  slac check examples/ --deny-warnings\n  cat a.sla | slac check - --format json"
    )]
    Check(check::Args),
    /// Compile agreements to rule files for monitoring tools
    #[command(
        after_help = "Writes one file per agreement and target, named after the agreement:\n  NAME.rules.yaml   slac's canonical rule set (apiVersion slac/v1)\n\nNothing is written when any input has errors. Files are written atomically, and a\nfile that slac did not generate is never overwritten unless --force is given.\n\nExample:\n  slac build examples/acme-social.sla --out build/"
    )]
    Build(build::Args),
    /// Rewrite files in the canonical layout (or check that they are)
    #[command(
        after_help = "Comments and doc comments stay where they were. A file with syntax errors is left\nuntouched. After formatting, slac proves the file still parses to the same tree.\n\nExamples:\n  slac fmt examples/\n  slac fmt --check .        # CI: exit 1 if any file would change\n  slac fmt --diff agreement.sla"
    )]
    Fmt(fmt::Args),
    /// Explain an error code, with an example and the fix
    #[command(after_help = "Example:\n  slac explain E0202\n  slac explain --list")]
    Explain(explain::Args),
    /// Write a commented starter agreement
    Init(init::Args),
    /// Print a shell completion script
    #[command(
        after_help = "Example (bash):\n  slac completions bash > ~/.local/share/bash-completion/completions/slac"
    )]
    Completions(completions::Args),
    /// Run the language server over stdio (for editors)
    #[command(
        after_help = "Speaks the Language Server Protocol on standard input and output: diagnostics,\nhover, go to definition, references, completion, outline and formatting.\nEditors start it themselves; see docs/lsp.md."
    )]
    Lsp,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check::run(args, cli.color),
        Command::Build(args) => build::run(args, cli.color),
        Command::Fmt(args) => fmt::run(args, cli.color),
        Command::Explain(args) => explain::run(args),
        Command::Init(args) => init::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Lsp => lsp::run(),
    };
    ExitCode::from(code)
}

/// Prints an error that has no source position (I/O, usage) in the house style.
pub(crate) fn fail(message: impl std::fmt::Display) -> u8 {
    eprintln!("error: {message}");
    EXIT_TROUBLE
}
