"""Mapping files: an unknown layout mapped by TOML, kept in the store, applied again automatically."""

from __future__ import annotations

from datetime import date

import pytest

from pmo import query
from pmo.ingest import IngestFailed, analyse, ingest_files, rebuild

from conftest import FIXTURES

DIR = FIXTURES / "mapping"


def projects(store):
    con = query.connect(store).con
    return con.sql("select project_id, project_name, manager, start_date, finish_date, budget_original, "
                   "currency, reported_health, percent_complete, portfolio, source from projects "
                   "order by project_id").fetchall()


def test_unknown_layout_without_mapping_names_closest_tools(tmp_path):
    with pytest.raises(IngestFailed) as exc:
        analyse(DIR / "acme_register.csv")
    assert "acme_register.csv: no known export layout" in exc.value.problems[0]
    assert "--mapping FILE" in exc.value.problems[0]


def test_mapping_file_maps_columns_and_formats(store):
    [o] = ingest_files(store, [DIR / "acme_register.csv"], mapping_path=DIR / "acme_register.toml")
    assert (o.tool, o.label) == ("mapping", "Mapped export (Acme portfolio register)")
    assert o.tables == {"projects": 2}
    [reject] = o.rejects
    assert (reject.row, reject.column, reject.value) == (4, "Budget (EUR)", "abc")
    assert projects(store) == [
        ("A-01", "Warehouse robots", "Ines Duarte", date(2026, 2, 3), date(2026, 9, 30), 1_250_000.0,
         "EUR", "amber", 0.35, "Acme Operations", "mapping:acme_register"),
        ("A-02", "Supplier portal", "Ben Cho", date(2026, 1, 15), date(2026, 5, 31), 480_500.5,
         "EUR", "green", 0.8, "Acme Operations", "mapping:acme_register"),
    ]


def test_kept_mapping_applies_to_the_same_header_next_time(store):
    # as-of dates given: the file names carry none, and "today" must not decide which is newer
    ingest_files(store, [DIR / "acme_register.csv"], mapping_path=DIR / "acme_register.toml",
                 as_of=date(2026, 11, 1))
    assert len(list(store.path("mappings").glob("*.toml"))) == 1
    [o] = ingest_files(store, [DIR / "acme_register_december.csv"], as_of=date(2026, 12, 1))
    assert o.tool == "mapping"
    # Same source: the newer export replaces the older one's rows.
    rows = projects(store)
    assert [(r[0], r[4], r[5], r[7]) for r in rows] == [("A-01", date(2026, 10, 31), 1_300_000.0, "red")]
    # Rebuild replays the mapping from the store's copy.
    rebuild(store)
    assert projects(store) == rows


def test_broken_mapping_file_is_explained(store):
    with pytest.raises(IngestFailed) as exc:
        ingest_files(store, [DIR / "acme_register.csv"], mapping_path=DIR / "broken.toml")
    assert "broken.toml: [columns] project_key are not columns of projects" in exc.value.problems[0]
    assert store.is_empty()
