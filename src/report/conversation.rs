//! Conversations from `messages.csv`: the clocks a conversation runs after
//! its first reply (docs/report.md "What every number means", next reply,
//! periodic update, resolution with re-opens).
//!
//! A conversation is an inquiry row and the message rows that name it. Its
//! rows are walked in time order up to as-of (a row later than as-of has
//! not happened yet, semantics point 11); the walk yields the waits each
//! clock times. Pure: the rows are already typed and checked.

use super::context::{Context, Ev};
use super::events::{Author, Data, Direction, Message, MessageKind, Time};
use super::read::DataError;
use crate::model::{Metric, Replies};

/// A clock that only the messages can time, named by the metric's
/// `measure` (the fields are conversation moments, not inquiry columns).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// `measure follow_up_at to next_reply_at`: from a customer message
    /// that arrives when no reply is owed to the next counted reply.
    NextReply,
    /// `measure update_at to next_update_at`: from a counted reply (or a
    /// re-open) to the next counted reply, the solve, or as-of.
    PeriodicUpdate,
    /// `measure received_at to resolved_at`: resolution, with the solved
    /// time between a solve and a re-open left out when the messages say.
    Resolution,
}

impl Measure {
    pub fn of(metric: &Metric) -> Option<Measure> {
        let (start, stop) = metric.measure.as_ref()?;
        if metric.events != crate::model::EventSource::Inquiries {
            return None;
        }
        Some(match (start.as_str(), stop.as_str()) {
            ("follow_up_at", "next_reply_at") => Measure::NextReply,
            ("update_at", "next_update_at") => Measure::PeriodicUpdate,
            ("received_at", "resolved_at") => Measure::Resolution,
            _ => return None,
        })
    }

    /// Whether the report cannot time the clock without `messages.csv`.
    pub fn needs_messages(self) -> bool {
        self != Measure::Resolution
    }
}

/// One timed wait: where it starts (the message row that opened it, or the
/// inquiry's row) and when it stopped, if it has by as-of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wait {
    pub row: u64,
    pub start: Time,
    pub stop: Option<Time>,
}

/// The message rows of every conversation, by the index of its inquiry
/// row, each in the order the walk takes them.
#[derive(Clone, Debug, Default)]
pub struct Threads {
    by_inquiry: Vec<Vec<usize>>,
}

/// The order of rows at one instant: a re-open before a message (the
/// customer's message then finds the conversation open), a message before
/// a solve (a reply sent with the solve stops its clock first).
fn rank(kind: MessageKind) -> u8 {
    match kind {
        MessageKind::Reopened => 0,
        MessageKind::Message => 1,
        MessageKind::Solved => 2,
    }
}

impl Threads {
    /// Groups the message rows by inquiry; every row naming no inquiry or
    /// lying before its inquiry's `received_at` is an error (all of them,
    /// up to `read::MAX_ERRORS`).
    pub fn new(data: &Data) -> Result<Threads, String> {
        let mut by_inquiry = vec![Vec::new(); data.inquiries.rows.len()];
        if data.messages.rows.is_empty() {
            return Ok(Threads { by_inquiry });
        }
        let index = data.inquiry_index();
        let file = data.messages.file.as_deref().unwrap_or("messages");
        let mut errors: Vec<DataError> = Vec::new();
        for (m, msg) in data.messages.rows.iter().enumerate() {
            let column = |name: &str| DataError::new(file, "").at(msg.row, Some(name));
            match index.get(msg.inquiry.as_str()) {
                None => errors.push(DataError {
                    message: format!("no inquiry has the id `{}`", msg.inquiry),
                    ..column("inquiry")
                }
                .help(match &data.inquiries.file {
                    Some(f) => format!("a conversation's row in `{f}` comes first: its `id` is what `inquiry` names"),
                    None => "a conversation is a row of `inquiries.csv`: add that file".to_string(),
                })),
                Some(&i) if msg.at < data.inquiries.rows[i].received_at => {
                    let q = &data.inquiries.rows[i];
                    errors.push(
                        DataError {
                            message: format!(
                                "the row is before its inquiry `{}` was received",
                                q.id
                            ),
                            ..column("at")
                        }
                        .help(format!(
                            "row {} of the inquiries says it was received at {}",
                            q.row,
                            q.received_at.to_rfc3339()
                        )),
                    )
                }
                Some(&i) => by_inquiry[i].push(m),
            }
        }
        if !errors.is_empty() {
            let more = errors.len().saturating_sub(super::read::MAX_ERRORS);
            let mut text: Vec<String> = errors
                .iter()
                .take(super::read::MAX_ERRORS)
                .map(|e| e.to_string())
                .collect();
            if more > 0 {
                text.push(format!(
                    "and {more} more error{} in `{file}` (the first {} are shown)",
                    if more == 1 { "" } else { "s" },
                    super::read::MAX_ERRORS
                ));
            }
            return Err(text.join("\nerror: "));
        }
        let rows = &data.messages.rows;
        for thread in &mut by_inquiry {
            thread.sort_by_key(|&m| (rows[m].at, rank(rows[m].kind), rows[m].row));
        }
        Ok(Threads { by_inquiry })
    }

    /// The message rows of the conversation of inquiry `index`, in order.
    pub fn of<'s, 'd: 's>(
        &'s self,
        data: &'d Data,
        index: usize,
    ) -> impl Iterator<Item = &'d Message> + 's {
        self.by_inquiry
            .get(index)
            .into_iter()
            .flatten()
            .map(move |&m| &data.messages.rows[m])
    }

    /// `(inquiry index, message index)` of every grouped message row.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.by_inquiry
            .iter()
            .enumerate()
            .flat_map(|(i, ms)| ms.iter().map(move |&m| (i, m)))
    }

    /// Whether the conversation has status rows (`solved`, `reopened`):
    /// then they, not `resolved_at`, decide its resolution.
    pub fn has_status(&self, data: &Data, index: usize) -> bool {
        self.of(data, index).any(|m| m.kind != MessageKind::Message)
    }
}

/// What the walk of one conversation found at as-of.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Walk {
    /// The first counted reply.
    pub first_reply: Option<Time>,
    /// Next reply: each wait opened by a customer's follow-up.
    pub follow_ups: Vec<Wait>,
    /// Periodic update: each stretch from a counted reply or a re-open.
    pub updates: Vec<Wait>,
    /// When the conversation was solved, if it is at as-of.
    pub solved_at: Option<Time>,
    /// `[solve, re-open)` spans: solved time, which no clock counts.
    pub solved: Vec<(Time, Time)>,
}

/// Walks one conversation's rows (in `Threads` order) up to `as_of`.
/// `counts` says whose replies count (every author, or humans only).
pub fn walk<'m>(
    rows: impl Iterator<Item = &'m Message>,
    as_of: Time,
    counts: impl Fn(Author) -> bool,
) -> Walk {
    let mut w = Walk::default();
    // The follow-up wait still open, as an index into `w.follow_ups`.
    let mut owed: Option<usize> = None;
    // The periodic-update stretch still running: its start and row.
    let mut since: Option<(Time, u64)> = None;
    for m in rows.take_while(|m| m.at <= as_of) {
        let open = w.solved_at.is_none();
        match (m.kind, m.direction) {
            (MessageKind::Message, Some(Direction::In)) => {
                // A reply is owed already before the first reply (that is
                // the first-reply clock's) and while a wait is open.
                if w.first_reply.is_some() && owed.is_none() && open {
                    owed = Some(w.follow_ups.len());
                    w.follow_ups.push(Wait {
                        row: m.row,
                        start: m.at,
                        stop: None,
                    });
                }
            }
            (MessageKind::Message, _) => {
                if !m.author.is_some_and(&counts) {
                    continue;
                }
                if let Some(i) = owed.take() {
                    w.follow_ups[i].stop = Some(m.at);
                }
                w.first_reply.get_or_insert(m.at);
                if open {
                    if let Some((start, row)) = since.take() {
                        w.updates.push(Wait {
                            row,
                            start,
                            stop: Some(m.at),
                        });
                    }
                    since = Some((m.at, m.row));
                }
            }
            (MessageKind::Solved, _) if open => {
                w.solved_at = Some(m.at);
                // A solve says nothing more is owed: it stops both clocks.
                if let Some(i) = owed.take() {
                    w.follow_ups[i].stop = Some(m.at);
                }
                if let Some((start, row)) = since.take() {
                    w.updates.push(Wait {
                        row,
                        start,
                        stop: Some(m.at),
                    });
                }
            }
            (MessageKind::Reopened, _) if !open => {
                let solved = w.solved_at.take().expect("solved");
                w.solved.push((solved, m.at));
                if w.first_reply.is_some() {
                    since = Some((m.at, m.row));
                }
            }
            // A solve of a solved conversation, a re-open of an open one:
            // no change.
            _ => {}
        }
    }
    if let Some((start, row)) = since {
        w.updates.push(Wait {
            row,
            start,
            stop: None,
        });
    }
    w
}

/// Whether a reply by `author` counts for a goal with `replies`: every
/// author's does, or only a person's (`replies by human`).
pub fn counts(replies: Replies, author: Author) -> bool {
    match replies {
        Replies::Anyone => true,
        Replies::Human => author == Author::Human,
    }
}

/// The first counted reply of the conversation of inquiry `index` by
/// as-of: the stop of `response_time` with `replies by human`. Only a
/// counted `out` message stops it; a solve does not (a case that owes no
/// reply says so with `requires_response`).
pub fn first_reply(ctx: &Context, index: usize, replies: Replies) -> Option<Time> {
    let rows = ctx.threads.of(ctx.data, index);
    walk(rows, ctx.as_of, |a| counts(replies, a)).first_reply
}

/// The items a goal on `measure` counts for one selected inquiry `ev`:
/// its waits (next reply, periodic update), or the inquiry itself with its
/// resolution as the messages tell it (`ev.stop` is `resolved_at` already
/// when they do not). `replies` says whose replies count.
pub fn items<'a>(
    ctx: &Context<'a>,
    measure: Measure,
    ev: Ev<'a>,
    replies: Replies,
    out: &mut Vec<Ev<'a>>,
) {
    let data = ctx.data;
    let rows = ctx.threads.of(data, ev.index);
    match measure {
        Measure::Resolution if ctx.threads.has_status(data, ev.index) => {
            let w = walk(rows, ctx.as_of, |_| true);
            out.push(Ev {
                stop: w.solved_at,
                solved: w.solved,
                ..ev
            });
        }
        Measure::Resolution => out.push(ev),
        Measure::NextReply | Measure::PeriodicUpdate => {
            let w = walk(rows, ctx.as_of, |a| counts(replies, a));
            let waits = if measure == Measure::NextReply {
                w.follow_ups
            } else {
                w.updates
            };
            out.extend(waits.into_iter().map(|wait| Ev {
                start: wait.start,
                stop: wait.stop,
                ..ev.clone()
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn at(h: u32, m: u32) -> Time {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).unwrap()
    }

    fn row(n: u64, t: Time, kind: MessageKind, d: Option<Direction>, a: Option<Author>) -> Message {
        Message {
            row: n,
            inquiry: "q".into(),
            at: t,
            kind,
            direction: d,
            author: a,
        }
    }

    fn inc(n: u64, t: Time) -> Message {
        row(n, t, MessageKind::Message, Some(Direction::In), None)
    }
    fn out(n: u64, t: Time, a: Author) -> Message {
        row(n, t, MessageKind::Message, Some(Direction::Out), Some(a))
    }
    fn status(n: u64, t: Time, k: MessageKind) -> Message {
        row(n, t, k, None, None)
    }

    #[test]
    fn follow_ups_open_only_when_no_reply_is_owed() {
        let rows = [
            inc(2, at(9, 0)),
            out(3, at(9, 10), Author::Human),
            inc(4, at(10, 0)),
            inc(5, at(10, 5)), // a reply is owed already: no new wait
            out(6, at(10, 30), Author::Bot),
            out(7, at(11, 0), Author::Human),
            inc(8, at(12, 0)), // open at as-of
        ];
        let w = walk(rows.iter(), at(13, 0), |a| a == Author::Human);
        assert_eq!(w.first_reply, Some(at(9, 10)));
        let waits: Vec<(u64, Time, Option<Time>)> = w
            .follow_ups
            .iter()
            .map(|w| (w.row, w.start, w.stop))
            .collect();
        assert_eq!(
            waits,
            [(4, at(10, 0), Some(at(11, 0))), (8, at(12, 0), None)]
        );
        // Any author: the bot's reply stops the wait at 10:30.
        let w = walk(rows.iter(), at(13, 0), |_| true);
        assert_eq!(w.follow_ups[0].stop, Some(at(10, 30)));
    }

    #[test]
    fn solved_time_is_set_apart_and_a_reopen_restarts_updates() {
        let rows = [
            out(2, at(9, 0), Author::Human),
            out(3, at(10, 0), Author::Human),
            status(4, at(11, 0), MessageKind::Solved),
            inc(5, at(12, 0)), // while solved: opens nothing
            status(6, at(13, 0), MessageKind::Reopened),
            status(7, at(13, 0), MessageKind::Reopened), // no change
        ];
        let w = walk(rows.iter(), at(15, 0), |_| true);
        assert_eq!(w.solved, [(at(11, 0), at(13, 0))]);
        assert_eq!(w.solved_at, None);
        assert!(w.follow_ups.is_empty());
        let spans: Vec<(Time, Option<Time>)> =
            w.updates.iter().map(|u| (u.start, u.stop)).collect();
        assert_eq!(
            spans,
            [
                (at(9, 0), Some(at(10, 0))),
                (at(10, 0), Some(at(11, 0))),
                (at(13, 0), None)
            ]
        );
        // At 11:30 the solve has happened, the re-open has not.
        let w = walk(rows.iter(), at(11, 30), |_| true);
        assert_eq!(w.solved_at, Some(at(11, 0)));
        assert!(w.solved.is_empty());
    }
}
