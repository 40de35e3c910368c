//! The Prometheus text exposition format (version 0.0.4): samples grouped
//! into families, each with its `# HELP` and `# TYPE` once.

use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Counter,
    Gauge,
    Histogram,
}

impl Type {
    fn keyword(self) -> &'static str {
        match self {
            Type::Counter => "counter",
            Type::Gauge => "gauge",
            Type::Histogram => "histogram",
        }
    }
}

/// One line: a series name (`NAME_bucket` for a histogram's bucket), its
/// labels already in text form, and its value.
#[derive(Clone, Debug)]
pub struct Sample {
    pub name: String,
    pub labels: String,
    pub value: String,
}

struct Family {
    help: String,
    kind: Type,
    samples: Vec<Sample>,
}

#[derive(Default)]
pub struct Exposition {
    families: BTreeMap<String, Family>,
}

impl Exposition {
    /// Adds a sample to family `family` (created with `help` and `kind` on
    /// first use).
    pub fn add(&mut self, family: &str, kind: Type, help: &str, sample: Sample) {
        self.families
            .entry(family.to_string())
            .or_insert_with(|| Family {
                help: help.to_string(),
                kind,
                samples: Vec::new(),
            })
            .samples
            .push(sample);
    }

    pub fn render(mut self) -> String {
        let mut out = String::new();
        for (name, family) in &mut self.families {
            family
                .samples
                .sort_by(|a, b| (&a.name, &a.labels).cmp(&(&b.name, &b.labels)));
            out.push_str(&format!("# HELP {name} {}\n", help_text(&family.help)));
            out.push_str(&format!("# TYPE {name} {}\n", family.kind.keyword()));
            for s in &family.samples {
                if s.labels.is_empty() {
                    out.push_str(&format!("{} {}\n", s.name, s.value));
                } else {
                    out.push_str(&format!("{}{{{}}} {}\n", s.name, s.labels, s.value));
                }
            }
        }
        out
    }
}

/// HELP text escapes backslashes and newlines.
fn help_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

/// A stored value at its scale: `12`, or micros as seconds `2700.25`.
pub fn scaled(value: i64, scale: i32) -> String {
    if scale == 0 {
        return value.to_string();
    }
    let unit = 10i64.pow(scale as u32);
    let sign = if value < 0 { "-" } else { "" };
    let (whole, frac) = (
        value.unsigned_abs() / unit as u64,
        value.unsigned_abs() % unit as u64,
    );
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let frac = format!("{frac:0width$}", width = scale as usize);
    format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micros_print_as_exact_seconds() {
        assert_eq!(scaled(2_700_250_000, 6), "2700.25");
        assert_eq!(scaled(3_600_000_000, 6), "3600");
        assert_eq!(scaled(-1_500_000, 6), "-1.5");
        assert_eq!(scaled(42, 0), "42");
    }

    #[test]
    fn families_are_grouped_with_one_type_line() {
        let mut e = Exposition::default();
        let s = |labels: &str| Sample {
            name: "x_total".into(),
            labels: labels.into(),
            value: "1".into(),
        };
        e.add("x_total", Type::Counter, "X.", s("agreement=\"b\""));
        e.add(
            "y",
            Type::Gauge,
            "Y.",
            Sample {
                name: "y".into(),
                labels: String::new(),
                value: "2".into(),
            },
        );
        e.add("x_total", Type::Counter, "X.", s("agreement=\"a\""));
        assert_eq!(
            e.render(),
            "# HELP x_total X.\n# TYPE x_total counter\nx_total{agreement=\"a\"} 1\nx_total{agreement=\"b\"} 1\n# HELP y Y.\n# TYPE y gauge\ny 2\n"
        );
    }
}
