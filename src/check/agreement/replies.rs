//! `replies by human`: only a person's reply stops a goal's clock; bot and
//! automation replies do not (E0370 a metric no reply stops, E0371 an
//! author other than `human`, W0018 the clause on resolution time, where
//! it changes nothing).

use super::*;
use m::{EventSource, Replies};

/// The stop fields of the prelude's inquiry clocks that a reply sets:
/// the first reply, the next reply after a follow-up, the next update.
const REPLY_STOPS: [&str; 3] = ["first_response_at", "next_reply_at", "next_update_at"];

impl Cx<'_, '_> {
    /// Whose replies count for a goal with a `replies by` clause; `None`
    /// after an error. `author` is the word after `by`; `node` the clause's
    /// span, from its keyword.
    pub(super) fn replies(
        &mut self,
        metric: &m::Metric,
        author: &Name,
        node: Span,
    ) -> Option<Replies> {
        let clause = Span::new(node.start, author.span.end);
        let Some(replies) = Replies::parse(&author.text) else {
            self.unknown_author(author);
            return None;
        };
        let stop = metric.measure.as_ref().map(|(_, stop)| stop.as_str());
        let timed = metric.kind == MetricKind::Latency && metric.events == EventSource::Inquiries;
        match stop {
            Some(s) if timed && REPLY_STOPS.contains(&s) => Some(replies),
            Some("resolved_at") if timed => {
                // A solve stops this clock: the clause changes nothing, and
                // the model says so.
                self.resolution_unaffected(metric, clause);
                Some(Replies::Anyone)
            }
            _ => {
                self.no_reply_stops(metric, clause);
                None
            }
        }
    }

    fn unknown_author(&mut self, author: &Name) {
        let known = Replies::AUTHORS.contains(&author.text.as_str());
        let help = if known {
            format!(
                "only `human` can be named: without the clause every author's reply counts, {} included",
                tick(&author.text)
            )
        } else {
            suggest::did_you_mean_or_list(&author.text, &["human"], "replies can be limited to")
        };
        self.err(
            Diagnostic::new(
                Code::E0371,
                format!("replies cannot be limited to {}", tick(&author.text)),
                self.file,
                author.span,
            )
            .label(if known {
                "a goal can leave bot and automation replies out, not count them alone"
            } else {
                "not an author of `messages.csv` (human, bot, automation)"
            })
            .help(help),
        );
    }

    /// E0370: nothing a reply does stops this metric's clock.
    fn no_reply_stops(&mut self, metric: &m::Metric, clause: Span) {
        let why = if metric.events != EventSource::Inquiries {
            format!(
                "`{}` counts {}, which nobody replies to",
                metric.name,
                metric.events.keyword()
            )
        } else if metric.kind != MetricKind::Latency {
            format!(
                "`{}` is a {} metric: no clock for a reply to stop",
                metric.name,
                metric.kind.keyword()
            )
        } else {
            let stop = metric.measure.as_ref().map_or("", |(_, s)| s.as_str());
            format!("`{}` stops at `{stop}`, which is not a reply", metric.name)
        };
        self.err(
            Diagnostic::new(
                Code::E0370,
                format!("no reply stops the clock of {}", tick(&metric.name)),
                self.file,
                clause,
            )
            .label(why)
            .help("`replies by human` fits `response_time`, `next_reply_time` and `periodic_update_time`; remove the clause here"),
        );
    }

    /// W0018: resolution is stopped by a solve, not a reply.
    fn resolution_unaffected(&mut self, metric: &m::Metric, clause: Span) {
        self.err(
            Diagnostic::new(
                Code::W0018,
                format!("`replies by human` changes nothing on {}", tick(&metric.name)),
                self.file,
                clause,
            )
            .label("a solve stops this clock, whoever wrote the replies before it")
            .help("remove the clause; to time replies by people, add a goal on `response_time` or `next_reply_time`")
            .fix(
                own_lines(&self.s.sources.get(self.file).text, clause),
                "",
                "Remove `replies by human`",
            ),
        );
    }
}

/// What removing `span` should remove: its whole line, newline included,
/// when nothing else is on it (so no blank line is left behind); else the
/// span alone.
fn own_lines(text: &str, span: Span) -> Span {
    let (start, end) = (span.start, span.end);
    let (Some(before), Some(after)) = (text.get(..start), text.get(end..)) else {
        return span;
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let rest = after.find('\n').map_or(after.len(), |i| i + 1);
    let blank = |t: &str| {
        t.chars()
            .all(|c| c == ' ' || c == '\t' || c == '\r' || c == '\n')
    };
    if blank(&before[line_start..]) && blank(&after[..rest]) {
        Span::new(line_start, end + rest)
    } else {
        span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clause_alone_on_its_line_goes_with_the_line() {
        let text = "  target 90% within 1h\n    replies by human\r\n  }\n";
        let start = text.find("replies").unwrap();
        let clause = Span::new(start, start + "replies by human".len());
        let gone = own_lines(text, clause);
        let mut left = text.to_string();
        left.replace_range(gone.start..gone.end, "");
        assert_eq!(left, "  target 90% within 1h\n  }\n");
        // Sharing its line with another clause: only the clause goes.
        let text = "goal g \"G\" { metric resolution_time replies by human }";
        let start = text.find("replies").unwrap();
        let clause = Span::new(start, start + "replies by human".len());
        assert_eq!(own_lines(text, clause), clause);
    }
}
