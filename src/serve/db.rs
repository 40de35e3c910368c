//! The store on a thread of its own: blocking database calls never run on
//! the async workers, and each connection is used by one thread at a time.
//! The server keeps two: one that writes (ingest, rebuilds) and one that
//! reads (scrapes, reports), so a long batch never holds up a scrape.

use crate::store::{self, Store};
use std::sync::mpsc;
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce(&mut dyn Store) + Send>;

#[derive(Clone)]
pub struct Db {
    jobs: mpsc::Sender<Job>,
}

impl Db {
    /// Opens the store `spec` names on a new thread.
    pub fn open(spec: &str, name: &str) -> Result<Db, String> {
        let (jobs, rx) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::channel();
        let spec = spec.to_string();
        let reads_only = name != "writer";
        std::thread::Builder::new()
            .name(format!("slac-store-{name}"))
            .spawn(move || {
                let mut store = match store::open(&spec) {
                    Ok(mut s) => {
                        if reads_only {
                            s.set_cache_kib(4 * 1024);
                        }
                        let _ = ready_tx.send(Ok(()));
                        s
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                for job in rx {
                    job(store.as_mut());
                }
            })
            .map_err(|e| format!("cannot start the store thread: {e}"))?;
        ready_rx
            .recv()
            .map_err(|_| "the store thread ended before it opened the store".to_string())??;
        Ok(Db { jobs })
    }

    /// Runs `f` on the store's thread; `reply` gets its answer there.
    fn submit<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> R + Send + 'static,
        reply: impl FnOnce(R) + Send + 'static,
    ) -> Result<(), String> {
        let job: Job = Box::new(move |s| reply(f(s)));
        self.jobs
            .send(job)
            .map_err(|_| "the store thread has stopped".to_string())
    }

    /// Runs `f` on the store's thread and waits for its answer.
    pub async fn call<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> R + Send + 'static,
    ) -> Result<R, String> {
        let (tx, rx) = oneshot::channel();
        self.submit(f, move |r| {
            let _ = tx.send(r);
        })?;
        rx.await.map_err(|_| STOPPED.to_string())
    }

    /// `call` for code outside the async runtime.
    pub fn call_blocking<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> R + Send + 'static,
    ) -> Result<R, String> {
        let (tx, rx) = mpsc::channel();
        self.submit(f, move |r| {
            let _ = tx.send(r);
        })?;
        rx.recv().map_err(|_| STOPPED.to_string())
    }
}

const STOPPED: &str = "the store thread stopped during the call";
