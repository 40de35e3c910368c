//! `--map FILE`: another tool's export read as slac's data files. A mapping
//! says, per data file, which of the export's columns holds each of slac's
//! fields, which of its values mean which of slac's, how it writes
//! timestamps, and which file of the data directory it is
//! (docs/report.md, "Other tools' exports: --map").
//!
//! Pure: `parse` turns the mapping's text into typed data (`workspace`
//! reads the file); `apply` rewrites one row's cells before the reader
//! checks them as it checks any row.

mod apply;
mod lines;
mod parse;
mod time;

use super::read::{DataError, FileKind, Format};
pub use apply::apply;
pub use parse::parse;
pub use time::TimeFormat;

/// The largest mapping file read, in bytes: a mapping is a page of YAML.
pub const MAX_MAP_BYTES: u64 = 256 * 1024;

/// A whole mapping file: how each data file it names is read.
#[derive(Clone, Debug)]
pub struct Mapping {
    /// The mapping file's name, as errors quote it.
    pub name: String,
    pub files: Vec<FileMap>,
}

impl Mapping {
    /// How the `kind` file is read, if the mapping says.
    pub fn file(&self, kind: FileKind) -> Option<&FileMap> {
        self.files.iter().find(|f| f.kind == kind)
    }

    /// The name of the `kind` file in the data directory, and its format,
    /// when the mapping names one.
    pub fn source(&self, kind: FileKind) -> Option<(&str, Format)> {
        self.file(kind)?
            .source
            .as_ref()
            .map(|s| (s.name.as_str(), s.format))
    }
}

/// The export's file that feeds one of slac's data files.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub format: Format,
}

/// How one data file is read.
#[derive(Clone, Debug)]
pub struct FileMap {
    pub mapping: String,
    pub kind: FileKind,
    pub source: Option<SourceFile>,
    /// Every field the mapping says something about.
    pub fields: Vec<FieldMap>,
    pub timestamps: Option<TimeFormat>,
}

/// Where a field's cell comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The export's column of this name.
    Column(String),
    /// The same value on every row.
    Fixed(String),
}

/// What the mapping says about one of slac's fields.
#[derive(Clone, Debug)]
pub struct FieldMap {
    pub field: &'static str,
    /// `None`: the column is slac's own name.
    pub origin: Option<Origin>,
    /// The mapping's line that sets the origin.
    pub line: Option<u64>,
    /// The export's value, slac's value, and the mapping's line.
    pub values: Vec<(String, String, u64)>,
    /// The cell holds minutes counted from this timestamp field.
    pub minutes_after: Option<&'static str>,
}

impl FileMap {
    pub(super) fn field(&self, name: &str) -> Option<&FieldMap> {
        self.fields.iter().find(|f| f.field == name)
    }

    /// The name to look for in the export for a field, or `None` when the
    /// mapping fixes its value.
    pub fn column<'a>(&'a self, field: &'a str) -> Option<&'a str> {
        match self.field(field).and_then(|f| f.origin.as_ref()) {
            Some(Origin::Column(c)) => Some(c),
            Some(Origin::Fixed(_)) => None,
            None => Some(field),
        }
    }

    /// How errors name a field: the export's column, and the words saying
    /// which line of the mapping put it there (`None` when unmapped).
    pub fn describe(&self, field: &str) -> (String, Option<String>) {
        let f = self.field(field);
        let line = f.and_then(|f| f.line).unwrap_or(0);
        match f.and_then(|f| f.origin.as_ref()) {
            Some(Origin::Column(c)) => (
                c.clone(),
                Some(format!(
                    "mapped to `{field}` by {} line {line}",
                    self.mapping
                )),
            ),
            Some(Origin::Fixed(v)) => (
                field.to_string(),
                Some(format!("set to `{v}` by {} line {line}", self.mapping)),
            ),
            None if f.is_some() => (
                field.to_string(),
                Some(format!("read as {} line {line} says", self.mapping)),
            ),
            None => (field.to_string(), None),
        }
    }

    /// An error the reader found in a mapped row, told in the export's
    /// terms: its column, and the mapping line behind it.
    pub fn locate(&self, mut e: DataError) -> DataError {
        if let Some(field) = e.column.take() {
            let (column, via) = self.describe(&field);
            if e.message.starts_with("unknown ") && column != field {
                let add = format!(
                    "or map `{column}`'s value in {} under `values: {field}:`",
                    self.mapping
                );
                e.help = Some(match e.help {
                    Some(h) => format!("{h}; {add}"),
                    None => add,
                });
            }
            e.column = Some(column);
            e.via = via;
        }
        e
    }
}

#[cfg(test)]
mod tests;
