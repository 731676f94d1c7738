"""The Portfolio health and Project pages under AppTest on the sample store: KPIs equal the
queries, shared filters and a past status date from the URL, the EAC method in the URL, the
drill-down links, empty filters and bad configuration without a traceback.

Pages are opened the way a user does, through the home page and st.switch_page, so that the
links between pages resolve.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from pmo import metrics as fmt
from pmo import query
from pmo.ui import safe

pytestmark = pytest.mark.app

HEALTH = "pages/1_Portfolio_Health.py"
PROJECT = "pages/6_Project.py"
ALL = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def kpis(con, **params) -> dict:
    df = query.run(con, "portfolio_health_kpis", **{**ALL, "as_of": None, **params})
    return {r["period"]: r for r in df.iter_rows(named=True)}


def assert_kpis_shown(at: AppTest, expected: dict) -> None:
    shown = metrics(at)
    assert shown["Active projects"] == fmt.count(expected["active_projects"])
    for colour in ("Red", "Amber", "Green"):
        key = colour.lower()
        assert shown[f"{colour} (computed)"] == fmt.count(expected[f"{key}_count"]), colour
    shares = " · ".join(f"{c} {fmt.pct(expected[f'{c.lower()}_share'], 0)}" for c in ("Red", "Amber", "Green"))
    assert any(c.value.startswith(shares) for c in at.caption), shares
    assert shown["Total BAC (active projects)"] == fmt.money(expected["bac"])
    assert shown["Total EV (active projects)"] == fmt.money(expected["ev"])
    assert shown["Total AC (active projects)"] == fmt.money(expected["ac"])
    assert shown["Portfolio CPI"] == fmt.ratio(expected["cpi"])
    assert shown["Portfolio SPI"] == fmt.ratio(expected["spi"])
    assert shown["Projects late"] == fmt.count(expected["late_projects"])
    assert shown["Milestones due (next 30 days)"] == fmt.count(expected["milestones_due_30_count"])
    assert shown["Milestones missed (last 30 days)"] == fmt.count(expected["milestones_missed_30_count"])


def frame_with(at: AppTest, column: str):
    """The first dataframe on the page that has `column` (st.dataframe keys are not exposed)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def project_links(at: AppTest) -> dict[str, str]:
    """Links to the project page: query string -> the reason in the tooltip."""
    return {link.proto.query_string: link.proto.help for link in at.page_link
            if link.proto.query_string.startswith("project=")}


def test_health_page_shows_the_query_figures(app_env, sample_con):
    at = open_page(HEALTH)
    k = kpis(sample_con)
    assert_kpis_shown(at, k["current"])
    assert k["current"]["active_projects"] >= 30 and k["current"]["red_count"] >= 3
    # the change since the previous status date is on the tiles
    red = next(m for m in at.metric if m.label.startswith("Red"))
    change = k["current"]["red_count"] - k["previous"]["red_count"]
    assert red.proto.delta == (f"{change:+d}" if change else "no change")
    # every red and amber project is linked to its page, with the full reason on hover
    projects = query.run(sample_con, "portfolio_health_projects", **ALL, as_of=None, eac_method=None)
    flagged = projects.filter(projects["is_active"] & projects["overall_health"].is_in(["red", "amber"]))
    links = project_links(at)
    assert set(links) == {f"project={p}" for p in flagged["project_id"]}
    for row in flagged.iter_rows(named=True):
        assert links[f"project={row['project_id']}"] == safe.md(row["health_reason"])   # help is Markdown
    assert len(at.get("vega_lite_chart")) >= 6
    assert at.get_by_key("health_table") is not None


def test_filters_and_a_past_status_date_from_the_url(app_env, sample_con):
    at = open_page(HEALTH, portfolio="Digital Channels", as_of="2026-08-28")
    assert at.selectbox(key="portfolio").value == "Digital Channels"
    k = kpis(sample_con, portfolio="Digital Channels", as_of=date(2026, 8, 28))
    assert k["current"]["as_of_date"] == date(2026, 8, 28)
    assert_kpis_shown(at, k["current"])
    assert k["current"]["active_projects"] < kpis(sample_con)["current"]["active_projects"]
    assert any("28 Aug 2026" in c.value and "since 31 Jul 2026" in c.value for c in at.caption)
    then = query.run(sample_con, "portfolio_health_projects", **{**ALL, "portfolio": "Digital Channels"},
                   as_of=date(2026, 8, 28), eac_method=None)
    assert (then["status_date"] <= date(2026, 8, 28)).all()
    flagged = then.filter(then["is_active"] & then["overall_health"].is_in(["red", "amber"]))
    assert set(project_links(at)) == {f"project={p}" for p in flagged["project_id"]}


def test_eac_method_travels_in_the_url(app_env, sample_con):
    at = open_page(HEALTH, eac="plan")
    assert at.selectbox(key="eac_pick").value == "plan"
    table = at.get_by_key("health_table").value
    expected = query.run(sample_con, "portfolio_health_table", **ALL, as_of=None, eac_method="plan",
                       include_closed=False, sort="health", descending=True, limit=25, offset=0)
    assert table["project_id"].to_list() == expected["project_id"].to_list()
    # the table shows money in whole units (tables.whole_money)
    assert table["eac"].to_list() == pytest.approx(expected["eac"].round(0).to_list())
    config_eac = query.run(sample_con, "portfolio_health_table", **ALL, as_of=None, eac_method=None,
                         include_closed=False, sort="health", descending=True, limit=25, offset=0)
    assert table["eac"].to_list() != pytest.approx(config_eac["eac"].to_list())


def test_a_filter_matching_nothing_says_so(app_env):
    at = open_page(HEALTH, portfolio="Digital Channels", program="HR Systems")
    assert any("No active project matches" in i.value for i in at.info)
    assert not at.metric


def test_project_page_from_the_url(app_env, sample_con):
    at = open_page(PROJECT, project="PRJ-1012")
    facts = query.run(sample_con, "project_facts", project_id="PRJ-1012", as_of=None, eac_method=None).row(0, named=True)
    assert at.title[0].value == f"{safe.md('PRJ-1012')} · {safe.md(facts['project_name'])}"   # escaped Markdown
    shown = metrics(at)
    assert shown["CPI"] == fmt.text("cpi", facts["cpi"]) and shown["SPI"] == fmt.text("spi", facts["spi"])
    assert shown["BAC"] == fmt.money(facts["bac"])
    assert shown["EAC (earned value)"] == fmt.money(facts["eac"])
    captions = [c.value for c in at.caption]
    for reason in (facts["schedule_reason"], facts["cost_reason"]):
        assert any(safe.md(reason) in c for c in captions), reason
    evm = at.table[0].value
    assert "CPI — cost performance index" in evm["Measure"].to_list()
    assert len(at.get("vega_lite_chart")) == 1                       # the S-curve
    for column in ("milestone_status", "reported_scope_health", "exposure_score", "commitment"):   # exposure_score: the RAID tab
        assert len(frame_with(at, column)), column


def test_project_page_at_a_past_status_date(app_env, sample_con):
    at = open_page(PROJECT, project="PRJ-1004", as_of="2026-07-31")
    facts = query.run(sample_con, "project_facts", project_id="PRJ-1004", as_of=date(2026, 7, 31),
                    eac_method=None).row(0, named=True)
    assert facts["status_date"] == date(2026, 7, 31)
    assert any("Status date 31 Jul 2026" in c.value for c in at.caption)
    assert metrics(at)["CPI"] == fmt.text("cpi", facts["cpi"])
    history = frame_with(at, "reported_scope_health")
    assert max(history["as_of"]).date() == date(2026, 7, 31) and len(history) == 2
    # a project that had not reported yet at that date says so instead of failing
    at = open_page(PROJECT, project="PRJ-1040", as_of="2026-06-26")
    assert any("had no status report on or before" in i.value for i in at.info)


def test_project_page_with_an_unknown_or_no_id(app_env):
    at = open_page(PROJECT, project="PRJ-9999")
    assert any("no project 'PRJ-9999'" in w.value for w in at.warning)
    assert at.selectbox(key="project_pick").value is None
    assert any("Choose a project" in i.value for i in at.info)
    at = open_page(PROJECT)
    assert any("Choose a project" in i.value for i in at.info)
    at.selectbox(key="project_pick").select("PRJ-1001").run()
    assert at.title[0].value.startswith(f"{safe.md('PRJ-1001')} · ")


def test_bad_health_config_is_reported_not_raised(sample_store_copy, monkeypatch):
    (sample_store_copy / "config.toml").write_text('[health]\nindex_red = 0.99\n')
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_copy))
    monkeypatch.chdir(ROOT)
    at = open_page(HEALTH)
    assert any("index_red (0.99) is above index_amber" in re.sub(r"\\(.)", r"\1", w.value) for w in at.warning)
    assert metrics(at)["Active projects"]


def test_filters_narrow_each_other_and_say_by_how_much(app_env, sample_con):
    """A portfolio in the link: Department offers only that portfolio's departments, and its label
    counts them against all departments."""
    at = open_page(HEALTH, portfolio="Digital Channels")
    every = sample_con.execute("select distinct department from projects where department is not null").fetchall()
    mine = sample_con.execute("select distinct department from projects where portfolio = 'Digital Channels' "
                              "and department is not null order by 1").fetchall()
    assert 1 <= len(mine) < len(every)
    box = at.selectbox(key="department")
    assert list(box.options) == [d for (d,) in mine]
    assert box.label == f"Department ({len(mine)} of {len(every)} in Digital Channels)"
    assert at.selectbox(key="portfolio").label == "Portfolio"          # its own choice does not narrow it
