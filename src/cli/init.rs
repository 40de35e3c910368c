//! `slac init`: write a commented starter agreement that checks clean.

use super::{fail, EXIT_OK};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Where to write the starter agreement
    #[arg(default_value = "agreement.sla")]
    path: PathBuf,
}

pub const STARTER: &str = include_str!("starter.sla");

pub fn run(args: Args) -> u8 {
    if args.path.exists() {
        return fail(format!(
            "`{}` already exists; choose another path (`slac init other.sla`)",
            args.path.display()
        ));
    }
    if let Err(e) = std::fs::write(&args.path, STARTER) {
        return fail(format!("cannot write `{}`: {e}", args.path.display()));
    }
    eprintln!(
        "wrote {}: edit it, then run `slac check {}`",
        args.path.display(),
        args.path.display()
    );
    EXIT_OK
}
