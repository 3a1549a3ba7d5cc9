import pandas as pd
import pytest

from core.modeling.charts import confusion_chart, learning_curve_chart, metric_scatter, per_class_bars
from core.modeling.comparison import config_diff, flatten, metrics_diff

RUNS = pd.DataFrame({"model": ["knn", "mlp", "knn"], "f1": [0.7, 0.8, 0.75], "fit_seconds": [0.1, 2.0, 0.2]},
                    index=pd.Index([3, 2, 1], name="run"))


def test_scatter_has_one_trace_per_model_with_run_labels():
    figure = metric_scatter(RUNS, x="fit_seconds", y="f1")
    assert [t.name for t in figure.data] == ["knn", "mlp"]
    assert list(figure.data[0].text) == ["Run 3", "Run 1"] and list(figure.data[0].y) == [0.7, 0.75]
    assert figure.layout.title.text == "f1 against fit_seconds (dev)"
    with pytest.raises(ValueError, match="no column “auc”"):
        metric_scatter(RUNS, x="auc", y="f1")


def test_per_class_bars_group_one_series_per_run():
    per_class = pd.DataFrame({"run": [1, 1, 2, 2], "class": ["0", "1", "0", "1"], "f1": [0.5, 0.6, 0.7, 0.8],
                              "precision": 0.0, "recall": 0.0})
    figure = per_class_bars(per_class, metric="f1")
    assert [t.name for t in figure.data] == ["Run 1", "Run 2"] and list(figure.data[1].y) == [0.7, 0.8]
    assert figure.layout.barmode == "group" and figure.layout.title.text == "f1 per class (dev)"
    with pytest.raises(ValueError, match="Per-class metric must be one of"):
        per_class_bars(per_class, metric="support")


def test_learning_curve_and_confusion_charts():
    curve = pd.DataFrame({"train_rows": [10, 100], "train_score": [1.0, 0.9], "dev_score": [0.6, 0.8]})
    figure = learning_curve_chart(curve)
    assert [t.name for t in figure.data] == ["train", "dev"] and list(figure.data[1].y) == [0.6, 0.8]
    confusion = pd.DataFrame([[5, 1], [2, 7]], index=["a", "b"], columns=["a", "b"])
    heat = confusion_chart(confusion).data[0]
    assert heat.type == "heatmap" and heat.z.tolist() == [[5, 1], [2, 7]] and list(heat.x) == ["a", "b"]


def test_config_diff_flattens_and_marks_what_differs():
    a = {"model": "knn", "params": {"n_neighbors": 5, "weights": "uniform"}, "cv_folds": 0}
    b = {"model": "knn", "params": {"n_neighbors": 9, "weights": "uniform"}, "cv_folds": 0}
    assert flatten(a)["params.n_neighbors"] == 5
    diff = config_diff(a, b).set_index("setting")
    assert diff.loc["params.n_neighbors"].tolist() == ["5", "9", True]
    assert not diff.loc["model", "differs"] and diff["differs"].sum() == 1


def test_metrics_diff_says_which_run_is_better_in_each_direction():
    diff = metrics_diff({"f1": 0.8, "log_loss": 0.5, "roc_auc": None}, {"f1": 0.85, "log_loss": 0.6}).set_index("metric")
    assert diff.loc["f1", "B − A"] == pytest.approx(0.05) and diff.loc["f1", "better"] == "B"
    assert diff.loc["log_loss", "better"] == "A" and diff.loc["roc_auc", "better"] == "—"


def test_row_counts_of_slices_are_compared_but_never_called_better():
    diff = metrics_diff({"n_rows": 100, "n_rows[sex=F]": 40, "f1[sex=F]": 0.6},
                        {"n_rows": 100, "n_rows[sex=F]": 45, "f1[sex=F]": 0.7}).set_index("metric")
    assert diff.loc["n_rows[sex=F]", "B − A"] == 5 and diff.loc["n_rows[sex=F]", "better"] == "—"
    assert diff.loc["f1[sex=F]", "better"] == "B"
