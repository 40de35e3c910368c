//! A symbol index of one file: every declaration (with its span, the span of
//! the whole clause, its doc comment and its parent in the outline) and every
//! use of a name, read off the AST. Editors use it for go to definition, find
//! references, hover and the outline; it is pure and knows nothing of other
//! files: a qualified use (`cal.extended_care`) records its import alias,
//! and whoever holds the other files resolves it.

use super::ast::{self, Clause, Item, Name, Node};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymbolKind {
    Import,
    Calendar,
    Holidays,
    Metric,
    Enum,
    EnumValue,
    Agreement,
    Party,
    Role,
    Audience,
    Platform,
    Responsibility,
    Goal,
    Approval,
    Step,
    Escalation,
    Tier,
}

impl SymbolKind {
    /// Whether the name is visible to the whole file (and, qualified, to
    /// importers), rather than only inside one agreement.
    pub fn is_file_level(self) -> bool {
        matches!(
            self,
            SymbolKind::Import
                | SymbolKind::Calendar
                | SymbolKind::Holidays
                | SymbolKind::Metric
                | SymbolKind::Enum
                | SymbolKind::EnumValue
                | SymbolKind::Agreement
        )
    }
}

/// Where a name is visible: the file, or one agreement (by item position,
/// since two agreements may even share a name in a file with errors).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    File,
    Agreement(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decl {
    pub kind: SymbolKind,
    /// The key uses look it up by: the name, or `escalation.tier` for tiers,
    /// `approval.step` for steps and `enum.value` for enumeration values.
    pub key: String,
    /// The declared identifier.
    pub name_span: Span,
    /// The whole item or clause, from its keyword.
    pub span: Span,
    pub scope: Scope,
    pub docs: Option<String>,
    /// A short description: an item's title, a role's party, an import's path.
    pub detail: Option<String>,
    /// The enclosing declaration in the outline (a tier's escalation).
    pub parent: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub kind: SymbolKind,
    /// The key of the declaration it names (see `Decl::key`).
    pub key: String,
    /// Only the part of the name that names this symbol: `extended_care` in
    /// `cal.extended_care`, `minor` in `crisis.minor`.
    pub span: Span,
    pub scope: Scope,
    /// The import alias of a qualified name (`cal` in `cal.extended_care`).
    pub alias: Option<String>,
}

/// A duration literal and the clock it runs on, for hovers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationUse {
    pub lit: ast::Lit,
    /// The calendar its clause measures in (`always` when none is given), or
    /// `None` for durations that are not measured on a clock.
    pub clock: Option<String>,
}

/// An import: the path string (for go to definition on it) and the alias.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportUse {
    pub path: ast::Str,
    pub alias: Name,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Index {
    pub decls: Vec<Decl>,
    pub refs: Vec<Ref>,
    pub durations: Vec<DurationUse>,
    pub imports: Vec<ImportUse>,
}

impl Index {
    pub fn new(file: &ast::File) -> Index {
        let mut b = Builder::default();
        for (i, item) in file.items.iter().enumerate() {
            b.item(i, item);
        }
        b.index
    }

    /// The declaration whose name covers `offset`.
    pub fn decl_at(&self, offset: usize) -> Option<usize> {
        self.decls.iter().position(|d| covers(d.name_span, offset))
    }

    /// The use whose name covers `offset`.
    pub fn ref_at(&self, offset: usize) -> Option<&Ref> {
        self.refs.iter().find(|r| covers(r.span, offset))
    }

    pub fn duration_at(&self, offset: usize) -> Option<&DurationUse> {
        self.durations.iter().find(|d| covers(d.lit.span, offset))
    }

    pub fn import_at(&self, offset: usize) -> Option<&ImportUse> {
        self.imports.iter().find(|i| covers(i.path.span, offset))
    }

    /// Looks a key up among this file's declarations visible from `scope`:
    /// the agreement's own names, then the file's.
    pub fn find(&self, kind: SymbolKind, key: &str, scope: Scope) -> Option<usize> {
        let at = |s: Scope| {
            self.decls
                .iter()
                .position(|d| d.kind == kind && d.key == key && d.scope == s)
        };
        match scope {
            Scope::Agreement(_) if !kind.is_file_level() => at(scope),
            _ => at(Scope::File),
        }
    }
}

/// Whether the cursor at `offset` is on the span (its end counts: a cursor
/// just after a name is still on it).
fn covers(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

#[derive(Default)]
struct Builder {
    index: Index,
}

impl Builder {
    fn decl<K>(
        &mut self,
        kind: SymbolKind,
        key: String,
        name: &Name,
        node: &Node<K>,
        scope: Scope,
        parent: Option<usize>,
    ) -> usize {
        self.index.decls.push(Decl {
            kind,
            key,
            name_span: name.span,
            span: node.span,
            scope,
            docs: node.doc_text(),
            detail: None,
            parent,
        });
        self.index.decls.len() - 1
    }

    fn detail(&mut self, decl: usize, detail: impl Into<String>) {
        self.index.decls[decl].detail = Some(detail.into());
    }

    fn use_(&mut self, kind: SymbolKind, key: impl Into<String>, span: Span, scope: Scope) {
        self.index.refs.push(Ref {
            kind,
            key: key.into(),
            span,
            scope,
            alias: None,
        });
    }

    /// A use of a file-level item that may be qualified: records the alias
    /// as a use of the import, and the rest as a use of the item.
    fn item_use(&mut self, kind: SymbolKind, name: &Name, scope: Scope) {
        match name.split() {
            (Some(alias), local) => {
                let start = name.span.start;
                let alias_span = Span::new(start, start + alias.len());
                self.use_(SymbolKind::Import, alias, alias_span, Scope::File);
                self.index.refs.push(Ref {
                    kind,
                    key: local.to_string(),
                    span: Span::new(alias_span.end + 1, name.span.end),
                    scope,
                    alias: Some(alias.to_string()),
                });
            }
            (None, local) => self.use_(kind, local, name.span, scope),
        }
    }

    fn roles(&mut self, names: &[Name], scope: Scope) {
        for n in names {
            self.use_(SymbolKind::Role, n.text.as_str(), n.span, scope);
        }
    }

    fn clock(&mut self, name: &Name, scope: Scope) {
        if name.text != "always" {
            self.item_use(SymbolKind::Calendar, name, scope);
        }
    }

    /// The duration of a goal's (or a segment's) target, measured on its clock.
    fn target_duration(&mut self, t: &ast::Target, clock: Option<&Name>) {
        match &t.kind {
            ast::TargetKind::Within { duration, .. }
            | ast::TargetKind::Quantile { duration, .. }
            | ast::TargetKind::Mean { duration, .. } => self.duration(duration, clock, true),
            _ => {}
        }
    }

    fn duration(&mut self, lit: &ast::Lit, clock: Option<&Name>, clocked: bool) {
        self.index.durations.push(DurationUse {
            lit: lit.clone(),
            clock: clocked.then(|| clock.map_or("always".to_string(), |c| c.text.clone())),
        });
    }

    fn item(&mut self, position: usize, item: &Node<Item>) {
        let file = Scope::File;
        match &item.kind {
            Item::Import { path, alias } => {
                let d = self.decl(
                    SymbolKind::Import,
                    alias.text.clone(),
                    alias,
                    item,
                    file,
                    None,
                );
                self.detail(d, path.raw.as_str());
                self.index.imports.push(ImportUse {
                    path: path.clone(),
                    alias: alias.clone(),
                });
            }
            Item::Calendar(c) => {
                let d = self.decl(
                    SymbolKind::Calendar,
                    c.name.text.clone(),
                    &c.name,
                    item,
                    file,
                    None,
                );
                if let Some(t) = &c.title {
                    self.detail(d, t.value.as_str());
                }
                for clause in &c.clauses {
                    if let ast::CalendarClause::Closed(entries) = &clause.kind {
                        for e in entries {
                            if let ast::ClosedEntry::Set(n) = e {
                                self.item_use(SymbolKind::Holidays, n, file);
                            }
                        }
                    }
                }
            }
            Item::Metric(m) => {
                let d = self.decl(
                    SymbolKind::Metric,
                    m.name.text.clone(),
                    &m.name,
                    item,
                    file,
                    None,
                );
                self.detail(d, m.title.value.as_str());
                for clause in &m.clauses {
                    if let ast::MetricClause::Labels(labels) = &clause.kind {
                        for l in labels {
                            self.use_(SymbolKind::Enum, l.text.as_str(), l.span, file);
                        }
                    }
                }
            }
            Item::Holidays(h) => {
                let d = self.decl(
                    SymbolKind::Holidays,
                    h.name.text.clone(),
                    &h.name,
                    item,
                    file,
                    None,
                );
                self.detail(d, h.title.value.as_str());
            }
            Item::Enum(e) => {
                let parent = self.decl(
                    SymbolKind::Enum,
                    e.name.text.clone(),
                    &e.name,
                    item,
                    file,
                    None,
                );
                for v in &e.values {
                    self.index.decls.push(Decl {
                        kind: SymbolKind::EnumValue,
                        key: format!("{}.{}", e.name.text, v.text),
                        name_span: v.span,
                        span: v.span,
                        scope: file,
                        docs: None,
                        detail: Some(format!("value of enum {}", e.name.text)),
                        parent: Some(parent),
                    });
                }
            }
            Item::Agreement(a) => {
                // The agreement is a file-level name; its body is its own scope.
                let parent = self.decl(
                    SymbolKind::Agreement,
                    a.name.text.clone(),
                    &a.name,
                    item,
                    file,
                    None,
                );
                self.detail(parent, a.title.value.as_str());
                let scope = Scope::Agreement(position);
                for c in &a.clauses {
                    self.clause(c, scope, parent);
                }
            }
        }
    }

    fn clause(&mut self, c: &Node<Clause>, scope: Scope, parent: usize) {
        let p = Some(parent);
        match &c.kind {
            Clause::Party { kind, id, name } => {
                let d = self.decl(SymbolKind::Party, id.text.clone(), id, c, scope, p);
                self.detail(d, format!("{} {}", kind.keyword(), name.raw));
            }
            Clause::Platform { id, name } => {
                let d = self.decl(SymbolKind::Platform, id.text.clone(), id, c, scope, p);
                self.detail(d, name.value.as_str());
            }
            Clause::Audience { id, name } => {
                let d = self.decl(SymbolKind::Audience, id.text.clone(), id, c, scope, p);
                self.detail(d, name.value.as_str());
            }
            Clause::Platforms(names) => {
                for n in names {
                    self.use_(SymbolKind::Platform, n.text.as_str(), n.span, scope);
                }
            }
            Clause::Role { id, party, .. } => {
                let d = self.decl(SymbolKind::Role, id.text.clone(), id, c, scope, p);
                self.detail(d, format!("of {}", party.text));
                self.use_(SymbolKind::Party, party.text.as_str(), party.span, scope);
            }
            Clause::Responsibility { id, clauses } => {
                self.decl(SymbolKind::Responsibility, id.text.clone(), id, c, scope, p);
                for r in clauses {
                    if let ast::Raci::Assign { roles, .. } = &r.kind {
                        self.roles(roles, scope);
                    }
                }
            }
            Clause::Goal(g) => self.goal(c, g, scope, parent),
            Clause::Approval(ap) => {
                let me = self.decl(
                    SymbolKind::Approval,
                    ap.id.text.clone(),
                    &ap.id,
                    c,
                    scope,
                    p,
                );
                self.detail(me, ap.title.value.as_str());
                for ac in &ap.clauses {
                    if let ast::ApprovalClause::Step { id, clauses } = &ac.kind {
                        let key = format!("{}.{}", ap.id.text, id.text);
                        self.decl(SymbolKind::Step, key, id, ac, scope, Some(me));
                        let clock = clauses.iter().find_map(|s| match &s.kind {
                            ast::StepClause::Clock(n) => Some(n),
                            _ => None,
                        });
                        for s in clauses {
                            match &s.kind {
                                ast::StepClause::By(roles) => self.roles(roles, scope),
                                ast::StepClause::Within(d) => self.duration(d, clock, true),
                                ast::StepClause::Clock(n) => self.clock(n, scope),
                                _ => {}
                            }
                        }
                    }
                }
            }
            Clause::Escalation(e) => {
                let me = self.decl(
                    SymbolKind::Escalation,
                    e.id.text.clone(),
                    &e.id,
                    c,
                    scope,
                    p,
                );
                self.detail(me, e.title.value.as_str());
                let clock = e.clauses.iter().find_map(|t| match &t.kind {
                    ast::EscalationClause::Clock(n) => Some(n),
                    _ => None,
                });
                for ec in &e.clauses {
                    match &ec.kind {
                        ast::EscalationClause::Clock(n) => self.clock(n, scope),
                        ast::EscalationClause::Tier { id, clauses } => {
                            let key = format!("{}.{}", e.id.text, id.text);
                            self.decl(SymbolKind::Tier, key, id, ec, scope, Some(me));
                            for t in clauses {
                                match &t.kind {
                                    ast::TierClause::Notify(r)
                                    | ast::TierClause::ApproveStatement(r) => self.roles(r, scope),
                                    ast::TierClause::Acknowledge(d)
                                    | ast::TierClause::Resolve(d) => self.duration(d, clock, true),
                                    ast::TierClause::PausePublishing => {}
                                }
                            }
                        }
                    }
                }
            }
            Clause::Communication(cs) => {
                for cc in cs {
                    match &cc.kind {
                        ast::Communication::Report { to, within, .. } => {
                            self.use_(SymbolKind::Role, to.text.as_str(), to.span, scope);
                            if let Some(w) = within {
                                self.duration(w, None, false);
                            }
                        }
                        ast::Communication::Meeting { with, .. } => self.roles(with, scope),
                        ast::Communication::Channel { .. } => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn goal(&mut self, c: &Node<Clause>, g: &ast::Goal, scope: Scope, parent: usize) {
        let d = self.decl(
            SymbolKind::Goal,
            g.id.text.clone(),
            &g.id,
            c,
            scope,
            Some(parent),
        );
        self.detail(d, g.title.value.as_str());
        let clock = g.clauses.iter().find_map(|gc| match &gc.kind {
            ast::GoalClause::Clock(n) => Some(n),
            _ => None,
        });
        for gc in &g.clauses {
            match &gc.kind {
                ast::GoalClause::Metric { name, .. } => {
                    self.item_use(SymbolKind::Metric, name, scope)
                }
                ast::GoalClause::Where(conds) => {
                    for cond in conds {
                        self.condition(cond, scope);
                    }
                }
                ast::GoalClause::Target(t) => self.target_duration(t, clock),
                ast::GoalClause::Segment {
                    target: t,
                    conditions,
                } => {
                    self.target_duration(t, clock);
                    for cond in conditions {
                        self.condition(cond, scope);
                    }
                }
                ast::GoalClause::Clock(n) => self.clock(n, scope),
                ast::GoalClause::Owner(r) => {
                    self.use_(SymbolKind::Role, r.text.as_str(), r.span, scope)
                }
                ast::GoalClause::OnBreach(bs) => {
                    for b in bs {
                        if let ast::Breach::Escalate(n) = &b.kind {
                            self.tier_use(n, scope);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// `crisis.minor`: a use of the escalation and of its tier.
    fn tier_use(&mut self, n: &Name, scope: Scope) {
        let esc = n.split().0.unwrap_or(&n.text);
        let start = n.span.start;
        let esc_span = Span::new(start, start + esc.len());
        self.use_(SymbolKind::Escalation, esc, esc_span, scope);
        if esc_span.end < n.span.end {
            let span = Span::new(esc_span.end + 1, n.span.end);
            self.use_(SymbolKind::Tier, n.text.as_str(), span, scope);
        }
    }

    /// `platform in [x, y]`, `audience = a`, `priority >= high`: the
    /// dimension names an enumeration, its values that enumeration's values
    /// (platforms and audiences may be declared by the agreement).
    fn condition(&mut self, cond: &ast::Condition, scope: Scope) {
        let dim = cond.dimension.text.as_str();
        if dim != "audience" {
            self.use_(SymbolKind::Enum, dim, cond.dimension.span, scope);
        }
        let values: Vec<&Name> = match &cond.test {
            ast::Test::In(vs) => vs.iter().collect(),
            ast::Test::Compare { value, .. } => vec![value],
        };
        for v in values {
            match dim {
                "audience" => self.use_(SymbolKind::Audience, v.text.as_str(), v.span, scope),
                "platform" => self.use_(SymbolKind::Platform, v.text.as_str(), v.span, scope),
                _ => self.use_(
                    SymbolKind::EnumValue,
                    format!("{dim}.{}", v.text),
                    v.span,
                    scope,
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn index(src: &str) -> Index {
        Index::new(&crate::syntax::parse(FileId(0), src).unwrap())
    }

    const SRC: &str = r#"import "cal.sla" as cal
calendar office { timezone "UTC" open mon-fri 09:00-17:00 }
agreement a "A" {
  client c "C"
  provider p "P"
  effective 2026-01-01 to 2026-12-31
  /// Answers customers.
  role care of p { email "care@p.example" }
  goal g "G" {
    metric response_time
    where platform = x, priority >= high
    target 90% within 1h
    clock cal.ext
    owner care
    on breach { escalate crisis.minor }
  }
  escalation crisis "Crisis" {
    clock office
    tier minor { notify care acknowledge within 2h }
  }
}
"#;

    #[test]
    fn declarations_carry_keys_docs_and_parents() {
        let ix = index(SRC);
        let role = ix
            .decls
            .iter()
            .find(|d| d.kind == SymbolKind::Role)
            .unwrap();
        assert_eq!(&SRC[role.name_span.start..role.name_span.end], "care");
        assert_eq!(role.docs.as_deref(), Some("Answers customers."));
        assert_eq!(role.scope, Scope::Agreement(2));
        let tier = ix
            .decls
            .iter()
            .find(|d| d.kind == SymbolKind::Tier)
            .unwrap();
        assert_eq!(tier.key, "crisis.minor");
        assert_eq!(ix.decls[tier.parent.unwrap()].key, "crisis");
    }

    #[test]
    fn uses_split_qualified_names() {
        let ix = index(SRC);
        let at = |s: &str| SRC.find(s).unwrap();
        let cal = ix.ref_at(at("cal.ext") + 1).unwrap();
        assert_eq!((cal.kind, cal.key.as_str()), (SymbolKind::Import, "cal"));
        let ext = ix.ref_at(at("cal.ext") + 5).unwrap();
        assert_eq!(
            (ext.kind, ext.alias.as_deref()),
            (SymbolKind::Calendar, Some("cal"))
        );
        let tier = ix.ref_at(at("crisis.minor") + 8).unwrap();
        assert_eq!(
            (tier.kind, tier.key.as_str()),
            (SymbolKind::Tier, "crisis.minor")
        );
        let esc = ix.ref_at(at("crisis.minor")).unwrap();
        assert_eq!(esc.kind, SymbolKind::Escalation);
        let high = ix.ref_at(at("high")).unwrap();
        assert_eq!(high.key, "priority.high");
        let role = ix.ref_at(at("owner care") + 6).unwrap();
        let decl = ix.find(SymbolKind::Role, &role.key, role.scope).unwrap();
        assert_eq!(ix.decls[decl].key, "care");
    }

    #[test]
    fn durations_know_their_clock() {
        let ix = index(SRC);
        let d = ix.duration_at(SRC.find("1h").unwrap()).unwrap();
        assert_eq!(d.clock.as_deref(), Some("cal.ext"));
        let d = ix.duration_at(SRC.find("2h").unwrap()).unwrap();
        assert_eq!(d.clock.as_deref(), Some("office"));
    }
}
