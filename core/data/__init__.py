"""The data stage: reading files, column kinds and roles, profiles, splits, demo scenarios.

- ingest: CSV/Parquet upload into a frame indexed by `row_id`.
- schema: what each column holds; roles: target, ID, time, sensitive and ignored columns, checked.
- profile and charts: missing values, duplicates, class balance, distributions.
- splits: stratified, random and time-ordered train/dev/test.
- hashing: content fingerprints of a version.
- scenarios: the generated demo data sets with their planted ground truth.
"""
