//! The alert label contract shared by the Prometheus rules (which set the
//! labels), the Alertmanager config (which routes on them) and the OpenSLO
//! documents (which name the same severities).

use crate::model::{Agreement, Goal};

pub const AGREEMENT: &str = "agreement";
pub const GOAL: &str = "goal";
/// The part of a goal with segments: the segment's conditions as written,
/// or `other` (`emit::plan::segments`).
pub const SEGMENT: &str = "segment";
pub const SEVERITY: &str = "severity";
pub const OWNER: &str = "owner";
pub const CLOCK: &str = "clock";
/// Whose replies a latency histogram's observations count: `human` on the
/// histograms of goals with `replies by human`; absent on the others.
pub const REPLIES: &str = "replies";
/// Beside `clock` on a latency histogram whose clock pauses: the parties it
/// pauses on (`customer`, `customer,client`); absent when it never pauses.
pub const PAUSE: &str = "pause";
pub const CALENDAR: &str = "calendar";
pub const ESCALATION: &str = "escalation";
pub const APPROVAL: &str = "approval";
pub const STEP: &str = "step";
/// The pending post an approval step's alert is about (from the gauge).
pub const POST_ID: &str = "post_id";
/// The incident an escalation tier's alert is about (from the gauge).
pub const INCIDENT: &str = "incident";

/// The open item a goal's warning is about (from the gauge).
pub const ITEM: &str = "item";

/// The severity of alerts that escalate to no tier.
pub const WARNING: &str = "warning";

/// The severity label of a goal's alerts and the escalation it names: the
/// tier of `on breach { escalate E.T }`, else `warning` routed to the owner.
pub fn goal_severity(g: &Goal) -> (&str, Option<&str>) {
    match &g.escalate {
        Some(t) => (&t.tier, Some(&t.escalation)),
        None => (WARNING, None),
    }
}

/// `first_response` -> `FirstResponse`.
pub fn pascal(id: &str) -> String {
    id.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Alert names: `Slac` + the subject in PascalCase + what happened. Each
/// goal, approval step and tier has its own names, so a promtool test of
/// one never sees another's alerts.
pub fn goal_alert(g: &Goal, what: &str) -> String {
    format!("Slac{}{what}", pascal(&g.id))
}

pub fn step_alert(approval: &str, step: &str) -> String {
    format!("Slac{}{}Overdue", pascal(approval), pascal(step))
}

pub fn tier_alert(escalation: &str, tier: &str) -> String {
    format!("Slac{}{}Unacknowledged", pascal(escalation), pascal(tier))
}

pub const HORIZON_ALERT: &str = "SlacClockHorizonExceeded";

/// Receiver names of the Alertmanager config: `/`-separated identifiers.
/// Alertmanager hands a receiver's name to notification templates through
/// Go's `regexp.QuoteMeta` (`.Receiver`), which escapes `\.+*?()|[]{}^$`:
/// a name with a dot reads `acme_social\.tier\.crisis\.major`. Names made
/// of identifiers (`[A-Za-z0-9_]`) and `/` come out as written.
pub fn default_receiver(a: &Agreement) -> String {
    format!("{}/default", a.name)
}
pub fn role_receiver(a: &Agreement, role: &str) -> String {
    format!("{}/role/{role}", a.name)
}
pub fn tier_receiver(a: &Agreement, escalation: &str, tier: &str) -> String {
    format!("{}/tier/{escalation}/{tier}", a.name)
}
pub fn step_receiver(a: &Agreement, approval: &str, step: &str) -> String {
    format!("{}/approval/{approval}/{step}", a.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_pascal_case() {
        assert_eq!(pascal("first_response"), "FirstResponse");
        assert_eq!(pascal("x"), "X");
        assert_eq!(
            step_alert("publish_post", "legal_review"),
            "SlacPublishPostLegalReviewOverdue"
        );
        assert_eq!(
            tier_alert("crisis", "minor"),
            "SlacCrisisMinorUnacknowledged"
        );
    }
}
