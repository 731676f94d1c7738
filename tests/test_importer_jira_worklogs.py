"""Jira's repeated `Log Work` columns -> time_entries (comment;date;author;seconds), authors named
through the file's own Assignee / Reporter id columns."""

from __future__ import annotations

from datetime import date

from helpers.resources import FIXTURES, canon, rows

from pmo.ingest import analyse

FILE = FIXTURES / "jira" / "cloud_worklogs.csv"
SAMIR = "712020:5b1e2c9a-0d4f-4c6e-9a7b-2f1d3c4e5a6b"
DANA = "712020:9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f"
STRANGER = "712020:1234abcd-0000-4000-8000-00000000beef"


def test_worklog_cells_whole_rows():
    o = analyse(FILE, as_of=date(2026, 11, 20))
    assert o.tables == {"tasks": 3, "projects": 1, "time_entries": 4}
    src, as_of = "jira:issues:PAY", date(2026, 11, 20)

    def entry(day, hours, task, name, author, person, row):
        return canon("time_entries", work_date=day, hours=hours, project_id="PAY", project_name="Payments Platform",
                     task_id=task, task_name=name, resource_id=author, person_name=person, source=src,
                     as_of=as_of, _row=row)

    vault, fx = "Migrate card vault to new HSM", "Fix rounding in FX fees, EUR→GBP"
    assert rows(o.frames["time_entries"], "work_date") == [
        entry(date(2026, 11, 4), 7.5, "PAY-214", vault, SAMIR, "Samir Haddad", 2),       # 27000 s
        entry(date(2026, 11, 5), 2.0, "PAY-214", vault, SAMIR, "Samir Haddad", 2),       # empty comment
        entry(date(2026, 11, 6), 1.0, "PAY-214", vault, DANA, "Dana Ortiz", 2),          # ';' in the comment
        entry(date(2026, 11, 13), 1.5, "PAY-219", fx, STRANGER, None, 3),               # id shown nowhere else
    ]
    (bad,) = o.rejects
    assert (bad.row, bad.column, bad.value, bad.table) == (3, "Log Work", "garbled cell without fields", "time_entries")


def test_exports_without_worklogs_fill_no_time_entries():
    o = analyse(FIXTURES / "jira" / "cloud_all_fields.csv", as_of=date(2026, 11, 20))
    assert "time_entries" not in o.tables
