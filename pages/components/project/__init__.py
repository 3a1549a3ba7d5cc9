"""Widgets of the Projects home page.

- contents: what a project's stored rows mean to a user, for the delete confirmation.
"""
