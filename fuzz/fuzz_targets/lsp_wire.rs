//! The language server's wire: Content-Length framing and JSON-RPC
//! classification over any bytes (src/lsp/transport.rs). Frames are read
//! until the input ends or breaks; nothing may panic, no body may exceed
//! the limit, every error response is a valid JSON-RPC error with id null
//! or a valid id, and every request id is a string or an integer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slac::lsp::transport::{self, Frame, Incoming};

fuzz_target!(|data: &[u8]| {
    let mut input = data;
    for _ in 0..256 {
        match transport::read_frame(&mut input) {
            Ok(Frame::Body(body)) => {
                assert!(body.len() as u64 <= transport::MAX_MESSAGE);
                check(transport::parse_message(&body));
            }
            Ok(Frame::TooLarge(n)) => {
                assert!(n > transport::MAX_MESSAGE);
                if transport::skip(&mut input, n).is_err() {
                    break;
                }
            }
            Ok(Frame::End) | Err(_) => break,
        }
    }
    // The same bytes as one body, as a frame around them would carry.
    check(transport::parse_message(data));
});

fn check(message: Incoming) {
    match message {
        Incoming::Request { id, method, params } => {
            assert!(id.is_string() || id.is_i64() || id.is_u64(), "{id}");
            let answer = transport::ok(id, serde_json::json!({ "method": method, "params": params }));
            reparse(&answer);
        }
        Incoming::Invalid(error) => {
            let id = &error["id"];
            assert!(id.is_null() || id.is_string() || id.is_i64() || id.is_u64(), "{id}");
            assert!(error["error"]["code"].is_i64(), "{error}");
            reparse(&error);
        }
        Incoming::Notification { .. } | Incoming::Response => {}
    }
}

/// What the server writes reads back as one frame holding the same JSON.
fn reparse(msg: &serde_json::Value) {
    let bytes = transport::frame(msg);
    let mut r = &bytes[..];
    match transport::read_frame(&mut r) {
        Ok(Frame::Body(body)) => {
            let back: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON");
            assert_eq!(&back, msg);
        }
        other => panic!("{other:?}"),
    }
}
