"""What every importer module provides and receives.

An importer module (one per tool, in this package) defines:

    TOOL = "jira"                       # short id, stored in the ingest log and `source` columns
    LABEL = "Jira issue CSV"            # shown to people
    VERSION = "1"                       # importer version, stored in the ingest log
    TABLES = ("tasks", "projects")      # canonical tables it can fill
    FINGERPRINT = Fingerprint(strong=(...), weak=(...), need=2)
    def parse(tables: list[RawTable], ctx: IngestContext) -> ImportResult: ...

(one RawTable per matching sheet of the file; a CSV gives one)

and optionally `def accept_sheet(sheet_name: str) -> bool` to restrict which workbook sheets it
reads. The registry (`pmo.importers.registry`) finds modules by walking this package, so a new
tool is one module plus its tests.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import polars as pl


def norm(name: str | None) -> str:
    """Normalise a header cell for matching: case-, accent-, space- and punctuation-insensitive.

    'Σ Time Spent' -> 'σ time spent'; ' Job Family:' -> 'job family'; '% Complete' -> '% complete'.
    """
    if name is None:
        return ""
    text = unicodedata.normalize("NFKC", str(name)).strip().lower()
    text = text.replace("\u00a0", " ").replace("_", " ")
    text = re.sub(r"\s+", " ", text)
    return text.strip(" :")


@dataclass(frozen=True)
class Fingerprint:
    """Header tokens that identify a tool. A table matches when `need` strong tokens are present.

    The score is the share of strong tokens found plus a little for weak ones, so the most
    specific importer wins when several match. `alias` maps localised header spellings to the
    English ones (for example German Jira headers) before matching.
    """

    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()
    need: int = 2
    forbid: tuple[str, ...] = ()
    alias: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def _present(self, header: list[str]) -> set[str]:
        alias = {norm(k): norm(v) for k, v in self.alias.items()}
        return {alias.get(norm(h), norm(h)) for h in header if h}

    def score(self, header: list[str]) -> float:
        present = self._present(header)
        if any(norm(f) in present for f in self.forbid):
            return 0.0
        strong = sum(norm(s) in present for s in self.strong)
        if strong < self.need:
            return 0.0
        weak = sum(norm(w) in present for w in self.weak)
        return strong / len(self.strong) + 0.1 * weak / max(len(self.weak), 1) + 0.01 * strong

    def missing(self, header: list[str]) -> list[str]:
        present = self._present(header)
        return [s for s in self.strong if norm(s) not in present]


@dataclass
class RawTable:
    """One table read from an export, every cell as text, header row found.

    `data` has one String column per header cell, named uniquely: repeated headers get
    `name`, `name#2`, `name#3` ... in file order (Jira repeats Labels, Sprint, ...), plus `_row`:
    the 1-based row number as a spreadsheet shows it (a CSV record with a quoted multi-line cell
    is one row, as in Excel; a `sep=` line is not counted) to quote in messages. Empty cells are NULL. `header` keeps the header cells exactly as written.
    """

    file_name: str
    sheet: str
    header: list[str]
    data: pl.DataFrame
    header_row: int
    meta: dict = field(default_factory=dict)  # reader facts: encoding, delimiter, title rows ...

    def col(self, *names: str) -> str | None:
        """The unique column name of the first header matching any of `names` (normalised)."""
        wanted = [norm(n) for n in names]
        index = {norm(c): c for c in reversed(self.data.columns) if not c.startswith("_row")}
        for w in wanted:
            if w in index:
                return index[w]
        return None

    def cols(self, name: str) -> list[str]:
        """Every column whose header is `name` (a repeated column), in file order."""
        target = norm(name)
        return [c for c in self.data.columns if norm(c.split("#")[0]) == target]

    def values(self, *names: str) -> pl.Series:
        """The column for the first of `names` that exists, else a NULL column."""
        c = self.col(*names)
        if c is None:
            return pl.Series(names[0], [None] * self.data.height, dtype=pl.String)
        return self.data[c]


@dataclass
class Reject:
    """A row (or one value) an importer could not accept."""

    row: int | None
    column: str | None
    value: str | None
    reason: str
    table: str | None = None


@dataclass
class ImportResult:
    """What an importer hands to the store: canonical frames plus everything it noticed."""

    tables: dict[str, pl.DataFrame]
    source: str                       # the dataset's identity: a newer export replaces it
    as_of: date | None = None         # a date the export itself carries (status date ...)
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # e.g. "dates read day-first (13/01/2026)"
    rows_read: int = 0


@dataclass
class IngestContext:
    """What the caller knows: the as-of date if given, and settings from config."""

    as_of: date | None
    reporting_currency: str = "USD"
    file_name: str = ""
    settings: dict = field(default_factory=dict)


class ImportError_(Exception):
    """A file that cannot be imported at all: the message says what is wrong and what to do."""


def reject_mask(result: ImportResult, table: str, df: pl.DataFrame, bad: pl.Series,
                column: str, reason: str, raw: pl.Series | None = None) -> pl.DataFrame:
    """Record rows flagged in `bad` as rejected and return `df` without them.

    `df` must carry `_row`; `raw` (same length) gives the offending text to quote.
    """
    if bad.sum() == 0:
        return df
    rows = df.filter(bad)
    vals = raw.filter(bad).to_list() if raw is not None else [None] * rows.height
    for r, v in zip(rows["_row"].to_list(), vals, strict=True):
        result.rejects.append(Reject(r, column, v, reason, table))
    return df.filter(~bad)
