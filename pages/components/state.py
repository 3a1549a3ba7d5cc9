"""Session-state accessors: the only place that knows the keys UI selections live under.

Durable facts go to the database; session state holds just what this browser tab has
chosen (the open project, teaching mode) and a one-shot message to show after a rerun.
Choices that must outlive a reload live in the URL (the open project, the name, teaching mode,
the scoping step).
"""

import uuid

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


SCOPE_STEP_KEY = "scope.step"
SCOPE_STEP_WIDGET_KEY = "scope.step_pick"
SCOPE_STEP_PARAM = "step"
SCOPE_NOTES_KEY = "scope.notes"


def scope_step(step_keys: list[str]) -> str:
    """Return the checklist step this tab shows: its last choice, else the URL's, else the first step.

    Kept in the URL by hand rather than with `bind="query-params"`: a bound step picker would write
    its displayed label, which carries the step's done mark and so changes as answers are saved.
    """
    chosen = st.session_state.get(SCOPE_STEP_KEY)
    if chosen not in step_keys:
        chosen = st.query_params.get(SCOPE_STEP_PARAM)
    if chosen not in step_keys:
        chosen = step_keys[0]
    st.session_state[SCOPE_STEP_KEY] = chosen
    st.session_state[SCOPE_STEP_WIDGET_KEY] = chosen
    if st.query_params.get(SCOPE_STEP_PARAM) != chosen:
        st.query_params[SCOPE_STEP_PARAM] = chosen
    return chosen


def go_to_scope_step(step_key: str) -> None:
    """on_click of the wizard's previous and next buttons."""
    st.session_state[SCOPE_STEP_KEY] = step_key


def scope_step_picked() -> None:
    """on_change of the step jump list; clicking the current step (which unselects it) keeps it."""
    picked = st.session_state.get(SCOPE_STEP_WIDGET_KEY)
    if picked is not None:
        st.session_state[SCOPE_STEP_KEY] = picked


def leave_scope_note(field_key: str, level: str, message: str) -> None:
    """Keep a message for the next run to show next to the scoping field it is about."""
    st.session_state.setdefault(SCOPE_NOTES_KEY, {})[field_key] = (level, message)


def pop_scope_note(field_key: str) -> tuple[str, str] | None:
    """Return and forget the (level, message) left for a scoping field, if any."""
    return st.session_state.get(SCOPE_NOTES_KEY, {}).pop(field_key, None)


EXP_DATASET_KEY, EXP_DATASET_WIDGET_KEY = "exp.dataset_id", "exp.dataset"
EXP_MODEL_KEY, EXP_MODEL_WIDGET_KEY = "exp.model_name", "exp.model"
EXP_RUN_KEY, EXP_RUN_WIDGET_KEY = "exp.run_id", "exp.run"
EXP_NOTES_KEY = "exp.notes_left"
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


def choose(key: str, value) -> None:
    """Make `value` the lasting choice under `key`, e.g. the run just started."""
    st.session_state[key] = value


def leave_experiment_note(level: str, message: str) -> None:
    """Keep a message (info, warning, error) for the Experiments page's next run to show."""
    st.session_state.setdefault(EXP_NOTES_KEY, []).append((level, message))


def pop_experiment_notes() -> list[tuple[str, str]]:
    """Return and forget the messages left for the Experiments page."""
    return st.session_state.pop(EXP_NOTES_KEY, [])


# A launch (Train, Train again) is claimed with the token its button was drawn with, and the
# claim swaps in a new token at once (see pages.components.modeling.launch). The record is one
# dict changed in place: every session-state access may stop the script for a queued rerun, a
# plain dict write cannot, so "the run exists" is noted in the same breath as it is created.
EXP_LAUNCH_KEY = "exp.launch"
EXP_FORM_NOTES_KEY, EXP_FORM_TAGS_KEY = "exp.notes", "exp.tags"


def launch_record() -> dict:
    """Return this tab's launch record: {"token", "pending", "last"}, created on first use."""
    return st.session_state.setdefault(EXP_LAUNCH_KEY, {"token": new_launch_token(), "pending": None, "last": None})


def new_launch_token() -> str:
    return uuid.uuid4().hex


def clear_form_notes() -> None:
    """Empty the Train form's notes and tags (before the form draws), so the next run starts blank."""
    # Set, not dropped: a set value reaches the browser, which would otherwise send its old text back.
    st.session_state[EXP_FORM_NOTES_KEY] = ""
    st.session_state[EXP_FORM_TAGS_KEY] = ""


def jobs_seen(kind: str) -> set[int]:
    """Return the keys (run or deployment ids) of the jobs of a kind this tab last saw running."""
    return st.session_state.get(JOBS_SEEN_KEY.format(kind=kind), set())


def remember_jobs_seen(kind: str, keys: set[int]) -> None:
    st.session_state[JOBS_SEEN_KEY.format(kind=kind)] = set(keys)


LABEL_VIEW_KEY = "lab.view_choice"
LABEL_VIEW_WIDGET_KEY = "lab.view"
LABEL_BATCH_KEY = "lab.batch_choice"
LABEL_BATCH_WIDGET_KEY = "lab.batch"
LABEL_SHOWN_KEY = "lab.shown"
LABEL_NOTE_KEY = "lab.note"


def labeling_view(views: list[str]) -> str:
    """Return the Labeling page's section this tab shows: its last choice, else the first."""
    return settle_choice(LABEL_VIEW_KEY, LABEL_VIEW_WIDGET_KEY, views)


def labeling_view_picked() -> None:
    """on_change of the section picker; clicking the current section (which unselects it) keeps it."""
    picked = st.session_state.get(LABEL_VIEW_WIDGET_KEY)
    if picked is not None:
        st.session_state[LABEL_VIEW_KEY] = picked


def labeling_batch(batch_ids: list[int]) -> int | None:
    """Return the batch this tab labels: its choice if still there, else the newest."""
    return settle_choice(LABEL_BATCH_KEY, LABEL_BATCH_WIDGET_KEY, batch_ids)


def labeling_batch_picked() -> None:
    keep_choice(LABEL_BATCH_KEY, LABEL_BATCH_WIDGET_KEY)


def mark_item_shown(item_key: object, now: float) -> None:
    """Remember when an item was first shown, so the seconds spent on it can be recorded."""
    shown = st.session_state.get(LABEL_SHOWN_KEY)
    if shown is None or shown[0] != item_key:
        st.session_state[LABEL_SHOWN_KEY] = (item_key, now)


def seconds_on_item(item_key: object, now: float) -> float:
    """Return the seconds since the item was first shown (0 when another item was shown last)."""
    shown = st.session_state.get(LABEL_SHOWN_KEY)
    return max(now - shown[1], 0.0) if shown and shown[0] == item_key else 0.0


def leave_labeling_note(level: str, message: str) -> None:
    """Keep a message (from a button callback) for the labeling card to show on this run."""
    st.session_state[LABEL_NOTE_KEY] = (level, message)


def pop_labeling_note() -> tuple[str, str] | None:
    return st.session_state.pop(LABEL_NOTE_KEY, None)


FAIR_RUN_KEY, FAIR_RUN_WIDGET_KEY = "fair.run_id", "fair.run"
FAIR_AUDIT_KEY = "fair.audit"
FAIR_MITIGATION_KEY = "fair.mitigation"


def fairness_audit(run_id: int, split: str) -> dict | None:
    """Return the audit this tab computed last for the run and split (settings and results), or None."""
    kept = st.session_state.get(FAIR_AUDIT_KEY)
    return kept if kept is not None and kept["for"] == (run_id, split) else None


def keep_fairness_audit(run_id: int, split: str, settings, audits: list) -> None:
    """Keep a computed (not yet saved) audit for this tab; a new one drops the last mitigation."""
    st.session_state[FAIR_AUDIT_KEY] = {"for": (run_id, split), "settings": settings, "audits": audits}
    st.session_state.pop(FAIR_MITIGATION_KEY, None)


def fairness_mitigation(run_id: int, split: str) -> dict | None:
    """Return the mitigation this tab computed last for the run and split, or None."""
    kept = st.session_state.get(FAIR_MITIGATION_KEY)
    return kept if kept is not None and kept["for"] == (run_id, split) else None


def keep_fairness_mitigation(run_id: int, split: str, mitigation: dict) -> None:
    st.session_state[FAIR_MITIGATION_KEY] = {"for": (run_id, split), **mitigation}


ERR_RUN_KEY, ERR_RUN_WIDGET_KEY = "err.run_id", "err.run"
ERR_OPTIONS_KEY = "err.options"
ERR_EASE_KEY = "err.ease"
ERR_SLICE_KEY, ERR_SLICE_WIDGET_KEY = "err.slice_name", "err.slice"
ERR_NOTES_KEY = "err.notes"


def error_options():
    """Return the slice-table options this tab chose (None until the table is built)."""
    return st.session_state.get(ERR_OPTIONS_KEY)


def set_error_options(options) -> None:
    st.session_state[ERR_OPTIONS_KEY] = options


def slice_ease() -> dict[str, float]:
    """Return the ease of improvement set per slice name (1 where unset)."""
    return st.session_state.setdefault(ERR_EASE_KEY, {})


def leave_error_note(level: str, message: str) -> None:
    """Keep a message for the error-analysis page to show on its next run."""
    st.session_state.setdefault(ERR_NOTES_KEY, []).append((level, message))


def pop_error_notes() -> list[tuple[str, str]]:
    return st.session_state.pop(ERR_NOTES_KEY, [])
DEP_AUTOMATION_KEY = "dep.automation_setting"
DEP_SHOWN_KEY, DEP_SHOWN_WIDGET_KEY = "dep.shown_id", "dep.shown"


def automation_choice() -> dict | None:
    """Return the degree of automation this tab chose for the next replay (a setting's dict), or None."""
    return st.session_state.get(DEP_AUTOMATION_KEY)


def choose_automation(setting: dict) -> None:
    st.session_state[DEP_AUTOMATION_KEY] = dict(setting)


MON_DEPLOYMENT_KEY, MON_DEPLOYMENT_WIDGET_KEY = "mon.deployment_id", "mon.deployment"
MON_NOTES_KEY = "mon.notes_left"


def leave_monitoring_note(level: str, message: str) -> None:
    """Keep a message (success, info, error) for the Monitoring page's next run to show."""
    st.session_state.setdefault(MON_NOTES_KEY, []).append((level, message))


def pop_monitoring_notes() -> list[tuple[str, str]]:
    return st.session_state.pop(MON_NOTES_KEY, [])
