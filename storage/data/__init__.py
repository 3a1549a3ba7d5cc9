"""The data stage's data: dataset versions, their Parquet blobs, roles and splits.

- tables: Dataset, DatasetBlob, Split.
- datasets: storing and loading versions, roles and splits.
- intake: a frame or a generated scenario stored as a version (identical content reused).
"""
