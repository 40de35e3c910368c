//! The chart of one goal: its value per period (per week or day for count
//! targets) against its target, as the bars `svg` draws.

use super::{Band, GoalReport, TargetSpec, Value};
use crate::document::histogram::{self, Histogram};
use crate::document::svg::{self, Bar, Chart};
use crate::document::Line;
use crate::model::Seconds;

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
pub fn chart(g: &GoalReport) -> Chart {
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
        TargetSpec::Count { count, .. } => (
            *count as f64,
            *count as f64 * 1.5,
            count_tick,
            svg::nice_count,
        ),
    };
    let target_text = g.target.clone();
    for p in &g.results {
        let class = p.status.css_class();
        let (value, text) = match &p.value {
            // "no data", or how many parts of a goal with segments were met.
            None => (None, p.display.clone()),
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

/// A band of business time in one or two lines: "up to" / "30m", "30m" /
/// "to 1h", "more than" / "4h", or `open` / "over 1h"; `time` writes a
/// bound in seconds.
/// The distribution as table rows, one a band: the band, its count, its
/// share of the `counted` and whether it is within the deadline. Every
/// audience's table is these rows under its own headings.
pub fn band_rows(
    bands: &[Band],
    counted: u64,
    time: impl Fn(u64) -> String,
    open: &str,
) -> Vec<Vec<Line>> {
    bands
        .iter()
        .map(|b| {
            vec![
                band_lines(b, &time, open).join(" ").into(),
                b.count.to_string().into(),
                super::evaluate::percent(b.count, counted).into(),
                if b.on_target { "yes" } else { "no" }.into(),
            ]
        })
        .collect()
}

pub fn band_lines(b: &Band, time: impl Fn(u64) -> String, open: &str) -> Vec<String> {
    match (b.open, b.from_seconds, b.to_seconds) {
        (true, from, _) => vec![format!("{open},"), format!("over {}", time(from))],
        (false, from, None) => vec!["more than".into(), time(from)],
        (false, 0, Some(to)) => vec!["up to".into(), time(to)],
        (false, from, Some(to)) => vec![time(from), format!("to {}", time(to))],
    }
}

/// The histogram of a goal-period's distribution, its bands named by
/// `lines`; the deadline line stands after the bands within it.
pub fn distribution(
    title: String,
    bands: &[Band],
    legend: String,
    lines: impl Fn(&Band) -> Vec<String>,
) -> Histogram {
    Histogram {
        title,
        bands: bands
            .iter()
            .map(|b| histogram::Band {
                label: lines(b),
                count: b.count,
                class: match (b.on_target, b.open) {
                    (true, _) => "met",
                    (false, false) => "missed",
                    (false, true) => "open",
                },
            })
            .collect(),
        target_after: bands.iter().filter(|b| b.on_target).count(),
        target_text: legend,
    }
}
