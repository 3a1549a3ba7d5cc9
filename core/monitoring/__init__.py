"""The monitoring stage: data and concept drift, input and output metrics, estimated performance.

- drift: per-column drift with Evidently's default tests and thresholds, dataset drift, PSI.
- stattests: the drift statistics themselves (KS, chi-square, Z, Wasserstein, Jensen–Shannon, PSI).
- multivariate: the domain classifier's ROC-AUC (multivariate drift).
- windows: the time windows a stream is cut into (equal chunks, or by day, week or month).
"""
