"""A hand-made report with HTML and Markdown payloads where users type text, for the builder tests."""

from datetime import datetime, timezone

import pandas as pd

from core.labeling.agreement import agreement_report
from core.report.card import CardInputs, card_facts
from core.report.document import Report, Reveal, RevealItem
from core.report.early import LabelInputs, ScopingInputs, data_section, labels_section, scoping_section, target_results
from core.report.later import AuditInputs, ChampionInputs, champion_section, fairness_section, slices_section
from core.report.operations import (
    MonitoringInputs, deployment_section, monitoring_section, rollout_rows, timeline_section,
)
from core.scoping.report import scoping_readiness
from core.scoping.targets import parse_target

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "![x](http://e/x.png)")
PAYLOAD = " ".join(PAYLOADS)
WHEN = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


class Answer:
    def __init__(self, value, status="done"):
        self.value, self.status = value, status


def hand_made_report(*, with_payloads: bool = True) -> Report:
    """Return a report with every section done and user text carrying the payloads."""
    text = PAYLOAD if with_payloads else "plain"
    answers = {"problem.statement": Answer(f"Slow loan decisions {text}")}
    targets = [parse_target("f1 >= 0.8"), parse_target("recall[sex=F] >= 0.7")]
    results = target_results(targets, {"f1": 0.85, "recall[sex=F]": 0.6})
    audit = AuditInputs("Audit 1 of Run 2", "dev", WHEN, {"sex": {"reference": "M", "flagged": ["F"], "values": {
        "M": {"count": 300, "selection_rate": 0.6}, "F": {"count": 200, "selection_rate": 0.4}}}},
        "demographic parity", "approve with conditions", "Pat", f"Re-audit {text}", WHEN, ())
    monitoring = MonitoringInputs(False, "Nothing is deployed yet.", pd.DataFrame())
    sections = (
        scoping_section(ScopingInputs(scoping_readiness(answers, targets), results, "Run 2 (champion), dev split")),
        data_section(pd.DataFrame([{"dataset": f"loans {text} v1", "parent": "—", "split": "stratified"}])),
        labels_section(LabelInputs("loans v1", 6, agreement_report(pd.DataFrame({"a": ["x", "y", "x"],
                                                                                  "b": ["x", "y", "y"]})),
                                   0.9, (1, 6), {"label_issue": 2})),
        champion_section(ChampionInputs("Run 2", "logistic_regression", "loans v1", "ab" * 32, "cd" * 32, {"C": 1.0},
                                        {"accuracy": 0.8, "f1": 0.85}, [("Most frequent class", "Dummy",
                                                                          {"accuracy": 0.5, "f1": 0.6})], [])),
        slices_section(pd.DataFrame([{"slice": f"job == {text}", "rows": 40, "share": 0.1, "metric": 0.5,
                                      "baseline": 0.8, "gap": 0.3, "priority": 0.03, "severity": "major",
                                      "action": "more data"}]), run="Run 2", overall=0.8),
        fairness_section(audit),
        deployment_section(rollout_rows([{"deployment": "Deployment 1", "started": "2026-11-30 12:00", "mode": "canary", "case": "replacing",
                                          "running side": "Run 1", "candidate": "Run 2", "status": "promoted",
                                          "candidate share": 1.0, "requests": 2000, "by": text}])),
        monitoring_section(monitoring),
        timeline_section(pd.DataFrame([{"when": WHEN, "who": text, "what": "created project", "details": text}]),
                         total=1),
    )
    card = card_facts(CardInputs({k: a.value for k, a in answers.items()}, results, [f"job == {text}"], audit,
                                 monitoring, 0, True))
    reveal = Reveal("loan_approval", (RevealItem("Flipped labels", "3 flipped", "2 changed", "2 of 3 found"),))
    return Report(f"Loans {text}", WHEN, sections, card, reveal)
