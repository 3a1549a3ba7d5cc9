"""The Plan section: who labels (people and simulated demo labelers) and the next batch."""

import zlib
from functools import partial

import pandas as pd
import streamlit as st

from core.features import plan_features
from core.labeling.card import check_card, default_card, field_options
from core.labeling.consensus import disagreement_scores
from core.labeling.issues import fit_predict_probabilities, model_probabilities
from core.labeling.label_set import effective_labels
from core.data.roles import Roles
from core.labeling.sampling import SAMPLERS, SamplingInputs
from core.labeling.simulated_labelers import LabelerProfile, clean_labels
from pages.components import state
from pages.components.labeling.state import LABEL_BATCH_KEY
from pages.components.feedback import attempt, reported_errors
from pages.components.resources import db_session
from storage.labeling import batches as label_batches, quality as label_quality, labels
from storage.modeling import runs as model_runs
from storage.data.datasets import load_ground_truth
from storage.data.tables import Dataset
from storage.labeling.tables import LabelBatch

STRATEGY_HELP = {
    "random": "Random: an unbiased picture of the data.",
    "stratified": "Stratified: the same share of every value of a column, so small groups are not missed.",
    "uncertainty": "Uncertainty: the items a model trained on the current labels is least sure about.",
    "disagreement": "Disagreement: items whose labels conflict, to label again (e.g. after a guideline change).",
}
FIELDS_HELP = ("What labelers see of each item, in this order, all at once. The target is never shown: it is the "
               "answer asked for.")
BLIND_HELP = ("Hides the sensitive columns (the Roles tab marks them) from labelers, so a label cannot lean on sex, "
              "age or region. The fairness audit still uses them.")
MEASURES = {"least_confidence": "Least confidence", "margin": "Margin", "entropy": "Entropy"}


def labelers_panel(dataset: Dataset) -> None:
    with db_session() as session:
        team = label_batches.list_labelers(session, dataset.project_id)
    if team:
        st.dataframe(pd.DataFrame([{"labeler": l.name, "kind": "simulated" if l.simulated else "person",
                                    "accuracy": f"{l.simulated['accuracy']:.0%}" if l.simulated else "—"}
                                   for l in team]),
                     hide_index=True, width="stretch")
    if dataset.has_ground_truth and not any(l.simulated for l in team):
        if st.button("Add the demo's simulated labelers", key="lab.demo_team", icon=":material/smart_toy:"):
            if attempt(partial(label_batches.add_demo_labelers, dataset_id=dataset.id, actor=state.actor())):
                st.rerun()
    with st.form("lab.add_labeler", border=False):
        left, right = st.columns([2, 1])
        name = left.text_input("New labeler's name", key="lab.new_labeler")
        accuracy = right.number_input("Simulated accuracy (0 = a person)", 0.0, 1.0, 0.0, 0.05, key="lab.new_accuracy")
        if st.form_submit_button("Add labeler"):
            profile = LabelerProfile(accuracy=accuracy) if accuracy > 0 else None
            if attempt(partial(label_batches.add_labeler, project_id=dataset.project_id, name=name, profile=profile,
                               actor=state.actor())):
                st.rerun()


def plan_form(dataset: Dataset, frame: pd.DataFrame) -> None:
    roles = Roles.from_dict(dataset.roles)
    with db_session() as session:
        names = [l.name for l in label_batches.list_labelers(session, dataset.project_id)]
    names = list(dict.fromkeys([state.actor(), *names]))
    strategy = st.selectbox("Strategy", list(SAMPLERS), key="lab.strategy", format_func=str.capitalize)
    st.caption(STRATEGY_HELP[strategy])
    with st.form("lab.plan", border=False):
        cols = st.columns(3)
        size = cols[0].number_input("Batch size", 1, 100_000, 20, key="lab.size")
        overlap = cols[1].slider("Overlap share", 0.0, 1.0, 0.5, 0.05, key="lab.overlap",
                                 help="The share of items that two labelers label, to measure consistency.")
        seed = cols[2].number_input("Seed", 0, 2**31 - 1, 0, key="lab.seed")
        column = st.selectbox("Stratify by", list(frame.columns), key="lab.stratify") if strategy == "stratified" else None
        measure = st.radio("Uncertainty measure", list(MEASURES), format_func=MEASURES.get, horizontal=True,
                           key="lab.measure") if strategy == "uncertainty" else "least_confidence"
        # Keyed by who is on the team: a grown team, or a new name in the sidebar, starts a fresh
        # picker with everyone chosen (a kept choice could hold a name no longer offered).
        team = zlib.crc32("\n".join(sorted(names)).encode())
        chosen = st.multiselect("Labelers", names, default=names, key=f"lab.labelers.{team}")
        fields, blind = card_inputs(dataset, roles)
        submitted = st.form_submit_button("Plan batch", type="primary")
    if submitted:
        plan(dataset, frame, roles, strategy, int(size), float(overlap), int(seed), column, measure, chosen,
             (fields, blind))


def card_inputs(dataset: Dataset, roles: Roles) -> tuple[list[str], bool]:
    """The card's fields in the order picked, and blind labeling (on by default when there are sensitive columns)."""
    default = default_card(dataset.column_kinds, roles)
    options = field_options(dataset.column_kinds, roles)
    fields = st.multiselect("Fields on the card, in the order shown", options, default=list(default.fields),
                            key=f"lab.card_fields.{dataset.id}", help=FIELDS_HELP) if options else []
    sensitive = ", ".join(roles.sensitive) or "none marked on the Datasets page"
    blind = st.toggle(f"Blind labeling: hide the sensitive columns ({sensitive})", value=default.blind,
                      key=f"lab.blind.{dataset.id}", disabled=not roles.sensitive, help=BLIND_HELP)
    return fields, blind


def plan(dataset, frame, roles, strategy, size, overlap, seed, column, measure, chosen, card_choice) -> None:
    given = frame[roles.target] if roles.target in frame.columns else None
    batch = None
    with reported_errors(), st.spinner("Choosing the items…"):
        card = check_card(card_choice[0], blind=card_choice[1], kinds=dataset.column_kinds, roles=roles)
        with db_session() as session:
            pool, inputs = sampling_inputs(session, dataset, frame, roles, given, strategy, column, measure)
        batch = attempt(partial(label_batches.plan_batch, dataset_id=dataset.id, pool=pool, size=size,
                                strategy=strategy, labelers=chosen, overlap=overlap, inputs=inputs, random_state=seed,
                                card=card.to_dict(), actor=state.actor()))
    if batch is not None:
        state.choose(LABEL_BATCH_KEY, batch.id)  # the Label section opens the batch just planned
        state.flash(f"Planned batch {batch.number}: {batch.size} items for {', '.join(chosen)}.")
        st.rerun()


def sampling_inputs(session, dataset, frame, roles, given, strategy, column, measure):
    """Return the pool and what the strategy reads: a column, model probabilities, or disagreement."""
    if strategy == "disagreement":
        history = effective_labels(labels.label_history(session, dataset.id))
        return frame.index, SamplingInputs(disagreement=disagreement_scores(history))
    pool = label_quality.unlabeled_pool(session, dataset_id=dataset.id, row_ids=frame.index, given=given)
    if strategy == "stratified":
        return pool, SamplingInputs(column=frame[column])
    if strategy == "uncertainty":
        return pool, SamplingInputs(probabilities=pool_probabilities(session, dataset, frame, roles, pool),
                                    measure=measure)
    return pool, None


def pool_probabilities(session, dataset, frame, roles, pool) -> pd.DataFrame:
    """Return the pool's probabilities from the latest trained model, else from one fitted on the current labels."""
    found = model_runs.latest_model_run(session, project_id=dataset.project_id, dataset_id=dataset.id)
    if found is not None:
        run, model = found
        try:
            probs = model_probabilities(model, frame.loc[pool])
            st.caption(f"Uncertainty from {model_runs.run_label(run)}, the latest model trained on this dataset "
                       "version.")
            return probs
        except (ValueError, KeyError) as error:
            st.caption(f"{model_runs.run_label(run)}'s model could not score these rows ({error}); using a quick "
                       "model instead.")
    current, _ = labels.current_labels(session, dataset.id)
    plan = plan_features(dataset.column_kinds, roles)
    st.caption("No trained model for this version yet: uncertainty from a logistic regression fitted on the "
               "current labels.")
    return fit_predict_probabilities(frame.loc[current.index], current.astype(str), frame.loc[pool], plan=plan)


def batches_panel(dataset: Dataset, frame: pd.DataFrame, batches: list[LabelBatch]) -> None:
    with db_session() as session:
        progress = label_batches.batch_progress(session, dataset.id)
        waiting = {b.id: label_quality.simulated_work_left(session, b.id) for b in batches}
    if progress.empty:
        return
    st.dataframe(progress, hide_index=True, width="stretch")
    for batch in batches:
        if waiting[batch.id]:
            label = f"Let the simulated labelers label batch {batch.number} ({waiting[batch.id]} items)"
            if st.button(label, key=f"lab.simulate.{batch.id}", icon=":material/smart_toy:"):
                simulate(dataset, frame, batch)


def simulate(dataset: Dataset, frame: pd.DataFrame, batch: LabelBatch) -> None:
    roles = Roles.from_dict(dataset.roles)
    with db_session() as session:
        truth = clean_labels(frame[roles.target], load_ground_truth(session, dataset.id)) if roles.target else pd.Series()
    stored = attempt(partial(label_quality.simulate_batch, batch_id=batch.id, truth=truth, actor=state.actor()))
    if stored is not None:
        state.flash(f"The simulated labelers made {stored} labels in batch {batch.number}.")
        st.rerun()
