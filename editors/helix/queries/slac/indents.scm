; Helix indent queries for slac: one level inside every braced block.

[
  (calendar_declaration)
  (holidays_declaration)
  (enum_declaration)
  (metric_declaration)
  (agreement_declaration)
  (role_declaration)
  (guidelines_block)
  (responsibility_declaration)
  (goal_declaration)
  (breach_block)
  (approval_declaration)
  (step_declaration)
  (escalation_declaration)
  (tier_declaration)
  (communication_block)
] @indent

[
  "}"
  "]"
] @outdent
