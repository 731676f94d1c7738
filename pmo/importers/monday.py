"""monday.com board export (board menu > Export board to Excel, .xlsx).

Layout (shared reference export-formats.md §5.2, from a real export): sheet 1 is named after the
board; row 1 holds the board name alone; then for each group a row with the group name alone in
column A, the header `Name | Subitems | <board columns> | Item ID (auto generated)`, the item
rows; after an item with subitems a subitem header shifted one column right (`Subitems | Name |
<subitem columns> | Item ID (auto generated)`) and the subitem rows (column A empty); each group
ends with a footer of column totals (column A empty) and an empty row.

The registry finds the first header and hands over everything below it; this module walks those
rows itself:
    group-name row (only column A filled)     -> the current group
    a repeated item header                    -> skipped
    a subitem header                          -> subitem mode, columns named by that header
    column A empty, B filled, in subitem mode -> a subitem of the last item
    column A empty otherwise                  -> a group footer (totals), skipped
    empty row                                 -> skipped, ends subitem mode
    anything else                             -> an item
The workbook is read again (its path comes from the reader) so that the board-name and first
group rows above the header are seen, and subitem columns wider than the item header are kept.

Mapping to `tasks` (items and subitems alike):
    task_id          Item ID (auto generated), as text
    project_id       the board name from row 1; the sheet name (which monday names after the board)
                     when row 1 cannot be read
    task_name        Name                 status   Status label as written
    status_category  Done / Complete(d) / Closed -> done; empty / Not Started / To Do / New /
                     Planned -> todo; any other label (Working on it, Stuck, Waiting for review ...)
                     -> in_progress
    assignee         first person of the Person (People / Owner / Assignee) column, `A, B` -> A
    start_date / finish_date   Timeline `2026-01-05 - 2026-01-23` split at ` - `
    due_date         Date (Due Date / Deadline)
    cost             Budget (Cost / Numbers), the board's own currency, when the column holds numbers
                     (a board column of codes or ids, `00123`, is left out with a note)
    percent_complete done -> 1.0, todo -> 0.0, else NULL
    is_summary       an item with subitems (a Subitems cell or subitem rows)
    parent_id        subitems: the item above them; items: empty
    labels           [the group name]: monday groups are often sprints, phases or teams, so the
                     group travels as a label rather than a sprint
    Other board columns (Files, Link, ...) are not imported.

Source: the board name. `as_of` is None.
"""

from __future__ import annotations

import re

import polars as pl

from pmo import parse as pp
from pmo.importers._common import Cells, first_listed, tables_of, unique_names
from pmo.importers.base import Fingerprint, ImportResult, IngestContext, RawTable, norm

TOOL = "monday"
LABEL = "monday.com board export"
VERSION = "1"
TABLES = ("tasks",)

FINGERPRINT = Fingerprint(
    strong=("Name", "Subitems", "Item ID (auto generated)"),
    weak=("Person", "Status", "Date", "Timeline"),
    need=2,
    forbid=("Issue key", "Task ID", "Work Item Type"),
)

_ITEM_ID = norm("Item ID (auto generated)")
_DONE = ("done", "complete", "completed", "closed", "finished")
_TODO = ("not started", "to do", "todo", "new", "planned", "backlog")

PERSON = ("Person", "People", "Owner", "Assignee", "Assigned To", "Responsible")
DATE = ("Date", "Due Date", "Due date", "Deadline", "Due")
BUDGET = ("Budget", "Cost", "Costs", "Numbers")


def parse(tables: list[RawTable] | RawTable, ctx: IngestContext) -> ImportResult:
    tables = tables_of(tables)
    result = ImportResult(tables={}, source="")
    frames, boards = [], []
    for t in tables:
        board, frame = _board(t, result, ctx)
        boards.append(board)
        frames.extend(frame)
    tasks = pl.concat(frames, how="diagonal_relaxed")
    has_children = set(tasks["parent_id"].drop_nulls().to_list())
    result.tables["tasks"] = tasks.with_columns(
        is_summary=pl.col("is_summary") | pl.col("task_id").is_in(list(has_children)))
    result.source = "+".join(sorted(set(boards)))
    return result


def _board(t: RawTable, result: ImportResult, ctx: IngestContext) -> tuple[str, list[pl.DataFrame]]:
    above, body = _sheet_rows(t)
    singles = [r[0] for r in above if r and r[0] and not any(r[1:])]
    board = singles[0] if singles else t.sheet
    group = singles[-1] if len(singles) >= 2 else None
    header = [c or "" for c in t.header]

    items: list[tuple[int, str | None, list]] = []
    subitems: dict[tuple, list[tuple[int, str | None, str | None, list]]] = {}
    sub_header: tuple | None = None
    last_item: str | None = None
    id_pos = _pos(header, _ITEM_ID)
    footers = 0
    for row_no, cells in body:
        filled = [bool(c) for c in cells]
        first = norm(cells[0]) if cells else ""
        if not any(filled):
            sub_header = None
            continue
        if first == "name" and any(norm(c) == _ITEM_ID for c in cells if c):
            sub_header = None                                   # header repeated per group
            continue
        if first == "subitems" and len(cells) > 1 and norm(cells[1]) == "name":
            sub_header = tuple(c or "" for c in cells)          # subitem block starts
            continue
        if not filled[0]:
            if sub_header is not None and len(cells) > 1 and filled[1]:
                subitems.setdefault(sub_header, []).append((row_no, group, last_item, cells))
            else:
                footers += 1                                    # group totals
            continue
        if not any(filled[1:]):
            group, sub_header = cells[0], None                  # group-name row
            continue
        sub_header = None
        items.append((row_no, group, cells))
        last_item = _id(cells[id_pos]) if id_pos is not None and id_pos < len(cells) else None
    result.rows_read += len(items) + sum(len(v) for v in subitems.values())
    if footers:
        result.notes.append(f"{t.sheet}: {footers} group total row(s) skipped")

    frames = [_frame(t, header, [(r, g, None, c) for r, g, c in items], board, result, ctx)]
    for sh, rows in subitems.items():
        frames.append(_frame(t, list(sh), rows, board, result, ctx))
    return board, frames


def _frame(t: RawTable, header: list[str], rows: list[tuple], board: str, result: ImportResult,
           ctx: IngestContext) -> pl.DataFrame:
    """Items (or one block layout of subitems) -> canonical task rows."""
    names = unique_names(header)
    width = len(names)
    data = {n: pl.Series(n, [(c[i] if i < len(c) else None) for *_, c in rows], dtype=pl.String)
            for i, n in enumerate(names)}
    df = pl.DataFrame({"_row": pl.Series([r[0] for r in rows], dtype=pl.Int64), **data})
    sub = width > 1 and norm(header[0]) == "subitems" and norm(header[1]) == "name"
    rt = RawTable(t.file_name, t.sheet, header, df, t.header_row, t.meta)
    c = Cells(rt, df, result, "tasks", ctx)
    status = c.text("Status")
    s = pl.col("s").str.strip_chars().str.to_lowercase()
    category = pl.DataFrame({"s": status}).select(
        pl.when(s.is_in(_DONE)).then(pl.lit("done"))
        .when(s.is_null() | s.is_in(_TODO)).then(pl.lit("todo"))
        .otherwise(pl.lit("in_progress")).alias("x"))["x"]
    # `2026-01-05 - 2026-01-23`; a one-day timeline may be a single date.
    text = c.text("Timeline")
    parts = pl.DataFrame({"t": text}).select(
        pl.col("t").str.extract(r"^(.+?)\s+-\s+.+$", 1).fill_null(pl.col("t")).alias("a"),
        pl.col("t").str.extract(r"^.+?\s+-\s+(.+)$", 1).fill_null(pl.col("t")).alias("b"))
    start = c.use(pp.to_date(parts["a"], c.order, c.default_order, "Timeline"), "Timeline",
                  "a timeline start", source=text)
    finish = c.use(pp.to_date(parts["b"], c.order, c.default_order, "Timeline"), "Timeline",
                   "a timeline end", source=text)
    name_col = names[1] if sub else names[0]
    subitems_col = None if sub else c.name("Subitems")
    n = df.height
    return pl.DataFrame({
        "_row": df["_row"],
        "task_id": c.text("Item ID (auto generated)", "Item ID").str.replace(r"\.0+$", ""),
        "project_id": pl.Series([board] * n, dtype=pl.String),
        "task_name": df[name_col],
        "task_type": pl.Series(["Subitem" if sub else "Item"] * n, dtype=pl.String),
        "status": status,
        "status_category": category,
        "assignee": first_listed(c.text(*PERSON)),
        "start_date": start,
        "finish_date": finish,
        "due_date": c.date(*DATE),
        "percent_complete": category.replace_strict({"done": 1.0, "todo": 0.0}, default=None,
                                                    return_dtype=pl.Float64),
        "is_milestone": pl.Series([False] * n, dtype=pl.Boolean),
        "is_summary": (df[subitems_col].is_not_null() if subitems_col else pl.Series([False] * n, dtype=pl.Boolean)),
        "cost": c.custom_number("cost", *BUDGET),
        "parent_id": pl.Series([r[2] for r in rows], dtype=pl.String),
        "labels": pl.Series([[r[1]] if r[1] else [] for r in rows], dtype=pl.List(pl.String)),
    })


def _sheet_rows(t: RawTable) -> tuple[list[list], list[tuple[int, list]]]:
    """(rows above the header, [(sheet row number, cells)] below it). Re-reads the workbook when
    the reader passed its path (full width, rows above the header); else uses the table as given."""
    path = t.meta.get("path")
    if path and t.meta.get("format") == "xlsx":
        import fastexcel

        # skip_rows=0 keeps leading empty rows, so list positions are sheet rows - 1.
        frame = fastexcel.read_excel(path).load_sheet(t.sheet, header_row=None, dtypes="string",
                                                      skip_rows=0).to_polars()
        rows = [[_cell(v) for v in r] for r in frame.iter_rows()]
        want = [norm(h) for h in t.header if h]
        h = next((i for i, r in enumerate(rows) if [norm(c) for c in r if c][:len(want)] == want), None)
        if h is not None:
            return rows[:h], [(i + 1, rows[i]) for i in range(h + 1, len(rows))]
    cols = [c for c in t.data.columns if c != "_row"]
    return [], list(zip(t.data["_row"].to_list(), [list(r) for r in t.data.select(cols).rows()],
                        strict=True))


def _cell(v) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _id(v: str | None) -> str | None:
    return re.sub(r"\.0+$", "", v) if v else None


def _pos(header: list[str], wanted: str) -> int | None:
    return next((i for i, h in enumerate(header) if norm(h) == wanted), None)
