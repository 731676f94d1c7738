"""Workbooks that inflate to far more than they are on disk (zip bombs), written as a zip by hand so
the sizes its directory declares can also lie. Used by tests/test_refusals.py and
benchmarks/refusals.py."""

from __future__ import annotations

import binascii
import io
import struct
import zipfile
import zlib
from pathlib import Path


def _deflated(chunks) -> tuple[bytes, int, int]:
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    out, crc, size = [], 0, 0
    for ch in chunks:
        crc, size = binascii.crc32(ch, crc), size + len(ch)
        out.append(c.compress(ch))
    out.append(c.flush())
    return b"".join(out), crc, size


def write_workbook(path: Path, sheet_mb: int, declare_bytes: int | None = None) -> Path:
    """A real .xlsx (openpyxl's parts) whose sheet1.xml is `sheet_mb` MB of XML, written as a zip by
    hand; `declare_bytes` makes its directory lie about the sheet's inflated size."""
    import openpyxl

    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["Issue key", "Summary"])
    wb.save(buf)
    parts = zipfile.ZipFile(buf)

    def sheet():
        yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
               b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        blank = b" " * (1 << 20)
        for _ in range(sheet_mb):
            yield blank
        yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'

    central = []
    with path.open("wb") as fh:
        for info in parts.infolist():
            big = info.filename.endswith("sheet1.xml")
            data, crc, size = _deflated(sheet() if big else [parts.read(info.filename)])
            size = declare_bytes if big and declare_bytes is not None else size
            name, offset = info.filename.encode(), fh.tell()
            fh.write(struct.pack("<4sHHHHHLLLHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size,
                                 len(name), 0) + name + data)
            central.append(struct.pack("<4sHHHHHHLLLHHHHHLL", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data),
                                       size, len(name), 0, 0, 0, 0, 0, offset) + name)
        start = fh.tell()
        for c in central:
            fh.write(c)
        fh.write(struct.pack("<4sHHHHLLH", b"PK\x05\x06", 0, 0, len(central), len(central), fh.tell() - start,
                             start, 0))
    return path
