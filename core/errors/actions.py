"""The recommended next step for a slice, with its reason in one sentence.

Rules, first match wins:
1. better labels — human-level performance on the slice is well below its overall value: people
   disagree here, so the labels are the problem;
2. data augmentation — unstructured data (images, text): more varied copies are cheap;
3. more data — a small slice far below its baseline: the model has seen too few such rows;
4. better features — structured data where even people do poorly on the slice, or the model is
   far from its baseline on every slice: the columns lack the signal;
5. more data — otherwise, for a slice below its baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Action = Literal["none", "better labels", "augmentation", "more data", "better features"]
SMALL_SHARE, LARGE_GAP = 0.10, 0.05
LABEL_DROP = 0.05
LOW_HLP = 0.85


@dataclass(frozen=True)
class Recommendation:
    action: Action
    reason: str


def recommend_action(*, gap: float, share: float, unstructured: bool, hlp_slice: float | None = None,
                     hlp_overall: float | None = None, far_everywhere: bool = False) -> Recommendation:
    """Return what to do about a slice and why (see the module docstring for the rules)."""
    if not gap > 0:
        return Recommendation("none", "The model already meets its baseline on this slice.")
    if hlp_slice is not None and hlp_overall is not None and hlp_slice < hlp_overall - LABEL_DROP:
        return Recommendation("better labels", f"People reach only {hlp_slice:.0%} here against {hlp_overall:.0%} "
                                               "overall, so clearer guidelines and relabeling come first.")
    if unstructured:
        return Recommendation("augmentation", f"On images or text, shifted and noised copies of the slice's "
                                              f"{share:.0%} of rows are a cheap way to close its {gap:.3f} gap.")
    if share < SMALL_SHARE and gap >= LARGE_GAP:
        return Recommendation("more data", f"The slice is only {share:.0%} of the data yet {gap:.3f} below its "
                                           "baseline: the model has seen too few such rows.")
    if (hlp_slice is not None and hlp_slice < LOW_HLP) or far_everywhere:
        why = (f"even people reach only {hlp_slice:.0%} here" if hlp_slice is not None and hlp_slice < LOW_HLP
               else "the model trails its baseline on every slice")
        return Recommendation("better features", f"On structured data where {why}, the columns lack the signal: "
                                                 "add or fix features.")
    return Recommendation("more data", f"The model trails its baseline by {gap:.3f} on {share:.0%} of the data; "
                                       "more rows like these are the most direct fix.")
