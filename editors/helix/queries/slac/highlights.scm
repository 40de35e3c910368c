; Helix highlight queries for slac (.sla) files.
;
; Same structure as editors/tree-sitter-slac/queries/highlights.scm, with
; Helix's capture names. Later patterns take precedence over earlier ones, so
; the generic identifier rule comes first.

(identifier) @variable

; Comments --------------------------------------------------------------------

(comment) @comment.line

(doc_comment) @comment.line.documentation

; Literals --------------------------------------------------------------------

(string) @string

(escape_sequence) @constant.character.escape

[
  (number)
  (percentage)
  (duration)
] @constant.numeric

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
] @keyword.control.import

[
  "calendar"
  "agreement"
  "metric"
  "holidays"
  "enum"
  "role"
  "guidelines"
  "responsibility"
  "goal"
  "approval"
  "step"
  "escalation"
  "tier"
  "communication"
  "client"
  "provider"
  "vendor"
  "platform"
  "audience"
] @keyword.storage.type

"ordered" @keyword.storage.modifier

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
  "effective"
  "review"
  "period"
  "fee"
  "objective"
  "platforms"
  "credit"
  "cap"
  "exclude"
  "email"
  "slack"
  "webhook"
  "tone"
  "style"
  "languages"
  "responsible"
  "accountable"
  "consulted"
  "informed"
  "duty"
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
  "subject"
  "then"
  "when"
  "tagged"
  "silence"
  "notify"
  "acknowledge"
  "resolve"
  "pause"
  "publishing"
  "while"
  "waiting"
  "approve"
  "statement"
  "report"
  "meeting"
  "channel"
] @keyword

[
  "to"
  "by"
  "per"
  "in"
  "of"
  "within"
  "at"
  "via"
  "with"
  "mean"
] @keyword.operator

; Names -----------------------------------------------------------------------

(import_declaration
  alias: (identifier) @namespace)

(qualified_name
  scope: (identifier) @namespace
  name: (identifier) @variable.other.member)

(calendar_declaration
  name: (identifier) @type)

(agreement_declaration
  name: (identifier) @type)

(metric_declaration
  name: (identifier) @type)

(holidays_declaration
  name: (identifier) @type)

(enum_declaration
  name: (identifier) @type)

(enum_declaration
  variant: (identifier) @type.enum.variant)

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
  dimension: (identifier) @variable.other.member)
