"""Clockify importer: detailed reports in Clockify's layout (currency in the header, month-first dates)."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.resources import FIXTURES, canon, claimed_by, rows

from pmo.ingest import IngestFailed, analyse

HERE = FIXTURES / "clockify"


def test_detailed_report_whole_rows():
    o = analyse(HERE / "Clockify_Time_Report_Detailed_01_11_2026-30_11_2026.csv")
    assert o.tool == "clockify" and o.source == "clockify:clockify_time_report_detailed@2026-11-02..2026-11-13"
    src, as_of = o.source, date(2026, 11, 13)
    assert o.rejects == []
    assert rows(o.frames["time_entries"], "_row") == [
        canon("time_entries", work_date=date(2026, 11, 2), hours=8.5, project_id="PRJ-1023",
              project_name="PRJ-1023 S/4HANA Data Migration", task_name="Data cleansing", person_name="Lukas Weber",
              email="lukas.weber@example.com", team="PMO Frankfurt", billable=True, cost_rate_original=85.0,
              currency="EUR", source=src, as_of=as_of, _row=2),
        # runs past midnight: counted on the day it started
        canon("time_entries", work_date=date(2026, 11, 13), hours=2.25, project_id="PRJ-1023",
              project_name="PRJ-1023 S/4HANA Data Migration", task_name="Cut-over", person_name="Lukas Weber",
              email="lukas.weber@example.com", team="PMO Frankfurt", billable=True, cost_rate_original=85.0,
              currency="EUR", source=src, as_of=as_of, _row=3),
        canon("time_entries", work_date=date(2026, 11, 4), hours=1.0, project_id="Internal", project_name="Internal",
              person_name="Jonas Müller", email="jonas.mueller@example.com", team="PMO Frankfurt", billable=False,
              currency="EUR", source=src, as_of=as_of, _row=4),
    ]
    assert o.notes == ["Start Date: dates read month-first ('11/13/2026' on row 3 settles it)"]


def test_ambiguous_dates_read_month_first_and_duration_from_h_mm_ss():
    o = analyse(HERE / "clockify_detailed_week45.csv")
    te = o.frames["time_entries"]
    assert te["work_date"].to_list() == [date(2026, 11, 2), date(2026, 11, 3)]
    assert te["hours"].to_list() == [1.5, 1.0]          # the second from Duration (h) 01:00:00
    assert te["currency"].to_list() == [None, None]     # billable rates are prices, not cost
    assert any("month-first, the source's default" in n for n in o.notes)


def test_day_first_workspace_is_read_day_first(tmp_path):
    path = tmp_path / "clockify_dmy.csv"
    path.write_text('"Project","User","Email","Start Date","Start Time","Duration (h)","Duration (decimal)"\n'
                    '"X","Ann","ann@x.com","25/11/2026","09:00","01:00:00","1.00"\n'
                    '"X","Ann","ann@x.com","03/11/2026","09:00","02:00:00","2.00"\n')
    o = analyse(path)
    assert o.frames["time_entries"]["work_date"].to_list() == [date(2026, 11, 25), date(2026, 11, 3)]


def test_unreadable_duration_is_a_reject_with_its_row(tmp_path):
    path = tmp_path / "clockify_bad.csv"
    path.write_text('"Project","User","Email","Start Date","Duration (h)"\n'
                    '"X","Ann","ann@x.com","11/02/2026","01:30:00"\n"X","Ann","ann@x.com","11/03/2026","1h30"\n')
    o = analyse(path)
    assert o.frames["time_entries"]["hours"].to_list() == [1.5]
    assert [(r.row, r.column, r.reason) for r in o.rejects] == [
        (3, "Duration (h)", "not a duration (h:mm:ss)")]


def test_nothing_readable_is_refused(tmp_path):
    path = tmp_path / "clockify_empty_people.csv"
    path.write_text('"Project","User","Email","Start Date","Duration (decimal)"\n"X","","","11/02/2026","1.0"\n')
    with pytest.raises(IngestFailed, match="no row could be accepted"):
        analyse(path)


def test_only_clockify_files_are_taken():
    assert claimed_by("clockify") == ["clockify/Clockify_Time_Report_Detailed_01_11_2026-30_11_2026.csv",
                                      "clockify/clockify_detailed_week45.csv", "clockify/messy_detailed.csv"]
