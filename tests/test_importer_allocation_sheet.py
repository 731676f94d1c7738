"""Allocation sheets (Float schedule, Runn assignments, hand-kept): bookings with hours per day, a %
of capacity or total hours, and unnamed placeholder roles -> allocations."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.resources import FIXTURES, canon, claimed_by, rows

from pmo.ingest import IngestFailed, analyse

HERE = FIXTURES / "allocation_sheet"
AS_OF = date(2026, 11, 20)


def test_float_schedule_whole_rows():
    o = analyse(HERE / "float_schedule_2026-11.csv", as_of=AS_OF)
    src = "allocation_sheet:float_schedule"
    assert o.tool == "allocation_sheet" and o.source == src

    def booking(project, name, person, role, start, end, per_day, status, row):
        return canon("allocations", project_id=project, project_name=name, person_name=person, role=role,
                     is_placeholder=False, start_date=start, end_date=end, hours_per_day=per_day, status=status,
                     source=src, as_of=AS_OF, _row=row)

    assert rows(o.frames["allocations"], "_row") == [
        # hours per day wins over the total given beside it
        booking("PRJ-1012", "PRJ-1012 Data Centre Exit - Wave 2", "Grace Liu", "Program Manager",
                date(2026, 11, 2), date(2026, 11, 27), 6.0, "confirmed", 2),
        booking("PRJ-1037", "PRJ-1037 Print Estate Reduction", "Grace Liu", "Program Manager",
                date(2026, 11, 2), date(2026, 12, 18), 2.0, "tentative", 3),
        booking("PRJ-1034", "PRJ-1034 Global Payroll Consolidation", "Ruth Adeyemi", "Project Coordinator",
                date(2026, 11, 23), date(2026, 12, 4), 7.5, "draft", 5),      # `7.5h`
    ]
    (bad,) = o.rejects
    assert (bad.row, bad.column, bad.value, bad.reason) == (4, "end_date", "2026-11-13", "ends before it starts")


def test_runn_assignments_with_percentages_and_placeholders():
    o = analyse(HERE / "runn_assignments.csv", as_of=AS_OF)
    src = "allocation_sheet:runn_assignments"
    assert o.rejects == []
    assert rows(o.frames["allocations"], "_row") == [
        canon("allocations", project_id="PRJ-1001", project_name="PRJ-1001 Mobile App Relaunch",
              allocation_id="asg-1001", person_name="Amy Zhang", role="Scrum Master", is_placeholder=False,
              start_date=date(2026, 11, 2), end_date=date(2026, 12, 31), allocation_pct=0.5, status="confirmed",
              source=src, as_of=AS_OF, _row=2),
        # "Placeholder: Scrum Master": the role comes from the name, no person
        canon("allocations", project_id="PRJ-1018", project_name="PRJ-1018 Observability Platform",
              allocation_id="asg-1002", role="Scrum Master", is_placeholder=True, start_date=date(2026, 11, 16),
              end_date=date(2027, 1, 29), allocation_pct=1.0, status="confirmed", source=src, as_of=AS_OF, _row=3),
        # no person, a role: a placeholder; 0.6 = 60%; Is Tentative = Yes
        canon("allocations", project_id="PRJ-1029", project_name="PRJ-1029 Supplier Portal",
              allocation_id="asg-1003", role="Business Analyst", is_placeholder=True, start_date=date(2026, 12, 1),
              end_date=date(2027, 2, 26), allocation_pct=0.6, status="tentative", source=src, as_of=AS_OF, _row=4),
    ]


def test_total_hours_and_minutes_per_day(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Resource,Project Code,Start,Finish,Minutes per Day,Total Hours\n"
                    "Ann Lee,PRJ-1,2026-11-02,2026-11-06,240,\nBo Chen,PRJ-2,2026-11-02,2026-11-13,,60\n")
    got = analyse(path, as_of=AS_OF).frames["allocations"]
    assert got.select("person_name", "project_id", "hours_per_day", "hours").rows() == [
        ("Ann Lee", "PRJ-1", 4.0, None), ("Bo Chen", "PRJ-2", None, 60.0)]


def test_ambiguous_dates_are_refused_unless_an_order_is_given(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Person,Project,Start Date,End Date,Hours/Day\nAnn Lee,PRJ-1,02/11/2026,06/11/2026,8\n")
    with pytest.raises(IngestFailed, match="day-first or month-first|day or month"):
        analyse(path, as_of=AS_OF)
    got = analyse(path, as_of=AS_OF, date_order="dmy").frames["allocations"]
    assert got.select("start_date", "end_date").row(0) == (date(2026, 11, 2), date(2026, 11, 6))


def test_only_allocation_sheets_are_taken():
    assert claimed_by("allocation_sheet") == ["allocation_sheet/float_schedule_2026-11.csv",
                                              "allocation_sheet/messy_schedule.csv",
                                              "allocation_sheet/runn_assignments.csv"]
