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
