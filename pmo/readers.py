"""Read an export file into grids of text: encodings, delimiters, `sep=` lines, workbooks.

A reader does not know any tool. It returns every sheet as a `Grid`: all cells as text, no header
applied, so the registry can look for the header row by fingerprint (monday.com and Asana's
Google-Sheets round trip put rows above it). Parquet files come back typed, as `Grid.typed`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import struct
import zipfile
import zlib
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


class DamagedFile(ReadError):
    """The bytes themselves are wrong (NUL bytes, invalid encoding sequences, an unsafe archive)."""


@dataclass(frozen=True)
class Limits:
    """What a file may cost to read ([ingest] in config/pmo.toml, docs/configuration.md).

    Checked on a workbook's zip directory before any of it is inflated (the sizes declared
    there are then verified while inflating, a bounded slice at a time), so an archive that
    inflates to far more than it admits is refused without the memory it would take.
    """

    max_uncompressed_mb: float = 500.0     # all entries of a workbook, inflated
    max_ratio: float = 100.0               # inflated / compressed, per entry over RATIO_FROM_BYTES
    max_entries: int = 10_000              # files inside a workbook
    max_cell_chars: int = 32_767           # Excel's own limit for one cell

    @classmethod
    def from_settings(cls, cfg: dict | None) -> Limits:
        ing = (cfg or {}).get("ingest", {})
        d = cls()
        return cls(max_uncompressed_mb=float(ing.get("workbook_max_uncompressed_mb", d.max_uncompressed_mb)),
                   max_ratio=float(ing.get("workbook_max_compression_ratio", d.max_ratio)),
                   max_entries=int(ing.get("workbook_max_entries", d.max_entries)),
                   max_cell_chars=int(ing.get("max_cell_chars", d.max_cell_chars)))


# An entry smaller than this is not judged by its ratio: a few KB of repetitive XML (styles, an
# empty sheet) compresses very well and cannot take memory anyway.
RATIO_FROM_BYTES = 1 << 20
CHECK_CHUNK = 4 << 20     # bytes read (and at most inflated) at a time by the checks


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


def read_grids(path: Path, display_name: str | None = None, limits: Limits | None = None) -> list[Grid]:
    """Every sheet of `path` as a Grid. Raises ReadError with a clear reason (DamagedFile for
    corrupt bytes and unsafe archives)."""
    name = display_name or path.name
    suffix = path.suffix.lower()
    limits = limits or Limits()
    if not path.exists():
        raise ReadError(f"{name}: file not found. Check the path.")
    if path.stat().st_size == 0:
        raise ReadError(f"{name}: the file is empty. Export it again from the tool.")
    if suffix in EXCEL_SUFFIXES:
        if suffix != ".xls":
            check_archive(path, name, limits)
        return _read_excel(path, name, limits)
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


def check_archive(path: Path, name: str, limits: Limits) -> None:
    """Refuse a zip-based workbook whose inflated size, compression ratio or entry count is beyond
    `limits`, before anything parses it. The declared sizes come from the zip directory (no
    inflating); each entry is then inflated a slice at a time and refused the moment it yields more
    than it declared, so a forged directory cannot hide a bomb either."""
    what = "Save it again as .xlsx from Excel (or export it again from the tool)."
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReadError(f"{name}: not a readable Excel workbook ({exc}). {what}") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_entries:
            raise DamagedFile(f"{name}: refused: the workbook holds {len(infos):,} files inside, more than the "
                              f"{limits.max_entries:,} allowed ([ingest] workbook_max_entries). {what}")
        total = sum(i.file_size for i in infos)
        if total > limits.max_uncompressed_mb * 2**20:
            raise DamagedFile(
                f"{name}: refused: the workbook inflates to {total / 2**20:,.0f} MB, more than the "
                f"{limits.max_uncompressed_mb:,.0f} MB allowed ([ingest] workbook_max_uncompressed_mb). Split the "
                f"export, save it as CSV, or raise the limit if this is expected.")
        for i in infos:
            ratio = i.file_size / max(i.compress_size, 1)
            if i.file_size >= RATIO_FROM_BYTES and ratio > limits.max_ratio:
                raise DamagedFile(
                    f"{name}: refused: '{i.filename}' inside the workbook inflates {ratio:,.0f} times "
                    f"({i.compress_size / 2**10:,.0f} KB to {i.file_size / 2**20:,.0f} MB), more than the "
                    f"{limits.max_ratio:,.0f}:1 allowed ([ingest] workbook_max_compression_ratio); a workbook "
                    f"built to exhaust memory (a zip bomb) looks like this. {what}")
        with path.open("rb") as fh:
            for i in infos:
                _verify_entry(fh, i, name)


def _verify_entry(fh, info: zipfile.ZipInfo, name: str) -> None:
    """Inflate one entry a bounded slice at a time; refuse it if it yields more than it declares."""
    if info.file_size == 0 and info.compress_size == 0:
        return
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise DamagedFile(f"{name}: refused: the workbook's archive is damaged ('{info.filename}'). "
                          "Save it again as .xlsx.")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    if info.compress_type == zipfile.ZIP_STORED:
        return      # stored: exactly compress_size bytes, nothing to inflate
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise DamagedFile(f"{name}: refused: '{info.filename}' uses a compression Excel does not write "
                          f"(method {info.compress_type}). Save it again as .xlsx.")
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    left, out = info.compress_size, 0
    while left > 0 or inflate.unconsumed_tail:
        data = inflate.unconsumed_tail or fh.read(min(CHECK_CHUNK, left))
        if not inflate.unconsumed_tail:
            left -= len(data)
            if not data:
                break
        try:
            out += len(inflate.decompress(data, CHECK_CHUNK))
        except zlib.error as exc:
            raise DamagedFile(f"{name}: refused: '{info.filename}' inside the workbook is damaged ({exc}). "
                              "Save it again as .xlsx.") from exc
        if out > info.file_size:
            raise DamagedFile(
                f"{name}: refused: '{info.filename}' inflates to more than the {info.file_size:,} bytes the "
                f"archive declares for it; a workbook built to exhaust memory (a zip bomb) looks like this. "
                f"Save it again as .xlsx from Excel.")
        if inflate.eof:
            break


def _read_excel(path: Path, name: str, limits: Limits | None = None) -> list[Grid]:
    import fastexcel

    limits = limits or Limits()
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
        _check_cell_length(frame, name, sheet, limits.max_cell_chars)
        head = [[_cell(v) for v in row] for row in frame.head(SCAN_ROWS).iter_rows()]
        # `path`: importers that need more than cell text (Smartsheet outline levels) reopen the file.
        grids.append(Grid(name, sheet, head, {"format": "xlsx", "path": str(path)}, _frame=frame))
    if not grids:
        raise ReadError(f"{name}: the workbook has no sheet with data.")
    return grids


def _check_cell_length(frame: pl.DataFrame, name: str, sheet: str, max_chars: int) -> None:
    """Refuse a sheet with a cell longer than Excel itself allows: not an export of any tool."""
    if not frame.width:
        return
    longest = frame.select(pl.col(c).str.len_chars().max() for c in frame.columns).row(0)
    for col, n in zip(frame.columns, longest, strict=True):
        if n is not None and n > max_chars:
            row = int(frame[col].str.len_chars().arg_max()) + 1
            raise DamagedFile(
                f"{name}: refused: sheet '{sheet}', row {row}, column {frame.columns.index(col) + 1} holds "
                f"{n:,} characters in one cell, more than the {max_chars:,} allowed ([ingest] max_cell_chars; "
                f"Excel itself stops at 32,767). Export it again from the tool.")


# Bytes Windows-1252 leaves undefined: in a file read as Windows-1252 they mean the encoding is not that.
_CP1252_UNDEFINED = re.compile(rb"[\x00\x81\x8d\x8f\x90\x9d]")
_WHAT_TO_DO = ("The copy is damaged (a truncated download, a bad disk or USB stick?): copy or export the "
               "file again. Nothing was stored.")


def check_text(path: Path, name: str, encoding: str) -> None:
    """Refuse a text file with NUL bytes or byte sequences its encoding does not allow, naming the
    line and byte offset of the first. Read a slice at a time (a big file is never held whole);
    UTF-16 files are checked where they are decoded."""
    if encoding.startswith("utf-16"):
        return
    utf8 = encoding in ("utf-8", "utf-8-sig")
    decoder = codecs.getincrementaldecoder("utf-8")() if utf8 else None
    offset = 0
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(CHECK_CHUNK)
            if not chunk:
                break
            nul = chunk.find(b"\x00")
            if utf8:
                try:
                    decoder.decode(chunk, final=False)
                except UnicodeDecodeError as exc:
                    bad = offset + exc.start - len(decoder.getstate()[0]) if exc.start >= 0 else offset
                    if nul < 0 or offset + nul > bad:
                        _refuse_bytes(path, name, bad, f"bytes that are not valid UTF-8 ({_hex(path, bad)})",
                                      "the file mixes encodings or is damaged")
            else:
                m = _CP1252_UNDEFINED.search(chunk)
                if m and m.group() != b"\x00" and (nul < 0 or m.start() < nul):
                    _refuse_bytes(path, name, offset + m.start(), f"a byte Windows-1252 does not define "
                                  f"({_hex(path, offset + m.start())})")
            if nul >= 0:
                _refuse_bytes(path, name, offset + nul, "a NUL byte (0x00)")
            offset += len(chunk)
        if utf8:
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                _refuse_bytes(path, name, offset - pending + max(exc.start, 0),
                              "a UTF-8 character cut off by the end of the file", "the file is truncated")


def _hex(path: Path, at: int) -> str:
    with path.open("rb") as fh:
        fh.seek(at)
        return " ".join(f"0x{b:02X}" for b in fh.read(2))


def _refuse_bytes(path: Path, name: str, at: int, what: str, why: str = "") -> None:
    """Raise DamagedFile for the byte at offset `at`, with its 1-based line."""
    line = 1
    with path.open("rb") as fh:
        left = at
        while left > 0:
            chunk = fh.read(min(CHECK_CHUNK, left))
            if not chunk:
                break
            line += chunk.count(b"\n")
            left -= len(chunk)
    raise DamagedFile(f"{name}: refused: {what} at line {line:,}, byte offset {at:,}"
                      f"{': ' + why if why else ''}. {_WHAT_TO_DO}")


def _refuse_text(name: str, data: bytes, text_index: int | None, byte_at: int | None, what: str) -> None:
    """As _refuse_bytes for a file already decoded in memory (UTF-16)."""
    if byte_at is None:
        byte_at = len(data[:2]) if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else 0
        byte_at += 2 * (text_index or 0)
    line = data[:byte_at].decode("utf-16", errors="replace").count("\n") + 1 if byte_at else 1
    raise DamagedFile(f"{name}: refused: {what} at line {line:,}, byte offset {byte_at:,}. {_WHAT_TO_DO}")


def _read_text(path: Path, name: str) -> Grid:
    raw = path.read_bytes() if path.stat().st_size <= SNIFF_BYTES * 4 else None
    sample = raw[:SNIFF_BYTES] if raw is not None else path.open("rb").read(SNIFF_BYTES)
    encoding = detect_encoding(sample)
    check_text(path, name, encoding)
    meta: dict = {"format": "csv", "encoding": encoding}
    if encoding in ("utf-8", "utf-8-sig"):
        source: Path | io.BytesIO = path
        text_sample = sample.decode("utf-8-sig", errors="ignore")
    else:
        data = raw if raw is not None else path.read_bytes()
        try:
            text = data.decode(encoding)   # strict: check_text found no undefined byte
        except UnicodeDecodeError as exc:
            _refuse_text(name, data, None, exc.start, f"bytes that are not valid {encoding.upper()}")
        if "\x00" in text:
            _refuse_text(name, data, text.index("\x00"), None, "a NUL character")
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


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def detect_encoding(sample: bytes) -> str:
    """BOM first; then strict UTF-8 (also UTF-8 with a few damaged bytes, refused later); else
    Windows-1252 (Excel's 'CSV (Comma delimited)')."""
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
        # UTF-8 text with a few damaged bytes is not Windows-1252 (reading it so would turn every
        # é into Ã©): it is UTF-8, and check_text refuses the damage.
        valid = len(_UTF8_MULTIBYTE.findall(sample))
        if valid >= 2 and valid >= sample.decode("utf-8", errors="replace").count("\ufffd"):
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
