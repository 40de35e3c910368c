//! What a report says: the result types every renderer (and `slac
//! serve`'s scrapes) reads, and the two formats they share for times.

use super::events::Time;
use super::{usage, workflow};
use chrono::{NaiveDate, SecondsFormat};
use chrono_tz::Tz;
use serde::Serialize;

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
    /// `pause while waiting on ...`: the parties; absent when the clock
    /// never pauses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pause: Vec<&'static str>,
    /// `target ... for COND`: the segments' targets, in source order;
    /// `target` then holds for the items no segment selects. Absent for
    /// goals without segments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<SegmentTarget>,
    pub results: Vec<GoalPeriod>,
}

/// A segment's target, as the goal states it.
#[derive(Clone, Debug, Serialize)]
pub struct SegmentTarget {
    /// The segment's conditions as written: `priority = urgent`.
    #[serde(rename = "for")]
    pub conditions: Vec<String>,
    pub target: String,
    pub target_spec: TargetSpec,
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
    /// A latency target's per-event deadline, in seconds: the `D` of `N%
    /// within D`, `pXX <= D` or `mean <= D`.
    pub fn deadline_seconds(&self) -> Option<u64> {
        match self {
            TargetSpec::Within { within_seconds, .. } => Some(*within_seconds),
            TargetSpec::Quantile { max_seconds, .. } | TargetSpec::Mean { max_seconds } => {
                Some(*max_seconds)
            }
            TargetSpec::Ratio { .. } | TargetSpec::Count { .. } => None,
        }
    }

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
    /// The same measurement over each platform's events alone, against
    /// the same target, beside the overall result (latency and ratio
    /// goals; empty for count goals and without events).
    pub platforms: Vec<PlatformResult>,
    /// Latency goals: the counted events per band of business time sized
    /// from the target (`breakdown::bands`); empty otherwise.
    pub distribution: Vec<Band>,
    /// Goals with `warn at`: the items warned about, and those that
    /// breached anyway. Absent without the clause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<super::warnings::Warnings>,
    /// Goals with segments: each segment's result, then the rest's, in
    /// source order; the fields above are then the whole goal's (see
    /// `segments::combine`). Absent for goals without segments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<SegmentResult>,
    /// Goals that pause: the business time their clock stood still over
    /// the period's timed events; absent for goals that never pause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paused: Option<Paused>,
}

/// One part of a goal with segments (`target ... for COND`), over one
/// period: a segment's items against the segment's target, or the items no
/// segment selects (`rest`) against the goal's own target (docs/report.md,
/// "Targets per segment").
#[derive(Clone, Debug, Serialize)]
pub struct SegmentResult {
    /// The segment's conditions as written; empty for the rest.
    #[serde(rename = "for")]
    pub conditions: Vec<String>,
    /// True for the items no segment selects.
    pub rest: bool,
    pub target: String,
    pub target_spec: TargetSpec,
    /// The part's result, as a goal's (its own worst misses, pending
    /// items, platforms, distribution, warnings and paused time).
    #[serde(flatten)]
    pub result: GoalPeriod,
}

impl SegmentResult {
    /// How a report names the part: `priority = urgent`, `other items`.
    pub fn label(&self) -> String {
        if self.rest {
            "other items".to_string()
        } else {
            self.conditions.join(", ")
        }
    }
}

/// The business time a pausing goal's clock stood still in one period
/// (docs/report.md, "What every number means").
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Paused {
    /// The sum over the period's counted and pending events, exact.
    pub micros: u64,
    /// The same, rounded up to whole seconds.
    pub seconds: u64,
    /// How many of those events had any paused time.
    pub items: u64,
}

/// One platform's share of a goal-period: what the goal's measurement
/// gives over that platform's events alone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlatformResult {
    /// The platform's id; empty for events that have none (incidents
    /// without a platform).
    pub platform: String,
    pub status: Status,
    pub value: Option<Value>,
    pub display: String,
    pub counted: u64,
    pub pending: u64,
    pub misses: u64,
}

/// A band of business time: the counted events that took more than
/// `from_seconds` (or 0 and more, for the first) and at most `to_seconds`;
/// `open` is the band of events still without a stop past the deadline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Band {
    pub from_seconds: u64,
    /// `None`: no upper bound.
    pub to_seconds: Option<u64>,
    pub open: bool,
    /// Every time in the band meets the goal's deadline.
    pub on_target: bool,
    pub count: u64,
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
