//! Lowers pest's parse tree to the typed AST. The grammar guarantees the
//! shape, so the walk only dispatches on rules; keyword tokens are skipped.

use super::ast::*;
use super::grammar::Rule;
use crate::source::Span;
use pest::iterators::{Pair, Pairs};
use std::sync::OnceLock;

type P<'i> = Pair<'i, Rule>;

/// Whether a rule is a keyword token (`kw_*`), which carries no data.
fn is_keyword(rule: Rule) -> bool {
    static TABLE: OnceLock<Vec<bool>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let rules = Rule::all_rules();
        let mut t = vec![false; rules.len() + 1];
        for r in rules {
            t[*r as usize] = format!("{r:?}").starts_with("kw_");
        }
        t
    });
    table.get(rule as usize).copied().unwrap_or(false)
}

fn span(p: &P) -> Span {
    let s = p.as_span();
    at(s.start(), trimmed_end(p))
}

thread_local! {
    /// Where the text pest is lowering starts in its file: 0 for a whole
    /// file, the piece's offset for a piece of a large one (`chunks`).
    static BASE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A span of the file from offsets in the text being lowered.
fn at(start: usize, end: usize) -> Span {
    let base = BASE.with(|b| b.get());
    Span::new(base + start, base + end)
}

/// The end of a pair without trailing whitespace and comments: pest counts
/// the trivia before a failed repetition into the rule that ends with it.
fn trimmed_end(p: &P) -> usize {
    let s = p.as_span();
    let src = s.get_input().as_bytes();
    // A child's span holds its own children's, and children come in
    // order: the last child ends last (no walk of the whole subtree).
    let from = p
        .clone()
        .into_inner()
        .next_back()
        .map_or(s.start(), |c| c.as_span().end());
    let mut end = from;
    let mut i = from;
    while i < s.end() {
        match src[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'/' if src.get(i + 1) == Some(&b'/') => {
                while i < s.end() && src[i] != b'\n' {
                    i += 1;
                }
            }
            _ => {
                i += 1;
                end = i;
            }
        }
    }
    end.max(from)
}

/// Children of a pair with keyword tokens filtered out.
struct Cursor<'i> {
    inner: std::iter::Peekable<Pairs<'i, Rule>>,
}

impl<'i> Cursor<'i> {
    fn new(p: P<'i>) -> Self {
        Cursor {
            inner: p.into_inner().peekable(),
        }
    }
    fn next(&mut self) -> Option<P<'i>> {
        loop {
            let p = self.inner.next()?;
            if !is_keyword(p.as_rule()) {
                return Some(p);
            }
        }
    }
    fn peek_rule(&mut self) -> Option<Rule> {
        while let Some(p) = self.inner.peek() {
            if is_keyword(p.as_rule()) {
                self.inner.next();
            } else {
                return Some(p.as_rule());
            }
        }
        None
    }
    fn take(&mut self) -> P<'i> {
        self.next().expect("grammar guarantees this child")
    }
    fn name(&mut self) -> Name {
        name(self.take())
    }
    fn str(&mut self) -> Str {
        string(self.take())
    }
    fn lit(&mut self) -> Lit {
        lit(self.take())
    }
    fn opt(&mut self, rule: Rule) -> Option<P<'i>> {
        (self.peek_rule() == Some(rule)).then(|| self.take())
    }
    fn names(&mut self) -> Vec<Name> {
        self.take().into_inner().map(name).collect()
    }
    fn rest(&mut self) -> Vec<P<'i>> {
        std::iter::from_fn(|| self.next()).collect()
    }
}

fn name(p: P) -> Name {
    Name {
        text: p.as_str().to_string(),
        span: span(&p),
    }
}

fn lit(p: P) -> Lit {
    Lit {
        text: p.as_str().to_string(),
        span: span(&p),
    }
}

fn string(p: P) -> Str {
    let raw = p.as_str();
    // An atomic token: no trivia to trim, and trimming would take a `//`
    // inside the string (`"https://..."`) for a comment.
    let s = p.as_span();
    Str {
        raw: raw.to_string(),
        value: unescape(&raw[1..raw.len() - 1]),
        span: at(s.start(), s.end()),
    }
}

/// Decodes the escapes the grammar admits; an invalid `\u{..}` scalar becomes
/// U+FFFD (the checker reports it).
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                let c = u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .unwrap_or('\u{FFFD}');
                out.push(c);
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn docs(p: P) -> Vec<Doc> {
    debug_assert_eq!(p.as_rule(), Rule::docs);
    p.into_inner()
        .map(|d| {
            let raw = d.as_str().trim_end_matches('\r');
            let text = raw[3..].strip_prefix(' ').unwrap_or(&raw[3..]);
            Doc {
                text: text.to_string(),
                span: span(&d),
            }
        })
        .collect()
}

/// Builds a node from a clause pair whose first child is `docs`; the node's
/// span starts after the docs, at the keyword.
fn node<'i, K>(p: P<'i>, f: impl FnOnce(Rule, &mut Cursor<'i>) -> K) -> Node<K> {
    let rule = p.as_rule();
    let end = trimmed_end(&p);
    let mut c = Cursor::new(p);
    let docs = docs(c.take());
    let start = c.inner.peek().map(|p| p.as_span().start()).unwrap_or(end);
    let kind = f(rule, &mut c);
    Node {
        docs,
        span: at(start, end),
        kind,
    }
}

pub fn file(p: P) -> File {
    let mut items = Vec::new();
    items_at(p, 0, &mut items);
    File { items }
}

/// Lowers the items of a `file` pair parsed from the text at `base` in its
/// file, onto `out`.
pub fn items_at(p: P, base: usize, out: &mut Vec<Node<Item>>) {
    BASE.with(|b| b.set(base));
    let items = p.into_inner().filter(|p| p.as_rule() != Rule::EOI);
    out.extend(items.map(item));
    BASE.with(|b| b.set(0));
}

fn item(p: P) -> Node<Item> {
    node(p, |rule, c| match rule {
        Rule::import => Item::Import {
            path: c.str(),
            alias: c.name(),
        },
        Rule::calendar => Item::Calendar(Calendar {
            name: c.name(),
            title: c.opt(Rule::string).map(string),
            clauses: c.rest().into_iter().map(calendar_clause).collect(),
        }),
        Rule::holidays => Item::Holidays(HolidaySet {
            name: c.name(),
            title: c.str(),
            days: c
                .rest()
                .into_iter()
                .map(|h| {
                    node(h, |_, c| Holiday {
                        date: c.lit(),
                        name: c.str(),
                    })
                })
                .collect(),
        }),
        Rule::enum_decl => {
            let name = c.name();
            let ordered = c
                .inner
                .peek()
                .is_some_and(|p| p.as_rule() == Rule::kw_ordered);
            Item::Enum(EnumDecl {
                name,
                ordered,
                values: c
                    .next()
                    .map(|l| l.into_inner().map(self::name).collect())
                    .unwrap_or_default(),
            })
        }
        Rule::metric => Item::Metric(MetricDecl {
            name: c.name(),
            title: c.str(),
            clauses: c.rest().into_iter().map(metric_clause).collect(),
        }),
        Rule::agreement => Item::Agreement(Agreement {
            name: c.name(),
            title: c.str(),
            clauses: c.rest().into_iter().map(clause).collect(),
        }),
        r => unreachable!("item rule {r:?}"),
    })
}

fn calendar_clause(p: P) -> Node<CalendarClause> {
    node(p, |rule, c| match rule {
        Rule::cal_timezone => CalendarClause::Timezone(c.str()),
        Rule::cal_open => {
            let mut days = Vec::new();
            while c.peek_rule() == Some(Rule::day_spec) {
                let d = c.take();
                let sp = span(&d);
                let mut parts = d.into_inner().map(name);
                days.push(DaySpec {
                    from: parts.next().expect("weekday"),
                    to: parts.next(),
                    span: sp,
                });
            }
            let mut range = c.take().into_inner().map(lit);
            CalendarClause::Open {
                days,
                start: range.next().expect("start"),
                end: range.next().expect("end"),
            }
        }
        Rule::cal_closed => CalendarClause::Closed(
            c.rest()
                .into_iter()
                .map(|e| match e.as_rule() {
                    Rule::date => ClosedEntry::Date(lit(e)),
                    _ => ClosedEntry::Set(name(e)),
                })
                .collect(),
        ),
        r => unreachable!("calendar clause {r:?}"),
    })
}

fn metric_clause(p: P) -> Node<MetricClause> {
    node(p, |rule, c| match rule {
        Rule::m_kind => MetricClause::Kind(c.name()),
        Rule::m_events => MetricClause::Events(c.name()),
        Rule::m_measure => MetricClause::Measure {
            from: c.name(),
            to: c.name(),
        },
        Rule::m_series => MetricClause::Series(c.str()),
        Rule::m_numerator => MetricClause::Numerator {
            name: c.name(),
            series: c.str(),
        },
        Rule::m_denominator => MetricClause::Denominator {
            name: c.name(),
            series: c.str(),
        },
        Rule::m_labels => MetricClause::Labels(c.names()),
        Rule::m_unit => MetricClause::Unit(c.str()),
        r => unreachable!("metric clause {r:?}"),
    })
}

fn clause(p: P) -> Node<Clause> {
    node(p, |rule, c| match rule {
        Rule::party => {
            let kind = match c.take().into_inner().next().map(|k| k.as_rule()) {
                Some(Rule::kw_client) => PartyKind::Client,
                Some(Rule::kw_provider) => PartyKind::Provider,
                _ => PartyKind::Vendor,
            };
            Clause::Party {
                kind,
                id: c.name(),
                name: c.str(),
            }
        }
        Rule::effective => Clause::Effective {
            from: c.lit(),
            to: c.lit(),
        },
        Rule::timezone => Clause::Timezone(c.str()),
        Rule::review => Clause::Review(c.lit()),
        Rule::measure_period => Clause::Period(c.lit()),
        Rule::fee => Clause::Fee {
            amount: c.lit(),
            currency: c.lit(),
            per: c.lit(),
        },
        Rule::objective => Clause::Objective(c.str()),
        Rule::platforms => Clause::Platforms(c.names()),
        Rule::platform_decl => Clause::Platform {
            id: c.name(),
            name: c.str(),
        },
        Rule::audience => Clause::Audience {
            id: c.name(),
            name: c.str(),
        },
        Rule::role => Clause::Role {
            id: c.name(),
            party: c.name(),
            contacts: c
                .rest()
                .into_iter()
                .map(|p| {
                    node(p, |_, c| {
                        let kind = match c.take().into_inner().next().map(|k| k.as_rule()) {
                            Some(Rule::kw_email) => ContactKind::Email,
                            Some(Rule::kw_slack) => ContactKind::Slack,
                            _ => ContactKind::Webhook,
                        };
                        Contact {
                            kind,
                            value: c.str(),
                        }
                    })
                })
                .collect(),
        },
        Rule::guidelines => Clause::Guidelines(
            c.rest()
                .into_iter()
                .map(|p| {
                    node(p, |rule, c| match rule {
                        Rule::g_tone => Guideline::Tone(c.str()),
                        Rule::g_style => Guideline::Style(c.str()),
                        _ => Guideline::Languages(c.names()),
                    })
                })
                .collect(),
        ),
        Rule::responsibility => Clause::Responsibility {
            id: c.name(),
            clauses: c.rest().into_iter().map(raci).collect(),
        },
        Rule::goal => Clause::Goal(Goal {
            id: c.name(),
            title: c.str(),
            clauses: c.rest().into_iter().map(goal_clause).collect(),
        }),
        Rule::approval => Clause::Approval(Approval {
            id: c.name(),
            title: c.str(),
            clauses: c.rest().into_iter().map(approval_clause).collect(),
        }),
        Rule::escalation => Clause::Escalation(Escalation {
            id: c.name(),
            title: c.str(),
            clauses: c.rest().into_iter().map(escalation_clause).collect(),
        }),
        Rule::communication => {
            Clause::Communication(c.rest().into_iter().map(communication).collect())
        }
        Rule::credit_cap => Clause::CreditCap(c.lit()),
        Rule::exclude => Clause::Exclude(c.names()),
        r => unreachable!("agreement clause {r:?}"),
    })
}

fn raci(p: P) -> Node<Raci> {
    node(p, |rule, c| match rule {
        Rule::raci => {
            let kind = match c.take().into_inner().next().map(|k| k.as_rule()) {
                Some(Rule::kw_responsible) => RaciKind::Responsible,
                Some(Rule::kw_accountable) => RaciKind::Accountable,
                Some(Rule::kw_consulted) => RaciKind::Consulted,
                _ => RaciKind::Informed,
            };
            Raci::Assign {
                kind,
                roles: c.names(),
            }
        }
        _ => Raci::Duty(c.str()),
    })
}

fn goal_clause(p: P) -> Node<GoalClause> {
    node(p, |rule, c| match rule {
        Rule::g_metric => GoalClause::Metric {
            name: c.name(),
            by: c.next().map(name),
        },
        Rule::g_where => GoalClause::Where(c.rest().into_iter().map(condition).collect()),
        Rule::g_target => GoalClause::Target(target(c.take())),
        Rule::g_segment => GoalClause::Segment {
            target: target(c.take()),
            conditions: c.rest().into_iter().map(condition).collect(),
        },
        Rule::g_clock => GoalClause::Clock(c.name()),
        Rule::g_pause => GoalClause::Pause(c.names()),
        Rule::g_replies => GoalClause::Replies(c.name()),
        Rule::g_period => GoalClause::Period(c.lit()),
        Rule::g_owner => GoalClause::Owner(c.name()),
        Rule::g_reported => GoalClause::Reported,
        Rule::g_warn => GoalClause::Warn(c.lit()),
        Rule::on_breach => GoalClause::OnBreach(
            c.rest()
                .into_iter()
                .map(|p| {
                    node(p, |rule, c| match rule {
                        Rule::b_escalate => Breach::Escalate(c.name()),
                        _ => Breach::Credit(c.lit()),
                    })
                })
                .collect(),
        ),
        r => unreachable!("goal clause {r:?}"),
    })
}

fn condition(p: P) -> Condition {
    let sp = span(&p);
    let mut c = Cursor::new(p);
    let dimension = c.name();
    let test_pair = c.take();
    let test = match test_pair.as_rule() {
        Rule::cond_in => Test::In(Cursor::new(test_pair).names()),
        _ => {
            let mut t = Cursor::new(test_pair);
            Test::Compare {
                op: t.lit(),
                value: t.name(),
            }
        }
    };
    Condition {
        dimension,
        test,
        span: sp,
    }
}

fn target(p: P) -> Target {
    let sp = span(&p);
    let rule = p.as_rule();
    let mut c = Cursor::new(p);
    let kind = match rule {
        Rule::t_within => TargetKind::Within {
            percent: c.lit(),
            duration: c.lit(),
        },
        Rule::t_quantile => TargetKind::Quantile {
            q: c.lit(),
            op: c.lit(),
            duration: c.lit(),
        },
        Rule::t_mean => TargetKind::Mean {
            op: c.lit(),
            duration: c.lit(),
        },
        Rule::t_rate => TargetKind::Rate {
            op: c.lit(),
            count: c.lit(),
            per: c.lit(),
        },
        _ => TargetKind::Threshold {
            op: c.lit(),
            percent: c.lit(),
        },
    };
    Target { kind, span: sp }
}

fn approval_clause(p: P) -> Node<ApprovalClause> {
    node(p, |rule, c| match rule {
        Rule::a_subject => ApprovalClause::Subject(c.name()),
        Rule::a_then => ApprovalClause::Then(c.name()),
        _ => ApprovalClause::Step {
            id: c.name(),
            clauses: c
                .rest()
                .into_iter()
                .map(|p| {
                    node(p, |rule, c| match rule {
                        Rule::s_by => StepClause::By(c.names()),
                        Rule::s_within => StepClause::Within(c.lit()),
                        Rule::s_clock => StepClause::Clock(c.name()),
                        Rule::s_when => StepClause::WhenTagged(c.str()),
                        _ => StepClause::OnSilence(c.name()),
                    })
                })
                .collect(),
        },
    })
}

fn escalation_clause(p: P) -> Node<EscalationClause> {
    node(p, |rule, c| match rule {
        Rule::e_clock => EscalationClause::Clock(c.name()),
        _ => EscalationClause::Tier {
            id: c.name(),
            clauses: c
                .rest()
                .into_iter()
                .map(|p| {
                    node(p, |rule, c| match rule {
                        Rule::t_notify => TierClause::Notify(c.names()),
                        Rule::t_acknowledge => TierClause::Acknowledge(c.lit()),
                        Rule::t_resolve => TierClause::Resolve(c.lit()),
                        Rule::t_pause => TierClause::PausePublishing,
                        _ => TierClause::ApproveStatement(c.names()),
                    })
                })
                .collect(),
        },
    })
}

fn communication(p: P) -> Node<Communication> {
    node(p, |rule, c| match rule {
        Rule::c_report => Communication::Report {
            period: c.lit(),
            to: c.name(),
            via: c.name(),
            within: c.next().map(lit),
        },
        Rule::c_meeting => Communication::Meeting {
            period: c.lit(),
            with: c.names(),
        },
        _ => Communication::Channel {
            kind: c.name(),
            address: c.str(),
        },
    })
}
