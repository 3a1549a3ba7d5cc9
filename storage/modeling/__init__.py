"""The modeling stage's data: runs, model artifacts, predictions, registry aliases and promotions.

- tables: Run, ModelArtifact, Prediction, RegistryAlias, TestLook, Promotion.
- training_data: what a run trains on; execution: carrying a run out; runs: its record.
- registry: champion and challenger through the gate; comparison: runs as tables.
- export: a run's model, its text and its predictions as downloads.
- mlflow_export: runs sent to an MLflow tracking store with MLflow's client, imported only when sending.
"""
