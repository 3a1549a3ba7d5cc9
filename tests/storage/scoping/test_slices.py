"""Per-slice targets are checked against the project's datasets when added, and flagged when they stop matching."""

import pandas as pd
import pytest

from core.scoping.slices import UNKNOWN_SLICE_COLUMN, UNKNOWN_SLICE_VALUE
from core.slicing import range_holds, slice_order, slice_values
from core.scoping.targets import TargetError, parse_target, target_text
from storage.data import datasets
from storage.db import session_scope
from storage.project import projects
from storage.scoping import records as scoping

KINDS = {"sex": "categorical", "region": "categorical", "age": "numeric", "y": "categorical"}


def people(n_rows=40, regions=("North", "South")):
    frame = pd.DataFrame({"sex": ["F", "M"] * (n_rows // 2), "region": list(regions) * (n_rows // len(regions)),
                          "age": range(20, 20 + n_rows), "y": [0, 1, 1, 0] * (n_rows // 4)})
    frame.index = pd.RangeIndex(n_rows, name="row_id")
    return frame


@pytest.fixture
def project_id(engine):
    with session_scope(engine) as s:
        return projects.create_project(s, name="Loans").id


def add_data(engine, project_id, frame, name="people"):
    with session_scope(engine) as s:
        datasets.add_dataset_version(s, project_id=project_id, name=name, frame=frame, source="upload",
                                     column_kinds={c: KINDS[c] for c in frame.columns}, roles={"target": "y"})


def add(engine, project_id, text):
    with session_scope(engine) as s:
        return target_text(scoping.add_target(s, project_id=project_id, target=parse_target(text)))


def stored(engine, project_id):
    with session_scope(engine) as s:
        return [target_text(t) for t in scoping.list_targets(s, project_id)]


@pytest.mark.parametrize("text, message", [
    ("precision[gender=F] >= 0.8", UNKNOWN_SLICE_COLUMN.format(column="gender", hint="", names="age, region, sex, y")),
    ("precision[sex=X] >= 0.8", UNKNOWN_SLICE_VALUE.format(column="sex", value="X", hint="", names="F, M")),
    ("precision[region=north] >= 0.8", UNKNOWN_SLICE_VALUE.format(
        column="region", value="north", hint=" (did you mean “North”?)", names="North, South")),
])
def test_a_slice_target_naming_nothing_in_the_data_is_refused_and_writes_nothing(engine, project_id, text, message):
    add_data(engine, project_id, people())
    with pytest.raises(TargetError) as refused:
        add(engine, project_id, text)
    assert str(refused.value) == message
    assert stored(engine, project_id) == []


def test_a_numeric_column_takes_its_ranges_and_a_number_suggests_the_range_that_holds_it(engine, project_id):
    add_data(engine, project_id, people())
    ranges = sorted(set(slice_values(people()["age"])), key=slice_order)
    holding = next(name for name in ranges if range_holds(name, 30))
    with pytest.raises(TargetError) as refused:
        add(engine, project_id, "precision[age=30] >= 0.8")
    assert str(refused.value) == UNKNOWN_SLICE_VALUE.format(
        column="age", value="30", hint=f" (did you mean “{holding}”?)", names=", ".join(ranges))
    assert add(engine, project_id, f"precision[age={holding}] >= 0.8") == f"precision[age={holding}] >= 0.8"


def test_a_slice_the_data_holds_is_accepted_and_the_check_is_logged(engine, project_id):
    add_data(engine, project_id, people())
    assert add(engine, project_id, "recall[region=North] >= 0.8") == "recall[region=North] >= 0.8"
    with session_scope(engine) as s:
        details = projects.list_events(s, project_id).loc[0, "details"]
    assert "slice: found in the data" in details


def test_without_data_a_slice_is_accepted_and_flagged_once_data_arrives_without_it(engine, project_id):
    add(engine, project_id, "recall[region=north] >= 0.8")
    add(engine, project_id, "recall[sex=F] >= 0.8")
    with session_scope(engine) as s:
        assert "to be checked when data arrives" in projects.list_events(s, project_id).loc[0, "details"]
        assert scoping.load_scoping(s, project_id).target_problems == {}
    add_data(engine, project_id, people())
    with session_scope(engine) as s:
        sheet = scoping.load_scoping(s, project_id)
    flagged = {target_text(t): sheet.target_problems.get(t.id) for t in sheet.targets}
    assert flagged == {"recall[region=north] >= 0.8": UNKNOWN_SLICE_VALUE.format(
        column="region", value="north", hint=" (did you mean “North”?)", names="North, South"),
        "recall[sex=F] >= 0.8": None}


def test_a_value_found_in_any_dataset_matches_and_a_newer_version_without_it_flags_it(engine, project_id):
    add_data(engine, project_id, people(regions=("East", "West")), name="archive")
    add_data(engine, project_id, people())
    add(engine, project_id, "recall[region=East] >= 0.8")  # only the archive holds East
    add_data(engine, project_id, people(regions=("North", "South")), name="archive")  # its newest version lacks East
    with session_scope(engine) as s:
        problems = scoping.load_scoping(s, project_id).target_problems
    assert list(problems.values()) == [UNKNOWN_SLICE_VALUE.format(column="region", value="East", hint="",
                                                                  names="North, South")]
