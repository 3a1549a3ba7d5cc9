"""The Plan tab: the deployment case and its recommended path, the two sides, the stream, the rollout settings."""


import streamlit as st

from core.deployment.automation import LEVEL_LABELS, AutomationSetting
from core.deployment.plans import (
    CASE_LABELS,
    MODE_LABELS,
    RolloutSettings,
    parse_ramp,
    recommended_mode,
    recommended_path,
    recommended_ramp,
)
from pages.components import state
from pages.components.deployment.state import DEP_SHOWN_KEY, automation_choice
from pages.components.deployment.jobs import start_replay
from pages.components.explain import why
from pages.components.feedback import attempt, reported_errors
from pages.components.resources import engine
from storage.deployment.deployments import prepare_deployment, start_deployment
from storage.deployment.presets import train_degraded_challenger
from storage.deployment.sheet import DeploymentSheet
from storage.deployment.sides import HUMAN, StreamChoice
from storage.deployment.tables import deployment_label
from storage.modeling.runs import run_label

PATH_NAMES = {"shadow": "Shadow", "canary": "Canary", "blue_green": "Blue-green",
              "ai_assistance": "AI assistance", "partial_automation": "Partial automation"}


def plan_tab(project_id: int, sheet: DeploymentSheet) -> int | None:
    """Draw the plan; return the candidate run chosen (the Automation tab charts it)."""
    case = st.radio("What is being deployed?", list(CASE_LABELS), format_func=CASE_LABELS.get, key="dep.case",
                    horizontal=True)
    st.markdown("**Recommended path**")
    for number, step in enumerate(recommended_path(case), start=1):
        st.markdown(f"{number}. **{PATH_NAMES[step.mode]}** — {step.why}")
    running = _pick_running_side(sheet, case)
    _preset(project_id)
    candidate = _pick_candidate(sheet, running)
    if candidate is None:
        st.info("There is no other finished run to roll out. Train one on the Experiments page, or use the "
                "degraded-challenger preset above.", icon=":material/info:")
        return None
    mode = st.radio("Rollout mode", list(MODE_LABELS), format_func=MODE_LABELS.get, key=f"dep.mode.{case}",
                    index=list(MODE_LABELS).index(recommended_mode(case)), horizontal=True,
                    help="Preselected from the case's recommended path.")
    _settings_form(project_id, sheet, case, running, candidate, mode)
    return candidate


def _pick_running_side(sheet: DeploymentSheet, case: str) -> str:
    options = list(sheet.running_sides)
    default = HUMAN if case == "assisting" else f"run:{sheet.champion.id}"
    return st.selectbox("Running side (what serves today)", options, format_func=sheet.running_sides.get,
                        index=options.index(default), key=f"dep.running.{case}")


def _preset(project_id: int) -> None:
    if st.button("Train a degraded challenger (workshop preset)", key="dep.preset", icon=":material/science:",
                 help="Trains the champion’s model on labels shifted to the next class and makes it the challenger: a canary of it "
                      "should roll back at its first analysis."):
        with st.spinner("Training the degraded challenger…"), reported_errors():
            run = train_degraded_challenger(engine(), project_id=project_id, actor=state.actor())
            state.flash(f"{run}, trained on shifted labels, is now the challenger.")
            st.rerun()


def _pick_candidate(sheet: DeploymentSheet, running: str) -> int | None:
    options = [i for i in sheet.runs if f"run:{i}" != running]
    if not options:
        return None
    preferred = [r.id for r in (sheet.challenger, sheet.champion) if r is not None and r.id in options]
    index = options.index(preferred[0]) if preferred else 0
    # Keyed by the registry's challenger, so a new challenger (e.g. from the preset) becomes the default.
    key = f"dep.candidate.{sheet.challenger.id if sheet.challenger is not None else 0}"
    return st.selectbox("Candidate (the model being rolled out)", options, index=index, key=key,
                        format_func=lambda i: f"{run_label(sheet.runs[i])} · {sheet.runs[i].model}" + _alias(sheet, i))


def _alias(sheet: DeploymentSheet, run_id: int) -> str:
    if sheet.challenger is not None and sheet.challenger.id == run_id:
        return " (challenger)"
    return " (champion)" if sheet.champion is not None and sheet.champion.id == run_id else ""


MARGIN_HELP = ("How much worse than the running side's error rate the candidate may be. An analysis rolls "
               "back only when the labels show it worse by more than this with 95% confidence over the whole "
               "rollout, so two equally good models are not rolled back by the noise of a few hundred labels.")


def _settings_form(project_id: int, sheet: DeploymentSheet, case: str, running: str, candidate: int,
                   mode: str) -> None:
    automation = AutomationSetting.from_dict(automation_choice())
    with st.form(f"dep.plan.{case}.{mode}"):
        stream = st.selectbox("Production stream", list(sheet.streams), format_func=sheet.streams.get,
                              key="dep.stream")
        left, middle, right = st.columns(3)
        n_requests = left.number_input("Requests in the stream", 100, 1_000_000, 10_000, step=1_000,
                                       key="dep.n_requests")
        start_month = middle.number_input("First month (loan_approval)", 1, 12, 6, key="dep.start_month")
        delay = right.number_input("Label delay (hours of stream time)", 0.0, 8_760.0, 24.0, key="dep.delay",
                                   help="A request's true label arrives this long after it.")
        ramp = left.text_input("Ramp plan (% of traffic per step)", ", ".join(map(str, recommended_ramp(case))),
                               key=f"dep.ramp.{case}", disabled=mode != "canary")
        step = middle.number_input("Requests per step (or per check)", 10, 1_000_000, 2_000, key="dep.step")
        margin = right.number_input("Error-rate margin", 0.0, 0.5, 0.02, step=0.01, format="%.3f", key="dep.margin",
                                    help=why("canary_margin", MARGIN_HELP))
        min_labels = left.number_input("Labels an analysis needs", 10, 100_000, 50, key="dep.min_labels")
        batch = middle.number_input("Requests per batch", 1, 10_000, 100, key="dep.batch")
        st.caption(f"Degree of automation: {LEVEL_LABELS[automation.level]}"
                   + (f", threshold {automation.threshold:.2f}" if automation.level == "partial_automation" else "")
                   + " (set in the Automation tab).")
        if st.form_submit_button("Start the replay", type="primary", icon=":material/play_arrow:"):
            settings = dict(mode=mode, step_requests=int(step), check_requests=int(step), margin=float(margin),
                            min_labels=int(min_labels), label_delay_hours=float(delay), batch_size=int(batch))
            choice = StreamChoice(stream, int(n_requests), int(start_month))
            _start(project_id, case, running, candidate, ramp if mode == "canary" else "100", settings, choice,
                   automation)


def _start(project_id, case, running, candidate, ramp_text, settings, choice, automation) -> None:
    def action(session):
        rollout = RolloutSettings(ramp=parse_ramp(ramp_text), **settings)
        prepared = prepare_deployment(session, project_id=project_id, case=case, champion_choice=running,
                                      candidate_run_id=candidate, stream_choice=choice, settings=rollout,
                                      automation=automation)
        return prepared, start_deployment(session, prepared=prepared, actor=state.actor())

    with st.spinner("Loading the models and building the stream…"):
        started = attempt(action)
    if started is not None:
        prepared, row = started
        start_replay(prepared, row, f"{MODE_LABELS[row.mode]} of {prepared.candidate.name}")
        state.choose(DEP_SHOWN_KEY, row.id)
        state.flash(f"Started {deployment_label(row)}: {MODE_LABELS[row.mode].lower()} of {prepared.candidate.name} "
                    f"against {prepared.champion.name}.")
        st.rerun()
