"""The baselines stage: the references every model is judged against.

- metrics: the scores baselines are compared on, overall, per class and per slice.
- computed: dummy classifiers, a plain logistic regression, a scenario's legacy rule.
- hlp: human-level performance from overlap labels.
- prediction_file: an old model's predictions, checked against the dataset.
- literature: a published value entered by hand.
- table: baselines side by side and against the targets.
- explain: teaching mode's explanations of baseline kinds, human-level performance and its interval.
"""
