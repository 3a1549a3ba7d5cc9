"""The scoping stage's data: checklist answers, targets and the effort plan.

- tables: ScopeAnswer, Target, ScopeEffort.
- records: saving and reading answers, targets and the plan.
"""
