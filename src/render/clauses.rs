//! The numbered clauses of the contract, in the order a reader expects:
//! parties, term and fees, scope, responsibilities, service levels,
//! approvals, escalation, credits and exclusions, communication.

use super::sentences;
use super::words::{self, date, list, role, roles, title_case};
use super::Writer;
use crate::document::{col, Block, Line};
use crate::model::{Exclusion, PartyKind};

pub fn preamble(w: &mut Writer) {
    let a = w.a;
    let named = |kind: PartyKind, term: &str| -> Vec<String> {
        a.parties
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| format!("{} (the “{term}”)", p.name))
            .collect()
    };
    let mut parties = named(PartyKind::Client, "Client");
    parties.extend(named(PartyKind::Provider, "Provider"));
    parties.extend(named(PartyKind::Vendor, "Vendor"));
    w.clause("Parties and purpose");
    w.para(format!(
        "This service level agreement (the “Agreement”) is made between {}.",
        list(&parties, "and")
    ));
    if let Some(d) = &a.description {
        w.para(d.as_str());
    }
    if !a.objectives.is_empty() {
        w.para("The Agreement serves these objectives:");
        let items = a
            .objectives
            .iter()
            .map(|o| Line::text(o.as_str()))
            .collect();
        w.doc.blocks.push(Block::Items(items));
    }
}

pub fn term_and_fees(w: &mut Writer) {
    let a = w.a;
    w.clause("Term and fees");
    let review = a
        .review
        .map(|r| format!(", and is reviewed {}", r.keyword()))
        .unwrap_or_default();
    w.para(format!(
        "The Agreement is in effect from {} to {} inclusive{review}.",
        date(a.term.start),
        date(a.term.end)
    ));
    w.para(format!(
        "Each {} is a “Measurement Period”: service levels are reported, and credits settled, per Measurement Period, in {} time.",
        period_noun(a.period.keyword()),
        a.timezone
    ));
    if let Some(fee) = &a.fee {
        w.para(format!(
            "The Client pays the Provider {} per {} (the “Fee”).",
            words::money(fee.cents, &fee.currency),
            fee.per.keyword()
        ));
    }
}

fn period_noun(keyword: &str) -> &'static str {
    match keyword {
        "daily" => "calendar day",
        "weekly" => "ISO week",
        "monthly" => "calendar month",
        "quarterly" => "calendar quarter",
        _ => "calendar year",
    }
}

pub fn scope(w: &mut Writer) {
    let a = w.a;
    if a.platforms.is_empty() && a.audiences.is_empty() && a.guidelines.is_none() {
        return;
    }
    w.clause("Scope");
    if !a.platforms.is_empty() {
        let names: Vec<String> = a.platforms.iter().map(|p| words::platform(a, p)).collect();
        w.para(format!(
            "The Provider serves the Client's presence on {}, in this order of priority.",
            list(&names, "and")
        ));
    }
    if !a.audiences.is_empty() {
        let names: Vec<String> = a.audiences.iter().map(|x| x.name.clone()).collect();
        w.para(format!(
            "The audiences addressed are {}.",
            list(&names, "and")
        ));
    }
    if let Some(g) = &a.guidelines {
        let mut parts = Vec::new();
        if let Some(t) = &g.tone {
            parts.push(format!("in the tone “{t}”"));
        }
        if let Some(s) = &g.style {
            parts.push(format!("following “{s}”"));
        }
        if !g.languages.is_empty() {
            let names: Vec<String> = g.languages.iter().map(|l| words::language(l)).collect();
            parts.push(format!("in {}", list(&names, "and")));
        }
        w.para(format!("The Provider writes {}.", list(&parts, "and")));
    }
}

pub fn responsibilities(w: &mut Writer) {
    let a = w.a;
    if a.responsibilities.is_empty() {
        return;
    }
    w.clause("Responsibilities");
    w.para("Who is Responsible, Accountable, Consulted and Informed for each activity:");
    let rows = a
        .responsibilities
        .iter()
        .map(|r| {
            vec![
                title_case(&r.id).into(),
                roles(a, &r.responsible).into(),
                role(a, &r.accountable).into(),
                roles(a, &r.consulted).into(),
                roles(a, &r.informed).into(),
            ]
        })
        .collect();
    w.doc.table(
        &[
            col("Activity"),
            col("Responsible"),
            col("Accountable"),
            col("Consulted"),
            col("Informed"),
        ],
        rows,
    );
    for r in &a.responsibilities {
        if r.duties.is_empty() {
            continue;
        }
        w.para(format!("{} includes:", title_case(&r.id)));
        let items = r.duties.iter().map(|d| Line::text(d.as_str())).collect();
        w.doc.blocks.push(Block::Items(items));
    }
}

pub fn service_levels(w: &mut Writer) {
    let a = w.a;
    if a.goals.is_empty() {
        return;
    }
    w.clause("Service levels");
    for g in &a.goals {
        w.sub(&g.title, format!("goal-{}", g.id));
        let mut text = sentences::goal(a, g);
        text.push_str(&format!(
            " It is measured per {}.",
            period_noun(g.period.keyword())
        ));
        if !g.pause.is_empty() {
            text.push_str(&super::sentences::pause(&g.pause));
        }
        if let Some(o) = &g.owner {
            text.push_str(&format!(" Its owner is {}.", role(a, o)));
        }
        w.doc.paragraph(text);
        if let Some(d) = &g.description {
            w.doc.paragraph(d.as_str());
        }
        w.doc.paragraph(consequence(w.a, g));
    }
}

/// What a miss costs: a credit, an escalation, or nothing binding.
fn consequence(a: &crate::model::Agreement, g: &crate::model::Goal) -> String {
    if !g.binding {
        return "This service level is reported for information; it is not binding and no credit applies.".into();
    }
    let mut s = String::from("This service level is binding.");
    if let Some(c) = g.credit {
        s.push_str(&format!(
            " If it is missed in a period, the Provider credits the Client {} of that period's Fee.",
            c.percent()
        ));
    }
    if let Some(t) = &g.escalate {
        let title = a
            .escalation(&t.escalation)
            .map(|e| e.title.clone())
            .unwrap_or_else(|| title_case(&t.escalation));
        s.push_str(&format!(
            " A miss is escalated at tier “{}” of {title}.",
            title_case(&t.tier)
        ));
    }
    s
}

pub fn approvals(w: &mut Writer) {
    let a = w.a;
    if a.approvals.is_empty() {
        return;
    }
    w.clause("Approvals");
    for ap in &a.approvals {
        w.sub(&ap.title, format!("approval-{}", ap.id));
        w.doc.paragraph(format!(
            "Before {} are {}, they pass these steps in order:",
            ap.subject.keyword(),
            past_tense(&ap.then)
        ));
        let items = ap
            .steps
            .iter()
            .map(|s| Line::text(format!("{}: {}", title_case(&s.id), sentences::step(a, s))))
            .collect();
        w.doc.blocks.push(Block::Items(items));
    }
}

fn past_tense(verb: &str) -> String {
    match verb {
        "publish" => "published".into(),
        "send" => "sent".into(),
        other if other.ends_with('e') => format!("{other}d"),
        other => format!("{other}ed"),
    }
}

pub fn escalations(w: &mut Writer) {
    let a = w.a;
    if a.escalations.is_empty() {
        return;
    }
    w.clause("Escalation");
    for e in &a.escalations {
        w.sub(&e.title, format!("escalation-{}", e.id));
        if let Some(d) = &e.description {
            w.doc.paragraph(d.as_str());
        }
        w.doc.paragraph(format!(
            "Incidents are classified in {} tiers of rising severity:",
            e.tiers.len()
        ));
        let items = e
            .tiers
            .iter()
            .map(|t| {
                Line::text(format!(
                    "{}: {}",
                    title_case(&t.id),
                    sentences::tier(a, &e.clock, t).join(" ")
                ))
            })
            .collect();
        w.doc.blocks.push(Block::Items(items));
    }
}

pub fn credits_and_exclusions(w: &mut Writer) {
    let a = w.a;
    let credited: Vec<String> = a
        .goals
        .iter()
        .filter_map(|g| g.credit.map(|c| format!("{}: {}", g.title, c.percent())))
        .collect();
    if credited.is_empty() && a.exclusions.is_empty() && a.credit_cap.is_none() {
        return;
    }
    w.clause("Service credits and exclusions");
    if !credited.is_empty() {
        w.para("For each binding service level missed in the period it is measured over, the Provider credits the Client this share of that period's Fee:");
        let items = credited.into_iter().map(Line::text).collect();
        w.doc.blocks.push(Block::Items(items));
    }
    if let Some(cap) = a.credit_cap {
        w.para(format!(
            "The credits of one Measurement Period together are at most {} of that period's Fee.",
            cap.percent()
        ));
    }
    if !a.exclusions.is_empty() {
        let kinds: Vec<String> = a.exclusions.iter().map(|e| exclusion(*e).into()).collect();
        w.para(format!(
            "Time during {} does not count towards any service level: the clocks stop for its duration.",
            list(&kinds, "or")
        ));
    }
}

fn exclusion(e: Exclusion) -> &'static str {
    match e {
        Exclusion::PlatformOutage => "an outage of a platform",
        Exclusion::ForceMajeure => "force majeure",
        Exclusion::ClientDelay => "a delay caused by the Client",
    }
}

pub fn communication(w: &mut Writer) {
    let a = w.a;
    let c = &a.communication;
    if c.reports.is_empty() && c.meetings.is_empty() && c.channels.is_empty() {
        return;
    }
    w.clause("Communication");
    for r in &c.reports {
        let within = r
            .within
            .map(|d| format!(" within {} of the period's end", words::duration(d)))
            .unwrap_or_default();
        w.para(format!(
            "The Provider sends a {} report to {} by {}{within}.",
            r.period.keyword(),
            role(a, &r.to),
            r.via
        ));
    }
    for m in &c.meetings {
        w.para(format!(
            "The Provider meets {} {}.",
            roles(a, &m.with),
            m.period.keyword()
        ));
    }
    for ch in &c.channels {
        w.para(
            Line::text(format!(
                "Day-to-day communication uses {} at ",
                title_case(&ch.kind)
            ))
            .c(&ch.address)
            .t("."),
        );
    }
}
