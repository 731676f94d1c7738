"""Project Online timephased resource data (read by the MS Project importer): AssignmentTimephasedDataSet
-> allocations, ResourceTimephasedDataSet -> capacity, named through the Resources set; CSVs as Power
Query writes them and a workbook that also holds the Projects sheet."""

from __future__ import annotations

from datetime import date, datetime

import xlsxwriter
from helpers.resources import FIXTURES, canon, rows

from pmo import query
from pmo.importers import registry
from pmo.ingest import analyse, ingest_files
from pmo.store import Store

HERE = FIXTURES / "msproject"
P1 = "3f0c9a2e-6b1d-4e8a-9c7f-1a2b3c4d5e6f"
TASK = "7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a"
A1, A2 = "a1000000-0000-4000-8000-000000000001", "a2000000-0000-4000-8000-000000000002"
R1, R9 = "r1000000-0000-4000-8000-000000000001", "r9000000-0000-4000-8000-000000000009"
AS_OF = date(2026, 11, 20)


def test_assignment_timephased_csv_whole_rows():
    o = analyse(HERE / "AssignmentTimephasedDataSet.csv", as_of=AS_OF)
    assert o.tool == "msproject" and o.source == "msproject:projectdata" and o.tables == {"allocations": 3}

    def alloc(aid, rid, day, hours, actual, remaining, baseline, row):
        return canon("allocations", project_id=P1, project_name="ERP rollout – Wave 2", task_id=TASK,
                     task_name="Data migration", allocation_id=aid, resource_id=rid, is_placeholder=False,
                     start_date=day, end_date=day, hours=hours, actual_hours=actual, remaining_hours=remaining,
                     baseline_hours=baseline, source="msproject:projectdata", as_of=AS_OF, _row=row)

    assert rows(o.frames["allocations"], "_row") == [
        alloc(A1, R1, date(2026, 11, 2), 8.0, 8.0, 0.0, 6.0, 2),
        alloc(A1, R1, date(2026, 11, 3), 4.0, 0.0, 4.0, 6.0, 3),
        alloc(A2, R9, date(2026, 11, 2), 6.0, 0.0, 6.0, None, 6),
    ]
    (dup,) = o.rejects
    assert (dup.row, dup.value, dup.reason) == (5, f"{A1} / 2026-11-03",
                                                "duplicate: an earlier row has the same assignment and day")
    assert "AssignmentTimephasedDataSet.csv: 1 row(s) with no work on that day skipped" in o.notes
    assert any("2 resource id(s) have no name" in n for n in o.notes)


def test_resource_timephased_csv_whole_rows():
    o = analyse(HERE / "ResourceTimephasedDataSet.csv", as_of=AS_OF)
    assert o.tables == {"capacity": 2}
    cap = [canon("capacity", kind="capacity", person_name="Lena Vogt", resource_id=R1, start_date=d, end_date=d,
                 hours=h, base_hours=8.0, source="msproject:projectdata", as_of=AS_OF, _row=r)
           for d, h, r in ((date(2026, 11, 2), 8.0, 2), (date(2026, 11, 3), 4.0, 3))]
    assert rows(o.frames["capacity"], "_row") == cap
    assert o.notes == ["ResourceTimephasedDataSet.csv: 1 day(s) of 0 capacity skipped"]


def test_the_two_csvs_name_one_person_in_the_store(tmp_path):
    store = Store(tmp_path / "s")
    ingest_files(store, [HERE / "AssignmentTimephasedDataSet.csv", HERE / "ResourceTimephasedDataSet.csv"],
                 user="t", as_of=AS_OF)
    con = query.connect(store).con
    got = con.sql("select resource_id, person_id, sum(hours) from allocations group by all order by 1").fetchall()
    # R1 is named by the capacity set; R9 is named nowhere
    assert got == [(R1, "name:lena vogt", 12.0), (R9, f"id:{R9}", 6.0)]


def _write(ws, header, data, fmt):
    ws.write_row(0, 0, header)
    for r, row in enumerate(data, start=1):
        for c, v in enumerate(row):
            if isinstance(v, datetime):
                ws.write_datetime(r, c, v, fmt)
            elif isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            elif v is not None:
                ws.write_string(r, c, v)


def build_workbook(path):
    """Projects + weekly-rolled-up AssignmentTimephasedDataSet + ResourceTimephasedDataSet + Resources."""
    wb = xlsxwriter.Workbook(path)
    fmt = wb.add_format({"num_format": "m/d/yyyy h:mm"})
    _write(wb.add_worksheet("Projects"),
           ["ProjectId", "ProjectName", "ProjectStartDate", "ProjectFinishDate", "ProjectStatusDate",
            "ProjectPercentCompleted", "ProjectCode"],
           [[P1, "ERP rollout – Wave 2", datetime(2026, 2, 2, 8), datetime(2026, 12, 18, 17),
             datetime(2026, 11, 20), 38, "PRJ-ERP2"]], fmt)
    _write(wb.add_worksheet("AssignmentTimephasedDataSet"),
           ["ProjectId", "AssignmentId", "TimeByDay", "AssignmentActualWork", "AssignmentBaseline0Work",
            "AssignmentRemainingWork", "AssignmentWork", "ProjectName", "ResourceId", "TaskId", "TaskName"],
           [[P1, A1, datetime(2026, 11, 2), 0, 40, 32, 32, "ERP rollout – Wave 2", R1, TASK, "Data migration"],
            [P1, A1, datetime(2026, 11, 9), 0, 40, 40, 40, "ERP rollout – Wave 2", R1, TASK, "Data migration"],
            [P1, A2, datetime(2026, 11, 2), 0, 0, 20, 20, "ERP rollout – Wave 2", R9, TASK, "Data migration"]], fmt)
    _write(wb.add_worksheet("ResourceTimephasedDataSet"),
           ["ResourceId", "TimeByDay", "BaseCapacity", "Capacity", "ResourceName"],
           [[R1, datetime(2026, 11, 2), 40, 40, "Lena Vogt"], [R1, datetime(2026, 11, 9), 40, 40, "Lena Vogt"],
            [R9, datetime(2026, 11, 2), 40, 40, "Business Analyst"]], fmt)
    _write(wb.add_worksheet("Resources"),
           ["ResourceId", "ResourceName", "ResourceEmailAddress", "ResourceIsGeneric", "ResourceType"],
           [[R1, "Lena Vogt", "lena.vogt@example.com", False, "Work"], [R9, "Business Analyst", None, True, "Work"]],
           fmt)
    wb.close()
    return path


def test_workbook_with_projects_maps_codes_names_people_and_reads_weekly_rollup(tmp_path):
    path = build_workbook(tmp_path / "ProjectData_resources_2026-11-20.xlsx")
    assert {m.grid.sheet for m in registry.detect(path)} == {
        "Projects", "AssignmentTimephasedDataSet", "ResourceTimephasedDataSet", "Resources"}
    o = analyse(path)
    assert o.tables == {"projects": 1, "status_snapshots": 1, "allocations": 3, "capacity": 2}
    alloc = o.frames["allocations"].sort("_row")
    assert alloc.select("project_id", "allocation_id", "person_name", "email", "role", "is_placeholder",
                        "start_date", "end_date", "hours").rows() == [
        ("PRJ-ERP2", A1, "Lena Vogt", "lena.vogt@example.com", None, False, date(2026, 11, 2), date(2026, 11, 8), 32.0),
        ("PRJ-ERP2", A1, "Lena Vogt", "lena.vogt@example.com", None, False, date(2026, 11, 9), date(2026, 11, 15), 40.0),
        ("PRJ-ERP2", A2, None, None, "Business Analyst", True, date(2026, 11, 2), date(2026, 11, 8), 20.0),
    ]
    cap = o.frames["capacity"].sort("_row")
    assert cap.select("person_name", "email", "start_date", "end_date", "hours").rows() == [
        ("Lena Vogt", "lena.vogt@example.com", date(2026, 11, 2), date(2026, 11, 8), 40.0),
        ("Lena Vogt", "lena.vogt@example.com", date(2026, 11, 9), date(2026, 11, 15), 40.0),
    ]
    assert any("rolled up by week" in n for n in o.notes)
    assert any("capacity of 1 generic resource(s) skipped" in n for n in o.notes)


def test_weekly_rollup_in_the_view(tmp_path):
    """A week's 32 h spread over its five working days; the generic resource is role demand."""
    store = Store(tmp_path / "s")
    ingest_files(store, [build_workbook(tmp_path / "ProjectData_resources_2026-11-20.xlsx")], user="t")
    con = query.connect(store).con
    got = con.sql("select bucket_start, person_id, role, capacity_hours, planned_hours from resource_utilisation "
                  "where planned_hours > 0 order by all").fetchall()
    assert got == [(date(2026, 11, 2), "name:lena vogt", None, 40.0, 32.0),
                   (date(2026, 11, 2), None, "Business Analyst", 0.0, 20.0),
                   (date(2026, 11, 9), "name:lena vogt", None, 40.0, 40.0)]


# ---------------------------------------------------------------------------------------------
# MS Project desktop: the export wizard's Assignment_Table
# ---------------------------------------------------------------------------------------------

def test_desktop_assignment_table_alone():
    o = analyse(HERE / "erp_wave2_assignment_table.csv", as_of=AS_OF)
    src = "msproject:plan:erp_wave2_assignment_table"
    assert o.tool == "msproject" and o.source == src and o.rejects == []

    def alloc(task, person, start, end, row, **kw):
        return canon("allocations", project_id="erp_wave2_assignment_table", task_name=task, person_name=person,
                     is_placeholder=False, start_date=start, end_date=end, source=src, as_of=AS_OF, _row=row, **kw)

    assert rows(o.frames["allocations"], "_row") == [
        alloc("Data migration", "Ines Duarte", date(2026, 2, 2), date(2026, 2, 27), 2,
              hours=160.0, actual_hours=160.0, remaining_hours=0.0, baseline_hours=150.0),
        alloc("Data migration", "Karl Meyer", date(2026, 2, 2), date(2026, 2, 27), 3,
              hours=80.0, actual_hours=80.0, remaining_hours=0.0, baseline_hours=80.0),
        alloc("Cutover rehearsal", "Ines Duarte", date(2026, 3, 6), date(2026, 3, 6), 4,
              hours=0.0, actual_hours=0.0, remaining_hours=0.0, baseline_hours=0.0),
        alloc("Hypercare", "Karl Meyer", date(2026, 4, 6), date(2026, 4, 24), 5, allocation_pct=0.25),  # no Work
    ]


def test_desktop_wizard_workbook_puts_assignments_on_the_plans_project(tmp_path):
    import csv

    path = tmp_path / "erp_wave2.xlsx"
    wb = xlsxwriter.Workbook(path)
    for sheet, name in (("Task_Table", "erp_wave2_task_table.csv"), ("Assignment_Table", "erp_wave2_assignment_table.csv")):
        ws = wb.add_worksheet(sheet)
        with (HERE / name).open(encoding="utf-8") as f:
            for r, row in enumerate(csv.reader(f)):
                ws.write_row(r, 0, row)
    wb.close()
    o = analyse(path, as_of=AS_OF)
    project = o.frames["projects"]["project_id"].to_list()
    assert project == ["ERP rollout – Wave 2"]
    assert set(o.frames["allocations"]["project_id"]) == set(project)
    assert o.tables["allocations"] == 4 and o.source == "msproject:plan:ERP rollout – Wave 2"
