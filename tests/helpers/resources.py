"""Shared by the resource importer tests: canonical rows and detection checks."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pmo import schema
from pmo.importers import registry
from pmo.importers.base import ImportError_
from pmo.readers import ReadError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def canon(table: str, **values) -> dict:
    return {c: None for c in schema.TABLES[table]} | values


def rows(df: pl.DataFrame, *order: str) -> list[dict]:
    return df.sort(list(order), maintain_order=True).to_dicts()


def claimed_by(tool: str) -> list[str]:
    """Fixture files (of every tool) that the registry gives to `tool`."""
    out = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".csv", ".xlsx", ".txt"):
            continue
        try:
            tools = [m.tool for m in registry.detect(path)]
        except (ImportError_, ReadError):
            continue
        if tool in tools:
            out.append(f"{path.parent.name}/{path.name}")
    return out
