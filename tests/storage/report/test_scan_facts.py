"""The report's label errors: each version's newest stored scan, found (as cleanlab finds) and fixed, or missing."""

import pandas as pd
from cleanlab.filter import find_label_issues as cleanlab_find_label_issues

from core.report.early import NO_LABELS, NO_SCAN
from storage.baselines.records import dataset_name
from storage.data import datasets
from storage.db import session_scope
from storage.labeling import labels
from storage.report.gather import gather_report
from tests.storage.deployment_factories import loan_project
from tests.storage.labeling.scan_factories import store_a_scan

FIXED = 3


def cleanlab_count(given: pd.Series, probs: pd.DataFrame) -> int:
    codes = pd.Categorical(given.loc[probs.index], categories=list(probs.columns)).codes
    return int(cleanlab_find_label_issues(codes, probs.to_numpy()).sum())


def label_facts(engine, project_id):
    with session_scope(engine) as s:
        section = gather_report(s, project_id).section("labels")
    return section, {f.label: f.value for f in section.facts}


def test_each_version_tells_its_latest_scan_found_and_fixed_or_that_none_was_made(engine):
    project_id, dataset_id = loan_project(engine, n_rows=1_500, name="Scanned")
    with session_scope(engine) as s:
        first = datasets.get_dataset(s, dataset_id)
        frame = datasets.load_frame(s, dataset_id).head(200)
        second = datasets.add_dataset_version(s, project_id=project_id, name=first.name, frame=frame,
                                              source="derived", parent_id=dataset_id, roles=first.roles)
        store_a_scan(s, dataset_id, folds=2)  # an older scan: the report reads the newest
        scan, probs, given = store_a_scan(s, dataset_id)
        flagged = [int(r["row_id"]) for r in scan.flagged]
        fixes = {int(r["row_id"]): r["suggested"] for r in scan.flagged[:FIXED]}
        unflagged = int(probs.index.difference(flagged)[0])
        other = next(c for c in probs.columns if c != given[unflagged])
        labels.record_decisions(s, dataset_id=dataset_id, values=fixes, source="label_issue")
        labels.record_decisions(s, dataset_id=dataset_id, values={unflagged: other}, source="label_issue")
        names, made = (dataset_name(first), dataset_name(second)), scan.created_at
    section, facts = label_facts(engine, project_id)
    found = cleanlab_count(given, probs)
    assert len(flagged) == found > FIXED
    assert facts[f"Label errors in {names[0]}"] == (
        f"{found:,} label errors found in the latest scan (of {len(probs):,} labels checked, {made:%Y-%m-%d}), "
        f"{FIXED} fixed; labels changed since")
    assert facts[f"Label errors in {names[1]}"] == NO_SCAN
    assert facts["Labels changed: label errors accepted"] == str(FIXED + 1)  # every accepted fix, from any list


def test_a_scan_of_given_labels_is_reported_before_any_label_is_made_in_the_app(engine):
    project_id, dataset_id = loan_project(engine, n_rows=1_500, name="Given")
    with session_scope(engine) as s:
        scan, probs, given = store_a_scan(s, dataset_id)
        name, made = dataset_name(datasets.get_dataset(s, dataset_id)), scan.created_at
    section, facts = label_facts(engine, project_id)
    assert section.status == "partly" and section.notes == (NO_LABELS,)
    assert facts == {f"Label errors in {name}": f"{cleanlab_count(given, probs):,} label errors found in the latest "
                     f"scan (of {len(probs):,} labels checked, {made:%Y-%m-%d}), 0 fixed"}


def test_the_reveal_scores_the_stored_scan_on_the_planted_flips_it_checked(engine):
    project_id, dataset_id = loan_project(engine, n_rows=1_500, name="Reveal")
    with session_scope(engine) as s:
        scan, probs, _ = store_a_scan(s, dataset_id)
        flipped = set(datasets.load_ground_truth(s, dataset_id)["label_noise"]["flipped_row_ids"])
        report = gather_report(s, project_id)
    flagged = {int(r["row_id"]) for r in scan.flagged}
    in_checked = flipped.intersection(probs.index)
    item = next(i for i in report.reveal.items if i.effect == "Flipped labels")
    assert len(in_checked) > 10
    assert item.found == (f"no label changed yet; the latest label-error scan flagged {len(in_checked & flagged)} of "
                          f"the {len(in_checked)} flipped labels among the {len(probs):,} rows it checked "
                          f"({len(flagged)} rows flagged)")
