"""Widgets of the Scoping page.

- wizard: the checklist steps; targets: the Targets tab; effort: the Effort plan tab.
- notes: saving from a widget's callback with any refusal shown beside it.
"""
