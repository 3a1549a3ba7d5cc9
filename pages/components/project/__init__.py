"""Widgets of the Projects home page.

- contents: what a project's stored rows mean to a user, for the delete confirmation.
- overview: every project with its stage marks (on a shared server, the instructor's view of a class).
- packs: start from a workshop pack (build and open it at its stage, or prepare it for export); an imported
  pack opens at its stage.
"""
