//! The report for the people who read it (`--audience client|provider`):
//! the brand's marketing manager, the agency's account lead. Service
//! levels in the contract's own plain sentences (`render::sentences`),
//! results in words ("26 minutes 41 seconds, the 20th fastest of 21"), a
//! trend across periods, and no file paths, internal names, DSL or docs
//! references. The provider's view adds what became of the data and the
//! notes.

use super::layout::{short_time, status};
use super::workflow::{Deadline, StepReport, TierReport};
use super::{goal_chart, EventLine, GoalPeriod, GoalReport, Report, Value};
use crate::document::{col, num, Block, Column, Document, Line};
use crate::model::{Agreement, Goal, Seconds, Target};
use crate::render::words::{self, duration_on, ordinal, period, title_case};

/// Who the report is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// The brand: results, credits and trends in plain words.
    Client,
    /// The agency: the client's view, plus what became of the data.
    Provider,
    /// The team running slac: every id, file and rule (`layout`).
    Internal,
}

struct Reader<'a> {
    r: &'a Report,
    a: &'a Agreement,
    d: Document,
}

pub fn document(r: &Report, a: &Agreement, audience: Audience) -> Document {
    let mut w = Reader {
        r,
        a,
        d: Document {
            title: format!("Service report: {}", r.agreement.title),
            blocks: Vec::new(),
        },
    };
    w.d.heading(1, w.d.title.clone());
    w.front_matter();
    w.summary();
    w.trend();
    w.credits();
    w.d.heading(2, "Service levels");
    for g in &r.goals {
        w.goal(g);
    }
    w.approvals(&r.approvals);
    w.escalations(&r.escalations);
    if audience == Audience::Provider {
        w.data();
    }
    let client = r.agreement.clients.join(", ");
    let provider = r.agreement.providers.join(", ");
    w.d.blocks.push(Block::Footer(Line::text(format!(
        "Prepared for {client} by {provider} with slac {}, as of {}.",
        r.slac_version,
        short_time(&r.as_of)
    ))));
    w.d
}

/// A measured value in words.
fn measured(v: Option<&Value>, display: &str) -> String {
    match v {
        // "no data", or for a goal with segments and no single value,
        // how many parts were met.
        None => display.to_string(),
        Some(Value::Within { good, total }) => format!(
            "{} ({good} of {total} in time)",
            super::evaluate::percent(*good, *total)
        ),
        Some(Value::Quantile {
            rank,
            total,
            seconds,
            ..
        }) => {
            // "the 20th fastest of 21", but "the slowest of 4" and "the
            // only one" where a rank would read oddly.
            let which = match (*rank, *total) {
                (_, 1) => "the only one".to_string(),
                (r, t) if r == t => format!("the slowest of {t}"),
                (r, t) => format!("the {} fastest of {t}", ordinal(r)),
            };
            match seconds {
                Some(s) => format!("{}, {which}", words::elapsed(*s)),
                None => format!("not answered: {which} had no reply"),
            }
        }
        Some(Value::Mean {
            sum_seconds, total, ..
        }) => match sum_seconds {
            Some(s) => format!("{} on average", words::elapsed(s.div_ceil((*total).max(1)))),
            None => "no average: an item had no reply".into(),
        },
        Some(Value::Ratio {
            numerator,
            denominator,
        }) => format!(
            "{} ({numerator} of {denominator})",
            super::evaluate::percent(*numerator, *denominator)
        ),
        Some(Value::Count { .. }) => display.to_string(),
    }
}

/// A goal's target in words: "90% within 1 hour of Berlin Office Hours".
fn target(a: &Agreement, g: &Goal) -> String {
    match &g.target {
        Target::Within { ratio, within } => {
            format!(
                "{} within {}",
                ratio.percent(),
                duration_on(a, *within, &g.clock)
            )
        }
        Target::Quantile { quantile, max } => format!(
            "{} within {}",
            quantile.percent(),
            duration_on(a, *max, &g.clock)
        ),
        Target::Mean { max } => format!("on average within {}", duration_on(a, *max, &g.clock)),
        Target::Ratio { bound, ratio } => format!("{} {}", bound_words(*bound), ratio.percent()),
        Target::Rate { bound, count, per } => {
            format!("{} {count} per {}", bound_words(*bound), per.keyword())
        }
    }
}

/// An amount as the front matter writes the fee: "12,000.00 EUR".
fn money(m: &super::Money) -> String {
    words::money(m.cents, &m.currency)
}

/// A period or bucket under a chart's bar: "February 2026", "week 7".
fn chart_label(label: &str) -> String {
    match label.split_once("-W") {
        Some((_, w)) => format!("week {}", w.trim_start_matches('0')),
        None => period(label),
    }
}

fn bound_words(b: crate::model::Bound) -> &'static str {
    match b {
        crate::model::Bound::AtLeast => "at least",
        crate::model::Bound::AtMost => "at most",
    }
}

impl Reader<'_> {
    fn model_goal(&self, g: &GoalReport) -> Option<&Goal> {
        self.a.goals.iter().find(|x| x.id == g.id)
    }

    fn target(&self, g: &GoalReport) -> String {
        self.model_goal(g)
            .map(|m| target(self.a, m))
            .unwrap_or_else(|| g.target.clone())
    }

    fn front_matter(&mut self) {
        let (r, a) = (self.r, self.a);
        let mut facts: Vec<(&'static str, Line)> = vec![
            ("Client", r.agreement.clients.join(", ").into()),
            ("Provider", r.agreement.providers.join(", ").into()),
        ];
        if !r.periods.is_empty() {
            let names: Vec<String> = r.periods.iter().map(|p| period(p)).collect();
            facts.push(("Periods", words::list(&names, "and").into()));
        }
        if let Some(sel) = &r.selection {
            facts.push(("Asked for", period(sel).into()));
        }
        facts.push(("Time zone", r.agreement.timezone.as_str().into()));
        facts.push(("As of", short_time(&r.as_of).into()));
        if let Some(fee) = &a.fee {
            facts.push((
                "Fee",
                format!(
                    "{} per {}",
                    words::money(fee.cents, &fee.currency),
                    fee.per.keyword()
                )
                .into(),
            ));
        }
        if !a.exclusions.is_empty() {
            let kinds: Vec<String> = a
                .exclusions
                .iter()
                .map(|e| title_case(e.keyword()))
                .collect();
            facts.push(("Excluded time", words::list(&kinds, "and").into()));
        }
        self.d.blocks.push(Block::Facts(facts));
    }

    fn summary(&mut self) {
        let s = &self.r.summary;
        self.d.heading(2, "Summary");
        let mut headline = Line::text(format!(
            "{} of {} service-level results met, {} missed, {} without data.",
            s.met, s.results, s.missed, s.no_data
        ));
        if let Some(m) = &s.credit_owed {
            headline = headline.t(" Credit owed: ").b(money(m)).t(".");
        }
        self.d.paragraph(headline);
        let mut rows = Vec::new();
        for g in &self.r.goals {
            for p in &g.results {
                rows.push(vec![
                    g.title.as_str().into(),
                    period(&p.period).into(),
                    self.target(g).into(),
                    measured(p.value.as_ref(), &p.display).into(),
                    status(p.status),
                    p.credit
                        .as_ref()
                        .map_or_else(|| "–".to_string(), money)
                        .into(),
                ]);
            }
        }
        self.d.table(
            &[
                col("Service level"),
                col("Period"),
                col("Target"),
                col("Result"),
                col("Status"),
                num("Credit"),
            ],
            rows,
        );
    }

    /// Every goal's status per period, side by side.
    fn trend(&mut self) {
        let periods = &self.r.periods;
        if periods.len() < 2 {
            return;
        }
        self.d.heading(2, "Trend");
        self.d.paragraph(format!(
            "Each service level over the {} periods of this report.",
            periods.len()
        ));
        let mut columns = vec![col("Service level")];
        columns.extend(periods.iter().map(|p| Column {
            title: period(p).into(),
            numeric: false,
        }));
        let rows = self
            .r
            .goals
            .iter()
            .map(|g| {
                let mut row = vec![Line::text(g.title.as_str())];
                row.extend(periods.iter().map(|p| {
                    g.results
                        .iter()
                        .find(|x| &x.period == p)
                        .map_or_else(|| Line::text("–"), |x| status(x.status))
                }));
                row
            })
            .collect();
        self.d.table(&columns, rows);
    }

    fn credits(&mut self) {
        if self.r.credits.is_empty() {
            return;
        }
        self.d.heading(2, "Credits");
        let title = |id: &str| {
            self.r
                .goals
                .iter()
                .find(|g| g.id == id)
                .map_or_else(|| title_case(id), |g| g.title.clone())
        };
        let rows = self
            .r
            .credits
            .iter()
            .map(|c| {
                let missed: Vec<String> = c
                    .items
                    .iter()
                    .map(|i| format!("{} ({})", title(&i.goal), money(&i.amount)))
                    .collect();
                vec![
                    period(&c.period).into(),
                    money(&c.fee).into(),
                    if missed.is_empty() {
                        "none".to_string()
                    } else {
                        missed.join("; ")
                    }
                    .into(),
                    Line::new().b(money(&c.owed)),
                ]
            })
            .collect();
        self.d.table(
            &[
                col("Period"),
                num("Fee"),
                col("Missed service levels"),
                num("Credit owed"),
            ],
            rows,
        );
    }

    fn goal(&mut self, g: &GoalReport) {
        self.d.heading(3, g.title.as_str());
        if let Some(m) = self.model_goal(g) {
            let mut text = crate::render::sentences::goal(self.a, m);
            if !m.pause.is_empty() {
                text.push_str(&crate::render::sentences::pause(&m.pause));
            }
            text.push_str(crate::render::sentences::replies(m.replies));
            if !g.binding {
                text.push_str(" This service level is reported for information, without credits.");
            }
            self.d.paragraph(text);
        }
        let mut chart = goal_chart::chart(g);
        chart.title = format!("{}: result per period against the target", g.title);
        for bar in &mut chart.bars {
            bar.label = chart_label(&bar.label);
        }
        chart.target_text = self.target(g);
        self.d.blocks.push(Block::Chart(chart));
        let rows = g
            .results
            .iter()
            .map(|p| {
                vec![
                    period(&p.period).into(),
                    measured(p.value.as_ref(), &p.display).into(),
                    p.counted.to_string().into(),
                    p.pending.to_string().into(),
                    p.misses.to_string().into(),
                    status(p.status),
                ]
            })
            .collect();
        self.d.table(&result_columns("Period"), rows);
        let waited = self
            .model_goal(g)
            .map(|m| crate::render::sentences::waiting_on(&m.pause));
        for p in &g.results {
            if let (Some(x), Some(who)) = (&p.paused, &waited) {
                self.d.paragraph(format!(
                    "In {}, the clock stood still for {} while {} {} waited on {}.",
                    period(&p.period),
                    words::elapsed(x.seconds),
                    x.items,
                    if x.items == 1 { "inquiry" } else { "inquiries" },
                    who
                ));
            }
            self.by_platform(g, p);
            self.by_segment(g, p);
            self.distribution(g, p);
            if p.worst.is_empty() {
                continue;
            }
            self.d.paragraph(format!(
                "The slowest of the {} missed in {} ({} shown):",
                p.misses,
                period(&p.period),
                p.worst.len()
            ));
            self.events(&p.worst, &g.clock);
        }
    }

    /// A goal with segments: each part's result against its own target,
    /// beside the whole goal's.
    fn by_segment(&mut self, g: &GoalReport, p: &GoalPeriod) {
        let a = self.a;
        let m = a.goals.iter().find(|x| x.id == g.id);
        let Some(m) = m.filter(|_| !p.segments.is_empty()) else {
            return;
        };
        self.d.paragraph(format!(
            "By segment in {}, each against its own target; the service level is met when no segment is missed:",
            period(&p.period)
        ));
        let mut rows: Vec<Vec<Line>> = Vec::new();
        for (i, s) in p.segments.iter().enumerate() {
            let part_target = m.segments.get(i).map_or(&m.target, |x| &x.target);
            let view = Goal {
                target: part_target.clone(),
                ..m.clone()
            };
            let r = &s.result;
            let name = if s.rest {
                "All other items".to_string()
            } else {
                s.label()
            };
            rows.push(vec![
                format!("{name}: {}", target(a, &view)).into(),
                measured(r.value.as_ref(), &r.display).into(),
                r.counted.to_string().into(),
                r.pending.to_string().into(),
                r.misses.to_string().into(),
                status(r.status),
            ]);
        }
        self.d.table(&result_columns("Segment"), rows);
    }

    /// A period's result per platform, beside the result for all of them.
    fn by_platform(&mut self, g: &GoalReport, p: &GoalPeriod) {
        // One platform alone would repeat the line for all of them.
        if p.platforms.len() < 2 {
            return;
        }
        self.d.paragraph(format!(
            "By platform in {}, each against the same target ({}); the service level itself is judged on all platforms together:",
            period(&p.period),
            self.target(g)
        ));
        let row = |name: String, x: (&Option<Value>, &str, u64, u64, u64, super::Status)| {
            vec![
                name.into(),
                measured(x.0.as_ref(), x.1).into(),
                x.2.to_string().into(),
                x.3.to_string().into(),
                x.4.to_string().into(),
                status(x.5),
            ]
        };
        let mut rows = vec![row(
            "All platforms".into(),
            (
                &p.value, &p.display, p.counted, p.pending, p.misses, p.status,
            ),
        )];
        for x in &p.platforms {
            let name = if x.platform.is_empty() {
                "No platform".to_string()
            } else {
                words::platform(self.a, &x.platform)
            };
            rows.push(row(
                name,
                (
                    &x.value, &x.display, x.counted, x.pending, x.misses, x.status,
                ),
            ));
        }
        self.d.table(&result_columns("Platform"), rows);
    }

    /// How long a period's counted items took, in bands sized from the
    /// deadline: a histogram and the same numbers as a table.
    fn distribution(&mut self, g: &GoalReport, p: &GoalPeriod) {
        let Some(deadline) = g.target_spec.deadline_seconds() else {
            return;
        };
        if p.distribution.is_empty() {
            return;
        }
        let model = self.model_goal(g);
        let things = model.map_or("items", |m| m.metric.events.keyword());
        let calendar = model.and_then(|m| self.a.calendar(&m.clock));
        let on = calendar.map_or_else(String::new, |c| format!(", in {}", words::calendar_term(c)));
        let time = |s: u64| words::duration(Seconds(s));
        self.d.paragraph(format!(
            "How long the {} {things} counted in {} took{on}, against the deadline of {}:",
            p.counted,
            period(&p.period),
            time(deadline)
        ));
        self.d
            .blocks
            .push(Block::Histogram(goal_chart::distribution(
                format!(
                    "{}: how long the {things} of {} took",
                    g.title,
                    period(&p.period)
                ),
                &p.distribution,
                format!("deadline: {}", time(deadline)),
                |b| goal_chart::band_lines(b, time, "still open"),
            )));
        let took = if calendar.is_some() {
            col("Business time taken")
        } else {
            col("Time taken")
        };
        let within = Column {
            title: format!("Within {}", time(deadline)).into(),
            numeric: false,
        };
        let rows = goal_chart::band_rows(&p.distribution, p.counted, time, "still open");
        self.d
            .table(&[took, num("Count"), num("Share"), within], rows);
    }

    /// Items with the time each took, in business time on a calendar
    /// clock (`clock` is the goal's clock name; `always` is wall time).
    fn events(&mut self, events: &[EventLine], clock: &str) {
        let rows = events
            .iter()
            .map(|e| {
                let took = words::elapsed(e.elapsed_seconds);
                vec![
                    e.id.as_str().into(),
                    if e.platform.is_empty() {
                        "–".to_string()
                    } else {
                        words::platform(self.a, &e.platform)
                    }
                    .into(),
                    short_time(&e.start).into(),
                    if e.open {
                        format!("{took} so far, still open")
                    } else {
                        took
                    }
                    .into(),
                ]
            })
            .collect();
        let took = if clock == "always" {
            col("Time taken")
        } else {
            col("Business time taken")
        };
        self.d
            .table(&[col("Item"), col("Platform"), col("Started"), took], rows);
    }

    fn approvals(&mut self, steps: &[StepReport]) {
        if steps.is_empty() {
            return;
        }
        self.d.heading(2, "Approvals");
        let mut rows = Vec::new();
        for st in steps {
            for p in &st.results {
                let dl = &p.deadline;
                rows.push(vec![
                    format!("{}: {}", st.title, title_case(&st.step)).into(),
                    period(&p.period).into(),
                    dl.counted.to_string().into(),
                    dl.on_time.to_string().into(),
                    (dl.late + dl.overdue).to_string().into(),
                    p.settled_by_silence.to_string().into(),
                    dl.pending.to_string().into(),
                    status(p.status),
                ]);
            }
        }
        self.d.table(
            &[
                col("Step"),
                col("Period"),
                num("Requests"),
                num("Decided in time"),
                num("Late"),
                num("Settled by silence"),
                num("Waiting"),
                col("Status"),
            ],
            rows,
        );
    }

    fn escalations(&mut self, tiers: &[TierReport]) {
        if tiers.is_empty() {
            return;
        }
        self.d.heading(2, "Escalations");
        let in_time = |d: &Option<Deadline>| -> Line {
            match d {
                Some(d) if d.counted > 0 => format!("{} of {}", d.on_time, d.counted).into(),
                _ => "–".into(),
            }
        };
        let mut rows = Vec::new();
        for t in tiers {
            for p in &t.results {
                rows.push(vec![
                    format!("{}: {}", t.title, title_case(&t.tier)).into(),
                    period(&p.period).into(),
                    p.incidents.to_string().into(),
                    in_time(&p.acknowledge),
                    in_time(&p.resolve),
                    status(p.status),
                ]);
            }
        }
        self.d.table(
            &[
                col("Tier"),
                col("Period"),
                num("Incidents"),
                col("Acknowledged in time"),
                col("Resolved in time"),
                col("Status"),
            ],
            rows,
        );
    }

    /// The provider's view: what became of every kind of data, without
    /// file paths, and the notes.
    fn data(&mut self) {
        self.d.heading(2, "Data");
        let rows = self
            .r
            .data
            .iter()
            .map(|f| {
                vec![
                    title_case(f.kind).into(),
                    f.read.to_string().into(),
                    f.counted.to_string().into(),
                    f.pending.to_string().into(),
                    f.excluded.to_string().into(),
                ]
            })
            .collect();
        self.d.table(
            &[
                col("Data"),
                num("Read"),
                num("Counted"),
                num("Still open"),
                num("Excluded"),
            ],
            rows,
        );
        if !self.r.notes.is_empty() {
            let items = self.r.notes.iter().map(|n| Line::ticked(n)).collect();
            self.d.blocks.push(Block::Items(items));
        }
    }
}

/// The columns of a table of results, one row a period or a platform.
fn result_columns(first: &'static str) -> [Column; 6] {
    [
        col(first),
        col("Result"),
        num("Counted"),
        num("Still open"),
        num("Missed"),
        col("Status"),
    ]
}
