//! `pause while waiting on customer, client`: which parties a goal's clock
//! stops for (E0340 a metric with no clock to pause, E0341 a party named
//! twice, E0342 an unknown party).

use super::*;
use m::{EventSource, WaitingOn};

impl Cx<'_, '_> {
    /// The parties of a `pause` clause, in `WaitingOn` order; `None` after
    /// an error. `clause` is the clause's span.
    pub(super) fn pause(
        &mut self,
        metric: &m::Metric,
        parties: &[Name],
        clause: Span,
    ) -> Option<Vec<WaitingOn>> {
        let mut ok = self.pause_fits(metric, clause);
        let mut seen: BTreeMap<WaitingOn, Span> = BTreeMap::new();
        for n in parties {
            let Some(w) = WaitingOn::parse(&n.text) else {
                let kinds: Vec<&str> = WaitingOn::ALL.iter().map(|w| w.keyword()).collect();
                let help = suggest::did_you_mean_or_list(&n.text, &kinds, "a case waits on");
                self.err(
                    Diagnostic::new(
                        Code::E0342,
                        format!("unknown waiting party {}", tick(&n.text)),
                        self.file,
                        n.span,
                    )
                    .label("a case cannot wait on this")
                    .help(help),
                );
                ok = false;
                continue;
            };
            if let Some(first) = seen.get(&w) {
                self.err(
                    Diagnostic::new(
                        Code::E0341,
                        format!("{} is listed twice in `pause`", tick(w.keyword())),
                        self.file,
                        n.span,
                    )
                    .label("listed again here")
                    .with_secondary(self.file, *first, "first listed here")
                    .help(format!("list {} once", tick(w.keyword()))),
                );
                ok = false;
                continue;
            }
            seen.insert(w, n.span);
        }
        ok.then(|| seen.into_keys().collect())
    }

    /// A clock pauses only where one runs from an inquiry's arrival to its
    /// stop: a latency metric over inquiries (waits are kept per inquiry).
    fn pause_fits(&mut self, metric: &m::Metric, clause: Span) -> bool {
        if metric.kind == MetricKind::Latency && metric.events == EventSource::Inquiries {
            return true;
        }
        let why = if metric.kind == MetricKind::Latency {
            format!(
                "`{}` times {}; waits are recorded for inquiries only",
                metric.name,
                metric.events.keyword()
            )
        } else {
            format!(
                "`{}` is a {} metric: no clock runs from a start to a stop",
                metric.name,
                metric.kind.keyword()
            )
        };
        self.err(
            Diagnostic::new(
                Code::E0340,
                format!("metric {} has no clock to pause", tick(&metric.name)),
                self.file,
                clause,
            )
            .label(why)
            .help("pause a latency goal over inquiries (`response_time`, `resolution_time`), or remove the clause"),
        );
        false
    }
}
