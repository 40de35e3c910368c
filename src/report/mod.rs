//! `slac report`: every goal of an agreement evaluated against exported event
//! data, with the contract's exact semantics (docs/report.md, semantics.md
//! "Reports").
//!
//! Pure: the CLI reads the files (through `read`, which parses any `Read`)
//! and writes the rendered text; everything here is arithmetic on a checked
//! `Agreement` and typed `events`.

pub mod bounded;
mod breakdown;
pub mod clocks;
mod context;
pub mod conversation;
pub mod credits;
mod evaluate;
pub mod events;
mod goal_chart;
mod latency;
mod layout;
pub mod live;
pub mod live_case;
pub mod map;
pub mod pause;
pub mod periods;
pub mod read;
pub mod reader;
pub mod render_html;
pub mod render_json;
pub mod render_markdown;
pub mod replay;
mod result;
mod scope;
mod segment_rows;
mod segments;
mod usage;
pub mod warn_live;
pub mod warnings;
pub mod word;
mod workflow;

use crate::model::{Agreement, Exclusion, PartyKind};
use chrono::NaiveDate;
use events::{Data, Time};
pub use result::*;
pub use scope::Scope;

/// The JSON schema version of the report (docs/report.md).
pub const SCHEMA: &str = "slac-report/v1";

/// How a report is asked for.
#[derive(Clone, Debug)]
pub struct Options {
    /// The instant the data is judged at (semantics point 4).
    pub as_of: Time,
    /// `--period`: the local days `[from, to)` and the label as given.
    pub range: Option<(NaiveDate, NaiveDate, String)>,
    /// How many of the worst misses each goal lists per period.
    pub worst: usize,
}

/// The longest span, in days, that timestamps and `--as-of` may cover.
pub const MAX_SPAN_DAYS: i64 = 100 * 365;

/// Builds the report of one agreement.
pub fn build(
    source: &str,
    agreement: &Agreement,
    data: &Data,
    options: &Options,
) -> Result<Report, String> {
    if let Some((from, to, label)) = &options.range {
        let term = &agreement.term;
        // `[from, to)` against the inclusive term: no day in common.
        if *to <= term.start || *from > term.end {
            return Err(format!(
                "--period `{label}` is outside the term of `{}`, {} to {}: there is nothing to report",
                agreement.name, term.start, term.end
            ));
        }
    }
    let tz = agreement.timezone;
    let honoured: Vec<&events::ExclusionWindow> = data
        .exclusions
        .rows
        .iter()
        .filter(|w| agreement.exclusions.contains(&w.kind))
        .collect();
    let from = data.earliest().unwrap_or(options.as_of).min(options.as_of);
    let to = data.latest().unwrap_or(options.as_of).max(options.as_of);
    let to = honoured.iter().map(|w| w.end).fold(to, Time::max);
    // Business time is precomputed day by day over this span: a mistyped
    // year (9026 for 2026) would take minutes and gigabytes, not a report.
    if to - from > chrono::Duration::days(MAX_SPAN_DAYS) {
        return Err(format!(
            "the data and the as-of instant span {} to {}, more than {} years: is a year mistyped?",
            local(tz, from),
            local(tz, to),
            MAX_SPAN_DAYS / 365
        ));
    }
    let clocks = clocks::Clocks::new(agreement, &honoured, from, to);
    let threads = conversation::Threads::new(data)?;
    let waits = pause::Waits::new(data)?;
    let ctx = context::Context {
        agreement,
        data,
        tz,
        as_of: options.as_of,
        clocks: &clocks,
        threads: &threads,
        waits: &waits,
        scope: Scope::new(agreement, data, tz, options),
        worst: options.worst,
    };
    let mut usage = usage::Usage::new(data);
    let mut goals = Vec::new();
    for goal in &agreement.goals {
        goals.push(evaluate::goal(&ctx, goal, &mut usage)?);
    }
    let approvals = workflow::approvals(&ctx, &mut usage);
    let escalations = workflow::escalations(&ctx, &mut usage);
    let credits = credits::per_period(agreement, &ctx.scope, &mut goals);
    let mut notes = workflow::notes(&ctx);
    let ignored = data.exclusions.rows.len() - honoured.len();
    if ignored > 0 {
        let kinds: std::collections::BTreeSet<&str> = data
            .exclusions
            .rows
            .iter()
            .filter(|w| !agreement.exclusions.contains(&w.kind))
            .map(|w| w.kind.keyword())
            .collect();
        notes.push(format!(
            "{ignored} exclusion window(s) of a kind the agreement does not exclude ({}) did not stop the clock",
            kinds.into_iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    let data_summary = usage.summarize(&ctx, &honoured);
    // With a fee the credit table lists every period (it may add one a
    // quarterly goal reaches back to); without, the scope's periods.
    let covered: Vec<String> = if agreement.fee.is_some() {
        credits.iter().map(|c| c.period.clone()).collect()
    } else {
        ctx.scope
            .periods(agreement.period)
            .iter()
            .map(|p| p.to_string())
            .collect()
    };
    let results: Vec<&GoalPeriod> = goals.iter().flat_map(|g| &g.results).collect();
    let count = |s: Status| results.iter().filter(|r| r.status == s).count();
    let currency = agreement.fee.as_ref().map(|f| f.currency.clone());
    let summary = Summary {
        goals: goals.len(),
        met: count(Status::Met),
        missed: count(Status::Missed),
        no_data: count(Status::NoData),
        results: results.len(),
        credit_owed: currency.map(|c| Money::new(credits.iter().map(|p| p.owed.cents).sum(), &c)),
    };
    let names = |kind: PartyKind| -> Vec<String> {
        agreement
            .parties
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.name.clone())
            .collect()
    };
    Ok(Report {
        schema: SCHEMA,
        slac_version: env!("CARGO_PKG_VERSION"),
        source: source.to_string(),
        agreement: AgreementInfo {
            name: agreement.name.clone(),
            title: agreement.title.clone(),
            clients: names(PartyKind::Client),
            providers: names(PartyKind::Provider),
            timezone: agreement.timezone.name().to_string(),
            period: agreement.period.keyword(),
            fee: agreement
                .fee
                .as_ref()
                .map(|f| Money::new(f.cents, &f.currency)),
            fee_per: agreement.fee.as_ref().map(|f| f.per.keyword()),
            credit_cap: agreement.credit_cap.map(|c| c.percent()),
            exclusions: agreement
                .exclusions
                .iter()
                .map(|e: &Exclusion| e.keyword())
                .collect(),
        },
        as_of: local(tz, options.as_of),
        selection: options.range.as_ref().map(|r| r.2.clone()),
        periods: covered,
        summary,
        goals,
        credits,
        approvals,
        escalations,
        data: data_summary,
        notes,
    })
}
