//! `warn at P%`: an alert per open item of a goal once the item has used
//! that share of its allowance, read from the per-item gauge `slac serve`
//! exports. Severity `warning` whatever the goal's breach escalates to (a
//! warning is an early notice, not a breach), with the goal's `owner`, so
//! the Alertmanager routes it to the owner.

use super::watch::{clock_text, waiting, Waiting, Watched};
use crate::emit::labels as l;
use crate::emit::plan::series::GOAL_ITEM_OPEN;
use crate::model::{Agreement, Goal, Seconds};
use std::collections::BTreeMap;

/// The alert fires after this long at the share (the gauge is measured at
/// each scrape; a minute keeps one late scrape from flapping it).
const WARN_FOR: u64 = 60;

/// The warning of a goal, or of one part of a goal with segments (`g` is
/// then the part, `segment` its label: the gauge of its items carries it).
pub fn goal_warning(a: &Agreement, g: &Goal, segment: Option<&str>, w: &mut Watched) {
    // `g` has no segments (a part's goal, `plan::segments`), so its own
    // target is every item's.
    let (Some(share), Some(micros)) = (g.warn, g.warn_after_micros(|_| None)) else {
        return;
    };
    let Some(allowance) = g.allowance(|_| None) else {
        return;
    };
    // The gauge holds whole seconds rounded up: it reaches this in the
    // second the warning falls due.
    let after = micros.div_ceil(1_000_000);
    let summary = format!(
        "{} ({}/{}): an item has used {} of its {} allowance ({} so far) and is still open{}",
        g.title,
        a.name,
        g.id,
        share.percent(),
        allowance,
        Seconds(after),
        clock_text(&g.clock)
    );
    let mut alert_labels = BTreeMap::from([
        (l::AGREEMENT.to_string(), a.name.clone()),
        (l::GOAL.to_string(), g.id.clone()),
        (l::SEVERITY.to_string(), l::WARNING.to_string()),
        (l::CLOCK.to_string(), g.clock.name().to_string()),
    ]);
    if let Some(o) = &g.owner {
        alert_labels.insert(l::OWNER.to_string(), o.clone());
    }
    let mut labels = vec![
        (l::AGREEMENT.into(), a.name.clone()),
        (l::GOAL.into(), g.id.clone()),
    ];
    if let Some(s) = segment {
        alert_labels.insert(l::SEGMENT.to_string(), s.to_string());
        labels.push((l::SEGMENT.into(), s.to_string()));
    }
    let wt = Waiting {
        name: l::goal_alert(g, "ItemWarning"),
        gauge: GOAL_ITEM_OPEN,
        labels,
        item: (l::ITEM, "item-1"),
        op: ">=",
        limit: after,
        clock: &g.clock,
        for_seconds: WARN_FOR,
        alert_labels,
        summary,
        subject: match segment {
            Some(s) => format!("warning of goal {} segment {s}", g.id),
            None => format!("warning of goal {}", g.id),
        },
    };
    waiting(a, wt, w);
}
