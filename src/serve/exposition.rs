//! The Prometheus text exposition format (version 0.0.4): samples grouped
//! into families, each with its `# HELP` and `# TYPE` once.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

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
    /// Lines rendered before, in order (one agreement's, say).
    chunks: Vec<Arc<String>>,
    samples: Vec<Sample>,
}

/// One family's lines, rendered once and reused while nothing changed.
#[derive(Clone, Debug)]
pub struct Chunk {
    pub family: String,
    pub kind: Type,
    pub help: String,
    pub text: Arc<String>,
}

#[derive(Default)]
pub struct Exposition {
    families: BTreeMap<String, Family>,
}

impl Exposition {
    /// Adds a sample to family `family` (created with `help` and `kind` on
    /// first use).
    pub fn add(&mut self, family: &str, kind: Type, help: &str, sample: Sample) {
        self.family(family, kind, help).samples.push(sample);
    }

    /// Adds a gauge whose series is named like its family.
    pub fn gauge(&mut self, family: &str, help: &str, labels: String, value: String) {
        let sample = Sample {
            name: family.to_string(),
            labels,
            value,
        };
        self.add(family, Type::Gauge, help, sample);
    }

    /// Adds lines rendered before (`chunks` of another exposition).
    pub fn add_chunk(&mut self, chunk: &Chunk) {
        let f = self.family(&chunk.family, chunk.kind, &chunk.help);
        f.chunks.push(chunk.text.clone());
    }

    fn family(&mut self, family: &str, kind: Type, help: &str) -> &mut Family {
        self.families
            .entry(family.to_string())
            .or_insert_with(|| Family {
                help: help.to_string(),
                kind,
                chunks: Vec::new(),
                samples: Vec::new(),
            })
    }

    /// Each family's sample lines, without the `# HELP` and `# TYPE`
    /// lines, to be added to another exposition later.
    pub fn into_chunks(mut self) -> Vec<Chunk> {
        let mut out = Vec::new();
        for (name, family) in &mut self.families {
            let mut text = String::new();
            lines(&mut family.samples, &mut text);
            out.push(Chunk {
                family: name.clone(),
                kind: family.kind,
                help: family.help.clone(),
                text: Arc::new(text),
            });
        }
        out
    }

    pub fn render(mut self) -> String {
        let size: usize = self
            .families
            .values()
            .flat_map(|f| f.chunks.iter().map(|c| c.len()))
            .sum();
        let mut out = String::with_capacity(size + 64 * 1024);
        for (name, family) in &mut self.families {
            let _ = writeln!(out, "# HELP {name} {}", help_text(&family.help));
            let _ = writeln!(out, "# TYPE {name} {}", family.kind.keyword());
            for chunk in &family.chunks {
                out.push_str(chunk);
            }
            lines(&mut family.samples, &mut out);
        }
        out
    }
}

/// Writes samples sorted by name and labels, one a line.
fn lines(samples: &mut [Sample], out: &mut String) {
    samples.sort_by(|a, b| (&a.name, &a.labels).cmp(&(&b.name, &b.labels)));
    for s in samples.iter() {
        let _ = if s.labels.is_empty() {
            writeln!(out, "{} {}", s.name, s.value)
        } else {
            writeln!(out, "{}{{{}}} {}", s.name, s.labels, s.value)
        };
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
