//! How long an editor waits for diagnostics after a keystroke, on a
//! generated 5,000-line agreement. Run with `cargo bench --bench lsp_latency`.
//!
//! Two figures:
//! - in process: `slac::lsp::check_document`, the function the server runs
//!   for a changed document (parse, check, convert to LSP diagnostics);
//! - end to end: the real `slac lsp` binary over stdio, from writing an
//!   incremental `didChange` to reading the `publishDiagnostics` it causes
//!   (JSON framing and the edit included).

#[path = "../tests/common/big.rs"]
mod big;

use serde_json::{json, Value};
use slac::check::{LoadError, Loader};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LINES: usize = 5000;
const RUNS: usize = 40;

/// The generated agreement imports nothing.
struct NoImports;

impl Loader for NoImports {
    fn load(&self, _: &Path) -> Result<Vec<u8>, LoadError> {
        Err(LoadError::NotFound)
    }
}

fn main() {
    let text = big::agreement(LINES);
    println!(
        "document: {} lines, {} bytes",
        text.lines().count(),
        text.len()
    );
    in_process(&text);
    end_to_end(&text);
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!(
        "{what}: median {:.1} ms, p95 {:.1} ms, min {:.1} ms, max {:.1} ms ({} runs)",
        ms(times[times.len() / 2]),
        ms(p95),
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}

fn in_process(text: &str) {
    let path = std::env::temp_dir().join("slac-bench/big.sla");
    let diags = slac::lsp::check_document(&path, text, &NoImports);
    assert!(
        diags.is_empty(),
        "the generated agreement checks clean: {diags:?}"
    );
    let mut times = Vec::new();
    for i in 0..RUNS {
        // A different text each run, as after a keystroke.
        let edited = text.replacen("Goal 1\"", &format!("Goal 1{}\"", i % 10), 1);
        let start = Instant::now();
        let diags = slac::lsp::check_document(&path, &edited, &NoImports);
        times.push(start.elapsed());
        assert!(diags.is_empty());
    }
    report("in process (check_document)", times);
}

struct Server {
    stdin: std::process::ChildStdin,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Server {
    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn recv(&mut self) -> Value {
        let mut len = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "server closed"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                len = v.parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    /// Reads until the diagnostics for document `version` arrive.
    fn diagnostics(&mut self, version: i32) -> Value {
        loop {
            let msg = self.recv();
            if msg["method"] == "textDocument/publishDiagnostics"
                && msg["params"]["version"] == json!(version)
            {
                return msg["params"]["diagnostics"].clone();
            }
        }
    }
}

fn end_to_end(text: &str) {
    let dir = std::env::temp_dir().join("slac-bench");
    std::fs::create_dir_all(&dir).unwrap();
    let uri = format!("file://{}/big.sla", dir.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_slac"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("slac lsp starts");
    let mut s = Server {
        stdin: child.stdin.take().unwrap(),
        stdout: BufReader::new(child.stdout.take().unwrap()),
    };
    s.send(json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
                   "params": { "processId": null, "rootUri": null, "capabilities": {} } }));
    let _ = s.recv();
    s.send(json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    s.send(
        json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": { "uri": uri, "languageId": "slac", "version": 1, "text": text } } }),
    );
    assert_eq!(s.diagnostics(1), json!([]));
    // Typing in the title of goal 1: replace one character each time.
    let line = text.lines().position(|l| l.contains("\"Goal 1\"")).unwrap();
    let col = text.lines().nth(line).unwrap().find("1\"").unwrap();
    let mut times = Vec::new();
    for i in 0..RUNS {
        let version = 2 + i as i32;
        let range = json!({ "start": { "line": line, "character": col },
                            "end": { "line": line, "character": col + 1 } });
        let start = Instant::now();
        s.send(
            json!({ "jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": { "uri": uri, "version": version },
            "contentChanges": [{ "range": range, "text": (i % 10).to_string() }] } }),
        );
        let diags = s.diagnostics(version);
        times.push(start.elapsed());
        assert_eq!(diags, json!([]));
    }
    report("end to end (didChange -> publishDiagnostics)", times);
    s.send(json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null }));
    let _ = s.recv();
    s.send(json!({ "jsonrpc": "2.0", "method": "exit", "params": null }));
    let _ = child.wait();
}
