//! Checks agreements: every clause, every name, and the sense checks, and
//! builds `model::Agreement`.

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

    /// The prelude's platforms and those the agreement declares.
    fn known_platforms(&self) -> Vec<String> {
        let mut all = self
            .enum_values("platform")
            .map(|e| e.values.clone())
            .unwrap_or_default();
        all.extend(self.custom_platforms.keys().cloned());
        all
    }

    /// An enumeration declared in this file, else in the prelude.
    fn enum_values(&self, name: &str) -> Option<&super::EnumValues> {
        [self.module, self.s.prelude()]
            .iter()
            .find_map(|m| self.s.module(*m).enums.get(name))?
            .value
            .as_ref()
    }

    fn platform_list(&mut self, names: &[Name]) -> Vec<String> {
        let known = self.known_platforms();
        let mut out: Vec<String> = Vec::new();
        for n in names {
            if out.contains(&n.text) {
                let file = self.file;
                self.err(
                    Diagnostic::new(
                        Code::E0209,
                        format!("platform {} is listed twice", tick(&n.text)),
                        file,
                        n.span,
                    )
                    .label("listed again here")
                    .help("list each platform once, in priority order"),
                );
            } else if self.check_platform(n, &known) {
                out.push(n.text.clone());
            }
        }
        out
    }

    fn check_platform(&mut self, n: &Name, known: &[String]) -> bool {
        if known.contains(&n.text) {
            if let Some(l) = self.custom_platforms.get(&n.text) {
                l.used.set(true);
            }
            return true;
        }
        let help =
            suggest::did_you_mean(&n.text, known.iter().map(String::as_str)).unwrap_or_else(|| {
                format!(
                    "declare it in the agreement: `platform {} \"Name\"`",
                    n.text
                )
            });
        let file = self.file;
        self.err(
            Diagnostic::new(
                Code::E0207,
                format!("unknown platform {}", tick(&n.text)),
                file,
                n.span,
            )
            .label("not a known platform")
            .help(help),
        );
        false
    }

    fn guidelines(&mut self, gs: &[Node<ast::Guideline>]) -> m::Guidelines {
        let mut out = m::Guidelines::default();
        let mut seen = BTreeMap::new();
        for g in gs {
            match &g.kind {
                ast::Guideline::Tone(t) => {
                    if once(self.file, &mut seen, "tone", g, &mut self.diags) {
                        out.tone = Some(t.value.clone());
                    }
                }
                ast::Guideline::Style(t) => {
                    if once(self.file, &mut seen, "style", g, &mut self.diags) {
                        out.style = Some(t.value.clone());
                    }
                }
                ast::Guideline::Languages(ls) => {
                    if once(self.file, &mut seen, "languages", g, &mut self.diags) {
                        out.languages = ls.iter().map(|l| l.text.clone()).collect();
                    }
                }
            }
        }
        out
    }

    fn responsibility(
        &mut self,
        id: &Name,
        clauses: &[Node<ast::Raci>],
    ) -> Option<m::Responsibility> {
        let file = self.file;
        let mut r = m::Responsibility {
            id: id.text.clone(),
            responsible: Vec::new(),
            accountable: String::new(),
            consulted: Vec::new(),
            informed: Vec::new(),
            duties: Vec::new(),
        };
        let mut accountable: Vec<&Name> = Vec::new();
        for c in clauses {
            match &c.kind {
                ast::Raci::Assign { kind, roles } => {
                    let resolved = self.roles(roles);
                    match kind {
                        ast::RaciKind::Responsible => r.responsible.extend(resolved),
                        ast::RaciKind::Accountable => {
                            accountable.extend(roles.iter());
                            if let Some(first) = resolved.into_iter().next() {
                                if r.accountable.is_empty() {
                                    r.accountable = first;
                                }
                            }
                        }
                        ast::RaciKind::Consulted => r.consulted.extend(resolved),
                        ast::RaciKind::Informed => r.informed.extend(resolved),
                    }
                }
                ast::Raci::Duty(d) => r.duties.push(d.value.clone()),
            }
        }
        let mut ok = true;
        if accountable.len() != 1 {
            ok = false;
            let mut d = Diagnostic::new(
                Code::E0313,
                format!(
                    "responsibility {} has {} accountable roles",
                    tick(&id.text),
                    if accountable.is_empty() {
                        "no".to_string()
                    } else {
                        accountable.len().to_string()
                    }
                ),
                file,
                accountable.get(1).map_or(id.span, |n| n.span),
            )
            .help("exactly one role is accountable; make the others `responsible` or `consulted`");
            d = if accountable.is_empty() {
                d.label("needs `accountable ROLE`")
            } else {
                d.label("a second accountable role").with_secondary(
                    file,
                    accountable[0].span,
                    "the first accountable role",
                )
            };
            self.err(d);
        }
        if !clauses.iter().any(|c| {
            matches!(
                c.kind,
                ast::Raci::Assign {
                    kind: ast::RaciKind::Responsible,
                    ..
                }
            )
        }) {
            ok = false;
            self.err(
                Diagnostic::new(
                    Code::E0314,
                    format!("responsibility {} has no responsible role", tick(&id.text)),
                    file,
                    id.span,
                )
                .label("nobody does the work")
                .help("add `responsible ROLE`"),
            );
        }
        ok.then_some(r)
    }

    fn goal(&mut self, node: &Node<Clause>, g: &ast::Goal, ctx: &Ctx) -> Option<m::Goal> {
        let file = self.file;
        let what = format!("goal {}", tick(&g.id.text));
        let mut seen = BTreeMap::new();
        let mut ok = true;
        let mut metric: Option<(m::Metric, Option<String>)> = None;
        let mut metric_node: Option<&Name> = None;
        let mut conditions_ast: Option<&Vec<ast::Condition>> = None;
        let mut target_ast: Option<&ast::Target> = None;
        let mut clock = Clock::Always;
        let mut period = ctx.period;
        let mut owner = None;
        let mut reported: Option<Span> = None;
        let mut escalate = None;
        let mut credit: Option<(Ratio, Span)> = None;
        for c in &g.clauses {
            match &c.kind {
                ast::GoalClause::Metric { name, by } => {
                    if !once(file, &mut seen, "metric", c, &mut self.diags) {
                        continue;
                    }
                    metric_node = Some(name);
                    metric = self.metric(name, by.as_ref());
                    ok &= metric.is_some();
                }
                ast::GoalClause::Where(conds) => {
                    if once(file, &mut seen, "where", c, &mut self.diags) {
                        conditions_ast = Some(conds);
                    }
                }
                ast::GoalClause::Target(t) => {
                    if once(file, &mut seen, "target", c, &mut self.diags) {
                        target_ast = Some(t);
                    }
                }
                ast::GoalClause::Clock(n) => {
                    if once(file, &mut seen, "clock", c, &mut self.diags) {
                        match self.clock(n) {
                            Some(cl) => clock = cl,
                            None => ok = false,
                        }
                    }
                }
                ast::GoalClause::Period(p) => {
                    if once(file, &mut seen, "period", c, &mut self.diags) {
                        period = Period::parse(&p.text).unwrap_or(period);
                    }
                }
                ast::GoalClause::Owner(n) => {
                    if once(file, &mut seen, "owner", c, &mut self.diags) {
                        owner = self.resolve(Scope::Role, n);
                        ok &= owner.is_some();
                    }
                }
                ast::GoalClause::Reported => {
                    if once(file, &mut seen, "reported", c, &mut self.diags) {
                        reported = Some(c.span);
                    }
                }
                ast::GoalClause::OnBreach(bs) => {
                    if !once(file, &mut seen, "on breach", c, &mut self.diags) {
                        continue;
                    }
                    let mut bseen = BTreeMap::new();
                    for b in bs {
                        match &b.kind {
                            ast::Breach::Escalate(n) => {
                                if once(file, &mut bseen, "escalate", b, &mut self.diags) {
                                    escalate = self.tier_ref(n);
                                    ok &= escalate.is_some();
                                }
                            }
                            ast::Breach::Credit(p) => {
                                if once(file, &mut bseen, "credit", b, &mut self.diags) {
                                    match self.percent(p) {
                                        Some(r) => credit = Some((r, b.span)),
                                        None => ok = false,
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if metric_node.is_none() {
            self.err(missing(
                file,
                g.id.span,
                "metric",
                &what,
                "metric response_time",
            ));
            ok = false;
        }
        if target_ast.is_none() {
            self.err(missing(
                file,
                g.id.span,
                "target",
                &what,
                "target 90% within 1h",
            ));
            ok = false;
        }
        let mut conditions = Vec::new();
        if let (Some((metric, _)), Some(conds)) = (&metric, conditions_ast) {
            for cond in conds {
                match self.condition(metric, cond, ctx) {
                    Some(c) => conditions.push(c),
                    None => ok = false,
                }
            }
        }
        let target = match (&metric, target_ast) {
            (Some((metric, _)), Some(t)) => self.target(metric, t),
            _ => None,
        };
        ok &= target.is_some() || target_ast.is_none();

        if let Some((ratio, span)) = credit {
            if let Some(rep) = reported {
                ok = false;
                self.err(
                    Diagnostic::new(
                        Code::E0311,
                        format!("reported {what} carries a credit"),
                        file,
                        span,
                    )
                    .label("a credit makes the goal binding")
                    .with_secondary(file, rep, "the goal is marked `reported` here")
                    .help("remove `reported` to make the goal binding, or remove the credit"),
                );
            } else if ctx.fee.is_none() {
                ok = false;
                self.err(
                    Diagnostic::new(
                        Code::E0309,
                        format!("{what} owes a credit but the agreement has no fee"),
                        file,
                        span,
                    )
                    .label("a credit is a share of the fee")
                    .help("add the fee to the agreement, like `fee 12000 EUR per month`"),
                );
            } else if let Some((cap, cap_span)) = ctx.cap {
                if ratio > cap {
                    ok = false;
                    self.err(
                        Diagnostic::new(
                            Code::E0310,
                            format!(
                                "credit {} is above the cap of {}",
                                ratio.percent(),
                                cap.percent()
                            ),
                            file,
                            span,
                        )
                        .label("larger than the cap")
                        .with_secondary(file, cap_span, "the cap")
                        .help(format!(
                            "lower the credit to at most {}, or raise the cap",
                            cap.percent()
                        )),
                    );
                }
            }
        }
        if let Some(t) = &target {
            let longest = match t {
                Target::Within { within, .. } => Some(*within),
                Target::Quantile { max, .. } | Target::Mean { max } => Some(*max),
                _ => None,
            };
            if let Some(d) = longest.filter(|d| d.0 > period.min_seconds()) {
                self.err(
                    Diagnostic::new(
                        Code::W0005,
                        format!(
                            "{what} allows {d}, longer than its {} period",
                            period.keyword()
                        ),
                        file,
                        target_ast.map_or(g.id.span, |t| t.span),
                    )
                    .label("no event could breach this within a period")
                    .help("shorten the deadline or measure over a longer `period`"),
                );
            }
        }
        if !ok {
            return None;
        }
        let (metric, by) = metric?;
        Some(m::Goal {
            id: g.id.text.clone(),
            title: g.title.value.clone(),
            description: node.doc_text(),
            metric,
            by,
            conditions,
            target: target?,
            clock,
            period,
            owner,
            binding: reported.is_none(),
            escalate,
            credit: credit.map(|(r, _)| r),
        })
    }

    /// Resolves the goal's metric and its `by` denominator.
    fn metric(&mut self, name: &Name, by: Option<&Name>) -> Option<(m::Metric, Option<String>)> {
        let file = self.file;
        let found = match self.s.lookup(
            self.module,
            file,
            name,
            ItemKind::Metric,
            |m| &m.metrics,
            &mut self.diags,
        ) {
            Lookup::Found(decl) => decl.value.clone(),
            Lookup::Missing => None,
        }?;
        let names: Vec<&str> = found.denominators.iter().map(|d| d.name.as_str()).collect();
        let listed = names
            .iter()
            .map(|n| format!("`by {n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        match by {
            None if names.len() > 1 => {
                self.err(
                    Diagnostic::new(
                        Code::E0214,
                        format!("metric {} needs a denominator", tick(&name.text)),
                        file,
                        name.span,
                    )
                    .label("divide by what?")
                    .help(format!("add one of {listed}")),
                );
                None
            }
            None => Some((found, None)),
            Some(b) if names.contains(&b.text.as_str()) => Some((found, Some(b.text.clone()))),
            Some(b) => {
                let help = if names.is_empty() {
                    format!(
                        "metric `{}` is a {} metric and takes no `by`; remove it",
                        name.text,
                        found.kind.keyword()
                    )
                } else {
                    suggest::did_you_mean(&b.text, names.iter().copied())
                        .unwrap_or(format!("use one of {listed}"))
                };
                self.err(
                    Diagnostic::new(
                        Code::E0214,
                        format!(
                            "metric {} has no denominator {}",
                            tick(&name.text),
                            tick(&b.text)
                        ),
                        file,
                        b.span,
                    )
                    .label("not a denominator of this metric")
                    .help(help),
                );
                None
            }
        }
    }

    fn condition(
        &mut self,
        metric: &m::Metric,
        c: &ast::Condition,
        ctx: &Ctx,
    ) -> Option<m::Condition> {
        let file = self.file;
        let dim = &c.dimension;
        if !metric.labels.contains(&dim.text) {
            let help = suggest::did_you_mean(&dim.text, metric.labels.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    format!(
                        "metric `{}` can be filtered by {}",
                        metric.name,
                        metric
                            .labels
                            .iter()
                            .map(|l| format!("`{l}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
            self.err(
                Diagnostic::new(
                    Code::E0211,
                    format!(
                        "metric {} has no dimension {}",
                        tick(&metric.name),
                        tick(&dim.text)
                    ),
                    file,
                    dim.span,
                )
                .label("unknown dimension")
                .help(help),
            );
            return None;
        }
        // The values this dimension can take, and whether they are ordered.
        let dimension = m::Dimension::parse(&dim.text);
        let (domain, ordered): (Option<Vec<String>>, bool) = match &dimension {
            m::Dimension::Platform => (Some(self.known_platforms()), false),
            m::Dimension::Audience => (Some(self.audiences.keys().cloned().collect()), false),
            other => match self.enum_values(other.name()) {
                Some(e) => (Some(e.values.clone()), e.ordered),
                None => (None, false),
            },
        };
        let (op, operands): (m::Op, Vec<&Name>) = match &c.test {
            ast::Test::In(vs) => (m::Op::In, vs.iter().collect()),
            // The grammar admits only the comparators `Op` knows.
            ast::Test::Compare { op, value } => (m::Op::parse(&op.text)?, vec![value]),
        };
        let mut ok = true;
        for v in &operands {
            ok &= match &dimension {
                m::Dimension::Audience => self.resolve(Scope::Audience, v).is_some(),
                m::Dimension::Platform => {
                    let known = domain.clone().unwrap_or_default();
                    let valid = self.check_platform(v, &known);
                    // Only a condition that selects the platform can miss its events.
                    if valid && op.selects() {
                        if let Some(listed) = &ctx.platforms {
                            if !listed.contains(&v.text) {
                                self.err(
                                    Diagnostic::new(
                                        Code::W0004,
                                        format!(
                                            "platform {} is not among the agreement's platforms",
                                            tick(&v.text)
                                        ),
                                        file,
                                        v.span,
                                    )
                                    .label("this goal can never see events from it")
                                    .help(format!(
                                        "add `{}` to the `platforms` line, or drop it here",
                                        v.text
                                    )),
                                );
                            }
                        }
                    }
                    valid
                }
                _ => match &domain {
                    Some(d) if !d.contains(&v.text) => {
                        let allowed: Vec<&str> = d.iter().map(String::as_str).collect();
                        self.err(unknown_value(file, v, &dim.text, &allowed));
                        false
                    }
                    _ => true,
                },
            };
        }
        if !ok {
            return None;
        }
        if domain.is_none() && !op.selects() {
            self.err(
                Diagnostic::new(
                    Code::E0319,
                    format!(
                        "{} has no declared values, so {} does not apply",
                        tick(&dim.text),
                        tick(op.symbol())
                    ),
                    file,
                    c.span,
                )
                .label("cannot tell which values this excludes or orders")
                .help(format!(
                    "use `{0} = VALUE` or `{0} in [A, B]`, or declare `enum {0} {{ ... }}`",
                    dim.text
                )),
            );
            return None;
        }
        if op.is_ordering() && !ordered {
            self.err(
                Diagnostic::new(
                    Code::E0319,
                    format!(
                        "{} has no order, so {} does not apply",
                        tick(&dim.text),
                        tick(op.symbol())
                    ),
                    file,
                    c.span,
                )
                .label("comparison on an unordered dimension")
                .help(format!(
                    "use `{} = VALUE` or `{} in [A, B]`",
                    dim.text, dim.text
                )),
            );
            return None;
        }
        let operand_texts: Vec<String> = operands.iter().map(|n| n.text.clone()).collect();
        let values = match (op, &domain) {
            (m::Op::In | m::Op::Eq, _) => operand_texts.clone(),
            (m::Op::Ne, Some(d)) => d
                .iter()
                .filter(|v| **v != operand_texts[0])
                .cloned()
                .collect(),
            (m::Op::Ne, None) => operand_texts.clone(),
            (cmp, Some(d)) => {
                let pivot = d.iter().position(|v| *v == operand_texts[0]).unwrap_or(0);
                d.iter()
                    .enumerate()
                    .filter(|(i, _)| match cmp {
                        m::Op::Ge => *i >= pivot,
                        m::Op::Gt => *i > pivot,
                        m::Op::Le => *i <= pivot,
                        _ => *i < pivot,
                    })
                    .map(|(_, v)| v.clone())
                    .collect()
            }
            (_, None) => operand_texts.clone(),
        };
        Some(m::Condition {
            dimension,
            op,
            operands: operand_texts,
            values,
        })
    }

    fn target(&mut self, metric: &m::Metric, t: &ast::Target) -> Option<Target> {
        use ast::TargetKind as K;
        let file = self.file;
        let fits = matches!(
            (metric.kind, &t.kind),
            (
                MetricKind::Latency,
                K::Within { .. } | K::Quantile { .. } | K::Mean { .. }
            ) | (MetricKind::Ratio, K::Threshold { .. })
                | (MetricKind::Count, K::Rate { .. })
        );
        if !fits {
            let (shape, example) = match metric.kind {
                MetricKind::Latency => ("a time", "`90% within 1h`, `p95 <= 30m` or `mean <= 8h`"),
                MetricKind::Ratio => ("a percentage", "`>= 95%`"),
                MetricKind::Count => ("a count per period", "`>= 4 per week`"),
            };
            let written = self.s.sources.get(file).text[t.span.start..t.span.end].to_string();
            self.err(
                Diagnostic::new(
                    Code::E0301,
                    format!(
                        "a {} goal cannot take {}",
                        metric.kind.keyword(),
                        tick(written)
                    ),
                    file,
                    t.span,
                )
                .label(format!("metric `{}` measures {shape}", metric.name))
                .help(format!(
                    "{} targets look like {example}",
                    metric.kind.keyword()
                )),
            );
            return None;
        }
        let bound = |cx: &mut Self, op: &Lit, allow_min: bool| -> Option<Bound> {
            match op.text.as_str() {
                "<=" => Some(Bound::AtMost),
                ">=" if allow_min => Some(Bound::AtLeast),
                _ => {
                    let expected = if allow_min { "`>=` or `<=`" } else { "`<=`" };
                    cx.err(
                        Diagnostic::new(
                            Code::E0319,
                            format!("comparison {} is not allowed here", tick(&op.text)),
                            file,
                            op.span,
                        )
                        .label(format!("expected {expected}"))
                        .help(format!("a target states a bound: use {expected}")),
                    );
                    None
                }
            }
        };
        match &t.kind {
            K::Within { percent, duration } => {
                let (r, d) = (self.percent(percent), self.duration(duration));
                Some(Target::Within {
                    ratio: r?,
                    within: d?,
                })
            }
            K::Quantile { q, op, duration } => {
                let qv = values::quantile(file, q);
                let (qv, b, d) = (self.ok(qv), bound(self, op, false), self.duration(duration));
                b?;
                Some(Target::Quantile {
                    quantile: qv?,
                    max: d?,
                })
            }
            K::Mean { op, duration } => {
                let (b, d) = (bound(self, op, false), self.duration(duration));
                b?;
                Some(Target::Mean { max: d? })
            }
            K::Threshold { op, percent } => {
                let (b, r) = (bound(self, op, true), self.percent(percent));
                Some(Target::Ratio {
                    bound: b?,
                    ratio: r?,
                })
            }
            K::Rate { op, count, per } => {
                let b = bound(self, op, true);
                let n = count
                    .text
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=1_000_000).contains(n));
                if n.is_none() {
                    self.err(
                        Diagnostic::new(
                            Code::E0318,
                            format!(
                                "count {} is not a whole number of events",
                                tick(&count.text)
                            ),
                            file,
                            count.span,
                        )
                        .label("expected a whole number from 1 to 1000000")
                        .help("write a count like `>= 4 per week`"),
                    );
                }
                let unit = m::PerUnit::parse(&per.text).filter(|u| {
                    matches!(u, m::PerUnit::Day | m::PerUnit::Week | m::PerUnit::Month)
                });
                if unit.is_none() {
                    self.err(
                        Diagnostic::new(
                            Code::E0212,
                            format!(
                                "counts are per day, week or month, not per {}",
                                tick(&per.text)
                            ),
                            file,
                            per.span,
                        )
                        .label("not a counting period")
                        .help("count per `day`, `week` or `month`, like `>= 12 per month`"),
                    );
                }
                Some(Target::Rate {
                    bound: b?,
                    count: n?,
                    per: unit?,
                })
            }
        }
    }

    /// `escalation.tier` on a breach.
    fn tier_ref(&mut self, n: &Name) -> Option<m::TierRef> {
        let file = self.file;
        let (esc, tier) = match n.split() {
            (Some(e), t) => (e.to_string(), Some(t.to_string())),
            (None, e) => (e.to_string(), None),
        };
        let Some(tiers) = self.escalations.get(&esc) else {
            let help = suggest::did_you_mean(&esc, self.escalations.keys().map(String::as_str))
                .unwrap_or_else(|| "declare it with `escalation ID \"Title\" { tier ... }`".into());
            self.err(
                Diagnostic::new(
                    Code::E0205,
                    format!("unknown escalation {}", tick(&esc)),
                    file,
                    Span::new(n.span.start, n.span.start + esc.len()),
                )
                .label("no escalation of this name")
                .help(help),
            );
            return None;
        };
        let names: Vec<&str> = tiers.iter().map(|(t, _)| t.as_str()).collect();
        let Some(tier) = tier else {
            self.err(
                Diagnostic::new(
                    Code::E0205,
                    format!("escalate to which tier of {}?", tick(&esc)),
                    file,
                    n.span,
                )
                .label("a tier is required")
                .help(format!(
                    "write `{esc}.TIER`, one of {}",
                    names
                        .iter()
                        .map(|t| format!("`{esc}.{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
            return None;
        };
        if !names.contains(&tier.as_str()) {
            let help = suggest::did_you_mean(&tier, names.iter().copied()).unwrap_or_else(|| {
                format!(
                    "its tiers are {}",
                    names
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            });
            self.err(
                Diagnostic::new(
                    Code::E0205,
                    format!("escalation {} has no tier {}", tick(&esc), tick(&tier)),
                    file,
                    Span::new(n.span.start + esc.len() + 1, n.span.end),
                )
                .label("no tier of this name")
                .help(help),
            );
            return None;
        }
        Some(m::TierRef {
            escalation: esc,
            tier,
        })
    }

    fn approval(
        &mut self,
        node: &Node<Clause>,
        ap: &ast::Approval,
        ctx: &Ctx,
    ) -> Option<m::Approval> {
        let file = self.file;
        let what = format!("approval {}", tick(&ap.id.text));
        let mut seen = BTreeMap::new();
        let mut ok = true;
        let mut subject = None;
        let mut then = "publish".to_string();
        let mut steps: Vec<m::Step> = Vec::new();
        let mut step_ids: BTreeMap<String, Span> = BTreeMap::new();
        for c in &ap.clauses {
            match &c.kind {
                ast::ApprovalClause::Subject(s) => {
                    if once(file, &mut seen, "subject", c, &mut self.diags) {
                        if s.text == "posts" {
                            subject = Some(m::EventSource::Posts);
                        } else {
                            self.err(unknown_value(file, s, "approval subject", &["posts"]));
                            ok = false;
                        }
                    }
                }
                ast::ApprovalClause::Then(t) => {
                    if once(file, &mut seen, "then", c, &mut self.diags) {
                        if t.text == "publish" {
                            then = t.text.clone();
                        } else {
                            self.err(unknown_value(file, t, "final action", &["publish"]));
                            ok = false;
                        }
                    }
                }
                ast::ApprovalClause::Step { id, clauses } => {
                    if let Some(first) = step_ids.get(&id.text) {
                        self.err(duplicate(file, "step", id, *first));
                        ok = false;
                        continue;
                    }
                    step_ids.insert(id.text.clone(), id.span);
                    match self.step(id, clauses, ctx) {
                        Some(s) => steps.push(s),
                        None => ok = false,
                    }
                }
            }
        }
        if !seen.contains_key("subject") {
            self.err(missing(file, ap.id.span, "subject", &what, "subject posts"));
            ok = false;
        }
        if step_ids.is_empty() {
            self.err(missing(
                file,
                ap.id.span,
                "step",
                &what,
                "step review { by ROLE within 1d }",
            ));
            ok = false;
        }
        if !ok {
            return None;
        }
        Some(m::Approval {
            id: ap.id.text.clone(),
            title: ap.title.value.clone(),
            description: node.doc_text(),
            subject: subject?,
            steps,
            then,
        })
    }

    fn step(&mut self, id: &Name, clauses: &[Node<ast::StepClause>], ctx: &Ctx) -> Option<m::Step> {
        let file = self.file;
        let what = format!("step {}", tick(&id.text));
        let mut seen = BTreeMap::new();
        let mut ok = true;
        let (mut by, mut within, mut clock, mut tagged, mut silence) =
            (Vec::new(), None, Clock::Always, None, None);
        for c in clauses {
            match &c.kind {
                ast::StepClause::By(names) => {
                    if once(file, &mut seen, "by", c, &mut self.diags) {
                        by = self.roles(names);
                        ok &= by.len() == names.len();
                    }
                }
                ast::StepClause::Within(d) => {
                    if once(file, &mut seen, "within", c, &mut self.diags) {
                        within = self.duration(d);
                        ok &= within.is_some();
                        if let (Some(w), Some(term)) = (within, ctx.term) {
                            let term_secs =
                                ((term.end - term.start).num_days() as u64 + 1) * 86_400;
                            if w.0 > term_secs {
                                self.err(
                                    Diagnostic::new(
                                        Code::W0006,
                                        format!(
                                            "{what} allows {w}, longer than the agreement's term"
                                        ),
                                        file,
                                        d.span,
                                    )
                                    .label("longer than the whole term")
                                    .help("shorten the deadline"),
                                );
                            }
                        }
                    }
                }
                ast::StepClause::Clock(n) => {
                    if once(file, &mut seen, "clock", c, &mut self.diags) {
                        match self.clock(n) {
                            Some(cl) => clock = cl,
                            None => ok = false,
                        }
                    }
                }
                ast::StepClause::WhenTagged(t) => {
                    if once(file, &mut seen, "when tagged", c, &mut self.diags) {
                        tagged = Some(t.value.clone());
                    }
                }
                ast::StepClause::OnSilence(a) => {
                    if once(file, &mut seen, "on silence", c, &mut self.diags) {
                        silence = match a.text.as_str() {
                            "approve" => Some(m::SilenceAction::Approve),
                            "reject" => Some(m::SilenceAction::Reject),
                            _ => {
                                self.err(unknown_value(
                                    file,
                                    a,
                                    "action on silence",
                                    &["approve", "reject"],
                                ));
                                ok = false;
                                None
                            }
                        };
                    }
                }
            }
        }
        if !seen.contains_key("by") {
            self.err(missing(file, id.span, "by", &what, "by ROLE"));
            ok = false;
        }
        if !seen.contains_key("within") {
            self.err(missing(file, id.span, "within", &what, "within 1d"));
            ok = false;
        }
        if !ok {
            return None;
        }
        Some(m::Step {
            id: id.text.clone(),
            by,
            within: within?,
            clock,
            when_tagged: tagged,
            on_silence: silence,
        })
    }

    fn escalation(&mut self, node: &Node<Clause>, e: &ast::Escalation) -> Option<m::Escalation> {
        let file = self.file;
        let mut seen = BTreeMap::new();
        let mut ok = true;
        let mut clock = Clock::Always;
        let mut tiers: Vec<m::Tier> = Vec::new();
        // The slowest acknowledgement among the less severe tiers so far.
        let mut slowest: Option<(Seconds, Span, String)> = None;
        let mut seen_tiers: Vec<&str> = Vec::new();
        for c in &e.clauses {
            match &c.kind {
                ast::EscalationClause::Clock(n) => {
                    if once(file, &mut seen, "clock", c, &mut self.diags) {
                        match self.clock(n) {
                            Some(cl) => clock = cl,
                            None => ok = false,
                        }
                    }
                }
                ast::EscalationClause::Tier { id, clauses } => {
                    if seen_tiers.contains(&id.text.as_str()) {
                        continue; // reported as a duplicate in pass 1
                    }
                    seen_tiers.push(&id.text);
                    let mut tseen = BTreeMap::new();
                    let mut tier = m::Tier {
                        id: id.text.clone(),
                        notify: Vec::new(),
                        acknowledge: None,
                        resolve: None,
                        pause_publishing: false,
                        statement_by: Vec::new(),
                    };
                    let mut ack_span = None;
                    for tc in clauses {
                        match &tc.kind {
                            ast::TierClause::Notify(names) => {
                                if once(file, &mut tseen, "notify", tc, &mut self.diags) {
                                    tier.notify = self.roles(names);
                                    ok &= tier.notify.len() == names.len();
                                }
                            }
                            ast::TierClause::Acknowledge(d) => {
                                if once(file, &mut tseen, "acknowledge", tc, &mut self.diags) {
                                    tier.acknowledge = self.duration(d);
                                    ok &= tier.acknowledge.is_some();
                                    ack_span = Some(d.span);
                                }
                            }
                            ast::TierClause::Resolve(d) => {
                                if once(file, &mut tseen, "resolve", tc, &mut self.diags) {
                                    tier.resolve = self.duration(d);
                                    ok &= tier.resolve.is_some();
                                }
                            }
                            ast::TierClause::PausePublishing => {
                                if once(file, &mut tseen, "pause publishing", tc, &mut self.diags) {
                                    tier.pause_publishing = true;
                                }
                            }
                            ast::TierClause::ApproveStatement(names) => {
                                if once(file, &mut tseen, "approve statement", tc, &mut self.diags)
                                {
                                    tier.statement_by = self.roles(names);
                                    ok &= tier.statement_by.len() == names.len();
                                }
                            }
                        }
                    }
                    if !tseen.contains_key("notify") {
                        self.err(missing(
                            file,
                            id.span,
                            "notify",
                            &format!("tier {}", tick(&id.text)),
                            "notify ROLE",
                        ));
                        ok = false;
                    }
                    if let (Some(ack), Some(span)) = (tier.acknowledge, ack_span) {
                        if let Some((prev, prev_span, prev_tier)) = &slowest {
                            if ack > *prev {
                                self.err(
                                    Diagnostic::new(
                                        Code::W0003,
                                        format!(
                                            "tier {} is more severe than {} but acknowledges more slowly",
                                            tick(&id.text),
                                            tick(prev_tier)
                                        ),
                                        file,
                                        span,
                                    )
                                    .label(format!("{ack} here"))
                                    .with_secondary(file, *prev_span, format!("{prev} for the less severe tier"))
                                    .help("tiers are listed in ascending severity; a severer tier should be acknowledged at least as fast"),
                                );
                            }
                        }
                        if slowest.as_ref().is_none_or(|(p, _, _)| ack > *p) {
                            slowest = Some((ack, span, id.text.clone()));
                        }
                    }
                    tiers.push(tier);
                }
            }
        }
        if tiers.is_empty() {
            self.err(missing(
                file,
                e.id.span,
                "tier",
                &format!("escalation {}", tick(&e.id.text)),
                "tier minor { notify ROLE }",
            ));
            ok = false;
        }
        if !ok {
            return None;
        }
        Some(m::Escalation {
            id: e.id.text.clone(),
            title: e.title.value.clone(),
            description: node.doc_text(),
            clock,
            tiers,
        })
    }

    fn communication(&mut self, cs: &[Node<ast::Communication>]) -> m::Communication {
        let file = self.file;
        let mut out = m::Communication::default();
        for c in cs {
            match &c.kind {
                ast::Communication::Report {
                    period,
                    to,
                    via,
                    within,
                } => {
                    let to = self.resolve(Scope::Role, to);
                    let via_ok = ["email", "slack", "meeting"].contains(&via.text.as_str());
                    if !via_ok {
                        self.err(unknown_value(
                            file,
                            via,
                            "report medium",
                            &["email", "slack", "meeting"],
                        ));
                    }
                    let within = within.as_ref().and_then(|w| self.duration(w));
                    if let (Some(to), true) = (to, via_ok) {
                        out.reports.push(m::Report {
                            period: Period::parse(&period.text).unwrap_or(Period::Monthly),
                            to,
                            via: via.text.clone(),
                            within,
                        });
                    }
                }
                ast::Communication::Meeting { period, with } => {
                    let with = self.roles(with);
                    out.meetings.push(m::Meeting {
                        period: Period::parse(&period.text).unwrap_or(Period::Weekly),
                        with,
                    });
                }
                ast::Communication::Channel { kind, address } => {
                    let contact = match kind.text.as_str() {
                        "slack" => Some(ast::ContactKind::Slack),
                        "email" => Some(ast::ContactKind::Email),
                        _ => None,
                    };
                    if let Some(d) = contact.and_then(|k| contacts::check(file, k, address)) {
                        self.err(d);
                    }
                    if ["slack", "email", "teams"].contains(&kind.text.as_str()) {
                        out.channels.push(m::Channel {
                            kind: kind.text.clone(),
                            address: address.value.clone(),
                        });
                    } else {
                        self.err(unknown_value(
                            file,
                            kind,
                            "channel kind",
                            &["slack", "email", "teams"],
                        ));
                    }
                }
            }
        }
        out
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
