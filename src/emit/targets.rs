//! The target table: every compile target, its files and its compiler.
//! Adding a target is one module under `emit/` that reads the shared
//! planner (`emit::plan`), a variant below and a line in `TARGETS`; the
//! CLI's `--target` values and help come from this table.

use super::{alertmanager, openslo, prometheus, rules};
use crate::model::Agreement;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// slac's canonical rule set (`NAME.rules.yaml`).
    Rules,
    /// Prometheus rule groups and their promtool unit tests
    /// (`NAME.prometheus.yaml`, `NAME.prometheus-test.yaml`).
    Prometheus,
    /// A complete Alertmanager configuration (`NAME.alertmanager.yaml`).
    Alertmanager,
    /// OpenSLO v1 documents (`NAME.openslo.yaml`).
    OpenSlo,
}

/// One row of the target table.
pub struct Spec {
    pub target: Target,
    /// The `--target` value.
    pub name: &'static str,
    /// One line for `--help`.
    pub about: &'static str,
    /// The files an agreement compiles to: its name and each suffix.
    pub suffixes: &'static [&'static str],
    /// Compiles an agreement (from `source`): one text per suffix, in order.
    pub compile: fn(&Agreement, &str) -> Vec<String>,
}

pub const TARGETS: [Spec; 4] = [
    Spec {
        target: Target::Rules,
        name: "rules",
        about: "slac's canonical rule set: NAME.rules.yaml",
        suffixes: &[".rules.yaml"],
        compile: |a, source| vec![rules::emit(a, source)],
    },
    Spec {
        target: Target::Prometheus,
        name: "prometheus",
        about: "Prometheus rules and their promtool tests: NAME.prometheus.yaml, NAME.prometheus-test.yaml",
        suffixes: &prometheus::SUFFIXES,
        compile: |a, source| {
            let (rules, tests) = prometheus::emit_both(a, source);
            vec![rules, tests]
        },
    },
    Spec {
        target: Target::Alertmanager,
        name: "alertmanager",
        about: "A complete Alertmanager configuration: NAME.alertmanager.yaml",
        suffixes: &[".alertmanager.yaml"],
        compile: |a, source| vec![alertmanager::emit(a, source)],
    },
    Spec {
        target: Target::OpenSlo,
        name: "openslo",
        about: "OpenSLO v1 documents: NAME.openslo.yaml",
        suffixes: &[".openslo.yaml"],
        compile: |a, source| vec![openslo::emit(a, source)],
    },
];

impl Target {
    /// Every target, in the table's order.
    pub const ALL: [Target; TARGETS.len()] = {
        let mut all = [Target::Rules; TARGETS.len()];
        let mut i = 0;
        while i < TARGETS.len() {
            all[i] = TARGETS[i].target;
            i += 1;
        }
        all
    };

    /// This target's row of the table.
    pub fn spec(self) -> &'static Spec {
        TARGETS
            .iter()
            .find(|s| s.target == self)
            .expect("every target has a row in TARGETS")
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The target whose `--target` value is `name`.
    pub fn named(name: &str) -> Option<Target> {
        TARGETS.iter().find(|s| s.name == name).map(|s| s.target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_target_has_one_row_and_a_unique_name() {
        for (i, spec) in TARGETS.iter().enumerate() {
            assert_eq!(spec.target.spec().name, spec.name);
            assert_eq!(Target::named(spec.name), Some(spec.target));
            assert!(TARGETS[..i].iter().all(|s| s.target != spec.target));
        }
        assert_eq!(Target::named("all"), None);
    }
}
