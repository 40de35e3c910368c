//! `slac explain CODE`: print the page of an error code.

use super::{fail, write_stdout, EXIT_OK, EXIT_TROUBLE};
use crate::diagnostics::{codes, suggest};

#[derive(clap::Args)]
pub struct Args {
    /// The code to explain, like `E0202` or `slac::E0202`
    #[arg(required_unless_present = "list")]
    code: Option<String>,
    /// List every code with its title
    #[arg(long, conflicts_with = "code")]
    list: bool,
}

pub fn run(args: Args) -> u8 {
    if args.list {
        let list: String = codes::ALL
            .iter()
            .map(|c| format!("{}  {}\n", c.as_str(), c.title()))
            .collect();
        write_stdout(&list);
        return EXIT_OK;
    }
    let code = args.code.unwrap_or_default();
    match codes::lookup(&code) {
        Some(c) => {
            // W0008's page holds the very control it warns about.
            write_stdout(&crate::text::visible(c.page()));
            EXIT_OK
        }
        None => {
            let wanted = code.trim_start_matches("slac::").to_ascii_uppercase();
            let hint = suggest::closest(&wanted, codes::ALL.iter().map(|c| c.as_str()))
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            fail(format!(
                "unknown error code `{code}`{hint} (see `slac explain --list`)"
            ));
            EXIT_TROUBLE
        }
    }
}
