//! Escapes in strings. The grammar accepts any `\x` so that a bad escape is
//! reported precisely (E0004) instead of as a broken string.

use crate::diagnostics::{tick, Code, Diagnostic};
use crate::source::{FileId, Span};

/// Reports every escape in the file's strings that means nothing: an unknown
/// letter, or `\u{...}` that is not a Unicode scalar value.
pub fn check(file: FileId, src: &str) -> Vec<Diagnostic> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        let len = escape_len(&src[i..]);
                        if let Some(d) = invalid(file, &src[i..i + len], i) {
                            out.push(d);
                        }
                        i += len;
                    } else {
                        i += 1;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Length in bytes of the escape at the start of `s` (which starts with `\`).
fn escape_len(s: &str) -> usize {
    if s[1..].starts_with("u{") {
        if let Some(close) = s.find('}') {
            return close + 1;
        }
    }
    1 + s[1..].chars().next().map_or(0, char::len_utf8)
}

fn invalid(file: FileId, esc: &str, at: usize) -> Option<Diagnostic> {
    let span = Span::new(at, at + esc.len());
    let rest = &esc[1..];
    if matches!(rest, "\"" | "\\" | "n" | "t" | "r") {
        return None;
    }
    if let Some(hex) = rest.strip_prefix("u{").and_then(|r| r.strip_suffix('}')) {
        let valid = hex.len() <= 6
            && u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .is_some();
        if valid {
            return None;
        }
        return Some(
            Diagnostic::new(Code::E0004, format!("{} is not a Unicode character", tick(esc)), file, span)
                .label("not a Unicode scalar value")
                .help("write one to six hex digits naming a character, like `\\u{e9}` for é; surrogates D800-DFFF are not characters"),
        );
    }
    Some(
        Diagnostic::new(Code::E0004, format!("unknown escape {}", tick(esc)), file, span)
            .label("not an escape")
            .help("strings know `\\\"`, `\\\\`, `\\n`, `\\t`, `\\r` and `\\u{HEX}`; write `\\\\` for a backslash"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_bad_escapes_only_in_strings() {
        let src =
            "// \\q in a comment\nx \"ok \\\" \\n \\u{e9}\" \"bad \\q\" \"\\u{D800}\" \"\\u{}\"";
        let d = check(FileId(0), src);
        let msgs: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "unknown escape `\\q`",
                "`\\u{D800}` is not a Unicode character",
                "`\\u{}` is not a Unicode character"
            ]
        );
    }
}
