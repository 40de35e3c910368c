//! Goals: the metric, its filters, the target, the clock and what a breach owes.

use super::*;

impl Cx<'_, '_> {
    pub(super) fn goal(
        &mut self,
        node: &Node<Clause>,
        g: &ast::Goal,
        ctx: &Ctx,
    ) -> Option<m::Goal> {
        let file = self.file;
        let what = format!("goal {}", tick(&g.id.text));
        let mut gc = self.goal_clauses(g, ctx);
        if gc.metric_node.is_none() {
            self.err(missing(
                file,
                g.id.span,
                "metric",
                &what,
                "metric response_time",
            ));
            gc.ok = false;
        }
        if gc.target_ast.is_none() {
            self.err(missing(
                file,
                g.id.span,
                "target",
                &what,
                "target 90% within 1h",
            ));
            gc.ok = false;
        }
        let mut conditions = Vec::new();
        if let (Some((metric, _)), Some(conds)) = (&gc.metric, gc.conditions_ast) {
            for cond in conds {
                match self.condition(metric, cond, ctx) {
                    Some(c) => conditions.push(c),
                    None => gc.ok = false,
                }
            }
        }
        let target = match (&gc.metric, gc.target_ast) {
            (Some((metric, _)), Some(t)) => {
                let on = if gc.clock_ok {
                    On::Clock(&gc.clock)
                } else {
                    On::Unresolved
                };
                self.target(metric, t, on)
            }
            _ => None,
        };
        gc.ok &= target.is_some() || gc.target_ast.is_none();
        let pause = match (&gc.metric, gc.pause_ast) {
            (Some((metric, _)), Some((parties, span))) => self.pause(metric, parties, span),
            _ => Some(Vec::new()),
        };
        gc.ok &= pause.is_some();
        let replies = match (&gc.metric, gc.replies_ast) {
            (Some((metric, _)), Some((author, node))) => self.replies(metric, author, node),
            _ => Some(m::Replies::Anyone),
        };
        gc.ok &= replies.is_some();
        if let Some(credit) = gc.credit {
            gc.ok &= self.credit_allowed(&what, credit, gc.reported, ctx);
        }
        if let Some(t) = &target {
            let span = gc.target_ast.map_or(g.id.span, |t| t.span);
            self.deadline_within_period(&what, t, gc.period, span);
        }
        let segments = match (&gc.metric, &target) {
            (Some((metric, _)), Some(t)) if !gc.segments_ast.is_empty() => {
                let on = if gc.clock_ok {
                    On::Clock(&gc.clock)
                } else {
                    On::Unresolved
                };
                let goal_target = (t, gc.target_ast.map_or(g.id.span, |t| t.span));
                let segs =
                    self.segments(metric, goal_target, &conditions, &gc.segments_ast, on, ctx);
                for (seg, (t_ast, _)) in segs.iter().flatten().zip(&gc.segments_ast) {
                    self.deadline_within_period(&what, &seg.target, gc.period, t_ast.span);
                }
                gc.ok &= segs.is_some();
                segs.unwrap_or_default()
            }
            _ => Vec::new(),
        };
        let warn = match gc.warn {
            Some(w) => {
                let t = target.as_ref().zip(gc.target_ast.map(|t| t.span));
                let share = self.warn_share(&what, w, t);
                // Each segment's items are warned at the share of its own
                // `within` (W0016 for each that leaves too little time).
                for seg in &segments {
                    if let (Some(share), Target::Within { within, .. }) = (share, &seg.target) {
                        self.warn_lead(w.0, share, *within);
                    }
                }
                gc.ok &= share.is_some() || target.is_none();
                share
            }
            None => None,
        };
        if !gc.ok {
            return None;
        }
        let (metric, by) = gc.metric?;
        Some(m::Goal {
            id: g.id.text.clone(),
            title: g.title.value.clone(),
            description: node.doc_text(),
            metric,
            by,
            conditions,
            target: target?,
            segments,
            clock: gc.clock,
            period: gc.period,
            owner: gc.owner,
            binding: gc.reported.is_none(),
            escalate: gc.escalate,
            credit: gc.credit.map(|(r, _)| r),
            pause: pause?,
            replies: replies?,
            warn,
        })
    }

    /// The goal's clauses, each checked on its own and allowed once.
    fn goal_clauses<'g>(&mut self, g: &'g ast::Goal, ctx: &Ctx) -> GoalClauses<'g> {
        let file = self.file;
        let mut seen = BTreeMap::new();
        let mut gc = GoalClauses {
            ok: true,
            metric: None,
            metric_node: None,
            conditions_ast: None,
            target_ast: None,
            segments_ast: Vec::new(),
            clock: Clock::Always,
            clock_ok: true,
            pause_ast: None,
            replies_ast: None,
            period: ctx.period,
            owner: None,
            reported: None,
            escalate: None,
            credit: None,
            warn: None,
        };
        for c in &g.clauses {
            match &c.kind {
                ast::GoalClause::Metric { name, by } => {
                    if once(file, &mut seen, "metric", c, &mut self.diags) {
                        gc.metric_node = Some(name);
                        gc.metric = self.metric(name, by.as_ref());
                        gc.ok &= gc.metric.is_some();
                    }
                }
                ast::GoalClause::Where(conds) => {
                    if once(file, &mut seen, "where", c, &mut self.diags) {
                        gc.conditions_ast = Some(conds);
                    }
                }
                ast::GoalClause::Target(t) => {
                    if once(file, &mut seen, "target", c, &mut self.diags) {
                        gc.target_ast = Some(t);
                    }
                }
                ast::GoalClause::Segment { target, conditions } => {
                    gc.segments_ast.push((target, conditions));
                }
                ast::GoalClause::Clock(n) => {
                    if once(file, &mut seen, "clock", c, &mut self.diags) {
                        match self.clock(n) {
                            Some(cl) => gc.clock = cl,
                            None => (gc.ok, gc.clock_ok) = (false, false),
                        }
                    }
                }
                ast::GoalClause::Pause(parties) => {
                    if once(file, &mut seen, "pause", c, &mut self.diags) {
                        // The clause up to its last party (its span runs on to
                        // the next token).
                        let end = parties.last().map_or(c.span.end, |p| p.span.end);
                        gc.pause_ast = Some((parties, Span::new(c.span.start, end)));
                    }
                }
                ast::GoalClause::Replies(author) => {
                    if once(file, &mut seen, "replies by", c, &mut self.diags) {
                        gc.replies_ast = Some((author, c.span));
                    }
                }
                ast::GoalClause::Period(p) => {
                    if once(file, &mut seen, "period", c, &mut self.diags) {
                        gc.period = Period::parse(&p.text).unwrap_or(gc.period);
                    }
                }
                ast::GoalClause::Owner(n) => {
                    if once(file, &mut seen, "owner", c, &mut self.diags) {
                        gc.owner = self.resolve(Scope::Role, n);
                        gc.ok &= gc.owner.is_some();
                    }
                }
                ast::GoalClause::Reported => {
                    if once(file, &mut seen, "reported", c, &mut self.diags) {
                        gc.reported = Some(c.span);
                    }
                }
                ast::GoalClause::Warn(p) => {
                    if once(file, &mut seen, "warn at", c, &mut self.diags) {
                        gc.warn = Some((p, c.span));
                    }
                }
                ast::GoalClause::OnBreach(bs) => {
                    if once(file, &mut seen, "on breach", c, &mut self.diags) {
                        self.on_breach(bs, &mut gc);
                    }
                }
            }
        }
        gc
    }

    /// `on breach { escalate E.T  credit P }`.
    fn on_breach(&mut self, bs: &[Node<ast::Breach>], gc: &mut GoalClauses) {
        let file = self.file;
        let mut seen = BTreeMap::new();
        for b in bs {
            match &b.kind {
                ast::Breach::Escalate(n) => {
                    if once(file, &mut seen, "escalate", b, &mut self.diags) {
                        gc.escalate = self.tier_ref(n);
                        gc.ok &= gc.escalate.is_some();
                    }
                }
                ast::Breach::Credit(p) => {
                    if once(file, &mut seen, "credit", b, &mut self.diags) {
                        match self.percent(p) {
                            Some(r) => gc.credit = Some((r, b.span)),
                            None => gc.ok = false,
                        }
                    }
                }
            }
        }
    }

    /// A credit needs a binding goal, a fee, and to stay within the cap.
    fn credit_allowed(
        &mut self,
        what: &str,
        (ratio, span): (Ratio, Span),
        reported: Option<Span>,
        ctx: &Ctx,
    ) -> bool {
        let file = self.file;
        if let Some(rep) = reported {
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
            return false;
        }
        if ctx.fee.is_none() {
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
            return false;
        }
        match ctx.cap {
            Some((cap, cap_span)) if ratio > cap => {
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
                false
            }
            _ => true,
        }
    }

    /// Warns when no event could breach the target within one period.
    fn deadline_within_period(&mut self, what: &str, t: &Target, period: Period, span: Span) {
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
                    self.file,
                    span,
                )
                .label("no event could breach this within a period")
                .help("shorten the deadline or measure over a longer `period`"),
            );
        }
    }

    /// Resolves the goal's metric and its `by` denominator.
    pub(super) fn metric(
        &mut self,
        name: &Name,
        by: Option<&Name>,
    ) -> Option<(m::Metric, Option<String>)> {
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
}

/// What a goal's clauses say, before the metric's conditions and target are
/// checked against each other.
struct GoalClauses<'g> {
    /// False once any clause failed.
    ok: bool,
    metric: Option<(m::Metric, Option<String>)>,
    metric_node: Option<&'g Name>,
    conditions_ast: Option<&'g Vec<ast::Condition>>,
    target_ast: Option<&'g ast::Target>,
    /// `target ... for COND, ...` clauses, in source order.
    segments_ast: Vec<(&'g ast::Target, &'g [ast::Condition])>,
    clock: Clock,
    /// False when the `clock` clause named no known calendar.
    clock_ok: bool,
    /// `pause while waiting on ...`: the parties as written and the clause.
    pause_ast: Option<(&'g Vec<Name>, Span)>,
    /// `replies by AUTHOR`: the author as written and the clause's node span.
    replies_ast: Option<(&'g Name, Span)>,
    period: Period,
    owner: Option<String>,
    reported: Option<Span>,
    escalate: Option<m::TierRef>,
    credit: Option<(Ratio, Span)>,
    /// `warn at P%` as written, with the clause's span.
    warn: Option<(&'g Lit, Span)>,
}
