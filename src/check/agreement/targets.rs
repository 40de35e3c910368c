//! A goal's target, checked against the kind of its metric.

use super::*;

impl Cx<'_, '_> {
    pub(super) fn target(&mut self, metric: &m::Metric, t: &ast::Target, on: On) -> Option<Target> {
        use ast::TargetKind as K;
        let file = self.file;
        let fits = matches!(
            (metric.kind, &t.kind),
            (
                MetricKind::Latency,
                K::Within { .. } | K::Quantile { .. } | K::Mean { .. }
            ) | (MetricKind::Ratio, K::Threshold { .. })
                | (MetricKind::Count, K::Rate { .. })
        );
        if !fits {
            let (shape, example) = match metric.kind {
                MetricKind::Latency => ("a time", "`90% within 1h`, `p95 <= 30m` or `mean <= 8h`"),
                MetricKind::Ratio => ("a percentage", "`>= 95%`"),
                MetricKind::Count => ("a count per period", "`>= 4 per week`"),
            };
            let written = self.s.sources.get(file).text[t.span.start..t.span.end].to_string();
            self.err(
                Diagnostic::new(
                    Code::E0301,
                    format!(
                        "a {} goal cannot take {}",
                        metric.kind.keyword(),
                        tick(written)
                    ),
                    file,
                    t.span,
                )
                .label(format!("metric `{}` measures {shape}", metric.name))
                .help(format!(
                    "{} targets look like {example}",
                    metric.kind.keyword()
                )),
            );
            return None;
        }
        let bound = |cx: &mut Self, op: &Lit, allow_min: bool| -> Option<Bound> {
            match op.text.as_str() {
                "<=" => Some(Bound::AtMost),
                ">=" if allow_min => Some(Bound::AtLeast),
                _ => {
                    let expected = if allow_min { "`>=` or `<=`" } else { "`<=`" };
                    cx.err(
                        Diagnostic::new(
                            Code::E0319,
                            format!("comparison {} is not allowed here", tick(&op.text)),
                            file,
                            op.span,
                        )
                        .label(format!("expected {expected}"))
                        .help(format!("a target states a bound: use {expected}")),
                    );
                    None
                }
            }
        };
        match &t.kind {
            K::Within { percent, duration } => {
                let (r, d) = (self.percent(percent), self.duration_on(duration, on));
                Some(Target::Within {
                    ratio: r?,
                    within: d?,
                })
            }
            K::Quantile { q, op, duration } => {
                let qv = values::quantile(file, q);
                let (qv, b, d) = (
                    self.ok(qv),
                    bound(self, op, false),
                    self.duration_on(duration, on),
                );
                b?;
                Some(Target::Quantile {
                    quantile: qv?,
                    max: d?,
                })
            }
            K::Mean { op, duration } => {
                let (b, d) = (bound(self, op, false), self.duration_on(duration, on));
                b?;
                Some(Target::Mean { max: d? })
            }
            K::Threshold { op, percent } => {
                let (b, r) = (bound(self, op, true), self.percent(percent));
                Some(Target::Ratio {
                    bound: b?,
                    ratio: r?,
                })
            }
            K::Rate { op, count, per } => {
                let b = bound(self, op, true);
                let n = count
                    .text
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=1_000_000).contains(n));
                if n.is_none() {
                    self.err(
                        Diagnostic::new(
                            Code::E0318,
                            format!(
                                "count {} is not a whole number of events",
                                tick(&count.text)
                            ),
                            file,
                            count.span,
                        )
                        .label("expected a whole number from 1 to 1000000")
                        .help("write a count like `>= 4 per week`"),
                    );
                }
                let unit = m::PerUnit::parse(&per.text).filter(|u| {
                    matches!(u, m::PerUnit::Day | m::PerUnit::Week | m::PerUnit::Month)
                });
                if unit.is_none() {
                    self.err(
                        Diagnostic::new(
                            Code::E0212,
                            format!(
                                "counts are per day, week or month, not per {}",
                                tick(&per.text)
                            ),
                            file,
                            per.span,
                        )
                        .label("not a counting period")
                        .help("count per `day`, `week` or `month`, like `>= 12 per month`"),
                    );
                }
                Some(Target::Rate {
                    bound: b?,
                    count: n?,
                    per: unit?,
                })
            }
        }
    }
}
