"""Session state of the monitoring stage: the deployment this tab watches and the page's notes."""

from functools import partial

from pages.components.state import leave_note, pop_notes

MON_DEPLOYMENT_KEY, MON_DEPLOYMENT_WIDGET_KEY = "mon.deployment_id", "mon.deployment"
MON_NOTES_KEY = "mon.notes_left"


# Messages (success, info, error) left for the Monitoring page's next run: (level, message) in, a list out.
leave_monitoring_note = partial(leave_note, MON_NOTES_KEY)
pop_monitoring_notes = partial(pop_notes, MON_NOTES_KEY)
