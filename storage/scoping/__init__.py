"""The scoping stage's data: checklist answers, targets, the effort plan and the positive class.

- tables: ScopeAnswer, Target, ScopeEffort, PositiveClass.
- slices: per-slice targets checked against the project's datasets (when added, flagged, at the gate).
- records: saving and reading answers, targets and the plan.
- positive: the positive class of a two-class target, per project and target column.
"""
