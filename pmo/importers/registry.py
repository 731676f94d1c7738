"""Find the importer for a file: every module in this package, every sheet, every candidate header row.

Detection is by header fingerprint only (never by file name), so a renamed export still goes to
the right importer. When nothing matches, the error names the closest tools and the columns they
missed, which is what an analyst needs to fix the export or write a mapping file.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import polars as pl

from pmo.importers._common import unique_names
from pmo.importers.base import ImportError_, RawTable, norm
from pmo.readers import Grid, read_grids

_NOT_IMPORTERS = {"base", "registry"}


@cache
def modules() -> dict[str, ModuleType]:
    """Every importer module in this package, by TOOL id."""
    found: dict[str, ModuleType] = {}
    package = importlib.import_module("pmo.importers")
    for info in pkgutil.iter_modules(package.__path__):
        if info.name in _NOT_IMPORTERS or info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"pmo.importers.{info.name}")
        if hasattr(mod, "FINGERPRINT") and hasattr(mod, "parse"):
            found[mod.TOOL] = mod
    return found


@dataclass
class Match:
    tool: str
    module: ModuleType
    score: float
    grid: Grid
    header_index: int

    def keep(self) -> list[int] | None:
        """Column positions the importer asked for (`needed_columns`), or None for all."""
        needed = getattr(self.module, "needed_columns", None)
        if needed is None or self.grid.typed is not None:
            return None
        header = [c or "" for c in self.grid.head[self.header_index]]
        wanted = needed(header)
        if wanted is None:
            return None
        return [i for i, h in enumerate(header) if norm(h) in {norm(w) for w in wanted}]

    def table(self) -> RawTable:
        return raw_table(self.grid, self.header_index, self.keep())

    def tables_in_batches(self, rows: int):
        """The same RawTable a slice of rows at a time (big CSVs; see Grid.iter_batches)."""
        for header, data in self.grid.iter_batches(self.header_index, self.keep(), rows):
            yield _named(self.grid, self.header_index, header, data)


def raw_table(grid: Grid, header_index: int, keep: list[int] | None = None) -> RawTable:
    """The rows below `header_index` of `grid`, named by their (de-duplicated) headers.

    `keep` limits a CSV to the column positions an importer asked for (`needed_columns`)."""
    if grid.typed is not None:
        df = grid.typed
        header = list(df.columns)
        data = df.cast({c: pl.String for c in df.columns}).rename(
            {c: f"c{i}" for i, c in enumerate(df.columns)})
        data = data.with_row_index("_row", offset=2).with_columns(pl.col("_row").cast(pl.Int64))
    else:
        header, data = grid.load(header_index, keep)
    return _named(grid, header_index, header, data)


def _named(grid: Grid, header_index: int, header: list, data: pl.DataFrame) -> RawTable:
    names = unique_names(header)
    data = data.rename({c: names[int(c[1:])] for c in data.columns if c != "_row"})
    return RawTable(grid.file_name, grid.sheet, [h or "" for h in header], data,
                    header_index + 1, dict(grid.meta))


def _best_in_grid(grid: Grid, only: str | None) -> list[Match]:
    matches = []
    for tool, mod in modules().items():
        if only and tool != only:
            continue
        accept = getattr(mod, "accept_sheet", None)
        if accept is not None and grid.meta.get("format") == "xlsx" and not accept(grid.sheet):
            continue
        best = None
        for i, row in enumerate(grid.head):
            header = [c or "" for c in row]
            score = mod.FINGERPRINT.score(header)
            if score > 0 and (best is None or score > best.score):
                best = Match(tool, mod, score, grid, i)
        if best:
            matches.append(best)
    return matches


def detect(path: Path, display_name: str | None = None, tool: str | None = None) -> list[Match]:
    """The importer and header row for every sheet of `path` that some importer recognises.

    Raises ImportError_ naming the closest tools when no sheet matches.
    """
    name = display_name or path.name
    return detect_in_grids(read_grids(path, name), name, tool)


def detect_in_grids(grids: list[Grid], name: str, tool: str | None = None) -> list[Match]:
    """As `detect`, on sheets already read."""
    if tool and tool not in modules():
        known = ", ".join(sorted(modules()))
        raise ImportError_(f"{name}: unknown --source '{tool}'. Known tools: {known}.")
    found: list[Match] = []
    for grid in grids:
        matches = _best_in_grid(grid, tool)
        if matches:
            found.append(max(matches, key=lambda m: m.score))
    if found:
        return found
    raise ImportError_(unrecognised_message(name, grids, tool))


# A tool is offered as "closest" only when the header has at least this share of its identifying
# columns, and at least two of them: a suggestion that shares nothing with the file misleads.
MIN_SIMILARITY = 0.25
MIN_SHARED = 2


def closest_tools(header: list[str], tool: str | None = None, n: int = 3) -> list[tuple[float, str, list[str]]]:
    """(share of the tool's identifying columns present, tool, the ones missing), most similar first,
    only tools at least MIN_SIMILARITY and MIN_SHARED alike."""
    ranked = []
    for t, mod in modules().items():
        if tool and t != tool:
            continue
        # A tool with several layouts (ServiceNow's lists) is as close as its closest layout.
        best = None
        for fp in getattr(mod.FINGERPRINT, "layouts", None) or [mod.FINGERPRINT]:
            missing = fp.missing(header)
            found = len(fp.strong) - len(missing)
            if best is None or found / len(fp.strong) > best[0]:
                best = (found / len(fp.strong), found, missing)
        share, found, missing = best
        if found >= MIN_SHARED and share >= MIN_SIMILARITY:
            ranked.append((share, t, missing))
    ranked.sort(key=lambda r: -r[0])
    return ranked[:n]


def unrecognised_message(name: str, grids: list[Grid], tool: str | None) -> str:
    """'No known export layout' with the closest tools and what each missed (only tools that are
    close: else 'no known tool is close to this header')."""
    header = max((row for g in grids for row in g.head[:10]), key=lambda r: sum(1 for c in r if c), default=[])
    header = [c or "" for c in header]
    ranked = closest_tools(header, tool)
    if ranked:
        closest = "Closest: " + "; ".join(f"{modules()[t].LABEL} (missing: {', '.join(miss[:4])})"
                                          for _, t, miss in ranked) + "."
    else:
        closest = "No known tool is close to this header."
    shown = ", ".join([h for h in header if h][:8])
    return (f"{name}: no known export layout recognised in the columns ({shown}...). "
            f"{closest} Export with the tool's standard columns, pass --source TOOL, "
            f"or map the columns with --mapping FILE (see docs/importing.md).")
