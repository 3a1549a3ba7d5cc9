"""A project whose every user-text field holds Markdown and HTML payloads, for the AppTest and browser tests."""

import pandas as pd

from core.baselines.literature import LiteratureValue
from core.data.splits import make_splits
from core.scoping.targets import make_target
from storage.baselines.records import add_literature_baseline
from storage.data import datasets
from storage.db import session_scope
from storage.labeling import batches, labels
from storage.project import projects
from storage.scoping import records as scoping

EVIL_HOST = "evil.example"


def payload(field: str) -> str:
    """Markdown that would fetch an image from another host, bold text, raw HTML, a colour and an emoji."""
    return f"{field} ![x](http://{EVIL_HOST}/{field[0]}.png) **b** <img src=x> :red[r] :smile:"


LABELER = f"L ![x](http://{EVIL_HOST}/l.png)"  # labeler names have at most 40 characters
TARGET_UNIT = "**d** ![u](http://e.example)"  # a unit has at most 30; target names allow no markup
FIELDS = {name: payload(name) for name in (
    "project", "dataset", "file", "column", "class", "note", "answer", "source", "reason")}


def plant_payloads(engine) -> dict[str, int]:
    """Store a project with a payload in every user-text field; return its ids."""
    frame = pd.DataFrame({FIELDS["column"]: range(20), "y": ["ok", FIELDS["class"]] * 10},
                         index=pd.RangeIndex(20, name="row_id"))
    with session_scope(engine) as s:
        project = projects.create_project(s, name=FIELDS["project"])
        dataset = datasets.add_dataset_version(s, project_id=project.id, name=FIELDS["dataset"], frame=frame,
                                               source=f"upload:{FIELDS['file']}.csv", note=FIELDS["note"],
                                               roles={"target": "y"})
        datasets.save_split(s, dataset_id=dataset.id, assignment=make_splits(frame, strategy="random", fractions=(0.6, 0.2, 0.2)),
                            strategy="random", seed=0, fractions=(0.6, 0.2, 0.2))
        scoping.save_answer(s, project_id=project.id, item_key="problem.statement", value=FIELDS["answer"])
        scoping.add_target(s, project_id=project.id, target=make_target(
            kind="business", metric="time to decision", comparator="<=", value=2, unit=TARGET_UNIT))
        add_literature_baseline(s, project_id=project.id, entry=LiteratureValue(
            metric="accuracy", value=0.9, citation=FIELDS["source"], note=FIELDS["reason"]))
        labeler = batches.add_labeler(s, project_id=project.id, name=LABELER)
        batch = batches.plan_batch(s, dataset_id=dataset.id, pool=frame.index, size=4, strategy="random",
                                   labelers=[LABELER], overlap=0.0)
        first = labels.open_assignments(s, batch_id=batch.id, labeler_id=labeler.id)[0]
        labels.record_label(s, assignment_id=first.id, value=FIELDS["class"], seconds=1.0, actor=LABELER)
        return {"project": project.id, "dataset": dataset.id}
