import math

import pandas as pd
import pytest

from core.labeling.effort import labeling_effort


def test_speed_plan_share_and_time_to_finish():
    labels = pd.DataFrame({"labeler": ["a", "a", "b"], "seconds": [10.0, 20.0, 30.0]})
    effort = labeling_effort(labels, remaining=60, planned_days=0.5)
    assert effort.hours_spent == pytest.approx(60 / 3600)
    assert effort.labels_per_hour == pytest.approx(180)
    assert effort.hours_to_finish == pytest.approx(60 / 180)
    assert effort.share_of_plan == pytest.approx((60 / 3600) / 4)
    assert effort.per_labeler.loc["a", "labels"] == 2
    assert effort.per_labeler.loc["b", "labels_per_hour"] == pytest.approx(120)


def test_no_plan_and_no_time_yet():
    effort = labeling_effort(pd.DataFrame({"labeler": [], "seconds": []}), remaining=5, planned_days=None)
    assert effort.share_of_plan is None and math.isnan(effort.labels_per_hour) and math.isnan(effort.hours_to_finish)
