"""The typed manifest (pmo/manifest.py): version files written by earlier releases load and save
back unchanged, and a store written before checksums still serves, rebuilds and keeps its files."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import FIXTURES

from pmo import integrity, query
from pmo.ingest import ingest_files, rebuild, remove_ingest
from pmo.manifest import Manifest, Segment
from pmo.store import Store

FX_A = FIXTURES / "store" / "fx_a.csv"
FX_B = FIXTURES / "store" / "fx_b.csv"

# A version file as earlier releases wrote it (json.dumps(..., indent=1)), from a store the Data
# page test built, cut down: one segment from before checksums (no "sha256"), one with; an ingest
# logged before cells_cleared / currency / allow_empty / rejects_sha256 existed, and a current one
# with a rejects file and the scope of a limited publisher.
OLD_VERSION_FILE = """{
 "action": "ingest",
 "note": "ingested cloud_all_fields.csv",
 "user": "ana@example.com",
 "segments": {
  "tasks": {
   "jira:issues:OPS+PAY": {
    "file": "segments/tasks/03f51e7d41144e5f92c6b9e7ef286424.parquet",
    "ingest_id": 2,
    "as_of": "2026-11-24",
    "rows": 7,
    "sha256": "cf9a928f4de6f48b0061bc069eb3de5786f232b69744d48d1f465bb9e3442d63"
   }
  },
  "fx_rates": {
   "fx:rates": {
    "file": "segments/fx_rates/e30a0ec4249b4564983bfb7021aba934.parquet",
    "ingest_id": 1,
    "as_of": "2026-11-20",
    "rows": 2
   }
  }
 },
 "ingests": [
  {
   "ingest_id": 1,
   "file_name": "fx_a.csv",
   "sha256": "3583439a9cf050137266f3f9e7c436919ff2355d9994aeff69a4cad3bca72ae0",
   "size_bytes": 61,
   "tool": "fx",
   "importer_version": "1",
   "tables": "fx_rates",
   "as_of": "2026-11-20",
   "rows_read": 2,
   "rows_accepted": 2,
   "rows_rejected": 0,
   "user": "ana@example.com",
   "ingested_at": "2026-11-20T09:00:00",
   "version": 1,
   "source": "fx:rates",
   "action": "ingest",
   "tool_override": null,
   "as_of_given": null,
   "rejects_file": null,
   "notes": [],
   "mapping": null,
   "date_order": null
  },
  {
   "ingest_id": 2,
   "file_name": "cloud_all_fields.csv",
   "sha256": "4f1b1c8e0f5a8f6d1c0f7a6e1e9b9a5d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f",
   "size_bytes": 2878,
   "tool": "jira",
   "importer_version": "1",
   "tables": "tasks,projects",
   "as_of": "2026-11-24",
   "rows_read": 8,
   "rows_accepted": 9,
   "rows_rejected": 1,
   "cells_cleared": 0,
   "user": "ana@example.com",
   "ingested_at": "2026-12-07T04:19:06",
   "version": 2,
   "source": "jira:issues:OPS+PAY",
   "action": "ingest",
   "tool_override": null,
   "as_of_given": null,
   "rejects_file": "rejects/000002-280e072e.parquet",
   "rejects_sha256": "47252fc0f3f7632f389b57a80ee93eceb47c0a5bed9f834d05a3383dc922da92",
   "notes": [
    "Due date: dates read as day/month-name/year (e.g. '28/Nov/25 12:00 AM' on row 2)"
   ],
   "mapping": null,
   "date_order": null,
   "currency": null,
   "allow_empty": false,
   "scope": {
    "portfolios": [
     "Payments"
    ],
    "departments": null,
    "keys": [
     "PAY"
    ]
   }
  }
 ],
 "active": [
  1,
  2
 ],
 "version": 2,
 "parent": 1,
 "created_at": "2026-12-07T04:19:06"
}"""


def rates(store: Store, version: int) -> list[tuple]:
    return query.connect(store, version).con.sql(
        "select currency, rate_to_reporting from seg_fx_rates order by all").fetchall()


def write_version(store: Store, version: int, text: str) -> None:
    store.path("versions").mkdir(parents=True, exist_ok=True)
    store.path("versions", f"{version:06d}.json").write_text(text)
    store.path("CURRENT").write_text(f"{version}\n")


def test_a_version_file_of_the_previous_code_loads_and_saves_back_the_same(tmp_path):
    store = Store(tmp_path / "s")
    write_version(store, 2, OLD_VERSION_FILE)
    m = store.manifest()
    assert (m.version, m.parent, m.created_at, m.action, m.user, m.note) == (
        2, 1, "2026-12-07T04:19:06", "ingest", "ana@example.com", "ingested cloud_all_fields.csv")
    assert m.segment("fx_rates", "fx:rates") == Segment(
        "fx_rates", "fx:rates", file="segments/fx_rates/e30a0ec4249b4564983bfb7021aba934.parquet",
        ingest_id=1, as_of="2026-11-20", rows=2, sha256=None)
    assert m.segment("tasks", "jira:issues:OPS+PAY").sha256.startswith("cf9a928f")
    assert m.segment("tasks", "jira:nothing") is None and m.segment("risks", "x") is None
    assert m.ingest(2)["scope"]["keys"] == ["PAY"] and "currency" not in m.ingest(1)
    assert [i["file_name"] for i in m.active_ingests()] == ["fx_a.csv", "cloud_all_fields.csv"]
    assert m.files() == [
        ("segments/tasks/03f51e7d41144e5f92c6b9e7ef286424.parquet",
         "cf9a928f4de6f48b0061bc069eb3de5786f232b69744d48d1f465bb9e3442d63"),
        ("segments/fx_rates/e30a0ec4249b4564983bfb7021aba934.parquet", None),
        ("rejects/000002-280e072e.parquet", "47252fc0f3f7632f389b57a80ee93eceb47c0a5bed9f834d05a3383dc922da92")]
    assert json.dumps(m.to_json(), indent=1) == OLD_VERSION_FILE
    with pytest.raises(KeyError, match="ingest 9"):
        m.ingest(9)


def test_missing_keys_get_defaults_and_unknown_keys_are_kept(tmp_path):
    old = json.loads(OLD_VERSION_FILE)
    old["compaction"] = {"by": "a newer release"}                          # keys this code does not know
    old["segments"]["fx_rates"]["fx:rates"]["codec"] = "zstd"
    m = Manifest.from_json(old)
    assert m.to_json() == old
    assert m.segment("fx_rates", "fx:rates").extra == {"codec": "zstd"}
    bare = Manifest.from_json({"segments": {}, "ingests": [], "version": 1})   # the oldest files lack the rest
    assert (bare.action, bare.note, bare.user, bare.active, bare.parent, bare.created_at) == (None, "", None, [], None, None)
    assert bare.files() == [] and bare.active_ingests() == []
    assert Manifest() == Store(tmp_path / "none").manifest()                  # version 0: an empty store
    with pytest.raises(ValueError, match="not a version manifest"):
        Manifest.from_json({"segments": {"tasks": {"k": {"rows": 3}}}})     # a segment without a file


def test_a_typo_is_an_attribute_error_not_a_silent_none():
    m = Manifest.from_json(json.loads(OLD_VERSION_FILE))
    with pytest.raises(AttributeError):
        m.activ                                                            # noqa: B018
    with pytest.raises(AttributeError):
        m.actve = [1]                                                      # frozen: no new attributes either
    with pytest.raises(AttributeError):
        m.segment("tasks", "jira:issues:OPS+PAY").sha                      # noqa: B018
    assert not hasattr(m, "get") and not hasattr(m, "__getitem__")          # no reading by key


def test_publish_takes_a_manifest_and_sets_version_parent_and_time(store):
    ingest_files(store, [FX_A])
    with store.writer() as w:
        with pytest.raises(TypeError, match="Manifest"):
            w.publish({"action": "ingest", "segments": {}, "ingests": [], "active": []})
        v = w.publish(dataclasses.replace(w.base, action="test", note="republished", user="t", version=99))
    m = store.manifest()
    assert (v, m.version, m.parent, m.action) == (2, 2, 1, "test")
    # what the writer wrote is exactly what the manifest saves back
    text = store.path("versions", "000002.json").read_text()
    assert json.dumps(m.to_json(), indent=1) == text
    assert m.segments == store.manifest(1).segments and m.ingests == store.manifest(1).ingests


def test_a_store_written_before_checksums_serves_rebuilds_and_keeps_its_files(store):
    """Strip what later releases added from a real store's version files (segment checksums, the
    ingest fields cells_cleared / currency / allow_empty / rejects_sha256): it is still served,
    checked for missing files only, and removing an ingest or rebuilding works and keeps every
    file a version names."""
    ingest_files(store, [FX_A])
    ingest_files(store, [FX_B])
    later = ("cells_cleared", "currency", "allow_empty", "rejects_sha256")
    for v in (1, 2):
        path = store.path("versions", f"{v:06d}.json")
        old = json.loads(path.read_text())
        for segs in old["segments"].values():
            for seg in segs.values():
                del seg["sha256"]
        old["ingests"] = [{k: x for k, x in i.items() if k not in later} for i in old["ingests"]]
        path.write_text(json.dumps(old, indent=1))
        assert json.dumps(store.manifest(v).to_json(), indent=1) == path.read_text()
    assert all(sha is None for _, sha in store.manifest().files())
    assert integrity.serving(store, fresh=True).version == 2
    assert rates(store, 2) == [("EUR", 1.10), ("EUR", 1.12), ("GBP", 1.30)]     # fx_b adds a February rate
    v3 = remove_ingest(store, 2)                                           # replays fx_a alone
    v4 = rebuild(store)
    m = store.manifest()
    assert (v3, v4, m.action, m.parent, m.active, len(m.ingests)) == (3, 4, "rebuild", 3, [1], 2)
    assert rates(store, 3) == rates(store, 4) == [("EUR", 1.10), ("GBP", 1.30)]
    assert all(sha for _, sha in m.files())                                # the new versions record checksums
    named = {rel for v in range(1, 5) for rel, _ in store.manifest(v).files()}
    assert all(store.path(rel).is_file() for rel in named)                   # the writers' clean-up kept them
