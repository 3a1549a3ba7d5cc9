"""The three rollout modes as replays: shadow, canary with automatic rollback, and blue-green.

`replay` checks its inputs, then drives a `_Replay` through the mode's steps, recording every
decision as an event: started, step passed, analysis inconclusive (waiting) or failed (with its
numbers), rolled back, paused, switched, completed.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import ceil

import pandas as pd

from core.deployment.analysis import analyses_alpha
from core.deployment.automation import AutomationSetting, check_setting
from core.deployment.plans import RolloutSettings, check_settings
from core.deployment.replay import (
    Progress,
    ReplayCancelled,
    ReplayOutcome,
    StopCheck,
    _Replay,
)
from core.deployment.servers import Server, check_compatible
from core.deployment.streams import Stream
from core.scoping.targets import TargetLike

# An inconclusive analysis waits this many more steps' worth of requests for labels, then pauses.
MAX_WAITS = 1
NO_HUMAN_ACCURACY = (
    "This degree of automation sends cases to a person, but no human-level accuracy is known. Measure "
    "human-level performance on the Baselines page, or choose full automation."
)


def replay(stream: Stream, champion: Server, challenger: Server, settings: RolloutSettings, *,
           automation: AutomationSetting | None = None, targets: Iterable[TargetLike] = (),
           progress: Progress | None = None, should_stop: StopCheck | None = None, keep_requests: bool = False,
           n_windows: int = 100, sample_per_window: int = 200) -> ReplayOutcome:
    """Return how a rollout of `challenger` against `champion` went on the stream."""
    settings, automation = check_settings(settings), check_setting(automation or AutomationSetting())
    check_compatible(champion, challenger)
    if automation.level != "full_automation" and automation.human_accuracy is None:
        raise ValueError(NO_HUMAN_ACCURACY)
    state = _Replay(stream, champion, challenger, settings, automation, targets, progress, should_stop,
                    keep_requests, n_windows, sample_per_window)
    state.event("started", mode=settings.mode, champion=champion.name, challenger=challenger.name)
    try:
        status = MODES[settings.mode](state)
    except ReplayCancelled:
        state.event("cancelled")
        status = "cancelled"
    state.log.finish()
    requests = _requests(state) if keep_requests else None
    return ReplayOutcome(status, state.share, state.events, state.log, state.analyses, requests)


def run_shadow(state: _Replay) -> str:
    """The challenger answers a copy of every request; the champion serves them all."""
    state.serve(len(state.stream), shadow=state.challenger)
    state.event("completed", note="The shadow replay reached the end of the stream; nobody saw the challenger.")
    return "completed"


def run_canary(state: _Replay) -> str:
    """Ramp the challenger's share step by step; a failed analysis rolls back to the champion at once."""
    # One analysis per step can fail on the error rate: one that waits had too few labels to judge it.
    alpha = analyses_alpha(len(state.settings.ramp))
    for number, share in enumerate(state.settings.ramp, start=1):
        state.share = float(share)
        state.event("step started", step=number)
        outcome = _canary_step(state, number, alpha)
        if outcome != "pass":
            return outcome
    state.event("completed", note="Every step's analysis passed; the challenger serves all traffic.")
    return "completed"


def _canary_step(state: _Replay, number: int, alpha: float) -> str:
    for wait in range(MAX_WAITS + 1):
        if not state.serve(state.settings.step_requests):
            state.event("paused", step=number, reason="The stream ended before the step's analysis could decide.")
            return "paused"
        analysis = state.analysis(since=0, alpha=alpha)
        state.record_analysis(f"step {number}", analysis)
        if analysis.verdict == "pass":
            state.event("step passed", step=number, **_numbers(analysis))
            return "pass"
        if analysis.verdict == "fail":
            return _roll_back(state, f"step {number}", analysis)
        state.event("analysis inconclusive", step=number, waiting=wait < MAX_WAITS, **_numbers(analysis))
    undecided = " ".join(c.message for c in analysis.checks if c.verdict == "inconclusive")
    state.event("paused", step=number, reason=f"Still undecided after waiting: {undecided} Promote or roll back by hand.")
    return "paused"


def _roll_back(state: _Replay, where: str, analysis) -> str:
    state.event("analysis failed", at=where, **_numbers(analysis))
    state.share = 0.0  # the very next request goes to the champion again
    state.event("rolled back", at=where, note="All traffic is back on the champion.")
    return "rolled_back"


def run_blue_green(state: _Replay) -> str:
    """Check green on past traffic, switch all at once, keep blue warm, roll back on a failed analysis."""
    settings = state.settings
    after_switch = ceil(max(0, len(state.stream) - settings.check_requests) / settings.step_requests)
    alpha = analyses_alpha(1 + after_switch)
    state.serve(settings.check_requests, shadow=state.challenger)
    check = state.analysis(since=0, alpha=alpha, challenger_served=False, labels_known=True)
    state.record_analysis("pre-switch check", check)
    if check.verdict != "pass":
        state.event("switch refused", **_numbers(check))
        return "refused"
    state.event("check passed", **_numbers(check))
    switched_at, state.share = state.position, 100.0
    state.event("switched", note="Green serves all traffic; blue stays warm and answers copies for comparison.")
    while state.serve(settings.step_requests, shadow=state.champion):
        analysis = state.analysis(since=switched_at, alpha=alpha)
        state.record_analysis(f"after switch, request {state.position:,}", analysis)
        if analysis.verdict == "fail":
            return _roll_back(state, "after switch", analysis)
        state.event(f"post-switch analysis {analysis.verdict}", **_numbers(analysis))
    state.event("completed", note="Green held up to the end of the stream.")
    return "completed"


def _numbers(analysis) -> dict:
    data = analysis.to_dict()
    return {"verdict": data["verdict"], "champion_error_rate": data["champion_error_rate"],
            "challenger_error_rate": data["challenger_error_rate"], "challenger_p95_ms": data["challenger_p95_ms"],
            "messages": [c["message"] for c in data["checks"] if c["verdict"] != "pass"]}


MODES = {"shadow": run_shadow, "canary": run_canary, "blue_green": run_blue_green}


def _requests(state: _Replay) -> pd.DataFrame:
    """Return every request's record (tests compare it with direct computations)."""
    columns = ("arm", "prediction", "model_prediction", "confidence", "latency_ms", "to_human",
               "champion_prediction", "challenger_prediction")
    frame = pd.concat([pd.DataFrame({c: getattr(r, c) for c in columns}, index=range(r.start, r.stop))
                       for r in state.records]) if state.records else pd.DataFrame(columns=columns)
    frame["t"] = state.times[:len(frame)]
    frame["truth"] = state.truth[:len(frame)]
    return frame
