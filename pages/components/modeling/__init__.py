"""Widgets of the Experiments page.

- train: the Train tab; jobs: training in background threads.
- runs: the run table and detail; compare: runs side by side; registry: champion and gate.
- download: a run's model, its text and its predictions as files.
- mlflow: send chosen runs to MLflow, or how to install its client.
"""
