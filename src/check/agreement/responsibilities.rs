//! Responsibilities: who is responsible, accountable, consulted, informed.

use super::*;

impl Cx<'_, '_> {
    pub(super) fn responsibility(
        &mut self,
        id: &Name,
        clauses: &[Node<ast::Raci>],
    ) -> Option<m::Responsibility> {
        let file = self.file;
        let mut r = m::Responsibility {
            id: id.text.clone(),
            responsible: Vec::new(),
            accountable: String::new(),
            consulted: Vec::new(),
            informed: Vec::new(),
            duties: Vec::new(),
        };
        let mut accountable: Vec<&Name> = Vec::new();
        for c in clauses {
            match &c.kind {
                ast::Raci::Assign { kind, roles } => {
                    let resolved = self.roles(roles);
                    match kind {
                        ast::RaciKind::Responsible => r.responsible.extend(resolved),
                        ast::RaciKind::Accountable => {
                            accountable.extend(roles.iter());
                            if let Some(first) = resolved.into_iter().next() {
                                if r.accountable.is_empty() {
                                    r.accountable = first;
                                }
                            }
                        }
                        ast::RaciKind::Consulted => r.consulted.extend(resolved),
                        ast::RaciKind::Informed => r.informed.extend(resolved),
                    }
                }
                ast::Raci::Duty(d) => r.duties.push(d.value.clone()),
            }
        }
        let mut ok = true;
        if accountable.len() != 1 {
            ok = false;
            let mut d = Diagnostic::new(
                Code::E0313,
                format!(
                    "responsibility {} has {} accountable roles",
                    tick(&id.text),
                    if accountable.is_empty() {
                        "no".to_string()
                    } else {
                        accountable.len().to_string()
                    }
                ),
                file,
                accountable.get(1).map_or(id.span, |n| n.span),
            )
            .help("exactly one role is accountable; make the others `responsible` or `consulted`");
            d = if accountable.is_empty() {
                d.label("needs `accountable ROLE`")
            } else {
                d.label("a second accountable role").with_secondary(
                    file,
                    accountable[0].span,
                    "the first accountable role",
                )
            };
            self.err(d);
        }
        if !clauses.iter().any(|c| {
            matches!(
                c.kind,
                ast::Raci::Assign {
                    kind: ast::RaciKind::Responsible,
                    ..
                }
            )
        }) {
            ok = false;
            self.err(
                Diagnostic::new(
                    Code::E0314,
                    format!("responsibility {} has no responsible role", tick(&id.text)),
                    file,
                    id.span,
                )
                .label("nobody does the work")
                .help("add `responsible ROLE`"),
            );
        }
        ok.then_some(r)
    }
}
