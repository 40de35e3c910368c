//! `slac serve`: arguments, then the live door in `crate::serve`.

use super::{fail, EXIT_ERRORS, EXIT_OK};
use crate::serve::Config;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Agreement files (or directories) to serve; each event names its
    /// agreement unless only one is served
    #[arg(value_name = "AGREEMENT_PATHS", required = true)]
    paths: Vec<PathBuf>,
    /// Where events are kept: a SQLite file (created if missing), or a
    /// `postgres://user@host/db` URL that several replicas share
    #[arg(long, value_name = "PATH|URL", default_value = "slac-events.db")]
    store: String,
    /// The address to listen on (loopback by default: put a proxy with TLS
    /// in front before exposing it)
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:9464")]
    listen: SocketAddr,
    /// A file holding the bearer token `POST /v1/events` requires
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// The largest request body accepted, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    max_body: usize,
    /// The most events accepted in one request
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    max_batch: usize,
    /// How often the contract gauges are recomputed, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 15)]
    refresh: u64,
    /// Load a data directory (as `slac report --data` reads it) into the
    /// store before serving; `NAME=DIR` when several agreements are served
    #[arg(long, value_name = "[NAME=]DIR")]
    import: Vec<String>,
    /// Read the --import directories as another tool's export: a YAML file mapping its file, columns,
    /// values and timestamps onto slac's (see `slac report --help`). Events posted to
    /// /v1/events always use slac's own fields
    #[arg(long, value_name = "FILE", requires = "import")]
    map: Option<PathBuf>,
}

fn token(path: &PathBuf) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the token file `{}`: {e}", path.display()))?;
    let token = text.trim().to_string();
    if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "the token file `{}` must hold one token without spaces",
            path.display()
        ));
    }
    Ok(token)
}

pub fn run(args: Args) -> u8 {
    let token = match args.token_file.as_ref().map(token).transpose() {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let import = args
        .import
        .iter()
        .map(|s| match s.split_once('=') {
            Some((name, dir)) => (Some(name.to_string()), PathBuf::from(dir)),
            None => (None, PathBuf::from(s)),
        })
        .collect();
    let map = match crate::workspace::map::read_opt(args.map.as_deref()) {
        Ok(m) => m,
        Err(e) => return fail(e),
    };
    let config = Config {
        agreements: args.paths,
        store: args.store,
        listen: args.listen,
        token,
        max_body: args.max_body,
        max_batch: args.max_batch.max(1),
        refresh: std::time::Duration::from_secs(args.refresh.max(1)),
        import,
        map,
    };
    match crate::serve::run(config) {
        Ok(()) => EXIT_OK,
        Err(e) if e.contains("fix the agreements first") => {
            eprintln!("error: {e}");
            EXIT_ERRORS
        }
        Err(e) => fail(e),
    }
}
