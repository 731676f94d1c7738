"""The Capacity page's figures (pmo/capacity.py) on hand-worked frames, and its queries
(queries/capacity_people.sql, capacity_project_demand.sql) on the hand-made store of
tests/test_resources.py, where every figure is known:

    weeks W1 2 Nov .. W4 23 Nov 2026; timesheets to Wed 4 Nov (actuals_through)
    E1 Ana Silva    W1 capacity 8 (32 h leave), forecast 22 (6 logged + 16 planned): over by 14
    E2 Ben Cho      W4 capacity 32 (Thanksgiving, New York), 40 booked on P2: over by 8; 4 h logged in W1 on P2;
                    W2 capacity 32 too (Veterans Day)
    E3 Karl Meyer   W4 40 booked on P2 on 40: full, not over
    Team T          three at 40 h and one at FTE 0.5: 140 h a week
    Agile           Sam Lee 30 / 40, Ivy Tan 10 / 10 in W2 on P3, a placeholder Scrum Master 20 h on P3
    Tomás Ortega    8 h logged on P1, not in HR: no capacity known
Projects: P1 and P3 in portfolio Alpha, P2 in Beta.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from helpers.canonical import connect
from test_resources import ALLOCATIONS, CAPACITY, MON, TIME, W1, W2, W4

from pmo import capacity as c
from pmo import query

S = c.Settings()
ALL = {"portfolio": None, "program": None, "department": None, "manager": None, "stage": None}
PROJECTS = [
    {"project_id": "P1", "project_name": "Apollo", "portfolio": "Alpha"},
    {"project_id": "P2", "project_name": "Beacon", "portfolio": "Beta"},
    {"project_id": "P3", "project_name": "Comet", "portfolio": "Alpha"},
]


def person_row(pid, capacity_hours, forecast_hours, *, bucket=W1, role="Developer", team=None, known=True,
               placeholder=False, planned=None, actual=0.0, planned_to_date=0.0, name=None, selected=None):
    return {"bucket_start": bucket, "bucket_end": bucket + timedelta(days=6), "person_id": pid,
            "person_name": name or pid, "employee_id": pid, "role": role, "team": team, "department": None,
            "location": None, "is_placeholder": placeholder, "capacity_known": known,
            "capacity_hours": capacity_hours, "planned_hours": forecast_hours if planned is None else planned,
            "actual_hours": actual, "forecast_hours": forecast_hours,
            "selected_forecast_hours": forecast_hours if selected is None else selected,
            "planned_to_date_hours": planned_to_date, "actual_cost": None, "unpriced_hours": 0.0,
            "under_contract": known, "actuals_through": W1 + timedelta(days=2)}


def frame(*rows) -> pl.DataFrame:
    return pl.DataFrame(list(rows), infer_schema_length=None)


# ---------------------------------------------------------------------------------------------
# Rules per row and per group
# ---------------------------------------------------------------------------------------------

def test_bands_and_over_allocation_strictly_above_capacity():
    rows = c.with_rules(frame(
        person_row("over", 80, 100), person_row("full", 40, 40), person_row("low", 40, 20),
        person_row("edge", 40, 28), person_row("bench", 40, 0), person_row("leave", 0, 8),
        person_row("unknown", 0, 8, known=False)), S).sort("person_id")
    got = {r["person_id"]: (r["utilisation"], r["is_over_allocated"], r["utilisation_band"])
           for r in rows.iter_rows(named=True)}
    assert got == {"over": (1.25, True, "over-allocated"),            # 100 on 80 = 125%
                   "full": (1.0, False, "healthy"),                   # 40 on 40 is full, not over
                   "low": (0.5, False, "under-used"),
                   "edge": (0.7, False, "healthy"),                   # exactly at the 70% threshold
                   "bench": (0.0, False, "bench"),
                   "leave": (None, True, "no capacity"),               # booked while on leave
                   "unknown": (None, None, "no capacity")}             # not judged
    notes = dict(rows.select("person_id", "utilisation_note").iter_rows())
    assert notes["leave"] == "no working time in this period (leave, public holidays or non-working days)"
    assert notes["unknown"] == "no capacity known: not in the HR export nor in a capacity export"
    assert notes["over"] is None
    assert rows.filter(pl.col("person_id") == "over")["availability_hours"].item() == -20


def test_group_utilisation_is_the_ratio_of_sums_and_team_of_three_and_a_half_has_140_hours():
    people = frame(person_row("a", 40, 30, team="Agile"), person_row("b", 10, 10, team="Agile"),
                   *(person_row(f"t{i}", 40, 40, team="T") for i in range(3)), person_row("h", 20, 20, team="T"))
    teams = {r["team"]: r for r in c.group_summary(people, "team", S).iter_rows(named=True)}
    assert teams["Agile"]["utilisation"] == 0.8                       # not (75% + 100%) / 2 = 87.5%
    assert teams["T"]["capacity_hours"] == 140 and teams["T"]["people_count"] == 4
    t = c.totals(people.filter(pl.col("team") == "Agile"), S)
    assert t["utilisation"] == 0.8 and t["capacity_hours"] == 50 and t["over_allocated_people"] == 0


def test_totals_count_over_allocated_people_hours_over_unstaffed_and_bench():
    people = frame(
        person_row("a", 8, 22, bucket=W1), person_row("a", 40, 40, bucket=W2),
        person_row("b", 32, 40, bucket=W1), person_row("b", 40, 44, bucket=W2),
        person_row("idle", 40, 0, bucket=W1), person_row("idle", 40, 10, bucket=W2),
        person_row("x", 0, 8, known=False),
        person_row(None, 0, 20, role="Scrum Master", placeholder=True, known=False))
    t = c.totals(people, S)
    assert t["capacity_hours"] == 8 + 40 + 32 + 40 + 40 + 40
    assert t["forecast_hours"] == 22 + 40 + 40 + 44 + 0 + 10           # known capacity only
    assert t["over_allocated_people"] == 2
    assert t["hours_over"] == 14 + 8 + 4
    assert t["unstaffed_hours"] == 20
    assert (t["bench_people"], t["bench_hours"]) == (1, 70)           # idle: 10 on 80 = 12.5%
    assert (t["unknown_capacity_people"], t["unknown_capacity_hours"]) == (1, 8)
    per = c.person_summary(people, S)
    assert per["person_id"].to_list()[:2] == ["a", "b"]                 # worst first: 14 h over beats 12 h over two weeks
    a = per.row(0, named=True)
    assert (a["over_periods"], a["hours_over"], a["utilisation"]) == (1, 14, 62 / 48)
    assert a["reason"] == "over capacity in 1 period, 14.0 h over in total"
    idle = per.filter(pl.col("person_id") == "idle").row(0, named=True)
    assert idle["utilisation_band"] == "under-used" and idle["reason"] == "12% booked, below 70%: 70.0 h free"


def test_over_allocation_reason_names_the_projects_and_hours_over():
    people = frame(person_row("a", 40, 54), person_row("b", 40, 30), person_row("c", 0, 6))
    projects = pl.DataFrame([
        {"bucket_start": W1, "person_id": "a", "is_placeholder": False, "role": None, "project_id": "P2",
         "project_name": "Beacon", "is_selected": True, "forecast_hours": 24.0},
        {"bucket_start": W1, "person_id": "a", "is_placeholder": False, "role": None, "project_id": "P1",
         "project_name": "Apollo", "is_selected": False, "forecast_hours": 30.0},
        {"bucket_start": W1, "person_id": "c", "is_placeholder": False, "role": None, "project_id": None,
         "project_name": None, "is_selected": True, "forecast_hours": 6.0},
    ])
    over = c.over_allocations(people, projects, S)
    assert over["person_id"].to_list() == ["a", "c"]
    assert over["hours_over"].to_list() == [14, 6]
    assert over["reason"][0] == "Booked 54.0 h on 40.0 h of capacity (14.0 h over): P1 Apollo 30.0 h, P2 Beacon 24.0 h"
    assert over["reason"][1] == ("Booked 6.0 h on 0.0 h of capacity (6.0 h over; no working time in this period "
                                 "(leave, public holidays or non-working days)): (no project) 6.0 h")


def test_role_deficit_counts_placeholders_per_quarter():
    months = frame(
        person_row("sam", 160, 120, bucket=date(2027, 1, 1), role="Scrum Master"),
        person_row("ivy", 40, 40, bucket=date(2027, 2, 1), role="Scrum Master"),
        person_row(None, 0, 80, bucket=date(2027, 3, 1), role="Scrum Master", placeholder=True, known=False),
        person_row("pm", 160, 100, bucket=date(2027, 4, 1), role="Project Manager"))
    d = {(r["role"], r["quarter"]): r for r in c.role_deficit(months).iter_rows(named=True)}
    sm = d[("Scrum Master", "Q1 2027")]
    assert (sm["demand_hours"], sm["capacity_hours"], sm["deficit_hours"], sm["unstaffed_hours"]) == (240, 200, 40, 80)
    assert sm["reason"] == "short: 240.0 h of demand (80.0 h unstaffed) on 200.0 h of capacity"
    assert d[("Project Manager", "Q2 2027")]["deficit_hours"] == -60 and d[("Project Manager", "Q2 2027")]["reason"] is None
    assert c.role_deficit(months)["role"][0] == "Scrum Master"          # short first


def test_planned_vs_actual_and_unstaffed_per_project():
    projects = pl.DataFrame([
        {"bucket_start": W1, "person_id": "a", "is_placeholder": False, "role": None, "project_id": "P1",
         "project_name": "Apollo", "is_selected": True, "planned_hours": 40.0, "actual_hours": 30.0,
         "forecast_hours": 30.0, "planned_to_date_hours": 24.0},
        {"bucket_start": W2, "person_id": "b", "is_placeholder": False, "role": None, "project_id": "P1",
         "project_name": "Apollo", "is_selected": True, "planned_hours": 10.0, "actual_hours": 0.0,
         "forecast_hours": 10.0, "planned_to_date_hours": 0.0},
        {"bucket_start": W2, "person_id": None, "is_placeholder": True, "role": "Scrum Master", "project_id": "P3",
         "project_name": "Comet", "is_selected": True, "planned_hours": 20.0, "actual_hours": 0.0,
         "forecast_hours": 20.0, "planned_to_date_hours": 0.0},
    ])
    pva = c.planned_vs_actual(projects).row(0, named=True)
    assert (pva["project_id"], pva["planned_to_date_hours"], pva["actual_hours"], pva["hours_difference"],
            pva["actual_vs_planned"], pva["people_count"]) == ("P1", 24, 30, 6, 1.25, 1)
    u = c.unstaffed(projects).row(0, named=True)
    assert (u["role"], u["project_id"], u["unstaffed_hours"], u["first_bucket"]) == ("Scrum Master", "P3", 20, W2)


def test_periods_window_quarters_and_names():
    assert c.period_label(date(2026, 11, 23), "week") == "W48 2026 (23 Nov)"
    assert c.period_label(date(2026, 11, 1), "month") == "Nov 2026"
    weeks = [date(2026, 1, 5) + timedelta(weeks=i) for i in range(60)]
    assert c.default_window(weeks, date(2026, 6, 10), "week") == (date(2026, 4, 13), date(2026, 8, 31))
    assert c.default_window(weeks, date(2030, 1, 1), "week") == (weeks[0], weeks[-1])   # as-of past the data
    months = [date(2026, m, 1) for m in range(1, 13)]
    assert c.default_window(months, date(2026, 11, 20), "month") == (date(2026, 9, 1), date(2026, 12, 1))
    assert c.next_quarters(date(2026, 12, 7)) == (date(2027, 1, 1), date(2027, 6, 30))
    s, problems = c.Settings.from_config({"resources": {"under_used_below": 7, "show_names_to": "viewer"}})
    assert s == c.Settings() and len(problems) == 2
    s, _ = c.Settings.from_config({"salaries": {"show_individuals_to": ["finance-viewer"]}})
    assert c.may_see_names(s, "finance-viewer", "viewer") and not c.may_see_names(s, "other", "viewer")
    assert c.may_see_names(c.Settings(), "x", "analyst") and not c.may_see_names(c.Settings(), "x", "viewer")
    people = frame(person_row("E9", 40, 0, role="Scrum Master", name="Ivy Tan"),
                   person_row("E8", 40, 0, role="Scrum Master", name="Sam Lee"))
    hidden = c.hide_names(people, c.pseudonyms(people))
    assert dict(hidden.select("person_id", "person_name").iter_rows()) == {"E8": "Scrum Master 1", "E9": "Scrum Master 2"}
    assert hidden["employee_id"].null_count() == 2 and hidden["location"].null_count() == 2


# ---------------------------------------------------------------------------------------------
# The queries on the hand-made store
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def con(tmp_path_factory):
    return connect(tmp_path_factory.mktemp("capacity") / "store",
                   {"capacity": CAPACITY, "allocations": ALLOCATIONS, "time_entries": TIME, "projects": PROJECTS})


def people_q(con, bucket="week", start=W1, end=W4, **filters):
    return query.run(con, "capacity_people", bucket=bucket, start_date=start, end_date=end, **{**ALL, **filters})


def projects_q(con, bucket="week", start=W1, end=W4, **filters):
    return query.run(con, "capacity_project_demand", bucket=bucket, start_date=start, end_date=end,
                     **{**ALL, **filters})


def test_capacity_people_by_week_equals_the_view(con):
    got = people_q(con).filter(~pl.col("is_placeholder")).select(
        "bucket_start", "person_id", "capacity_hours", "planned_hours", "actual_hours", "forecast_hours")
    view = con.sql("select bucket_start, person_id, capacity_hours, planned_hours, actual_hours, forecast_hours "
                   "from resource_utilisation where not is_placeholder").pl()
    assert got.sort("bucket_start", "person_id").equals(view.sort("bucket_start", "person_id"))
    ana = people_q(con).filter((pl.col("person_id") == "E1") & (pl.col("bucket_start") == W1)).row(0, named=True)
    assert (ana["capacity_hours"], ana["forecast_hours"], ana["actual_hours"], ana["planned_to_date_hours"]) == (8, 22, 6, 24)
    t = c.totals(people_q(con), S)
    # capacity: E1 8+40+40+40, E2 40+32+40+32 (Veterans Day, Thanksgiving), E3 160, team T 140 x 4 weeks,
    # E8 160, E9 40
    assert t["capacity_hours"] == 128 + 144 + 160 + 560 + 160 + 40
    assert t["forecast_hours"] == (22 + 40) + (4 + 40) + 40 + 30 + 10
    assert (t["over_allocated_people"], t["hours_over"], t["unstaffed_hours"]) == (2, 14 + 8, 20)
    assert (t["unknown_capacity_people"], t["unknown_capacity_hours"]) == (1, 8)


def test_capacity_people_by_month_totals_the_days_of_the_month(con):
    nov = people_q(con, "month", date(2026, 11, 1), date(2026, 11, 1))
    ana = nov.filter(pl.col("person_id") == "E1").row(0, named=True)
    # November 2026: 21 working days (2-30 Nov) x 8 h = 168, less 32 h of leave
    assert (ana["bucket_end"], ana["capacity_hours"], ana["planned_hours"]) == (date(2026, 11, 30), 136, 80)
    ben = nov.filter(pl.col("person_id") == "E2").row(0, named=True)
    assert ben["capacity_hours"] == 168 - 16 and ben["forecast_hours"] == 44      # Veterans Day, Thanksgiving
    # a month hides the weeks: Ben is 40 on 32 in W4 and Ana 22 on 8 in W1, but over November Ben is 44 on
    # 152 and Ana 62 on 136: nobody is over-allocated by the month
    assert c.over_allocations(nov, projects_q(con, "month", date(2026, 11, 1), date(2026, 11, 1)), S).is_empty()
    assert c.over_allocations(people_q(con), projects_q(con), S)["person_id"].to_list() == ["E1", "E2"]


def test_a_project_filter_lists_the_people_on_those_projects_judged_on_all_their_work(con):
    beta = people_q(con, portfolio="Beta")
    assert set(beta["person_id"].drop_nulls()) == {"E2", "E3"} and not beta["is_placeholder"].any()
    ben = beta.filter((pl.col("person_id") == "E2") & (pl.col("bucket_start") == W4)).row(0, named=True)
    assert (ben["capacity_hours"], ben["forecast_hours"], ben["selected_forecast_hours"]) == (32, 40, 40)
    alpha = people_q(con, portfolio="Alpha")
    assert set(alpha["person_id"].drop_nulls()) == {"E1", "E8", "E9", "name:tomas ortega"}
    assert alpha.filter(pl.col("is_placeholder"))["forecast_hours"].sum() == 20
    demand = projects_q(con, portfolio="Beta")
    assert set(demand["project_id"]) == {"P2"} and demand["forecast_hours"].sum() == 84
    w2 = projects_q(con).filter(pl.col("is_placeholder"))
    assert w2.select("bucket_start", "role", "project_id", "forecast_hours").rows() == [(W2, "Scrum Master", "P3", 20.0)]


def test_planned_against_actual_stops_at_the_last_logged_day(con):
    pva = {r["project_id"]: r for r in c.planned_vs_actual(projects_q(con)).iter_rows(named=True)}
    # timesheets to Wed 4 Nov: Ana planned 8 h x 3 days on P1, logged 6; Tomás logged 8 on P1 unplanned
    assert (pva["P1"]["planned_to_date_hours"], pva["P1"]["actual_hours"]) == (24, 14)
    assert (pva["P2"]["planned_to_date_hours"], pva["P2"]["actual_hours"]) == (0, 4)
    assert "P3" not in pva
    periods = query.run(con, "capacity_periods", bucket="week")
    assert periods["bucket_start"].to_list() == [W1, W2, W2 + timedelta(weeks=1), W4]
    assert periods["actuals_through"][0] == MON + timedelta(days=2)
