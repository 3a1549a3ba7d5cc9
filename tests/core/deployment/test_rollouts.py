"""Replays against known answers: router shares, analyses, rollback, promotion, shadow agreement."""

import numpy as np
import pytest
from scipy.stats import binom, norm
from statsmodels.stats.proportion import confint_proportions_2indep

from core.deployment.analysis import (
    MIN_QUIET_TIMED, ROLLOUT_FALSE_ALARM, ArmStats, analyse, analyses_alpha, arm_stats, difference_bounds,
)
from core.deployment.plans import RolloutSettings
from core.deployment.replay import route
from core.deployment.rollouts import replay
from core.deployment.servers import ModelServer
from core.scoping.targets import parse_target
from tests.core.deployment.factories import COLUMNS, fitted, server, stream

FAST = dict(step_requests=1_000, batch_size=200, label_delay_hours=24.0, min_labels=50)


@pytest.mark.parametrize("share", [10, 25, 50])
def test_router_sends_the_set_share_within_the_binomial_bound(share):
    n = 100_000
    sent = int(route(share, n, np.random.default_rng(7)).sum())
    low, high = binom.interval(0.999, n, share / 100)
    assert low <= sent <= high


def test_router_sends_nothing_at_zero_and_everything_at_a_hundred():
    rng = np.random.default_rng(0)
    assert not route(0, 1_000, rng).any() and route(100, 1_000, rng).all()


def stats(labelled, errors, p95=5.0, failed=0):
    return ArmStats(labelled, errors, p95, failed)


# Newcombe (1998), "Interval estimation for the difference between independent proportions",
# Table II, method 10 (hybrid score, no continuity correction), 95% two-sided.
@pytest.mark.parametrize("counts, published", [((56, 70, 48, 80), (0.0524, 0.3339)), ((9, 10, 3, 10), (0.1705, 0.8090)),
                                               ((5, 56, 0, 29), (-0.0381, 0.1926))])
def test_the_difference_interval_is_newcombes_published_one(counts, published):
    assert difference_bounds(*counts, norm.ppf(0.975)) == pytest.approx(published, abs=5e-5)


@pytest.mark.parametrize("counts", [(0, 60, 0, 80), (60, 60, 3, 80), (31, 100, 20, 100), (7, 300, 19, 250)])
def test_the_difference_interval_equals_statsmodels_newcombe_interval(counts):
    expected = confint_proportions_2indep(*counts, method="newcomb", compare="diff", alpha=0.1)
    assert difference_bounds(*counts, norm.ppf(0.95)) == pytest.approx(expected, abs=1e-12)


# Fails: the first and the third; passes: the second (bound 0.096 under 0.1) and the last two.
@pytest.mark.parametrize("champion_errors, challenger_errors, margin",
                         [(20, 40, 0.02), (20, 45, 0.1), (100, 260, 0.05), (20, 33, 0.02), (100, 150, 0.05)])
def test_the_analysis_fails_exactly_when_the_lower_bound_lies_above_the_margin(champion_errors, challenger_errors,
                                                                                margin):
    n = 100 if champion_errors < 100 else 1_000
    result = analyse(stats(n, champion_errors), stats(n, challenger_errors), margin=margin, min_labels=50, alpha=0.01)
    lower, _ = confint_proportions_2indep(challenger_errors, n, champion_errors, n, method="newcomb",
                                          compare="diff", alpha=0.02)
    assert result.verdict == ("fail" if lower > margin else "pass")


def test_a_challenger_a_little_worse_on_few_labels_is_not_rolled_back_by_chance():
    # 30% against 20% on a hundred labels each: the 95% bound still allows "no worse at all".
    result = analyse(stats(100, 20), stats(100, 30), margin=0.02, min_labels=50)
    assert result.verdict == "pass"
    assert "not shown worse by more than the margin 0.020" in result.checks[1].message


def test_a_clearly_worse_challenger_fails_on_a_hundred_labels():
    result = analyse(stats(100, 20), stats(100, 50), margin=0.02, min_labels=50, alpha=analyses_alpha(4))
    assert result.verdict == "fail" and "more than the margin 0.020" in result.checks[1].message


def test_equally_good_models_are_rolled_back_in_at_most_one_canary_in_twenty():
    """Simulated four-step canaries of two arms with the same error rate, judged as the replay judges them."""
    rng, canaries, rate, alpha = np.random.default_rng(11), 4_000, 0.2, analyses_alpha(4)
    per_step = np.array([(100, 900), (250, 750), (500, 500), (1_000, 0)])  # (challenger, champion) labels
    labelled = per_step.cumsum(axis=0)
    rolled_back = old_rule = 0
    for _ in range(canaries):
        errors = rng.binomial(per_step, rate).cumsum(axis=0)
        verdicts = [analyse(stats(n_ours, e_ours), stats(n_theirs, e_theirs), margin=0.0, min_labels=50,
                            alpha=alpha).verdict for (n_theirs, n_ours), (e_theirs, e_ours) in zip(labelled, errors)]
        rolled_back += "fail" in verdicts
        old_rule += any(e_theirs / n_theirs > e_ours / n_ours for (n_theirs, n_ours), (e_theirs, e_ours)
                        in zip(labelled, errors))
    assert rolled_back / canaries <= ROLLOUT_FALSE_ALARM
    assert old_rule / canaries > 0.5  # comparing the bare rates rolled most such canaries back


@pytest.mark.parametrize("labelled, verdict", [(49, "inconclusive"), (50, "pass")])
def test_too_few_labels_make_the_analysis_inconclusive(labelled, verdict):
    assert analyse(stats(100, 10), stats(labelled, 0), margin=0.0, min_labels=50).verdict == verdict


@pytest.mark.parametrize("p95, verdict", [(200.0, "pass"), (200.5, "fail")])
def test_p95_latency_is_judged_by_the_scoping_target(p95, verdict):
    targets = [parse_target("p95_latency_ms <= 200"), parse_target("f1 >= 0.8")]
    result = analyse(stats(100, 10), stats(100, 10, p95=p95), margin=0.0, min_labels=50, targets=targets)
    assert result.verdict == verdict


LATENCY_TARGET = [parse_target("p95_latency_ms <= 200")]


def timed(quiet_ms: list[float], busy_ms: list[float]) -> ArmStats:
    """A challenger with 100 labelled requests and no errors, timed as given (busy = other work held the CPU)."""
    latency = np.array(quiet_ms + busy_ms)
    busy = np.array([False] * len(quiet_ms) + [True] * len(busy_ms))
    return arm_stats(np.ones(100, dtype=bool), np.ones(100, dtype=bool), latency, timed_busy=busy)


def test_latency_timed_on_a_busy_machine_is_judged_on_the_quiet_requests():
    challenger = timed([10.0 + i for i in range(80)], [900.0] * 20)  # the slow tail is all busy timings
    assert challenger.p95_latency_ms > 200  # judged on every request it would fail
    assert challenger.quiet_p95_latency_ms == pytest.approx(np.percentile([10.0 + i for i in range(80)], 95))
    result = analyse(stats(100, 10), challenger, margin=0.0, min_labels=50, targets=LATENCY_TARGET)
    (latency,) = [c for c in result.checks if c.condition == "p95 latency"]
    assert result.verdict == "pass" and latency.verdict == "pass"
    assert "on the 80 requests timed while the machine was quiet meets the target" in latency.message
    assert "20 of its 100 requests were timed while other work held the CPU" in latency.message


def test_a_model_slow_on_a_quiet_machine_still_fails_the_latency_target():
    result = analyse(stats(100, 10), timed([300.0] * 80, [900.0] * 20), margin=0.0, min_labels=50,
                     targets=LATENCY_TARGET)
    assert result.verdict == "fail"
    assert "300.0 ms on the 80 requests timed while the machine was quiet misses" in result.checks[-1].message


@pytest.mark.parametrize("quiet, verdict", [(MIN_QUIET_TIMED - 1, "inconclusive"), (MIN_QUIET_TIMED, "pass")])
def test_too_few_quiet_timings_make_a_latency_miss_wait(quiet, verdict):
    challenger = timed([10.0] * quiet, [900.0] * (100 - quiet))
    result = analyse(stats(100, 10), challenger, margin=0.0, min_labels=50, targets=LATENCY_TARGET)
    assert result.verdict == verdict
    if verdict == "inconclusive":
        assert f"Fewer than {MIN_QUIET_TIMED} challenger requests were timed while the machine was quiet" in (
            result.checks[-1].message)


def test_a_latency_met_even_with_busy_timings_passes():
    result = analyse(stats(100, 10), timed([10.0] * 5, [50.0] * 95), margin=0.0, min_labels=50,
                     targets=LATENCY_TARGET)
    assert result.verdict == "pass" and "5 of" not in result.checks[-1].message


@pytest.mark.parametrize("busy, status", [(False, "rolled_back"), (True, "paused")])
def test_a_canary_rolls_back_on_latency_only_when_it_was_timed_on_a_quiet_machine(monkeypatch, busy, status):
    import core.deployment.replay as replay_module

    monkeypatch.setattr(replay_module, "machine_busy", lambda cpu_share, load: busy)
    impossible = [parse_target("p95_latency_ms <= 0.000001")]
    settings = RolloutSettings(mode="canary", margin=0.05, **FAST)
    outcome = replay(stream(), server("good", "champion"), server("good", "retrained"), settings, targets=impossible)
    assert outcome.status == status
    if busy:
        paused = outcome.events[-1]
        assert paused["kind"] == "paused" and "too few to judge the model's own latency" in paused["reason"]
        assert paused["reason"].startswith("Still undecided after waiting:")
    else:
        assert "misses the target" in " ".join(outcome.events[-2]["messages"])


def test_requests_timed_under_a_high_load_count_as_busy(monkeypatch):
    import core.deployment.replay as replay_module

    monkeypatch.setattr(replay_module, "load_per_core", lambda: 8.0)  # eight processes wanting each core
    settings = RolloutSettings(mode="canary", margin=0.05, **FAST)
    outcome = replay(stream(), server("good", "champion"), server("good", "retrained"), settings,
                     targets=LATENCY_TARGET)
    first = outcome.analyses[0]
    assert first["challenger_timed_busy"] > 0 and first["challenger_quiet_p95_ms"] is None


def test_failed_predictions_fail_the_analysis_even_when_labels_are_short():
    assert analyse(stats(100, 10), stats(3, 0, failed=2), margin=0.1, min_labels=50).verdict == "fail"


def test_arm_stats_count_only_arrived_labels():
    correct = np.array([True, False, False, True])
    arrived = np.array([True, True, False, False])
    result = arm_stats(correct, arrived, np.array([1.0, 2.0, 3.0, 4.0]))
    assert (result.n_labelled, result.n_errors) == (2, 1)
    assert result.p95_latency_ms == pytest.approx(np.percentile([1, 2, 3, 4], 95))


def expected_verdicts(requests, steps, *, delay, margin, min_labels, alpha):
    """The analysis at the end of each step, recomputed directly from every request's record."""
    verdicts = []
    for end in steps:
        done = requests.iloc[:end]
        arrived = (done["truth"] >= 0) & (done["t"] + delay <= done["t"].iloc[-1])
        ours, theirs = done["arm"] == 0, done["arm"] == 1
        wrong = done["model_prediction"] != done["truth"]
        counts = [int(count) for side in (theirs, ours) for count in ((wrong & arrived & side).sum(),
                                                                       (arrived & side).sum())]
        if min(counts[1], counts[3]) < min_labels:
            verdicts.append("inconclusive")
            continue
        lower, _ = confint_proportions_2indep(*counts, method="newcomb", compare="diff", alpha=2 * alpha)
        verdicts.append("fail" if lower > margin else "pass")
    return verdicts


def test_a_worse_challenger_rolls_back_at_the_first_step_whose_analysis_fails():
    settings = RolloutSettings(mode="canary", **FAST)
    outcome = replay(stream(), server("good", "champion"), server("guess"), settings, keep_requests=True)
    ends = [1_000 * k for k in range(1, len(outcome.requests) // 1_000 + 1)]
    direct = expected_verdicts(outcome.requests, ends, delay=np.timedelta64(24, "h"), margin=0.02, min_labels=50,
                               alpha=analyses_alpha(len(settings.ramp)))
    first_fail = direct.index("fail")
    kinds = [e["kind"] for e in outcome.events]
    assert outcome.status == "rolled_back" and outcome.share == 0.0
    assert kinds.count("step passed") == first_fail and kinds[-2:] == ["analysis failed", "rolled back"]
    rolled = outcome.events[-1]
    assert rolled["at"] == f"step {first_fail + 1}" and rolled["request"] == ends[first_fail]
    assert len(outcome.requests) == ends[first_fail]  # nothing after the rollback reaches the challenger


def test_a_sound_challenger_ramps_to_all_traffic():
    settings = RolloutSettings(mode="canary", margin=0.05, **FAST)
    outcome = replay(stream(), server("good", "champion"), server("good", "retrained"), settings, keep_requests=True)
    assert outcome.status == "completed" and outcome.share == 100.0
    assert [e["step"] for e in outcome.events if e["kind"] == "step passed"] == [1, 2, 3, 4]
    shares = outcome.requests.groupby(outcome.requests.index // 1_000)["arm"].mean().to_numpy()
    assert shares == pytest.approx([0.10, 0.25, 0.50, 1.0], abs=0.05)


def test_shadow_agreement_equals_a_direct_comparison_of_the_two_models():
    outcome = replay(stream(), server("good", "champion"), server("thin"), RolloutSettings(mode="shadow", **FAST))
    X = stream().frame[COLUMNS]
    direct = fitted("good").predict(X) == fitted("thin").predict(X)
    windows = outcome.log.windows
    assert sum(w["shadow"]["compared"] for w in windows) == len(X)
    assert sum(w["shadow"]["agree"] for w in windows) == int(direct.sum())
    assert sum(w["n_by_arm"]["challenger"] for w in windows) == 0  # the shadow serves nobody


def test_blue_green_refuses_to_switch_to_a_worse_green_and_switches_to_a_sound_one():
    refused = replay(stream(), server("good", "blue"), server("guess"), RolloutSettings(mode="blue_green", **FAST))
    assert refused.status == "refused" and refused.share == 0.0
    settings = RolloutSettings(mode="blue_green", margin=0.05, **FAST)
    switched = replay(stream(), server("good", "blue"), server("good", "green"), settings)
    kinds = [e["kind"] for e in switched.events]
    assert switched.status == "completed" and kinds[:4] == ["started", "check passed", "switched",
                                                             "post-switch analysis pass"]


def test_a_challenger_trained_on_other_columns_is_refused_before_anything_runs():
    other = ModelServer("other", fitted("good"), [*COLUMNS[:-1], "age"])
    with pytest.raises(ValueError, match="different schema.*lacks late_payments_2y.*adds age"):
        replay(stream(), server("good"), other, RolloutSettings(mode="canary", **FAST))


class Crashing:
    classes_ = np.array([0, 1])

    def predict_proba(self, features):
        raise RuntimeError("model server down")


def test_failed_challenger_predictions_fail_the_first_analysis_and_the_champion_answers_them():
    outcome = replay(stream(), server("good"), ModelServer("crashing", Crashing(), COLUMNS),
                     RolloutSettings(mode="canary", **FAST), keep_requests=True)
    assert outcome.status == "rolled_back" and outcome.events[-2]["at"] == "step 1"
    assert any("challenger predictions failed" in m for m in outcome.events[-2]["messages"])
    assert sum(w["n_failed"] for w in outcome.log.windows) == int((outcome.requests["arm"] == 1).sum())
    served = outcome.requests["model_prediction"].to_numpy()
    assert (served == fitted("good").predict(stream().frame[COLUMNS].iloc[:len(served)])).all()


class FailsLater:
    """A sound model that starts failing after a number of calls: a green that breaks after the switch."""

    def __init__(self, model, calls: int):
        self.model, self.calls, self.classes_ = model, calls, model.classes_

    def predict_proba(self, features):
        self.calls -= 1
        if self.calls < 0:
            raise RuntimeError("green lost its feature store")
        return self.model.predict_proba(features)


def test_blue_green_rolls_back_at_once_when_the_post_switch_analysis_fails():
    settings = RolloutSettings(mode="blue_green", margin=0.05, check_requests=1_000, **{**FAST, "step_requests": 500})
    green = ModelServer("green", FailsLater(fitted("good"), calls=6), COLUMNS)  # 5 check batches + 1 after
    outcome = replay(stream(), server("good", "blue"), green, settings, keep_requests=True)
    kinds = [e["kind"] for e in outcome.events]
    assert kinds == ["started", "check passed", "switched", "analysis failed", "rolled back"]
    assert outcome.status == "rolled_back" and outcome.share == 0.0
    assert outcome.events[-1]["request"] == 1_500  # the first post-switch analysis, at once


def test_feature_summaries_equal_pandas_on_a_window():
    from core.deployment.log import feature_summaries

    frame = stream().frame.iloc[:500][["credit_score", "income", "purpose"]].copy()
    frame.loc[frame.index[:7], "income"] = np.nan
    summary = feature_summaries(frame)
    income = frame["income"].dropna()
    assert summary["income"]["missing"] == 7 and summary["income"]["n"] == 493
    assert summary["income"]["mean"] == pytest.approx(income.mean())
    assert summary["income"]["std"] == pytest.approx(income.std(ddof=0))
    assert summary["income"]["quantiles"] == pytest.approx(list(income.quantile([0.05, 0.25, 0.5, 0.75, 0.95])))
    assert summary["purpose"]["counts"] == {k: v for k, v in frame["purpose"].value_counts().items() if v}
