"""The error-analysis stage: slices as stored predicates, their metrics, discovery and priorities.

- slices: `Condition` and `SlicePredicate` (a conjunction of conditions stored as JSON and read as
  text), `slice_mask` evaluating one on a frame, and `quantile_edges` binning a numeric column.
  Fairness and monitoring read slices through this module.
- scoring: per-slice counts and metrics (equal to scikit-learn's on the boolean masks).
- tags: the rules a free tag must follow.
- table: the slice table from tags, feature values and pairs; priority = gap × share × ease.
- discovery: slices of high per-row loss found by a shallow decision tree; Benjamini–Hochberg.
- actions: the recommended next step per slice, with its reason.
- errors: misclassified rows, most confident mistakes first.
- charts: the priority bar chart, the confusion matrix and the precision–recall threshold chart.
- iteration: new rows for a slice (augmented images, rows drawn from a scenario's generator).
"""
