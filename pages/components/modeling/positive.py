"""The positive class of a two-class target: whose precision, recall and F1 every stage reports."""

from functools import partial

import pandas as pd
import streamlit as st

from core.baselines.metrics import sorted_classes
from core.predictions import class_names, positive_last
from pages.components import state
from pages.components.classes import project_class_names
from pages.components.feedback import attempt
from pages.components.resources import db_session
from pages.components.text import plain
from storage.data.tables import Dataset
from storage.scoping.positive import choose_positive, chosen_positive

POSITIVE_HELP = (
    "Precision, recall, F1, the precision-recall trade-off, the baselines, the promotion gate's targets and "
    "the fairness audit's true and false positive rates are all about this class. By default it is the last "
    "in sorted order (1 of 0/1). The choice holds for the whole project; runs record the class they were "
    "scored with, and the gate refuses a run scored with another."
)


def positive_class_picker(project_id: int, dataset: Dataset, frame: pd.DataFrame) -> str | None:
    """Draw the choice for a two-class target and save a change; return the stored choice, or None (the default)."""
    target = dataset.roles.get("target")
    classes = sorted_classes(frame[target]) if target in frame.columns else []
    if len(classes) != 2:
        return None
    with db_session() as session:
        chosen = chosen_positive(session, project_id=project_id, target=target)
    names, shown = class_names(classes), project_class_names(project_id)
    current = str(positive_last(classes, chosen)[-1])
    picked = st.radio(f"Positive class of {plain(target)}", names, index=names.index(current), horizontal=True,
                      format_func=lambda value: plain(shown.show(value)), key=f"exp.positive.{project_id}.{target}",
                      help=POSITIVE_HELP)
    if picked != current:
        saved = attempt(partial(choose_positive, project_id=project_id, target=target, value=picked, classes=classes,
                                actor=state.actor()))
        if saved is not None:
            state.flash(f"“{plain(shown.show(picked))}” is now the positive class of {plain(target)}: new runs, "
                        "baselines and audits report its precision, recall and F1.")
            st.rerun()
    return chosen
