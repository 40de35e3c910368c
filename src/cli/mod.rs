//! The command line: argument parsing and dispatch. Each subcommand lives in
//! its own module; this is where slac meets files, terminals and exit codes.
//!
//! Exit codes: 0 success (warnings allowed), 1 the input has errors (or
//! changes, for `--check`-style flags), 2 usage or I/O trouble.

mod build;
mod build_cache;
mod check;
mod completions;
mod diff;
mod explain;
mod fmt;
mod git;
mod init;
mod lsp;
mod output;
mod pdf;
mod render;
mod replay;
mod report;
mod serve;
mod staging;
mod write;

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
        after_help = "Writes files per agreement and target, named after the agreement:\n  NAME.rules.yaml             rules         slac's canonical rule set (apiVersion slac/v1)\n  NAME.prometheus.yaml        prometheus    Prometheus 2.x recording and alerting rules\n  NAME.prometheus-test.yaml   prometheus    promtool unit tests of those rules\n  NAME.alertmanager.yaml      alertmanager  a complete Alertmanager configuration\n  NAME.openslo.yaml           openslo       OpenSLO v1 Service, SLI, SLO and AlertPolicy documents\n\nNothing is written when any input has errors. Files are written atomically, and a\nfile that slac did not generate is never overwritten unless --force is given.\n\nExamples:\n  slac build examples/acme-social.sla --out build/\n  slac build examples/ --target prometheus,alertmanager --out build/\n  slac build examples/ --target all --out build/\n  slac build examples/ --target all --out build/ --timings"
    )]
    Build(build::Args),
    /// Rewrite files in the canonical layout (or check that they are)
    #[command(
        after_help = "Comments and doc comments stay where they were. A file with syntax errors is left\nuntouched. After formatting, slac proves the file still parses to the same tree.\n\nExamples:\n  slac fmt examples/\n  slac fmt --check .        # CI: exit 1 if any file would change\n  slac fmt --diff agreement.sla"
    )]
    Fmt(fmt::Args),
    /// Show what changed between two versions of agreements, and for whom
    #[command(
        after_help = "Compares the checked agreements, not the text: reordering, reformatting and comments\nare not changes. Each change is stricter, looser or neutral for the provider (and so\nworse, better or neutral for the client).\n\nExit codes: 0 no semantic change, 1 changes (with --fail-on: changes of that kind),\n2 errors.\n\nExamples:\n  slac diff old.sla new.sla\n  slac diff --git HEAD                     # working tree against the last commit\n  slac diff --git main..feature --format markdown\n  slac diff --git origin/main --fail-on looser"
    )]
    Diff(diff::Args),
    /// Git's external diff driver (see docs/git.md); not for direct use
    #[command(name = "diff-driver", hide = true)]
    DiffDriver(diff::DriverArgs),
    /// Explain an error code, with an example and the fix
    #[command(after_help = "Example:\n  slac explain E0202\n  slac explain --list")]
    Explain(explain::Args),
    /// Evaluate every goal against exported data: met, missed, credit owed
    #[command(
        after_help = "Reads DIR/inquiries, posts, approvals, incidents and exclusions (.csv or .jsonl; see docs/report.md),\nor with --store the events `slac serve` keeps (docs/serve.md).\n\nExit codes: 0 report produced, 1 the agreement has errors, 2 usage, I/O or data errors (a data error names file, row and column).\n\nExamples:\n  slac report examples/acme-social.sla --data examples/data\n  slac report examples/acme-social.sla --data examples/data --period 2026-03 --format html --out march.html\n  slac report examples/acme-social.sla --store slac-events.db --period 2026-03"
    )]
    Report(report::Args),
    /// Render the agreement as a document to read and sign
    #[command(
        after_help = "Numbered clauses, defined terms and a plain-language sentence for every goal,\napproval step, escalation tier, responsibility, credit and exclusion, with schedules of\ncontacts, calendars and the source files' SHA-256. Every page carries the agreement's\nname, slac's version and the source's hash. See docs/render.md.\n\nExit codes: 0 written, 1 the agreement has errors, 2 usage or I/O errors.\n\nExamples:\n  slac render examples/acme-social.sla\n  slac render examples/acme-social.sla --format html --out acme.html\n  slac render examples/acme-social.sla --format pdf --out acme.pdf\n  slac render --diff old.sla new.sla                 # a redline, for a pull request\n  slac render --git HEAD agreement.sla --format pdf --out redline.pdf"
    )]
    Render(render::Args),
    /// Serve live metrics: take a help desk's events, publish what the rules read
    #[command(
        after_help = "Takes events over HTTP (POST /v1/events, JSON Lines or a JSON array of inquiry, post,\napproval, incident and exclusion events), keeps them in a durable store, and publishes on\nGET /metrics the series the compiled Prometheus rules read, in business time, with the\ncontract gauges slac report would print at that instant. See docs/serve.md.\n\nExit codes: 0 stopped by SIGTERM or Ctrl-C, 1 the agreements have errors, 2 usage, I/O or\nstore trouble.\n\nExamples:\n  slac serve examples/acme-social.sla --store events.db\n  slac serve agreements/ --store postgres://slac@db/slac --token-file /etc/slac/token\n  slac serve examples/acme-social.sla --import examples/data\n  curl -X POST --data-binary @events.jsonl http://127.0.0.1:9464/v1/events"
    )]
    Serve(serve::Args),
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
        Command::Diff(args) => diff::run(args, cli.color),
        Command::DiffDriver(args) => diff::run_driver(args, cli.color),
        Command::Report(args) => report::run(args, cli.color),
        Command::Render(args) => render::run(args, cli.color),
        Command::Explain(args) => explain::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Init(args) => init::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Lsp => lsp::run(),
    };
    ExitCode::from(code)
}

/// Writes to standard output; a closed pipe (`slac ... | head`) ends the
/// output quietly instead of panicking.
pub(crate) fn write_stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if out
        .write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        std::process::exit(i32::from(EXIT_OK));
    }
}

/// Prints an error that has no source position (I/O, usage) in the house style.
pub(crate) fn fail(message: impl std::fmt::Display) -> u8 {
    // Messages quote file names and data cells: no raw control characters.
    eprintln!("error: {}", crate::text::visible(&message.to_string()));
    EXIT_TROUBLE
}
