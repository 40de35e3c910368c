//! The canonical layout: one clause a line, two-space indentation, blocks
//! opened on the header line, one blank line between items, blank lines
//! between clauses kept (at most one), comments kept next to the clause they
//! were written at. Party lines are aligned when the author aligned them.

use super::trivia::Comment;
use crate::syntax::ast::*;

pub struct Printer<'s> {
    src: &'s str,
    out: String,
    comments: Vec<Comment>,
    next: usize,
    indent: usize,
    /// Source offset where the last printed node or comment ended.
    last_end: usize,
    /// True right after a `{`: no blank line may follow.
    at_block_start: bool,
}

impl<'s> Printer<'s> {
    pub fn new(src: &'s str, comments: Vec<Comment>) -> Self {
        Printer {
            src,
            out: String::with_capacity(src.len() + src.len() / 8),
            comments,
            next: 0,
            indent: 0,
            last_end: 0,
            at_block_start: true,
        }
    }

    pub fn file(mut self, file: &File) -> String {
        let mut prev_import = false;
        for item in &file.items {
            let import = matches!(item.kind, Item::Import { .. });
            // Items are apart by a blank line; consecutive imports may stay together.
            let together = import && prev_import;
            let force_blank = !self.out.is_empty() && !together;
            self.item(item, force_blank);
            prev_import = import;
        }
        self.flush_comments(usize::MAX);
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
        self.out
    }

    // ------------------------------------------------------------ layout

    fn has_blank_line(&self, from: usize, to: usize) -> bool {
        let from = from.min(self.src.len());
        let to = to.clamp(from, self.src.len());
        self.src[from..to].matches('\n').count() >= 2
    }

    fn push_line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A blank line, unless one was just written or a block just opened.
    fn blank(&mut self) {
        if !self.at_block_start && !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Writes the comments that start before `pos` as lines of their own,
    /// keeping single blank lines the source had between them.
    fn flush_comments(&mut self, pos: usize) {
        while let Some(c) = self.comments.get(self.next) {
            if c.span.start >= pos {
                break;
            }
            let c = c.clone();
            if self.has_blank_line(self.last_end, c.span.start) {
                self.blank();
            }
            self.push_line(&c.text);
            self.at_block_start = false;
            self.last_end = c.span.end;
            self.next += 1;
        }
    }

    /// Everything before a node: a blank line if wanted, the comments before
    /// (or inside) it up to `until`, and its doc comments.
    fn open(&mut self, start: usize, docs: &[Doc], until: usize, force_blank: bool) {
        let outer = docs.first().map_or(start, |d| d.span.start);
        let first = self
            .comments
            .get(self.next)
            .map_or(outer, |c| c.span.start.min(outer));
        if force_blank || self.has_blank_line(self.last_end, first) {
            self.blank();
        }
        self.flush_comments(outer);
        if self.has_blank_line(self.last_end, outer) {
            self.blank();
        }
        for d in docs {
            let line = if d.text.is_empty() {
                "///".to_string()
            } else {
                format!("/// {}", d.text)
            };
            self.push_line(&line);
        }
        // Comments written inside the node move in front of it.
        self.flush_comments(until);
        self.at_block_start = false;
    }

    /// Writes a node's (last) line, with the comment that followed it on the
    /// same source line, if any.
    fn close_line(&mut self, text: &str, end: usize) {
        let mut line = text.to_string();
        self.last_end = end;
        if let Some(c) = self.comments.get(self.next) {
            let between = &self.src[end.min(c.span.start)..c.span.start];
            if c.span.start >= end && !between.contains('\n') {
                line.push(' ');
                line.push_str(&c.text);
                self.last_end = c.span.end;
                self.next += 1;
            }
        }
        self.push_line(&line);
    }

    /// A one-line clause.
    fn clause<K>(&mut self, node: &Node<K>, text: &str) {
        self.open(node.span.start, &node.docs, node.span.end, false);
        self.close_line(text, node.span.end);
    }

    /// The offset of the `{` that opens the block of a node, skipping
    /// strings and comments in the header.
    fn brace(&self, from: usize) -> usize {
        let bytes = self.src.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                b'{' => return i,
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                }
                b'/' if bytes.get(i + 1) == Some(&b'/') => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        from
    }

    /// A block: `header {`, the body one level deeper, `}`.
    fn block<K>(
        &mut self,
        node: &Node<K>,
        header: &str,
        force_blank: bool,
        body: impl FnOnce(&mut Self),
    ) {
        let open = self.brace(node.span.start);
        let close = node.span.end.saturating_sub(1);
        self.open(node.span.start, &node.docs, open, force_blank);
        // A comment after the `{` on the same line stays on the header line.
        let mut header_line = format!("{header} {{");
        if let Some(c) = self.comments.get(self.next) {
            if c.span.start > open
                && c.span.start < close
                && !self.src[open..c.span.start].contains('\n')
            {
                header_line.push(' ');
                header_line.push_str(&c.text);
                self.next += 1;
            }
        }
        let has_comment_inside = header_line.len() > header.len() + 2
            || self
                .comments
                .get(self.next)
                .is_some_and(|c| c.span.start < close);
        // Print the body aside, to know whether the block is empty.
        let outer = std::mem::take(&mut self.out);
        self.indent += 1;
        self.at_block_start = true;
        self.last_end = open + 1;
        body(self);
        self.flush_comments(close);
        self.indent -= 1;
        let body_text = std::mem::replace(&mut self.out, outer);
        if body_text.is_empty() && !has_comment_inside {
            self.close_line(&format!("{header} {{}}"), node.span.end);
            return;
        }
        self.push_line(&header_line);
        self.out.push_str(&body_text);
        self.at_block_start = false;
        self.close_line("}", node.span.end);
    }

    // ------------------------------------------------------------ items

    fn item(&mut self, item: &Node<Item>, force_blank: bool) {
        match &item.kind {
            Item::Import { path, alias } => {
                self.open(item.span.start, &item.docs, item.span.end, force_blank);
                self.close_line(
                    &format!("import {} as {}", path.raw, alias.text),
                    item.span.end,
                );
            }
            Item::Enum(e) => {
                self.open(item.span.start, &item.docs, item.span.end, force_blank);
                let ordered = if e.ordered { " ordered" } else { "" };
                let text = if e.values.is_empty() {
                    format!("enum {}{ordered} {{}}", e.name.text)
                } else {
                    format!("enum {}{ordered} {{ {} }}", e.name.text, names(&e.values))
                };
                self.close_line(&text, item.span.end);
            }
            Item::Calendar(c) => {
                let header = match &c.title {
                    Some(t) => format!("calendar {} {}", c.name.text, t.raw),
                    None => format!("calendar {}", c.name.text),
                };
                self.block(item, &header, force_blank, |p| {
                    for cl in &c.clauses {
                        let text = match &cl.kind {
                            CalendarClause::Timezone(tz) => format!("timezone {}", tz.raw),
                            CalendarClause::Open { days, start, end } => {
                                let days: Vec<String> = days
                                    .iter()
                                    .map(|d| match &d.to {
                                        Some(to) => format!("{}-{}", d.from.text, to.text),
                                        None => d.from.text.clone(),
                                    })
                                    .collect();
                                format!("open {} {}-{}", days.join(", "), start.text, end.text)
                            }
                            CalendarClause::Closed(entries) => {
                                let list: Vec<&str> = entries
                                    .iter()
                                    .map(|e| match e {
                                        ClosedEntry::Date(d) => d.text.as_str(),
                                        ClosedEntry::Set(n) => n.text.as_str(),
                                    })
                                    .collect();
                                format!("closed {}", list.join(", "))
                            }
                        };
                        p.clause(cl, &text);
                    }
                });
            }
            Item::Holidays(h) => {
                self.block(
                    item,
                    &format!("holidays {} {}", h.name.text, h.title.raw),
                    force_blank,
                    |p| {
                        for d in &h.days {
                            p.clause(d, &format!("{} {}", d.kind.date.text, d.kind.name.raw));
                        }
                    },
                );
            }
            Item::Metric(m) => {
                self.block(
                    item,
                    &format!("metric {} {}", m.name.text, m.title.raw),
                    force_blank,
                    |p| {
                        for cl in &m.clauses {
                            let text = match &cl.kind {
                                MetricClause::Kind(n) => format!("kind {}", n.text),
                                MetricClause::Events(n) => format!("events {}", n.text),
                                MetricClause::Measure { from, to } => {
                                    format!("measure {} to {}", from.text, to.text)
                                }
                                MetricClause::Series(s) => format!("series {}", s.raw),
                                MetricClause::Numerator { name, series } => {
                                    format!("numerator {} {}", name.text, series.raw)
                                }
                                MetricClause::Denominator { name, series } => {
                                    format!("denominator {} {}", name.text, series.raw)
                                }
                                MetricClause::Labels(ns) => format!("labels {}", names(ns)),
                                MetricClause::Unit(s) => format!("unit {}", s.raw),
                            };
                            p.clause(cl, &text);
                        }
                    },
                );
            }
            Item::Agreement(a) => {
                self.block(
                    item,
                    &format!("agreement {} {}", a.name.text, a.title.raw),
                    force_blank,
                    |p| {
                        p.agreement_body(&a.clauses);
                    },
                );
            }
        }
    }

    // ------------------------------------------------------------ agreements

    fn agreement_body(&mut self, clauses: &[Node<Clause>]) {
        let mut i = 0;
        while i < clauses.len() {
            // A run of party lines, written one after another.
            let mut j = i;
            while j < clauses.len()
                && matches!(clauses[j].kind, Clause::Party { .. })
                && (j == i
                    || (clauses[j].docs.is_empty()
                        && !self.has_blank_line(clauses[j - 1].span.end, clauses[j].span.start)))
            {
                j += 1;
            }
            if j > i {
                self.parties(&clauses[i..j]);
                i = j;
            } else {
                self.agreement_clause(&clauses[i]);
                i += 1;
            }
        }
    }

    fn parties(&mut self, run: &[Node<Clause>]) {
        let parts: Vec<(&str, &str, &str)> = run
            .iter()
            .map(|c| match &c.kind {
                Clause::Party { kind, id, name } => {
                    (kind.keyword(), id.text.as_str(), name.raw.as_str())
                }
                _ => unreachable!("a run of parties"),
            })
            .collect();
        // Aligned if the author put extra spaces between any party's words.
        let aligned = run.len() > 1
            && run.iter().any(|c| {
                let text = &self.src[c.span.start..c.span.end];
                let head = text.split('"').next().unwrap_or("");
                head.trim_end().contains("  ")
            });
        let kw_w = parts.iter().map(|p| p.0.len()).max().unwrap_or(0);
        let id_w = parts.iter().map(|p| p.1.chars().count()).max().unwrap_or(0);
        for (c, (kw, id, name)) in run.iter().zip(parts) {
            let text = if aligned {
                format!("{kw:<kw_w$} {id:<id_w$} {name}")
            } else {
                format!("{kw} {id} {name}")
            };
            self.clause(c, &text);
        }
    }

    fn agreement_clause(&mut self, c: &Node<Clause>) {
        match &c.kind {
            Clause::Party { kind, id, name } => {
                self.clause(c, &format!("{} {} {}", kind.keyword(), id.text, name.raw))
            }
            Clause::Effective { from, to } => {
                self.clause(c, &format!("effective {} to {}", from.text, to.text))
            }
            Clause::Timezone(s) => self.clause(c, &format!("timezone {}", s.raw)),
            Clause::Review(p) => self.clause(c, &format!("review {}", p.text)),
            Clause::Period(p) => self.clause(c, &format!("period {}", p.text)),
            Clause::Fee {
                amount,
                currency,
                per,
            } => self.clause(
                c,
                &format!("fee {} {} per {}", amount.text, currency.text, per.text),
            ),
            Clause::Objective(s) => self.clause(c, &format!("objective {}", s.raw)),
            Clause::Platforms(ns) => self.clause(c, &format!("platforms {}", names(ns))),
            Clause::Platform { id, name } => {
                self.clause(c, &format!("platform {} {}", id.text, name.raw))
            }
            Clause::Audience { id, name } => {
                self.clause(c, &format!("audience {} {}", id.text, name.raw))
            }
            Clause::CreditCap(p) => self.clause(c, &format!("credit cap {}", p.text)),
            Clause::Exclude(ns) => self.clause(c, &format!("exclude {}", names(ns))),
            Clause::Role {
                id,
                party,
                contacts,
            } => {
                let header = format!("role {} of {}", id.text, party.text);
                let inline = contacts.len() == 1
                    && contacts[0].docs.is_empty()
                    && !self.comments[self.next..]
                        .iter()
                        .any(|k| k.span.start > c.span.start && k.span.start < c.span.end);
                if inline {
                    let k = &contacts[0].kind;
                    let text = format!("{header} {{ {} {} }}", k.kind.keyword(), k.value.raw);
                    self.clause(c, &text);
                } else {
                    self.block(c, &header, false, |p| {
                        for k in contacts {
                            p.clause(
                                k,
                                &format!("{} {}", k.kind.kind.keyword(), k.kind.value.raw),
                            );
                        }
                    });
                }
            }
            Clause::Guidelines(gs) => self.block(c, "guidelines", false, |p| {
                for g in gs {
                    let text = match &g.kind {
                        Guideline::Tone(s) => format!("tone {}", s.raw),
                        Guideline::Style(s) => format!("style {}", s.raw),
                        Guideline::Languages(ns) => format!("languages {}", names(ns)),
                    };
                    p.clause(g, &text);
                }
            }),
            Clause::Responsibility { id, clauses } => {
                self.block(c, &format!("responsibility {}", id.text), false, |p| {
                    for r in clauses {
                        let text = match &r.kind {
                            Raci::Assign { kind, roles } => {
                                format!("{} {}", kind.keyword(), names(roles))
                            }
                            Raci::Duty(s) => format!("duty {}", s.raw),
                        };
                        p.clause(r, &text);
                    }
                })
            }
            Clause::Goal(g) => self.block(
                c,
                &format!("goal {} {}", g.id.text, g.title.raw),
                false,
                |p| {
                    for gc in &g.clauses {
                        p.goal_clause(gc);
                    }
                },
            ),
            Clause::Approval(a) => self.block(
                c,
                &format!("approval {} {}", a.id.text, a.title.raw),
                false,
                |p| {
                    for ac in &a.clauses {
                        match &ac.kind {
                            ApprovalClause::Subject(n) => {
                                p.clause(ac, &format!("subject {}", n.text))
                            }
                            ApprovalClause::Then(n) => p.clause(ac, &format!("then {}", n.text)),
                            ApprovalClause::Step { id, clauses } => {
                                p.block(ac, &format!("step {}", id.text), false, |p| {
                                    for sc in clauses {
                                        let text = match &sc.kind {
                                            StepClause::By(ns) => format!("by {}", names(ns)),
                                            StepClause::Within(d) => format!("within {}", d.text),
                                            StepClause::Clock(n) => format!("clock {}", n.text),
                                            StepClause::WhenTagged(s) => {
                                                format!("when tagged {}", s.raw)
                                            }
                                            StepClause::OnSilence(n) => {
                                                format!("on silence {}", n.text)
                                            }
                                        };
                                        p.clause(sc, &text);
                                    }
                                })
                            }
                        }
                    }
                },
            ),
            Clause::Escalation(e) => self.block(
                c,
                &format!("escalation {} {}", e.id.text, e.title.raw),
                false,
                |p| {
                    for ec in &e.clauses {
                        match &ec.kind {
                            EscalationClause::Clock(n) => {
                                p.clause(ec, &format!("clock {}", n.text))
                            }
                            EscalationClause::Tier { id, clauses } => {
                                p.block(ec, &format!("tier {}", id.text), false, |p| {
                                    for tc in clauses {
                                        let text = match &tc.kind {
                                            TierClause::Notify(ns) => {
                                                format!("notify {}", names(ns))
                                            }
                                            TierClause::Acknowledge(d) => {
                                                format!("acknowledge within {}", d.text)
                                            }
                                            TierClause::Resolve(d) => {
                                                format!("resolve within {}", d.text)
                                            }
                                            TierClause::PausePublishing => {
                                                "pause publishing".to_string()
                                            }
                                            TierClause::ApproveStatement(ns) => {
                                                format!("approve statement by {}", names(ns))
                                            }
                                        };
                                        p.clause(tc, &text);
                                    }
                                })
                            }
                        }
                    }
                },
            ),
            Clause::Communication(cs) => self.block(c, "communication", false, |p| {
                for cc in cs {
                    let text = match &cc.kind {
                        Communication::Report {
                            period,
                            to,
                            via,
                            within,
                        } => {
                            let within = within
                                .as_ref()
                                .map(|w| format!(" within {}", w.text))
                                .unwrap_or_default();
                            format!(
                                "report {} to {} via {}{within}",
                                period.text, to.text, via.text
                            )
                        }
                        Communication::Meeting { period, with } => {
                            format!("meeting {} with {}", period.text, names(with))
                        }
                        Communication::Channel { kind, address } => {
                            format!("channel {} {}", kind.text, address.raw)
                        }
                    };
                    p.clause(cc, &text);
                }
            }),
        }
    }

    fn goal_clause(&mut self, gc: &Node<GoalClause>) {
        let text = match &gc.kind {
            GoalClause::Metric { name, by } => match by {
                Some(b) => format!("metric {} by {}", name.text, b.text),
                None => format!("metric {}", name.text),
            },
            GoalClause::Where(conds) => {
                let list: Vec<String> = conds.iter().map(condition).collect();
                format!("where {}", list.join(", "))
            }
            GoalClause::Target(t) => format!("target {}", target(t)),
            GoalClause::Segment {
                target: t,
                conditions,
            } => {
                let list: Vec<String> = conditions.iter().map(condition).collect();
                format!("target {} for {}", target(t), list.join(", "))
            }
            GoalClause::Clock(n) => format!("clock {}", n.text),
            GoalClause::Pause(parties) => format!("pause while waiting on {}", names(parties)),
            GoalClause::Replies(n) => format!("replies by {}", n.text),
            GoalClause::Period(p) => format!("period {}", p.text),
            GoalClause::Owner(n) => format!("owner {}", n.text),
            GoalClause::Reported => "reported".to_string(),
            GoalClause::Warn(p) => format!("warn at {}", p.text),
            GoalClause::OnBreach(bs) => {
                self.block(gc, "on breach", false, |p| {
                    for b in bs {
                        let text = match &b.kind {
                            Breach::Escalate(n) => format!("escalate {}", n.text),
                            Breach::Credit(l) => format!("credit {}", l.text),
                        };
                        p.clause(b, &text);
                    }
                });
                return;
            }
        };
        self.clause(gc, &text);
    }
}

fn names(ns: &[Name]) -> String {
    ns.iter()
        .map(|n| n.text.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn condition(c: &Condition) -> String {
    match &c.test {
        Test::In(vs) => format!("{} in [{}]", c.dimension.text, names(vs)),
        Test::Compare { op, value } => format!("{} {} {}", c.dimension.text, op.text, value.text),
    }
}

fn target(t: &Target) -> String {
    match &t.kind {
        TargetKind::Within { percent, duration } => {
            format!("{} within {}", percent.text, duration.text)
        }
        TargetKind::Quantile { q, op, duration } => {
            format!("{} {} {}", q.text, op.text, duration.text)
        }
        TargetKind::Mean { op, duration } => format!("mean {} {}", op.text, duration.text),
        TargetKind::Rate { op, count, per } => {
            format!("{} {} per {}", op.text, count.text, per.text)
        }
        TargetKind::Threshold { op, percent } => format!("{} {}", op.text, percent.text),
    }
}
