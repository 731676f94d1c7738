"""The Capacity page under AppTest: on the sample store its KPIs are the query's figures and a
shared filter changes them; on the hand-made store of tests/test_capacity.py every KPI is a
hand-worked number; a role limited to one portfolio sees only the people and hours of its projects,
without names; an empty store says what to load."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import ROOT, use_store
from helpers.app import metrics as kpis
from helpers.app import open_page, plain
from helpers.canonical import make_store
from streamlit.testing.v1 import AppTest
from test_capacity import PROJECTS
from test_resources import ALLOCATIONS, CAPACITY, TIME

from pmo import capacity, query
from pmo import metrics as fmt
from pmo.auth import Scope
from pmo.store import Store

pytestmark = pytest.mark.app

PAGE = "pages/10_Capacity.py"

ALL = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
NOV = {"period": "week", "cap_from": "2026-11-02", "cap_to": "2026-11-23"}


def run(**query_params) -> AppTest:
    """The page as the menu opens it, with `query_params` as the link's query string."""
    return open_page(PAGE, **query_params)


def shown_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [str(c.proto.spec) for c in at.get("vega_lite_chart")]
    return "\n".join(parts)


def assert_kpis(shown: dict, t: dict) -> None:
    for name in ("capacity_hours", "forecast_hours", "utilisation", "over_allocated_people", "unstaffed_hours",
                 "bench_hours", "planned_to_date_hours", "actual_hours", "actual_vs_planned",
                 "unknown_capacity_people"):
        assert shown[fmt.label(name)] == fmt.text(name, t[name]), name


# ---------------------------------------------------------------------------------------------
# The sample store
# ---------------------------------------------------------------------------------------------

@pytest.fixture()
def sample_env(sample_store_dir, monkeypatch):
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_dir))
    monkeypatch.delenv("PMO_ROLE", raising=False)
    monkeypatch.chdir(ROOT)
    return sample_store_dir


def sample_totals(con, **filters) -> dict:
    people = query.run(con, "capacity_people", bucket="month", start_date=date(2026, 10, 1),
                       end_date=date(2027, 1, 1), **{**ALL, **filters})
    return capacity.totals(people, capacity.Settings())


def test_sample_kpis_are_the_query_figures_and_a_filter_changes_them(sample_env, sample_con):
    window = {"period": "month", "cap_from": "2026-10-01", "cap_to": "2027-01-01"}
    at = run(**window)
    everyone = sample_totals(sample_con)
    assert_kpis(kpis(at), everyone)
    # the sample's story: a few over-allocated project managers, one short role
    assert everyone["over_allocated_people"] >= 3 and everyone["unstaffed_hours"] > 0
    assert "Scrum Master" in " ".join(m.value for m in at.markdown if m.value.startswith("**Short:**"))
    assert "Lukas Weber" in shown_text(at)                              # admin sees names

    portfolio = sample_con.execute("select portfolio from projects where project_id = 'PRJ-1018'").fetchall()[0][0]
    at = run(**window, portfolio=portfolio)
    narrowed = sample_totals(sample_con, portfolio=portfolio)
    assert_kpis(kpis(at), narrowed)
    assert narrowed["capacity_hours"] < everyone["capacity_hours"]


# ---------------------------------------------------------------------------------------------
# The hand-made store
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hand_store(tmp_path_factory):
    root = tmp_path_factory.mktemp("capacity-app") / "store"
    make_store(root, {"capacity": CAPACITY, "allocations": ALLOCATIONS, "time_entries": TIME,
                      "projects": PROJECTS})
    (root / "config").mkdir()
    (root / "config" / "roles.toml").write_text(
        '[auth]\nrequired = false\n\n[roles.beta-viewer]\nlevel = "viewer"\nportfolios = ["Beta"]\n')
    return root


@pytest.fixture()
def hand_env(hand_store, monkeypatch):
    use_store(monkeypatch, hand_store)
    return hand_store


def test_hand_made_store_kpis_are_the_hand_worked_numbers(hand_env):
    at = run(**NOV)
    k = kpis(at)
    # capacity: Ana 8+40+40+40, Ben 40+32+40+32, Karl 160, team T 140 x 4, Sam 160, Ivy 40
    assert k["Capacity (h)"] == "1,192 h"
    # demand: Ana 22 + 40, Ben 4 + 40, Karl 40, Sam 30, Ivy 10 (Tomás has no capacity: apart)
    assert k["Demand (forecast, h)"] == "186 h"
    assert k["Utilisation"] == fmt.pct(186 / 1192)
    assert k["Over-allocated people"] == "2"                             # Ana in W1, Ben in W4
    assert k["Unstaffed demand (h)"] == "20 h"                           # the Scrum Master placeholder
    assert k["People without capacity"] == "1"                           # Tomás Ortega
    assert k["Actual hours"] == "18 h"                                   # 6 + 8 + 4
    assert k["Planned to date (h)"] == "24 h"                            # Ana, 8 h on Mon-Wed 2-4 Nov
    over = next(d.value for d in at.dataframe if "hours_over" in d.value.columns and "bucket_start" in d.value.columns)
    assert over["person_name"].tolist() == ["Ana Silva", "Ben Cho"]
    assert over["hours_over"].tolist() == [14, 8]
    assert over["reason"].tolist()[1] == "Booked 40.0 h on 32.0 h of capacity (8.0 h over): P2 Beacon 40.0 h"

    at = run(**NOV, portfolio="Beta")
    k = kpis(at)
    assert k["Capacity (h)"] == "304 h"                                  # Ben 144 + Karl 160, the people on P2
    assert k["Demand (forecast, h)"] == "84 h"
    assert k["Over-allocated people"] == "1"


def test_a_role_limited_to_one_portfolio_sees_its_projects_hours_without_names(hand_env, monkeypatch):
    monkeypatch.setenv("PMO_ROLE", "beta-viewer")
    at = run(**NOV)
    rt = query.connect(Store(hand_env), scope=Scope(portfolios=("Beta",)))
    people = query.run(rt.con, "capacity_people", bucket="week", start_date=date(2026, 11, 2),
                       end_date=date(2026, 11, 23), **ALL)
    t = capacity.totals(people, capacity.Settings())
    assert_kpis(kpis(at), t)
    # only P2's rows: Karl's 40 and Ben's 44 booked hours; no capacity (HR rows follow the salary rule).
    # Ben's rows name him by employee id only, which without the HR rows names nobody: his bookings
    # count as unnamed demand and his 4 logged hours (no person) are not on the page
    assert t["capacity_hours"] == 0 and t["actual_hours"] == 0
    assert float(people["forecast_hours"].sum()) == 84 and t["unstaffed_hours"] == 44
    text = shown_text(at)
    for name in ("Ana Silva", "Ben Cho", "Karl Meyer", "Tomás Ortega", "Sam Lee", "Apollo", "Comet"):
        assert name not in text, name
    assert any("Names are hidden for the role 'beta-viewer'" in plain(i.value) for i in at.info)
    assert any("No capacity is known" in w.value for w in at.warning)


def test_an_empty_store_says_what_to_load(tmp_path, monkeypatch):
    root = tmp_path / "store"
    make_store(root, {"projects": PROJECTS})
    monkeypatch.setenv("PMO_DATA_DIR", str(root))
    monkeypatch.delenv("PMO_ROLE", raising=False)
    monkeypatch.chdir(ROOT)
    at = run()
    assert any("No timesheets or allocations are loaded" in i.value and "Harvest" in i.value for i in at.info)
    assert not at.metric


def test_the_project_page_lists_the_projects_people_and_hours(hand_env):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180).run()
    at.switch_page("pages/6_Project.py")
    at.query_params["project"] = "P2"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    crew = next(d.value for d in at.dataframe if "remaining_hours" in d.value.columns)
    rows = {r["person_name"]: r for r in crew.to_dict("records")}
    # Ben: 50% of his 32 h Thanksgiving week = 16 h + 24 h on Thanksgiving; 4 h logged on Wed 4 Nov
    assert (rows["Ben Cho"]["planned_hours"], rows["Ben Cho"]["actual_hours"]) == (40, 4)
    assert (rows["Karl Meyer"]["planned_hours"], rows["Karl Meyer"]["remaining_hours"]) == (40, 40)
    assert set(rows) == {"Ben Cho", "Karl Meyer"}
