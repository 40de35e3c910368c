//! How each goal is measured: its shape (burn rate, mean or threshold) and
//! the PromQL of its SLI over its period. Prometheus rules and OpenSLO
//! documents both read this, so a goal means the same in each.

use super::series;
use crate::emit::promql::{duration, Selector};
use crate::model::{self as m, Agreement, Bound, EventSource, Goal, Target};

/// How a goal is measured in PromQL.
pub enum Shape {
    /// Good and total events; the error budget is `1 - target`.
    Burn {
        good: Selector,
        total: Selector,
        budget_ppm: u32,
    },
    /// A histogram's mean against a maximum in seconds.
    Mean {
        hist_sum: Selector,
        hist_count: Selector,
        max: u64,
    },
    /// The SLI over a window, compared with a bound.
    Threshold {
        bound: Bound,
        value: String,
        window: u64,
    },
}

/// A goal's shape and the PromQL of its SLI over its period (or, for
/// counts, its `per` window): the value `slac:goal_sli` records.
pub struct Measure {
    pub shape: Shape,
    pub sli: String,
    /// The window of `sli`, in seconds.
    pub window: u64,
}

/// How `g` is measured; `None` when its metric lacks the series it needs.
pub fn measure(a: &Agreement, g: &Goal) -> Option<Measure> {
    let metric = &g.metric;
    let filters = series::filters(a, g);
    let period = per_of(g.period).seconds();
    let budget = |r: &m::Ratio| 1_000_000 - r.0.min(1_000_000);
    Some(match &g.target {
        Target::Within { ratio, within } => {
            let h = series::histogram(a, g)?;
            Measure {
                sli: ratio_expr(&h.bucket(within.0), &h.count(), period),
                shape: Shape::Burn {
                    good: h.bucket(within.0),
                    total: h.count(),
                    budget_ppm: budget(ratio),
                },
                window: period,
            }
        }
        Target::Quantile { quantile, max } => {
            // `pXX <= D` holds when at least XX% of events take at most D.
            let h = series::histogram(a, g)?;
            Measure {
                sli: format!(
                    "histogram_quantile({}, sum by (le) (rate({}[{}])))",
                    quantile.decimal(),
                    h.buckets().render(),
                    duration(period)
                ),
                shape: Shape::Burn {
                    good: h.bucket(max.0),
                    total: h.count(),
                    budget_ppm: budget(quantile),
                },
                window: period,
            }
        }
        Target::Mean { max } => {
            let h = series::histogram(a, g)?;
            Measure {
                sli: ratio_expr(&h.sum(), &h.count(), period),
                shape: Shape::Mean {
                    hist_sum: h.sum(),
                    hist_count: h.count(),
                    max: max.0,
                },
                window: period,
            }
        }
        Target::Ratio { bound, ratio } => {
            let (num, den) = series::ratio_series(metric, g.by.as_deref())?;
            let good = Selector::new(num, filters.clone());
            let total = Selector::new(den, filters);
            let sli = ratio_expr(&good, &total, period);
            let shape = if metric.events == EventSource::Inquiries && *bound == Bound::AtLeast {
                Shape::Burn {
                    good,
                    total,
                    budget_ppm: budget(ratio),
                }
            } else {
                Shape::Threshold {
                    bound: *bound,
                    value: ratio.decimal(),
                    window: period,
                }
            };
            Measure {
                shape,
                sli,
                window: period,
            }
        }
        Target::Rate { bound, count, per } => {
            let window = per.seconds();
            let counter = Selector::new(metric.series.as_deref()?, filters);
            Measure {
                sli: format!("sum(increase({}[{}]))", counter.render(), duration(window)),
                shape: Shape::Threshold {
                    bound: *bound,
                    value: count.to_string(),
                    window,
                },
                window,
            }
        }
    })
}

/// The window a goal's period is measured over.
pub fn per_of(p: m::Period) -> m::PerUnit {
    match p {
        m::Period::Daily => m::PerUnit::Day,
        m::Period::Weekly => m::PerUnit::Week,
        m::Period::Monthly => m::PerUnit::Month,
        m::Period::Quarterly => m::PerUnit::Quarter,
        m::Period::Yearly => m::PerUnit::Year,
    }
}

/// `sum(increase(num[w])) / sum(increase(den[w]))`.
fn ratio_expr(num: &Selector, den: &Selector, window: u64) -> String {
    let w = duration(window);
    format!(
        "sum(increase({}[{w}]))\n/\nsum(increase({}[{w}]))",
        num.render(),
        den.render()
    )
}
