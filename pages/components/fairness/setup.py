"""Choosing what to audit: the run, the split, the sensitive attributes, the reference and the interval settings."""

from itertools import combinations

import streamlit as st

from core.fairness.audit import AuditSettings, run_audit
from core.fairness.groups import attribute_name
from core.fairness.metrics import DEFAULT_MIN_ROWS, DEFAULT_RESAMPLES, MAX_RESAMPLES, METRIC_LABELS, RATES
from core.modeling.catalog import MODELS
from pages.components import state
from pages.components.fairness.state import FAIR_RUN_KEY, FAIR_RUN_WIDGET_KEY, keep_fairness_audit
from pages.components.classes import project_class_names
from pages.components.feedback import reported_errors
from pages.components.text import plain, show_plain
from storage.fairness.audits import AuditData
from storage.fairness.sheet import FairnessSheet

REFERENCES = {"largest": "the largest group", "best": "the best-off group on the metric"}
SPLIT_HELP = ("The dev split by default. The test split can be audited only after its logged look on the "
              "Experiments page, so every use of it is counted.")


def pick_run(sheet: FairnessSheet) -> int:
    """Return the run to audit: this tab's choice, else the champion, else the newest finished run."""
    ordered = sorted(sheet.runs, key=lambda i: (i != sheet.champion_id, -i))
    state.settle_choice(FAIR_RUN_KEY, FAIR_RUN_WIDGET_KEY, ordered)
    st.selectbox("Run to audit", ordered, key=FAIR_RUN_WIDGET_KEY, on_change=state.keep_choice,
                 args=(FAIR_RUN_KEY, FAIR_RUN_WIDGET_KEY),
                 format_func=lambda i: f"{sheet.run_name(i)} · {_model(sheet.runs[i].model)}"
                                       f"{' · champion' if i == sheet.champion_id else ''}")
    return st.session_state[FAIR_RUN_KEY]


def _model(name: str) -> str:
    return MODELS[name].label if name in MODELS else name


def pick_split(splits: list[str]) -> str:
    split = st.radio("Split", splits, horizontal=True, key="fair.split", help=SPLIT_HELP)
    if splits == ["dev"]:
        st.caption("The test split is not offered: this run has not had its logged test look on the Experiments page.")
    return split


def settings_form(sensitive: list[str], slices: dict[str, str]) -> AuditSettings | None:
    """Return the audit settings when the form is submitted, else None.

    `slices` maps each offered saved slice's attribute name to its predicate text; the slices audited are
    recorded in the settings so the saved audit names them.
    """
    offered = sensitive + list(slices)
    pairs = list(combinations(offered, 2))
    with st.form("fair.settings"):
        left, right = st.columns(2)
        singles = left.multiselect("Sensitive attributes", offered, default=sensitive, key="fair.attributes",
                                   help="The dataset's sensitive columns; they need not be model features. "
                                        "Numbers with many values are binned into four ranges. A saved slice "
                                        "(“slice: …”) compares the rows in it with the rest.")
        crossed = right.multiselect("Intersections of two", pairs, key="fair.intersections",
                                    format_func=attribute_name)
        row = st.columns(5)
        metric = row[0].selectbox("Metric to judge by", list(RATES), index=list(RATES).index("selection_rate"),
                                  key="fair.metric", format_func=METRIC_LABELS.get)
        reference = row[1].selectbox("Reference group", list(REFERENCES), key="fair.reference",
                                     format_func=REFERENCES.get, help="A named group can be picked per attribute "
                                                                      "once the audit has run.")
        min_rows = row[2].number_input("Smallest group to judge", 1, 100_000, DEFAULT_MIN_ROWS, key="fair.min_rows")
        resamples = row[3].number_input("Bootstrap resamples", 0, MAX_RESAMPLES, DEFAULT_RESAMPLES,
                                        key="fair.resamples", help="For the 95% intervals; 0 skips them.")
        seed = row[4].number_input("Seed", 0, 2**31 - 1, 0, key="fair.seed")
        submitted = st.form_submit_button("Run the audit", type="primary", icon=":material/balance:", key="fair.run_audit")
    if not submitted:
        return None
    attributes = tuple((c,) for c in singles) + tuple(crossed)
    used = {column for attribute in attributes for column in attribute}
    return AuditSettings(attributes=attributes, metric=metric, reference=reference, min_rows=int(min_rows),
                         n_resamples=int(resamples), seed=int(seed),
                         slices={name: text for name, text in slices.items() if name in used})


def slices_note(texts: dict[str, str], refused: list[str]) -> None:
    """Say which saved slices the audit offers, by their text, and why any others are not offered."""
    if texts:
        st.caption("Saved slices from Error analysis, offered as attributes (in the slice / outside):")
        show_plain("\n".join(f"{name}: {text}" for name, text in texts.items()))
    for problem in refused:
        st.warning(f"Not offered: {problem}", icon=":material/filter_alt_off:")


def compute_audit(data: AuditData, settings: AuditSettings) -> None:
    """Run the audit with a progress bar and keep it for this tab; a refusal is shown, nothing is kept."""
    bar = st.progress(0.0, text="Bootstrapping the intervals…")
    report = lambda done, total: bar.progress(done / total, text=f"Bootstrap resample {done:,} of {total:,}")  # noqa: E731
    with reported_errors():
        audits = run_audit(data.predictions, data.sensitive, classes=data.classes, settings=settings, progress=report)
        keep_fairness_audit(data.run.id, data.split, settings, audits)
    bar.empty()


def positive_note(data: AuditData) -> None:
    """Say which class the rates count as the decision, by its display name."""
    if len(data.classes) != 2:
        return
    names = project_class_names(data.run.project_id)
    positive, negative = data.classes[-1], data.classes[0]
    st.caption(f"The audited decision is a prediction of **{plain(names.show(positive))}** (the positive class, "
               f"value {plain(positive)}); the other class is {plain(names.show(negative))}. Selection rate, TPR, "
               "FPR and FNR count that decision.")
