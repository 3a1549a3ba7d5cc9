"""The audit's findings: group metrics with intervals, disparities under the four-fifths rule, charts."""

import pandas as pd
import streamlit as st

from core.fairness.audit import AttributeAudit, with_reference
from core.fairness.charts import metric_by_group_chart
from core.fairness.metrics import METRIC_LABELS, METRICS, RATES
from core.fairness.presentation import interval_table, ratio_table, verdict_styles
from pages.components.explain import caption_why, why
from pages.components.fairness.plain import literal

GAP_LABELS = {"demographic_parity_difference": "Demographic parity difference",
              "demographic_parity_ratio": "Demographic parity ratio",
              "equalized_odds_difference": "Equalized odds difference",
              "equal_opportunity_difference": "Equal opportunity difference"}


def group_metrics_section(audit: AttributeAudit) -> None:
    result = audit.metrics
    st.dataframe(interval_table(result), width="stretch", key=f"fair.groups.{audit.name}",
                 column_config={METRIC_LABELS[m]: st.column_config.Column(help=why(f"rate_{m}")) for m in METRICS})
    caption_why("group_rates")
    small = [str(g) for g, s in result.small.items() if s]
    note = f" Too small to judge (under the minimum rows): {', '.join(literal(g) for g in small)}." if small else ""
    st.caption(f"Values with their seeded bootstrap 95% interval ({result.n_resamples} resamples within each "
               f"group, seed {result.seed}). “undefined” means the group has no rows the rate divides by "
               f"(no positives, say) — it is not 0.{note}")


def disparities_section(audit: AttributeAudit, metric: str) -> AttributeAudit:
    """Show the disparities of one attribute; return it against the reference the user picked."""
    groups = [str(g) for g in audit.metrics.values.index]
    picked = st.selectbox("Reference group", groups, index=groups.index(str(audit.reference)),
                          key=f"fair.ref.{audit.name}")
    audit = with_reference(audit, picked, metric=metric) if picked != audit.reference else audit
    for column, (key, label) in zip(st.columns(4), GAP_LABELS.items()):
        value = audit.gaps[key]
        column.metric(label, "undefined" if pd.isna(value) else f"{value:.3f}", help=why(key))
    ratios, verdicts = ratio_table(audit.disparities)
    st.dataframe(ratios.style.apply(lambda _: verdict_styles(verdicts), axis=None).format("{:.2f}", na_rep="undefined"),
                 width="stretch", key=f"fair.ratios.{audit.name}",
                 column_config={METRIC_LABELS[m]: st.column_config.Column(help=why("group_ratios")) for m in RATES})
    flagged = ", ".join(literal(g) for g in audit.flagged) or "none"
    st.caption(f"Ratio of each group's rate to the reference group's; green is within the four-fifths band "
               f"(0.8 to 1.25), red outside, grey undefined. Outside the band on {METRIC_LABELS[metric]}: {flagged}.")
    shown = st.selectbox("Chart", list(RATES), index=list(RATES).index(metric), format_func=METRIC_LABELS.get,
                         key=f"fair.chart_metric.{audit.name}")
    st.plotly_chart(metric_by_group_chart(audit.metrics, metric=shown, reference=audit.reference),
                    key=f"fair.chart.{audit.name}")
    caption_why("group_chart")
    return audit


def attribute_heading(audit: AttributeAudit) -> None:
    st.markdown(f"#### {literal(audit.name)} · reference {literal(audit.reference)}")
