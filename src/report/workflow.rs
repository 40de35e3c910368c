//! Approval steps (`within` per step, `on silence`) and escalation tiers
//! (`acknowledge within`, `resolve within`), timed like goals: business time
//! on the step's or escalation's clock, exclusions removed, attributed to the
//! agreement's period by request or detection time. They are reported, not
//! credited: the contract attaches credits to goals only.

use super::context::{outcome, Context, Ev, Outcome};
use super::periods::PeriodKey;
use super::read::FileKind;
use super::usage::{Usage, Use};
use super::{EventLine, Status};
use crate::model::{Clock, Seconds, SilenceAction};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Clone, Debug, Serialize)]
pub struct StepReport {
    pub approval: String,
    pub title: String,
    pub step: String,
    pub by: Vec<String>,
    pub within: String,
    pub within_seconds: u64,
    pub clock: String,
    pub when_tagged: Option<String>,
    /// `approve` or `reject`: what silence past the deadline decides.
    pub on_silence: Option<&'static str>,
    pub results: Vec<StepPeriod>,
}

#[derive(Clone, Debug, Serialize)]
pub struct StepPeriod {
    pub period: String,
    pub status: Status,
    pub deadline: Deadline,
    /// Requests that got no decision in time and were settled by the
    /// step's `on silence` rule (not a miss).
    pub settled_by_silence: u64,
    /// Decisions as written in the data, with how many each.
    pub decisions: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TierReport {
    pub escalation: String,
    pub title: String,
    pub tier: String,
    pub clock: String,
    pub acknowledge_within: Option<String>,
    pub resolve_within: Option<String>,
    pub results: Vec<TierPeriod>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TierPeriod {
    pub period: String,
    pub status: Status,
    pub incidents: u64,
    pub acknowledge: Option<Deadline>,
    pub resolve: Option<Deadline>,
}

/// How a set of timed events fared against one deadline.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Deadline {
    /// Counted events: on time + late + overdue.
    pub counted: u64,
    pub on_time: u64,
    /// Stopped, but after the deadline.
    pub late: u64,
    /// Not stopped at as-of and already past the deadline.
    pub overdue: u64,
    /// Not stopped at as-of, still within the deadline.
    pub pending: u64,
    /// Late and overdue events, worst first.
    pub worst: Vec<EventLine>,
}

impl Deadline {
    fn misses(&self) -> u64 {
        self.late + self.overdue
    }
}

/// Times `events` against `within`; `silence` settles overdue ones.
fn deadline(
    ctx: &Context,
    events: &[Ev],
    clock: &Clock,
    within: u64,
    silence: bool,
    usage: &mut Usage,
) -> (Deadline, u64) {
    let mut d = Deadline::default();
    let mut settled = 0;
    let mut misses: Vec<(crate::clock::Micros, bool, &Ev)> = Vec::new();
    for ev in events {
        match outcome(ctx, ev, clock, within) {
            Outcome::Took(s) if s.within(within) => d.on_time += 1,
            Outcome::Took(s) => {
                d.late += 1;
                misses.push((s, false, ev));
            }
            Outcome::Overdue(_) if silence => settled += 1,
            Outcome::Overdue(s) => {
                d.overdue += 1;
                misses.push((s, true, ev));
            }
            Outcome::Pending(_) => {
                d.pending += 1;
                usage.mark(ev.file, ev.index, Use::Pending);
                continue;
            }
        }
        d.counted += 1;
        usage.mark(ev.file, ev.index, Use::Counted);
    }
    misses.sort_by(|a, b| (b.1, b.0).cmp(&(a.1, a.0)).then(a.2.start.cmp(&b.2.start)));
    d.worst = misses
        .iter()
        .take(ctx.worst)
        .map(|(s, open, e)| ctx.line(e, *s, *open))
        .collect();
    (d, settled)
}

/// The agreement's periods with the events that started in each.
fn by_period<'a>(ctx: &Context, evs: Vec<Ev<'a>>) -> Vec<(PeriodKey, Vec<Ev<'a>>)> {
    let periods = ctx.scope.periods(ctx.agreement.period);
    let mut out: Vec<(PeriodKey, Vec<Ev>)> = periods.iter().map(|p| (*p, Vec::new())).collect();
    for ev in evs {
        let Some(day) = ctx.start_day(ev.start) else {
            continue;
        };
        if let Some((_, v)) = out.iter_mut().find(|(p, _)| p.holds(day)) {
            v.push(ev);
        }
    }
    out
}

fn status(counted: u64, misses: u64) -> Status {
    match (counted, misses) {
        (0, _) => Status::NoData,
        (_, 0) => Status::Met,
        _ => Status::Missed,
    }
}

pub fn approvals(ctx: &Context, usage: &mut Usage) -> Vec<StepReport> {
    let platforms: HashMap<&str, &str> = ctx
        .data
        .posts
        .rows
        .iter()
        .map(|p| (p.id.as_str(), p.platform.as_str()))
        .collect();
    let mut out = Vec::new();
    for approval in &ctx.agreement.approvals {
        for step in &approval.steps {
            let evs: Vec<Ev> = ctx
                .data
                .approvals
                .rows
                .iter()
                .enumerate()
                .filter(|(_, a)| a.approval == approval.id && a.step == step.id)
                .map(|(index, a)| Ev {
                    file: FileKind::Approvals,
                    index,
                    row: a.row,
                    id: &a.post_id,
                    // The post's platform, so its outages stop this clock too.
                    platform: platforms.get(a.post_id.as_str()).copied().unwrap_or(""),
                    start: a.requested_at,
                    stop: a.decided_at,
                    requires_response: false,
                    post: None,
                    solved: Vec::new(),
                })
                .collect();
            let silence = step.on_silence.is_some();
            let results = by_period(ctx, evs)
                .into_iter()
                .map(|(period, evs)| {
                    let (d, settled) =
                        deadline(ctx, &evs, &step.clock, step.within.0, silence, usage);
                    let mut decisions = BTreeMap::new();
                    for ev in &evs {
                        let decision = &ctx.data.approvals.rows[ev.index].decision;
                        if !decision.is_empty() {
                            *decisions.entry(decision.clone()).or_default() += 1;
                        }
                    }
                    StepPeriod {
                        period: period.to_string(),
                        status: status(d.counted, d.misses()),
                        deadline: d,
                        settled_by_silence: settled,
                        decisions,
                    }
                })
                .collect();
            out.push(StepReport {
                approval: approval.id.clone(),
                title: approval.title.clone(),
                step: step.id.clone(),
                by: step.by.clone(),
                within: step.within.to_string(),
                within_seconds: step.within.0,
                clock: step.clock.name().to_string(),
                when_tagged: step.when_tagged.clone(),
                on_silence: step.on_silence.map(|s| match s {
                    SilenceAction::Approve => "approve",
                    SilenceAction::Reject => "reject",
                }),
                results,
            });
        }
    }
    out
}

pub fn escalations(ctx: &Context, usage: &mut Usage) -> Vec<TierReport> {
    let mut out = Vec::new();
    for esc in &ctx.agreement.escalations {
        for tier in &esc.tiers {
            let evs =
                |stop: fn(&super::events::Incident) -> Option<super::events::Time>| -> Vec<Ev> {
                    ctx.data
                        .incidents
                        .rows
                        .iter()
                        .enumerate()
                        .filter(|(_, i)| i.escalation == esc.id && i.tier == tier.id)
                        .map(|(index, i)| Ev {
                            file: FileKind::Incidents,
                            index,
                            row: i.row,
                            id: &i.id,
                            platform: &i.platform,
                            start: i.detected_at,
                            stop: stop(i),
                            requires_response: false,
                            post: None,
                            solved: Vec::new(),
                        })
                        .collect()
                };
            let ack = by_period(ctx, evs(|i| i.acknowledged_at));
            let res = by_period(ctx, evs(|i| i.resolved_at));
            let mut results = Vec::new();
            for ((period, ack_evs), (_, res_evs)) in ack.into_iter().zip(res) {
                let a = tier
                    .acknowledge
                    .map(|w| deadline(ctx, &ack_evs, &esc.clock, w.0, false, usage).0);
                let r = tier
                    .resolve
                    .map(|w| deadline(ctx, &res_evs, &esc.clock, w.0, false, usage).0);
                let counted = a.iter().chain(&r).map(|d| d.counted).sum();
                let misses = a.iter().chain(&r).map(Deadline::misses).sum();
                results.push(TierPeriod {
                    period: period.to_string(),
                    status: status(counted, misses),
                    incidents: ack_evs.len() as u64,
                    acknowledge: a,
                    resolve: r,
                });
            }
            out.push(TierReport {
                escalation: esc.id.clone(),
                title: esc.title.clone(),
                tier: tier.id.clone(),
                clock: esc.clock.name().to_string(),
                acknowledge_within: tier.acknowledge.map(|s: Seconds| s.to_string()),
                resolve_within: tier.resolve.map(|s| s.to_string()),
                results,
            });
        }
    }
    out
}

/// Remarks about the data worth a reader's attention.
pub fn notes(ctx: &Context) -> Vec<String> {
    let posts: HashMap<&str, &Vec<String>> = ctx
        .data
        .posts
        .rows
        .iter()
        .map(|p| (p.id.as_str(), &p.tags))
        .collect();
    let mut notes = Vec::new();
    let unknown = ctx
        .data
        .approvals
        .rows
        .iter()
        .filter(|a| !posts.contains_key(a.post_id.as_str()))
        .count();
    if unknown > 0 && ctx.data.posts.file.is_some() {
        notes.push(format!(
            "{unknown} approval request(s) name a post that is not in the posts file; their clock ignores platform outages"
        ));
    }
    for approval in &ctx.agreement.approvals {
        for step in &approval.steps {
            let Some(tag) = &step.when_tagged else {
                continue;
            };
            let untagged = ctx
                .data
                .approvals
                .rows
                .iter()
                .filter(|a| a.approval == approval.id && a.step == step.id)
                .filter(|a| {
                    posts
                        .get(a.post_id.as_str())
                        .is_some_and(|tags| !tags.contains(tag))
                })
                .count();
            if untagged > 0 {
                notes.push(format!(
                    "{untagged} request(s) for step `{}.{}` concern posts not tagged \"{tag}\"; they are timed all the same",
                    approval.id, step.id
                ));
            }
        }
    }
    notes
}
