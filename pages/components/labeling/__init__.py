"""Widgets of the Labeling page.

- plan: labelers and the next batch; item: one item at a time or a grid.
- quality: agreement and disagreements; review: spot checks and effort; issues: label errors found on
  request and kept in order while corrections are accepted.
- download: the label history, the current label set and Label Studio JSON as files.
- label_studio: import a Label Studio JSON export into a new batch.
- state: what this browser tab chose or was told on these pages (session state keys).
"""
