import json
import pandas as pd
import pytest
from sklearn import metrics as sk
from sklearn.dummy import DummyClassifier

from core.baselines.table import INTERVAL
from core.slicing import slice_order, slice_values
from core.data.splits import make_splits
from pages.components.data.intake import store_scenario
from storage.baselines import records as baselines
from storage.data import datasets
from storage.project import projects
from storage.db import session_scope
from storage.scoping.records import add_target
from core.scoping.targets import parse_target
from storage.baselines.old_models import MAX_NAME_LENGTH
from tests.pages.conftest import open_tab, read, texts

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

BASELINES_PAGE = "pages/4_baselines.py"


@pytest.fixture
def loan(engine):
    """A loan-approval project with a stratified split and two scoping targets."""
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Loans", source="loan_approval")
        dataset = store_scenario(s, project_id=project.id, scenario_name="loan_approval", actor="t", n_rows=1000).dataset
        frame = datasets.load_frame(s, dataset.id)
        split = make_splits(frame, strategy="stratified", target="approved", time_column=None,
                            fractions=(0.7, 0.15, 0.15), random_state=0)
        datasets.save_split(s, dataset_id=dataset.id, assignment=split, strategy="stratified", seed=0,
                            fractions=(0.7, 0.15, 0.15))
        for text in ("accuracy >= 0.55", "recall[sex=F] >= 0.8"):
            add_target(s, project_id=project.id, target=parse_target(text))
        return {"project_id": project.id, "dataset_id": dataset.id, "frame": frame, "split": split}


def open_page(app):
    return app.run().switch_page(BASELINES_PAGE).run()


def stored(engine, project_id):
    return read(engine, lambda s: baselines.list_baselines(s, project_id))


def test_without_a_dataset_the_page_says_what_is_missing(app, engine):
    with session_scope(engine) as s:
        projects.create_project(s, name="Empty")
    at = open_page(app)
    assert not at.exception
    assert "choose its target column first" in texts(at.info)


def test_compute_dummies_equal_sklearn_and_show_against_targets(app, engine, loan):
    at = open_page(app)
    assert "No baselines yet" in texts(at.info)
    at = at.button(key="bl.compute").click().run()
    assert not at.exception
    assert "Computed 4 baselines on the dev split." in texts(at.success)
    assert "Dummy, simple-model and old-model baselines are scored on the dev split." in texts(at.caption)
    assert "Human-level performance" not in texts(at.caption)
    rows = {b.name: b for b in stored(engine, loan["project_id"])}
    frame, split = loan["frame"], loan["split"]
    train, dev = frame[split == "train"], frame[split == "dev"]
    for name, strategy in [("Most frequent class", "most_frequent"), ("Stratified random guess", "stratified"),
                           ("Class prior", "prior")]:
        model = DummyClassifier(strategy=strategy, random_state=0).fit(train[["income"]], train["approved"])
        predicted = model.predict(dev[["income"]])
        assert rows[name].metrics["accuracy"] == pytest.approx(sk.accuracy_score(dev["approved"], predicted))
        assert rows[name].metrics["balanced_accuracy"] == pytest.approx(sk.balanced_accuracy_score(dev["approved"], predicted))
        assert rows[name].metrics["f1_macro"] == pytest.approx(sk.f1_score(dev["approved"], predicted, average="macro"))
    table = at.dataframe[0].value
    assert list(table["baseline"]) == list(rows)
    shown = table.set_index("baseline")["Accuracy"]
    assert shown["Most frequent class"] == f"{rows['Most frequent class'].metrics['accuracy']:.3f}"
    assert table.set_index("baseline").loc["Class prior", "ROC-AUC"] == "0.500"
    against = at.dataframe[1].value.set_index("baseline")  # a row per baseline, a column per target
    assert list(against.index) == list(rows)
    majority = rows["Most frequent class"].metrics["accuracy"]
    assert against.loc["Most frequent class", "accuracy >= 0.55"] == f"{majority:.3f} {'✓' if majority >= 0.55 else '✗'}"
    female_recall = rows["Logistic regression"].slices["sex"]["F"]["metrics"]["recall"]
    assert against.loc["Logistic regression", "recall[sex=F] >= 0.8"].startswith(f"{female_recall:.3f}")
    widths = {name: c.get("width") for name, c in json.loads(at.dataframe[1].proto.columns).items()}
    shown = against.reset_index()
    assert all(widths[c] >= 6 * max(len(c), *shown[c].str.len()) for c in shown.columns)  # no text is cut off


def test_add_a_literature_baseline_and_refuse_a_bad_one(app, engine, loan):
    at = open_page(app)
    at.text_input(key="bl.lit_value").input("91%")
    at.text_input(key="bl.lit_citation").input("Smith et al. 2020")
    at = at.button(key="bl.lit_add").click().run()
    assert "is not a number" in texts(at.error)
    assert stored(engine, loan["project_id"]) == []
    at.text_input(key="bl.lit_value").input("0.91")
    at = at.button(key="bl.lit_add").click().run()
    assert not at.exception
    assert "Added the literature baseline" in texts(at.success)
    (row,) = stored(engine, loan["project_id"])
    assert (row.kind, row.metrics, row.citation) == ("literature", {"accuracy": 0.91}, "Smith et al. 2020")
    assert "Literature" in list(at.dataframe[0].value["kind"])


def predictions_csv(rows: pd.Series, *, extra: str = "") -> bytes:
    lines = ["row_id,prediction,probability"] + [f"{i},{v},0.8" for i, v in rows.items()]
    return ("\n".join(lines) + "\n" + extra).encode()


def upload(at, name, data, label="Vendor model"):
    at.text_input(key="bl.upload_name").input(label)
    at.get("file_uploader")[0].set_value((name, data, "text/csv"))
    return at.button(key="bl.upload").click().run()  # a form sends its widgets' values on submit


def test_an_unnamed_upload_is_named_by_its_file_cut_to_what_a_baseline_name_holds(app, engine, loan):
    frame, split = loan["frame"], loan["split"]
    file_name = "vendor-" + "p" * 150 + ".csv"  # longer than a baseline's name may be (120)
    at = upload(open_page(app), file_name, predictions_csv(frame.loc[split == "dev", "approved"]), label="")
    assert not at.exception
    (row,) = stored(engine, loan["project_id"])
    assert row.name == file_name[:MAX_NAME_LENGTH] and len(row.name) == MAX_NAME_LENGTH


def test_upload_a_good_and_a_bad_predictions_file(app, engine, loan):
    frame, split = loan["frame"], loan["split"]
    dev = frame.loc[split == "dev", "approved"]
    at = upload(open_page(app), "bad.csv", predictions_csv(dev, extra="5000,1,0.7\n"))
    assert not at.exception
    assert "1 row ids are not in this dataset version, for example 5000" in texts(at.error)
    assert stored(engine, loan["project_id"]) == []
    at = upload(at, "classes.csv", predictions_csv(dev.replace({1: "yes"})))
    assert "“yes”, which the target does not have" in texts(at.error)
    wrong = dev.copy()
    wrong.iloc[:10] = 1 - wrong.iloc[:10]
    at.session_state["bl.tab"] = "Old model"
    at = upload(at, "good.csv", predictions_csv(wrong))
    assert "Scored “Vendor model” on the dev split." in texts(at.success)
    assert open_tab(at, "bl.tab") == "Old model"  # the result is on the tab in view, not a hidden one
    (row,) = stored(engine, loan["project_id"])
    assert row.kind == "old_model"
    assert row.metrics["accuracy"] == pytest.approx(sk.accuracy_score(dev, wrong))


def test_legacy_rule_and_marking_the_primary_baseline(app, engine, loan):
    at = open_page(app)
    at = at.button(key="bl.legacy").click().run()
    assert "Scored the legacy rule" in texts(at.success)
    at = at.button(key="bl.compute").click().run()
    rows = {b.name: b for b in stored(engine, loan["project_id"])}
    assert rows["Legacy rule"].kind == "old_model" and "credit_score >= 650" in rows["Legacy rule"].source_note
    assert "No primary baseline yet" in texts(at.caption)
    at.selectbox(key="bl.primary_pick.none").select(rows["Legacy rule"].id)
    at = at.button(key="bl.mark_primary").click().run()
    assert not at.exception
    assert "“Legacy rule” is now the primary baseline." in texts(at.success)
    assert [b.name for b in stored(engine, loan["project_id"]) if b.is_primary] == ["Legacy rule"]
    table = at.dataframe[0].value.set_index("baseline")
    assert table.loc["Legacy rule", "primary"] == "★"
    picker = at.selectbox(key=f"bl.primary_pick.{rows['Legacy rule'].id}.1")
    assert picker.value == rows["Legacy rule"].id  # the picker opens on the primary, and says so
    assert [o for o in picker.options if "★" in o] == ["Old model · Legacy rule ★ primary"]


def test_details_and_delete(app, engine, loan):
    at = open_page(app).button(key="bl.compute").click().run()
    at.selectbox(key="bl.slice_column").select("region")
    at = at.run()
    slices = next(d.value for d in at.dataframe if "region" in d.value.columns)
    assert sorted(slices["region"]) == ["Central", "East", "North", "South", "West"]
    assert slices["rows"].astype(int).sum() == (loan["split"] == "dev").sum()
    at = at.button(key="bl.delete").click().run()
    assert "Deleted the baseline “Most frequent class”." in texts(at.success)
    assert len(stored(engine, loan["project_id"])) == 3


def test_teaching_mode_explains_the_gap_to_hlp_and_no_labels_says_how_to_get_them(app, engine, loan):
    at = open_page(app)
    assert "irreducible" not in texts(at.info)
    assert "Plan a labeling batch with overlap" in texts(at.info)
    at = at.sidebar.toggle(key="nav.teaching").set_value(True).run()
    assert "irreducible error" in texts(at.info) and "not between your model and 100%" in texts(at.info)


def test_a_dataset_without_a_split_is_told_to_make_one(app, engine):
    with session_scope(engine) as s:
        project = projects.create_project(s, name="No split")
        store_scenario(s, project_id=project.id, scenario_name="breast_cancer", actor="t")
    at = open_page(app)
    assert "no train/dev/test split" in texts(at.warning)
    at = at.button(key="bl.compute").click().run()
    assert "Make one in Datasets → Splits first" in texts(at.error)


def test_measure_hlp_from_overlap_labels_and_it_becomes_the_default_primary(app, engine):
    from tests.storage.baseline_factories import digits_with_overlap_labels

    project_id, _, _ = digits_with_overlap_labels(engine, size=200)
    at = open_page(app)
    assert "400 labels from 3 labelers; **200 items** labeled by two or more." in texts(at.markdown)
    at.radio(key="bl.hlp_reference").set_value("others")
    at = at.button(key="bl.hlp_measure").click().run()
    assert not at.exception
    (row,) = stored(engine, project_id)
    assert f"Measured Human-level (vs the other labelers): accuracy {row.metrics['accuracy']:.3f}." in texts(at.success)
    table = at.dataframe[0].value.set_index("baseline")
    low, high = row.overall["intervals"]["accuracy"]
    assert table.loc["Human-level (vs the other labelers)", INTERVAL] == f"{low:.3f} – {high:.3f}"
    assert table.loc["Human-level (vs the other labelers)", "primary"] == "★"
    assert "Primary baseline by default" in texts(at.caption)
    assert "usually means ambiguous instructions" in texts(at.warning)  # the hurried labeler drags HLP below 0.9
    # The warning says what the number is (accuracy against the others' vote), not "people agree on".
    assert f"Labelers match the vote of the other labelers on only {row.metrics['accuracy']:.0%} of the items " \
           f"they share (accuracy against that vote, averaged over labelers; {row.n_items:,.0f} items)" in texts(at.warning)
    assert "People agree on only" not in texts(at.warning)
    # The table's caption says the human-level row rests on labeled items, not on the dev split.
    assert "Human-level performance is not scored on the dev split: it rests on the items labelers labeled" \
           in texts(at.caption) and "Dummy, simple-model" not in texts(at.caption)
    labelers = next(d.value for d in at.dataframe if "labeler" in d.value.columns)
    assert sorted(labelers["labeler"]) == sorted(row.overall["labelers"])


def test_pick_an_earlier_run_as_the_old_model(app, engine, loan):
    from core.modeling.training import TrainingConfig
    from storage.modeling.execution import execute_run, launch_run, prepare_run

    at = open_page(app)
    assert "No finished run on this dataset version's current split yet" in texts(at.caption)
    with session_scope(engine) as s:
        prepared = prepare_run(s, dataset_id=loan["dataset_id"], config=TrainingConfig(model="logistic_regression"))
        run_id = launch_run(s, prepared=prepared).id
    execute_run(engine, run_id=run_id, prepared=prepared)
    at = at.run()
    at.selectbox(key="bl.run_pick").select(run_id)
    at = at.button(key="bl.run_score").click().run()
    assert not at.exception
    assert "Scored “Run 1 · logistic_regression” as an old-model baseline." in texts(at.success)
    (row,) = stored(engine, loan["project_id"])
    assert row.kind == "old_model" and row.split_id is not None


def test_slices_show_their_rows_and_thin_ones_are_flagged_at_the_minimum_the_user_sets(app, engine, loan):
    at = open_page(app).button(key="bl.compute").click().run()
    at = at.selectbox(key="bl.slice_column").select("age_band").run()
    slices = next(d.value for d in at.dataframe if "age_band" in d.value.columns).set_index("age_band")
    rows = slices["rows"].astype(int)
    thin = rows[rows < 30]
    assert len(thin) and (rows >= 30).any()  # 150 dev rows over six age bands
    assert all(slices.loc[band, "note"] == f"too few rows ({n} < 30)" for band, n in thin.items())
    assert (slices.loc[rows >= 30, "note"] == "").all()
    assert "greyed and flagged" in texts(at.caption)
    at = at.number_input(key="bl.min_rows").set_value(1).run()
    slices = next(d.value for d in at.dataframe if "age_band" in d.value.columns)
    assert (slices["note"] == "").all()


def test_the_hlp_interval_names_the_items_behind_it_or_says_too_few(app, engine):
    from tests.storage.baseline_factories import digits_with_overlap_labels

    project_id, _, _ = digits_with_overlap_labels(engine, size=200)
    at = open_page(app)
    at.radio(key="bl.hlp_reference").set_value("others")
    at = at.button(key="bl.hlp_measure").click().run()
    (row,) = stored(engine, project_id)
    low, high = row.overall["intervals"]["accuracy"]
    n = int(row.n_items)  # items with a reference vote: ties with "unclear" leave a few out
    assert 150 < n <= 200 and f"from {n} items (95% interval {low:.3f} – {high:.3f})" in texts(at.markdown)
    at = at.number_input(key="bl.min_rows").set_value(500).run()
    assert f"from {n} items (too few rows for an interval (minimum 500))" in texts(at.markdown)
    assert at.dataframe[0].value.set_index("baseline").loc[row.name, INTERVAL] == "too few rows"


def test_a_numeric_sensitive_column_is_sliced_into_ranges(app, engine, loan):
    with session_scope(engine) as s:
        dataset = datasets.get_dataset(s, loan["dataset_id"])
        datasets.update_roles(s, dataset_id=dataset.id, roles={**dataset.roles, "sensitive": ["sex", "age"]})
    at = open_page(app).button(key="bl.compute").click().run()
    at = at.selectbox(key="bl.slice_column").select("age").run()
    slices = next(d.value for d in at.dataframe if "age" in d.value.columns)
    dev = loan["split"][loan["split"] == "dev"].index
    names = slice_values(loan["frame"]["age"]).loc[dev]
    assert list(slices["age"]) == sorted(set(names), key=slice_order) and len(slices) <= 5
    assert slices["rows"].astype(int).tolist() == [int((names == n).sum()) for n in slices["age"]]
