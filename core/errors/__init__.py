"""The error-analysis stage: slices as stored predicates, their metrics, discovery, priorities, iterations.

- slices: `Condition` and `SlicePredicate` (a conjunction of conditions, stored as JSON, read as
  text), `slice_mask` evaluating one on a frame, and `quantile_edges`/`bin_codes` — the stage's
  own quantile binning of numeric columns. Fairness and monitoring reuse slices through it.
- data: a run's dev rows (features, true and predicted class, probabilities, tags).
- scoring: per-slice counts and metrics from class codes (equal to scikit-learn's on the masks).
- table: slices from feature values, pairs and tags; discovery: the loss tree and the scan.
- priority: baselines per slice, gap, priority = gap × share × ease, severity, p-values, BH, chart.
- actions: the recommended next step per slice; report: the whole table in one call.
- errors: misclassified rows, most confident first; tags: the rules a tag follows.
- classes: confusion matrix, per-class scores, the precision–recall threshold trade-off.
- iteration: augmented images, rows drawn from a scenario's generator, before/after on a slice.
- explain: teaching mode's explanations of the error browser and the slice table's columns.
"""
