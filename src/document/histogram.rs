//! A small inline SVG histogram: how many events fell in each band of
//! time, one bar a band, with the deadline drawn as a vertical dashed line
//! between the bands within it and those beyond. The line runs in the gap
//! between two bars, and every label sits inside its own bar's slot, so no
//! label can touch the line. Floats only place pixels; every number
//! printed comes from the exact counts.

use super::svg::{self, escape};
use std::fmt::Write;

#[derive(Clone, Debug)]
pub struct Band {
    /// The band's name under the axis, one or two lines.
    pub label: Vec<String>,
    pub count: u64,
    /// `met` (within the deadline), `missed` (beyond) or `open` (still
    /// open past it): the bar's colour.
    pub class: &'static str,
}

#[derive(Clone, Debug)]
pub struct Histogram {
    pub title: String,
    pub bands: Vec<Band>,
    /// The deadline lies after this many bands.
    pub target_after: usize,
    /// The legend of the deadline line: "deadline 1h".
    pub target_text: String,
}

const W: f64 = 720.0;
const H: f64 = 250.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 44.0;

/// The slot (x range) of band `i` of `n`; bars are 60% of it, centred.
fn slot(i: usize, n: usize) -> (f64, f64) {
    let w = (W - LEFT - RIGHT) / n.max(1) as f64;
    (LEFT + w * i as f64, w)
}

/// Where the deadline line stands: the boundary between two slots.
fn target_x(h: &Histogram) -> f64 {
    slot(h.target_after, h.bands.len()).0
}

pub fn render(h: &Histogram) -> String {
    let plot_h = H - TOP - BOTTOM;
    let max = h.bands.iter().map(|b| b.count).max().unwrap_or(0);
    let (step, ticks) = axis(max);
    let y_max = (step * ticks) as f64;
    let y = |v: f64| TOP + plot_h - v / y_max * plot_h;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart histogram" role="img" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}"><title>{}</title>"#,
        escape(&h.title)
    );
    for i in 0..=ticks {
        let tick = step * i;
        let yy = y(tick as f64);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#e3e3e3"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#555">{tick}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
        );
    }
    let n = h.bands.len();
    for (i, b) in h.bands.iter().enumerate() {
        let (x0, w) = slot(i, n);
        let cx = x0 + w / 2.0;
        let bar_w = (w * 0.6).min(72.0);
        // An empty band keeps a sliver, so its place on the axis shows.
        let top = if b.count == 0 {
            TOP + plot_h - 1.5
        } else {
            y(b.count as f64)
        };
        let _ = write!(
            s,
            r#"<rect class="bar {}" x="{:.1}" y="{top:.1}" width="{bar_w:.1}" height="{:.1}" fill="{}"><title>{}: {}</title></rect>"#,
            b.class,
            cx - bar_w / 2.0,
            TOP + plot_h - top,
            color(b.class, b.count),
            escape(&b.label.join(" ")),
            b.count
        );
        let _ = write!(
            s,
            r##"<text class="value" x="{cx:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#222">{}</text>"##,
            top - 5.0,
            b.count
        );
        for (line, text) in b.label.iter().enumerate() {
            let _ = write!(
                s,
                r##"<text x="{cx:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#333">{}</text>"##,
                TOP + plot_h + 15.0 + 13.0 * line as f64,
                escape(text)
            );
        }
    }
    let tx = target_x(h);
    let _ = write!(
        s,
        r##"<line class="target" x1="{tx:.1}" y1="{:.1}" x2="{tx:.1}" y2="{:.1}" stroke="#1f4e9c" stroke-width="2" stroke-dasharray="6 4"/>"##,
        TOP - 8.0,
        TOP + plot_h,
    );
    svg::legend(&mut s, LEFT, &h.target_text);
    svg::close(&mut s, LEFT, W - RIGHT, TOP + plot_h);
    s
}

/// A count axis of whole ticks: a step of 1, 2 or 5 times a power of ten
/// and at most five of them reaching `max` (at least one).
fn axis(max: u64) -> (u64, u64) {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            let s = step * m;
            if max.div_ceil(s) <= 5 {
                return (s, max.div_ceil(s).max(1));
            }
        }
        step *= 10;
    }
}

fn color(class: &str, count: u64) -> &'static str {
    match (class, count) {
        (_, 0) => "#bdbdbd",
        ("met", _) => "#2e7d32",
        ("missed", _) => "#c62828",
        _ => "#7f1d1d",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(counts: [u64; 6]) -> Histogram {
        let labels = [
            "up to 30m",
            "30m to 1h",
            "1h to 2h",
            "2h to 4h",
            "over 4h",
            "open",
        ];
        Histogram {
            title: "t".into(),
            bands: labels
                .iter()
                .zip(counts)
                .enumerate()
                .map(|(i, (l, count))| Band {
                    label: vec![l.to_string()],
                    count,
                    class: if i < 2 { "met" } else { "missed" },
                })
                .collect(),
            target_after: 2,
            target_text: "deadline 1h".into(),
        }
    }

    /// Roughly how wide an 11px label is: 7px a character is generous
    /// for digits and lower-case letters.
    fn half_width(text: &str) -> f64 {
        text.chars().count() as f64 * 7.0 / 2.0
    }

    #[test]
    fn no_label_touches_the_deadline_line() {
        let h = example([1234, 99_999, 7, 0, 3, 12]);
        let tx = target_x(&h);
        for (i, b) in h.bands.iter().enumerate() {
            let (x0, w) = slot(i, h.bands.len());
            let cx = x0 + w / 2.0;
            let texts = b.label.iter().cloned().chain([b.count.to_string()]);
            for t in texts {
                let (a, z) = (cx - half_width(&t), cx + half_width(&t));
                assert!(
                    z < tx - 2.0 || a > tx + 2.0,
                    "{t:?} spans {a}..{z}, line at {tx}"
                );
            }
        }
        // The line stands between the second and third bars.
        assert_eq!(tx, slot(2, 6).0);
    }

    #[test]
    fn count_axes_have_whole_ticks() {
        assert_eq!(axis(0), (1, 1));
        assert_eq!(axis(4), (1, 4));
        assert_eq!(axis(6), (2, 3));
        assert_eq!(axis(13), (5, 3));
        assert_eq!(axis(43), (10, 5));
        assert_eq!(axis(51), (20, 3));
        assert_eq!(axis(99_999), (20_000, 5));
    }

    #[test]
    fn every_band_has_a_bar_with_height() {
        let s = render(&example([0, 5, 0, 0, 0, 1]));
        assert_eq!(s.matches("<rect class=\"bar").count(), 6);
        assert!(!s.contains("height=\"0.0\""), "{s}");
        assert!(s.contains(r#"class="target""#));
        assert!(s.contains("deadline 1h"));
    }
}
