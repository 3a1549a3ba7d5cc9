"""The deployment stage's data: deployments, their event timeline and their compact prediction log.

- tables: Deployment, DeploymentEvent, DeploymentWindow (per-window aggregates), DeploymentSample (bounded rows).
- sides: the champion, the candidate and the stream a deployment replays, built from stored runs and data.
- deployments: prepare, start, carry out (outside any transaction) and record a replay; promote or roll back by hand.
- log: reading a deployment's events, windows and sample back; sheet: what the page shows, in one read.
- presets: the workshop's degraded challenger, trained in one click.
"""
