"""Widgets of the Deployment page.

- plan: the case and its recommended path, the two sides, the stream and the rollout settings.
- jobs: replays in background threads; results: a replay's timeline, charts and decisions by hand.
- automation: degrees of automation and the threshold chart.
- state: what this browser tab chose or was told on these pages (session state keys).
"""
