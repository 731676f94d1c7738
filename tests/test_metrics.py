"""The metrics layer: one definition per figure (metrics/*.toml), and one label, one number on every
page. The consistency test renders every page that shows figures (AppTest) for several filter
combinations and status dates, on the sample store and on a store holding every tool's test file,
and checks that a label shown on two pages carries the same value, and that every card's label is
a metric's."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from pmo import metrics, schema
from pmo.ingest import ingest_files
from pmo.query import catalog
from pmo.store import Store

from conftest import FIXTURES, ROOT

# ---- the definitions ----------------------------------------------------------------------------


def test_every_label_names_one_metric():
    labels = Counter(m.label for m in metrics.registry().values())
    assert [label for label, n in labels.items() if n > 1] == []


def test_every_column_of_the_data_contract_and_every_page_query_is_defined():
    columns = {c for cols in (*schema.TABLES.values(), schema.INGESTS, schema.REJECTED_ROWS) for c in cols}
    columns |= {c for name in catalog.catalog() for c in catalog.info(name).columns}
    assert sorted(c for c in columns if not metrics.is_defined(c)) == []


def test_units_decide_the_format():
    assert metrics.text("total_bac", 80_734_000.0) == "$80.73M"
    assert metrics.text("total_bac", 80_734_000.0, "USD", compact=False) == "$80,734,000"
    assert metrics.text("portfolio_cpi", 0.8612) == "0.86"
    assert metrics.text("red_share", 0.2286) == "23%"
    assert metrics.text("schedule_slip_days", 139) == "+139 days"
    assert metrics.text("forecast_finish_date", date(2027, 8, 17)) == "17 Aug 2027"
    assert metrics.text("eac", None) == "—"
    assert metrics.text("ledger_budget", -310_000, "EUR") == "-€310K"


def test_an_undefined_figure_is_an_error_not_a_guess():
    with pytest.raises(metrics.UnknownMetric, match="not defined in metrics"):
        metrics.label("budget_total_guess")


def test_figures_that_differ_by_design_say_which():
    for a, b in (("total_bac", "ledger_budget"), ("eac", "fac"), ("red_count", "overrun_flags")):
        assert metrics.label(a) != metrics.label(b)
    assert "ledger" in metrics.label("ledger_budget").lower() and "ledger" in metrics.label("fac").lower()
    assert "earned value" in metrics.label("eac").lower() and "computed" in metrics.label("red_count").lower()


# ---- one label, one number on every page --------------------------------------------------------

PAGES = ["dashboard.py", "pages/1_Portfolio_Health.py", "pages/2_Budget_Variance.py",
         "pages/3_Salary_Benchmarks.py", "pages/6_Project.py", "pages/8_Governance.py", "pages/9_RAID.py",
         "pages/10_Capacity.py", "pages/11_Prioritisation.py", "pages/12_Maturity.py"]


def cards(page: str, params: dict, project: str | None = None) -> dict[str, str]:
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    if project:
        at.query_params["project"] = project
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return {m.label: m.value for m in at.metric}


def check_consistent(store_dir, monkeypatch, cases: list[dict], project: str | None):
    monkeypatch.setenv("PMO_DATA_DIR", str(store_dir))
    monkeypatch.chdir(ROOT)
    known = {m.label for m in metrics.registry().values()}
    for params in cases:
        seen: dict[str, tuple[str, str]] = {}
        for page in PAGES:
            if page == "dashboard.py" and params:
                continue           # Home has no filters: its figures are for all projects, latest date
            for label, value in cards(page, params, project if page.endswith("Project.py") else None).items():
                assert label in known, f"{page}: card '{label}' is not a metric's label"
                if label in seen:
                    assert seen[label][1] == value, (
                        f"'{label}' is {seen[label][1]} on {seen[label][0]} but {value} on {page} ({params})")
                seen[label] = (page, value)
        assert len(seen) > 10


def test_one_label_one_number_on_the_sample_store(sample_store_dir, monkeypatch):
    check_consistent(sample_store_dir, monkeypatch, [
        {}, {"portfolio": "Digital Channels"}, {"department": "Finance"},
        {"as_of": "2026-09-25"}, {"portfolio": "Finance Transformation", "as_of": "2026-10-30"},
    ], project="PRJ-1012")


# The layouts of tests/fixtures, one file each, as `pmo ingest` reads them together.
EVERY_TOOL = ["asana/brand_refresh.csv", "azure_devops/payments_query.csv", "clarity/investments.csv",
              "jira/cloud_all_fields.csv", "ledger/project_costs.csv", "msproject/website_relaunch_grid.csv",
              "oracle/expenditures.csv", "sap/cji3_actuals_2025-11.csv", "servicenow/pm_project.csv",
              "servicenow/project_status.csv", "servicenow/risk.csv", "servicenow/issue.csv",
              "jira/cloud_raid_and_blocks.csv", "smartsheet/PMO Portfolio.csv",
              "raid_log/pmo_raid_log_2026-11-20.csv", "gate_log/pmo_gate_log_2026-11-20.csv",
              "tempo/worklogs_2026-11.csv", "allocation_sheet/float_schedule_2026-11.csv"]


@pytest.fixture(scope="module")
def every_tool_store(tmp_path_factory, sample_store_dir) -> Store:
    root = tmp_path_factory.mktemp("every-tool") / "store"
    shutil.copytree(sample_store_dir, root, ignore=shutil.ignore_patterns("audit", "cache"))
    store = Store(root)
    for name in EVERY_TOOL:
        ingest_files(store, [FIXTURES / name], as_of=date(2026, 11, 20))
    return store


def test_one_label_one_number_with_every_tools_file(every_tool_store, monkeypatch):
    check_consistent(every_tool_store.root, monkeypatch, [{}, {"portfolio": "Digital Channels"}],
                     project="PRJ-1004")

