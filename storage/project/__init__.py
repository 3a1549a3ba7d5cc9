"""The project stage's data: projects and their timeline of events.

- tables: Project, Event.
- projects: create, rename, delete, list and the event log.
- migrations: the schema steps of this stage (names unique ignoring case, schema 1 → 2).
"""
