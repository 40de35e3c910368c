//! Defined terms (one per calendar the clauses use, plus business time)
//! and the schedules: contacts, calendars with their closed dates, and the
//! source files with their hashes.

use super::words::{calendar_term, clock_time, date, days, title_case};
use super::{Provenance, Writer};
use crate::document::{col, Line};
use crate::model::Calendar;

/// What a calendar's open time is, in one sentence's worth of words:
/// "Monday to Friday 09:00 to 17:00, Europe/Berlin time".
fn open_hours(cal: &Calendar) -> String {
    let windows: Vec<String> = cal
        .open
        .iter()
        .map(|o| {
            format!(
                "{} from {} to {}",
                days(&o.days),
                clock_time(o.start),
                clock_time(o.end)
            )
        })
        .collect();
    if windows.is_empty() {
        return format!("no time at all ({})", cal.timezone);
    }
    format!("{}, {} time", windows.join("; "), cal.timezone)
}

pub fn definitions(w: &mut Writer) {
    let a = w.a;
    w.clause("Definitions");
    for cal in a.calendars.values() {
        let closed = if cal.closed.is_empty() {
            String::new()
        } else {
            format!(
                ", excluding the {} closed dates listed for it in Schedule 2",
                cal.closed.len()
            )
        };
        w.para(
            Line::new()
                .b(format!("“{}”", calendar_term(cal)))
                .t(format!(" means {}{closed}.", open_hours(cal))),
        );
    }
    w.para(
        Line::new()
            .b("Business time")
            .t(" under a calendar is the time that falls within its hours, to the microsecond; durations stated “of” a calendar count only that time. Durations stated without a calendar count all elapsed time."),
    );
}

pub fn schedules(w: &mut Writer, provenance: &Provenance) {
    contacts(w);
    calendars(w);
    sources(w, provenance);
}

fn contacts(w: &mut Writer) {
    let a = w.a;
    w.doc.heading(2, "Schedule 1: Contacts");
    let rows = a
        .roles
        .iter()
        .map(|r| {
            let party = a
                .parties
                .iter()
                .find(|p| p.id == r.party)
                .map(|p| p.name.clone())
                .unwrap_or_else(|| r.party.clone());
            let mut contact = Line::new();
            for (i, c) in r.contacts.iter().enumerate() {
                if i > 0 {
                    contact = contact.t(", ");
                }
                contact = contact.t(format!("{} ", c.kind.keyword())).c(&c.value);
            }
            vec![title_case(&r.id).into(), party.into(), contact]
        })
        .collect();
    w.doc
        .table(&[col("Role"), col("Party"), col("Contact")], rows);
}

fn calendars(w: &mut Writer) {
    let a = w.a;
    w.doc.heading(2, "Schedule 2: Calendars and closed dates");
    for cal in a.calendars.values() {
        w.doc.heading(3, calendar_term(cal));
        w.doc.paragraph(format!("Open {}.", open_hours(cal)));
        if cal.closed.is_empty() {
            continue;
        }
        let rows = cal
            .closed
            .iter()
            .map(|c| {
                vec![
                    date(c.date).into(),
                    c.name.clone().unwrap_or_else(|| "–".into()).into(),
                ]
            })
            .collect();
        w.doc.table(&[col("Closed on"), col("Holiday")], rows);
    }
}

fn sources(w: &mut Writer, provenance: &Provenance) {
    w.doc.heading(2, "Schedule 3: Source files");
    w.doc.paragraph(
        Line::text("This document states the agreement these files define. Each SHA-256 is of the file's bytes, so ")
            .c("sha256sum")
            .t(" on a checkout confirms the version signed."),
    );
    let rows = provenance
        .files
        .iter()
        .map(|f| vec![Line::code(&f.path), Line::code(&f.sha256)])
        .collect();
    w.doc.table(&[col("File"), col("SHA-256")], rows);
}
