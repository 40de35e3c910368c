//! The routes: `POST /v1/events`, `GET /metrics`, `/healthz`, `/readyz`;
//! the bearer token, the limits, and the tasks beside them (contract
//! refresh, reload on SIGHUP or a changed file, shutdown on SIGTERM).

use super::ingest::{self, Problem};
use super::{reload, scrape, Server};
use crate::report::events::Event;
use crate::store::codec;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use std::sync::atomic::Ordering;
use std::sync::Arc;

type Shared = State<Arc<Server>>;

pub async fn serve(server: Arc<Server>) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(server.config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", server.config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    eprintln!(
        "slac serve: listening on http://{addr} ({} agreement(s), store `{}`)",
        server.lives().len(),
        redact(&server.config.store)
    );
    tokio::spawn(refresher(server.clone()));
    tokio::spawn(watcher(server.clone()));
    let app = Router::new()
        .route("/v1/events", post(events))
        .route("/metrics", get(metrics))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(server.config.max_body))
        .with_state(server);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("the server stopped: {e}"))?;
    eprintln!("slac serve: stopped");
    Ok(())
}

/// A store URL without its password, for logs.
fn redact(spec: &str) -> String {
    match (spec.find("://"), spec.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &spec[..scheme], &spec[at + 1..])
        }
        _ => spec.to_string(),
    }
}

async fn shutdown() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    eprintln!("slac serve: shutting down");
}

/// Recomputes the contract gauges every `--refresh`, and soon after events
/// arrive.
async fn refresher(server: Arc<Server>) {
    let refresh = server.config.refresh;
    // After events, soon, but not more often than this: under sustained
    // ingest the reports would otherwise be recomputed back to back.
    let gap = (refresh / 3).clamp(
        std::time::Duration::from_secs(1),
        std::time::Duration::from_secs(5).min(refresh),
    );
    let mut last = std::time::Instant::now() - refresh;
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let due = last.elapsed() >= refresh;
        let changed = server.dirty.load(Ordering::SeqCst) && last.elapsed() >= gap;
        if !(due || changed) {
            continue;
        }
        server.dirty.store(false, Ordering::SeqCst);
        last = std::time::Instant::now();
        if let Err(e) = scrape::refresh_contracts(&server).await {
            eprintln!("slac serve: contract gauges not updated: {e}");
        }
    }
}

/// Checks the agreements again on SIGHUP or when a file's time changes.
async fn watcher(server: Arc<Server>) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hup = signal(SignalKind::hangup()).ok();
    let mut stamps = reload::stamps(&server.config.agreements);
    loop {
        let hangup = async {
            match hup.as_mut() {
                Some(h) => h.recv().await,
                None => std::future::pending().await,
            }
        };
        let asked = tokio::select! {
            _ = hangup => true,
            _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => false,
        };
        let now = reload::stamps(&server.config.agreements);
        if asked || now != stamps {
            stamps = now;
            let s = server.clone();
            let _ = tokio::task::spawn_blocking(move || reload::reload(&s)).await;
        }
    }
}

async fn ready(State(server): Shared) -> Response {
    match server.reader.call(|_| ()).await {
        Ok(()) => (StatusCode::OK, "ready\n").into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {e}\n")).into_response(),
    }
}

async fn not_found() -> Response {
    let body = json!({"error": "no such route: slac serve answers POST /v1/events, GET /metrics, /healthz and /readyz"});
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

async fn metrics(State(server): Shared) -> Response {
    match scrape::metrics(server).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot read the store: {e}\n"),
        )
            .into_response(),
    }
}

fn refuse(status: StatusCode, message: &str, problems: Vec<Problem>) -> Response {
    let body = json!({"error": message, "errors": problems});
    (status, Json(body)).into_response()
}

/// Compares the token without leaking its length or prefix through time.
fn authorized(server: &Server, headers: &HeaderMap) -> bool {
    let Some(expected) = &server.config.token else {
        return true;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    let mut diff = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        diff |= usize::from(x ^ b.get(i).copied().unwrap_or(0));
    }
    diff == 0
}

async fn events(State(server): Shared, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&server, &headers) {
        let mut r = refuse(
            StatusCode::UNAUTHORIZED,
            "a valid bearer token is required: Authorization: Bearer TOKEN",
            vec![],
        );
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        return r;
    }
    let values = match ingest::objects(&body, server.config.max_batch) {
        Ok(v) => v,
        Err(p) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "the request was refused; nothing was stored",
                vec![p],
            )
        }
    };
    let lives = server.lives();
    let events = match ingest::validate(&values, &lives) {
        Ok(e) => e,
        Err(problems) => {
            let msg = format!(
                "{} event(s) were refused; nothing was stored",
                problems.len()
            );
            return refuse(StatusCode::BAD_REQUEST, &msg, problems);
        }
    };
    let n = events.len();
    match store(&server, &lives, events).await {
        Ok(()) => {
            server.dirty.store(true, Ordering::SeqCst);
            (StatusCode::OK, Json(json!({"accepted": n}))).into_response()
        }
        Err(e) => {
            eprintln!("slac serve: a batch was not stored: {e}");
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                &format!("the store failed; nothing was stored: {e}"),
                vec![],
            )
        }
    }
}

/// Stores a validated batch whole, then rebuilds the business time of the
/// agreements that received exclusion windows.
async fn store(
    server: &Arc<Server>,
    lives: &super::Lives,
    events: Vec<(usize, Event)>,
) -> Result<(), String> {
    let mut touched = std::collections::BTreeSet::new();
    let records: Vec<_> = events
        .iter()
        .map(|(i, ev)| {
            if matches!(ev, Event::Exclusion(_)) {
                touched.insert(*i);
            }
            codec::record(&lives[*i].agreement, ev)
        })
        .collect();
    let l = lives.clone();
    server
        .writer
        .call(move |s| {
            let mut worth = |old: Option<&str>,
                             i: usize,
                             r: &crate::store::Record,
                             rel: &mut crate::store::Related,
                             d: &mut crate::store::Deltas| {
                if let Some((which, ev)) = events.get(i) {
                    l[*which].worth(old, r, Some(ev), rel, false, d)
                }
            };
            s.apply(&records, &mut worth).map_err(|e| e.to_string())
        })
        .await??;
    if touched.is_empty() {
        return Ok(());
    }
    let s = server.clone();
    let l = lives.clone();
    tokio::task::spawn_blocking(move || -> Result<(), String> {
        let mut next: Vec<_> = l.iter().cloned().collect();
        for i in touched {
            next[i] = reload::live_again(&s.writer, &l[i])?;
        }
        *s.lives.write().expect("lives lock") = Arc::new(next);
        Ok(())
    })
    .await
    .map_err(|e| e.to_string())?
}
