"""Model artifacts in skops' format: written by the app, loaded only with an explicit trusted list.

skops stores a model as a description of objects rather than a pickle, and loading refuses
any type that is neither scikit-learn's own nor in the list below. So an artifact in an
imported project file cannot run code: it loads as a model, or it is refused with a message.
The list names the helper types the catalog's models are made of.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

ARTIFACT_FORMAT = "skops"
TRUSTED_TYPES = (
    "functools.partial",
    "numpy.dtype",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
    "sklearn.tree._tree.Tree",
    "sklearn.utils.validation.check_array",
)

UNTRUSTED = (
    "The stored model holds types the app does not trust ({types}), so it was not loaded: it was not made "
    "by this app's catalog. Train the model again in this project."
)
DAMAGED = "The stored model is damaged (its checksum does not match). Train the model again."
UNKNOWN_FORMAT = "The stored model is in the format “{format}”, which the app cannot read. Train the model again."
UNREADABLE = "The stored model cannot be read ({reason}). Train the model again."


class ArtifactRefused(ValueError):
    """A stored model was not loaded; the message says why and what to do."""


@dataclass(frozen=True)
class Artifact:
    """A serialised model with its checksum."""

    data: bytes
    sha256: str
    format: str = ARTIFACT_FORMAT

    @property
    def size(self) -> int:
        return len(self.data)


def dump_model(model: Any) -> Artifact:
    """Return the model serialised with skops, with its SHA-256."""
    import skops.io as sio

    data = sio.dumps(model, compression=8)  # zip deflate: tree models shrink several times
    return Artifact(data, hashlib.sha256(data).hexdigest())


def load_model(artifact: Artifact) -> Any:
    """Return the model in an artifact; raise ArtifactRefused for a foreign format, damage or an untrusted type."""
    import skops.io as sio

    if artifact.format != ARTIFACT_FORMAT:
        raise ArtifactRefused(UNKNOWN_FORMAT.format(format=artifact.format))
    if hashlib.sha256(artifact.data).hexdigest() != artifact.sha256:
        raise ArtifactRefused(DAMAGED)
    try:
        untrusted = sorted(set(sio.get_untrusted_types(data=artifact.data)) - set(TRUSTED_TYPES))
    except Exception as error:  # a corrupt zip or schema fails in many ways; all mean "unreadable"
        raise ArtifactRefused(UNREADABLE.format(reason=type(error).__name__)) from error
    if untrusted:
        raise ArtifactRefused(UNTRUSTED.format(types=", ".join(untrusted)))
    return sio.loads(artifact.data, trusted=list(TRUSTED_TYPES))
