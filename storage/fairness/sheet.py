"""Everything the fairness page shows for one project, read in one go."""

from dataclasses import dataclass

from sqlmodel import Session

from storage.fairness.audits import ethics_checklist, list_audits, stale_reasons
from storage.fairness.tables import Audit
from storage.modeling.registry import aliases
from storage.modeling.runs import list_runs
from storage.modeling.tables import Run
from storage.scoping.records import list_targets
from storage.scoping.tables import Target
from storage.modeling.runs import run_label


@dataclass(frozen=True)
class FairnessSheet:
    """Finished runs (newest first), the champion, the audits with why each is stale, slice targets, checklist."""

    runs: dict[int, Run]
    champion_id: int | None
    audits: list[Audit]
    stale: dict[int, list[str]]
    slice_targets: list[Target]
    checklist: list[dict]

    def run_name(self, run_id: int | None) -> str:
        """Return how the run is named to users (“Run 3”), or that it is gone."""
        run = self.runs.get(run_id)
        return run_label(run) if run is not None else "a run no longer listed"


def load_fairness_sheet(session: Session, project_id: int) -> FairnessSheet:
    """Return what the fairness page needs for the project."""
    runs = {r.id: r for r in list_runs(session, project_id) if r.status == "finished"}
    champion = aliases(session, project_id).get("champion")
    audits = list_audits(session, project_id)
    return FairnessSheet(runs, champion.id if champion else None, audits,
                         {a.id: stale_reasons(session, a) for a in audits},
                         [t for t in list_targets(session, project_id) if t.slice and t.kind == "ml"],
                         ethics_checklist(session, project_id))
