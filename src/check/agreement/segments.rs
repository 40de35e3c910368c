//! Targets per segment (issue #13): `target 95% within 15m for priority =
//! urgent`. Each segment's conditions are checked like `where`'s, its target
//! like the goal's; then three rules hold the segments together: the same
//! target shape as the goal's (E0350), only items the goal's `where` selects
//! (E0351), and no item in two segments (E0352).

use super::*;

/// A segment as written: its target and its conditions.
type SegmentAst<'g> = (&'g ast::Target, &'g [ast::Condition]);

impl Cx<'_, '_> {
    /// The goal's segments, in source order, or `None` after an error.
    pub(super) fn segments(
        &mut self,
        metric: &m::Metric,
        (goal_target, goal_span): (&Target, Span),
        scope: &[m::Condition],
        segs: &[SegmentAst],
        on: On,
        ctx: &Ctx,
    ) -> Option<Vec<m::Segment>> {
        let mut ok = true;
        let mut out = Vec::new();
        for (t, conds) in segs {
            let target = self.target(metric, t, on);
            let mut conditions = Vec::new();
            for c in conds.iter() {
                match self.condition(metric, c, ctx) {
                    Some(mc) => {
                        ok &= self.within_scope(&mc, c, scope);
                        conditions.push(mc);
                    }
                    None => ok = false,
                }
            }
            match target {
                Some(target) if same_shape(&target, goal_target) => {
                    out.push(m::Segment { conditions, target })
                }
                Some(target) => {
                    self.other_shape(&target, t.span, goal_target, goal_span);
                    ok = false;
                }
                None => ok = false,
            }
        }
        if ok {
            ok &= self.disjoint(&out, segs);
        }
        if ok && m::Segment::others_condition(&out).is_none() {
            self.others_without_selector(segs);
        }
        ok.then_some(out)
    }

    /// W0014: the items no segment selects cannot be said as one label
    /// matcher, so the live targets (Prometheus, OpenSLO) watch only the
    /// segments; the report still judges the other items.
    fn others_without_selector(&mut self, segs: &[SegmentAst]) {
        let Some(span) = segs
            .iter()
            .find(|(_, c)| c.len() > 1)
            .or(segs.last())
            .and_then(|(_, c)| Some(Span::new(c.first()?.span.start, c.last()?.span.end)))
        else {
            return;
        };
        self.err(
            Diagnostic::new(
                Code::W0014,
                "the live targets cannot select this goal's other items",
                self.file,
                span,
            )
            .label("the items no segment selects are not one label matcher")
            .help("Prometheus and OpenSLO watch each segment, not the other items (the report judges them all): to watch them too, give every segment one condition on the same dimension, like `for priority = urgent` and `for priority = high`"),
        );
    }

    fn other_shape(&mut self, seg: &Target, span: Span, goal: &Target, goal_span: Span) {
        self.err(
            Diagnostic::new(
                Code::E0350,
                format!("segment target `{seg}` is not of the goal's shape `{goal}`"),
                self.file,
                span,
            )
            .label(format!("{} here", shape(seg)))
            .with_secondary(self.file, goal_span, format!("the goal's target is {}", shape(goal)))
            .help(format!(
                "write the segment's target as {}, like the goal's: segments tighten or loosen the same promise",
                shape(goal)
            )),
        );
    }

    /// A segment condition on a dimension the goal's `where` also filters
    /// selects only values the goal selects (E0351).
    fn within_scope(
        &mut self,
        seg: &m::Condition,
        c: &ast::Condition,
        scope: &[m::Condition],
    ) -> bool {
        let mut ok = true;
        for w in scope.iter().filter(|w| w.dimension == seg.dimension) {
            let outside: Vec<String> = selected(seg)
                .into_iter()
                .flatten()
                .filter(|v| !w.holds(Some(v)))
                .collect();
            let unbounded = seg.op == m::Op::Ne && selected(seg).is_none() && w.op != m::Op::Ne;
            if outside.is_empty() && !unbounded {
                continue;
            }
            ok = false;
            let label = if unbounded {
                format!(
                    "selects any `{}` but `{}`",
                    seg.dimension,
                    seg.operands.join(", ")
                )
            } else {
                let list: Vec<String> = outside.iter().map(|v| v.to_string()).collect();
                format!(
                    "`{}` {} outside the goal's `where`",
                    list.join(", "),
                    if list.len() == 1 { "is" } else { "are" }
                )
            };
            self.err(
                Diagnostic::new(
                    Code::E0351,
                    format!("segment `{}` selects items the goal does not count", seg.text()),
                    self.file,
                    c.span,
                )
                .label(label)
                .help(format!(
                    "the goal counts only `{}`: a segment refines the goal's items, so keep its values among them",
                    w.text()
                )),
            );
        }
        ok
    }

    /// No item falls in two segments (E0352): every pair of segments has a
    /// dimension both filter on whose selected values do not meet.
    fn disjoint(&mut self, out: &[m::Segment], segs: &[SegmentAst]) -> bool {
        let mut ok = true;
        for (i, a) in out.iter().enumerate() {
            for (j, b) in out.iter().enumerate().skip(i + 1) {
                if separated(a, b) {
                    continue;
                }
                ok = false;
                let span_of = |k: usize| {
                    let conds = segs[k].1;
                    conds[0].span.to(conds[conds.len() - 1].span)
                };
                self.err(
                    Diagnostic::new(Code::E0352, "two segments of the goal overlap", self.file, span_of(j))
                        .label(format!("an item can match this segment{}", witness(a, b)))
                        .with_secondary(self.file, span_of(i), "and this earlier one")
                        .help("make the segments disjoint: give both a condition on one dimension whose values do not meet, like `priority = urgent` and `priority = high`"),
                );
            }
        }
        ok
    }
}

/// The values a condition selects, or `None` for `!=` on a dimension whose
/// values are not declared (it selects everything but its operand).
fn selected(c: &m::Condition) -> Option<Vec<String>> {
    match c.op {
        m::Op::Ne if c.values == c.operands => None,
        _ => Some(c.values.clone()),
    }
}

/// Whether two conditions on one dimension can select the same item.
fn meet(a: &m::Condition, b: &m::Condition) -> bool {
    match (selected(a), selected(b)) {
        (Some(va), _) => va.iter().any(|v| b.holds(Some(v))),
        (None, Some(vb)) => vb.iter().any(|v| a.holds(Some(v))),
        (None, None) => true,
    }
}

/// Two segments are separated when some dimension's conditions cannot meet.
fn separated(a: &m::Segment, b: &m::Segment) -> bool {
    a.conditions.iter().any(|ca| {
        b.conditions
            .iter()
            .any(|cb| ca.dimension == cb.dimension && !meet(ca, cb))
    })
}

/// ` too, with priority = urgent, platform = x`: one item both select, when
/// every shared dimension has a common value to name.
fn witness(a: &m::Segment, b: &m::Segment) -> String {
    let mut parts = Vec::new();
    for c in a.conditions.iter().chain(&b.conditions) {
        if parts
            .iter()
            .any(|(d, _): &(String, String)| *d == c.dimension.name())
        {
            continue;
        }
        let both: Vec<&m::Condition> = a
            .conditions
            .iter()
            .chain(&b.conditions)
            .filter(|x| x.dimension == c.dimension)
            .collect();
        let candidates = both.iter().filter_map(|x| selected(x)).flatten();
        let value = candidates
            .into_iter()
            .find(|v| both.iter().all(|x| x.holds(Some(v.as_str()))));
        match value {
            Some(v) => parts.push((c.dimension.name().to_string(), v)),
            None => return " too".into(),
        }
    }
    let list: Vec<String> = parts.iter().map(|(d, v)| format!("{d} = {v}")).collect();
    format!(" too, for example one with {}", list.join(", "))
}

/// Targets of one shape measure the same thing and compare.
fn same_shape(a: &Target, b: &Target) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
        && match (a, b) {
            (Target::Ratio { bound: x, .. }, Target::Ratio { bound: y, .. })
            | (Target::Rate { bound: x, .. }, Target::Rate { bound: y, .. }) => x == y,
            _ => true,
        }
}

fn shape(t: &Target) -> &'static str {
    match t {
        Target::Within { .. } => "a `N% within D` target",
        Target::Quantile { .. } => "a quantile `pN <= D` target",
        Target::Mean { .. } => "a `mean <= D` target",
        Target::Ratio {
            bound: Bound::AtLeast,
            ..
        } => "a `>= N%` target",
        Target::Ratio { .. } => "a `<= N%` target",
        Target::Rate {
            bound: Bound::AtLeast,
            ..
        } => "a `>= N per UNIT` target",
        Target::Rate { .. } => "a `<= N per UNIT` target",
    }
}
