//! The wire: `Content-Length` framing and JSON-RPC 2.0, read defensively.
//!
//! The client is trusted to be an editor, not to be well-behaved: a frame
//! may claim any length, carry bytes that are not UTF-8, JSON that does not
//! parse, strings with lone UTF-16 surrogates (`"\ud800"`, which serde_json
//! refuses), or ids of any JSON type. Everything here is a pure function of
//! the bytes read, so it can be fuzzed (`fuzz/fuzz_targets/lsp_wire.rs`),
//! and nothing allocates more than the bytes that actually arrived.
//!
//! Decisions (see docs/lsp.md):
//! - a body over [`MAX_MESSAGE`] bytes is skipped without being stored and
//!   answered with `-32600` (id `null`);
//! - invalid UTF-8 is decoded lossily and lone surrogate escapes become
//!   U+FFFD, so an editor buffer with either still opens;
//! - JSON that does not parse is answered with `-32700` (id `null`);
//! - a request id is a string or an integer; any integer JSON can carry
//!   exactly (up to 2^64 - 1) is accepted and echoed back unchanged, wider
//!   than LSP's 32-bit `integer`, so a client that overflows still gets its
//!   answer. Any other id (`1.5`, `true`, `null`, a list, an object) makes
//!   the message an invalid request, answered with `-32600` and id `null`.

use serde_json::{json, Map, Value};
use std::io::{self, BufRead, Read};

/// The largest message body read: 64 MiB, eight times the largest source
/// file the checker accepts.
pub const MAX_MESSAGE: u64 = 64 << 20;
/// The longest header line, and the most header lines in one frame.
const MAX_HEADER_LINE: u64 = 8 << 10;
const MAX_HEADERS: usize = 32;

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;
pub const SERVER_NOT_INITIALIZED: i64 = -32002;

/// One frame read from the client.
#[derive(Debug, PartialEq)]
pub enum Frame {
    /// A whole body, at most [`MAX_MESSAGE`] bytes.
    Body(Vec<u8>),
    /// A frame whose `Content-Length` is over the limit. Its body is still
    /// to come: [`skip`] reads it and throws it away, so that the next frame
    /// starts where it should (the error can be answered first).
    TooLarge(u64),
    /// The input ended between frames.
    End,
}

/// Framing that cannot be recovered from: there is no telling where the
/// next frame starts.
#[derive(Debug)]
pub enum FramingError {
    Header(String),
    /// The input ended inside a frame.
    Truncated,
    Io(io::Error),
}

impl std::fmt::Display for FramingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FramingError::Header(m) => write!(f, "unreadable message header: {m}"),
            FramingError::Truncated => f.write_str("the input ended inside a message"),
            FramingError::Io(e) => write!(f, "reading a message: {e}"),
        }
    }
}

/// Reads one frame: header lines up to an empty line, then exactly
/// `Content-Length` bytes.
pub fn read_frame(r: &mut impl BufRead) -> Result<Frame, FramingError> {
    let mut length = None;
    let mut lines = 0;
    loop {
        let mut line = Vec::new();
        let n = r
            .by_ref()
            .take(MAX_HEADER_LINE + 1)
            .read_until(b'\n', &mut line)
            .map_err(FramingError::Io)?;
        if n == 0 {
            return if lines == 0 {
                Ok(Frame::End)
            } else {
                Err(FramingError::Truncated)
            };
        }
        if line.last() != Some(&b'\n') {
            return Err(if n as u64 > MAX_HEADER_LINE {
                FramingError::Header(format!("a header line over {MAX_HEADER_LINE} bytes"))
            } else {
                FramingError::Truncated
            });
        }
        lines += 1;
        if lines > MAX_HEADERS {
            return Err(FramingError::Header(format!(
                "more than {MAX_HEADERS} header lines"
            )));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            break;
        }
        let Some((name, value)) = text.split_once(':') else {
            return Err(FramingError::Header(format!(
                "`{}` is not `name: value`",
                visible(text)
            )));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            let parsed = value
                .parse::<u64>()
                .ok()
                .filter(|_| value.bytes().all(|b| b.is_ascii_digit()));
            match parsed {
                Some(n) => length = Some(n),
                None => {
                    return Err(FramingError::Header(format!(
                        "`Content-Length: {}` is not a byte count",
                        visible(value)
                    )))
                }
            }
        }
    }
    let Some(length) = length else {
        return Err(FramingError::Header("no `Content-Length`".into()));
    };
    if length > MAX_MESSAGE {
        return Ok(Frame::TooLarge(length));
    }
    // Grows with the bytes that arrive, never to the claimed length first.
    let mut body = Vec::new();
    r.by_ref()
        .take(length)
        .read_to_end(&mut body)
        .map_err(FramingError::Io)?;
    if (body.len() as u64) < length {
        return Err(FramingError::Truncated);
    }
    Ok(Frame::Body(body))
}

/// Reads and forgets the `length` bytes of a body too large to keep.
pub fn skip(r: &mut impl BufRead, length: u64) -> Result<(), FramingError> {
    let skipped =
        io::copy(&mut r.by_ref().take(length), &mut io::sink()).map_err(FramingError::Io)?;
    if skipped < length {
        Err(FramingError::Truncated)
    } else {
        Ok(())
    }
}

/// Header text as it may be logged: control characters escaped.
fn visible(s: &str) -> String {
    let cut: String = s.chars().take(80).collect();
    crate::text::visible(&cut).into_owned()
}

/// What a message body asks for.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    /// `id` is a string or an integer number.
    Request {
        id: Value,
        method: String,
        params: Value,
    },
    Notification {
        method: String,
        params: Value,
    },
    /// A response to a request of the server's (slac sends none): ignored.
    Response,
    /// Not a message slac can act on; the error response to send back.
    Invalid(Value),
}

/// Classifies one message body.
pub fn parse_message(body: &[u8]) -> Incoming {
    let text = String::from_utf8_lossy(body);
    let text = repair_surrogates(&text);
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            return Incoming::Invalid(error(Value::Null, PARSE_ERROR, format!("parse error: {e}")))
        }
    };
    let mut obj = match value {
        Value::Object(obj) => obj,
        Value::Array(_) => {
            return invalid(
                Value::Null,
                "batches are not part of the language server protocol",
            )
        }
        _ => return invalid(Value::Null, "a message is a JSON object"),
    };
    let id = obj.remove("id");
    let valid_id = id.as_ref().filter(|id| is_valid_id(id)).cloned();
    if let Some(v) = obj.get("jsonrpc") {
        if v != "2.0" {
            return invalid(valid_id.unwrap_or_default(), "`jsonrpc` must be \"2.0\"");
        }
    }
    let params = obj.remove("params").unwrap_or(Value::Null);
    let method = match obj.remove("method") {
        Some(Value::String(m)) => m,
        Some(_) => return invalid(valid_id.unwrap_or_default(), "`method` must be a string"),
        None if id.is_some() && (obj.contains_key("result") || obj.contains_key("error")) => {
            return Incoming::Response
        }
        None => return invalid(valid_id.unwrap_or_default(), "a request needs a `method`"),
    };
    if !matches!(params, Value::Null | Value::Object(_) | Value::Array(_)) {
        return invalid(
            valid_id.unwrap_or_default(),
            "`params` must be an object or an array",
        );
    }
    match id {
        None => Incoming::Notification { method, params },
        Some(id) if is_valid_id(&id) => Incoming::Request { id, method, params },
        Some(id) => invalid(
            Value::Null,
            format!(
                "invalid request id `{}`: an id is a string or an integer",
                short(&id)
            ),
        ),
    }
}

fn is_valid_id(id: &Value) -> bool {
    id.is_string() || id.is_i64() || id.is_u64()
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}

fn invalid(id: Value, message: impl Into<String>) -> Incoming {
    Incoming::Invalid(error(id, INVALID_REQUEST, message))
}

/// A successful response.
pub fn ok(id: Value, result: Value) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "result": result })
}

/// An error response.
pub fn error(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message.into() } })
}

/// A notification from the server.
pub fn notification(method: &str, params: Value) -> Value {
    let mut m = Map::new();
    m.insert("jsonrpc".into(), "2.0".into());
    m.insert("method".into(), method.into());
    m.insert("params".into(), params);
    Value::Object(m)
}

/// A message framed for the wire.
pub fn frame(msg: &Value) -> Vec<u8> {
    let body = msg.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// Replaces `\uXXXX` escapes of lone UTF-16 surrogates with `\ufffd`:
/// JavaScript strings may hold them, Rust strings may not. Only escapes are
/// looked at; a backslash outside a string is a parse error anyway.
pub fn repair_surrogates(text: &str) -> std::borrow::Cow<'_, str> {
    let b = text.as_bytes();
    let hex_at = |i: usize| -> Option<u16> {
        if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
            return None;
        }
        let digits = std::str::from_utf8(b.get(i + 2..i + 6)?).ok()?;
        u16::from_str_radix(digits, 16).ok()
    };
    let is_high = |u: u16| (0xD800..0xDC00).contains(&u);
    let is_low = |u: u16| (0xDC00..0xE000).contains(&u);
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(u) = hex_at(i) else {
            // Any other escape (`\\`, `\"`, ...) is two bytes.
            i += 2;
            continue;
        };
        if is_high(u) && hex_at(i + 6).is_some_and(is_low) {
            i += 12;
        } else if is_high(u) || is_low(u) {
            let out = out.get_or_insert_with(String::new);
            out.push_str(&text[copied..i]);
            out.push_str("\\ufffd");
            i += 6;
            copied = i;
        } else {
            i += 6;
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[copied..]);
            std::borrow::Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<Result<Frame, String>> {
        let mut r = io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut r) {
                Ok(Frame::End) => return out,
                Ok(Frame::TooLarge(n)) => {
                    out.push(Ok(Frame::TooLarge(n)));
                    if let Err(e) = skip(&mut r, n) {
                        out.push(Err(e.to_string()));
                        return out;
                    }
                }
                Ok(f) => out.push(Ok(f)),
                Err(e) => {
                    out.push(Err(e.to_string()));
                    return out;
                }
            }
        }
    }

    #[test]
    fn frames_are_read_one_after_the_other() {
        let got =
            frames(b"Content-Length: 2\r\n\r\n{}content-length:3\r\nContent-Type: x\r\n\r\n[1]");
        assert_eq!(
            got,
            vec![
                Ok(Frame::Body(b"{}".to_vec())),
                Ok(Frame::Body(b"[1]".to_vec()))
            ]
        );
    }

    #[test]
    fn a_huge_length_is_refused_before_anything_is_allocated() {
        let got = frames(b"Content-Length: 4611686018427387904\r\n\r\n{}");
        assert_eq!(
            got,
            vec![
                Ok(Frame::TooLarge(1 << 62)),
                Err("the input ended inside a message".into())
            ]
        );
        let mut input = format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE + 1).into_bytes();
        input.resize(input.len() + MAX_MESSAGE as usize + 1, b' ');
        input.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
        assert_eq!(
            frames(&input),
            vec![
                Ok(Frame::TooLarge(MAX_MESSAGE + 1)),
                Ok(Frame::Body(b"{}".to_vec()))
            ]
        );
        for bad in [
            &b"Content-Length: 99999999999999999999999\r\n\r\n"[..],
            b"Content-Length: -1\r\n\r\n",
            b"Content-Length: +1\r\n\r\n",
            b"garbage\r\n\r\n",
            b"Content-Type: x\r\n\r\n{}",
        ] {
            assert!(frames(bad)[0].is_err(), "{}", String::from_utf8_lossy(bad));
        }
        let long_header = vec![b'x'; 100_000];
        assert!(frames(&long_header)[0].is_err());
    }

    #[test]
    fn messages_are_classified() {
        let m = |s: &str| parse_message(s.as_bytes());
        assert_eq!(
            m(r#"{"jsonrpc":"2.0","id":1,"method":"a","params":{}}"#),
            Incoming::Request {
                id: json!(1),
                method: "a".into(),
                params: json!({})
            }
        );
        let big = m(r#"{"jsonrpc":"2.0","id":18446744073709551615,"method":"a"}"#);
        assert!(
            matches!(big, Incoming::Request { ref id, .. } if id.as_u64() == Some(u64::MAX)),
            "{big:?}"
        );
        for id in [
            "1.5",
            "true",
            "null",
            "[1]",
            "{}",
            "-0.0",
            "18446744073709551616",
        ] {
            let got = m(&format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"a"}}"#));
            match got {
                Incoming::Invalid(e) => {
                    assert_eq!(e["id"], Value::Null, "{id}");
                    assert_eq!(e["error"]["code"], INVALID_REQUEST, "{id}");
                }
                other => panic!("{id}: {other:?}"),
            }
        }
        for (body, code) in [
            ("{", PARSE_ERROR),
            ("", PARSE_ERROR),
            ("[]", INVALID_REQUEST),
            ("3", INVALID_REQUEST),
            (r#"{"id":1}"#, INVALID_REQUEST),
            (r#"{"id":1,"method":3}"#, INVALID_REQUEST),
            (r#"{"id":1,"method":"a","params":3}"#, INVALID_REQUEST),
            (r#"{"jsonrpc":"1.0","id":1,"method":"a"}"#, INVALID_REQUEST),
        ] {
            match m(body) {
                Incoming::Invalid(e) => assert_eq!(e["error"]["code"], code, "{body}"),
                other => panic!("{body}: {other:?}"),
            }
        }
        assert_eq!(m(r#"{"id":1,"result":null}"#), Incoming::Response);
        assert!(matches!(
            m(r#"{"method":"exit"}"#),
            Incoming::Notification { .. }
        ));
    }

    #[test]
    fn lone_surrogates_and_bad_utf8_decode_lossily() {
        let got = parse_message(
            b"{\"method\":\"a\",\"params\":[\"\\ud800x\\udc00\\ud83d\\ude00\\\\ud800\xff\"]}",
        );
        match got {
            Incoming::Notification { params, .. } => {
                assert_eq!(params[0], "\u{fffd}x\u{fffd}😀\\ud800\u{fffd}")
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(repair_surrogates(r"\ud800"), r"\ufffd");
        assert_eq!(repair_surrogates(r"\ud8"), r"\ud8");
        assert_eq!(repair_surrogates("\\"), "\\");
    }
}
