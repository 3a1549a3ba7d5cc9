"""The scoping stage's data: checklist answers, targets and the effort plan.

- tables: ScopeAnswer, Target, ScopeEffort.
- slices: per-slice targets checked against the project's datasets (when added, flagged, at the gate).
- records: saving and reading answers, targets and the plan.
"""
