"""The Train tab: pick data and a model, set hyperparameters from the catalog, sanity-check, estimate, train."""

from dataclasses import replace
from functools import partial

import pandas as pd
import streamlit as st

from core.modeling.catalog import MODELS, HyperParam, ModelSpec
from core.data.roles import Roles
from core.modeling.training import MAX_FOLDS, TrainingConfig
from core.modeling.checks import estimate_training_seconds, sanity_check
from pages.components import state
from pages.components.modeling.state import EXP_FORM_NOTES_KEY, EXP_FORM_TAGS_KEY, EXP_MODEL_KEY, EXP_MODEL_WIDGET_KEY
from pages.components.explain import why
from pages.components.feedback import attempt, reported_errors
from pages.components.resources import db_session
from pages.components.modeling import launch
from pages.components.modeling.positive import positive_class_picker
from storage.data.tables import Dataset
from storage.modeling.execution import PreparedRun, data_checks, prepare_run, record_sanity_check

WEIGHTING_HELP = "Weights each class by the inverse of its frequency, so a rare class counts as much as a common one."


def train_tab(project_id: int, dataset: Dataset, frame: pd.DataFrame) -> None:
    launch.before_form()
    state.settle_choice(EXP_MODEL_KEY, EXP_MODEL_WIDGET_KEY, list(MODELS))
    st.selectbox("Model", list(MODELS), format_func=lambda name: MODELS[name].label, key=EXP_MODEL_WIDGET_KEY,
                 on_change=state.keep_choice, args=(EXP_MODEL_KEY, EXP_MODEL_WIDGET_KEY))
    spec = MODELS[st.session_state[EXP_MODEL_KEY]]
    st.caption(spec.summary)
    positive = positive_class_picker(project_id, dataset, frame)
    with st.form("exp.train_form", border=True):
        params = hyperparameter_inputs(spec)
        config, notes, tags = run_options(spec, dataset, params)
        config = replace(config, positive_class=positive)
        pending, prepared = launch.ready_launch(launch.pending_launch(dataset_id=dataset.id),
                                                lambda: prepare(dataset, frame, config))
        slot = st.empty()  # a launch's estimate shows its progress here, just above the buttons
        buttons = st.columns(3)
        sanity = buttons[0].form_submit_button("Sanity check: overfit 100 rows", key="exp.sanity",
                                               icon=":material/fact_check:")
        estimate = buttons[1].form_submit_button("Estimate training time", key="exp.estimate", icon=":material/timer:")
        launch.launch_button(buttons[2], "Train", "exp.train", dataset_id=dataset.id, in_form=True, type="primary",
                             icon=":material/play_arrow:")
    if pending is not None:
        launch.carry_out(pending, prepared, slot, notes=notes, tags=tags)
    elif sanity or estimate:
        checked(project_id, prepare(dataset, frame, config), sanity=sanity)


def checked(project_id: int, prepared: PreparedRun | None, *, sanity: bool) -> None:
    """Show the data warnings, then the sanity check or the training-time estimate."""
    if prepared is None:
        return
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
    notes = right.text_input("Notes", key=EXP_FORM_NOTES_KEY, max_chars=2000)
    tags = right.text_input("Tags (comma-separated)", key=EXP_FORM_TAGS_KEY)
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
    st.metric("Training accuracy on the subset", f"{result.train_accuracy:.3f}",
              help=why("sanity_accuracy", f"{result.n_rows} rows"))
    # Below the bar because of the settings or the kind of model is information; only "problem" warns.
    {"passed": st.success, "problem": st.warning}.get(result.verdict, st.info)(result.message)
