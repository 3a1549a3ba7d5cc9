"""Teaching mode's explanations of the model metrics (Experiments, and wherever a page shows them).

The formulas are those of `core.modeling.evaluation` (scikit-learn's on the same rows); for two
classes precision, recall and F1 are the positive class's (the last in order), otherwise macro averages.
"""

EXPLANATIONS = {
    "accuracy": (
        "Correct predictions ÷ all rows. Easy to read, but with imbalanced classes a model that always "
        "predicts the majority class scores the majority's share; compare it with the dummy baseline and "
        "human-level performance, not with 100%."
    ),
    "balanced_accuracy": (
        "The mean over classes of each class's recall, so every class counts equally however rare. A model "
        "that ignores a class is pulled down to (classes − 1) ÷ classes of its best at most; 1 ÷ classes is "
        "chance level. Prefer it to accuracy when classes are imbalanced."
    ),
    "precision": (
        "Of the rows predicted positive, the share that are positive: TP ÷ (TP + FP) (for more than two "
        "classes, averaged over classes). It matters when a false alarm is costly; a model can raise it by "
        "predicting positive less often, at the cost of recall."
    ),
    "recall": (
        "Of the positive rows, the share predicted positive: TP ÷ (TP + FN) (for more than two classes, "
        "averaged over classes). It matters when a miss is costly; predicting positive more often raises it "
        "at the cost of precision."
    ),
    "f1": (
        "The harmonic mean of precision and recall, 2·P·R ÷ (P + R): high only when both are (for more than "
        "two classes, the mean of each class's F1). Use it when positives are rare and both kinds of error "
        "matter; it ignores true negatives."
    ),
    "f1_macro": (
        "Each class's F1, averaged with every class counting once. A class the model never gets right pulls "
        "it down however rare it is."
    ),
    "roc_auc": (
        "The chance that a random positive row gets a higher positive-class probability than a random "
        "negative one (for more classes, one-vs-rest averaged over classes). 0.5 is guessing, 1 a perfect "
        "ranking. It judges the ranking, not the threshold: a high AUC with poor F1 calls for a better "
        "threshold."
    ),
    "log_loss": (
        "The mean of −ln(probability given to the true class): lower is better, 0 is perfect, and a "
        "confident wrong answer costs a lot. It judges the probabilities themselves, which partial "
        "automation and monitoring's accuracy estimate rely on."
    ),
    "train_accuracy": (
        "Accuracy on the rows the model was fitted on. Far above dev accuracy means overfitting (high "
        "variance: more data or regularisation); low on train too means underfitting (high bias: a more "
        "flexible model or better features)."
    ),
    "confusion_matrix": (
        "Rows are the true class, columns the predicted one; the diagonal is correct, every other cell one "
        "kind of mistake. It shows which classes are mixed up, the first step of error analysis."
    ),
    "fit_seconds": (
        "Wall-clock seconds to fit the model on the train split. It sets how often you can iterate and "
        "retrain; compare runs made on a quiet machine."
    ),
    "latency_p50": (
        "The median time to predict one row at a time, as a service answers a request, after warm-up "
        "calls. Half of the requests are faster than this."
    ),
    "latency_p95": (
        "The 95th percentile of the one-row prediction time: 1 request in 20 is slower. Service targets use "
        "p95 rather than the mean because users feel the slow requests; it is read against the scoping "
        "target and at every canary step."
    ),
    "model_size": (
        "The size of the stored model file (skops format). It bounds where the model can run (a phone, an "
        "edge device) and how fast it loads."
    ),
    "sanity_accuracy": (
        "Accuracy of the chosen model fitted on a small subset of training rows (100 by default) and scored "
        "on those same rows. A model that cannot nearly memorise a handful of rows has a problem (no signal "
        "in the features, too strong regularisation, a bug) that more data will not fix."
    ),
    "promotion_gate": (
        "A run becomes champion only when its dev metrics meet every ML target set at scoping and it beats "
        "the current champion on the chosen metric by at least the margin (MLflow's metric thresholds). The "
        "gate turns “looks better” into a rule; an override needs a logged reason."
    ),
    "cross_validation": (
        "Each fold's model trains on the other folds of the train split and is scored on the fold it never "
        "saw, so every training row is scored once. The spread over the folds shows how much a score depends "
        "on which rows land in dev: two runs closer than one standard deviation may differ by luck alone."
    ),
    "slice_scores": (
        "The same metrics on each slice's dev rows alone. An overall score can hide a group the model serves "
        "badly; a slice well below the overall score is where error analysis starts. A slice with few rows "
        "swings widely from one split to the next, so small slices are greyed."
    ),
    "run_difference": (
        "Run B's dev score minus run A's: positive means B scored higher. A difference smaller than the "
        "spread over cross-validation folds, or than a few hundredths on a small dev split, may be noise "
        "rather than a better model."
    ),
    "test_metrics": (
        "The same metrics on the test split, held back until the end. Each look is logged: choosing between "
        "runs by their test score turns it into a second dev set and its estimate becomes optimistic."
    ),
}
