"""The drop folder: inbox/ -> ingested alone -> processed/ or failed/ (+ .error.txt); `pmo watch`."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from pmo import query, inbox
from pmo.ingest import ingest_files
from pmo.store import Store

from conftest import FIXTURES, run_pmo

FX_A = FIXTURES / "store" / "fx_a.csv"
FX_B = FIXTURES / "store" / "fx_b.csv"
FX_BAD = FIXTURES / "store" / "fx_bad.csv"
NOT_AN_EXPORT = FIXTURES / "store" / "not_an_export.csv"


def drop(store: Store, src: Path, name: str | None = None, age: float = 60.0) -> Path:
    """Copy `src` into inbox/ as if it had been put there `age` seconds ago."""
    store.inbox.mkdir(parents=True, exist_ok=True)
    dest = store.inbox / (name or src.name)
    shutil.copyfile(src, dest)
    t = time.time() - age
    os.utime(dest, (t, t))
    return dest


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the store proper (not the drop folder, not lock files) with its bytes."""
    skip = ("inbox", "processed", "failed")
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock") and p.relative_to(root).parts[0] not in skip}


def fx_currencies(store: Store) -> list[tuple]:
    con = query.connect(store).con
    return con.sql("select currency, rate_to_reporting from seg_fx_rates order by all").fetchall()


def test_good_file_is_ingested_and_moved_to_processed(store):
    store.inbox.mkdir(parents=True)
    drop(store, FX_A)
    [r] = inbox.process_inbox(store)
    assert (r.file_name, r.status, r.version) == ("fx_a.csv", "processed", 1)
    assert store.current_version() == 1
    assert list(store.inbox.iterdir()) == []
    [moved] = list(store.path("processed").iterdir())
    assert moved == r.moved_to and moved.name.endswith("-fx_a.csv")
    assert moved.read_bytes() == FX_A.read_bytes()
    assert inbox.moved_at(moved) is not None and inbox.original_name(moved) == "fx_a.csv"
    log = store.ingests().row(0, named=True)
    assert (log["file_name"], log["user"], log["rows_accepted"]) == ("fx_a.csv", "inbox", 2)
    assert fx_currencies(store) == [("EUR", 1.10), ("GBP", 1.30)]
    assert "fx_a.csv: FX rates -> fx_rates 2" in r.line()


def test_bad_file_goes_to_failed_with_error_note_and_store_unchanged(store):
    ingest_files(store, [FX_A])
    before = snapshot(store.root)
    drop(store, NOT_AN_EXPORT)
    [r] = inbox.process_inbox(store)
    assert r.status == "failed" and r.version is None
    assert r.problems[0].startswith("not_an_export.csv: no known export layout")
    assert snapshot(store.root) == before
    assert store.current_version() == 1
    [moved] = inbox.recent(store, "failed")
    assert moved.name.endswith("-not_an_export.csv") and moved.read_bytes() == NOT_AN_EXPORT.read_bytes()
    note = Path(str(moved) + ".error.txt").read_text()
    assert note == inbox.error_note(moved)
    assert note.startswith("not_an_export.csv was not ingested (")
    assert "the store is unchanged" in note
    assert f"- {r.problems[0]}" in note
    assert "What to do:" in note and "Data page" in note
    assert list(store.inbox.iterdir()) == []


def test_each_file_is_ingested_alone(store):
    """A bad file next to good ones does not block them: each is its own ingest and version."""
    store.inbox.mkdir(parents=True)
    drop(store, FX_A, age=90)
    drop(store, FX_BAD, age=60)
    drop(store, FX_B, age=30)
    results = inbox.process_inbox(store)
    assert [(r.file_name, r.status) for r in results] == [
        ("fx_a.csv", "processed"), ("fx_bad.csv", "failed"), ("fx_b.csv", "processed")]
    assert [r.version for r in results] == [1, None, 2]
    assert store.current_version() == 2
    assert "column 'Rate to USD' cannot be read" in results[1].problems[0]
    note = inbox.error_note(results[1].moved_to)
    assert "fx_bad.csv: column 'Rate to USD' cannot be read" in note
    assert [i["file_name"] for i in store.manifest().ingests] == ["fx_a.csv", "fx_b.csv"]


def test_partial_and_too_new_files_are_left_alone(store):
    store.inbox.mkdir(parents=True)
    partial = [drop(store, FX_A, ".~lock.fx_a.csv#"), drop(store, FX_A, "fx_a.csv.part"),
               drop(store, FX_A, "fx_a.tmp"), drop(store, FX_A, "fx_a.csv.crdownload")]
    fresh = drop(store, FX_A, age=0.0)          # still being copied, as far as we can tell
    assert inbox.process_inbox(store) == []
    assert store.is_empty()
    assert sorted(inbox.waiting(store)) == sorted([*partial, fresh])
    # Once it has not changed for SETTLE_SECONDS it is taken; the partial names never are.
    [r] = inbox.process_inbox(store, now=time.time() + inbox.SETTLE_SECONDS + 1)
    assert (r.file_name, r.status) == ("fx_a.csv", "processed")
    assert sorted(inbox.waiting(store)) == sorted(partial)


def test_busy_store_leaves_the_file_for_the_next_pass(store):
    ingest_files(store, [FX_A])
    dropped = drop(store, FX_B)
    with store.writer():                       # someone else is publishing right now
        [r] = inbox.process_inbox(store)
    assert r.status == "busy" and "busy" in r.line()
    assert dropped.exists() and store.current_version() == 1
    assert not list(store.path("processed").iterdir()) and not list(store.path("failed").iterdir())
    [r] = inbox.process_inbox(store)
    assert (r.status, r.version) == ("processed", 2)


def test_one_pass_at_a_time(store):
    """The dashboard thread, `pmo watch` and a second server never ingest the same file twice."""
    drop(store, FX_A)
    with inbox._pass_lock(store) as mine:
        assert mine
        assert inbox.process_inbox(store) == []        # another pass is running: skip this turn
    [r] = inbox.process_inbox(store)
    assert r.status == "processed"
    assert len(store.manifest().ingests) == 1


def test_same_name_twice_keeps_both_in_processed(store):
    drop(store, FX_A)
    inbox.process_inbox(store)
    drop(store, FX_A)
    inbox.process_inbox(store)
    kept = list(store.path("processed").iterdir())
    assert len(kept) == 2 and [inbox.original_name(p) for p in kept] == ["fx_a.csv", "fx_a.csv"]
    assert store.current_version() == 2


def test_missing_inbox_is_nothing_to_do(tmp_path):
    s = Store(tmp_path / "nowhere")
    assert inbox.process_inbox(s) == []
    assert not s.root.exists()


def test_watch_loop_processes_and_survives_errors(store, monkeypatch):
    store.inbox.mkdir(parents=True)
    real = inbox.process_inbox
    calls = {"n": 0}

    def flaky(s, user="inbox"):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk hiccup")          # the watcher must log it and carry on
        return real(s, user=user)

    monkeypatch.setattr(inbox, "process_inbox", flaky)
    seen: list[inbox.InboxResult] = []
    stop = threading.Event()
    drop(store, FX_A)
    t = threading.Thread(target=inbox.watch, args=(store,), daemon=True,
                         kwargs={"interval": 0.05, "stop": stop, "on_result": seen.append})
    t.start()
    deadline = time.time() + 60
    while not seen and time.time() < deadline:
        time.sleep(0.05)
    stop.set()
    t.join(timeout=30)
    assert not t.is_alive()
    assert calls["n"] >= 2
    assert [(r.file_name, r.status) for r in seen] == [("fx_a.csv", "processed")]


def test_pmo_watch_once(tmp_path):
    root = tmp_path / "data"
    s = Store(root)
    drop(s, FX_A)
    r = run_pmo("watch", "--once", data_dir=root)
    assert r.returncode == 0, r.stderr
    assert "processed fx_a.csv" in r.stdout
    assert s.current_version() == 1
    drop(s, NOT_AN_EXPORT)
    r = run_pmo("watch", "--once", data_dir=root)
    assert r.returncode == 2
    assert "failed not_an_export.csv" in r.stderr and ".error.txt" in r.stderr
    assert s.current_version() == 1
    r = run_pmo("watch", "--once", data_dir=root)
    assert r.returncode == 0 and "nothing ready" in r.stdout


def test_pmo_watch_once_busy_store_exits_3(store):
    ingest_files(store, [FX_A])
    drop(store, FX_B)
    with store.writer():
        r = run_pmo("watch", "--once", data_dir=store.root)
    assert r.returncode == 3, r.stderr
    assert (store.inbox / "fx_b.csv").exists()


@pytest.mark.parametrize("name, partial", [
    ("export.csv", False), (".hidden.csv", True), ("export.csv.part", True), ("EXPORT.TMP", True),
    ("export.xlsx~", True), ("export.csv.crdownload", True)])
def test_partial_names(name, partial):
    assert inbox.is_partial(name) is partial
