"""One click, one run: launch buttons claimed by a token, the estimate's progress at the button, resumed launches.

A double click sends the same submit twice, and the second one stops the script wherever it
is (a queued rerun), often in the middle of the launch. So a launch is claimed in the button's
callback with the token the button was drawn with, and a new token is drawn at once: a repeat
of the same submit carries the old token and is ignored, with a message. The claimed launch is
then carried out by whichever script run gets to it — the first, or the one that stopped it —
and the run is noted in the record the moment it exists, so a resumed launch never makes a
second one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from core.modeling.catalog import MODELS
from core.modeling.checks import ESTIMATE_ROWS, TimeEstimate, estimate_training_seconds
from pages.components import state
from pages.components.modeling.state import (
    EXP_RUN_KEY, clear_form_notes, launch_record, leave_experiment_note, new_launch_token,
)
from pages.components.feedback import attempt
from pages.components.modeling.jobs import start_training
from storage.modeling.execution import PreparedRun, data_checks, launch_run
from storage.modeling.runs import run_label

REPEAT_IGNORED = "Train was pressed again for {launch}; the repeat was ignored, so one click makes one run."
LAUNCH_DROPPED = ("A launch that a page change interrupted before it started was dropped; nothing was trained. "
                  "Press Train again.")
ESTIMATE_STARTING = "Estimating the training time…"


def launch_button(container, label: str, key: str, *, dataset_id: int | None, parent_run_id: int | None = None,
                  in_form: bool = False, **options) -> None:
    """Draw a launch button keyed by this tab's launch token; disabled while a launch is under way."""
    record = launch_record()
    busy = record["pending"] is not None
    draw = container.form_submit_button if in_form else container.button
    draw("Launching…" if busy else label, key=f"{key}.{record['token']}", on_click=claim_launch,
         args=(record["token"], dataset_id, parent_run_id), **{**options, "disabled": busy or options.get("disabled", False)})


def claim_launch(token: str, dataset_id: int | None, parent_run_id: int | None) -> None:
    """on_click of a launch button: take the launch, unless its token was used already (a repeat)."""
    record = launch_record()
    if record["pending"] is not None:  # said once the run has started, on the page that shows it
        record["pending"]["repeated"] = True
        return
    if token != record["token"]:
        leave_experiment_note("info", REPEAT_IGNORED.format(
            launch=f"{record['last']}, which had already started" if record["last"] else "a launch already under way"))
        record["clear_form"] = record.get("last_from_form", False)  # the repeat sent the old text back
        return
    record["token"] = new_launch_token()
    record["pending"] = {"dataset_id": dataset_id, "parent_run_id": parent_run_id, "started": None}


def pending_launch(*, dataset_id: int | None = None, parent_run_id: int | None = None) -> dict | None:
    """Return the claimed launch from the Train form on `dataset_id` (or Train again of `parent_run_id`), or None."""
    pending = launch_record()["pending"]
    if pending is None or pending["parent_run_id"] != parent_run_id:
        return None
    return pending if parent_run_id is not None or pending["dataset_id"] == dataset_id else None


def ready_launch(pending: dict | None, prepare: Callable[[], PreparedRun | None]) -> tuple[dict | None, PreparedRun | None]:
    """Return the claimed launch and its checked inputs, or (None, None) once a refusal ended it.

    Called before the launch button is drawn, so a refused launch leaves the button ready at once
    (the refusal, shown by `prepare`, says why). A launch whose run exists needs no inputs.
    """
    if pending is None or pending["started"] is not None:
        return pending, None
    prepared = prepare()
    if prepared is None:
        _end(started=False)
        return None, None
    return pending, prepared


def carry_out(pending: dict, prepared: PreparedRun | None, slot, *, notes: str = "", tags: list[str] | None = None,
              trigger: str = "manual") -> None:
    """Start the claimed launch's run in the background (unless a stopped script did already) and rerun."""
    if pending["started"] is None and not _start(pending, prepared, slot, notes=notes, tags=tags or [],
                                                 trigger=trigger):
        _end(started=False)
        return
    finish(pending)


def _start(pending: dict, prepared: PreparedRun, slot, *, notes: str, tags: list[str], trigger: str) -> bool:
    checks = data_checks(prepared)
    left = [("warning", warning.message) for warning in checks.warnings]
    if len(prepared.data.train_y) > ESTIMATE_ROWS:
        estimate = estimate_at_button(prepared, slot)
        left.insert(0, ("warning" if estimate.is_long else "info", estimate.message))
    run = attempt(partial(launch_run, prepared=prepared, actor=state.actor(), notes=notes, tags=tags,
                          parent_run_id=pending["parent_run_id"], trigger=trigger, checks=checks))
    if run is None:
        return False
    model = MODELS[prepared.config.model].label
    # No Streamlit call between the insert above and these lines, so no rerun can come in between.
    pending["started"] = {"run_id": run.id, "label": run_label(run), "notes": left,
                          "flash": f"Started {run_label(run)}: {model} on {len(prepared.data.train_y):,} training rows."}
    start_training(prepared, run.id, f"{run_label(run)} · {model}")
    return True


def estimate_at_button(prepared: PreparedRun, slot) -> TimeEstimate:
    """Return the training-time estimate, its progress drawn in `slot` (beside the button pressed)."""
    bar = slot.progress(0.0, text=ESTIMATE_STARTING)
    return estimate_training_seconds(prepared.data, config=prepared.config, plan=prepared.plan,
                                     progress=lambda fraction, message: bar.progress(fraction, text=message))


def finish(pending: dict) -> None:
    """Show the started run: its notes and message on the next run, picked in the Runs tab."""
    started = pending["started"]
    for level, message in started["notes"]:
        leave_experiment_note(level, message)
    if pending.get("repeated"):
        leave_experiment_note("info", REPEAT_IGNORED.format(launch=f"{started['label']} while it was launching"))
    _end(started=True, last=started["label"])
    state.choose(EXP_RUN_KEY, started["run_id"])
    state.flash(started["flash"])
    st.rerun()


def _end(*, started: bool, last: str | None = None) -> None:
    record = launch_record()
    from_form = record["pending"] is not None and record["pending"]["parent_run_id"] is None
    if started:
        record["last"], record["last_from_form"] = last, from_form
    record["pending"], record["clear_form"] = None, started and from_form


def before_form() -> None:
    """Before the Train form draws: a launch started from it leaves its notes and tags empty for the next run."""
    if launch_record().pop("clear_form", False):
        clear_form_notes()


def settle_leftover() -> None:
    """At the end of the page: finish a started launch no button carried out, or drop an unstarted one."""
    pending = launch_record()["pending"]
    if pending is None:
        return
    if pending["started"] is not None:
        finish(pending)
    _end(started=False)
    st.info(LAUNCH_DROPPED)
