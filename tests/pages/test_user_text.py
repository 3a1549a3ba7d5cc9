"""Markdown and HTML planted in every user-text field are shown literally on every page, never rendered."""

import re

import pytest

from tests.pages.conftest import read_as_shown
from tests.pages.user_text_payloads import EVIL_HOST, FIELDS, LABELER, plant_payloads

ACTOR_WIDGET = "nav.actor_name"
PAGES = ["app.py", "pages/1_scoping.py", "pages/2_datasets.py", "pages/3_labeling.py", "pages/4_baselines.py",
         "pages/5_experiments.py", "pages/10_report.py"]
LABELING_VIEWS = ["Label", "Review", "Consistency", "Plan"]
ESCAPED = re.compile(r"\\.")


def markdown_sources(at) -> list[str]:
    """The Markdown source of every element and label of the page that Streamlit renders as Markdown."""
    sources = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "subheader", "header"):
        sources += [str(e.value) for e in getattr(at, kind)]
    for kind in ("button", "radio", "metric", "toggle", "checkbox", "text_input", "text_area", "selectbox",
                 "multiselect", "number_input", "tabs", "expander"):
        sources += [str(e.label) for e in getattr(at, kind) if getattr(e, "label", None)]
    sources += [str(option) for radio in at.radio for option in radio.options]
    return sources


def assert_nothing_rendered(at) -> str:
    """Assert no payload reaches Markdown unescaped; return the page's text as shown."""
    assert not at.exception
    for source in markdown_sources(at):
        live = ESCAPED.sub("", source)  # what Markdown would still interpret
        for raw in ("![x]", "**b**", "<img", ":red[", ":smile:", "![u]", "**d**"):
            assert raw not in live, f"{raw} rendered in: {source}"
    return "\n".join(read_as_shown(source) for source in markdown_sources(at))


@pytest.fixture
def planted(engine):
    return plant_payloads(engine)


def opened(app, page_file):
    at = app.run()
    at.sidebar.text_input(key=ACTOR_WIDGET).input(LABELER)
    at = at.run()
    return at.switch_page(page_file).run() if page_file != "app.py" else at


@pytest.mark.parametrize("page_file", PAGES)
def test_every_page_shows_planted_markdown_as_text(app, planted, page_file):
    shown = assert_nothing_rendered(opened(app, page_file))
    assert FIELDS["project"] in shown or page_file != "app.py"


@pytest.mark.parametrize("view", LABELING_VIEWS)
def test_every_labeling_view_shows_planted_markdown_as_text(app, planted, view):
    at = opened(app, "pages/3_labeling.py")
    at = at.segmented_control(key="lab.view").set_value(view).run()
    assert_nothing_rendered(at)


def test_the_payloads_are_shown_literally_where_they_appear(app, planted):
    home = assert_nothing_rendered(opened(app, "app.py"))
    assert f"Progress of “{FIELDS['project']}”" in home
    datasets = assert_nothing_rendered(opened(app, "pages/2_datasets.py"))
    assert f"Source: upload:{FIELDS['file']}.csv. {FIELDS['note']}" in datasets
    labeling = opened(app, "pages/3_labeling.py")
    shown = assert_nothing_rendered(labeling)
    assert f"Labeling as **{LABELER}**" in shown
    assert FIELDS["class"] in [read_as_shown(b.label) for b in labeling.button]  # the class button reads as typed
    review = labeling.segmented_control(key="lab.view").set_value("Review").run()
    assert f"labeled **{FIELDS['class']}** by {LABELER}" in assert_nothing_rendered(review)
    scoping = opened(app, "pages/1_scoping.py")
    assert FIELDS["answer"] in [t.value for t in scoping.text_area]  # a widget value is never Markdown
    assert EVIL_HOST in FIELDS["answer"]
