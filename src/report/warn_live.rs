//! `warn at P%` live: how much of its allowance each open item of a goal
//! with a warning has used at an instant, on the goal's clock, for the
//! per-item gauge `slac serve` exports (`slac_goal_item_open_seconds`).

use super::clocks::Clocks;
use super::events::{Event, Time};
use crate::model::{Agreement, Dimension, EventSource, Goal, Op, Replies};

/// One open item of a goal with a warning, measured at an instant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenItem {
    pub goal: String,
    /// The item's id: the inquiry's or incident's id; for an approval
    /// step, `POST@APPROVAL.STEP` (a post may wait at several flows).
    pub item: String,
    /// On a goal with segments, the item's part (`Goal::segment_label`):
    /// the gauge's `segment` label, which the part's alert matches.
    pub segment: Option<String>,
    /// Business time used on the goal's clock, whole seconds rounded up
    /// (the gauge reaches a threshold as soon as the exact time does).
    pub seconds: u64,
}

/// The items `ev` is an open item of, one per goal with a warning that
/// selects it and whose stop has not come by `now`.
pub fn open_items(a: &Agreement, clocks: &Clocks, ev: &Event, now: Time) -> Vec<OpenItem> {
    let mut out = Vec::new();
    for g in a.goals.iter().filter(|g| g.warn.is_some()) {
        let Some((id, platform, start, stop)) = item_of(g, ev) else {
            continue;
        };
        if start > now || stop.is_some_and(|s| s <= now) || !applies(g, ev) {
            continue;
        }
        let used = clocks.elapsed(&g.clock, platform, start, now);
        out.push(OpenItem {
            goal: g.id.clone(),
            item: id,
            segment: g.segment_label(|d| dimension(ev, d)),
            seconds: used.ceil_secs(),
        });
    }
    out
}

/// Whether a gauge may still measure `ev` as an open item: a goal with a
/// warning selects it and its stop is not recorded yet. The store keeps
/// such events open, so a scrape reads them and nothing else.
pub fn watched(a: &Agreement, ev: &Event) -> bool {
    a.goals
        .iter()
        .filter(|g| g.warn.is_some())
        .any(|g| matches!(item_of(g, ev), Some((.., None))) && applies(g, ev))
}

/// Whether a goal with a warning counts `ev` and gives it an allowance.
fn applies(g: &Goal, ev: &Event) -> bool {
    selects(g, |d| dimension(ev, d)) && g.allowance(|d| dimension(ev, d)).is_some()
}

/// Whether a goal's `where` conditions select an item.
pub fn selects<'e>(g: &Goal, dim: impl Fn(&Dimension) -> Option<&'e str>) -> bool {
    g.conditions.iter().all(|c| {
        let v = dim(&c.dimension).unwrap_or_default();
        if c.op == Op::Ne {
            !c.operands.iter().any(|o| o == v)
        } else {
            c.values.iter().any(|o| o == v)
        }
    })
}

/// `(id, platform, start, stop)` of an event as an item of a latency goal;
/// `None` when the goal does not time events of its kind (or the inquiry
/// needs no response).
fn item_of<'e>(g: &Goal, ev: &'e Event) -> Option<(String, &'e str, Time, Option<Time>)> {
    let stop_field = g.metric.measure.as_ref()?.1.as_str();
    match (g.metric.events, ev) {
        (EventSource::Inquiries, Event::Inquiry(i)) if i.requires_response => {
            let stop = match stop_field {
                // `replies by human`: `first_response_at` may be a bot's;
                // serve cannot tell, so it has no gauge for such a goal
                // rather than one that stops early (docs/serve.md Limits).
                "first_response_at" if g.replies == Replies::Human => return None,
                "first_response_at" => i.first_response_at,
                "resolved_at" => i.resolved_at,
                _ => return None,
            };
            Some((i.id.clone(), &i.platform, i.received_at, stop))
        }
        (EventSource::Approvals, Event::Approval(r)) => (stop_field == "decided_at").then(|| {
            let id = format!("{}@{}.{}", r.post_id, r.approval, r.step);
            (id, "", r.requested_at, r.decided_at)
        }),
        (EventSource::Incidents, Event::Incident(i)) => {
            let stop = match stop_field {
                "acknowledged_at" => i.acknowledged_at,
                "resolved_at" => i.resolved_at,
                _ => return None,
            };
            Some((i.id.clone(), &i.platform, i.detected_at, stop))
        }
        _ => None,
    }
}

/// The value of a `where` dimension on an event.
fn dimension<'e>(ev: &'e Event, d: &Dimension) -> Option<&'e str> {
    Some(match (ev, d) {
        (Event::Inquiry(i), Dimension::Platform) => &i.platform,
        (Event::Inquiry(i), Dimension::Channel) => &i.channel,
        (Event::Inquiry(i), Dimension::Priority) => &i.priority,
        (Event::Inquiry(i), Dimension::Audience) => &i.audience,
        (Event::Approval(a), Dimension::Approval) => &a.approval,
        (Event::Approval(a), Dimension::Step) => &a.step,
        (Event::Approval(a), Dimension::Decision) => &a.decision,
        (Event::Incident(i), Dimension::Escalation) => &i.escalation,
        (Event::Incident(i), Dimension::Tier) => &i.tier,
        (Event::Incident(i), Dimension::Platform) => &i.platform,
        _ => return None,
    })
}
