"""Teaching mode's "why" beside every statistic: every metric on every page explained, and nothing off it.

The pages are opened on a loan_approval workshop pack carried through every stage (built once
for the module, about 40 s), so each page shows its statistics rather than its empty state.
"""

import ast
import json
import shutil
from pathlib import Path

import pytest

from pages.components import explain
from pages.components.errors.slices import SLICE_HELP
from pages.components.explain import EXPLANATIONS, TWICE, UNKNOWN, explanation, gathered
from pages.components.monitoring.sections import COLUMN_HELP
from storage.db import make_engine
from storage.packs import build_pack
from tests.pages.conftest import texts

REPO = Path(__file__).resolve().parents[2]
PAGES = ["pages/1_scoping.py", "pages/2_datasets.py", "pages/3_labeling.py", "pages/4_baselines.py",
         "pages/5_experiments.py", "pages/6_error_analysis.py", "pages/7_fairness.py", "pages/8_deployment.py",
         "pages/9_monitoring.py", "pages/10_report.py"]
LABELING_VIEWS = ["Consistency", "Review", "Effort"]
HELPERS = {"why", "caption_why"}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A database holding a loan_approval pack carried through every stage, made once per module."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    engine = make_engine(f"sqlite:///{path}")
    built = build_pack(engine, name="Class", scenario="loan_approval", stage="monitoring")
    engine.dispose()
    return path, built.project_id


@pytest.fixture
def full_project(seeded, database_url):
    shutil.copy(seeded[0], database_url.removeprefix("sqlite:///"))
    return seeded[1]


def with_teaching(app, on: bool):
    at = app.run()
    return at.sidebar.toggle(key="nav.teaching").set_value(on).run() if on else at


def every_screen(at):
    """Yield (where, AppTest) for every page, the Labeling sections with statistics, the slice table and an audit."""
    for page in PAGES:
        at = at.switch_page(page).run()
        yield page, at
        if page == "pages/3_labeling.py":
            for view in LABELING_VIEWS:
                at = at.segmented_control(key="lab.view").set_value(view).run()
                yield f"{page} · {view}", at
        if page == "pages/6_error_analysis.py":
            at = at.button(key="err.build").click().run()
            yield f"{page} · slice table", at
        if page == "pages/7_fairness.py":
            at.multiselect(key="fair.attributes").set_value(["sex"])
            at.number_input(key="fair.resamples").set_value(40)
            at = at.button(key="fair.run_audit").click().run()
            yield f"{page} · audit", at


def configured(at, column: str) -> dict:
    """The column configs of the one table on the page that configures `column`."""
    [columns] = [c for c in (json.loads(t.proto.columns or "{}") for t in at.dataframe) if column in c]
    return columns


def metric_helps(at) -> dict[str, str]:
    return {m.label: m.proto.help for m in at.metric}


def column_helps(at) -> list[str]:
    return [config.get("help") or "" for table in at.dataframe
            for config in json.loads(table.proto.columns or "{}").values()]


def explained(help_text: str) -> bool:
    return any(text in help_text for text in EXPLANATIONS.values())


def test_in_teaching_mode_every_metric_on_every_page_explains_itself(app, full_project):
    seen, helped_columns, captions = {}, 0, 0
    for where, at in every_screen(with_teaching(app, True)):
        assert not at.exception, f"{where}: {at.exception}"
        for label, help_text in metric_helps(at).items():
            assert help_text.strip() and explained(help_text), f"{where}: the metric “{label}” has no explanation"
            seen[f"{where} · {label}"] = help_text
        helped_columns += sum(explained(h) for h in column_helps(at))
        captions += sum(explained(str(c.value)) for c in at.caption)
    # Every page that shows statistics was reached with them on screen, not its empty state.
    assert {where.split(" · ")[0] for where in seen} >= {
        "pages/1_scoping.py", "pages/2_datasets.py", "pages/3_labeling.py", "pages/5_experiments.py",
        "pages/6_error_analysis.py", "pages/7_fairness.py", "pages/8_deployment.py", "pages/9_monitoring.py"}
    assert len(seen) >= 45 and helped_columns >= 30 and captions >= 20


def test_off_teaching_mode_no_metric_column_or_caption_carries_an_explanation(app, full_project):
    metrics = 0
    for where, at in every_screen(with_teaching(app, False)):
        assert not at.exception, f"{where}: {at.exception}"
        for label, help_text in metric_helps(at).items():
            assert not explained(help_text), f"{where}: “{label}” explains itself off teaching mode"
            metrics += 1
        assert not any(explained(h) for h in column_helps(at)), where
        assert not any(explained(str(c.value)) for c in at.caption), where
    assert metrics >= 45
    # A widget's own note stays: Fleiss' κ still says which items it was computed on.


def open_in_teaching(app, page):
    return with_teaching(app, True).switch_page(page).run()


def test_kappa_is_explained_as_agreement_beyond_chance(app, full_project):
    at = open_in_teaching(app, "pages/3_labeling.py").segmented_control(key="lab.view").set_value("Consistency").run()
    helps = metric_helps(at)
    assert "items with the same number of labels" in helps["Fleiss' κ"]  # the metric's own note is kept
    assert "expected from the pooled class shares" in helps["Fleiss' κ"]
    assert "chance agreement" in configured(at, "kappa")["kappa"]["help"]
    assert "Cohen's κ for a pair of labelers" in texts(at.caption)  # beside the κ heatmap


def test_scoping_completeness_and_dataset_duplicates(app, full_project):
    at = open_in_teaching(app, "pages/1_scoping.py")
    assert "checklist items are done" in metric_helps(at)["Completeness"]
    assert "seven-step checklist" in metric_helps(at)["Completeness"]
    at = at.switch_page("pages/2_datasets.py").run()
    assert "flatters the test score" in metric_helps(at)["Duplicate rows"]
    assert explanation("class_balance") in texts(at.caption)


def test_baselines_interval_is_a_bootstrap_over_items(app, full_project):
    at = open_in_teaching(app, "pages/4_baselines.py")
    columns = configured(at, "kind")
    assert "1,000 bootstrap resamples of the items" in columns["95% interval (accuracy)"]["help"]
    assert "ignores the features" in columns["kind"]["help"]
    assert "mean over classes of each class's recall" in columns["Balanced accuracy"]["help"]


def test_experiments_roc_auc_and_log_loss(app, full_project):
    at = open_in_teaching(app, "pages/5_experiments.py")
    helps = metric_helps(at)
    assert "a random positive row gets a higher positive-class probability" in helps["ROC-AUC (dev)"]
    assert "−ln(probability given to the true class)" in helps["Log loss (dev)"]
    assert explanation("promotion_gate") in texts(at.caption)
    assert explanation("slice_scores") in texts(at.caption)  # the per-slice dev table of the open run
    assert explanation("run_difference") in configured(at, "B − A")["B − A"]["help"]  # Compare's two runs


def test_error_analysis_priority_is_gap_times_share_times_ease(app, full_project):
    at = open_in_teaching(app, "pages/6_error_analysis.py").button(key="err.build").click().run()
    columns = configured(at, "priority")
    assert columns["priority"]["help"].startswith("Gap to baseline × share of data × ease")
    assert "one-sided binomial test" in columns["p-value"]["help"]


def test_fairness_gaps_name_their_rates(app, full_project):
    at = open_in_teaching(app, "pages/7_fairness.py")
    at.multiselect(key="fair.attributes").set_value(["sex"])
    at.number_input(key="fair.resamples").set_value(40)
    at = at.button(key="fair.run_audit").click().run()
    helps = metric_helps(at)
    assert "largest selection rate of any group minus the smallest" in helps["Demographic parity difference"]
    assert "true positive rate and in false positive rate" in helps["Equalized odds difference"]
    rates = configured(at, "rows")  # the group metrics table; the ratios table has no rows column
    assert rates["true positive rate"]["help"].startswith("True positive rate, TP ÷ (TP + FN)")
    assert "(FP + TP) ÷ rows" in rates["selection rate"]["help"]


def test_deployment_margin_names_newcombes_bound(app, full_project):
    at = open_in_teaching(app, "pages/8_deployment.py")
    margin = at.number_input(key="dep.margin")
    assert "lower bound of Newcombe's hybrid score interval" in margin.help
    assert "How much worse than the running side's error rate" in margin.help  # its own note first
    assert "review cost" in metric_helps(at)["Cost per case"]


def test_monitoring_drift_tests_and_alert_bands(app, full_project):
    at = open_in_teaching(app, "pages/9_monitoring.py")
    assert "mean ± 3 standard deviations" in metric_helps(at)["Open alerts"]
    assert "Kolmogorov–Smirnov" in texts(at.caption) and "Jensen–Shannon" in texts(at.caption)
    [windows] = [c for c in (json.loads(t.proto.columns or "{}") for t in at.dataframe) if "estimated accuracy" in c]
    assert "Drifted columns ÷" in windows["share drifted"]["help"]


def test_report_sections_and_reveal_are_explained(app, full_project):
    at = open_in_teaching(app, "pages/10_report.py")
    shown = texts(at.caption)
    assert explanation("reveal") in shown and explanation("report_fairness") in shown
    at = at.sidebar.toggle(key="nav.teaching").set_value(False).run()
    assert explanation("report_fairness") not in texts(at.caption)


def named_keys() -> set[str]:
    """Every key the pages pass to `why` or `caption_why` as a literal, and those of their key tables."""
    keys = set()
    for path in [REPO / "app.py", *(REPO / "pages").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in HELPERS and isinstance(node.args[0].value, str):
                    keys.add(node.args[0].value)
    return keys | set(SLICE_HELP.values()) | set(COLUMN_HELP.values())


def test_every_key_the_pages_use_has_a_text():
    keys = named_keys()
    assert len(keys) >= 60
    assert not keys - set(EXPLANATIONS), f"keys used without a text: {sorted(keys - set(EXPLANATIONS))}"


def test_a_key_without_a_text_is_refused_naming_it():
    with pytest.raises(KeyError, match="no_such_statistic"):
        explanation("no_such_statistic")
    assert "core/<stage>/explain.py" in UNKNOWN


def test_two_stages_writing_one_key_are_refused():
    with pytest.raises(ValueError, match="written in two stages"):
        gathered(({"kappa": "a."}, {"kappa": "b."}))
    assert gathered(({"a": "x."}, {"b": "y."})) == {"a": "x.", "b": "y."}
    assert "{key}" in TWICE


def test_every_text_is_a_few_finished_sentences():
    for key, text in EXPLANATIONS.items():
        sentences = text.count(". ") + 1
        assert text.endswith((".", "”.")) and 1 <= sentences <= 5 and len(text) <= 600, key
    assert len(explain.STAGES) == 10 and len(EXPLANATIONS) == sum(len(s) for s in explain.STAGES)
