//! One row of each data file as a typed event: the checks and messages a
//! row gets, whether it comes from a file or is posted to `slac serve`.

use super::*;

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
impl Row for Inquiry {
    const KIND: FileKind = FileKind::Inquiries;
    fn parse(c: &Cells, vocab: &Vocabulary) -> Result<Self, DataError> {
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
}

/// One post row.
impl Row for Post {
    const KIND: FileKind = FileKind::Posts;
    fn parse(c: &Cells, vocab: &Vocabulary) -> Result<Self, DataError> {
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
}

/// One approval row.
impl Row for ApprovalRequest {
    const KIND: FileKind = FileKind::Approvals;
    fn parse(c: &Cells, vocab: &Vocabulary) -> Result<Self, DataError> {
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
}

/// One incident row.
impl Row for Incident {
    const KIND: FileKind = FileKind::Incidents;
    fn parse(c: &Cells, vocab: &Vocabulary) -> Result<Self, DataError> {
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
}

/// One exclusion window row.
impl Row for ExclusionWindow {
    const KIND: FileKind = FileKind::Exclusions;
    fn parse(c: &Cells, vocab: &Vocabulary) -> Result<Self, DataError> {
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
}

/// One row of a `kind` file as a typed event.
fn event(kind: FileKind, c: &Cells, vocab: &Vocabulary) -> Result<Event, DataError> {
    Ok(match kind {
        FileKind::Inquiries => Event::Inquiry(Inquiry::parse(c, vocab)?),
        FileKind::Posts => Event::Post(Post::parse(c, vocab)?),
        FileKind::Approvals => Event::Approval(ApprovalRequest::parse(c, vocab)?),
        FileKind::Incidents => Event::Incident(Incident::parse(c, vocab)?),
        FileKind::Exclusions => Event::Exclusion(ExclusionWindow::parse(c, vocab)?),
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
    let sources: Vec<Option<&str>> = columns.iter().map(|c| Some(*c)).collect();
    let values = json_values(file, row, &columns, &sources, map)?;
    event(kind, &owned_cells(file, row, &columns, &values), vocab)
}
