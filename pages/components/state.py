"""Session-state accessors shared by every page: the open project and dataset version, the sidebar's
name and teaching mode, flash messages, and the helpers each stage's own `state` module builds on.

Durable facts go to the database; session state holds just what this browser tab has
chosen (the open project, teaching mode) and a one-shot message to show after a rerun.
Choices that must outlive a reload live in the URL (the open project, the name, teaching mode,
the scoping step). What a stage's pages keep lives in `pages/components/<stage>/state.py`; only
these modules know the keys UI selections live under.
"""

import streamlit as st

from storage.labeling.batches import MAX_LABELER_NAME

PROJECT_KEY = "nav.project_id"
PROJECT_WIDGET_KEY = "nav.project"
PROJECT_PARAM = "project"
TEACHING_WIDGET_KEY = "nav.teaching"
FLASH_KEY = "nav.flash"
ACTOR_WIDGET_KEY = "nav.actor_name"
DATASET_KEY = "ds.version_id"
DATASET_WIDGET_KEY = "ds.version"
DEFAULT_ACTOR = "analyst"

# Widget keys are cleaned up when a page that lacks the widget runs, so the lasting choice
# lives under its own key and is copied into the widget before each draw.


def open_project_id() -> int | None:
    """Return the id of the project this tab has open, or None."""
    return st.session_state.get(PROJECT_KEY)


def request_project(project_id: int | None, *, flash: str | None = None) -> None:
    """Open another project (or none) and rerun, so the sidebar shows it from the top."""
    st.session_state[PROJECT_KEY] = project_id
    remember_project_in_url(project_id)  # so an address naming a deleted project is not read back
    if flash:
        st.session_state[FLASH_KEY] = flash
    st.rerun()


def open_project_at(project_id: int, page: str, *, flash: str) -> None:
    """Open a project on another page (a workshop pack's starting page), keeping the address's other choices."""
    st.session_state[PROJECT_KEY] = project_id
    st.session_state[FLASH_KEY] = flash
    st.switch_page(page, query_params={**st.query_params.to_dict(), PROJECT_PARAM: str(project_id)})


PACK_EXPORT_KEY = "home.pack_for_export"


def pack_for_export() -> int | None:
    """Return the id of the workshop pack this tab prepared for export, or None."""
    return st.session_state.get(PACK_EXPORT_KEY)


def set_pack_for_export(project_id: int | None) -> None:
    st.session_state[PACK_EXPORT_KEY] = project_id


def settle_open_project(valid_ids: list[int]) -> int | None:
    """Return the open project: this tab's choice, else the URL's, else the most recent one."""
    chosen = st.session_state.get(PROJECT_KEY)
    if chosen not in valid_ids:
        chosen = _project_from_url(valid_ids)
    st.session_state[PROJECT_KEY] = chosen
    st.session_state[PROJECT_WIDGET_KEY] = chosen
    return chosen


def _project_from_url(valid_ids: list[int]) -> int | None:
    # The URL keeps the open project across a browser reload, which starts a new session. One it
    # names that does not exist opens none (missing_project says so), never another project.
    if PROJECT_PARAM not in st.query_params:
        return valid_ids[0] if valid_ids else None
    raw = st.query_params[PROJECT_PARAM]
    return int(raw) if raw.isdigit() and int(raw) in valid_ids else None


def missing_project(open_id: int | None) -> str | None:
    """Return what the address names as the project when no such project exists (else None)."""
    raw = st.query_params.get(PROJECT_PARAM)
    return raw if open_id is None and raw is not None else None


def project_switched() -> None:
    """on_change of the switcher: keep the user's pick."""
    st.session_state[PROJECT_KEY] = st.session_state[PROJECT_WIDGET_KEY]


def remember_project_in_url(project_id: int | None) -> None:
    if project_id is None:
        st.query_params.pop(PROJECT_PARAM, None)
    elif st.query_params.get(PROJECT_PARAM) != str(project_id):
        st.query_params[PROJECT_PARAM] = str(project_id)


# The sidebar's name and teaching mode and the scoping step are bound to the URL's query
# (`bind="query-params"`): a reload starts a new session, and only the URL survives it, as it
# does a link opened in a new tab; `persist_state` keeps a value for one session only.
# The sidebar's name is the labeler's name of the labels made by hand, so it holds what that can.
ACTOR_MAX_CHARS = MAX_LABELER_NAME


TEACHING_KEY, ACTOR_KEY = "nav.teaching_on", "nav.actor"


def restore_sidebar_choices() -> None:
    """Before the sidebar draws: give back this session's name and teaching mode if a page switch dropped them.

    A fresh session takes them from the URL; within a session they are mirrored here as well, for a
    page switch that does not carry the URL (AppTest's, and any link that drops the query).
    """
    for key, widget_key in ((ACTOR_KEY, ACTOR_WIDGET_KEY), (TEACHING_KEY, TEACHING_WIDGET_KEY)):
        if key in st.session_state:  # kept by the widgets' on_change, which runs before this
            st.session_state[widget_key] = st.session_state[key]


def keep_sidebar_choices() -> None:
    """on_change of the name and teaching-mode widgets, and after they are drawn (a fresh URL's values)."""
    st.session_state[ACTOR_KEY] = st.session_state.get(ACTOR_WIDGET_KEY)
    st.session_state[TEACHING_KEY] = teaching_mode()


def teaching_mode() -> bool:
    """Return whether teaching mode (worked examples and revealed ground truth) is on."""
    return bool(st.session_state.get(TEACHING_WIDGET_KEY, False))


def actor() -> str:
    """Return the name recorded as 'who' in the project timeline (also when typed into the URL)."""
    return tidy_name(st.session_state.get(ACTOR_WIDGET_KEY))


def tidy_name(raw: object) -> str:
    """Collapse whitespace and cut to the field's length; nothing left falls back to the default name."""
    return " ".join(str(raw or "").split())[:ACTOR_MAX_CHARS] or DEFAULT_ACTOR


def actor_renamed() -> None:
    """on_change of the name field: the field (and so the URL) shows the name as recorded."""
    st.session_state[ACTOR_WIDGET_KEY] = tidy_name(st.session_state[ACTOR_WIDGET_KEY])
    keep_sidebar_choices()


def pop_flash() -> str | None:
    """Return and forget the message an action left for the next run."""
    return st.session_state.pop(FLASH_KEY, None)


def flash(message: str) -> None:
    """Leave a success message for the next run to show under the title."""
    st.session_state[FLASH_KEY] = message


def settle_dataset(valid_ids: list[int]) -> int | None:
    """Return the dataset version this tab looks at: its choice if still there, else the newest."""
    return settle_choice(DATASET_KEY, DATASET_WIDGET_KEY, valid_ids)


def select_dataset(dataset_id: int) -> None:
    st.session_state[DATASET_KEY] = dataset_id


def dataset_switched() -> None:
    """on_change of the version picker."""
    st.session_state[DATASET_KEY] = st.session_state[DATASET_WIDGET_KEY]


JOBS_SEEN_KEY = "jobs.seen.{kind}"


def settle_choice(key: str, widget_key: str, valid: list):
    """Return this tab's lasting choice among `valid` (else the first, or None), copied into its widget."""
    chosen = st.session_state.get(key)
    if chosen not in valid:
        chosen = valid[0] if valid else None
    st.session_state[key] = chosen
    st.session_state[widget_key] = chosen
    return chosen


def settle_value(key: str, widget_key: str, default):
    """Return this tab's lasting value under `key` (else `default`), copied into its widget before it draws."""
    value = st.session_state.get(key, default)
    st.session_state[key] = value
    st.session_state[widget_key] = value
    return value


def keep_choice(key: str, widget_key: str) -> None:
    """on_change of a picker whose choice lasts across pages (args=(key, widget_key))."""
    st.session_state[key] = st.session_state[widget_key]


def leave_note(key: str, level: str, message: str) -> None:
    """Keep a message (success, info, warning, error) under `key` for its page's next run to show."""
    st.session_state.setdefault(key, []).append((level, message))


def pop_notes(key: str) -> list[tuple[str, str]]:
    """Return and forget the messages left under `key`."""
    return st.session_state.pop(key, [])


def choose(key: str, value) -> None:
    """Make `value` the lasting choice under `key`, e.g. the run just started."""
    st.session_state[key] = value


def jobs_seen(kind: str) -> set[int]:
    """Return the keys (run or deployment ids) of the jobs of a kind this tab last saw running."""
    return st.session_state.get(JOBS_SEEN_KEY.format(kind=kind), set())


def remember_jobs_seen(kind: str, keys: set[int]) -> None:
    st.session_state[JOBS_SEEN_KEY.format(kind=kind)] = set(keys)
