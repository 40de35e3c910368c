//! `slac diff`: compares two checked Models, not two texts. Each change is
//! classified by its effect on the provider's obligations: stricter (better
//! for the client), looser (worse for the client) or neutral. Reordering,
//! reformatting and comments are invisible here because the Model has none.

mod compare;
pub mod render;

use crate::model::Model;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

/// The effect of a change on the provider's obligations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Stricter,
    Looser,
    Neutral,
    /// Stricter in one part and looser in another (`Change::parts` says
    /// which): `90% within 1h` to `95% within 2h`.
    Mixed,
}

impl Effect {
    pub fn for_provider(self) -> &'static str {
        match self {
            Effect::Stricter => "stricter",
            Effect::Looser => "looser",
            Effect::Neutral => "neutral",
            Effect::Mixed => "mixed",
        }
    }
    pub fn for_client(self) -> &'static str {
        match self {
            Effect::Stricter => "better",
            Effect::Looser => "worse",
            Effect::Neutral => "neutral",
            Effect::Mixed => "mixed",
        }
    }
    /// The verb of a changed value's summary.
    pub fn verb(self) -> &'static str {
        match self {
            Effect::Stricter => "tightened",
            Effect::Looser => "loosened",
            Effect::Neutral | Effect::Mixed => "changed",
        }
    }
    /// The same change seen from the other party.
    pub fn inverted(self) -> Effect {
        match self {
            Effect::Stricter => Effect::Looser,
            Effect::Looser => Effect::Stricter,
            other => other,
        }
    }
    /// Whether the change has a part of `kind` (stricter or looser): a
    /// mixed change has both, which `--fail-on` must see.
    pub fn has(self, kind: Effect) -> bool {
        self == kind || (self == Effect::Mixed && kind != Effect::Neutral)
    }
    /// Two effects of one change together: agreeing or one neutral gives the
    /// other; pulling both ways is mixed.
    pub fn and(self, other: Effect) -> Effect {
        match (self, other) {
            (a, b) if a == b => a,
            (Effect::Neutral, x) | (x, Effect::Neutral) => x,
            _ => Effect::Mixed,
        }
    }
    /// From an ordering where "more" means stricter.
    pub fn more_is_stricter<T: PartialOrd>(old: T, new: T) -> Effect {
        if new > old {
            Effect::Stricter
        } else if new < old {
            Effect::Looser
        } else {
            Effect::Neutral
        }
    }
    pub fn less_is_stricter<T: PartialOrd>(old: T, new: T) -> Effect {
        Effect::more_is_stricter(new, old)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub agreement: String,
    pub kind: Kind,
    /// What changed: `goal first_response`, `calendar berlin_office`, `fee`.
    pub subject: String,
    /// The part of the subject that changed (`target`), if not all of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    #[serde(rename = "provider")]
    pub effect: Effect,
    /// The same change seen by the client: `better`, `worse`, `neutral` or
    /// `mixed`.
    pub client: &'static str,
    /// The parts of a change to a compound value (a target's share and
    /// time), each with its own effect; empty for a simple value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// A sentence for reviewers.
    pub summary: String,
}

/// One part of a compound value that moved: `share` from `90%` to `95%`,
/// stricter.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Part {
    pub field: &'static str,
    pub old: String,
    pub new: String,
    #[serde(rename = "provider")]
    pub effect: Effect,
}

impl Part {
    /// "share `90%` → `95%` stricter", with `code` quoting the values.
    pub fn describe(&self, code: impl Fn(&str) -> String) -> String {
        format!(
            "{} {} → {} {}",
            self.field,
            code(&self.old),
            code(&self.new),
            self.effect.for_provider()
        )
    }
}

/// Every semantic change from `old` to `new`, agreements in the new file's
/// order (removed ones last).
pub fn diff(old: &Model, new: &Model) -> Vec<Change> {
    compare::models(old, new)
}
