"""Teaching mode's explanations of the statistics the Error analysis page shows (what, why now, how to read).

The slice table's columns are those of `core.errors.priority`.
"""

EXPLANATIONS = {
    "error_true_class": (
        "The class the dev row is labeled with. An error is a row whose prediction differs from it; looking "
        "at errors one by one and tagging what they share is how slices worth fixing are found."
    ),
    "error_predicted_class": (
        "The class the model predicted for the row. The same wrong pair coming up again and again (true A, "
        "predicted B) points at a confusable pair: more examples of both, or a feature that separates them."
    ),
    "error_confidence": (
        "The probability the model gave its own prediction. A confident error (near 1) often means a wrong "
        "label or a missing feature; an error near chance level, a genuinely hard row."
    ),
    "error_loss": (
        "The row's log loss: −ln(the probability the model gave the true class). It is largest for confident "
        "mistakes, so sorting by it puts the likely label errors and missing features first."
    ),
    "error_tags": (
        "The tags given to this row by hand (blurry, self-employed, …). Each tag becomes a slice in the "
        "table below, scored like any other."
    ),
    "slice_share": (
        "The slice's rows ÷ all dev rows: how much of the data, and so of the overall score, it carries. A "
        "big gap on a tiny slice moves the overall metric little."
    ),
    "slice_metric": (
        "The chosen metric (accuracy, precision, recall or F1) on the slice's dev rows only. Slices under "
        "the minimum rows swing widely."
    ),
    "slice_baseline": (
        "What the slice could reach: human-level performance on that slice where the baseline has it, else "
        "the baseline's overall value, else the run's own overall metric (the “baseline from” column says "
        "which)."
    ),
    "slice_gap": (
        "Baseline − the slice's metric: how much room to improve there is on this slice. A gap near 0 means "
        "the model already does as well as people; effort there is wasted."
    ),
    "slice_ease": (
        "Your estimate, from 0 to 10 (1 by default), of how easy the slice is to improve: is more data cheap "
        "to get, would better labels help. It weighs the priority by what fixing the slice would cost."
    ),
    "slice_priority": (
        "Gap to baseline × share of data × ease: the expected gain in the overall metric per unit of effort. "
        "Work on the top rows first; a slice with a big gap but a tiny share ranks low on purpose."
    ),
    "slice_severity": (
        "How far the slice falls below the model's overall value, relative: (overall − slice) ÷ overall. "
        "More than 5% is an issue, more than 10% a major one; blank means the slice is about as good as the "
        "rest."
    ),
    "slice_p_value": (
        "A one-sided binomial test of the slice's error count against the overall error rate: how likely so "
        "many errors would be if the slice were like the rest. Small (below 0.05) means the slice is really "
        "worse; with many slices, adjust it (Benjamini–Hochberg) or expect false alarms."
    ),
    "per_class_scores": (
        "Precision, recall and F1 of each class on the dev rows, each class taken as the positive one. A "
        "class with low recall is missed; low precision, over-predicted."
    ),
    "threshold_curve": (
        "Precision and recall of the chosen class as the decision threshold on its probability moves from 0 "
        "to 1. Raising the threshold trades recall for precision; pick the point that meets the scoping "
        "targets (dashed lines) rather than keeping 0.5."
    ),
}
