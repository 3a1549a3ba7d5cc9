import math
from types import SimpleNamespace

import pandas as pd

from core.baselines.metrics import BaselineScores, Scores
from core.baselines.table import (
    INTERVAL,
    BaselineSummary,
    class_table,
    comparison_table,
    slice_table,
    targets_table,
)
from core.baselines.computed import KIND_LABELS
from core.scoping.targets import parse_target


def summary(name, kind, accuracy, recall_f, *, interval=None, primary=False):
    overall = Scores(100, {"accuracy": accuracy, "recall": 0.5}, {"0": 0.4, "1": 0.6}, {"0": 60, "1": 40},
                     {"accuracy": interval} if interval else {})
    women = Scores(30, {"accuracy": accuracy - 0.1, "recall": recall_f}, {}, {})
    return BaselineSummary(1, name, kind, BaselineScores(overall, {"sex": {"F": women}}), primary, "note")


def test_comparison_table_lists_every_metric_and_drops_empty_intervals():
    table = comparison_table([summary("Most frequent class", "dummy", 0.6, 1.0, primary=True),
                              summary("Human-level", "hlp", 0.9, 0.85, interval=(0.85, 0.93))], kind_labels=KIND_LABELS)
    assert list(table["primary"]) == ["★", ""] and list(table["kind"]) == ["Dummy", "Human-level"]
    assert list(table[INTERVAL]) == ["", "0.850 – 0.930"]
    assert math.isnan(table.loc[0, "Macro-F1"])
    only_dummy = comparison_table([summary("Most frequent class", "dummy", 0.6, 1.0)], kind_labels=KIND_LABELS)
    assert INTERVAL not in only_dummy.columns


def test_targets_table_marks_met_missed_and_unmeasured_per_baseline():
    targets = [parse_target("accuracy >= 0.8"), parse_target("recall[sex=F] >= 0.8"), parse_target("roc_auc >= 0.9")]
    table = targets_table([summary("Dummy", "dummy", 0.6, 1.0), summary("People", "hlp", 0.9, 0.7)], targets)
    assert table.to_dict("list") == {
        "target": ["accuracy >= 0.8", "recall[sex=F] >= 0.8", "roc_auc >= 0.9"],
        "Dummy": ["0.600 ✗", "1.000 ✓", "–"],
        "People": ["0.900 ✓", "0.700 ✗", "–"],
    }


def test_class_and_slice_tables():
    scores = summary("People", "hlp", 0.9, 0.7).scores
    assert class_table(scores.overall).to_dict("list") == {"class": ["0", "1"], "recall": [0.4, 0.6], "rows": [60, 40],
                                                           "note": ["", ""]}
    table = slice_table(scores, "sex")
    assert list(table.columns) == ["sex", "rows", "Accuracy", "Recall", "note"]
    assert table.loc[0, "Accuracy"] == 0.8 and table.loc[0, "rows"] == 30
    assert slice_table(scores, "region").empty
    assert isinstance(table, pd.DataFrame)


def hlp_with_a_tiny_slice() -> BaselineScores:
    overall = Scores(40, {"accuracy": 0.8}, {"0": 0.9, "1": 0.5}, {"0": 35, "1": 5},
                     {"accuracy": (0.7, 0.9), "recall[0]": (0.8, 1.0), "recall[1]": (0.0, 1.0)})
    one_row = Scores(1, {"accuracy": 0.0}, {}, {}, {"accuracy": (0.0, 0.0)})  # "0.000 (0.000–0.000)" from 1 row
    big = Scores(39, {"accuracy": 0.82}, {}, {}, {"accuracy": (0.7, 0.92)})
    return BaselineScores(overall, {"region": {"North": big, "South": one_row}})


def test_an_interval_from_fewer_rows_than_the_minimum_says_too_few_rows():
    scores = hlp_with_a_tiny_slice()
    table = slice_table(scores, "region").set_index("region")
    assert table.loc["South", INTERVAL] == "too few rows" and table.loc["South", "note"] == "too few rows (1 < 30)"
    assert table.loc["North", INTERVAL] == "0.700 – 0.920" and table.loc["North", "note"] == ""
    assert table.loc["South", "rows"] == 1  # the count is always shown beside the score
    classes = class_table(scores.overall).set_index("class")
    assert classes.loc["1", "95% interval"] == "too few rows" and classes.loc["0", "95% interval"] == "0.800 – 1.000"


def test_the_minimum_is_the_users_to_set():
    scores = hlp_with_a_tiny_slice()
    assert slice_table(scores, "region", min_rows=1).loc[1, INTERVAL] == "0.000 – 0.000"
    strict = slice_table(scores, "region", min_rows=40).set_index("region")
    assert list(strict["note"]) == ["too few rows (39 < 40)", "too few rows (1 < 40)"]
    people = BaselineSummary(1, "People", "hlp", scores)
    assert comparison_table([people], kind_labels=KIND_LABELS, min_rows=50).loc[0, INTERVAL] == "too few rows"
    assert comparison_table([people], kind_labels=KIND_LABELS).loc[0, INTERVAL] == "0.700 – 0.900"
def test_scoring_note_says_what_each_kind_present_was_scored_on():
    from core.baselines.table import scoring_note

    def summary(kind, n):
        scores = SimpleNamespace(overall=SimpleNamespace(n=n))
        return SimpleNamespace(kind=kind, scores=scores)

    dummies_only = scoring_note([summary("dummy", 300), summary("simple_model", 300)])
    assert dummies_only == "Dummy, simple-model and old-model baselines are scored on the dev split."
    with_hlp = scoring_note([summary("dummy", 300), summary("hlp", 120), summary("literature", 0)])
    assert "Human-level performance is not scored on the dev split: it rests on the items labelers labeled" in with_hlp
    assert "120 items." in with_hlp and with_hlp.endswith("as reported by their source, on its own data.")
    assert "dev split" not in scoring_note([summary("hlp", 120)]).split(":")[1]
