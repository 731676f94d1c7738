"""The RAID page's logic (pmo/raid.py) and its queries (raid_items_at and the page queries) on
hand-worked inputs: heat-map cells, flag reasons, ageing, issue priorities, assumptions due,
dependency states, the graph layout, the critical-risk line, and the register as known at a
past date (tests/helpers/raid_store.py has the story and every expected figure)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pmo import query, raid
from pmo.auth import HIDDEN_PROJECT, Scope
from pmo.store import Store

from helpers import raid_store

LIMITS = {"band_low_max": 4, "band_medium_max": 9, "band_high_max": 15}
ALL = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}


# ---- pure logic ---------------------------------------------------------------------------------

def test_band_edges_and_ranges():
    assert [raid.band(e, LIMITS) for e in (None, 1, 4, 5, 9, 10, 15, 16, 25)] == [
        None, "low", "low", "medium", "medium", "high", "high", "critical", "critical"]
    assert raid.band_ranges(LIMITS) == {"low": "1-4", "medium": "5-9", "high": "10-15", "critical": "16-25"}
    assert raid.band(9, {"band_low_max": 2, "band_medium_max": 6, "band_high_max": 8}) == "critical"


def frame(rows: list[dict]) -> pl.DataFrame:
    base = {"project_id": "P1", "item_id": None, "kind": "risk", "is_open": True, "probability_score": None,
            "impact_score": None, "exposure_score": None, "ageing_bucket": None, "priority": None,
            "days_to_due": None, "due_date": None, "age_days": None, "flag_count": 0, "flag_overdue": False,
            "flag_no_owner": False, "flag_not_updated": False}
    return pl.DataFrame([{**base, **r} for r in rows], infer_schema_length=None)


def test_heat_cells_count_open_risks_only_and_keep_all_25():
    items = frame([
        dict(item_id="a", probability_score=5, impact_score=5, exposure_score=25),
        dict(item_id="b", probability_score=5, impact_score=5, exposure_score=25),
        dict(item_id="c", probability_score=2, impact_score=3, exposure_score=6),
        dict(item_id="d", probability_score=2, impact_score=3, exposure_score=6, is_open=False),   # closed
        dict(item_id="e", kind="dependency", probability_score=2, impact_score=3, exposure_score=6),
        dict(item_id="f"),                                                                        # unscored
    ])
    cells = raid.heat_cells(items, LIMITS)
    assert cells.height == 25 and cells["heat_cell_count"].sum() == 3
    got = {(r["probability_score"], r["impact_score"]): (r["heat_cell_count"], r["exposure_band"])
           for r in cells.iter_rows(named=True)}
    assert got[(5, 5)] == (2, "critical") and got[(2, 3)] == (1, "medium") and got[(1, 4)] == (0, "low")
    assert got[(2, 5)] == (0, "high") and got[(4, 4)] == (0, "critical")
    assert raid.in_cell(items, (5, 5))["item_id"].to_list() == ["a", "b"]
    assert raid.unscored_open_risks(items) == 1


@pytest.mark.parametrize("text, cell", [("4-5", (4, 5)), ("1-1", (1, 1)), ("0-5", None), ("6-1", None),
                                        ("4_5", None), ("", None), (None, None), ("4-5-1", None)])
def test_cell_codes_from_the_url(text, cell):
    assert raid.parse_cell(text) == cell
    if cell:
        assert raid.cell_code(*cell) == text


def test_flag_reasons_say_which_flag_and_the_dates():
    row = dict(flag_overdue=True, flag_no_owner=True, flag_not_updated=True, days_to_due=-6,
               due_date=date(2026, 10, 25), judged_at=date(2026, 10, 31), updated_date=date(2026, 9, 25),
               created_date=date(2026, 9, 1))
    assert raid.flag_reason(row, 30) == (
        "Mitigation overdue: due 25 Oct 2026, 6 days before 31 Oct 2026; No owner; "
        "Not updated for 36 days (last update 25 Sep 2026; limit 30)")
    never = dict(flag_not_updated=True, judged_at=date(2026, 10, 31), created_date=date(2026, 9, 1))
    assert raid.flag_reason(never, 30) == "Not updated for 60 days (raised, never updated 1 Sep 2026; limit 30)"
    assert raid.flag_reason({}, 30) == ""


def test_ageing_counts_every_bucket_and_kind():
    items = frame([dict(item_id="a", ageing_bucket="0-30"), dict(item_id="b", ageing_bucket="over 90"),
                   dict(item_id="c", kind="issue", ageing_bucket="over 90"),
                   dict(item_id="d", ageing_bucket="31-60", is_open=False),     # closed: not aged
                   dict(item_id="e")])                                           # no raised date
    counts = raid.ageing_counts(items, [30, 60, 90])
    assert counts.height == 16
    assert counts.group_by("ageing_bucket", maintain_order=True).agg(pl.col("items").sum()).rows() == [
        ("0-30", 1), ("31-60", 0), ("61-90", 0), ("over 90", 2)]
    assert raid.bucket_labels([14, 28, 56]) == ["0-14", "15-28", "29-56", "over 56"]


@pytest.mark.parametrize("priority, rank", [
    ("Highest", 1), ("1 - Critical", 1), ("P1", 1), ("Blocker", 1), ("High", 2), ("2 - High", 2), ("Major", 2),
    ("Medium", 3), ("3 - Moderate", 3), ("Low", 4), ("Minor", 4), ("Lowest", 5), ("Trivial", 5),
    ("(1) High", 2), ("(3) Low", 4), ("1", 1), ("4", 4), (None, 6), ("", 6), ("whenever", 6)])
def test_priority_ranks_across_tools(priority, rank):
    assert raid.priority_rank(priority) == rank


def test_issues_by_priority_and_assumptions_due():
    items = frame([
        dict(item_id="i1", kind="issue", priority="Low", ageing_bucket="0-30", age_days=3),
        dict(item_id="i2", kind="issue", priority="Highest", ageing_bucket="over 90", age_days=120),
        dict(item_id="i3", kind="issue", priority="Highest", ageing_bucket="over 90", age_days=100),
        dict(item_id="i4", kind="issue", ageing_bucket="31-60", age_days=40),
        dict(item_id="a1", kind="assumption", days_to_due=-3, due_date=date(2026, 10, 28)),
        dict(item_id="a2", kind="assumption", days_to_due=30),
        dict(item_id="a3", kind="assumption", days_to_due=31),                 # beyond the window
        dict(item_id="a4", kind="assumption"),                                 # no due date
        dict(item_id="a5", kind="assumption", days_to_due=-9, is_open=False),  # validated
    ])
    assert raid.issues_by_priority(items, [30, 60, 90]).rows() == [
        ("Highest", 1, "over 90", 2), ("Low", 4, "0-30", 1), (raid.NO_PRIORITY, 6, "31-60", 1)]
    assert raid.open_issues(items)["item_id"].to_list() == ["i2", "i3", "i1", "i4"]
    due = raid.assumptions_due(items)
    assert due["item_id"].to_list() == ["a1", "a2"]
    assert raid.validation_reason(due.row(0, named=True)) == "Validation overdue by 3 days (due 28 Oct 2026)"


def test_dependency_states_and_reasons():
    at_risk = dict(project_id="P1", item_id="D1", blocker_project_id="P2", blocker_id=None, is_blocked=True,
                   is_at_risk=True, blocker_due=date(2027, 1, 31), dependent_start=date(2026, 12, 1),
                   blocker_slip_days=61)
    assert raid.dependency_state(at_risk) == ("at risk", "P2 (whole project) is due 31 Jan 2027, 61 days after "
                                                         "P1 D1 needs it (1 Dec 2026)")
    assert raid.dependency_state({**at_risk, "in_cycle": True})[0] == "data error"
    assert raid.dependency_state({**at_risk, "is_at_risk": False})[0] == "blocked"
    assert raid.dependency_state({**at_risk, "is_at_risk": False, "is_blocked": False})[0] == "clear"
    assert raid.dependency_state({**at_risk, "is_at_risk": False, "is_unresolved": True,
                                  "blocker_id": "ZZ-9"}) == (
        "not found", "The blocker 'ZZ-9' is in no project loaded (or none you may see)")


def test_graph_layout_places_projects_on_a_circle_and_points_arrows_at_the_blocked():
    links = pl.DataFrame([dict(project_id="P1", item_id="D1", blocker_project_id="P2", blocker_id=None),
                          dict(project_id="P1", item_id="D2", blocker_project_id="P2", blocker_id=None)])
    nodes, edges = raid.graph_layout(links, radius=1.0, spread=0.2)
    pos = {r["node"]: (round(r["x"], 6), round(r["y"], 6)) for r in nodes.iter_rows(named=True)}
    # P1 first at the top, P2 opposite; P1's two items on a 0.2 circle round its centre; P2 whole at its centre
    assert pos == {"P1/D1": (0.0, 1.2), "P1/D2": (0.0, 0.8), "P2/*": (0.0, -1.0)}
    first = edges.row(0, named=True)
    assert tuple(round(first[k], 6) + 0.0 for k in ("x", "y", "x2", "y2")) == (0.0, -1.0, 0.0, 1.2)
    assert round(first["ay"], 6) == 0.65 and round(first["angle"], 6) == 0.0     # pointing up, at P1
    assert round(edges.row(1, named=True)["angle"], 6) == 0.0


def test_critical_risk_line():
    row = dict(project_id="P2", critical_risk_count=3, top_risk_id="R3", top_risk_title="Regulator objects",
               top_risk_exposure=25)
    assert raid.critical_risk_reason(row) == "Critical risk R3 (exposure 25): Regulator objects and 2 more critical"
    assert raid.critical_risk_reason({**row, "critical_risk_count": 1}) == "Critical risk R3 (exposure 25): Regulator objects"
    assert raid.critical_risk_reason(None) == ""


# ---- the queries on the hand-made store ---------------------------------------------------------

@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    return query.connect(Store(raid_store.build(tmp_path_factory.mktemp("raid") / "s").root))


def register(rt, **params):
    df = rt.query("raid_register", **{**ALL, "as_of": None, **params})
    return {r["item_id"]: r for r in df.iter_rows(named=True)}


def test_register_at_the_newest_exports_equals_raid_items(rt):
    mine = rt.query("raid_register", **ALL, as_of=None).sort("item_id")
    view = rt.sql("select * from raid_items order by item_id")
    assert mine["exposure_score"].to_list() == view["exposure"].to_list()
    for col in ("is_open", "exposure_band", "age_days", "ageing_bucket", "flag_overdue", "flag_no_owner",
                "flag_not_updated", "days_to_due"):
        assert mine[col].to_list() == view[col].to_list(), col


def test_register_at_the_newest_exports(rt):
    items = register(rt)
    assert {k: (r["is_open"], r["exposure_score"], r["exposure_band"]) for k, r in items.items()} == {
        "R1": (False, 16, "critical"), "R2": (True, 9, "medium"), "R3": (True, 25, "critical"),
        "I1": (True, None, None), "A1": (True, None, None), "D1": (True, 12, "high")}
    assert (items["R3"]["flag_overdue"], items["R3"]["flag_no_owner"], items["R3"]["days_to_due"]) == (True, True, -6)
    assert (items["I1"]["age_days"], items["I1"]["ageing_bucket"], items["I1"]["flag_not_updated"]) == (41, "31-60", True)
    assert items["A1"]["days_to_due"] == 15 and items["A1"]["flag_count"] == 0
    assert {r["judged_at"] for r in items.values()} == {raid_store.OCT}


def test_register_as_known_at_a_past_date(rt):
    items = register(rt, as_of=raid_store.SEP)
    assert {k: (r["is_open"], r["exposure_score"], r["exposure_band"]) for k, r in items.items()} == {
        "R1": (True, 16, "critical"), "R2": (True, 4, "low"), "I1": (True, None, None)}
    assert items["R1"]["title"] == "Vendor slips"                   # words from the newest export
    assert items["I1"]["age_days"] == 10 and items["I1"]["updated_date"] == date(2026, 9, 25)
    assert items["R2"]["updated_date"] is None                      # updated 15 Oct: not known on 30 Sep
    assert items["R2"]["flag_not_updated"] is False                 # raised 10 Sep: 20 days


def test_filters_history_dependencies_and_critical_risks(rt):
    b = register(rt, portfolio="B")
    assert sorted(b) == ["I1", "R3"]
    trend = rt.query("raid_history_trend", **ALL, as_of=None)
    assert trend.select("as_of", "open_risks", "open_issues", "open_exposure", "critical_risks").rows() == [
        (raid_store.SEP, 2, 1, 20, 1), (raid_store.OCT, 2, 1, 34, 1)]
    assert rt.query("raid_history_trend", **ALL, as_of=raid_store.SEP).height == 1
    links = rt.query("raid_dependency_graph", **{**ALL, "portfolio": "B"}, as_of=None)   # P2 blocks P1
    assert links.select("project_id", "item_id", "blocker_project_id", "is_blocked", "is_at_risk",
                        "is_cross_project", "blocker_slip_days").rows() == [("P1", "D1", "P2", True, True, True, 61)]
    assert rt.query("raid_dependency_graph", **ALL, as_of=raid_store.SEP).is_empty()      # exported 31 Oct
    assert rt.query("raid_cycles", **ALL).is_empty()
    crit = rt.query("portfolio_critical_risks", **ALL, as_of=None)
    assert crit.rows() == [("P2", 1, "R3", "Regulator objects", 25)]
    assert rt.query("portfolio_critical_risks", **ALL, as_of=raid_store.SEP).rows() == [
        ("P1", 1, "R1", "Vendor slips", 16)]
    project = rt.query("project_raid", project_id="P1", as_of=None)
    assert project["item_id"].to_list() == ["D1", "R2", "A1", "R1"]   # open first, by exposure
    assert rt.query("project_dependencies", project_id="P2", as_of=None).height == 1


def test_a_role_limited_to_one_portfolio_sees_that_a_blocker_is_elsewhere_but_not_which(rt):
    """P2 (portfolio B) blocks P1's D1. A role limited to A sees the link, with the blocker's project
    and item hidden, on the page's query and in the raw table the SQL explorer reads."""
    scoped = query.connect(Store(rt.store.root), scope=Scope(portfolios=("A",)))
    links = raid.with_dependency_states(scoped.query("raid_dependency_graph", **ALL, as_of=None))
    assert links.select("project_id", "item_id", "blocker_project_id", "blocker_id", "blocker_title",
                        "blocker_project_name", "is_cross_project", "dependency_state").rows() == [
        ("P1", "D1", HIDDEN_PROJECT, None, None, None, True, "not found")]
    assert "outside your scope" in links["dependency_reason"][0] and "P2" not in links["dependency_reason"][0]
    raw = scoped.con.execute("select blocker_project_id, blocker_id from dependencies").fetchall()
    assert raw == [(HIDDEN_PROJECT, None)]
    # the unscoped connection still names it
    assert rt.query("raid_dependency_graph", **ALL, as_of=None)["blocker_project_id"].to_list() == ["P2"]
