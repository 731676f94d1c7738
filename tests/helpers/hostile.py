"""The sample exports with Markdown in their names: every project name, the project managers' and
HR workers' names, risk and issue titles, status comments, gate approvers, long task names and Jira
summaries get one of PAYLOADS appended, in every file that names them (so joins by name still hold),
and the result is ingested as the sample data is. Used by tests/test_no_markup_from_data.py."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import openpyxl

from pmo.demo import SAMPLE_DIR, sample_files

PAYLOADS = ("[x](https://example.invalid)", "![](https://example.invalid/p.png)", ":red-badge[x]",
            "<script>", "**bold**", "$x$")

# (file glob, sheet or None for CSV, column): free text that reaches pages (never a code, a status
# or a stage, which the importers map)
TEXT_COLUMNS = [
    ("project_server/ProjectData_2026-11-20.xlsx", "Projects", "ProjectName"),
    ("project_server/ProjectData_2026-11-20.xlsx", "Projects", "ProjectManagerName"),
    ("project_server/ProjectData_2026-11-20.xlsx", "Projects", "StatusComment"),
    ("project_server/ProjectData_2026-*.xlsx", "Projects", "StatusComment"),
    ("project_server/ProjectData_2026-11-20.xlsx", "Tasks", "TaskName"),
    ("project_server/ProjectData_2026-11-20.xlsx", "Risks", "Title"),
    ("project_server/ProjectData_2026-11-20.xlsx", "Issues", "Title"),
    ("raid/pmo_raid_log_2026-11-20.xlsx", "RAID log", "Title"),
    ("governance/stage_gate_log_2026-11-20.xlsx", "Gate log", "Approver"),
    ("hr/workday_pmo_compensation_2026-11-01.csv", None, "Worker"),
    ("jira/jira_server_DATA_2026-11-20.csv", None, "Summary"),
]
# a job title the title map does not know (listed as text on the Salary page); renaming every title
# would leave nobody on a market band
UNMAPPED_TITLES = ["Scrum Master"]


def _column_values(path: Path, sheet: str | None, column: str) -> list[str]:
    if sheet is None:
        with path.open(newline="", encoding="utf-8-sig") as f:
            return [row[column] for row in csv.DictReader(f) if row.get(column)]
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = wb[sheet].iter_rows(values_only=True)
    for header in rows:
        if column in header:
            break
    i = header.index(column)
    return [r[i] for r in rows if isinstance(r[i], str) and r[i]]


def renames() -> dict[str, str]:
    """{text as exported: the same text with a payload appended}. Task names and summaries only
    when they are several words (a one-word task such as 'Initiation' is also a stage name)."""
    values: list[str] = []
    for pattern, sheet, column in TEXT_COLUMNS:
        for path in sorted(SAMPLE_DIR.glob(pattern)):
            for v in _column_values(path, sheet, column):
                if column in ("TaskName", "Summary") and len(v.split()) < 3:
                    continue
                if v not in values:
                    values.append(v)
    values += [t for t in UNMAPPED_TITLES if t not in values]
    return {v: f"{v} {PAYLOADS[i % len(PAYLOADS)]}" for i, v in enumerate(values)}


def write_hostile_exports(dest: Path) -> dict[str, str]:
    """Copy every sample export under `dest` with `renames()` applied to each text cell (the whole
    cell or inside it, the longest name first, each cell once). Returns the renames."""
    names = renames()
    pattern = re.compile("|".join(re.escape(k) for k in sorted(names, key=len, reverse=True)))

    def sub(text: str) -> str:
        return pattern.sub(lambda m: names[m.group(0)], text)

    for src in sample_files():
        out = dest / src.relative_to(SAMPLE_DIR)
        out.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix.lower() == ".xlsx":
            wb = openpyxl.load_workbook(src)
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str):
                            cell.value = sub(cell.value)
            wb.save(out)
        elif src.suffix.lower() in (".csv", ".tsv", ".txt"):
            raw = src.read_bytes()
            bom = raw.startswith(b"\xef\xbb\xbf")
            text = sub(raw.decode("utf-8-sig"))
            out.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
        else:
            shutil.copy2(src, out)
    return names


def hostile_store(root: Path):
    """A store holding the hostile copy of the sample exports (with the sample company's settings),
    summary tables built. Returns (Store, renames)."""
    from pmo.ingest import ingest_files
    from pmo.store import Store

    exports = root / "exports"
    names = write_hostile_exports(exports)
    store = Store(root / "store")
    store.root.mkdir(parents=True, exist_ok=True)
    store.path("config.toml").write_text((SAMPLE_DIR / "store_config.toml").read_text())
    files = sorted(p for p in exports.rglob("*") if p.is_file())
    ingest_files(store, files, user="demo")
    return store, names
