"""The fairness stage: group metrics with intervals, disparities, which parity matters, mitigation.

- groups: sensitive attributes as groups (numbers binned into ranges, intersections of two columns).
- metrics: per-group confusion counts, every rate from them, seeded bootstrap intervals.
- disparities: the reference group, differences and ratios, the four-fifths rule, overall gaps.
- charts: a metric by group with its intervals and the fair band.
- audit: one audit over several attributes, and its stored form.
- guidance: the Aequitas fairness tree — which parity to judge by.
- thresholds: per-group decision thresholds for demographic parity or equal opportunity;
  mitigation: every gap and metric before and after them.
- explain: teaching mode's explanations of group rates, ratios, the overall gaps and mitigation.
"""
