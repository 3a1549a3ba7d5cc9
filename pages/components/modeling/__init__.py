"""Widgets of the Experiments page.

- train: the Train tab; positive: the positive class of a two-class target; launch: one click, one run (launch tokens, the estimate at the button);
  jobs: training in background threads.
- run_list: the Runs tab (search, sort, archived runs, archive and delete); runs: the run table and
  detail; compare: runs side by side; registry: champion and gate.
- download: a run's model, its text and its predictions as files.
- mlflow: send chosen runs to MLflow, or how to install its client.
- state: what this browser tab chose or was told on these pages (session state keys).
"""
