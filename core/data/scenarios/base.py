"""Building blocks shared by the demo scenarios: the result type, parameter specs
and their validation, and the bookkeeping of flipped labels."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Literal, get_args

import numpy as np
import pandas as pd

from core.data.roles import Roles

ParamKind = Literal["int", "float"]
ROW_ID = "row_id"
MAX_SEED = 2**32 - 1

ERR_PARAM_KIND = "Parameter kind must be one of {kinds}; got {kind!r}."
ERR_PARAM_TYPE = "{label} ({name}) must be {kind_text}; got {value!r}."
ERR_PARAM_RANGE = "{label} ({name}) must be between {low} and {high}; got {value}."
ERR_UNKNOWN_PARAM = "Scenario {scenario!r} has no parameter {name!r}; its parameters are: {names}."


@dataclass(frozen=True)
class ParamSpec:
    """One scenario parameter, described so that a form can be built from it."""

    name: str
    label: str
    kind: ParamKind
    default: int | float
    min: int | float
    max: int | float
    help: str

    def __post_init__(self) -> None:
        if self.kind not in get_args(ParamKind):
            raise ValueError(ERR_PARAM_KIND.format(kinds=get_args(ParamKind), kind=self.kind))


# eq=False: the frame makes field-wise equality ambiguous, so scenarios compare by identity.
@dataclass(frozen=True, eq=False)
class Scenario:
    """A generated demo dataset with its column roles and the truth planted in it."""

    name: str
    title: str
    frame: pd.DataFrame
    roles: Roles
    ground_truth: dict
    description: str


@dataclass(frozen=True)
class ScenarioSpec:
    """A registry entry: how to present a scenario and the function that generates it."""

    name: str
    title: str
    summary: str
    generator: Callable[..., Scenario]
    params: tuple[ParamSpec, ...]


def seed_param() -> ParamSpec:
    """Return the seed parameter every scenario shares."""
    return ParamSpec(
        "seed", "Random seed", "int", 0, 0, MAX_SEED,
        "The same seed and settings always give the same data.",
    )


def label_noise_param(default: float) -> ParamSpec:
    """Return the label-noise parameter every scenario shares."""
    return ParamSpec(
        "label_noise", "Share of flipped labels", "float", default, 0.0, 0.3,
        "This share of rows gets a wrong label on purpose, for label-error detection to find.",
    )


def check_params(scenario: str, specs: tuple[ParamSpec, ...], values: dict[str, Any]) -> dict:
    """Return the values with defaults filled in, after checking names, types and ranges."""
    by_name = {spec.name: spec for spec in specs}
    for name in values:
        if name not in by_name:
            raise ValueError(
                ERR_UNKNOWN_PARAM.format(scenario=scenario, name=name, names=", ".join(by_name))
            )
    return {spec.name: _checked_value(spec, values.get(spec.name, spec.default)) for spec in specs}


def _checked_value(spec: ParamSpec, value: Any) -> int | float:
    is_int = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    is_number = is_int or (isinstance(value, (float, np.floating)) and math.isfinite(value))
    if (spec.kind == "int" and not is_int) or not is_number:
        kind_text = "a whole number" if spec.kind == "int" else "a number"
        raise ValueError(
            ERR_PARAM_TYPE.format(
                label=spec.label, name=spec.name, kind_text=kind_text, value=value
            )
        )
    if not spec.min <= value <= spec.max:
        raise ValueError(
            ERR_PARAM_RANGE.format(
                label=spec.label, name=spec.name, value=_number_text(value),
                low=_number_text(spec.min), high=_number_text(spec.max),
            )
        )
    return int(value) if spec.kind == "int" else float(value)


def _number_text(value: int | float) -> str:
    return f"{value:,}" if isinstance(value, (int, np.integer)) else f"{value:g}"


def row_index(n_rows: int) -> pd.RangeIndex:
    """Return the stable row ids 0..n-1 that labels, tags and predictions refer to."""
    return pd.RangeIndex(n_rows, name=ROW_ID)


def effect_streams(seed: int, n_effects: int) -> list[np.random.Generator]:
    """Return one independent random stream per planted effect, spawned from the seed.

    Each effect (features, outcome, bias, flipped labels, ...) draws from its own stream, so
    changing one effect's setting leaves the others as they were, and no effect shares a stream
    with the split (`core.data.splits.split_rng`) made with the same seed.
    """
    return [np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(n_effects)]


def rows_to_flip(n_rows: int, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Return the sorted positions of exactly round(rate * n_rows) rows chosen at random.

    The rows come from the head of one permutation, so for a given seed a higher
    rate flips a superset of the rows a lower rate flips.
    """
    n_flip = int(round(rate * n_rows))
    return np.sort(rng.permutation(n_rows)[:n_flip])


def label_noise_truth(rate: float, flipped: np.ndarray, original: np.ndarray) -> dict:
    """Return the JSON-ready record of flipped labels: which rows and what they were."""
    return {
        "rate": float(rate),
        "n_flipped": int(len(flipped)),
        "flipped_row_ids": np.asarray(flipped, dtype=np.int64).tolist(),
        "original_labels": np.asarray(original).tolist(),
    }
