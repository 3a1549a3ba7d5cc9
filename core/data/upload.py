"""The choices a user makes on an upload, applied to the table read from the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.data.ingest import IngestResult, drop_identical_repeats

RepeatChoice = Literal["rename", "drop_identical"]
REPEAT_CHOICES: tuple[str, ...] = ("rename", "drop_identical")
UNKNOWN_CHOICE = "Unknown choice {value!r} for {what}; choose one of {options}."


@dataclass(frozen=True)
class UploadChoices:
    """What to do with what the reader found; the defaults keep every value."""

    repeats: RepeatChoice = "rename"

    def __post_init__(self) -> None:
        if self.repeats not in REPEAT_CHOICES:
            raise ValueError(UNKNOWN_CHOICE.format(value=self.repeats, what="repeated columns",
                                                   options=", ".join(REPEAT_CHOICES)))


def apply_choices(result: IngestResult, choices: UploadChoices) -> IngestResult:
    """Return the read table with the user's choices applied; ``result`` itself is left alone."""
    if choices.repeats == "drop_identical":
        result = drop_identical_repeats(result)
    return result
