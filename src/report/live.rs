//! The series `slac serve` publishes for an agreement, and what one event
//! adds to them (docs/targets.md "The series contract").
//!
//! Pure, like the rest of the report: the same typed events and the same
//! business time (`Clocks`) the monthly report measures with, so the live
//! numbers and the report cannot disagree. The door (`serve`) stores the
//! sums; this module only says which series exist and what each event is
//! worth to them.

use super::clocks::Clocks;
use super::conversation::Measure;
use super::events::{Event, Time};
use super::periods;
use crate::model::{Agreement, Clock, EventSource, Goal, MetricKind, Replies, Target, WaitingOn};
use std::collections::{BTreeMap, BTreeSet};

/// Bucket bounds every latency histogram has, in seconds (1m to 30d),
/// besides every threshold its goals name.
pub const LADDER: [u64; 12] = [
    60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800, 604_800, 2_592_000,
];

/// Microseconds per second: sums of latencies are kept exact in micros.
pub const MICROS: i64 = 1_000_000;

/// One series, by name and labels (sorted by label name).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SeriesKey {
    pub name: String,
    pub labels: Vec<(String, String)>,
    /// A histogram bucket's upper bound (`3600`, `+Inf`); empty otherwise.
    /// Buckets are kept apart, not cumulative: an observation adds to the
    /// one bucket it falls in, and the exposition sums them up.
    pub le: String,
}

impl SeriesKey {
    /// The labels as one canonical string (`a="x",b="y"`), escaped as the
    /// Prometheus text format wants them.
    pub fn label_text(&self) -> String {
        self.labels
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A label value as the text exposition format writes it.
pub fn escape_label(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// How a value is stored: whole counts, or seconds kept in microseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    Count,
    Micros,
}

/// A latency histogram: one per metric and clock the goals use.
#[derive(Clone, Debug)]
pub struct Histogram {
    pub series: String,
    pub clock: Clock,
    pub source: EventSource,
    pub stop_field: String,
    pub labels: Vec<String>,
    /// Upper bounds in seconds, ascending (`+Inf` is implied).
    pub bounds: Vec<u64>,
    /// The parties its clock pauses on (`pause while waiting on ...`):
    /// its series carry them as the `pause` label. Empty: never pauses.
    pub pause: Vec<WaitingOn>,
    /// Set when the conversation's messages time it (next reply,
    /// periodic update) or may (resolution, with its re-opens), rather
    /// than a column of the inquiry alone.
    pub conversation: Option<Measure>,
    /// Whose replies stop it: with `replies by human` only a person's
    /// (read from the conversation's messages), and its series carry
    /// `replies="human"`.
    pub replies: Replies,
}

impl Histogram {
    /// Whether an observation needs the inquiry's whole stored case (its
    /// waits, its messages), not the inquiry's row alone: `live_case`.
    pub fn by_case(&self) -> bool {
        !self.pause.is_empty() || self.conversation.is_some() || self.reads_messages()
    }

    /// Whether only a person's reply stops it: its stop is read from the
    /// conversation's messages, never from `first_response_at`.
    pub fn reads_messages(&self) -> bool {
        self.replies == Replies::Human && self.stop_field == "first_response_at"
    }
}

/// What a counter counts for each event of its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counts {
    /// One per event (posts published).
    Events,
    /// Inquiries requiring a response.
    RequiringResponse,
    /// Inquiries requiring a response that have been answered.
    Answered,
    /// A post's named counter (engagements, impressions, reach, followers).
    PostField(PostField),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostField {
    Engagements,
    Impressions,
    Reach,
    Followers,
}

impl PostField {
    fn parse(name: &str) -> Option<PostField> {
        Some(match name {
            "engagements" => PostField::Engagements,
            "impressions" => PostField::Impressions,
            "reach" => PostField::Reach,
            "followers" => PostField::Followers,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct Counter {
    pub series: String,
    pub source: EventSource,
    pub counts: Counts,
    pub labels: Vec<String>,
}

/// Every series an agreement's goals read that slac can compute from events.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub histograms: Vec<Histogram>,
    pub counters: Vec<Counter>,
}

impl Plan {
    pub fn of(a: &Agreement) -> Plan {
        let mut plan = Plan::default();
        let mut counters = BTreeSet::new();
        for g in &a.goals {
            let m = &g.metric;
            match m.kind {
                MetricKind::Latency => plan.add_histogram(g),
                MetricKind::Count => {
                    if let Some(s) = &m.series {
                        plan.add_counter(&mut counters, s, m.events, Counts::Events, g);
                    }
                }
                MetricKind::Ratio => plan.add_ratio(&mut counters, g),
            }
        }
        for h in &mut plan.histograms {
            h.bounds.extend(LADDER);
            h.bounds.sort_unstable();
            h.bounds.dedup();
        }
        plan
    }

    fn add_histogram(&mut self, g: &Goal) {
        let m = &g.metric;
        let (Some(series), Some((_, stop))) = (&m.series, &m.measure) else {
            return;
        };
        // Next reply and periodic update are timed on the conversation's
        // messages; resolution too when they have status rows.
        let conversation = Measure::of(m);
        let threshold = match &g.target {
            Target::Within { within, .. } => Some(within.0),
            Target::Quantile { max, .. } => Some(max.0),
            _ => None,
        };
        let found = self.histograms.iter_mut().find(|h| {
            h.series == *series
                && h.clock == g.clock
                && h.pause == g.pause
                && h.replies == g.replies
        });
        let h = match found {
            Some(h) => h,
            None => {
                self.histograms.push(Histogram {
                    series: series.clone(),
                    clock: g.clock.clone(),
                    source: m.events,
                    stop_field: stop.clone(),
                    labels: m.labels.clone(),
                    bounds: Vec::new(),
                    pause: g.pause.clone(),
                    conversation,
                    replies: g.replies,
                });
                self.histograms.last_mut().expect("just pushed")
            }
        };
        h.bounds.extend(threshold);
    }

    /// Whether some histogram needs each inquiry's stored case.
    pub fn by_case(&self) -> bool {
        self.histograms.iter().any(Histogram::by_case)
    }

    fn add_ratio(&mut self, seen: &mut BTreeSet<String>, g: &Goal) {
        let m = &g.metric;
        let Some(num) = &m.numerator else { return };
        match m.events {
            EventSource::Inquiries => {
                self.add_counter(seen, &num.series, m.events, Counts::Answered, g);
                for d in &m.denominators {
                    self.add_counter(seen, &d.series, m.events, Counts::RequiringResponse, g);
                }
            }
            EventSource::Posts => {
                for s in std::iter::once(num).chain(&m.denominators) {
                    if let Some(f) = PostField::parse(&s.name) {
                        self.add_counter(seen, &s.series, m.events, Counts::PostField(f), g);
                    }
                }
            }
            EventSource::Approvals | EventSource::Incidents => {}
        }
    }

    fn add_counter(
        &mut self,
        seen: &mut BTreeSet<String>,
        series: &str,
        source: EventSource,
        counts: Counts,
        g: &Goal,
    ) {
        if seen.insert(series.to_string()) {
            self.counters.push(Counter {
                series: series.to_string(),
                source,
                counts,
                labels: g.metric.labels.clone(),
            });
        }
    }
}

/// What one event adds to the agreement's series.
pub struct Worth<'a> {
    pub agreement: &'a Agreement,
    pub plan: &'a Plan,
    pub clocks: &'a Clocks,
    pub tz: chrono_tz::Tz,
}

/// Adds `sign` times the event's contribution to every series into `out`.
/// Events outside the term count nowhere (semantics point 15); a stop
/// counts once it is known.
impl Worth<'_> {
    pub fn add(&self, ev: &Event, sign: i64, out: &mut BTreeMap<(SeriesKey, Unit), i64>) {
        let Some(start) = start_of(ev) else { return };
        let day = periods::local_date(self.tz, start);
        let term = &self.agreement.term;
        if day < term.start || day > term.end {
            return;
        }
        for h in &self.plan.histograms {
            self.observe(h, ev, start, sign, out);
        }
        for c in &self.plan.counters {
            if source_of(ev) != Some(c.source) {
                continue;
            }
            let n = counted(c.counts, ev);
            let key = SeriesKey {
                name: c.series.clone(),
                labels: self.labels(&c.labels, ev, None),
                le: String::new(),
            };
            *out.entry((key, Unit::Count)).or_default() += sign * n;
        }
    }

    fn observe(
        &self,
        h: &Histogram,
        ev: &Event,
        start: Time,
        sign: i64,
        out: &mut BTreeMap<(SeriesKey, Unit), i64>,
    ) {
        if source_of(ev) != Some(h.source) || h.by_case() {
            return;
        }
        if let Event::Inquiry(i) = ev {
            if !i.requires_response {
                return;
            }
        }
        let Some(stop) = stop_of(ev, &h.stop_field) else {
            return;
        };
        // Exact to the microsecond: a bucket's `le` and the sum never round.
        let elapsed = self.clocks.elapsed(&h.clock, platform_of(ev), start, stop);
        let labels = self.labels(&h.labels, ev, Some(&h.clock));
        put_observation(h, labels, elapsed, sign, out);
    }

    /// The labels of histogram `h`'s series for `ev`: its dimensions, its
    /// clock, its `pause` label when its clock pauses, and `replies` when
    /// only a person's reply stops it.
    pub fn histogram_labels(&self, h: &Histogram, ev: &Event) -> Vec<(String, String)> {
        let mut labels = self.labels(&h.labels, ev, Some(&h.clock));
        if !h.pause.is_empty() {
            labels.push(("pause".to_string(), crate::model::pause_label(&h.pause)));
        }
        if let Some(author) = h.replies.keyword() {
            labels.push(("replies".to_string(), author.to_string()));
        }
        labels.sort();
        labels
    }

    fn labels(&self, names: &[String], ev: &Event, clock: Option<&Clock>) -> Vec<(String, String)> {
        let mut out = vec![("agreement".to_string(), self.agreement.name.clone())];
        if let Some(c) = clock {
            out.push(("clock".to_string(), c.name().to_string()));
        }
        for n in names {
            out.push((n.clone(), dimension(ev, n).unwrap_or_default().to_string()));
        }
        out.sort();
        out
    }
}

pub use crate::model::go_float;

/// Adds `sign` times one observation of `elapsed` to histogram `h`'s series
/// with `labels`: its bucket, its count and its sum.
pub fn put_observation(
    h: &Histogram,
    labels: Vec<(String, String)>,
    elapsed: crate::clock::Micros,
    sign: i64,
    out: &mut BTreeMap<(SeriesKey, Unit), i64>,
) {
    let mut put = |name: String, le: String, unit: Unit, v: i64| {
        let key = SeriesKey {
            name,
            labels: labels.clone(),
            le,
        };
        *out.entry((key, unit)).or_default() += sign * v;
    };
    let le = h
        .bounds
        .iter()
        .find(|b| elapsed.within(**b))
        .map_or_else(|| "+Inf".to_string(), |b| go_float(*b));
    put(format!("{}_bucket", h.series), le, Unit::Count, 1);
    put(format!("{}_count", h.series), String::new(), Unit::Count, 1);
    let micros = i64::try_from(elapsed.0).unwrap_or(i64::MAX);
    put(
        format!("{}_sum", h.series),
        String::new(),
        Unit::Micros,
        micros,
    );
}

fn counted(counts: Counts, ev: &Event) -> i64 {
    let n = match (counts, ev) {
        (Counts::Events, _) => 1,
        (Counts::RequiringResponse, Event::Inquiry(i)) => u64::from(i.requires_response),
        (Counts::Answered, Event::Inquiry(i)) => {
            u64::from(i.requires_response && i.first_response_at.is_some())
        }
        (Counts::PostField(f), Event::Post(p)) => match f {
            PostField::Engagements => p.engagements,
            PostField::Impressions => p.impressions,
            PostField::Reach => p.reach,
            PostField::Followers => p.followers,
        },
        _ => 0,
    };
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The source an event belongs to (exclusion windows belong to none).
pub fn source_of(ev: &Event) -> Option<EventSource> {
    Some(match ev {
        Event::Inquiry(_) => EventSource::Inquiries,
        Event::Post(_) => EventSource::Posts,
        Event::Approval(_) => EventSource::Approvals,
        Event::Incident(_) => EventSource::Incidents,
        Event::Exclusion(_) | Event::Message(_) | Event::Wait(_) => return None,
    })
}

/// When an event started: the instant that attributes it to a period.
pub fn start_of(ev: &Event) -> Option<Time> {
    Some(match ev {
        Event::Inquiry(i) => i.received_at,
        Event::Post(p) => p.published_at,
        Event::Approval(a) => a.requested_at,
        Event::Incident(i) => i.detected_at,
        Event::Exclusion(_) | Event::Message(_) | Event::Wait(_) => return None,
    })
}

pub fn stop_of(ev: &Event, field: &str) -> Option<Time> {
    match (ev, field) {
        (Event::Inquiry(i), "first_response_at") => i.first_response_at,
        (Event::Inquiry(i), "resolved_at") => i.resolved_at,
        (Event::Approval(a), "decided_at") => a.decided_at,
        (Event::Incident(i), "acknowledged_at") => i.acknowledged_at,
        (Event::Incident(i), "resolved_at") => i.resolved_at,
        _ => None,
    }
}

fn platform_of(ev: &Event) -> &str {
    match ev {
        Event::Inquiry(i) => &i.platform,
        Event::Post(p) => &p.platform,
        Event::Incident(i) => &i.platform,
        Event::Approval(_) | Event::Message(_) => "",
        Event::Exclusion(w) => &w.platform,
        Event::Wait(_) => "",
    }
}

/// The value of a `where` dimension on an event.
fn dimension<'e>(ev: &'e Event, name: &str) -> Option<&'e str> {
    Some(match (ev, name) {
        (Event::Inquiry(i), "platform") => &i.platform,
        (Event::Inquiry(i), "channel") => &i.channel,
        (Event::Inquiry(i), "priority") => &i.priority,
        (Event::Inquiry(i), "audience") => &i.audience,
        (Event::Post(p), "platform") => &p.platform,
        (Event::Post(p), "audience") => &p.audience,
        (Event::Approval(a), "approval") => &a.approval,
        (Event::Approval(a), "step") => &a.step,
        (Event::Approval(a), "decision") => &a.decision,
        (Event::Incident(i), "escalation") => &i.escalation,
        (Event::Incident(i), "tier") => &i.tier,
        (Event::Incident(i), "platform") => &i.platform,
        _ => return None,
    })
}

/// A pending item's gauge: the approval step or incident, how long it has
/// waited on its clock at `now`, and its labels.
pub fn waiting(a: &Agreement, clocks: &Clocks, ev: &Event, now: Time) -> Option<(SeriesKey, u64)> {
    let (name, labels, clock, platform, start) = match ev {
        Event::Approval(r) if r.decided_at.is_none_or(|d| d > now) => {
            let flow = a.approvals.iter().find(|x| x.id == r.approval)?;
            let step = flow.steps.iter().find(|s| s.id == r.step)?;
            let labels = vec![
                ("approval", r.approval.clone()),
                ("post_id", r.post_id.clone()),
                ("step", r.step.clone()),
            ];
            let series = "slac_approval_pending_seconds";
            (series, labels, &step.clock, "", r.requested_at)
        }
        Event::Incident(i) if i.acknowledged_at.is_none_or(|t| t > now) => {
            let esc = a.escalation(&i.escalation)?;
            let labels = vec![
                ("escalation", i.escalation.clone()),
                ("incident", i.id.clone()),
                ("severity", i.tier.clone()),
            ];
            let series = "slac_incident_unacknowledged_seconds";
            (
                series,
                labels,
                &esc.clock,
                i.platform.as_str(),
                i.detected_at,
            )
        }
        _ => return None,
    };
    if start > now {
        return None;
    }
    let mut labels: Vec<(String, String)> = labels
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    labels.push(("agreement".into(), a.name.clone()));
    labels.sort();
    let key = SeriesKey {
        name: name.to_string(),
        labels,
        le: String::new(),
    };
    // Whole seconds rounded up, so the gauge passes a threshold as soon as
    // the exact time does.
    Some((key, clocks.elapsed(clock, platform, start, now).ceil_secs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_spelled_as_go_writes_them() {
        assert_eq!(go_float(3600), "3600");
        assert_eq!(go_float(999_999), "999999");
        assert_eq!(go_float(1_000_000), "1e+06");
        assert_eq!(go_float(1_209_600), "1.2096e+06");
        assert_eq!(go_float(2_592_000), "2.592e+06");
    }

    #[test]
    fn label_values_are_escaped_for_the_text_format() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
