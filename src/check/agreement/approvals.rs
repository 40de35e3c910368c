//! Approvals and their steps.

use super::*;

impl Cx<'_, '_> {
    pub(super) fn approval(
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

    pub(super) fn step(
        &mut self,
        id: &Name,
        clauses: &[Node<ast::StepClause>],
        ctx: &Ctx,
    ) -> Option<m::Step> {
        let file = self.file;
        let what = format!("step {}", tick(&id.text));
        let mut seen = BTreeMap::new();
        let mut ok = true;
        let (mut by, mut within_lit, mut clock, mut tagged, mut silence) =
            (Vec::new(), None, Some(Clock::Always), None, None);
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
                        within_lit = Some(d);
                    }
                }
                ast::StepClause::Clock(n) => {
                    if once(file, &mut seen, "clock", c, &mut self.diags) {
                        clock = self.clock(n);
                        ok &= clock.is_some();
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
        let on = clock.as_ref().map_or(On::Unresolved, On::Clock);
        let within = within_lit.and_then(|d| self.step_within(&what, d, on, ctx));
        ok &= within.is_some() || within_lit.is_none();
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
            clock: clock?,
            when_tagged: tagged,
            on_silence: silence,
        })
    }
}

impl Cx<'_, '_> {
    /// A step's `within` on the step's clock, warning when it outlasts the term.
    fn step_within(&mut self, what: &str, d: &Lit, on: On, ctx: &Ctx) -> Option<Seconds> {
        let w = self.duration_on(d, on)?;
        if let Some(term) = ctx.term {
            let term_secs = ((term.end - term.start).num_days() as u64 + 1) * 86_400;
            if w.0 > term_secs {
                self.err(
                    Diagnostic::new(
                        Code::W0006,
                        format!("{what} allows {w}, longer than the agreement's term"),
                        self.file,
                        d.span,
                    )
                    .label("longer than the whole term")
                    .help("shorten the deadline"),
                );
            }
        }
        Some(w)
    }
}
