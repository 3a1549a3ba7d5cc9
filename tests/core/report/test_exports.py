"""The HTML report and the Markdown model card: every section, charts inline, user text inert in both."""

from html.parser import HTMLParser

import pytest
import plotly.io as pio
from markdown_it import MarkdownIt
from plotly.offline import get_plotlyjs

from core.report.files import report_files
from core.report.html import report_html
from core.report.markdown import CARD_SECTIONS, model_card
from tests.core.report.report_factories import PAYLOADS, hand_made_report


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each script element."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def rendered_markdown(card: str) -> str:
    """The card as a CommonMark renderer (with tables) turns it into HTML, as a Markdown viewer would."""
    return MarkdownIt("commonmark").enable("table").render(card)


@pytest.fixture(scope="module")
def report():
    return hand_made_report()


def test_the_html_holds_every_section_with_its_status_and_the_reveal_only_when_asked(report):
    html = report_html(report, with_reveal=True)
    for section in report.sections:
        assert f'<section id="{section.key}">' in html and section.title in html
    assert "Teaching reveal" in html and "2 of 3 found" in html
    assert "Teaching reveal" not in report_html(report)


def test_the_html_embeds_plotly_once_and_fetches_nothing(report):
    tags = parsed(report_html(report))
    scripts = [attrs for tag, attrs in tags.tags if tag == "script"]
    assert not any("src" in attrs for attrs in scripts), "no script is loaded from anywhere"
    assert sum(get_plotlyjs()[:2000] in text for text in tags.scripts) == 1
    charts = sum(len(s.charts) for s in report.sections)
    assert charts == 3 and sum("Plotly.newPlot" in text for text in tags.scripts) == charts
    assert not [attrs for tag, attrs in tags.tags if tag in ("img", "link", "iframe")]


def test_user_text_is_inert_in_the_html(report):
    html = report_html(report, with_reveal=True)
    tags = parsed(html)
    assert not any(tag == "img" for tag, _ in tags.tags)
    assert not any("onerror" in attrs for _, attrs in tags.tags)
    # Chart labels reach plotly's data as JSON strings with < and / escaped, never as markup.
    assert not any(payload in text for payload in PAYLOADS for text in tags.scripts)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Loans &lt;script&gt;" in html.split("</title>")[0]  # the title too


def test_the_model_card_holds_every_section(report):
    card = model_card(report)
    headings = [line[3:] for line in card.splitlines() if line.startswith("## ")]
    assert headings == list(CARD_SECTIONS)
    for section in report.sections:
        if section.key != "timeline":  # the card is about the model; the timeline is the report's
            assert f"### {section.title} — {section.status_text}" in card
    assert "Slow loan decisions" in card and "Slice with a major gap to the baseline" in card
    assert "Decision: approve with conditions" in card and "Reviewer: Pat" in card


def test_user_text_is_inert_in_the_markdown_card(report):
    card = model_card(report, with_reveal=True)
    html = rendered_markdown(card)
    tags = parsed(html)
    assert not [tag for tag, _ in tags.tags if tag in ("img", "script", "a")]
    for payload in PAYLOADS:  # each shows as typed, in the title, the answer, the comment and a table cell
        shown = payload.replace("<", "&lt;").replace(">", "&gt;")
        assert html.count(shown) >= 4, payload


def test_an_unescaped_card_would_not_be_inert():
    """The reference renderer does turn the payloads into live HTML, so the check above has teeth."""
    tags = parsed(rendered_markdown(" ".join(PAYLOADS)))
    assert {"img", "script"} <= {tag for tag, _ in tags.tags}


def test_files_are_named_as_every_export_is(report):
    files = report_files(report)
    assert files["html"].file_name == "Loans-script-alert-1-script-img-src-x-on_audit-report_20261130-120000Z.html"
    assert files["md"].file_name.endswith("_model-card_20261130-120000Z.md")
    assert (files["html"].mime, files["md"].mime) == ("text/html", "text/markdown")
    assert files["md"].data.decode("utf-8") == model_card(report)


def test_charts_keep_their_colours_whatever_template_is_the_default(report, monkeypatch):
    """Streamlit makes its own template plotly's default; an exported chart names one that draws colours."""
    monkeypatch.setattr(pio.templates, "default", "none")
    scripts = parsed(report_html(report)).scripts
    assert sum('"colorway":["#636efa"' in text for text in scripts) == 3
