"""The deployment stage: replaying production streams through the champion and a challenger.

- streams: loan_approval's later months, a degraded-input stream, a held-out dataset version (checked).
- servers: the sides that answer (a stored model, a legacy rule, a simulated human) and their compatibility.
- plans: the deployment case, its recommended path, the ramp plan and the rollout settings.
- analysis: the per-step analysis (error rate not shown worse than a margin, p95 latency target, failures).
- automation: degrees of automation, the confidence threshold and its curve of automation, error and cost.
- replay, rollouts: the replay engine and the shadow, canary and blue-green modes.
- log: the compact prediction log (per-window aggregates plus a bounded sample).
- charts: plotly figures of the replay and the automation curve.
- explain: teaching mode's explanations of the canary margin, replay counts, shadow and automation.
"""
