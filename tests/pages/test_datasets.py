import io
import json

import numpy as np
import pandas as pd
import pytest

from storage.data import datasets
from storage.project import projects
from storage.db import session_scope
from tests.pages.conftest import DATASETS_PAGE, open_tab, read, texts
from tests.pages.downloads import download_of, saved_files  # noqa: F401 (a fixture)

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def csv_bytes(n_rows=60, seed=0) -> bytes:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "age": rng.integers(18, 80, n_rows), "city": rng.choice(["Oslo", "Lima", "Pune"], n_rows),
        "label": rng.choice(["yes", "no"], n_rows), "const": 1,
    })
    return frame.to_csv(index=False).encode()


@pytest.fixture
def project_id(engine):
    with session_scope(engine) as s:
        return projects.create_project(s, name="Study").id


def open_datasets(app):
    at = app.run()
    return at.switch_page(DATASETS_PAGE).run()


def choose_file(at, name, data):
    """Choose a file: the page reads it at once and shows what it found, or why it is refused."""
    at.get("file_uploader")[0].set_value((name, data, "text/csv"))
    return at.run()


def upload(at, name, data):
    """Choose a file and press "Store dataset" when the page allows it (a refused file disables it)."""
    at = choose_file(at, name, data)
    store = at.button(key="ds.store")
    return at if store.disabled else store.click().run()


def upload_role(at, role):
    """The upload panel's picker for a role (its key carries the chosen file's id)."""
    return next(s for s in at.selectbox if (s.key or "").startswith(f"ds.upload_{role}."))


def versions(engine, project_id):
    return read(engine, lambda s: datasets.list_datasets(s, project_id))


def test_empty_project_shows_how_to_add_data(app, project_id):
    at = open_datasets(app)
    assert not at.exception
    assert "This project has no data yet" in texts(at.info)
    assert [t.label for t in at.tabs][:2] == ["Upload a file", "Generate a demo scenario"]


def test_upload_a_csv_stores_a_version_and_profiles_it(app, engine, project_id):
    at = upload(open_datasets(app), "people.csv", csv_bytes())
    assert not at.exception
    stored = versions(engine, project_id)
    assert [(d.name, d.version, d.n_rows, d.n_columns) for d in stored] == [("people", 1, 60, 4)]
    assert stored[0].column_kinds["city"] == "categorical"
    assert "Stored people v1: 60 rows, 4 columns." in texts(at.success)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows"] == "60" and metrics["Missing cells"] == "0"
    assert "const" in texts(at.warning)  # a constant column is pointed out


def test_an_upload_is_named_after_its_file_and_its_roles_are_suggested(app, engine, project_id):
    data = pd.DataFrame({"customer_id": [f"c{i}" for i in range(40)], "income": range(40),
                         "paid": range(40), "churned": ["yes", "no"] * 20}).to_csv(index=False).encode()
    at = choose_file(open_datasets(app), "Customers 2024.csv", data)
    assert at.text_input(key="ds.upload_name").value == "Customers 2024"
    assert (upload_role(at, "target").value, upload_role(at, "id").value) == ("churned", "customer_id")
    at.text_input(key="ds.upload_name").input("customers")
    upload_role(at, "target").select("income")  # editable before storing
    at = at.run().button(key="ds.store").click().run()
    [stored] = versions(engine, project_id)
    assert stored.name == "customers" and (stored.roles["target"], stored.roles["id"]) == ("income", "customer_id")


def test_an_upload_role_that_cannot_work_is_refused_before_storing(app, engine, project_id):
    at = choose_file(open_datasets(app), "people.csv", csv_bytes())
    upload_role(at, "id").select("city")  # three values over sixty rows
    at = at.run()
    assert "The ID column 'city' repeats values" in texts(at.error) and at.button(key="ds.store").disabled
    assert versions(engine, project_id) == []


def test_uploading_the_same_content_twice_stores_nothing_new(app, engine, project_id):
    at = upload(open_datasets(app), "people.csv", csv_bytes())
    at = upload(at, "people.csv", csv_bytes())
    assert "Nothing new to store" in texts(at.info)
    assert len(versions(engine, project_id)) == 1


@pytest.mark.parametrize("name, data, expected", [
    ("empty.csv", b"", "empty"),
    ("picture.csv", PNG_BYTES, "PNG"),
    ("header.csv", b"a,b,c\n", "no data rows"),
    ("ragged.csv", b"a,b\n1,2\n3,4,5\n", "line 3"),
    ("short.csv", b"a,b,c\n1,2,3\n4,5\n", "Line 3 has 2 fields, but the header row has 3 columns: values are missing"),
])
def test_bad_uploads_are_explained_and_write_nothing(app, engine, project_id, name, data, expected):
    at = upload(open_datasets(app), "good.csv", csv_bytes())
    at = upload(at, name, data)
    assert not at.exception
    assert expected.lower() in texts(at.error).lower()
    assert at.button(key="ds.store").disabled
    assert len(versions(engine, project_id)) == 1


def test_generate_a_scenario_and_reveal_its_truth_in_teaching_mode(app, engine, project_id):
    at = open_datasets(app)
    at.selectbox(key="ds.scenario").select("breast_cancer")
    at = at.run()
    at.number_input(key="ds.param.breast_cancer.label_noise").set_value(0.1)
    at = at.button(key="FormSubmitter:ds.scenario_form-Generate").click().run()
    assert not at.exception
    stored = versions(engine, project_id)[0]
    assert stored.n_rows == 569 and stored.roles["target"] == "diagnosis"
    truth = read(engine, lambda s: datasets.load_ground_truth(s, stored.id))
    assert len(truth["label_noise"]["flipped_row_ids"]) == round(0.1 * 569)
    assert "Teaching mode" not in texts(at.markdown)
    at = at.sidebar.toggle(key="nav.teaching").set_value(True).run()
    assert "what this scenario planted" in texts(at.markdown)
    assert "flipped row ids" in texts(at.markdown)


def test_storing_and_generating_keep_the_tabs_the_user_chose(app, engine, project_id):
    at = upload(open_datasets(app), "people.csv", csv_bytes())
    at.session_state["ds.tab"] = "Profile"
    at = upload(at, "more.csv", csv_bytes(50))
    assert len(versions(engine, project_id)) == 2 and open_tab(at, "ds.tab") == "Profile"
    at.session_state["ds.add_tab"] = "Generate a demo scenario"
    at.selectbox(key="ds.scenario").select("breast_cancer")
    at = at.button(key="FormSubmitter:ds.scenario_form-Generate").click().run()
    assert len(versions(engine, project_id)) == 3
    assert open_tab(at, "ds.add_tab") == "Generate a demo scenario" and open_tab(at, "ds.tab") == "Profile"


def test_roles_are_checked_saved_and_kept_across_reruns(app, engine, project_id):
    at = upload(open_datasets(app), "people.csv", csv_bytes())
    at.selectbox(key="ds.role.target").select("const")
    at = at.button(key="FormSubmitter:ds.roles_form-Save roles").click().run()
    assert "only one class" in texts(at.error)
    assert versions(engine, project_id)[0].roles.get("target") == "label"  # suggested at upload, kept
    at.selectbox(key="ds.role.target").select("label")
    at.multiselect(key="ds.role.sensitive").select("city")
    at = at.button(key="FormSubmitter:ds.roles_form-Save roles").click().run()
    assert "Roles saved." in texts(at.success)
    assert versions(engine, project_id)[0].roles == {"target": "label", "id": None, "time": None,
                                                      "sensitive": ["city"], "ignored": []}
    at = at.run()
    assert at.selectbox(key="ds.role.target").value == "label"
    assert at.multiselect(key="ds.role.sensitive").value == ["city"]


def test_make_splits_stores_them_and_shows_sizes(app, engine, project_id):
    at = upload(open_datasets(app), "people.csv", csv_bytes(100))
    at.selectbox(key="ds.role.target").select("label")
    at = at.button(key="FormSubmitter:ds.roles_form-Save roles").click().run()
    assert "No split yet" in texts(at.info)
    at.session_state["ds.tab"] = "Splits"  # the user's tab stays chosen after the action's message
    at = at.button(key="ds.make_splits").click().run()
    assert not at.exception and open_tab(at, "ds.tab") == "Splits"
    at = at.selectbox(key="ds.dist_column").select("label").run()
    assert open_tab(at, "ds.tab") == "Splits"
    dataset = versions(engine, project_id)[0]
    split = read(engine, lambda s: datasets.latest_split(s, dataset.id))
    assert split.strategy == "stratified" and split.counts == {"train": 70, "dev": 15, "test": 15}
    table = next(d.value for d in at.dataframe if "n_rows" in d.value.columns)
    assert list(table["n_rows"]) == [70, 15, 15]
    assert list(table.index) == ["train", "dev", "test"]
    at = at.run()  # the stored split is shown again on the next run
    assert any("n_rows" in d.value.columns for d in at.dataframe)


def test_splits_that_leave_no_test_set_are_refused(app, engine, project_id):
    at = upload(open_datasets(app), "people.csv", csv_bytes())
    at.number_input(key="ds.split_train").set_value(80)
    at.number_input(key="ds.split_dev").set_value(20)
    at = at.button(key="ds.make_splits").click().run()
    assert "no test set" in texts(at.error)
    dataset = versions(engine, project_id)[0]
    assert read(engine, lambda s: datasets.latest_split(s, dataset.id)) is None


def test_dropping_columns_makes_a_child_version(app, engine, project_id):
    at = upload(open_datasets(app), "people.csv", csv_bytes())
    at = at.button(key="ds.drop_columns").click().run()
    assert not at.exception
    child, parent = versions(engine, project_id)
    assert (child.version, child.parent_id, child.n_columns) == (2, parent.id, 3)
    assert at.selectbox(key="ds.version").value == child.id
    lineage = at.dataframe[-1].value
    assert list(lineage["derived from"]) == ["people v1", "—"]


def test_a_file_over_the_upload_limit_is_refused_with_the_limit_named(app, engine, project_id):
    from streamlit import config
    before = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 1)  # MB
    try:
        at = upload(open_datasets(app), "big.csv", b"a,b\n" + b"1,2\n" * 300_000)
    finally:
        config.set_option("server.maxUploadSize", before)
    assert "upload limit" in texts(at.error)
    assert versions(engine, project_id) == []


def test_a_corrupt_parquet_file_is_refused(app, engine, project_id):
    buffer = io.BytesIO()
    pd.DataFrame({"a": range(100)}).to_parquet(buffer)
    at = upload(open_datasets(app), "cut.parquet", buffer.getvalue()[:-40])
    assert "not a readable Parquet file" in texts(at.error)
    assert versions(engine, project_id) == []


def test_a_parquet_upload_is_stored(app, engine, project_id):
    buffer = io.BytesIO()
    pd.DataFrame({"a": range(100), "b": ["x", "y"] * 50}).to_parquet(buffer)
    at = upload(open_datasets(app), "table.parquet", buffer.getvalue())
    assert not at.exception
    assert [(d.name, d.n_rows, d.n_columns) for d in versions(engine, project_id)] == [("table", 100, 2)]


def test_blank_pixels_of_images_are_not_offered_for_dropping(app, engine, project_id):
    at = open_datasets(app)
    at.selectbox(key="ds.scenario").select("digits")
    at = at.run().button(key="FormSubmitter:ds.scenario_form-Generate").click().run()
    assert not at.exception
    assert versions(engine, project_id)[0].column_kinds["pixel_0"] == "image"
    assert "pixel_0" not in texts(at.warning)
    assert not [b for b in at.button if b.key == "ds.drop_columns"]


# --- messy uploads: what the user sees before storing, and what is stored --------------


def stored_frame(engine, dataset):
    return read(engine, lambda s: datasets.load_frame(s, dataset.id))


def test_a_decimal_comma_file_is_stored_as_numbers_and_says_so(app, engine, project_id):
    at = choose_file(open_datasets(app), "prices.csv", b"price;qty;label\n12,50;3;x\n7,99;1;y\n1299,00;2;x\n")
    assert "Decimal commas read as numbers" in texts(at.markdown)
    at = at.button(key="ds.store").click().run()
    assert not at.exception
    dataset = versions(engine, project_id)[0]
    assert list(stored_frame(engine, dataset)["price"]) == [12.5, 7.99, 1299.0]
    assert dataset.column_kinds["price"] == "numeric"
    assert "Decimal commas read as numbers" in dataset.note


def test_a_date_column_with_a_bad_value_is_stored_as_text_and_the_user_is_told(app, engine, project_id):
    days = [f"2024-05-{day:02d}" for day in range(1, 31)]
    body = "".join(f"{d},{i}\n" for i, d in enumerate(days[:29] + ["pending"]))
    at = choose_file(open_datasets(app), "events.csv", ("when,n\n" + body).encode())
    assert "'when' kept as text, not dates: 1 of 30" in texts(at.markdown)
    at = at.button(key="ds.store").click().run()
    dataset = versions(engine, project_id)[0]
    assert list(stored_frame(engine, dataset)["when"])[-2:] == ["2024-05-29", "pending"]
    assert dataset.column_kinds["when"] == "categorical"
    assert "kept as text" in dataset.note


REPEATED = b"id,score,group,score,group\n1,0.5,x,0.5,y\n2,0.7,x,0.7,x\n3,0.1,z,0.1,z\n"


def test_repeated_column_names_are_kept_renamed_by_default(app, engine, project_id):
    at = choose_file(open_datasets(app), "repeats.csv", REPEATED)
    assert "The file repeats column names:" in texts(at.warning)
    assert "'score', 'group'" in texts(at.markdown)
    assert at.radio(key="ds.upload_repeats").value == "rename"
    assert "Default: keep every column" in texts(at.caption)
    at = at.button(key="ds.store").click().run()
    assert not at.exception
    dataset = versions(engine, project_id)[0]
    assert list(stored_frame(engine, dataset).columns) == ["id", "score", "group", "score.1", "group.1"]
    assert "Repeated column names renamed" in dataset.note


def test_repeated_columns_with_identical_values_can_be_dropped(app, engine, project_id):
    at = choose_file(open_datasets(app), "repeats.csv", REPEATED)
    at = at.radio(key="ds.upload_repeats").set_value("drop_identical").run()
    assert "Repeated columns dropped, their values identical to the first of the name: 'score.1'" in texts(at.markdown)
    at = at.button(key="ds.store").click().run()
    dataset = versions(engine, project_id)[0]
    frame = stored_frame(engine, dataset)
    assert list(frame.columns) == ["id", "score", "group", "group.1"]
    assert list(frame["group.1"]) == ["y", "x", "z"]  # differs from 'group', so kept


def _parquet(table) -> bytes:
    import pyarrow.parquet as pq
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def test_an_integer_of_27_digits_is_stored_as_exact_text(app, engine, project_id):
    at = upload(open_datasets(app), "ids.csv", b"id,n\n123456789012345678901234567,1\n2,2\n3,3\n")
    assert not at.exception
    dataset = versions(engine, project_id)[0]
    assert list(stored_frame(engine, dataset)["id"]) == ["123456789012345678901234567", "2", "3"]
    assert "too long for a 64-bit number" in dataset.note


def test_a_parquet_file_with_a_bytes_column_is_refused_by_name(app, engine, project_id):
    import pyarrow as pa
    data = _parquet(pa.table({"n": [1, 2], "blob": pa.array([b"\xff\x00", b"x"], pa.binary())}))
    at = upload(open_datasets(app), "blobs.parquet", data)
    assert not at.exception
    assert "Columns 'blob' hold raw bytes that are not text" in texts(at.error)
    assert versions(engine, project_id) == []


def test_a_parquet_file_with_repeated_names_is_stored_renamed(app, engine, project_id):
    import pyarrow as pa
    data = _parquet(pa.Table.from_arrays([pa.array([1, 2]), pa.array([3, 4])], names=["a", "a"]))
    at = upload(open_datasets(app), "twice.parquet", data)
    assert not at.exception
    dataset = versions(engine, project_id)[0]
    assert list(stored_frame(engine, dataset).columns) == ["a", "a.1"]


def test_a_table_over_the_cell_cap_set_in_the_environment_is_refused_with_the_numbers(
        app, engine, project_id, monkeypatch):
    monkeypatch.setenv("WORKBENCH_MAX_CELLS", "100")
    at = upload(open_datasets(app), "wide.csv", b"a,b\n" + b"1,2\n" * 60)
    assert "= at least 102 cells, over the cap of 100 cells" in texts(at.error)
    assert "WORKBENCH_MAX_CELLS" in texts(at.error)
    assert versions(engine, project_id) == []


def test_a_parquet_decompression_bomb_is_refused_with_the_numbers(app, engine, project_id):
    import numpy as np
    import pyarrow as pa
    zeros = pa.array(np.zeros(20_000_000, dtype=np.int64))
    at = upload(open_datasets(app), "bomb.parquet", _parquet(pa.table({"a": zeros, "b": zeros})))
    message = texts(at.error)
    assert "its table takes 305.2 MB in memory" in message and "decompression bomb" in message
    assert versions(engine, project_id) == []


def test_a_bad_cap_setting_is_explained(app, engine, project_id, monkeypatch):
    monkeypatch.setenv("WORKBENCH_MAX_EXPANSION", "lots")
    at = upload(open_datasets(app), "people.csv", csv_bytes())
    assert "The environment variable WORKBENCH_MAX_EXPANSION is 'lots'" in texts(at.error)
    assert versions(engine, project_id) == []


CENSUS = b"age,workclass,city\n39,Private,Oslo\n?,?,Lima\n52,Self-emp,NA\n41,Private,Pune\n?,Private,Rome\n"


def test_missing_value_markers_are_shown_with_counts_and_treated_as_missing_by_default(app, engine, project_id):
    at = choose_file(open_datasets(app), "census.csv", CENSUS)
    # "NA" among city names is unlike the rest (among country codes it would be Namibia).
    assert "4 values look like missing-value markers" in texts(at.warning)
    table = next(d.value for d in at.dataframe if "rest of the column" in d.value.columns)
    assert table[["column", "value", "rows"]].values.tolist() == [
        ["age", "'?'", 2], ["workclass", "'?'", 1], ["city", "'NA'", 1]]
    assert at.radio(key="ds.upload_markers").value == "missing"
    assert "Default: treat them as missing" in texts(at.caption)
    at = at.button(key="ds.store").click().run()
    assert not at.exception
    dataset = versions(engine, project_id)[0]
    frame = stored_frame(engine, dataset)
    assert frame["age"].isna().tolist() == [False, True, False, False, True]
    assert dataset.column_kinds["age"] == "numeric" and pd.isna(frame["city"].tolist()[2])
    assert "Missing-value markers treated as missing (the default): 'age': '?' × 2" in dataset.note
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Missing cells"] == "4"  # the profile counts them


def test_missing_value_markers_can_be_kept_as_values(app, engine, project_id):
    at = choose_file(open_datasets(app), "census.csv", CENSUS)
    at = at.radio(key="ds.upload_markers").set_value("keep").run()
    at = at.button(key="ds.store").click().run()
    dataset = versions(engine, project_id)[0]
    assert stored_frame(engine, dataset)["age"].tolist()[1] == "?"
    assert "Missing-value markers kept as values, as chosen" in dataset.note


def test_markers_kept_as_values_are_pointed_out_in_the_profile_and_can_be_treated(app, engine, project_id):
    at = choose_file(open_datasets(app), "census.csv", CENSUS)
    at = at.radio(key="ds.upload_markers").set_value("keep").run()
    at = at.button(key="ds.store").click().run()
    assert "stored as values, so the counts above leave them out" in texts(at.warning)
    assert {m.label: m.value for m in at.metric}["Missing cells"] == "0"
    at = at.button(key="ds.treat_markers").click().run()
    assert not at.exception
    child, parent = versions(engine, project_id)
    assert child.parent_id == parent.id and child.column_kinds["age"] == "numeric"
    assert stored_frame(engine, child)["age"].isna().sum() == 2
    assert {m.label: m.value for m in at.metric}["Missing cells"] == "4"


# --- downloading a version ---------------------------------------------------------------

def open_versions_with_a_split(app, engine, project_id):
    at = upload(open_datasets(app), "people.csv", csv_bytes() + b"=HYPERLINK(\"http://x\"),Oslo,yes,1\n")
    [dataset] = versions(engine, project_id)
    with session_scope(engine) as s:
        datasets.update_roles(s, dataset_id=dataset.id, roles={"target": "label"})
        frame = datasets.load_frame(s, dataset.id)
        datasets.save_split(s, dataset_id=dataset.id, strategy="random", seed=0, fractions=(0.6, 0.2, 0.2),
                            assignment=pd.Series(["train", "dev", "test"] * 20 + ["train"], index=frame.index))
    return at.run(), dataset, frame


def test_a_version_downloads_as_csv_with_labels_split_and_sidecar(app, engine, project_id, saved_files):
    at, dataset, frame = open_versions_with_a_split(app, engine, project_id)
    assert not at.get("download_button")  # nothing is built before it is asked for
    at.checkbox(key="ds.download.labels").check()
    at.checkbox(key="ds.download.split").check()
    at = at.button(key="FormSubmitter:ds.download_form-Prepare files").click().run()
    assert not at.exception
    data, name = download_of(at, "ds.download.data", saved_files)
    assert name.startswith("Study_people-v1_") and name.endswith("Z.csv")
    read = pd.read_csv(io.BytesIO(data), index_col="row_id", dtype={"age": str})
    assert list(read.index) == list(frame.index)
    assert read["age"].iloc[-1] == "'=HYPERLINK(\"http://x\")"  # a text column: neutralised
    assert list(read["current_label"]) == list(frame["label"])
    assert list(read["split"]) == ["train", "dev", "test"] * 20 + ["train"]
    sidecar = json.loads(download_of(at, "ds.download.sidecar", saved_files)[0])
    assert (sidecar["content_hash"], sidecar["version"], sidecar["roles"]) == (
        dataset.content_hash, 1, {"target": "label"})


def test_a_version_downloads_as_parquet_equal_to_the_stored_rows(app, engine, project_id, saved_files):
    at, dataset, frame = open_versions_with_a_split(app, engine, project_id)
    at.radio(key="ds.download.format").set_value("Parquet")
    at = at.button(key="FormSubmitter:ds.download_form-Prepare files").click().run()
    data, name = download_of(at, "ds.download.data", saved_files)
    assert name.endswith("Z.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(io.BytesIO(data)), frame)


def test_asking_for_labels_without_a_target_is_explained(app, engine, project_id, saved_files):
    at = choose_file(open_datasets(app), "people.csv", csv_bytes())
    upload_role(at, "target").select("—")
    at = at.run().button(key="ds.store").click().run()
    assert versions(engine, project_id)[0].roles["target"] is None
    at.checkbox(key="ds.download.labels").check()
    at = at.button(key="FormSubmitter:ds.download_form-Prepare files").click().run()
    assert not at.exception
    assert "has no labels to add: choose its target on the Roles tab" in texts(at.error)
    assert not at.get("download_button")


def test_the_profile_summarises_every_column_above_the_detail_and_starts_past_the_id(app, engine, project_id):
    from core.data.summary import format_value
    from pages.components.data.intake import store_scenario

    with session_scope(engine) as s:
        dataset = store_scenario(s, project_id=project_id, scenario_name="loan_approval", actor="a", n_rows=1_000).dataset
        frame = datasets.load_frame(s, dataset.id)
    at = open_datasets(app)
    summary = next(d.value for d in at.dataframe if "most frequent" in d.value.columns).set_index("column")
    assert list(summary.index) == list(frame.columns)
    assert summary.loc["credit_score", ["min", "max"]].tolist() == [format_value(frame["credit_score"].min()),
                                                                    format_value(frame["credit_score"].max())]
    assert summary.loc["applicant_id", "role"] == "id" and summary.loc["approved", "role"] == "target"
    assert (summary["missing"] == frame.isna().sum()).all() and (summary["distinct"] == frame.nunique()).all()
    assert at.selectbox(key="ds.dist_column").value == "age"  # the first feature, not the ID
