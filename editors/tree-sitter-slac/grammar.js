/**
 * @file Tree-sitter grammar for slac `.sla` files (SLA-as-code for social
 *       media service level agreements).
 * @license MIT
 *
 * This grammar mirrors `grammar/slac.pest`, the source of truth for the
 * language. Rule names differ (tree-sitter nodes are named for readers of
 * queries), but every keyword, literal and clause of the pest grammar has a
 * counterpart here. `editors/test.sh` checks that the keyword sets agree.
 *
 * Notes on how pest constructs map to tree-sitter:
 * - Keywords are contextual: the pest grammar never reserves a word, so
 *   `step review { ... }` or `on silence approve` use keywords as names.
 *   Tree-sitter's keyword extraction (`word`) gives the same behaviour: a
 *   keyword is only recognised where the parser can accept it.
 * - The `!id_char` lookahead of pest keywords is the `word` token: `reviewer`
 *   is lexed whole as an identifier, never `review` + `er`. Weekdays, periods
 *   and rate units are plain words for the same reason (`monday` is not
 *   `mon`).
 * - Doc comments (`///`) are part of the tree, as in pest: they may only stand
 *   before an item or a clause. Plain comments (`//`) are extras.
 * - `qname` and `time_range` are atomic in pest (no spaces inside), hence the
 *   `token.immediate` pieces.
 * - Numbers, durations, dates, currencies and quantiles end with pest's
 *   `!id_char` guard; the external `_word_boundary` token (src/scanner.c)
 *   enforces it, so `within 1hclock x` is an error here too.
 */

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const PERIODS = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'];
const PER_UNITS = ['day', 'week', 'month', 'quarter', 'year'];

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/;

/** One or more `rule`s separated by commas (no trailing comma). */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

/** An item or clause: optional doc comments, then its parts. */
function documented($, ...parts) {
  return seq(optional($._docs), ...parts);
}

/** `{ rule* }` */
function block(rule) {
  return seq('{', repeat(rule), '}');
}

module.exports = grammar({
  name: 'slac',

  // Pest's WHITESPACE: space, tab, CR, LF and the byte-order mark.
  extras: $ => [/[ \t\r\n\uFEFF]/, $.comment],

  word: $ => $.identifier,

  // See src/scanner.c: `_word_boundary` is a zero-width token that only
  // matches where the next character cannot continue an identifier. It plays
  // the part of pest's `!id_char` lookahead after numeric literals and
  // currencies, so `1hclock` or `12000EUR` are errors as in slac.pest.
  // `_empty_comment` is a `//` directly followed by a line end or the end of
  // the file.
  externals: $ => [$._word_boundary, $._empty_comment, $._error_sentinel],

  rules: {
    source_file: $ => repeat($._item),

    _item: $ => choice(
      $.import_declaration,
      $.calendar_declaration,
      $.agreement_declaration,
      $.metric_declaration,
      $.holidays_declaration,
      $.enum_declaration,
    ),

    // ------------------------------------------------------------- lexical

    // `//` not followed by a third slash (that would be a doc comment). A
    // bare `//` must end its line (`_empty_comment`, from src/scanner.c), so
    // `////` is never two comments in a row.
    comment: $ => choice(
      token(seq('//', /[^\/\n]/, /[^\n]*/)),
      $._empty_comment,
    ),

    doc_comment: _ => token(seq('///', /[^\n]*/)),

    _docs: $ => repeat1($.doc_comment),

    identifier: _ => IDENT,

    // `alias.name` or `escalation.tier`: no spaces around the dot.
    qualified_name: $ => seq(
      field('scope', $.identifier),
      token.immediate('.'),
      field('name', alias($._immediate_identifier, $.identifier)),
    ),

    _immediate_identifier: _ => token.immediate(IDENT),

    _qname: $ => choice($.identifier, $.qualified_name),

    string: $ => seq(
      '"',
      repeat(choice($._string_content, $.escape_sequence)),
      token.immediate('"'),
    ),

    _string_content: _ => token.immediate(prec(1, /[^"\\\n]+/)),

    escape_sequence: _ => token.immediate(seq(
      '\\',
      // Any escape parses, as in grammar/slac.pest; slac check reports unknown ones.
      choice(/["\\ntr]/, /u\{[0-9A-Fa-f]*\}/, /[^\n]/),
    )),

    number: $ => seq(/[0-9]+(\.[0-9]+)?/, $._word_boundary),

    percentage: _ => /[0-9]+(\.[0-9]+)?%/,

    duration: $ => seq(/[0-9]+bd|([0-9]+[smhdw])+/, $._word_boundary),

    date: $ => seq(/[0-9]{4}-[0-9]{2}-[0-9]{2}/, $._word_boundary),

    time: _ => /[0-9]{2}:[0-9]{2}/,

    _immediate_time: _ => token.immediate(/[0-9]{2}:[0-9]{2}/),

    currency: $ => seq(token(prec(1, /[A-Z]{3}/)), $._word_boundary),

    // Wins over `identifier` where both are possible (after `target`).
    quantile: $ => seq(token(prec(1, /p[0-9]+(\.[0-9]+)?/)), $._word_boundary),

    weekday: _ => choice(...WEEKDAYS),

    period: _ => choice(...PERIODS),

    per_unit: _ => choice(...PER_UNITS),

    comparator: _ => choice('>=', '<=', '!=', '>', '<', '='),

    // --------------------------------------------------------------- items

    import_declaration: $ => documented($,
      'import',
      field('path', $.string),
      'as',
      field('alias', $.identifier),
    ),

    calendar_declaration: $ => documented($,
      'calendar',
      field('name', $.identifier),
      optional(field('title', $.string)),
      block(choice($.timezone_clause, $.open_clause, $.closed_clause)),
    ),

    timezone_clause: $ => documented($, 'timezone', field('zone', $.string)),

    open_clause: $ => documented($,
      'open',
      commaSep1($.day_spec),
      $.time_range,
    ),

    day_spec: $ => seq(
      field('from', $.weekday),
      optional(seq('-', field('to', $.weekday))),
    ),

    time_range: $ => seq(
      field('start', $.time),
      token.immediate('-'),
      field('end', alias($._immediate_time, $.time)),
    ),

    closed_clause: $ => documented($,
      'closed',
      commaSep1(choice($.date, $._qname)),
    ),

    holidays_declaration: $ => documented($,
      'holidays',
      field('name', $.identifier),
      field('title', $.string),
      block($.holiday),
    ),

    holiday: $ => documented($, field('date', $.date), field('title', $.string)),

    enum_declaration: $ => documented($,
      'enum',
      field('name', $.identifier),
      optional('ordered'),
      '{',
      optional(commaSep1(field('variant', $.identifier))),
      '}',
    ),

    metric_declaration: $ => documented($,
      'metric',
      field('name', $.identifier),
      field('title', $.string),
      block(choice(
        $.kind_clause,
        $.events_clause,
        $.measure_clause,
        $.series_clause,
        $.numerator_clause,
        $.denominator_clause,
        $.labels_clause,
        $.unit_clause,
      )),
    ),

    kind_clause: $ => documented($, 'kind', field('kind', $.identifier)),

    events_clause: $ => documented($, 'events', field('events', $.identifier)),

    measure_clause: $ => documented($,
      'measure',
      field('from', $.identifier),
      'to',
      field('to', $.identifier),
    ),

    series_clause: $ => documented($, 'series', field('series', $.string)),

    numerator_clause: $ => documented($,
      'numerator',
      field('field', $.identifier),
      field('query', $.string),
    ),

    denominator_clause: $ => documented($,
      'denominator',
      field('field', $.identifier),
      field('query', $.string),
    ),

    labels_clause: $ => documented($,
      'labels',
      commaSep1(field('label', $.identifier)),
    ),

    unit_clause: $ => documented($, 'unit', field('unit', $.string)),

    // ---------------------------------------------------------- agreements

    agreement_declaration: $ => documented($,
      'agreement',
      field('name', $.identifier),
      field('title', $.string),
      block(choice(
        $.party_declaration,
        $.effective_clause,
        $.timezone_clause,
        $.review_clause,
        $.period_clause,
        $.fee_clause,
        $.objective_clause,
        $.platforms_clause,
        $.platform_declaration,
        $.audience_declaration,
        $.role_declaration,
        $.guidelines_block,
        $.responsibility_declaration,
        $.goal_declaration,
        $.approval_declaration,
        $.escalation_declaration,
        $.communication_block,
        $.credit_cap_clause,
        $.exclude_clause,
      )),
    ),

    party_declaration: $ => documented($,
      field('kind', choice('client', 'provider', 'vendor')),
      field('name', $.identifier),
      field('title', $.string),
    ),

    effective_clause: $ => documented($,
      'effective',
      field('start', $.date),
      'to',
      field('end', $.date),
    ),

    review_clause: $ => documented($, 'review', $.period),

    period_clause: $ => documented($, 'period', $.period),

    fee_clause: $ => documented($,
      'fee',
      field('amount', $.number),
      field('currency', $.currency),
      'per',
      field('unit', $.per_unit),
    ),

    objective_clause: $ => documented($, 'objective', field('text', $.string)),

    platforms_clause: $ => documented($,
      'platforms',
      commaSep1(field('platform', $.identifier)),
    ),

    platform_declaration: $ => documented($,
      'platform',
      field('name', $.identifier),
      field('title', $.string),
    ),

    audience_declaration: $ => documented($,
      'audience',
      field('name', $.identifier),
      field('title', $.string),
    ),

    credit_cap_clause: $ => documented($, 'credit', 'cap', $.percentage),

    exclude_clause: $ => documented($,
      'exclude',
      commaSep1(field('exclusion', $.identifier)),
    ),

    role_declaration: $ => documented($,
      'role',
      field('name', $.identifier),
      'of',
      field('party', $.identifier),
      block($.contact_clause),
    ),

    contact_clause: $ => documented($,
      field('kind', choice('email', 'slack', 'webhook')),
      field('address', $.string),
    ),

    guidelines_block: $ => documented($,
      'guidelines',
      block(choice($.tone_clause, $.style_clause, $.languages_clause)),
    ),

    tone_clause: $ => documented($, 'tone', field('text', $.string)),

    style_clause: $ => documented($, 'style', field('text', $.string)),

    languages_clause: $ => documented($,
      'languages',
      commaSep1(field('language', $.identifier)),
    ),

    responsibility_declaration: $ => documented($,
      'responsibility',
      field('name', $.identifier),
      block(choice($.raci_clause, $.duty_clause)),
    ),

    raci_clause: $ => documented($,
      field('kind', choice('responsible', 'accountable', 'consulted', 'informed')),
      commaSep1(field('role', $.identifier)),
    ),

    duty_clause: $ => documented($, 'duty', field('text', $.string)),

    goal_declaration: $ => documented($,
      'goal',
      field('name', $.identifier),
      field('title', $.string),
      block(choice(
        $.metric_clause,
        $.where_clause,
        $.target_clause,
        $.clock_clause,
        $.goal_pause_clause,
        $.replies_clause,
        $.period_clause,
        $.owner_clause,
        $.reported_clause,
        $.warn_clause,
        $.breach_block,
      )),
    ),

    metric_clause: $ => documented($,
      'metric',
      field('metric', $._qname),
      optional(seq('by', field('denominator', $.identifier))),
    ),

    where_clause: $ => documented($, 'where', commaSep1($.condition)),

    condition: $ => seq(
      field('dimension', $.identifier),
      choice(
        seq('in', '[', commaSep1(field('value', $.identifier)), ']'),
        seq(field('operator', $.comparator), field('value', $.identifier)),
      ),
    ),

    // `target 95% within 15m for priority = urgent`: a segment's target.
    target_clause: $ => documented($,
      'target',
      choice(
        $.within_target,
        $.quantile_target,
        $.mean_target,
        $.rate_target,
        $.threshold_target,
      ),
      optional(field('segment', $.segment)),
    ),

    segment: $ => seq('for', commaSep1($.condition)),

    within_target: $ => seq($.percentage, 'within', $.duration),

    quantile_target: $ => seq($.quantile, $.comparator, $.duration),

    mean_target: $ => seq('mean', $.comparator, $.duration),

    rate_target: $ => seq($.comparator, $.number, 'per', $.per_unit),

    threshold_target: $ => seq($.comparator, $.percentage),

    clock_clause: $ => documented($, 'clock', field('calendar', $._qname)),

    owner_clause: $ => documented($, 'owner', field('role', $.identifier)),

    // `pause while waiting on customer, client`: the checker knows the parties.
    goal_pause_clause: $ => documented($,
      'pause',
      'while',
      'waiting',
      'on',
      commaSep1(field('party', $.identifier)),
    ),

    // `replies by human`: the checker knows the authors.
    replies_clause: $ => documented($, 'replies', 'by', field('author', $.identifier)),

    reported_clause: $ => documented($, 'reported'),

    warn_clause: $ => documented($, 'warn', 'at', $.percentage),

    breach_block: $ => documented($,
      'on',
      'breach',
      block(choice($.escalate_clause, $.credit_clause)),
    ),

    escalate_clause: $ => documented($, 'escalate', field('tier', $._qname)),

    credit_clause: $ => documented($, 'credit', $.percentage),

    approval_declaration: $ => documented($,
      'approval',
      field('name', $.identifier),
      field('title', $.string),
      block(choice($.subject_clause, $.step_declaration, $.then_clause)),
    ),

    subject_clause: $ => documented($, 'subject', field('subject', $.identifier)),

    then_clause: $ => documented($, 'then', field('action', $.identifier)),

    step_declaration: $ => documented($,
      'step',
      field('name', $.identifier),
      block(choice(
        $.by_clause,
        $.within_clause,
        $.clock_clause,
        $.when_clause,
        $.silence_clause,
      )),
    ),

    by_clause: $ => documented($, 'by', commaSep1(field('role', $.identifier))),

    within_clause: $ => documented($, 'within', $.duration),

    when_clause: $ => documented($, 'when', 'tagged', field('tag', $.string)),

    silence_clause: $ => documented($,
      'on',
      'silence',
      field('action', $.identifier),
    ),

    escalation_declaration: $ => documented($,
      'escalation',
      field('name', $.identifier),
      field('title', $.string),
      block(choice($.clock_clause, $.tier_declaration)),
    ),

    tier_declaration: $ => documented($,
      'tier',
      field('name', $.identifier),
      block(choice(
        $.notify_clause,
        $.acknowledge_clause,
        $.resolve_clause,
        $.pause_clause,
        $.statement_clause,
      )),
    ),

    notify_clause: $ => documented($,
      'notify',
      commaSep1(field('role', $.identifier)),
    ),

    acknowledge_clause: $ => documented($, 'acknowledge', 'within', $.duration),

    resolve_clause: $ => documented($, 'resolve', 'within', $.duration),

    pause_clause: $ => documented($, 'pause', 'publishing'),

    statement_clause: $ => documented($,
      'approve',
      'statement',
      'by',
      commaSep1(field('role', $.identifier)),
    ),

    communication_block: $ => documented($,
      'communication',
      block(choice($.report_clause, $.meeting_clause, $.channel_clause)),
    ),

    report_clause: $ => documented($,
      'report',
      $.period,
      'to',
      field('recipient', $.identifier),
      'via',
      field('channel', $.identifier),
      optional(seq('within', $.duration)),
    ),

    meeting_clause: $ => documented($,
      'meeting',
      $.period,
      'with',
      commaSep1(field('attendee', $.identifier)),
    ),

    channel_clause: $ => documented($,
      'channel',
      field('kind', $.identifier),
      field('address', $.string),
    ),
  },
});
