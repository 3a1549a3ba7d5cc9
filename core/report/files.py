"""The report's two downloads, named as every export of the app is named."""

from __future__ import annotations

from core.exports import ExportFile, export_file
from core.report.document import Report
from core.report.html import report_html
from core.report.markdown import model_card


def report_files(report: Report, *, with_reveal: bool = False) -> dict[str, ExportFile]:
    """Return the HTML report and the Markdown model card, stamped with the time the report was gathered."""
    at = report.generated_at
    return {"html": export_file(report.project, "audit-report", at, "html",
                                report_html(report, with_reveal=with_reveal).encode("utf-8")),
            "md": export_file(report.project, "model-card", at, "md",
                              model_card(report, with_reveal=with_reveal).encode("utf-8"))}
