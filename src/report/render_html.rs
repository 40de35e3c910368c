//! The HTML report: one self-contained file (inline CSS and SVG, no script,
//! no network) with the summary, the credits and, per goal, a chart of its
//! value against its target per period.

use super::render_markdown::short_time;
use super::svg::{self, escape, Bar, Chart};
use super::{GoalReport, Report, Status, TargetSpec, Value};
use crate::model::Seconds;
use std::fmt::Write;

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0 1rem}th,td{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;font-size:.9rem}
th{background:#f5f5f5}td.num{text-align:right}.meta td:first-child{font-weight:600}
.status{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:.8rem;font-weight:600}
.met{background:#e8f5e9;color:#1b5e20}.missed{background:#ffebee;color:#b71c1c}.no_data{background:#eee;color:#555}
.headline{font-size:1.1rem;margin:.8rem 0}.goal{margin-top:1.6rem}.muted{color:#666;font-size:.9rem}
svg.chart{max-width:100%;height:auto;display:block;margin:.4rem 0}
";

fn status(s: Status) -> String {
    let class = match s {
        Status::Met => "met",
        Status::Missed => "missed",
        Status::NoData => "no_data",
    };
    format!(r#"<span class="status {class}">{}</span>"#, s.label())
}

fn bar_class(s: Status) -> &'static str {
    match s {
        Status::Met => "met",
        Status::Missed => "missed",
        Status::NoData => "no_data",
    }
}

fn percent_tick(v: f64) -> String {
    format!("{v:.0}%")
}

fn fine_percent_tick(v: f64) -> String {
    format!("{v:.1}%")
}

fn duration_tick(v: f64) -> String {
    Seconds(v.round() as u64).to_string()
}

fn count_tick(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The chart of one goal: its value per period (per bucket for counts).
fn chart(g: &GoalReport) -> Chart {
    let mut bars = Vec::new();
    type Axis = (f64, f64, fn(f64) -> String, fn(f64) -> f64);
    let (target, floor, tick, nice): Axis = match &g.target_spec {
        TargetSpec::Within { ratio_ppm, .. } => (
            *ratio_ppm as f64 / 10_000.0,
            100.0,
            percent_tick,
            svg::nice_percent,
        ),
        TargetSpec::Quantile { max_seconds, .. } | TargetSpec::Mean { max_seconds } => (
            *max_seconds as f64,
            *max_seconds as f64 * 1.5,
            duration_tick,
            svg::nice_duration,
        ),
        TargetSpec::Ratio { ratio_ppm, .. } => {
            // Headroom above the target, but a rate near 100% (a response
            // rate) keeps a 0-100% axis.
            let t = *ratio_ppm as f64 / 10_000.0;
            (t, (t * 1.5).min(100.0), fine_percent_tick, svg::nice)
        }
        TargetSpec::Count { count, .. } => {
            (*count as f64, *count as f64 * 1.5, count_tick, svg::nice)
        }
    };
    let target_text = g.target.clone();
    for p in &g.results {
        let class = bar_class(p.status);
        let (value, text) = match &p.value {
            None => (None, "no data".to_string()),
            Some(Value::Within { good, total }) => (
                Some(*good as f64 * 100.0 / *total as f64),
                super::evaluate::percent(*good, *total),
            ),
            Some(Value::Ratio {
                numerator,
                denominator,
            }) => (
                Some(*numerator as f64 * 100.0 / *denominator as f64),
                super::evaluate::percent(*numerator, *denominator),
            ),
            Some(Value::Quantile {
                seconds, micros, ..
            }) => match (seconds, micros) {
                (Some(s), Some(us)) => (Some(*us as f64 / 1e6), Seconds(*s).to_string()),
                _ => (Some(f64::INFINITY), "∞".to_string()),
            },
            Some(Value::Mean {
                sum_micros, total, ..
            }) => match sum_micros {
                Some(s) => (
                    Some(*s as f64 / 1e6 / *total as f64),
                    Seconds(s.div_ceil(1_000_000 * *total as u128) as u64).to_string(),
                ),
                None => (Some(f64::INFINITY), "∞".to_string()),
            },
            Some(Value::Count { buckets, .. }) => {
                for b in buckets {
                    bars.push(Bar {
                        label: b.label.clone(),
                        value: Some(b.count as f64),
                        text: b.count.to_string(),
                        class: b.status,
                    });
                }
                continue;
            }
        };
        bars.push(Bar {
            label: p.period.clone(),
            value,
            text,
            class,
        });
    }
    Chart {
        title: format!(
            "{}: {} per period against the target {}",
            g.title, g.metric, g.target
        ),
        bars,
        target,
        target_text,
        y_floor_max: floor,
        tick,
        nice,
    }
}

pub fn render(r: &Report) -> String {
    let a = &r.agreement;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"slac {}\"><title>Compliance report: {}</title><style>{STYLE}</style></head><body>\n",
        r.slac_version,
        escape(&a.title)
    );
    let _ = writeln!(o, "<h1>Compliance report: {}</h1>", escape(&a.title));
    o.push_str("<table class=\"meta\">");
    let mut row = |k: &str, v: String| {
        let _ = write!(o, "<tr><td>{k}</td><td>{v}</td></tr>");
    };
    row(
        "Agreement",
        format!(
            "<code>{}</code> in <code>{}</code>",
            escape(&a.name),
            escape(&r.source)
        ),
    );
    row("Client", escape(&a.clients.join(", ")));
    row("Provider", escape(&a.providers.join(", ")));
    row("Periods", escape(&r.periods.join(", ")));
    row("Time zone", escape(&a.timezone));
    row("As of", escape(&short_time(&r.as_of)));
    if let (Some(fee), Some(per)) = (&a.fee, a.fee_per) {
        let cap = a
            .credit_cap
            .as_ref()
            .map(|c| format!(", credit cap {c} per period"))
            .unwrap_or_default();
        row("Fee", escape(&format!("{fee} per {per}{cap}")));
    }
    o.push_str("</table>\n");

    let s = &r.summary;
    let owed = s
        .credit_owed
        .as_ref()
        .map(|m| format!(" Credit owed: <strong>{}</strong>.", escape(&m.to_string())))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "<h2>Summary</h2><p class=\"headline\">{} goals over {} goal-periods: {} met, {} missed, {} with no data.{owed}</p>",
        s.goals, s.results, s.met, s.missed, s.no_data
    );
    o.push_str("<table><tr><th>Goal</th><th>Period</th><th>Target</th><th>Measured</th><th>Status</th><th>Credit</th></tr>");
    for g in &r.goals {
        for p in &g.results {
            let credit = match (&p.credit, g.binding) {
                (Some(m), _) => m.to_string(),
                (None, false) => "reported only".into(),
                (None, true) => "–".into(),
            };
            let _ = write!(
                o,
                "<tr><td><a href=\"#goal-{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&g.id),
                escape(&g.title),
                escape(&p.period),
                escape(&g.target),
                escape(&p.display),
                status(p.status),
                escape(&credit)
            );
        }
    }
    o.push_str("</table>\n");

    if !r.credits.is_empty() {
        o.push_str("<h2>Credits</h2><table><tr><th>Period</th><th>Fee</th><th>Missed goals</th><th>Before cap</th><th>Cap</th><th>Owed</th></tr>");
        for c in &r.credits {
            let items: Vec<String> = c
                .items
                .iter()
                .map(|i| format!("{}: {} = {}", i.goal, i.credit, i.amount))
                .collect();
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\"><strong>{}</strong></td></tr>",
                escape(&c.period),
                escape(&c.fee.to_string()),
                escape(&if items.is_empty() { "none".into() } else { items.join("; ") }),
                escape(&c.before_cap.to_string()),
                escape(&c.cap.as_ref().map(|m| m.to_string()).unwrap_or_else(|| "none".into())),
                escape(&c.owed.to_string())
            );
        }
        o.push_str("</table>\n");
    }

    o.push_str("<h2>Goals</h2>\n");
    for g in &r.goals {
        let _ = write!(
            o,
            "<section class=\"goal\" id=\"goal-{}\"><h3>{} <code>{}</code></h3><p class=\"muted\">metric <code>{}</code>{}; target <strong>{}</strong> on clock <code>{}</code>, {}; {}</p>",
            escape(&g.id),
            escape(&g.title),
            escape(&g.id),
            escape(&g.metric),
            escape(&if g.conditions.is_empty() { String::new() } else { format!(" where {}", g.conditions.join(", ")) }),
            escape(&g.target),
            escape(&g.clock),
            g.period,
            if g.binding { "binding" } else { "reported, not binding" }
        );
        o.push_str(&svg::render(&chart(g)));
        o.push_str("<table><tr><th>Period</th><th>Measured</th><th>Counted</th><th>Pending</th><th>Misses</th><th>Status</th></tr>");
        for p in &g.results {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                escape(&p.period),
                escape(&p.display),
                p.counted,
                p.pending,
                p.misses,
                status(p.status)
            );
        }
        o.push_str("</table>");
        for p in g.results.iter().filter(|p| !p.worst.is_empty()) {
            let _ = write!(
                o,
                "<details><summary>Worst misses, {} ({} of {})</summary><table><tr><th>Event</th><th>Row</th><th>Platform</th><th>Started</th><th>Business time</th></tr>",
                escape(&p.period),
                p.worst.len(),
                p.misses
            );
            for e in &p.worst {
                let took = super::render_markdown::elapsed(e);
                let _ = write!(
                    o,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&e.id),
                    e.row,
                    escape(&e.platform),
                    escape(&short_time(&e.start)),
                    escape(&took)
                );
            }
            o.push_str("</table></details>");
        }
        o.push_str("</section>\n");
    }

    if !r.approvals.is_empty() || !r.escalations.is_empty() {
        o.push_str("<h2>Approvals and escalations</h2><table><tr><th>Step or tier</th><th>Period</th><th>Deadline</th><th>Counted</th><th>On time</th><th>Late</th><th>Overdue</th><th>Pending</th><th>Status</th></tr>");
        for st in &r.approvals {
            for p in &st.results {
                let d = &p.deadline;
                let _ = write!(
                    o,
                    "<tr><td>{}.{}</td><td>{}</td><td>decide within {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    escape(&st.approval), escape(&st.step), escape(&p.period), escape(&st.within),
                    d.counted, d.on_time, d.late, d.overdue, d.pending, status(p.status)
                );
            }
        }
        for t in &r.escalations {
            for p in &t.results {
                for (what, d, w) in [
                    ("acknowledge", &p.acknowledge, &t.acknowledge_within),
                    ("resolve", &p.resolve, &t.resolve_within),
                ] {
                    let (Some(d), Some(w)) = (d, w) else { continue };
                    let st = match (d.counted, d.late + d.overdue) {
                        (0, _) => Status::NoData,
                        (_, 0) => Status::Met,
                        _ => Status::Missed,
                    };
                    let _ = write!(
                        o,
                        "<tr><td>{}.{}</td><td>{}</td><td>{what} within {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                        escape(&t.escalation), escape(&t.tier), escape(&p.period), escape(w),
                        d.counted, d.on_time, d.late, d.overdue, d.pending, status(st)
                    );
                }
            }
        }
        o.push_str("</table>\n");
    }

    o.push_str("<h2>Data</h2><table><tr><th>File</th><th>Read</th><th>Counted</th><th>Pending</th><th>Excluded</th><th>Why excluded</th></tr>");
    for f in &r.data {
        let name = f.display_name();
        let why = f.exclusion_reasons();
        let _ = write!(
            o,
            "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&name),
            f.read,
            f.counted,
            f.pending,
            f.excluded,
            escape(&why.join("; "))
        );
    }
    o.push_str("</table>\n");
    if !r.notes.is_empty() {
        o.push_str("<h2>Notes</h2><ul>");
        for n in &r.notes {
            let _ = write!(o, "<li>{}</li>", escape(n));
        }
        o.push_str("</ul>\n");
    }
    let _ = writeln!(
        o,
        "<p class=\"muted\">Generated by slac {} from <code>{}</code>. docs/report.md defines every number.</p></body></html>",
        r.slac_version,
        escape(&r.source)
    );
    o
}
