//! `warn at P%`: the share of an item's allowance after which an open item
//! is warned about (E0360, E0361).

use super::*;

impl Cx<'_, '_> {
    /// The warning share of a goal, if it has one and it fits the target.
    /// `target` is `None` when the target did not check (already reported).
    pub(super) fn warn_share(
        &mut self,
        what: &str,
        (lit, span): (&Lit, Span),
        target: Option<(&Target, Span)>,
    ) -> Option<Ratio> {
        let share = self.warn_percent(lit)?;
        let (t, target_span) = target?;
        if let Target::Within { .. } = t {
            return Some(share);
        }
        let shape = match t {
            Target::Quantile { .. } => "a percentile of the times",
            Target::Mean { .. } => "the mean of the times",
            Target::Ratio { .. } => "a ratio over the period",
            _ => "a count over the period",
        };
        self.err(
            Diagnostic::new(
                Code::E0360,
                format!("{what} has no per-item deadline to warn before"),
                self.file,
                span,
            )
            .label("a warning is a share of each item's allowance")
            .with_secondary(
                self.file,
                target_span,
                format!("this target promises {shape}, not a deadline per item"),
            )
            .help("warnings need a target like `90% within 1h`; remove the `warn at` clause here"),
        );
        None
    }

    /// The share as written: a percentage above 0% and below 100%.
    fn warn_percent(&mut self, lit: &Lit) -> Option<Ratio> {
        let digits = lit.text.trim_end_matches('%');
        match values::fixed_point(digits, 4) {
            // More than four decimals: the percentage error says so.
            None => self.percent(lit),
            Some(ppm) if ppm > 0 && ppm < u64::from(Ratio::ONE.0) => Some(Ratio(ppm as u32)),
            Some(ppm) => {
                let why = if ppm == 0 {
                    "a warning at 0% would fall the moment an item arrives"
                } else {
                    "at 100% the item has already breached: too late to warn"
                };
                self.err(
                    Diagnostic::new(
                        Code::E0361,
                        format!("warning share {} is out of range", tick(&lit.text)),
                        self.file,
                        lit.span,
                    )
                    .label(why)
                    .help("warn above 0% and below 100% of the allowance, like `warn at 75%`"),
                );
                None
            }
        }
    }
}
