"""Monitoring stage storage.

- tables: alert rules, alerts, per-deployment monitoring settings, the retraining policy.
- settings: read and save a deployment's monitoring settings and the project's retraining policy.
- sources: the reference (the serving run's training rows) and the deployment's rebuilt stream, scored.
- watch: monitoring a deployment (window results, cached by the page) and checking it against the rules.
- slices: the project's saved slices (Error analysis) over a deployment's windows.
- rules: alert rules from scoping targets, from reference bands, and added by the user.
- alerts: raising alerts once per rule and window, listing and acknowledging them.
- retrain: a training set from the reference plus labelled windows, the retrained run, its hand-over,
  and the automatic policy.
"""
