"""Widgets of the Scoping page.

- wizard: the checklist steps; targets: the Targets tab; effort: the Effort plan tab.
- notes: saving from a widget's callback with any refusal shown beside it.
- state: what this browser tab chose or was told on these pages (session state keys).
"""
