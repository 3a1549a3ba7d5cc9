"""Widgets of the Projects home page.

- contents: what a project's stored rows mean to a user, for the delete confirmation.
- overview: every project with its stage marks (on a shared server, the instructor's view of a class).
"""
