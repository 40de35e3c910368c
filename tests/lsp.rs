//! The language server over real stdio: the `slac lsp` binary, spoken to in
//! JSON-RPC with Content-Length framing, as an editor would. Responses are
//! snapshotted with the workspace's URIs replaced by `file:///WORKSPACE`.

mod common;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications that arrived while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
    /// URI prefixes replaced in snapshots, and their stand-ins.
    redactions: Vec<(String, String)>,
}

impl Client {
    fn start(workspace: &Path) -> Client {
        Client::start_with(workspace, None)
    }

    /// Starts the server with `TMPDIR` set to `tmp`, when given.
    fn start_with(workspace: &Path, tmp: Option<&Path>) -> Client {
        let mut c = Client::spawn(workspace, tmp);
        let root = uri(workspace);
        let init = c.request(
            "initialize",
            json!({ "processId": null, "rootUri": root, "capabilities": {},
                    "workspaceFolders": [{ "uri": root, "name": "ws" }] }),
        );
        assert!(
            init["capabilities"]["hoverProvider"] == json!(true),
            "{init}"
        );
        c.notify("initialized", json!({}));
        c
    }

    /// The server, started and not yet initialized.
    fn spawn(workspace: &Path, tmp: Option<&Path>) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_slac"));
        if let Some(tmp) = tmp {
            command.env("TMPDIR", tmp);
        }
        let mut child = command
            .arg("lsp")
            .current_dir(workspace)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("slac lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_message(&mut r) {
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            pending: Vec::new(),
            next_id: 0,
            redactions: vec![
                (uri(workspace), "file:///WORKSPACE".into()),
                (workspace.display().to_string(), "/WORKSPACE".into()),
            ],
        }
    }

    fn send(&mut self, msg: Value) {
        self.send_raw(msg.to_string().as_bytes());
    }

    /// One frame around any bytes.
    fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    /// The next message that is not a notification.
    fn response(&mut self) -> Value {
        loop {
            let msg = self.recv();
            if msg.get("method").is_none() {
                return msg;
            }
            self.pending.push(msg);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn recv(&mut self) -> Value {
        self.incoming
            .recv_timeout(TIMEOUT)
            .expect("the server answers in time (and is still running)")
    }

    /// Sends a request and waits for its response; returns `result`, or
    /// the whole response when it is an error.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let msg = self.recv();
            if msg["id"] == json!(id) {
                return match msg.get("error") {
                    Some(_) => msg,
                    None => msg["result"].clone(),
                };
            }
            self.pending.push(msg);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(i) = self.pending.iter().position(|m| {
                m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
            }) {
                return self.pending.remove(i)["params"]["diagnostics"].clone();
            }
            assert!(Instant::now() < deadline, "no diagnostics for {uri}");
            let msg = self.recv();
            self.pending.push(msg);
        }
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "slac", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version },
                    "contentChanges": [{ "text": text }] }),
        );
    }

    /// A request at a position, for the text-document-position methods.
    fn at(&mut self, method: &str, uri: &str, pos: Value) -> Value {
        let mut params = json!({ "textDocument": { "uri": uri }, "position": pos });
        if method == "textDocument/references" {
            params["context"] = json!({ "includeDeclaration": true });
        }
        self.request(method, params)
    }

    fn redact(&self, v: Value) -> Value {
        let mut s = v.to_string();
        for (from, to) in &self.redactions {
            s = s.replace(from.as_str(), to);
        }
        // The standard library's private copy: a fresh directory per server.
        let needle = format!("slac-{}-std-", env!("CARGO_PKG_VERSION"));
        while let Some(at) = s.find(&needle) {
            let start = s[..at].rfind("file://").expect("a file URI");
            let end = at + s[at..].find('/').expect("a file in the directory");
            s.replace_range(start..end, "file:///SLAC_STD");
        }
        serde_json::from_str(&s).unwrap()
    }

    /// Waits for the server to end; returns its exit code.
    fn wait(mut self) -> Option<i32> {
        drop(self.stdin);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(Instant::now() < deadline, "slac lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn shutdown(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        assert_eq!(self.wait(), Some(0), "slac lsp exits with 0 after shutdown");
    }
}

fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            len = v.parse().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The LSP position (0-based line, UTF-16 column) of the `n`th byte after
/// the start of `needle` in `text`.
fn pos(text: &str, needle: &str, n: usize) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"))
        + n;
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col: usize = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({ "line": line, "character": col })
}

const CALENDARS: &str = r#"/// Long weekdays and short weekends, for urgent messages.
calendar extended_care {
  timezone "Europe/Berlin"
  open mon-fri 08:00-20:00
  open sat-sun 10:00-16:00
}
"#;

const AGREEMENT: &str = r##"import "calendars.sla" as cal
import "std/holidays" as holidays

/// Berlin office hours.
calendar office {
  timezone "Europe/Berlin"
  open mon-fri 09:00-17:00
  closed holidays.de_2026
}

agreement acme "Acme Social Care" {
  client acme "Acme Corp"
  provider bright "BrightSocial GmbH"
  effective 2026-01-01 to 2026-12-31
  fee 12000 EUR per month
  audience dach "DACH consumers"

  /// Answers customers on every platform.
  role community_manager of bright {
    email "care@bright.example"
    slack "#acme-care"
  }
  role head_of_comms of acme { email "comms@acme.example" }

  goal first_response "First reply" {
    metric response_time
    where platform in [x, instagram], audience = dach
    target 90% within 1h30m
    clock office
    owner community_manager
    on breach {
      escalate crisis.minor
      credit 5%
    }
  }

  goal urgent "Urgent inquiries" {
    metric response_time
    where priority >= high
    target p95 <= 30m
    clock cal.extended_care
    owner community_manager
  }

  escalation crisis "Crisis management" {
    tier minor {
      notify community_manager
      acknowledge within 1h
    }
    tier major {
      notify head_of_comms
      acknowledge within 15m
    }
  }
}
"##;

fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    // Canonical, so the URIs the server derives match the ones sent.
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("calendars.sla"), CALENDARS).unwrap();
    std::fs::write(root.join("acme.sla"), AGREEMENT).unwrap();
    (dir, root)
}

#[test]
fn a_session_from_initialize_to_exit() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let acme = uri(&root.join("acme.sla"));

    // An unknown role: the checker's diagnostic, in LSP terms.
    let broken = AGREEMENT.replace(
        "owner community_manager\n    on",
        "owner community_manger\n    on",
    );
    c.open(&acme, &broken);
    let diags = c.diagnostics(&acme);
    insta::assert_yaml_snapshot!("diagnostics_unknown_role", c.redact(diags));

    // Fixing it clears them.
    c.change(&acme, 2, AGREEMENT);
    assert_eq!(c.diagnostics(&acme), json!([]));

    let t = AGREEMENT;
    let mut hovers = serde_json::Map::new();
    for (name, needle, n) in [
        ("role_use", "owner community_manager", 7),
        ("role_declaration", "role community_manager", 6),
        ("keyword_goal", "goal urgent", 1),
        ("keyword_target", "target p95", 1),
        ("duration_on_business_clock", "1h30m", 1),
        ("duration_around_the_clock", "within 15m", 8),
        ("prelude_metric", "metric response_time", 8),
        ("imported_calendar", "cal.extended_care", 6),
        ("import_alias", "cal.extended_care", 1),
        ("tier_use", "crisis.minor", 9),
        ("enum_value", "priority >= high", 13),
        ("audience_use", "audience = dach", 12),
        ("import_path", "\"calendars.sla\"", 3),
        ("keyword_tier_in_escalation", "tier major", 1),
        ("keyword_breach", "on breach", 4),
        ("whitespace", "\n\n  goal urgent", 1),
    ] {
        let h = c.at("textDocument/hover", &acme, pos(t, needle, n));
        hovers.insert(name.into(), c.redact(h));
    }
    insta::assert_yaml_snapshot!("hovers", hovers);

    let mut defs = serde_json::Map::new();
    for (name, needle, n) in [
        ("role", "owner community_manager", 7),
        ("party", "of bright", 4),
        ("audience", "audience = dach", 12),
        ("platform_in_prelude", "[x, instagram]", 5),
        ("calendar", "clock office", 7),
        ("imported_calendar", "cal.extended_care", 6),
        ("import_alias", "cal.extended_care", 1),
        ("tier", "crisis.minor", 9),
        ("escalation", "crisis.minor", 2),
        ("import_path", "\"calendars.sla\"", 3),
        ("prelude_metric", "metric response_time", 8),
        ("holiday_set_in_std", "holidays.de_2026", 10),
    ] {
        let d = c.at("textDocument/definition", &acme, pos(t, needle, n));
        defs.insert(name.into(), c.redact(d));
    }
    insta::assert_yaml_snapshot!("definitions", defs);

    let mut refs = serde_json::Map::new();
    for (name, needle, n) in [
        ("role", "role community_manager", 6),
        ("tier", "tier minor", 6),
        ("calendar_in_other_file", "cal.extended_care", 6),
    ] {
        let r = c.at("textDocument/references", &acme, pos(t, needle, n));
        refs.insert(name.into(), c.redact(r));
    }
    insta::assert_yaml_snapshot!("references", refs);

    // References asked from the declaring file find the importer's uses.
    let cal = uri(&root.join("calendars.sla"));
    c.open(&cal, CALENDARS);
    let r = c.at(
        "textDocument/references",
        &cal,
        pos(CALENDARS, "extended_care", 2),
    );
    insta::assert_yaml_snapshot!("references_from_the_imported_file", c.redact(r));
    c.shutdown();
}

/// Completion labels only: the full items are long and say the same.
fn labels(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("a completion list")
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn completion_offers_what_fits_the_cursor() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let acme = uri(&root.join("acme.sla"));
    c.open(&acme, AGREEMENT);
    let _ = c.diagnostics(&acme);

    // Half-typed states: a line with the cursor at `|`, inserted after an
    // anchor line of the agreement.
    let cases = [
        ("agreement_clause", "  fee 12000 EUR per month\n", "  |\n"),
        ("goal_clause", "    target p95 <= 30m\n", "    |\n"),
        ("tier_clause", "      notify head_of_comms\n", "      |\n"),
        ("breach_clause", "    on breach {\n", "      |\n"),
        (
            "roles_after_owner",
            "    target p95 <= 30m\n",
            "    owner |\n",
        ),
        (
            "calendars_after_clock",
            "    target p95 <= 30m\n",
            "    clock |\n",
        ),
        (
            "tiers_after_escalate",
            "    on breach {\n",
            "      escalate |\n",
        ),
        (
            "platform_values",
            "    target p95 <= 30m\n",
            "    where platform in [x, |\n",
        ),
        (
            "priority_values",
            "    target p95 <= 30m\n",
            "    where priority >= |\n",
        ),
        (
            "parties_after_of",
            "  fee 12000 EUR per month\n",
            "  role intern of |\n",
        ),
        (
            "denominators",
            "    target p95 <= 30m\n",
            "    metric engagement_rate by |\n",
        ),
        (
            "holiday_sets",
            "  open mon-fri 09:00-17:00\n",
            "  closed |\n",
        ),
        ("file_items", "", "|\n"),
        (
            "in_a_comment",
            "  fee 12000 EUR per month\n",
            "  // owner |\n",
        ),
    ];
    let mut out = serde_json::Map::new();
    for (i, (name, anchor, line)) in cases.iter().enumerate() {
        let at = AGREEMENT.find(anchor).unwrap() + anchor.len();
        let text = format!("{}{line}{}", &AGREEMENT[..at], &AGREEMENT[at..]);
        let cursor = text.find('|').unwrap();
        let text = text.replace('|', "");
        c.change(&acme, 10 + i as i32, &text);
        let before = &text[..cursor];
        let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .encode_utf16()
            .count();
        let items = c.at(
            "textDocument/completion",
            &acme,
            json!({ "line": before.matches('\n').count(), "character": col }),
        );
        out.insert((*name).into(), json!(labels(&items)));
    }
    insta::assert_yaml_snapshot!("completions", out);

    // Inside `timezone "..."`: time zones, replacing the string's contents.
    let text = AGREEMENT.replace("timezone \"Europe/Berlin\"", "timezone \"Europe/Be\"");
    c.change(&acme, 100, &text);
    let items = c.at("textDocument/completion", &acme, pos(&text, "/Be\"", 3));
    let all = labels(&items);
    assert!(all.contains(&"Europe/Berlin".to_string()));
    let berlin = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "Europe/Berlin")
        .unwrap();
    insta::assert_yaml_snapshot!("completion_time_zone_item", berlin);
    c.shutdown();
}

#[test]
fn outline_and_formatting() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let acme = uri(&root.join("acme.sla"));
    c.open(&acme, AGREEMENT);
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": acme } }),
    );
    insta::assert_yaml_snapshot!("document_symbols", symbols);

    let fmt = |c: &mut Client| {
        c.request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": acme }, "options": { "tabSize": 4, "insertSpaces": true } }),
        )
    };
    // Already canonical: no edits.
    assert_eq!(fmt(&mut c), json!([]));
    let messy = "calendar   c {timezone \"UTC\"\n\n\n open mon 09:00-10:00}";
    c.change(&acme, 2, messy);
    insta::assert_yaml_snapshot!("formatting_edit", fmt(&mut c));
    // A syntax error: nothing to format.
    c.change(&acme, 3, "calendar c { timezone");
    assert_eq!(fmt(&mut c), Value::Null);
    c.shutdown();
}

/// A deterministic pseudo-random sequence (xorshift), so failures replay.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn garbage(rng: &mut Rng, len: usize) -> String {
    const PIECES: &[&str] = &[
        "{",
        "}",
        "\"",
        "\\",
        "[",
        "]",
        ",",
        ".",
        "=",
        ">=",
        "\n",
        " ",
        "\t",
        "//",
        "///",
        "goal",
        "tier",
        "agreement",
        "clock",
        "é",
        "😀",
        "\u{0}",
        "\u{feff}",
        "\r\n",
        "9",
        "%",
        "1h",
        "x.y.z",
        "\u{202e}",
    ];
    (0..len)
        .map(|_| match rng.below(4) {
            0 => char::from_u32(rng.below(0x11_0000) as u32)
                .unwrap_or('?')
                .to_string(),
            _ => PIECES[rng.below(PIECES.len() as u64) as usize].to_string(),
        })
        .collect()
}

#[test]
fn it_survives_any_input() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let doc = uri(&root.join("fuzz.sla"));
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let big = common::big::agreement(5000);
    let texts = [
        String::new(),
        "}}}}{{{{".repeat(1000),
        garbage(&mut rng, 3000),
        garbage(&mut rng, 200),
        // Half-typed: cut in the middle of a clause, a string, a name.
        AGREEMENT[..AGREEMENT.find("within 1h30m").unwrap() + 8].to_string(),
        AGREEMENT[..AGREEMENT.find("Acme Social").unwrap() + 4].to_string(),
        AGREEMENT[..AGREEMENT.find("crisis.min").unwrap() + 10].to_string(),
        big.clone(),
        // Past the 8 MiB the checker accepts: refused, not parsed.
        "// a comment line\n".repeat(500_000),
    ];
    c.open(&doc, "");
    let methods = [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/references",
        "textDocument/completion",
    ];
    for (v, text) in texts.iter().enumerate() {
        c.change(&doc, v as i32 + 2, text);
        let lines = text.lines().count() as u64 + 2;
        for i in 0..12 {
            let at = json!({ "line": rng.below(lines), "character": rng.below(200) });
            let r = c.at(methods[i % methods.len()], &doc, at);
            assert!(r.get("error").is_none(), "{r}");
        }
        for method in ["textDocument/documentSymbol", "textDocument/formatting"] {
            let r = c.request(
                method,
                json!({ "textDocument": { "uri": doc }, "options": { "tabSize": 2, "insertSpaces": true } }),
            );
            assert!(r.get("error").is_none(), "{r}");
        }
        // Random incremental edits, some at positions past the end.
        for _ in 0..5 {
            let a = json!({ "line": rng.below(lines), "character": rng.below(80) });
            let b = json!({ "line": rng.below(lines + 5), "character": rng.below(80) });
            let edit = garbage(&mut rng, 5);
            c.notify(
                "textDocument/didChange",
                json!({ "textDocument": { "uri": doc, "version": 100 },
                        "contentChanges": [{ "range": { "start": a, "end": b }, "text": edit }] }),
            );
        }
    }
    // Requests for documents never opened, and malformed parameters.
    let r = c.at(
        "textDocument/hover",
        "file:///nowhere/x.sla",
        json!({ "line": 0, "character": 0 }),
    );
    assert_eq!(r, Value::Null);
    let r = c.request("textDocument/hover", json!({ "nonsense": true }));
    assert!(r.get("error").is_some(), "{r}");
    let r = c.request("slac/unknownMethod", json!({}));
    assert!(r.get("error").is_some(), "{r}");

    // Still serving: a hover on the big agreement answers.
    c.change(&doc, 1000, &big);
    let h = c.at("textDocument/hover", &doc, pos(&big, "owner role_1", 7));
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("role role_1 of agency"),
        "{h}"
    );
    c.shutdown();
}

/// Issue #11: hostile framing and JSON-RPC, sent as raw frames. After each,
/// the server still answers.
#[test]
fn hostile_frames_get_answers_not_crashes() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let alive = |c: &mut Client| {
        let r = c.at(
            "textDocument/hover",
            "file:///nowhere/x.sla",
            json!({ "line": 0, "character": 0 }),
        );
        assert_eq!(r, Value::Null, "still serving");
    };

    // A Content-Length of 2^40 (and of 2^62, which aborted the process):
    // refused before any body is read. The 2^40 body then starts to arrive
    // and is skipped without being kept; the session is over either way,
    // so it runs last, in its own server below.

    // Malformed JSON in a correct frame: -32700, id null.
    for body in [&b"{\"jsonrpc\":"[..], b"", b"\xff\xfe", b"{]"] {
        c.send_raw(body);
        let r = c.response();
        assert_eq!(r["id"], Value::Null, "{r}");
        assert_eq!(r["error"]["code"], -32700, "{r}");
        alive(&mut c);
    }

    // Ids of other types than integer and string: -32600, id null.
    for id in ["1.5", "true", "null", "[1]", "{\"a\":1}", "-0.5", "1e3"] {
        c.send_raw(
            format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"textDocument/hover","params":{{}}}}"#)
                .as_bytes(),
        );
        let r = c.response();
        assert_eq!(r["id"], Value::Null, "{id}: {r}");
        assert_eq!(r["error"]["code"], -32600, "{id}: {r}");
        alive(&mut c);
    }
    // Integers past 32 bits, and strings, are ids: echoed back exactly.
    for id in [
        "2147483648",
        "-2147483649",
        "9007199254740993",
        "18446744073709551615",
        "\"x\\u0000y\"",
    ] {
        c.send_raw(
            format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"slac/unknown","params":{{}}}}"#)
                .as_bytes(),
        );
        let raw = c.response();
        let expected: Value = serde_json::from_str(id).unwrap();
        assert_eq!(raw["id"], expected, "{id}: {raw}");
        assert_eq!(raw["error"]["code"], -32601, "{id}: {raw}");
    }
    // Not a request object at all.
    for body in [
        "[]",
        "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}]",
        "42",
        "{\"id\":3}",
    ] {
        c.send_raw(body.as_bytes());
        let r = c.response();
        assert_eq!(r["error"]["code"], -32600, "{body}: {r}");
    }

    // A lone surrogate (and a stray byte) in didOpen: the buffer opens,
    // decoded lossily, and gets diagnostics.
    let doc = uri(&root.join("lone.sla"));
    let mut body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"{doc}","languageId":"slac","version":1,"text":"calendar \ud800 {{"}}}}}}"#
    )
    .into_bytes();
    body.extend_from_slice(b"\n");
    c.send_raw(&body);
    let diags = c.diagnostics(&doc);
    assert!(!diags.as_array().unwrap().is_empty(), "{diags}");
    let mut body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{doc}","version":2}},"contentChanges":[{{"text":"// \udfff "#
    )
    .into_bytes();
    body.extend_from_slice(b"\xc3\x28\"}]}}");
    c.send_raw(&body);
    assert_eq!(c.diagnostics(&doc), json!([]));
    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": doc } }),
    );
    assert!(symbols.get("error").is_none(), "{symbols}");

    // A hover quotes contacts and names in Markdown that they cannot end.
    let evil = uri(&root.join("evil.sla"));
    let text = "agreement a \"A\" {\n  client c \"C <img src=x>\"\n  provider p \"P\"\n  effective 2026-01-01 to 2026-12-31\n  role r of c { email \"a`b<img src=x>@x.example\" }\n}\n";
    c.open(&evil, text);
    let h = c.at("textDocument/hover", &evil, pos(text, "role r", 5));
    let value = h["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(value.contains("``a`b<img src=x>@x.example``"), "{h}");
    assert!(value.contains("C &lt;img src=x&gt;"), "{h}");

    // A business-day duration shows what it comes to on its clock.
    let bd = uri(&root.join("business-days.sla"));
    let text = include_str!("corpus/valid/business-days.sla");
    c.open(&bd, text);
    for (needle, want) in [
        ("95% within 1bd", "`1bd` = `8h`"),
        ("p99 <= 2bd", "`2bd` = `20h`"),
        ("resolve within 1bd", "`1bd` = `10h`"),
    ] {
        let h = c.at(
            "textDocument/hover",
            &bd,
            pos(text, needle, needle.len() - 1),
        );
        let value = h["contents"]["value"].as_str().unwrap_or_default();
        assert!(value.contains(want), "{h}");
    }

    // `1d` on office hours warns (W0009) and offers `1bd` as a quick fix.
    let days = uri(&root.join("whole-day.sla"));
    let text = include_str!("corpus/invalid/whole-day-on-business-hours.sla");
    c.open(&days, text);
    let diags = c.diagnostics(&days);
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": days },
            "range": diags[0]["range"],
            "context": { "diagnostics": diags },
        }),
    );
    let edits: Vec<&Value> = actions
        .as_array()
        .unwrap_or_else(|| panic!("{actions}"))
        .iter()
        .map(|a| &a["edit"]["changes"][&days][0])
        .collect();
    assert_eq!(edits.len(), 2, "{actions}");
    assert_eq!(edits[0]["newText"], "1bd", "{actions}");
    assert_eq!(edits[0]["range"], diags[0]["range"], "{actions}");
    assert_eq!(edits[1]["newText"], "5bd", "{actions}");
    assert_eq!(actions[0]["kind"], "quickfix");

    // After shutdown, requests are invalid; exit then ends with 0.
    assert_eq!(c.request("shutdown", Value::Null), Value::Null);
    let r = c.request("textDocument/hover", json!({}));
    assert_eq!(r["error"]["code"], -32600, "{r}");
    let r = c.request("shutdown", Value::Null);
    assert_eq!(r["error"]["code"], -32600, "{r}");
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), Some(0));

    // Exit without shutdown: status 1.
    let mut c = Client::start(&root);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait(), Some(1));
}

#[test]
fn a_huge_content_length_is_refused_without_allocating() {
    let (_dir, root) = workspace();
    for length in [1u64 << 40, 1 << 62, u64::MAX] {
        let mut c = Client::start(&root);
        write!(c.stdin, "Content-Length: {length}\r\n\r\n").unwrap();
        c.stdin.flush().unwrap();
        let r = c.response();
        assert_eq!(r["id"], Value::Null, "{r}");
        assert_eq!(r["error"]["code"], -32600, "{r}");
        // Part of the body arrives: thrown away as it comes, not stored.
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..32 {
            c.stdin.write_all(&chunk).unwrap();
        }
        c.stdin.flush().unwrap();
        if let Some(kb) = rss_kb(c.child.id()) {
            assert!(kb < 200 * 1024, "resident memory {kb} KiB");
        }
        assert!(c.child.try_wait().unwrap().is_none(), "still running");
        // The client hangs up inside the message: status 2, not an abort.
        assert_eq!(c.wait(), Some(2));
    }
    // A Content-Length that is not a number: the framing is lost; the
    // server says so and ends with status 2.
    let mut c = Client::start(&root);
    c.stdin.write_all(b"Content-Length: 1e3\r\n\r\n{}").unwrap();
    assert_eq!(c.wait(), Some(2));
}

/// Resident memory of a process, on Linux.
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Issue #11: go-to-definition writes the standard library's copy to a
/// private directory, and never through a link planted at the old fixed
/// path in the shared temporary directory.
#[test]
fn the_standard_library_copy_is_private_and_follows_no_links() {
    let (_dir, root) = workspace();
    let tmp = tempfile::tempdir().unwrap();
    let victim = root.join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    // What another local user could plant in a shared /tmp.
    #[cfg(unix)]
    {
        let planted = tmp
            .path()
            .join(format!("slac-{}-std", env!("CARGO_PKG_VERSION")));
        std::fs::create_dir(&planted).unwrap();
        std::os::unix::fs::symlink(&victim, planted.join("prelude.sla")).unwrap();
        std::os::unix::fs::symlink(&victim, planted.join("holidays.sla")).unwrap();
    }
    let mut c = Client::start_with(&root, Some(tmp.path()));
    let acme = uri(&root.join("acme.sla"));
    c.open(&acme, AGREEMENT);
    let mut dirs = Vec::new();
    for (needle, n) in [("metric response_time", 8), ("holidays.de_2026", 10)] {
        let d = c.at("textDocument/definition", &acme, pos(AGREEMENT, needle, n));
        let target = d["uri"].as_str().expect("a location").to_string();
        let path = PathBuf::from(target.strip_prefix("file://").unwrap());
        let dir = path.parent().unwrap().to_path_buf();
        assert!(dir.starts_with(tmp.path()), "{}", dir.display());
        assert!(
            !dir.ends_with(format!("slac-{}-std", env!("CARGO_PKG_VERSION"))),
            "the fixed path"
        );
        let meta = std::fs::symlink_metadata(&path).unwrap();
        assert!(meta.is_file(), "a file, not a link");
        assert!(meta.permissions().readonly());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700, "{mode:o}");
        }
        dirs.push(dir);
    }
    assert_eq!(dirs[0], dirs[1], "one directory per session");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    c.shutdown();
    assert!(!dirs[0].exists(), "removed when the session ends");
}

/// `replies by human`: hover explains the clause, and on resolution time
/// (W0018) the quick fix removes it up to the next clause.
#[test]
fn replies_by_human_hovers_and_its_warning_fixes() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let doc = uri(&root.join("replies.sla"));
    let text = include_str!("corpus/invalid/replies-by-on-resolution.sla");
    c.open(&doc, text);
    let diags = c.diagnostics(&doc);
    assert_eq!(diags[0]["code"], "slac::W0018", "{diags}");
    let h = c.at("textDocument/hover", &doc, pos(text, "replies by", 2));
    let shown = h["contents"].to_string();
    assert!(shown.contains("Only a person's reply stops"), "{h}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": doc },
            "range": diags[0]["range"],
            "context": { "diagnostics": diags },
        }),
    );
    let edit = &actions[0]["edit"]["changes"][&doc][0];
    assert_eq!(edit["newText"], "", "{actions}");
    // The whole line 11 of the file, its newline included: no blank line
    // is left behind.
    assert_eq!(
        edit["range"],
        json!({ "start": { "line": 10, "character": 0 }, "end": { "line": 11, "character": 0 } }),
        "{actions}"
    );
    c.shutdown();
}

/// Targets per segment: `for` hovers with its meaning, and after it the
/// goal's dimensions, then the dimension's values, are offered.
#[test]
fn segments_hover_and_complete() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let acme = uri(&root.join("acme.sla"));
    let text = AGREEMENT.replace(
        "    target p95 <= 30m\n",
        "    target p95 <= 30m\n    target p95 <= 15m for priority = urgent\n",
    );
    c.open(&acme, &text);
    assert_eq!(c.diagnostics(&acme), json!([]));
    let h = c.at("textDocument/hover", &acme, pos(&text, "for priority", 1));
    let shown = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(shown.contains("A segment's target"), "{h}");
    let complete = |c: &mut Client, version: i32, line: &str, needle: &str| {
        let t = text.replace("for priority = urgent", line);
        c.change(&acme, version, &t);
        let items = c.at(
            "textDocument/completion",
            &acme,
            pos(&t, needle, needle.len()),
        );
        labels(&items)
    };
    let dims = complete(&mut c, 2, "for ", "for ");
    assert!(dims.contains(&"priority".to_string()), "{dims:?}");
    let values = complete(&mut c, 3, "for priority = ", "for priority = ");
    assert!(values.contains(&"urgent".to_string()), "{values:?}");
}
