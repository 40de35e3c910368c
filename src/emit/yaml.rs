//! A small YAML writer for generated files. Every string is double-quoted
//! (JSON escaping, which YAML accepts), so no reader can take `17:00`,
//! `yes`, `=` or `2026-01-01` for anything but a string, whichever YAML
//! version it follows. Block style, two-space indentation, keys in the
//! order the emitter gives them.

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

fn quote(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
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
            out.push_str(&scalar(v));
            out.push('\n');
        }
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
                out.push_str(&scalar(other));
                out.push('\n');
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
            "hours: \"09:00-17:00\"\nop: \"=\"\n\"yes\": true\nlist:\n  - a: 1\n    b:\n      - \"x\"\n      - \"y\"\n  - \"z\"\nempty: []\nratio: 0.9\nnested:\n  k: \"line\\nbreak\"\n"
        );
        let back: serde_json::Value = serde_yaml::from_str(&y).unwrap();
        assert_eq!(back, v);
    }
}
