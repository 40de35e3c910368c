//! The `rules` target: slac's canonical rule set (`apiVersion: slac/v1`).
//! Everything resolved and normalised: durations in seconds, percentages as
//! ratios, clocks expanded into the calendars they name. Its shape is
//! published as a JSON Schema in docs/schema/rules.schema.json.

use super::{header, to_yaml};
use crate::model::DayKeyword;
use crate::model::{self as m, Target};
use serde::Serialize;
use std::collections::BTreeMap;

pub fn emit(a: &m::Agreement, source: &str) -> String {
    let doc = RuleSet {
        api_version: "slac/v1",
        kind: "Agreement",
        metadata: Metadata {
            name: &a.name,
            title: &a.title,
            description: a.description.as_deref(),
            source,
        },
        spec: spec(a),
    };
    format!("{}{}", header(source), to_yaml(&doc))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleSet<'a> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata<'a>,
    spec: Spec<'a>,
}

#[derive(Serialize)]
struct Metadata<'a> {
    name: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    source: &'a str,
}

#[derive(Serialize)]
struct Spec<'a> {
    parties: Vec<Party<'a>>,
    term: Term,
    timezone: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'static str>,
    period: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fee: Option<Fee<'a>>,
    objectives: &'a [String],
    platforms: &'a [String],
    custom_platforms: Vec<Named<'a>>,
    audiences: Vec<Named<'a>>,
    roles: Vec<Role<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    guidelines: Option<&'a m::Guidelines>,
    responsibilities: Vec<Responsibility<'a>>,
    calendars: BTreeMap<&'a str, Calendar<'a>>,
    goals: Vec<Goal<'a>>,
    approvals: Vec<Approval<'a>>,
    escalations: Vec<Escalation<'a>>,
    communication: Communication<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit_cap: Option<f64>,
    exclusions: Vec<&'static str>,
}

#[derive(Serialize)]
struct Party<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct Term {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct Fee<'a> {
    amount: String,
    currency: &'a str,
    per: &'static str,
}

#[derive(Serialize)]
struct Named<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Role<'a> {
    id: &'a str,
    party: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    contacts: Vec<Contact<'a>>,
}

#[derive(Serialize)]
struct Contact<'a> {
    kind: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct Responsibility<'a> {
    id: &'a str,
    responsible: &'a [String],
    accountable: &'a str,
    consulted: &'a [String],
    informed: &'a [String],
    duties: &'a [String],
}

impl Serialize for m::Guidelines {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        if let Some(t) = &self.tone {
            map.serialize_entry("tone", t)?;
        }
        if let Some(t) = &self.style {
            map.serialize_entry("style", t)?;
        }
        map.serialize_entry("languages", &self.languages)?;
        map.end()
    }
}

#[derive(Serialize)]
struct Calendar<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    timezone: &'a str,
    open: Vec<Open>,
    closed: Vec<Closed<'a>>,
}

#[derive(Serialize)]
struct Open {
    days: Vec<&'static str>,
    /// `09:00-17:00`; the dash keeps YAML 1.1 readers from taking `17:00`
    /// for a sexagesimal number.
    hours: String,
    start_seconds: u32,
    end_seconds: u32,
}

#[derive(Serialize)]
struct Closed<'a> {
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
}

#[derive(Serialize)]
struct Goal<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    metric: Metric<'a>,
    #[serde(rename = "where")]
    conditions: Vec<Condition<'a>>,
    /// With `segments`, the target of the items no segment selects.
    target: TargetOut,
    /// `target ... for COND`, in source order; absent without segments.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    segments: Vec<Segment<'a>>,
    clock: &'a str,
    /// `pause while waiting on ...`; absent when the clock never pauses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pause_while_waiting_on: Vec<&'static str>,
    /// `replies by human`: only these authors' replies stop the clock;
    /// absent when every author's reply counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    replies_by: Option<&'static str>,
    period: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
    binding: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    warn: Option<Warn>,
    on_breach: Breach<'a>,
}

/// A segment's conditions and target.
#[derive(Serialize)]
struct Segment<'a> {
    #[serde(rename = "where")]
    conditions: Vec<Condition<'a>>,
    target: TargetOut,
    /// With `warn at`: this segment's items are warned about after this
    /// many business seconds (the share of the segment's `within`).
    #[serde(skip_serializing_if = "Option::is_none")]
    warn_after_seconds: Option<u64>,
}

/// `warn at P%`: the share of each item's allowance after which an open
/// item is warned about, and that point in business seconds on the goal's
/// clock (rounded up to a whole second).
#[derive(Serialize)]
struct Warn {
    share: f64,
    after_seconds: u64,
    text: String,
}

#[derive(Serialize)]
struct Metric<'a> {
    name: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    kind: &'static str,
    events: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    by: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    measure: Option<Measure<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    series: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    numerator: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    denominator: Option<&'a str>,
}

#[derive(Serialize)]
struct Measure<'a> {
    from: &'a str,
    to: &'a str,
}

#[derive(Serialize)]
struct Condition<'a> {
    dimension: &'a str,
    op: &'a str,
    operands: &'a [String],
    values: &'a [String],
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum TargetOut {
    Within {
        ratio: f64,
        threshold_seconds: u64,
        text: String,
    },
    Quantile {
        quantile: f64,
        max_seconds: u64,
        text: String,
    },
    Mean {
        max_seconds: u64,
        text: String,
    },
    Ratio {
        bound: &'static str,
        ratio: f64,
        text: String,
    },
    Rate {
        bound: &'static str,
        count: u64,
        per: &'static str,
        text: String,
    },
}

#[derive(Serialize)]
struct Breach<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    escalate: Option<TierRef<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit: Option<f64>,
}

#[derive(Serialize)]
struct TierRef<'a> {
    escalation: &'a str,
    tier: &'a str,
}

#[derive(Serialize)]
struct Approval<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    subject: &'static str,
    steps: Vec<Step<'a>>,
    then: &'a str,
}

#[derive(Serialize)]
struct Step<'a> {
    id: &'a str,
    by: &'a [String],
    within_seconds: u64,
    clock: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    when_tagged: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_silence: Option<&'static str>,
}

#[derive(Serialize)]
struct Escalation<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    clock: &'a str,
    tiers: Vec<Tier<'a>>,
}

#[derive(Serialize)]
struct Tier<'a> {
    id: &'a str,
    /// 1 for the least severe tier.
    severity: usize,
    notify: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    acknowledge_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resolve_seconds: Option<u64>,
    pause_publishing: bool,
    statement_by: &'a [String],
}

#[derive(Serialize)]
struct Communication<'a> {
    reports: Vec<Report<'a>>,
    meetings: Vec<Meeting<'a>>,
    channels: Vec<Channel<'a>>,
}

#[derive(Serialize)]
struct Report<'a> {
    period: &'static str,
    to: &'a str,
    via: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    within_seconds: Option<u64>,
}

#[derive(Serialize)]
struct Meeting<'a> {
    period: &'static str,
    with: &'a [String],
}

#[derive(Serialize)]
struct Channel<'a> {
    kind: &'a str,
    address: &'a str,
}

fn hhmm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn spec(a: &m::Agreement) -> Spec<'_> {
    Spec {
        parties: a
            .parties
            .iter()
            .map(|p| Party {
                id: &p.id,
                name: &p.name,
                kind: p.kind.keyword(),
            })
            .collect(),
        term: Term {
            start: a.term.start.to_string(),
            end: a.term.end.to_string(),
        },
        timezone: a.timezone.name(),
        review: a.review.map(m::Period::keyword),
        period: a.period.keyword(),
        fee: a.fee.as_ref().map(|f| Fee {
            amount: f.amount(),
            currency: &f.currency,
            per: f.per.keyword(),
        }),
        objectives: &a.objectives,
        platforms: &a.platforms,
        custom_platforms: a.custom_platforms.iter().map(named).collect(),
        audiences: a.audiences.iter().map(named).collect(),
        roles: a
            .roles
            .iter()
            .map(|r| Role {
                id: &r.id,
                party: &r.party,
                description: r.description.as_deref(),
                contacts: r
                    .contacts
                    .iter()
                    .map(|c| Contact {
                        kind: c.kind.keyword(),
                        value: &c.value,
                    })
                    .collect(),
            })
            .collect(),
        guidelines: a.guidelines.as_ref(),
        responsibilities: a
            .responsibilities
            .iter()
            .map(|r| Responsibility {
                id: &r.id,
                responsible: &r.responsible,
                accountable: &r.accountable,
                consulted: &r.consulted,
                informed: &r.informed,
                duties: &r.duties,
            })
            .collect(),
        calendars: a
            .calendars
            .iter()
            .map(|(k, c)| (k.as_str(), calendar(c)))
            .collect(),
        goals: a.goals.iter().map(goal).collect(),
        approvals: a
            .approvals
            .iter()
            .map(|ap| Approval {
                id: &ap.id,
                title: &ap.title,
                description: ap.description.as_deref(),
                subject: ap.subject.keyword(),
                steps: ap
                    .steps
                    .iter()
                    .map(|s| Step {
                        id: &s.id,
                        by: &s.by,
                        within_seconds: s.within.0,
                        clock: s.clock.name(),
                        when_tagged: s.when_tagged.as_deref(),
                        on_silence: s.on_silence.map(|a| match a {
                            m::SilenceAction::Approve => "approve",
                            m::SilenceAction::Reject => "reject",
                        }),
                    })
                    .collect(),
                then: &ap.then,
            })
            .collect(),
        escalations: a
            .escalations
            .iter()
            .map(|e| Escalation {
                id: &e.id,
                title: &e.title,
                description: e.description.as_deref(),
                clock: e.clock.name(),
                tiers: e
                    .tiers
                    .iter()
                    .enumerate()
                    .map(|(i, t)| Tier {
                        id: &t.id,
                        severity: i + 1,
                        notify: &t.notify,
                        acknowledge_seconds: t.acknowledge.map(|s| s.0),
                        resolve_seconds: t.resolve.map(|s| s.0),
                        pause_publishing: t.pause_publishing,
                        statement_by: &t.statement_by,
                    })
                    .collect(),
            })
            .collect(),
        communication: Communication {
            reports: a
                .communication
                .reports
                .iter()
                .map(|r| Report {
                    period: r.period.keyword(),
                    to: &r.to,
                    via: &r.via,
                    within_seconds: r.within.map(|s| s.0),
                })
                .collect(),
            meetings: a
                .communication
                .meetings
                .iter()
                .map(|mt| Meeting {
                    period: mt.period.keyword(),
                    with: &mt.with,
                })
                .collect(),
            channels: a
                .communication
                .channels
                .iter()
                .map(|c| Channel {
                    kind: &c.kind,
                    address: &c.address,
                })
                .collect(),
        },
        credit_cap: a.credit_cap.map(m::Ratio::as_f64),
        exclusions: a.exclusions.iter().map(|e| e.keyword()).collect(),
    }
}

fn named(n: &m::Named) -> Named<'_> {
    Named {
        id: &n.id,
        name: &n.name,
    }
}

fn calendar(c: &m::Calendar) -> Calendar<'_> {
    Calendar {
        title: c.title.as_deref(),
        description: c.description.as_deref(),
        timezone: c.timezone.name(),
        open: c
            .open
            .iter()
            .map(|o| Open {
                days: o.days.iter().map(|d| d.keyword()).collect(),
                hours: format!("{}-{}", hhmm(o.start), hhmm(o.end)),
                start_seconds: o.start * 60,
                end_seconds: o.end * 60,
            })
            .collect(),
        closed: c
            .closed
            .iter()
            .map(|d| Closed {
                date: d.date.to_string(),
                name: d.name.as_deref(),
            })
            .collect(),
    }
}

fn goal(g: &m::Goal) -> Goal<'_> {
    let metric = &g.metric;
    let denominator = match &g.by {
        Some(by) => metric.denominators.iter().find(|d| &d.name == by),
        None => metric.denominators.first(),
    };
    Goal {
        id: &g.id,
        title: &g.title,
        description: g.description.as_deref(),
        metric: Metric {
            name: &metric.name,
            title: &metric.title,
            description: metric.description.as_deref(),
            kind: metric.kind.keyword(),
            events: metric.events.keyword(),
            by: g.by.as_deref(),
            measure: metric
                .measure
                .as_ref()
                .map(|(from, to)| Measure { from, to }),
            series: metric.series.as_deref(),
            numerator: metric.numerator.as_ref().map(|n| n.series.as_str()),
            denominator: denominator.map(|d| d.series.as_str()),
        },
        conditions: g.conditions.iter().map(condition).collect(),
        target: target_out(&g.target),
        segments: g.segments.iter().map(|seg| segment(g, seg)).collect(),
        clock: g.clock.name(),
        pause_while_waiting_on: g.pause.iter().map(|w| w.keyword()).collect(),
        replies_by: g.replies.keyword(),
        period: g.period.keyword(),
        owner: g.owner.as_deref(),
        binding: g.binding,
        // The goal's own target: with segments, the other items' (each
        // segment gives its own `warn_after_seconds`).
        warn: g.warn.and_then(|share| {
            Some(Warn {
                share: share.as_f64(),
                after_seconds: warn_after(share, &g.target)?,
                text: share.percent(),
            })
        }),
        on_breach: Breach {
            escalate: g.escalate.as_ref().map(|t| TierRef {
                escalation: &t.escalation,
                tier: &t.tier,
            }),
            credit: g.credit.map(m::Ratio::as_f64),
        },
    }
}

/// A target in numbers, with its text as written.
fn target_out(t: &Target) -> TargetOut {
    let text = t.to_string();
    match t {
        Target::Within { ratio, within } => TargetOut::Within {
            ratio: ratio.as_f64(),
            threshold_seconds: within.0,
            text,
        },
        Target::Quantile { quantile, max } => TargetOut::Quantile {
            quantile: quantile.as_f64(),
            max_seconds: max.0,
            text,
        },
        Target::Mean { max } => TargetOut::Mean {
            max_seconds: max.0,
            text,
        },
        Target::Ratio { bound, ratio } => TargetOut::Ratio {
            bound: bound_name(*bound),
            ratio: ratio.as_f64(),
            text,
        },
        Target::Rate { bound, count, per } => TargetOut::Rate {
            bound: bound_name(*bound),
            count: *count,
            per: per.keyword(),
            text,
        },
    }
}

/// `target ... for COND`: the segment's conditions (within the goal's
/// `where`) and target, and where the goal warns, the business seconds
/// after which an item of the segment is warned about.
fn segment<'a>(g: &m::Goal, seg: &'a m::Segment) -> Segment<'a> {
    let warn_after_seconds = g.warn.and_then(|share| warn_after(share, &seg.target));
    Segment {
        conditions: seg.conditions.iter().map(condition).collect(),
        target: target_out(&seg.target),
        warn_after_seconds,
    }
}

/// When an item held to `t` is warned about: the share of its `within`,
/// in business seconds rounded up (exactly: seconds times parts per
/// million are microseconds).
fn warn_after(share: m::Ratio, t: &Target) -> Option<u64> {
    match t {
        Target::Within { within, .. } => Some(
            within
                .0
                .saturating_mul(u64::from(share.0))
                .div_ceil(1_000_000),
        ),
        _ => None,
    }
}

fn condition(c: &m::Condition) -> Condition<'_> {
    Condition {
        dimension: c.dimension.name(),
        op: c.op.symbol(),
        operands: &c.operands,
        values: &c.values,
    }
}

fn bound_name(b: m::Bound) -> &'static str {
    match b {
        m::Bound::AtLeast => "at_least",
        m::Bound::AtMost => "at_most",
    }
}
