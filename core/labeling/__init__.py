"""The labeling stage: batches, labels from several labelers, agreement and label quality.

- sampling: which items go into a batch, and who labels each.
- card: the fields a labeler sees of an item, in the plan's order, and blind labeling.
- label_set and consensus: the current label per item from the append-only history.
- agreement: percent agreement, Cohen's and Fleiss' κ, Krippendorff's α.
- simulated_labelers: demo labelers with a set skill and typical confusions.
- confident_learning and issues: likely label errors in the training split.
- effort and charts: labels per hour against the plan; the pictures the page shows.
- export: the label history and current label set as downloaded.
- label_studio: Label Studio's JSON export format, written from labels and read back into them.
- shortcuts: a distinct keyboard key per class, and the keys for unclear, skip and undo.
- classes: display names of class values, the one formatter every page shows a class through.
- explain: teaching mode's explanations of agreement, review, effort and label-error statistics.
"""
