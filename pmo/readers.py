"""Read an export file into grids of text: encodings, delimiters, `sep=` lines, workbooks.

A reader does not know any tool. It returns every sheet as a `Grid`: all cells as text, no header
applied, so the registry can look for the header row by fingerprint (monday.com and Asana's
Google-Sheets round trip put rows above it). Parquet files come back typed, as `Grid.typed`.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

SCAN_ROWS = 30          # rows searched for a header
SNIFF_BYTES = 256_000   # bytes looked at to decide encoding and delimiter
DELIMITERS = (",", ";", "\t", "|")
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}


class ReadError(Exception):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass
class Grid:
    """One sheet of a file. `head` holds the first rows as lists of text (for header search);
    `load(header_index)` returns the table below that header as a String frame."""

    file_name: str
    sheet: str
    head: list[list[str | None]]
    meta: dict = field(default_factory=dict)
    _frame: pl.DataFrame | None = None          # whole sheet without header (Excel)
    _csv: tuple | None = None                   # (source, delimiter, line offsets) for CSV
    typed: pl.DataFrame | None = None           # Parquet: already typed with its own header

    def load(self, header_index: int, keep: list[int] | None = None) -> tuple[list[str], pl.DataFrame]:
        """Header cells and the rows below them (String columns c0..cN plus `_row`).

        `keep`: read only these column positions (a big CSV then costs only what the importer
        uses); the others are absent from the frame.
        """
        if self._frame is not None:
            header = [_cell(v) for v in self._frame.row(header_index)]
            body = self._frame.slice(header_index + 1)
            body = body.rename({c: f"c{i}" for i, c in enumerate(body.columns)})
            first_row = header_index + 2
        else:
            source, delimiter, line_of_record = self._csv
            header = self.head[header_index]
            skip, first = line_of_record[header_index] + 1, header_index + 1
            # A dashed rule under the header (SAP lists) would fix the width at one column: skip it.
            while first + 1 < len(line_of_record) and _is_rule(self.head[first]):
                first += 1
                skip = line_of_record[first]
            body = pl.read_csv(
                source, separator=delimiter, has_header=False,
                skip_lines=skip, infer_schema=False,
                truncate_ragged_lines=True, quote_char='"',
                schema={f"c{i}": pl.String for i in range(len(header))}, raise_if_empty=False,
                columns=[f"c{i}" for i in keep] if keep is not None else None,
            )
            first_row = first + 1
        width = len(header)
        while width and not header[width - 1]:
            width -= 1                                  # trailing blank header cells
        header = header[:width]
        body = body.select([c for c in body.columns if int(c[1:]) < width])
        if keep is not None:
            body = body.select([c for c in body.columns if int(c[1:]) in set(keep)])
        body = tidy(body)
        body = body.with_row_index("_row", offset=first_row).with_columns(pl.col("_row").cast(pl.Int64))
        return header, body


    def iter_batches(self, header_index: int, keep: list[int] | None, rows: int):
        """As `load`, in batches of `rows` rows (a UTF-8 CSV only; else one batch): a ten-million-
        line ledger is parsed a slice at a time instead of all at once. Yields (header, body)."""
        source = self._csv[0] if self._csv else None
        if not isinstance(source, Path) or self.meta.get("encoding") not in ("utf-8", "utf-8-sig"):
            yield self.load(header_index, keep)
            return
        _, delimiter, line_of_record = self._csv
        header = self.head[header_index]
        skip, first = line_of_record[header_index] + 1, header_index + 1
        while first + 1 < len(line_of_record) and _is_rule(self.head[first]):
            first += 1
            skip = line_of_record[first]
        width = len(header)
        while width and not header[width - 1]:
            width -= 1
        cols = [f"c{i}" for i in (keep if keep is not None else range(width)) if i < width]
        lf = pl.scan_csv(source, separator=delimiter, has_header=False, skip_lines=skip,
                         infer_schema=False, truncate_ragged_lines=True, quote_char='"',
                         schema={f"c{i}": pl.String for i in range(len(header))})
        # The strip runs inside the scan, in parallel with the CSV parsing (see `tidy`).
        lf = lf.select(pl.col(c).str.strip_chars() for c in cols)
        offset = first + 1
        for body in lf.collect_batches(chunk_size=rows):
            body = _blank_to_null(body)
            body = body.with_row_index("_row", offset=offset).with_columns(pl.col("_row").cast(pl.Int64))
            offset += body.height
            yield header[:width], body


def tidy(body: pl.DataFrame) -> pl.DataFrame:
    """Surrounding spaces dropped; an empty cell is NULL.

    The blank-to-NULL step is applied only to the columns that have an empty cell after the strip:
    a machine-written ten-million-line file has none, and skipping it halves the cost.
    """
    if not body.width:
        return body
    return _blank_to_null(body.with_columns(pl.col(c).str.strip_chars() for c in body.columns))


def _blank_to_null(body: pl.DataFrame) -> pl.DataFrame:
    """Empty (stripped) cells -> NULL, in the columns that have any."""
    if not body.width:
        return body
    empty = body.select((pl.col(c).str.len_bytes() == 0).any() for c in body.columns).row(0)
    blanks = [c for c, e in zip(body.columns, empty, strict=True) if e]
    if blanks:
        body = body.with_columns(pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)).alias(c) for c in blanks)
    return body


def _is_rule(record: list[str | None]) -> bool:
    """A record that is only a dashed line (`-----`, `=====`)."""
    cells = [c for c in record if c]
    return len(cells) == 1 and set(cells[0]) <= set("-=_+| ")


def _cell(v) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def read_grids(path: Path, display_name: str | None = None) -> list[Grid]:
    """Every sheet of `path` as a Grid. Raises ReadError with a clear reason."""
    name = display_name or path.name
    suffix = path.suffix.lower()
    if not path.exists():
        raise ReadError(f"{name}: file not found. Check the path.")
    if path.stat().st_size == 0:
        raise ReadError(f"{name}: the file is empty. Export it again from the tool.")
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(path, name)
    if suffix == ".parquet":
        try:
            df = pl.read_parquet(path)
        except Exception as exc:  # noqa: BLE001 - any parquet failure is a bad file
            raise ReadError(f"{name}: not a readable Parquet file ({exc}).") from exc
        header = list(df.columns)
        return [Grid(name, name, [header], {"format": "parquet"}, typed=df)]
    if suffix in TEXT_SUFFIXES or suffix == "":
        return [_read_text(path, name)]
    raise ReadError(f"{name}: unsupported file type '{suffix}'. Use CSV, TSV, TXT, XLSX or Parquet.")


def _read_excel(path: Path, name: str) -> list[Grid]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
    except Exception as exc:  # noqa: BLE001
        raise ReadError(f"{name}: not a readable Excel workbook ({exc}). Save it again as .xlsx.") from exc
    grids = []
    for sheet in reader.sheet_names:
        try:
            frame = reader.load_sheet(sheet, header_row=None, dtypes="string", skip_rows=0).to_polars()
        except Exception:  # noqa: BLE001 - an empty or chart-only sheet
            continue
        if frame.height == 0:
            continue
        head = [[_cell(v) for v in row] for row in frame.head(SCAN_ROWS).iter_rows()]
        # `path`: importers that need more than cell text (Smartsheet outline levels) reopen the file.
        grids.append(Grid(name, sheet, head, {"format": "xlsx", "path": str(path)}, _frame=frame))
    if not grids:
        raise ReadError(f"{name}: the workbook has no sheet with data.")
    return grids


def _read_text(path: Path, name: str) -> Grid:
    raw = path.read_bytes() if path.stat().st_size <= SNIFF_BYTES * 4 else None
    sample = raw[:SNIFF_BYTES] if raw is not None else path.open("rb").read(SNIFF_BYTES)
    encoding = detect_encoding(sample)
    meta: dict = {"format": "csv", "encoding": encoding}
    if encoding in ("utf-8", "utf-8-sig"):
        source: Path | io.BytesIO = path
        text_sample = sample.decode("utf-8-sig", errors="ignore")
    else:
        data = raw if raw is not None else path.read_bytes()
        text = data.decode(encoding, errors="strict" if encoding.startswith("utf-16") else "replace")
        text = text.lstrip("\ufeff")
        source = io.BytesIO(text.encode("utf-8"))
        text_sample = text[:SNIFF_BYTES]
    lines = text_sample.splitlines(keepends=True)
    skip = 0
    delimiter = None
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        skip = 1
        meta["sep_line"] = True
    body = "".join(lines[skip:])
    delimiter = delimiter or sniff_delimiter(body)
    meta["delimiter"] = delimiter
    head, line_of_record = _head_records(body, delimiter, skip)
    if not head:
        raise ReadError(f"{name}: no rows found. Export it again from the tool.")
    return Grid(name, name, head, meta, _csv=(source, delimiter, line_of_record))


def detect_encoding(sample: bytes) -> str:
    """BOM first; then strict UTF-8; else Windows-1252 (Excel's 'CSV (Comma delimited)')."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4:   # a multi-byte character cut by the sample's end
            return "utf-8"
        return "cp1252"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most consistent, widest rows."""
    best, best_score = ",", -1.0
    sample = text[:64_000]
    for d in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=d))[:SCAN_ROWS]
        except csv.Error:
            continue
        # Only rows the delimiter splits are evidence: title lines and dashed rules (SAP lists) are not.
        widths = [len(r) for r in rows if len(r) > 1 and any(c.strip() for c in r)]
        if not widths:
            continue
        mode = max(set(widths), key=widths.count)
        if mode < 2:
            continue
        score = widths.count(mode) * mode
        if score > best_score:
            best, best_score = d, score
    return best


def _head_records(text: str, delimiter: str, skip_lines: int) -> tuple[list[list[str | None]], list[int]]:
    """The first records, and for each the number of physical lines before it (for skip_lines)."""
    reader = csv.reader(io.StringIO(text[:SNIFF_BYTES]), delimiter=delimiter)
    head, line_of_record = [], []
    lines_before = 0
    try:
        for record in reader:
            line_of_record.append(skip_lines + lines_before)
            head.append([_cell(v) for v in record])
            lines_before = reader.line_num
            if len(head) >= SCAN_ROWS:
                break
    except csv.Error:
        pass
    return head, line_of_record
