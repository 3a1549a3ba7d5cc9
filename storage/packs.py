"""Workshop packs: build a demo-scenario project up to a stage, through the same functions the pages call.

Every record a pack holds is made the way a user's would be (scoping through the worked example,
labels by the simulated labelers, runs trained and promoted through the gate, ...), each step
logged on the project timeline under the actor "workshop pack". Training and the replay commit as
they go (they run outside a transaction on the pages too), so a build that fails part-way deletes
the project it started: a pack is either whole or absent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from core.project.packs import PACK_ROWS, PACK_STARTS, Pack, PackStage, plan_pack
from storage.db import session_scope
from storage.data.intake import store_scenario
from storage.pack_steps import STEP_BUILDERS, PackContext
from storage.project.projects import clean_project_name, create_project, delete_project, log_event
from storage.project.tables import Event

ACTOR = "workshop pack"
BUILT = "built workshop pack"
# progress(steps done, steps in all, what is being done now)
PackProgress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class BuiltPack:
    """A built pack's project and how long each step took, in seconds ("project" is creating it)."""

    project_id: int
    pack: Pack
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def build_pack(engine: Engine, *, name: str, scenario: str, stage: PackStage, progress: PackProgress | None = None,
               n_rows: int | None = None) -> BuiltPack:
    """Return a new project of the scenario carried up to the stage; raise ValueError (or ProjectError)
    naming a bad name, scenario or stage before anything is written. A failed step deletes the project."""
    pack = plan_pack(scenario, stage)
    clean_project_name(name)
    report = progress or (lambda done, total, text: None)
    total = len(pack.steps) + 1
    report(0, total, f"Creating the project with the {scenario} data")
    started = time.perf_counter()
    context = _create_project(engine, name, pack, n_rows)
    seconds = {"project": time.perf_counter() - started}
    try:
        for position, step in enumerate(pack.steps, start=1):
            report(position, total, STEP_WORDS[step])
            started = time.perf_counter()
            STEP_BUILDERS[step](context)
            seconds[step] = time.perf_counter() - started
        _log_built(engine, context.project_id, pack, seconds)
    except BaseException:
        with session_scope(engine) as session:
            delete_project(session, project_id=context.project_id)
        raise
    report(total, total, "Ready")
    return BuiltPack(context.project_id, pack, seconds)


STEP_WORDS = {
    "scoping": "Answering the scoping checklist and setting targets",
    "data": "Splitting the data into train, dev and test",
    "labeling": "Letting the simulated labelers label a batch",
    "baselines": "Computing the baselines and human-level performance",
    "experiments": "Training two models and promoting a champion",
    "errors": "Saving the champion's top slices and tagging its mistakes",
    "fairness": "Auditing the champion's fairness",
    "deployment": "Replaying a shadow deployment of the champion",
}


def _create_project(engine: Engine, name: str, pack: Pack, n_rows: int | None) -> PackContext:
    rows = n_rows or PACK_ROWS.get(pack.scenario)
    params = {"n_rows": rows} if rows else {}
    with session_scope(engine) as session:
        project = create_project(session, name=name, source=pack.scenario, actor=ACTOR)
        dataset = store_scenario(session, project_id=project.id, scenario_name=pack.scenario, actor=ACTOR,
                                 **params).dataset
        return PackContext(engine, project.id, dataset.id, pack.scenario, ACTOR)


def _log_built(engine: Engine, project_id: int, pack: Pack, seconds: dict[str, float]) -> None:
    with session_scope(engine) as session:
        log_event(session, project_id=project_id, actor=ACTOR, action=BUILT, details={
            "scenario": pack.scenario, "stage": pack.start.stage, "starts at": pack.start.page,
            "seconds": round(sum(seconds.values()), 1)})


def pack_stage(session: Session, project_id: int) -> PackStage | None:
    """Return the stage a project built (or imported) as a workshop pack starts at, or None for any other."""
    details = session.exec(select(Event.details).where(Event.project_id == project_id, Event.action == BUILT,
                                                       Event.actor == ACTOR).order_by(col(Event.id).desc())).first()
    stage = details.get("stage") if isinstance(details, dict) else None
    return stage if stage in PACK_STARTS else None
