"""The Runs tab: every run in a sortable table, one run in detail, notes and tags, and the test-split look."""

from functools import partial

import pandas as pd
import streamlit as st

from core.modeling.evaluation import WARM_UP_CALLS, slice_table
from core.modeling.leakage import Reference, far_above_references
from core.modeling.catalog import MODELS
from core.modeling.charts import confusion_chart, learning_curve_chart
from core.modeling.training import TrainingConfig
from pages.components import state
from pages.components.classes import project_class_names
from pages.components.explain import caption_why, why
from pages.components.modeling.download import run_downloads_section
from pages.components.modeling import launch
from pages.components.modeling.train import prepare
from pages.components.counts import greyed, minimum_rows
from pages.components.feedback import attempt
from pages.components.resources import dataset_frame, db_session
from storage.baselines.records import list_baselines
from pages.components.text import plain
from storage.data.datasets import split_name
from storage.data.tables import Dataset
from storage.modeling.tables import Run, TestLook
from storage.modeling.execution import evaluate_on_test
from storage.modeling.runs import run_label, update_run_notes
from storage.scoping.positive import chosen_positive

SCORE = st.column_config.NumberColumn(format="%.4f")
BUSY_LATENCY = (
    "The machine was busy while latency was measured (the app got {share:.0%} of a CPU core while it "
    "asked for one; a load of {load:.1f} processes per core, where over 1 means work waited for a core): "
    "p50 and p95 are likely too high. Train again when the machine is quiet before judging the latency "
    "against a target."
)
BUSY_HELP = "Other work held the CPU while latency was measured, so p50 and p95 are likely too high."
TEST_WARNING = (
    "The test split is held back to estimate how the chosen model will do on new data. Every look is "
    "logged and counted: choosing between runs by their test score turns it into a second dev set."
)


def runs_table(table: pd.DataFrame, *, show_archived: bool = False) -> None:
    """Show the runs table: metrics, timings, one column per hyperparameter, tags; notes stay searchable only."""
    config = {column: st.column_config.NumberColumn(format="%.4f", help=why(column)) for column in (
        "accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "train_accuracy")}
    config |= {"fit_seconds": st.column_config.NumberColumn("fit (s)", format="%.2f", help=why("fit_seconds")),
               "p95_latency_ms": st.column_config.NumberColumn("p95 latency (ms)", format="%.2f",
                                                               help=why("latency_p95")),
               "latency_calls": st.column_config.NumberColumn("p95 from calls", format="%d"),
               "busy_while_timed": st.column_config.CheckboxColumn("machine busy", help=BUSY_HELP),
               "model_mb": st.column_config.NumberColumn("model (MB)", format="%.2f", help=why("model_size")),
               "created": st.column_config.DatetimeColumn("created (UTC)", format="YYYY-MM-DD HH:mm")}
    hidden = {"notes"} | (set() if show_archived else {"archived"})
    st.dataframe(table, width="stretch", column_config=config, key="exp.runs_table",
                 column_order=[c for c in table.columns if c not in hidden])
    st.caption("Dev-split metrics, then the hyperparameters each run was trained with.")


def run_details(project_id: int, run: Run, runs: dict[int, Run], datasets: dict[int, Dataset],
                looks: list[TestLook]) -> None:
    model = plain(MODELS[run.model].label if run.model in MODELS else run.model)
    st.markdown(f"**{run_label(run)}** · {model} · {plain(run.status)}")
    if run.status == "failed":
        st.error(f"This run failed: {plain(run.error)}", icon=":material/error:")
    elif run.status == "cancelled":
        st.info("This run was cancelled before it finished.")
    elif run.status == "running":
        st.info("This run is training; its progress shows at the top of the page.")
    if run.status == "finished":
        scores(run)
        leakage_warnings(run)
        charts(run)
        test_split(project_id, run, datasets, [look for look in looks if look.run_id == run.id])
        run_downloads_section(project_id, run)
    provenance(run, runs.get(run.parent_run_id), datasets)
    notes_form(project_id, run)
    if run.status != "running":
        train_again(run, datasets.get(run.dataset_id))


def scores(run: Run) -> None:
    dev, train = run.metrics.get("dev", {}), run.metrics.get("train", {})
    shown = [("Accuracy", "accuracy"), ("Balanced accuracy", "balanced_accuracy"), ("F1", "f1"),
             ("ROC-AUC", "roc_auc"), ("Log loss", "log_loss")]
    columns = st.columns(len(shown) + 1)
    for column, (label, key) in zip(columns, shown):
        column.metric(f"{label} (dev)", _number(dev.get(key)), help=why(key))
    columns[-1].metric("Accuracy (train)", _number(train.get("accuracy")),
                       help=why("train_accuracy", "On up to 20,000 training rows; far above dev means overfitting."))
    timing = st.columns(4)
    timing[0].metric("Fit time", f"{run.timings.get('fit_seconds', 0):.2f} s", help=why("fit_seconds"))
    timing[1].metric("Latency p50", f"{run.timings.get('latency_p50_ms', 0):.2f} ms",
                     help=why("latency_p50", "One row at a time."))
    timing[2].metric("Latency p95", f"{run.timings.get('latency_p95_ms', 0):.2f} ms",
                     help=why("latency_p95", "One row at a time."))
    timing[3].metric("Model size", f"{run.model_size / 1024:,.0f} KB", help=why("model_size"))
    latency_note(run.timings)
    for warning in run.details.get("warnings", []):
        st.warning(f"While training: {plain(warning)}")


def leakage_warnings(run: Run) -> None:
    """Show the data warnings made before training, and one when dev is far above every stored baseline."""
    checks = run.details.get("data_checks", {})
    for message in checks.get("warnings", []):
        st.warning(f"Before training: {plain(message)}", icon=":material/policy:")
    with db_session() as session:
        stored = list_baselines(session, run.project_id, dataset_id=run.dataset_id) if run.dataset_id else []
    references = [Reference(b.name, b.kind, b.metrics) for b in stored]
    found = far_above_references(run.metrics.get("dev", {}), references, checks.get("scores", {}))
    if found is not None:
        st.warning(found.message, icon=":material/policy:")


def latency_note(timings: dict) -> None:
    """Say how many calls the latency rests on, and warn when the machine was busy while it was measured."""
    calls = timings.get("latency_calls")
    if calls is None:
        st.caption("Latency: the number of calls behind it was not recorded for this run.")
        return
    st.caption(f"Latency p50 and p95 from {calls:,} single-row calls after {WARM_UP_CALLS} warm-up calls.",
               help="Fewer than 100 calls only when the calls took over 10 seconds in all.")
    if timings.get("latency_busy"):
        st.warning(BUSY_LATENCY.format(share=timings.get("latency_cpu_share", 0),
                                       load=timings.get("latency_load_per_core", 0)), icon=":material/speed:")


def _number(value) -> str:
    return "—" if value is None else f"{value:.4f}"


def charts(run: Run) -> None:
    dev, names = run.details.get("dev", {}), project_class_names(run.project_id)
    left, right = st.columns(2)
    confusion = dev.get("confusion")
    if confusion:
        labels = names.show_all(confusion["labels"])
        left.plotly_chart(confusion_chart(pd.DataFrame(confusion["matrix"], index=labels, columns=labels)),
                          key=f"exp.confusion.{run.id}")
        with left:
            caption_why("confusion_matrix")
    right.markdown("**Per class (dev)**")
    right.dataframe(names.relabel(pd.DataFrame(dev.get("per_class", {})).T, index=True), width="stretch",
                    column_config={c: st.column_config.NumberColumn(format="%.4f", help=why("per_class_scores"))
                                   for c in ("precision", "recall", "f1")})
    slices_view(run)
    curve = run.details.get("learning_curve")
    if curve:
        st.plotly_chart(learning_curve_chart(pd.DataFrame(curve)), key=f"exp.curve.{run.id}")
        st.caption("Dev score still rising at the right: more data would likely help. Flat and far below train: "
                   "the model overfits; flat and close to train: it underfits, so try a more flexible model.")
    if run.details.get("cv"):
        folds = pd.DataFrame(run.details["cv"]).set_index("fold")
        summary = run.details["cv_summary"]["balanced_accuracy"]
        st.markdown(f"**Cross-validation on the train split** — balanced accuracy {summary['mean']:.4f} "
                    f"± {summary['std']:.4f} (mean ± standard deviation over the folds)")
        st.dataframe(folds, width="stretch", column_config={c: SCORE for c in folds.columns})
        caption_why("cross_validation")


def slices_view(run: Run) -> None:
    if slice_table(run.metrics.get("dev", {})).empty:
        return
    st.markdown("**Per slice (dev)** — each value of the sensitive columns and of columns a slice target names")
    minimum = minimum_rows(f"exp.min_rows.{run.id}")
    slices = slice_table(run.metrics.get("dev", {}), min_rows=minimum)
    st.dataframe(greyed(slices), width="stretch", key=f"exp.slices.{run.id}",
                 column_config={**{c: SCORE for c in slices.columns}, "n_rows": st.column_config.NumberColumn(
                     "rows", format="%d"), "note": st.column_config.TextColumn("note")})
    st.caption(f"Slices with fewer than {minimum:,} dev rows are greyed and flagged: their scores swing widely.")
    caption_why("slice_scores")


def test_split(project_id: int, run: Run, datasets: dict[int, Dataset], looks: list[TestLook]) -> None:
    with st.container(border=True):
        st.markdown("**Test split**")
        st.caption(TEST_WARNING)
        if looks:
            st.markdown(f"Latest look at this run's test score ({looks[0].t:%Y-%m-%d %H:%M} UTC):")
            metrics = looks[0].metrics
            for column, key in zip(st.columns(4), ("accuracy", "balanced_accuracy", "f1", "roc_auc")):
                column.metric(f"{key} (test)", _number(metrics.get(key)), help=why("test_metrics"))
        dataset = datasets.get(run.dataset_id)
        if st.button("Evaluate on the test split", key="exp.test_look", icon=":material/visibility:",
                     disabled=dataset is None):
            frame = dataset_frame(dataset.content_hash, dataset.id)
            look = attempt(partial(evaluate_on_test, project_id=project_id, run_id=run.id, actor=state.actor(),
                                   frame=frame))
            if look is not None:
                state.flash(f"Evaluated {run_label(run)} on the test split; the look is logged.")
                st.rerun()


def provenance(run: Run, parent: Run | None, datasets: dict[int, Dataset]) -> None:
    with st.expander("Data, config and code version"):
        dataset = datasets.get(run.dataset_id)
        parent = f" · parent {run_label(parent)}" if parent is not None else ""
        with db_session() as session:
            split = split_name(session, run.split_id)
        st.markdown(plain(f"Dataset: {dataset.name + ' v' + str(dataset.version) if dataset else '(deleted)'} · "
                          f"{split} · code {run.code_version} · trigger {run.trigger}{parent} · by {run.actor}"))
        st.text(f"dataset content hash  {run.dataset_hash}\nlabels snapshot hash  {run.labels_hash}")
        st.json(run.config)
        features = run.details.get("features", {})
        if features:
            st.markdown(f"Learned from {len(features['numeric'])} numeric and {len(features['categorical'])} "
                        "categorical columns. Left out:")
            st.dataframe(pd.Series(features["excluded"], name="why").rename_axis("column"), width="stretch")


def train_again(run: Run, dataset: Dataset | None) -> None:
    """A new run with this run's config on the dataset's current labels and split, linked to this one.

    It starts with empty notes and tags: they describe the run they were written for.
    """
    pending, prepared = launch.ready_launch(
        launch.pending_launch(parent_run_id=run.id) if dataset is not None else None,
        lambda: prepare(dataset, dataset_frame(dataset.content_hash, dataset.id), retrain_config(run, dataset)))
    launch.launch_button(st, "Train again with this config", "exp.retrain", dataset_id=run.dataset_id,
                         parent_run_id=run.id, icon=":material/replay:", disabled=dataset is None,
                         help="Uses the current labels and latest split of the same dataset version; the new run "
                              "records this one as its parent.")
    if pending is not None:
        launch.carry_out(pending, prepared, st.empty(), trigger="re-run")


def retrain_config(run: Run, dataset: Dataset) -> TrainingConfig:
    """Return the run's config, scored with the project's positive class as it is now."""
    with db_session() as session:
        positive = chosen_positive(session, project_id=run.project_id, target=dataset.roles.get("target"))
    return TrainingConfig.from_dict({**run.config, "positive_class": positive})


def notes_form(project_id: int, run: Run) -> None:
    with st.form(f"exp.notes_form.{run.id}", border=False):
        notes = st.text_area("Notes", value=run.notes, key=f"exp.run_notes.{run.id}", max_chars=2000)
        tags = st.text_input("Tags (comma-separated)", value=", ".join(run.tags), key=f"exp.run_tags.{run.id}")
        if st.form_submit_button("Save notes and tags", key=f"exp.save_notes.{run.id}"):
            saved = attempt(partial(update_run_notes, run_id=run.id, project_id=project_id, notes=notes,
                                    tags=tags.split(","), actor=state.actor()))
            if saved is not None:
                state.flash(f"Saved the notes of {run_label(run)}.")
                st.rerun()
