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
from contextvars import ContextVar
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


_CURRENCY_NOTE = re.compile(r"\s*[(\[]\s*([A-Z]{3})\s*[)\]]\s*$")


def bare(name: str | None) -> str:
    """A header without a trailing currency note: 'Budget (EUR)' -> 'Budget' (the note states the
    currency of the column's amounts; pmo.parse.currency_in_header reads it)."""
    if not name:
        return ""
    from pmo.parse import ISO_CURRENCIES
    m = _CURRENCY_NOTE.search(str(name))
    return str(name)[:m.start()] if m and m.group(1) in ISO_CURRENCIES else str(name)


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
        return {alias.get(norm(x), norm(x)) for h in header if h for x in {h, bare(h)}}

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
        cols = [c for c in reversed(self.data.columns) if not c.startswith("_row")]
        index = {norm(c): c for c in cols}
        for w in wanted:
            if w in index:
                return index[w]
        noted = {norm(bare(c)): c for c in cols if bare(c) != c}   # 'Budget (EUR)' answers 'Budget'
        for w in wanted:
            if w in noted:
                return noted[w]
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


# What happened to a row an importer could not take as it was (the `kind` of a Reject, and of a
# `rejected_rows` row): the whole row was left out of the store, or the row was stored with one
# value emptied. The counts shown everywhere (CLI, Data page, `pmo check`) are of these kinds.
ROW_REJECTED = "row rejected"
CELL_CLEARED = "cell cleared"


@dataclass
class Reject:
    """A row an importer could not accept (`kind` ROW_REJECTED: not stored), or one value it could
    not read (CELL_CLEARED: the row is stored with that value empty). `reason` says what is wrong
    ("not a date"); the kind says what was done about it."""

    row: int | None
    column: str | None
    value: str | None
    reason: str
    table: str | None = None
    kind: str = ROW_REJECTED

    @property
    def cleared(self) -> bool:
        return self.kind == CELL_CLEARED


@dataclass
class ImportResult:
    """What an importer hands to the store: canonical frames plus everything it noticed."""

    tables: dict[str, pl.DataFrame]
    source: str                       # the dataset's identity: a newer export replaces it
    as_of: date | None = None         # a date the export itself carries (status date ...)
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # e.g. "dates read day-first (13/01/2026)"
    rows_read: int = 0
    # table -> the export columns its amounts came from, for the currency check (a code in one of
    # these headers, `Budget (EUR)`, states their currency; the refusal names them)
    amount_columns: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class IngestContext:
    """What the caller knows: the as-of date if given, and settings from config.

    `currency`: the currency the caller says unstated amounts are in (`pmo ingest --currency`,
    the Data page); None = an amount whose currency the file does not state is refused.
    """

    as_of: date | None
    reporting_currency: str = "USD"
    file_name: str = ""
    settings: dict = field(default_factory=dict)
    currency: str | None = None


class ImportError_(Exception):
    """A file that cannot be imported at all: the message says what is wrong and what to do."""


# ---------------------------------------------------------------------------------------------
# Columns that cannot be read at all
# ---------------------------------------------------------------------------------------------

# The share of a typed column's non-empty values that may be unreadable before the whole file is
# refused ([ingest] unreadable_column_share; set for each analyse from the settings).
UNREADABLE_SHARE: ContextVar[float] = ContextVar("UNREADABLE_SHARE", default=0.5)
# Per analysis: (column, what) -> [unreadable, non-empty, examples], summed over every part of the
# file read (a big file's slices, a workbook's sheets) and judged once at the end (`judge_columns`),
# so the decision is over the whole column whichever way the file was read. None: judge at once.
COLUMN_TALLY: ContextVar[dict | None] = ContextVar("COLUMN_TALLY", default=None)


class UnreadableColumn(ImportError_):
    """Most values of a typed column cannot be read: the layout or the format is wrong."""


# The typed columns the refusal applies to, by how importers name a value of them ("not a date").
# Flags and health words are not refused as a whole: an unknown word there is one cleared cell.
TYPED_PLURAL = {"a date": "dates", "a number": "numbers", "an amount": "amounts",
                "a percentage": "percentages", "a duration": "durations",
                "a number of seconds": "numbers of seconds", "a timeline start": "dates",
                "a timeline end": "dates", "a period": "periods", "a rate": "rates"}


def check_column(file_name: str, column: str, raw: pl.Series, bad: pl.Series, what: str,
                 hint: str = "") -> None:
    """`check_readable` for a column whose values were read as `what` ("a date"); nothing for
    the kinds not in TYPED_PLURAL."""
    plural = TYPED_PLURAL.get(what)
    if plural:
        check_readable(file_name, column, raw, bad, plural, hint)


def check_readable(file_name: str, column: str, raw: pl.Series, bad: pl.Series, what: str,
                   hint: str = "") -> None:
    """Count `column`'s unreadable values against its non-empty ones (`raw`: the cells as written,
    same length as `bad`; `what`: the type in the plural, "dates"). Within an analysis the counts
    are summed and judged at the end; outside one, the file is refused at once when more than the
    allowed share is unreadable. A few bad cells are not refused: the caller rejects their rows or
    clears them."""
    n_bad = int(bad.fill_null(False).sum())
    non_empty = len(raw) - raw.null_count()       # readers make blank cells NULL
    examples = (raw.filter(bad.fill_null(False)).drop_nulls().unique(maintain_order=True).head(3).to_list()
                if n_bad else [])
    tally = COLUMN_TALLY.get()
    if tally is None:
        _judge(file_name, column, what, n_bad, non_empty, examples, hint)
        return
    entry = tally.setdefault((column, what), [0, 0, [], file_name, hint])
    entry[0] += n_bad
    entry[1] += non_empty
    entry[2].extend(e for e in examples if e not in entry[2] and len(entry[2]) < 3)


def judge_columns(tally: dict) -> None:
    """Refuse (UnreadableColumn) the first column of an analysis over the allowed share."""
    for (column, what), (n_bad, non_empty, examples, file_name, hint) in tally.items():
        _judge(file_name, column, what, n_bad, non_empty, examples, hint)


def _judge(file_name: str, column: str, what: str, n_bad: int, non_empty: int, examples: list,
           hint: str) -> None:
    share = UNREADABLE_SHARE.get()
    if not n_bad or n_bad <= share * non_empty:
        return
    shown = ", ".join(repr(str(e)) for e in examples[:3])
    raise UnreadableColumn(
        f"{file_name}: column {column!r} cannot be read: {n_bad:,} of its {non_empty:,} values are not "
        f"{what} (e.g. {shown}). When most of a column fails, the export's layout or format is wrong, "
        f"not a few rows; nothing was stored. {hint or 'Check the column in the tool and export again'}"
        f"{'' if (hint or '').endswith('.') else '.'} (Limit: [ingest] unreadable_column_share = {share:g}.)")


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


def cleared(result: ImportResult, table: str, rows: pl.Series, raw: pl.Series, bad: pl.Series,
            column: str, reason: str) -> None:
    """Record a cleared cell (the row is kept, the value left empty) for each row flagged in `bad`."""
    if not bad.fill_null(False).any():
        return
    keep = bad.fill_null(False)
    for r, v in zip(rows.filter(keep).to_list(), raw.filter(keep).to_list(), strict=True):
        result.rejects.append(Reject(r, column, v, reason, table, CELL_CLEARED))
