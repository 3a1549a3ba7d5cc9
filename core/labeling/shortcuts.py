"""Keyboard shortcuts for labeling: one key per class, and fixed keys for unclear, skip and undo.

Class keys are single keys (a digit for a digit class, else a letter or digit of the class name);
the three actions take Shift, so they never collide with a class key. C and R are left out:
Streamlit reserves them (clear cache, rerun).
"""

import string

UNCLEAR_KEY, SKIP_KEY, UNDO_KEY = "Shift+U", "Shift+S", "Shift+Z"
RESERVED = frozenset("cr")
FALLBACK = [k for k in string.digits[1:] + "0" + string.ascii_lowercase if k not in RESERVED]


def class_shortcuts(classes: list[str]) -> dict[str, str | None]:
    """Return a distinct key for each class, in order of the classes; None once keys run out.

    A class keeps the first letter or digit of its name that is still free ("approved" → A,
    "7" → 7), else the first free digit or letter, so the keys stay as guessable as they can.
    """
    taken: set[str] = set()
    keys: dict[str, str | None] = {}
    for value in classes:
        key = next((k for k in [*_name_keys(value), *FALLBACK] if k not in taken), None)
        taken.add(key)
        keys[value] = key.upper() if key else None
    return keys


def _name_keys(value: str) -> list[str]:
    """The ASCII letters and digits of a class name, in order, that Streamlit lets a button use."""
    return [ch for ch in str(value).lower() if ch in string.ascii_lowercase + string.digits and ch not in RESERVED]
