//! Quoting for everything that reaches Prometheus and Alertmanager: PromQL
//! string literals, regular expressions, series selectors, comments and
//! Go-template text (alert labels and annotations, notification fields).
//!
//! Every user string that reaches a query, a label, a matcher or an
//! annotation goes through one of these functions, so a name like
//! `a"}or vector(1)` or `{{ .Values }}` stays inert text.

use std::fmt::Write;

/// A PromQL (and Alertmanager matcher) string literal: double quotes, with
/// backslash, quote and control characters escaped the way Go's `strconv`
/// reads them back.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` as a regular expression (RE2) that matches exactly `s`.
pub fn regex_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `s` is a valid metric name (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
pub fn is_metric_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// A valid label name for `s`: identifiers pass unchanged, anything else has
/// its invalid characters replaced by `_`.
pub fn label_name(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// How a matcher compares a label with its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchOp {
    Eq,
    Ne,
    Re,
    /// `!~`: none of the alternatives (the other items of a goal with
    /// segments).
    NotRe,
}

impl MatchOp {
    fn symbol(self) -> &'static str {
        match self {
            MatchOp::Eq => "=",
            MatchOp::Ne => "!=",
            MatchOp::Re => "=~",
            MatchOp::NotRe => "!~",
        }
    }
}

/// One label matcher; `value` is raw text (for `Re`, a regular expression)
/// and is quoted when rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matcher {
    pub label: String,
    pub op: MatchOp,
    pub value: String,
}

impl Matcher {
    pub fn eq(label: &str, value: &str) -> Self {
        Matcher {
            label: label_name(label),
            op: MatchOp::Eq,
            value: value.to_string(),
        }
    }
    pub fn ne(label: &str, value: &str) -> Self {
        Matcher {
            label: label_name(label),
            op: MatchOp::Ne,
            value: value.to_string(),
        }
    }
    /// Matches any of `values` exactly (`=` for one value, `=~` for several).
    pub fn any_of(label: &str, values: &[String]) -> Self {
        match values {
            [one] => Matcher::eq(label, one),
            _ => Matcher {
                label: label_name(label),
                op: MatchOp::Re,
                value: values
                    .iter()
                    .map(|v| regex_quote(v))
                    .collect::<Vec<_>>()
                    .join("|"),
            },
        }
    }
    /// Matches none of `values` (`!=` for one value, `!~` for several).
    pub fn none_of(label: &str, values: &[String]) -> Self {
        match Matcher::any_of(label, values) {
            Matcher {
                op: MatchOp::Eq,
                value,
                ..
            } => Matcher::ne(label, &value),
            m => Matcher {
                op: MatchOp::NotRe,
                ..m
            },
        }
    }
    pub fn render(&self) -> String {
        format!("{}{}{}", self.label, self.op.symbol(), string(&self.value))
    }
    /// Whether a series with `value` for this label (empty when absent)
    /// matches. Regular expressions are only those built by `any_of`
    /// and `none_of`.
    pub fn matches(&self, value: &str) -> bool {
        match self.op {
            MatchOp::Eq => self.value == value,
            MatchOp::Ne => self.value != value,
            MatchOp::Re => split_alternatives(&self.value)
                .iter()
                .any(|alt| alt == value),
            MatchOp::NotRe => !split_alternatives(&self.value)
                .iter()
                .any(|alt| alt == value),
        }
    }
}

/// Undoes `regex_quote` over a `|`-joined list of quoted alternatives.
fn split_alternatives(re: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = re.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.last_mut().expect("non-empty").push(n);
                }
            }
            '|' => out.push(String::new()),
            c => out.last_mut().expect("non-empty").push(c),
        }
    }
    out
}

/// A series selector: `name{matchers}`, or `{__name__="name", ...}` when the
/// name is not a valid metric name (a user's `series` string may be anything).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    pub name: String,
    pub matchers: Vec<Matcher>,
}

impl Selector {
    pub fn new(name: impl Into<String>, matchers: Vec<Matcher>) -> Self {
        Selector {
            name: name.into(),
            matchers,
        }
    }
    pub fn with(mut self, m: Matcher) -> Self {
        self.matchers.push(m);
        self
    }
    pub fn render(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let head = if is_metric_name(&self.name) {
            self.name.clone()
        } else {
            parts.push(format!("__name__={}", string(&self.name)));
            String::new()
        };
        parts.extend(self.matchers.iter().map(Matcher::render));
        if parts.is_empty() {
            head
        } else {
            format!("{head}{{{}}}", parts.join(","))
        }
    }
}

/// A label set in series notation (`name{a="b"}`), for promtool test input.
pub fn series(name: &str, labels: &[(String, String)]) -> String {
    let matchers = labels.iter().map(|(k, v)| Matcher::eq(k, v)).collect();
    Selector::new(name, matchers).render()
}

/// Text for a PromQL `#` comment: one line, control characters replaced.
pub fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Text that Prometheus and Alertmanager expand as a Go template (alert
/// labels and annotations, notification fields) but that must come out
/// exactly as written: every `{` becomes the action `{{"{"}}`, so no `{{`
/// from user text can open an action.
pub fn template_text(s: &str) -> String {
    s.replace('{', "{{\"{\"}}")
}

/// A duration in Prometheus syntax: whole days as days (`7d`, `30d`,
/// `365d`), anything shorter in the largest units (`1h30m`, `5m`).
pub fn duration(seconds: u64) -> String {
    if seconds > 0 && seconds % 86_400 == 0 {
        return format!("{}d", seconds / 86_400);
    }
    crate::model::Seconds(seconds).to_string()
}

/// How exporters write the `le` label of a histogram bucket with bound
/// `seconds`: Go clients (`3600`), clients that print floats (`3600.0`), and
/// Go's shortest `%g` form for large bounds (`1.2096e+06`).
pub fn le_spellings(seconds: u64) -> Vec<String> {
    let plain = seconds.to_string();
    let mut out = vec![plain.clone(), format!("{plain}.0")];
    if seconds >= 1_000_000 {
        out.push(crate::model::go_float(seconds));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_escape_quotes_backslashes_and_control_characters() {
        assert_eq!(string("plain"), r#""plain""#);
        assert_eq!(string(r#"a"}or vector(1)"#), r#""a\"}or vector(1)""#);
        assert_eq!(string("back\\slash"), r#""back\\slash""#);
        assert_eq!(string("two\nlines\t\u{7}"), r#""two\nlines\t\u0007""#);
        assert_eq!(string("Grüße"), "\"Grüße\"");
    }

    #[test]
    fn regexes_match_the_literal_text() {
        assert_eq!(regex_quote("a.b|c(d)*"), r"a\.b\|c\(d\)\*");
        let m = Matcher::any_of("platform", &["x".into(), "a.b|c".into()]);
        assert_eq!(m.render(), r#"platform=~"x|a\\.b\\|c""#);
        assert!(m.matches("a.b|c"));
        assert!(m.matches("x"));
        assert!(!m.matches("a"));
        assert_eq!(
            Matcher::any_of("p", &["only".into()]).render(),
            r#"p="only""#
        );
    }

    #[test]
    fn selectors_fall_back_to_name_matchers_for_invalid_names() {
        let s = Selector::new(
            "slac_posts_published_total",
            vec![Matcher::eq("platform", "x")],
        );
        assert_eq!(s.render(), r#"slac_posts_published_total{platform="x"}"#);
        assert_eq!(Selector::new("up", vec![]).render(), "up");
        let evil = Selector::new(r#"a"}or vector(1)"#, vec![Matcher::ne("le", "1")]);
        assert_eq!(evil.render(), r#"{__name__="a\"}or vector(1)",le!="1"}"#);
        assert!(is_metric_name("slac:clock_open"));
        assert!(!is_metric_name("1abc"));
        assert!(!is_metric_name(""));
    }

    #[test]
    fn label_names_are_always_valid() {
        assert_eq!(label_name("platform"), "platform");
        assert_eq!(label_name("a-b"), "a_b");
        assert_eq!(label_name("9x"), "_9x");
    }

    #[test]
    fn template_text_cannot_open_an_action() {
        let t = template_text("{{ .Values }} and {{- $x -}}");
        assert_eq!(t, r#"{{"{"}}{{"{"}} .Values }} and {{"{"}}{{"{"}}- $x -}}"#);
        // Every `{{` in the output starts one of our `{{"{"}}` actions.
        let mut rest = t.as_str();
        while let Some(i) = rest.find("{{") {
            assert!(rest[i..].starts_with("{{\"{\"}}"), "stray action in {t}");
            rest = &rest[i + 7..];
        }
        assert_eq!(template_text("no braces"), "no braces");
    }

    #[test]
    fn comments_stay_on_one_line() {
        assert_eq!(comment("Neujahr\n) or vector(1"), "Neujahr ) or vector(1");
    }

    #[test]
    fn bucket_bounds_in_every_common_spelling() {
        assert_eq!(le_spellings(3600), vec!["3600", "3600.0"]);
        assert_eq!(
            le_spellings(1_209_600),
            vec!["1209600", "1209600.0", "1.2096e+06"]
        );
        assert_eq!(
            le_spellings(1_000_000),
            vec!["1000000", "1000000.0", "1e+06"]
        );
        assert_eq!(duration(5400), "1h30m");
        assert_eq!(duration(30 * 86_400), "30d");
        assert_eq!(duration(7 * 86_400), "7d");
        assert_eq!(duration(300), "5m");
    }
}
