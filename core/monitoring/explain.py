"""Teaching mode's explanations of the statistics the Monitoring page shows (what, why now, how to read).

Drift tests and thresholds are `core.monitoring.drift` and `stattests` (Evidently's defaults),
bands `core.monitoring.bands` (NannyML's), the estimate `core.monitoring.performance` (CBPE).
"""

EXPLANATIONS = {
    "column_drift": (
        "Each column of a window against the reference (the model's training rows), with Evidently's "
        "default test: with a reference of up to 1,000 rows, the Kolmogorov–Smirnov test for numbers with "
        "more than 5 values, else chi-square for more than 2 values and a Z-test of two proportions for 2, "
        "drifted at p < 0.05; with more rows, the Wasserstein distance ÷ the reference's standard deviation "
        "for numbers with more than 5 values and the Jensen–Shannon distance otherwise, drifted at ≥ 0.1. PSI (≥ 0.1) can be chosen "
        "instead. The heatmap puts them on one scale: 1 at the threshold, above it drifted."
    ),
    "psi": (
        "Population stability index: Σ (reference share − current share) × ln(reference share ÷ current "
        "share) over 10 quantile bins of the reference (categories value by value). Under 0.1 stable, 0.1 to "
        "0.2 a moderate shift, 0.2 and above a significant one."
    ),
    "share_drifted": (
        "Drifted columns ÷ the columns that could be measured, for the window. One drifted column can be a "
        "fluke; many at once means the inputs have changed, and the model's accuracy may follow."
    ),
    "dataset_drift": (
        "Whether the share of drifted columns reaches 0.5 (Evidently's dataset drift). A yes is the signal "
        "to check the model's performance on the window and consider retraining."
    ),
    "drifted_columns": (
        "The columns whose test called drift in the window. Compare them with what changed in the world "
        "(a new data source, a policy, a season) before retraining."
    ),
    "domain_auc": (
        "Multivariate drift (NannyML's domain classifier): the cross-validated ROC-AUC of a classifier "
        "trained to tell the window's rows from the reference rows. Near 0.5 they look alike; towards 1 the "
        "rows differ in some combination of columns, even when no single column drifts."
    ),
    "missing_share": (
        "Missing cells ÷ all cells of the window. A jump usually means a broken pipeline upstream, not a "
        "change in the world: fix the data before judging the model."
    ),
    "out_of_range_share": (
        "Present numbers outside the reference's minimum–maximum ÷ present numbers. The model never saw such "
        "values, so its answers there are extrapolation."
    ),
    "unseen_share": (
        "Present categories the reference never had ÷ present categories. The model's encoding maps them to "
        "nothing it learned from: a new product, a renamed code."
    ),
    "mean_confidence": (
        "The mean probability the model gave its own predictions in the window. A falling confidence often "
        "comes before falling accuracy, and is visible before any label arrives."
    ),
    "predicted_mix": (
        "The share of each predicted class per window, the mean confidence, and the share routed to a "
        "person. A shift in the predicted mix without a shift in the inputs points at the model or the "
        "pipeline."
    ),
    "estimated_accuracy": (
        "Accuracy estimated before labels arrive (NannyML's CBPE): the mean of the probabilities the model "
        "gave its predictions, valid when those probabilities are calibrated. The band is ±3 standard "
        "errors, √(Σ c(1 − c)) ÷ n over the window's confidences c."
    ),
    "realised_accuracy": (
        "Accuracy on the window's requests whose true labels have arrived. Falling 0.05 or more below what "
        "was expected (the reference's accuracy, else the estimate) while under half the columns drift is "
        "called concept drift: the world changed what the right answer is, and only new labels can fix it."
    ),
    "latency_percentiles": (
        "p50, p95 and p99 of the time to answer a request in the window (the worst of the log windows it "
        "holds): half, 1 in 20 and 1 in 100 requests are slower. Alerts read p95 against the scoping target."
    ),
    "throughput": (
        "Requests answered per second of serving time in the window (the lowest of the log windows it "
        "holds). A drop at the same load means the model or the server has become slower."
    ),
    "failed_share": (
        "Requests whose prediction failed (an exception, a bad input) ÷ requests. Anything above 0 is a "
        "software problem to fix before any statistic of the model means anything."
    ),
    "peak_memory": (
        "The highest resident memory of the serving process after any batch the window touches, in MB. "
        "Growing window after window is a leak that ends in a crash."
    ),
    "open_alerts": (
        "Windows that broke a rule and are not yet acknowledged. Rules come from the scoping targets "
        "(accuracy ≥ 0.85, say), from reference bands (mean ± 3 standard deviations of a metric over 10 "
        "reference chunks; for a distance only the upper side), or by hand; each window is checked "
        "against each rule once."
    ),
}
