"""Teaching mode's explanations of the statistics the Baselines page shows (what, why now, how to read)."""

EXPLANATIONS = {
    "baseline_kind": (
        "Where a reference score comes from: dummy (a model that ignores the features: the most frequent "
        "class, a stratified guess), a simple model (a plain logistic regression), an old model or legacy "
        "rule, a literature value, or human-level performance. A model is only worth deploying if it beats "
        "the baselines that are cheap to have; a target a dummy already meets is set too low."
    ),
    "hlp": (
        "Human-level performance: each labeler is scored on the overlap items against the majority vote of "
        "the other labelers (or the true label), a tied vote giving each tied class an equal share, then the "
        "scores are averaged over labelers. It estimates the irreducible error of the task: what matters is "
        "the model's gap to HLP, not to 100%. Under 0.9 the instructions are likely unclear."
    ),
    "hlp_interval": (
        "The 95% interval of the accuracy: the 2.5th and 97.5th percentiles of the accuracy over 1,000 "
        "bootstrap resamples of the items. A wide interval means too few overlap items to tell HLP apart "
        "from a model score close to it; fewer rows than the minimum read “too few rows”."
    ),
    "hlp_labeler_accuracy": (
        "Each labeler's accuracy against the others' majority vote (or the truth), with tied votes shared. "
        "One labeler far below the rest lowers HLP: retrain that person or check their batches, rather than "
        "believing the task is that hard."
    ),
    "rows_scored": (
        "The rows (for human-level performance, items; a tied vote counts as a share of one) a score was "
        "computed on. Scores from few rows swing widely: compare baselines on the same dev split."
    ),
}
