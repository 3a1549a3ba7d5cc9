"""The baselines stage's data: computed, old-model, human-level and literature baselines.

- tables: Baseline.
- records: storing and listing baselines, the primary mark.
- human_level: HLP measured from the overlap labels; old_models: legacy rule, file or earlier run.
"""
