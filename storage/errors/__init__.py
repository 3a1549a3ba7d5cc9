"""The error-analysis stage's data: tags on dev rows, saved slices, and a run's analysis inputs.

- tables: Tag (a free tag on a row of a dataset version), SliceDefinition (a named, stored predicate).
- tags: tagging rows and reading the tags; slices: saving and listing slice definitions.
- analysis: a finished run's dev predictions joined to its dataset version, its baseline lookup.
- iteration: new dataset versions made from a slice (relabel, augment, collect more) and the retrain.
"""
