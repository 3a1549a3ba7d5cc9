"""Simulated labelers: set skill, typical confusions, seeded."""

import numpy as np
import pandas as pd
import pytest

from core.labeling.simulated_labelers import LabelerProfile, clean_labels, demo_team, simulate_labels

CLASSES = [str(d) for d in range(10)]


def test_accuracy_and_typical_confusions_show_in_the_labels():
    truth = pd.Series(np.tile(np.arange(10), 2000).astype(str))
    profile = LabelerProfile(accuracy=0.8, confusions=(("1", "7"), ("3", "8"), ("4", "9")), confusion_share=1.0)
    labels = simulate_labels(truth, CLASSES, profile, random_state=1)
    assert (labels["value"] == truth).mean() == pytest.approx(0.8, abs=0.02)
    ones = labels["value"][(truth == "1") & (labels["value"] != truth)]
    assert set(ones) == {"7"}  # a wrong 1 is always a 7 at confusion share 1
    assert (labels["seconds"] > 0).all()


def test_same_seed_same_labels():
    truth = pd.Series(list("0123456789") * 5)
    profile = demo_team(CLASSES, [(1, 7)])["Sim · Cy (hurried)"]
    a = simulate_labels(truth, CLASSES, profile, random_state=3)
    pd.testing.assert_frame_equal(a, simulate_labels(truth, CLASSES, profile, random_state=3))


def test_profile_checks_and_round_trip():
    with pytest.raises(ValueError, match="between 0 and 1"):
        LabelerProfile(accuracy=1.5)
    profile = LabelerProfile(accuracy=0.9, confusions=(("1", "7"),))
    assert LabelerProfile.from_dict(profile.to_dict()) == profile


def test_clean_labels_undo_the_recorded_flips():
    given = pd.Series([1, 7, 3], index=[10, 11, 12])
    truth = {"label_noise": {"flipped_row_ids": [11], "original_labels": [1]}}
    assert clean_labels(given, truth).tolist() == [1, 1, 3]
