"""Degrees of automation, and the confidence threshold that splits the work between model and person.

Under partial automation the model decides a case when its confidence is above the threshold;
otherwise a person does, right with the measured human-level accuracy. The curve over the
threshold shows the share automated, the expected error rate and the expected cost per case
(a person's review plus an error's cost), so the threshold can be chosen on cost.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

Level = Literal["human_only", "shadow", "ai_assistance", "partial_automation", "full_automation"]
LEVEL_LABELS: dict[Level, str] = {
    "human_only": "Human only", "shadow": "Shadow (model runs, people decide)",
    "ai_assistance": "AI assistance (people decide, seeing the model's suggestion)",
    "partial_automation": "Partial automation (confident cases by the model)",
    "full_automation": "Full automation",
}
# The levels at which people decide every case: the model's answer is logged or shown, never final.
PEOPLE_DECIDE = ("human_only", "shadow", "ai_assistance")
THRESHOLDS = np.round(np.linspace(0.0, 1.0, 101), 2)

UNKNOWN_LEVEL = "“{level}” is not a degree of automation; choose one of: {levels}."
BAD_THRESHOLD = "The confidence threshold must be between 0 and 1; {value} is not."
BAD_COST = "A cost must be a number of 0 or more; {value} is not."
BAD_ACCURACY = "The human accuracy must be between 0 and 1; {value} is not. Measure it on the Baselines page."


@dataclass(frozen=True)
class AutomationSetting:
    """A degree of automation with its threshold, the costs, and the person's accuracy it assumes."""

    level: Level = "full_automation"
    threshold: float = 0.0
    review_cost: float = 1.0
    error_cost: float = 10.0
    human_accuracy: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict | None) -> AutomationSetting:
        return cls(**(data or {}))


def check_setting(setting: AutomationSetting) -> AutomationSetting:
    """Return the setting when its level, threshold, costs and accuracy are valid; else raise ValueError."""
    if setting.level not in get_args(Level):
        raise ValueError(UNKNOWN_LEVEL.format(level=setting.level, levels=", ".join(get_args(Level))))
    if not 0.0 <= setting.threshold <= 1.0:
        raise ValueError(BAD_THRESHOLD.format(value=setting.threshold))
    for cost in (setting.review_cost, setting.error_cost):
        if not np.isfinite(cost) or cost < 0:
            raise ValueError(BAD_COST.format(value=cost))
    if setting.human_accuracy is not None and not 0.0 <= setting.human_accuracy <= 1.0:
        raise ValueError(BAD_ACCURACY.format(value=setting.human_accuracy))
    return setting


def routed_to_human(confidence: np.ndarray, setting: AutomationSetting) -> np.ndarray:
    """Return, per case, whether a person decides it at this setting."""
    if setting.level in PEOPLE_DECIDE:
        return np.ones(len(confidence), dtype=bool)
    if setting.level == "full_automation":
        return np.zeros(len(confidence), dtype=bool)
    return confidence <= setting.threshold


def automation_curve(correct: np.ndarray, confidence: np.ndarray, *, human_accuracy: float, review_cost: float,
                     error_cost: float, thresholds: np.ndarray = THRESHOLDS) -> pd.DataFrame:
    """Return per threshold: automation rate, expected error rate, and expected cost per case.

    A case is automated when the model's confidence is above the threshold; at 0 every case is
    (the model's error rate), at 1 none is (the person's error rate, 1 - human_accuracy).
    """
    correct, confidence = np.asarray(correct, dtype=bool), np.asarray(confidence, dtype=float)
    automated = confidence[None, :] > np.asarray(thresholds)[:, None]
    n = len(correct)
    model_errors = (automated & ~correct[None, :]).sum(axis=1)
    human_cases = n - automated.sum(axis=1)
    error_rate = (model_errors + human_cases * (1.0 - human_accuracy)) / n
    return pd.DataFrame({"threshold": thresholds, "automation_rate": automated.sum(axis=1) / n,
                         "error_rate": error_rate,
                         "cost_per_case": human_cases / n * review_cost + error_rate * error_cost})


def cheapest_threshold(curve: pd.DataFrame) -> float:
    """Return the threshold of lowest cost per case (the lowest such threshold on a tie)."""
    return float(curve.loc[curve["cost_per_case"].idxmin(), "threshold"])
