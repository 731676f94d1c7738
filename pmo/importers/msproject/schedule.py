"""Schedule logic and the schedule-quality fields of MS Project exports (the DCMA checks read them).

Desktop plans (grid or export wizard; header matching ignores case, spaces and underscores):
    Predecessors       -> `task_links`: `3`, `3FS+2 days`, `3SS`, `3FF-1d`, `5SS+50%`, separated by
                          `,` or `;` (the Windows list separator). The numbers are the plan's row
                          IDs (the `ID` column), turned into task ids (Unique ID when exported). A
                          type is FS / SS / FF / SF (German EA / AA / EE / AE, French FD / DD / FF /
                          DF); none = FS. The lag keeps its text; lag_days = working days (hours /
                          [governance] hours_per_day; `w` 5 days, `mo` 20), elapsed units in calendar
                          days (`2 edays` = 2, `1 ewk` = 7); a percentage lag has no day value.
                          `Unique ID Predecessors`, when exported, is used as is (already task ids).
                          A link to a task outside the plan (an external `Project1\\3`, a missing ID)
                          is left out and counted in a note.
    Constraint Type    -> constraint_type ASAP / ALAP / SNET / SNLT / FNET / FNLT / MSO / MFO (English
                          and German names); Constraint Date -> constraint_date
    Total Slack        -> total_slack_days (`5 days`, `-3 days`, `1 wk`)
    Duration / Baseline Duration -> duration_days / baseline_duration_days
    Actual Start       -> actual_start_date (`NA` = not started)
Project Online / Project Server ProjectData (values in decimal hours): TaskTotalSlack ->
total_slack_days, TaskDuration -> duration_days, TaskBaselineDuration (TaskBaselines, baseline 0)
-> baseline_duration_days, TaskActualStartDate -> actual_start_date. ProjectData has no task
links and no constraint type: the checks that need them say "not measurable".

`schedule_exports` gets one row per project and export: which of the fields the DCMA checks need
the export carried (by its header: a column present but empty is still carried).
"""

from __future__ import annotations

import re

import polars as pl

from pmo import parse as pp
from pmo.importers.base import ImportResult, IngestContext, RawTable, Reject, norm
from pmo.importers.msproject.columns import _Cols, _clean_id

CONSTRAINTS = {
    "as soon as possible": "ASAP", "asap": "ASAP", "so früh wie möglich": "ASAP",
    "as late as possible": "ALAP", "alap": "ALAP", "so spät wie möglich": "ALAP",
    "start no earlier than": "SNET", "snet": "SNET", "anfang nicht früher als": "SNET",
    "start no later than": "SNLT", "snlt": "SNLT", "anfang nicht später als": "SNLT",
    "finish no earlier than": "FNET", "fnet": "FNET", "ende nicht früher als": "FNET",
    "finish no later than": "FNLT", "fnlt": "FNLT", "ende nicht später als": "FNLT",
    "must start on": "MSO", "mso": "MSO", "muss anfangen am": "MSO",
    "must finish on": "MFO", "mfo": "MFO", "muss enden am": "MFO",
}
LINK_TYPES = {"fs": "FS", "ss": "SS", "ff": "FF", "sf": "SF",
              "ea": "FS", "aa": "SS", "ee": "FF", "ae": "SF",      # German: Ende-Anfang ...
              "fd": "FS", "dd": "SS", "df": "SF"}                  # French: fin-début ...
_LINK = re.compile(r"^\s*(\d+)\s*([A-Za-z]{2})?\s*(?:([+-])\s*(.+?))?\s*$")
# Units of a lag in working days (w = 5 days, mo = 20); elapsed ones in calendar days.
_LAG_DAYS = {"d": 1.0, "dy": 1.0, "day": 1.0, "days": 1.0, "t": 1.0, "tag": 1.0, "tage": 1.0,
             "j": 1.0, "jour": 1.0, "jours": 1.0,
             "w": 5.0, "wk": 5.0, "wks": 5.0, "week": 5.0, "weeks": 5.0,
             "mo": 20.0, "mon": 20.0, "mons": 20.0, "month": 20.0, "months": 20.0,
             "ed": 1.0, "eday": 1.0, "edays": 1.0, "ew": 7.0, "ewk": 7.0, "ewks": 7.0,
             "emo": 30.0, "emon": 30.0, "emons": 30.0}
_LAG_HOURS = {"h": 1.0, "hr": 1.0, "hrs": 1.0, "hour": 1.0, "hours": 1.0, "m": 1 / 60, "min": 1 / 60,
              "mins": 1 / 60, "minute": 1 / 60, "minutes": 1 / 60}
_LAG_ELAPSED_HOURS = {"eh": 1 / 24, "ehr": 1 / 24, "ehrs": 1 / 24, "emin": 1 / 1440, "emins": 1 / 1440}

DESKTOP_FIELDS = {   # field -> the header names that carry it
    "predecessors": ("Predecessors", "Unique ID Predecessors"),
    "total_slack": ("Total Slack",),
    "constraint_type": ("Constraint Type",),
    "actual_start": ("Actual Start",),
    "actual_finish": ("Actual Finish",),
    "baseline_start": ("Baseline Start",),
    "baseline_finish": ("Baseline Finish",),
    "baseline_duration": ("Baseline Duration",),
    "duration": ("Duration",),
    "assignee": ("Resource Names",),
}
ODATA_FIELDS = {
    "total_slack": ("TaskTotalSlack",),
    "actual_start": ("TaskActualStartDate",),
    "actual_finish": ("TaskActualFinishDate",),
    "baseline_start": ("TaskBaselineStartDate",),
    "baseline_finish": ("TaskBaselineFinishDate",),
    "baseline_duration": ("TaskBaselineDuration",),
    "duration": ("TaskDuration",),
    "assignee": ("TaskResourceNames", "ResourceNames"),
}


def hours_per_day(ctx: IngestContext) -> float:
    """[governance] hours_per_day (8 when not set or not a positive number)."""
    value = ((ctx.settings or {}).get("governance", {}) or {}).get("hours_per_day", 8)
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else 8.0


def fields(headers: list[list[str]], names: dict[str, tuple[str, ...]]) -> list[str]:
    """The schedule fields whose column is in any of the `headers` (in `names` order)."""
    present = {norm(h) for header in headers for h in header if h}
    return [f for f, cols in names.items() if any(norm(c) in present for c in cols)]


def constraint_type(c: _Cols, *names: str) -> pl.Series:
    """Constraint names -> ASAP ... MFO; an unknown name is a value-level reject."""
    col = c.t.col(*names)
    if col is None:
        return c._none(pl.String)
    key = c.df[col].str.strip_chars().str.to_lowercase().str.replace_all(r"\s+", " ")
    values = key.replace_strict(CONSTRAINTS, default=None, return_dtype=pl.String)
    bad = (key.is_not_null() & (key != "") & values.is_null()).fill_null(False)
    return c._use(pp.Parsed(values, bad, ""), col, "a constraint type (As Soon As Possible ... Must Finish On)")


def desktop_columns(c: _Cols, hpd: float) -> dict[str, pl.Series]:
    """The schedule columns of a desktop plan's tasks (same row order as `c.df`)."""
    return {
        "actual_start_date": c.date("Actual Start", "Actual_Start"),
        "duration_days": c.hours("Duration", bare_unit="d") / hpd,
        "baseline_duration_days": c.hours("Baseline Duration", "Baseline_Duration", bare_unit="d") / hpd,
        "total_slack_days": c.hours("Total Slack", "Total_Slack", bare_unit="d") / hpd,
        "constraint_type": constraint_type(c, "Constraint Type", "Constraint_Type"),
        "constraint_date": c.date("Constraint Date", "Constraint_Date"),
    }


def lag_days(amount: str, hpd: float) -> float | None:
    """`2 days` -> 2.0, `4 hrs` -> 0.5 (8 h days), `1 wk` -> 5.0, `2 edays` -> 2.0; `50%` -> None."""
    m = re.fullmatch(r"([0-9]+(?:[.,][0-9]+)?)\s*([a-zäéû]*)\??", amount.strip().lower())
    if not m:
        return None
    number = float(m.group(1).replace(",", "."))
    unit = m.group(2) or "d"
    if unit in _LAG_DAYS:
        return number * _LAG_DAYS[unit]
    if unit in _LAG_HOURS:
        return number * _LAG_HOURS[unit] / hpd
    if unit in _LAG_ELAPSED_HOURS:
        return number * _LAG_ELAPSED_HOURS[unit]
    return None


def desktop_links(t: RawTable, c: _Cols, task_ids: pl.Series, hpd: float,
                  result: ImportResult) -> pl.DataFrame:
    """`task_links` rows (task_id, predecessor_id, link_type, lag_days, lag_text, _row) of a plan."""
    unique_col = t.col("Unique ID Predecessors", "Unique_ID_Predecessors")
    pred_col = unique_col or t.col("Predecessors")
    if pred_col is None:
        return pl.DataFrame()
    known = set(task_ids.to_list())
    if unique_col is not None:
        by_ref = {i: i for i in known}
    else:
        row_ids = _clean_id(c.text("ID"))
        by_ref = ({r: i for r, i in zip(row_ids.to_list(), task_ids.to_list(), strict=True) if r is not None}
                  if row_ids.is_not_null().any() else {i: i for i in known})
    rows, dropped, unreadable = [], 0, []
    for r, task, cell in zip(c.df["_row"].to_list(), task_ids.to_list(), c.df[pred_col].to_list(), strict=True):
        if not cell or not str(cell).strip():
            continue
        for item in re.split(r"[,;]", str(cell)):
            if not item.strip():
                continue
            m = _LINK.match(item)
            kind = LINK_TYPES.get((m.group(2) or "fs").lower()) if m else None
            if m is None or kind is None:
                if "\\" in item or "/" in item:
                    dropped += 1          # an external link (another project file)
                else:
                    unreadable.append((r, item.strip()))
                continue
            pred = by_ref.get(m.group(1))
            if pred is None:
                dropped += 1
                continue
            sign, amount = m.group(3), m.group(4)
            lag_text = f"{sign}{amount.strip()}" if sign else None
            days = None
            if sign and not amount.strip().endswith("%"):
                days = lag_days(amount, hpd)
                if days is None:
                    unreadable.append((r, item.strip()))
                    continue
                days = -days if sign == "-" else days
            rows.append({"_row": r, "task_id": task, "predecessor_id": pred, "link_type": kind,
                         "lag_days": 0.0 if not sign else days, "lag_text": lag_text})
    for r, text in unreadable:
        result.rejects.append(Reject(r, pred_col, text, "not a predecessor (like 3, 3FS+2 days, 5SS); "
                                     "that link is left out", "task_links"))
    if dropped:
        result.notes.append(f"{dropped} predecessor link(s) to tasks outside the plan (external projects or "
                            "missing IDs) left out")
    schema = {"_row": pl.Int64, "task_id": pl.String, "predecessor_id": pl.String, "link_type": pl.String,
              "lag_days": pl.Float64, "lag_text": pl.String}
    return pl.DataFrame(rows, schema=schema).unique(["task_id", "predecessor_id"], keep="first",
                                                    maintain_order=True)


def export_rows(tasks: pl.DataFrame, export: str, carried: list[str]) -> pl.DataFrame:
    """One `schedule_exports` row per project of `tasks`."""
    counts = tasks.group_by("project_id", maintain_order=True).agg(
        pl.len().cast(pl.Int64).alias("task_count"), pl.col("_row").min())
    return counts.with_columns(export=pl.lit(export),
                               fields=pl.lit(carried, dtype=pl.List(pl.String)))
