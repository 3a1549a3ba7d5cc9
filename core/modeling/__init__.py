"""The modeling stage: the model catalog, preprocessing, training, evaluation and the promotion gate.

- catalog: the models and their hyperparameters; preprocessing: the pipeline from column kinds.
- training_data, checks, training: what a run trains on, the sanity check and estimate, the fit.
- leakage: warnings about leaking, identifier-like and high-cardinality columns, and too-good runs.
- evaluation: a run's metrics from its predictions; artifacts: skops files with a trusted list.
- promotion: the gate a run passes to become champion.
- comparison and charts: runs side by side; run_filter: the runs table's search.
- export: the text beside a downloaded model (loading it, its inputs and classes).
- mlflow_record: a run as MLflow records it (parameters, metrics, tags, dataset inputs) and the tracking URI.
- explain: teaching mode's explanations of the run metrics, timings and the promotion gate.
"""
