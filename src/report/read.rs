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

use super::bounded::{size, Csv, CsvError, Line, Lines};
use super::bounded::{MAX_CELL_BYTES, MAX_COLUMNS, MAX_HEADER_BYTES, MAX_RECORD_BYTES};
use super::events::*;
use crate::check::suggest::did_you_mean;
use crate::model::{Agreement, Exclusion};
use chrono::{DateTime, SubsecRound};
use std::collections::HashMap;
use std::fmt;
use std::io::{BufReader, Read};

/// The five input files, by what they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Inquiries,
    Posts,
    Approvals,
    Incidents,
    Exclusions,
}

impl FileKind {
    pub const ALL: [FileKind; 5] = [
        FileKind::Inquiries,
        FileKind::Posts,
        FileKind::Approvals,
        FileKind::Incidents,
        FileKind::Exclusions,
    ];

    /// The file name without extension: `inquiries` for `inquiries.csv`.
    pub fn stem(self) -> &'static str {
        match self {
            FileKind::Inquiries => "inquiries",
            FileKind::Posts => "posts",
            FileKind::Approvals => "approvals",
            FileKind::Incidents => "incidents",
            FileKind::Exclusions => "exclusions",
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

    /// Columns that may be left out, each with its documented default.
    pub fn optional(self) -> &'static [&'static str] {
        match self {
            FileKind::Inquiries => &["requires_response"],
            FileKind::Posts => &["tags"],
            FileKind::Approvals => &["approval"],
            FileKind::Incidents => &["platform"],
            FileKind::Exclusions => &[],
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
}

impl DataError {
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        DataError {
            file: file.to_string(),
            row: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }
    fn at(mut self, row: u64, column: Option<&str>) -> Self {
        self.row = Some(row);
        self.column = column.map(str::to_string);
        self
    }
    fn help(mut self, help: impl Into<String>) -> Self {
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
        let prelude = super::vocab::prelude_enums();
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

/// One row, its cells in the order of the file kind's columns (required,
/// then optional); `None` for an optional column the file lacks.
struct Cells<'a> {
    file: &'a str,
    row: u64,
    columns: &'a [&'static str],
    values: Vec<Option<String>>,
}

impl Cells<'_> {
    fn err(&self, column: &str, message: impl Into<String>) -> DataError {
        DataError::new(self.file, message).at(self.row, Some(column))
    }

    /// The trimmed cell; empty when absent.
    fn raw(&self, column: &str) -> &str {
        let i = self
            .columns
            .iter()
            .position(|c| *c == column)
            .expect("known column");
        self.values[i].as_deref().map(str::trim).unwrap_or("")
    }

    fn text(&self, column: &str) -> Result<String, DataError> {
        let v = self.raw(column);
        if v.is_empty() {
            return Err(self.err(column, "empty cell: a value is required"));
        }
        Ok(v.to_string())
    }

    fn time(&self, column: &str) -> Result<Time, DataError> {
        match self.opt_time(column)? {
            Some(t) => Ok(t),
            None => Err(self
                .err(column, "empty cell: a timestamp is required")
                .help(
                    "write an RFC 3339 timestamp with an offset, like `2026-03-02T09:15:00+01:00`",
                )),
        }
    }

    fn opt_time(&self, column: &str) -> Result<Option<Time>, DataError> {
        let v = self.raw(column);
        if v.is_empty() {
            return Ok(None);
        }
        // Kept to the microsecond (semantics point 9); finer digits, as
        // some exporters write, are dropped.
        DateTime::parse_from_rfc3339(v)
            .map(|t| Some(t.to_utc().trunc_subsecs(6)))
            .map_err(|_| {
                self.err(
                    column,
                    format!("`{v}` is not an RFC 3339 timestamp with an offset"),
                )
                .help("write it like `2026-03-02T09:15:00+01:00` or `2026-03-02T08:15:00Z`")
            })
    }

    /// A stop that must not lie before its start (semantics point 1).
    fn stop(
        &self,
        column: &str,
        start: Time,
        start_column: &str,
    ) -> Result<Option<Time>, DataError> {
        let t = self.opt_time(column)?;
        if let Some(stop) = t {
            if stop < start {
                return Err(self
                    .err(
                        column,
                        format!("`{}` is before `{start_column}`", self.raw(column)),
                    )
                    .help(format!(
                        "a stop cannot come before its start (`{}`)",
                        self.raw(start_column)
                    )));
            }
        }
        Ok(t)
    }

    fn count(&self, column: &str) -> Result<u64, DataError> {
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

    fn flag(&self, column: &str, default: bool) -> Result<bool, DataError> {
        if !self.columns.contains(&column) {
            return Ok(default);
        }
        match self.raw(column).to_ascii_lowercase().as_str() {
            "" => Ok(default),
            "true" | "yes" | "1" => Ok(true),
            "false" | "no" | "0" => Ok(false),
            v => Err(self
                .err(column, format!("`{v}` is not a yes/no value"))
                .help("write `true` or `false`")),
        }
    }

    /// A value from a closed set; empty allowed only when `optional`.
    fn choice(
        &self,
        column: &str,
        allowed: &[String],
        optional: bool,
    ) -> Result<String, DataError> {
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
        Err(self
            .err(column, format!("unknown {column} `{v}`"))
            .help(help))
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
fn rows(
    kind: FileKind,
    file: &str,
    format: Format,
    input: impl Read,
    progress: &mut dyn FnMut(u64),
    errors: &mut DataErrors,
    mut each: impl FnMut(Cells) -> Result<(), DataError>,
) {
    let columns = kind.columns();
    let input = BufReader::new(input);
    match format {
        Format::Csv => {
            let mut reader = Csv::new(input);
            let header = match reader.record(MAX_COLUMNS, MAX_HEADER_BYTES) {
                Ok(Some(h)) => h,
                Ok(None) => {
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
            let mut names = Vec::with_capacity(header.cells.len());
            for cell in header.cells {
                match String::from_utf8(cell) {
                    Ok(n) => names.push(n.trim().to_string()),
                    Err(_) => {
                        return errors.push(
                            DataError::new(file, "the header is not valid UTF-8").at(line, None),
                        )
                    }
                }
            }
            let mut index = Vec::with_capacity(columns.len());
            for (i, col) in columns.iter().enumerate() {
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
                            .help(help),
                    );
                }
                index.push(first);
            }
            if !errors.is_empty() {
                return;
            }
            let mut n = 0u64;
            loop {
                let record = match reader.record(names.len(), MAX_RECORD_BYTES) {
                    Ok(Some(r)) => r,
                    Ok(None) => break,
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
                let mut cells: Vec<String> = Vec::with_capacity(record.cells.len());
                for cell in record.cells {
                    match String::from_utf8(cell) {
                        Ok(c) => cells.push(c),
                        Err(_) => break,
                    }
                }
                if cells.len() != names.len() {
                    errors.push(DataError::new(file, "not valid UTF-8").at(row, None));
                    continue;
                }
                let values = index
                    .iter()
                    .map(|i| i.and_then(|i| cells.get(i)).cloned())
                    .collect();
                if let Err(e) = each(Cells {
                    file,
                    row,
                    columns: &columns,
                    values,
                }) {
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
                    Ok(serde_json::Value::Object(map)) => {
                        json_cells(file, row, &columns, &map).and_then(&mut each)
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
fn json_cells<'a>(
    file: &'a str,
    row: u64,
    columns: &'a [&'static str],
    map: &serde_json::Map<String, serde_json::Value>,
) -> Result<Cells<'a>, DataError> {
    let mut values = Vec::with_capacity(columns.len());
    for col in columns {
        values.push(match map.get(*col) {
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
    Ok(Cells {
        file,
        row,
        columns,
        values,
    })
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

/// Remembers ids already seen, to refuse duplicates (which would count twice).
#[derive(Default)]
struct Ids(HashMap<String, u64>);

impl Ids {
    fn check(&mut self, cells: &Cells, id: &str) -> Result<(), DataError> {
        if let Some(first) = self.0.insert(id.to_string(), cells.row) {
            return Err(cells
                .err("id", format!("duplicate id `{id}`"))
                .help(format!(
                    "row {first} has the same id; each row must be a different event"
                )));
        }
        Ok(())
    }
}

/// Finds the `(flow, item)` a cell names: `item` alone when that is
/// unambiguous, `flow.item`, or `item` with the flow in `flow_cell`.
fn resolve(
    c: &Cells,
    column: &str,
    flow_cell: Option<&str>,
    known: &[(String, String)],
    what: &str,
) -> Result<(String, String), DataError> {
    let v = c.text(column)?;
    let (flow, item) = match (v.split_once('.'), flow_cell.filter(|f| !f.is_empty())) {
        (Some((f, i)), _) => (Some(f.to_string()), i.to_string()),
        (None, f) => (f.map(str::to_string), v.clone()),
    };
    let matches: Vec<&(String, String)> = known
        .iter()
        .filter(|(f, i)| *i == item && flow.as_ref().is_none_or(|x| x == f))
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let names: Vec<String> = known.iter().map(|(f, i)| format!("{f}.{i}")).collect();
            let help = did_you_mean(&v, known.iter().map(|(_, i)| i.as_str()))
                .or_else(|| did_you_mean(&v, names.iter().map(String::as_str)))
                .unwrap_or_else(|| {
                    if names.is_empty() {
                        format!("the agreement declares no {what}")
                    } else {
                        format!("expected one of {}", list(names.iter().map(String::as_str)))
                    }
                });
            Err(c.err(column, format!("unknown {what} `{v}`")).help(help))
        }
        many => Err(c.err(column, format!("`{v}` is ambiguous")).help(format!(
            "name the flow too: {}",
            list(
                many.iter()
                    .map(|(f, i)| format!("{f}.{i}"))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str)
            )
        ))),
    }
}

/// One inquiry row.
fn inquiry(c: &Cells, vocab: &Vocabulary) -> Result<Inquiry, DataError> {
    let received_at = c.time("received_at")?;
    Ok(Inquiry {
        row: c.row,
        id: c.text("id")?,
        platform: c.choice("platform", &vocab.platforms, false)?,
        channel: c.choice("channel", &vocab.channels, false)?,
        priority: c.choice("priority", &vocab.priorities, false)?,
        audience: c.choice("audience", &vocab.audiences, true)?,
        first_response_at: c.stop("first_response_at", received_at, "received_at")?,
        resolved_at: c.stop("resolved_at", received_at, "received_at")?,
        requires_response: c.flag("requires_response", true)?,
        received_at,
    })
}

/// One post row.
fn post(c: &Cells, vocab: &Vocabulary) -> Result<Post, DataError> {
    let tags = c
        .raw("tags")
        .split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    Ok(Post {
        row: c.row,
        id: c.text("id")?,
        platform: c.choice("platform", &vocab.platforms, false)?,
        audience: c.choice("audience", &vocab.audiences, true)?,
        published_at: c.time("published_at")?,
        impressions: c.count("impressions")?,
        reach: c.count("reach")?,
        engagements: c.count("engagements")?,
        followers: c.count("followers")?,
        tags: tags.collect(),
    })
}

/// One approval row.
fn approval(c: &Cells, vocab: &Vocabulary) -> Result<ApprovalRequest, DataError> {
    let (approval, step) = resolve(
        c,
        "step",
        Some(c.raw("approval")),
        &vocab.steps,
        "approval step",
    )?;
    let requested_at = c.time("requested_at")?;
    Ok(ApprovalRequest {
        row: c.row,
        post_id: c.text("post_id")?,
        approval,
        step,
        decided_at: c.stop("decided_at", requested_at, "requested_at")?,
        decision: c.raw("decision").to_string(),
        requested_at,
    })
}

/// One incident row.
fn incident(c: &Cells, vocab: &Vocabulary) -> Result<Incident, DataError> {
    let id = c.text("id")?;
    let (escalation, tier) = resolve(c, "tier", None, &vocab.tiers, "escalation tier")?;
    let detected_at = c.time("detected_at")?;
    Ok(Incident {
        row: c.row,
        escalation,
        tier,
        acknowledged_at: c.stop("acknowledged_at", detected_at, "detected_at")?,
        resolved_at: c.stop("resolved_at", detected_at, "detected_at")?,
        platform: c.choice("platform", &vocab.platforms, true)?,
        detected_at,
        id,
    })
}

/// One exclusion window row.
fn exclusion(c: &Cells, vocab: &Vocabulary) -> Result<ExclusionWindow, DataError> {
    let kinds: Vec<String> = Exclusion::ALL
        .iter()
        .map(|k| k.keyword().to_string())
        .collect();
    let kind = c.choice("kind", &kinds, false)?;
    let kind = *Exclusion::ALL
        .iter()
        .find(|k| k.keyword() == kind)
        .expect("checked kind");
    let start = c.time("start")?;
    let end = c.time("end")?;
    if end <= start {
        return Err(c
            .err("end", format!("`{}` is not after `start`", c.raw("end")))
            .help("an exclusion window ends after it starts"));
    }
    Ok(ExclusionWindow {
        row: c.row,
        kind,
        platform: c.choice("platform", &vocab.platforms, true)?,
        start,
        end,
    })
}

/// One row of a `kind` file as a typed event.
fn event(kind: FileKind, c: &Cells, vocab: &Vocabulary) -> Result<Event, DataError> {
    Ok(match kind {
        FileKind::Inquiries => Event::Inquiry(inquiry(c, vocab)?),
        FileKind::Posts => Event::Post(post(c, vocab)?),
        FileKind::Approvals => Event::Approval(approval(c, vocab)?),
        FileKind::Incidents => Event::Incident(incident(c, vocab)?),
        FileKind::Exclusions => Event::Exclusion(exclusion(c, vocab)?),
    })
}

/// One event given as a JSON object (a line of a `.jsonl` file, or an event
/// posted to `slac serve`), validated exactly as a row of `kind`'s file:
/// the same checks and the same messages. `row` numbers it for errors.
pub fn event_from_json(
    kind: FileKind,
    file: &str,
    row: u64,
    map: &serde_json::Map<String, serde_json::Value>,
    vocab: &Vocabulary,
) -> Result<Event, DataError> {
    let columns = kind.columns();
    event(kind, &json_cells(file, row, &columns, map)?, vocab)
}

/// Reads every row of a `kind` file; ids must be unique where the file has
/// them.
fn read_all<T>(
    kind: FileKind,
    file: &str,
    format: Format,
    input: impl Read,
    vocab: &Vocabulary,
    progress: &mut dyn FnMut(u64),
    parse: fn(&Cells, &Vocabulary) -> Result<T, DataError>,
) -> Result<Vec<T>, DataErrors> {
    let mut out = Vec::new();
    let mut ids = Ids::default();
    let keyed = kind.required().contains(&"id");
    let mut errors = DataErrors::new(file);
    rows(kind, file, format, input, progress, &mut errors, |c| {
        if keyed {
            ids.check(&c, &c.text("id")?)?;
        }
        out.push(parse(&c, vocab)?);
        Ok(())
    });
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

pub fn read_inquiries(
    file: &str,
    format: Format,
    input: impl Read,
    vocab: &Vocabulary,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<Inquiry>, DataErrors> {
    read_all(
        FileKind::Inquiries,
        file,
        format,
        input,
        vocab,
        progress,
        inquiry,
    )
}

pub fn read_posts(
    file: &str,
    format: Format,
    input: impl Read,
    vocab: &Vocabulary,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<Post>, DataErrors> {
    read_all(FileKind::Posts, file, format, input, vocab, progress, post)
}

pub fn read_approvals(
    file: &str,
    format: Format,
    input: impl Read,
    vocab: &Vocabulary,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<ApprovalRequest>, DataErrors> {
    read_all(
        FileKind::Approvals,
        file,
        format,
        input,
        vocab,
        progress,
        approval,
    )
}

pub fn read_incidents(
    file: &str,
    format: Format,
    input: impl Read,
    vocab: &Vocabulary,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<Incident>, DataErrors> {
    read_all(
        FileKind::Incidents,
        file,
        format,
        input,
        vocab,
        progress,
        incident,
    )
}

pub fn read_exclusions(
    file: &str,
    format: Format,
    input: impl Read,
    vocab: &Vocabulary,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<ExclusionWindow>, DataErrors> {
    read_all(
        FileKind::Exclusions,
        file,
        format,
        input,
        vocab,
        progress,
        exclusion,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary {
            platforms: vec!["x".into(), "instagram".into()],
            channels: vec!["dm".into(), "mention".into()],
            priorities: vec!["low".into(), "normal".into(), "high".into()],
            audiences: vec!["fans".into()],
            steps: vec![
                ("publish".into(), "review".into()),
                ("publish".into(), "legal".into()),
            ],
            tiers: vec![
                ("crisis".into(), "minor".into()),
                ("other".into(), "minor".into()),
            ],
        }
    }

    const HEAD: &str =
        "id,platform,channel,priority,audience,received_at,first_response_at,resolved_at\n";

    fn inquiries(text: &str) -> Result<Vec<Inquiry>, DataErrors> {
        read_inquiries(
            "inquiries.csv",
            Format::Csv,
            text.as_bytes(),
            &vocab(),
            &mut |_| {},
        )
    }

    #[test]
    fn reads_a_csv_row_with_empty_stops() {
        let rows = inquiries(&format!(
            "{HEAD}q1,x,dm,high,,2026-03-02T09:15:00+01:00,,\n"
        ))
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].row, 2);
        assert_eq!(
            rows[0].received_at.to_rfc3339(),
            "2026-03-02T08:15:00+00:00"
        );
        assert_eq!(rows[0].first_response_at, None);
        assert!(rows[0].requires_response);
    }

    #[test]
    fn errors_name_file_row_and_column() {
        let e = inquiries(&format!(
            "{HEAD}q1,x,dm,high,,2026-03-02T09:15:00+01:00,,\nq2,x,dm,high,,2026-03-02 9:15,,\n"
        ))
        .unwrap_err()
        .errors
        .remove(0);
        assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("received_at")));
        assert_eq!(
            e.to_string().lines().next().unwrap(),
            "`inquiries.csv` row 3, column `received_at`: `2026-03-02 9:15` is not an RFC 3339 timestamp with an offset"
        );
        let e = inquiries(
            "id,platform,channel,priority,audience,received,first_response_at,resolved_at\n",
        )
        .unwrap_err()
        .errors
        .remove(0);
        assert_eq!(e.message, "missing required column `received_at`");
        assert_eq!(
            e.help.as_deref(),
            Some("did you mean `received`? (columns are matched exactly)")
        );
        let e = inquiries(&format!(
            "{HEAD}q1,Instagram,dm,high,,2026-03-02T09:15:00Z,,\n"
        ))
        .unwrap_err()
        .errors
        .remove(0);
        assert_eq!(e.message, "unknown platform `Instagram`");
        let e = inquiries(&format!(
            "{HEAD}q1,x,dm,high,,2026-03-02T09:15:00Z,2026-03-02T09:00:00Z,\n"
        ))
        .unwrap_err()
        .errors
        .remove(0);
        assert_eq!(
            (e.column.as_deref(), e.message.as_str()),
            (
                Some("first_response_at"),
                "`2026-03-02T09:00:00Z` is before `received_at`"
            )
        );
        let e = inquiries(&format!(
            "{HEAD}q1,x,dm,high,,2026-03-02T09:15:00Z,,\nq1,x,dm,high,,2026-03-02T09:15:00Z,,\n"
        ))
        .unwrap_err()
        .errors
        .remove(0);
        assert_eq!((e.row, e.message.as_str()), (Some(3), "duplicate id `q1`"));
        let e = inquiries(&format!("{HEAD}q1,x,dm,high,,2026-03-02T09:15:00Z\n"))
            .unwrap_err()
            .errors
            .remove(0);
        assert_eq!(
            (e.row, e.message.as_str()),
            (Some(2), "the row has 6 fields but the header has 8")
        );
    }

    #[test]
    fn reads_json_lines_with_omitted_and_null_fields() {
        let text = r#"{"id":"p1","platform":"instagram","audience":"fans","published_at":"2026-03-02T10:00:00+01:00","impressions":1000,"reach":800,"engagements":41,"followers":5000,"tags":["launch","regulated"]}

{"id":"p2","platform":"x","audience":null,"published_at":"2026-03-03T10:00:00Z","impressions":"10","reach":9,"engagements":1,"followers":5000}
"#;
        let posts = read_posts(
            "posts.jsonl",
            Format::Jsonl,
            text.as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(posts.len(), 2);
        assert_eq!(posts[0].tags, vec!["launch", "regulated"]);
        assert_eq!(
            (
                posts[1].row,
                posts[1].impressions,
                posts[1].audience.as_str()
            ),
            (3, 10, "")
        );
        let e = read_posts(
            "posts.jsonl",
            Format::Jsonl,
            "[1]\n".as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap_err()
        .errors
        .remove(0);
        assert_eq!((e.row, e.message.as_str()), (Some(1), "not a JSON object"));
    }

    #[test]
    fn steps_and_tiers_resolve_or_explain() {
        let head = "post_id,step,requested_at,decided_at,decision\n";
        let text = format!("{head}p1,review,2026-03-02T09:00:00Z,,\np1,publish.legal,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,approved\n");
        let rows = read_approvals(
            "approvals.csv",
            Format::Csv,
            text.as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(
            (rows[1].approval.as_str(), rows[1].step.as_str()),
            ("publish", "legal")
        );
        let text = format!("{head}p1,reveiw,2026-03-02T09:00:00Z,,\n");
        let e = read_approvals(
            "approvals.csv",
            Format::Csv,
            text.as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap_err()
        .errors
        .remove(0);
        assert_eq!(e.help.as_deref(), Some("did you mean `review`?"));
        let head = "id,tier,detected_at,acknowledged_at,resolved_at\n";
        let e = read_incidents(
            "i.csv",
            Format::Csv,
            format!("{head}i1,minor,2026-03-02T09:00:00Z,,\n").as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap_err()
        .errors
        .remove(0);
        assert_eq!(e.message, "`minor` is ambiguous");
        let ok = read_incidents(
            "i.csv",
            Format::Csv,
            format!("{head}i1,crisis.minor,2026-03-02T09:00:00Z,,\n").as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(ok[0].escalation, "crisis");
    }

    #[test]
    fn exclusion_windows_must_end_after_they_start() {
        let text = "kind,platform,start,end\nplatform_outage,x,2026-03-02T10:00:00Z,2026-03-02T09:00:00Z\n";
        let e = read_exclusions(
            "exclusions.csv",
            Format::Csv,
            text.as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap_err()
        .errors
        .remove(0);
        assert_eq!(e.column.as_deref(), Some("end"));
    }

    fn errors(text: &[u8]) -> DataErrors {
        read_inquiries("inquiries.csv", Format::Csv, text, &vocab(), &mut |_| {}).unwrap_err()
    }

    const ROW: &str = "x,dm,high,,2026-03-02T09:15:00+01:00,,";

    #[test]
    fn rows_are_the_lines_an_editor_shows() {
        // CRLF endings, a byte order mark, blank lines (one with a lone
        // `\r`, one with spaces) and a quoted cell over two lines: each
        // record is numbered by the line it starts on. Before, CRLF made
        // every row one too low (the first data row was "row 1", the
        // header's) and a record after blank lines took the number of the
        // first blank line.
        let text = format!(
            "\u{feff}{}q1,{ROW}\r\n\r\n\r\n   \r\nq2,{ROW}\r\n\"q\r\n3\",{ROW}\r\nq4,{ROW}",
            HEAD.replace('\n', "\r\n")
        );
        let rows = inquiries(&text).unwrap();
        let numbered: Vec<(&str, u64)> = rows.iter().map(|r| (r.id.as_str(), r.row)).collect();
        assert_eq!(
            numbered,
            vec![("q1", 2), ("q2", 6), ("q\r\n3", 7), ("q4", 9)]
        );
        // An error on a row after blank lines names that row's line.
        let text = format!("{HEAD}\n\nq1,x,dm,high,,yesterday,,\r\n");
        let e = errors(text.as_bytes());
        assert_eq!(e.first().row, Some(4));
    }

    #[test]
    fn a_duplicated_column_an_empty_file_and_every_bad_row() {
        let e = errors(format!("id,{}", HEAD).as_bytes());
        assert_eq!(
            (e.first().row, e.first().column.as_deref()),
            (Some(1), Some("id"))
        );
        assert_eq!(
            e.first().message,
            "column `id` appears twice: as column 1 and column 2"
        );
        for empty in ["", "\n\r\n  \n", "\u{feff}"] {
            let e = errors(empty.as_bytes());
            assert_eq!(
                (e.first().row, e.first().message.as_str()),
                (None, "the file is empty: expected a header row")
            );
        }
        // Every missing column at once.
        let e = errors(b"id,platform\n");
        assert_eq!(e.errors.len(), 6);
        // Every bad row, not just the first: rows 3 and 5 are bad, row 4
        // repeats q1's id.
        let text = format!(
            "{HEAD}q1,{ROW}\nq2,x,dm,urgent,,2026-03-02T09:15:00Z,,\nq1,{ROW}\nq3,{ROW},extra\nq5,{ROW}\n"
        );
        let e = errors(text.as_bytes());
        let found: Vec<(Option<u64>, &str)> = e
            .errors
            .iter()
            .map(|e| (e.row, e.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (Some(3), "unknown priority `urgent`"),
                (Some(4), "duplicate id `q1`"),
                (Some(5), "the row has 9 fields but the header has 8"),
            ]
        );
        // Beyond 20, the rest are counted.
        let mut text = HEAD.to_string();
        for i in 0..25 {
            text += &format!("q{i},x,dm,high,,never,,\n");
        }
        let e = errors(text.as_bytes());
        assert_eq!((e.errors.len(), e.more), (20, 5));
        let shown = e.to_string();
        assert_eq!(shown.matches("\nerror: `inquiries.csv` row").count(), 19);
        assert!(
            shown.ends_with(
                "\nerror: and 5 more errors in `inquiries.csv` (the first 20 are shown)"
            ),
            "{shown}"
        );
    }

    #[test]
    fn every_bound_is_an_error_with_file_and_row() {
        // The header: at most 64 KiB and 256 columns.
        let e = errors(&vec![b','; 300 * 1024]);
        assert_eq!(
            (e.first().row, e.first().message.as_str()),
            (Some(1), "the header is longer than 64 KiB")
        );
        let wide = (0..300)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join(",");
        let e = errors(wide.as_bytes());
        assert_eq!(
            e.first().message,
            "the header has 300 columns, more than the 256 allowed"
        );
        // A cell: at most 64 KiB; a record: at most 1 MiB.
        let text = format!(
            "{HEAD}q1,{ROW}\nq2,x,dm,high,\"{}\",,,\n",
            "a".repeat(65 * 1024)
        );
        let e = errors(text.as_bytes());
        assert_eq!(
            (e.first().row, e.first().message.as_str()),
            (Some(3), "a cell of the row is longer than 64 KiB")
        );
        let cell = "a".repeat(60 * 1024);
        let big = vec![cell.as_str(); 20].join("\",\"");
        let text = format!("{HEAD}q1,{ROW}\n\"{big}\"\n");
        let e = errors(text.as_bytes());
        assert_eq!(
            (e.first().row, e.first().message.as_str()),
            (Some(3), "the row is longer than 1 MiB")
        );
        // A quote never closed.
        let e = errors(format!("{HEAD}\"q1,{ROW}\n").as_bytes());
        assert_eq!(
            (e.first().row, e.first().message.as_str()),
            (
                Some(2),
                "a quoted cell of the row is not closed before the end of the file"
            )
        );
        // A JSON Lines line: at most 1 MiB.
        let line = format!("{{\"id\":\"{}\"}}\n", "a".repeat(1024 * 1024));
        let e = read_posts(
            "posts.jsonl",
            Format::Jsonl,
            format!("\n{line}").as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap_err();
        assert_eq!(
            (e.first().row, e.first().message.as_str()),
            (Some(2), "the line is longer than 1 MiB")
        );
    }

    #[test]
    fn json_lines_report_every_bad_line_and_take_crlf_and_a_bom() {
        let ok = r#"{"id":"p1","platform":"x","audience":"","published_at":"2026-03-02T10:00:00Z","impressions":1,"reach":1,"engagements":1,"followers":1}"#;
        let text = format!(
            "\u{feff}{ok}\r\n\r\nnot json\r\n[1]\r\n{}\r\n",
            ok.replace("p1", "p2")
        );
        let e = read_posts(
            "posts.jsonl",
            Format::Jsonl,
            text.as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap_err();
        let rows: Vec<Option<u64>> = e.errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, vec![Some(3), Some(4)]);
        let text = format!("\u{feff}{ok}\r\n\r\n{}\r\n", ok.replace("p1", "p2"));
        let posts = read_posts(
            "posts.jsonl",
            Format::Jsonl,
            text.as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!((posts[0].row, posts[1].row), (1, 3));
    }
}
