"""The whole audit report of one project, read in one session into plain data (core.report.document).

The page, the HTML file and the Markdown model card all draw from the `Report` this returns, so
what a product owner reads on screen and in an exported file is the same set of facts.
"""

from __future__ import annotations

from sqlmodel import Session

from core.report.card import CardInputs, card_facts
from core.report.document import Report
from core.report.early import data_section, labels_section, scoping_section
from core.report.later import champion_section, fairness_section, slices_section
from core.report.operations import TIMELINE_ROWS, deployment_section, monitoring_section, timeline_section
from storage.data.datasets import list_datasets
from storage.fields import utc_now
from storage.modeling.registry import aliases
from storage.modeling.runs import run_label
from storage.project.projects import get_project
from storage.monitoring.watch import watch_deployment
from storage.report.monitoring import Watch, monitoring_facts
from storage.report.reveal import scenario_reveal
from storage.report.review import ChampionSlices, champion_slices, latest_audit, rollout_history, timeline
from storage.report.stages import (
    champion_inputs, label_inputs, labeled_dataset, scan_facts, scoping_inputs, versions_frame,
)
from storage.scoping.records import load_answers


def gather_report(session: Session, project_id: int, *, watch: Watch = watch_deployment) -> Report:
    """Return every section of the project's report, the model card's sentences and the teaching reveal.

    `watch` computes a deployment's monitoring (see `monitoring_facts`).
    """
    project = get_project(session, project_id)
    champion = aliases(session, project_id).get("champion")
    datasets = list_datasets(session, project_id)
    scoping = scoping_inputs(session, project_id, champion)
    slices = champion_slices(session, project_id, champion)
    slices, why_not = (slices, "") if isinstance(slices, ChampionSlices) else (None, slices)
    audit, monitoring = latest_audit(session, project_id), monitoring_facts(session, project_id, watch=watch)
    model = champion_inputs(session, project_id, champion)
    events, total = timeline(session, project_id, limit=TIMELINE_ROWS)
    table = slices.report.table if slices else None
    sections = (
        scoping_section(scoping), data_section(versions_frame(datasets, session)),
        labels_section(label_inputs(session, project_id, labeled_dataset(session, datasets, champion)),
                       scan_facts(session, datasets)),
        champion_section(model),
        slices_section(table, run=run_label(champion) if champion else "", metric="accuracy",
                       overall=slices.report.overall if slices else None, missing=why_not),
        fairness_section(audit), deployment_section(rollout_history(session, project_id)),
        monitoring_section(monitoring), timeline_section(events, total=total),
    )
    majors = list(table.loc[table["severity"] == "major", "slice"].head(5)) if table is not None else []
    card = card_facts(CardInputs({k: a.value for k, a in load_answers(session, project_id).items()}, scoping.results,
                                 majors, audit, monitoring, len(model.test_looks) if model else 0, champion is not None))
    reveal = scenario_reveal(session, project_id, datasets, champion, slices, monitoring)
    return Report(project.name, utc_now(), sections, card, reveal)
