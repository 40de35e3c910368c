//! Guidelines and the communication block: reports, meetings, channels.

use super::*;

impl Cx<'_, '_> {
    pub(super) fn guidelines(&mut self, gs: &[Node<ast::Guideline>]) -> m::Guidelines {
        let mut out = m::Guidelines::default();
        let mut seen = BTreeMap::new();
        for g in gs {
            match &g.kind {
                ast::Guideline::Tone(t) => {
                    if once(self.file, &mut seen, "tone", g, &mut self.diags) {
                        out.tone = Some(t.value.clone());
                    }
                }
                ast::Guideline::Style(t) => {
                    if once(self.file, &mut seen, "style", g, &mut self.diags) {
                        out.style = Some(t.value.clone());
                    }
                }
                ast::Guideline::Languages(ls) => {
                    if once(self.file, &mut seen, "languages", g, &mut self.diags) {
                        out.languages = ls.iter().map(|l| l.text.clone()).collect();
                    }
                }
            }
        }
        out
    }

    pub(super) fn communication(&mut self, cs: &[Node<ast::Communication>]) -> m::Communication {
        let file = self.file;
        let mut out = m::Communication::default();
        for c in cs {
            match &c.kind {
                ast::Communication::Report {
                    period,
                    to,
                    via,
                    within,
                } => {
                    let to = self.resolve(Scope::Role, to);
                    let via_ok = ["email", "slack", "meeting"].contains(&via.text.as_str());
                    if !via_ok {
                        self.err(unknown_value(
                            file,
                            via,
                            "report medium",
                            &["email", "slack", "meeting"],
                        ));
                    }
                    let within = within.as_ref().and_then(|w| self.duration(w));
                    if let (Some(to), true) = (to, via_ok) {
                        out.reports.push(m::Report {
                            period: Period::parse(&period.text).unwrap_or(Period::Monthly),
                            to,
                            via: via.text.clone(),
                            within,
                        });
                    }
                }
                ast::Communication::Meeting { period, with } => {
                    let with = self.roles(with);
                    out.meetings.push(m::Meeting {
                        period: Period::parse(&period.text).unwrap_or(Period::Weekly),
                        with,
                    });
                }
                ast::Communication::Channel { kind, address } => {
                    let contact = match kind.text.as_str() {
                        "slack" => Some(ast::ContactKind::Slack),
                        "email" => Some(ast::ContactKind::Email),
                        _ => None,
                    };
                    if let Some(d) = contact.and_then(|k| contacts::check(file, k, address)) {
                        self.err(d);
                    }
                    if ["slack", "email", "teams"].contains(&kind.text.as_str()) {
                        out.channels.push(m::Channel {
                            kind: kind.text.clone(),
                            address: address.value.clone(),
                        });
                    } else {
                        self.err(unknown_value(
                            file,
                            kind,
                            "channel kind",
                            &["slack", "email", "teams"],
                        ));
                    }
                }
            }
        }
        out
    }
}
