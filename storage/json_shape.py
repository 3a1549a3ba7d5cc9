"""Small checkers for the shape of JSON values, each returning the problem in words or None.

A shape is a function from a parsed JSON value to ``None`` (it fits) or a short phrase saying
what is wrong and where ("at 'sensitive'[2]: expected text, found a number"). Shapes compose:
``record(target=nullable(text))``, ``list_of(number)``, ``mapping(integer)``. They exist so a
value read from a file is checked against what the code will later do with it, before the
code does it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

Shape = Callable[[Any], str | None]


def describe_type(value: Any) -> str:
    """Return the JSON name of a value's type, as a user would call it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _expected(what: str, value: Any) -> str:
    return f"expected {what}, found {describe_type(value)}"


def _at(where: str, problem: str | None) -> str | None:
    if problem is None:
        return None
    return f"at {where}: {problem}" if not problem.startswith("at ") else f"at {where}{problem[3:]}"


def any_json(value: Any) -> str | None:
    """Accept any JSON value: for free-form notes that are only ever shown, never interpreted."""
    if value is None or isinstance(value, (bool, int, str)):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else "expected a finite number"
    if isinstance(value, list):
        return next((p for i, v in enumerate(value) if (p := _at(f"[{i}]", any_json(v)))), None)
    if isinstance(value, dict):
        return mapping(any_json)(value)
    return _expected("a JSON value", value)


def text(value: Any) -> str | None:
    return None if isinstance(value, str) else _expected("text", value)


def boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else _expected("true/false", value)


def integer(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    return _expected("a whole number", value)


def number(value: Any) -> str | None:
    """Accept a finite number (JSON has no NaN; stored NaN is written as null)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return None
    return _expected("a number", value)


def scalar(value: Any) -> str | None:
    """Accept text, a number or true/false: a class value, a category."""
    return None if isinstance(value, (str, bool)) or number(value) is None else _expected("text or a number", value)


def nullable(shape: Shape) -> Shape:
    return lambda value: None if value is None else shape(value)


def between(low: float, high: float) -> Shape:
    def check(value: Any) -> str | None:
        problem = number(value)
        if problem is None and not low <= value <= high:
            return f"expected a number from {low:g} to {high:g}, found {value:g}"
        return problem
    return check


def one_of(options: Iterable[Any]) -> Shape:
    allowed = tuple(options)
    def check(value: Any) -> str | None:
        if isinstance(value, (str, int, float, bool)) and value in allowed:
            return None
        return f"expected one of {', '.join(map(str, allowed))}, found {value!r}"[:200]
    return check


def list_of(shape: Shape, *, length: int | None = None) -> Shape:
    def check(value: Any) -> str | None:
        if not isinstance(value, list):
            return _expected("a list", value)
        if length is not None and len(value) != length:
            return f"expected a list of {length}, found {len(value)} items"
        return next((p for i, item in enumerate(value) if (p := _at(f"[{i}]", shape(item)))), None)
    return check


def mapping(shape: Shape) -> Shape:
    """Accept an object whose every value fits `shape` (keys are text in JSON)."""
    def check(value: Any) -> str | None:
        if not isinstance(value, dict):
            return _expected("an object", value)
        return next((p for key, item in value.items() if (p := _at(repr(key), shape(item)))), None)
    return check


def record(*, required: dict[str, Shape] | None = None, optional: dict[str, Shape] | None = None,
           others: Shape | None = None) -> Shape:
    """Accept an object with the required keys, any optional ones, and other keys only if `others`."""
    required, optional = required or {}, optional or {}
    def check(value: Any) -> str | None:
        if not isinstance(value, dict):
            return _expected("an object", value)
        missing = [key for key in required if key not in value]
        if missing:
            return f"the key {missing[0]!r} is missing"
        for key, item in value.items():
            shape = required.get(key) or optional.get(key) or others
            if shape is None:
                return f"unexpected key {key!r}"
            if problem := _at(repr(key), shape(item)):
                return problem
        return None
    return check


def all_of(*shapes: Shape) -> Shape:
    return lambda value: next((p for shape in shapes if (p := shape(value))), None)


def accepted_by(parse: Callable[[Any], Any]) -> Shape:
    """Accept a value that a domain parser (e.g. a dataclass's from_dict) takes without raising."""
    def check(value: Any) -> str | None:
        try:
            parse(value)
        except (TypeError, ValueError, KeyError) as error:
            return str(error)
        return None
    return check
