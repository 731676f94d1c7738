"""docs/data-model.md documents every table and column of the contract, with the right types."""

import re

import pytest

from pmo import schema
from conftest import ROOT

DOC = (ROOT / "docs" / "data-model.md").read_text()
DUCK = {"String": "VARCHAR", "Float64": "DOUBLE", "Date": "DATE", "Boolean": "BOOLEAN", "Int64": "BIGINT",
        "List(String)": "VARCHAR[]", "Datetime(time_unit='us', time_zone=None)": "TIMESTAMP"}


def documented(table: str) -> dict[str, str]:
    section = DOC.split(f"## {table}\n", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^\| (\w+) \| ([A-Z\[\]]+) \|", section, re.MULTILINE))


TABLES = {**schema.TABLES, "ingests": schema.INGESTS, "rejected_rows": schema.REJECTED_ROWS}


@pytest.mark.parametrize("table", TABLES)
def test_every_column_documented_with_its_type(table):
    doc = documented(table)
    code = {c: DUCK[str(t)] for c, t in TABLES[table].items()}
    assert doc == code
