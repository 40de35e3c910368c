//! The registry of diagnostic codes: the one place that words them. Each
//! code is a variant of `Code` that knows its severity, its short title and
//! its page in `docs/errors/` (embedded, printed by `slac explain`).

use super::Severity;
use std::fmt;

macro_rules! registry {
    ($($code:ident $sev:ident $title:literal,)*) => {
        /// Every code slac can raise. The variant is the code's name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $(#[doc = $title] $code,)*
        }

        /// Every code, in order.
        pub const ALL: &[Code] = &[$(Code::$code,)*];

        impl Code {
            /// The code as users see it: `E0203`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$code => Severity::$sev,)*
                }
            }
            /// A short title: `unknown calendar`.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$code => $title,)*
                }
            }
            /// The page `docs/errors/CODE.md`: an example and the fix.
            pub fn page(self) -> &'static str {
                match self {
                    $(Code::$code => include_str!(concat!(
                        "../../docs/errors/", stringify!($code), ".md"
                    )),)*
                }
            }
        }
    };
}

registry! {
    E0001 Error "syntax error",
    E0002 Error "source is not valid UTF-8",
    E0003 Error "source file too large",
    E0004 Error "invalid escape in a string",
    E0005 Error "file too complex to parse",
    E0006 Error "too many items in one file",
    E0101 Error "imported file not found",
    E0102 Error "import cycle",
    E0103 Error "import escapes the project root",
    E0104 Error "unknown standard library module",
    E0105 Error "import limit exceeded",
    E0201 Error "unknown party",
    E0202 Error "unknown role",
    E0203 Error "unknown calendar",
    E0204 Error "unknown metric",
    E0205 Error "unknown escalation or tier",
    E0206 Error "unknown audience",
    E0207 Error "unknown platform",
    E0208 Error "unknown import alias",
    E0209 Error "duplicate name",
    E0210 Error "unknown holiday set",
    E0211 Error "unknown dimension",
    E0212 Error "unknown value",
    E0213 Error "unknown exclusion kind",
    E0214 Error "wrong metric denominator",
    E0301 Error "target does not fit the metric",
    E0302 Error "percentage out of range",
    E0303 Error "invalid duration",
    E0304 Error "invalid date",
    E0305 Error "effective term out of order",
    E0306 Error "invalid time of day",
    E0307 Error "overlapping opening hours",
    E0308 Error "unknown time zone",
    E0309 Error "credit without a fee",
    E0310 Error "credit above the cap",
    E0311 Error "reported goal with a credit",
    E0312 Error "missing client or provider",
    E0313 Error "not exactly one accountable role",
    E0314 Error "responsibility without a responsible role",
    E0315 Error "calendar without opening hours",
    E0316 Error "missing required clause",
    E0317 Error "clause given twice",
    E0318 Error "number out of range",
    E0319 Error "comparison not allowed here",
    E0320 Error "invalid metric declaration",
    E0321 Error "effective term too long",
    E0322 Error "date before 1970",
    E0323 Error "invalid email address",
    E0324 Error "invalid slack channel",
    E0325 Error "invalid webhook url",
    E0326 Error "business days on a clock without business days",
    E0327 Error "business days on a calendar with uneven open days",
    E0340 Error "pause on a metric with no clock to pause",
    E0341 Error "waiting party listed twice",
    E0342 Error "unknown waiting party",
    E0350 Error "segment target of another shape than the goal's",
    E0351 Error "segment selects items outside the goal's where",
    E0352 Error "segments overlap",
    E0360 Error "warning on a goal without a per-item deadline",
    E0361 Error "warning share out of range",
    E0370 Error "replies by on a metric no reply stops",
    E0371 Error "unknown reply author",
    W0001 Warning "unused role",
    W0002 Warning "unused calendar",
    W0003 Warning "severer tier acknowledges more slowly",
    W0004 Warning "goal filters on a platform the agreement does not list",
    W0005 Warning "deadline longer than the measurement period",
    W0006 Warning "approval deadline longer than the term",
    W0007 Warning "unused import",
    W0008 Warning "text-direction control character",
    W0009 Warning "whole days on a business-hours clock",
    W0014 Warning "other items of a goal with segments have no live selector",
    W0016 Warning "warning too close to the deadline",
    W0018 Warning "replies by on resolution time changes nothing",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The code named `code` (`E0202`, `slac::e0202`), if there is one.
pub fn lookup(code: &str) -> Option<Code> {
    let code = code
        .trim()
        .trim_start_matches("slac::")
        .to_ascii_uppercase();
    ALL.iter().copied().find(|c| c.as_str() == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_starts_with_its_code_and_has_an_example_and_a_fix() {
        for c in ALL {
            assert!(
                c.page().starts_with(&format!("# {}:", c.as_str())),
                "docs/errors/{}.md must start with `# {}: <title>`",
                c.as_str(),
                c.as_str()
            );
            assert!(
                c.page().contains("```sla"),
                "{} needs an example",
                c.as_str()
            );
            assert!(
                c.page().contains("## Fix"),
                "{} needs a fix section",
                c.as_str()
            );
        }
    }

    #[test]
    fn codes_are_unique_and_prefixed_by_severity() {
        let mut seen = std::collections::BTreeSet::new();
        for c in ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {c}");
            let prefix = if c.severity() == Severity::Error {
                'E'
            } else {
                'W'
            };
            assert!(c.as_str().starts_with(prefix), "{c}");
        }
    }

    #[test]
    fn codes_order_as_their_names_and_look_up_by_name() {
        // Diagnostics sort by code: the enum's order is the names' order.
        assert!(ALL.windows(2).all(|w| w[0].as_str() < w[1].as_str()));
        assert_eq!(lookup("slac::e0202"), Some(Code::E0202));
        assert_eq!(lookup("E9999"), None);
        assert_eq!(Code::W0007.title(), "unused import");
        assert_eq!(Code::W0007.severity(), Severity::Warning);
    }
}
