"""Label errors through AppTest: found on request and stored, listed again from the database, kept in order
while corrections are accepted (then marked stale), bulk accept, and scans refused on bad labels."""

import pandas as pd
import pytest
from cleanlab.filter import find_label_issues as cleanlab_find_label_issues
from sqlmodel import select
from streamlit.testing.v1 import AppTest

import pages.components.labeling.issues as issues_section
from core.data.splits import make_splits
from storage.data import datasets
from storage.db import session_scope
from storage.labeling import labels, scans
from storage.labeling.tables import LabelErrorScan
from storage.project import projects
from tests.pages.conftest import APP, read, texts
from tests.pages.test_labeling import open_page, with_split
from tests.storage.factories import small_frame

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

TABLE = "lab.issue_table"


@pytest.fixture
def digits(engine):
    dataset, _, _ = with_split(engine, "Demo: Handwritten digits", "Digits")
    return dataset


@pytest.fixture
def fits(monkeypatch):
    """Count the cross-validations the page runs."""
    calls = []
    real = issues_section.out_of_fold_probabilities

    def counted(*args, **kwargs):
        calls.append((args[1], real(*args, **kwargs)))  # (labels, probabilities)
        return calls[-1][1]

    monkeypatch.setattr(issues_section, "out_of_fold_probabilities", counted)
    return calls


def issue_table(at):
    return next(d.value for d in at.dataframe if "status" in d.value.columns)


def decisions(engine, dataset):
    made = read(engine, lambda s: labels.label_history(s, dataset.id))
    return made[made["source"] == "label_issue"]


def stored(engine, dataset):
    return read(engine, lambda s: scans.stored_scan(s, dataset.id))


def test_nothing_is_computed_until_the_button_is_pressed(app, engine, digits, fits):
    at = open_page(app, "Label errors")
    assert not at.exception and "Press Find label errors" in texts(at.info).replace("*", "")
    assert not fits and not [b for b in at.button if b.key == "lab.issue_accept_all"]
    assert stored(engine, digits) is None


def test_a_scan_is_stored_with_cleanlabs_rows_and_listed_again_after_a_page_switch(app, engine, digits, fits):
    at = open_page(app, "Label errors").button(key="lab.find_issues").click().run()
    [(given, probs)] = fits
    codes = pd.Categorical(given.loc[probs.index], categories=list(probs.columns)).codes
    expected = set(probs.index[cleanlab_find_label_issues(codes, probs.to_numpy())])
    scan = stored(engine, digits)
    assert set(scan.table.index) == expected and scan.n_checked == len(probs)
    assert {m.label: m.value for m in at.metric}["Flagged"] == f"{len(expected):,} of {len(probs):,} training rows"
    assert list(issue_table(at).index) == list(scan.table.index[:50])
    assert not at.warning and "Scan of" in texts(at.caption) and "5 folds, seed 0" in texts(at.caption)
    events = read(engine, lambda s: projects.list_events(s, digits.project_id))
    assert f"Label errors: {len(expected)} flagged of {len(probs):,} checked" in list(events["what"])
    at = at.switch_page("pages/2_datasets.py").run()
    at = open_page(at, "Label errors")
    assert list(issue_table(at).index) == list(scan.table.index[:50])
    fresh = open_page(AppTest.from_file(APP, default_timeout=60), "Label errors")  # a new tab: a new session
    assert list(issue_table(fresh).index) == list(scan.table.index[:50]) and len(fits) == 1


def test_pressing_find_again_on_unchanged_labels_says_so_and_stores_no_second_scan(app, engine, digits, fits):
    at = open_page(app, "Label errors").button(key="lab.find_issues").click().run()
    first = stored(engine, digits)
    at = at.button(key="lab.find_issues").click().run()
    assert not at.exception and len(fits) == 1  # not cross-validated again
    assert "Nothing changed since the scan of" in texts(at.info) and "same labels, split, folds and seed" in texts(at.info)
    assert read(engine, lambda s: len(s.exec(select(LabelErrorScan)).all())) == 1
    events = read(engine, lambda s: projects.list_events(s, digits.project_id))
    assert sum(str(what).startswith("Label errors:") for what in events["what"]) == 1
    assert list(issue_table(at).index) == list(first.table.index[:50])
    at.number_input(key="lab.issue_seed").set_value(1)
    at = at.run().button(key="lab.find_issues").click().run()  # another seed is another look
    assert len(fits) == 2 and read(engine, lambda s: len(s.exec(select(LabelErrorScan)).all())) == 2
    assert "5 folds, seed 1" in texts(at.caption)


def test_accepting_a_correction_keeps_the_list_and_its_order_until_asked_again(app, engine, digits, fits):
    at = open_page(app, "Label errors").button(key="lab.find_issues").click().run()
    first, first_hash = issue_table(at), stored(engine, digits).labels_hash
    assert len(fits) == 1 and len(first) == 50 and set(first["status"]) == {"open"}
    assert first["self_confidence"].is_monotonic_increasing
    row_id = int(first.index[3])
    at.selectbox(key="lab.issue_row").set_value(row_id)
    at = at.run().button(key="lab.issue_accept").click().run()
    after = issue_table(at)
    assert len(fits) == 1, "accepting must not cross-validate again"
    assert list(after.index) == list(first.index)  # same rows, same order
    assert after.at[row_id, "status"] == f"corrected to {first.at[row_id, 'suggested']}"
    assert "Stale: labels changed since this scan (1 of its rows corrected here)" in texts(at.warning).replace("*", "")
    made = decisions(engine, digits)
    assert list(made["row_id"]) == [row_id] and list(made["value"]) == [str(first.at[row_id, "suggested"])]
    at = at.button(key="lab.find_issues").click().run()
    assert len(fits) == 2 and row_id not in issue_table(at).index  # recomputed on request: the fixed row is gone
    assert not at.warning and stored(engine, digits).labels_hash != first_hash  # a new scan, of the current labels


def test_bulk_accept_takes_the_open_rows_under_the_threshold_and_top_k(app, engine, digits, fits):
    at = open_page(app, "Label errors").button(key="lab.find_issues").click().run()
    at.number_input(key="lab.issue_top").set_value(5)
    at.slider(key="lab.issue_threshold").set_value(0.05)
    at = at.run()
    shown = issue_table(at)
    assert len(shown) <= 5 and (shown["self_confidence"] <= 0.05).all()
    at = at.button(key="lab.issue_accept_all").click().run()
    assert f"{len(shown)} corrections accepted" in texts(at.success)
    made = decisions(engine, digits).set_index("row_id")["value"]
    assert made.to_dict() == {int(r): str(v) for r, v in shown["suggested"].items()}
    assert set(issue_table(at)["status"]) == {f"corrected to {v}" for v in shown["suggested"]}
    assert not [b for b in at.button if b.key == "lab.issue_accept_all"] and len(fits) == 1


def project_with(engine, frame: pd.DataFrame):
    """Return a project's version of `frame` (target y) with a random split."""
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Odd labels")
        dataset = datasets.add_dataset_version(s, project_id=project.id, name="d", frame=frame, source="test",
                                               roles={"target": "y"})
        datasets.save_split(s, dataset_id=dataset.id, strategy="random", seed=0, fractions=(0.7, 0.15, 0.15),
                            assignment=make_splits(frame, strategy="random", target="y"))
        return dataset


@pytest.mark.parametrize("labels_given, expected", [
    ("one class", "All labeled training rows have the same label"),
    ("no label", "No training row has a label yet"),
])
def test_a_scan_on_labels_it_cannot_check_says_why_and_stores_nothing(app, engine, labels_given, expected):
    frame = small_frame(60).assign(y=1 if labels_given == "one class" else None)
    dataset = project_with(engine, frame)
    at = open_page(app, "Label errors").button(key="lab.find_issues").click().run()
    assert not at.exception and expected in texts(at.error)
    assert stored(engine, dataset) is None
    events = read(engine, lambda s: projects.list_events(s, dataset.project_id))
    assert not [e for e in events["what"] if e.startswith("Label errors")]


def test_a_newer_split_marks_the_stored_scan_stale(app, engine, digits, fits):
    at = open_page(app, "Label errors").button(key="lab.find_issues").click().run()
    assert not at.warning
    with session_scope(engine) as s:
        frame = datasets.load_frame(s, digits.id)
        datasets.save_split(s, dataset_id=digits.id, strategy="random", seed=1, fractions=(0.7, 0.15, 0.15),
                            assignment=make_splits(frame, strategy="random", target=digits.roles["target"], random_state=1))
    at = at.run()
    assert "Stale: the version has a newer split than this scan" in texts(at.warning).replace("*", "")
    assert len(issue_table(at)) == 50 and len(fits) == 1  # still listed, not recomputed
