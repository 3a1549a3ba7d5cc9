"""The Label errors section: find likely label errors on request, then accept corrections one by one or in bulk.

Each scan is stored when *Find label errors* is pressed (storage.labeling.scans), and the section
always lists the version's newest stored scan: a rerun, a page switch or another tab shows the same
list. Accepting a correction changes the labels, but the list keeps its rows and order (each fixed
row marked, the scan marked stale) until the user asks for a fresh one; recomputing after every
click reshuffled the list under the user's eyes and cost a cross-validation each time.
"""

from functools import partial

import pandas as pd
import streamlit as st

from core.features import FeaturePlan, plan_features
from core.data.roles import Roles
from core.labeling.classes import ClassNames
from core.labeling.issues import LabelIssues, detection_summary, explanations, out_of_fold_probabilities
from core.labeling.issues import rank_label_issues, scan_settings
from pages.components import state
from pages.components.classes import project_class_names
from pages.components.explain import why
from pages.components.feedback import attempt, reported_errors
from pages.components.labeling.item import item_card
from pages.components.resources import db_session
from pages.components.text import plain
from storage.data.datasets import latest_split, load_ground_truth, load_split
from storage.data.tables import Dataset
from storage.labeling import labels, scans
from storage.labeling.scans import StoredScan

OPEN = "open"
WHAT_IT_DOES = ("Confident learning: each training row gets class probabilities from a logistic regression that never "
                "saw it (cross-validation); rows whose label the model confidently contradicts are listed, the least "
                "likely label first. Dev and test rows are never touched.")


@st.cache_resource(max_entries=4, show_spinner="Cross-validating on the training split…")
def cached_issues(snapshot: str, split_id: int, folds: int, seed: int, columns: tuple[str, ...],
                  _features: pd.DataFrame, _labels: pd.Series, _plan: FeaturePlan) -> LabelIssues:
    # `columns` is in the key: changing the roles changes the plan, and the flagged rows with it.
    probs = out_of_fold_probabilities(_features, _labels, plan=_plan, folds=folds, random_state=seed)
    return rank_label_issues(_labels, probs)


def label_errors_section(dataset: Dataset, frame: pd.DataFrame) -> None:
    with db_session() as session:
        split = latest_split(session, dataset.id)
        current, snapshot = labels.current_labels(session, dataset.id)
    if split is None:
        st.info("Label errors are looked for in the training split only, and this version has no split yet. "
                "Make one on the Datasets page.", icon=":material/info:")
        st.page_link("pages/2_datasets.py", label="Go to Datasets", icon=":material/arrow_forward:")
        return
    st.caption(WHAT_IT_DOES)
    cols = st.columns([1, 1, 2], vertical_alignment="bottom")
    folds = cols[0].number_input("Folds", 2, 10, 5, key="lab.folds")
    seed = cols[1].number_input("Seed", 0, 2**31 - 1, 0, key="lab.issue_seed")
    if cols[2].button("Find label errors", key="lab.find_issues", type="primary", icon=":material/search:"):
        find(dataset, frame, split, current, snapshot, int(folds), int(seed))
    with db_session() as session:
        scan = scans.stored_scan(session, dataset.id)
    if scan is None:
        st.info("Press *Find label errors* to cross-validate the training split and list the suspicious labels. "
                "Each scan is stored, with what it found, for this page and the audit report.", icon=":material/info:")
        return
    scan_caption(scan, snapshot, split.id)
    show_issues(dataset, frame, scan, project_class_names(dataset.project_id))


def find(dataset, frame, split, current, snapshot, folds: int, seed: int) -> None:
    """Cross-validate the labeled training rows and store the scan; a refused scan shows why and stores nothing."""
    settings = scan_settings(folds=folds, seed=seed)
    with db_session() as session:
        repeat = scans.repeated_scan(session, dataset_id=dataset.id, split_id=split.id, labels_hash=snapshot,
                                     settings=settings)
    if repeat is not None:
        st.info(f"Nothing changed since the scan of {repeat.created_at:%Y-%m-%d %H:%M} UTC (same labels, split, "
                "folds and seed), so it would find the same rows: its result is shown below. Correct a label or "
                "change the folds or seed to look again.", icon=":material/info:")
        return
    train = load_split(split).loc[lambda s: s == "train"].index.intersection(current.index)
    with reported_errors():
        plan = plan_features(dataset.column_kinds, Roles.from_dict(dataset.roles))
        issues = cached_issues(snapshot, split.id, folds, seed, tuple(plan.columns), frame.loc[train, plan.columns],
                               current.loc[train].astype(str), plan)
        attempt(partial(scans.save_scan, dataset_id=dataset.id, split_id=split.id, labels_hash=snapshot,
                        settings=settings, issues=issues, actor=state.actor()))


def scan_caption(scan: StoredScan, snapshot: str, split_id: int) -> None:
    settings = scan.settings
    st.caption(f"Scan of {scan.made:%Y-%m-%d %H:%M} UTC by {plain(scan.actor)}: {settings['folds']} folds, "
               f"seed {settings['seed']}, out-of-fold predictions of a {settings['model'].replace('_', ' ')} on the "
               "training split.")
    if scan.split_id != split_id:
        st.warning("Stale: the version has a newer split than this scan, so its training rows differ. Press "
                   "*Find label errors* to look again on the current training split.", icon=":material/history:")
    if scan.labels_hash != snapshot:
        st.warning(f"Stale: labels changed since this scan ({len(scan.fixed):,} of its rows corrected here). "
                   "It keeps its rows and order. Press *Find label errors* to look again on the current labels.",
                   icon=":material/history:")


def show_issues(dataset: Dataset, frame: pd.DataFrame, scan: StoredScan, names: ClassNames) -> None:
    st.metric("Flagged", f"{scan.n_flagged:,} of {scan.n_checked:,} training rows",
              help=why("label_issues_flagged"))
    if state.teaching_mode() and dataset.has_ground_truth:
        teaching_summary(dataset, scan)
    if not scan.n_flagged:
        st.success("No training label looks wrong to the model.", icon=":material/task_alt:")
        return
    table = chosen_rows(scan.table, scan.fixed, names)
    if table.empty:
        st.info("No flagged row has a self-confidence this low: raise the threshold.", icon=":material/info:")
        return
    st.dataframe(table.drop(columns=["suggested_value"]), width="stretch", height=260, column_config={
        "self_confidence": st.column_config.NumberColumn("self-confidence", format="%.3f", help=why("self_confidence")),
        "suggested_confidence": st.column_config.NumberColumn("model's confidence", format="%.3f",
                                                             help=why("suggested_confidence"))})
    bulk_accept(dataset, table)
    one_row(dataset, frame, table, names)


def chosen_rows(flagged: pd.DataFrame, accepted: dict[int, str], names: ClassNames) -> pd.DataFrame:
    """The top rows under the threshold, in the kept order, classes by name, each with its status."""
    cols = st.columns(2)
    top = cols[0].number_input("Show the top", 1, 5_000, min(50, max(len(flagged), 1)), key="lab.issue_top",
                               help="The most suspicious rows first: the lowest self-confidence.")
    threshold = cols[1].slider("Self-confidence at most", 0.0, 1.0, 1.0, 0.01, key="lab.issue_threshold",
                               help="The probability the model gives the row's own label; lower is more suspicious.")
    table = flagged[flagged["self_confidence"] <= threshold].head(int(top))
    status = [f"corrected to {names.show(accepted[r])}" if r in accepted else OPEN for r in table.index]
    shown = names.relabel(table, values=["label", "suggested"]).assign(explanation=explanations(table, show=names.show))
    return shown.assign(status=status, suggested_value=table["suggested"].astype(str))


def bulk_accept(dataset: Dataset, table: pd.DataFrame) -> None:
    waiting = table[table["status"] == OPEN]
    if waiting.empty:
        return
    if st.button(f"Accept the suggested label for the {len(waiting):,} open rows shown", key="lab.issue_accept_all",
                 icon=":material/done_all:"):
        accept(dataset, dict(waiting["suggested_value"]))


def one_row(dataset: Dataset, frame: pd.DataFrame, table: pd.DataFrame, names: ClassNames) -> None:
    row_id = st.selectbox("Look at row", list(table.index), key="lab.issue_row")
    left, right = st.columns([3, 2])
    with left:
        item_card(dataset, frame, row_id)
    with right:
        st.markdown(plain(table.at[row_id, "explanation"]))
        fix = table.at[row_id, "suggested_value"]
        if st.button(f"Accept the correction to {plain(names.show(fix))}", key="lab.issue_accept", type="primary",
                     disabled=table.at[row_id, "status"] != OPEN):
            accept(dataset, {int(row_id): fix})


def accept(dataset: Dataset, corrections: dict[int, str]) -> None:
    """Store the corrections in one transaction; the stored scan's list marks them and keeps its order."""
    corrections = {int(r): str(v) for r, v in corrections.items()}
    if attempt(partial(labels.record_decisions, dataset_id=dataset.id, values=corrections, source="label_issue",
                       actor=state.actor())) is not None:
        rows = ", ".join(map(str, list(corrections)[:5])) + (" …" if len(corrections) > 5 else "")
        state.flash(f"{len(corrections):,} correction{'s' if len(corrections) != 1 else ''} accepted (row {rows}); "
                    "the original labels are kept in the history.")
        st.rerun()


def teaching_summary(dataset: Dataset, scan: StoredScan) -> None:
    with db_session() as session:
        flipped = (load_ground_truth(session, dataset.id).get("label_noise") or {}).get("flipped_row_ids", [])
    summary = detection_summary(scan.table.index, pd.Index(flipped), checked=scan.checked)
    st.info(f"Teaching mode (the training split): {summary}", icon=":material/school:")
