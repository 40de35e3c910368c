//! Reading the exported data: CSV (with a header row) or JSON Lines, from any
//! `Read`, one row at a time. Parsing is pure; the CLI opens the files.
//!
//! Nothing is silently dropped: a missing required column, an unparsable
//! cell, an unknown platform or step, a duplicate id or a stop before its
//! start is an error that names the file, the row and the column. Rows are
//! numbered like the lines of the file, blank lines and `\r\n` endings
//! included (a row spanning lines by the line it starts on), so an editor
//! jumps straight to them. A file is read to its end and every bad row in
//! it is reported (`DataErrors`), within the bounds of `bounded`.

use super::bounded::{size, Csv, CsvError, Line, Lines, Record};
use super::bounded::{MAX_CELL_BYTES, MAX_COLUMNS, MAX_HEADER_BYTES, MAX_RECORD_BYTES};
mod columns;
mod ids;
mod rows;
mod timestamp;

use super::events::*;
use super::map::{apply, FileMap};
use super::word::{Word, Words};
use crate::diagnostics::suggest::did_you_mean;
use crate::model::{Agreement, Exclusion};
use columns::Col;
use ids::Ids;
pub use rows::event_from_json;
use std::fmt;
use std::io::{BufReader, Read};

/// The six input files, by what they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Inquiries,
    Posts,
    Approvals,
    Incidents,
    Exclusions,
    Messages,
    Waits,
}

impl FileKind {
    pub const ALL: [FileKind; 7] = [
        FileKind::Inquiries,
        FileKind::Posts,
        FileKind::Approvals,
        FileKind::Incidents,
        FileKind::Exclusions,
        FileKind::Messages,
        FileKind::Waits,
    ];

    /// The file name without extension: `inquiries` for `inquiries.csv`.
    pub fn stem(self) -> &'static str {
        match self {
            FileKind::Inquiries => "inquiries",
            FileKind::Posts => "posts",
            FileKind::Approvals => "approvals",
            FileKind::Incidents => "incidents",
            FileKind::Exclusions => "exclusions",
            FileKind::Messages => "messages",
            FileKind::Waits => "waits",
        }
    }

    /// Columns the header must have (their cells may still be empty where
    /// the semantics allow it, like an unanswered `first_response_at`).
    pub fn required(self) -> &'static [&'static str] {
        match self {
            FileKind::Inquiries => &[
                "id",
                "platform",
                "channel",
                "priority",
                "audience",
                "received_at",
                "first_response_at",
                "resolved_at",
            ],
            FileKind::Posts => &[
                "id",
                "platform",
                "audience",
                "published_at",
                "impressions",
                "reach",
                "engagements",
                "followers",
            ],
            FileKind::Approvals => &["post_id", "step", "requested_at", "decided_at", "decision"],
            FileKind::Incidents => &[
                "id",
                "tier",
                "detected_at",
                "acknowledged_at",
                "resolved_at",
            ],
            FileKind::Exclusions => &["kind", "platform", "start", "end"],
            FileKind::Messages => &["inquiry", "at", "kind", "direction", "author"],
            FileKind::Waits => &["inquiry", "on", "from", "to"],
        }
    }

    /// Every column the reader looks at: required, then optional.
    pub fn columns(self) -> Vec<&'static str> {
        self.required()
            .iter()
            .chain(self.optional())
            .copied()
            .collect()
    }

    /// The columns that hold timestamps.
    pub fn timestamps(self) -> &'static [&'static str] {
        match self {
            FileKind::Inquiries => &["received_at", "first_response_at", "resolved_at"],
            FileKind::Posts => &["published_at"],
            FileKind::Approvals => &["requested_at", "decided_at"],
            FileKind::Incidents => &["detected_at", "acknowledged_at", "resolved_at"],
            FileKind::Exclusions => &["start", "end"],
            FileKind::Messages => &["at"],
            FileKind::Waits => &["from", "to"],
        }
    }

    /// Columns that may be left out, each with its documented default.
    pub fn optional(self) -> &'static [&'static str] {
        match self {
            FileKind::Inquiries => &["requires_response"],
            FileKind::Posts => &["tags"],
            FileKind::Approvals => &["approval"],
            FileKind::Incidents => &["platform"],
            FileKind::Exclusions | FileKind::Messages | FileKind::Waits => &[],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
}

/// A data error: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    pub file: String,
    pub row: Option<u64>,
    pub column: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// How a mapping (`--map`) led to the column: "mapped to `received_at`
    /// by map.yaml line 6".
    pub via: Option<String>,
}

impl DataError {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_string(),
            row: None,
            column: None,
            message: message.into(),
            help: None,
            via: None,
        }
    }
    pub(crate) fn at(mut self, row: u64, column: Option<&str>) -> Self {
        self.row = Some(row);
        self.column = column.map(str::to_string);
        self
    }
    pub(crate) fn via(mut self, via: Option<String>) -> Self {
        self.via = via;
        self
    }
    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.file)?;
        if let Some(row) = self.row {
            write!(f, " row {row}")?;
        }
        if let Some(col) = &self.column {
            write!(f, ", column `{col}`")?;
        }
        if let Some(via) = &self.via {
            write!(f, " ({via})")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

/// The values a cell may take, from the prelude and the agreement.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    pub platforms: Vec<String>,
    pub channels: Vec<String>,
    pub priorities: Vec<String>,
    pub audiences: Vec<String>,
    /// `(approval, step)` for every step of every approval flow.
    pub steps: Vec<(String, String)>,
    /// `(escalation, tier)` for every tier of every escalation.
    pub tiers: Vec<(String, String)>,
}

impl Vocabulary {
    pub fn for_agreement(a: &Agreement) -> Self {
        let prelude = crate::stdlib::prelude_enums();
        let mut platforms = prelude.get("platform").cloned().unwrap_or_default();
        platforms.extend(a.custom_platforms.iter().map(|p| p.id.clone()));
        Vocabulary {
            platforms,
            channels: prelude.get("channel").cloned().unwrap_or_default(),
            priorities: prelude.get("priority").cloned().unwrap_or_default(),
            audiences: a.audiences.iter().map(|x| x.id.clone()).collect(),
            steps: a
                .approvals
                .iter()
                .flat_map(|ap| ap.steps.iter().map(|s| (ap.id.clone(), s.id.clone())))
                .collect(),
            tiers: a
                .escalations
                .iter()
                .flat_map(|e| e.tiers.iter().map(|t| (e.id.clone(), t.id.clone())))
                .collect(),
        }
    }
}

/// The vocabulary with its closed sets interned, built once per file (or
/// per event posted to `slac serve`): an inquiry's platform, channel,
/// priority and audience are checked and shared by one lookup each.
pub struct Lexicon<'v> {
    vocab: &'v Vocabulary,
    platforms: Words,
    channels: Words,
    priorities: Words,
    audiences: Words,
}

impl<'v> Lexicon<'v> {
    pub fn new(vocab: &'v Vocabulary) -> Self {
        Lexicon {
            vocab,
            platforms: Words::new(&vocab.platforms),
            channels: Words::new(&vocab.channels),
            priorities: Words::new(&vocab.priorities),
            audiences: Words::new(&vocab.audiences),
        }
    }
}

impl std::ops::Deref for Lexicon<'_> {
    type Target = Vocabulary;
    fn deref(&self) -> &Vocabulary {
        self.vocab
    }
}

/// One row, its cells in the order of the file kind's columns (required,
/// then optional); `None` for an optional column the file lacks.
pub struct Cells<'a> {
    file: &'a str,
    row: u64,
    columns: &'a [&'static str],
    values: Vec<Option<&'a str>>,
}

impl Cells<'_> {
    fn err(&self, column: Col, message: impl Into<String>) -> DataError {
        DataError::new(self.file, message).at(self.row, Some(column.name))
    }

    /// The trimmed cell; empty when absent.
    fn raw(&self, column: Col) -> &str {
        debug_assert_eq!(self.columns.get(column.at), Some(&column.name));
        self.values
            .get(column.at)
            .copied()
            .flatten()
            .map_or("", str::trim)
    }

    /// The trimmed cell, which must not be empty.
    fn required(&self, column: Col) -> Result<&str, DataError> {
        let v = self.raw(column);
        if v.is_empty() {
            return Err(self.err(column, "empty cell: a value is required"));
        }
        Ok(v)
    }

    fn text(&self, column: Col) -> Result<String, DataError> {
        self.required(column).map(str::to_string)
    }

    fn time(&self, column: Col) -> Result<Time, DataError> {
        match self.opt_time(column)? {
            Some(t) => Ok(t),
            None => Err(self
                .err(column, "empty cell: a timestamp is required")
                .help(
                    "write an RFC 3339 timestamp with an offset, like `2026-03-02T09:15:00+01:00`",
                )),
        }
    }

    fn opt_time(&self, column: Col) -> Result<Option<Time>, DataError> {
        let v = self.raw(column);
        if v.is_empty() {
            return Ok(None);
        }
        // Kept to the microsecond (semantics point 9); finer digits, as
        // some exporters write, are dropped.
        timestamp::parse(v).map(Some).ok_or_else(|| {
            self.err(
                column,
                format!("`{v}` is not an RFC 3339 timestamp with an offset"),
            )
            .help("write it like `2026-03-02T09:15:00+01:00` or `2026-03-02T08:15:00Z`")
        })
    }

    /// A stop that must not lie before its start (semantics point 1).
    fn stop(&self, column: Col, start: Time, start_column: Col) -> Result<Option<Time>, DataError> {
        let t = self.opt_time(column)?;
        if let Some(stop) = t {
            if stop < start {
                return Err(self
                    .err(
                        column,
                        format!("`{}` is before `{}`", self.raw(column), start_column.name),
                    )
                    .help(format!(
                        "a stop cannot come before its start (`{}`)",
                        self.raw(start_column)
                    )));
            }
        }
        Ok(t)
    }

    fn count(&self, column: Col) -> Result<u64, DataError> {
        let v = self.raw(column);
        v.parse::<u64>().map_err(|_| {
            let what = if v.is_empty() {
                "empty cell".to_string()
            } else {
                format!("`{v}`")
            };
            self.err(column, format!("{what} is not a whole number"))
                .help("counters are whole numbers of zero or more, without separators")
        })
    }

    /// A yes/no cell, any case; `default` when empty or absent.
    fn flag(&self, column: Col, default: bool) -> Result<bool, DataError> {
        let v = self.raw(column);
        let is = |words: [&str; 3]| words.iter().any(|w| v.eq_ignore_ascii_case(w));
        if v.is_empty() {
            Ok(default)
        } else if is(["true", "yes", "1"]) {
            Ok(true)
        } else if is(["false", "no", "0"]) {
            Ok(false)
        } else {
            let v = v.to_ascii_lowercase();
            Err(self
                .err(column, format!("`{v}` is not a yes/no value"))
                .help("write `true` or `false`"))
        }
    }

    /// A value from a closed set; empty allowed only when `optional`.
    fn choice(&self, column: Col, allowed: &[String], optional: bool) -> Result<String, DataError> {
        let v = self.raw(column);
        if v.is_empty() {
            if optional {
                return Ok(String::new());
            }
            return Err(self.err(column, "empty cell: a value is required"));
        }
        if allowed.iter().any(|a| a == v) {
            return Ok(v.to_string());
        }
        Err(self.unknown(column, v, allowed))
    }

    /// `choice` of an interned set: the shared word, by one lookup.
    fn word(
        &self,
        column: Col,
        words: &Words,
        allowed: &[String],
        optional: bool,
    ) -> Result<Word, DataError> {
        let v = self.raw(column);
        if v.is_empty() {
            if optional {
                return Ok(words.empty());
            }
            return Err(self.err(column, "empty cell: a value is required"));
        }
        words
            .find(v)
            .ok_or_else(|| self.unknown(column, v, allowed))
    }

    /// `v` is none of `allowed`: the error, with a suggestion.
    fn unknown(&self, column: Col, v: &str, allowed: &[String]) -> DataError {
        let help = did_you_mean(v, allowed.iter().map(String::as_str)).unwrap_or_else(|| {
            if allowed.is_empty() {
                "the agreement declares none".to_string()
            } else {
                format!(
                    "expected one of {}",
                    list(allowed.iter().map(String::as_str))
                )
            }
        });
        self.err(column, format!("unknown {} `{v}`", column.name))
            .help(help)
    }
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every error of one file, in the order found: the first `MAX_ERRORS` in
/// full, the rest only counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataErrors {
    pub file: String,
    pub errors: Vec<DataError>,
    /// Errors found beyond the first `MAX_ERRORS`.
    pub more: u64,
}

/// How many errors of one file are shown in full.
pub const MAX_ERRORS: usize = 20;

impl DataErrors {
    fn new(file: &str) -> Self {
        DataErrors {
            file: file.to_string(),
            errors: Vec::new(),
            more: 0,
        }
    }

    fn push(&mut self, e: DataError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        } else {
            self.more += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The first error (there is always one).
    pub fn first(&self) -> &DataError {
        &self.errors[0]
    }
}

impl From<DataError> for DataErrors {
    fn from(e: DataError) -> Self {
        DataErrors {
            file: e.file.clone(),
            errors: vec![e],
            more: 0,
        }
    }
}

/// Each error as `DataError` prints it, every one after the first on lines
/// of its own starting with `error: ` (the caller writes the first's), then
/// how many more there were.
impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                f.write_str("\nerror: ")?;
            }
            write!(f, "{e}")?;
        }
        if self.more > 0 {
            write!(
                f,
                "\nerror: and {} more error{} in `{}` (the first {MAX_ERRORS} are shown)",
                self.more,
                if self.more == 1 { "" } else { "s" },
                self.file
            )?;
        }
        Ok(())
    }
}

/// Streams the rows of a file to `each`, which reports a bad row by
/// returning its error; every error goes to `errors` and reading goes on
/// with the next row, unless the file cannot be read further (a bad
/// header, a bound exceeded, an I/O error). `progress` hears the bytes
/// read so far now and then (for a progress bar).
#[allow(clippy::too_many_arguments)]
fn rows(
    kind: FileKind,
    file: &str,
    format: Format,
    input: impl Read,
    map: Option<&FileMap>,
    progress: &mut dyn FnMut(u64),
    errors: &mut DataErrors,
    mut each: impl FnMut(Cells) -> Result<(), DataError>,
) {
    let columns = kind.columns();
    // The name each column has in the file: slac's, or the mapping's
    // (`None`: the mapping fixes the value).
    let sources: Vec<Option<&str>> = columns
        .iter()
        .map(|c| map.map_or(Some(*c), |m| m.column(c)))
        .collect();
    let via = |col: &str| map.and_then(|m| m.describe(col).1);
    let mut each = |row: u64, values: Vec<Option<&str>>| match map {
        None => each(Cells {
            file,
            row,
            columns: &columns,
            values,
        }),
        Some(m) => {
            let owned = apply(m, file, row, &columns, &values)?;
            each(owned_cells(file, row, &columns, &owned)).map_err(|e| m.locate(e))
        }
    };
    let input = BufReader::new(input);
    match format {
        Format::Csv => {
            let mut reader = Csv::new(input);
            let mut header = Record::default();
            match reader.record(&mut header, MAX_COLUMNS, MAX_HEADER_BYTES) {
                Ok(true) => {}
                Ok(false) => {
                    errors.push(
                        DataError::new(file, "the file is empty: expected a header row").help(
                            format!(
                                "the first line names the columns: {}",
                                kind.required().join(",")
                            ),
                        ),
                    );
                    return;
                }
                Err(e) => return errors.push(csv_error(file, e, "header")),
            };
            let line = header.line;
            if header.fields > MAX_COLUMNS {
                return errors.push(
                    DataError::new(
                        file,
                        format!(
                            "the header has {} columns, more than the {MAX_COLUMNS} allowed",
                            header.fields
                        ),
                    )
                    .at(line, None),
                );
            }
            let mut names = Vec::with_capacity(header.len());
            for cell in header.cells() {
                match std::str::from_utf8(cell) {
                    Ok(n) => names.push(n.trim().to_string()),
                    Err(_) => {
                        return errors.push(
                            DataError::new(file, "the header is not valid UTF-8").at(line, None),
                        )
                    }
                }
            }
            let mut index = Vec::with_capacity(columns.len());
            for (i, (field, source)) in columns.iter().zip(&sources).enumerate() {
                let Some(col) = source else {
                    index.push(None);
                    continue;
                };
                let mut at = names.iter().enumerate().filter(|(_, n)| n == col);
                let first = at.next().map(|(i, _)| i);
                if let (Some(a), Some((b, _))) = (first, at.next()) {
                    errors.push(
                        DataError::new(
                            file,
                            format!(
                                "column `{col}` appears twice: as column {} and column {}",
                                a + 1,
                                b + 1
                            ),
                        )
                        .at(line, Some(col))
                        .via(via(field))
                        .help(
                            "keep one of them: which one holds the data is not for slac to guess",
                        ),
                    );
                }
                if first.is_none() && i < kind.required().len() {
                    let help = did_you_mean(col, names.iter().map(String::as_str))
                        .map(|d| format!("{d} (columns are matched exactly)"))
                        .unwrap_or_else(|| {
                            format!("the header has {}", list(names.iter().map(String::as_str)))
                        });
                    errors.push(
                        DataError::new(file, format!("missing required column `{col}`"))
                            .at(line, Some(col))
                            .via(via(field))
                            .help(help),
                    );
                }
                index.push(first);
            }
            if !errors.is_empty() {
                return;
            }
            let mut n = 0u64;
            let mut record = Record::default();
            loop {
                match reader.record(&mut record, names.len(), MAX_RECORD_BYTES) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => return errors.push(csv_error(file, e, "row")),
                };
                let row = record.line;
                n += 1;
                if n % 512 == 0 {
                    progress(reader.lines.bytes);
                }
                if record.fields != names.len() {
                    errors.push(
                        DataError::new(
                            file,
                            format!(
                                "the row has {} fields but the header has {}",
                                record.fields,
                                names.len()
                            ),
                        )
                        .at(row, None),
                    );
                    continue;
                }
                let cells: Vec<&str> = record
                    .cells()
                    .map_while(|c| std::str::from_utf8(c).ok())
                    .collect();
                if cells.len() != names.len() {
                    errors.push(DataError::new(file, "not valid UTF-8").at(row, None));
                    continue;
                }
                let values = index
                    .iter()
                    .map(|i| i.and_then(|i| cells.get(i)).copied())
                    .collect();
                if let Err(e) = each(row, values) {
                    errors.push(e);
                }
            }
            progress(reader.lines.bytes);
        }
        Format::Jsonl => {
            let mut lines = Lines::new(input);
            let mut buf = Vec::new();
            let json_help = "each line of a `.jsonl` file is one JSON object";
            loop {
                match lines.next(&mut buf, MAX_RECORD_BYTES) {
                    Ok(Line::Read) => {}
                    Ok(Line::End) => break,
                    Ok(Line::TooLong) => {
                        return errors.push(
                            DataError::new(
                                file,
                                format!("the line is longer than {}", size(MAX_RECORD_BYTES)),
                            )
                            .at(lines.line, None)
                            .help("one event takes a short line; is this a JSON Lines file?"),
                        )
                    }
                    Err(e) => {
                        return errors.push(
                            DataError::new(file, format!("cannot read: {e}"))
                                .at(lines.line + 1, None),
                        )
                    }
                }
                let row = lines.line;
                if row % 512 == 0 {
                    progress(lines.bytes);
                }
                let Ok(line) = std::str::from_utf8(&buf) else {
                    errors.push(DataError::new(file, "not valid UTF-8").at(row, None));
                    continue;
                };
                if line.trim().is_empty() {
                    continue;
                }
                let result = match serde_json::from_str::<serde_json::Value>(line) {
                    Err(e) => Err(DataError::new(file, format!("not valid JSON: {e}"))
                        .at(row, None)
                        .help(json_help)),
                    Ok(serde_json::Value::Object(object)) => {
                        json_values(file, row, &columns, &sources, &object)
                            .map_err(|e| map.map_or(e.clone(), |m| m.locate(e)))
                            .and_then(|values| {
                                each(row, values.iter().map(Option::as_deref).collect())
                            })
                    }
                    Ok(_) => Err(DataError::new(file, "not a JSON object")
                        .at(row, None)
                        .help(json_help)),
                };
                if let Err(e) = result {
                    errors.push(e);
                }
            }
            progress(lines.bytes);
        }
    }
}

/// The cells of one JSON object, in the order of `columns`.
fn json_values(
    file: &str,
    row: u64,
    columns: &[&'static str],
    sources: &[Option<&str>],
    map: &serde_json::Map<String, serde_json::Value>,
) -> Result<Vec<Option<String>>, DataError> {
    let mut values = Vec::with_capacity(columns.len());
    for (col, source) in columns.iter().zip(sources) {
        values.push(match source.and_then(|s| map.get(s)) {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(json_cell(v).ok_or_else(|| {
                DataError::new(
                    file,
                    "expected a string, number, boolean or list of strings",
                )
                .at(row, Some(col))
            })?),
        });
    }
    Ok(values)
}

/// The cells of a row given as owned values (a JSON object's).
fn owned_cells<'a>(
    file: &'a str,
    row: u64,
    columns: &'a [&'static str],
    values: &'a [Option<String>],
) -> Cells<'a> {
    Cells {
        file,
        row,
        columns,
        values: values.iter().map(Option::as_deref).collect(),
    }
}

/// A JSON value as the text a CSV cell would hold (lists join with `;`).
fn json_cell(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value::*;
    match v {
        String(s) => Some(s.clone()),
        Number(n) => Some(n.to_string()),
        Bool(b) => Some(b.to_string()),
        Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(|v| v.join(";")),
        Null | Object(_) => None,
    }
}

fn csv_error(file: &str, e: CsvError, what: &str) -> DataError {
    match e {
        CsvError::Io(e) => DataError::new(file, format!("cannot read: {e}")),
        CsvError::RecordTooLong { line, limit } => DataError::new(
            file,
            format!("the {what} is longer than {}", size(limit)),
        )
        .at(line, None)
        .help(
            "is this a CSV file? a quote that is never closed makes the rest of the file one cell",
        ),
        CsvError::CellTooLong { line } => DataError::new(
            file,
            format!(
                "a cell of the {what} is longer than {}",
                size(MAX_CELL_BYTES)
            ),
        )
        .at(line, None),
        CsvError::Unclosed { line } => DataError::new(
            file,
            format!("a quoted cell of the {what} is not closed before the end of the file"),
        )
        .at(line, None)
        .help("close it with `\"`; write a quote inside a quoted cell as `\"\"`"),
    }
}

/// A duplicate id is an error (the event would count twice).
fn unique(ids: &mut Ids, cells: &Cells, id: &str) -> Result<(), DataError> {
    match ids.seen(id, cells.row) {
        None => Ok(()),
        Some(first) => Err(cells
            .err(columns::ID, format!("duplicate id `{id}`"))
            .help(format!(
                "row {first} has the same id; each row must be a different event"
            ))),
    }
}

/// A typed row of one data file: which file it comes from and how one row
/// of it is read (the same checks whether it comes from a file or is posted
/// to `slac serve`).
pub trait Row: Sized {
    const KIND: FileKind;
    fn parse(cells: &Cells, vocab: &Lexicon) -> Result<Self, DataError>;
}

/// Reads every row of a `T` file; ids must be unique where the file has
/// them. Every bad row is reported (`DataErrors`), not the first alone.
pub fn read_rows<T: Row>(
    file: &str,
    format: Format,
    input: impl Read,
    vocab: &Vocabulary,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<T>, DataErrors> {
    read_mapped(file, format, input, None, vocab, progress)
}

/// `read_rows` of another tool's export, its columns, values and
/// timestamps read as `map` says (`--map`).
pub fn read_mapped<T: Row>(
    file: &str,
    format: Format,
    input: impl Read,
    map: Option<&FileMap>,
    vocab: &Vocabulary,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<T>, DataErrors> {
    let mut out = Vec::new();
    let mut ids = Ids::default();
    let keyed = T::KIND.required().contains(&"id");
    let mut errors = DataErrors::new(file);
    let lexicon = Lexicon::new(vocab);
    rows(
        T::KIND,
        file,
        format,
        input,
        map,
        progress,
        &mut errors,
        |c| {
            if keyed {
                unique(&mut ids, &c, c.required(columns::ID)?)?;
            }
            out.push(T::parse(&c, &lexicon)?);
            Ok(())
        },
    );
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests;
