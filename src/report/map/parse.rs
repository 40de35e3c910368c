//! A mapping file's YAML as typed data. Every name is checked as it is
//! read (unknown keys, data files and fields, bad formats and zones), so
//! serde_yaml's error carries the line and column of the culprit; the lines
//! of the entries a read error quotes come from `lines`.

use super::lines::line_of;
use super::time::{check_format, has_offset, TimeFormat};
use super::{FieldMap, FileMap, Mapping, Origin, SourceFile};
use crate::diagnostics::suggest::{did_you_mean_or_list, time_zone};
use crate::report::read::{FileKind, Format};
use chrono_tz::Tz;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

/// A data file kind, as a type, so each file's fields are checked against
/// its own columns while the YAML is read.
trait Kind {
    const KIND: FileKind;
}

macro_rules! kinds {
    ($($t:ident => $k:ident),*) => {$(
        struct $t;
        impl Kind for $t {
            const KIND: FileKind = FileKind::$k;
        }
    )*};
}
kinds!(Inq => Inquiries, Pst => Posts, Apr => Approvals, Inc => Incidents, Exc => Exclusions, Msg => Messages, Wts => Waits);

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a map of data files, like `inquiries:`"
)]
struct Raw {
    inquiries: Option<RawFile<Inq>>,
    posts: Option<RawFile<Pst>>,
    approvals: Option<RawFile<Apr>>,
    incidents: Option<RawFile<Inc>>,
    exclusions: Option<RawFile<Exc>>,
    messages: Option<RawFile<Msg>>,
    waits: Option<RawFile<Wts>>,
}

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    bound = "",
    expecting = "a map of `file`, `columns`, `values`, `fixed`, `minutes_after` and `timestamps`"
)]
struct RawFile<K: Kind> {
    file: Option<FileName>,
    #[serde(default)]
    columns: Entries<Field<K>, Text>,
    #[serde(default)]
    values: Entries<Field<K>, Entries<Text, Text>>,
    #[serde(default)]
    fixed: Entries<Field<K>, Text>,
    #[serde(default)]
    minutes_after: Entries<Stamp<K>, Stamp<K>>,
    timestamps: Option<RawTime>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a map of `format` and `zone`")]
struct RawTime {
    format: StrfFormat,
    zone: Option<Zone>,
}

/// Parses a mapping file's text; `name` is how errors name the file.
pub fn parse(text: &str, name: &str) -> Result<Mapping, String> {
    let located = |e: serde_yaml::Error| match e.location() {
        Some(l) => format!(
            "`{name}` line {}, column {}: {}",
            l.line(),
            l.column(),
            strip(&e)
        ),
        None => format!("`{name}`: {e}"),
    };
    let raw: Raw = match serde_yaml::from_str::<Option<Raw>>(text).map_err(located)? {
        Some(raw) => raw,
        None => {
            return Err(format!(
                "`{name}` is empty: a mapping names at least one data file, like `inquiries:`"
            ))
        }
    };
    let mut files = Vec::new();
    files.extend(raw.inquiries.map(|f| f.typed(name, text)));
    files.extend(raw.posts.map(|f| f.typed(name, text)));
    files.extend(raw.approvals.map(|f| f.typed(name, text)));
    files.extend(raw.incidents.map(|f| f.typed(name, text)));
    files.extend(raw.exclusions.map(|f| f.typed(name, text)));
    files.extend(raw.messages.map(|f| f.typed(name, text)));
    files.extend(raw.waits.map(|f| f.typed(name, text)));
    let mut files = files
        .into_iter()
        .collect::<Result<Vec<FileMap>, String>>()?;
    for f in &mut files {
        locate_lines(f, text);
        check(f, text, name)?;
    }
    if let Some((a, b)) = same_source(&files) {
        let line = line_of(text, &[b.kind.stem(), "file"]);
        return Err(format!(
            "`{name}` line {line}: `{}` and `{}` both read `{}`",
            a.kind.stem(),
            b.kind.stem(),
            a.source.as_ref().map_or("", |s| s.name.as_str())
        ));
    }
    if files.is_empty() {
        return Err(format!("`{name}` maps no data file: start with `inquiries:`, `posts:`, `approvals:`, `incidents:`, `exclusions:`, `messages:` or `waits:`"));
    }
    Ok(Mapping {
        name: name.to_string(),
        files,
    })
}

/// serde_yaml's message without its own "at line L column C" (the
/// location is written first instead).
fn strip(e: &serde_yaml::Error) -> String {
    let text = e.to_string();
    let Some(l) = e.location() else {
        return text;
    };
    let at = format!(" at line {} column {}", l.line(), l.column());
    text.replacen(&at, "", 1)
}

/// Two data files read from the same export file.
fn same_source(files: &[FileMap]) -> Option<(&FileMap, &FileMap)> {
    for (i, a) in files.iter().enumerate() {
        for b in &files[i + 1..] {
            if let (Some(x), Some(y)) = (&a.source, &b.source) {
                if x.name == y.name {
                    return Some((a, b));
                }
            }
        }
    }
    None
}

impl<K: Kind> RawFile<K> {
    fn typed(self, name: &str, text: &str) -> Result<FileMap, String> {
        let mut out = FileMap {
            mapping: name.to_string(),
            kind: K::KIND,
            source: self.file.map(|f| f.0),
            fields: Vec::new(),
            timestamps: None,
        };
        for (f, column) in self.columns.0 {
            entry(&mut out, f.0).origin = Some(Origin::Column(column.0));
        }
        for (f, value) in self.fixed.0 {
            let e = entry(&mut out, f.0);
            if e.origin.is_some() {
                let line = line_of(text, &[K::KIND.stem(), "fixed", f.0]);
                return Err(format!(
                    "`{name}` line {line}: `{}` is in both `columns` and `fixed`: a field comes from a column or is fixed, not both",
                    f.0
                ));
            }
            e.origin = Some(Origin::Fixed(value.0));
        }
        for (f, values) in self.values.0 {
            entry(&mut out, f.0).values =
                values.0.into_iter().map(|(a, b)| (a.0, b.0, 0)).collect();
        }
        for (f, base) in self.minutes_after.0 {
            entry(&mut out, f.0).minutes_after = Some(base.0);
        }
        out.timestamps = self.timestamps.map(|t| TimeFormat {
            format: t.format.0,
            zone: t.zone.map(|z| z.0),
            line: 0,
        });
        Ok(out)
    }
}

/// The entry of a field, added if new.
fn entry<'a>(f: &'a mut FileMap, field: &'static str) -> &'a mut FieldMap {
    if let Some(i) = f.fields.iter().position(|x| x.field == field) {
        return &mut f.fields[i];
    }
    f.fields.push(FieldMap {
        field,
        origin: None,
        line: None,
        values: Vec::new(),
        minutes_after: None,
    });
    f.fields.last_mut().expect("just pushed")
}

/// The line of every entry a read error may quote.
fn locate_lines(f: &mut FileMap, text: &str) {
    let stem = f.kind.stem();
    for x in &mut f.fields {
        let key = match &x.origin {
            Some(Origin::Column(_)) => Some("columns"),
            Some(Origin::Fixed(_)) => Some("fixed"),
            None if x.minutes_after.is_some() => Some("minutes_after"),
            None if !x.values.is_empty() => Some("values"),
            None => None,
        };
        x.line = key.map(|k| line_of(text, &[stem, k, x.field]));
        for (from, _, line) in &mut x.values {
            *line = line_of(text, &[stem, "values", x.field, from]);
        }
    }
    if let Some(t) = &mut f.timestamps {
        t.line = line_of(text, &[stem, "timestamps", "format"]);
    }
}

/// What the YAML's shape cannot say: a minutes field counts from a
/// timestamp read from a column; local times need a zone.
fn check(f: &FileMap, text: &str, name: &str) -> Result<(), String> {
    let stem = f.kind.stem();
    for x in &f.fields {
        let Some(base) = x.minutes_after else {
            continue;
        };
        let at = line_of(text, &[stem, "minutes_after", x.field]);
        if base == x.field {
            return Err(format!(
                "`{name}` line {at}: `{}` cannot count minutes from itself",
                x.field
            ));
        }
        if matches!(x.origin, Some(Origin::Fixed(_))) {
            return Err(format!(
                "`{name}` line {at}: `{}` is fixed, so it holds no minutes",
                x.field
            ));
        }
        if f.fields
            .iter()
            .any(|b| b.field == base && b.minutes_after.is_some())
        {
            return Err(format!(
                "`{name}` line {at}: `{base}` is itself counted in minutes: count from a timestamp column"
            ));
        }
    }
    if let Some(t) = &f.timestamps {
        if t.zone.is_none() && !has_offset(&t.format) {
            let line = line_of(text, &[stem, "timestamps", "format"]);
            return Err(format!(
                "`{name}` line {line}: `{}` has no offset (`%z`), so `timestamps` needs the `zone` its local times are in, like `zone: Europe/Berlin`",
                t.format
            ));
        }
    }
    Ok(())
}

/// A map read in order, refusing a key given twice.
struct Entries<K, V>(Vec<(K, V)>);

impl<K, V> Default for Entries<K, V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, K: Deserialize<'de> + PartialEq + fmt::Display, V: Deserialize<'de>> Deserialize<'de>
    for Entries<K, V>
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de> + PartialEq + fmt::Display, V: Deserialize<'de>> Visitor<'de>
            for V2<K, V>
        {
            type Value = Entries<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of `key: value` lines")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(K, V)> = Vec::new();
                while let Some(k) = m.next_key::<K>()? {
                    if out.iter().any(|(x, _)| *x == k) {
                        return Err(de::Error::custom(format!("`{k}` is given twice")));
                    }
                    let v = m.next_value()?;
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V2(PhantomData))
    }
}

/// Reads a scalar through `check`, so an error points at the value.
fn scalar<'de, D: Deserializer<'de>, T>(
    d: D,
    expecting: &'static str,
    check: impl FnOnce(&str) -> Result<T, String>,
) -> Result<T, D::Error> {
    struct S<F>(&'static str, F);
    impl<'de, T, F: FnOnce(&str) -> Result<T, String>> Visitor<'de> for S<F> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.1)(v).map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
            self.visit_str(&v.to_string())
        }
    }
    d.deserialize_str(S(expecting, check))
}

/// Any text: an export's column name or value, or slac's value.
#[derive(PartialEq)]
struct Text(String);

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar(d, "a text", |v| Ok(Text(v.to_string())))
    }
}

/// One of the `K` file's fields.
struct Field<K>(&'static str, PhantomData<K>);

impl<K> PartialEq for Field<K> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<K> fmt::Display for Field<K> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }
}

fn field_of(
    kind: FileKind,
    names: &[&'static str],
    v: &str,
    what: &str,
) -> Result<&'static str, String> {
    names.iter().find(|c| **c == v).copied().ok_or_else(|| {
        format!(
            "{} has no {what} `{v}`: {}",
            kind.stem(),
            did_you_mean_or_list(v, names, &format!("its {what}s are"))
        )
    })
}

impl<'de, K: Kind> Deserialize<'de> for Field<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar(d, "a field name", |v| {
            field_of(K::KIND, &K::KIND.columns(), v, "field").map(|f| Field(f, PhantomData))
        })
    }
}

/// One of the `K` file's timestamp fields.
struct Stamp<K>(&'static str, PhantomData<K>);

impl<K> PartialEq for Stamp<K> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<K> fmt::Display for Stamp<K> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl<'de, K: Kind> Deserialize<'de> for Stamp<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar(d, "a timestamp field", |v| {
            field_of(K::KIND, K::KIND.timestamps(), v, "timestamp field")
                .map(|f| Stamp(f, PhantomData))
        })
    }
}

/// The export's file in the data directory: a bare `.csv` or `.jsonl` name.
struct FileName(SourceFile);

impl<'de> Deserialize<'de> for FileName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar(d, "a file name", |v| {
            if v.is_empty() || v.contains(['/', '\\']) || v.starts_with('.') {
                return Err(format!(
                    "`{v}` is not a file name: give the export's name in the data directory, like `tickets.csv`"
                ));
            }
            let format = if v.ends_with(".csv") {
                Format::Csv
            } else if v.ends_with(".jsonl") {
                Format::Jsonl
            } else {
                return Err(format!("`{v}` is neither a `.csv` nor a `.jsonl` file"));
            };
            Ok(FileName(SourceFile {
                name: v.to_string(),
                format,
            }))
        })
    }
}

struct StrfFormat(String);

impl<'de> Deserialize<'de> for StrfFormat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar(d, "a strftime format", |v| {
            check_format(v).map(|()| StrfFormat(v.to_string()))
        })
    }
}

struct Zone(Tz);

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar(d, "an IANA time zone", |v| {
            v.parse::<Tz>().map(Zone).map_err(|_| {
                let hint = time_zone(v)
                    .map(|z| format!("did you mean `{z}`?"))
                    .unwrap_or_else(|| "write an IANA name like `Europe/Berlin`".into());
                format!("`{v}` is not an IANA time zone: {hint}")
            })
        })
    }
}
