"""Targets set at scoping, and the one function later stages use to check metrics against them.

A target is a metric, a comparator and a number: ``f1 >= 0.85``, ``p95_latency_ms <= 50``,
``cost per loan <= 3 EUR``. Three kinds exist:

- **ml**: scores between 0 and 1 (accuracy, balanced accuracy, precision, recall, F1,
  ROC-AUC). An ML target may name one slice, ``recall[sex=F] >= 0.8``: a minimum that must
  hold within that group of rows, not only overall.
- **software**: p95 latency in ms, throughput in requests per second, memory in MB; each
  must be greater than 0.
- **business**: any name and number, with a unit (``manual reviews per day <= 40 reviews``).

`evaluate_targets` reads a plain metrics mapping. A per-slice target reads the key
``metric[column=value]`` (see `metric_key`), so whoever computes slice metrics stores them
under that key. Comparisons at equality allow for floating-point rounding: a score computed
as 0.8499999999999999 meets ``>= 0.85`` and does not meet ``> 0.85``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol, get_args

TargetKind = Literal["ml", "software", "business"]
Comparator = Literal[">=", ">", "<=", "<"]
TargetStatus = Literal["met", "not met", "not measured"]

KIND_LABELS: dict[TargetKind, str] = {"ml": "ML", "software": "Software", "business": "Business"}
COMPARATOR_LABELS: dict[Comparator, str] = {
    ">=": "at least (>=)", ">": "more than (>)", "<=": "at most (<=)", "<": "less than (<)",
}
COMPARATOR_SYNONYMS = {"≥": ">=", "=>": ">=", "≤": "<=", "=<": "<="}
MAX_NAME_LENGTH = 60
MAX_UNIT_LENGTH = 30
# Relative and absolute tolerance for "equal" when a comparison sits on the boundary.
REL_TOLERANCE, ABS_TOLERANCE = 1e-9, 1e-12

TARGET_UNPARSEABLE = (
    "“{text}” is not a target. Write a metric, a comparison and a number, for example "
    "“f1 >= 0.85”, “p95_latency_ms <= 50” or “recall[sex=F] >= 0.8”."
)
VALUE_NOT_NUMBER = (
    "“{value}” is not a number. Type a plain number with a dot for decimals, for example 0.85 "
    "(write 85% as 0.85)."
)
VALUE_MISSING = "The target has no value. Type the number the metric must reach, for example 0.85."
UNKNOWN_COMPARATOR = "“{comparator}” is not a comparison a target can use. Use >=, >, <= or <."
UNKNOWN_KIND = "“{kind}” is not a kind of target. Use ml, software or business."
UNKNOWN_METRIC = "“{metric}” is not a known {kind} metric. Choose one of: {names}."
SHARE_OUT_OF_RANGE = "{label} is a share between 0 and 1, so {value} cannot be reached. Write 85% as 0.85."
NOT_POSITIVE = "{label} is measured in {unit} and must be greater than 0; {value} is not possible."
BUSINESS_NAME_EMPTY = "A business target needs a name, for example “manual reviews per day”."
BUSINESS_NAME_TOO_LONG = f"The target name is longer than {MAX_NAME_LENGTH} characters. Shorten it."
BUSINESS_NAME_BAD = (
    "“{metric}” cannot be a target name. Use letters, digits, spaces, dots, slashes, "
    "hyphens and underscores, starting with a letter."
)
BUSINESS_NAME_TAKEN = "“{metric}” is a {kind} metric: add it as a {kind} target instead of a business one."
BUSINESS_UNIT_EMPTY = "A business target needs a unit, for example days, EUR or reviews per day."
UNIT_TOO_LONG = f"The unit is longer than {MAX_UNIT_LENGTH} characters. Shorten it."
UNIT_MISMATCH = "{label} is measured in {expected}, not in “{unit}”. Leave the unit out."
UNIT_NOT_ALLOWED = "{label} is a share and has no unit. Leave “{unit}” out."
SLICE_NOT_ML = "Only ML metrics can have a per-slice minimum; remove the slice “{slice}”."
SLICE_BAD = (
    "“{slice}” is not a slice. Write one column and one value joined by =, for example sex=F."
)
DUPLICATE_TARGET = (
    "There is already a target “{existing}”. Delete it first if “{new}” should replace it."
)
CONTRADICTING_TARGET = (
    "“{new}” can never be met together with the target “{existing}”. Delete one of them or "
    "change the numbers."
)


class TargetError(ValueError):
    """A target was refused; the message names the problem and the fix."""


@dataclass(frozen=True)
class MetricSpec:
    """A metric a target can name, with the range its values can take."""

    name: str
    label: str
    kind: TargetKind
    unit: str
    help: str

    @property
    def is_share(self) -> bool:
        return self.kind == "ml"


METRICS: dict[str, MetricSpec] = {spec.name: spec for spec in (
    MetricSpec("accuracy", "Accuracy", "ml", "", "Share of all predictions that are right."),
    MetricSpec("balanced_accuracy", "Balanced accuracy", "ml", "",
               "Mean recall over the classes; not fooled by a majority class."),
    MetricSpec("precision", "Precision", "ml", "", "Of the rows predicted positive, the share that are."),
    MetricSpec("recall", "Recall", "ml", "", "Of the rows that are positive, the share found."),
    MetricSpec("f1", "F1", "ml", "", "Harmonic mean of precision and recall."),
    MetricSpec("roc_auc", "ROC-AUC", "ml", "", "How well the scores rank positives above negatives."),
    MetricSpec("p95_latency_ms", "p95 latency", "software", "ms",
               "95 of 100 predictions come back within this time."),
    MetricSpec("throughput_rps", "Throughput", "software", "requests/s", "Predictions served per second."),
    MetricSpec("memory_mb", "Memory", "software", "MB", "Memory the serving model takes."),
)}
METRIC_ALIASES = {
    "f1_score": "f1", "f_1": "f1", "auc": "roc_auc", "roc": "roc_auc", "rocauc": "roc_auc",
    "latency": "p95_latency_ms", "p95_latency": "p95_latency_ms", "latency_ms": "p95_latency_ms",
    "throughput": "throughput_rps", "memory": "memory_mb",
}

_TARGET_PATTERN = re.compile(
    r"^\s*(?P<metric>[^\[<>=≥≤]+?)\s*(?:\[(?P<slice>[^\]]*)\])?\s*"
    r"(?P<comparator>>=|<=|=>|=<|≥|≤|==|!=|>|<|=)\s*(?P<value>\S+)\s*(?P<unit>.*?)\s*$"
)
_NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9 _./\-]*$")
_SLICE_PATTERN = re.compile(r"^\s*([^=\[\],]+?)\s*=\s*([^=\[\],]+?)\s*$")


class TargetLike(Protocol):
    """Anything with a target's fields: a `TargetSpec`, or a stored target row."""

    metric: str
    slice: str
    comparator: str
    value: float


@dataclass(frozen=True)
class TargetSpec:
    """A checked target: every field valid, numbers within their metric's range."""

    kind: TargetKind
    metric: str
    comparator: Comparator
    value: float
    slice: str = ""
    unit: str = ""

    @property
    def text(self) -> str:
        return target_text(self)


@dataclass(frozen=True)
class TargetResult:
    """How one target fares against a metrics mapping."""

    target: TargetLike
    status: TargetStatus
    value: float | None

    @property
    def met(self) -> bool:
        return self.status == "met"


def metric_key(metric: str, slice: str = "") -> str:
    """Return the key a metrics mapping holds the metric under: ``recall[sex=F]`` for a slice."""
    return f"{metric}[{slice}]" if slice else metric


def target_text(target: TargetLike) -> str:
    """Return the target as one line, e.g. ``recall[sex=F] >= 0.8`` or ``cost <= 3 EUR``."""
    unit = getattr(target, "unit", "")
    spec = METRICS.get(target.metric)
    shown_unit = f" {unit}" if unit and (spec is None or spec.kind == "business") else ""
    return f"{metric_key(target.metric, target.slice)} {target.comparator} {target.value:g}{shown_unit}"


def metric_names(kind: TargetKind) -> list[str]:
    """Return the names of the known metrics of a kind (none for business: those are free-form)."""
    return [name for name, spec in METRICS.items() if spec.kind == kind]


def canonical_metric(name: str) -> str | None:
    """Return the registry name of a known metric written any usual way, or None."""
    folded = re.sub(r"[\s\-]+", "_", name.strip().lower())
    folded = METRIC_ALIASES.get(folded, folded)
    return folded if folded in METRICS else None


def parse_target(text: str) -> TargetSpec:
    """Return the target written on one line; its kind follows from the metric name.

    >>> parse_target("F1 >= 0.85")
    TargetSpec(kind='ml', metric='f1', comparator='>=', value=0.85, slice='', unit='')
    >>> parse_target("recall[sex = F] >= 0.8").text
    'recall[sex=F] >= 0.8'
    """
    match = _TARGET_PATTERN.match(text or "")
    if match is None:
        raise TargetError(TARGET_UNPARSEABLE.format(text=(text or "").strip()))
    known = canonical_metric(match["metric"])
    return make_target(
        kind=METRICS[known].kind if known else "business", metric=match["metric"],
        comparator=match["comparator"], value=match["value"], slice=match["slice"] or "",
        unit=match["unit"],
    )


def make_target(
    *, kind: str, metric: str, comparator: str, value: str | float | None, slice: str = "", unit: str = ""
) -> TargetSpec:
    """Return the checked target built from form fields; raise TargetError naming what is wrong."""
    if kind not in get_args(TargetKind):
        raise TargetError(UNKNOWN_KIND.format(kind=kind))
    comparator = _checked_comparator(comparator)
    number = parse_value(value)
    unit = " ".join((unit or "").split())
    if len(unit) > MAX_UNIT_LENGTH:
        raise TargetError(UNIT_TOO_LONG)
    if kind == "business":
        return _business_target(metric, comparator, number, slice, unit)
    spec = _known_metric(kind, metric)
    _check_range(spec, number)
    if unit and unit != spec.unit:
        message = UNIT_MISMATCH if spec.unit else UNIT_NOT_ALLOWED
        raise TargetError(message.format(label=spec.label, expected=spec.unit, unit=unit))
    clean_slice = _checked_slice(slice) if spec.kind == "ml" else _no_slice(slice)
    return TargetSpec(kind=spec.kind, metric=spec.name, comparator=comparator, value=number,
                      slice=clean_slice, unit=spec.unit)


def parse_value(value: str | float | None) -> float:
    """Return the value as a finite float; raise TargetError for text that is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise TargetError(VALUE_MISSING)
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise TargetError(VALUE_NOT_NUMBER.format(value=str(value).strip())) from None
    if not math.isfinite(number):
        raise TargetError(VALUE_NOT_NUMBER.format(value=str(value).strip()))
    return number


def _checked_comparator(comparator: str) -> Comparator:
    cleaned = COMPARATOR_SYNONYMS.get((comparator or "").strip(), (comparator or "").strip())
    if cleaned not in get_args(Comparator):
        raise TargetError(UNKNOWN_COMPARATOR.format(comparator=comparator))
    return cleaned


def _known_metric(kind: TargetKind, metric: str) -> MetricSpec:
    name = canonical_metric(metric or "")
    if name is None or METRICS[name].kind != kind:
        names = ", ".join(metric_names(kind))
        raise TargetError(UNKNOWN_METRIC.format(metric=(metric or "").strip(), kind=KIND_LABELS[kind], names=names))
    return METRICS[name]


def _check_range(spec: MetricSpec, number: float) -> None:
    if spec.is_share and not 0.0 <= number <= 1.0:
        raise TargetError(SHARE_OUT_OF_RANGE.format(label=spec.label, value=f"{number:g}"))
    if not spec.is_share and number <= 0.0:
        raise TargetError(NOT_POSITIVE.format(label=spec.label, unit=spec.unit, value=f"{number:g}"))


def _checked_slice(slice: str) -> str:
    if not (slice or "").strip():
        return ""
    match = _SLICE_PATTERN.match(slice)
    if match is None:
        raise TargetError(SLICE_BAD.format(slice=slice.strip()))
    return f"{match[1]}={match[2]}"


def _no_slice(slice: str) -> str:
    if (slice or "").strip():
        raise TargetError(SLICE_NOT_ML.format(slice=slice.strip()))
    return ""


def _business_target(metric: str, comparator: Comparator, number: float, slice: str, unit: str) -> TargetSpec:
    name = " ".join((metric or "").split())
    if not name:
        raise TargetError(BUSINESS_NAME_EMPTY)
    if len(name) > MAX_NAME_LENGTH:
        raise TargetError(BUSINESS_NAME_TOO_LONG)
    if not _NAME_PATTERN.match(name):
        raise TargetError(BUSINESS_NAME_BAD.format(metric=name))
    known = canonical_metric(name)
    if known is not None:
        raise TargetError(BUSINESS_NAME_TAKEN.format(metric=name, kind=KIND_LABELS[METRICS[known].kind]))
    _no_slice(slice)
    if not unit:
        raise TargetError(BUSINESS_UNIT_EMPTY)
    return TargetSpec(kind="business", metric=name, comparator=comparator, value=number, unit=unit)


def check_new_target(new: TargetLike, existing: Iterable[TargetLike]) -> None:
    """Raise TargetError when `new` repeats or contradicts one of the existing targets.

    Two targets on the same metric and slice bounding it from the same side (both minimums,
    or both maximums) are duplicates: only one of them could be the real gate. A minimum
    above a maximum can never be met.
    """
    for old in existing:
        if _same_measure(new, old):
            if _is_minimum(new) == _is_minimum(old):
                raise TargetError(DUPLICATE_TARGET.format(existing=target_text(old), new=target_text(new)))
            if _contradict(new, old):
                raise TargetError(CONTRADICTING_TARGET.format(existing=target_text(old), new=target_text(new)))


def _same_measure(a: TargetLike, b: TargetLike) -> bool:
    return a.metric.casefold() == b.metric.casefold() and a.slice == b.slice


def _is_minimum(target: TargetLike) -> bool:
    return target.comparator in (">=", ">")


def _contradict(a: TargetLike, b: TargetLike) -> bool:
    low, high = (a, b) if _is_minimum(a) else (b, a)
    if _equal(low.value, high.value):
        return low.comparator == ">" or high.comparator == "<"
    return low.value > high.value


def _equal(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)


def compare(measured: float, comparator: str, threshold: float) -> bool:
    """Return whether `measured comparator threshold` holds, equality within rounding.

    >>> compare(0.1 + 0.2, ">=", 0.3), compare(0.1 + 0.2, ">", 0.3)
    (True, False)
    """
    if comparator not in get_args(Comparator):
        raise TargetError(UNKNOWN_COMPARATOR.format(comparator=comparator))
    if _equal(measured, threshold):
        return comparator in (">=", "<=")
    return measured > threshold if comparator in (">=", ">") else measured < threshold


def evaluate_targets(metrics: Mapping[str, float], targets: Iterable[TargetLike]) -> tuple[TargetResult, ...]:
    """Return, per target and in order, whether the metrics meet it, miss it, or lack it.

    A metric absent from the mapping, None or NaN counts as not measured.

    >>> [r.status for r in evaluate_targets({"f1": 0.85}, [parse_target("f1 >= 0.85"),
    ...     parse_target("f1 > 0.85"), parse_target("recall >= 0.5")])]
    ['met', 'not met', 'not measured']
    """
    results = []
    for target in targets:
        measured = metrics.get(metric_key(target.metric, target.slice))
        if measured is None or not math.isfinite(float(measured)):
            results.append(TargetResult(target, "not measured", None))
            continue
        met = compare(float(measured), target.comparator, float(target.value))
        results.append(TargetResult(target, "met" if met else "not met", float(measured)))
    return tuple(results)
