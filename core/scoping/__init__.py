"""The scoping stage: the checklist, the targets later stages are gated on, and the effort plan.

- checklist: the seven steps of questions, why each matters, worked examples.
- targets: ML, software and business targets and `evaluate_targets`, the gate every later stage reads.
- slices: whether a per-slice target names a category column and value the data holds.
- effort: days planned for labeling, training and error analysis.
- report: completeness, readiness and the Markdown scoping document.
- explain: teaching mode's explanation of the page's statistic (completeness).
"""
