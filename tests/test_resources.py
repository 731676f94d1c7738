"""Resources: the capacity and demand rules (pmo/resources.py) on hand-worked cases, and the
resource_utilisation view giving the same numbers on a hand-made store.

The store (bucket = ISO week; weeks W1 2 Nov, W2 9 Nov, W3 16 Nov, W4 23 Nov 2026; Thanksgiving is
Thu 26 Nov in the United States only; time entries run to Wed 4 Nov, so actuals_through = 4 Nov):

    E1 Ana Silva    Lisbon, 40 h   leave Mon-Thu of W1, 32 h -> W1 capacity 8
                    booked 8 h/day 2-13 Nov; logged Mon 2 Nov 6 h as "Silva, Ana" (Tempo style)
                    W1 forecast = actual Mon-Wed 6 + planned Thu-Fri 16 = 22 -> 275%, over-allocated
    E2 Ben Cho      New York, 40 h W4 capacity 32 (Thanksgiving); 50% of capacity in W4 = 16 h plus
                    24 h booked on Thanksgiving alone (no open day: kept on that day) -> 40 on 32 = 125%
                    logged 4 h on 4 Nov as employee id "e2" at 50 USD/h -> actual cost 200
    E3 Karl Meyer   London, 40 h   W4 capacity 40 (no US holiday in London); 40 h booked -> 100%,
                    exactly full is not over-allocated
    Team T          E4, E5, E6 at 40 h and E7 at FTE 0.5 of 40 h (no weekly hours given) -> 140 h a week
    Agile           E8 Sam Lee, Scrum Master, 40 h, 30 h booked in W2; E9 Ivy Tan, Scrum Master, 10 h,
                    10 h booked -> group utilisation 40/50 = 80% (the mean of 75% and 100% would be 87.5%)
                    a placeholder Scrum Master, 20 h in W2 -> role deficit (30+10+20) - 50 = 10 h
    Tomás Ortega    not in HR, logged 8 h on 3 Nov -> no capacity: utilisation NULL with the reason
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from helpers.canonical import connect

from pmo import resources as r
from pmo.resources import Contract, Person

MON = date(2026, 11, 2)
W1, W2, W3, W4 = (MON + timedelta(weeks=i) for i in range(4))
THANKSGIVING = date(2026, 11, 26)
US_HOLIDAYS = {"United States": {THANKSGIVING: 1.0}}


def week(start: date) -> list[date]:
    return [start + timedelta(days=i) for i in range(7)]


# ---------------------------------------------------------------------------------------------
# The rules, by hand
# ---------------------------------------------------------------------------------------------

def test_forty_hour_contract_with_32_hours_of_leave_gives_8_hours():
    c = Contract(40)
    leave = r.leave_hours_by_day(MON, MON + timedelta(days=3), c, hours=32)
    assert leave == {MON + timedelta(days=i): 8.0 for i in range(4)}
    assert r.capacity_over(week(W1), c, leave=leave) == 8.0


def test_leave_in_days_and_whole_days():
    c = Contract(37.5)
    assert r.leave_hours_by_day(MON, MON + timedelta(days=1), c, days=1) == {MON: 3.75, MON + timedelta(days=1): 3.75}
    assert r.leave_hours_by_day(MON, MON + timedelta(days=6), c) == {MON + timedelta(days=i): 7.5 for i in range(5)}


def test_hundred_hours_on_eighty_is_125_percent_and_over_allocated():
    assert r.utilisation(100, 80) == (1.25, None)
    assert r.is_over_allocated(100, 80) is True
    assert r.availability(80, 100) == -20


def test_exactly_full_is_not_over_allocated_and_zero_capacity_has_a_reason():
    assert r.is_over_allocated(40, 40) is False
    assert r.is_over_allocated(40.0000000001, 40) is False      # compared at 6 decimals
    assert r.utilisation(8, 0) == (None, r.NO_CAPACITY)


def test_team_of_three_at_100_and_one_at_50_percent_of_40_hours_has_140_hours():
    assert r.team_weekly_capacity([(1, 40), (1, 40), (1, 40), (0.5, 40)]) == 140
    people = [Contract(40), Contract(40), Contract(40), Contract(0.5 * 40)]
    assert sum(r.capacity_over(week(W2), c) for c in people) == 140


def test_public_holiday_removes_a_day_only_in_its_location():
    new_york = Contract(40, location="New York", country="United States")
    london = Contract(40, location="London", country="United Kingdom")
    assert r.capacity_over(week(W4), new_york, holidays=US_HOLIDAYS) == 32
    assert r.capacity_over(week(W4), london, holidays=US_HOLIDAYS) == 40
    # a city calendar adds to the country's (Frankfurt: Corpus Christi in Hessen only)
    frankfurt = Contract(40, location="Frankfurt", country="Germany")
    cal = {"frankfurt": {date(2026, 6, 4): 1.0}}
    assert r.day_capacity(date(2026, 6, 4), frankfurt, holidays=cal) == 0
    assert r.day_capacity(date(2026, 6, 4), Contract(40, location="Berlin", country="Germany"), holidays=cal) == 8


def test_group_utilisation_is_the_ratio_of_sums_not_the_mean_of_percentages():
    members = [(30, 40), (10, 10)]
    assert r.group_utilisation(members) == pytest.approx(0.8)
    assert sum(d / c for d, c in members) / 2 == pytest.approx(0.875)     # what it must not be
    assert r.group_utilisation([(5, 0)]) is None


def test_role_deficit_counts_placeholders():
    assert r.role_deficit({"Scrum Master": 30 + 10 + 20}, {"Scrum Master": 50, "Developer": 40}) == {
        "Developer": -40, "Scrum Master": 10}


def test_spreading_allocations():
    days = [W1 + timedelta(days=i) for i in range(5)]
    assert r.spread_allocation(W1, W1 + timedelta(days=4), hours=30, available=days) == {d: 6.0 for d in days}
    assert r.spread_allocation(W1, W1 + timedelta(days=6), hours_per_day=8, available=days) == {d: 8.0 for d in days}
    # no open day in the span: the total stays on its first day (no hour lost)
    assert r.spread_allocation(THANKSGIVING, THANKSGIVING, hours=24, available=[]) == {THANKSGIVING: 24}
    cap = {W4: 8.0, W4 + timedelta(days=3): 0.0, W4 + timedelta(days=4): 8.0}
    assert r.spread_allocation(W4, W4 + timedelta(days=4), allocation_pct=0.5, capacity=cap) == {
        W4: 4.0, W4 + timedelta(days=4): 4.0}


def test_forecast_is_actual_where_logged_and_planned_after():
    planned = {MON + timedelta(days=i): 8.0 for i in range(5)}
    actual = {MON: 6.0}
    f = r.forecast(actual, planned, actuals_through=MON + timedelta(days=2))
    assert f == {MON: 6.0, MON + timedelta(days=3): 8.0, MON + timedelta(days=4): 8.0}
    assert sum(f.values()) == 22
    assert r.forecast({}, planned, None) == planned


def test_buckets():
    assert r.bucket_start(THANKSGIVING) == W4
    assert r.bucket_start(THANKSGIVING, "month") == date(2026, 11, 1)
    assert r.by_bucket({W1: 2.0, W1 + timedelta(days=6): 3.0, W2: 1.0}) == {W1: 5.0, W2: 1.0}


def test_planned_vs_actual_and_cost():
    pva = r.planned_vs_actual([("P1", 80), ("P2", 10), ("P1", 20)], [("P1", 90), ("P3", 5)])
    assert pva == {"P1": {"planned": 100, "actual": 90, "difference": -10},
                   "P2": {"planned": 10, "actual": 0, "difference": -10},
                   "P3": {"planned": 0, "actual": 5, "difference": 5}}
    assert r.labour_cost([(4, 50.0), (8, None), (2, 60.0)]) == (320.0, 8)


def test_people_matched_by_employee_id_email_then_a_unique_name():
    hr = [Person("E1", "ana@x.com", "Ana Silva"), Person("E2", None, "Ben Cho"),
          Person("E3", None, "Li Wei"), Person("E4", None, "Wei, Li")]
    assert r.person_id(Person(employee_id=" e1 "), hr) == "E1"
    assert r.person_id(Person(email="ANA@x.com", name="A. Silva"), hr) == "E1"
    assert r.person_id(Person(name="Cho, Ben"), hr) == "E2"
    assert r.person_id(Person(name="Li Wei"), hr) == "name:li wei"          # two HR people share it
    assert r.person_id(Person(name="Tomás Ortega"), hr) == "name:tomas ortega"
    assert r.person_id(Person(email="x@y.com"), hr) == "email:x@y.com"
    assert r.person_id(Person(resource_id="712020:ab"), hr) == "id:712020:ab"
    assert r.name_key("Müller, Jonas") == "jonas muller" and r.name_key("Kevin O'Brien") == "kevin o brien"


def test_settings_fall_back_with_a_problem():
    s, problems = r.settings({"resources": {"working_days": ["Mon", "Tue", "Wed", "Thu"], "bucket": "quarter"}})
    assert s["working_days"] == [1, 2, 3, 4] and s["bucket"] == "week"
    assert problems == ['[resources] bucket = \'quarter\' must be "week" or "month"; week is used']


def test_default_holiday_calendar_is_read(tmp_path):
    df, problems = r.read_default_holidays(r.ROOT / "config" / "holidays.csv")
    assert problems == []
    us = df.filter(df["location_key"] == "united states")
    assert THANKSGIVING in us["holiday_date"].to_list()
    assert date(2026, 12, 28) in df.filter(df["location_key"] == "united kingdom")["holiday_date"].to_list()
    bad = tmp_path / "h.csv"
    bad.write_text("Location,Date,Holiday\nParis,14/07/2026,Fête nationale\n")
    assert r.read_default_holidays(bad)[1] == [
        f"{bad}: 1 row(s) without a location or an ISO date (YYYY-MM-DD) were skipped"]


# ---------------------------------------------------------------------------------------------
# The view on a hand-made store
# ---------------------------------------------------------------------------------------------

def contract(eid, name, location, country, weekly=40.0, role="Developer", dept="Delivery", **kw):
    return {"kind": "contract", "employee_id": eid, "person_name": name, "location": location, "country": country,
            "weekly_hours": weekly, "role": role, "department": dept, **kw}


CAPACITY = [
    contract("E1", "Ana Silva", "Lisbon", "Portugal"),
    {"kind": "leave", "employee_id": "E1", "start_date": MON, "end_date": MON + timedelta(days=3), "hours": 32.0},
    contract("E2", "Ben Cho", "New York", "United States", role="Project Manager"),
    contract("E3", "Karl Meyer", "London", "United Kingdom", role="Project Manager"),
    *(contract(f"E{i}", f"Team Member {i}", "Lisbon", "Portugal", dept="Team T") for i in (4, 5, 6)),
    contract("E7", "Half Time", "Lisbon", "Portugal", weekly=None, fte=0.5, default_weekly_hours=40.0, dept="Team T"),
    contract("E8", "Sam Lee", "Lisbon", "Portugal", role="Scrum Master", dept="Agile"),
    contract("E9", "Ivy Tan", "Lisbon", "Portugal", weekly=10.0, role="Scrum Master", dept="Agile"),
]
ALLOCATIONS = [
    {"project_id": "P1", "person_name": "Ana Silva", "start_date": W1, "end_date": W2 + timedelta(days=4),
     "hours_per_day": 8.0},
    {"project_id": "P2", "employee_id": "E2", "start_date": W4, "end_date": W4 + timedelta(days=4),
     "allocation_pct": 0.5},
    {"project_id": "P2", "employee_id": "E2", "start_date": THANKSGIVING, "end_date": THANKSGIVING, "hours": 24.0},
    {"project_id": "P2", "person_name": "Karl Meyer", "start_date": W4, "end_date": W4 + timedelta(days=6),
     "hours": 40.0},
    {"project_id": "P3", "person_name": "Sam Lee", "start_date": W2, "end_date": W2 + timedelta(days=4), "hours": 30.0},
    {"project_id": "P3", "person_name": "Ivy Tan", "start_date": W2, "end_date": W2 + timedelta(days=4), "hours": 10.0},
    {"project_id": "P3", "role": "Scrum Master", "is_placeholder": True, "start_date": W2,
     "end_date": W2 + timedelta(days=4), "hours": 20.0},
]
TIME = [
    {"work_date": MON, "hours": 6.0, "project_id": "P1", "person_name": "Silva, Ana"},
    {"work_date": MON + timedelta(days=1), "hours": 8.0, "project_id": "P1", "person_name": "Tomás Ortega"},
    {"work_date": MON + timedelta(days=2), "hours": 4.0, "project_id": "P2", "employee_id": "e2",
     "cost_rate_original": 50.0, "currency": "USD"},
]


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    return connect(tmp_path_factory.mktemp("resources") / "store",
                   {"capacity": CAPACITY, "allocations": ALLOCATIONS, "time_entries": TIME})


def row(con, bucket_start, person_id=None, role=None):
    where = "person_id = $p" if person_id else "is_placeholder and role = $role"
    rows = con.sql(f"select * from resource_utilisation where bucket_start = $b and {where}",
                   params={"b": bucket_start, **({"p": person_id} if person_id else {"role": role})}).pl().to_dicts()
    assert len(rows) == 1, rows
    return rows[0]


def test_view_leave_leaves_8_hours_and_forecast_uses_actuals_then_plan(con):
    ana = row(con, W1, "E1")
    assert (ana["capacity_hours"], ana["planned_hours"], ana["actual_hours"], ana["forecast_hours"]) == (8, 40, 6, 22)
    assert ana["utilisation"] == pytest.approx(22 / 8) and ana["is_over_allocated"]
    assert ana["planned_utilisation"] == 5 and ana["actual_utilisation"] == 0.75
    assert ana["actuals_through"] == MON + timedelta(days=2) and ana["bucket_end"] == W1 + timedelta(days=6)
    assert row(con, W2, "E1")["capacity_hours"] == 40


def test_view_holiday_only_in_its_location_and_no_hour_lost(con):
    ben, karl = row(con, W4, "E2"), row(con, W4, "E3")
    assert ben["capacity_hours"] == 32 and karl["capacity_hours"] == 40
    assert ben["forecast_hours"] == 16 + 24 and ben["utilisation"] == 1.25 and ben["is_over_allocated"]
    assert ben["availability_hours"] == -8
    assert karl["utilisation"] == 1 and not karl["is_over_allocated"]


def test_view_team_of_three_and_a_half_has_140_hours(con):
    (total,) = con.execute("select sum(capacity_hours) from resource_utilisation "
                           "where department = 'Team T' and bucket_start = $b", {"b": W2}).fetchall()[0]
    assert total == 140


def test_view_group_utilisation_and_role_deficit(con):
    d, c = con.execute("select sum(forecast_hours), sum(capacity_hours) from resource_utilisation "
                       "where department = 'Agile' and bucket_start = $b", {"b": W2}).fetchall()[0]
    assert d / c == pytest.approx(0.8)
    (deficit,) = con.execute("select sum(forecast_hours) - sum(capacity_hours) from resource_utilisation "
                             "where role = 'Scrum Master' and bucket_start = $b", {"b": W2}).fetchall()[0]
    assert deficit == 10
    ph = row(con, W2, role="Scrum Master")
    assert ph["person_id"] is None and ph["capacity_hours"] == 0 and ph["utilisation"] is None
    assert ph["is_over_allocated"] is None
    assert ph["utilisation_note"] == "unnamed demand (placeholder): no capacity of its own"


def test_view_unknown_capacity_and_cost(con):
    tomas = row(con, W1, "name:tomas ortega")
    assert tomas["capacity_hours"] == 0 and tomas["utilisation"] is None
    assert tomas["is_over_allocated"] is None          # unknown, not over-allocated
    assert tomas["utilisation_note"] == "no capacity known: not in the HR export nor in a capacity export"
    ben = row(con, W1, "E2")
    assert ben["actual_cost"] == 200 and ben["unpriced_hours"] == 0
    assert row(con, W1, "E1")["unpriced_hours"] == 6 and row(con, W1, "E1")["actual_cost"] is None


def test_view_covers_every_person_and_week(con):
    n_people, n_weeks, n = con.execute(
        "select count(distinct person_id), count(distinct bucket_start), count(*) from resource_utilisation "
        "where not is_placeholder").fetchall()[0]
    assert (n_people, n_weeks) == (10, 4) and n == 40


def test_view_month_bucket_hundred_on_eighty(tmp_path):
    con = connect(tmp_path / "store", {
        "capacity": [contract("X1", "Xavier Month", "Lisbon", "Portugal", weekly=20.0)],
        "allocations": [{"project_id": "P9", "employee_id": "X1", "start_date": date(2027, 2, 1),
                         "end_date": date(2027, 2, 26), "hours": 100.0}],
    }, config_toml='[resources]\nbucket = "month"\n')
    x = row(con, date(2027, 2, 1), "X1")
    assert x["bucket"] == "month" and x["bucket_end"] == date(2027, 2, 28)
    assert (x["capacity_hours"], x["forecast_hours"], x["utilisation"]) == (80, 100, 1.25)
    assert x["is_over_allocated"] and x["availability_hours"] == -20
