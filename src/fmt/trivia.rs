//! Comments are not part of the syntax tree; the formatter collects them
//! here, with their positions, and places them back around the clauses.

use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub span: Span,
    /// The whole comment, `//` included, without trailing whitespace.
    pub text: String,
}

/// Every `//` comment of a file that parsed, in order. `///` doc comments
/// are in the tree and skipped here; strings are skipped so `"//"` is text.
pub fn comments(src: &str) -> Vec<Comment> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
                let is_doc = bytes.get(i + 2) == Some(&b'/');
                if !is_doc {
                    out.push(Comment {
                        span: Span::new(i, end),
                        text: src[i..end].trim_end().to_string(),
                    });
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_comments_but_not_docs_or_strings() {
        let src = "// a\n/// doc\nx \"// not\" // b  \n";
        let texts: Vec<String> = comments(src).into_iter().map(|c| c.text).collect();
        assert_eq!(texts, ["// a", "// b"]);
    }
}
