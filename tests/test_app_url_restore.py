"""Links restore the view: on every page, URL parameters seeded into AppTest come back as the
widgets' values, and the KPIs are the figures for those filters (not the unfiltered ones). The
copy-link control shows the same parameters. Invalid or stale values are dropped with a notice,
never an error; presentation mode and saved views."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import polars as pl
import pytest
from conftest import ROOT, use_store
from streamlit.testing.v1 import AppTest

from pmo import budget, config, health
from pmo import metrics as fmt
from pmo import query as pmo_query

pytestmark = pytest.mark.app

HEALTH, PROJECT, BUDGET, SALARY, DATA = ("pages/1_Portfolio_Health.py", "pages/6_Project.py",
                                        "pages/2_Budget_Variance.py", "pages/3_Salary_Benchmarks.py",
                                        "pages/4_Data.py")
EVERY = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
TODAY = date(2026, 11, 25)
PORTFOLIO = "Digital Channels"
EARLIER = "2026-10-30"


@pytest.fixture()
def app_env(sample_store_dir, monkeypatch):
    use_store(monkeypatch, sample_store_dir)
    monkeypatch.setattr("pmo.ui.data.today", lambda: TODAY)
    return sample_store_dir


def open_link(page: str, **query) -> AppTest:
    """What a person opening the link gets: the URL parameters before the first run."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def link_params(at: AppTest) -> dict[str, str]:
    """The parameters of the link shown by the copy-link control."""
    [code] = [c.value for c in at.code if "?" in c.value or c.value.startswith("./")]
    return dict(parse_qsl(urlsplit(code).query))


def toasts(at: AppTest) -> str:
    return " ".join(t.value for t in at.toast)


# ---------------------------------------------------------------------------------------------
# Every page: the URL restores the filters and the figures follow them
# ---------------------------------------------------------------------------------------------
def test_portfolio_health_link_restores_filters_as_of_method_and_table_settings(app_env, sample_con):
    query = {"portfolio": PORTFOLIO, "as_of": EARLIER, "eac": "plan", "sort": "cpi", "health_desc": "false",
             "health_closed": "true"}
    at = open_link(HEALTH, **query)
    assert at.selectbox(key="portfolio").value == PORTFOLIO
    assert at.selectbox(key="as_of").value == EARLIER
    assert at.selectbox(key="eac_pick").value == "plan"
    assert at.selectbox(key="sort_pick").value == "cpi"
    assert at.toggle(key="health_desc").value is False
    assert at.toggle(key="health_closed").value is True

    params = {**EVERY, "portfolio": PORTFOLIO, "as_of": date(2026, 10, 30)}
    k = {r["period"]: r for r in pmo_query.run(sample_con, "portfolio_health_kpis", **params).iter_rows(named=True)}
    everything = {r["period"]: r for r in pmo_query.run(sample_con, "portfolio_health_kpis", **EVERY, as_of=None)
                  .iter_rows(named=True)}
    shown = metrics(at)
    assert shown["Active projects"] == fmt.count(k["current"]["active_projects"])
    assert shown["Total BAC (active projects)"] == fmt.money(k["current"]["bac"])
    assert shown["Portfolio CPI"] == fmt.ratio(k["current"]["cpi"])
    assert k["current"]["as_of_date"] == date(2026, 10, 30)
    assert shown["Active projects"] != fmt.count(everything["current"]["active_projects"])

    table = pmo_query.run(sample_con, "portfolio_health_table", **params, eac_method="plan", include_closed=True,
                    sort="cpi", descending=False, limit=health.PAGE_SIZE, offset=0)
    shown_table = at.dataframe[-1].value
    assert list(shown_table["project_id"]) == table["project_id"].to_list()
    assert link_params(at) == query


def test_project_link_restores_project_status_date_and_eac_method(app_env, sample_con):
    at = open_link(PROJECT, project="PRJ-1012", as_of=EARLIER, eac="plan")
    assert at.selectbox(key="project_pick").value == "PRJ-1012"
    assert at.selectbox(key="as_of").value == EARLIER
    assert at.selectbox(key="eac_pick").value == "plan"
    facts = pmo_query.run(sample_con, "project_facts", project_id="PRJ-1012", as_of=date(2026, 10, 30),
                    eac_method="plan").row(0, named=True)
    latest = pmo_query.run(sample_con, "project_facts", project_id="PRJ-1012", as_of=None,
                     eac_method=None).row(0, named=True)
    shown = metrics(at)
    assert shown["EAC (earned value)"] == fmt.money(facts["eac"]) != fmt.money(latest["eac"])
    assert shown["% complete"] == fmt.pct(facts["percent_complete"], 0)
    assert link_params(at) == {"project": "PRJ-1012", "as_of": EARLIER, "eac": "plan"}


def test_budget_variance_link_restores_filters_window_grouping_and_drill_path(app_env, sample_con):
    query = {"portfolio": PORTFOLIO, "bv_from": "Jan 2026", "bv_to": "Jun 2026", "bv_group": "Category",
             "bv_measure": "In the window", "bv_waterfall": "Project", "bv_program": "Payments & Commerce"}
    programs = sample_con.sql("select distinct program from projects where portfolio = $p",
                              params={"p": PORTFOLIO}).fetchall()
    assert ("Payments & Commerce",) in programs
    at = open_link(BUDGET, **query)
    assert at.selectbox(key="portfolio").value == PORTFOLIO
    assert at.selectbox(key="bv_from").value == "Jan 2026"
    assert at.selectbox(key="bv_to").value == "Jun 2026"
    assert at.segmented_control(key="bv_group").value == "Category"
    assert at.segmented_control(key="bv_measure").value == "In the window"
    assert at.segmented_control(key="bv_waterfall").value == "Project"

    fy = config.load(app_env)["general"]["fiscal_year_start_month"]
    lines = pmo_query.run(sample_con, "budget_lines", as_of=TODAY, fiscal_start_month=fy, **{**EVERY, "portfolio": PORTFOLIO})
    df = budget.apply_path(budget.prepare(lines), {"program": "Payments & Commerce"})
    close = df["close_month"][0]
    window = budget.Window(date(2026, 1, 1), date(2026, 6, 1))
    total = budget.summarise(df, None, window, close).row(0, named=True)
    shown = metrics(at)
    assert shown["Variance in window"] == fmt.money(total["window_variance"])
    assert shown["Ledger budget (whole life)"] == fmt.money(total["ledger_budget"])
    unfiltered = budget.summarise(budget.prepare(pmo_query.run(sample_con, "budget_lines", as_of=TODAY,
                                                         fiscal_start_month=fy, **EVERY)), None, window, close)
    assert shown["Ledger budget (whole life)"] != fmt.money(unfiltered["ledger_budget"][0])
    assert link_params(at) == query


def test_salary_link_restores_staff_filters_role_and_grouping(app_env, sample_con):
    query = {"staff_country": "United States", "staff_level": "Individual Contributor",
             "benchmark_role": "Program Manager", "salary_group_by": "Department"}
    at = open_link(SALARY, **query)
    assert at.selectbox(key="staff_country").value == "United States"
    assert at.selectbox(key="staff_level").value == "Individual Contributor"
    assert at.selectbox(key="benchmark_role").value == "Program Manager"
    assert at.segmented_control(key="salary_group_by").value == "Department"
    staff = pmo_query.run(sample_con, "salary_staff", country="United States", department=None,
                    level="Individual Contributor")
    placed = staff.filter(pl.col("match_status") == "placed")
    everyone = pmo_query.run(sample_con, "salary_staff", country=None, department=None, level=None)
    assert metrics(at)["On a band"] == f"{placed.height} of {staff.height}"
    assert staff.height < everyone.height
    assert link_params(at) == query


def test_data_page_link_restores_the_section(app_env):
    at = open_link(DATA, data_view="History")
    assert at.segmented_control(key="data_view").value == "History"
    assert "Versions" in [s.value for s in at.subheader]


# ---------------------------------------------------------------------------------------------
# Invalid or stale values: dropped with a notice, never an error page
# ---------------------------------------------------------------------------------------------
STALE = [
    (HEALTH, "portfolio", "Closed Portfolio 2019", "portfolio 'Closed Portfolio 2019' is not in the data"),
    (HEALTH, "as_of", "2019-01-01", "as of '2019-01-01'"),
    (HEALTH, "eac", "magic", "EAC method 'magic' is not an option"),
    (HEALTH, "sort", "shoe size", "sort by 'shoe size' is not an option"),
    (HEALTH, "health_desc", "sideways", "sort order 'sideways'"),
    (HEALTH, "health_page", "two", "table page 'two'"),
    (BUDGET, "bv_from", "Smarch 2026", "first month 'Smarch 2026'"),
    (BUDGET, "bv_to", "' or 1=1 --", "last month"),
    (BUDGET, "bv_group", "Horoscope", "grouping 'Horoscope'"),
    (BUDGET, "bv_measure", "Vibes", "measure 'Vibes'"),
    (BUDGET, "bv_waterfall", "Weekday", "waterfall steps 'Weekday'"),
    (SALARY, "staff_country", "Atlantis", "country 'Atlantis'"),
    (SALARY, "benchmark_role", "Wizard", "benchmark role 'Wizard'"),
    (SALARY, "salary_group_by", "Star sign", "grouping 'Star sign'"),
    (DATA, "data_view", "Secrets", "page section 'Secrets'"),
    (HEALTH, "present", "maybe", "presentation setting was not understood"),
]


@pytest.mark.parametrize(("page", "key", "value", "notice"), STALE, ids=[f"{p[6:-3]}-{k}" for p, k, _, _ in STALE])
def test_an_invalid_or_stale_link_value_is_dropped_with_a_notice(app_env, page, key, value, notice):
    at = open_link(page, **{key: value})
    assert notice in toasts(at), toasts(at)
    assert key not in at.query_params or at.query_params[key] != [value]
    if at.code:
        assert key not in link_params(at)


def test_an_unknown_project_in_a_link_says_so(app_env):
    at = open_link(PROJECT, project="PRJ-9999")
    assert "There is no project 'PRJ-9999'" in " ".join(w.value for w in at.warning)


def test_a_long_hostile_value_is_shortened_and_stripped_of_markup_in_the_notice(app_env):
    at = open_link(HEALTH, portfolio="<script>alert(1)</script>[x](http://evil)" + "A" * 500)
    notice = toasts(at)
    assert "<script>" not in notice and "](" not in notice and "A" * 60 not in notice
    assert "is not in the data any more" in notice


# ---------------------------------------------------------------------------------------------
# Presentation mode and saved views
# ---------------------------------------------------------------------------------------------
def test_presentation_mode_from_the_link_hides_sidebar_toolbar_and_downloads(app_env):
    at = open_link(HEALTH, portfolio=PORTFOLIO, present="1")
    keys = {b.key for b in at.button}
    assert "share_present_off" in keys and "share_present_on" not in keys
    css = " ".join(h.proto.body for h in at.get("html"))
    for hidden in ('section[data-testid="stSidebar"]', '[data-testid="stToolbar"]', '[class*="st-key-dl_"]'):
        assert hidden in css
    assert metrics(at)["Active projects"]           # the figures are still there
    at.button(key="share_present_off").click().run()
    assert "present" not in at.query_params
    assert "share_present_on" in {b.key for b in at.button}


def test_save_a_view_and_find_it_listed_with_its_link(sample_store_copy, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_copy))
    monkeypatch.setenv("PMO_USER", "ana@example.com")
    monkeypatch.delenv("PMO_ROLE", raising=False)
    monkeypatch.chdir(ROOT)
    at = open_link(HEALTH, portfolio=PORTFOLIO, eac="plan")
    at.text_input(key="share_view_name").input("Digital reds")
    at.button(key="share_view_save").click().run()
    assert not at.exception
    saved = json.loads((sample_store_copy / "config" / "saved_views.json").read_text())
    [view] = saved["users"]["ana@example.com"]
    assert (view["name"], view["page"], view["params"]) == ("Digital reds", HEALTH,
                                                           {"portfolio": PORTFOLIO, "eac": "plan"})
    links = [p for p in at.get("page_link") if "Digital reds" in p.proto.label]
    assert len(links) == 1 and links[0].proto.label == "Digital reds · Portfolio health"
    assert "Saved 'Digital reds'." in toasts(at)
    at.button(key="share_view_del_0").click().run()
    assert json.loads((sample_store_copy / "config" / "saved_views.json").read_text())["users"]["ana@example.com"] == []


def test_every_page_with_a_share_bar_shows_its_link_and_the_pack_buttons(app_env):
    for page, query in ((HEALTH, {}), (PROJECT, {"project": "PRJ-1001"}), (BUDGET, {}), (SALARY, {})):
        at = open_link(page, **query)
        assert link_params(at) == query, page
        labels = {d.proto.label for d in at.get("download_button")}
        assert {"PowerPoint", "PDF", "CSV", "Excel"} <= labels, (page, labels)
        if page != PROJECT:
            assert {"PNG", "SVG"} <= labels, page
