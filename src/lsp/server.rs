//! The main loop: read a message, answer it, and publish diagnostics once
//! the client goes quiet. Requests are handled one at a time on this thread
//! (checking a file takes milliseconds, so nothing needs a runtime or a
//! pool), and every handler runs under `catch_unwind`: a bug answers one
//! request with an error instead of ending the session.

use super::documents::{BufferLoader, Documents};
use super::world::World;
use super::{completion, definition, diagnostics, formatting, hover, symbols};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

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
        ..Default::default()
    }
}

/// Runs a whole session on `connection`: the handshake, then messages until
/// `exit` (or the client hangs up).
pub fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("no `initialize` request from the client ({e})"))?;
    // Unreadable initialize parameters only cost the workspace folders.
    let init: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "slac", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        connection,
        documents: Documents::default(),
        roots: roots(&init),
        dirty: BTreeSet::new(),
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

struct Server<'c> {
    connection: &'c Connection,
    documents: Documents,
    roots: Vec<PathBuf>,
    /// Documents whose diagnostics are out of date, by URI.
    dirty: BTreeSet<String>,
}

/// A failed request: a JSON-RPC error code and message.
struct Failure(i32, String);

impl Server<'_> {
    fn main_loop(&mut self) -> Result<(), String> {
        let mut next = None;
        loop {
            let msg = match next.take() {
                Some(msg) => msg,
                None => match self.connection.receiver.recv() {
                    Ok(msg) => msg,
                    Err(_) => return Ok(()),
                },
            };
            match msg {
                Message::Request(req) => {
                    if self
                        .connection
                        .handle_shutdown(&req)
                        .map_err(|e| e.to_string())?
                    {
                        return Ok(());
                    }
                    let response = self.request(req);
                    self.send(response.into())?;
                }
                Message::Notification(n) if n.method == "exit" => return Ok(()),
                Message::Notification(n) => self.notification(n),
                Message::Response(_) => {}
            }
            // Diagnostics wait until no message is queued: a burst of
            // keystrokes is checked once, for its last state.
            match self.connection.receiver.try_recv() {
                Ok(msg) => next = Some(msg),
                Err(e) => {
                    self.publish_dirty()?;
                    if e.is_disconnected() {
                        return Ok(());
                    }
                }
            }
        }
    }

    fn send(&self, msg: Message) -> Result<(), String> {
        self.connection
            .sender
            .send(msg)
            .map_err(|_| "the client connection closed".to_string())
    }

    fn request(&mut self, req: Request) -> Response {
        let Request { id, method, params } = req;
        answer(id, &method, || self.dispatch(&method, params))
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
            _ => Err(Failure(
                ErrorCode::MethodNotFound as i32,
                format!("slac does not handle {method}"),
            )),
        }
    }

    fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| self.on_notification(n))) {
            eprintln!(
                "slac: internal error in {method}: {}",
                panic_message(&panic)
            );
        }
    }

    fn on_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = params::<lsp::DidOpenTextDocumentParams>(n.params) {
                    let doc = p.text_document;
                    self.dirty.insert(doc.uri.as_str().to_string());
                    self.documents.open(doc.uri, doc.text, doc.version);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = params::<lsp::DidChangeTextDocumentParams>(n.params) {
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
                if let Ok(p) = params::<lsp::DidCloseTextDocumentParams>(n.params) {
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

    fn publish(&self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        let _ =
            self.send(Notification::new("textDocument/publishDiagnostics".into(), params).into());
    }
}

/// Runs a request's handler; a panic in it becomes an error response.
fn answer(
    id: RequestId,
    method: &str,
    handler: impl FnOnce() -> Result<Value, Failure>,
) -> Response {
    match catch_unwind(AssertUnwindSafe(handler)) {
        Ok(Ok(value)) => Response::new_ok(id, value),
        Ok(Err(Failure(code, message))) => Response::new_err(id, code, message),
        Err(panic) => Response::new_err(
            id,
            ErrorCode::InternalError as i32,
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
            ErrorCode::InvalidParams as i32,
            format!("invalid parameters: {e}"),
        )
    })
}

fn call<P: DeserializeOwned, R: Serialize>(
    value: Value,
    handler: impl FnOnce(P) -> R,
) -> Result<Value, Failure> {
    let result = handler(params(value)?);
    serde_json::to_value(result)
        .map_err(|e| Failure(ErrorCode::InternalError as i32, e.to_string()))
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

    #[test]
    fn a_panicking_handler_answers_with_an_error() {
        let r = answer(RequestId::from(7), "textDocument/hover", || panic!("boom"));
        let e = r.response_result.expect_err("an error response");
        assert_eq!(e.code, ErrorCode::InternalError as i32);
        assert!(
            e.message.contains("textDocument/hover: boom"),
            "{}",
            e.message
        );
        let r = answer(RequestId::from(8), "x", || Ok(Value::Null));
        assert_eq!(r.response_result.ok(), Some(Value::Null));
    }

    /// A whole session in memory: the server survives a panic-free run of
    /// open, hover and shutdown without stdio.
    #[test]
    fn a_session_in_memory() {
        let (server, client) = Connection::memory();
        let thread = std::thread::spawn(move || serve(&server));
        let send = |m: Message| client.sender.send(m).unwrap();
        send(
            Request::new(
                1.into(),
                "initialize".into(),
                serde_json::json!({"capabilities": {}}),
            )
            .into(),
        );
        assert!(
            matches!(client.receiver.recv().unwrap(), Message::Response(r) if r.response_result.is_ok())
        );
        send(Notification::new("initialized".into(), serde_json::json!({})).into());
        let uri = "file:///mem/a.sla";
        send(Notification::new(
            "textDocument/didOpen".into(),
            serde_json::json!({"textDocument": {"uri": uri, "languageId": "slac", "version": 1, "text": "calendar c {"}}),
        )
        .into());
        match client.receiver.recv().unwrap() {
            Message::Notification(n) => {
                assert_eq!(n.method, "textDocument/publishDiagnostics");
                assert_eq!(n.params["diagnostics"][0]["code"], "slac::E0001");
            }
            other => panic!("{other:?}"),
        }
        send(Request::new(2.into(), "shutdown".into(), Value::Null).into());
        assert!(matches!(
            client.receiver.recv().unwrap(),
            Message::Response(_)
        ));
        send(Notification::new("exit".into(), Value::Null).into());
        assert_eq!(thread.join().unwrap(), Ok(()));
    }
}
