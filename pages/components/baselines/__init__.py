"""Widgets of the Baselines page.

- overview: every baseline side by side; hlp: the Human-level tab; add: the other kinds.
"""
