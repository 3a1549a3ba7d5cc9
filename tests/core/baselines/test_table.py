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
    assert class_table(scores.overall).to_dict("list") == {"class": ["0", "1"], "recall": [0.4, 0.6], "rows": [60, 40]}
    table = slice_table(scores, "sex")
    assert list(table.columns) == ["sex", "rows", "Accuracy", "Recall"]
    assert table.loc[0, "Accuracy"] == 0.8 and table.loc[0, "rows"] == 30
    assert slice_table(scores, "region").empty
    assert isinstance(table, pd.DataFrame)


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
