"""Teaching mode's explanations of the Audit report's sections: what each one's numbers say to a reviewer."""

EXPLANATIONS = {
    "report_scoping": (
        "Every target set at scoping with the champion's measured value: met, not met, or not measured "
        "(nothing computed that metric). A reviewer signs off against these promises; a target not measured "
        "is an open question, not a pass."
    ),
    "report_data": (
        "Each dataset version with its content hash (SHA-256 of its columns and values), parent and splits. "
        "The hash lets anyone check that a score was made on exactly this data."
    ),
    "report_labels": (
        "Label consistency (percent agreement, Cohen's κ, Fleiss' κ, Krippendorff's α), human-level "
        "performance with its interval, the review rate and the label errors found and fixed. Noisy labels "
        "cap every model; these numbers say how far the labels can be trusted."
    ),
    "report_model": (
        "The champion's dev metrics beside every baseline, with its config and how often the test split was "
        "looked at. A champion should beat the dummy and the old model clearly and sit close to human-level "
        "performance; many test looks make its test score optimistic."
    ),
    "report_slices": (
        "The slices with the highest priority (gap to baseline × share of data × ease). These are where the "
        "model is known to fall short, and the first thing a reviewer should weigh against the use."
    ),
    "report_fairness": (
        "The latest fairness audit: group rates, the four-fifths verdicts, the decision, the reviewer and "
        "their comments. An audit made on another run or other data is marked stale and no longer covers "
        "the champion."
    ),
    "report_deployment": (
        "Every rollout with its mode and outcome: a canary or blue-green step passes only while the error "
        "rate's confidence bound stays within the margin and p95 latency meets its target."
    ),
    "report_monitoring": (
        "Drift, estimated and realised performance and software metrics per window, and the alerts still "
        "open. An open alert is a known problem in production that nobody has answered yet."
    ),
    "report_timeline": (
        "Who did what, when, for the whole project: the trail a reviewer follows to see how each decision "
        "was made."
    ),
    "reveal": (
        "What the demo scenario planted (flipped labels, a biased group, a hard slice, drifted columns and "
        "the month of a policy change) beside what this project found, scored as “18 of 25 flipped labels "
        "found” or “drift found in 2 of 2 shifted columns, 0 false alarms”. A miss shows where to look again, "
        "or the limits of the method that should have found it."
    ),
}
