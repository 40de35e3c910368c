//! `POST /v1/events`: a JSON array or JSON Lines of events, each validated
//! exactly as `slac report` validates a row of its data file (the same
//! reader, the same messages). One bad event refuses the whole request.

use super::state::Live;
use crate::report::events::Event;
use crate::report::read::{self, FileKind};
use serde::Serialize;
use serde_json::{Map, Value};

/// At most this many problems are listed in one answer.
const MAX_LISTED: usize = 100;

/// One problem with one event of a request.
#[derive(Debug, Serialize, PartialEq)]
pub struct Problem {
    /// The event's position in the request, from 0 (`None`: the request
    /// as a whole).
    pub index: Option<usize>,
    pub field: Option<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Problem {
    fn whole(message: impl Into<String>) -> Problem {
        Problem {
            index: None,
            field: None,
            message: message.into(),
            help: None,
        }
    }
}

/// The kinds an event may name, and the data file each is a row of. A
/// row of `messages.csv` has a `kind` column of its own (`message`,
/// `solved`, `reopened`): the event's kind is that column's value.
const KINDS: [(&str, FileKind); 9] = [
    ("inquiry", FileKind::Inquiries),
    ("post", FileKind::Posts),
    ("approval", FileKind::Approvals),
    ("incident", FileKind::Incidents),
    ("exclusion", FileKind::Exclusions),
    ("wait", FileKind::Waits),
    ("message", FileKind::Messages),
    ("solved", FileKind::Messages),
    ("reopened", FileKind::Messages),
];

/// Splits a request body into its JSON objects: a JSON array, or one
/// object per line.
pub fn objects(body: &[u8], max: usize) -> Result<Vec<Value>, Problem> {
    let text = std::str::from_utf8(body)
        .map_err(|e| Problem::whole(format!("the body is not UTF-8 (byte {})", e.valid_up_to())))?;
    let trimmed = text.trim_start();
    let values: Vec<Value> = if trimmed.starts_with('[') {
        serde_json::from_str(trimmed)
            .map_err(|e| Problem::whole(format!("the body is not a valid JSON array: {e}")))?
    } else {
        let mut out = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            if out.len() >= max {
                return Err(too_many(max));
            }
            let v = serde_json::from_str(line).map_err(|e| Problem {
                index: Some(out.len()),
                field: None,
                message: format!("line {} is not valid JSON: {e}", n + 1),
                help: Some("send one JSON object per line, or a JSON array".into()),
            })?;
            out.push(v);
        }
        out
    };
    if values.is_empty() {
        return Err(Problem::whole("the request holds no event"));
    }
    if values.len() > max {
        return Err(too_many(max));
    }
    Ok(values)
}

fn too_many(max: usize) -> Problem {
    Problem {
        index: None,
        field: None,
        message: format!("more than {max} events in one request"),
        help: Some("split the batch (the server's --max-batch sets the limit)".into()),
    }
}

/// Validates every event; returns each with the index of its agreement in
/// `lives`, or every problem found (up to a limit).
pub fn validate(
    values: &[Value],
    lives: &[std::sync::Arc<Live>],
) -> Result<Vec<(usize, Event)>, Vec<Problem>> {
    let mut ok = Vec::with_capacity(values.len());
    let mut problems = Vec::new();
    for (index, v) in values.iter().enumerate() {
        match one(index, v, lives) {
            Ok(e) => ok.push(e),
            Err(p) => {
                if problems.len() < MAX_LISTED {
                    problems.push(p);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(ok)
    } else {
        Err(problems)
    }
}

fn at(index: usize, field: &str, message: impl Into<String>, help: Option<String>) -> Problem {
    Problem {
        index: Some(index),
        field: Some(field.to_string()),
        message: message.into(),
        help,
    }
}

fn one(index: usize, v: &Value, lives: &[std::sync::Arc<Live>]) -> Result<(usize, Event), Problem> {
    let Value::Object(map) = v else {
        return Err(Problem {
            index: Some(index),
            field: None,
            message: "an event is a JSON object".into(),
            help: None,
        });
    };
    let kind = kind(index, map)?;
    let which = agreement(index, map, lives)?;
    unknown_fields(index, kind, map)?;
    let live = &lives[which];
    let file = format!("event {index}");
    read::event_from_json(kind, &file, index as u64, map, &live.vocab)
        .map(|e| (which, e))
        .map_err(|e| Problem {
            index: Some(index),
            field: e.column,
            message: e.message,
            help: e.help,
        })
}

fn kind(index: usize, map: &Map<String, Value>) -> Result<FileKind, Problem> {
    let names = || {
        KINDS
            .iter()
            .map(|(k, _)| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(k) = map.get("kind") else {
        return Err(at(
            index,
            "kind",
            "missing field `kind`",
            Some(format!("one of {}", names())),
        ));
    };
    let k = k.as_str().unwrap_or("");
    KINDS
        .iter()
        .find(|(name, _)| *name == k)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let help = crate::diagnostics::suggest::did_you_mean(k, KINDS.iter().map(|(n, _)| *n))
                .unwrap_or_else(|| format!("one of {}", names()));
            at(index, "kind", format!("unknown kind `{k}`"), Some(help))
        })
}

fn agreement(
    index: usize,
    map: &Map<String, Value>,
    lives: &[std::sync::Arc<Live>],
) -> Result<usize, Problem> {
    let names = || {
        lives
            .iter()
            .map(|l| format!("`{}`", l.name()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match map.get("agreement") {
        None if lives.len() == 1 => Ok(0),
        None => Err(at(
            index,
            "agreement",
            "missing field `agreement`",
            Some(format!("this server serves {}", names())),
        )),
        Some(v) => {
            let name = v.as_str().unwrap_or("");
            lives.iter().position(|l| l.name() == name).ok_or_else(|| {
                let help =
                    crate::diagnostics::suggest::did_you_mean(name, lives.iter().map(|l| l.name()))
                        .unwrap_or_else(|| format!("this server serves {}", names()));
                at(
                    index,
                    "agreement",
                    format!("unknown agreement `{name}`"),
                    Some(help),
                )
            })
        }
    }
}

fn unknown_fields(index: usize, kind: FileKind, map: &Map<String, Value>) -> Result<(), Problem> {
    let columns = kind.columns();
    for field in map.keys() {
        if field == "kind" || field == "agreement" || columns.contains(&field.as_str()) {
            continue;
        }
        let help = crate::diagnostics::suggest::did_you_mean(field, columns.iter().copied())
            .unwrap_or_else(|| {
                format!(
                    "{} events have {}",
                    kind.stem(),
                    columns
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
        return Err(at(
            index,
            field,
            format!("unknown field `{field}`"),
            Some(help),
        ));
    }
    Ok(())
}
