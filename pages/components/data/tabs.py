"""The tabs of the Datasets page: overview, roles, profile, splits and versions."""

from functools import partial

import pandas as pd
import streamlit as st

from core.data.charts import class_balance_chart, distribution_chart, image_grid_chart, missing_values_chart
from core.data.markers import describe_findings, findings_table, treat_markers_as_missing, values_look
from core.data.profile import DatasetProfile, profile_dataset
from core.data.roles import Roles, check_roles
from core.data.summary import column_summary
from pages.components import state
from pages.components.data.add_data import NONE, report_stored, role_choice
from pages.components.classes import project_class_names
from pages.components.data.class_names import class_names_panel
from pages.components.explain import caption_why, why
from pages.components.feedback import attempt
from pages.components.data.intake import store_frame
from pages.components.resources import db_session
from pages.components.text import plain
from storage.data import datasets as stored_datasets
from storage.data.tables import Dataset

PREVIEW_ROWS = 200


@st.cache_resource(max_entries=8, show_spinner="Profiling…")
def cached_profile(content_hash: str, target: str | None, _frame: pd.DataFrame, _kinds: dict) -> DatasetProfile:
    return profile_dataset(_frame, _kinds, target=target)


@st.cache_resource(max_entries=32, show_spinner=False)
def cached_role_checks(content_hash: str, roles: Roles, _frame: pd.DataFrame, _kinds: dict) -> tuple:
    # Rows never change under a content hash, so the checks of a roles choice hold until it changes;
    # without this every rerun of any tab re-scans a million-row frame.
    return check_roles(_frame, roles, _kinds)


@st.cache_resource(max_entries=8, show_spinner=False)
def cached_summary(content_hash: str, roles: Roles, _frame: pd.DataFrame, _kinds: dict) -> pd.DataFrame:
    return column_summary(_frame, _kinds, roles)


def roles_of(dataset: Dataset) -> Roles:
    return Roles.from_dict(dataset.roles)


def overview_tab(dataset: Dataset, frame: pd.DataFrame) -> None:
    columns = st.columns(4)
    columns[0].metric("Rows", f"{dataset.n_rows:,}", help=why("rows"))
    columns[1].metric("Columns", dataset.n_columns, help=why("columns"))
    columns[2].metric("Version", dataset.version, help=why("version"))
    columns[3].metric("Content hash", dataset.content_hash[:12], help=why("content_hash", dataset.content_hash))
    st.caption(plain(f"Source: {dataset.source}. {dataset.note}"))
    for check in cached_role_checks(dataset.content_hash, roles_of(dataset), frame, dataset.column_kinds):
        (st.error if check.level == "error" else st.warning)(plain(check.message))
    pixels = [c for c, kind in dataset.column_kinds.items() if kind == "image"]
    if pixels:
        st.plotly_chart(image_grid_chart(frame, pixels, list(frame.index[:16]),
                                         labels=_labels(frame, roles_of(dataset))), key="ds.images")
    st.dataframe(frame.head(PREVIEW_ROWS), width="stretch", height=320)
    if state.teaching_mode() and dataset.has_ground_truth:
        with db_session() as session:
            ground_truth_panel(stored_datasets.load_ground_truth(session, dataset.id))


def _labels(frame: pd.DataFrame, roles: Roles) -> list | None:
    return list(frame[roles.target].iloc[:16]) if roles.target in frame else None


def ground_truth_panel(truth: dict) -> None:
    with st.container(border=True):
        st.markdown("**Teaching mode — what this scenario planted**")
        st.markdown("\n".join(_truth_lines(truth)))


def _truth_lines(truth: dict, depth: int = 0) -> list[str]:
    lines = []
    for key, value in truth.items():
        label = f"{'  ' * depth}- **{plain(key.replace('_', ' '))}**"
        if isinstance(value, dict):
            lines += [f"{label}:", *_truth_lines(value, depth + 1)]
        elif isinstance(value, list) and len(value) > 10:
            lines.append(f"{label}: {len(value):,} values, e.g. {plain(', '.join(map(str, value[:8])))} …")
        else:
            lines.append(f"{label}: {plain(value)}")
    return lines


def roles_tab(dataset: Dataset, frame: pd.DataFrame) -> None:
    roles = roles_of(dataset)
    names = [NONE, *frame.columns]
    with st.form("ds.roles_form", border=False):
        left, right = st.columns(2)
        target = left.selectbox("Target", names, index=names.index(roles.target or NONE), key="ds.role.target")
        id_column = left.selectbox("ID column", names, index=names.index(roles.id or NONE), key="ds.role.id")
        time = left.selectbox("Time column", names, index=names.index(roles.time or NONE), key="ds.role.time")
        sensitive = right.multiselect("Sensitive columns", list(frame.columns), default=list(roles.sensitive),
                                      key="ds.role.sensitive", help="Audited for fairness; left out of features by default.")
        ignored = right.multiselect("Ignored columns", list(frame.columns), default=list(roles.ignored),
                                    key="ds.role.ignored")
        submitted = st.form_submit_button("Save roles", type="primary")
    st.caption("Inferred kind and current role of every column; features are what a model may learn from.")
    st.dataframe(_schema_table(dataset, roles), hide_index=True, width="stretch")
    if submitted:
        chosen = Roles(target=role_choice(target), id=role_choice(id_column), time=role_choice(time),
                       sensitive=tuple(sensitive), ignored=tuple(ignored))
        save_roles(dataset, frame, chosen)
    class_names_panel(dataset.project_id)


def save_roles(dataset: Dataset, frame: pd.DataFrame, roles: Roles) -> None:
    checks = cached_role_checks(dataset.content_hash, roles, frame, dataset.column_kinds)
    errors = [c.message for c in checks if c.level == "error"]
    if errors:
        for message in errors:
            st.error(plain(message))
        st.caption("Nothing was saved.")
        return
    if attempt(partial(stored_datasets.update_roles, dataset_id=dataset.id, roles=roles.to_dict(),
                       actor=state.actor())) is not None:
        warnings = [c.message for c in checks if c.level == "warning"]
        state.flash("Roles saved." + (" Note: " + " ".join(warnings) if warnings else ""))
        st.rerun()


def _schema_table(dataset: Dataset, roles: Roles) -> pd.DataFrame:
    return pd.DataFrame({"column": list(dataset.column_kinds), "kind": list(dataset.column_kinds.values()),
                         "role": [roles.role_of(c) for c in dataset.column_kinds]})


def profile_tab(dataset: Dataset, frame: pd.DataFrame) -> None:
    target = roles_of(dataset).target
    profile = cached_profile(dataset.content_hash, target, frame, dataset.column_kinds)
    columns = st.columns(4)
    columns[0].metric("Rows", f"{profile.n_rows:,}", help=why("rows"))
    columns[1].metric("Columns", profile.n_columns, help=why("columns"))
    columns[2].metric("Missing cells", f"{int(profile.missing.sum()):,}", help=why("missing_cells"))
    columns[3].metric("Duplicate rows", f"{profile.duplicate_rows:,}", help=why("duplicate_rows"))
    st.markdown(f"**{profile.size_class.capitalize()}, {profile.structure} data.** " + " ".join(profile.advice))
    cleanup_actions(dataset, frame, profile)
    left, right = st.columns(2)
    if profile.missing.sum():
        left.plotly_chart(missing_values_chart(profile), key="ds.missing_chart")
    else:
        left.success("No missing values in any column.", icon=":material/check_circle:")
    if profile.class_balance is not None:
        balance = profile.class_balance.rename(index=project_class_names(dataset.project_id).show)
        right.plotly_chart(class_balance_chart(balance), key="ds.balance_chart")
        with right:
            caption_why("class_balance")
    st.markdown("**Every column** — kind, role, missing and distinct values, range or most frequent value")
    st.dataframe(cached_summary(dataset.content_hash, roles_of(dataset), frame, dataset.column_kinds),
                 hide_index=True, width="stretch", key="ds.summary")
    # Features first: the ID, target and time are seldom the distribution one wants to see first.
    column = st.selectbox("Distribution of", _columns_features_first(frame, roles_of(dataset)), key="ds.dist_column")
    st.plotly_chart(distribution_chart(frame, column, dataset.column_kinds[column]), key="ds.dist_chart")


def _columns_features_first(frame: pd.DataFrame, roles: Roles) -> list[str]:
    features = roles.feature_columns(frame.columns)
    return features + [c for c in frame.columns if c not in features]


def cleanup_actions(dataset: Dataset, frame: pd.DataFrame, profile: DatasetProfile) -> None:
    # A pixel that is blank in every image still belongs to the image grid, so it stays.
    candidates = dict.fromkeys([*profile.all_missing_columns, *profile.constant_columns])
    useless = [c for c in candidates if dataset.column_kinds.get(c) != "image"]
    if useless:
        st.warning(f"Columns that carry no information: {plain(', '.join(map(str, useless)))}.")
        if st.button(f"Drop {len(useless)} column(s) into a new version", key="ds.drop_columns"):
            derive_version(dataset, frame.drop(columns=useless), f"dropped columns {', '.join(useless)}")
    if profile.markers:
        marker_actions(dataset, frame, profile.markers)
    if profile.duplicate_rows:
        st.warning(f"{profile.duplicate_rows:,} rows repeat an earlier row exactly.")
        if st.button("Drop duplicate rows into a new version", key="ds.drop_duplicates"):
            derive_version(dataset, frame[~frame.duplicated()], f"dropped {profile.duplicate_rows} duplicate rows")


def marker_actions(dataset: Dataset, frame: pd.DataFrame, findings: tuple) -> None:
    st.warning(f"{values_look(findings)} like missing-value markers (such as ?, NA or -) but are stored as values, "
               "so the counts above leave them out.")
    st.dataframe(findings_table(findings), hide_index=True, key="ds.markers_table")
    if st.button("Treat them as missing into a new version", key="ds.treat_markers"):
        treated, _ = treat_markers_as_missing(frame, findings)
        derive_version(dataset, treated, "treated as missing: " + describe_findings(findings))


def derive_version(dataset: Dataset, frame: pd.DataFrame, note: str) -> None:
    """Store a changed copy as the next version, keeping row ids and roles, with the parent recorded."""
    roles = roles_of(dataset).restricted_to(frame.columns)
    report_stored(attempt(lambda session: store_frame(
        session, project_id=dataset.project_id, name=dataset.name, frame=frame, source="derived",
        actor=state.actor(), roles=roles, parent_id=dataset.id, note=note,
        ground_truth=stored_datasets.load_ground_truth(session, dataset.id))))


def versions_tab(versions: list[Dataset]) -> None:
    label = {d.id: f"{d.name} v{d.version}" for d in versions}
    table = pd.DataFrame([{
        "version": label[d.id], "derived from": label.get(d.parent_id, NONE), "rows": d.n_rows,
        "columns": d.n_columns, "content hash": d.content_hash[:12], "source": d.source, "note": d.note,
        "created (UTC)": d.created_at,
    } for d in versions])
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption("A version never changes once stored: cleaning makes a new version that names its parent.")
