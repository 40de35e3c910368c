//! The Markdown report: the deliverable a provider sends the client. A
//! summary table first, then credits, then a section per goal with its worst
//! misses, then approvals, escalations and what became of every data row.

use super::business;
use super::workflow::Deadline;
use super::{EventLine, GoalReport, Report, Status, Value};
use crate::text::markdown::{code, code_cell, text as md};
use std::fmt::Write;

/// `2026-03-02T09:15:00+01:00` as `2026-03-02 09:15`.
pub fn short_time(rfc3339: &str) -> String {
    rfc3339
        .get(..16)
        .map(|s| s.replace('T', " "))
        .unwrap_or_else(|| rfc3339.to_string())
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::Missed => "**missed**",
        Status::NoData => "no data",
    }
}

pub fn elapsed(e: &EventLine) -> String {
    if e.open {
        format!("open, {} so far", business(e.elapsed_seconds))
    } else {
        business(e.elapsed_seconds)
    }
}

fn event_table(out: &mut String, events: &[EventLine]) {
    out.push_str(
        "| Event | Row | Platform | Started | Business time |\n| --- | --- | --- | --- | --- |\n",
    );
    for e in events {
        let platform = if e.platform.is_empty() {
            "–"
        } else {
            &e.platform
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            code_cell(&e.id),
            e.row,
            md(platform),
            md(&short_time(&e.start)),
            md(&elapsed(e))
        );
    }
}

/// The report as Markdown. Everything that comes from the agreement or the
/// data is escaped (`crate::text::markdown`), and control characters are
/// written out (`crate::text::visible`): a CSV cell or a title cannot add
/// headings, HTML or links, nor reach a terminal as an escape sequence.
pub fn render(r: &Report) -> String {
    crate::text::visible(&render_unescaped_controls(r)).into_owned()
}

fn render_unescaped_controls(r: &Report) -> String {
    let mut out = String::new();
    let a = &r.agreement;
    let _ = writeln!(out, "# Compliance report: {}\n", md(&a.title));
    out.push_str("| | |\n| --- | --- |\n");
    let _ = writeln!(
        out,
        "| Agreement | {} in {} |",
        code_cell(&a.name),
        code_cell(&r.source)
    );
    let _ = writeln!(out, "| Client | {} |", md(&a.clients.join(", ")));
    let _ = writeln!(out, "| Provider | {} |", md(&a.providers.join(", ")));
    if !r.periods.is_empty() {
        let _ = writeln!(out, "| Periods | {} |", md(&r.periods.join(", ")));
    }
    if let Some(sel) = &r.selection {
        let _ = writeln!(out, "| Asked for | {} |", md(sel));
    }
    let _ = writeln!(out, "| Time zone | {} |", md(&a.timezone));
    let _ = writeln!(out, "| As of | {} |", md(&short_time(&r.as_of)));
    if let (Some(fee), Some(per)) = (&a.fee, a.fee_per) {
        let cap = a
            .credit_cap
            .as_ref()
            .map(|c| format!(", credit cap {c} per period"))
            .unwrap_or_default();
        let _ = writeln!(out, "| Fee | {} |", md(&format!("{fee} per {per}{cap}")));
    }
    if !a.exclusions.is_empty() {
        let _ = writeln!(out, "| Excluded time | {} |", md(&a.exclusions.join(", ")));
    }

    out.push_str("\n## Summary\n\n");
    let s = &r.summary;
    let owed = s
        .credit_owed
        .as_ref()
        .map(|m| format!(" Credit owed: **{}**.", md(&m.to_string())))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} goals over {} goal-periods: {} met, {} missed, {} with no data.{owed}\n",
        s.goals, s.results, s.met, s.missed, s.no_data
    );
    out.push_str("| Goal | Period | Target | Measured | Status | Credit |\n| --- | --- | --- | --- | --- | --- |\n");
    for g in &r.goals {
        for p in &g.results {
            let credit = match (&p.credit, g.binding) {
                (Some(m), _) => md(&m.to_string()),
                (None, false) => "reported only".into(),
                (None, true) => "–".into(),
            };
            let _ = writeln!(
                out,
                "| {} ({}) | {} | {} | {} | {} | {} |",
                md(&g.title),
                code_cell(&g.id),
                md(&p.period),
                md(&g.target),
                md(&p.display),
                status(p.status),
                credit
            );
        }
    }

    if !r.credits.is_empty() {
        out.push_str("\n## Credits\n\n");
        out.push_str("| Period | Fee | Missed goals | Before cap | Cap | Owed |\n| --- | --- | --- | --- | --- | --- |\n");
        for c in &r.credits {
            let items: Vec<String> = c
                .items
                .iter()
                .map(|i| {
                    let when = if i.period == c.period {
                        String::new()
                    } else {
                        format!(" in {}", md(&i.period))
                    };
                    format!(
                        "{}{when}: {} = {}",
                        code_cell(&i.goal),
                        md(&i.credit.to_string()),
                        md(&i.amount.to_string())
                    )
                })
                .collect();
            let items = if items.is_empty() {
                "none".to_string()
            } else {
                items.join("; ")
            };
            let cap = c
                .cap
                .as_ref()
                .map(|m| md(&m.to_string()))
                .unwrap_or_else(|| "none".into());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | **{}** |",
                md(&c.period),
                md(&c.fee.to_string()),
                items,
                md(&c.before_cap.to_string()),
                cap,
                md(&c.owed.to_string())
            );
        }
    }

    out.push_str("\n## Goals\n");
    for g in &r.goals {
        goal(&mut out, g);
    }

    if !r.approvals.is_empty() {
        out.push_str("\n## Approvals\n\n");
        out.push_str("Business time from request to decision on the step's clock; a request left undecided past the deadline is settled by the step's `on silence` rule when it has one.\n\n");
        out.push_str("| Step | Period | Within | Counted | On time | Late | Overdue | Settled by silence | Pending | Status |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for st in &r.approvals {
            for p in &st.results {
                let d = &p.deadline;
                let _ = writeln!(
                    out,
                    "| {} | {} | {} ({}) | {} | {} | {} | {} | {} | {} | {} |",
                    code_cell(&format!("{}.{}", st.approval, st.step)),
                    md(&p.period),
                    md(&st.within.to_string()),
                    md(&st.clock),
                    d.counted,
                    d.on_time,
                    d.late,
                    d.overdue,
                    p.settled_by_silence,
                    d.pending,
                    status(p.status)
                );
            }
        }
        for st in &r.approvals {
            for p in st.results.iter().filter(|p| !p.deadline.worst.is_empty()) {
                let _ = writeln!(
                    out,
                    "\nLate or overdue, {}, {}:\n",
                    code(&format!("{}.{}", st.approval, st.step)),
                    md(&p.period)
                );
                event_table(&mut out, &p.deadline.worst);
            }
        }
    }

    if !r.escalations.is_empty() {
        out.push_str("\n## Escalations\n\n");
        out.push_str("Acknowledge and resolve deadlines per tier, as on time / late / overdue / pending.\n\n");
        out.push_str("| Tier | Period | Incidents | Acknowledge | Resolve | Status |\n| --- | --- | --- | --- | --- | --- |\n");
        let dl = |d: &Option<Deadline>, within: &Option<String>| match (d, within) {
            (Some(d), Some(w)) => format!(
                "within {}: {} / {} / {} / {}",
                md(w),
                d.on_time,
                d.late,
                d.overdue,
                d.pending
            ),
            _ => "–".to_string(),
        };
        for t in &r.escalations {
            for p in &t.results {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    code_cell(&format!("{}.{}", t.escalation, t.tier)),
                    md(&p.period),
                    p.incidents,
                    dl(&p.acknowledge, &t.acknowledge_within),
                    dl(&p.resolve, &t.resolve_within),
                    status(p.status)
                );
            }
        }
        for t in &r.escalations {
            for p in &t.results {
                for (what, d) in [("acknowledged", &p.acknowledge), ("resolved", &p.resolve)] {
                    if let Some(d) = d.as_ref().filter(|d| !d.worst.is_empty()) {
                        let _ = writeln!(
                            out,
                            "\nNot {what} in time, {}, {}:\n",
                            code(&format!("{}.{}", t.escalation, t.tier)),
                            md(&p.period)
                        );
                        event_table(&mut out, &d.worst);
                    }
                }
            }
        }
    }

    out.push_str("\n## Data\n\n");
    out.push_str("Every row read is counted, pending (open at as-of and not yet late) or excluded, for the reason given.\n\n");
    out.push_str("| File | Read | Counted | Pending | Excluded | Why excluded |\n| --- | --- | --- | --- | --- | --- |\n");
    for f in &r.data {
        let name = f.display_name();
        let why = f.exclusion_reasons();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            code_cell(&name),
            f.read,
            f.counted,
            f.pending,
            f.excluded,
            if why.is_empty() {
                "–".into()
            } else {
                md(&why.join("; "))
            }
        );
    }
    if !r.notes.is_empty() {
        out.push_str("\n## Notes\n\n");
        for n in &r.notes {
            let _ = writeln!(out, "- {}", md(n));
        }
    }
    let _ = writeln!(
        out,
        "\n---\nGenerated by slac {} from {}. Business time is measured on each goal's clock in its time zone, without closed dates and excluded windows; docs/report.md defines every number.",
        r.slac_version,
        code(&r.source)
    );
    out
}

fn goal(out: &mut String, g: &GoalReport) {
    let _ = writeln!(out, "\n### {} ({})\n", md(&g.title), code(&g.id));
    let by =
        g.by.as_ref()
            .map(|b| format!(" by {}", md(b)))
            .unwrap_or_default();
    let filter = if g.conditions.is_empty() {
        String::new()
    } else {
        format!(" where {}", md(&g.conditions.join(", ")))
    };
    let owner = g
        .owner
        .as_ref()
        .map(|o| format!(", owner {}", code(o)))
        .unwrap_or_default();
    let terms = match (&g.credit, g.binding) {
        (_, false) => "reported, not binding".to_string(),
        (Some(c), true) => format!(
            "binding, credit {} of the period's fee when missed",
            md(&c.to_string())
        ),
        (None, true) => "binding, no credit".to_string(),
    };
    let _ = writeln!(
        out,
        "Metric {}{by}{filter}; target **{}** on clock {}, {}{owner}; {terms}.\n",
        code(&g.metric),
        md(&g.target),
        code(&g.clock),
        md(g.period)
    );
    out.push_str("| Period | Measured | Counted | Pending | Misses | Status |\n| --- | --- | --- | --- | --- | --- |\n");
    for p in &g.results {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            md(&p.period),
            md(&p.display),
            p.counted,
            p.pending,
            p.misses,
            status(p.status)
        );
    }
    for p in &g.results {
        if let Some(Value::Count { unit, buckets }) = &p.value {
            let unit = md(unit);
            let _ = writeln!(out, "\nPer {unit}, {}:\n", md(&p.period));
            let _ = writeln!(
                out,
                "| {unit} | From | Count | Status |\n| --- | --- | --- | --- |"
            );
            for b in buckets {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    md(&b.label),
                    md(b.start.get(..10).unwrap_or(&b.start)),
                    b.count,
                    md(b.status)
                );
            }
        }
        if !p.worst.is_empty() {
            let _ = writeln!(
                out,
                "\nWorst misses, {} ({} of {}):\n",
                md(&p.period),
                p.worst.len(),
                p.misses
            );
            event_table(out, &p.worst);
        }
        if !p.pending_events.is_empty() {
            let ids: Vec<String> = p.pending_events.iter().map(|e| code(&e.id)).collect();
            let more = if p.pending > ids.len() as u64 {
                ", …"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "\n{} pending at as-of in {} (listed, not counted): {}{more}",
                p.pending,
                md(&p.period),
                ids.join(", ")
            );
        }
    }
}
