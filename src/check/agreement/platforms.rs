//! The platforms an agreement lists and the names a condition may use.

use super::*;

impl Cx<'_, '_> {
    /// The prelude's platforms and those the agreement declares.
    pub(super) fn known_platforms(&self) -> Vec<String> {
        let mut all = self
            .enum_values("platform")
            .map(|e| e.values.clone())
            .unwrap_or_default();
        all.extend(self.custom_platforms.keys().cloned());
        all
    }

    /// An enumeration declared in this file, else in the prelude.
    pub(super) fn enum_values(&self, name: &str) -> Option<&crate::check::EnumValues> {
        [self.module, self.s.prelude()]
            .iter()
            .find_map(|m| self.s.module(*m).enums.get(name))?
            .value
            .as_ref()
    }

    pub(super) fn platform_list(&mut self, names: &[Name]) -> Vec<String> {
        let known = self.known_platforms();
        let mut out: Vec<String> = Vec::new();
        for n in names {
            if out.contains(&n.text) {
                let file = self.file;
                self.err(
                    Diagnostic::new(
                        Code::E0209,
                        format!("platform {} is listed twice", tick(&n.text)),
                        file,
                        n.span,
                    )
                    .label("listed again here")
                    .help("list each platform once, in priority order"),
                );
            } else if self.check_platform(n, &known) {
                out.push(n.text.clone());
            }
        }
        out
    }

    pub(super) fn check_platform(&mut self, n: &Name, known: &[String]) -> bool {
        if known.contains(&n.text) {
            if let Some(l) = self.custom_platforms.get(&n.text) {
                l.used.set(true);
            }
            return true;
        }
        let help =
            suggest::did_you_mean(&n.text, known.iter().map(String::as_str)).unwrap_or_else(|| {
                format!(
                    "declare it in the agreement: `platform {} \"Name\"`",
                    n.text
                )
            });
        let file = self.file;
        self.err(
            Diagnostic::new(
                Code::E0207,
                format!("unknown platform {}", tick(&n.text)),
                file,
                n.span,
            )
            .label("not a known platform")
            .help(help),
        );
        false
    }
}
