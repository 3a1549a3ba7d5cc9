"""Replaying a production stream through the champion and the challenger: shadow, canary or blue-green.

Requests arrive in batches of consecutive stream rows. Each batch is split by the router
(a seeded coin per request with the challenger's current share), and each side answers its
part with one real `predict_proba` call, whose wall time is the latency of every request it
served (requests are served in micro-batches); the call also notes whether other work held the
CPU meanwhile, so the analyses can judge latency on quiet timings. A request's true label
arrives `label_delay` after it; an analysis at time T sees only labels that have arrived by T.
Every decision is an event with the stream time and the request it happened at.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.deployment.analysis import Analysis, analyse, arm_stats
from core.deployment.automation import AutomationSetting, routed_to_human
from core.deployment.log import BatchRecord, PredictionLog
from core.deployment.plans import RolloutSettings
from core.deployment.servers import HumanServer, Server
from core.deployment.streams import Stream
from core.modeling.evaluation import load_per_core, machine_busy

Progress = Callable[[float, str], None]
StopCheck = Callable[[], bool]
CHAMPION, CHALLENGER = 0, 1


class ReplayCancelled(Exception):
    """The user cancelled the replay between batches."""


def route(share_percent: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Return, per request, whether the challenger serves it: a seeded coin with the given share."""
    if share_percent <= 0:
        return np.zeros(n, dtype=bool)
    if share_percent >= 100:
        return np.ones(n, dtype=bool)
    return rng.random(n) < share_percent / 100.0


@dataclass
class ReplayOutcome:
    """How a replay ended, its events, the log, and (for tests) every request's record."""

    status: str
    share: float
    events: list[dict]
    log: PredictionLog
    analyses: list[dict] = field(default_factory=list)
    requests: pd.DataFrame | None = None


class _Replay:
    """The state of one running replay: position, share, the labelled history the analyses read."""

    def __init__(self, stream: Stream, champion: Server, challenger: Server, settings: RolloutSettings,
                 automation: AutomationSetting, targets, progress: Progress | None, should_stop: StopCheck | None,
                 keep_requests: bool, n_windows: int, sample_per_window: int) -> None:
        self.stream, self.champion, self.challenger, self.settings = stream, champion, challenger, settings
        self.automation, self.targets = automation, tuple(targets)
        self.progress, self.should_stop, self.keep = progress, should_stop, keep_requests
        self.classes = list(champion.classes)
        self.labels = stream.labels.to_numpy()
        self.truth = _positions(self.labels, self.classes)
        self.times = stream.times.to_numpy()
        self.delay = np.timedelta64(int(settings.label_delay_hours * 3_600_000), "ms")
        self.rng = np.random.default_rng(settings.seed)
        self.human = HumanServer("person", automation.human_accuracy or 0.0, self.classes, settings.seed + 1)
        self.position, self.share, self.events, self.analyses = 0, 0.0, [], []
        self.history: list[tuple[np.ndarray, ...]] = []
        self.records: list[BatchRecord] = []
        features = sorted(set(champion.columns) | set(challenger.columns), key=list(stream.frame.columns).index)
        # Only the columns the sides read are sliced per batch: other columns (ids, text) cost time to copy.
        self.feature_positions = [stream.frame.columns.get_loc(c) for c in features]
        self.log = PredictionLog(stream.frame, self.labels, self.truth, self.times, self.classes, features,
                                 len(stream), self.delay, n_windows, sample_per_window, settings.seed)

    # -- serving ---------------------------------------------------------------------------
    def serve(self, n_requests: int, *, shadow: Server | None = None) -> int:
        """Serve up to n_requests more requests at the current share; return how many were served."""
        stop = min(self.position + n_requests, len(self.stream))
        served = stop - self.position
        while self.position < stop:
            if self.should_stop is not None and self.should_stop():
                raise ReplayCancelled
            self._batch(self.position, min(self.position + self.settings.batch_size, stop), shadow)
            if self.progress is not None:
                self.progress(self.position / len(self.stream), self.status_text())
        return served

    def status_text(self) -> str:
        return f"request {self.position:,} of {len(self.stream):,}, challenger share {self.share:g}%"

    def _batch(self, start: int, stop: int, shadow: Server | None) -> None:
        started = time.perf_counter()
        features, labels = self.stream.frame.iloc[start:stop, self.feature_positions], self.labels[start:stop]
        to_challenger = route(self.share, stop - start, self.rng)
        proba, latency, busy, failed = self._answer(features, labels, to_challenger)
        model_prediction, confidence = proba.argmax(axis=1), proba.max(axis=1)
        champion, challenger, shadow_timing = self._both_sides(features, labels, to_challenger, model_prediction,
                                                               shadow)
        to_human = routed_to_human(confidence, self.automation)
        prediction = model_prediction.copy()
        if to_human.any():
            answers = self.human.answers(labels[to_human])
            prediction[to_human] = _positions(answers, self.classes)
        record = BatchRecord(start, stop, to_challenger.astype(np.int8), prediction, model_prediction, confidence,
                             latency, to_human, champion, challenger, failed,
                             seconds=time.perf_counter() - started, rss_mb=resident_memory_mb())
        self.log.add(record)
        shadow_ms, shadow_busy = shadow_timing if shadow is self.challenger else (np.nan, False)
        self.history.append({"t": self.times[start:stop], "arm": to_challenger, "champion": champion,
                             "challenger": challenger, "truth": self.truth[start:stop],
                             "challenger_ms": np.where(to_challenger, latency, shadow_ms),
                             "challenger_busy": np.where(to_challenger, busy, shadow_busy),
                             "failed": np.full(stop - start, failed > 0)})
        if self.keep:
            self.records.append(record)
        self.position = stop

    def _answer(self, features, labels, to_challenger) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        proba = np.zeros((len(labels), len(self.classes)))
        latency, busy = np.zeros(len(labels)), np.zeros(len(labels), dtype=bool)
        failed = 0
        for side, chosen in ((self.champion, ~to_challenger), (self.challenger, to_challenger)):
            if not chosen.any():
                continue
            part, truth = (features, labels) if chosen.all() else (features[chosen], labels[chosen])
            try:
                proba[chosen], latency[chosen], busy[chosen] = _timed(side, part, truth)
            except Exception:  # noqa: BLE001 — a failing side is counted and the champion answers instead
                if side is self.champion:
                    raise
                failed += int(chosen.sum())
                proba[chosen], latency[chosen], busy[chosen] = _timed(self.champion, part, truth)
        return proba, latency, busy, failed

    def _both_sides(self, features, labels, to_challenger, served, shadow):
        """Return each side's predicted class per request (-1 where it gave none) and the shadow call's timing
        (its ms and whether the machine was busy meanwhile)."""
        champion = np.where(to_challenger, -1, served)
        challenger = np.where(to_challenger, served, -1)
        if shadow is None:
            return champion, challenger, (np.nan, False)
        copy, shadow_ms, shadow_busy = _timed(shadow, features, labels)  # a copy of every request, never served
        copy = copy.argmax(axis=1)
        if shadow is self.challenger:
            return champion, np.where(to_challenger, served, copy), (shadow_ms, shadow_busy)
        return np.where(to_challenger, copy, served), challenger, (shadow_ms, shadow_busy)

    # -- analysis ----------------------------------------------------------------------------
    def analysis(self, *, since: int, alpha: float, challenger_served: bool = True,
                 labels_known: bool = False) -> Analysis:
        """Return the analysis now over the requests served since `since`, failing at one-sided `alpha`.

        The champion is judged on every request it predicted; the challenger on those it served
        (or, before a blue-green switch, on the copies it answered). Labels count once arrived,
        or all of them for a check on past traffic (`labels_known`).
        """
        h = {key: np.concatenate([part[key] for part in self.history]) for key in self.history[0]}
        recent = np.arange(len(h["t"])) >= since
        known = (h["truth"] >= 0) & recent
        arrived = known if labels_known else known & (h["t"] + self.delay <= h["t"][-1])
        ours = recent & (h["champion"] >= 0)
        theirs = recent & (h["arm"] if challenger_served else h["challenger"] >= 0)
        champion = arm_stats(h["champion"][ours] == h["truth"][ours], arrived[ours], np.zeros(0))
        challenger = arm_stats(h["challenger"][theirs] == h["truth"][theirs], arrived[theirs],
                               h["challenger_ms"][theirs], int((h["failed"] & theirs).sum()),
                               timed_busy=h["challenger_busy"][theirs])
        return analyse(champion, challenger, margin=self.settings.margin, min_labels=self.settings.min_labels,
                       targets=self.targets, alpha=alpha)

    def event(self, kind: str, **details) -> None:
        at = min(self.position, len(self.stream)) - 1
        when = str(pd.Timestamp(self.times[max(at, 0)]))
        self.events.append({"t": when, "request": max(at + 1, 0), "kind": kind, "share": self.share, **details})

    def record_analysis(self, step: str, analysis: Analysis) -> None:
        entry = {"step": step, "request": self.position, **analysis.to_dict()}
        self.analyses.append(entry)


def resident_memory_mb() -> float:
    """Return the process's resident set size in MB (NaN where the system does not say).

    RSS rather than tracemalloc: tracemalloc hooks every allocation and would slow the very
    predictions whose latency the replay measures, and it misses memory that native libraries
    allocate outside Python's allocator. RSS is what an operator watches on a server; it covers the
    whole process, so other sessions' work shows in it too.
    """
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return float("nan")


def _timed(side: Server, features: pd.DataFrame, labels: np.ndarray) -> tuple[np.ndarray, float, bool]:
    """Return the side's answers, the call's wall time in ms, and whether other work held the CPU meanwhile."""
    started, cpu_started = time.perf_counter(), time.process_time()
    proba = side.proba(features, labels)
    wall = time.perf_counter() - started
    cpu_share = (time.process_time() - cpu_started) / wall if wall > 0 else 1.0
    return proba, wall * 1000.0, machine_busy(cpu_share, load_per_core())


def _positions(values: np.ndarray, classes: list) -> np.ndarray:
    found = pd.Index([str(c) for c in classes]).get_indexer(pd.Series(values, dtype=object).astype(str))
    unknown = pd.isna(pd.Series(values)).to_numpy()
    return np.where(unknown, -1, found)
