//! The main loop: read a message, answer it, and publish diagnostics once
//! the client goes quiet. Requests are handled one at a time on this thread
//! (checking a file takes milliseconds, so nothing needs a runtime or a
//! pool), and every handler runs under `catch_unwind`: a bug answers one
//! request with an error instead of ending the session.

use super::documents::{BufferLoader, Documents};
use super::transport::{self, Frame, Incoming};
use super::world::World;
use super::{code_actions, completion, definition, diagnostics, formatting, hover, symbols};
use lsp_types as lsp;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};

pub fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(lsp::PositionEncodingKind::UTF16),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![".".into(), "\"".into()]),
            ..Default::default()
        }),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        ..Default::default()
    }
}

/// What the reading thread hands the main loop.
pub enum Event {
    Message(Incoming),
    /// The client hung up between messages.
    Closed,
    /// The framing broke: there is no telling where the next message starts.
    Broken(String),
}

/// Reads frames from `input` until it ends or breaks, sending each message
/// to `tx`; runs on its own thread so that the main loop can tell when the
/// client has gone quiet.
pub fn read_events(mut input: impl BufRead, tx: Sender<Event>) {
    loop {
        let event = match transport::read_frame(&mut input) {
            Ok(Frame::Body(body)) => Event::Message(transport::parse_message(&body)),
            Ok(Frame::TooLarge(n)) => {
                let message = format!(
                    "a message of {n} bytes is over the limit of {} bytes; it is skipped",
                    transport::MAX_MESSAGE
                );
                let error = transport::error(Value::Null, transport::INVALID_REQUEST, message);
                // Answered before the body is read: it may never come whole.
                if tx.send(Event::Message(Incoming::Invalid(error))).is_err() {
                    return;
                }
                match transport::skip(&mut input, n) {
                    Ok(()) => continue,
                    Err(e) => Event::Broken(e.to_string()),
                }
            }
            Ok(Frame::End) => Event::Closed,
            Err(e) => Event::Broken(e.to_string()),
        };
        let last = matches!(event, Event::Closed | Event::Broken(_));
        if tx.send(event).is_err() || last {
            return;
        }
    }
}

/// Runs a whole session: messages from `rx` until `exit`, answers to `out`.
/// Returns whether the session ended as the protocol asks (`shutdown`, then
/// `exit`); a client that exits without `shutdown`, or hangs up, gets
/// `false` (exit status 1).
pub fn serve(rx: Receiver<Event>, out: &mut dyn Write) -> Result<bool, String> {
    let mut server = Server {
        rx,
        out,
        documents: Documents::default(),
        roots: Vec::new(),
        dirty: BTreeSet::new(),
        state: State::Uninitialized,
    };
    server.main_loop()
}

#[allow(deprecated)] // `root_uri` is the fallback for clients without folders.
fn roots(init: &lsp::InitializeParams) -> Vec<PathBuf> {
    let folders = init.workspace_folders.iter().flatten().map(|f| &f.uri);
    folders
        .chain(init.root_uri.iter())
        .filter_map(super::documents::uri_to_path)
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Uninitialized,
    Running,
    ShuttingDown,
}

struct Server<'o> {
    rx: Receiver<Event>,
    out: &'o mut dyn Write,
    documents: Documents,
    roots: Vec<PathBuf>,
    /// Documents whose diagnostics are out of date, by URI.
    dirty: BTreeSet<String>,
    state: State,
}

/// A failed request: a JSON-RPC error code and message.
struct Failure(i64, String);

impl Server<'_> {
    fn main_loop(&mut self) -> Result<bool, String> {
        let mut next = None;
        loop {
            let event = match next.take() {
                Some(event) => event,
                None => match self.rx.recv() {
                    Ok(event) => event,
                    Err(_) => return Ok(false),
                },
            };
            match event {
                Event::Message(Incoming::Request { id, method, params }) => {
                    let response = self.request(id, &method, params);
                    self.send(&response)?;
                }
                Event::Message(Incoming::Notification { method, .. }) if method == "exit" => {
                    return Ok(self.state == State::ShuttingDown)
                }
                Event::Message(Incoming::Notification { method, params }) => {
                    if self.state == State::Running {
                        self.notification(&method, params);
                    }
                }
                Event::Message(Incoming::Response) => {}
                Event::Message(Incoming::Invalid(response)) => {
                    eprintln!(
                        "slac lsp: {}",
                        crate::text::visible(
                            response["error"]["message"].as_str().unwrap_or_default()
                        )
                    );
                    self.send(&response)?;
                }
                Event::Closed => return Ok(false),
                Event::Broken(e) => return Err(e),
            }
            // Diagnostics wait until no message is queued: a burst of
            // keystrokes is checked once, for its last state.
            match self.rx.try_recv() {
                Ok(event) => next = Some(event),
                Err(e) => {
                    self.publish_dirty()?;
                    if e == TryRecvError::Disconnected {
                        return Ok(false);
                    }
                }
            }
        }
    }

    fn send(&mut self, msg: &Value) -> Result<(), String> {
        self.out
            .write_all(&transport::frame(msg))
            .and_then(|()| self.out.flush())
            .map_err(|_| "the client connection closed".to_string())
    }

    fn request(&mut self, id: Value, method: &str, params: Value) -> Value {
        let result = match (self.state, method) {
            (State::Uninitialized, "initialize") => Ok(self.initialize(params)),
            (State::Uninitialized, _) => Err(Failure(
                transport::SERVER_NOT_INITIALIZED,
                format!("`{method}` before `initialize`"),
            )),
            (State::ShuttingDown, _) => Err(Failure(
                transport::INVALID_REQUEST,
                format!("`{method}` after `shutdown`: only `exit` is accepted now"),
            )),
            (State::Running, "initialize") => Err(Failure(
                transport::INVALID_REQUEST,
                "`initialize` was already received".into(),
            )),
            (State::Running, "shutdown") => {
                self.state = State::ShuttingDown;
                Ok(Value::Null)
            }
            (State::Running, _) => return answer(id, method, || self.dispatch(method, params)),
        };
        match result {
            Ok(value) => transport::ok(id, value),
            Err(Failure(code, message)) => transport::error(id, code, message),
        }
    }

    fn initialize(&mut self, params: Value) -> Value {
        // Unreadable initialize parameters only cost the workspace folders.
        let init: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
        self.roots = roots(&init);
        self.state = State::Running;
        serde_json::json!({
            "capabilities": capabilities(),
            "serverInfo": { "name": "slac", "version": env!("CARGO_PKG_VERSION") },
        })
    }

    fn dispatch(&mut self, method: &str, params: Value) -> Result<Value, Failure> {
        let world = World::new(&self.documents);
        match method {
            "textDocument/hover" => call(params, |p| hover::hover(&world, p)),
            "textDocument/definition" => call(params, |p| definition::definition(&world, p)),
            "textDocument/references" => {
                call(params, |p| definition::references(&world, &self.roots, p))
            }
            "textDocument/completion" => call(params, |p| completion::completion(&world, p)),
            "textDocument/documentSymbol" => call(params, |p| symbols::document_symbols(&world, p)),
            "textDocument/formatting" => call(params, |p| formatting::format(&world, p)),
            "textDocument/codeAction" => call(params, code_actions::quick_fixes),
            _ => Err(Failure(
                transport::METHOD_NOT_FOUND,
                format!("slac does not handle {method}"),
            )),
        }
    }

    fn notification(&mut self, method: &str, params: Value) {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| self.on_notification(method, params)))
        {
            eprintln!(
                "slac: internal error in {}: {}",
                crate::text::visible(method),
                crate::text::visible(&panic_message(&panic))
            );
        }
    }

    fn on_notification(&mut self, method: &str, value: Value) {
        match method {
            "textDocument/didOpen" => {
                if let Some(p) =
                    notification_params::<lsp::DidOpenTextDocumentParams>(method, value)
                {
                    let doc = p.text_document;
                    self.dirty.insert(doc.uri.as_str().to_string());
                    self.documents.open(doc.uri, doc.text, doc.version);
                }
            }
            "textDocument/didChange" => {
                if let Some(p) =
                    notification_params::<lsp::DidChangeTextDocumentParams>(method, value)
                {
                    let doc = p.text_document;
                    if self
                        .documents
                        .change(&doc.uri, doc.version, p.content_changes)
                    {
                        self.touch_all();
                    }
                }
            }
            "textDocument/didClose" => {
                if let Some(p) =
                    notification_params::<lsp::DidCloseTextDocumentParams>(method, value)
                {
                    if self.documents.close(&p.text_document.uri).is_some() {
                        self.dirty.remove(p.text_document.uri.as_str());
                        self.publish(p.text_document.uri, Vec::new(), None);
                        self.touch_all();
                    }
                }
            }
            // The disk changed: imports read from it may have too.
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => self.touch_all(),
            _ => {}
        }
    }

    /// Marks every open document for checking: any of them may import the
    /// one that changed.
    fn touch_all(&mut self) {
        let uris: Vec<String> = self
            .documents
            .all()
            .map(|d| d.uri.as_str().to_string())
            .collect();
        self.dirty.extend(uris);
    }

    fn publish_dirty(&mut self) -> Result<(), String> {
        for uri in std::mem::take(&mut self.dirty) {
            let Some(doc) = self.documents.all().find(|d| d.uri.as_str() == uri) else {
                continue;
            };
            let loader = BufferLoader {
                documents: &self.documents,
            };
            let diags = catch_unwind(AssertUnwindSafe(|| {
                diagnostics::check_document(&doc.path, &doc.text, &loader)
            }))
            .unwrap_or_else(|panic| vec![internal_error(&panic)]);
            let (uri, version) = (doc.uri.clone(), doc.version);
            self.publish(uri, diags, Some(version));
        }
        Ok(())
    }

    fn publish(&mut self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let params = serde_json::to_value(params).unwrap_or_default();
        let _ = self.send(&transport::notification(
            "textDocument/publishDiagnostics",
            params,
        ));
    }
}

/// Runs a request's handler; a panic in it becomes an error response.
fn answer(id: Value, method: &str, handler: impl FnOnce() -> Result<Value, Failure>) -> Value {
    match catch_unwind(AssertUnwindSafe(handler)) {
        Ok(Ok(value)) => transport::ok(id, value),
        Ok(Err(Failure(code, message))) => transport::error(id, code, message),
        Err(panic) => transport::error(
            id,
            transport::INTERNAL_ERROR,
            format!(
                "slac: internal error in {method}: {}; please report this",
                panic_message(&panic)
            ),
        ),
    }
}

fn params<P: DeserializeOwned>(value: Value) -> Result<P, Failure> {
    serde_json::from_value(value).map_err(|e| {
        Failure(
            transport::INVALID_PARAMS,
            format!("invalid parameters: {e}"),
        )
    })
}

/// A notification gets no answer: unreadable parameters are logged.
fn notification_params<P: DeserializeOwned>(method: &str, value: Value) -> Option<P> {
    params(value)
        .map_err(|Failure(_, e)| {
            let method = crate::text::visible(method);
            eprintln!("slac lsp: {method}: {}", crate::text::visible(&e))
        })
        .ok()
}

fn call<P: DeserializeOwned, R: Serialize>(
    value: Value,
    handler: impl FnOnce(P) -> R,
) -> Result<Value, Failure> {
    let result = handler(params(value)?);
    serde_json::to_value(result).map_err(|e| Failure(transport::INTERNAL_ERROR, e.to_string()))
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// What a document shows when checking it crashed: better than silence.
fn internal_error(panic: &Box<dyn std::any::Any + Send>) -> lsp::Diagnostic {
    lsp::Diagnostic {
        severity: Some(lsp::DiagnosticSeverity::ERROR),
        source: Some("slac".into()),
        message: format!(
            "slac crashed while checking this file: {}; please report this",
            panic_message(panic)
        ),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_panicking_handler_answers_with_an_error() {
        let r = answer(json!(7), "textDocument/hover", || panic!("boom"));
        assert_eq!(r["error"]["code"], transport::INTERNAL_ERROR);
        let message = r["error"]["message"].as_str().unwrap();
        assert!(message.contains("textDocument/hover: boom"), "{message}");
        let r = answer(json!(8), "x", || Ok(Value::Null));
        assert_eq!(r, json!({"jsonrpc": "2.0", "id": 8, "result": null}));
    }

    /// Runs a session over `messages` in memory, a pause after each as an
    /// editor makes; returns what the server sent and how it ended.
    fn session(messages: &[Value]) -> (Vec<Value>, Result<bool, String>) {
        let frames: Vec<Vec<u8>> = messages.iter().map(transport::frame).collect();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for f in frames {
                // Each frame alone: its message, then the end of its input.
                let (tx1, rx1) = std::sync::mpsc::channel();
                read_events(&f[..], tx1);
                for event in rx1.iter().filter(|e| matches!(e, Event::Message(_))) {
                    if tx.send(event).is_err() {
                        return;
                    }
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        });
        let mut out = Vec::new();
        let ended = serve(rx, &mut out);
        let mut r = &out[..];
        let mut sent = Vec::new();
        while let Ok(Frame::Body(b)) = transport::read_frame(&mut r) {
            sent.push(serde_json::from_slice(&b).unwrap());
        }
        (sent, ended)
    }

    fn request(id: i64, method: &str, params: Value) -> Value {
        json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
    }

    fn notification(method: &str, params: Value) -> Value {
        json!({"jsonrpc": "2.0", "method": method, "params": params})
    }

    /// A whole session in memory: open, diagnostics, shutdown, exit.
    #[test]
    fn a_session_in_memory() {
        let uri = "file:///mem/a.sla";
        let (sent, ended) = session(&[
            request(1, "initialize", json!({"capabilities": {}})),
            notification("initialized", json!({})),
            notification(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": "slac", "version": 1, "text": "calendar c {"}}),
            ),
            request(2, "shutdown", Value::Null),
            notification("exit", Value::Null),
        ]);
        assert_eq!(ended, Ok(true));
        assert!(sent[0]["result"]["capabilities"].is_object(), "{sent:?}");
        let diags = sent
            .iter()
            .find(|m| m["method"] == "textDocument/publishDiagnostics")
            .expect("diagnostics");
        assert_eq!(diags["params"]["diagnostics"][0]["code"], "slac::E0001");
        assert!(sent.contains(&json!({"jsonrpc": "2.0", "id": 2, "result": null})));
    }

    #[test]
    fn requests_before_initialize_and_after_shutdown_are_refused() {
        let (sent, ended) = session(&[
            request(1, "textDocument/hover", json!({})),
            request(2, "initialize", json!({})),
            request(3, "initialize", json!({})),
            request(4, "shutdown", Value::Null),
            request(5, "textDocument/hover", json!({})),
            notification("exit", Value::Null),
        ]);
        let codes: Vec<Value> = sent.iter().map(|m| m["error"]["code"].clone()).collect();
        assert_eq!(
            codes,
            [
                json!(transport::SERVER_NOT_INITIALIZED),
                Value::Null,
                json!(transport::INVALID_REQUEST),
                Value::Null,
                json!(transport::INVALID_REQUEST),
            ]
        );
        assert_eq!(ended, Ok(true));
        let (_, ended) = session(&[
            request(1, "initialize", json!({})),
            notification("exit", Value::Null),
        ]);
        assert_eq!(ended, Ok(false), "exit without shutdown");
        let (_, ended) = session(&[request(1, "initialize", json!({}))]);
        assert_eq!(ended, Ok(false), "the client hung up");
    }
}
