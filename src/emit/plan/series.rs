//! The series contract: which Prometheus series a goal reads, filtered by
//! its `where` conditions, and synthetic samples for promtool tests.
//!
//! Series names come from the goal's `metric` (the prelude's defaults or a
//! user's own `metric` declaration): a latency metric names a histogram
//! (`NAME_bucket`, `NAME_count`, `NAME_sum`), a count metric a counter, a
//! ratio metric a numerator and denominator counter. Approvals and incidents
//! read the fixed gauges below.
//!
//! Every series carries `agreement="NAME"`, so one Prometheus serves many
//! agreements; a latency histogram also carries `clock="CLOCK"`, the clock
//! its observations are measured on (business seconds), so two goals on
//! different clocks read different series.

use crate::emit::labels as l;
use crate::emit::promql::{le_spellings, Matcher, Selector};
use crate::model::{Agreement, Condition, Goal, Metric, Op};

/// Gauge: business seconds a post has waited at an approval step, on the
/// step's clock (labels `agreement`, `approval`, `step`, `post_id`: one
/// series per pending post).
pub const APPROVAL_PENDING: &str = "slac_approval_pending_seconds";
/// Gauge: business seconds an incident has waited for acknowledgement, on
/// the escalation's clock (labels `agreement`, `escalation`, `severity`: the
/// tier, `incident`: one series per unacknowledged incident).
pub const INCIDENT_UNACKNOWLEDGED: &str = "slac_incident_unacknowledged_seconds";
/// Gauge: business seconds an open item of a goal with `warn at` has used
/// of its allowance, on the goal's clock (labels `agreement`, `goal`,
/// `item`: one series per open item).
pub const GOAL_ITEM_OPEN: &str = "slac_goal_item_open_seconds";

/// A label value no exporter uses: the matcher of a condition that admits
/// no value at all (`priority > urgent`).
pub const NO_VALUE: &str = "(no value)";

/// The matchers of a goal's counters: its agreement and its `where`
/// conditions.
pub fn filters(a: &Agreement, g: &Goal) -> Vec<Matcher> {
    let mut out = vec![Matcher::eq(l::AGREEMENT, &a.name)];
    out.extend(g.conditions.iter().map(condition));
    out
}

/// The histogram of a latency goal: its metric's `series`, matched on the
/// agreement, the goal's `histogram_labels` and its `where` conditions.
/// `None` when the metric names no series.
pub fn histogram<'a>(a: &Agreement, g: &'a Goal) -> Option<Histogram<'a>> {
    let mut filters = vec![Matcher::eq(l::AGREEMENT, &a.name)];
    filters.extend(
        histogram_labels(a, g)
            .iter()
            .map(|(k, v)| Matcher::eq(k, v)),
    );
    filters.extend(g.conditions.iter().map(condition));
    Some(Histogram {
        name: g.metric.series.as_deref()?,
        filters,
    })
}

/// The labels a latency goal's histogram carries besides the agreement and
/// the conditions: its clock; `pause` when a goal on the series and clock
/// pauses (`pause`, below); and `replies` when a goal on the series and
/// clock counts only a person's replies (`replies by human`; an exporter
/// observes those times apart, as it does per clock; `replies`, below).
pub fn histogram_labels(a: &Agreement, g: &Goal) -> Vec<(&'static str, String)> {
    let mut out = vec![(l::CLOCK, g.clock.name().to_string())];
    if let Some(parties) = pause(a, g) {
        out.push((l::PAUSE, parties));
    }
    if let Some(author) = replies(a, g) {
        out.push((l::REPLIES, author));
    }
    out
}

/// The `replies` label a latency goal's histogram is matched on, as
/// `pause` is: `human` on a goal with `replies by human`; empty (the
/// series without the label) when another goal on the same series and
/// clock has it, so each reads its own observations; `None` otherwise.
pub fn replies(a: &Agreement, g: &Goal) -> Option<String> {
    if let Some(author) = g.replies.keyword() {
        return Some(author.to_string());
    }
    let shared = a.goals.iter().any(|o| {
        o.replies.keyword().is_some()
            && o.clock.name() == g.clock.name()
            && o.metric.series.is_some()
            && o.metric.series == g.metric.series
    });
    shared.then(String::new)
}

/// The `pause` label a latency goal's histogram is matched on: the goal's
/// parties when its clock pauses; empty (the series without the label)
/// when it does not but another goal on the same series and clock does, so
/// the two read apart; `None` (no matcher at all, the series contract of an
/// agreement without pauses) otherwise.
pub fn pause(a: &Agreement, g: &Goal) -> Option<String> {
    if !g.pause.is_empty() {
        return Some(crate::model::pause_label(&g.pause));
    }
    let shared = a.goals.iter().any(|o| {
        !o.pause.is_empty()
            && o.clock.name() == g.clock.name()
            && o.metric.series.is_some()
            && o.metric.series == g.metric.series
    });
    shared.then(String::new)
}

fn condition(c: &Condition) -> Matcher {
    if c.op == Op::Ne {
        return Matcher::none_of(c.dimension.name(), &c.operands);
    }
    if c.values.is_empty() {
        return Matcher::eq(c.dimension.name(), NO_VALUE);
    }
    Matcher::any_of(c.dimension.name(), &c.values)
}

/// Labels of a synthetic counter series that every matcher of `filters`
/// admits (the agreement and one value for each dimension the conditions
/// name, passing every condition on it: a part of a goal with segments
/// has the goal's and the segment's), or `None` when the conditions on a
/// dimension admit nothing. Histograms add the goal's clock.
pub fn sample_labels(a: &Agreement, g: &Goal) -> Option<Vec<(String, String)>> {
    let mut out = vec![(l::AGREEMENT.to_string(), a.name.clone())];
    let mut dimensions: Vec<&crate::model::Dimension> = Vec::new();
    for c in &g.conditions {
        if !dimensions.contains(&&c.dimension) {
            dimensions.push(&c.dimension);
        }
    }
    for d in dimensions {
        let on: Vec<&Condition> = g.conditions.iter().filter(|c| &c.dimension == d).collect();
        // The values the conditions list, then one no condition names.
        let candidates = on.iter().flat_map(|c| c.values.iter().cloned()).chain(
            on.iter()
                .find(|c| c.op == Op::Ne)
                .map(|c| format!("not_{}", c.operands.first().cloned().unwrap_or_default())),
        );
        let value = candidates
            .into_iter()
            .find(|v| on.iter().all(|c| c.holds(Some(v))))?;
        out.push((d.name().to_string(), value));
    }
    Some(out)
}

/// A histogram's series for a latency metric.
pub struct Histogram<'a> {
    pub name: &'a str,
    pub filters: Vec<Matcher>,
}

impl Histogram<'_> {
    pub fn bucket(&self, le_seconds: u64) -> Selector {
        let spellings: Vec<String> = le_spellings(le_seconds);
        let le = Matcher::any_of("le", &spellings);
        Selector::new(format!("{}_bucket", self.name), self.filters.clone()).with(le)
    }
    pub fn buckets(&self) -> Selector {
        Selector::new(format!("{}_bucket", self.name), self.filters.clone())
    }
    pub fn count(&self) -> Selector {
        Selector::new(format!("{}_count", self.name), self.filters.clone())
    }
    pub fn sum(&self) -> Selector {
        Selector::new(format!("{}_sum", self.name), self.filters.clone())
    }
}

/// The series of a ratio metric: numerator and the denominator chosen with
/// `by` (else the first declared).
pub fn ratio_series<'a>(metric: &'a Metric, by: Option<&str>) -> Option<(&'a str, &'a str)> {
    let numerator = metric.numerator.as_ref()?;
    let denominator = match by {
        Some(by) => metric.denominators.iter().find(|d| d.name == by)?,
        None => metric.denominators.first()?,
    };
    Some((&numerator.series, &denominator.series))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Dimension;

    fn cond(dimension: &str, op: &str, operands: &[&str], values: &[&str]) -> Condition {
        Condition {
            dimension: Dimension::parse(dimension),
            op: Op::parse(op).expect("a comparator"),
            operands: operands.iter().map(|s| s.to_string()).collect(),
            values: values.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn conditions_become_matchers() {
        assert_eq!(
            condition(&cond("platform", "=", &["x"], &["x"])).render(),
            r#"platform="x""#
        );
        assert_eq!(
            condition(&cond("priority", ">=", &["high"], &["high", "urgent"])).render(),
            r#"priority=~"high|urgent""#
        );
        assert_eq!(
            condition(&cond("channel", "!=", &["dm"], &["mention", "review"])).render(),
            r#"channel!="dm""#
        );
        assert_eq!(
            condition(&cond("priority", ">", &["urgent"], &[])).render(),
            r#"priority="(no value)""#
        );
    }

    #[test]
    fn histogram_buckets_accept_every_spelling_of_the_bound() {
        let h = Histogram {
            name: "lat_seconds",
            filters: vec![Matcher::eq("platform", "x")],
        };
        assert_eq!(
            h.bucket(3600).render(),
            r#"lat_seconds_bucket{platform="x",le=~"3600|3600\\.0"}"#
        );
        assert_eq!(h.count().render(), r#"lat_seconds_count{platform="x"}"#);
    }
}
