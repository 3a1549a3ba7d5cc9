from pages.components.project.contents import CONTENT_NOUNS, describe_contents
from storage.tables import project_tables


def test_every_project_table_has_a_noun_for_the_delete_confirmation():
    missing = {t.name for t in project_tables()} - set(CONTENT_NOUNS)
    assert not missing, f"add these tables to CONTENT_NOUNS: {sorted(missing)}"


def test_contents_are_described_in_words_and_hidden_tables_left_out():
    assert describe_contents({"dataset": 2, "dataset_blob": 2, "label": 1200}) == ["2 dataset versions", "1,200 labels"]
    assert describe_contents({"new_table": 3}) == ["3 new table rows"]
