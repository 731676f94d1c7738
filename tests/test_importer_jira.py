"""Jira importer: Cloud and Server all-fields, current-fields and German, French and Spanish UI issue CSVs.

Fixtures are hand-written in the real layouts (reference: export-formats.md §1); every expected
value below was computed by hand from the fixture text (time tracking: seconds / 3600).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pmo import config
from pmo.importers import jira, registry
from pmo.importers.base import ImportResult, IngestContext
from pmo.ingest import IngestFailed, analyse

FIXTURES = Path(__file__).parent / "fixtures" / "jira"
CLOUD = FIXTURES / "cloud_all_fields.csv"
SERVER = FIXTURES / "server_all_fields.csv"
GERMAN = FIXTURES / "german_cloud.csv"
FRENCH = FIXTURES / "french_cloud.csv"
SPANISH = FIXTURES / "spanish_cloud.csv"
CURRENT = FIXTURES / "cloud_current_fields.csv"


def run(path: Path) -> ImportResult:
    """Detect, then parse the matched table(s) the way ingest.analyse does."""
    matches = registry.detect(path)
    assert [m.tool for m in matches] == ["jira"]
    assert matches[0].header_index == 0
    ctx = IngestContext(as_of=None, file_name=path.name, settings=config.load())
    return matches[0].module.parse([m.table() for m in matches], ctx)


def tasks_by_key(result: ImportResult) -> dict[str, dict]:
    return {r["task_id"]: r for r in result.tables["tasks"].iter_rows(named=True)}


def subset(row: dict, expected: dict) -> dict:
    return {k: row[k] for k in expected}


# ---------------------------------------------------------------------------------------------
# Cloud, all fields
# ---------------------------------------------------------------------------------------------


def test_cloud_story_in_progress():
    tasks = tasks_by_key(run(CLOUD))
    expected = {
        "project_id": "PAY",
        "task_name": "Migrate card vault to new HSM",
        "task_type": "Story",
        "status": "In Progress",
        "status_category": "in_progress",
        "assignee": "Samir Haddad",
        "start_date": date(2025, 11, 10),
        "due_date": date(2025, 11, 28),
        "finish_date": date(2025, 11, 28),  # no Target end: the due date
        "completed_date": None,
        "estimate_hours": 16.0,
        "remaining_hours": 8.0,
        "actual_hours": 8.0,  # 57600 s, 28800 s, 28800 s
        "percent_complete": 0.5,  # 8 / (8 + 8)
        "story_points": 5.0,
        "parent_id": "PAY-200",
        "is_milestone": False,
        "is_summary": False,
        "labels": ["security", "pci"],
        "sprints": ["PAY Sprint 21", "PAY Sprint 22"],
        "_row": 2,
    }
    assert subset(tasks["PAY-214"], expected) == expected


def test_cloud_done_bug_with_story_point_estimate_and_parent_by_issue_id():
    tasks = tasks_by_key(run(CLOUD))
    expected = {
        "task_name": "Fix rounding in FX fees, EUR→GBP",
        "status_category": "done",
        "completed_date": date(2025, 11, 14),
        "due_date": None,
        "finish_date": None,
        "estimate_hours": 2.0,
        "remaining_hours": 0.0,
        "actual_hours": 2.5,  # 7200 s, 0 s, 9000 s
        "percent_complete": 1.0,  # done, whatever the hours say
        "story_points": 2.0,  # Custom field (Story point estimate)
        "parent_id": "PAY-200",  # Parent 10310 -> Issue id of PAY-200
        "labels": ["fx"],
        "sprints": ["PAY Sprint 22"],
        "_row": 3,
    }
    assert subset(tasks["PAY-219"], expected) == expected


def test_cloud_epic_is_summary_not_milestone_and_milestone_type_is():
    tasks = tasks_by_key(run(CLOUD))
    epic = {
        "task_type": "Epic",
        "is_summary": True,
        "is_milestone": False,
        "start_date": date(2025, 11, 1),
        "due_date": date(2025, 12, 19),
        "finish_date": date(2025, 12, 12),  # Target end wins
        "estimate_hours": None,
        "percent_complete": None,  # in progress, no own time tracking
        "parent_id": None,
        "labels": [],
        "sprints": [],
    }
    assert subset(tasks["PAY-200"], epic) == epic
    milestone = {
        "task_type": "Milestone",
        "is_milestone": True,
        "is_summary": False,
        "status_category": "todo",
        "percent_complete": 0.0,
        "due_date": date(2026, 1, 15),
        "finish_date": date(2026, 1, 15),
        "labels": ["audit"],
    }
    assert subset(tasks["PAY-230"], milestone) == milestone


def test_cloud_subtask_third_labels_column_and_unresolvable_parent():
    result = run(CLOUD)
    tasks = tasks_by_key(result)
    sub = {
        "parent_id": "PAY-214",  # Parent 10342 -> PAY-214
        "labels": ["backend"],  # only the third Labels column is filled
        "story_points": 3.0,
        "estimate_hours": 0.0,
        "actual_hours": 0.0,
        "remaining_hours": 0.0,
        "percent_complete": 0.0,
        "status_category": "todo",
        "_row": 7,
    }
    assert subset(tasks["PAY-231"], sub) == sub
    review = {
        "status": "In Review",
        "status_category": "in_progress",
        "parent_id": None,
        "actual_hours": 1.0,
        "remaining_hours": None,
        "percent_complete": None,
    }
    assert subset(tasks["PAY-232"], review) == review
    assert any("1 parent issue id(s) refer to issues not in this file" in n for n in result.notes)


def test_cloud_row_without_issue_key_is_rejected_with_its_row_number():
    result = run(CLOUD)
    assert [(r.row, r.column, r.reason, r.table) for r in result.rejects] == [
        (6, "Issue key", "Issue key is empty", "tasks")
    ]
    assert result.rows_read == 8
    assert list(tasks_by_key(result)) == [
        "PAY-214",
        "PAY-219",
        "PAY-200",
        "PAY-230",
        "PAY-231",
        "PAY-232",
        "OPS-41",
    ]


def test_cloud_projects_source_and_as_of():
    result = run(CLOUD)
    projects = [
        subset(r, {"project_id": 0, "project_name": 0, "manager": 0, "external_ids": 0, "_row": 0})
        for r in result.tables["projects"].iter_rows(named=True)
    ]
    assert projects == [
        {
            "project_id": "PAY",
            "project_name": "Payments Platform",
            "manager": "Dana Ortiz",
            "external_ids": [],
            "_row": 2,
        },
        {
            "project_id": "OPS",
            "project_name": "Office Operations",
            "manager": "Tom Berg",
            "external_ids": [],
            "_row": 9,
        },
    ]
    assert result.source == "issues:OPS+PAY"
    assert result.as_of is None  # max(Updated) is not the export date


def test_cloud_end_to_end():
    outcome = analyse(CLOUD, as_of=date(2025, 11, 20))
    assert outcome.tool == "jira"
    assert outcome.source == "jira:issues:OPS+PAY"
    assert outcome.as_of == date(2025, 11, 20)
    assert outcome.tables == {"tasks": 7, "projects": 2}
    assert [(r.row, r.column) for r in outcome.rejects] == [(6, "Issue key")]
    tasks = outcome.frames["tasks"]
    assert "_row" in tasks.columns
    assert set(tasks["as_of"].to_list()) == {date(2025, 11, 20)}
    assert set(tasks["source"].to_list()) == {"jira:issues:OPS+PAY"}
    assert tasks.filter(tasks["task_id"] == "PAY-214")["estimate_hours"].item() == 16.0


# ---------------------------------------------------------------------------------------------
# Server / Data Center, German UI, current fields
# ---------------------------------------------------------------------------------------------


def test_server_export():
    result = run(SERVER)
    tasks = tasks_by_key(result)
    # No Status Category column: the Status wording decides.
    fin88 = {
        "status": "Closed",
        "status_category": "done",
        "assignee": "jkowalski",
        "completed_date": date(2025, 9, 19),
        "due_date": date(2025, 9, 15),
        "estimate_hours": 8.0,
        "remaining_hours": 0.0,
        "actual_hours": 10.0,  # "Original Estimate"
        "percent_complete": 1.0,
        "story_points": 3.0,
        "parent_id": "FIN-80",  # Epic Link
        "labels": ["etl"],
        "sprints": ["FIN Sprint 9"],
    }
    assert subset(tasks["FIN-88"], fin88) == fin88
    fin91 = {
        "status_category": "in_progress",
        "estimate_hours": 16.0,
        "remaining_hours": 6.0,
        "actual_hours": 10.0,
        "percent_complete": 0.625,  # 10 / (10 + 6)
        "story_points": 8.0,
        "labels": [],
        "sprints": ["FIN Sprint 10"],
    }  # legacy greenhopper Sprint@...[name=...] cell
    assert subset(tasks["FIN-91"], fin91) == fin91
    fin80 = {
        "status": "Open",
        "status_category": "todo",
        "percent_complete": 0.0,
        "is_summary": True,
        "due_date": date(2025, 12, 31),
        "parent_id": None,
    }
    assert subset(tasks["FIN-80"], fin80) == fin80
    assert result.source == "issues:FIN"
    assert result.rejects == []


def test_german_export_through_the_alias_table():
    result = run(GERMAN)
    tasks = tasks_by_key(result)
    log12 = {
        "project_id": "LOG",
        "task_name": "Lager-Scanner einrichten",
        "task_type": "Aufgabe",
        "status": "Fertig",
        "status_category": "done",
        "assignee": "Jonas Weber",
        "completed_date": date(2025, 10, 23),
        "due_date": date(2025, 10, 24),
        "estimate_hours": 4.0,
        "remaining_hours": 0.0,
        "actual_hours": 5.0,  # 14400, 0, 18000 s
        "percent_complete": 1.0,
        "story_points": 2.0,
        "parent_id": "LOG-10",  # Übergeordnet 30010
        "labels": ["lager", "scanner"],
        "sprints": ["LOG Sprint 3"],
        "_row": 2,
    }
    assert subset(tasks["LOG-12"], log12) == log12
    log10 = {
        "status_category": "in_progress",
        "is_summary": True,
        "percent_complete": None,
        "due_date": date(2025, 12, 31),
    }
    assert subset(tasks["LOG-10"], log10) == log10
    log15 = {
        "task_type": "Meilenstein",
        "is_milestone": True,
        "status_category": "todo",
        "percent_complete": 0.0,
        "due_date": date(2026, 1, 15),
        "labels": ["inventur"],
    }
    assert subset(tasks["LOG-15"], log15) == log15
    [project] = result.tables["projects"].iter_rows(named=True)
    assert (project["project_id"], project["project_name"], project["manager"]) == (
        "LOG",
        "Logistik",
        "Petra Schmidt",
    )
    assert result.source == "issues:LOG"


def test_french_export_through_the_alias_table():
    # French UI: "Champs personnalisés (...)", "Temps consacré", dates like 20/juil./25 16:22.
    result = run(FRENCH)
    tasks = tasks_by_key(result)
    fac21 = {
        "project_id": "FAC", "task_name": "Migrer la facturation vers le nouvel ERP", "task_type": "Story",
        "status": "Terminé", "status_category": "done", "assignee": "Hugo Bernard",
        "start_date": date(2025, 6, 16), "due_date": date(2025, 7, 25), "completed_date": date(2025, 7, 20),
        "estimate_hours": 8.0, "remaining_hours": 0.0, "actual_hours": 10.0,   # 28800, 0, 36000 s
        "percent_complete": 1.0, "story_points": 5.0, "parent_id": "FAC-10",  # Parent 41010
        "labels": ["erp", "migration"], "sprints": ["FAC Sprint 4"], "_row": 2,
    }
    assert subset(tasks["FAC-21"], fac21) == fac21
    # In progress: 2 h spent of 2 + 2 h -> 0.5 complete.
    fac22 = {"status_category": "in_progress", "estimate_hours": 4.0, "remaining_hours": 2.0,
             "actual_hours": 2.0, "percent_complete": 0.5, "story_points": 3.0, "start_date": date(2025, 8, 1),
             "due_date": date(2025, 8, 29)}
    assert subset(tasks["FAC-22"], fac22) == fac22
    assert subset(tasks["FAC-10"], {"task_type": "Épopée", "is_summary": True, "actual_hours": None,
                                    "due_date": date(2025, 9, 30)}) == {
        "task_type": "Épopée", "is_summary": True, "actual_hours": None, "due_date": date(2025, 9, 30)}
    assert subset(tasks["FAC-23"], {"status_category": "todo", "percent_complete": 0.0,
                                    "due_date": date(2026, 1, 15)}) == {
        "status_category": "todo", "percent_complete": 0.0, "due_date": date(2026, 1, 15)}
    [project] = result.tables["projects"].iter_rows(named=True)
    assert (project["project_id"], project["project_name"], project["manager"]) == (
        "FAC", "Facturation", "Claire Martin")
    assert result.rejects == []


def test_spanish_export_through_the_alias_table():
    # Spanish UI: "Campo personalizado (...)", "Tiempo empleado", "Clave principal", dates 23/feb/26 10:12 am.
    result = run(SPANISH)
    tasks = tasks_by_key(result)
    ven7 = {
        "project_id": "VEN", "task_name": "Alta de clientes en el portal", "task_type": "Historia",
        "status": "Listo", "status_category": "done", "assignee": "Lucía Romero",
        "start_date": date(2026, 1, 12), "due_date": date(2026, 2, 27), "completed_date": date(2026, 2, 23),
        "estimate_hours": 6.0, "remaining_hours": 0.0, "actual_hours": 7.0,   # 21600, 0, 25200 s
        "percent_complete": 1.0, "story_points": 8.0, "parent_id": "VEN-1", "labels": ["portal"],
        "sprints": ["VEN Sprint 2"], "_row": 2,
    }
    assert subset(tasks["VEN-7"], ven7) == ven7
    ven8 = {"status_category": "in_progress", "estimate_hours": 8.0, "remaining_hours": 4.0,
            "actual_hours": 4.0, "percent_complete": 0.5, "story_points": 5.0, "start_date": date(2026, 4, 1),
            "due_date": date(2026, 4, 30)}
    assert subset(tasks["VEN-8"], ven8) == ven8
    assert subset(tasks["VEN-1"], {"task_type": "Épica", "is_summary": True}) == {
        "task_type": "Épica", "is_summary": True}
    assert subset(tasks["VEN-9"], {"status_category": "todo", "percent_complete": 0.0, "story_points": 1.0,
                                   "due_date": date(2026, 9, 15)}) == {
        "status_category": "todo", "percent_complete": 0.0, "story_points": 1.0, "due_date": date(2026, 9, 15)}
    [project] = result.tables["projects"].iter_rows(named=True)
    assert (project["project_id"], project["project_name"]) == ("VEN", "Ventas Digitales")
    assert result.rejects == []


@pytest.mark.parametrize("header, english", [
    ("Benutzerdefiniertes Feld (Story Points)", "Custom field (Story Points)"),
    ("Champ personnalisé (Story Points)", "Custom field (Story Points)"),
    ("Champs personnalisés (Estimation des story points)", "Custom field (Story point estimate)"),
    ("Campo personalizado (Estimación de puntos de historia)", "Custom field (Story point estimate)"),
    ("Benutzerdefiniertes Feld (Story-Point-Schätzung)", "Custom field (Story point estimate)"),
    ("Σ Temps consacré", "Σ Time Spent"), ("Σ Tiempo empleado", "Σ Time Spent"),
    ("Estimation originale", "Original estimate"), ("Estimación restante", "Remaining Estimate"),
    ("Verbleibende Schätzung", "Remaining Estimate"), ("Catégorie d'état", "Status Category"),
    ("Categoría de estado", "Status Category"),
])
def test_localised_headers_translate(header, english):
    assert jira._translate(header) == english


def test_localised_exports_are_ingested_like_english_ones(tmp_path):
    for path, n in ((FRENCH, 4), (SPANISH, 4), (GERMAN, 3)):
        o = analyse(path)
        assert o.tool == "jira" and o.tables["tasks"] == n, path.name
        assert o.rows_rejected == 0 and o.cells_cleared == 0


def test_story_points_field_of_sizes_is_not_read_as_numbers(tmp_path):
    # A custom field decided over all its values: t-shirt sizes are text, not unreadable numbers.
    path = tmp_path / "sizes.csv"
    path.write_text("Summary,Issue key,Issue Type,Status,Project key,Custom field (Story Points),"
                    "Custom field (Story point estimate)\n"
                    "A,SZ-1,Story,To Do,SZ,XL,3\nB,SZ-2,Story,To Do,SZ,S,\nC,SZ-3,Story,To Do,SZ,M,5\n")
    o = analyse(path)
    sp = dict(zip(o.frames["tasks"]["task_id"], o.frames["tasks"]["story_points"], strict=True))
    assert sp == {"SZ-1": 3.0, "SZ-2": None, "SZ-3": 5.0}     # the team-managed field, which holds numbers
    assert o.rejects == []
    assert ("Custom field (Story Points): holds text such as 'XL', not numbers: not read as story points "
            "(the column is not imported)") in o.notes


def test_german_export_resaved_by_excel_as_cp1252_semicolons(tmp_path):
    path = tmp_path / "jira_excel.csv"
    path.write_bytes(GERMAN.read_text(encoding="utf-8").replace(",", ";").encode("cp1252"))
    outcome = analyse(path)
    assert outcome.tables == {"tasks": 3, "projects": 1}
    tasks = {r["task_id"]: r for r in outcome.frames["tasks"].iter_rows(named=True)}
    assert tasks["LOG-12"]["labels"] == ["lager", "scanner"]
    assert tasks["LOG-12"]["parent_id"] == "LOG-10"


def test_current_fields_export_takes_the_project_from_the_key():
    result = run(CURRENT)
    tasks = tasks_by_key(result)
    ops41 = {
        "project_id": "OPS",
        "task_name": 'Order laptops for new hires ("Q1 batch")',
        "status_category": "done",
        "percent_complete": 1.0,
        "due_date": None,
        "labels": [],
        "sprints": [],
    }
    assert subset(tasks["OPS-41"], ops41) == ops41
    ops30 = {
        "project_id": "OPS",
        "is_summary": True,
        "status_category": "in_progress",
        "due_date": date(2026, 3, 31),
        "finish_date": date(2026, 3, 31),
    }
    assert subset(tasks["OPS-30"], ops30) == ops30
    [project] = result.tables["projects"].iter_rows(named=True)
    assert (project["project_id"], project["project_name"], project["manager"]) == ("OPS", None, None)
    assert result.source == "issues:OPS"


@pytest.mark.parametrize("path", [CLOUD, SERVER, GERMAN, CURRENT], ids=lambda p: p.name)
def test_every_fixture_validates_end_to_end(path):
    outcome = analyse(path)
    assert outcome.tool == "jira"
    assert set(outcome.tables) == {"tasks", "projects"}
    assert all(r.column == "Issue key" for r in outcome.rejects)  # nothing else is refused
    assert outcome.frames["tasks"]["status_category"].null_count() == 0


# ---------------------------------------------------------------------------------------------
# Fingerprint and refusals
# ---------------------------------------------------------------------------------------------


def test_fingerprint_reads_german_headers_through_the_aliases():
    german = GERMAN.read_text(encoding="utf-8").splitlines()[0].split(",")
    english = CLOUD.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert jira.FINGERPRINT.score(german) > 0
    assert jira.FINGERPRINT.score(german) == pytest.approx(jira.FINGERPRINT.score(english), abs=0.1)
    assert jira.FINGERPRINT.missing(german) == []
    assert jira.FINGERPRINT.missing(["Summary", "Issue key"]) == [
        "Issue id",
        "Issue Type",
        "Status Category",
        "Project key",
    ]


def test_export_without_an_issue_key_column_is_refused(tmp_path):
    path = tmp_path / "no_keys.csv"
    path.write_text("Summary,Issue Type,Status\nDo things,Task,Open\n", encoding="utf-8")
    with pytest.raises(IngestFailed, match="no 'Issue key'"):
        analyse(path)
