"""Capacity from HR: scheduled and default weekly hours (FTE = scheduled / default, as Workday
reports it) from the HR compensation export, time off from a time-off export, public holidays from
a calendar file; and how the view uses them."""

from __future__ import annotations

from datetime import date

from helpers.canonical import make_store
from helpers.resources import FIXTURES, canon, claimed_by, rows

from pmo import query
from pmo.ingest import analyse, ingest_files
from pmo.store import Store

AS_OF = date(2026, 11, 1)


def test_hr_export_gives_one_contract_per_person():
    o = analyse(FIXTURES / "hr" / "workday_hours_2026-11-01.csv")
    assert o.tables == {"salaries": 3, "capacity": 3}
    src = "hr:workday_hours"

    def contract(eid, name, email, role, dept, city, country, start, end, weekly, default, fte, row):
        return canon("capacity", kind="contract", employee_id=eid, person_name=name, email=email, role=role,
                     department=dept, location=city, country=country, start_date=start, end_date=end,
                     weekly_hours=weekly, default_weekly_hours=default, fte=fte, source=src, as_of=AS_OF, _row=row)

    assert rows(o.frames["capacity"], "_row") == [
        contract("100422", "Grace Liu", "grace.liu@example.com", "Program Manager", "PMO - Infrastructure & Cloud",
                 "New York", "United States", date(2016, 5, 9), None, 40.0, 40.0, 1.0, 2),
        # 30 of 40 scheduled hours: FTE 0.75 (the FTE column says the same)
        contract("100377", "Julia Hoffmann", "julia.hoffmann@example.com", "Program Manager",
                 "PMO - Finance Transformation", "Frankfurt", "Germany", date(2018, 1, 15), None, 30.0, 40.0, 0.75, 3),
        # no scheduled hours and no FTE: a full-time row, 1.0 x the default 37.5; leaving 31 Jan 2027
        contract("100590", "Sophie Turner", "sophie.turner@example.com", "Senior Project Manager",
                 "PMO - People & Workplace", "London", "United Kingdom", date(2020, 3, 2), date(2027, 1, 31),
                 37.5, 37.5, 1.0, 4),
    ]


def test_fte_without_weekly_hours_uses_the_configured_full_time_week():
    o = analyse(FIXTURES / "hr" / "hris_export.csv", as_of=date(2026, 11, 20))
    got = o.frames["capacity"].select("employee_id", "weekly_hours", "default_weekly_hours", "fte").rows()
    assert got == [("E0042", 40.0, 40.0, 1.0), ("E0077", 32.0, 40.0, 0.8), ("E0081", 20.0, 40.0, 0.5)]


def test_workday_time_off_report():
    o = analyse(FIXTURES / "hr_leave" / "workday_time_off_2026.csv", as_of=AS_OF)
    assert o.tool == "hr_leave" and o.source == "hr_leave:workday_time_off"
    src = o.source

    def leave(eid, name, day, hours, days, kind, row):
        return canon("capacity", kind="leave", employee_id=eid, person_name=name, start_date=day, end_date=day,
                     hours=hours, days=days, description=kind, source=src, as_of=AS_OF, _row=row)

    assert rows(o.frames["capacity"], "_row") == [
        leave("100422", "Grace Liu", date(2026, 11, 23), 8.0, None, "Vacation", 2),
        leave("100422", "Grace Liu", date(2026, 11, 24), 8.0, None, "Vacation", 3),
        leave("100422", "Grace Liu", date(2026, 11, 25), 4.0, None, "Vacation", 4),     # Submitted counts
        leave("100377", "Julia Hoffmann", date(2026, 12, 21), None, 1.0, "Urlaub", 5),   # in days
    ]
    assert o.notes == ["1 cancelled or denied time-off row(s) skipped"]
    assert [(r.row, r.column, r.reason) for r in o.rejects] == [(7, "start_date", "no date of leave")]


def test_hris_absence_spans():
    o = analyse(FIXTURES / "hr_leave" / "hris_absences.csv", as_of=AS_OF)
    assert o.frames["capacity"].select("employee_id", "person_name", "start_date", "end_date", "days", "hours",
                                       "description").rows() == [
        ("E0042", "Mara Costa", date(2026, 12, 21), date(2026, 12, 31), 7.0, None, "Annual leave"),
        ("E0081", "Lea Wolf", date(2027, 2, 1), date(2027, 4, 30), None, None, "Parental leave"),   # whole days
    ]


def test_holiday_calendar_file():
    o = analyse(FIXTURES / "holiday_calendar" / "company_holidays_2026.csv", as_of=AS_OF)
    src = "holiday_calendar:company_holidays"

    def hol(loc, day, share, name, row):
        return canon("capacity", kind="holiday", location=loc, start_date=day, end_date=day, days=share,
                     description=name, source=src, as_of=AS_OF, _row=row)

    assert rows(o.frames["capacity"], "_row") == [
        hol("United States", date(2026, 11, 26), None, "Thanksgiving Day", 2),      # US -> United States
        hol("United States", date(2026, 11, 27), None, "Day after Thanksgiving", 3),
        hol("United States", date(2026, 12, 24), 0.5, "Christmas Eve", 4),
        hol("Germany", date(2026, 12, 24), 0.5, "Heiligabend", 5),
    ]
    assert [(r.row, r.column) for r in o.rejects] == [(6, "location")]


def test_the_default_calendar_file_is_itself_importable():
    o = analyse(FIXTURES.parent.parent / "config" / "holidays.csv", as_of=AS_OF)
    assert o.tool == "holiday_calendar" and o.tables == {"capacity": 88}


def test_detection():
    assert claimed_by("hr_leave") == ["hr_leave/hris_absences.csv", "hr_leave/messy_absences.csv",
                                        "hr_leave/workday_time_off_2026.csv"]
    assert claimed_by("holiday_calendar") == ["holiday_calendar/company_holidays_2026.csv",
                                              "holiday_calendar/messy_calendar.csv"]


def test_view_capacity_from_hr_leave_and_an_imported_calendar(tmp_path):
    """Grace (New York, 40 h) in the week of 23 Nov: Thanksgiving and the day after are the company's
    holidays (the imported US calendar replaces the default one), 20 h of leave Mon-Wed ->
    capacity = Mon 0 + Tue 0 + Wed 4 = 4 h. Julia (Frankfurt, 30 h = 6 h a day) in the week of
    21 Dec: 1 day of leave = 6 h; 24 Dec half a day (imported German calendar, which replaces the
    default: 25 and 26 Dec are no longer holidays there) -> 6x5 - 6 - 3 = 21 h. Grace that week:
    the company's US calendar has only half of 24 Dec (it replaces the default list, Christmas
    included) -> 40 - 4 = 36 h."""
    store = Store(tmp_path / "s")
    december = tmp_path / "december_bookings.csv"      # the view covers the days of demand: into late December
    december.write_text("Person,Project,Start Date,End Date,Hours/Day\nJulia Hoffmann,PRJ-1023,2026-12-21,2026-12-23,2\n")
    ingest_files(store, [december, FIXTURES / "hr" / "workday_hours_2026-11-01.csv",
                         FIXTURES / "hr_leave" / "workday_time_off_2026.csv",
                         FIXTURES / "holiday_calendar" / "company_holidays_2026.csv",
                         FIXTURES / "allocation_sheet" / "float_schedule_2026-11.csv"], user="t", as_of=AS_OF)
    con = query.connect(store).con
    cap = dict(con.sql("select person_id || ' ' || bucket_start, capacity_hours from resource_utilisation "
                       "where person_id in ('100422', '100377') and bucket_start in "
                       "('2026-11-23', '2026-12-21')").fetchall())
    assert cap == {"100422 2026-11-23": 4.0, "100422 2026-12-21": 36.0,
                   "100377 2026-11-23": 30.0, "100377 2026-12-21": 21.0}
    # the Float booking names Grace by name: matched to her HR id
    assert con.sql("select distinct person_id from allocations where person_name = 'Grace Liu'").fetchall() == [
        ("100422",)]


def test_people_view_prefers_hr(tmp_path):
    store = make_store(tmp_path / "s", {
        "capacity": [{"kind": "contract", "employee_id": "E1", "person_name": "Ana Silva", "role": "Analyst",
                      "weekly_hours": 40.0, "location": "Lisbon"}],
        "time_entries": [{"work_date": date(2026, 11, 2), "hours": 1.0, "person_name": "SILVA, Ana", "role": "Dev",
                          "team": "Blue"}],
    })
    got = query.connect(store).con.sql("select person_id, person_name, role, team, has_contract from resource_people"
                                    ).fetchall()
    assert got == [("E1", "Ana Silva", "Analyst", "Blue", True)]
