"""A label-error scan made and stored the way the Labeling page makes it: the training split, out of fold."""

from core.data.roles import Roles
from core.features import plan_features
from core.labeling.issues import out_of_fold_probabilities, rank_label_issues, scan_settings
from storage.data import datasets
from storage.labeling import labels, scans


def scan_inputs(session, dataset_id: int):
    """Return (features, labels as text, plan, split) of the version's labeled training rows."""
    dataset = datasets.get_dataset(session, dataset_id)
    split = datasets.latest_split(session, dataset_id)
    current, snapshot = labels.current_labels(session, dataset_id)
    train = datasets.load_split(split).loc[lambda s: s == "train"].index.intersection(current.index)
    plan = plan_features(dataset.column_kinds, Roles.from_dict(dataset.roles))
    frame = datasets.load_frame(session, dataset_id)
    return frame.loc[train, plan.columns], current.loc[train].astype(str), plan, split, snapshot


def store_a_scan(session, dataset_id: int, *, folds: int = 3, seed: int = 0, actor: str = "ana"):
    """Return the stored scan of the version's training split, and the probabilities it was made from."""
    features, given, plan, split, snapshot = scan_inputs(session, dataset_id)
    probs = out_of_fold_probabilities(features, given, plan=plan, folds=folds, random_state=seed)
    issues = rank_label_issues(given, probs)
    scan = scans.save_scan(session, dataset_id=dataset_id, split_id=split.id, labels_hash=snapshot,
                           settings=scan_settings(folds=folds, seed=seed), issues=issues, actor=actor)
    return scan, probs, given
