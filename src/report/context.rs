//! What every step of an evaluation sees: the agreement, the data, the
//! clocks and the scope (`Context`), an event as a goal or a workflow step
//! sees it (`Ev`), and how a timed event stands at as-of (`outcome`).
//! Shared by `evaluate`, `workflow` and `usage`, which do not import each
//! other's internals.

use super::clocks::Clocks;
use super::conversation::Threads;
use super::events::{Data, Post, Time};
use super::periods;
use super::read::FileKind;
use super::scope::Scope;
use super::{local, EventLine};
use crate::clock::Micros;
use crate::model::{Agreement, Clock};
use chrono_tz::Tz;

pub struct Context<'a> {
    pub agreement: &'a Agreement,
    pub data: &'a Data,
    pub tz: Tz,
    pub as_of: Time,
    pub clocks: &'a Clocks,
    /// The conversations of `messages.csv`, by inquiry.
    pub threads: &'a Threads,
    /// `waits.csv`, linked to the inquiries (goals that pause).
    pub waits: &'a super::pause::Waits<'a>,
    pub scope: Scope,
    pub worst: usize,
}

impl Context<'_> {
    /// The local day an event started on, if it counts at all: in the term
    /// and not after as-of.
    pub fn start_day(&self, start: Time) -> Option<chrono::NaiveDate> {
        let day = periods::local_date(self.tz, start);
        (start <= self.as_of && self.scope.in_term(day)).then_some(day)
    }

    pub fn line(&self, ev: &Ev, elapsed: Micros, open: bool) -> EventLine {
        EventLine {
            id: ev.id.to_string(),
            file: ev.file.stem(),
            row: ev.row,
            platform: ev.platform.to_string(),
            start: local(self.tz, ev.start),
            elapsed_seconds: elapsed.ceil_secs(),
            elapsed_micros: elapsed.0,
            open,
        }
    }
}

/// An event as a goal sees it: where it came from, when it started, and
/// (for latency metrics) when it stopped.
#[derive(Clone, Debug)]
pub struct Ev<'a> {
    pub file: FileKind,
    pub index: usize,
    pub row: u64,
    pub id: &'a str,
    pub platform: &'a str,
    pub start: Time,
    pub stop: Option<Time>,
    /// Inquiries: whether a response is required (ratio metrics).
    pub requires_response: bool,
    /// Posts: the post, for its named counters (ratio metrics).
    pub post: Option<&'a Post>,
    /// `[solve, re-open)` spans inside `[start, stop)` that no clock counts
    /// (a re-opened conversation's solved time, from `messages.csv`).
    pub solved: Vec<(Time, Time)>,
}

impl Ev<'_> {
    /// A post's counter by name; `None` for another event or an unknown name.
    pub fn counter(&self, name: &str) -> Option<u64> {
        let p = self.post?;
        match name {
            "engagements" => Some(p.engagements),
            "impressions" => Some(p.impressions),
            "reach" => Some(p.reach),
            "followers" => Some(p.followers),
            _ => None,
        }
    }
}

/// How a timed event stands at as-of against a deadline (point 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Stopped after this much business time.
    Took(Micros),
    /// No stop yet, and already over the deadline: a miss (+infinity).
    Overdue(Micros),
    /// No stop yet, still within the deadline: listed, not counted.
    Pending(Micros),
}

/// Times an event on `clock` against `deadline` (whole seconds), exactly:
/// a microsecond over is over. A stop later than as-of had not happened yet
/// at as-of, so it is treated as absent. No span of the event is stopped:
/// this times approvals and escalations; inquiries, whose clocks pause
/// and whose solved spans do not count, go through `pause::outcome`.
pub fn outcome(ctx: &Context, ev: &Ev, clock: &Clock, deadline: u64) -> Outcome {
    match ev.stop.filter(|s| *s <= ctx.as_of) {
        Some(stop) => Outcome::Took(ctx.clocks.elapsed(clock, ev.platform, ev.start, stop)),
        None => {
            let so_far = ctx.clocks.elapsed(clock, ev.platform, ev.start, ctx.as_of);
            if !so_far.within(deadline) {
                Outcome::Overdue(so_far)
            } else {
                Outcome::Pending(so_far)
            }
        }
    }
}
