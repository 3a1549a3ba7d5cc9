"""The review stage: the audit report, its exports and teaching mode's reveal, drawn from every stage.

- document: the report as plain data (sections of facts, tables and charts; the card's sentences; the reveal).
- early: scoping and targets (met / not met / not measured against the champion), data provenance, label quality.
- later: the champion against every baseline, the top slices by priority, the latest fairness audit.
- operations: deployment history, monitoring and its open alerts, the project timeline.
- card: the model card's intended use, limitations, monitoring plan and sign-off.
- reveal: a scenario's planted truth beside what the learner found, scored.
- charts: the report's plotly figures; html: the self-contained HTML file; markdown: the model card;
  files: both as downloads named like every export.
- explain: teaching mode's explanation of each report section and of the reveal.
"""
