"""The fairness page's widgets.

- setup: the run, split, attributes, reference and interval settings; running the audit with progress.
- results: group metrics with intervals, disparities under the four-fifths rule, charts.
- guidance: which parity matters; mitigation: per-group thresholds and their cost.
- targets: scoping's per-slice targets met or not; signoff: saving, the audits list, signing.
- plain: data and user text shown literally inside Markdown.
- state: what this browser tab chose or was told on these pages (session state keys).
"""
