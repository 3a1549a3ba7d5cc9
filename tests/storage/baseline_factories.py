"""A digits project whose demo labelers have labeled a batch with overlap, for HLP tests."""

from core.simulated_labelers import LabelerProfile
from core.simulated_labelers import simulate_labels
from pages.components.intake import store_scenario
from storage import label_batches, labels, projects
from storage.datasets import load_frame
from storage.db import session_scope


def digits_with_overlap_labels(engine, *, size: int = 400, overlap: float = 1.0) -> tuple[int, int, dict]:
    """Return (project id, dataset id, the labelers' skills) after the demo team labeled one batch."""
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Digits", source="digits")
        dataset = store_scenario(s, project_id=project.id, scenario_name="digits", actor="t").dataset
        team = label_batches.add_demo_labelers(s, dataset_id=dataset.id)
        frame = load_frame(s, dataset.id)
        batch = label_batches.plan_batch(s, dataset_id=dataset.id, pool=frame.index, size=size, strategy="random",
                                         labelers=[l.name for l in team], overlap=overlap, random_state=0)
        for position, labeler in enumerate(team):
            rows = [a.row_id for a in labels.open_assignments(s, batch_id=batch.id, labeler_id=labeler.id)]
            profile = LabelerProfile.from_dict(labeler.simulated)
            simulated = simulate_labels(frame.loc[rows, "digit"], range(10), profile, random_state=position)
            labels.store_simulated_labels(s, batch_id=batch.id, labeler_id=labeler.id, labels=simulated)
        return project.id, dataset.id, {l.name: LabelerProfile.from_dict(l.simulated).accuracy for l in team}
