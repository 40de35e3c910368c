; Fold every braced item and block of a slac (.sla) file.

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
] @fold
