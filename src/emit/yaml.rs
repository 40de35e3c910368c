//! A small YAML writer for generated files. It is a `serde::Serializer`
//! that writes straight into a text buffer: the emitters' typed documents
//! go to YAML with no intermediate tree. Every one-line string is
//! double-quoted (JSON escaping, which YAML accepts), so no reader can take
//! `17:00`, `yes`, `=` or `2026-01-01` for anything but a string, whichever
//! YAML version it follows. Multi-line strings (PromQL with comments,
//! templates) are literal blocks (`|-`), so a reviewer reads them as
//! written; a literal block is always a string. Block style, two-space
//! indentation, keys in the order the emitter gives them; an empty map or
//! list is written `{}` or `[]`.

use serde::ser::{self, Serialize};
use std::fmt::{self, Display};

/// `value` as a YAML document.
pub fn to_yaml<T: Serialize>(value: &T) -> String {
    let mut out = String::with_capacity(4096);
    write_yaml(&mut out, value);
    out
}

/// Appends `value` as a YAML document to `out`.
pub fn write_yaml<T: Serialize>(out: &mut String, value: &T) {
    value
        .serialize(Node {
            out,
            slot: Slot::Top,
        })
        .expect("emitted types serialise: string keys, no custom errors");
}

/// Where a value goes: the whole document, after `key:`, or after a
/// list's `-`. The level is the indentation of the value's own lines.
#[derive(Clone, Copy)]
enum Slot {
    Top,
    AfterKey(usize),
    AfterDash(usize),
}

impl Slot {
    fn level(self) -> usize {
        match self {
            Slot::Top => 0,
            Slot::AfterKey(l) | Slot::AfterDash(l) => l,
        }
    }
}

#[derive(Debug)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push_str("  ");
    }
}

/// A key: plain when it is a simple identifier, quoted otherwise.
fn key(out: &mut String, k: &str) {
    let plain = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !(k.len() <= 5
            && matches!(
                k.to_ascii_lowercase().as_str(),
                "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
            ));
    if plain {
        out.push_str(k);
    } else {
        quote(out, k);
    }
}

/// JSON escaping, plus `\u` escapes for what JSON leaves raw but YAML does
/// not read as itself: DEL and the C1 controls (NEL is a line break to
/// YAML), the Unicode line and paragraph separators, and the byte order mark.
fn quote(out: &mut String, s: &str) {
    out.push('"');
    let mut plain = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            c if c < ' ' || yaml_escapes(c) => None,
            _ => continue,
        };
        out.push_str(&s[plain..i]);
        plain = i + c.len_utf8();
        match escape {
            Some(e) => out.push_str(e),
            // serde_json's lower-case hex for the C0 controls, upper case
            // for the rest, as the output has always had.
            None if c < ' ' => push_fmt(out, format_args!("\\u{:04x}", c as u32)),
            None => push_fmt(out, format_args!("\\u{:04X}", c as u32)),
        }
    }
    out.push_str(&s[plain..]);
    out.push('"');
}

fn push_fmt(out: &mut String, args: fmt::Arguments<'_>) {
    fmt::Write::write_fmt(out, args).expect("writing to a String cannot fail");
}

fn yaml_escapes(c: char) -> bool {
    matches!(
        c,
        '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
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

/// One value being written into its slot.
struct Node<'o> {
    out: &'o mut String,
    slot: Slot,
}

impl<'o> Node<'o> {
    /// A scalar's text, after the space that follows its key or dash.
    fn scalar(self, text: &str) -> Result<(), Error> {
        if !matches!(self.slot, Slot::Top) {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.out.push('\n');
        Ok(())
    }

    fn string(self, s: &str) -> Result<(), Error> {
        if !matches!(self.slot, Slot::Top) {
            self.out.push(' ');
            if literal_block_fits(s) {
                literal(self.out, s, self.slot.level());
                return Ok(());
            }
        }
        quote(self.out, s);
        self.out.push('\n');
        Ok(())
    }

    fn compound(self, kind: Kind) -> Compound<'o> {
        Compound {
            out: self.out,
            slot: self.slot,
            kind,
            started: false,
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Map,
    Seq,
}

/// A map or a list: nothing is written until its first entry, so an empty
/// one can still become `{}` or `[]` on its key's line.
pub struct Compound<'o> {
    out: &'o mut String,
    slot: Slot,
    kind: Kind,
    started: bool,
}

impl<'o> Compound<'o> {
    /// The indentation of the entries' keys or dashes.
    fn level(&self) -> usize {
        self.slot.level()
    }

    /// Starts the next entry: the line break or space after the parent's
    /// key or dash before the first, the indentation before the others.
    fn entry(&mut self) {
        let first = !self.started;
        self.started = true;
        match (self.slot, self.kind, first) {
            (Slot::AfterKey(_), _, true) | (Slot::AfterDash(_), Kind::Seq, true) => {
                self.out.push('\n');
            }
            (Slot::AfterDash(_), Kind::Map, true) => {
                self.out.push(' ');
                return;
            }
            _ => {}
        }
        indent(self.out, self.level());
    }

    fn key(&mut self, k: &str) {
        self.entry();
        key(self.out, k);
        self.out.push(':');
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let slot = Slot::AfterKey(self.level() + 1);
        value.serialize(Node {
            out: self.out,
            slot,
        })
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.entry();
        self.out.push('-');
        let slot = Slot::AfterDash(self.level() + 1);
        value.serialize(Node {
            out: self.out,
            slot,
        })
    }

    fn finish(self) -> Result<(), Error> {
        if !self.started {
            if !matches!(self.slot, Slot::Top) {
                self.out.push(' ');
            }
            self.out.push_str(if self.kind == Kind::Map {
                "{}\n"
            } else {
                "[]\n"
            });
        }
        Ok(())
    }

    /// The single-entry map around an enum variant's content.
    fn variant(mut self, name: &str, kind: Kind) -> Compound<'o> {
        self.key(name);
        let slot = Slot::AfterKey(self.level() + 1);
        Compound {
            out: self.out,
            slot,
            kind,
            started: false,
        }
    }
}

impl<'o> Node<'o> {
    fn display(self, v: impl Display) -> Result<(), Error> {
        if !matches!(self.slot, Slot::Top) {
            self.out.push(' ');
        }
        push_fmt(self.out, format_args!("{v}\n"));
        Ok(())
    }
}

/// The integer methods of a serializer, each calling `$write` with the value.
macro_rules! integers {
    ($write:ident) => {
        integers!($write: serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
            serialize_i64 i64, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
            serialize_u64 u64);
    };
    ($write:ident: $($method:ident $t:ty),*) => {$(
        fn $method(self, v: $t) -> Result<(), Error> {
            self.$write(v)
        }
    )*};
}

impl<'o> ser::Serializer for Node<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'o>;
    type SerializeTuple = Compound<'o>;
    type SerializeTupleStruct = Compound<'o>;
    type SerializeTupleVariant = Compound<'o>;
    type SerializeMap = Compound<'o>;
    type SerializeStruct = Compound<'o>;
    type SerializeStructVariant = Compound<'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.scalar(if v { "true" } else { "false" })
    }
    integers!(display);
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    /// The shortest text that reads back as `v`, as serde_json's numbers
    /// print it; `null` for infinities and NaN.
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        match serde_json::Number::from_f64(v) {
            Some(n) => self.display(n),
            None => self.scalar("null"),
        }
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = self.compound(Kind::Seq);
        for b in v {
            seq.item(b)?;
        }
        seq.finish()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.scalar("null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.scalar("null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.scalar("null")
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.string(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut map = self.compound(Kind::Map);
        map.key(variant);
        map.value(value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'o>, Error> {
        Ok(self.compound(Kind::Seq))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'o>, Error> {
        Ok(self.compound(Kind::Seq))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'o>, Error> {
        Ok(self.compound(Kind::Seq))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'o>, Error> {
        Ok(self.compound(Kind::Map).variant(variant, Kind::Seq))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'o>, Error> {
        Ok(self.compound(Kind::Map))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'o>, Error> {
        Ok(self.compound(Kind::Map))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'o>, Error> {
        Ok(self.compound(Kind::Map).variant(variant, Kind::Map))
    }
}

/// The list-like compounds: each element is an item after a dash.
macro_rules! items {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.item(value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}

items!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Error> {
        k.serialize(KeyName(self))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// The struct-like compounds: each field is a key and its value.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                k: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.key(k);
                self.value(value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

/// A map key, written in place: a string, or a number or character
/// written as one (as JSON would); anything else is refused.
struct KeyName<'c, 'o>(&'c mut Compound<'o>);

impl KeyName<'_, '_> {
    fn text(self, k: &str) -> Result<(), Error> {
        self.0.key(k);
        Ok(())
    }
    fn number(self, n: impl Display) -> Result<(), Error> {
        self.text(&n.to_string())
    }
    fn refuse<T>(&self) -> Result<T, Error> {
        Err(ser::Error::custom("a map key must be a string"))
    }
}

impl ser::Serializer for KeyName<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.text(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.text(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    integers!(number);
    fn serialize_bool(self, _: bool) -> Result<(), Error> {
        self.refuse()
    }
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        self.refuse()
    }
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        self.refuse()
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        self.refuse()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.refuse()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        self.refuse()
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.refuse()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.refuse()
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        self.refuse()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        self.refuse()
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        self.refuse()
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        self.refuse()
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        self.refuse()
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        self.refuse()
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        self.refuse()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        self.refuse()
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

    #[test]
    fn escapes_as_json_does_then_what_yaml_reads_otherwise() {
        let s = "\u{1}\u{8}\u{c}\u{1f}\"\\\u{7f}\u{2028}\u{e9}";
        let y = to_yaml(&json!({ "k": s, s: [] }));
        assert_eq!(
            y,
            "k: \"\\u0001\\b\\f\\u001f\\\"\\\\\\u007F\\u2028\u{e9}\"\n\
             \"\\u0001\\b\\f\\u001f\\\"\\\\\\u007F\\u2028\u{e9}\": []\n"
        );
        let back: serde_json::Value = serde_yaml::from_str(&y).unwrap();
        assert_eq!(back, json!({ "k": s, s: [] }));
    }

    #[test]
    fn numbers_options_and_enums() {
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(u8),
            Pair(i32, f64),
            Fields { a: Option<bool> },
        }
        let y = to_yaml(&vec![
            E::Unit,
            E::New(7),
            E::Pair(-3, 0.25),
            E::Fields { a: None },
        ]);
        assert_eq!(
            y,
            "- \"Unit\"\n- New: 7\n- Pair:\n    - -3\n    - 0.25\n- Fields:\n    a: null\n"
        );
        assert_eq!(to_yaml(&f64::NAN), "null\n");
        assert_eq!(to_yaml(&1e21), "1e+21\n");
    }
}
