"""Widgets of the Datasets page, and data intake other pages reuse.

- intake: turning a frame (uploaded or generated) into a stored version.
- add_data: the upload and demo-scenario panel; picker: the dataset version picker.
- tabs: overview, roles, profile and versions; split_tab: the Splits tab.
"""
