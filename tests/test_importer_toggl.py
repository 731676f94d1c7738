"""Toggl Track importer: a detailed report in Toggl's layout -> time_entries."""

from __future__ import annotations

from datetime import date

from helpers.resources import FIXTURES, canon, claimed_by, rows

from pmo.ingest import analyse

HERE = FIXTURES / "toggl"


def test_detailed_report_whole_rows():
    o = analyse(HERE / "Toggl_time_entries_2026-11-01_to_2026-11-30.csv")
    assert o.tool == "toggl" and o.source == "toggl:toggl_time_entries@2026-11-02..2026-11-05"
    src, as_of = o.source, date(2026, 11, 5)
    assert o.rejects == []
    assert rows(o.frames["time_entries"], "_row") == [
        canon("time_entries", work_date=date(2026, 11, 2), hours=3.75, project_id="PRJ-1018",
              project_name="PRJ-1018 Observability Platform", task_name="Dashboards", person_name="Carlos Mendes",
              email="carlos.mendes@example.com", billable=False, source=src, as_of=as_of, _row=2),
        canon("time_entries", work_date=date(2026, 11, 2), hours=0.5, project_id="PRJ-1018",
              project_name="PRJ-1018 Observability Platform", person_name="Carlos Mendes",
              email="carlos.mendes@example.com", billable=False, source=src, as_of=as_of, _row=3),
        canon("time_entries", work_date=date(2026, 11, 5), hours=8.0, project_id="Network Refresh",
              project_name="Network Refresh", task_name="Planning", person_name="Derek Nguyen",
              email="derek.nguyen@example.com", billable=True, source=src, as_of=as_of, _row=4),
    ]


def test_only_toggl_files_are_taken():
    assert claimed_by("toggl") == ["toggl/Toggl_time_entries_2026-11-01_to_2026-11-30.csv",
                                    "toggl/messy_time_entries.csv"]
