"""The 'Add data' panel of the Datasets page: upload a file or generate a demo scenario."""

from functools import partial
from pathlib import Path

import streamlit as st

from core.data.scenarios import SCENARIOS
from pages.components import state
from pages.components.data.intake import Stored, store_frame, store_scenario
from pages.components.data.upload_review import read_upload, review_upload
from pages.components.feedback import attempt
from pages.components.text import plain
from storage.project.tables import Project

UPLOAD_TYPES = ["csv", "tsv", "txt", "parquet", "pq"]


def add_data_panel(project: Project, *, expanded: bool) -> None:
    with st.expander("Add data", expanded=expanded, icon=":material/add:"):
        upload_tab, scenario_tab = st.tabs(["Upload a file", "Generate a demo scenario"], key="ds.add_tab",
                                            on_change="rerun")
        with upload_tab:
            upload_form(project)
        with scenario_tab:
            scenario_form(project)


def upload_form(project: Project) -> None:
    upload = st.file_uploader("CSV or Parquet file", type=UPLOAD_TYPES, key="ds.upload",
                              help="Delimiter, encoding (UTF-8, UTF-8 with BOM, latin-1) and decimal commas are detected.")
    sidecar = st.file_uploader("Its sidecar, for a file downloaded from this app (optional)", type=["json"],
                               key="ds.upload_sidecar",
                               help="The .json file downloaded beside the data: with it the download's added "
                                    "columns and spreadsheet guards are taken off and its content hash checked.")
    default_name = Path(upload.name).stem if upload is not None else ""
    name = st.text_input("Dataset name", value=default_name, key="ds.upload_name", placeholder=default_name,
                         help="Left empty, the file's name is used.")
    prepared = review_upload(read_upload(upload), sidecar) if upload is not None else None
    clicked = st.button("Store dataset", key="ds.store", type="primary", disabled=prepared is None)
    if clicked and prepared is not None:
        stored = attempt(partial(store_frame, project_id=project.id, name=name or default_name,
                                 frame=prepared.frame, source=f"upload:{upload.name}", actor=state.actor(),
                                 note="; ".join(prepared.notes)))
        report_stored(stored)


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
