"""Widgets of the Labeling page.

- plan: labelers and the next batch; item: one item at a time or a grid.
- quality: agreement and disagreements; review: spot checks, label errors and effort.
- download: the label history, the current label set and Label Studio JSON as files.
- label_studio: import a Label Studio JSON export into a new batch.
"""
