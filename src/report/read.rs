//! Reading the exported data: CSV (with a header row) or JSON Lines, from any
//! `Read`, one row at a time. Parsing is pure; the CLI opens the files.
//!
//! Nothing is silently dropped: a missing required column, an unparsable
//! cell, an unknown platform or step, a duplicate id or a stop before its
//! start is an error that names the file, the row and the column. Rows are
//! numbered like the lines of the file (the CSV header is row 1), so an
//! editor jumps straight to them.

use super::events::*;
use crate::check::suggest::did_you_mean;
use crate::model::{Agreement, Exclusion};
use chrono::{DateTime, SubsecRound};
use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};

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

/// Streams the rows of a file to `each`. `progress` hears the bytes read
/// so far now and then (for a progress bar).
fn rows(
    kind: FileKind,
    file: &str,
    format: Format,
    input: impl Read,
    progress: &mut dyn FnMut(u64),
    mut each: impl FnMut(Cells) -> Result<(), DataError>,
) -> Result<(), DataError> {
    let columns = kind.columns();
    match format {
        Format::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(input);
            let header = reader.headers().map_err(|e| csv_error(file, e))?.clone();
            // Excel writes a byte order mark before the first name.
            let names: Vec<String> = header
                .iter()
                .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
                .collect();
            let mut index = Vec::with_capacity(columns.len());
            for (i, col) in columns.iter().enumerate() {
                let at = names.iter().position(|n| n == col);
                if at.is_none() && i < kind.required().len() {
                    let help = did_you_mean(col, names.iter().map(String::as_str))
                        .map(|d| format!("{d} (columns are matched exactly)"))
                        .unwrap_or_else(|| {
                            format!("the header has {}", list(names.iter().map(String::as_str)))
                        });
                    return Err(
                        DataError::new(file, format!("missing required column `{col}`"))
                            .at(1, Some(col))
                            .help(help),
                    );
                }
                index.push(at);
            }
            let mut record = csv::StringRecord::new();
            let mut n = 0u64;
            loop {
                match reader.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {}
                    Err(e) => return Err(csv_error(file, e)),
                }
                let row = record.position().map(|p| p.line()).unwrap_or(0);
                let values = index
                    .iter()
                    .map(|i| i.and_then(|i| record.get(i)).map(str::to_string))
                    .collect();
                each(Cells {
                    file,
                    row,
                    columns: &columns,
                    values,
                })?;
                n += 1;
                if n % 512 == 0 {
                    progress(reader.position().byte());
                }
            }
            progress(reader.position().byte());
        }
        Format::Jsonl => {
            let mut reader = BufReader::new(input);
            let (mut line, mut row, mut bytes) = (String::new(), 0u64, 0u64);
            loop {
                line.clear();
                let read = reader.read_line(&mut line).map_err(|e| {
                    DataError::new(file, format!("cannot read: {e}")).at(row + 1, None)
                })?;
                if read == 0 {
                    break;
                }
                row += 1;
                bytes += read as u64;
                if line.trim().is_empty() {
                    continue;
                }
                let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| {
                    DataError::new(file, format!("not valid JSON: {e}"))
                        .at(row, None)
                        .help("each line of a `.jsonl` file is one JSON object")
                })?;
                let serde_json::Value::Object(map) = value else {
                    return Err(DataError::new(file, "not a JSON object")
                        .at(row, None)
                        .help("each line of a `.jsonl` file is one JSON object"));
                };
                each(json_cells(file, row, &columns, &map)?)?;
                if row % 512 == 0 {
                    progress(bytes);
                }
            }
            progress(bytes);
        }
    }
    Ok(())
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

fn csv_error(file: &str, e: csv::Error) -> DataError {
    let row = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("the row has {len} fields but the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    let mut err = DataError::new(file, message);
    err.row = row;
    err
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
) -> Result<Vec<T>, DataError> {
    let mut out = Vec::new();
    let mut ids = Ids::default();
    let keyed = kind.required().contains(&"id");
    rows(kind, file, format, input, progress, |c| {
        if keyed {
            ids.check(&c, &c.text("id")?)?;
        }
        out.push(parse(&c, vocab)?);
        Ok(())
    })?;
    Ok(out)
}

pub fn read_inquiries(
    file: &str,
    format: Format,
    input: impl Read,
    vocab: &Vocabulary,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<Inquiry>, DataError> {
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
) -> Result<Vec<Post>, DataError> {
    read_all(FileKind::Posts, file, format, input, vocab, progress, post)
}

pub fn read_approvals(
    file: &str,
    format: Format,
    input: impl Read,
    vocab: &Vocabulary,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<ApprovalRequest>, DataError> {
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
) -> Result<Vec<Incident>, DataError> {
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
) -> Result<Vec<ExclusionWindow>, DataError> {
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

    fn inquiries(text: &str) -> Result<Vec<Inquiry>, DataError> {
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
        .unwrap_err();
        assert_eq!((e.row, e.column.as_deref()), (Some(3), Some("received_at")));
        assert_eq!(
            e.to_string().lines().next().unwrap(),
            "`inquiries.csv` row 3, column `received_at`: `2026-03-02 9:15` is not an RFC 3339 timestamp with an offset"
        );
        let e = inquiries(
            "id,platform,channel,priority,audience,received,first_response_at,resolved_at\n",
        )
        .unwrap_err();
        assert_eq!(e.message, "missing required column `received_at`");
        assert_eq!(
            e.help.as_deref(),
            Some("did you mean `received`? (columns are matched exactly)")
        );
        let e = inquiries(&format!(
            "{HEAD}q1,Instagram,dm,high,,2026-03-02T09:15:00Z,,\n"
        ))
        .unwrap_err();
        assert_eq!(e.message, "unknown platform `Instagram`");
        let e = inquiries(&format!(
            "{HEAD}q1,x,dm,high,,2026-03-02T09:15:00Z,2026-03-02T09:00:00Z,\n"
        ))
        .unwrap_err();
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
        .unwrap_err();
        assert_eq!((e.row, e.message.as_str()), (Some(3), "duplicate id `q1`"));
        let e = inquiries(&format!("{HEAD}q1,x,dm,high,,2026-03-02T09:15:00Z\n")).unwrap_err();
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
        .unwrap_err();
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
        .unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `review`?"));
        let head = "id,tier,detected_at,acknowledged_at,resolved_at\n";
        let e = read_incidents(
            "i.csv",
            Format::Csv,
            format!("{head}i1,minor,2026-03-02T09:00:00Z,,\n").as_bytes(),
            &vocab(),
            &mut |_| {},
        )
        .unwrap_err();
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
        .unwrap_err();
        assert_eq!(e.column.as_deref(), Some("end"));
    }
}
