//! A goal's `where` conditions: the dimension, its values and the operator.

use super::*;

/// The values a dimension can take (`None`: not declared anywhere), and
/// whether they are ordered.
type Domain = (Option<Vec<String>>, bool);

impl Cx<'_, '_> {
    pub(super) fn condition(
        &mut self,
        metric: &m::Metric,
        c: &ast::Condition,
        ctx: &Ctx,
    ) -> Option<m::Condition> {
        let dim = &c.dimension;
        if !metric.labels.contains(&dim.text) {
            self.unknown_dimension(metric, dim);
            return None;
        }
        let dimension = m::Dimension::parse(&dim.text);
        let (domain, ordered) = self.domain(&dimension);
        let (op, operands): (m::Op, Vec<&Name>) = match &c.test {
            ast::Test::In(vs) => (m::Op::In, vs.iter().collect()),
            // The grammar admits only the comparators `Op` knows.
            ast::Test::Compare { op, value } => (m::Op::parse(&op.text)?, vec![value]),
        };
        let mut ok = true;
        for v in &operands {
            ok &= self.operand(&dimension, dim, v, op, &domain, ctx);
        }
        if !ok || !self.operator_applies(c, op, domain.is_some(), ordered) {
            return None;
        }
        let operand_texts: Vec<String> = operands.iter().map(|n| n.text.clone()).collect();
        let values = expand(op, &operand_texts, domain.as_deref());
        Some(m::Condition {
            dimension,
            op,
            operands: operand_texts,
            values,
        })
    }

    fn unknown_dimension(&mut self, metric: &m::Metric, dim: &Name) {
        let labels: Vec<&str> = metric.labels.iter().map(String::as_str).collect();
        let intro = format!("metric `{}` can be filtered by", metric.name);
        let help = suggest::did_you_mean_or_list(&dim.text, &labels, &intro);
        self.err(
            Diagnostic::new(
                Code::E0211,
                format!(
                    "metric {} has no dimension {}",
                    tick(&metric.name),
                    tick(&dim.text)
                ),
                self.file,
                dim.span,
            )
            .label("unknown dimension")
            .help(help),
        );
    }

    /// The values this dimension can take, and whether they are ordered.
    fn domain(&self, dimension: &m::Dimension) -> Domain {
        match dimension {
            m::Dimension::Platform => (Some(self.known_platforms()), false),
            m::Dimension::Audience => (Some(self.audiences.keys().cloned().collect()), false),
            other => match self.enum_values(other.name()) {
                Some(e) => (Some(e.values.clone()), e.ordered),
                None => (None, false),
            },
        }
    }

    /// Whether one operand names a value of the dimension.
    fn operand(
        &mut self,
        dimension: &m::Dimension,
        dim: &Name,
        v: &Name,
        op: m::Op,
        domain: &Option<Vec<String>>,
        ctx: &Ctx,
    ) -> bool {
        match dimension {
            m::Dimension::Audience => self.resolve(Scope::Audience, v).is_some(),
            m::Dimension::Platform => {
                let known = domain.clone().unwrap_or_default();
                let valid = self.check_platform(v, &known);
                // Only a condition that selects the platform can miss its events.
                if valid && op.selects() {
                    self.platform_listed(v, ctx);
                }
                valid
            }
            _ => match domain {
                Some(d) if !d.contains(&v.text) => {
                    let allowed: Vec<&str> = d.iter().map(String::as_str).collect();
                    self.err(unknown_value(self.file, v, &dim.text, &allowed));
                    false
                }
                _ => true,
            },
        }
    }

    /// Warns when a goal selects a platform the agreement does not list.
    fn platform_listed(&mut self, v: &Name, ctx: &Ctx) {
        let Some(listed) = &ctx.platforms else {
            return;
        };
        if listed.contains(&v.text) {
            return;
        }
        self.err(
            Diagnostic::new(
                Code::W0004,
                format!(
                    "platform {} is not among the agreement's platforms",
                    tick(&v.text)
                ),
                self.file,
                v.span,
            )
            .label("this goal can never see events from it")
            .help(format!(
                "add `{}` to the `platforms` line, or drop it here",
                v.text
            )),
        );
    }

    /// `!=` needs declared values; `<`, `>=`... need ordered ones.
    fn operator_applies(
        &mut self,
        c: &ast::Condition,
        op: m::Op,
        declared: bool,
        ordered: bool,
    ) -> bool {
        let file = self.file;
        let dim = &c.dimension;
        if !declared && !op.selects() {
            self.err(
                Diagnostic::new(
                    Code::E0319,
                    format!(
                        "{} has no declared values, so {} does not apply",
                        tick(&dim.text),
                        tick(op.symbol())
                    ),
                    file,
                    c.span,
                )
                .label("cannot tell which values this excludes or orders")
                .help(format!(
                    "use `{0} = VALUE` or `{0} in [A, B]`, or declare `enum {0} {{ ... }}`",
                    dim.text
                )),
            );
            return false;
        }
        if op.is_ordering() && !ordered {
            self.err(
                Diagnostic::new(
                    Code::E0319,
                    format!(
                        "{} has no order, so {} does not apply",
                        tick(&dim.text),
                        tick(op.symbol())
                    ),
                    file,
                    c.span,
                )
                .label("comparison on an unordered dimension")
                .help(format!(
                    "use `{} = VALUE` or `{} in [A, B]`",
                    dim.text, dim.text
                )),
            );
            return false;
        }
        true
    }
}

/// The values a condition matches, in declaration order: `priority >= high`
/// is `[high, urgent]`, `!= x` every other declared value.
fn expand(op: m::Op, operands: &[String], domain: Option<&[String]>) -> Vec<String> {
    match (op, domain) {
        (m::Op::In | m::Op::Eq, _) | (_, None) => operands.to_vec(),
        (m::Op::Ne, Some(d)) => d.iter().filter(|v| **v != operands[0]).cloned().collect(),
        (cmp, Some(d)) => {
            let pivot = d.iter().position(|v| *v == operands[0]).unwrap_or(0);
            d.iter()
                .enumerate()
                .filter(|(i, _)| match cmp {
                    m::Op::Ge => *i >= pivot,
                    m::Op::Gt => *i > pivot,
                    m::Op::Le => *i <= pivot,
                    _ => *i < pivot,
                })
                .map(|(_, v)| v.clone())
                .collect()
        }
    }
}
