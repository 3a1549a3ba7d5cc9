"""The audit report as one self-contained HTML file: every section, its tables and interactive charts.

plotly's JavaScript is embedded once, inline, and each chart is drawn by it, so the file works
offline and fetches nothing from anywhere. Every text — the project's name, answers, comments,
table cells — goes through `html.escape`, so ``<script>`` or ``<img onerror=…>`` typed into the
app shows as text.
"""

from __future__ import annotations

from html import escape

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from core.report.document import Report, RevealItem, Section, Table, cell_text

EXPORT_TEMPLATE = "plotly_white"
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;
color:#1f2933;line-height:1.45}
h1{margin-bottom:.2rem}section{border-top:1px solid #d9e2ec;padding:.6rem 0 1rem}
.status{display:inline-block;padding:.1rem .5rem;border-radius:.6rem;font-size:.85rem;margin-left:.5rem}
.done{background:#d3f9d8}.partly{background:#fff3bf}.not-done{background:#ffe3e3}
table{border-collapse:collapse;margin:.4rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #d9e2ec;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f0f4f8}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
.missing,.note{color:#7b341e}.page{color:#52606d;font-size:.85rem}
"""


def report_html(report: Report, *, with_reveal: bool = False) -> str:
    """Return the whole report as one HTML document that needs nothing but itself."""
    body = [f"<h1>Audit report: {escape(report.project)}</h1>",
            f"<p class=\"page\">Generated {report.generated_at:%Y-%m-%d %H:%M} UTC by Lifecycle Workbench.</p>"]
    body += [section_html(section) for section in report.sections]
    if with_reveal and report.reveal is not None:
        body.append(reveal_html(report.reveal.items))
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Audit report: {escape(report.project)}</title><style>{STYLE}</style>"
            f"<script>{get_plotlyjs()}</script></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


def section_html(section: Section) -> str:
    """Return one section: heading with its status, what is missing, facts, tables, notes, charts."""
    status = section.status.replace(" ", "-")
    parts = [f"<section id=\"{section.key}\"><h2>{escape(section.title)}"
             f"<span class=\"status {status}\">{escape(section.status_text)}</span></h2>",
             f"<p class=\"page\">In the app: the {escape(section.page_label)} page.</p>"]
    if section.missing:
        parts.append(f"<p class=\"missing\">{escape(section.missing)}</p>")
    if section.facts:
        parts.append("<dl>" + "".join(f"<dt>{escape(f.label)}</dt><dd>{escape(f.value)}</dd>"
                                      for f in section.facts) + "</dl>")
    parts += [table_html(table) for table in section.tables]
    parts += [f"<p class=\"note\">{escape(note)}</p>" for note in section.notes]
    parts += [chart_html(figure) for figure in section.charts]
    return "\n".join(parts) + "</section>"


def table_html(table: Table) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.frame.columns)
    rows = "".join("<tr>" + "".join(f"<td>{escape(cell_text(v))}</td>" for v in row) + "</tr>"
                   for row in table.frame.itertuples(index=False))
    return f"<h3>{escape(table.title)}</h3><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def chart_html(figure: go.Figure) -> str:
    """Return a chart's div and the call that draws it, using the plotly embedded once in the head.

    The template is named: inside the app, Streamlit makes its own (drawn only by its frontend)
    plotly's default, and a file exported from the app would otherwise draw every bar black.
    """
    figure = go.Figure(figure).update_layout(template=EXPORT_TEMPLATE)
    return figure.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False,
                          config={"displaylogo": False})


def reveal_html(items: tuple[RevealItem, ...]) -> str:
    rows = "".join(f"<tr><td>{escape(i.effect)}</td><td>{escape(i.planted)}</td><td>{escape(i.found)}</td>"
                   f"<td>{escape(i.score)}</td></tr>" for i in items)
    return ("<section id=\"reveal\"><h2>Teaching reveal</h2><p>What the scenario planted, beside what was found.</p>"
            "<table><thead><tr><th>effect</th><th>planted</th><th>found by the learner</th><th>score</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></section>")
