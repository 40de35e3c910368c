//! `slac serve`: the live door. It takes a help desk's events over HTTP,
//! keeps them in a durable store, and publishes on `/metrics` the series the
//! compiled Prometheus rules read, measured in business time by the same
//! code as `slac report` (docs/serve.md).
//!
//! - `state`: each served agreement, its series plan and business time;
//! - `ingest`: parsing and validating a request's events;
//! - `db`: the store on threads of its own;
//! - `http`: the routes, authentication and limits;
//! - `scrape` and `contract`: what `/metrics` shows;
//! - `exposition`: the text format.

mod contract;
mod db;
mod exposition;
mod http;
mod ingest;
mod reload;
mod scrape;
mod state;

use chrono::Utc;
use db::Db;
use state::Live;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// How `slac serve` was asked to run.
#[derive(Clone, Debug)]
pub struct Config {
    pub agreements: Vec<PathBuf>,
    pub store: String,
    pub listen: SocketAddr,
    /// The bearer token `POST /v1/events` requires, if any.
    pub token: Option<String>,
    pub max_body: usize,
    pub max_batch: usize,
    /// How often the contract gauges are recomputed (and agreement files
    /// looked at for changes).
    pub refresh: Duration,
    /// `(agreement, DIR)`: data files to load into the store first.
    pub import: Vec<(Option<String>, PathBuf)>,
    /// `--map`: how the imported directories' files are read.
    pub map: Option<crate::report::map::Mapping>,
}

/// The agreements being served, swapped whole on a reload.
pub type Lives = Arc<Vec<Arc<Live>>>;

/// How the last look at the agreement files went.
#[derive(Clone, Debug, Default)]
pub struct ReloadStatus {
    pub errors: usize,
    pub warnings: usize,
    pub ok: bool,
    pub at: Option<chrono::DateTime<Utc>>,
}

pub struct Server {
    pub config: Config,
    pub lives: RwLock<Lives>,
    pub writer: Db,
    pub reader: Db,
    /// A third connection for recomputing the contract gauges, which may
    /// take a while with many agreements: scrapes never wait for it.
    pub contracts_db: Db,
    /// The last contract reports and the instant they were computed at.
    pub contracts: Mutex<Vec<(chrono::DateTime<Utc>, crate::report::Report)>>,
    pub reload: Mutex<ReloadStatus>,
    /// Each agreement's sums as last rendered, with the store version.
    pub series_cache: Mutex<scrape::Cache>,
    /// Set when events arrived since the contract gauges were computed.
    pub dirty: std::sync::atomic::AtomicBool,
}

impl Server {
    pub fn lives(&self) -> Lives {
        self.lives.read().expect("lives lock").clone()
    }
}

/// Runs the server until SIGTERM or Ctrl-C. Returns an error to print
/// when it cannot start.
pub fn run(config: Config) -> Result<(), String> {
    let agreements = reload::check(&config.agreements)
        .map_err(|e| format!("{e}\nno server started: fix the agreements first"))?;
    let writer = Db::open(&config.store, "writer")?;
    let reader = Db::open(&config.store, "reader")?;
    let contracts_db = Db::open(&config.store, "contracts")?;
    let lives = reload::prepare(&writer, agreements)?;
    for (name, dir) in &config.import {
        let n = reload::import(&writer, &lives, name.as_deref(), dir, config.map.as_ref())?;
        eprintln!("imported {n} events from `{}`", dir.display());
    }
    let server = Arc::new(Server {
        lives: RwLock::new(lives),
        writer,
        reader,
        contracts_db,
        contracts: Mutex::new(Vec::new()),
        reload: Mutex::new(ReloadStatus {
            ok: true,
            at: Some(Utc::now()),
            ..Default::default()
        }),
        dirty: std::sync::atomic::AtomicBool::new(true),
        series_cache: Mutex::new(Default::default()),
        config,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(http::serve(server))
}
