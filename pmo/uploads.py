"""Pure helpers behind the Data page: staging uploads, warnings before publishing, publish groups,
and writing the column mapper's choices as a mapping file (docs/importing.md). No Streamlit here.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import polars as pl

from pmo import schema
from pmo.importers.base import norm
from pmo.ingest import FileOutcome
from pmo.manifest import Manifest
from pmo.mapping import FRACTION_COLUMNS, MAPPING_REQUIRED, missing_for
from pmo.readers import Grid, read_grids

UPLOAD_TYPES = ("csv", "tsv", "txt", "xlsx", "parquet")
NO_COLUMN = "—"
UNKNOWN_LAYOUT = "no known export layout"


def safe_name(name: str) -> str:
    """An uploaded file's own name, without any folder part or characters a file system refuses."""
    base = re.split(r"[\\/]", name)[-1].strip().replace("\x00", "")
    base = re.sub(r'[<>:"|?*\x01-\x1f]', "_", base)
    return base.lstrip(".") or "upload"


UPLOAD_DIR_PREFIX = "pmo-upload-"


def sweep_upload_dirs(tmp_root: Path, max_age_hours: float = 24.0, now: float | None = None) -> int:
    """Remove upload folders of sessions that ended without Publish or Cancel. Returns how many."""
    now = time.time() if now is None else now
    gone = 0
    for d in tmp_root.glob(UPLOAD_DIR_PREFIX + "*"):
        try:
            if d.is_dir() and now - d.stat().st_mtime > max_age_hours * 3600:
                shutil.rmtree(d, ignore_errors=True)
                gone += 1
        except OSError:
            continue
    return gone


def stage_upload(folder: Path, file_id: str, name: str, data: bytes | BinaryIO) -> Path:
    """Write an upload to folder/<file_id>/<its own name> (the name is what the store logs).

    `data`: the bytes, or a file object (Streamlit's UploadedFile) copied a slice at a time, so
    staging a 200 MB upload does not hold a second copy of it in memory."""
    d = folder / re.sub(r"[^A-Za-z0-9_-]", "_", file_id)
    d.mkdir(parents=True, exist_ok=True)
    path = d / safe_name(name)
    if isinstance(data, (bytes, bytearray)):
        path.write_bytes(data)
    else:
        data.seek(0)
        with path.open("wb") as out:
            shutil.copyfileobj(data, out, 4 << 20)
    return path


def is_unknown_layout(problems: list[str], file_name: str) -> bool:
    """True when analyse refused the file because no importer recognised it (open the mapper)."""
    return bool(problems) and problems[0].startswith(f"{file_name}: {UNKNOWN_LAYOUT}")


# --- warnings before publishing ------------------------------------------------------------------

def stale_tables(manifest: Manifest, outcome: FileOutcome) -> list[tuple[str, str]]:
    """(table, as-of already served) for each current-state table this file would NOT replace.

    A current-state table keeps one segment per source; an export older than the one serving it
    is skipped for that table (it only adds history). The page says so before publishing.
    """
    out = []
    for table in outcome.tables:
        if table in schema.HISTORY_TABLES:
            continue
        seg = manifest.segment(table, outcome.source)
        if seg and seg.as_of and seg.as_of > outcome.as_of.isoformat():
            out.append((table, seg.as_of))
    return out


def earlier_ingests(manifest: Manifest, sha256: str) -> list[dict]:
    """Ingests of exactly this file (same bytes) already in the log, oldest first."""
    return [i for i in manifest.ingests if i.get("sha256") == sha256]


# --- publishing ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PublishItem:
    """One previewed file and the options its preview was made with (publish uses the same)."""

    path: Path
    file_name: str
    as_of: date | None = None          # None = the date the file carries, else today (as the CLI)
    tool: str | None = None
    date_order: str | None = None
    mapping_path: Path | None = None
    currency: str | None = None        # as `pmo ingest --currency`
    allow_empty: bool = False          # as `pmo ingest --allow-empty` (confirmed on the page)

    def group_key(self) -> tuple:
        return (self.as_of, self.tool, self.date_order, str(self.mapping_path or ""), self.currency or "",
                self.allow_empty)


def publish_groups(items: list[PublishItem]) -> list[list[PublishItem]]:
    """Files that can share one `ingest_files` call (one version), in upload order.

    `ingest_files` takes one as-of date, tool, date order, mapping, currency and empty-file choice
    per call, so files that differ in any of these are published as separate calls, one version each.
    """
    groups: dict[tuple, list[PublishItem]] = {}
    for it in items:
        groups.setdefault(it.group_key(), []).append(it)
    return list(groups.values())


# --- the column mapper ---------------------------------------------------------------------------

def header_candidates(path: Path, file_name: str) -> list[tuple[str, list[str]]]:
    """(sheet, header cells) per sheet: the most filled of the first rows is taken as the header."""
    return [(g.sheet, header_of(g)) for g in read_grids(path, file_name)]


def header_of(grid: Grid) -> list[str]:
    rows = grid.head[:15] or [[]]
    best = max(rows, key=lambda r: sum(1 for c in r if c))
    seen, out = set(), []
    for c in best:
        if c and c.strip() and c not in seen:
            seen.add(c)
            out.append(c.strip())
    return out


# Common header spellings per canonical column, tried when the canonical name itself is absent.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "project_id": ("project id", "project key", "project number", "project no", "project #", "proj #",
                   "proj id", "project code"),
    "project_name": ("project name", "project", "project title", "title", "name"),
    "task_name": ("task name", "task", "summary"),
    "manager": ("project manager", "pm", "owner"),
    "start_date": ("start", "start date", "kick off", "kickoff", "begin"),
    "finish_date": ("finish", "finish date", "end", "end date", "go live"),
    "due_date": ("due", "due date"),
    "reported_health": ("rag", "rag status", "health", "overall health", "status rag"),
    "percent_complete": ("% complete", "percent complete", "% done", "progress", "done"),
    "assignee": ("assigned to", "resource", "resource names"),
    "employee_id": ("employee id", "employee number", "worker id", "emp id"),
    "employee_name": ("employee name", "worker", "name"),
    "job_title": ("job title", "title", "job profile", "position"),
    "base_salary": ("base salary", "annual salary", "salary", "base pay"),
}


def guess_columns(table: str, header: list[str]) -> dict[str, str]:
    """Canonical column -> export column where the names match once normalised ('Project ID' ->
    project_id, 'Start date' -> start_date), else a common spelling ('Kick-off' -> start_date).
    Each export column is used once; the preview shows the result before anything is stored."""
    def key(text: str) -> str:
        return norm(text).replace("-", " ")

    by_norm = {key(h): h for h in header}
    out: dict[str, str] = {}
    cols = [c for c in schema.TABLES[table] if c not in ("source", "as_of")]
    for col in cols:                                   # exact names first
        h = by_norm.get(key(col))
        if h:
            out[col] = h
    used = set(out.values())
    for col in cols:
        if col in out:
            continue
        for alias in SYNONYMS.get(col, ()):
            h = by_norm.get(key(alias))
            if h and h not in used:
                out[col] = h
                used.add(h)
                break
    return out


def guess_table(header: list[str]) -> str:
    """The table whose column names the header uses most (3 or more), else projects."""
    counts = {t: len(guess_columns(t, header)) for t in schema.TABLES}
    best = max(counts, key=lambda t: (counts[t], t == "projects"))
    return best if counts[best] >= 3 else "projects"


def column_kind(table: str, column: str) -> str:
    dtype = schema.TABLES[table][column]
    if dtype == schema.Date:
        return "date"
    if dtype in (schema.F64, schema.I64):
        return "number"
    if dtype == schema.Bool:
        return "yes/no"
    if str(dtype).startswith("List"):
        return "list"
    return "text"


def mappable_columns(table: str) -> list[str]:
    """The canonical columns a mapper offers (source and as_of are set by the ingest)."""
    return [c for c in schema.TABLES[table] if c not in ("source", "as_of")]


def constant_candidates(table: str) -> list[str]:
    """Text columns that can sensibly hold one value for every row (not keys, names or titles)."""
    keys = set(schema.NATURAL_KEYS[table])
    return [c for c in mappable_columns(table)
            if column_kind(table, c) == "text" and c not in keys
            and not c.endswith(("_id", "_name")) and c not in ("title", "comment", "job_title")]


def missing_required(table: str, columns: dict[str, str], constants: dict[str, str]) -> list[str]:
    """What the mapping still lacks (the ingest refuses a mapping without it; mapping.missing_for)."""
    have = {c for c, v in columns.items() if v} | {c for c, v in constants.items() if v not in (None, "")}
    missing = [c for c in schema.REQUIRED[table] if c not in have and c not in ("as_of", "source")]
    return missing + [c for c in missing_for(table, have) if c not in missing]


def required_columns(table: str) -> set[str]:
    """Columns the mapper marks with * (every row needs them, or the mapping does)."""
    return ({c for c in schema.REQUIRED[table] if c not in ("as_of", "source")}
            | set(MAPPING_REQUIRED.get(table, ())))


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in str(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def source_id(file_name: str) -> str:
    """A dataset id from a file name: 'Acme register 2026-11.csv' -> 'acme_register'."""
    stem = Path(file_name).stem.lower()
    stem = re.sub(r"[\d]{4}[-_.]?\d{2}([-_.]?\d{2})?", "", stem)      # dates in the name
    slug = re.sub(r"[^a-z0-9]+", "_", stem).strip("_")
    return slug or "mapped"


def mapping_toml(*, table: str, columns: dict[str, str], name: str, source: str,
                 sheet: str | None = None, date_order: str | None = None,
                 decimal: str | None = None, separator: str | None = None,
                 constants: dict[str, str] | None = None) -> str:
    """The text of a mapping file (format in docs/importing.md) from the mapper's choices.

    `date_order` ('dmy' | 'mdy'), `decimal` ('.' | ',') and `separator` apply to every mapped
    column of that kind; empty constants are left out.
    """
    columns = {c: v for c, v in columns.items() if v and v != NO_COLUMN}
    lines = ["# Written by the Data page's column mapper; the format is in docs/importing.md.",
             f"table = {toml_string(table)}", f"name = {toml_string(name)}",
             f"source = {toml_string(source)}"]
    if sheet:
        lines.append(f"sheet = {toml_string(sheet)}")
    lines += ["", "[columns]"]
    lines += [f"{toml_key(c)} = {toml_string(v)}" for c, v in columns.items()]
    formats = []
    for c in columns:
        kind = column_kind(table, c)
        if kind == "date" and date_order in ("dmy", "mdy"):
            formats.append(f"{toml_key(c)} = {toml_string(date_order)}")
        elif kind == "number" and decimal in (".", ",") and c not in FRACTION_COLUMNS:
            formats.append(f"{toml_key(c)} = {{ decimal = {toml_string(decimal)} }}")
        elif kind == "list" and separator:
            formats.append(f"{toml_key(c)} = {{ separator = {toml_string(separator)} }}")
    if formats:
        lines += ["", "[formats]", *formats]
    consts = {c: v for c, v in (constants or {}).items() if v not in (None, "") and c not in columns}
    if consts:
        lines += ["", "[constants]"]
        lines += [f"{toml_key(c)} = {toml_string(v)}" for c, v in consts.items()]
    return "\n".join(lines) + "\n"


# --- what a role may see of the history ----------------------------------------------------------
# A kept raw file holds every row of the export (every portfolio, every person). The rule
# (docs/security.md, "Raw files and history"): a role limited to some portfolios or departments gets
# no raw download at all (the pages, table downloads and SQL explorer give it its own rows); a file
# holding individual pay or capacity only to roles that may see individual salaries. Every raw
# download is audited. Per-file row counts add up rows of every portfolio: a scoped role sees the
# ingest log without them, and without the names of files others published (a file name can name
# another portfolio's project: 'PRJ-1021 S-4HANA Finance Core 2026-11-20.xlsx').
PERSONAL_TABLES = {"salaries", "capacity"}
COUNT_COLUMNS = ("rows_read", "rows_accepted", "rows_rejected", "cells_cleared")
HIDDEN_FILE = "(another person's file: not shown to your role)"


def for_scoped_role(ingests: pl.DataFrame, user: str) -> pl.DataFrame:
    """The ingest log as a role limited to some rows sees it: no per-file counts, and the file
    names of ingests published by others hidden (`user`: the person looking)."""
    out = ingests.with_columns(pl.lit(None, dtype=pl.Int64).alias(c) for c in COUNT_COLUMNS if c in ingests.columns)
    mine = pl.col("user") == user
    if "file_name" in out.columns:
        out = out.with_columns(pl.when(mine).then(pl.col("file_name")).otherwise(pl.lit(HIDDEN_FILE)).alias("file_name"))
    if "source" in out.columns:          # a source is named after its file ('msproject:plan:<project>')
        out = out.with_columns(pl.when(mine).then(pl.col("source")).otherwise(None).alias("source"))
    return out


def versions_for_scoped_role(versions: pl.DataFrame, user: str) -> pl.DataFrame:
    """Version notes name the files published ('ingested a.csv, b.xlsx'): kept only for the
    person's own versions."""
    return versions.with_columns(pl.when(pl.col("user") == user).then(pl.col("note")).otherwise(None).alias("note"))


def raw_download_refusal(role, tables: str | None) -> str | None:
    """Why `role` (pmo.auth.Role) may not download a raw file holding `tables` (the ingest log's
    comma-separated list), or None."""
    from pmo.auth import can

    if role is None or not can(role, "download_raw"):
        return "Raw export files are for analysts and admins."
    if role.scope.restricted:
        return (f"Raw files hold the rows of every portfolio; your role sees {role.scope.describe()}, so they "
                "are not offered. The pages, their downloads and the SQL explorer give your rows.")
    held = {t.strip() for t in (tables or "").split(",") if t.strip()}
    if held & PERSONAL_TABLES and not can(role, "see_individual_salaries"):
        return "This file holds individual pay or capacity, which your role may not see."
    return None
