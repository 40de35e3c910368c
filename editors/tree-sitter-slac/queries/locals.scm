; Scopes, definitions and references for slac (.sla) files.
;
; A file is one scope (imports, calendars, metrics, enums, holiday sets); each
; agreement and each block inside it opens a nested scope for the names it
; declares (parties, roles, audiences, platforms, goals, escalations, tiers...).

[
  (source_file)
  (agreement_declaration)
  (escalation_declaration)
  (approval_declaration)
] @local.scope

(import_declaration
  alias: (identifier) @local.definition)

(calendar_declaration
  name: (identifier) @local.definition)

(metric_declaration
  name: (identifier) @local.definition)

(holidays_declaration
  name: (identifier) @local.definition)

(enum_declaration
  name: (identifier) @local.definition)

(party_declaration
  name: (identifier) @local.definition)

(role_declaration
  name: (identifier) @local.definition)

(audience_declaration
  name: (identifier) @local.definition)

(platform_declaration
  name: (identifier) @local.definition)

(goal_declaration
  name: (identifier) @local.definition)

(responsibility_declaration
  name: (identifier) @local.definition)

(approval_declaration
  name: (identifier) @local.definition)

(step_declaration
  name: (identifier) @local.definition)

(escalation_declaration
  name: (identifier) @local.definition)

(tier_declaration
  name: (identifier) @local.definition)

(identifier) @local.reference
