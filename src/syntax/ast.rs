//! The typed syntax tree. Every node keeps its span; literals keep their
//! source text (the checker gives them meaning, the formatter prints them
//! back as written).

use crate::source::Span;

/// The kinds of parties and contacts are the same words in the syntax and in
/// the checked Model: one definition, in the Model.
pub use crate::model::{ContactKind, PartyKind};

/// An identifier or a qualified name (`alias.name`, `escalation.tier`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

impl Name {
    /// Splits `a.b` into `(Some("a"), "b")` and `b` into `(None, "b")`.
    pub fn split(&self) -> (Option<&str>, &str) {
        match self.text.split_once('.') {
            Some((q, n)) => (Some(q), n),
            None => (None, &self.text),
        }
    }
}

/// A string literal: `raw` as written (with quotes), `value` with escapes decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str {
    pub raw: String,
    pub value: String,
    pub span: Span,
}

/// Any other literal (number, percentage, duration, date, time, period, ...)
/// as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lit {
    pub text: String,
    pub span: Span,
}

/// One `///` line; `text` is what follows the slashes, one leading space removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    pub text: String,
    pub span: Span,
}

/// A clause or item with its doc comments. `span` starts at the keyword.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node<K> {
    pub docs: Vec<Doc>,
    pub span: Span,
    pub kind: K,
}

impl<K> Node<K> {
    /// The doc comment lines joined, if any.
    pub fn doc_text(&self) -> Option<String> {
        join_docs(&self.docs)
    }
}

pub fn join_docs(docs: &[Doc]) -> Option<String> {
    if docs.is_empty() {
        return None;
    }
    Some(
        docs.iter()
            .map(|d| d.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct File {
    pub items: Vec<Node<Item>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Import { path: Str, alias: Name },
    Calendar(Calendar),
    Agreement(Agreement),
    Metric(MetricDecl),
    Holidays(HolidaySet),
    Enum(EnumDecl),
}

impl Item {
    /// The declared name, for items that declare one.
    pub fn name(&self) -> &Name {
        match self {
            Item::Import { alias, .. } => alias,
            Item::Calendar(c) => &c.name,
            Item::Agreement(a) => &a.name,
            Item::Metric(m) => &m.name,
            Item::Holidays(h) => &h.name,
            Item::Enum(e) => &e.name,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    pub name: Name,
    pub title: Option<Str>,
    pub clauses: Vec<Node<CalendarClause>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarClause {
    Timezone(Str),
    Open {
        days: Vec<DaySpec>,
        start: Lit,
        end: Lit,
    },
    Closed(Vec<ClosedEntry>),
}

/// `mon` or `mon-fri`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DaySpec {
    pub from: Name,
    pub to: Option<Name>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClosedEntry {
    Date(Lit),
    Set(Name),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolidaySet {
    pub name: Name,
    pub title: Str,
    pub days: Vec<Node<Holiday>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holiday {
    pub date: Lit,
    pub name: Str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumDecl {
    pub name: Name,
    pub ordered: bool,
    pub values: Vec<Name>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricDecl {
    pub name: Name,
    pub title: Str,
    pub clauses: Vec<Node<MetricClause>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetricClause {
    Kind(Name),
    Events(Name),
    Measure { from: Name, to: Name },
    Series(Str),
    Numerator { name: Name, series: Str },
    Denominator { name: Name, series: Str },
    Labels(Vec<Name>),
    Unit(Str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreement {
    pub name: Name,
    pub title: Str,
    pub clauses: Vec<Node<Clause>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RaciKind {
    Responsible,
    Accountable,
    Consulted,
    Informed,
}

impl RaciKind {
    pub fn keyword(self) -> &'static str {
        match self {
            RaciKind::Responsible => "responsible",
            RaciKind::Accountable => "accountable",
            RaciKind::Consulted => "consulted",
            RaciKind::Informed => "informed",
        }
    }
}

/// A clause of an agreement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clause {
    Party {
        kind: PartyKind,
        id: Name,
        name: Str,
    },
    Effective {
        from: Lit,
        to: Lit,
    },
    Timezone(Str),
    Review(Lit),
    Period(Lit),
    Fee {
        amount: Lit,
        currency: Lit,
        per: Lit,
    },
    Objective(Str),
    Platforms(Vec<Name>),
    Platform {
        id: Name,
        name: Str,
    },
    Audience {
        id: Name,
        name: Str,
    },
    Role {
        id: Name,
        party: Name,
        contacts: Vec<Node<Contact>>,
    },
    Guidelines(Vec<Node<Guideline>>),
    Responsibility {
        id: Name,
        clauses: Vec<Node<Raci>>,
    },
    Goal(Goal),
    Approval(Approval),
    Escalation(Escalation),
    Communication(Vec<Node<Communication>>),
    CreditCap(Lit),
    Exclude(Vec<Name>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub kind: ContactKind,
    pub value: Str,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Guideline {
    Tone(Str),
    Style(Str),
    Languages(Vec<Name>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Raci {
    Assign { kind: RaciKind, roles: Vec<Name> },
    Duty(Str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goal {
    pub id: Name,
    pub title: Str,
    pub clauses: Vec<Node<GoalClause>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GoalClause {
    Metric {
        name: Name,
        by: Option<Name>,
    },
    Where(Vec<Condition>),
    Target(Target),
    /// `target 95% within 15m for priority = urgent`: a segment's target.
    Segment {
        target: Target,
        conditions: Vec<Condition>,
    },
    Clock(Name),
    /// `pause while waiting on customer, client`: the parties as written.
    Pause(Vec<Name>),
    /// `replies by human`: whose replies stop the clock, as written.
    Replies(Name),
    Period(Lit),
    Owner(Name),
    Reported,
    /// `warn at 75%`: an open item is warned about once it has used this
    /// share of its allowance.
    Warn(Lit),
    OnBreach(Vec<Node<Breach>>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub dimension: Name,
    pub test: Test,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Test {
    In(Vec<Name>),
    Compare { op: Lit, value: Name },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// `90% within 1h`
    Within { percent: Lit, duration: Lit },
    /// `p95 <= 30m`
    Quantile { q: Lit, op: Lit, duration: Lit },
    /// `mean <= 8h`
    Mean { op: Lit, duration: Lit },
    /// `>= 4 per week`
    Rate { op: Lit, count: Lit, per: Lit },
    /// `>= 95%`
    Threshold { op: Lit, percent: Lit },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Breach {
    Escalate(Name),
    Credit(Lit),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval {
    pub id: Name,
    pub title: Str,
    pub clauses: Vec<Node<ApprovalClause>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApprovalClause {
    Subject(Name),
    Step {
        id: Name,
        clauses: Vec<Node<StepClause>>,
    },
    Then(Name),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepClause {
    By(Vec<Name>),
    Within(Lit),
    Clock(Name),
    WhenTagged(Str),
    OnSilence(Name),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escalation {
    pub id: Name,
    pub title: Str,
    pub clauses: Vec<Node<EscalationClause>>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EscalationClause {
    Clock(Name),
    Tier {
        id: Name,
        clauses: Vec<Node<TierClause>>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TierClause {
    Notify(Vec<Name>),
    Acknowledge(Lit),
    Resolve(Lit),
    PausePublishing,
    ApproveStatement(Vec<Name>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Communication {
    Report {
        period: Lit,
        to: Name,
        via: Name,
        within: Option<Lit>,
    },
    Meeting {
        period: Lit,
        with: Vec<Name>,
    },
    Channel {
        kind: Name,
        address: Str,
    },
}
