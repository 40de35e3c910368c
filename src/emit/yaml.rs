//! A small YAML writer for generated files. Every one-line string is
//! double-quoted (JSON escaping, which YAML accepts), so no reader can take
//! `17:00`, `yes`, `=` or `2026-01-01` for anything but a string, whichever
//! YAML version it follows. Multi-line strings (PromQL with comments,
//! templates) are literal blocks (`|-`), so a reviewer reads them as
//! written; a literal block is always a string. Block style, two-space
//! indentation, keys in the order the emitter gives them.

use serde_json::Value;

pub fn to_yaml<T: serde::Serialize>(value: &T) -> String {
    let v = serde_json::to_value(value).expect("emitted types serialise");
    let mut out = String::new();
    match &v {
        Value::Object(m) if !m.is_empty() => map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push_str("  ");
    }
}

/// A key: plain when it is a simple identifier, quoted otherwise.
fn key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            k.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
        );
    if plain {
        k.to_string()
    } else {
        quote(k)
    }
}

/// JSON escaping, plus `\u` escapes for what JSON leaves raw but YAML does
/// not read as itself: DEL and the C1 controls (NEL is a line break to
/// YAML), the Unicode line and paragraph separators, and the byte order mark.
fn quote(s: &str) -> String {
    let json = serde_json::to_string(s).expect("strings serialise");
    if !json.chars().any(yaml_escapes) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if yaml_escapes(c) {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn yaml_escapes(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quote(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
        _ => false,
    }
}

fn map(out: &mut String, m: &serde_json::Map<String, Value>, level: usize) {
    for (k, v) in m {
        indent(out, level);
        out.push_str(&key(k));
        out.push(':');
        if is_block(v) {
            out.push('\n');
            match v {
                Value::Object(inner) => map(out, inner, level + 1),
                Value::Array(items) => seq(out, items, level + 1),
                _ => unreachable!(),
            }
        } else {
            out.push(' ');
            value(out, v, level + 1);
        }
    }
}

/// A scalar after its key or dash, ending the line: a literal block
/// indented to `level` when it is a string that can be one.
fn value(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::String(s) if literal_block_fits(s) => literal(out, s, level),
        _ => {
            out.push_str(&scalar(v));
            out.push('\n');
        }
    }
}

/// A literal block reads back as exactly `s` when `s` has several lines,
/// no character YAML would escape or treat as a line break, and no line
/// of only blanks (those would be taken for indentation).
fn literal_block_fits(s: &str) -> bool {
    s.contains('\n')
        && !s.trim().is_empty()
        && s.chars()
            .all(|c| c == '\n' || c == '\t' || !(c.is_control() || yaml_escapes(c)))
        && s.lines().all(|l| l.is_empty() || !l.trim().is_empty())
}

fn literal(out: &mut String, s: &str, level: usize) {
    let body = s.trim_end_matches('\n');
    let chomp = match s.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    // An explicit indentation when the first line would otherwise set it.
    let first = body.lines().find(|l| !l.is_empty()).unwrap_or("");
    let width = if first.starts_with([' ', '\t']) {
        "2"
    } else {
        ""
    };
    out.push('|');
    out.push_str(width);
    out.push_str(chomp);
    out.push('\n');
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(out, level);
            out.push_str(line);
        }
        out.push('\n');
    }
    for _ in 1..s.len() - body.len() {
        out.push('\n');
    }
}

fn seq(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push('-');
        match item {
            Value::Object(m) if !m.is_empty() => {
                // The first key shares the dash's line; the rest align with it.
                let mut first = String::new();
                map(&mut first, m, level + 1);
                out.push(' ');
                out.push_str(first.trim_start());
            }
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                seq(out, a, level + 1);
            }
            other => {
                out.push(' ');
                value(out, other, level + 1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_every_string_and_keeps_structure() {
        let v = json!({
            "hours": "09:00-17:00",
            "op": "=",
            "yes": true,
            "list": [{"a": 1, "b": ["x", "y"]}, "z"],
            "empty": [],
            "ratio": 0.9,
            "nested": {"k": "line\nbreak"}
        });
        let y = to_yaml(&v);
        assert_eq!(
            y,
            "hours: \"09:00-17:00\"\nop: \"=\"\n\"yes\": true\nlist:\n  - a: 1\n    b:\n      - \"x\"\n      - \"y\"\n  - \"z\"\nempty: []\nratio: 0.9\nnested:\n  k: |-\n    line\n    break\n"
        );
        let back: serde_json::Value = serde_yaml::from_str(&y).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn multi_line_strings_read_back_exactly() {
        let tricky = [
            "a\nb",
            "a\nb\n",
            "a\nb\n\n\n",
            "  indented first\nthen not",
            "\tx\ny",
            "\n\nleading blank lines\nz",
            "# not a comment\n- not a list\nkey: not a map\n\"quotes\" and 'quotes'",
            "---\n...\n%TAG",
            "trailing spaces   \nkept",
            "Caf\u{e9} \u{1F600}\nline",
            "blank only line\n   \nafter",
            "carriage\r\nreturn",
            "nel\u{85}line\nx",
            "\n",
            "one line with nel\u{85}, ls\u{2028}, ps\u{2029}, bom\u{feff}, del\u{7f}, c1\u{9b}",
        ];
        for s in tricky {
            let v = json!({"top": s, "list": [s, {"k": s}], "deep": {"er": [{"k": s, "j": 1}]}});
            let y = to_yaml(&v);
            let back: serde_json::Value =
                serde_yaml::from_str(&y).unwrap_or_else(|e| panic!("{s:?}: {e}\n{y}"));
            assert_eq!(back, v, "{s:?} did not survive:\n{y}");
        }
        assert!(to_yaml(&json!({"k": "a\nb"})).contains("k: |-\n"));
    }
}
