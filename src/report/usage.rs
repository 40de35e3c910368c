//! What became of every row read: counted by some goal, pending, or
//! excluded, and why. Nothing is silently dropped: read = counted + pending
//! + excluded, and the reasons add up to the excluded rows.

use super::context::Context;
use super::events::{Data, ExclusionWindow, Time};
use super::periods;
use super::read::FileKind;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Use {
    Unused,
    Pending,
    Counted,
}

pub struct Usage {
    rows: BTreeMap<FileKind, Vec<Use>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct FileSummary {
    pub kind: &'static str,
    /// The file read, or `None` when the directory has none.
    pub file: Option<String>,
    pub read: u64,
    pub counted: u64,
    pub pending: u64,
    pub excluded: u64,
    /// Why rows were excluded, with how many each.
    pub excluded_because: BTreeMap<&'static str, u64>,
}

impl FileSummary {
    /// A file whose rows all count or are left out for one reason.
    fn used(
        kind: FileKind,
        file: &Option<String>,
        read: u64,
        counted: u64,
        reason: &'static str,
    ) -> Self {
        let mut excluded_because = BTreeMap::new();
        if read > counted {
            excluded_because.insert(reason, read - counted);
        }
        FileSummary {
            kind: kind.stem(),
            file: file.clone(),
            read,
            counted,
            pending: 0,
            excluded: read - counted,
            excluded_because,
        }
    }

    /// The file read, or the kind of data with `(none)` when no file was given.
    pub fn display_name(&self) -> String {
        self.file
            .clone()
            .unwrap_or_else(|| format!("{} (none)", self.kind))
    }

    /// Why rows were excluded, as `reason: count` entries.
    pub fn exclusion_reasons(&self) -> Vec<String> {
        self.excluded_because
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect()
    }
}

impl Usage {
    pub fn new(data: &Data) -> Usage {
        let mut rows = BTreeMap::new();
        rows.insert(
            FileKind::Inquiries,
            vec![Use::Unused; data.inquiries.rows.len()],
        );
        rows.insert(FileKind::Posts, vec![Use::Unused; data.posts.rows.len()]);
        rows.insert(
            FileKind::Approvals,
            vec![Use::Unused; data.approvals.rows.len()],
        );
        rows.insert(
            FileKind::Incidents,
            vec![Use::Unused; data.incidents.rows.len()],
        );
        Usage { rows }
    }

    /// Records a use of a row; a row counted by one goal and pending in
    /// another is counted.
    pub fn mark(&mut self, file: FileKind, index: usize, u: Use) {
        if let Some(v) = self.rows.get_mut(&file).and_then(|r| r.get_mut(index)) {
            *v = (*v).max(u);
        }
    }

    pub fn summarize(&self, ctx: &Context, honoured: &[&ExclusionWindow]) -> Vec<FileSummary> {
        let data = ctx.data;
        let reported = reported_periods(ctx);
        // Why an unused row with this start was left out.
        let reason = |start: Time, other: &'static str| -> &'static str {
            let day = periods::local_date(ctx.tz, start);
            if start > ctx.as_of {
                "after as-of"
            } else if !ctx.scope.in_term(day) {
                "outside the agreement's term"
            } else if !reported.iter().any(|p| p.holds(day)) {
                "outside the reported periods"
            } else {
                other
            }
        };
        let mut out = Vec::new();
        let mut file = |kind: FileKind, name: &Option<String>, why: Vec<&'static str>| {
            let uses = &self.rows[&kind];
            let mut s = FileSummary {
                kind: kind.stem(),
                file: name.clone(),
                read: uses.len() as u64,
                counted: 0,
                pending: 0,
                excluded: 0,
                excluded_because: BTreeMap::new(),
            };
            for (u, why) in uses.iter().zip(why) {
                match u {
                    Use::Counted => s.counted += 1,
                    Use::Pending => s.pending += 1,
                    Use::Unused => {
                        s.excluded += 1;
                        *s.excluded_because.entry(why).or_default() += 1;
                    }
                }
            }
            out.push(s);
        };
        file(
            FileKind::Inquiries,
            &data.inquiries.file,
            data.inquiries
                .rows
                .iter()
                .map(|i| {
                    if i.requires_response {
                        reason(i.received_at, "selected by no goal")
                    } else {
                        reason(i.received_at, "requires no response")
                    }
                })
                .collect(),
        );
        file(
            FileKind::Posts,
            &data.posts.file,
            data.posts
                .rows
                .iter()
                .map(|p| reason(p.published_at, "selected by no goal"))
                .collect(),
        );
        file(
            FileKind::Approvals,
            &data.approvals.file,
            data.approvals
                .rows
                .iter()
                .map(|a| reason(a.requested_at, "not timed"))
                .collect(),
        );
        file(
            FileKind::Incidents,
            &data.incidents.file,
            data.incidents
                .rows
                .iter()
                .map(|i| reason(i.detected_at, "tier has no deadline"))
                .collect(),
        );
        if data.messages.file.is_some() {
            out.push(self.messages(ctx));
        }
        // Exclusion windows are "counted" when the agreement honours their
        // kind: they then stop every clock for their platform.
        out.push(FileSummary::used(
            FileKind::Exclusions,
            &data.exclusions.file,
            data.exclusions.rows.len() as u64,
            honoured.len() as u64,
            "kind not excluded by the agreement",
        ));
        // Waits (listed only when the file was given) count when a goal
        // pauses on their party.
        if data.waits.file.is_some() {
            let parties: Vec<crate::model::WaitingOn> = ctx
                .agreement
                .goals
                .iter()
                .flat_map(|g| g.pause.iter().copied())
                .collect();
            let used = data
                .waits
                .rows
                .iter()
                .filter(|w| parties.contains(&w.on))
                .count() as u64;
            out.push(FileSummary::used(
                FileKind::Waits,
                &data.waits.file,
                data.waits.rows.len() as u64,
                used,
                "no goal pauses while waiting on its party",
            ));
        }
        out
    }
}

impl Usage {
    /// A message row is used as its conversation is: counted or pending
    /// when some goal counted its inquiry or has it pending.
    fn messages(&self, ctx: &Context) -> FileSummary {
        let inquiries = &self.rows[&FileKind::Inquiries];
        let total = ctx.data.messages.rows.len() as u64;
        let (mut counted, mut pending) = (0, 0);
        for (i, _) in ctx.threads.pairs() {
            match inquiries.get(i) {
                Some(Use::Counted) => counted += 1,
                Some(Use::Pending) => pending += 1,
                _ => {}
            }
        }
        let excluded = total - counted - pending;
        let mut because = BTreeMap::new();
        if excluded > 0 {
            because.insert("its conversation counted by no goal", excluded);
        }
        FileSummary {
            kind: FileKind::Messages.stem(),
            file: ctx.data.messages.file.clone(),
            read: total,
            counted,
            pending,
            excluded,
            excluded_because: because,
        }
    }
}

/// Every period any part of the report covers.
fn reported_periods(ctx: &Context) -> Vec<periods::PeriodKey> {
    let a = ctx.agreement;
    let mut kinds: Vec<crate::model::Period> = a.goals.iter().map(|g| g.period).collect();
    kinds.push(a.period);
    kinds.sort();
    kinds.dedup();
    let mut out: Vec<periods::PeriodKey> = kinds
        .into_iter()
        .flat_map(|k| ctx.scope.periods(k))
        .collect();
    // Count goals also look at the days of buckets that run past their
    // period (a week straddling two months).
    for g in &a.goals {
        if let crate::model::Target::Rate { per, .. } = g.target {
            let extra: Vec<_> = ctx
                .scope
                .periods(g.period)
                .iter()
                .flat_map(|p| periods::buckets(*p, per))
                .collect();
            out.extend(extra);
        }
    }
    out
}
