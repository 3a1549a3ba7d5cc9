"""The 'Add data' panel of the Datasets page: upload a file or generate a demo scenario."""

from functools import partial
from pathlib import Path

import pandas as pd
import streamlit as st

from core.data.roles import Roles, check_roles, suggest_roles
from core.data.scenarios import SCENARIOS
from pages.components import state
from pages.components.data.intake import Stored, store_frame, store_scenario
from pages.components.data.upload_review import read_upload, review_upload
from pages.components.feedback import attempt
from pages.components.text import plain
from storage.project.tables import Project

UPLOAD_TYPES = ["csv", "tsv", "txt", "parquet", "pq"]
UPLOAD_NAME_KEY = "ds.upload_name"
NONE = "—"
TARGET_HELP = "Suggested: a column named label, target, class or y, else the last column."
ID_HELP = "Suggested: a column named like an ID (id, applicant_id, customerId) whose values are all there and unique."


def add_data_panel(project: Project, *, expanded: bool) -> None:
    with st.expander("Add data", expanded=expanded, icon=":material/add:"):
        upload_tab, scenario_tab = st.tabs(["Upload a file", "Generate a demo scenario"], key="ds.add_tab",
                                            on_change="rerun")
        with upload_tab:
            upload_form(project)
        with scenario_tab:
            scenario_form(project)


def upload_form(project: Project) -> None:
    upload = st.file_uploader("CSV or Parquet file", type=UPLOAD_TYPES, key="ds.upload", on_change=name_from_file,
                              help="Delimiter, encoding (UTF-8, UTF-8 with BOM, latin-1) and decimal commas are detected.")
    sidecar = st.file_uploader("Its sidecar, for a file downloaded from this app (optional)", type=["json"],
                               key="ds.upload_sidecar",
                               help="The .json file downloaded beside the data: with it the download's added "
                                    "columns and spreadsheet guards are taken off and its content hash checked.")
    default_name = Path(upload.name).stem if upload is not None else ""
    name = st.text_input("Dataset name", key=UPLOAD_NAME_KEY, placeholder=default_name,
                         help="Filled in from the file's name when you choose a file; change it as you like.")
    prepared = review_upload(read_upload(upload), sidecar) if upload is not None else None
    roles = upload_roles(prepared.frame, upload.file_id) if prepared is not None else None
    clicked = st.button("Store dataset", key="ds.store", type="primary", disabled=roles is None)
    if clicked and prepared is not None and roles is not None:
        stored = attempt(partial(store_frame, project_id=project.id, name=name or default_name,
                                 frame=prepared.frame, source=f"upload:{upload.name}", actor=state.actor(),
                                 roles=roles, note="; ".join(prepared.notes)))
        report_stored(stored)


def name_from_file() -> None:
    """on_change of the file picker: the dataset name starts as the file's name without its extension."""
    upload = st.session_state.get("ds.upload")
    st.session_state[UPLOAD_NAME_KEY] = Path(upload.name).stem if upload is not None else ""


def upload_roles(frame: pd.DataFrame, file_id: str) -> Roles | None:
    """The target and ID the file is stored with, suggested from its columns; None while they are refused."""
    suggested = suggest_roles(frame)
    names = [NONE, *frame.columns]
    st.caption("Roles suggested from the column names and values; change them now, or later on the Roles tab.")
    left, right = st.columns(2)
    target = left.selectbox("Target", names, index=names.index(suggested.target or NONE),
                            key=f"ds.upload_target.{file_id}", help=TARGET_HELP)
    id_column = right.selectbox("ID column", names, index=names.index(suggested.id or NONE),
                                key=f"ds.upload_id.{file_id}", help=ID_HELP)
    roles = Roles(target=role_choice(target), id=role_choice(id_column))
    errors = [c.message for c in check_roles(frame, roles, {}) if c.level == "error"]
    for message in errors:
        st.error(plain(message), icon=":material/error:")
    return None if errors else roles


def role_choice(choice: str) -> str | None:
    return None if choice == NONE else choice


def scenario_form(project: Project) -> None:
    names = list(SCENARIOS)
    chosen = st.selectbox("Scenario", names, format_func=lambda n: SCENARIOS[n].title, key="ds.scenario")
    spec = SCENARIOS[chosen]
    st.caption(spec.summary)
    with st.form("ds.scenario_form", border=False):
        values = {p.name: _param_input(chosen, p) for p in spec.params}
        submitted = st.form_submit_button("Generate", type="primary")
    if submitted:
        with st.spinner(f"Generating {spec.title}…"):
            stored = attempt(partial(store_scenario, project_id=project.id, scenario_name=chosen,
                                     actor=state.actor(), **values))
        report_stored(stored)


def _param_input(scenario: str, param) -> int | float:
    key = f"ds.param.{scenario}.{param.name}"
    if param.kind == "int":
        step = max(1, (param.max - param.min) // 100) if param.name == "n_rows" else 1
        return int(st.number_input(param.label, min_value=int(param.min), max_value=int(param.max),
                                   value=int(param.default), step=step, help=param.help, key=key))
    return float(st.number_input(param.label, min_value=float(param.min), max_value=float(param.max),
                                 value=float(param.default), step=0.01, help=param.help, key=key))


def report_stored(stored: Stored | None) -> None:
    """Select the stored version and say what happened."""
    if stored is None:
        return
    version = f"{stored.dataset.name} v{stored.dataset.version}"
    if stored.is_new:
        state.select_dataset(stored.dataset.id)
        state.flash(f"Stored {version}: {stored.dataset.n_rows:,} rows, {stored.dataset.n_columns} columns.")
        st.rerun()
    st.info(f"Nothing new to store: the data is identical to {plain(version)}.", icon=":material/content_copy:")
