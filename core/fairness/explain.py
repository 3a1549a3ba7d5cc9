"""Teaching mode's explanations of the statistics the Fairness audit page shows (what, why now, how to read).

Rates come from each group's confusion counts (`core.fairness.metrics`), gaps and ratios from
`core.fairness.disparities`.
"""

EXPLANATIONS = {
    "group_rates": (
        "Each group's rates from its own confusion counts: selection rate (predicted positive ÷ rows), true "
        "positive rate TP ÷ (TP + FN), false positive rate FP ÷ (FP + TN), and the others, each with a 95% "
        "percentile interval from bootstrap resamples drawn within each group. Overlapping intervals mean "
        "the data cannot tell the groups apart; “undefined” means the rate divides by zero there."
    ),
    "rate_count": (
        "The group's rows in the audited split. Under the minimum rows a group is marked too small to judge: "
        "its rates swing widely and its intervals are wide."
    ),
    "rate_base_rate": (
        "The group's share of truly positive rows, (FN + TP) ÷ rows. Groups with different base rates cannot "
        "have both equal selection rates and equal error rates, so which parity to ask for is a choice."
    ),
    "rate_selection_rate": (
        "The group's share predicted positive, (FP + TP) ÷ rows. Demographic parity compares it across "
        "groups: who gets the loan, the interview, the check."
    ),
    "rate_accuracy": (
        "The group's share of correct predictions, (TN + TP) ÷ rows. Equal accuracy can hide unequal kinds "
        "of errors: read the error rates beside it."
    ),
    "rate_precision": (
        "Of the group's rows predicted positive, the share truly positive, TP ÷ (TP + FP). Unequal precision "
        "means a positive decision is worth more for one group than another."
    ),
    "rate_tpr": (
        "True positive rate, TP ÷ (TP + FN): of the group's truly positive rows, the share selected. Equal "
        "opportunity compares it: deserving people of every group should be found equally often."
    ),
    "rate_fpr": (
        "False positive rate, FP ÷ (FP + TN): of the group's truly negative rows, the share wrongly selected. "
        "Where selection is punitive (a fraud check), an unequal FPR burdens one group's innocent members."
    ),
    "rate_fnr": (
        "False negative rate, FN ÷ (TP + FN): of the group's truly positive rows, the share missed (1 − TPR). "
        "Where selection helps (a loan), an unequal FNR denies one group's deserving members."
    ),
    "rate_for": (
        "False omission rate, FN ÷ (FN + TN): of the group's rows not selected, the share that deserved to be. "
        "It matters when those turned away should not be more often wrongly turned away in one group."
    ),
    "rate_fdr": (
        "False discovery rate, FP ÷ (TP + FP): of the group's rows selected, the share wrongly selected "
        "(1 − precision). It matters when a selection accuses, and accusations should be equally reliable."
    ),
    "rate_fp_share": (
        "False positives ÷ the group's rows: how much of the group bears a wrong positive decision, however "
        "many negatives it has."
    ),
    "rate_fn_share": (
        "False negatives ÷ the group's rows: how much of the group is wrongly denied, however many positives "
        "it has."
    ),
    "group_ratios": (
        "Each group's rate ÷ the reference group's. The four-fifths rule (from US hiring practice, as "
        "Aequitas applies it) calls a ratio between 0.8 and 1.25 fair; outside it, the group is treated "
        "differently by that measure. Which rate matters depends on the decision: see the guidance."
    ),
    "demographic_parity_difference": (
        "The largest selection rate of any group minus the smallest (fairlearn's definition): 0 means every "
        "group is selected equally often, whatever their true outcomes. It fits assistive decisions where "
        "access itself should be shared; it ignores whether the selections were right."
    ),
    "demographic_parity_ratio": (
        "The smallest group selection rate ÷ the largest: 1 is parity, and under 0.8 fails the four-fifths "
        "rule. The same information as the difference, read as a ratio."
    ),
    "equalized_odds_difference": (
        "The larger of two gaps between groups: in true positive rate and in false positive rate (max − min "
        "each). 0 means the model is equally right on the positives and equally wrong on the negatives of "
        "every group; it fits punitive decisions where a false accusation must not depend on the group."
    ),
    "equal_opportunity_difference": (
        "The largest gap in true positive rate between groups: whether qualified people of every group are "
        "selected equally often. It is equalized odds' first half, for decisions where missing a deserving "
        "case is the harm."
    ),
    "group_chart": (
        "Left, the chosen rate per group with its bootstrap 95% interval; right, each group's ratio to the "
        "reference group, judged by the four-fifths rule (0.8 to 1.25). Groups whose intervals overlap may "
        "differ by chance alone: look at the group's size before concluding."
    ),
    "mitigation_cost": (
        "Per-group decision thresholds chosen to equalise selection rates or true positive rates while "
        "keeping accuracy as high as it can (as fairlearn's ThresholdOptimizer), with "
        "each rate and the overall accuracy before and after. Mitigation usually costs some accuracy: the "
        "table shows how much, so the trade-off is a decision, not a surprise."
    ),
}
