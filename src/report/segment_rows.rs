//! The rows a goal with segments adds to the report (internal view; the
//! client's and provider's views in `reader`): per period, each part's
//! result against its own target beside the whole goal's, then each
//! part's warnings (the worst misses of all parts are listed together).

use super::layout::{status, warned};
use super::{GoalPeriod, GoalReport};
use crate::document::{col, num, Column, Document, Line};

/// The target as the goal's terms give it: `**90% within 1h**`, or per
/// segment, `**95% within 15m** for priority = urgent; **90% within 1h**
/// for other items`.
pub(super) fn terms(g: &GoalReport, mut line: Line) -> Line {
    if g.segments.is_empty() {
        return line.b(&g.target);
    }
    for s in &g.segments {
        line = line
            .b(&s.target)
            .t(format!(" for {}; ", s.conditions.join(", ")));
    }
    line.b(&g.target).t(" for other items")
}

pub(super) fn rows(d: &mut Document, p: &GoalPeriod) {
    if p.segments.is_empty() {
        return;
    }
    d.paragraph(format!(
        "By segment, {}, each against its own target (the goal is met when no part is missed):",
        p.period
    ));
    const COLUMNS: [Column; 7] = [
        col("Segment"),
        col("Target"),
        col("Measured"),
        num("Counted"),
        num("Pending"),
        num("Misses"),
        col("Status"),
    ];
    let mut rows: Vec<Vec<Line>> = p
        .segments
        .iter()
        .map(|s| {
            let r = &s.result;
            vec![
                s.label().into(),
                s.target.as_str().into(),
                r.display.as_str().into(),
                r.counted.to_string().into(),
                r.pending.to_string().into(),
                r.misses.to_string().into(),
                status(r.status),
            ]
        })
        .collect();
    rows.push(vec![
        "whole goal".into(),
        "every part".into(),
        p.display.as_str().into(),
        p.counted.to_string().into(),
        p.pending.to_string().into(),
        p.misses.to_string().into(),
        status(p.status),
    ]);
    d.table(&COLUMNS, rows);
    for s in &p.segments {
        let r = &s.result;
        if let Some(w) = &r.warnings {
            let labelled = GoalPeriod {
                period: format!("{}, {}", p.period, s.label()),
                ..r.clone()
            };
            warned(d, &labelled, w);
        }
    }
}
