//! `slac report`: every goal of an agreement evaluated against exported event
//! data, with the contract's exact semantics (docs/report.md, semantics.md
//! "Reports").
//!
//! Pure: the CLI reads the files (through `read`, which parses any `Read`)
//! and writes the rendered text; everything here is arithmetic on a checked
//! `Agreement` and typed `events`.

pub mod bounded;
pub mod clocks;
pub mod credits;
mod evaluate;
pub mod events;
mod goal_chart;
mod layout;
pub mod live;
pub mod periods;
pub mod read;
pub mod reader;
pub mod render_html;
pub mod render_json;
pub mod render_markdown;
pub mod replay;
mod usage;
mod workflow;

use crate::model::{Agreement, Exclusion, PartyKind};
use chrono::{NaiveDate, SecondsFormat};
use chrono_tz::Tz;
use events::{Data, Time};
use periods::PeriodKey;
use serde::Serialize;

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    Missed,
    /// No counted events: neither met nor missed, and owing nothing.
    NoData,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::NoData => "no data",
        }
    }

    /// The class that colours it in the HTML report and its charts.
    pub fn css_class(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Missed => "missed",
            Status::NoData => "no_data",
        }
    }
}

/// An amount of money in hundredths of the currency unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Money {
    pub cents: u64,
    /// The exact decimal amount: `600.00`.
    pub amount: String,
    pub currency: String,
}

impl Money {
    pub fn new(cents: u64, currency: &str) -> Money {
        Money {
            cents,
            amount: format!("{}.{:02}", cents / 100, cents % 100),
            currency: currency.to_string(),
        }
    }
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub slac_version: &'static str,
    /// The `.sla` file the agreement came from.
    pub source: String,
    pub agreement: AgreementInfo,
    /// RFC 3339 in the agreement's time zone.
    pub as_of: String,
    /// The `--period` asked for, if any.
    pub selection: Option<String>,
    /// The agreement periods (its `period` clause) the report covers.
    pub periods: Vec<String>,
    pub summary: Summary,
    pub goals: Vec<GoalReport>,
    pub credits: Vec<PeriodCredit>,
    pub approvals: Vec<workflow::StepReport>,
    pub escalations: Vec<workflow::TierReport>,
    pub data: Vec<usage::FileSummary>,
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AgreementInfo {
    pub name: String,
    pub title: String,
    pub clients: Vec<String>,
    pub providers: Vec<String>,
    pub timezone: String,
    pub period: &'static str,
    pub fee: Option<Money>,
    pub fee_per: Option<&'static str>,
    pub credit_cap: Option<String>,
    pub exclusions: Vec<&'static str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub goals: usize,
    pub met: usize,
    pub missed: usize,
    pub no_data: usize,
    /// Goal-periods evaluated (a goal over two months counts twice).
    pub results: usize,
    /// Credit owed over every period, after the cap; `None` without a fee.
    pub credit_owed: Option<Money>,
}

#[derive(Clone, Debug, Serialize)]
pub struct GoalReport {
    pub id: String,
    pub title: String,
    pub metric: String,
    pub by: Option<String>,
    /// The `where` conditions as written: `platform in [x, facebook]`.
    #[serde(rename = "where")]
    pub conditions: Vec<String>,
    pub target: String,
    /// The target in numbers (for charts and machines).
    pub target_spec: TargetSpec,
    pub clock: String,
    pub period: &'static str,
    pub owner: Option<String>,
    /// False for `reported` goals, which never owe credit.
    pub binding: bool,
    pub credit: Option<String>,
    pub results: Vec<GoalPeriod>,
}

/// A target in exact numbers: ratios in parts per million, durations in
/// seconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetSpec {
    Within {
        ratio_ppm: u32,
        within_seconds: u64,
    },
    Quantile {
        quantile_ppm: u32,
        max_seconds: u64,
    },
    Mean {
        max_seconds: u64,
    },
    Ratio {
        bound: &'static str,
        ratio_ppm: u32,
    },
    Count {
        bound: &'static str,
        count: u64,
        per: &'static str,
    },
}

impl TargetSpec {
    pub fn of(t: &crate::model::Target) -> TargetSpec {
        use crate::model::Target as T;
        match t {
            T::Within { ratio, within } => TargetSpec::Within {
                ratio_ppm: ratio.0,
                within_seconds: within.0,
            },
            T::Quantile { quantile, max } => TargetSpec::Quantile {
                quantile_ppm: quantile.0,
                max_seconds: max.0,
            },
            T::Mean { max } => TargetSpec::Mean { max_seconds: max.0 },
            T::Ratio { bound, ratio } => TargetSpec::Ratio {
                bound: bound.symbol(),
                ratio_ppm: ratio.0,
            },
            T::Rate { bound, count, per } => TargetSpec::Count {
                bound: bound.symbol(),
                count: *count,
                per: per.keyword(),
            },
        }
    }
}

/// One goal over one period.
#[derive(Clone, Debug, Serialize)]
pub struct GoalPeriod {
    pub period: String,
    /// The period's first local day (for credits; the JSON has `start`).
    #[serde(skip)]
    pub first_day: NaiveDate,
    /// RFC 3339 local midnights bounding the period `[start, end)`.
    pub start: String,
    pub end: String,
    pub status: Status,
    /// What was measured, exactly; `None` when there is no value.
    pub value: Option<Value>,
    /// The value as the report prints it (`91.57% (163/178)`, `42m10s`).
    pub display: String,
    /// Events that count (for count targets: the buckets decided).
    pub counted: u64,
    /// Events (or buckets) listed but not counted yet (point 4).
    pub pending: u64,
    /// Counted events that broke the target (over the deadline, unanswered).
    pub misses: u64,
    /// Credit this result owes before the period's cap.
    pub credit: Option<Money>,
    /// The worst misses, worst first (at most `Options::worst`).
    pub worst: Vec<EventLine>,
    /// Pending events, oldest first (at most `Options::worst`).
    pub pending_events: Vec<EventLine>,
}

/// The exact measurement behind a result.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Value {
    /// `N% within D`: `good` of `total` counted events took at most D.
    Within { good: u64, total: u64 },
    /// `pXX <= D`: the `rank`-th smallest of `total` (nearest rank);
    /// `micros` is that time exactly, `seconds` the same rounded up to a
    /// whole second (for display); both are `None` when that event is
    /// +infinity (unanswered).
    Quantile {
        rank: u64,
        total: u64,
        seconds: Option<u64>,
        micros: Option<u64>,
    },
    /// `mean <= D`: `sum_micros / total`, exactly; `sum_seconds` is the sum
    /// rounded up to a whole second. Both are `None` when an unanswered
    /// event makes the mean infinite.
    Mean {
        sum_seconds: Option<u64>,
        sum_micros: Option<u128>,
        total: u64,
    },
    /// A ratio metric: `numerator / denominator` (denominator > 0).
    Ratio { numerator: u64, denominator: u64 },
    /// `N per UNIT`: every bucket (ISO week, local day, month) that starts
    /// in the period, with its count and status.
    Count {
        unit: &'static str,
        buckets: Vec<Bucket>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bucket {
    pub label: String,
    pub start: String,
    pub count: u64,
    /// `met`, `missed` or `pending` (not over yet and not decided).
    pub status: &'static str,
}

/// One event as listed in a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventLine {
    pub id: String,
    pub file: &'static str,
    pub row: u64,
    pub platform: String,
    /// When the event started, RFC 3339 in the agreement's time zone.
    pub start: String,
    /// Business time it took, or had taken by as-of when it is open, in
    /// whole seconds rounded up (for display: never shorter than it was).
    pub elapsed_seconds: u64,
    /// The same, exactly, in microseconds.
    pub elapsed_micros: u64,
    /// Still without a stop at as-of.
    pub open: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct PeriodCredit {
    /// An agreement period (its `period` clause).
    pub period: String,
    pub fee: Money,
    pub items: Vec<CreditItem>,
    pub before_cap: Money,
    pub cap: Option<Money>,
    pub owed: Money,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreditItem {
    pub goal: String,
    /// The goal's own period, when it differs from the agreement's.
    pub period: String,
    pub credit: String,
    pub amount: Money,
}

/// Business seconds as hours, minutes and seconds (`2h35m53s`,
/// `130h5m`): never in days, since a business "day" is not 24 hours.
pub fn business(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut out = String::new();
    if h > 0 {
        out += &format!("{h}h");
    }
    if m > 0 {
        out += &format!("{m}m");
    }
    if s > 0 || out.is_empty() {
        out += &format!("{s}s");
    }
    out
}

/// Formats an instant as RFC 3339 in `tz`.
pub fn local(tz: Tz, t: Time) -> String {
    t.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
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
    let ctx = evaluate::Context {
        agreement,
        data,
        tz,
        as_of: options.as_of,
        clocks: &clocks,
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

/// Which periods a report covers, per period kind.
pub struct Scope {
    /// The local days the report was asked for, or `None` for "every period
    /// with data".
    range: Option<(NaiveDate, NaiveDate)>,
    /// The local start days of every event in the term (for "with data").
    days: Vec<NaiveDate>,
    term: crate::model::Term,
}

impl Scope {
    fn new(agreement: &Agreement, data: &Data, tz: Tz, options: &Options) -> Scope {
        let starts = data
            .inquiries
            .rows
            .iter()
            .map(|i| i.received_at)
            .chain(data.posts.rows.iter().map(|p| p.published_at))
            .chain(data.approvals.rows.iter().map(|a| a.requested_at))
            .chain(data.incidents.rows.iter().map(|i| i.detected_at))
            .filter(|t| *t <= options.as_of);
        let mut days: Vec<NaiveDate> = starts
            .map(|t| periods::local_date(tz, t))
            .filter(|d| agreement.term.start <= *d && *d <= agreement.term.end)
            .collect();
        days.sort();
        days.dedup();
        Scope {
            range: options.range.as_ref().map(|r| (r.0, r.1)),
            days,
            term: agreement.term,
        }
    }

    /// The periods of `kind` to report, in order.
    pub fn periods(&self, kind: crate::model::Period) -> Vec<PeriodKey> {
        match self.range {
            Some((from, to)) => periods::within_range(kind, from, to),
            None => {
                let mut out: Vec<PeriodKey> = self
                    .days
                    .iter()
                    .map(|d| PeriodKey::containing(kind, *d))
                    .collect();
                out.dedup();
                out
            }
        }
    }

    /// Whether a local day lies in the agreement's effective term.
    pub fn in_term(&self, day: NaiveDate) -> bool {
        self.term.start <= day && day <= self.term.end
    }
}
