//! One row of each data file as a typed event: the checks and messages a
//! row gets, whether it comes from a file or is posted to `slac serve`.

use super::columns::{approval, exclusion, incident, inquiry, message, post, wait};
use super::*;
use crate::model::WaitingOn;

/// Finds the `(flow, item)` a cell names: `item` alone when that is
/// unambiguous, `flow.item`, or `item` with the flow in `flow_cell`.
fn resolve(
    c: &Cells,
    column: Col,
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
    fn parse(c: &Cells, vocab: &Lexicon) -> Result<Self, DataError> {
        let received_at = c.time(inquiry::RECEIVED_AT)?;
        Ok(Inquiry {
            row: c.row,
            id: c.text(inquiry::ID)?,
            platform: c.word(
                inquiry::PLATFORM,
                &vocab.platforms,
                &vocab.vocab.platforms,
                false,
            )?,
            channel: c.word(
                inquiry::CHANNEL,
                &vocab.channels,
                &vocab.vocab.channels,
                false,
            )?,
            priority: c.word(
                inquiry::PRIORITY,
                &vocab.priorities,
                &vocab.vocab.priorities,
                false,
            )?,
            audience: c.word(
                inquiry::AUDIENCE,
                &vocab.audiences,
                &vocab.vocab.audiences,
                true,
            )?,
            first_response_at: c.stop(
                inquiry::FIRST_RESPONSE_AT,
                received_at,
                inquiry::RECEIVED_AT,
            )?,
            resolved_at: c.stop(inquiry::RESOLVED_AT, received_at, inquiry::RECEIVED_AT)?,
            requires_response: c.flag(inquiry::REQUIRES_RESPONSE, true)?,
            received_at,
        })
    }
}

/// One post row.
impl Row for Post {
    const KIND: FileKind = FileKind::Posts;
    fn parse(c: &Cells, vocab: &Lexicon) -> Result<Self, DataError> {
        let tags = c
            .raw(post::TAGS)
            .split(';')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        Ok(Post {
            row: c.row,
            id: c.text(post::ID)?,
            platform: c.choice(post::PLATFORM, &vocab.vocab.platforms, false)?,
            audience: c.choice(post::AUDIENCE, &vocab.vocab.audiences, true)?,
            published_at: c.time(post::PUBLISHED_AT)?,
            impressions: c.count(post::IMPRESSIONS)?,
            reach: c.count(post::REACH)?,
            engagements: c.count(post::ENGAGEMENTS)?,
            followers: c.count(post::FOLLOWERS)?,
            tags: tags.collect(),
        })
    }
}

/// One approval row.
impl Row for ApprovalRequest {
    const KIND: FileKind = FileKind::Approvals;
    fn parse(c: &Cells, vocab: &Lexicon) -> Result<Self, DataError> {
        let (approval, step) = resolve(
            c,
            approval::STEP,
            Some(c.raw(approval::APPROVAL)),
            &vocab.steps,
            "approval step",
        )?;
        let requested_at = c.time(approval::REQUESTED_AT)?;
        Ok(ApprovalRequest {
            row: c.row,
            post_id: c.text(approval::POST_ID)?,
            approval,
            step,
            decided_at: c.stop(approval::DECIDED_AT, requested_at, approval::REQUESTED_AT)?,
            decision: c.raw(approval::DECISION).to_string(),
            requested_at,
        })
    }
}

/// One incident row.
impl Row for Incident {
    const KIND: FileKind = FileKind::Incidents;
    fn parse(c: &Cells, vocab: &Lexicon) -> Result<Self, DataError> {
        let id = c.text(incident::ID)?;
        let (escalation, tier) = resolve(c, incident::TIER, None, &vocab.tiers, "escalation tier")?;
        let detected_at = c.time(incident::DETECTED_AT)?;
        Ok(Incident {
            row: c.row,
            escalation,
            tier,
            acknowledged_at: c.stop(
                incident::ACKNOWLEDGED_AT,
                detected_at,
                incident::DETECTED_AT,
            )?,
            resolved_at: c.stop(incident::RESOLVED_AT, detected_at, incident::DETECTED_AT)?,
            platform: c.choice(incident::PLATFORM, &vocab.vocab.platforms, true)?,
            detected_at,
            id,
        })
    }
}

/// One exclusion window row.
impl Row for ExclusionWindow {
    const KIND: FileKind = FileKind::Exclusions;
    fn parse(c: &Cells, vocab: &Lexicon) -> Result<Self, DataError> {
        let kinds: Vec<String> = Exclusion::ALL
            .iter()
            .map(|k| k.keyword().to_string())
            .collect();
        let kind = c.choice(exclusion::KIND, &kinds, false)?;
        let kind = *Exclusion::ALL
            .iter()
            .find(|k| k.keyword() == kind)
            .expect("checked kind");
        let start = c.time(exclusion::START)?;
        let end = c.time(exclusion::END)?;
        if end <= start {
            return Err(c
                .err(
                    exclusion::END,
                    format!("`{}` is not after `start`", c.raw(exclusion::END)),
                )
                .help("an exclusion window ends after it starts"));
        }
        Ok(ExclusionWindow {
            row: c.row,
            kind,
            platform: c.choice(exclusion::PLATFORM, &vocab.vocab.platforms, true)?,
            start,
            end,
        })
    }
}

/// A cell naming one of `all` by its keyword; `None` when empty.
fn keyword<T: Copy>(
    c: &Cells,
    column: Col,
    all: &[T],
    word: fn(T) -> &'static str,
) -> Result<Option<T>, DataError> {
    let words: Vec<String> = all.iter().map(|k| word(*k).to_string()).collect();
    let v = c.choice(column, &words, true)?;
    Ok(all.iter().copied().find(|k| word(*k) == v))
}

/// One row of `messages.csv`: a message has a direction, a reply (`out`)
/// its author; a status change has neither.
impl Row for Message {
    const KIND: FileKind = FileKind::Messages;
    fn parse(c: &Cells, _vocab: &Lexicon) -> Result<Self, DataError> {
        let inquiry = c.text(message::INQUIRY)?;
        let at = c.time(message::AT)?;
        let kind = keyword(c, message::KIND, &MessageKind::ALL, MessageKind::keyword)?
            .ok_or_else(|| c.err(message::KIND, "empty cell: a value is required"))?;
        let direction = keyword(c, message::DIRECTION, &Direction::ALL, Direction::keyword)?;
        let author = keyword(c, message::AUTHOR, &Author::ALL, Author::keyword)?;
        let must_be_empty = |column: Col, why: &str| {
            c.err(column, format!("`{}` given {why}", c.raw(column)))
                .help(format!("leave `{}` empty {why}", column.name))
        };
        match kind {
            MessageKind::Message => match direction {
                None => {
                    return Err(c
                        .err(message::DIRECTION, "empty cell: a message has a direction")
                        .help("write `in` (from the customer) or `out` (to the customer)"))
                }
                Some(Direction::Out) if author.is_none() => {
                    return Err(c
                        .err(message::AUTHOR, "empty cell: a reply has an author")
                        .help("write `human`, `bot` or `automation`"))
                }
                Some(Direction::In) if author.is_some() => {
                    return Err(must_be_empty(
                        message::AUTHOR,
                        "for a customer's message (authors are for replies)",
                    ))
                }
                _ => {}
            },
            MessageKind::Solved | MessageKind::Reopened => {
                if direction.is_some() {
                    return Err(must_be_empty(message::DIRECTION, "for a status change"));
                }
                if author.is_some() {
                    return Err(must_be_empty(message::AUTHOR, "for a status change"));
                }
            }
        }
        Ok(Message {
            row: c.row,
            inquiry,
            at,
            kind,
            direction,
            author,
        })
    }
}

/// One wait row. That its inquiry exists, that it starts after the inquiry
/// was received and that it overlaps no other wait of the inquiry needs
/// the other rows: `report::pause` checks it.
impl Row for Wait {
    const KIND: FileKind = FileKind::Waits;
    fn parse(c: &Cells, _: &Lexicon) -> Result<Self, DataError> {
        let parties: Vec<String> = WaitingOn::ALL
            .iter()
            .map(|w| w.keyword().to_string())
            .collect();
        let on = c.choice(wait::ON, &parties, false)?;
        let on = WaitingOn::parse(&on).expect("checked party");
        let from = c.time(wait::FROM)?;
        let to = c.opt_time(wait::TO)?;
        if to.is_some_and(|to| to <= from) {
            return Err(c
                .err(
                    wait::TO,
                    format!("`{}` is not after `from`", c.raw(wait::TO)),
                )
                .help("a wait ends after it starts; leave `to` empty while it goes on"));
        }
        Ok(Wait {
            row: c.row,
            inquiry: c.text(wait::INQUIRY)?,
            on,
            from,
            to,
        })
    }
}

/// One row of a `kind` file as a typed event.
fn event(kind: FileKind, c: &Cells, vocab: &Lexicon) -> Result<Event, DataError> {
    Ok(match kind {
        FileKind::Inquiries => Event::Inquiry(Inquiry::parse(c, vocab)?),
        FileKind::Posts => Event::Post(Post::parse(c, vocab)?),
        FileKind::Approvals => Event::Approval(ApprovalRequest::parse(c, vocab)?),
        FileKind::Incidents => Event::Incident(Incident::parse(c, vocab)?),
        FileKind::Exclusions => Event::Exclusion(ExclusionWindow::parse(c, vocab)?),
        FileKind::Messages => Event::Message(Message::parse(c, vocab)?),
        FileKind::Waits => Event::Wait(Wait::parse(c, vocab)?),
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
    event(
        kind,
        &owned_cells(file, row, &columns, &values),
        &Lexicon::new(vocab),
    )
}
