//! The agreement-wide clauses: the names declared up front (pass 1), then
//! the parties, term, time zone, periods, fee, platforms, audiences, credit
//! cap and exclusions every other clause is checked against (pass 2).

use super::*;

/// What the agreement-wide clauses say.
pub(super) struct Header {
    /// Clauses that may appear once, with the first one's span.
    pub seen: BTreeMap<&'static str, Span>,
    pub parties: Vec<m::Party>,
    pub term: Option<m::Term>,
    pub effective: Option<Span>,
    pub timezone: Option<chrono_tz::Tz>,
    pub review: Option<Period>,
    pub period: Period,
    pub fee: Option<m::Fee>,
    pub fee_span: Option<Span>,
    pub objectives: Vec<String>,
    pub platforms: Option<Vec<String>>,
    pub custom_platforms: Vec<m::Named>,
    pub audiences: Vec<m::Named>,
    pub credit_cap: Option<Ratio>,
    pub cap_span: Option<Span>,
    pub exclusions: Vec<m::Exclusion>,
}

impl Header {
    fn new() -> Header {
        Header {
            seen: BTreeMap::new(),
            parties: Vec::new(),
            term: None,
            effective: None,
            timezone: Some(chrono_tz::Tz::UTC),
            review: None,
            period: Period::Monthly,
            fee: None,
            fee_span: None,
            objectives: Vec::new(),
            platforms: None,
            custom_platforms: Vec::new(),
            audiences: Vec::new(),
            credit_cap: None,
            cap_span: None,
            exclusions: Vec::new(),
        }
    }
}

impl Cx<'_, '_> {
    /// Pass 1: declarations, so clauses may refer to names declared later.
    pub(super) fn declarations(&mut self, a: &ast::Agreement) {
        let file = self.file;
        let mut goal_ids: BTreeMap<String, Span> = BTreeMap::new();
        let mut other_ids: BTreeMap<(&str, String), Span> = BTreeMap::new();
        for c in &a.clauses {
            let (kind, id) = match &c.kind {
                Clause::Party { id, .. } => {
                    self.declare(Scope::Party, "party", id);
                    continue;
                }
                Clause::Role { id, .. } => {
                    self.declare(Scope::Role, "role", id);
                    continue;
                }
                Clause::Audience { id, .. } => {
                    self.declare(Scope::Audience, "audience", id);
                    continue;
                }
                Clause::Platform { id, .. } => {
                    self.declare_platform(id);
                    continue;
                }
                Clause::Goal(g) => {
                    if let Some(first) = goal_ids.get(&g.id.text) {
                        self.err(duplicate(file, "goal", &g.id, *first));
                    } else {
                        goal_ids.insert(g.id.text.clone(), g.id.span);
                    }
                    continue;
                }
                Clause::Escalation(e) => ("escalation", &e.id),
                Clause::Approval(ap) => ("approval", &ap.id),
                Clause::Responsibility { id, .. } => ("responsibility", id),
                _ => continue,
            };
            let key = (kind, id.text.clone());
            if let Some(first) = other_ids.get(&key) {
                self.err(duplicate(file, kind, id, *first));
                continue;
            }
            other_ids.insert(key, id.span);
            if let Clause::Escalation(e) = &c.kind {
                self.declare_tiers(e);
            }
        }
    }

    /// A platform the agreement adds to the prelude's.
    fn declare_platform(&mut self, id: &Name) {
        let known = self
            .enum_values("platform")
            .is_some_and(|p| p.values.contains(&id.text));
        if !known {
            self.declare(Scope::Platform, "platform", id);
            return;
        }
        self.err(
            Diagnostic::new(
                Code::E0209,
                format!("platform {} is already known", tick(&id.text)),
                self.file,
                id.span,
            )
            .label("the prelude declares this platform")
            .help(format!(
                "remove this line; `{}` can be used as it is",
                id.text
            )),
        );
    }

    /// The tiers of an escalation, each declared once.
    fn declare_tiers(&mut self, e: &ast::Escalation) {
        let mut tiers: Vec<(String, Span)> = Vec::new();
        for t in &e.clauses {
            if let ast::EscalationClause::Tier { id, .. } = &t.kind {
                if let Some((_, first)) = tiers.iter().find(|(n, _)| *n == id.text) {
                    self.err(duplicate(self.file, "tier", id, *first));
                    continue;
                }
                tiers.push((id.text.clone(), id.span));
            }
        }
        self.escalations.insert(e.id.text.clone(), tiers);
    }

    /// Pass 2: the agreement-wide clauses.
    pub(super) fn header(&mut self, a: &ast::Agreement) -> Header {
        let mut h = Header::new();
        for c in &a.clauses {
            self.header_clause(&mut h, c);
        }
        h
    }

    fn header_clause(&mut self, h: &mut Header, c: &Node<Clause>) {
        let file = self.file;
        match &c.kind {
            Clause::Party { kind, id, name } => h.parties.push(m::Party {
                id: id.text.clone(),
                name: name.value.clone(),
                kind: *kind,
            }),
            Clause::Effective { from, to } => {
                if once(file, &mut h.seen, "effective", c, &mut self.diags) {
                    h.effective = Some(c.span);
                    h.term = self.term(from, to);
                }
            }
            Clause::Timezone(tz) => {
                if once(file, &mut h.seen, "timezone", c, &mut self.diags) {
                    h.timezone = time_zone(file, tz, &mut self.diags);
                }
            }
            Clause::Review(p) => {
                if once(file, &mut h.seen, "review", c, &mut self.diags) {
                    h.review = Period::parse(&p.text);
                }
            }
            Clause::Period(p) => {
                if once(file, &mut h.seen, "period", c, &mut self.diags) {
                    h.period = Period::parse(&p.text).unwrap_or(Period::Monthly);
                }
            }
            Clause::Fee {
                amount,
                currency,
                per,
            } => {
                if once(file, &mut h.seen, "fee", c, &mut self.diags) {
                    h.fee_span = Some(c.span);
                    h.fee = self.fee(amount, currency, per);
                }
            }
            Clause::Objective(o) => h.objectives.push(o.value.clone()),
            Clause::Platforms(names) => {
                if once(file, &mut h.seen, "platforms", c, &mut self.diags) {
                    h.platforms = Some(self.platform_list(names));
                }
            }
            Clause::Platform { id, name } => h.custom_platforms.push(m::Named {
                id: id.text.clone(),
                name: name.value.clone(),
            }),
            Clause::Audience { id, name } => h.audiences.push(m::Named {
                id: id.text.clone(),
                name: name.value.clone(),
            }),
            Clause::CreditCap(p) => {
                if once(file, &mut h.seen, "credit cap", c, &mut self.diags) {
                    h.cap_span = Some(c.span);
                    h.credit_cap = self.percent(p);
                }
            }
            Clause::Exclude(names) => {
                for n in names {
                    self.exclusion(n, &mut h.exclusions);
                }
            }
            _ => {}
        }
    }

    /// `effective FROM to TO`: in order, and not longer than the limit.
    fn term(&mut self, from: &Lit, to: &Lit) -> Option<m::Term> {
        let file = self.file;
        let (start, end) = (values::date(file, from), values::date(file, to));
        // Both dates are checked (and reported) before either is needed.
        let (start, end) = (self.ok(start), self.ok(end));
        let (start, end) = (start?, end?);
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
            return None;
        }
        if start
            .checked_add_months(chrono::Months::new(MAX_TERM_YEARS * 12))
            .is_none_or(|limit| end > limit)
        {
            // Every target computes business time over the term; millennia
            // of it would take minutes.
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
                .help(
                    "check the years for a typo; agreements are renewed, not signed for a century",
                ),
            );
            return None;
        }
        Some(m::Term { start, end })
    }

    /// `fee AMOUNT CURRENCY per month`.
    fn fee(&mut self, amount: &Lit, currency: &Lit, per: &Lit) -> Option<m::Fee> {
        let file = self.file;
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
                Diagnostic::new(
                    Code::E0212,
                    format!("fees are monthly, not per {}", tick(&per.text)),
                    file,
                    per.span,
                )
                .label("expected `month`")
                .help("state the fee `per month`; credits are a share of each period's fee"),
            );
            return None;
        }
        Some(m::Fee {
            cents: cents?,
            currency: currency.text.clone(),
            per: m::PerUnit::Month,
        })
    }

    /// One name of `exclude`, added once.
    fn exclusion(&mut self, n: &Name, exclusions: &mut Vec<m::Exclusion>) {
        match m::Exclusion::ALL
            .into_iter()
            .find(|e| e.keyword() == n.text)
        {
            Some(e) if !exclusions.contains(&e) => exclusions.push(e),
            Some(_) => {}
            None => {
                let kinds: Vec<&str> = m::Exclusion::ALL.iter().map(|e| e.keyword()).collect();
                let help = suggest::did_you_mean_or_list(&n.text, &kinds, "exclusions are");
                self.err(
                    Diagnostic::new(
                        Code::E0213,
                        format!("unknown exclusion {}", tick(&n.text)),
                        self.file,
                        n.span,
                    )
                    .label("not a kind of exclusion")
                    .help(help),
                );
            }
        }
    }

    /// Every agreement names a client, a provider and its term.
    pub(super) fn required_clauses(&mut self, a: &ast::Agreement, h: &Header) {
        let file = self.file;
        let what = format!("agreement {}", tick(&a.name.text));
        for (kind, example) in [
            (m::PartyKind::Client, "client ID \"Name\""),
            (m::PartyKind::Provider, "provider ID \"Name\""),
        ] {
            if !h.parties.iter().any(|p| p.kind == kind) {
                self.err(
                    Diagnostic::new(
                        Code::E0312,
                        format!("{what} has no {}", kind.keyword()),
                        file,
                        a.name.span,
                    )
                    .label(format!("no `{}` clause", kind.keyword()))
                    .help(format!(
                        "every agreement names at least one client and one provider: add `{example}`"
                    )),
                );
            }
        }
        if h.effective.is_none() {
            self.err(missing(
                file,
                a.name.span,
                "effective",
                &what,
                "effective 2026-01-01 to 2026-12-31",
            ));
        }
    }
}
