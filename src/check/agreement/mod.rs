//! Checks agreements: every clause, every name, and the sense checks, and
//! builds `model::Agreement`. One file a clause family.

mod approvals;
mod communication;
mod conditions;
mod escalations;
mod goals;
mod platforms;
mod responsibilities;
mod targets;

use super::items::{missing, once, time_zone, unknown_value};
use super::{contacts, values};
use super::{duplicate, ItemKind, Lookup, ModuleId, Session};
use crate::diagnostics::{suggest, tick, Code, Diagnostic};
use crate::model::{self as m, Bound, Clock, MetricKind, Period, Ratio, Seconds, Target};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Clause, Item, Lit, Name, Node};
use std::cell::Cell;
use std::collections::BTreeMap;

/// The longest effective term, in calendar years.
pub const MAX_TERM_YEARS: u32 = 100;

pub(super) fn check_agreements(
    s: &mut Session,
    module: ModuleId,
    file: FileId,
    ast: &ast::File,
) -> Vec<m::Agreement> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for item in &ast.items {
        if let Item::Agreement(a) = &item.kind {
            let mut cx = Cx::new(s, module, file);
            if let Some(model) = cx.agreement(item, a) {
                out.push(model);
            }
            diags.extend(cx.diags);
        }
    }
    s.diagnostics.extend(diags);
    out
}

/// A declared name in the agreement's scope, and whether anything uses it.
struct Local {
    span: Span,
    used: Cell<bool>,
}

struct Cx<'s, 'a> {
    s: &'s Session<'a>,
    module: ModuleId,
    file: FileId,
    diags: Vec<Diagnostic>,
    parties: BTreeMap<String, Local>,
    roles: BTreeMap<String, Local>,
    audiences: BTreeMap<String, Local>,
    custom_platforms: BTreeMap<String, Local>,
    /// Escalation id -> tiers in order.
    escalations: BTreeMap<String, Vec<(String, Span)>>,
    calendars: BTreeMap<String, m::Calendar>,
}

impl<'s, 'a> Cx<'s, 'a> {
    fn new(s: &'s Session<'a>, module: ModuleId, file: FileId) -> Self {
        Cx {
            s,
            module,
            file,
            diags: Vec::new(),
            parties: BTreeMap::new(),
            roles: BTreeMap::new(),
            audiences: BTreeMap::new(),
            custom_platforms: BTreeMap::new(),
            escalations: BTreeMap::new(),
            calendars: BTreeMap::new(),
        }
    }

    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn ok<T>(&mut self, r: Result<T, Diagnostic>) -> Option<T> {
        r.map_err(|d| self.diags.push(d)).ok()
    }

    /// Enters a name into one of the agreement's scopes, reporting duplicates.
    fn declare(&mut self, scope: Scope, kind: &str, name: &Name) {
        let file = self.file;
        let table = self.scope(scope);
        if let Some(first) = table.get(&name.text) {
            let first = first.span;
            self.err(duplicate(file, kind, name, first));
            return;
        }
        table.insert(
            name.text.clone(),
            Local {
                span: name.span,
                used: Cell::new(false),
            },
        );
    }

    fn scope(&mut self, scope: Scope) -> &mut BTreeMap<String, Local> {
        match scope {
            Scope::Party => &mut self.parties,
            Scope::Role => &mut self.roles,
            Scope::Audience => &mut self.audiences,
            Scope::Platform => &mut self.custom_platforms,
        }
    }

    /// Resolves a name in an agreement scope, marking it used.
    fn resolve(&mut self, scope: Scope, name: &Name) -> Option<String> {
        let (code, noun, declare) = match scope {
            Scope::Party => (Code::E0201, "party", "client ID \"Name\""),
            Scope::Role => (Code::E0202, "role", "role ID of PARTY { email \"...\" }"),
            Scope::Audience => (Code::E0206, "audience", "audience ID \"Name\""),
            Scope::Platform => (Code::E0207, "platform", "platform ID \"Name\""),
        };
        let table = self.scope(scope);
        if let Some(local) = table.get(&name.text) {
            local.used.set(true);
            return Some(name.text.clone());
        }
        let closest = suggest::closest(&name.text, table.keys().map(String::as_str));
        // The misspelt name meant the suggested one: do not also call that unused.
        if let Some(local) = closest.and_then(|c| table.get(c)) {
            local.used.set(true);
        }
        let help = closest
            .map(|c| format!("did you mean `{c}`?"))
            .unwrap_or_else(|| format!("declare it in the agreement with `{declare}`"));
        let file = self.file;
        self.err(
            Diagnostic::new(
                code,
                format!("unknown {noun} {}", tick(&name.text)),
                file,
                name.span,
            )
            .label(format!("no {noun} of this name in this agreement"))
            .help(help),
        );
        None
    }

    fn roles(&mut self, names: &[Name]) -> Vec<String> {
        names
            .iter()
            .filter_map(|n| self.resolve(Scope::Role, n))
            .collect()
    }

    fn clock(&mut self, name: &Name) -> Option<Clock> {
        if name.text == "always" {
            return Some(Clock::Always);
        }
        let mut diags = Vec::new();
        let found = match self.s.lookup(
            self.module,
            self.file,
            name,
            ItemKind::Calendar,
            |m| &m.calendars,
            &mut diags,
        ) {
            Lookup::Found(decl) => decl.value.clone(),
            Lookup::Missing => None,
        };
        for mut d in diags {
            if d.code == Code::E0203 && d.help.as_deref().is_some_and(|h| h.starts_with("declare"))
            {
                d.help = Some(format!(
                    "declare `calendar {} {{ ... }}` or use the built-in `always`",
                    name.text
                ));
            }
            self.diags.push(d);
        }
        let cal = found?;
        self.calendars.insert(name.text.clone(), cal);
        Some(Clock::Calendar(name.text.clone()))
    }

    fn duration(&mut self, lit: &Lit) -> Option<Seconds> {
        let r = values::duration(self.file, lit);
        self.ok(r)
    }

    fn percent(&mut self, lit: &Lit) -> Option<Ratio> {
        let r = values::percent(self.file, lit);
        self.ok(r)
    }

    fn agreement(&mut self, item: &Node<Item>, a: &ast::Agreement) -> Option<m::Agreement> {
        let file = self.file;
        // Pass 1: declarations, so clauses may refer to names declared later.
        let mut goal_ids: BTreeMap<String, Span> = BTreeMap::new();
        let mut other_ids: BTreeMap<(&str, String), Span> = BTreeMap::new();
        for c in &a.clauses {
            match &c.kind {
                Clause::Party { id, .. } => self.declare(Scope::Party, "party", id),
                Clause::Role { id, .. } => self.declare(Scope::Role, "role", id),
                Clause::Audience { id, .. } => self.declare(Scope::Audience, "audience", id),
                Clause::Platform { id, .. } => {
                    if self
                        .enum_values("platform")
                        .is_some_and(|p| p.values.contains(&id.text))
                    {
                        self.err(
                            Diagnostic::new(
                                Code::E0209,
                                format!("platform {} is already known", tick(&id.text)),
                                file,
                                id.span,
                            )
                            .label("the prelude declares this platform")
                            .help(format!(
                                "remove this line; `{}` can be used as it is",
                                id.text
                            )),
                        );
                    } else {
                        self.declare(Scope::Platform, "platform", id);
                    }
                }
                Clause::Goal(g) => {
                    if let Some(first) = goal_ids.get(&g.id.text) {
                        self.err(duplicate(file, "goal", &g.id, *first));
                    } else {
                        goal_ids.insert(g.id.text.clone(), g.id.span);
                    }
                }
                Clause::Escalation(e) => {
                    if let Some(first) = other_ids.get(&("escalation", e.id.text.clone())) {
                        self.err(duplicate(file, "escalation", &e.id, *first));
                        continue;
                    }
                    other_ids.insert(("escalation", e.id.text.clone()), e.id.span);
                    let mut tiers: Vec<(String, Span)> = Vec::new();
                    for t in &e.clauses {
                        if let ast::EscalationClause::Tier { id, .. } = &t.kind {
                            if let Some((_, first)) = tiers.iter().find(|(n, _)| *n == id.text) {
                                self.err(duplicate(file, "tier", id, *first));
                                continue;
                            }
                            tiers.push((id.text.clone(), id.span));
                        }
                    }
                    self.escalations.insert(e.id.text.clone(), tiers);
                }
                Clause::Approval(ap) => {
                    let key = ("approval", ap.id.text.clone());
                    if let Some(first) = other_ids.get(&key) {
                        self.err(duplicate(file, "approval", &ap.id, *first));
                    } else {
                        other_ids.insert(key, ap.id.span);
                    }
                }
                Clause::Responsibility { id, .. } => {
                    let key = ("responsibility", id.text.clone());
                    if let Some(first) = other_ids.get(&key) {
                        self.err(duplicate(file, "responsibility", id, *first));
                    } else {
                        other_ids.insert(key, id.span);
                    }
                }
                _ => {}
            }
        }

        // Pass 2: the agreement-wide clauses.
        let mut seen = BTreeMap::new();
        let mut parties = Vec::new();
        let mut term = None;
        let mut effective_span = None;
        let mut timezone = Some(chrono_tz::Tz::UTC);
        let mut review = None;
        let mut period = Period::Monthly;
        let mut fee = None;
        let mut fee_span = None;
        let mut objectives = Vec::new();
        let mut platforms: Option<Vec<String>> = None;
        let mut custom_platforms = Vec::new();
        let mut audiences = Vec::new();
        let mut credit_cap = None;
        let mut cap_span = None;
        let mut exclusions = Vec::new();
        for c in &a.clauses {
            match &c.kind {
                Clause::Party { kind, id, name } => parties.push(m::Party {
                    id: id.text.clone(),
                    name: name.value.clone(),
                    kind: *kind,
                }),
                Clause::Effective { from, to } => {
                    if !once(file, &mut seen, "effective", c, &mut self.diags) {
                        continue;
                    }
                    effective_span = Some(c.span);
                    let (start, end) = (values::date(file, from), values::date(file, to));
                    let (start, end) = (self.ok(start), self.ok(end));
                    if let (Some(start), Some(end)) = (start, end) {
                        if end < start {
                            self.err(
                                Diagnostic::new(
                                    Code::E0305,
                                    format!(
                                        "the term ends on {} before it starts on {}",
                                        tick(&to.text),
                                        tick(&from.text)
                                    ),
                                    file,
                                    from.span.to(to.span),
                                )
                                .label("end date before start date")
                                .help("swap the dates: `effective START to END`"),
                            );
                        } else if start
                            .checked_add_months(chrono::Months::new(MAX_TERM_YEARS * 12))
                            .is_none_or(|limit| end > limit)
                        {
                            // Every target computes business time over the
                            // term; millennia of it would take minutes.
                            self.err(
                                Diagnostic::new(
                                    Code::E0321,
                                    format!(
                                        "the term from {} to {} is longer than {} years",
                                        tick(&from.text),
                                        tick(&to.text),
                                        MAX_TERM_YEARS
                                    ),
                                    file,
                                    from.span.to(to.span),
                                )
                                .label(format!(
                                    "about {} years",
                                    chrono::Datelike::year(&end) - chrono::Datelike::year(&start)
                                ))
                                .help("check the years for a typo; agreements are renewed, not signed for a century"),
                            );
                        } else {
                            term = Some(m::Term { start, end });
                        }
                    }
                }
                Clause::Timezone(tz) => {
                    if once(file, &mut seen, "timezone", c, &mut self.diags) {
                        timezone = time_zone(file, tz, &mut self.diags);
                    }
                }
                Clause::Review(p) => {
                    if once(file, &mut seen, "review", c, &mut self.diags) {
                        review = Period::parse(&p.text);
                    }
                }
                Clause::Period(p) => {
                    if once(file, &mut seen, "period", c, &mut self.diags) {
                        period = Period::parse(&p.text).unwrap_or(Period::Monthly);
                    }
                }
                Clause::Fee {
                    amount,
                    currency,
                    per,
                } => {
                    if !once(file, &mut seen, "fee", c, &mut self.diags) {
                        continue;
                    }
                    fee_span = Some(c.span);
                    let cents = values::fixed_point(&amount.text, 2).filter(|c| *c > 0);
                    if cents.is_none() {
                        self.err(
                            Diagnostic::new(
                                Code::E0318,
                                format!("fee {} is not a valid amount", tick(&amount.text)),
                                file,
                                amount.span,
                            )
                            .label("must be positive, with at most two decimals")
                            .help("write the monthly fee like `12000` or `8500.50`"),
                        );
                    }
                    if per.text != "month" {
                        self.err(
                            Diagnostic::new(Code::E0212, format!("fees are monthly, not per {}", tick(&per.text)), file, per.span)
                                .label("expected `month`")
                                .help("state the fee `per month`; credits are a share of each period's fee"),
                        );
                    } else if let Some(cents) = cents {
                        fee = Some(m::Fee {
                            cents,
                            currency: currency.text.clone(),
                            per: m::PerUnit::Month,
                        });
                    }
                }
                Clause::Objective(o) => objectives.push(o.value.clone()),
                Clause::Platforms(names) => {
                    if once(file, &mut seen, "platforms", c, &mut self.diags) {
                        platforms = Some(self.platform_list(names));
                    }
                }
                Clause::Platform { id, name } => custom_platforms.push(m::Named {
                    id: id.text.clone(),
                    name: name.value.clone(),
                }),
                Clause::Audience { id, name } => audiences.push(m::Named {
                    id: id.text.clone(),
                    name: name.value.clone(),
                }),
                Clause::CreditCap(p) => {
                    if once(file, &mut seen, "credit cap", c, &mut self.diags) {
                        cap_span = Some(c.span);
                        credit_cap = self.percent(p);
                    }
                }
                Clause::Exclude(names) => {
                    for n in names {
                        match m::Exclusion::ALL
                            .into_iter()
                            .find(|e| e.keyword() == n.text)
                        {
                            Some(e) if !exclusions.contains(&e) => exclusions.push(e),
                            Some(_) => {}
                            None => {
                                let kinds: Vec<&str> =
                                    m::Exclusion::ALL.iter().map(|e| e.keyword()).collect();
                                let help = suggest::did_you_mean(&n.text, kinds.iter().copied())
                                    .unwrap_or_else(|| {
                                        format!(
                                            "exclusions are {}",
                                            kinds
                                                .iter()
                                                .map(|k| format!("`{k}`"))
                                                .collect::<Vec<_>>()
                                                .join(", ")
                                        )
                                    });
                                self.err(
                                    Diagnostic::new(
                                        Code::E0213,
                                        format!("unknown exclusion {}", tick(&n.text)),
                                        file,
                                        n.span,
                                    )
                                    .label("not a kind of exclusion")
                                    .help(help),
                                );
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let what = format!("agreement {}", tick(&a.name.text));
        for (kind, example) in [
            (m::PartyKind::Client, "client ID \"Name\""),
            (m::PartyKind::Provider, "provider ID \"Name\""),
        ] {
            if !parties.iter().any(|p| p.kind == kind) {
                self.err(
                    Diagnostic::new(Code::E0312, format!("{what} has no {}", kind.keyword()), file, a.name.span)
                        .label(format!("no `{}` clause", kind.keyword()))
                        .help(format!("every agreement names at least one client and one provider: add `{example}`")),
                );
            }
        }
        if effective_span.is_none() {
            self.err(missing(
                file,
                a.name.span,
                "effective",
                &what,
                "effective 2026-01-01 to 2026-12-31",
            ));
        }
        let ctx = Ctx {
            term,
            period,
            fee: fee_span,
            cap: credit_cap.zip(cap_span),
            platforms: platforms.clone(),
        };

        // Pass 3: the clauses that refer to others.
        let mut roles = Vec::new();
        let mut guidelines = None;
        let mut responsibilities = Vec::new();
        let mut goals = Vec::new();
        let mut approvals = Vec::new();
        let mut escalations = Vec::new();
        let mut communication = m::Communication::default();
        for c in &a.clauses {
            match &c.kind {
                Clause::Role {
                    id,
                    party,
                    contacts,
                } => {
                    let party = self.resolve(Scope::Party, party);
                    for k in contacts {
                        if let Some(d) = contacts::check(file, k.kind.kind, &k.kind.value) {
                            self.err(d);
                        }
                    }
                    roles.push(m::Role {
                        id: id.text.clone(),
                        party: party.unwrap_or_default(),
                        description: c.doc_text(),
                        contacts: contacts
                            .iter()
                            .map(|k| m::Contact {
                                kind: k.kind.kind,
                                value: k.kind.value.value.clone(),
                            })
                            .collect(),
                    });
                }
                Clause::Guidelines(gs) => {
                    if once(file, &mut seen, "guidelines", c, &mut self.diags) {
                        guidelines = Some(self.guidelines(gs));
                    }
                }
                Clause::Responsibility { id, clauses } => {
                    if let Some(r) = self.responsibility(id, clauses) {
                        responsibilities.push(r);
                    }
                }
                Clause::Goal(g) => {
                    if let Some(goal) = self.goal(c, g, &ctx) {
                        goals.push(goal);
                    }
                }
                Clause::Approval(ap) => {
                    if let Some(ap) = self.approval(c, ap, &ctx) {
                        approvals.push(ap);
                    }
                }
                Clause::Escalation(e) => {
                    if let Some(e) = self.escalation(c, e) {
                        escalations.push(e);
                    }
                }
                Clause::Communication(cs) => {
                    if once(file, &mut seen, "communication", c, &mut self.diags) {
                        communication = self.communication(cs);
                    }
                }
                _ => {}
            }
        }

        for (name, role) in &self.roles {
            if !role.used.get() {
                self.diags.push(
                    Diagnostic::new(
                        Code::W0001,
                        format!("unused role {}", tick(name)),
                        file,
                        role.span,
                    )
                    .label(
                        "no goal, responsibility, approval, escalation or report names this role",
                    )
                    .help(format!("assign it, e.g. `owner {name}`, or remove it")),
                );
            }
        }

        let platforms = platforms.unwrap_or_default();
        Some(m::Agreement {
            name: a.name.text.clone(),
            title: a.title.value.clone(),
            description: item.doc_text(),
            parties,
            term: term?,
            timezone: timezone?,
            review,
            period,
            fee,
            objectives,
            platforms,
            custom_platforms,
            audiences,
            roles,
            guidelines,
            responsibilities,
            goals,
            approvals,
            escalations,
            communication,
            credit_cap,
            exclusions,
            calendars: std::mem::take(&mut self.calendars),
        })
    }
}

#[derive(Clone, Copy)]
enum Scope {
    Party,
    Role,
    Audience,
    Platform,
}

/// Agreement-wide facts the clauses are checked against.
struct Ctx {
    term: Option<m::Term>,
    period: Period,
    fee: Option<Span>,
    cap: Option<(Ratio, Span)>,
    platforms: Option<Vec<String>>,
}
