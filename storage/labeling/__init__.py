"""The labeling stage's data: labelers, batches, assignments, labels, reviews, guideline versions, label-error scans.

- tables: Labeler, Guideline, LabelBatch, Assignment, Label, Review, LabelResolution, ClassName, LabelErrorScan.
- class_names: the project's classes and their display names.
- batches: planning batches and labelers; labels: recording labels and the current label set.
- quality: agreement inputs, disagreements, reviews and simulated labels.
- export: the label history and current label set as CSV downloads.
- scans: label-error scans stored when made, the newest one of a version, and the fixes made from it.
- label_studio: the labels as a Label Studio JSON download, and such a file imported as a new batch.
"""
