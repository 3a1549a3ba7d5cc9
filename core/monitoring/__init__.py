"""The monitoring stage: data and concept drift, input and output metrics, estimated performance, alert bands.

- drift: per-column drift with Evidently's default tests and thresholds, dataset drift, PSI.
- stattests: the drift statistics themselves (KS, chi-square, Z, Wasserstein, Jensen–Shannon, PSI).
- multivariate: the domain classifier's ROC-AUC (multivariate drift).
- windows: the windows a stream is cut into (equal chunks, or by day, week or month).
- inputs: missing, out-of-range and unseen-category shares against the reference.
- performance: CBPE's accuracy estimate with its band, realised metrics, the concept-drift call.
- bands: reference bands, alert rules and checking a window against them.
- monitor: one call measuring every window of a stream (and the reference's chunks, for bands).
- software: a replay log's software metrics (latency, throughput, failures, memory) per monitoring window.
- slices: a saved slice over the windows — its share of requests and accuracy against the window's.
- charts: the drift heatmap, two distributions side by side, metrics over the windows.
- explain: teaching mode's explanations of drift, input, output, performance and software metrics, alerts.
"""
