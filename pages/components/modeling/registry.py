"""The Registry tab: champion and challenger, the promotion gate with its checks, overrides and history."""

from functools import partial

import streamlit as st

from core.modeling.catalog import MODELS
from core.modeling.promotion import COMPARISON_METRICS, GateDecision
from core.scoping.targets import target_text
from pages.components import state
from pages.components.explain import caption_why
from pages.components.feedback import attempt, reported_errors
from pages.components.resources import db_session
from pages.components.text import plain
from storage.modeling.tables import Run
from storage.scoping.tables import Target
from storage.fairness.audits import latest_signed_audit
from storage.fairness.tables import audit_label
from storage.modeling.registry import gate_for, promote, promotions_frame
from storage.modeling.runs import run_label

ALIASES = {"champion": "Champion (gated)", "challenger": "Challenger (not gated: a candidate to try in deployment)"}
HOW = {"passed": "through the gate", "overridden": "with an override of the failed gate (logged)",
       "not gated": "without the gate (a challenger needs only a dev evaluation)"}


def registry_tab(project_id: int, runs: dict[int, Run], held: dict[str, Run], targets: list[Target]) -> None:
    for column, alias in zip(st.columns(2), ALIASES):
        run = held.get(alias)
        with column.container(border=True):
            st.markdown(f"**{alias.capitalize()}**")
            if run is None:
                st.caption("Not set.")
            else:
                dev = run.metrics.get("dev", {})
                st.markdown(f"{run_label(run)} · {plain(MODELS[run.model].label)}")
                shown = [f"{k} {dev[k]:.4f}" for k in ("accuracy", "f1", "roc_auc") if dev.get(k) is not None]
                st.caption(" · ".join(shown))
                if alias == "champion":
                    fairness_sign_off(project_id, run.id)
    ml_targets = [t for t in targets if t.kind == "ml"]
    st.caption("ML targets from scoping: " + (", ".join(target_text(t) for t in ml_targets) or "none set"))
    if runs:
        promote_form(project_id, runs)
    else:
        st.info("No run yet. Train a model first; finished runs can be promoted here.")
    with db_session() as session:
        history = promotions_frame(session, project_id)
    if not history.empty:
        st.markdown("**Promotion history**")
        st.dataframe(history, width="stretch", hide_index=True, key="exp.promotions",
                     column_config={"when": st.column_config.DatetimeColumn("when (UTC)", format="YYYY-MM-DD HH:mm")})


def fairness_sign_off(project_id: int, run_id: int) -> None:
    with db_session() as session:
        audit = latest_signed_audit(session, project_id, run_id=run_id)
    if audit is None:
        st.caption("Fairness audit: not signed off yet.")
    else:
        st.caption(f"Fairness sign-off: {audit_label(audit)} — {audit.decision} ({audit.signed_at:%Y-%m-%d}).")


def promote_form(project_id: int, runs: dict[int, Run]) -> None:
    caption_why("promotion_gate")
    with st.form("exp.promote_form"):
        row = st.columns([2, 2, 2, 1])
        run_id = row[0].selectbox("Run", list(runs), key="exp.promote_run", format_func=lambda i: (
            f"{run_label(runs[i])} · {MODELS[runs[i].model].label} ({runs[i].status})"))
        alias = row[1].selectbox("Alias", list(ALIASES), format_func=ALIASES.get, key="exp.promote_alias")
        metric = row[2].selectbox("Compare with the champion on", COMPARISON_METRICS,
                                  index=COMPARISON_METRICS.index("f1"), key="exp.promote_metric")
        margin = row[3].number_input("Margin", value=0.0, format="%g", key="exp.promote_margin",
                                     help="How much better than the champion the run must be (0.01 = one point).")
        reason = st.text_input("Override reason (only to promote a run that fails the gate; it is logged)",
                               key="exp.override_reason", max_chars=500)
        buttons = st.columns(2)
        check = buttons[0].form_submit_button("Check the gate", key="exp.check_gate", icon=":material/rule:")
        submit = buttons[1].form_submit_button("Promote", type="primary", key="exp.promote", icon=":material/upgrade:")
    if check:
        with reported_errors(), db_session() as session:
            show_gate(gate_for(session, project_id=project_id, run_id=run_id, metric=metric, margin=float(margin)))
    if submit:
        done = attempt(partial(promote, project_id=project_id, run_id=run_id, alias=alias, metric=metric,
                               margin=float(margin), override_reason=reason, actor=state.actor()))
        if done is not None:
            state.flash(f"{run_label(runs[run_id])} is now the {alias}, {HOW[done.gate]}.")
            st.rerun()


def show_gate(decision: GateDecision) -> None:
    verdict = "passes the gate" if decision.passed else "does not pass the gate"
    st.markdown(f"The run **{verdict}**:")
    for check in decision.checks:
        show = st.success if check.passed else st.error
        show(plain(check.message), icon=":material/check_circle:" if check.passed else ":material/cancel:")
