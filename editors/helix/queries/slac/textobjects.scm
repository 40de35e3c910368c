; Helix text objects for slac: items and named blocks as "functions"/"classes",
; comments as comments.

[
  (agreement_declaration)
  (calendar_declaration)
  (metric_declaration)
  (holidays_declaration)
  (enum_declaration)
] @class.around

[
  (goal_declaration)
  (approval_declaration)
  (escalation_declaration)
  (responsibility_declaration)
  (role_declaration)
  (step_declaration)
  (tier_declaration)
] @function.around

[
  (comment)
  (doc_comment)
] @comment.around
