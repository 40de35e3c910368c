//! Checks agreements: every clause, every name, and the sense checks, and
//! builds `model::Agreement`. One file a clause family.

mod approvals;
mod communication;
mod conditions;
mod durations;
mod escalations;
mod goals;
mod header;
mod pause;
mod platforms;
mod replies;
mod responsibilities;
mod segments;
mod targets;
mod warn;
mod whole_days;

use super::items::{missing, once, time_zone, unknown_value};
use super::{contacts, values};
use super::{duplicate, ItemKind, Lookup, ModuleId, Session};
use crate::diagnostics::{suggest, tick, Code, Diagnostic};
use crate::model::{self as m, Bound, Clock, MetricKind, Period, Ratio, Seconds, Target};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Clause, Item, Lit, Name, Node};
use durations::On;
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
            let model = cx.agreement(item, a);
            if s.keep_models {
                out.extend(model);
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
        self.declarations(a);
        let mut h = self.header(a);
        self.required_clauses(a, &h);
        let ctx = Ctx {
            term: h.term,
            period: h.period,
            fee: h.fee_span,
            cap: h.credit_cap.zip(h.cap_span),
            platforms: h.platforms.clone(),
        };
        let body = self.body(a, &ctx, &mut h.seen);
        self.report_unused_roles();
        Some(m::Agreement {
            name: a.name.text.clone(),
            title: a.title.value.clone(),
            description: item.doc_text(),
            parties: h.parties,
            term: h.term?,
            timezone: h.timezone?,
            review: h.review,
            period: h.period,
            fee: h.fee,
            objectives: h.objectives,
            platforms: h.platforms.unwrap_or_default(),
            custom_platforms: h.custom_platforms,
            audiences: h.audiences,
            roles: body.roles,
            guidelines: body.guidelines,
            responsibilities: body.responsibilities,
            goals: body.goals,
            approvals: body.approvals,
            escalations: body.escalations,
            communication: body.communication,
            credit_cap: h.credit_cap,
            exclusions: h.exclusions,
            calendars: std::mem::take(&mut self.calendars),
        })
    }

    /// Pass 3: the clauses that refer to others.
    fn body(
        &mut self,
        a: &ast::Agreement,
        ctx: &Ctx,
        seen: &mut BTreeMap<&'static str, Span>,
    ) -> Body {
        let file = self.file;
        let mut b = Body::default();
        for c in &a.clauses {
            match &c.kind {
                Clause::Role {
                    id,
                    party,
                    contacts,
                } => {
                    let role = self.role(c, id, party, contacts);
                    b.roles.push(role);
                }
                Clause::Guidelines(gs) => {
                    if once(file, seen, "guidelines", c, &mut self.diags) {
                        b.guidelines = Some(self.guidelines(gs));
                    }
                }
                Clause::Responsibility { id, clauses } => {
                    b.responsibilities.extend(self.responsibility(id, clauses));
                }
                Clause::Goal(g) => b.goals.extend(self.goal(c, g, ctx)),
                Clause::Approval(ap) => b.approvals.extend(self.approval(c, ap, ctx)),
                Clause::Escalation(e) => b.escalations.extend(self.escalation(c, e)),
                Clause::Communication(cs) => {
                    if once(file, seen, "communication", c, &mut self.diags) {
                        b.communication = self.communication(cs);
                    }
                }
                _ => {}
            }
        }
        b
    }

    fn role(
        &mut self,
        c: &Node<Clause>,
        id: &Name,
        party: &Name,
        contacts: &[Node<ast::Contact>],
    ) -> m::Role {
        let party = self.resolve(Scope::Party, party);
        for k in contacts {
            if let Some(d) = contacts::check(self.file, k.kind.kind, &k.kind.value) {
                self.err(d);
            }
        }
        m::Role {
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
        }
    }

    fn report_unused_roles(&mut self) {
        for (name, role) in &self.roles {
            if !role.used.get() {
                self.diags.push(
                    Diagnostic::new(
                        Code::W0001,
                        format!("unused role {}", tick(name)),
                        self.file,
                        role.span,
                    )
                    .label(
                        "no goal, responsibility, approval, escalation or report names this role",
                    )
                    .help(format!("assign it, e.g. `owner {name}`, or remove it")),
                );
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Scope {
    Party,
    Role,
    Audience,
    Platform,
}

/// What the clauses that refer to others say (pass 3).
#[derive(Default)]
struct Body {
    roles: Vec<m::Role>,
    guidelines: Option<m::Guidelines>,
    responsibilities: Vec<m::Responsibility>,
    goals: Vec<m::Goal>,
    approvals: Vec<m::Approval>,
    escalations: Vec<m::Escalation>,
    communication: m::Communication,
}

/// Agreement-wide facts the clauses are checked against.
struct Ctx {
    term: Option<m::Term>,
    period: Period,
    fee: Option<Span>,
    cap: Option<(Ratio, Span)>,
    platforms: Option<Vec<String>>,
}
