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
    // Created exclusively: an existing file, or a symbolic link (even one
    // to nowhere), is never written through.
    if let Err(e) = super::write::create_new(&args.path, STARTER.as_bytes()) {
        return fail(format!("{e} (`slac init other.sla`)"));
    }
    eprintln!(
        "wrote {}: edit it, then run `slac check {}`",
        args.path.display(),
        args.path.display()
    );
    EXIT_OK
}
