"""The choices a user makes on an upload, applied to the table read from the file."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from core.data.ingest import IngestResult, drop_identical_repeats
from core.data.markers import KEPT_NOTE, TREATED_NOTE, describe_findings, treat_markers_as_missing

RepeatChoice = Literal["rename", "drop_identical"]
REPEAT_CHOICES: tuple[str, ...] = ("rename", "drop_identical")
MarkerChoice = Literal["missing", "keep"]
MARKER_CHOICES: tuple[str, ...] = ("missing", "keep")
UNKNOWN_CHOICE = "Unknown choice {value!r} for {what}; choose one of {options}."


@dataclass(frozen=True)
class UploadChoices:
    """What to do with what the reader found; the defaults keep every value."""

    repeats: RepeatChoice = "rename"
    markers: MarkerChoice = "missing"

    def __post_init__(self) -> None:
        for value, options, what in ((self.repeats, REPEAT_CHOICES, "repeated columns"),
                                     (self.markers, MARKER_CHOICES, "missing-value markers")):
            if value not in options:
                raise ValueError(UNKNOWN_CHOICE.format(value=value, what=what, options=", ".join(options)))


def apply_choices(result: IngestResult, choices: UploadChoices) -> IngestResult:
    """Return the read table with the user's choices applied; ``result`` itself is left alone."""
    if choices.repeats == "drop_identical":
        result = drop_identical_repeats(result)
    if not result.markers:
        return result
    findings = describe_findings(result.markers)
    if choices.markers == "keep":
        return dataclasses.replace(result, notes=(*result.notes, KEPT_NOTE.format(findings=findings)))
    frame, number_notes = treat_markers_as_missing(result.frame, result.markers, delimiter=result.delimiter)
    notes = (*result.notes, TREATED_NOTE.format(findings=findings), *number_notes)
    return dataclasses.replace(result, frame=frame, notes=notes)
