"""The Markdown model card: intended use, data, metrics overall and per slice, fairness, limitations,
monitoring plan and sign-off — drawn from the gathered report.

Every text that reaches the card goes through `core.markdown_text.plain_inline` (one line, every
Markdown special escaped), so a project name, an answer or a comment such as ``![x](http://e/x.png)``
or ``<script>`` shows as typed instead of fetching an image or opening HTML in a Markdown viewer.
"""

from __future__ import annotations

from core.markdown_text import plain_inline as inline
from core.report.document import Report, RevealItem, Section, Table, cell_text

CARD_SECTIONS = ("Intended use", "Data", "Metrics overall and per slice", "Fairness", "Limitations",
                 "Monitoring plan", "Sign-off")


def model_card(report: Report, *, with_reveal: bool = False) -> str:
    """Return the model card as Markdown, every user text escaped."""
    card = report.card
    parts = [f"# Model card: {inline(report.project)}", "",
             f"_Generated {report.generated_at:%Y-%m-%d %H:%M} UTC by Lifecycle Workbench._"]
    parts += _heading("Intended use") + _bullets(card.intended_use)
    parts += _heading("Data") + _section(report.section("data")) + _section(report.section("labels"))
    parts += _heading("Metrics overall and per slice") + _section(report.section("scoping"))
    parts += _section(report.section("model")) + _section(report.section("slices"))
    parts += _heading("Fairness") + _section(report.section("fairness"))
    parts += _heading("Limitations") + _bullets(card.limitations)
    parts += _heading("Monitoring plan") + _bullets(card.monitoring_plan)
    parts += _section(report.section("deployment")) + _section(report.section("monitoring"))
    parts += _heading("Sign-off") + _bullets(card.sign_off)
    if with_reveal and report.reveal is not None:
        parts += _heading("Teaching reveal") + reveal_lines(report.reveal.items)
    return "\n".join(parts).rstrip() + "\n"


def _heading(title: str) -> list[str]:
    return ["", f"## {title}", ""]


def _bullets(lines: tuple[str, ...]) -> list[str]:
    return [f"- {inline(line)}" for line in lines] or ["_Nothing recorded._"]


def _section(section: Section) -> list[str]:
    lines = [f"### {inline(section.title)} — {section.status_text}", ""]
    if section.missing:
        return lines + [inline(section.missing), ""]
    lines += [f"- **{inline(fact.label)}:** {inline(fact.value)}" for fact in section.facts]
    for table in section.tables:
        lines += ["", f"**{inline(table.title)}**", ""] + table_lines(table)
    lines += [""] + [f"> {inline(note)}  " for note in section.notes] if section.notes else []
    return lines + [""]


def table_lines(table: Table) -> list[str]:
    """Return a table as Markdown rows, every cell escaped and kept on one line."""
    frame = table.frame
    header = "| " + " | ".join(inline(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = ["| " + " | ".join(inline(cell_text(v)) for v in row) + " |" for row in frame.itertuples(index=False)]
    return [header, rule, *rows] if rows else [header, rule, "| " + " | ".join("" for _ in frame.columns) + " |"]


def reveal_lines(items: tuple[RevealItem, ...]) -> list[str]:
    rows = [("effect", "planted", "found by the learner", "score"),
            *((i.effect, i.planted, i.found, i.score) for i in items)]
    return (["| " + " | ".join(inline(v) for v in rows[0]) + " |", "|---|---|---|---|"]
            + ["| " + " | ".join(inline(v) for v in row) + " |" for row in rows[1:]])
