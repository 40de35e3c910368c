//! Plain-language sentences for the clauses that carry numbers: goals,
//! approval steps and escalation tiers. The contract (`render`) states
//! them; a report for readers who do not read `.sla` can use the same
//! words.

use super::words::{self, duration_on, list, roles};
use crate::model::{Agreement, Bound, Condition, Goal, Op, Step, Target, Tier};

/// Which events a goal counts: "inquiries on X, Facebook or Instagram
/// whose channel is direct messages, mentions or public comments".
fn events(a: &Agreement, g: &Goal) -> String {
    let mut s = g.metric.events.keyword().to_string();
    let conditions: Vec<String> = g.conditions.iter().map(|c| condition(a, c)).collect();
    if !conditions.is_empty() {
        s.push_str(&format!(" where {}", list(&conditions, "and")));
    }
    s
}

/// "platform is X, Facebook or Instagram", "channel is not reviews".
fn condition(a: &Agreement, c: &Condition) -> String {
    let negated = c.op == Op::Ne;
    let shown = if negated { &c.operands } else { &c.values };
    let values: Vec<String> = shown
        .iter()
        .map(|v| words::value(a, &c.dimension, v))
        .collect();
    let verb = if negated { "is not" } else { "is" };
    format!(
        "the {} {verb} {}",
        c.dimension.name().replace('_', " "),
        list(&values, if negated { "nor" } else { "or" })
    )
}

fn bound(b: Bound) -> &'static str {
    match b {
        Bound::AtLeast => "at least",
        Bound::AtMost => "at most",
    }
}

/// The service level a goal promises, as one sentence; a goal with
/// segments (`target ... for COND`) as one sentence per segment and one
/// for the items no segment selects.
pub fn goal(a: &Agreement, g: &Goal) -> String {
    if g.segments.is_empty() {
        return one_target(a, g);
    }
    let mut out: Vec<String> = g
        .segments
        .iter()
        .map(|s| {
            let view = Goal {
                conditions: g.conditions.iter().chain(&s.conditions).cloned().collect(),
                target: s.target.clone(),
                segments: Vec::new(),
                ..g.clone()
            };
            one_target(a, &view)
        })
        .collect();
    let rest = Goal {
        segments: Vec::new(),
        ..g.clone()
    };
    let rest = one_target(a, &rest);
    out.push(format!(
        "{} (for the {} no sentence above covers). The service level is met when each of these is.",
        rest.trim_end_matches('.'),
        g.metric.events.keyword()
    ));
    out.join(" ")
}

/// The sentence for one target over the goal's events.
fn one_target(a: &Agreement, g: &Goal) -> String {
    let metric = &g.metric.title;
    let of = events(a, g);
    match &g.target {
        Target::Within { ratio, within } => format!(
            "For at least {} of {of}, the {metric} is at most {}.",
            ratio.percent(),
            duration_on(a, *within, &g.clock)
        ),
        Target::Quantile { quantile, max } => format!(
            "For {} of {of}, the {metric} is at most {} (the {} percentile, by nearest rank).",
            quantile.percent(),
            duration_on(a, *max, &g.clock),
            ordinal_percentile(quantile.percent())
        ),
        Target::Mean { max } => format!(
            "The average {metric} of {of} is at most {}.",
            duration_on(a, *max, &g.clock)
        ),
        Target::Ratio { bound: b, ratio } => {
            let by =
                g.by.as_ref()
                    .map(|b| format!(" (against {})", b.replace('_', " ")))
                    .unwrap_or_default();
            format!(
                "The {metric}{by} of {of} is {} {}.",
                bound(*b),
                ratio.percent()
            )
        }
        Target::Rate {
            bound: b,
            count,
            per,
        } => {
            let counting = if g.conditions.is_empty() {
                String::new()
            } else {
                format!(", counting {of},")
            };
            format!(
                "{metric}{counting} is {} {count} each {}.",
                bound(*b),
                per.keyword()
            )
        }
    }
}

/// "95%" as "95th"; "99.9%" as "99.9th".
fn ordinal_percentile(percent: String) -> String {
    let n = percent.trim_end_matches('%');
    let suffix = match n.rsplit('.').next().unwrap_or(n) {
        s if s.ends_with('1') && !s.ends_with("11") => "st",
        s if s.ends_with('2') && !s.ends_with("12") => "nd",
        s if s.ends_with('3') && !s.ends_with("13") => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// An approval step: "The Marketing Lead (Acme Corp) decides within 16
/// hours of Berlin Office Hours; a request still undecided then is
/// approved."
pub fn step(a: &Agreement, s: &Step) -> String {
    let when = s
        .when_tagged
        .as_ref()
        .map(|t| format!("For content tagged “{t}”, "))
        .unwrap_or_default();
    let who = roles(a, &s.by);
    let who = if when.is_empty() {
        capitalise(&who)
    } else {
        who
    };
    let silence = match s.on_silence {
        Some(crate::model::SilenceAction::Approve) => {
            "; a request still undecided then counts as approved"
        }
        Some(crate::model::SilenceAction::Reject) => {
            "; a request still undecided then counts as rejected"
        }
        None => "",
    };
    format!(
        "{when}{who} decide{} within {}{silence}.",
        if s.by.len() == 1 { "s" } else { "" },
        duration_on(a, s.within, &s.clock)
    )
}

/// What an escalation tier asks of whom, as sentences.
pub fn tier(a: &Agreement, clock: &crate::model::Clock, t: &Tier) -> Vec<String> {
    let verb = if t.notify.len() == 1 { "is" } else { "are" };
    let mut out = vec![format!(
        "{} {verb} notified.",
        capitalise(&roles(a, &t.notify))
    )];
    let mut deadlines = Vec::new();
    if let Some(d) = t.acknowledge {
        deadlines.push(format!("acknowledged within {}", duration_on(a, d, clock)));
    }
    if let Some(d) = t.resolve {
        deadlines.push(format!("resolved within {}", duration_on(a, d, clock)));
    }
    if !deadlines.is_empty() {
        out.push(format!(
            "The incident is {} of its start.",
            list(&deadlines, "and")
        ));
    }
    if t.pause_publishing {
        out.push("Scheduled publishing is paused until the incident is resolved.".into());
    }
    if !t.statement_by.is_empty() {
        out.push(format!(
            "Any public statement is approved by {}.",
            roles(a, &t.statement_by)
        ));
    }
    out
}

/// `pause while waiting on customer, client` in words: " Its clock stops
/// while the inquiry waits on the customer or on the Client."
pub fn pause(parties: &[crate::model::WaitingOn]) -> String {
    format!(
        " Its clock stops while the inquiry waits on {}.",
        waiting_on(parties)
    )
}

/// `warn at 75%` in words: " An open item is flagged to the Provider once
/// it has used 75% of the time allowed for it."
pub fn warning(share: crate::model::Ratio) -> String {
    format!(
        " An open item is flagged to the Provider once it has used {} of the time allowed for it.",
        share.percent()
    )
}

/// The parties a case waits on, in words: "the customer or on the Client".
pub fn waiting_on(parties: &[crate::model::WaitingOn]) -> String {
    let who: Vec<&str> = parties
        .iter()
        .map(|w| match w {
            crate::model::WaitingOn::Customer => "the customer",
            crate::model::WaitingOn::Client => "the Client",
        })
        .collect();
    who.join(" or on ")
}

/// `replies by human` in words; empty when every author's reply counts.
pub fn replies(r: crate::model::Replies) -> &'static str {
    match r {
        crate::model::Replies::Anyone => "",
        crate::model::Replies::Human => {
            " Only a reply written by a person counts; replies sent by bots or automations do not."
        }
    }
}
