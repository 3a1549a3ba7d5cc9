"""The positive class of a two-class target: stored per project and target, refused for a class it lacks."""

import pytest

from storage.db import session_scope
from storage.project import projects
from storage.scoping.positive import choose_positive, chosen_positive, positive_of


def test_the_choice_is_kept_per_project_and_target_and_the_default_is_the_last_class(engine):
    with session_scope(engine) as s:
        study, other = (projects.create_project(s, name=n).id for n in ("Study", "Other"))
        assert positive_of(s, project_id=study, target="y", classes=[0, 1]) == 1
        choose_positive(s, project_id=study, target="y", value="0", classes=[0, 1])
        choose_positive(s, project_id=study, target="y", value="1", classes=[0, 1])  # changed again: one row
        choose_positive(s, project_id=study, target="label", value="no", classes=["no", "yes"])
    with session_scope(engine) as s:
        assert chosen_positive(s, project_id=study, target="y") == "1"
        assert positive_of(s, project_id=study, target="label", classes=["no", "yes"]) == "no"
        assert chosen_positive(s, project_id=other, target="label") is None
        assert list(projects.list_events(s, study)["what"]).count("chose the positive class") == 3


def test_a_class_the_target_lacks_or_a_target_with_three_classes_is_refused(engine):
    with session_scope(engine) as s:
        study = projects.create_project(s, name="Study").id
    with pytest.raises(ValueError, match="“maybe” is not one of the target's two classes \\(no, yes\\)"):
        with session_scope(engine) as s:
            choose_positive(s, project_id=study, target="label", value="maybe", classes=["no", "yes"])
    with pytest.raises(ValueError, match="The target “digit” has 3 classes"):
        with session_scope(engine) as s:
            choose_positive(s, project_id=study, target="digit", value="1", classes=[0, 1, 2])
    with session_scope(engine) as s:
        assert chosen_positive(s, project_id=study, target="label") is None


def test_a_target_column_and_classes_with_long_names_are_kept_whole(engine):
    """Column names and class values come from the data, which sets no length: nothing is cut or refused."""
    target, classes = "t" * 250, ["no " + "n" * 300, "yes " + "y" * 300]
    with session_scope(engine) as s:
        study = projects.create_project(s, name="Study").id
        choose_positive(s, project_id=study, target=target, value=classes[0], classes=classes)
    with session_scope(engine) as s:
        assert chosen_positive(s, project_id=study, target=target) == classes[0]
        assert positive_of(s, project_id=study, target=target, classes=classes) == classes[0]
