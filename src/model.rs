//! The checked agreement: resolved, typed and normalised. Every stage after
//! the checker (emitters, diff, report, LSP hovers) reads this and never the
//! syntax. Numbers are exact: durations in whole seconds, percentages as
//! parts per million, money in minor units.

use chrono::{NaiveDate, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt;

/// A fraction in parts per million: `95%` is `Ratio(950_000)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Ratio(pub u32);

impl Ratio {
    pub const ONE: Ratio = Ratio(1_000_000);

    /// The exact decimal form of the ratio: `0.035`, `1`, `0.9`.
    pub fn decimal(self) -> String {
        decimal(self.0 as u64, 6)
    }
    /// The exact percentage as written by users: `3.5%`.
    pub fn percent(self) -> String {
        format!("{}%", decimal(self.0 as u64, 4))
    }
    pub fn as_f64(self) -> f64 {
        self.decimal().parse().expect("decimal parses")
    }
}

/// `units / 10^scale` as the shortest exact decimal string.
pub fn decimal(units: u64, scale: u32) -> String {
    let div = 10u64.pow(scale);
    let (int, frac) = (units / div, units % div);
    if frac == 0 {
        return int.to_string();
    }
    let digits = format!("{frac:0width$}", width = scale as usize);
    format!("{int}.{}", digits.trim_end_matches('0'))
}

/// A duration in whole seconds, written back in the largest exact units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seconds(pub u64);

/// Whole seconds as Go's `strconv.FormatFloat(f, 'g', -1, 64)` writes them,
/// the spelling of a histogram's `le` in every Go exporter (and in `slac
/// serve`): `3600`, and from a million on `1e+06`, `1.2096e+06`.
pub fn go_float(seconds: u64) -> String {
    let plain = seconds.to_string();
    if seconds < 1_000_000 {
        return plain;
    }
    let digits = plain.trim_end_matches('0');
    let exp = plain.len() - 1;
    let mantissa = if digits.len() > 1 {
        format!("{}.{}", &digits[..1], &digits[1..])
    } else {
        digits.to_string()
    };
    format!("{mantissa}e+{exp:02}")
}

impl fmt::Display for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        if rest == 0 {
            return f.write_str("0s");
        }
        for (unit, size) in [
            ("w", 604_800),
            ("d", 86_400),
            ("h", 3_600),
            ("m", 60),
            ("s", 1),
        ] {
            if rest >= size {
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Period {
    pub const ALL: [Period; 5] = [
        Period::Daily,
        Period::Weekly,
        Period::Monthly,
        Period::Quarterly,
        Period::Yearly,
    ];
    pub fn keyword(self) -> &'static str {
        match self {
            Period::Daily => "daily",
            Period::Weekly => "weekly",
            Period::Monthly => "monthly",
            Period::Quarterly => "quarterly",
            Period::Yearly => "yearly",
        }
    }
    pub fn parse(s: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.keyword() == s)
    }
    /// The shortest length the period can have, in seconds.
    pub fn min_seconds(self) -> u64 {
        86_400
            * match self {
                Period::Daily => 1,
                Period::Weekly => 7,
                Period::Monthly => 28,
                Period::Quarterly => 90,
                Period::Yearly => 365,
            }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PerUnit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl PerUnit {
    pub fn keyword(self) -> &'static str {
        match self {
            PerUnit::Day => "day",
            PerUnit::Week => "week",
            PerUnit::Month => "month",
            PerUnit::Quarter => "quarter",
            PerUnit::Year => "year",
        }
    }
    pub fn parse(s: &str) -> Option<PerUnit> {
        [
            PerUnit::Day,
            PerUnit::Week,
            PerUnit::Month,
            PerUnit::Quarter,
            PerUnit::Year,
        ]
        .into_iter()
        .find(|p| p.keyword() == s)
    }
    pub fn seconds(self) -> u64 {
        86_400
            * match self {
                PerUnit::Day => 1,
                PerUnit::Week => 7,
                PerUnit::Month => 30,
                PerUnit::Quarter => 91,
                PerUnit::Year => 365,
            }
    }
}

/// One checked `.sla` file: its agreements (a library file has none).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    /// The file name the model came from, as shown in generated headers.
    pub source: String,
    pub agreements: Vec<Agreement>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub parties: Vec<Party>,
    pub term: Term,
    /// Parsed once by the checker; written back by its IANA name.
    pub timezone: Tz,
    pub review: Option<Period>,
    pub period: Period,
    pub fee: Option<Fee>,
    pub objectives: Vec<String>,
    /// In priority order.
    pub platforms: Vec<String>,
    /// Platforms the agreement declares beyond the prelude's.
    pub custom_platforms: Vec<Named>,
    pub audiences: Vec<Named>,
    pub roles: Vec<Role>,
    pub guidelines: Option<Guidelines>,
    pub responsibilities: Vec<Responsibility>,
    pub goals: Vec<Goal>,
    pub approvals: Vec<Approval>,
    pub escalations: Vec<Escalation>,
    pub communication: Communication,
    pub credit_cap: Option<Ratio>,
    pub exclusions: Vec<Exclusion>,
    /// Every calendar a clock of this agreement uses, by the name the clock
    /// gives it (`berlin_office`, `cal.extended_care`).
    pub calendars: BTreeMap<String, Calendar>,
}

impl Agreement {
    pub fn role(&self, id: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.id == id)
    }
    pub fn calendar(&self, clock: &Clock) -> Option<&Calendar> {
        match clock {
            Clock::Always => None,
            Clock::Calendar(name) => self.calendars.get(name),
        }
    }
    pub fn escalation(&self, id: &str) -> Option<&Escalation> {
        self.escalations.iter().find(|e| e.id == id)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartyKind {
    Client,
    Provider,
    Vendor,
}

impl PartyKind {
    pub fn keyword(self) -> &'static str {
        match self {
            PartyKind::Client => "client",
            PartyKind::Provider => "provider",
            PartyKind::Vendor => "vendor",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub id: String,
    pub name: String,
    pub kind: PartyKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    pub start: NaiveDate,
    /// Inclusive: the last day the agreement is in effect.
    pub end: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fee {
    /// In hundredths of the currency unit.
    pub cents: u64,
    pub currency: String,
    pub per: PerUnit,
}

impl Fee {
    pub fn amount(&self) -> String {
        decimal(self.cents, 2)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContactKind {
    Email,
    Slack,
    Webhook,
}

impl ContactKind {
    pub fn keyword(self) -> &'static str {
        match self {
            ContactKind::Email => "email",
            ContactKind::Slack => "slack",
            ContactKind::Webhook => "webhook",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub kind: ContactKind,
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub id: String,
    pub party: String,
    pub description: Option<String>,
    pub contacts: Vec<Contact>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Guidelines {
    pub tone: Option<String>,
    pub style: Option<String>,
    pub languages: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Responsibility {
    pub id: String,
    pub responsible: Vec<String>,
    pub accountable: String,
    pub consulted: Vec<String>,
    pub informed: Vec<String>,
    pub duties: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Clock {
    Always,
    Calendar(String),
}

impl Clock {
    pub fn name(&self) -> &str {
        match self {
            Clock::Always => "always",
            Clock::Calendar(n) => n,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MetricKind {
    Latency,
    Ratio,
    Count,
}

impl MetricKind {
    pub fn keyword(self) -> &'static str {
        match self {
            MetricKind::Latency => "latency",
            MetricKind::Ratio => "ratio",
            MetricKind::Count => "count",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventSource {
    Inquiries,
    Posts,
    Approvals,
    Incidents,
}

impl EventSource {
    pub const ALL: [EventSource; 4] = [
        EventSource::Inquiries,
        EventSource::Posts,
        EventSource::Approvals,
        EventSource::Incidents,
    ];
    pub fn keyword(self) -> &'static str {
        match self {
            EventSource::Inquiries => "inquiries",
            EventSource::Posts => "posts",
            EventSource::Approvals => "approvals",
            EventSource::Incidents => "incidents",
        }
    }
}

/// A named Prometheus series of a ratio metric (`numerator`/`denominator`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Series {
    pub name: String,
    pub series: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metric {
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub kind: MetricKind,
    pub events: EventSource,
    /// Latency metrics: the event fields the time runs between.
    pub measure: Option<(String, String)>,
    /// Latency (a histogram) and count (a counter) metrics.
    pub series: Option<String>,
    pub numerator: Option<Series>,
    pub denominators: Vec<Series>,
    /// The dimensions a goal may filter on with `where`.
    pub labels: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goal {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub metric: Metric,
    /// The denominator chosen with `by`, for ratio metrics that have several.
    pub by: Option<String>,
    pub conditions: Vec<Condition>,
    pub target: Target,
    /// Targets for parts of the goal's items (`target ... for COND`), in
    /// source order, pairwise disjoint (the checker proves it); `target`
    /// covers the items no segment selects. Empty for most goals.
    pub segments: Vec<Segment>,
    pub clock: Clock,
    pub period: Period,
    pub owner: Option<String>,
    /// False for `reported` goals: tracked, never owing credit.
    pub binding: bool,
    pub escalate: Option<TierRef>,
    pub credit: Option<Ratio>,
    /// `pause while waiting on ...`: the parties whose waits stop the
    /// clock, in `WaitingOn` order; empty when the clock never pauses.
    pub pause: Vec<WaitingOn>,
    /// `replies by human`: whose replies stop the clock (`Anyone` when
    /// the goal does not say; docs/report.md "Human replies").
    pub replies: Replies,
    /// `warn at P%`: the share of an item's allowance after which an open
    /// item is warned about (below 100%; only on `N% within D` targets).
    pub warn: Option<Ratio>,
}

impl Goal {
    /// The allowance of one item of this goal: the business time it may
    /// take before it breaches, the `D` of `N% within D`. `None` where the
    /// goal promises no per-item deadline (quantile, mean, ratio and count
    /// targets). `item` gives the item's value of a dimension (its
    /// platform, priority, ...), so that targets that differ per segment
    /// answer here too: an item's allowance is the `within` of its
    /// segment's target (`target ... for COND`), else of the goal's.
    /// Every reader of an allowance goes through this.
    pub fn allowance<'e>(&self, item: impl Fn(&Dimension) -> Option<&'e str>) -> Option<Seconds> {
        match self.target_for(item) {
            Target::Within { within, .. } => Some(*within),
            _ => None,
        }
    }

    /// The target an item is held to: the first segment whose conditions
    /// all hold, else the goal's own. `item` gives the item's value of a
    /// dimension. The item is assumed to be within the goal's `where`.
    pub fn target_for<'e>(&self, item: impl Fn(&Dimension) -> Option<&'e str>) -> &Target {
        self.segment_of(item).map_or(&self.target, |s| &s.target)
    }

    /// The segment an item is in: the first whose conditions all hold;
    /// `None` for the other items (and on goals without segments).
    pub fn segment_of<'e>(&self, item: impl Fn(&Dimension) -> Option<&'e str>) -> Option<&Segment> {
        self.segments
            .iter()
            .find(|s| s.conditions.iter().all(|c| c.holds(item(&c.dimension))))
    }

    /// The other items of a goal with segments (those no segment selects)
    /// as one condition, `priority` none of `[high, urgent]`: there is one
    /// when every segment is a single condition that lists the values it
    /// admits, all on one dimension. The live targets select the other
    /// items with it; without one they watch the segments only (W0014).
    pub fn others_condition(&self) -> Option<Condition> {
        Segment::others_condition(&self.segments)
    }

    /// The `segment` label of an item's part on the live targets: its
    /// segment's `label`, or `other`; `None` on goals without segments.
    pub fn segment_label<'e>(
        &self,
        item: impl Fn(&Dimension) -> Option<&'e str>,
    ) -> Option<String> {
        if self.segments.is_empty() {
            return None;
        }
        Some(
            self.segment_of(item)
                .map_or(OTHER_ITEMS.to_string(), Segment::label),
        )
    }

    /// When an item of this goal is warned about, in business microseconds
    /// on the goal's clock: its allowance times the `warn at` share,
    /// exactly (seconds times parts per million are microseconds).
    pub fn warn_after_micros<'e>(
        &self,
        item: impl Fn(&Dimension) -> Option<&'e str>,
    ) -> Option<u64> {
        let share = self.warn?;
        let allowance = self.allowance(item)?;
        Some(allowance.0.saturating_mul(u64::from(share.0)))
    }
}

/// `target 95% within 15m for priority = urgent`: the items the conditions
/// select (within the goal's `where`) are held to `target`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub conditions: Vec<Condition>,
    pub target: Target,
}

/// The `segment` label of the items no segment selects.
pub const OTHER_ITEMS: &str = "other";

impl Segment {
    /// The segment's conditions as written, `, `-separated: its `segment`
    /// label on the live targets.
    pub fn label(&self) -> String {
        let texts: Vec<String> = self.conditions.iter().map(Condition::text).collect();
        texts.join(", ")
    }

    /// See `Goal::others_condition`.
    pub fn others_condition(segments: &[Segment]) -> Option<Condition> {
        let mut dimension = None;
        let mut values: Vec<String> = Vec::new();
        for s in segments {
            let [c] = s.conditions.as_slice() else {
                return None;
            };
            if c.op == Op::Ne || dimension.is_some_and(|d| d != &c.dimension) {
                return None;
            }
            dimension = Some(&c.dimension);
            values.extend(c.values.iter().cloned());
        }
        values.sort();
        values.dedup();
        Some(Condition {
            dimension: dimension?.clone(),
            op: Op::Ne,
            operands: values,
            values: Vec::new(),
        })
    }
}

/// What a `where` condition filters on: the event fields the language knows,
/// or a label of a user-declared metric.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dimension {
    Platform,
    Audience,
    Channel,
    Priority,
    Approval,
    Step,
    Decision,
    Escalation,
    Tier,
    /// A label no event of the language carries.
    Other(String),
}

impl Dimension {
    const KNOWN: [Dimension; 9] = [
        Dimension::Platform,
        Dimension::Audience,
        Dimension::Channel,
        Dimension::Priority,
        Dimension::Approval,
        Dimension::Step,
        Dimension::Decision,
        Dimension::Escalation,
        Dimension::Tier,
    ];
    pub fn parse(name: &str) -> Dimension {
        Dimension::KNOWN
            .into_iter()
            .find(|d| d.name() == name)
            .unwrap_or_else(|| Dimension::Other(name.to_string()))
    }
    /// The label name, as written in `where` and in Prometheus matchers.
    pub fn name(&self) -> &str {
        match self {
            Dimension::Platform => "platform",
            Dimension::Audience => "audience",
            Dimension::Channel => "channel",
            Dimension::Priority => "priority",
            Dimension::Approval => "approval",
            Dimension::Step => "step",
            Dimension::Decision => "decision",
            Dimension::Escalation => "escalation",
            Dimension::Tier => "tier",
            Dimension::Other(name) => name,
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The operator of a `where` condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Op {
    In,
    Eq,
    Ne,
    Ge,
    Gt,
    Le,
    Lt,
}

impl Op {
    const ALL: [Op; 7] = [Op::In, Op::Eq, Op::Ne, Op::Ge, Op::Gt, Op::Le, Op::Lt];
    pub fn parse(symbol: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|o| o.symbol() == symbol)
    }
    /// As written: `in`, `=`, `!=`, `>=`, ...
    pub fn symbol(self) -> &'static str {
        match self {
            Op::In => "in",
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
        }
    }
    /// `=` and `in`: the condition names the values it selects.
    pub fn selects(self) -> bool {
        matches!(self, Op::In | Op::Eq)
    }
    /// `>=`, `>`, `<=`, `<`: the condition needs an ordered enumeration.
    pub fn is_ordering(self) -> bool {
        matches!(self, Op::Ge | Op::Gt | Op::Le | Op::Lt)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub dimension: Dimension,
    pub op: Op,
    /// The operands as written.
    pub operands: Vec<String>,
    /// The values the condition matches, expanded (`priority >= high` is
    /// `[high, urgent]`), in declaration order.
    pub values: Vec<String>,
}

impl Condition {
    /// As written: `platform in [x, facebook]`, `priority >= high`.
    pub fn text(&self) -> String {
        if self.op == Op::In {
            format!("{} in [{}]", self.dimension, self.operands.join(", "))
        } else {
            format!(
                "{} {} {}",
                self.dimension,
                self.op,
                self.operands.join(", ")
            )
        }
    }

    /// Whether an item whose value of the dimension is `value` (`None`: the
    /// item has no such field) passes this condition.
    pub fn holds(&self, value: Option<&str>) -> bool {
        let v = value.unwrap_or_default();
        if self.op == Op::Ne {
            !self.operands.iter().any(|o| o == v)
        } else {
            self.values.iter().any(|o| o == v)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bound {
    AtLeast,
    AtMost,
}

impl Bound {
    pub fn symbol(self) -> &'static str {
        match self {
            Bound::AtLeast => ">=",
            Bound::AtMost => "<=",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// At least `ratio` of events take at most `within`.
    Within { ratio: Ratio, within: Seconds },
    /// The `quantile` (nearest rank) of event times is at most `max`.
    Quantile { quantile: Ratio, max: Seconds },
    /// The mean event time is at most `max`.
    Mean { max: Seconds },
    /// The ratio metric is at least (or at most) `ratio`.
    Ratio { bound: Bound, ratio: Ratio },
    /// At least (or at most) `count` events per `per`.
    Rate {
        bound: Bound,
        count: u64,
        per: PerUnit,
    },
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Within { ratio, within } => write!(f, "{} within {within}", ratio.percent()),
            Target::Quantile { quantile, max } => {
                write!(f, "p{} <= {max}", decimal(quantile.0 as u64, 4))
            }
            Target::Mean { max } => write!(f, "mean <= {max}"),
            Target::Ratio { bound, ratio } => write!(f, "{} {}", bound.symbol(), ratio.percent()),
            Target::Rate { bound, count, per } => {
                write!(f, "{} {count} per {}", bound.symbol(), per.keyword())
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierRef {
    pub escalation: String,
    pub tier: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenHours {
    pub days: Vec<Weekday>,
    /// Minutes after local midnight; `end` may be 1440.
    pub start: u32,
    pub end: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClosedDate {
    pub date: NaiveDate,
    /// The holiday's name when it came from a holiday set.
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    pub name: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub timezone: Tz,
    pub open: Vec<OpenHours>,
    /// Sorted by date, one entry a date.
    pub closed: Vec<ClosedDate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SilenceAction {
    Approve,
    Reject,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub subject: EventSource,
    pub steps: Vec<Step>,
    pub then: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub id: String,
    pub by: Vec<String>,
    pub within: Seconds,
    pub clock: Clock,
    pub when_tagged: Option<String>,
    pub on_silence: Option<SilenceAction>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escalation {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub clock: Clock,
    /// In ascending severity.
    pub tiers: Vec<Tier>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tier {
    pub id: String,
    pub notify: Vec<String>,
    pub acknowledge: Option<Seconds>,
    pub resolve: Option<Seconds>,
    pub pause_publishing: bool,
    pub statement_by: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Communication {
    pub reports: Vec<Report>,
    pub meetings: Vec<Meeting>,
    pub channels: Vec<Channel>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub period: Period,
    pub to: String,
    pub via: String,
    pub within: Option<Seconds>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub period: Period,
    pub with: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub kind: String,
    pub address: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exclusion {
    PlatformOutage,
    ForceMajeure,
    ClientDelay,
}

impl Exclusion {
    pub const ALL: [Exclusion; 3] = [
        Exclusion::PlatformOutage,
        Exclusion::ForceMajeure,
        Exclusion::ClientDelay,
    ];
    pub fn keyword(self) -> &'static str {
        match self {
            Exclusion::PlatformOutage => "platform_outage",
            Exclusion::ForceMajeure => "force_majeure",
            Exclusion::ClientDelay => "client_delay",
        }
    }
}

/// Whom a case can wait on while a goal's clock is paused
/// (`pause while waiting on customer, client`), and the `on` column of
/// `waits.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WaitingOn {
    /// The person who wrote in: the case waits for their answer.
    Customer,
    /// The brand (the agreement's client): the case waits for its input.
    Client,
}

/// Whose replies stop a goal's clock: anyone's (no clause), or only a
/// person's (`replies by human`; bot and automation replies do not count).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Replies {
    #[default]
    Anyone,
    Human,
}

impl Replies {
    /// The authors `messages.csv` knows (its `author` column); only
    /// `human` can be named in `replies by`.
    pub const AUTHORS: [&'static str; 3] = ["human", "bot", "automation"];
    /// The word after `replies by`; `None` for `Anyone`, which is written
    /// by leaving the clause out.
    pub fn keyword(self) -> Option<&'static str> {
        match self {
            Replies::Anyone => None,
            Replies::Human => Some("human"),
        }
    }
    pub fn parse(word: &str) -> Option<Replies> {
        (word == "human").then_some(Replies::Human)
    }
}

impl WaitingOn {
    pub const ALL: [WaitingOn; 2] = [WaitingOn::Customer, WaitingOn::Client];
    pub fn keyword(self) -> &'static str {
        match self {
            WaitingOn::Customer => "customer",
            WaitingOn::Client => "client",
        }
    }
    pub fn parse(word: &str) -> Option<WaitingOn> {
        WaitingOn::ALL.into_iter().find(|w| w.keyword() == word)
    }
}

/// The `pause` label of a latency histogram whose clock pauses while
/// waiting on `parties` (`customer`, `customer,client`); empty (no label)
/// for a clock that never pauses. Written by `slac serve` and matched by the
/// Prometheus target alike (docs/targets.md "The series contract").
pub fn pause_label(parties: &[WaitingOn]) -> String {
    parties
        .iter()
        .map(|w| w.keyword())
        .collect::<Vec<_>>()
        .join(",")
}

/// The keyword a weekday is written as in a `.sla` file and in generated
/// output (`mon` ... `sun`).
pub trait DayKeyword {
    fn keyword(self) -> &'static str;
}

impl DayKeyword for Weekday {
    fn keyword(self) -> &'static str {
        match self {
            Weekday::Mon => "mon",
            Weekday::Tue => "tue",
            Weekday::Wed => "wed",
            Weekday::Thu => "thu",
            Weekday::Fri => "fri",
            Weekday::Sat => "sat",
            Weekday::Sun => "sun",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_print_exactly() {
        assert_eq!(Ratio(35_000).decimal(), "0.035");
        assert_eq!(Ratio(900_000).decimal(), "0.9");
        assert_eq!(Ratio::ONE.decimal(), "1");
        assert_eq!(Ratio(35_000).percent(), "3.5%");
        assert_eq!(Ratio(35_000).as_f64(), 0.035);
    }

    #[test]
    fn durations_print_in_largest_units() {
        assert_eq!(Seconds(5400).to_string(), "1h30m");
        assert_eq!(Seconds(86_400).to_string(), "1d");
        assert_eq!(Seconds(1_209_600).to_string(), "2w");
    }

    #[test]
    fn time_zones_write_back_the_name_they_were_parsed_from() {
        // The Model keeps a parsed `Tz` and every output writes its name:
        // each name tzdb accepts must come back unchanged.
        for tz in chrono_tz::TZ_VARIANTS {
            let parsed: Tz = tz.name().parse().unwrap();
            assert_eq!(parsed.name(), tz.name());
        }
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(berlin.name(), "Europe/Berlin");
    }

    #[test]
    fn operators_and_dimensions_round_trip_their_spelling() {
        for symbol in ["in", "=", "!=", ">=", ">", "<=", "<"] {
            assert_eq!(Op::parse(symbol).unwrap().symbol(), symbol);
        }
        assert_eq!(Op::parse("=="), None);
        assert!(Op::Eq.selects() && Op::In.selects() && !Op::Ne.selects());
        assert!(Op::Lt.is_ordering() && !Op::Ne.is_ordering());
        assert_eq!(Dimension::parse("platform"), Dimension::Platform);
        assert_eq!(Dimension::parse("region").name(), "region");
        assert_eq!(Dimension::parse("tier").to_string(), "tier");
    }
}
