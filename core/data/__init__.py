"""The data stage: reading files, column kinds and roles, profiles, splits, demo scenarios.

- ingest: CSV/Parquet upload into a frame indexed by `row_id`; it uses csv_file (delimiter,
  parsing, ragged and short rows), encoding, parquet_file (metadata checked before reading),
  numbers (decimal commas, thousands separators, long integers), markers (missing-value
  markers), limits (cell and expansion caps) and refusals (the error type, column names).
- upload: the user's choices on a read file (repeated columns, markers) applied to it.
- schema: what each column holds; roles: target, ID, time, sensitive and ignored columns, checked,
  and the target and ID suggested for an upload.
- profile and charts: missing values, duplicates, class balance, distributions; summary: a line
  per column (kind, role, missing, distinct, range or most frequent value), and how a cell reads.
- splits: stratified, random and time-ordered train/dev/test.
- hashing: content fingerprints of a version.
- export: a version's download table (labels and split added by row_id) and its JSON sidecar.
- reupload: such a download uploaded again, recognised by its row ids (and sidecar) as the same version.
- scenarios: the generated demo data sets with their planted ground truth.
- explain: teaching mode's explanations of the page's statistics (size, hash, missing, duplicates, balance).
"""
