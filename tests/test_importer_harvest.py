"""Harvest importer: a detailed time report in Harvest's layout -> time_entries with cost rates."""

from __future__ import annotations

from datetime import date

from helpers.resources import FIXTURES, canon, claimed_by, rows

from pmo.ingest import analyse

HERE = FIXTURES / "harvest"
FILE = HERE / "harvest_time_report_from2026-11-01to2026-11-30.csv"


def test_time_report_whole_rows():
    o = analyse(FILE)
    # the period in Harvest's file name is not part of the dataset: next month's export is the same one
    assert o.tool == "harvest" and o.source == "harvest:harvest_time_report@2026-11-02..2026-11-04"
    src, as_of = o.source, date(2026, 11, 4)
    assert o.rejects == []
    assert rows(o.frames["time_entries"], "_row") == [
        canon("time_entries", work_date=date(2026, 11, 2), hours=6.5, project_id="PRJ-1012",
              project_name="Data Centre Exit - Wave 2", task_name="Project Management", person_name="Grace Liu",
              employee_id="100422", role="Program Manager", team="PMO East", billable=False,
              cost_rate_original=95.0, currency="USD", source=src, as_of=as_of, _row=2),
        canon("time_entries", work_date=date(2026, 11, 3), hours=2.75, project_id="PRJ-1012",
              project_name="Data Centre Exit - Wave 2", task_name="Vendor management", person_name="Grace Liu",
              employee_id="100422", role="Program Manager", team="PMO East", billable=False,
              cost_rate_original=95.0, currency="USD", source=src, as_of=as_of, _row=3),
        # no Cost Rate: Cost Amount / Hours = 300 / 4; "Euro - EUR" -> EUR; Hours (4), not Hours Rounded
        canon("time_entries", work_date=date(2026, 11, 3), hours=4.0, project_id="PRJ-1023",
              project_name="S/4HANA Data Migration", task_name="Project Management", person_name="Julia Hoffmann",
              employee_id="100377", role="Program Manager, PMO", team="PMO Frankfurt", billable=True,
              cost_rate_original=75.0, currency="EUR", source=src, as_of=as_of, _row=4),
        # no Project Code: the project's name; no Employee Id and no cost
        canon("time_entries", work_date=date(2026, 11, 4), hours=1.5, project_id="PMO Office",
              project_name="PMO Office", task_name="Admin", person_name="Nina Patel", role="Project Coordinator",
              team="PMO East", billable=False, currency="USD", source=src, as_of=as_of, _row=5),
    ]


def test_only_harvest_files_are_taken():
    assert claimed_by("harvest") == ["harvest/harvest_time_report_from2026-11-01to2026-11-30.csv",
                                    "harvest/messy_time_report.csv"]
