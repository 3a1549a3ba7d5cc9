"""The fairness stage's data: audits and their sign-off.

- tables: Audit, and the rule that keeps it immutable; sheet: what the fairness page reads.
- mitigated: a mitigated decision rule saved as a run beside its model.
- audits: what an audit reads (a run's predictions and the dataset's sensitive columns), saving
  an audit, signing it once, refusing any later change, and marking audits whose run or data changed.
- slices: saved slices (Error analysis) added to an audit as two-group attributes, “in slice” / “outside”.
"""
