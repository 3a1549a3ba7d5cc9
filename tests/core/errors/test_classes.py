import numpy as np
import pytest
from sklearn import metrics as sk

from core.errors.classes import confusion_chart, confusion_table, per_class_table, threshold_chart, threshold_curve
from core.errors.data import analysis_data
from core.predictions import predictions_frame
import pandas as pd


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    proba = rng.dirichlet([1, 1, 1], 500)
    true = np.where(rng.random(500) < 0.6, proba.argmax(1), rng.integers(0, 3, 500))
    predictions = predictions_frame(range(500), true, proba.argmax(1), proba, classes=[0, 1, 2])
    frame = pd.DataFrame({"x": np.arange(500.0)}, index=pd.RangeIndex(500, name="row_id"))
    return analysis_data(predictions, frame, classes=[0, 1, 2], numeric=["x"], categorical=[])


def test_confusion_and_per_class_equal_scikit_learn(data):
    assert (confusion_table(data).to_numpy() == sk.confusion_matrix(data.true, data.pred)).all()
    p, r, f, support = sk.precision_recall_fscore_support(data.true, data.pred, zero_division=0)
    table = per_class_table(data)
    assert np.allclose(table["precision"], p) and np.allclose(table["recall"], r) and np.allclose(table["f1"], f)
    assert table["support"].tolist() == support.tolist()


def test_threshold_curve_equals_scikit_learn_at_each_threshold(data):
    curve = threshold_curve(data, positive=2)
    for row in curve.iloc[::50].itertuples():
        predicted = data.proba[:, 2] >= row.threshold
        assert row.precision == pytest.approx(sk.precision_score(data.true == 2, predicted))
        assert row.recall == pytest.approx(sk.recall_score(data.true == 2, predicted))


def test_charts_carry_the_numbers_and_the_targets(data):
    figure = threshold_chart(threshold_curve(data, positive=1), targets={"recall": 0.8}, class_name="1")
    assert [t.name for t in figure.data] == ["precision", "recall"]
    assert figure.layout.shapes[0].y0 == 0.8 and "target recall ≥ 0.8" in figure.layout.annotations[0].text
    heat = confusion_chart(confusion_table(data))
    assert (np.asarray(heat.data[0].z) == sk.confusion_matrix(data.true, data.pred)).all()
