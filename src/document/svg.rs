//! A small inline SVG bar chart: one bar per period (or per week, for count
//! targets) against a dashed target line. Floats only place pixels; every
//! number printed on the chart comes from the exact values.

use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    /// `None`: no value (no data); `Some(f64::INFINITY)`: unbounded (an
    /// unanswered event in a percentile or mean).
    pub value: Option<f64>,
    /// The value as printed above the bar.
    pub text: String,
    /// `met`, `missed`, `pending` or `no_data`: the bar's colour.
    pub class: &'static str,
}

pub struct Chart {
    pub title: String,
    pub bars: Vec<Bar>,
    pub target: f64,
    pub target_text: String,
    /// The y axis starts at zero and ends at least here.
    pub y_floor_max: f64,
    /// Formats an axis tick.
    pub tick: fn(f64) -> String,
    /// Rounds the axis maximum up to a value whose quarters read well.
    pub nice: fn(f64) -> f64,
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A "nice" upper bound for a percentage axis: 100% unless a value is
/// above it.
pub fn nice_percent(max: f64) -> f64 {
    if max <= 100.0 {
        100.0
    } else {
        nice(max)
    }
}

/// A duration axis (seconds) whose quarter ticks are round: 1m, 2m, 5m,
/// 10m, 15m, 30m, 1h, 2h, 3h, 6h, 12h, 1d, then doubling.
pub fn nice_duration(max: f64) -> f64 {
    const QUARTERS: [f64; 12] = [
        60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0, 21600.0, 43200.0,
        86400.0,
    ];
    let mut q = QUARTERS
        .iter()
        .copied()
        .find(|q| q * 4.0 >= max)
        .unwrap_or(86400.0);
    while q * 4.0 < max {
        q *= 2.0;
    }
    q * 4.0
}

/// A count axis: `nice`, raised to a multiple of four so that its quarter
/// ticks are whole numbers (10 becomes 12: 3, 6, 9, 12).
pub fn nice_count(max: f64) -> f64 {
    (nice(max) / 4.0).ceil() * 4.0
}

/// A "nice" upper bound for the axis: 1, 2, 2.5 or 5 times a power of ten.
pub fn nice(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= max {
            return m * p;
        }
    }
    10.0 * p
}

pub fn render(c: &Chart) -> String {
    let (w, h) = (720.0, 280.0);
    let (left, right, top, bottom) = (64.0, 16.0, 36.0, 56.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let finite_max = c
        .bars
        .iter()
        .filter_map(|b| b.value)
        .filter(|v| v.is_finite())
        .fold(c.target, f64::max)
        .max(c.y_floor_max);
    let y_max = (c.nice)(finite_max);
    let y = |v: f64| top + plot_h - (v.min(y_max) / y_max) * plot_h;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}"><title>{}</title>"#,
        escape(&c.title)
    );
    // Axis with four ticks.
    for i in 0..=4 {
        let v = y_max * i as f64 / 4.0;
        let yy = y(v);
        let _ = write!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e3e3e3"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#555">{}</text>"##,
            w - right,
            left - 6.0,
            yy + 4.0,
            escape(&(c.tick)(v))
        );
    }
    let n = c.bars.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.6).min(56.0);
    for (i, b) in c.bars.iter().enumerate() {
        let cx = left + slot * (i as f64 + 0.5);
        let x = cx - bar_w / 2.0;
        let (fill, height, ytop) = match b.value {
            Some(v) => {
                let yt = y(if v.is_finite() { v } else { y_max });
                (color(b.class), top + plot_h - yt, yt)
            }
            None => ("#bdbdbd", 2.0, top + plot_h - 2.0),
        };
        let _ = write!(
            s,
            r#"<rect class="bar {}" x="{x:.1}" y="{ytop:.1}" width="{bar_w:.1}" height="{height:.1}" fill="{fill}"><title>{}: {}</title></rect>"#,
            b.class,
            escape(&b.label),
            escape(&b.text)
        );
        let _ = write!(
            s,
            r##"<text class="value" x="{cx:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#222">{}</text>"##,
            value_baseline(ytop, y(c.target)),
            escape(&b.text)
        );
        let _ = write!(
            s,
            r##"<text x="{cx:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#333">{}</text>"##,
            top + plot_h + 16.0,
            escape(&b.label)
        );
    }
    // The target line, named in a legend above the plot: a label on the
    // line itself would sit on the bars' value labels.
    let ty = y(c.target);
    let _ = write!(
        s,
        r##"<line class="target" x1="{left}" y1="{ty:.1}" x2="{:.1}" y2="{ty:.1}" stroke="#1f4e9c" stroke-width="2" stroke-dasharray="6 4"/>"##,
        w - right,
    );
    legend(&mut s, left, &format!("target {}", c.target_text));
    close(&mut s, left, w - right, top + plot_h);
    s
}

/// Where a bar's value label sits: just above the bar, unless the target
/// line would cross the text (11px high, baseline 5px above the bar); then
/// just above the line.
/// The legend above a plot that names its target line: a dashed sample
/// from `left`, then `text`.
pub fn legend(s: &mut String, left: f64, text: &str) {
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="14" x2="{:.1}" y2="14" stroke="#1f4e9c" stroke-width="2" stroke-dasharray="6 4"/><text class="legend" x="{:.1}" y="18" font-size="11" fill="#1f4e9c">{}</text>"##,
        left + 24.0,
        left + 30.0,
        escape(text)
    );
}

/// The x axis at height `y`, from `left` to `right`, and the picture's end.
pub fn close(s: &mut String, left: f64, right: f64, y: f64) {
    let _ = write!(
        s,
        r##"<line x1="{left}" y1="{y:.1}" x2="{right:.1}" y2="{y:.1}" stroke="#888"/></svg>"##
    );
}

fn value_baseline(bar_top: f64, target_y: f64) -> f64 {
    let baseline = bar_top - 5.0;
    let crosses = target_y > baseline - 12.0 && target_y < baseline + 3.0;
    if crosses {
        target_y - 5.0
    } else {
        baseline
    }
}

fn color(class: &str) -> &'static str {
    match class {
        "met" => "#2e7d32",
        "missed" => "#c62828",
        "pending" => "#f9a825",
        _ => "#bdbdbd",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_bounds() {
        assert_eq!(nice(0.9), 1.0);
        assert_eq!(nice(112.5), 200.0);
        assert_eq!(nice(2400.0), 2500.0);
        assert_eq!(nice(0.0), 1.0);
        assert_eq!(nice_percent(112.5), 200.0);
        assert_eq!(nice_percent(95.0), 100.0);
        assert_eq!(nice_count(6.0), 12.0);
        assert_eq!(nice_count(2.0), 4.0);
        assert_eq!(nice_count(200.0), 200.0);
        // p95 <= 30m: an axis to 45m rounds up to 1h, ticks every 15m.
        assert_eq!(nice_duration(2700.0), 3600.0);
        assert_eq!(nice_duration(3.0 * 86400.0), 4.0 * 86400.0);
    }

    #[test]
    fn renders_bars_and_target() {
        let c = Chart {
            title: "a <b>".into(),
            bars: vec![
                Bar {
                    label: "2026-02".into(),
                    value: Some(0.92),
                    text: "92%".into(),
                    class: "met",
                },
                Bar {
                    label: "2026-03".into(),
                    value: None,
                    text: "no data".into(),
                    class: "no_data",
                },
            ],
            target: 0.9,
            target_text: "90%".into(),
            y_floor_max: 1.0,
            tick: |v| format!("{v}"),
            nice,
        };
        let s = render(&c);
        assert!(s.starts_with("<svg"));
        assert!(s.contains("a &lt;b&gt;"));
        assert_eq!(s.matches("<rect").count(), 2);
        assert!(s.contains(r#"class="target""#));
    }

    #[test]
    fn value_labels_clear_the_target_line() {
        // Far from the line: on the bar.
        assert_eq!(value_baseline(100.0, 200.0), 95.0);
        assert_eq!(value_baseline(100.0, 50.0), 95.0);
        // The line would cross the text (bar top just below the line, or
        // a few pixels above it): the label moves above the line.
        for (bar_top, line) in [(104.0, 100.0), (100.0, 92.0), (100.0, 97.0)] {
            let b = value_baseline(bar_top, line);
            assert!(b <= line - 5.0, "{bar_top} {line} -> {b}");
        }
    }
}
