//! `slac completions SHELL`: shell completion scripts from the clap model.

use super::{Cli, EXIT_OK};
use clap::CommandFactory;

#[derive(clap::Args)]
pub struct Args {
    /// The shell to generate completions for
    shell: clap_complete::Shell,
}

pub fn run(args: Args) -> u8 {
    clap_complete::generate(
        args.shell,
        &mut Cli::command(),
        "slac",
        &mut std::io::stdout(),
    );
    EXIT_OK
}
