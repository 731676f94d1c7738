"""monday.com importer: a board export built in-test in the real layout (board-name row, group
rows, header repeated per group, shifted subitem blocks, footer totals, empty rows, an updates
sheet), hand-computed canonical rows."""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path

import polars as pl

from pmo import schema
from pmo.importers import monday, registry
from pmo.importers.base import ImportError_, IngestContext
from pmo.ingest import analyse
from pmo.readers import ReadError

FIXTURES = Path(__file__).parent / "fixtures"
AS_OF = date(2026, 1, 20)
TOOL = "monday"
SOURCE = "monday:Q1 2026 Roadmap"

HEADER = ["Name", "Subitems", "Person", "Status", "Date", "Timeline", "Budget", "Item ID (auto generated)"]
SUB_HEADER = ["Subitems", "Name", "Owner", "Due Date", "Status", "Files", "Link", "Item ID (auto generated)"]
D = dt.date


def board_rows(sub_header=SUB_HEADER) -> list[list]:
    """The board as it sits in the sheet, row 1 first (None = empty cell, [] = empty row)."""
    extra = [None] * (len(sub_header) - len(SUB_HEADER))     # a wider subitem block (Priority ...)
    return [
        ["Q1 2026 Roadmap"],                                                                   # 1
        ["Web Replatform"],                                                                    # 2
        HEADER,                                                                                # 3
        ["Checkout redesign", "Wireframes,UI kit", "Dana Ortiz, Sam Lee", "Working on it",
         D(2026, 1, 30), "2026-01-05 - 2026-02-13", 18000, 9921473310],                       # 4
        sub_header,                                                                            # 5
        [None, "Wireframes", "Sam Lee", D(2026, 1, 16), "Done", None, None, *extra, 9921473388],  # 6
        [None, "UI kit", "Dana Ortiz", D(2026, 1, 30), "Stuck", None, None, *extra, 9921473402],  # 7
        ["Payments API v2", None, "Ben Cho", "Done", D(2026, 1, 23), "2026-01-02 - 2026-01-23", 9500,
         9921473517],                                                                          # 8
        [None, None, None, None, "2026-01-23", None, 27500, None],                            # 9 footer
        [],                                                                                    # 10
        ["Data Platform"],                                                                     # 11
        HEADER,                                                                                # 12
        ["Event pipeline", None, None, None, D(2026, 3, 6), "2026-02-02 - 2026-03-06", 42000,
         9921474001],                                                                          # 13
        ["Schema registry", None, "Lena Vogt", "Stuck", None, "2026-02-10", None, 9921474015],  # 14
        [None, None, None, None, "2026-03-06", None, 42000, None],                            # 15 footer
        [],                                                                                    # 16
    ]


def build_board(path: Path, sub_header=SUB_HEADER) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("q1 2026 roadmap")             # monday names the sheet after the board
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, cells in enumerate(board_rows(sub_header)):
        for c, v in enumerate(cells):
            if v is None:
                continue
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date_fmt)
            else:
                ws.write(r, c, v)
    updates = wb.add_worksheet("q1 2026 roadmap-updates")
    updates.write_row(0, 0, ["Q1 2026 Roadmap Updates"])
    updates.write_row(1, 0, ["Item ID", "Item Name", "Content Type", "Content Type", "User", "Created At",
                             "Update Content", "Likes Count", "Asset IDs", "Post ID", "Parent Post ID"])
    updates.write_row(2, 0, [9921473310, "Checkout redesign", "Update", None, "Dana Ortiz",
                             "03/October/2025  04:00:18 PM", "Kickoff done", 0, None, 1, None])
    wb.close()
    return path


def canon(table: str, **values) -> dict:
    return {c: None for c in schema.TABLES[table]} | values


def row_at(df: pl.DataFrame, r: int) -> dict:
    rows = df.filter(pl.col("_row") == r).to_dicts()
    assert len(rows) == 1, f"row {r}: {rows}"
    return rows[0]


def test_board_items_subitems_groups_and_footers(tmp_path):
    o = analyse(build_board(tmp_path / "Q1_2026.xlsx"), as_of=AS_OF)
    assert o.tool == TOOL and o.source == SOURCE
    tasks = o.frames["tasks"]
    assert sorted(tasks["_row"].to_list()) == [4, 6, 7, 8, 13, 14]     # no headers, groups, footers
    assert o.rows_read == 6 and o.rejects == []
    assert any("2 group total row(s) skipped" in n for n in o.notes)
    assert row_at(tasks, 4) == canon(
        "tasks", task_id="9921473310", project_id="Q1 2026 Roadmap", task_name="Checkout redesign",
        task_type="Item", status="Working on it", status_category="in_progress", assignee="Dana Ortiz",
        start_date=date(2026, 1, 5), finish_date=date(2026, 2, 13), due_date=date(2026, 1, 30),
        is_milestone=False, is_summary=True, cost=18000.0, labels=["Web Replatform"],
        source=SOURCE, as_of=AS_OF, _row=4)
    assert row_at(tasks, 7) == canon(
        "tasks", task_id="9921473402", project_id="Q1 2026 Roadmap", task_name="UI kit",
        task_type="Subitem", status="Stuck", status_category="in_progress", assignee="Dana Ortiz",
        due_date=date(2026, 1, 30), is_milestone=False, is_summary=False, parent_id="9921473310",
        labels=["Web Replatform"], source=SOURCE, as_of=AS_OF, _row=7)
    assert row_at(tasks, 13) == canon(
        "tasks", task_id="9921474001", project_id="Q1 2026 Roadmap", task_name="Event pipeline",
        task_type="Item", status_category="todo", start_date=date(2026, 2, 2),
        finish_date=date(2026, 3, 6), due_date=date(2026, 3, 6), percent_complete=0.0,
        is_milestone=False, is_summary=False, cost=42000.0, labels=["Data Platform"],
        source=SOURCE, as_of=AS_OF, _row=13)
    # A one-day timeline is a single date; Done -> 1.0
    assert (row_at(tasks, 14)["start_date"], row_at(tasks, 14)["finish_date"]) == (date(2026, 2, 10),) * 2
    assert row_at(tasks, 6)["percent_complete"] == 1.0
    assert row_at(tasks, 8)["labels"] == ["Web Replatform"] and row_at(tasks, 8)["parent_id"] is None


def test_subitem_columns_wider_than_the_item_header_are_kept(tmp_path):
    wide = SUB_HEADER[:-1] + ["Priority", "Item ID (auto generated)"]
    o = analyse(build_board(tmp_path / "wide.xlsx", sub_header=wide), as_of=AS_OF)
    subs = o.frames["tasks"].filter(pl.col("task_type") == "Subitem")
    assert subs["task_id"].to_list() == ["9921473388", "9921473402"]
    assert set(subs["parent_id"]) == {"9921473310"}


def test_without_the_workbook_path_the_sheet_name_is_the_board(tmp_path):
    path = build_board(tmp_path / "Q1_2026.xlsx")
    (match,) = registry.detect(path)
    table = match.table()
    table.meta.pop("path")
    result = monday.parse([table], IngestContext(as_of=AS_OF, file_name=path.name, settings={}))
    tasks = result.tables["tasks"]
    assert set(tasks["project_id"]) == {"q1 2026 roadmap"} and result.source == "q1 2026 roadmap"
    labels = dict(zip(tasks["_row"].to_list(), tasks["labels"].to_list(), strict=True))
    assert labels[4] == [] and labels[13] == ["Data Platform"]   # the first group row is above the header
    assert tasks.height == 6


def test_board_detected_as_monday_only(tmp_path):
    path = build_board(tmp_path / "Q1_2026.xlsx")
    assert [(m.tool, m.grid.sheet) for m in registry.detect(path)] == [(TOOL, "q1 2026 roadmap")]


def test_other_tools_files_are_not_taken():
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".csv", ".xlsx"):
            continue
        try:
            tools = [m.tool for m in registry.detect(path)]
        except (ImportError_, ReadError):
            continue
        assert TOOL not in tools, path


def test_updates_sheet_alone_is_not_a_board():
    header = ["Item ID", "Item Name", "Content Type", "Content Type", "User", "Created At", "Update Content"]
    assert monday.FINGERPRINT.score(header) == 0.0


def test_budget_column_of_ids_is_not_read_as_numbers(tmp_path):
    # A board column named Budget that holds codes (leading zeros kept as text) is left out.
    import xlsxwriter

    path = tmp_path / "ids.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Vendors")
    rows = [["Vendors"], ["Open"], ["Name", "Subitems", "Status", "Budget", "Item ID (auto generated)"],
            ["Acme", None, "Done", "00123", "9921470001"], ["Globex", None, "Stuck", "B-2026-07", "9921470002"]]
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    wb.close()
    o = analyse(path, as_of=AS_OF)
    tasks = o.frames["tasks"]
    assert tasks["task_id"].to_list() == ["9921470001", "9921470002"]
    assert tasks["cost"].to_list() == [None, None] and o.rejects == []
    assert "Budget: holds text such as '00123', not numbers: not read as cost (the column is not imported)" in o.notes
