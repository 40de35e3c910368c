//! What each keyword means and where it may start a clause: one table read
//! by editor hovers and completion (and checked against the grammar by a
//! test, so a new keyword cannot be forgotten here).

/// The kinds of block a clause can sit in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Block {
    /// The top level of a file: items.
    File,
    Calendar,
    Metric,
    Holidays,
    Enum,
    Agreement,
    Role,
    Guidelines,
    Responsibility,
    Goal,
    Breach,
    Approval,
    Step,
    Escalation,
    Tier,
    Communication,
}

impl Block {
    pub fn noun(self) -> &'static str {
        match self {
            Block::File => "file",
            Block::Calendar => "calendar",
            Block::Metric => "metric",
            Block::Holidays => "holidays",
            Block::Enum => "enum",
            Block::Agreement => "agreement",
            Block::Role => "role",
            Block::Guidelines => "guidelines",
            Block::Responsibility => "responsibility",
            Block::Goal => "goal",
            Block::Breach => "on breach",
            Block::Approval => "approval",
            Block::Step => "step",
            Block::Escalation => "escalation",
            Block::Tier => "tier",
            Block::Communication => "communication",
        }
    }
}

pub struct Keyword {
    /// The word as written.
    pub word: &'static str,
    /// The blocks where it starts a clause (empty for words inside a clause).
    pub blocks: &'static [Block],
    /// What completion inserts at the start of a clause (`credit cap`).
    pub phrase: &'static str,
    /// The clause's shape.
    pub syntax: &'static str,
    pub doc: &'static str,
}

use Block::*;

const fn kw(
    word: &'static str,
    blocks: &'static [Block],
    syntax: &'static str,
    doc: &'static str,
) -> Keyword {
    Keyword {
        word,
        blocks,
        phrase: word,
        syntax,
        doc,
    }
}

const fn phrase(
    word: &'static str,
    blocks: &'static [Block],
    phrase: &'static str,
    syntax: &'static str,
    doc: &'static str,
) -> Keyword {
    Keyword {
        word,
        blocks,
        phrase,
        syntax,
        doc,
    }
}

/// Every keyword, clause starters first. A word may appear more than once
/// when it means different things in different blocks (`metric`, `clock`).
pub const KEYWORDS: &[Keyword] = &[
    // Items.
    kw("import", &[File], "import \"PATH\" as ALIAS",
        "Imports a file (relative to this one) or a standard library module (`std/holidays`). Imported names are always qualified: `ALIAS.name`."),
    kw("calendar", &[File], "calendar NAME \"Title\"? { timezone ... open ... closed ... }",
        "Business hours: a time zone, `open` hours and `closed` dates. A goal, step or escalation measures time on it with `clock NAME`; `always` is the built-in 24/7 calendar."),
    kw("agreement", &[File], "agreement NAME \"Title\" { clauses }",
        "A service level agreement between a client and a provider: parties, term, roles, goals, approvals, escalations and remedies."),
    kw("metric", &[File], "metric NAME \"Title\" { kind ... events ... }",
        "Defines how a measure is computed and where monitoring tools find it. The prelude defines `response_time`, `resolution_time`, `response_rate`, `engagement_rate` and `posts`."),
    kw("holidays", &[File], "holidays NAME \"Title\" { DATE \"Name\" ... }",
        "A named set of holidays a calendar can close on with `closed NAME`."),
    kw("enum", &[File], "enum NAME ordered? { a, b, c }",
        "An enumeration a goal's `where` can filter on; `ordered` values can be compared with `>=`."),
    // Calendar.
    kw("timezone", &[Calendar], "timezone \"IANA/Zone\"",
        "The calendar's time zone from the tz database (`Europe/Berlin`); open hours are local to it, with real daylight saving time."),
    kw("open", &[Calendar], "open DAYS HH:MM-HH:MM",
        "Opening hours on some weekdays (`mon-fri 09:00-17:00`). Several `open` lines may be given; they must not overlap."),
    kw("closed", &[Calendar], "closed DATE, ... | HOLIDAYS",
        "Dates the calendar is closed all day, or a holiday set (`holidays.de_2026`)."),
    // Metric.
    kw("kind", &[Metric], "kind latency|ratio|count",
        "What the metric measures, which fixes the targets a goal may set: latency takes `90% within 1h`, `p95 <= 30m` or `mean <= 8h`; ratio takes `>= 95%`; count takes `>= 4 per week`."),
    kw("events", &[Metric], "events inquiries|posts|approvals|incidents",
        "The events the metric is computed from (for `slac report`)."),
    kw("measure", &[Metric], "measure FIELD to FIELD",
        "For latency metrics: the event fields the time runs between."),
    kw("series", &[Metric], "series \"prometheus_series\"",
        "The Prometheus series monitoring tools read (a histogram for latency, a counter for count metrics)."),
    kw("numerator", &[Metric], "numerator NAME \"series\"",
        "For ratio metrics: the series counted in the numerator."),
    kw("denominator", &[Metric], "denominator NAME \"series\"",
        "For ratio metrics: a series to divide by; a goal picks one with `metric NAME by DENOMINATOR` when there are several."),
    kw("labels", &[Metric], "labels a, b, c",
        "The dimensions a goal may filter this metric on with `where`."),
    kw("unit", &[Metric], "unit \"text\"", "The unit the metric is shown in."),
    // Agreement.
    kw("client", &[Agreement], "client ID \"Name\"",
        "The brand the service is provided to. Every agreement names at least one client."),
    kw("provider", &[Agreement], "provider ID \"Name\"",
        "The social media team or agency providing the service. Every agreement names at least one provider."),
    kw("vendor", &[Agreement], "vendor ID \"Name\"",
        "An external vendor with a part in the agreement (roles may belong to it)."),
    kw("effective", &[Agreement], "effective DATE to DATE",
        "The term: the first and the last day (inclusive) the agreement is in effect."),
    kw("timezone", &[Agreement], "timezone \"IANA/Zone\"",
        "The time zone measurement periods start and end in (default `UTC`)."),
    kw("review", &[Agreement], "review daily|weekly|monthly|quarterly|yearly",
        "How often the parties review the agreement."),
    kw("period", &[Agreement], "period daily|weekly|monthly|quarterly|yearly",
        "The default measurement period of the goals (default `monthly`)."),
    kw("fee", &[Agreement], "fee AMOUNT CUR per month",
        "The monthly fee, like `12000 EUR per month`; needed by any `credit`, which is a share of it."),
    kw("objective", &[Agreement], "objective \"text\"",
        "A business objective in words: the intent the measurable goals serve."),
    kw("platforms", &[Agreement], "platforms a, b, c",
        "The social networks the agreement covers, in priority order."),
    kw("platform", &[Agreement], "platform ID \"Name\"",
        "Declares a platform beyond the prelude's (`x`, `facebook`, `instagram`, ...)."),
    kw("audience", &[Agreement], "audience ID \"Name\"",
        "An audience segment goals can filter on with `where audience = ID`."),
    kw("role", &[Agreement], "role ID of PARTY { email \"...\" slack \"#...\" webhook \"https://...\" }",
        "A role of one party, with the contacts used to notify it. Goals, responsibilities, approvals, escalations and reports name roles."),
    kw("guidelines", &[Agreement], "guidelines { tone ... style ... languages ... }",
        "Content guidelines: tone of voice, style guide and languages."),
    kw("responsibility", &[Agreement], "responsibility ID { responsible R accountable R consulted R informed R duty \"...\" }",
        "A RACI assignment: at least one responsible role, exactly one accountable role, and the duties."),
    kw("goal", &[Agreement], "goal ID \"Title\" { metric ... target ... }",
        "A measurable service level: a metric, optional `where` filters, a target, the clock it is measured on, an owner and what happens on breach."),
    kw("approval", &[Agreement], "approval ID \"Title\" { subject posts step ... then publish }",
        "An approval flow content passes before publishing; its steps run in order."),
    kw("escalation", &[Agreement], "escalation ID \"Title\" { clock CAL tier ... }",
        "An escalation procedure: tiers in ascending severity, each with whom to notify and how fast to acknowledge and resolve."),
    kw("communication", &[Agreement], "communication { report ... meeting ... channel ... }",
        "How the parties keep each other informed: reports, meetings and channels."),
    phrase("credit", &[Agreement], "credit cap", "credit cap P%",
        "The most credit owed for one period, as a share of the fee; the credits of all breached goals are summed up to it."),
    kw("exclude", &[Agreement], "exclude platform_outage, force_majeure, client_delay",
        "Carve-outs: time lost to these causes does not count against any goal."),
    // Role.
    kw("email", &[Role], "email \"address\"", "An e-mail address of the role."),
    kw("slack", &[Role], "slack \"#channel\"", "A Slack channel of the role."),
    kw("webhook", &[Role], "webhook \"https://...\"", "A webhook notifications for the role are posted to."),
    // Guidelines.
    kw("tone", &[Guidelines], "tone \"text\"", "The tone of voice content keeps."),
    kw("style", &[Guidelines], "style \"text\"", "The style guide content follows."),
    kw("languages", &[Guidelines], "languages en, de", "The languages content is published in."),
    // Responsibility.
    kw("responsible", &[Responsibility], "responsible ROLE, ...", "The roles that do the work (at least one)."),
    kw("accountable", &[Responsibility], "accountable ROLE", "The one role answerable for the work (exactly one)."),
    kw("consulted", &[Responsibility], "consulted ROLE, ...", "Roles asked before decisions."),
    kw("informed", &[Responsibility], "informed ROLE, ...", "Roles kept up to date."),
    kw("duty", &[Responsibility], "duty \"text\"", "A duty of this responsibility, in words."),
    // Goal.
    kw("metric", &[Goal], "metric NAME (by DENOMINATOR)?",
        "The metric the goal measures; its kind fixes which targets are legal."),
    kw("where", &[Goal], "where DIM = v, DIM in [v, w], priority >= high",
        "Filters the events the goal counts, on the metric's labels (platform, channel, priority, audience)."),
    kw("target", &[Goal], "target 90% within 1h | p95 <= 30m | mean <= 8h | >= 95% | >= 4 per week",
        "The level the goal promises; its shape must fit the metric's kind."),
    kw("for", &[], "target 95% within 15m for priority = urgent",
        "A segment's target: the items the conditions select (within the goal's `where`) are held to this target instead of the goal's, whose plain `target` holds for the other items. Segments may not overlap; the goal is met in a period when neither a segment nor the other items are missed."),
    kw("clock", &[Goal], "clock CALENDAR",
        "The calendar durations are measured on: `within 1h` on a business-hours calendar counts only open hours. Default `always`."),
    phrase("pause", &[Goal], "pause while waiting on", "pause while waiting on customer|client, ...",
        "The goal's clock stops while the case waits on the customer or on the client (the brand); the waits come from `waits.csv`."),
    phrase("replies", &[Goal], "replies by", "replies by human",
        "Only a person's reply stops the goal's clock (first reply, next reply, periodic update); bot and automation replies in `messages.csv` do not count."),
    kw("period", &[Goal], "period daily|weekly|monthly|quarterly|yearly",
        "The measurement period of this goal (default: the agreement's `period`)."),
    kw("owner", &[Goal], "owner ROLE", "The role responsible for meeting the goal."),
    kw("reported", &[Goal], "reported",
        "Marks the goal as tracked and reported but not binding: it owes no credit."),
    phrase("warn", &[Goal], "warn at", "warn at P%",
        "Warns about each open item once it has used this share of its allowance (the `within` of `N% within D`): an early notice, above 0% and below 100%, not a term."),
    phrase("on", &[Goal], "on breach", "on breach { escalate E.TIER credit P% }",
        "What happens when the goal is missed in a period."),
    // On breach.
    kw("escalate", &[Breach], "escalate ESCALATION.TIER", "Starts an escalation at the given tier."),
    kw("credit", &[Breach], "credit P%",
        "The share of the period's fee credited to the client when the goal is missed."),
    // Approval.
    kw("subject", &[Approval], "subject posts", "What passes through the approval."),
    kw("step", &[Approval], "step ID { by ROLE within D ... }", "One step of the flow; steps run in order."),
    kw("then", &[Approval], "then publish", "What happens once every step approved."),
    // Step.
    kw("by", &[Step], "by ROLE, ...", "The roles that approve in this step."),
    kw("within", &[Step], "within DURATION", "How long the step may take, measured on the step's clock."),
    kw("clock", &[Step], "clock CALENDAR", "The calendar the step's `within` is measured on (default `always`)."),
    phrase("when", &[Step], "when tagged", "when tagged \"tag\"", "The step applies only to content with this tag."),
    phrase("on", &[Step], "on silence", "on silence approve|reject",
        "What happens when the step's time runs out without an answer."),
    // Escalation.
    kw("clock", &[Escalation], "clock CALENDAR",
        "The calendar the tiers' `acknowledge` and `resolve` times are measured on (default `always`)."),
    kw("tier", &[Escalation], "tier NAME { notify ... acknowledge within ... }",
        "One severity level; tiers are listed in ascending severity and named as `ESCALATION.TIER`."),
    // Tier.
    kw("notify", &[Tier], "notify ROLE, ...", "The roles notified when the tier is reached."),
    phrase("acknowledge", &[Tier], "acknowledge within", "acknowledge within DURATION",
        "How fast the notified roles must acknowledge, on the escalation's clock."),
    phrase("resolve", &[Tier], "resolve within", "resolve within DURATION",
        "How fast the issue must be resolved, on the escalation's clock."),
    phrase("pause", &[Tier], "pause publishing", "pause publishing", "Scheduled publishing stops while the tier is active."),
    phrase("approve", &[Tier], "approve statement by", "approve statement by ROLE, ...",
        "A public statement needs these roles' approval."),
    // Communication.
    kw("report", &[Communication], "report PERIOD to ROLE via email|slack|meeting (within D)?",
        "A regular performance report: how often, to whom, how, and how soon after the period ends."),
    kw("meeting", &[Communication], "meeting PERIOD with ROLE, ...", "A regular meeting and its attendees."),
    kw("channel", &[Communication], "channel slack|email|teams \"address\"", "A channel the parties talk on."),
    // Words inside clauses.
    kw("as", &[], "import \"PATH\" as ALIAS", "The alias imported names are qualified with."),
    kw("of", &[], "role ID of PARTY", "The party the role belongs to."),
    kw("to", &[], "effective DATE to DATE | report PERIOD to ROLE | measure A to B", "Ends a range, or names a report's recipient."),
    kw("by", &[], "metric NAME by DENOMINATOR | approve statement by ROLE", "Names a ratio metric's denominator, or the roles that approve."),
    kw("in", &[], "where DIM in [a, b]", "Matches any of the listed values."),
    kw("within", &[], "N% within DURATION | acknowledge within D | report ... within D", "A time limit."),
    kw("per", &[], ">= 4 per week | fee N CUR per month", "A rate's unit of time."),
    kw("via", &[], "report PERIOD to ROLE via email|slack|meeting", "How a report is delivered."),
    kw("with", &[], "meeting PERIOD with ROLE, ...", "A meeting's attendees."),
    kw("ordered", &[], "enum NAME ordered { ... }", "The values are ordered from least to most, so `where` may compare them."),
    kw("mean", &[], "target mean <= DURATION", "The mean event time is at most the duration."),
    kw("cap", &[], "credit cap P%", "The most credit owed for one period, as a share of the fee."),
    kw("breach", &[], "on breach { ... }", "What happens when the goal is missed in a period."),
    kw("at", &[], "warn at P%", "The share of an item's allowance after which the open item is warned about."),
    kw("silence", &[], "on silence approve|reject", "What happens when an approval step's time runs out."),
    kw("tagged", &[], "when tagged \"tag\"", "The step applies only to content with this tag."),
    kw("publishing", &[], "pause publishing", "Scheduled publishing stops while the tier is active."),
    kw("statement", &[], "approve statement by ROLE, ...", "A public statement needs these roles' approval."),
    kw("while", &[], "pause while waiting on customer|client, ...", "Starts the condition under which a goal's clock stops."),
    kw("waiting", &[], "pause while waiting on customer|client, ...", "The case waits on a party: `customer` or `client`."),
];

/// The clause keywords that may start a clause in `block`.
pub fn clause_keywords(block: Block) -> impl Iterator<Item = &'static Keyword> {
    KEYWORDS.iter().filter(move |k| k.blocks.contains(&block))
}

/// What `word` means in `block`: the clause it starts there, else any entry
/// for the word.
pub fn lookup(word: &str, block: Block) -> Option<&'static Keyword> {
    KEYWORDS
        .iter()
        .find(|k| k.word == word && k.blocks.contains(&block))
        .or_else(|| {
            KEYWORDS
                .iter()
                .find(|k| k.word == word && k.blocks.is_empty())
        })
        .or_else(|| KEYWORDS.iter().find(|k| k.word == word))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `kw_*` rule of the grammar has an entry, and every entry is a
    /// keyword of the grammar (period and unit names are literals, not
    /// keywords, so they are not listed).
    #[test]
    fn the_table_matches_the_grammar() {
        let grammar = include_str!("../../grammar/slac.pest");
        let rules: Vec<&str> = grammar
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("kw_"))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        for r in &rules {
            assert!(
                KEYWORDS.iter().any(|k| k.word == *r),
                "keyword `{r}` has no entry"
            );
        }
        for k in KEYWORDS {
            assert!(rules.contains(&k.word), "`{}` is not a keyword", k.word);
        }
    }

    #[test]
    fn words_mean_what_their_block_says() {
        assert!(lookup("metric", Block::Goal).unwrap().syntax.contains("by"));
        assert!(lookup("metric", Block::File)
            .unwrap()
            .syntax
            .contains("kind"));
        assert_eq!(lookup("within", Block::Agreement).unwrap().blocks.len(), 0);
        let goal: Vec<&str> = clause_keywords(Block::Goal).map(|k| k.phrase).collect();
        assert!(goal.contains(&"on breach"));
    }
}
