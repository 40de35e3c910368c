//! `bd` durations resolve to whole open days of the clock's calendar, so the
//! Model (and every target compiled from it) carries plain seconds.

mod common;

use slac::model::{Seconds, Target};

const HOUR: u64 = 3_600;

#[test]
fn business_days_are_open_days_of_the_goal_step_and_tier_clock() {
    let model = common::model("tests/corpus/valid/business-days.sla");
    let a = &model.agreements[0];
    let target = |id: &str| a.goals.iter().find(|g| g.id == id).unwrap().target.clone();
    // office: 09:00-12:00 and 13:00-18:00, eight hours a weekday.
    assert!(
        matches!(target("replies"), Target::Within { within, .. } if within == Seconds(8 * HOUR))
    );
    // desk: ten hours every day; p99 <= 2bd.
    assert!(
        matches!(target("slow_tail"), Target::Quantile { max, .. } if max == Seconds(20 * HOUR))
    );
    // The clock clause before the target, as after it.
    assert!(matches!(target("resolutions"), Target::Mean { max } if max == Seconds(24 * HOUR)));
    assert_eq!(a.approvals[0].steps[0].within, Seconds(16 * HOUR));
    // The escalation's clock is written after its tiers.
    assert_eq!(a.escalations[0].tiers[0].resolve, Some(Seconds(10 * HOUR)));
}
