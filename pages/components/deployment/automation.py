"""The Automation tab: degrees of automation, and the confidence threshold chosen on the cost chart."""

import streamlit as st

from core.deployment.automation import (
    LEVEL_LABELS,
    AutomationSetting,
    automation_curve,
    check_setting,
    cheapest_threshold,
)
from core.deployment.charts import automation_chart
from pages.components.deployment.state import automation_choice, choose_automation
from pages.components.explain import why
from pages.components.feedback import reported_errors
from pages.components.resources import db_session
from storage.deployment.sheet import DeploymentSheet, dev_confidence
from storage.modeling.runs import run_label

BASELINES_PAGE = "pages/4_baselines.py"


def automation_tab(sheet: DeploymentSheet, run_id: int) -> None:
    chosen = AutomationSetting.from_dict(automation_choice())
    with st.form("dep.automation"):
        level = st.radio("Degree of automation", list(LEVEL_LABELS), format_func=LEVEL_LABELS.get,
                         index=list(LEVEL_LABELS).index(chosen.level), key="dep.level")
        left, middle, right = st.columns(3)
        threshold = left.slider("Confidence threshold", 0.0, 1.0, chosen.threshold, 0.01, key="dep.threshold",
                                help="Under partial automation, cases at or below it go to a person.")
        review = middle.number_input("Cost of a person's review", 0.0, value=chosen.review_cost, key="dep.review")
        error = right.number_input("Cost of an error", 0.0, value=chosen.error_cost, key="dep.error")
        submitted = st.form_submit_button("Use this setting for the next replay")
    if submitted:
        with reported_errors():
            setting = check_setting(AutomationSetting(level, float(threshold), float(review), float(error),
                                                      sheet.human_accuracy))
            choose_automation(setting.to_dict())
            st.success(f"The next replay uses: {LEVEL_LABELS[level]}.")
            chosen = setting
    _curve(sheet, run_id, chosen)


def _curve(sheet: DeploymentSheet, run_id: int, chosen: AutomationSetting) -> None:
    if sheet.human_accuracy is None:
        st.info("The chart needs the measured human-level accuracy, which this project lacks. Measure it on the "
                "Baselines page.", icon=":material/info:")
        st.page_link(BASELINES_PAGE, label="Go to Baselines", icon=":material/arrow_forward:")
        return
    with db_session() as session:
        correct, confidence = dev_confidence(session, run_id)
    curve = automation_curve(correct, confidence, human_accuracy=sheet.human_accuracy,
                             review_cost=chosen.review_cost, error_cost=chosen.error_cost)
    st.plotly_chart(automation_chart(curve, chosen=chosen.threshold), key="dep.automation_chart")
    point = curve.iloc[(curve["threshold"] - chosen.threshold).abs().argmin()]
    cells = st.columns(4)
    cells[0].metric("Automated", f"{point['automation_rate']:.1%}", help=why("automation_rate"))
    cells[1].metric("Error rate", f"{point['error_rate']:.3f}", help=why("automation_error_rate"))
    cells[2].metric("Cost per case", f"{point['cost_per_case']:.3f}", help=why("cost_per_case"))
    cells[3].metric("Cheapest threshold", f"{cheapest_threshold(curve):.2f}", help=why("cheapest_threshold"))
    st.caption(f"{run_label(sheet.runs[run_id])}'s {len(correct):,} dev predictions; a person is right {sheet.human_accuracy:.1%} of "
               "the time (the measured human-level accuracy).")
