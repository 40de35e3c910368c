//! Turns pest's errors into house-style diagnostics: what was expected in
//! words, what was found, and special cases for the common mistakes
//! (unterminated strings, unclosed blocks).

use super::grammar::Rule;
use crate::diagnostics::{tick, Code, Diagnostic};
use crate::source::{FileId, Span};
use pest::error::{ErrorVariant, InputLocation};

/// pest gave up: its call budget ran out (E0005).
fn too_complex(file: FileId, text: &str, pos: usize, why: &str) -> Diagnostic {
    let end = text[pos..]
        .chars()
        .next()
        .map_or(pos, |c| pos + c.len_utf8());
    Diagnostic::new(Code::E0005, "the file is too complex to parse", file, Span::new(pos, end))
        .label(format!("parsing stopped here: {why}"))
        .help("this is not a hand-written agreement; check the generator that wrote it, or split the file")
}

pub fn convert(file: FileId, text: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let positives = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { message } if message.contains("limit reached") => {
            return too_complex(file, text, pos, message);
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };

    if text[pos..].starts_with('"') && !closes_on_line(&text[pos + 1..]) {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        return Diagnostic::new(
            Code::E0001,
            "unterminated string",
            file,
            Span::new(pos, end),
        )
        .label("this string has no closing `\"` on its line")
        .help(
            "close the string with `\"`; strings cannot span lines (write `\\n` for a line break)",
        );
    }

    let found = found_at(text, pos);
    if pos >= text.trim_end().len() {
        if let Some(open) = unclosed_brace(text) {
            return Diagnostic::new(
                Code::E0001,
                "unexpected end of file: a block is not closed",
                file,
                Span::new(open, open + 1),
            )
            .label("this `{` is never closed")
            .help("add the missing `}` where the block ends");
        }
    }

    let mut expected: Vec<String> = positives
        .iter()
        .flat_map(|r| {
            let kws: Vec<String> = clause_keywords(*r).map(tick).collect();
            if kws.is_empty() {
                describe(*r).into_iter().collect()
            } else {
                kws
            }
        })
        .collect();
    expected.sort();
    expected.dedup();
    // At the top level pest reports no alternatives: only items may stand there.
    if expected.iter().all(|e| e == "end of file") && unclosed_brace(&text[..pos]).is_none() {
        expected = [
            "agreement",
            "calendar",
            "enum",
            "holidays",
            "import",
            "metric",
        ]
        .iter()
        .map(tick)
        .collect();
    }
    let span = Span::new(
        pos,
        pos + found.len().max(if pos < text.len() { 1 } else { 0 }),
    );
    let span = Span::new(pos.min(text.len()), span.end.min(text.len()));
    let found_desc = if found.is_empty() {
        "end of file".to_string()
    } else {
        tick(&found)
    };
    let (message, help) = match expected.len() {
        0 => (format!("unexpected {found_desc}"), None),
        1..=4 => (
            format!("expected {}, found {found_desc}", or_list(&expected)),
            None,
        ),
        _ => {
            let clause = positives.iter().any(|r| is_keyword_rule(*r));
            let top = expected.iter().any(|e| e == "`agreement`");
            let what = if top {
                "an item"
            } else if clause {
                "a clause"
            } else {
                "something else"
            };
            (
                format!("expected {what}, found {found_desc}"),
                Some(format!("expected one of {}", or_list(&expected))),
            )
        }
    };
    // A misspelt keyword: suggest the closest one that may stand here.
    let keywords: Vec<&str> = expected
        .iter()
        .filter_map(|e| e.strip_prefix('`').and_then(|e| e.strip_suffix('`')))
        .collect();
    let first_word = keywords.iter().map(|k| k.split(' ').next().unwrap_or(k));
    let help = match crate::diagnostics::suggest::closest(&found, first_word) {
        Some(k) if !found.is_empty() => Some(format!("did you mean `{k}`?")),
        _ => help,
    };
    Diagnostic::new(Code::E0001, message, file, span)
        .label("unexpected here")
        .maybe_help(help)
}

fn closes_on_line(rest: &str) -> bool {
    let mut escaped = false;
    for c in rest.chars() {
        match c {
            '\n' => return false,
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return true,
            _ => escaped = false,
        }
    }
    false
}

/// The token at `pos`: a word, or a single other character.
fn found_at(text: &str, pos: usize) -> String {
    let rest = &text[pos.min(text.len())..];
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
        .take(40)
        .collect();
    if !word.is_empty() {
        return word;
    }
    rest.chars().next().map(String::from).unwrap_or_default()
}

/// The offset of the innermost `{` still open at the end of the text,
/// skipping strings and comments.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut stack = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '/' if chars.peek().map(|p| p.1) == Some('/') => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut escaped = false;
                for (_, c) in chars.by_ref() {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' | '\n' if !escaped => break,
                        _ => escaped = false,
                    }
                }
            }
            '{' => stack.push(i),
            '}' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
}

fn is_keyword_rule(r: Rule) -> bool {
    format!("{r:?}").starts_with("kw_") || CLAUSES.iter().any(|(c, _)| *c == r)
}

/// The keyword each clause (and item) starts with: pest reports the clause
/// rule it tried, and a user knows the clause by its keyword.
const CLAUSES: &[(Rule, &str)] = &[
    (Rule::import, "import"),
    (Rule::calendar, "calendar"),
    (Rule::cal_timezone, "timezone"),
    (Rule::cal_open, "open"),
    (Rule::cal_closed, "closed"),
    (Rule::holidays, "holidays"),
    (Rule::enum_decl, "enum"),
    (Rule::metric, "metric"),
    (Rule::m_kind, "kind"),
    (Rule::m_events, "events"),
    (Rule::m_measure, "measure"),
    (Rule::m_series, "series"),
    (Rule::m_numerator, "numerator"),
    (Rule::m_denominator, "denominator"),
    (Rule::m_labels, "labels"),
    (Rule::m_unit, "unit"),
    (Rule::agreement, "agreement"),
    (Rule::effective, "effective"),
    (Rule::timezone, "timezone"),
    (Rule::review, "review"),
    (Rule::measure_period, "period"),
    (Rule::fee, "fee"),
    (Rule::objective, "objective"),
    (Rule::platforms, "platforms"),
    (Rule::platform_decl, "platform"),
    (Rule::audience, "audience"),
    (Rule::credit_cap, "credit cap"),
    (Rule::exclude, "exclude"),
    (Rule::role, "role"),
    (Rule::guidelines, "guidelines"),
    (Rule::g_tone, "tone"),
    (Rule::g_style, "style"),
    (Rule::g_languages, "languages"),
    (Rule::responsibility, "responsibility"),
    (Rule::duty, "duty"),
    (Rule::goal, "goal"),
    (Rule::g_metric, "metric"),
    (Rule::g_where, "where"),
    (Rule::g_segment, "target"),
    (Rule::g_target, "target"),
    (Rule::g_clock, "clock"),
    (Rule::g_pause, "pause while waiting on"),
    (Rule::g_replies, "replies by"),
    (Rule::g_period, "period"),
    (Rule::g_owner, "owner"),
    (Rule::g_reported, "reported"),
    (Rule::g_warn, "warn at"),
    (Rule::on_breach, "on breach"),
    (Rule::b_escalate, "escalate"),
    (Rule::b_credit, "credit"),
    (Rule::approval, "approval"),
    (Rule::a_subject, "subject"),
    (Rule::a_then, "then"),
    (Rule::step, "step"),
    (Rule::s_by, "by"),
    (Rule::s_within, "within"),
    (Rule::s_clock, "clock"),
    (Rule::s_when, "when tagged"),
    (Rule::s_silence, "on silence"),
    (Rule::escalation, "escalation"),
    (Rule::e_clock, "clock"),
    (Rule::tier, "tier"),
    (Rule::t_notify, "notify"),
    (Rule::t_acknowledge, "acknowledge within"),
    (Rule::t_resolve, "resolve within"),
    (Rule::t_pause, "pause publishing"),
    (Rule::t_statement, "approve statement"),
    (Rule::communication, "communication"),
    (Rule::c_report, "report"),
    (Rule::c_meeting, "meeting"),
    (Rule::c_channel, "channel"),
    (Rule::party, "client"),
    (Rule::party, "provider"),
    (Rule::party, "vendor"),
    (Rule::contact, "email"),
    (Rule::contact, "slack"),
    (Rule::contact, "webhook"),
    (Rule::raci, "responsible"),
    (Rule::raci, "accountable"),
    (Rule::raci, "consulted"),
    (Rule::raci, "informed"),
];

fn clause_keywords(r: Rule) -> impl Iterator<Item = &'static str> {
    CLAUSES
        .iter()
        .filter(move |(c, _)| *c == r)
        .map(|(_, k)| *k)
}

/// Words for a rule in an "expected ..." message; `None` for rules a user
/// would not recognise.
fn describe(r: Rule) -> Option<String> {
    let name = format!("{r:?}");
    if let Some(kw) = name.strip_prefix("kw_") {
        return Some(tick(kw));
    }
    Some(
        match r {
            Rule::EOI => "end of file",
            Rule::ident | Rule::ident_list => "a name",
            Rule::qname => "a name",
            Rule::string => "a string",
            Rule::number => "a number",
            Rule::percent => "a percentage like `95%`",
            Rule::duration => "a duration like `1h` or `1h30m`",
            Rule::date => "a date like `2026-01-31`",
            Rule::time | Rule::time_range => "opening hours like `09:00-17:00`",
            Rule::currency => "a currency code like `EUR`",
            Rule::quantile => "a percentile like `p95`",
            Rule::weekday | Rule::day_spec => "a weekday like `mon` or `mon-fri`",
            Rule::period => "a period (`daily`, `weekly`, `monthly`, `quarterly`, `yearly`)",
            Rule::per_unit => "`day`, `week`, `month`, `quarter` or `year`",
            Rule::comparator => "a comparison (`>=`, `<=`, `=`, ...)",
            Rule::doc => "a doc comment",
            Rule::party_kind => "`client`, `provider` or `vendor`",
            Rule::contact_kind => "`email`, `slack` or `webhook`",
            Rule::raci_kind => "`responsible`, `accountable`, `consulted` or `informed`",
            Rule::holiday => "a date and a name",
            Rule::t_within | Rule::t_quantile | Rule::t_mean | Rule::t_rate | Rule::t_threshold => {
                "a target like `90% within 1h`, `p95 <= 30m`, `>= 95%` or `>= 4 per week`"
            }
            Rule::condition => "a condition like `platform = x`",
            Rule::cond_in | Rule::cond_cmp => "`in [...]` or a comparison",
            _ => return None,
        }
        .to_string(),
    )
}

fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_clause_rule_of_the_grammar_has_its_keyword() {
        let grammar = include_str!("../../grammar/slac.pest");
        for line in grammar.lines() {
            if let Some((name, body)) = line.split_once('=') {
                if body.trim_start().starts_with("{ docs ~ kw_") {
                    let name = name.trim();
                    assert!(
                        CLAUSES.iter().any(|(r, _)| format!("{r:?}") == name),
                        "{name} is missing from CLAUSES"
                    );
                }
            }
        }
    }
}
