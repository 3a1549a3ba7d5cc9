"""The project's class display names, read once per page run for every stage that shows a class."""

from core.labeling.classes import ClassNames
from pages.components.resources import db_session
from storage.labeling.class_names import class_names


def project_class_names(project_id: int) -> ClassNames:
    """Return the display names the project gave its classes (none: values are shown as stored)."""
    with db_session() as session:
        return class_names(session, project_id)
