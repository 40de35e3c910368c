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
        if let Target::Within { within, .. } = t {
            self.warn_lead(lit, share, *within);
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

    /// W0016: a warning that leaves less than a minute before the breach
    /// reaches nobody in time (the alert waits a minute, scrapes come
    /// every 15 seconds or more).
    pub(super) fn warn_lead(&mut self, lit: &Lit, share: Ratio, within: Seconds) {
        let allowance = u128::from(within.0) * 1_000_000;
        let after = u128::from(within.0) * u128::from(share.0);
        let lead = allowance - after;
        if lead >= 60 * 1_000_000 {
            return;
        }
        let left = Seconds(lead.div_ceil(1_000_000) as u64);
        // The largest whole percentage that leaves a minute, if any does.
        let help = match 100u64.checked_sub(6000u64.div_ceil(within.0.max(1))) {
            Some(p) if p > 0 => format!(
                "warn earlier, like `warn at {p}%` or lower, so the owner has time to act"
            ),
            _ => "the allowance is two minutes or less: no warning can arrive in time; remove `warn at`".to_string(),
        };
        self.err(
            Diagnostic::new(
                Code::W0016,
                format!(
                    "warning at {} of {within} leaves {left} before the breach",
                    share.percent()
                ),
                self.file,
                lit.span,
            )
            .label("less than a minute: the alert cannot arrive in time")
            .help(help),
        );
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
