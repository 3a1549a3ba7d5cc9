"""The labeling card through AppTest: every field at once, the plan's fields and order, blind labeling."""

import pytest

from pages.components.data.intake import store_scenario
from storage.db import session_scope
from storage.labeling import batches as label_batches
from storage.project import projects
from tests.pages.conftest import read, texts
from tests.pages.test_labeling import open_page, plan

pytestmark = pytest.mark.both_databases  # this page writes: run on SQLite and on PostgreSQL

FIELDS = "lab.card_fields.{}"
LOAN_FIELDS = ["month", "age", "employment_type", "years_employed", "income", "savings", "home_ownership", "purpose",
               "loan_amount", "loan_term_months", "debt_to_income", "credit_score", "num_open_accounts",
               "late_payments_2y"]


@pytest.fixture
def loans(engine):
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Loans")
        return store_scenario(s, project_id=project.id, scenario_name="loan_approval", actor="ann", n_rows=1_000).dataset


def card_tables(at) -> str:
    return "\n".join(m.value for m in at.markdown if m.value.startswith("| field | value |"))


def test_the_loan_card_shows_every_feature_at_once_and_hides_the_sensitive_ones(app, engine, loans):
    at = open_page(app, "Plan")
    assert at.multiselect(key=FIELDS.format(loans.id)).value == LOAN_FIELDS
    assert at.toggle(key=f"lab.blind.{loans.id}").value is True  # on by default: the data has sensitive columns
    at = plan(at, size=3, overlap=0.0)
    batch = read(engine, lambda s: label_batches.list_batches(s, loans.id))[0]
    assert batch.params["card"] == {"fields": LOAN_FIELDS, "blind": True}
    at = at.segmented_control(key="lab.view").set_value("Label").run()
    shown = card_tables(at)
    assert all(f"| {field} |" in shown.replace("\\_", "_") for field in LOAN_FIELDS)
    assert "| sex |" not in shown and "| region |" not in shown and "| approved |" not in shown
    assert len([m for m in at.markdown if m.value.startswith("| field | value |")]) == 2  # two compact columns
    assert "Blind labeling: the sensitive columns (sex, age_band, region) are hidden" in texts(at.caption)
    at = at.toggle(key="lab.grid_mode").set_value(True).run()
    grid = next(d.value for d in at.dataframe if "label" in d.value.columns)
    assert list(grid.columns) == [*LOAN_FIELDS, "label"]  # the financial features too, in the card's order


def test_the_plan_chooses_the_fields_and_their_order(app, engine, loans):
    at = open_page(app, "Plan")
    at.multiselect(key=FIELDS.format(loans.id)).set_value(["credit_score", "debt_to_income", "income"])
    at = plan(at, size=2, overlap=0.0).segmented_control(key="lab.view").set_value("Label").run()
    shown = card_tables(at).replace("\\_", "_")
    assert shown.index("| credit_score |") < shown.index("| debt_to_income |") < shown.index("| income |")
    assert "| age |" not in shown


def test_a_sensitive_field_under_blind_labeling_is_refused_and_nothing_is_planned(app, engine, loans):
    at = open_page(app, "Plan")
    at.multiselect(key=FIELDS.format(loans.id)).set_value(["income", "sex"])
    at = plan(at, size=2, overlap=0.0)
    assert "Blind labeling hides the sensitive columns, and the fields include “sex”" in texts(at.error)
    assert read(engine, lambda s: label_batches.list_batches(s, loans.id)) == []
    at.toggle(key=f"lab.blind.{loans.id}").set_value(False)
    at = plan(at, size=2, overlap=0.0).segmented_control(key="lab.view").set_value("Label").run()
    assert "| sex |" in card_tables(at) and "Blind labeling" not in texts(at.caption)
