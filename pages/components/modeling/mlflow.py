"""Send chosen runs to an MLflow tracking store: a folder on this computer or the team's server."""

from functools import partial

import streamlit as st

from pages.components import state
from pages.components.feedback import attempt
from pages.components.text import plain
from storage.modeling.mlflow_export import INSTALL_COMMAND, SentRuns, mlflow_available, send_runs_to_mlflow
from storage.modeling.runs import run_label
from storage.modeling.tables import Run


def mlflow_section(project_id: int, runs: dict[int, Run]) -> None:
    """Offer the finished runs to MLflow, or say how to install MLflow's client when it is missing."""
    with st.expander("Send runs to MLflow", icon=":material/cloud_upload:", key="exp.mlflow.open", on_change="rerun"):
        if not mlflow_available():
            st.info("Sending runs to MLflow needs MLflow's client, which is optional and not installed here. "
                    "Install it into the app's environment, then start the app again:", icon=":material/info:")
            st.code(INSTALL_COMMAND, language="bash")
            return
        finished = {i: r for i, r in runs.items() if r.status == "finished"}
        if not finished:
            st.caption("No finished run yet: train one in the Train tab.")
            return
        st.caption("Each run goes to the experiment named after the project: its config as parameters, its "
                   "metrics (train, dev, per slice, timings), tags and notes, the dataset version and label "
                   "snapshot as inputs, and the model's skops file with its loading text as artifacts.")
        chosen = st.multiselect("Runs", list(finished), key="exp.mlflow.runs",
                                format_func=lambda i: f"{run_label(finished[i])} · {finished[i].model}")
        where = st.text_input("MLflow store: a folder, or a server address", key="exp.mlflow.where",
                              placeholder="~/mlruns  or  http://localhost:5000")
        if st.button("Send to MLflow", key="exp.mlflow.send", icon=":material/send:"):
            with st.spinner("Sending the runs…"):
                sent = attempt(partial(send_runs_to_mlflow, run_ids=chosen, project_id=project_id, where=where,
                                       actor=state.actor()))
            if sent is not None:
                _sent(sent)


def _sent(sent: SentRuns) -> None:
    runs = ", ".join(label for label, _ in sent.runs)
    st.success(f"Sent {runs} to the experiment “{plain(sent.experiment)}” at {plain(sent.uri)}.",
               icon=":material/check_circle:")
    if sent.uri.startswith("file:"):
        st.caption("MLflow 3 reads a folder store only with MLFLOW_ALLOW_FILE_STORE set; to browse it:")
        st.code(f"MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri {sent.uri}", language="bash")
