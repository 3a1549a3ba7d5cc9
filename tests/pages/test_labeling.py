"""The Labeling page through AppTest: plan, label with buttons and undo, grid, resolve, review, errors."""

import io

import pandas as pd
import pytest

from core.data.splits import make_splits
from pages.components.data.intake import create_project_from, store_scenario
from storage.data import datasets
from storage.labeling import batches as label_batches, labels
from storage.project import projects
from storage.db import session_scope
from tests.pages.conftest import read, texts
from tests.pages.downloads import download_of, saved_files  # noqa: F401 (a fixture)

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

PAGE = "pages/3_labeling.py"
PLAN = "FormSubmitter:lab.plan-Plan batch"


def scenario_project(session, name: str, scenario: str):
    """Return the dataset of a scenario generated into a plain project: no simulated labelers until asked for.

    (A demo project made on the home page comes with them; these tests label as one person.)
    """
    project = projects.create_project(session, name=name)
    return store_scenario(session, project_id=project.id, scenario_name=scenario, actor="ann").dataset


@pytest.fixture
def digits(engine):
    with session_scope(engine) as s:
        return scenario_project(s, "Digits", "digits")


def open_page(app, view=None):
    at = app.run()
    at = at.switch_page(PAGE).run()
    if view:
        at = at.segmented_control(key="lab.view").set_value(view).run()
    return at


def plan(at, size=10, overlap=0.5):
    at.number_input(key="lab.size").set_value(size)
    at.slider(key="lab.overlap").set_value(overlap)
    return at.button(key=PLAN).click().run()


def history(engine, dataset):
    return read(engine, lambda s: labels.label_history(s, dataset.id))


def test_plan_a_batch_with_the_demo_team_and_let_it_label(app, engine, digits):
    at = open_page(app, "Plan")
    assert not at.exception
    at = at.button(key="lab.demo_team").click().run()
    at = plan(at, size=12, overlap=1.0)
    assert "Planned batch 1: 12 items" in texts(at.success)
    batch = read(engine, lambda s: label_batches.list_batches(s, digits.id))[0]
    assert (batch.number, batch.size, batch.strategy) == (1, 12, "random")
    simulate = next(b for b in at.button if (b.key or "").startswith("lab.simulate."))
    at = simulate.click().run()
    assert "The simulated labelers made" in texts(at.success)
    made = history(engine, digits)
    assert set(made["source"]) == {"simulated"} and made["value"].notna().all()
    assert not made.duplicated(["row_id", "labeler"]).any()


def test_a_demo_project_comes_with_its_simulated_labelers(app, engine):
    with session_scope(engine) as s:
        project_id = create_project_from(s, name="Digits", source_label="Demo: Handwritten digits", actor="ann")
    team = read(engine, lambda s: label_batches.list_labelers(s, project_id))
    assert [l.name for l in team] == ["Sim · Ada (careful)", "Sim · Ben (good)", "Sim · Cy (hurried)"]
    assert all(l.simulated["confusions"] for l in team)  # the scenario's typical 1↔7, 3↔8, 4↔9
    at = open_page(app, "Plan")
    assert not [b for b in at.button if b.key == "lab.demo_team"]  # nothing to press
    assert labelers_picker(at).value == ["analyst", *[l.name for l in team]]


def labelers_picker(at):
    (picker,) = [m for m in at.multiselect if m.label == "Labelers"]
    return picker


def test_a_new_name_in_the_sidebar_is_chosen_as_labeler_and_the_old_one_no_longer_offered(app, engine, digits):
    at = open_page(app, "Plan")
    assert labelers_picker(at).value[0] == "analyst"
    at = at.sidebar.text_input(key="nav.actor_name").input("Bea").run()
    picker = labelers_picker(at)
    assert picker.value[0] == "Bea" and "analyst" not in picker.options
    at = plan(at, size=4, overlap=0.0)
    assert "Planned batch 1: 4 items" in texts(at.success) and not texts(at.error)


def test_label_items_with_buttons_and_undo_the_last(app, engine, digits):
    at = plan(open_page(app, "Plan"), size=5, overlap=0.0)
    at = at.segmented_control(key="lab.view").set_value("Label").run()
    assert at.get("image") and [at.button(key=f"lab.class.{i}").label for i in range(3)] == ["0", "1", "2"]
    for _ in range(3):
        at = at.button(key="lab.class.7").click().run()
    at = at.button(key="lab.unclear").click().run()
    made = history(engine, digits)
    assert list(made["value"]) == ["7", "7", "7", "unclear"] and (made["guideline_version"] == 1).all()
    at = at.button(key="lab.undo").click().run()
    assert "withdrawn" in texts(at.success)
    made = history(engine, digits)
    assert pd.isna(made.iloc[-1]["value"]) and made.iloc[-1]["row_id"] == made.iloc[-2]["row_id"]
    at = at.button(key="lab.skip").click().run()
    at = at.button(key="lab.class.1").click().run()
    at = at.button(key="lab.class.1").click().run()  # the skipped item comes back last
    assert "no open items" in texts(at.success)
    assert not at.exception


def shortcuts(at) -> dict[str, str]:
    return {b.key: b.proto.shortcut.lower() for b in at.button if b.proto.shortcut}


def test_every_class_and_action_has_a_key_shown_on_its_button_and_the_queue_is_counted(app, engine, digits):
    at = plan(open_page(app, "Plan"), size=5, overlap=0.0)
    at = at.segmented_control(key="lab.view").set_value("Label").run()
    keys = shortcuts(at)
    assert {keys[f"lab.class.{d}"] for d in range(10)} == {str(d) for d in range(10)}
    assert keys["lab.class.7"] == "7" and keys["lab.unclear"] == "shift+u"
    assert keys["lab.skip"] == "shift+s" and keys["lab.undo"] == "shift+z"
    assert "Item 1 of 5" in texts(at.markdown) and "5 left" in texts(at.markdown)
    at = at.button(key="lab.class.7").click().run()  # what the 7 key presses
    assert "Item 2 of 5" in texts(at.markdown) and "4 left" in texts(at.markdown)
    at = at.button(key="lab.skip").click().run()
    assert "Item 2 of 5" in texts(at.markdown)  # a skip labels nothing: still the second of five
    at = at.button(key="lab.undo").click().run()
    assert "Item 1 of 5" in texts(at.markdown)


def test_a_newly_planned_batch_is_the_one_the_label_section_opens(app, engine, digits):
    at = plan(open_page(app, "Plan"), size=4, overlap=0.0)
    at = at.segmented_control(key="lab.view").set_value("Label").run()
    first = at.selectbox(key="lab.batch").value
    at = plan(at.segmented_control(key="lab.view").set_value("Plan").run(), size=3, overlap=0.0)
    at = at.segmented_control(key="lab.view").set_value("Label").run()
    newest = read(engine, lambda s: label_batches.list_batches(s, digits.id))
    assert at.selectbox(key="lab.batch").value == max(b.id for b in newest) != first


def test_grid_mode_labels_several_rows_through_the_editor(app, engine, digits):
    at = plan(open_page(app, "Plan"), size=6, overlap=0.0)
    at = at.segmented_control(key="lab.view").set_value("Label").run()
    at = at.toggle(key="lab.grid_mode").set_value(True).run()
    at.session_state["lab.grid"] = {"edited_rows": {0: {"label": "4"}, 2: {"label": "9"}},
                                    "added_rows": [], "deleted_rows": []}
    at = at.run()
    at = at.button(key="lab.grid_save").click().run()
    assert not at.exception
    made = history(engine, digits)
    assert sorted(made["value"]) == ["4", "9"] and (made["seconds"] >= 0).all()
    assert "Saved 2 labels." in texts(at.success)


def test_resolve_a_disagreement_into_a_new_guideline_version(app, engine, digits):
    at = open_page(app, "Plan")
    at.text_input(key="lab.new_labeler").input("bea")
    at = at.button(key="FormSubmitter:lab.add_labeler-Add labeler").click().run()
    at = plan(at, size=4, overlap=1.0)
    at = at.segmented_control(key="lab.view").set_value("Label").run()
    for _ in range(4):
        at = at.button(key="lab.class.1").click().run()
    at = at.sidebar.text_input(key="nav.actor_name").input("bea").run()  # the second labeler, same batch
    for _ in range(4):
        at = at.button(key="lab.class.7").click().run()
    at = at.segmented_control(key="lab.view").set_value("Consistency").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Percent agreement"] == "0%" and metrics["Items with 2+ labels"] == "4"
    assert "Disagreements to resolve (4)" in [h.value for h in at.subheader]
    assert at.selectbox(key="lab.resolve_value").value is None  # no class is suggested as the decision
    at = at.button(key="FormSubmitter:lab.resolve-Resolve").click().run()
    assert "Choose the decision" in texts(at.error) and "Disagreements to resolve (4)" in [h.value for h in at.subheader]
    at.selectbox(key="lab.resolve_value").select("7")
    at.text_area(key="lab.resolve_rule").input("A 1 with a flag at the top is a 7.")
    at = at.button(key="FormSubmitter:lab.resolve-Resolve").click().run()
    assert "and guideline version 2" in texts(at.success)
    guideline = read(engine, lambda s: label_batches.current_guideline(s, digits.project_id))
    assert guideline.version == 2 and guideline.created_from["decision"] == "7"
    assert "Disagreements to resolve (3)" in [h.value for h in at.subheader]
    at = at.segmented_control(key="lab.view").set_value("Label").run()
    assert "- A 1 with a flag at the top is a 7." in [t.value for t in at.text]  # the rules, beside the items
    assert any(e.label == "Guideline in force: version 2" for e in at.expander)


def test_bad_input_is_explained_and_writes_nothing(app, engine, digits):
    at = open_page(app, "Plan")
    at.text_input(key="lab.new_labeler").input("   ")
    at = at.button(key="FormSubmitter:lab.add_labeler-Add labeler").click().run()
    assert "name is empty" in texts(at.error)
    at = plan(at, size=5000, overlap=0.0)
    assert "asks for 5,000 items, but only 1,797" in texts(at.error)
    assert read(engine, lambda s: label_batches.list_batches(s, digits.id)) == []
    assert read(engine, lambda s: label_batches.list_labelers(s, digits.project_id)) == []


def test_a_labeler_name_longer_than_its_column_is_refused_with_the_limit(app, engine, digits):
    at = open_page(app, "Plan")
    at.text_input(key="lab.new_labeler").input("b" * (label_batches.MAX_LABELER_NAME + 1))
    at = at.button(key="FormSubmitter:lab.add_labeler-Add labeler").click().run()
    assert not at.exception
    assert label_batches.LABELER_NAME_TOO_LONG in texts(at.error)
    assert read(engine, lambda s: label_batches.list_labelers(s, digits.project_id)) == []


def test_a_long_sidebar_name_labels_under_its_first_40_characters(app, engine, digits):
    long_name = "Ana " + "x" * 60  # longer than a labeler's name may be (40)
    at = app.run().sidebar.text_input(key="nav.actor_name").input(long_name).run()
    at = at.switch_page(PAGE).run().segmented_control(key="lab.view").set_value("Plan").run()
    at = plan(at, size=2, overlap=0.0).segmented_control(key="lab.view").set_value("Label").run()
    at = at.button(key="lab.class.1").click().run()
    assert not at.exception
    assert list(history(engine, digits)["labeler"]) == [long_name[:label_batches.MAX_LABELER_NAME]]


def test_a_dataset_without_classes_says_how_to_define_them(app, engine):
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Unlabeled")
        frame = pd.DataFrame({"x": range(30)}, index=pd.RangeIndex(30, name="row_id"))
        datasets.add_dataset_version(s, project_id=project.id, name="raw", frame=frame, source="test",
                                     column_kinds={"x": "numeric"})
    at = plan(open_page(app, "Plan"), size=5, overlap=0.0)
    assert "no label classes" in texts(at.error)
    at = at.segmented_control(key="lab.view").set_value("Consistency").run()
    at.text_area(key="lab.guideline_classes").input("cat\ndog")
    at = at.button(key="FormSubmitter:lab.guideline-Save new version").click().run()
    at = plan(at.segmented_control(key="lab.view").set_value("Plan").run(), size=5, overlap=0.0)
    assert "Planned batch 1" in texts(at.success)


def test_review_and_label_errors_make_new_labels_and_keep_the_old(app, engine):
    with session_scope(engine) as s:
        dataset = scenario_project(s, "Cancer", "breast_cancer")
        frame = datasets.load_frame(s, dataset.id)
        datasets.save_split(s, dataset_id=dataset.id, strategy="stratified", seed=0, fractions=(0.7, 0.15, 0.15),
                            assignment=make_splits(frame, strategy="stratified", target="diagnosis"))
    at = plan(open_page(app, "Plan"), size=3, overlap=0.0)
    at = at.segmented_control(key="lab.view").set_value("Label").run()
    at = at.button(key="lab.class.0").click().run()
    at = at.segmented_control(key="lab.view").set_value("Review").run()
    assert {m.label: m.value for m in at.metric}["Review rate"] == "0.0%"
    at = at.button(key="lab.review_accept").click().run()
    assert {m.label: m.value for m in at.metric}["Review rate"] == "100.0%"
    at = at.segmented_control(key="lab.view").set_value("Label errors").run()
    at = at.button(key="lab.find_issues").click().run()
    assert not at.exception
    _, before = read(engine, lambda s: labels.current_labels(s, dataset.id))
    row_id = at.selectbox(key="lab.issue_row").value
    at = at.button(key="lab.issue_accept").click().run()
    assert f"1 correction accepted (row {row_id})" in texts(at.success)
    current, after = read(engine, lambda s: labels.current_labels(s, dataset.id))
    assert after != before
    made = history(engine, dataset)
    assert made.iloc[-1]["source"] == "label_issue" and made.iloc[-1]["decision"]


def test_uncertainty_batch_without_a_trained_model_uses_a_quick_model(app, engine, digits):
    at = open_page(app, "Plan")
    at = at.selectbox(key="lab.strategy").select("uncertainty").run()
    at.radio(key="lab.measure").set_value("margin")
    at = plan(at, size=5, overlap=0.0)
    assert "Planned batch 1: 5 items" in texts(at.success)
    batch = read(engine, lambda s: label_batches.list_batches(s, digits.id))[0]
    assert (batch.strategy, batch.params["measure"]) == ("uncertainty", "margin")


def with_split(engine, source_label, name):
    with session_scope(engine) as s:
        project_id = create_project_from(s, name=name, source_label=source_label, actor="a")
        dataset = datasets.list_datasets(s, project_id)[0]
        frame = datasets.load_frame(s, dataset.id)
        target = dataset.roles["target"]
        datasets.save_split(s, dataset_id=dataset.id, strategy="stratified", seed=0, fractions=(0.7, 0.15, 0.15),
                            assignment=make_splits(frame, strategy="stratified", target=target))
        truth = datasets.load_ground_truth(s, dataset.id)
        return dataset, frame, truth


def find_issues_in_teaching_mode(app):
    at = open_page(app)
    at = at.sidebar.toggle(key="nav.teaching").set_value(True).run()
    at = at.segmented_control(key="lab.view").set_value("Label errors").run()
    return at.button(key="lab.find_issues").click().run()


def test_teaching_mode_counts_the_planted_digit_flips_the_label_errors_find(app, engine):
    dataset, frame, truth = with_split(engine, "Demo: Handwritten digits", "Digits")
    flipped = truth["label_noise"]["flipped_row_ids"]
    assert len(flipped) == round(0.05 * len(frame))  # the demo plants the default share
    at = find_issues_in_teaching_mode(app)
    assert not at.exception
    shown = texts(at.info)
    split = read(engine, lambda s: datasets.load_split(datasets.latest_split(s, dataset.id)))
    in_train = int((split.loc[flipped] == "train").sum())
    assert f"Of the {in_train} flipped labels in the rows checked" in shown and "nan" not in shown


def test_teaching_mode_without_planted_flips_says_so_in_words(app, engine):
    _, _, truth = with_split(engine, "Demo: Breast cancer diagnosis", "Cancer")
    assert truth["label_noise"]["n_flipped"] == 0
    shown = texts(find_issues_in_teaching_mode(app).info)
    assert "No label was flipped on purpose" in shown and "nan" not in shown


def test_each_pair_kappa_shows_its_shared_items_and_few_are_flagged(app, engine, digits):
    at = open_page(app, "Plan")
    at = at.button(key="lab.demo_team").click().run()
    at = plan(at, size=12, overlap=1.0)
    at = next(b for b in at.button if (b.key or "").startswith("lab.simulate.")).click().run()
    at = at.segmented_control(key="lab.view").set_value("Consistency").run()
    assert not at.exception
    pairs = pair_table(at)
    made = history(engine, digits)
    by_labeler = made.groupby("labeler")["row_id"].apply(set)
    for _, pair in pairs.iterrows():
        shared = len(by_labeler[pair["labeler A"]] & by_labeler[pair["labeler B"]])
        assert pair["shared items"] == shared < 20
        assert pair["note"] == f"too few shared items ({shared} < 20)"
    heatmap = next(c.proto.spec for c in at.get("plotly_chart") if "Cohen" in c.proto.spec)
    assert "grey: fewer than 20" in heatmap and "shared items" in heatmap
    at = at.number_input(key="lab.min_shared").set_value(2).run()
    assert (pair_table(at)["note"] == "").all()


def pair_table(at):
    return next(d.value for d in at.dataframe if "shared items" in d.value.columns)


def test_uncertainty_on_an_upload_whose_features_are_all_text(app, engine):
    from core.data.ingest import read_table
    from core.data.roles import Roles
    from core.data.scenarios import generate_scenario
    from pages.components.data.intake import store_frame

    loans = generate_scenario("loan_approval", n_rows=1_000).frame
    columns = ["employment_type", "home_ownership", "purpose", "approved"]
    upload = read_table(loans[columns].to_csv(index=False).encode(), "loans.csv").frame  # text arrives as strings
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Upload")
        dataset = store_frame(s, project_id=project.id, name="loans", frame=upload, source="upload:loans.csv",
                              actor="a", roles=Roles(target="approved")).dataset
    at = open_page(app, "Plan")
    at = at.selectbox(key="lab.strategy").select("uncertainty").run()
    at = plan(at, size=5, overlap=0.0)
    assert not at.exception and not at.error  # was: "There are no feature columns to learn from."
    assert "Planned batch 1: 5 items" in texts(at.success)
    assert read(engine, lambda s: label_batches.list_batches(s, dataset.id))[0].strategy == "uncertainty"


# --- downloads -------------------------------------------------------------------------------


def test_the_label_history_and_current_labels_download_as_stored(app, engine, digits, saved_files):
    at = open_page(app, "Plan")
    at = plan(at.button(key="lab.demo_team").click().run(), size=12, overlap=1.0)
    at = next(b for b in at.button if (b.key or "").startswith("lab.simulate.")).click().run()
    assert not at.get("download_button")  # nothing is built before it is asked for
    at = at.button(key="lab.download.prepare").click().run()
    assert not at.exception
    data, name = download_of(at, "lab.download.history", saved_files)
    assert name.startswith("Digits_digits-v1-label-history_") and name.endswith("Z.csv")
    downloaded = pd.read_csv(io.BytesIO(data), dtype={"label": str})
    stored = history(engine, digits)
    assert len(downloaded) == len(stored) >= 12
    assert downloaded.groupby(["labeler", "label"]).size().to_dict() == \
        stored.groupby(["labeler", "value"]).size().to_dict()
    assert downloaded["seconds"].tolist() == pytest.approx(stored["seconds"].tolist())
    data, _ = download_of(at, "lab.download.current", saved_files)
    current = read(engine, lambda s: labels.current_labels(s, digits.id)).labels
    read_back = pd.read_csv(io.BytesIO(data), index_col="row_id")["label"]
    assert read_back.to_dict() == current.to_dict()
