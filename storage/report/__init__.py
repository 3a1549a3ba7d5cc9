"""The review stage's reads: the whole audit report of a project, gathered in one session.

- gather: `gather_report`, the one call the page and the exports make.
- stages: scoping and targets, dataset versions, label quality, the champion and its baselines.
- review: the champion's slices, the latest audit, the rollouts, the timeline.
- reveal: a scenario's planted truth beside the learner's label fixes, audits and slices.
- monitoring: `monitoring_facts`, the one place monitoring's alerts reach the report.
"""
