"""Widgets of the Datasets page, and data intake other pages reuse.

- intake: turning a frame (uploaded or generated) into a stored version.
- add_data: the upload and demo-scenario panel; upload_review: what a chosen file holds and the
  choices it needs, before storing; picker: the dataset version picker.
- tabs: overview, roles, profile and versions; split_tab: the Splits tab.
- download: a version as CSV or Parquet with its sidecar, on the Overview tab.
- class_names: display names for the target's classes, under the roles.
"""
