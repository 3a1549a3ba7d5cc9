"""The labeling stage's data: labelers, batches, assignments, labels, reviews, guideline versions.

- tables: Labeler, Guideline, LabelBatch, Assignment, Label, Review, LabelResolution, ClassName.
- class_names: the project's classes and their display names.
- batches: planning batches and labelers; labels: recording labels and the current label set.
- quality: agreement inputs, disagreements, reviews and simulated labels.
- export: the label history and current label set as CSV downloads.
- label_studio: the labels as a Label Studio JSON download, and such a file imported as a new batch.
"""
