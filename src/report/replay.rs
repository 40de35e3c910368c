//! What a change to an agreement would have cost: the reports of the old
//! and the new version over the same past data, compared goal by goal and
//! period by period, with the credits each version owes. `slac diff
//! --with-data` prints it under the semantic changes.

use super::{Money, Report, Status};
use crate::document::{col, num, Document, Line};
use serde::Serialize;

/// One goal in one period under both versions; `None` where the version
/// does not have the goal.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub goal: String,
    pub period: String,
    pub old: Option<Outcome>,
    pub new: Option<Outcome>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    pub status: Status,
    pub measured: String,
    pub credit: Option<Money>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Replay {
    pub agreement: String,
    /// The agreement periods the data covers, first to last.
    pub periods: Vec<String>,
    pub rows: Vec<Row>,
    /// Credit owed over every period after the cap, under each version
    /// (zero without a fee).
    pub owed_old_cents: u64,
    pub owed_new_cents: u64,
    pub currency: Option<String>,
}

fn outcomes(r: &Report) -> Vec<(String, String, Outcome)> {
    let mut out = Vec::new();
    for g in &r.goals {
        for p in &g.results {
            out.push((
                g.id.clone(),
                p.period.clone(),
                Outcome {
                    status: p.status,
                    measured: p.display.clone(),
                    credit: p.credit.clone(),
                },
            ));
        }
    }
    out
}

/// The two reports side by side, in the new version's goal order, goals
/// only the old version has last.
pub fn compare(old: &Report, new: &Report) -> Replay {
    let (before, after) = (outcomes(old), outcomes(new));
    let mut rows: Vec<Row> = after
        .iter()
        .map(|(goal, period, o)| Row {
            goal: goal.clone(),
            period: period.clone(),
            old: before
                .iter()
                .find(|(g, p, _)| g == goal && p == period)
                .map(|(_, _, o)| o.clone()),
            new: Some(o.clone()),
        })
        .collect();
    for (goal, period, o) in &before {
        if !after.iter().any(|(g, p, _)| g == goal && p == period) {
            rows.push(Row {
                goal: goal.clone(),
                period: period.clone(),
                old: Some(o.clone()),
                new: None,
            });
        }
    }
    let owed = |r: &Report| r.summary.credit_owed.as_ref().map_or(0, |m| m.cents);
    let currency = [new, old]
        .iter()
        .find_map(|r| r.summary.credit_owed.as_ref().map(|m| m.currency.clone()));
    let mut periods = new.periods.clone();
    for p in &old.periods {
        if !periods.contains(p) {
            periods.push(p.clone());
        }
    }
    periods.sort();
    Replay {
        agreement: new.agreement.name.clone(),
        periods,
        rows,
        owed_old_cents: owed(old),
        owed_new_cents: owed(new),
        currency,
    }
}

impl Replay {
    /// New credits minus old ones, in cents: what the change would have
    /// cost the provider (negative: saved).
    pub fn difference_cents(&self) -> i128 {
        self.owed_new_cents as i128 - self.owed_old_cents as i128
    }

    fn span(&self) -> String {
        match (self.periods.first(), self.periods.last()) {
            (Some(a), Some(b)) if a != b => format!("{a} to {b}"),
            (Some(a), _) => a.clone(),
            _ => "no period".into(),
        }
    }

    /// The sentence a reviewer reads first.
    pub fn verdict(&self) -> String {
        let cur = self.currency.as_deref().unwrap_or("");
        let amount = |c: u128| Money::new(c as u64, cur).to_string();
        let d = self.difference_cents();
        match d.cmp(&0) {
            std::cmp::Ordering::Greater => format!(
                "Over {}, the provider would have owed {} more in credits under the new version ({} instead of {}); the client would have paid {} less.",
                self.span(),
                amount(d.unsigned_abs()),
                amount(self.owed_new_cents as u128),
                amount(self.owed_old_cents as u128),
                amount(d.unsigned_abs())
            ),
            std::cmp::Ordering::Less => format!(
                "Over {}, the provider would have owed {} less in credits under the new version ({} instead of {}); the client would have paid {} more.",
                self.span(),
                amount(d.unsigned_abs()),
                amount(self.owed_new_cents as u128),
                amount(self.owed_old_cents as u128),
                amount(d.unsigned_abs())
            ),
            std::cmp::Ordering::Equal if self.currency.is_some() => format!(
                "Over {}, both versions owe the same credits ({}).",
                self.span(),
                amount(self.owed_new_cents as u128)
            ),
            std::cmp::Ordering::Equal => format!(
                "Over {}, neither version has a fee, so no credit is owed.",
                self.span()
            ),
        }
    }

    /// The replay as a document: the verdict, then each goal and period
    /// under both versions, changed rows marked.
    pub fn document(&self) -> Document {
        let mut d = Document {
            title: format!("Replay of {}", self.agreement),
            blocks: Vec::new(),
        };
        d.heading(
            3,
            Line::text("Replayed over past data: ").c(&self.agreement),
        );
        d.paragraph(self.verdict());
        let show = |o: &Option<Outcome>| -> (Line, Line) {
            match o {
                None => ("not in this version".into(), "–".into()),
                Some(o) => (
                    format!("{} ({})", o.status.label(), o.measured).into(),
                    o.credit
                        .as_ref()
                        .map_or_else(|| "–".to_string(), |m| m.to_string())
                        .into(),
                ),
            }
        };
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let (old, old_credit) = show(&r.old);
                let (new, new_credit) = show(&r.new);
                let changed = if r.old == r.new { "" } else { "changed" };
                vec![
                    Line::code(&r.goal),
                    r.period.as_str().into(),
                    old,
                    old_credit,
                    new,
                    new_credit,
                    changed.into(),
                ]
            })
            .collect();
        d.table(
            &[
                col("Goal"),
                col("Period"),
                col("Old version"),
                num("Old credit"),
                col("New version"),
                num("New credit"),
                col(""),
            ],
            rows,
        );
        d
    }
}
