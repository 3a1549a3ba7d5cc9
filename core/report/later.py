"""The report's model sections: the champion against the baselines, the top slices, the fairness audit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from core.errors.priority import priority_chart
from core.modeling.evaluation import slice_table
from core.report.charts import comparison_chart, group_chart
from core.report.document import Fact, Section, Table
from core.report.early import number

SHOWN_METRICS = ("accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc")
SLICE_COLUMNS = ["slice", "rows", "share", "metric", "baseline", "gap", "priority", "severity", "action"]
GROUP_COLUMNS = {"count": "rows", "selection_rate": "selection rate", "tpr": "true positive rate",
                 "fpr": "false positive rate", "accuracy": "accuracy"}
TOP_SLICES = 10
NO_CHAMPION = ("No champion is registered yet. Train runs and promote one on the Experiments page; "
               "the report then sets it against every baseline.")
NO_BASELINES = "No baseline is stored for the champion's dataset: compute some on the Baselines page."
NO_TEST_LOOK = "The champion has not been looked at on the test split (a look is logged on the Experiments page)."
NO_SLICES = ("Error analysis needs a champion with stored dev predictions; promote one on the Experiments page, "
             "then open Error analysis.")
NO_AUDIT = "No fairness audit is saved yet. Audit the champion on the Fairness audit page and have it signed off."
NOT_SIGNED = "The latest audit is not signed off yet."


@dataclass(frozen=True)
class ChampionInputs:
    name: str  # "Run 3"
    model: str
    dataset: str
    dataset_hash: str
    labels_hash: str
    config: Mapping
    dev: Mapping[str, float]
    baselines: Sequence[tuple[str, str, Mapping[str, float]]]  # (name, kind, overall metrics)
    test_looks: Sequence[tuple[datetime, str, Mapping[str, float]]]  # (when, who, metrics)


def comparison_frame(inputs: ChampionInputs) -> pd.DataFrame:
    """Return the champion's dev metrics above every baseline's, with the champion's accuracy lead over each."""
    rows = [{"model or baseline": f"{inputs.name} (champion)", "kind": "champion", **_metrics(inputs.dev)}]
    rows += [{"model or baseline": name, "kind": kind, **_metrics(metrics)} for name, kind, metrics in inputs.baselines]
    frame = pd.DataFrame(rows, columns=["model or baseline", "kind", *SHOWN_METRICS])
    frame["champion lead (accuracy)"] = frame["accuracy"].iloc[0] - frame["accuracy"]
    return frame


def _metrics(metrics: Mapping[str, float]) -> dict[str, float | None]:
    return {m: metrics.get(m) for m in SHOWN_METRICS}


def config_text(config: Mapping) -> str:
    """Return a run's config on one line: the model's settings first, then the training options."""
    params = ", ".join(f"{k}={v}" for k, v in (config.get("params") or {}).items()) or "defaults"
    options = ", ".join(f"{k}={v}" for k, v in config.items() if k not in ("model", "params"))
    return f"{params}; {options}" if options else params


def champion_section(inputs: ChampionInputs | None) -> Section:
    """Return the champion with its config, its dev scores against every baseline, and its test-split looks."""
    base = dict(key="model", title="Champion and baselines", page="pages/5_experiments.py", page_label="Experiments")
    if inputs is None:
        return Section(**base, status="not done", missing=NO_CHAMPION)
    table = comparison_frame(inputs)
    looks = pd.DataFrame([{"when": f"{when:%Y-%m-%d %H:%M} UTC", "who": who, **_metrics(metrics)}
                          for when, who, metrics in inputs.test_looks], columns=["when", "who", *SHOWN_METRICS])
    facts = (Fact("Champion", f"{inputs.name} · {inputs.model}"), Fact("Trained on", inputs.dataset),
             Fact("Data hash", inputs.dataset_hash[:16]), Fact("Label snapshot hash", inputs.labels_hash[:16]),
             Fact("Config", config_text(inputs.config)), Fact("Dev accuracy", number(inputs.dev.get("accuracy"))),
             Fact("Test-split looks", f"{len(looks):,}"))
    notes = tuple(n for n, missing in ((NO_BASELINES, not inputs.baselines), (NO_TEST_LOOK, looks.empty)) if missing)
    per_slice = slice_table(dict(inputs.dev))
    tables = (Table("Dev split: the champion and every baseline", table),)
    tables += (Table("Dev split: the champion per slice", per_slice.reset_index()),) if len(per_slice) else ()
    tables += (Table("Looks at the test split", looks),) if len(looks) else ()
    return Section(**base, status="done" if inputs.baselines else "partly", facts=facts, tables=tables, notes=notes,
                   charts=(comparison_chart(table),))


def slices_section(table: pd.DataFrame | None, *, run: str = "", metric: str = "accuracy",
                   overall: float | None = None, missing: str = NO_SLICES) -> Section:
    """Return the top slices by priority of the champion's dev errors (None: no analysis possible, and why)."""
    base = dict(key="slices", title="Top slices by priority", page="pages/6_error_analysis.py",
                page_label="Error analysis")
    if table is None:
        return Section(**base, status="not done", missing=missing)
    top = table.head(TOP_SLICES)[[c for c in SLICE_COLUMNS if c in table]]
    issues = int(table["severity"].isin(["issue", "major"]).sum()) if "severity" in table else 0
    facts = (Fact("Analysed", f"{run}, dev split"), Fact(f"Overall {metric}", number(overall)),
             Fact("Slices scored", f"{len(table):,}"), Fact("Slices with an issue", f"{issues:,}"))
    return Section(**base, status="done", facts=facts, tables=(Table(f"Top {len(top)} slices", top),),
                   charts=(priority_chart(table, top=TOP_SLICES),) if len(top) else ())


@dataclass(frozen=True)
class AuditInputs:
    label: str  # "Audit 2 of Run 3"
    split: str
    created: datetime
    results: Mapping  # the stored results: attribute -> reference, values, flagged
    parity: str
    decision: str | None
    reviewer: str
    comments: str
    signed_at: datetime | None
    stale: Sequence[str]
    slices: str = ""  # the saved slices audited as attributes, with their predicates


def groups_frame(results: Mapping) -> pd.DataFrame:
    """Return one row per audited attribute and group: its rates, the reference mark and the four-fifths flag."""
    rows = []
    for attribute, result in results.items():
        flagged = set(result.get("flagged", []))
        for group, values in result.get("values", {}).items():
            rows.append({"attribute": attribute, "group": group, **{label: values.get(key)
                         for key, label in GROUP_COLUMNS.items()},
                         "reference": "yes" if group == result.get("reference") else "",
                         "outside four-fifths": "yes" if group in flagged else ""})
    return pd.DataFrame(rows, columns=["attribute", "group", *GROUP_COLUMNS.values(), "reference",
                                       "outside four-fifths"])


def fairness_section(inputs: AuditInputs | None) -> Section:
    """Return the latest fairness audit: groups, flags, the decision, reviewer and comments, stale or not."""
    base = dict(key="fairness", title="Fairness audit", page="pages/7_fairness.py", page_label="Fairness audit")
    if inputs is None:
        return Section(**base, status="not done", missing=NO_AUDIT)
    groups = groups_frame(inputs.results)
    flagged = [f"{a}={g}" for a, r in inputs.results.items() for g in r.get("flagged", [])]
    signed = inputs.signed_at is not None
    facts = (Fact("Latest audit", f"{inputs.label}, {inputs.split} split, {inputs.created:%Y-%m-%d %H:%M} UTC"),
             Fact("Groups outside the four-fifths band", ", ".join(flagged) or "none"),
             Fact("Saved slices audited", inputs.slices or "none"),
             Fact("Parity chosen", inputs.parity or "—"),
             Fact("Decision", inputs.decision if signed and inputs.decision else "not signed off"),
             Fact("Reviewer", inputs.reviewer if signed else "—"),
             Fact("Signed", f"{inputs.signed_at:%Y-%m-%d %H:%M} UTC" if signed else "—"),
             Fact("Comments", inputs.comments or "—"),
             Fact("Stale", "yes: " + "; ".join(inputs.stale) if inputs.stale else "no"))
    notes = () if signed else (NOT_SIGNED,)
    notes += ("This audit is stale: " + "; ".join(inputs.stale) + ". Audit the current champion again.",) \
        if inputs.stale else ()
    return Section(**base, status="done" if signed and not inputs.stale else "partly", facts=facts,
                   tables=(Table("Groups", groups),), notes=notes,
                   charts=(group_chart(groups),) if len(groups) else ())
