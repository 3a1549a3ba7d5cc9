"""The labeling card: which fields a labeler sees, in which order, and blind labeling."""

import pytest

from core.data.roles import Roles
from core.labeling.card import (
    BLIND_FIELD, NO_FIELDS, TARGET_FIELD, UNKNOWN_FIELD, CardPlan, card_of, check_card, default_card, field_options,
)

LOAN_KINDS = {"applicant_id": "numeric", "month": "datetime", "age": "numeric", "sex": "categorical",
              "region": "categorical", "income": "numeric", "credit_score": "numeric", "note": "text",
              "approved": "categorical"}
LOAN = Roles(target="approved", id="applicant_id", time="month", sensitive=("sex", "region"))
DIGITS_KINDS = {**{f"pixel_{i}": "image" for i in range(64)}, "digit": "categorical"}


def test_the_default_card_shows_every_feature_and_hides_sensitive_columns_when_there_are_some():
    card = default_card(LOAN_KINDS, LOAN)
    assert card == CardPlan(("month", "age", "income", "credit_score"), blind=True)
    assert default_card(LOAN_KINDS, Roles(target="approved")).blind is False
    assert "sex" in default_card(LOAN_KINDS, Roles(target="approved")).fields


def test_a_picture_item_needs_no_fields():
    assert field_options(DIGITS_KINDS, Roles(target="digit")) == []
    assert check_card([], blind=False, kinds=DIGITS_KINDS, roles=Roles(target="digit")).fields == ()


def test_the_plan_keeps_the_order_it_was_given():
    card = check_card(["credit_score", "income", "age"], blind=True, kinds=LOAN_KINDS, roles=LOAN)
    assert card.fields == ("credit_score", "income", "age") and card.to_dict()["blind"] is True


@pytest.mark.parametrize(("fields", "blind", "message"), [
    (["approved"], False, TARGET_FIELD.format(field="approved")),
    (["salary"], False, UNKNOWN_FIELD.format(field="salary")),
    (["income", "sex"], True, BLIND_FIELD.format(fields="“sex”", them="it")),
    (["sex", "region"], True, BLIND_FIELD.format(fields="“sex”, “region”", them="them")),
    ([], False, NO_FIELDS),
])
def test_a_card_it_cannot_show_is_refused_with_the_fix(fields, blind, message):
    kinds = {k: v for k, v in LOAN_KINDS.items() if k != "note"}  # no free text to show instead
    with pytest.raises(ValueError) as refused:
        check_card(fields, blind=blind, kinds=kinds, roles=LOAN)
    assert str(refused.value) == message


def test_a_sensitive_field_is_allowed_when_labeling_is_not_blind():
    assert check_card(["sex", "income"], blind=False, kinds=LOAN_KINDS, roles=LOAN).fields == ("sex", "income")


def test_a_stored_card_is_read_back_and_an_old_batch_gets_the_default():
    assert card_of({"card": {"fields": ["income", "age"], "blind": True}}, LOAN_KINDS, LOAN).fields == ("income", "age")
    assert card_of({"labelers": ["ann"]}, LOAN_KINDS, LOAN) == default_card(LOAN_KINDS, LOAN)
    # Roles edited after planning: a column now sensitive is hidden, a dropped column passed over.
    later = Roles(target="approved", sensitive=("sex", "region", "age"))
    assert card_of({"card": {"fields": ["age", "gone", "income"], "blind": True}}, LOAN_KINDS, later).fields == ("income",)
