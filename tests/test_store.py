"""The store's guarantees: raw files kept, atomic versions, one writer, readers never see half a version."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from pmo import query
from pmo.ingest import IngestFailed, ingest_files, rebuild, remove_ingest, rollback
from pmo.store import Store

from conftest import FIXTURES, ROOT

FX_A = FIXTURES / "store" / "fx_a.csv"
FX_B = FIXTURES / "store" / "fx_b.csv"
NOT_AN_EXPORT = FIXTURES / "store" / "not_an_export.csv"
HELPER = Path(__file__).parent / "helpers" / "interrupted_ingest.py"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file in the store with its bytes (the lock file's existence is irrelevant)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def fx_rows(store: Store, version: int | None = None) -> list[tuple]:
    con = query.connect(store, version).con
    return con.sql("select currency, rate_to_reporting, valid_from from seg_fx_rates "
                   "order by currency, valid_from").fetchall()


def test_ingest_keeps_raw_file_and_logs_it(store):
    [outcome] = ingest_files(store, [FX_A], user="tester")
    assert store.current_version() == 1
    kept = store.raw_path(outcome.sha256, FX_A.name)
    assert kept.read_bytes() == FX_A.read_bytes()
    log = store.ingests()
    row = log.row(0, named=True)
    assert (row["file_name"], row["tool"], row["rows_read"], row["rows_accepted"], row["rows_rejected"]) == \
        ("fx_a.csv", "fx", 2, 2, 0)
    assert row["user"] == "tester" and row["size_bytes"] == FX_A.stat().st_size
    assert len(row["sha256"]) == 64 and row["importer_version"]
    assert [r[0] for r in fx_rows(store)] == ["EUR", "GBP"]


def test_unrecognised_file_is_refused_and_store_unchanged(store):
    ingest_files(store, [FX_A])
    before = snapshot(store.root)
    with pytest.raises(IngestFailed) as exc:
        ingest_files(store, [NOT_AN_EXPORT])
    [problem] = exc.value.problems
    assert problem.startswith("not_an_export.csv: no known export layout")
    # Colour, Shape, Weight shares nothing with any tool: none is offered as "closest".
    assert "No known tool is close to this header." in problem and "Closest:" not in problem
    assert "--mapping" in problem
    assert snapshot(store.root) == before


def test_batch_is_all_or_nothing(store):
    with pytest.raises(IngestFailed):
        ingest_files(store, [FX_A, NOT_AN_EXPORT])
    assert store.is_empty()
    assert not list(store.path("raw").rglob("*.csv"))


def test_killed_ingest_leaves_previous_version_serving(store, tmp_path):
    ingest_files(store, [FX_A])
    before = fx_rows(store)
    signal_file = tmp_path / "signal"
    proc = subprocess.run([sys.executable, str(HELPER), str(store.root), str(FX_B), "kill", str(signal_file)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -9 and signal_file.read_text() == "dying"
    assert store.current_version() == 1
    assert fx_rows(store) == before
    # The next writer clears what the killed one left and works normally.
    ingest_files(store, [FX_B])
    assert store.current_version() == 2
    assert not store.path("tmp").exists() or not any(store.path("tmp").iterdir())
    assert sorted(p.name for p in store.path("versions").iterdir()) == ["000001.json", "000002.json"]


def _start_paused_ingest(store: Store, file_: Path, signal_file: Path, seconds: float):
    proc = subprocess.Popen([sys.executable, str(HELPER), str(store.root), str(file_), f"pause:{seconds}",
                             str(signal_file)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not signal_file.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.time() < deadline, "paused ingest never reached publish"
        time.sleep(0.05)
    return proc


def test_second_writer_is_told_busy_and_retry_works(store, tmp_path, pmo_cli):
    ingest_files(store, [FX_A])
    proc = _start_paused_ingest(store, FX_B, tmp_path / "signal", 4)
    busy = pmo_cli("ingest", str(FX_A), data_dir=store.root)
    assert busy.returncode == 3
    assert "busy" in busy.stderr and "retry" in busy.stderr
    assert proc.wait(timeout=60) == 0
    retry = pmo_cli("ingest", str(FX_A), data_dir=store.root)
    assert retry.returncode == 0, retry.stderr
    assert store.current_version() == 3
    assert [i["file_name"] for i in store.manifest().ingests] == ["fx_a.csv", "fx_b.csv", "fx_a.csv"]


def test_reader_during_ingest_sees_the_old_version_then_the_new(store, tmp_path):
    ingest_files(store, [FX_A])
    old = fx_rows(store)
    proc = _start_paused_ingest(store, FX_B, tmp_path / "signal", 2)
    assert store.current_version() == 1 and fx_rows(store) == old   # staged, not visible
    assert proc.wait(timeout=60) == 0
    assert store.current_version() == 2
    assert fx_rows(store) != old


def test_rebuild_recreates_current_version_from_raw_files(store):
    ingest_files(store, [FX_A])
    ingest_files(store, [FX_B])
    before = fx_rows(store)
    v = rebuild(store)
    assert v == 3 and fx_rows(store) == before
    assert store.manifest().action == "rebuild"


def test_rollback_serves_an_earlier_version_and_is_logged(store):
    ingest_files(store, [FX_A])
    v1 = fx_rows(store)
    ingest_files(store, [FX_B])
    assert fx_rows(store) != v1
    v = rollback(store, 1, user="tester")
    assert v == 3 and fx_rows(store) == v1
    m = store.manifest()
    assert (m.action, m.user, m.note) == ("rollback", "tester", "rolled back to version 1")
    with pytest.raises(IngestFailed):
        rollback(store, 9)


def test_remove_ingest_publishes_version_without_it(store):
    ingest_files(store, [FX_A])
    first = fx_rows(store)
    ingest_files(store, [FX_B])
    remove_ingest(store, 2)
    assert fx_rows(store) == first


def test_raw_copy_hashes_exactly_what_it_copies(tmp_path):
    import hashlib

    from pmo.store import RawCopy

    data = bytes(range(256)) * 40_000                  # 10 MB: several read chunks
    src = tmp_path / "export.csv"
    src.write_bytes(data)
    copy = RawCopy(src, tmp_path / "copy")
    assert copy.sha256() == hashlib.sha256(data).hexdigest()
    assert (tmp_path / "copy").read_bytes() == data
    with pytest.raises(FileNotFoundError):
        RawCopy(tmp_path / "missing.csv", tmp_path / "copy2").sha256()


@pytest.mark.parametrize("size", [0, 5, 4096, 4097, 4 << 20, (4 << 20) + 1, 3 * (4 << 20) - 7])
def test_raw_copy_is_exact_for_any_size_and_filesystem(tmp_path, size):
    # Block-aligned chunks are written with O_DIRECT, the tail through the page cache; a
    # filesystem without O_DIRECT (tmpfs) takes the usual path for everything.
    import hashlib
    import os
    import shutil

    from pmo.store import RawCopy

    data = os.urandom(size)
    src = tmp_path / "export.csv"
    src.write_bytes(data)
    places = [tmp_path]
    if Path("/dev/shm").is_dir():
        shm = Path("/dev/shm") / f"pmo-test-{tmp_path.name}"
        shm.mkdir()
        places.append(shm)
    try:
        for place in places:
            copy = RawCopy(src, place / "copy")
            assert copy.sha256() == hashlib.sha256(data).hexdigest()
            assert (place / "copy").read_bytes() == data
    finally:
        for place in places[1:]:
            shutil.rmtree(place, ignore_errors=True)


def test_a_failed_batch_leaves_no_staged_files(store):
    ingest_files(store, [FX_A])
    before = snapshot(store.root)
    with pytest.raises(IngestFailed):
        ingest_files(store, [FX_B, NOT_AN_EXPORT])    # fx_b was copied and parsed before the failure
    assert snapshot(store.root) == before
    assert not store.path("tmp").exists() or not any(store.path("tmp").iterdir())
