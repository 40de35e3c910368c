//! The contract gauges: for every goal and its current period, the numbers
//! `slac report` prints at the same instant (value, met, counted, pending,
//! misses, credit owed), computed by the report's own code over the stored
//! events of the periods that are running.

use super::exposition::Exposition;
use super::state::Live;
use crate::report::events::{Data, Time};
use crate::report::periods::{self, PeriodKey};
use crate::report::{self, Options, Report, Status, Value};
use crate::store::{codec, Store};

/// The report of the current agreement period at `as_of`.
pub fn current(store: &mut dyn Store, live: &Live, as_of: Time) -> Result<Report, String> {
    let a = &live.agreement;
    let today = periods::local_date(live.tz, as_of);
    let key = PeriodKey::containing(a.period, today);
    // Goals with longer periods than the agreement's reach further back.
    let since = a
        .goals
        .iter()
        .map(|g| PeriodKey::containing(g.period, today).start)
        .chain([key.start])
        .min()
        .unwrap_or(key.start);
    let since_us = periods::midnight(live.tz, since).timestamp_micros();
    let data: Data = codec::load_data(store, a, Some(since_us))?;
    let options = Options {
        as_of,
        range: Some((key.start, key.end(), key.to_string())),
        worst: 0,
    };
    report::build(&live.source, a, &data, &options)
}

fn labels(agreement: &str, goal: &str, period: &str) -> String {
    use crate::report::live::escape_label as e;
    format!(
        "agreement=\"{}\",goal=\"{}\",period=\"{}\"",
        e(agreement),
        e(goal),
        e(period)
    )
}

/// The measured value as one number: a share or ratio (0 to 1), seconds
/// (percentiles and means), or the count of the latest bucket.
fn number(v: &Value) -> Option<String> {
    let ratio = |n: u64, d: u64| (d > 0).then(|| format!("{}", n as f64 / d as f64));
    match v {
        Value::Within { good, total } => ratio(*good, *total),
        Value::Quantile { micros, .. } => {
            Some(micros.map_or("+Inf".into(), |us| format!("{}", us as f64 / 1e6)))
        }
        Value::Mean {
            sum_micros, total, ..
        } => match sum_micros {
            None => Some("+Inf".into()),
            Some(s) => (*total > 0).then(|| format!("{}", *s as f64 / 1e6 / *total as f64)),
        },
        Value::Ratio {
            numerator,
            denominator,
        } => ratio(*numerator, *denominator),
        Value::Count { buckets, .. } => buckets.last().map(|b| b.count.to_string()),
    }
}

/// Adds the gauges of one report to `out`.
pub fn expose(r: &Report, as_of: Time, out: &mut Exposition) {
    let name = &r.agreement.name;
    let gauge = |out: &mut Exposition, family: &str, help: &str, labels: String, value: String| {
        out.gauge(family, help, labels, value)
    };
    gauge(
        out,
        "slac_contract_as_of_seconds",
        "The instant the contract gauges were computed at (Unix seconds): pass it to slac report --as-of to get the same numbers.",
        format!("agreement=\"{}\"", crate::report::live::escape_label(name)),
        as_of.timestamp().to_string(),
    );
    for g in &r.goals {
        for p in &g.results {
            let l = || labels(name, &g.id, &p.period);
            if let Some(v) = p.value.as_ref().and_then(number) {
                gauge(out, "slac_goal_value", "What the goal measured in its current period: a share or ratio (0 to 1), seconds, or the latest bucket's count.", l(), v);
            }
            if p.status != Status::NoData {
                let met = u8::from(p.status == Status::Met).to_string();
                gauge(out, "slac_goal_met", "1 when the goal is met in its current period, 0 when missed; absent with no data.", l(), met);
            }
            gauge(
                out,
                "slac_goal_counted",
                "Events (or buckets) counted in the goal's current period.",
                l(),
                p.counted.to_string(),
            );
            gauge(
                out,
                "slac_goal_pending",
                "Events (or buckets) not decided yet in the goal's current period.",
                l(),
                p.pending.to_string(),
            );
            gauge(
                out,
                "slac_goal_misses",
                "Counted events that broke the goal's target in its current period.",
                l(),
                p.misses.to_string(),
            );
            if let Some(c) = &p.credit {
                let labels = format!(
                    "{},currency=\"{}\"",
                    l(),
                    crate::report::live::escape_label(&c.currency)
                );
                gauge(
                    out,
                    "slac_goal_credit",
                    "Credit the goal owes for its current period, before the cap.",
                    labels,
                    c.amount.clone(),
                );
            }
        }
    }
    for c in &r.credits {
        let labels = format!(
            "agreement=\"{}\",period=\"{}\",currency=\"{}\"",
            crate::report::live::escape_label(name),
            crate::report::live::escape_label(&c.period),
            crate::report::live::escape_label(&c.owed.currency)
        );
        gauge(
            out,
            "slac_credit_owed",
            "Credit owed for the agreement period, after the cap.",
            labels,
            c.owed.amount.clone(),
        );
    }
}
