import pandas as pd
import pytest

from core.modeling.charts import (
    RUN_PALETTE,
    confusion_chart,
    learning_curve_chart,
    metric_scatter,
    parallel_runs,
    per_class_bars,
    run_colour,
)
from core.modeling.comparison import config_diff, flatten, metrics_diff

RUNS = pd.DataFrame({"model": ["knn", "mlp", "knn"], "f1": [0.7, 0.8, 0.75], "fit_seconds": [0.1, 2.0, 0.2]},
                    index=pd.Index([3, 2, 1], name="run"))


def test_scatter_has_one_point_per_run_in_its_colour_with_a_symbol_per_model():
    figure = metric_scatter(RUNS, x="fit_seconds", y="f1")
    assert [t.name for t in figure.data] == ["Run 1 · knn", "Run 2 · mlp", "Run 3 · knn"]
    assert [t.marker.color for t in figure.data] == [run_colour(1), run_colour(2), run_colour(3)]
    assert [t.marker.symbol for t in figure.data] == ["circle", "square", "circle"]
    assert list(figure.data[2].text) == ["Run 3"] and list(figure.data[2].y) == [0.7]
    with pytest.raises(ValueError, match="no column “auc”"):
        metric_scatter(RUNS, x="auc", y="f1")


def test_scatter_axes_include_zero_or_the_title_says_they_do_not():
    from_zero = metric_scatter(RUNS, x="fit_seconds", y="f1")
    assert from_zero.layout.title.text == "f1 against fit_seconds (dev) · axes start at zero"
    assert (from_zero.layout.xaxis.rangemode, from_zero.layout.yaxis.rangemode) == ("tozero", "tozero")
    zoomed = metric_scatter(RUNS, x="fit_seconds", y="f1", from_zero=False)
    assert zoomed.layout.title.text.endswith("axes zoomed to the runs: they do not start at zero")
    assert zoomed.layout.yaxis.rangemode is None


def test_a_run_keeps_its_colour_whatever_else_is_drawn():
    assert len(set(RUN_PALETTE)) == 24 and run_colour(25) == run_colour(1)
    alone = metric_scatter(RUNS.loc[[3]], x="fit_seconds", y="f1")
    assert alone.data[0].marker.color == run_colour(3)
    per_class = pd.DataFrame({"run": [3, 3], "class": ["0", "1"], "f1": [0.5, 0.6], "precision": 0.0, "recall": 0.0})
    assert per_class_bars(per_class).data[0].marker.color == run_colour(3)


def test_parallel_coordinates_draw_one_line_per_run_in_its_colour():
    runs = RUNS.assign(n_neighbors=[5.0, float("nan"), 9.0], weights=["uniform", None, "distance"])
    figure = parallel_runs(runs, columns=["n_neighbors", "weights", "f1"])
    (trace,) = figure.data
    labels = [d.label for d in trace.dimensions]
    assert labels == ["run", "n_neighbors", "weights", "f1"]
    run_axis, neighbours, weights, f1 = trace.dimensions
    assert list(run_axis.ticktext) == ["Run 1", "Run 2", "Run 3"] and list(run_axis.values) == [0, 1, 2]
    # A parameter the MLP lacks becomes a category axis with "—" for it, so every line is drawn.
    assert list(neighbours.ticktext) == ["5", "9", "—"] and list(neighbours.values) == [1, 2, 0]
    assert list(weights.ticktext) == ["distance", "uniform", "—"] and list(weights.values) == [0, 2, 1]
    assert list(f1.values) == [0.75, 0.8, 0.7] and f1.ticktext is None
    # Line k takes the flat colour step k of the scale: the run's own colour.
    scale = [tuple(step) for step in trace.line.colorscale]
    steps = [(start, end, colour) for (start, colour), (end, _) in zip(scale[0::2], scale[1::2])]
    for place, number in enumerate([1, 2, 3]):
        value = (trace.line.color[place] - trace.line.cmin) / (trace.line.cmax - trace.line.cmin)
        assert [colour for start, end, colour in steps if start < value < end] == [run_colour(number)]
    assert figure.layout.title.text == "3 runs across 3 parameters and metrics (dev)"
    with pytest.raises(ValueError, match="Choose at least one run"):
        parallel_runs(RUNS.iloc[:0], columns=["f1"])


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
