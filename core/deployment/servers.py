"""The sides a deployment serves from: a stored model, a scenario's legacy rule, or a simulated human.

Each gives class probabilities for a batch of requests, in the order of its `classes`, so the
replay treats them alike. The simulated human needs the true labels of the batch: it answers
right with the measured human-level accuracy and otherwise picks another class at random.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

DIFFERENT_CLASSES = (
    "{challenger} predicts the classes {theirs}, but {champion} predicts {ours}: they answer different "
    "questions. Pick a challenger trained on the same target."
)
DIFFERENT_COLUMNS = (
    "{challenger} was trained on a different schema than {champion}: {details}. Pick a challenger trained on "
    "the same columns, or retrain it on the champion's data."
)
BAD_ACCURACY = "The simulated human's accuracy must be between 0 and 1; {value} is not."


class Server:
    """A side that answers requests: `name`, `classes`, `columns` read, `proba(X, y)`."""

    name: str
    classes: list
    columns: list[str]

    def proba(self, features: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
        raise NotImplementedError


@dataclass(eq=False)
class ModelServer(Server):
    """A fitted model from the registry: real predict_proba calls on its feature columns."""

    name: str
    model: Any
    columns: list[str]

    @property
    def classes(self) -> list:
        return list(self.model.classes_)

    def proba(self, features: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(features[self.columns])


@dataclass(eq=False)
class RuleServer(Server):
    """A rule-based old system (e.g. loan_approval's legacy rule): certain of every decision it makes."""

    name: str
    rule: Callable[[pd.DataFrame], pd.Series]
    columns: list[str]
    classes: list = field(default_factory=lambda: [0, 1])

    def proba(self, features: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
        decided = self.rule(features).to_numpy()
        return (decided[:, None] == np.asarray(self.classes)[None, :]).astype(float)


@dataclass(eq=False)
class HumanServer(Server):
    """A person doing the task by hand, right with the measured human-level accuracy."""

    name: str
    accuracy: float
    classes: list
    random_state: int = 0
    columns: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not 0.0 <= self.accuracy <= 1.0:
            raise ValueError(BAD_ACCURACY.format(value=self.accuracy))
        self._rng = np.random.default_rng(self.random_state)

    def answers(self, labels: np.ndarray) -> np.ndarray:
        """Return the person's answers to requests with these true labels."""
        return human_answers(labels, self.classes, self.accuracy, self._rng)

    def proba(self, features: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
        answers = self.answers(labels)
        return (answers[:, None] == np.asarray(self.classes, dtype=object)[None, :]).astype(float)


def human_answers(labels: np.ndarray, classes: Sequence, accuracy: float, rng: np.random.Generator) -> np.ndarray:
    """Return a person's answers: the true label with probability `accuracy`, else another class at random."""
    classes = np.asarray(classes, dtype=object)
    truth = _positions(labels, classes)
    wrong = rng.random(len(truth)) >= accuracy
    other = (truth + rng.integers(1, max(len(classes), 2), len(truth))) % len(classes)
    return classes[np.where(wrong, other, truth)]


def _positions(labels: np.ndarray, classes: np.ndarray) -> np.ndarray:
    found = pd.Index(classes.astype(str)).get_indexer(pd.Series(labels).astype(str))
    return np.where(found < 0, 0, found)  # an unlabelled request: the answer cannot be right or wrong


def check_compatible(champion: Server, challenger: Server) -> None:
    """Raise ValueError when two sides predict different classes or read different columns."""
    ours, theirs = [str(c) for c in champion.classes], [str(c) for c in challenger.classes]
    if ours != theirs:
        raise ValueError(DIFFERENT_CLASSES.format(challenger=challenger.name, champion=champion.name,
                                                  ours=", ".join(ours), theirs=", ".join(theirs)))
    if isinstance(champion, ModelServer) and isinstance(challenger, ModelServer):
        missing = sorted(set(champion.columns) - set(challenger.columns))
        added = sorted(set(challenger.columns) - set(champion.columns))
        if missing or added:
            details = "; ".join(part for part in (f"it lacks {', '.join(missing)}" if missing else "",
                                                 f"it adds {', '.join(added)}" if added else "") if part)
            raise ValueError(DIFFERENT_COLUMNS.format(challenger=challenger.name, champion=champion.name,
                                                      details=details))
