"""Column access and value parsing shared by the desktop-plan and Project Online parsers."""

from __future__ import annotations

import re

import polars as pl

from pmo import parse as pp
from pmo.importers._common import date_order, with_data
from pmo.importers.base import ImportResult, IngestContext, RawTable, Reject


class _Cols:
    """Column access and parsing for one table, recording notes and value-level rejects."""

    def __init__(self, t: RawTable, df: pl.DataFrame, ctx: IngestContext, result: ImportResult, table: str):
        self.t = with_data(t, df)
        self.df, self.result, self.table = df, result, table
        # Decides only when no value settles day/month order; --date-order reaches
        # parse.to_date through parse.DATE_ORDER.
        self.default_order = date_order(ctx)

    def _none(self, dtype) -> pl.Series:
        return pl.Series("x", [None] * self.df.height, dtype=dtype)

    def text(self, *names: str) -> pl.Series:
        return self.t.values(*names)

    def date(self, *names: str) -> pl.Series:
        col = self.t.col(*names)
        if col is None:
            return self._none(pl.Date)
        raw = self.df[col]
        raw = pl.DataFrame({"v": raw}).select(
            pl.when(~pl.col("v").str.strip_chars().str.to_uppercase().is_in(["NA", "N/A"]))
            .then(pl.col("v"))
            .alias(col)
        )[col]
        p = pp.to_date(raw, default_order=self.default_order, name=col)
        return self._use(p, col, "a date")

    def number(self, *names: str) -> pl.Series:
        col = self.t.col(*names)
        return (
            self._none(pl.Float64) if col is None else self._use(pp.to_number(self.df[col]), col, "a number")
        )

    def money(self, *names: str) -> tuple[pl.Series, pl.Series]:
        col = self.t.col(*names)
        if col is None:
            return self._none(pl.Float64), self._none(pl.String)
        p, currency = pp.to_money(self.df[col])
        return self._use(p, col, "an amount"), currency

    def hours(self, *names: str, bare_unit: str = "h", documented: bool = False) -> pl.Series:
        """Durations / work in hours. `documented`: the unit is the layout's (OData decimal
        hours), so "bare numbers read in 'h'" is not worth a note."""
        col = self.t.col(*names)
        if col is None:
            return self._none(pl.Float64)
        p = pp.to_duration_hours(self.df[col], bare_unit=bare_unit)
        if documented:
            p = p._replace(note="; ".join(n for n in p.note.split("; ") if not n.startswith("bare numbers")))
        return self._use(p, col, "a duration")

    def percent(self, *names: str) -> pl.Series:
        """A percentage -> fraction (`35%`, `0.35`, or whole points when any value is over 1)."""
        col = self.t.col(*names)
        return (
            self._none(pl.Float64)
            if col is None
            else self._use(pp.to_percent(self.df[col]), col, "a percentage")
        )

    def points(self, *names: str) -> pl.Series:
        """OData 0-100 values (Int16 percent points) -> fraction; `35%` text also works."""
        col = self.t.col(*names)
        if col is None:
            return self._none(pl.Float64)
        if self.df[col].str.contains("%").any():
            return self._use(pp.to_percent(self.df[col]), col, "a percentage")
        return self._use(pp.to_number(self.df[col]), col, "a number") / 100

    def flag(self, *names: str) -> pl.Series:
        col = self.t.col(*names)
        return self._none(pl.Boolean) if col is None else self._use(pp.to_bool(self.df[col]), col, "yes/no")

    def health(self, *names: str) -> pl.Series:
        col = self.t.col(*names)
        return (
            self._none(pl.String)
            if col is None
            else self._use(pp.to_health(self.df[col]), col, "a health rating")
        )

    def _use(self, p: pp.Parsed, col: str, what: str) -> pl.Series:
        rows = self.df["_row"]
        if p.note:
            note = re.sub(r"\brow (\d+)", lambda m: f"row {rows[int(m.group(1)) - 1]}", p.note)
            seen = any(n.split(": ", 1)[-1].split(" (")[0] == note.split(" (")[0] for n in self.result.notes)
            if "unreadable" in note or not seen:
                self.result.notes.append(
                    f"{self.t.sheet} / {col}: {note}"
                    if self.t.sheet != self.t.file_name
                    else f"{col}: {note}"
                )
        if p.bad.any():
            for r, v in zip(rows.filter(p.bad).to_list(), self.df[col].filter(p.bad).to_list(), strict=True):
                self.result.rejects.append(Reject(r, col, v, f"not {what}; left empty", self.table))
        return p.values.alias(col)


def _clean_id(s: pl.Series) -> pl.Series:
    """`7`, `7.0` -> `7` (Excel writes whole numbers as floats); other text unchanged."""
    return s.str.strip_chars().str.replace(r"^(-?[0-9]+)\.0+$", "${1}")


def _status_category(percent: pl.Series) -> pl.Series:
    return pl.DataFrame({"p": percent}).select(
        pl.when(pl.col("p") >= 1.0)
        .then(pl.lit("done"))
        .when(pl.col("p") <= 0.0)
        .then(pl.lit("todo"))
        .when(pl.col("p").is_not_null())
        .then(pl.lit("in_progress"))
        .alias("status_category")
    )["status_category"]
