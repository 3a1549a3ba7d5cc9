"""The Splits tab: make a train/dev/test split and show its sizes and class mix."""

from functools import partial

import pandas as pd
import streamlit as st

from core.data.roles import Roles
from core.data.splits import make_splits, split_summary, suggest_split_strategy
from pages.components import explain
from pages.components import state
from pages.components.feedback import attempt, reported_errors
from pages.components.resources import db_session
from pages.components.text import plain
from storage.data import datasets as stored_datasets
from storage.data.tables import Dataset

STRATEGY_LABELS = {
    "stratified": "Stratified (every class in the same share in each split)",
    "random": "Random",
    "time": "By time (train on the past, test on the future)",
}


def splits_tab(dataset: Dataset, frame: pd.DataFrame) -> None:
    roles = Roles.from_dict(dataset.roles)
    suggested, why = suggest_split_strategy(n_rows=len(frame), has_target=roles.target is not None,
                                            has_time=roles.time is not None)
    st.caption(f"Suggested: **{STRATEGY_LABELS[suggested]}** — {why}")
    with st.form("ds.split_form", border=False):
        strategy = st.radio("Strategy", list(STRATEGY_LABELS), index=list(STRATEGY_LABELS).index(suggested),
                            format_func=STRATEGY_LABELS.get, horizontal=True,
                            key=f"ds.split_strategy.{suggested}")  # a new suggestion resets the choice
        sizes = st.columns(4)
        train = sizes[0].number_input("Train %", 1, 98, 70, key="ds.split_train")
        dev = sizes[1].number_input("Dev %", 1, 98, 15, key="ds.split_dev")
        sizes[2].metric("Test %", 100 - train - dev, help=explain.why("test_share"))
        seed = sizes[3].number_input("Seed", 0, 2**31 - 1, 0, key="ds.split_seed")
        submitted = st.form_submit_button("Make splits", type="primary", key="ds.make_splits")
    if submitted:
        make_and_store(dataset, frame, roles, strategy, (train, dev, 100 - train - dev), int(seed))
    show_latest_split(dataset, frame, roles)


def make_and_store(dataset: Dataset, frame: pd.DataFrame, roles: Roles, strategy: str,
                   percents: tuple[int, int, int], seed: int) -> None:
    if percents[2] < 1:
        st.error("Train and dev take 100% or more, which leaves no test set. Lower them so test gets at least 1%.")
        return
    fractions = tuple(p / 100 for p in percents)
    assignment = None
    with reported_errors():
        assignment = make_splits(frame, strategy=strategy, target=roles.target, time_column=roles.time,
                                 fractions=fractions, random_state=seed)
    if assignment is None:
        return
    if attempt(partial(stored_datasets.save_split, dataset_id=dataset.id, assignment=assignment, strategy=strategy,
                       seed=seed, fractions=fractions, actor=state.actor())) is not None:
        state.flash(f"Made a {strategy} split of {dataset.name} v{dataset.version}.")
        st.rerun()


def show_latest_split(dataset: Dataset, frame: pd.DataFrame, roles: Roles) -> None:
    with db_session() as session:
        split = stored_datasets.latest_split(session, dataset.id)
    if split is None:
        st.info("No split yet. Choose a strategy and press “Make splits”.")
        return
    st.markdown(f"**Current split:** {plain(split.strategy)}, seed {split.seed}, made {split.created_at:%Y-%m-%d %H:%M} UTC")
    summary = split_summary(stored_datasets.load_split(split), frame, target=roles.target)
    percent = {c: st.column_config.NumberColumn(c, format="percent") for c in summary.columns if c != "n_rows"}
    st.dataframe(summary, width="stretch", column_config={"n_rows": "rows", **percent}, key="ds.split_table")
    if roles.target:
        st.caption(f"Columns “{plain(roles.target)}=…” give each class's share within the split.")
