"""SAP PS / CO actual cost line items: CJI3 (projects), also KSB1 / KOB1 / CJI5 layouts.

English ALV headers (`Project Definition, WBS Element, CO object name, Cost Element, Cost element
name, Posting Date, Period, Fiscal Year, Document Number, Name, Value TranCurr, Transaction
Currency, Val/COArea Crcy, Report currency, Val.in rep.cur., Object Currency, Value in Obj. Crcy,
Partner-CCtr ...`) and German ones (`Projektdefinition, PSP-Element, Kostenart, Kostenartenbez.,
Buchungsdatum, Periode, Geschäftsjahr, Belegnummer, Wert/KWähr, KWähr, Wert/BWähr, BWähr ...`).
Headers are matched ignoring case, spaces and punctuation, so ALV width variants (`Cost Elem.`,
`Val./COArea Crcy`) match too. Numbers may be `1.254,51` with a trailing minus (`310,00-`), dates
`DD.MM.YYYY`; the reader handles `;`/tab and Windows-1252.

Decisions (also in docs):
- One amount column for the whole file: the first with values of `Val.in rep.cur.` (with `Report
  currency`), `Val/COArea Crcy` (with the CO-area currency column), `Value in Obj. Crcy` (with
  `Object Currency`), `Value TranCurr` (with `Transaction Currency`) whose currency column the
  file has. A preferred amount column whose currency the file does not state is not read (a CJI3
  layout often shows `Val/COArea Crcy` without its currency): the notes name the choice and what
  was skipped. When no amount column's currency is stated, the file is refused unless
  `--currency` says it (never read as the reporting currency).
- kind = 'actual'. Reversals are kept as the negative lines SAP posts (they net to zero).
- project_id = Project Definition; else derived from the WBS element: the longest project
  definition seen in the file that prefixes it, else the WBS up to and including the first
  `-`/`.`-separated group with a digit (`P-100200-01-03` -> `P-100200`, `PRJ0010042-01` ->
  `PRJ0010042`).
- category = Cost element name (else the cost element number); cost_center = Partner-CCtr if
  present; period = the month of the Posting Date (else Period / Fiscal Year, fiscal rules as in
  the ledger importer).
- Source: the file name without date-like parts (one source per extract family: a newer export
  replaces the older one, so export the full period range each time).
"""

from __future__ import annotations

import re

import polars as pl

from pmo.importers._common import (
    HeaderRules,
    coverage,
    date_order,
    drop_blank_rows,
    fiscal_year_start,
    parse_periods,
    parser_note,
    stable_stem,
    tables_of,
)
from pmo.importers.base import ImportError_, ImportResult, IngestContext, RawTable, Reject, check_column, norm
from pmo.parse import to_date, to_number

TOOL = "sap_cji3"
LABEL = "SAP CJI3 / KSB1 cost line items"
VERSION = "1"
TABLES = ("financials",)


def squash(h: str) -> str:
    """Header key without case, spaces or punctuation: 'Val.in rep.cur.' -> 'valinrepcur'."""
    return re.sub(r"[\W_]+", "", norm(h))


# Each concept: header spellings (English and German), compared squashed.
COLUMNS: dict[str, tuple[str, ...]] = {
    "project": ("Project Definition", "Project Def.", "Projektdefinition", "Projektdef.", "Project"),
    "wbs": ("WBS Element", "WBS Elem.", "WBS", "PSP-Element", "PSP-Elem.", "PSP Element"),
    "object_name": ("CO object name", "CO Object Name", "Object Name", "Objektbezeichnung", "WBS Element Name"),
    "cost_element": ("Cost Element", "Cost Elem.", "Kostenart", "Kostenart."),
    "cost_element_name": ("Cost element name", "Cost element descr.", "Cost Element Name", "Cost elem. name",
                          "Kostenartenbez.", "Kostenartenbezeichnung", "Kostenartentext", "Bez. Kostenart"),
    "posting_date": ("Posting Date", "Posting date", "Buchungsdatum", "Buchungsdat.", "Buchungsdat", "Buch.dat."),
    "period": ("Period", "Posting period", "Periode", "Buchungsperiode"),
    "fiscal_year": ("Fiscal Year", "Geschäftsjahr", "Gesch.jahr", "GJahr"),
    "document": ("Document Number", "Document No.", "Doc. no.", "Belegnummer", "Belegnr.", "Belegnr"),
    "partner_cc": ("Partner-CCtr", "Partner Cost Center", "Partner cost center", "Partnerkostenstelle",
                   "Partner-KSt", "PartnerKSt", "Partner-Kostenstelle"),
    "val_rep": ("Val.in rep.cur.", "Value in report currency", "Val. in rep. cur.", "Wert/BWähr",
                "Wert in BWähr", "Wert/BerWähr"),
    "cur_rep": ("Report currency", "Report Currency", "Rep. currency", "BWähr", "BWährung",
                "BW ährung", "Berichtswährung"),
    "val_co": ("Val/COArea Crcy", "Val./COArea Crcy", "Value in CO area currency", "Val/CO Area Crcy",
               "Wert/KWähr", "Wert in KWähr"),
    "cur_co": ("COArea Crcy", "CO Area Currency", "COAr Crcy", "CO area currency", "CO Area Crcy",
               "KWähr", "KWährung", "Kostenrechnungskreiswährung"),
    "val_tx": ("Value TranCurr", "Value in transaction currency", "Val. TranCurr", "Wert/TWähr",
               "Wert in TWähr", "Wert/TransWähr"),
    "cur_tx": ("Transaction Currency", "TranCurr", "Trans. Curr.", "TWähr", "Transaktionswährung"),
    "val_obj": ("Value in Obj. Crcy", "Value ObjCurr", "Val. in Obj. Crcy", "Wert/OWähr", "Wert/ObjWähr",
                "Wert in Objektwährung"),
    "cur_obj": ("Object Currency", "Obj. Currency", "ObjCurr", "OWähr", "Objektwährung"),
    "name": ("Name", "Text", "Bezeichnung", "Document Header Text", "Belegkopftext"),
}
_KEYS = {squash(a): concept for concept, aliases in COLUMNS.items() for a in aliases}
_OTHER = {squash(h) for h in (
    "Posting Row", "Ref. document number", "Ref. Fiscal Year", "Document Type", "User Name",
    "Purchasing Document", "Material", "Material Description", "Total quantity", "Posted unit of meas.",
    "Supplier", "Debit date", "Created on", "Reversal document", "Reversed", "Document Date",
    "Partner object", "WBS Element Name", "Controlling Area", "Company Code", "Menge", "Lieferant",
    "Belegdatum", "Referenzbeleg", "Belegart", "Benutzername", "Einkaufsbeleg", "Material",
    "Materialkurztext", "Buchungskreis", "Kostenrechnungskreis", "Storniert", "Stornobeleg")}
# (value concept, currency concept, label used in the note) in order of preference; an amount
# column whose currency column the file has wins over a preferred one whose currency it does not
AMOUNT_CHOICES = (("val_rep", "cur_rep", "report currency"), ("val_co", "cur_co", "CO area currency"),
                  ("val_obj", "cur_obj", "object currency"), ("val_tx", "cur_tx", "transaction currency"))
_VALUES = {"val_rep", "val_co", "val_tx", "val_obj"}


def _score(cells: list[str]) -> float:
    concepts = {_KEYS[squash(c)] for c in cells if squash(c) in _KEYS}
    if not (concepts & {"project", "wbs"}) or not (concepts & _VALUES):
        return 0.0
    specific = concepts & {"wbs", "cost_element", "cost_element_name", "posting_date", "object_name",
                           "document", "val_rep", "val_co", "val_tx", "val_obj", "partner_cc"}
    if len(specific) < 3:
        return 0.0
    known = sum(squash(c) in _KEYS or squash(c) in _OTHER for c in cells)
    return coverage(cells, known) + 0.05   # a CJI3 layout beats a generic ledger reading


FINGERPRINT = HeaderRules(
    strong=("WBS Element", "Cost Element", "Posting Date", "Val/COArea Crcy", "Val.in rep.cur.",
            "Value TranCurr", "CO object name"),
    scorer=_score,
)


def _columns(t: RawTable) -> dict[str, str]:
    """concept -> the table's column name (first occurrence of a repeated header)."""
    found: dict[str, str] = {}
    for c in t.data.columns:
        if c == "_row" or "#" in c:
            continue
        concept = _KEYS.get(squash(c))
        if concept and concept not in found:
            found[concept] = c
    return found


def parse(tables, ctx: IngestContext) -> ImportResult:
    sheets = tables_of(tables)
    result = ImportResult(tables={}, source=stable_stem(ctx.file_name or sheets[0].file_name, "cji3"))
    start = fiscal_year_start(ctx)
    frames = []
    for t in sheets:
        result.rows_read += t.data.height
        frame = _parse_sheet(t, ctx, result, start)
        if frame.height:
            frames.append(frame)
    result.tables["financials"] = (pl.concat(frames, how="diagonal_relaxed") if frames else
                                   pl.DataFrame(schema={"_row": pl.Int64, "project_id": pl.String}))
    return result


def _null() -> pl.Expr:
    return pl.lit(None, dtype=pl.String)


def _parse_sheet(t: RawTable, ctx: IngestContext, result: ImportResult, start: int) -> pl.DataFrame:
    cols = _columns(t)
    df = drop_blank_rows(t.data)
    # Unconverted lists frame the table with dashed rules: rows of dashes carry no data.
    data_cols = [c for c in df.columns if c != "_row"]
    rule = pl.all_horizontal([pl.col(c).is_null() | pl.col(c).str.contains(r"^[-=|\s]+$") for c in data_cols])
    df = df.filter(~rule)

    with_values = [(val, cur, label) for val, cur, label in AMOUNT_CHOICES
                   if val in cols and df[cols[val]].drop_nulls().len()]
    if not with_values:
        if not df.height:      # a header-only export published with --allow-empty
            return pl.DataFrame(schema={"_row": pl.Int64, "project_id": pl.String})
        raise ImportError_(f"{t.file_name}: no amount column with values (Val.in rep.cur., Val/COArea Crcy, "
                           f"Value TranCurr or Value in Obj. Crcy).")
    # Never an amount in an unstated currency while the file states another amount's currency.
    stated = [c for c in with_values if c[1] in cols and df[cols[c[1]]].drop_nulls().len()]
    val, cur, label = (stated or with_values)[0]
    value_c, cur_c = cols[val], cols.get(cur) if stated else None
    currencies = (df[cur_c].drop_nulls().str.strip_chars().str.to_uppercase().unique().sort().to_list()
                  if cur_c else [])
    shown = ", ".join(currencies) if currencies else "not stated in the file"
    result.notes.append(f"amounts from {value_c!r} ({label} {shown})")
    chosen = AMOUNT_CHOICES.index((val, cur, label))
    skipped = [cols[v] for v, c, lab in with_values if AMOUNT_CHOICES.index((v, c, lab)) < chosen]
    if skipped:
        result.notes.append(f"not read: {', '.join(repr(x) for x in skipped)}, whose currency the file does "
                            f"not state")
    result.amount_columns.setdefault("financials", [value_c])

    col = {k: (pl.col(v) if v else _null()) for k, v in
           {k: cols.get(k) for k in COLUMNS}.items()}
    frame = df.select(
        "_row",
        project_def=col["project"], wbs=col["wbs"],
        category=pl.coalesce(col["cost_element_name"], col["cost_element"]),
        cost_center=col["partner_cc"],
        amount_text=pl.col(value_c),
        currency=pl.col(cur_c).str.strip_chars().str.to_uppercase() if cur_c else _null(),
        posting=col["posting_date"], period_text=col["period"], fy_text=col["fiscal_year"],
        document=col["document"],
    )
    frame = frame.with_columns(project_id=_project_ids(frame))

    # Total / subtotal lines (ALV sums) have an amount but no project, WBS element or document.
    no_key = frame["project_id"].is_null()
    is_total = no_key & frame["document"].is_null()
    if is_total.any():
        rows = frame.filter(is_total)["_row"].to_list()
        result.notes.append(f"dropped {len(rows)} total line{'s' if len(rows) > 1 else ''} without project, "
                            f"WBS element or document (row{'s' if len(rows) > 1 else ''} "
                            f"{', '.join(map(str, rows[:5]))}{' ...' if len(rows) > 5 else ''})")
        frame, no_key = frame.filter(~is_total), no_key.filter(~is_total)
    for r in frame.filter(no_key).iter_rows(named=True):
        result.rejects.append(Reject(r["_row"], cols.get("wbs") or cols.get("project"), None,
                                     "no project definition or WBS element", "financials"))
    frame = frame.filter(~no_key)

    # Period: month of the posting date, else fiscal period / year.
    if cols.get("posting_date"):
        dates = to_date(frame["posting"], default_order=date_order(ctx), name=cols["posting_date"])
        if parser_note(dates.note):
            result.notes.append(parser_note(dates.note))
        check_column(t.file_name, cols["posting_date"], frame["posting"], dates.bad, "a date")
        period = dates.values.dt.month_start()
        bad = dates.bad
        bad_col = cols["posting_date"]
        raw = frame["posting"]
    elif cols.get("period"):
        periods = parse_periods(frame["period_text"], frame["fy_text"], start, date_order(ctx))
        if periods.note:
            result.notes.append(periods.note)
        check_column(t.file_name, cols["period"], frame["period_text"], periods.bad, "a period")
        period, bad, bad_col, raw = periods.values, periods.bad, cols["period"], frame["period_text"]
    else:
        raise ImportError_(f"{t.file_name}: no Posting Date or Period column.")
    frame = frame.with_columns(period=period, _pbad=bad | period.is_null(), _praw=raw)
    for r in frame.filter(pl.col("_pbad")).iter_rows(named=True):
        result.rejects.append(Reject(r["_row"], bad_col, r["_praw"],
                                     "posting date is empty" if r["_praw"] is None else "date not understood",
                                     "financials"))
    frame = frame.filter(~pl.col("_pbad"))

    amounts = to_number(frame["amount_text"])
    check_column(t.file_name, value_c, frame["amount_text"], amounts.bad, "an amount")
    if parser_note(amounts.note):
        result.notes.append(f"amounts: {parser_note(amounts.note)}")
    frame = frame.with_columns(amount_original=amounts.values, _abad=amounts.bad)
    for r in frame.filter(pl.col("_abad")).iter_rows(named=True):
        result.rejects.append(Reject(r["_row"], value_c, r["amount_text"], "amount is not a number", "financials"))
    frame = frame.filter(~pl.col("_abad"))
    return frame.select("_row", "project_id", "period", "category", "cost_center",
                        pl.lit("actual").alias("kind"), "amount_original", "currency")


def _project_ids(frame: pl.DataFrame) -> pl.Series:
    """Project Definition, else the project part of the WBS element (see the module docstring)."""
    defs = sorted({d for d in frame["project_def"].drop_nulls().to_list()}, key=len, reverse=True)
    wbs = pl.col("wbs").str.strip_chars()
    by_known = pl.lit(None, dtype=pl.String)
    for d in reversed(defs):   # longest last, so it wins in the chained coalesce below
        by_known = pl.when(wbs.str.starts_with(d + "-") | wbs.str.starts_with(d + ".") | (wbs == d)) \
            .then(pl.lit(d)).otherwise(by_known)
    by_mask = wbs.str.extract(r"^([^-.\d]*?[-.]?[^-.]*\d[^-.]*)", 1)
    return frame.select(pl.coalesce(pl.col("project_def").str.strip_chars(), by_known, by_mask, wbs)
                        .alias("project_id"))["project_id"]
