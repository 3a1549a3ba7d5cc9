"""What a labeler sees of an item: the fields a batch's plan shows, in its order, and blind labeling.

A batch's plan keeps `{"fields": [...], "blind": bool}` in its params under "card". Blind
labeling hides the sensitive columns (the roles name them), so a labeler's decision cannot lean
on sex, age or region; it is on by default whenever the data has sensitive columns. The target
is never a field: it is the answer being asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.data.roles import Roles

UNKNOWN_FIELD = "The card cannot show “{field}”: the data has no such column. Choose among the listed columns."
TARGET_FIELD = ("“{field}” is the target, the answer labelers are asked for; it cannot be shown on the card. "
                "Take it out of the fields.")
BLIND_FIELD = ("Blind labeling hides the sensitive columns, and the fields include {fields}. Take "
               "{them} out of the fields, or turn blind labeling off.")
NO_FIELDS = "The card would show nothing. Choose at least one field."


@dataclass(frozen=True)
class CardPlan:
    """The fields a labeler sees, in order, and whether sensitive columns are hidden."""

    fields: tuple[str, ...]
    blind: bool

    def to_dict(self) -> dict:
        return {"fields": list(self.fields), "blind": self.blind}


def field_options(kinds: Mapping[str, str], roles: Roles) -> list[str]:
    """Return the columns a card may show: all but the target and image pixels (the picture shows those)."""
    return [c for c, kind in kinds.items() if c != roles.target and kind not in ("image", "text")]


def default_card(kinds: Mapping[str, str], roles: Roles) -> CardPlan:
    """Return the card a plan starts from: every column but the target, ID and ignored ones; blind when
    the data has sensitive columns."""
    blind = bool(roles.sensitive)
    hidden = {roles.id, *roles.ignored, *(roles.sensitive if blind else ())}
    return CardPlan(tuple(c for c in field_options(kinds, roles) if c not in hidden), blind)


def check_card(fields: Sequence[str], *, blind: bool, kinds: Mapping[str, str], roles: Roles) -> CardPlan:
    """Return the plan's card, or raise ValueError naming a field it cannot show and the fix."""
    for field in fields:
        if field == roles.target:
            raise ValueError(TARGET_FIELD.format(field=field))
        if field not in kinds:
            raise ValueError(UNKNOWN_FIELD.format(field=field))
    exposed = [f for f in fields if f in roles.sensitive] if blind else []
    if exposed:
        raise ValueError(BLIND_FIELD.format(fields=", ".join(f"“{f}”" for f in exposed),
                                            them="it" if len(exposed) == 1 else "them"))
    if not fields and not _shown_apart(kinds, roles):
        raise ValueError(NO_FIELDS)
    return CardPlan(tuple(dict.fromkeys(fields)), blind)


def card_of(params: Mapping, kinds: Mapping[str, str], roles: Roles) -> CardPlan:
    """Return a batch's card from its params; a batch planned before cards existed gets the default."""
    card = params.get("card")
    if not card:
        return default_card(kinds, roles)
    fields = [f for f in card.get("fields", []) if f in kinds and f != roles.target]
    blind = bool(card.get("blind", False))
    return CardPlan(tuple(f for f in fields if not (blind and f in roles.sensitive)), blind)


def _shown_apart(kinds: Mapping[str, str], roles: Roles) -> bool:
    """Whether the item has a picture or free text, which the card shows outside its fields."""
    return any(kind in ("image", "text") and c != roles.target for c, kind in kinds.items())
