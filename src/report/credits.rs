//! Service credits (semantics point 8): each binding goal missed in a period
//! owes its `credit` share of that period's fee; the total per agreement
//! period is capped by `credit cap`. Money is exact: cents, ratios in parts
//! per million, and each amount rounded half up to the cent.

use super::periods::PeriodKey;
use super::{GoalReport, Money, PeriodCredit, Scope, Status};
use crate::model::{Agreement, Fee, PerUnit, Period, Ratio};

/// `cents * ratio`, rounded half up to the cent.
pub fn share(cents: u64, ratio: Ratio) -> u64 {
    ((cents as u128 * ratio.0 as u128 + 500_000) / 1_000_000) as u64
}

/// How many of a unit make a year, to convert a fee between units: a fee
/// of 12000 per month is 36000 per quarter and 12000 * 12 / 52 per week.
fn per_year_unit(unit: PerUnit) -> u64 {
    match unit {
        PerUnit::Day => 365,
        PerUnit::Week => 52,
        PerUnit::Month => 12,
        PerUnit::Quarter => 4,
        PerUnit::Year => 1,
    }
}

fn per_year_period(period: Period) -> u64 {
    match period {
        Period::Daily => 365,
        Period::Weekly => 52,
        Period::Monthly => 12,
        Period::Quarterly => 4,
        Period::Yearly => 1,
    }
}

/// The fee of one period, in cents (exact when the units agree, otherwise
/// converted through a year and rounded half up).
pub fn period_fee(fee: &Fee, period: Period) -> u64 {
    let (num, den) = (
        fee.cents as u128 * per_year_unit(fee.per) as u128,
        per_year_period(period) as u128,
    );
    ((num + den / 2) / den) as u64
}

/// Fills in each goal result's credit and totals them per agreement period.
pub fn per_period(
    agreement: &Agreement,
    scope: &Scope,
    goals: &mut [GoalReport],
) -> Vec<PeriodCredit> {
    let Some(fee) = &agreement.fee else {
        return Vec::new();
    };
    let money = |c| Money::new(c, &fee.currency);
    let empty = |p: PeriodKey| {
        let f = period_fee(fee, agreement.period);
        PeriodCredit {
            period: p.to_string(),
            fee: money(f),
            items: Vec::new(),
            before_cap: money(0),
            cap: agreement.credit_cap.map(|c| money(share(f, c))),
            owed: money(0),
        }
    };
    let mut out: Vec<(PeriodKey, PeriodCredit)> = scope
        .periods(agreement.period)
        .into_iter()
        .map(|p| (p, empty(p)))
        .collect();
    for (goal, model) in goals.iter_mut().zip(&agreement.goals) {
        let Some(credit) = model.credit.filter(|_| model.binding) else {
            continue;
        };
        for r in goal
            .results
            .iter_mut()
            .filter(|r| r.status == Status::Missed)
        {
            let amount = share(period_fee(fee, model.period), credit);
            r.credit = Some(money(amount));
            // The agreement period this goal period starts in; a longer goal
            // period (a quarter) may start before the reported months, and
            // its credit must not vanish, so that period joins the table.
            let key = PeriodKey::containing(agreement.period, r.first_day);
            let at = match out.iter().position(|(p, _)| *p == key) {
                Some(i) => i,
                None => {
                    let i = out.partition_point(|(p, _)| *p < key);
                    out.insert(i, (key, empty(key)));
                    i
                }
            };
            out[at].1.items.push(super::CreditItem {
                goal: goal.id.clone(),
                period: r.period.clone(),
                credit: credit.percent(),
                amount: money(amount),
            });
        }
    }
    out.into_iter()
        .map(|(_, mut pc)| {
            let total: u64 = pc.items.iter().map(|i| i.amount.cents).sum();
            pc.before_cap = money(total);
            pc.owed = money(pc.cap.as_ref().map_or(total, |c| total.min(c.cents)));
            pc
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_half_up_to_the_cent() {
        // 12000.00 EUR * 5% = 600.00 EUR exactly.
        assert_eq!(share(1_200_000, Ratio(50_000)), 60_000);
        // 0.10 * 2.5% = 0.0025 -> 0.00; 0.30 * 2.5% = 0.0075 -> 0.01 (half up).
        assert_eq!(share(10, Ratio(25_000)), 0);
        assert_eq!(share(30, Ratio(25_000)), 1);
        // 0.20 * 2.5% = 0.005: exactly half a cent rounds up.
        assert_eq!(share(20, Ratio(25_000)), 1);
    }

    #[test]
    fn fees_convert_between_units() {
        let fee = Fee {
            cents: 1_200_000,
            currency: "EUR".into(),
            per: PerUnit::Month,
        };
        assert_eq!(period_fee(&fee, Period::Monthly), 1_200_000);
        assert_eq!(period_fee(&fee, Period::Quarterly), 3_600_000);
        // 12000 * 12 / 52 = 2769.2307... -> 2769.23.
        assert_eq!(period_fee(&fee, Period::Weekly), 276_923);
    }
}
