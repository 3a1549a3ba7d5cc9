"""Session state of the monitoring stage: the deployment this tab watches and the page's notes."""

from pages.components.state import leave_note, pop_notes

MON_DEPLOYMENT_KEY, MON_DEPLOYMENT_WIDGET_KEY = "mon.deployment_id", "mon.deployment"
MON_NOTES_KEY = "mon.notes_left"


def leave_monitoring_note(level: str, message: str) -> None:
    """Keep a message (success, info, error) for the Monitoring page's next run to show."""
    leave_note(MON_NOTES_KEY, level, message)


def pop_monitoring_notes() -> list[tuple[str, str]]:
    return pop_notes(MON_NOTES_KEY)
