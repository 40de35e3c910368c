//! Typed events read from the exported data, one struct per input file.
//!
//! Every event keeps the row it came from so errors and the report can point
//! back into the file. Times are UTC instants; the offset written in the file
//! only served to find the instant.

pub use super::word::Word;
use crate::model::{Exclusion, WaitingOn};
use chrono::{DateTime, Utc};

pub type Time = DateTime<Utc>;

/// A customer inquiry (DM, mention, comment, review).
#[derive(Clone, Debug, PartialEq)]
pub struct Inquiry {
    pub row: u64,
    pub id: String,
    pub platform: Word,
    pub channel: Word,
    pub priority: Word,
    /// Empty when the inquiry belongs to no audience segment.
    pub audience: Word,
    pub received_at: Time,
    pub first_response_at: Option<Time>,
    pub resolved_at: Option<Time>,
    pub requires_response: bool,
}

/// A published post with its counters at export time.
#[derive(Clone, Debug, PartialEq)]
pub struct Post {
    pub row: u64,
    pub id: String,
    pub platform: String,
    pub audience: String,
    pub published_at: Time,
    pub impressions: u64,
    pub reach: u64,
    pub engagements: u64,
    pub followers: u64,
    pub tags: Vec<String>,
}

/// One approval step requested for a post.
#[derive(Clone, Debug, PartialEq)]
pub struct ApprovalRequest {
    pub row: u64,
    pub post_id: String,
    /// The approval flow and step of the agreement this row belongs to,
    /// resolved when reading (the file may name the step alone).
    pub approval: String,
    pub step: String,
    pub requested_at: Time,
    pub decided_at: Option<Time>,
    /// As written (`approved`, `rejected`, ...); empty while undecided.
    pub decision: String,
}

/// An incident handled under an escalation tier.
#[derive(Clone, Debug, PartialEq)]
pub struct Incident {
    pub row: u64,
    pub id: String,
    /// The escalation and tier, resolved when reading.
    pub escalation: String,
    pub tier: String,
    pub detected_at: Time,
    pub acknowledged_at: Option<Time>,
    pub resolved_at: Option<Time>,
    /// Empty when the incident concerns no single platform.
    pub platform: String,
}

/// A window during which time does not count (semantics point 2).
#[derive(Clone, Debug, PartialEq)]
pub struct ExclusionWindow {
    pub row: u64,
    pub kind: Exclusion,
    /// Empty: every platform.
    pub platform: String,
    pub start: Time,
    pub end: Time,
}

/// What a row of `messages.csv` records about a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MessageKind {
    /// A message, from the customer (`in`) or to the customer (`out`).
    Message,
    /// The conversation was marked solved.
    Solved,
    /// A solved conversation was opened again.
    Reopened,
}

impl MessageKind {
    pub const ALL: [MessageKind; 3] = [
        MessageKind::Message,
        MessageKind::Solved,
        MessageKind::Reopened,
    ];
    pub fn keyword(self) -> &'static str {
        match self {
            MessageKind::Message => "message",
            MessageKind::Solved => "solved",
            MessageKind::Reopened => "reopened",
        }
    }
}

/// Which way a message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// From the customer.
    In,
    /// To the customer (a reply).
    Out,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::In, Direction::Out];
    pub fn keyword(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// Who wrote a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Author {
    Human,
    Bot,
    Automation,
}

impl Author {
    pub const ALL: [Author; 3] = [Author::Human, Author::Bot, Author::Automation];
    pub fn keyword(self) -> &'static str {
        match self {
            Author::Human => "human",
            Author::Bot => "bot",
            Author::Automation => "automation",
        }
    }
}

/// One row of `messages.csv`: a message of a conversation or a change of
/// its status. The conversation is the inquiry named by `inquiry`, which
/// keeps its dimensions and `received_at`.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub row: u64,
    /// The `id` of a row of `inquiries.csv`.
    pub inquiry: String,
    pub at: Time,
    pub kind: MessageKind,
    /// Messages only.
    pub direction: Option<Direction>,
    /// Replies (`out` messages) only.
    pub author: Option<Author>,
}

/// A span during which an inquiry waited on a party (`waits.csv`): goals
/// that `pause while waiting on` the party stop their clock over it.
#[derive(Clone, Debug, PartialEq)]
pub struct Wait {
    pub row: u64,
    /// The `id` of an inquiry of `inquiries.csv`.
    pub inquiry: String,
    pub on: WaitingOn,
    pub from: Time,
    /// `None`: still waiting (at as-of).
    pub to: Option<Time>,
}

/// Any one event, as posted to `slac serve` or read from a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Inquiry(Inquiry),
    Post(Post),
    Approval(ApprovalRequest),
    Incident(Incident),
    Exclusion(ExclusionWindow),
    Message(Message),
    Wait(Wait),
}

/// The rows of one input file; `file` is `None` when the file was absent.
#[derive(Clone, Debug, PartialEq)]
pub struct Table<T> {
    pub file: Option<String>,
    pub rows: Vec<T>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            file: None,
            rows: Vec::new(),
        }
    }
}

/// Everything read from the data directory.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Data {
    pub inquiries: Table<Inquiry>,
    pub posts: Table<Post>,
    pub approvals: Table<ApprovalRequest>,
    pub incidents: Table<Incident>,
    pub exclusions: Table<ExclusionWindow>,
    /// `messages.csv`: the conversations' messages and status changes.
    pub messages: Table<Message>,
    /// `waits.csv`: optional; read only by goals that pause.
    pub waits: Table<Wait>,
}

impl Data {
    /// Each inquiry's index in `inquiries`, by its `id`: how `waits.csv`
    /// and `messages.csv` rows find the inquiry they belong to.
    pub fn inquiry_index(&self) -> std::collections::HashMap<&str, usize> {
        self.inquiries
            .rows
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i))
            .collect()
    }

    /// The latest instant in the event files: the default `--as-of`.
    /// Exclusion windows are left out on purpose: a planned window may end
    /// in the future, and the report must not pretend that time has passed.
    pub fn latest(&self) -> Option<Time> {
        let inquiries = self
            .inquiries
            .rows
            .iter()
            .flat_map(|i| [Some(i.received_at), i.first_response_at, i.resolved_at]);
        let posts = self.posts.rows.iter().map(|p| Some(p.published_at));
        let approvals = self
            .approvals
            .rows
            .iter()
            .flat_map(|a| [Some(a.requested_at), a.decided_at]);
        let incidents = self
            .incidents
            .rows
            .iter()
            .flat_map(|i| [Some(i.detected_at), i.acknowledged_at, i.resolved_at]);
        let messages = self.messages.rows.iter().map(|m| Some(m.at));
        inquiries
            .chain(messages)
            .chain(posts)
            .chain(approvals)
            .chain(incidents)
            .flatten()
            .max()
    }

    /// When each event started (exclusion windows are not events).
    pub fn event_starts(&self) -> impl Iterator<Item = Time> + '_ {
        self.inquiries
            .rows
            .iter()
            .map(|i| i.received_at)
            .chain(self.posts.rows.iter().map(|p| p.published_at))
            .chain(self.approvals.rows.iter().map(|a| a.requested_at))
            .chain(self.incidents.rows.iter().map(|i| i.detected_at))
    }

    /// The earliest instant anywhere in the data (exclusions included), the
    /// start of the range business time is precomputed over.
    pub fn earliest(&self) -> Option<Time> {
        self.event_starts()
            .chain(self.exclusions.rows.iter().map(|e| e.start))
            .min()
    }
}
