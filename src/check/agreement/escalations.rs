//! Escalations, their tiers, and the `escalation.tier` a goal names.

use super::*;

impl Cx<'_, '_> {
    pub(super) fn escalation(
        &mut self,
        node: &Node<Clause>,
        e: &ast::Escalation,
    ) -> Option<m::Escalation> {
        let file = self.file;
        let (clock, clock_ok) = self.escalation_clock(e);
        let mut ok = clock_ok;
        let on = if clock_ok {
            On::Clock(&clock)
        } else {
            On::Unresolved
        };
        let mut tiers: Vec<m::Tier> = Vec::new();
        // The slowest acknowledgement among the less severe tiers so far.
        let mut slowest: Option<(Seconds, Span, String)> = None;
        let mut seen_tiers: Vec<&str> = Vec::new();
        for c in &e.clauses {
            match &c.kind {
                ast::EscalationClause::Clock(_) => {} // read first, by escalation_clock
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
                                    tier.acknowledge = self.duration_on(d, on);
                                    ok &= tier.acknowledge.is_some();
                                    ack_span = Some(d.span);
                                }
                            }
                            ast::TierClause::Resolve(d) => {
                                if once(file, &mut tseen, "resolve", tc, &mut self.diags) {
                                    tier.resolve = self.duration_on(d, on);
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

    /// The escalation's clock, read before its tiers so their durations run on
    /// it wherever it is written; false when it names no known calendar.
    fn escalation_clock(&mut self, e: &ast::Escalation) -> (Clock, bool) {
        let mut seen = BTreeMap::new();
        let mut clock = (Clock::Always, true);
        for c in &e.clauses {
            if let ast::EscalationClause::Clock(n) = &c.kind {
                if once(self.file, &mut seen, "clock", c, &mut self.diags) {
                    clock = self
                        .clock(n)
                        .map_or((Clock::Always, false), |cl| (cl, true));
                }
            }
        }
        clock
    }

    /// `escalation.tier` on a breach.
    pub(super) fn tier_ref(&mut self, n: &Name) -> Option<m::TierRef> {
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
            let help = suggest::did_you_mean_or_list(&tier, &names, "its tiers are");
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
}
