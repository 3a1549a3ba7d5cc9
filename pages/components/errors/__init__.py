"""Widgets of the Error analysis page.

- pick: choosing a finished run and loading its dev rows (or saying what is missing).
- browse: the misclassified rows, filters, tagging (one at a time, from a selection, one-click tags).
- slices: the slice table, priorities and chart, a slice's drill-down, saving a slice.
- classes: confusion matrix, per-class scores, the precision–recall trade-off over the threshold.
- iterate: data iterations from a slice and the before/after of the retrained run.
- state: what this browser tab chose or was told on these pages (session state keys).
"""
