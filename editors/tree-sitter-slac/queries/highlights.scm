; Highlight queries for slac (.sla) files.
;
; Capture names follow the tree-sitter CLI / Neovim conventions. When several
; patterns match one node the last one wins (tree-sitter >= 0.21, Neovim,
; Helix), so the generic identifier rule comes first and the patterns for names
; in declaration positions come after it.

(identifier) @variable

; Comments --------------------------------------------------------------------

(doc_comment) @comment.documentation

(comment) @comment

; Literals --------------------------------------------------------------------

(escape_sequence) @string.escape

(string) @string

[
  (number)
  (percentage)
  (duration)
] @number

[
  (date)
  (time)
] @string.special

(quantile) @function.builtin

(currency) @type.builtin

[
  (weekday)
  (period)
  (per_unit)
] @constant.builtin

; Operators and punctuation ---------------------------------------------------

(comparator) @operator

(day_spec "-" @operator)

(time_range "-" @operator)

[
  "{"
  "}"
  "["
  "]"
] @punctuation.bracket

[
  ","
  "."
] @punctuation.delimiter

; Keywords --------------------------------------------------------------------

[
  "import"
  "as"
  "calendar"
  "agreement"
  "metric"
  "holidays"
  "enum"
  "ordered"
] @keyword

[
  "timezone"
  "open"
  "closed"
  "kind"
  "events"
  "measure"
  "series"
  "numerator"
  "denominator"
  "labels"
  "unit"
  "client"
  "provider"
  "vendor"
  "effective"
  "review"
  "period"
  "fee"
  "objective"
  "platforms"
  "platform"
  "audience"
  "credit"
  "cap"
  "exclude"
  "role"
  "of"
  "email"
  "slack"
  "webhook"
  "guidelines"
  "tone"
  "style"
  "languages"
  "responsibility"
  "responsible"
  "accountable"
  "consulted"
  "informed"
  "duty"
  "goal"
  "where"
  "target"
  "for"
  "clock"
  "owner"
  "reported"
  "replies"
  "warn"
  "on"
  "breach"
  "escalate"
  "approval"
  "subject"
  "then"
  "step"
  "when"
  "tagged"
  "silence"
  "escalation"
  "tier"
  "notify"
  "acknowledge"
  "resolve"
  "pause"
  "publishing"
  "while"
  "waiting"
  "approve"
  "statement"
  "communication"
  "report"
  "meeting"
  "channel"
] @keyword

[
  "to"
  "by"
  "per"
  "in"
  "within"
  "at"
  "via"
  "with"
  "mean"
] @keyword.operator

; Names -----------------------------------------------------------------------

(import_declaration
  alias: (identifier) @module)

(qualified_name
  scope: (identifier) @module
  name: (identifier) @property)

(calendar_declaration
  name: (identifier) @type.definition)

(agreement_declaration
  name: (identifier) @type.definition)

(metric_declaration
  name: (identifier) @type.definition)

(holidays_declaration
  name: (identifier) @type.definition)

(enum_declaration
  name: (identifier) @type.definition)

(enum_declaration
  variant: (identifier) @constant)

[
  (goal_declaration name: (identifier) @function)
  (approval_declaration name: (identifier) @function)
  (step_declaration name: (identifier) @function)
  (escalation_declaration name: (identifier) @function)
  (tier_declaration name: (identifier) @function)
  (responsibility_declaration name: (identifier) @function)
]

[
  (party_declaration name: (identifier) @constant)
  (role_declaration name: (identifier) @constant)
  (audience_declaration name: (identifier) @constant)
  (platform_declaration name: (identifier) @constant)
]

(metric_clause
  metric: (identifier) @type)

(condition
  dimension: (identifier) @property)
