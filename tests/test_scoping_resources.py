"""Row scope of the resource tables: time entries and allocations follow their project (its Jira key
and GUID aliases too); a person's capacity follows the salary rule for individuals; holidays are
nobody's. Checked through the canonical views, the resource_utilisation view and user SQL."""

from __future__ import annotations

from datetime import date

import pytest
from helpers.canonical import make_store

from pmo import query
from pmo.auth import Scope
from pmo.safe_sql import run_user_sql

D = date(2026, 11, 2)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("scope-res") / "s", {
        "projects": [
            {"project_id": "PRJ-1", "portfolio": "Finance", "department": "Fin", "external_ids": ["FIN", "guid-1"]},
            {"project_id": "PRJ-2", "portfolio": "HR", "department": "People", "external_ids": ["PAY"]},
        ],
        "time_entries": [
            {"work_date": D, "hours": 1.0, "project_id": "FIN", "person_name": "Ann"},      # Jira key of PRJ-1
            {"work_date": D, "hours": 2.0, "project_id": "PRJ-2", "person_name": "Bo"},
            {"work_date": D, "hours": 4.0, "project_id": None, "person_name": "Cy"},        # no project
        ],
        "allocations": [
            {"project_id": "guid-1", "person_name": "Ann", "start_date": D, "end_date": D, "hours": 8.0},
            {"project_id": "PAY", "role": "Analyst", "is_placeholder": True, "start_date": D, "end_date": D,
             "hours": 5.0},
        ],
        "capacity": [
            {"kind": "contract", "employee_id": "E1", "person_name": "Ann", "weekly_hours": 40.0, "department": "Fin"},
            {"kind": "contract", "employee_id": "E2", "person_name": "Bo", "weekly_hours": 40.0, "department": "People"},
            {"kind": "leave", "employee_id": "E2", "start_date": D, "hours": 8.0},
            {"kind": "holiday", "location": "Lisbon", "start_date": D},
        ],
    })


def rel(con, sql):
    return sorted(con.execute(sql).fetchall(), key=str)


def test_portfolio_scope_keeps_its_projects_rows_and_no_individual_capacity(store):
    con = query.connect(store, scope=Scope(portfolios=("Finance",))).con
    assert rel(con, "select project_id, hours from time_entries") == [("PRJ-1", 1.0)]
    assert rel(con, "select project_id, hours from allocations") == [("PRJ-1", 8.0)]
    assert rel(con, "select kind from capacity") == [("holiday",)]
    rows = rel(con, "select person_name, capacity_hours, planned_hours, actual_hours from resource_utilisation")
    assert rows == [("Ann", 0.0, 8.0, 1.0)]         # demand on its projects, no capacity behind it
    df, _ = run_user_sql(con, "select * from seg_time_entries union all by name select * from seg_allocations",
                         row_cap=1000, timeout_s=30)
    assert set(df["project_id"]) == {"FIN", "guid-1"}


def test_department_scope_sees_that_departments_capacity(store):
    con = query.connect(store, scope=Scope(departments=("People",))).con
    assert rel(con, "select kind, employee_id from capacity") == [("contract", "E2"), ("holiday", None)]
    assert rel(con, "select project_id from allocations") == [("PRJ-2",)]
    # Bo's leave row names no department: it is not shown to a department-scoped role
    assert rel(con, "select person_id, capacity_hours from resource_utilisation where not is_placeholder") == [
        ("E2", 40.0)]


def test_hidden_salaries_hide_capacity_too(store):
    con = query.connect(store, scope=Scope(hide_salaries=True)).con
    assert rel(con, "select kind from capacity") == [("holiday",)]
    # every project's entries; an entry with no project belongs to no scope and is left out
    assert rel(con, "select project_id from time_entries") == [("PRJ-1",), ("PRJ-2",)]


def test_unscoped_sees_everything(store):
    con = query.connect(store).con
    assert con.execute("select count(*) from time_entries").fetchall() == [(3,)]
    assert con.execute("select count(*) from capacity").fetchall() == [(4,)]
