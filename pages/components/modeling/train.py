"""The Train tab: pick data and a model, set hyperparameters from the catalog, sanity-check, estimate, train."""

from functools import partial

import pandas as pd
import streamlit as st

from core.modeling.catalog import MODELS, HyperParam, ModelSpec
from core.data.roles import Roles
from core.modeling.training import MAX_FOLDS, TrainingConfig
from core.modeling.checks import ESTIMATE_ROWS, estimate_training_seconds, sanity_check
from pages.components import state
from pages.components.feedback import attempt, reported_errors
from pages.components.resources import db_session
from pages.components.modeling.jobs import start_training
from storage.data.tables import Dataset
from storage.modeling.execution import PreparedRun, data_checks, launch_run, prepare_run, record_sanity_check
from storage.modeling.runs import run_label

WEIGHTING_HELP = "Weights each class by the inverse of its frequency, so a rare class counts as much as a common one."


def train_tab(project_id: int, dataset: Dataset, frame: pd.DataFrame) -> None:
    state.settle_choice(state.EXP_MODEL_KEY, state.EXP_MODEL_WIDGET_KEY, list(MODELS))
    st.selectbox("Model", list(MODELS), format_func=lambda name: MODELS[name].label, key=state.EXP_MODEL_WIDGET_KEY,
                 on_change=state.keep_choice, args=(state.EXP_MODEL_KEY, state.EXP_MODEL_WIDGET_KEY))
    spec = MODELS[st.session_state[state.EXP_MODEL_KEY]]
    st.caption(spec.summary)
    with st.form("exp.train_form", border=True):
        params = hyperparameter_inputs(spec)
        config, notes, tags = run_options(spec, dataset, params)
        buttons = st.columns(3)
        sanity = buttons[0].form_submit_button("Sanity check: overfit 100 rows", key="exp.sanity",
                                               icon=":material/fact_check:")
        estimate = buttons[1].form_submit_button("Estimate training time", key="exp.estimate", icon=":material/timer:")
        train = buttons[2].form_submit_button("Train", type="primary", key="exp.train", icon=":material/play_arrow:")
    prepared = prepare(dataset, frame, config) if sanity or estimate or train else None
    if prepared is not None and train:
        launch(prepared, notes, tags)
    elif prepared is not None:
        for warning in data_checks(prepared).warnings:
            st.warning(warning.message, icon=":material/policy:")
        if sanity:
            show_sanity_check(project_id, prepared)
        else:
            st.info(estimate_training_seconds(prepared.data, config=prepared.config, plan=prepared.plan).message)


def hyperparameter_inputs(spec: ModelSpec) -> dict:
    """Draw one input per hyperparameter; ranges are checked on submit, so the message can name them."""
    columns = st.columns(min(len(spec.params), 3))
    return {param.name: _input(param, spec, columns[i % len(columns)]) for i, param in enumerate(spec.params)}


def _input(param: HyperParam, spec: ModelSpec, column):
    key = f"exp.param.{spec.name}.{param.name}"
    if param.kind == "choice":
        return column.selectbox(param.label, param.choices, index=param.choices.index(param.default), key=key,
                                help=param.help)
    help_text = f"{param.help} Allowed: {param.low:g} to {param.high:g}."
    if param.kind == "int":
        return column.number_input(param.label, value=int(param.default), step=1, key=key, help=help_text)
    return column.number_input(param.label, value=float(param.default), format="%g", key=key, help=help_text)


def run_options(spec: ModelSpec, dataset: Dataset, params: dict):
    roles = Roles.from_dict(dataset.roles)
    left, right = st.columns(2)
    balance = left.checkbox("Weight classes by their rarity", key="exp.balance", help=WEIGHTING_HELP,
                            disabled=spec.weighting == "none")
    include = left.multiselect("Include sensitive columns as features", list(roles.sensitive),
                               key=f"exp.sensitive.{dataset.id}",
                               help="Sensitive columns are left out of the features unless you include them on purpose.")
    curve = left.checkbox("Learning curve (dev score at 10%, 25%, 50% and all training rows)", key="exp.curve")
    folds = right.number_input(f"Cross-validation folds (0 = none, 2 to {MAX_FOLDS})", value=0, step=1, key="exp.folds")
    seed = right.number_input("Random seed", value=0, min_value=0, max_value=2**31 - 1, step=1, key="exp.seed")
    notes = right.text_input("Notes", key="exp.notes", max_chars=2000)
    tags = right.text_input("Tags (comma-separated)", key="exp.tags")
    config = TrainingConfig(spec.name, params=params, balance_classes=balance, include_sensitive=tuple(include),
                            cv_folds=int(folds), learning_curve=curve, random_state=int(seed))
    return config, notes, [t for t in tags.split(",") if t.strip()]


def prepare(dataset: Dataset, frame: pd.DataFrame, config: TrainingConfig) -> PreparedRun | None:
    """Return the checked inputs of a run, or None after showing what is wrong."""
    with reported_errors(), db_session() as session:
        return prepare_run(session, dataset_id=dataset.id, config=config, frame=frame)
    return None


def show_sanity_check(project_id: int, prepared: PreparedRun) -> None:
    with st.spinner("Fitting 100 rows…"):
        result = sanity_check(prepared.data, config=prepared.config, plan=prepared.plan)
    attempt(partial(record_sanity_check, project_id=project_id, model=prepared.config.model, result=result,
                    actor=state.actor()))
    st.metric("Training accuracy on the subset", f"{result.train_accuracy:.3f}", help=f"{result.n_rows} rows")
    # Below the bar because of the settings or the kind of model is information; only "problem" warns.
    {"passed": st.success, "problem": st.warning}.get(result.verdict, st.info)(result.message)


def launch(prepared: PreparedRun, notes: str, tags: list[str], *, parent_run_id: int | None = None,
           trigger: str = "manual") -> None:
    """Record the run, start it in the background, and rerun so the progress panel shows it (with the
    warnings about its data above it)."""
    checks = data_checks(prepared)
    if len(prepared.data.train_y) > ESTIMATE_ROWS:
        with st.spinner("Estimating the training time…"):
            estimate = estimate_training_seconds(prepared.data, config=prepared.config, plan=prepared.plan)
        state.leave_experiment_note("warning" if estimate.is_long else "info", estimate.message)
    run = attempt(partial(launch_run, prepared=prepared, actor=state.actor(), notes=notes, tags=tags,
                          parent_run_id=parent_run_id, trigger=trigger, checks=checks))
    if run is None:
        return
    for warning in checks.warnings:
        state.leave_experiment_note("warning", warning.message)
    start_training(prepared, run.id, f"{run_label(run)} · {MODELS[prepared.config.model].label}")
    state.choose(state.EXP_RUN_KEY, run.id)
    state.flash(f"Started {run_label(run)}: {MODELS[prepared.config.model].label} on "
                f"{len(prepared.data.train_y):,} training rows.")
    st.rerun()
