"""Labeling benchmarks: label-issue detection against cleanlab, and a labeling click on a 100k-row project."""

from __future__ import annotations

import gc
import os
import statistics
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
ISSUE_ROWS = 1_000_000
ISSUE_CLASSES = 10
ISSUE_REPEATS = 5
ISSUE_SEED = 20_240_601
RERUN_ROWS = 100_000
RERUN_CLICKS = 15
# The anchor: a page of this app that draws the frame (sidebar, project, stage marks) and nothing else.
EMPTY_PAGE = 'from pages.components.frame import page_setup\n\npage_setup("Empty")\n'

NOTES = [
    f"- label issues: {ISSUE_ROWS:,} rows × {ISSUE_CLASSES} classes of softmax probabilities with 10% of the "
    f"labels redrawn at random (seed {ISSUE_SEED}); `core.labeling.confident_learning.find_label_issues` and "
    "`cleanlab.filter.find_label_issues` (default filter, its default n_jobs) alternate in one process on the "
    f"same arrays, median of {ISSUE_REPEATS}; the two flagged sets are checked to be identical.",
    f"- labeling rerun: AppTest, a loan_approval project of {RERUN_ROWS:,} rows with a planned batch; the time "
    "from clicking a class button to the next item drawn, vs a rerun of an empty page of the app (the frame "
    f"only: sidebar, open project, stage marks), alternating in one process, median of {RERUN_CLICKS}.",
]


def issue_problem(rows: int = ISSUE_ROWS, classes: int = ISSUE_CLASSES, *, random_state: int = ISSUE_SEED):
    """Return (labels, probabilities): a seeded noisy classification problem."""
    rng = np.random.default_rng(random_state)
    logits = rng.normal(size=(rows, classes)) * 2
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    labels = probs.argmax(axis=1)
    redrawn = rng.random(rows) < 0.1
    labels[redrawn] = rng.integers(0, classes, redrawn.sum())
    return labels, probs


def _timed(function, *args) -> tuple[float, np.ndarray]:
    gc.collect()
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def bench_label_issues(row_type):
    """Return the results row: our confident learning vs cleanlab's on the same probabilities."""
    from cleanlab.filter import find_label_issues as cleanlab_find

    from core.labeling.confident_learning import find_label_issues

    labels, probs = issue_problem()
    ours, theirs = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(ISSUE_REPEATS):
            seconds, mine = _timed(find_label_issues, labels, probs)
            ours.append(seconds)
            seconds, reference = _timed(cleanlab_find, labels, probs)
            theirs.append(seconds)
            if not np.array_equal(mine, reference):
                raise AssertionError("the flagged sets differ from cleanlab's")
    mine_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    return row_type(
        f"label issues: {ISSUE_ROWS:,} rows × {ISSUE_CLASSES} classes, same flagged set "
        f"({int(mine.sum()):,} rows) (core.labeling.confident_learning vs cleanlab.filter.find_label_issues)",
        f"{mine_s:.3f}", f"{theirs_s:.3f}", mine_s / theirs_s, 0.25, "—", tuple(ours), tuple(theirs))


def _labeling_project(workdir: Path) -> None:
    """Store a 100k-row loan project with a planned batch in the database the app will open."""
    from pages.components.data.intake import store_scenario
    from storage.labeling import batches as label_batches, quality as label_quality
    from storage.project import projects
    from storage.db import make_engine, session_scope

    engine = make_engine()
    with session_scope(engine) as session:
        project = projects.create_project(session, name="Bench labeling", source="loan_approval")
        stored = store_scenario(session, project_id=project.id, scenario_name="loan_approval", actor="bench",
                                n_rows=RERUN_ROWS)
        pool = label_quality.unlabeled_pool(session, dataset_id=stored.dataset.id,
                                            row_ids=_row_ids(session, stored.dataset.id), given=None)
        label_batches.plan_batch(session, dataset_id=stored.dataset.id, pool=pool, size=200, strategy="random",
                                 labelers=["analyst"], overlap=0.0, actor="bench")
    engine.dispose()


def _row_ids(session, dataset_id):
    from storage.labeling.labels import row_ids

    return row_ids(session, dataset_id)


def _app_copy_with_empty_page(workdir: Path) -> Path:
    """Return a copy of the app's scripts with one more page that draws only the frame."""
    import shutil

    app_dir = workdir / "app"
    shutil.copytree(REPO_ROOT / "pages", app_dir / "pages", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO_ROOT / "app.py", app_dir / "app.py")
    (app_dir / "pages" / "99_empty.py").write_text(EMPTY_PAGE)
    return app_dir


def bench_labeling_rerun(row_type):
    """Return the results row: a click on the Labeling page vs a rerun of a title-only page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    with tempfile.TemporaryDirectory(prefix="workbench-bench-") as tmp:
        os.environ["WORKBENCH_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'labeling.db'}"
        st.cache_resource.clear()
        _labeling_project(Path(tmp))
        app_dir = _app_copy_with_empty_page(Path(tmp))
        app = AppTest.from_file(str(app_dir / "app.py"), default_timeout=120).run()
        app = app.switch_page("pages/3_labeling.py").run()
        empty = AppTest.from_file(str(app_dir / "app.py"), default_timeout=120).run()
        empty = empty.switch_page("pages/99_empty.py").run()
        ours, theirs = [], []
        for _ in range(RERUN_CLICKS):
            start = time.perf_counter()
            app = app.button(key="lab.class.0").click().run()
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            empty = empty.run()
            theirs.append(time.perf_counter() - start)
        if app.exception or app.error or empty.exception:
            raise AssertionError(f"a page failed: {[e.value for e in app.error]}")
        st.cache_resource.clear()
    mine_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    return row_type(
        f"labeling rerun: next item after a click on a {RERUN_ROWS:,}-row project (Labeling page vs an empty page with the frame only, AppTest)",
        f"{mine_s:.3f}", f"{theirs_s:.3f}", mine_s / theirs_s, 3.0, "—", tuple(ours), tuple(theirs))
