import pytest

from core.baselines import literature
from core.baselines.literature import literature_value


def test_a_literature_value_is_checked_and_trimmed():
    entry = literature_value(metric="f1_macro", value=" 0.9 ", citation="Smith  et al.\n2020", note=" in-house ")
    assert (entry.metric, entry.value, entry.citation, entry.note) == ("f1_macro", 0.9, "Smith et al. 2020", "in-house")
    assert entry.name == "Macro-F1 0.9 (Smith et al. 2020)"


@pytest.mark.parametrize("fields, message", [
    ({"metric": "auc_pr"}, "not a metric baselines are compared on"),
    ({"value": "91%"}, "is not a number"),
    ({"value": "91"}, literature.VALUE_OUT_OF_RANGE.format(label="Accuracy", value="91")),
    ({"citation": "  "}, literature.CITATION_EMPTY),
    ({"citation": "x" * 301}, literature.CITATION_TOO_LONG),
])
def test_bad_entries_are_refused_with_the_fix(fields, message):
    with pytest.raises(ValueError) as error:
        literature_value(**{"metric": "accuracy", "value": "0.9", "citation": "Smith 2020", **fields})
    assert message in str(error.value)
