"""Data access, one package per lifecycle stage; every table is registered on import."""

from storage import tables  # noqa: F401  (registers every table before any query runs)
