//! What a `bd` duration comes to in a hover: its clock's calendar is found
//! from the editor's parsed files (no check needed) and its open lines give
//! the length of a business day.

use super::world::{Parsed, World};
use crate::business_day::{self, Uneven};
use crate::check::values;
use crate::model::DayKeyword;
use crate::model::{OpenHours, Seconds};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, CalendarClause, Item};
use crate::syntax::index::{Ref, Scope, SymbolKind};

/// `n` business days on the calendar named `clock`, as hover text.
pub fn resolve(world: &World, file: &Parsed, clock: &str, n: u64) -> String {
    let Some(open) = calendar_open(world, file, clock) else {
        return format!("\n\nCalendar `{clock}` is not found, so `{n}bd` has no length.");
    };
    match business_day::length(&open) {
        Ok(day) => format!(
            "\n\nOn clock `{clock}` a business day is `{day}` of open hours: `{n}bd` = `{}` of business time.",
            Seconds(n * day.0)
        ),
        Err(Uneven::Differ((a, la), (b, lb))) => format!(
            "\n\nCalendar `{clock}` is open `{la}` on `{}` but `{lb}` on `{}`: a business day has no one length (E0327).",
            a.keyword(),
            b.keyword()
        ),
        Err(Uneven::NeverOpen) => format!("\n\nCalendar `{clock}` is never open."),
    }
}

/// The open lines of the calendar `clock` names, local or imported.
fn calendar_open(world: &World, file: &Parsed, clock: &str) -> Option<Vec<OpenHours>> {
    let (alias, key) = match clock.split_once('.') {
        Some((a, k)) => (Some(a.to_string()), k),
        None => (None, clock),
    };
    let r = Ref {
        kind: SymbolKind::Calendar,
        key: key.to_string(),
        span: Span { start: 0, end: 0 },
        scope: Scope::File,
        alias,
    };
    let target = world.resolve(file, &r)?;
    let decl_file = world.file(&target.file)?;
    decl_file
        .ast
        .as_ref()?
        .items
        .iter()
        .find_map(|item| match &item.kind {
            Item::Calendar(c) if c.name.text == key => Some(open_lines(c)),
            _ => None,
        })
}

/// The calendar's `open` lines; lines with invalid times are left out.
fn open_lines(c: &ast::Calendar) -> Vec<OpenHours> {
    let mut out = Vec::new();
    for clause in &c.clauses {
        let CalendarClause::Open { days, start, end } = &clause.kind else {
            continue;
        };
        let (Ok(start), Ok(end)) = (
            values::time_of_day(FileId(0), start, false),
            values::time_of_day(FileId(0), end, true),
        ) else {
            continue;
        };
        let days = days.iter().flat_map(expand).collect();
        out.push(OpenHours { days, start, end });
    }
    out
}

/// `mon-fri` as its weekdays.
fn expand(d: &ast::DaySpec) -> Vec<chrono::Weekday> {
    let from = values::weekday(&d.from.text);
    let to = d.to.as_ref().map_or(from, |t| values::weekday(&t.text));
    let mut out = vec![from];
    while out.last() != Some(&to) {
        out.push(out.last().unwrap().succ());
    }
    out
}
