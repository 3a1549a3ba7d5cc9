"""Monitoring page components.

- choose: the deployment picker with its empty states, the cached monitoring, the settings form.
- sections: windows, inputs and the drift heatmap, outputs, performance, software, the planted truth.
- slices: the saved slices (Error analysis) per window: share of requests, accuracy against the window's.
- alerts: the alerts with acknowledgement, rules added by hand, the automatic retraining policy.
- retrain: retraining from an alert into a challenger, and starting its canary.
- state: what this browser tab chose or was told on these pages (session state keys).
"""
