"""Teaching mode's explanations of the statistics the Labeling page shows (what, why now, how to read).

Each text names the formula `core.labeling.agreement`, `effort` and `issues` compute.
"""

EXPLANATIONS = {
    "items_with_overlap": (
        "Items labeled by two or more labelers: the only items that say anything about agreement. Every "
        "agreement number below rests on them, so with fewer than about 20 it swings widely. Plan batches "
        "with an overlap share to get more."
    ),
    "percent_agreement": (
        "For each item labeled at least twice, the share of its pairs of labels that agree, averaged over "
        "those items. It is easy to read but not corrected for chance: two labelers guessing on a 90/10 task "
        "agree 82% of the time. Read κ or α beside it."
    ),
    "cohen_kappa": (
        "Cohen's κ for a pair of labelers: (observed agreement − chance agreement) ÷ (1 − chance agreement), "
        "where chance agreement comes from each labeler's own class frequencies on the items both labeled. "
        "1 is perfect, 0 no better than chance; below about 0.6 the instructions are unclear to that pair. "
        "Under the minimum shared items (20 by default) it is flagged: it swings widely."
    ),
    "fleiss_kappa": (
        "Fleiss' κ: chance-corrected agreement for any number of labelers, on the items labeled the same "
        "number of times (the most common count). Observed pairwise agreement is compared with the agreement "
        "expected from the pooled class shares. Above about 0.8 is strong agreement; near 0, labels are as "
        "consistent as random draws."
    ),
    "krippendorff_alpha": (
        "Krippendorff's α (nominal): 1 − observed disagreement ÷ disagreement expected by chance, from the "
        "coincidence matrix of all pairable labels, so items with missing labels still count. 1 is perfect, "
        "0 chance level; 0.8 is the usual bar for relying on the labels, under 0.667 for drawing any "
        "conclusion."
    ),
    "labeler_agreement": (
        "For each labeler, the share of their labels on shared items that match another labeler's label on "
        "the same item (each pair counted once). One labeler far below the rest points at that person's "
        "understanding of the instructions, not at the task."
    ),
    "labeler_confusion": (
        "How often two labelers of one item chose each pair of classes. The largest off-diagonal counts are "
        "the classes the instructions do not separate clearly: write a rule for exactly those."
    ),
    "labels_in_effect": (
        "The labels in effect: each labeler's latest revision on each item, an undone one left out, "
        "deciding labels (resolutions) not counted. The history keeps every revision; these are what "
        "agreement and review are measured on."
    ),
    "reviewed": (
        "Labels in effect that a reviewer has spot-checked (approved or corrected). Spot checks catch "
        "systematic mistakes agreement cannot, such as all labelers misreading the same rule."
    ),
    "review_rate": (
        "Reviewed labels ÷ labels in effect. A few percent, drawn across labelers and batches, is usually "
        "enough to notice a systematic problem; 0% means nobody has checked the labels."
    ),
    "labels_per_hour": (
        "Labels recorded ÷ hours spent, where time per label runs from showing the item to the click, so "
        "breaks do not count. It turns a labeling budget into items: with 200 per hour, 1,000 more items "
        "cost five hours."
    ),
    "time_spent": (
        "The seconds recorded on every label, summed, in hours. Labeling often takes more of a project than "
        "planned; this is the number the plan is held against."
    ),
    "days_spent": (
        "Hours spent ÷ 8 (a labeling day), beside the labeling days planned at scoping. Far past the plan "
        "means revisiting the budget or the labeling strategy (label where the model is uncertain)."
    ),
    "open_items": (
        "The work still owed by the batches planned so far. Agreement, human-level performance and the "
        "models see an item only once it is labeled, so with many open items they rest on part of the plan."
    ),
    "label_issues_flagged": (
        "Training rows that confident learning flags as likely mislabeled. Each row is scored by a "
        "cross-validated model that never saw it; a row labeled i counts as confidently class j when its "
        "probability of j reaches j's threshold (the mean probability of j over rows labeled j), and of "
        "each such group the rows with the largest margin p(j) − p(i) are flagged (prune by noise rate). "
        "Noisy labels cap every model; fixing them is cheap data-centric work."
    ),
    "self_confidence": (
        "The out-of-fold probability the model gives to the label the row has. Rows are listed lowest "
        "first: near 0 the model is sure the label is wrong. Check those by hand, since the model can be "
        "wrong too."
    ),
    "suggested_confidence": (
        "The out-of-fold probability of the class the model suggests instead. A high value next to a low "
        "self-confidence is the strongest sign of a label error."
    ),
}
