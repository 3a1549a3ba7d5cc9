"""Projects whose demo labelers have labeled a batch with overlap, for HLP tests."""

from core.labeling.simulated_labelers import LabelerProfile, clean_labels, simulate_labels
from pages.components.data.intake import store_scenario
from storage.labeling import batches as label_batches, labels
from storage.project import projects
from storage.data.datasets import get_dataset, load_frame, load_ground_truth
from storage.db import Session, session_scope


def label_with_demo_team(session: Session, *, dataset_id: int, size: int, overlap: float) -> dict[str, float]:
    """Let the demo team label one random batch of the dataset version; return each labeler's skill."""
    target = get_dataset(session, dataset_id).roles["target"]
    team = label_batches.add_demo_labelers(session, dataset_id=dataset_id)
    frame = load_frame(session, dataset_id)
    batch = label_batches.plan_batch(session, dataset_id=dataset_id, pool=frame.index, size=size, strategy="random",
                                     labelers=[labeler.name for labeler in team], overlap=overlap, random_state=0)
    classes = sorted(frame[target].dropna().unique())
    # As the Labeling page does: simulated people label the truth, not the scenario's flipped labels.
    truth = clean_labels(frame[target], load_ground_truth(session, dataset_id))
    for position, labeler in enumerate(team):
        rows = [a.row_id for a in labels.open_assignments(session, batch_id=batch.id, labeler_id=labeler.id)]
        profile = LabelerProfile.from_dict(labeler.simulated)
        simulated = simulate_labels(truth.loc[rows], classes, profile, random_state=position)
        labels.store_simulated_labels(session, batch_id=batch.id, labeler_id=labeler.id, labels=simulated)
    return {labeler.name: LabelerProfile.from_dict(labeler.simulated).accuracy for labeler in team}


def digits_with_overlap_labels(engine, *, size: int = 400, overlap: float = 1.0) -> tuple[int, int, dict]:
    """Return (project id, dataset id, the labelers' skills) after the demo team labeled one digits batch."""
    with session_scope(engine) as s:
        project = projects.create_project(s, name="Digits", source="digits")
        dataset = store_scenario(s, project_id=project.id, scenario_name="digits", actor="t").dataset
        skills = label_with_demo_team(s, dataset_id=dataset.id, size=size, overlap=overlap)
        return project.id, dataset.id, skills
