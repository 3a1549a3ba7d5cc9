import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from core.data import roles as roles_module
from core.data.roles import RoleCheck, Roles, check_roles, suggest_roles
from core.data.schema import infer_schema


def _loans() -> pd.DataFrame:
    return pd.DataFrame({
        "applicant_id": [101, 102, 103, 104, 105, 106],
        "month": pd.to_datetime(["2024-01-01"] * 2 + ["2024-02-01"] * 2 + ["2024-03-01"] * 2),
        "income": [30.0, 52.5, 41.0, 18.0, 75.0, 60.0],
        "sex": ["f", "m", "f", "m", "f", "m"],
        "approved": ["yes", "no", "yes", "no", "yes", "yes"],
    })


def _checks(frame: pd.DataFrame, roles: Roles) -> tuple[RoleCheck, ...]:
    return check_roles(frame, roles, infer_schema(frame))


GOOD_ROLES = Roles(target="approved", id="applicant_id", time="month", sensitive=("sex",))


# --- Roles value --------------------------------------------------------------------


def test_roles_round_trip_through_json():
    roles = Roles(target="y", id="id", time="t", sensitive=("sex", "age"), ignored=("note",))
    stored = json.loads(json.dumps(roles.to_dict()))
    expected = {"target": "y", "id": "id", "time": "t", "sensitive": ["sex", "age"], "ignored": ["note"]}
    assert stored == expected
    assert Roles.from_dict(stored) == roles


def test_from_dict_fills_absent_keys_with_defaults():
    assert Roles.from_dict({"target": "y"}) == Roles(target="y")
    assert Roles.from_dict({}) == Roles()


def test_from_dict_rejects_unknown_keys():
    with pytest.raises(ValueError) as caught:
        Roles.from_dict({"target": "y", "weight": "w", "group": "g"})
    assert str(caught.value) == roles_module.UNKNOWN_ROLE_KEYS.format(keys="group, weight")


def test_lists_become_tuples_so_roles_stay_immutable_and_hashable():
    roles = Roles(sensitive=["sex"], ignored=["note"])
    assert roles.sensitive == ("sex",) and roles.ignored == ("note",)
    assert hash(roles) == hash(Roles(sensitive=("sex",), ignored=("note",)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        roles.target = "y"


def test_feature_columns_leave_out_every_role_and_keep_order():
    roles = Roles(target="y", id="id", time="t", sensitive=("sex",), ignored=("note",))
    columns = ["id", "a", "sex", "b", "t", "note", "y", "c"]
    assert roles.feature_columns(columns) == ["a", "b", "c"]
    assert Roles().feature_columns(columns) == columns


# --- check_roles ----------------------------------------------------------------------


def test_well_chosen_roles_give_no_findings():
    assert _checks(_loans(), GOOD_ROLES) == ()


def test_role_naming_a_missing_column_is_an_error():
    roles = Roles(target="label", sensitive=("race",), ignored=("memo",))
    messages = [check.message for check in _checks(_loans(), roles)]
    assert messages == [
        roles_module.MISSING_ROLE_COLUMN.format(role="target", column="label"),
        roles_module.MISSING_ROLE_COLUMN.format(role="sensitive", column="race"),
        roles_module.MISSING_ROLE_COLUMN.format(role="ignored", column="memo"),
    ]


def test_one_column_in_two_exclusive_roles_is_an_error():
    checks = _checks(_loans(), Roles(target="approved", id="applicant_id", time="applicant_id"))
    message = roles_module.ROLE_CONFLICT.format(column="applicant_id", first="id", second="time")
    assert checks == (RoleCheck("error", message),)


def test_ignored_target_is_an_error():
    checks = _checks(_loans(), Roles(target="approved", ignored=("approved",)))
    message = roles_module.IGNORED_CONFLICT.format(column="approved", role="target")
    assert checks == (RoleCheck("error", message),)


def test_single_class_target_is_an_error_naming_the_class():
    frame = _loans().assign(approved="yes")
    checks = _checks(frame, Roles(target="approved"))
    assert checks == (
        RoleCheck("error", roles_module.TARGET_ONE_CLASS.format(column="approved", value="yes", count=6)),
    )
    assert "has only one class, 'yes'," in checks[0].message


def test_single_numeric_class_is_shown_as_a_plain_number():
    frame = pd.DataFrame({"y": np.array([1, 1, 1], dtype=np.int64)})
    (check,) = check_roles(frame, Roles(target="y"), {"y": "categorical"})
    assert "only one class, 1," in check.message


def test_target_with_more_than_100_classes_is_a_warning():
    frame = pd.DataFrame({"price": np.arange(101) * 1.5})
    checks = check_roles(frame, Roles(target="price"), {"price": "numeric"})
    message = roles_module.TARGET_MANY_CLASSES.format(column="price", count=101, limit=100)
    assert checks == (RoleCheck("warning", message),)


def test_target_with_exactly_100_classes_is_fine():
    frame = pd.DataFrame({"y": np.arange(100)})
    assert check_roles(frame, Roles(target="y"), {"y": "numeric"}) == ()


def test_all_missing_target_is_an_error_and_not_also_an_empty_column_warning():
    frame = _loans().assign(approved=np.nan)
    checks = _checks(frame, Roles(target="approved"))
    assert checks == (RoleCheck("error", roles_module.TARGET_ALL_MISSING.format(column="approved")),)


def test_partly_missing_target_is_a_warning_with_the_count():
    frame = _loans()
    frame.loc[[1, 4], "approved"] = None
    checks = _checks(frame, Roles(target="approved"))
    expected_count = int(frame["approved"].isna().sum())
    message = roles_module.TARGET_SOME_MISSING.format(column="approved", count=expected_count, total=6)
    assert checks == (RoleCheck("warning", message),)
    assert expected_count == 2


def test_duplicate_ids_are_an_error_with_count_and_example():
    frame = _loans().assign(applicant_id=[7, 8, 7, 9, 8, 7])
    checks = _checks(frame, Roles(id="applicant_id"))
    count = int(frame["applicant_id"].duplicated().sum())
    message = roles_module.ID_DUPLICATES.format(column="applicant_id", count=count, example=7)
    assert checks == (RoleCheck("error", message),)
    assert count == 3


def test_missing_ids_are_an_error():
    frame = _loans().assign(applicant_id=["a", None, "c", "d", None, "f"])
    checks = _checks(frame, Roles(id="applicant_id"))
    assert checks == (RoleCheck("error", roles_module.ID_MISSING.format(column="applicant_id", count=2)),)


def test_all_missing_column_is_a_warning_unless_ignored():
    frame = _loans().assign(notes=np.nan)
    message = roles_module.ALL_MISSING_COLUMN.format(column="notes")
    assert _checks(frame, GOOD_ROLES) == (RoleCheck("warning", message),)
    assert _checks(frame, dataclasses.replace(GOOD_ROLES, ignored=("notes",))) == ()


@pytest.mark.parametrize(
    ("column", "values", "kind"),
    [
        ("month", ["2024-01-05", "2024-01-06", "2024-01-07"], "datetime"),  # text parsed as dates
        ("month", [1, 2, 3], "numeric"),
        ("month", pd.to_datetime(["2024-01-05", "2024-01-06", "2024-01-07"]), "datetime"),
    ],
)
def test_time_column_may_be_dates_or_numbers(column, values, kind):
    frame = pd.DataFrame({column: values, "y": ["a", "b", "a"]})
    assert check_roles(frame, Roles(target="y", time=column), {column: kind, "y": "categorical"}) == ()


@pytest.mark.parametrize(
    ("values", "kind"),
    [(["early", "late", "early"], "categorical"), ([True, False, True], "categorical")],
)
def test_time_column_of_labels_or_flags_is_an_error(values, kind):
    frame = pd.DataFrame({"phase": values})
    checks = check_roles(frame, Roles(time="phase"), {"phase": kind})
    assert checks == (RoleCheck("error", roles_module.TIME_NOT_ORDERED.format(column="phase", kind=kind)),)


def test_errors_come_before_warnings():
    frame = _loans().assign(notes=np.nan, applicant_id=[1, 1, 2, 3, 4, 5])
    frame.loc[0, "approved"] = None
    levels = [check.level for check in _checks(frame, GOOD_ROLES)]
    assert levels == ["error", "warning", "warning"]


def test_restricted_to_drops_roles_of_missing_columns():
    roles = Roles(target="y", id="key", time="t", sensitive=("sex", "age"), ignored=("note",))
    assert roles.restricted_to(["y", "age", "note"]) == Roles(target="y", sensitive=("age",), ignored=("note",))
    assert roles.restricted_to(["y", "key", "t", "sex", "age", "note"]) == roles


# --- roles suggested for an upload ---------------------------------------------------------


@pytest.mark.parametrize(("columns", "expected"), [
    ({"applicant_id": [1, 2, 3], "income": [1, 2, 3], "approved": [0, 1, 0]}, ("approved", "applicant_id")),
    ({"ID": ["a", "b", "c"], "label": ["x", "y", "x"], "f": [1, 2, 3]}, ("label", "ID")),
    ({"customerId": [7, 8, 9], "Class": [1, 0, 1], "z": [0, 0, 1]}, ("Class", "customerId")),
    ({"Customer ID": [7, 8, 9], "y": [1, 0, 1]}, ("y", "Customer ID")),
    ({"paid": [1, 2, 3], "valid": [1, 2, 3], "outcome": [0, 1, 1]}, ("outcome", None)),  # words ending in "id"
    ({"row_id": [1, 1, 2], "x": [1, 2, 3], "target": [0, 1, 0]}, ("target", None)),  # repeats: not an ID
    ({"id": [1, None, 3], "x": [1, 2, 3]}, ("x", None)),  # a missing value: not an ID
    ({"x": [1, 2, 3], "id": [4, 5, 6]}, ("x", "id")),  # the last column is the ID: the target is the one before
])
def test_roles_are_suggested_from_names_and_values(columns, expected):
    roles = suggest_roles(pd.DataFrame(columns))
    assert (roles.target, roles.id) == expected


def test_a_table_of_one_id_column_suggests_no_target():
    assert suggest_roles(pd.DataFrame({"id": [1, 2]})) == Roles(id="id")
