"""Label errors through AppTest: found on request, kept in order while corrections are accepted, bulk accept."""

import pytest

import pages.components.labeling.issues as issues_section
from storage.labeling import labels
from tests.pages.conftest import read, texts
from tests.pages.test_labeling import open_page, with_split

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
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(issues_section, "out_of_fold_probabilities", counted)
    return calls


def issue_table(at):
    return next(d.value for d in at.dataframe if "status" in d.value.columns)


def decisions(engine, dataset):
    made = read(engine, lambda s: labels.label_history(s, dataset.id))
    return made[made["source"] == "label_issue"]


def test_nothing_is_computed_until_the_button_is_pressed(app, digits, fits):
    at = open_page(app, "Label errors")
    assert not at.exception and "Press Find label errors" in texts(at.info).replace("*", "")
    assert not fits and not [b for b in at.button if b.key == "lab.issue_accept_all"]


def test_accepting_a_correction_keeps_the_list_and_its_order_until_asked_again(app, engine, digits, fits):
    at = open_page(app, "Label errors").button(key="lab.find_issues").click().run()
    first = issue_table(at)
    assert len(fits) == 1 and len(first) == 50 and set(first["status"]) == {"open"}
    assert first["self_confidence"].is_monotonic_increasing
    row_id = int(first.index[3])
    at.selectbox(key="lab.issue_row").set_value(row_id)
    at = at.run().button(key="lab.issue_accept").click().run()
    after = issue_table(at)
    assert len(fits) == 1, "accepting must not cross-validate again"
    assert list(after.index) == list(first.index)  # same rows, same order
    assert after.at[row_id, "status"] == f"corrected to {first.at[row_id, 'suggested']}"
    assert "Labels changed since this list was found (1 corrections accepted here)" in texts(at.caption).replace("*", "")
    stored = decisions(engine, digits)
    assert list(stored["row_id"]) == [row_id] and list(stored["value"]) == [str(first.at[row_id, "suggested"])]
    at = at.button(key="lab.find_issues").click().run()
    assert len(fits) == 2 and row_id not in issue_table(at).index  # recomputed on request: the fixed row is gone


def test_bulk_accept_takes_the_open_rows_under_the_threshold_and_top_k(app, engine, digits, fits):
    at = open_page(app, "Label errors").button(key="lab.find_issues").click().run()
    at.number_input(key="lab.issue_top").set_value(5)
    at.slider(key="lab.issue_threshold").set_value(0.05)
    at = at.run()
    shown = issue_table(at)
    assert len(shown) <= 5 and (shown["self_confidence"] <= 0.05).all()
    at = at.button(key="lab.issue_accept_all").click().run()
    assert f"{len(shown)} corrections accepted" in texts(at.success)
    stored = decisions(engine, digits).set_index("row_id")["value"]
    assert stored.to_dict() == {int(r): str(v) for r, v in shown["suggested"].items()}
    assert set(issue_table(at)["status"]) == {f"corrected to {v}" for v in shown["suggested"]}
    assert not [b for b in at.button if b.key == "lab.issue_accept_all"] and len(fits) == 1
