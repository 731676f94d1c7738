"""Two people publishing at once: the store lock serialises them, the caller's retry loop makes the
second wait its turn, and neither upload is lost."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from pmo import inbox
from pmo.ingest import IngestFailed, ingest_files
from pmo.store import Store, StoreBusy

from conftest import FIXTURES, ROOT

JIRA = FIXTURES / "jira"
FILE_A = JIRA / "cloud_current_fields.csv"      # OPS: 2 tasks
FILE_B = JIRA / "german_cloud.csv"              # LOG: 3 tasks
FX_A = FIXTURES / "store" / "fx_a.csv"
NOT_AN_EXPORT = FIXTURES / "store" / "not_an_export.csv"


def active_files(store: Store) -> list[str]:
    m = store.manifest()
    return sorted(i["file_name"] for i in m.active_ingests())


def task_count(store: Store) -> int:
    from pmo import query
    return query.connect(store).con.sql("select count(*) from tasks").fetchall()[0][0]


def test_second_publisher_without_retry_is_refused_and_store_unchanged(store):
    ingest_files(store, [FX_A])
    with store.writer(), pytest.raises(StoreBusy):
        ingest_files(store, [FILE_A])
    assert store.current_version() == 1 and active_files(store) == ["fx_a.csv"]


def test_two_threads_publishing_at_once_both_land(store):
    """The lock is held while both publishers start, so both must meet a busy store and wait."""
    waits = {"a": 0, "b": 0}
    both_waiting = threading.Event()
    results: dict[str, object] = {}

    def publisher(key, path):
        def on_wait(_attempt):
            waits[key] += 1
            if waits["a"] and waits["b"]:
                both_waiting.set()
        try:
            results[key] = inbox.publish_with_retry(store, [path], attempts=2000, wait=0.01,
                                                    on_wait=on_wait, user=key)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[key] = exc

    with store.writer():                                  # a third person is publishing
        threads = [threading.Thread(target=publisher, args=("a", FILE_A)),
                   threading.Thread(target=publisher, args=("b", FILE_B))]
        for t in threads:
            t.start()
        assert both_waiting.wait(timeout=60), waits
    for t in threads:
        t.join(timeout=120)
    assert all(isinstance(r, list) for r in results.values()), results
    assert waits["a"] >= 1 and waits["b"] >= 1
    assert store.current_version() == 2
    versions = sorted(results[k][0].version for k in "ab")
    assert versions == [1, 2]                             # one after the other, never the same
    assert active_files(store) == ["cloud_current_fields.csv", "german_cloud.csv"]
    users = {i["file_name"]: i["user"] for i in store.manifest().ingests}
    assert users == {"cloud_current_fields.csv": "a", "german_cloud.csv": "b"}
    assert task_count(store) == 2 + 3


PUBLISHER = """
import sys, time
from pathlib import Path
from pmo import inbox
from pmo.store import Store
root, path, go = sys.argv[1:4]
while not Path(go).exists():
    time.sleep(0.005)
[o] = inbox.publish_with_retry(Store(root), [Path(path)], attempts=4000, wait=0.005, user=Path(path).stem)
print(o.version)
"""


def test_two_processes_publishing_at_once_both_land(store, tmp_path):
    store.root.mkdir(parents=True)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", PUBLISHER, str(store.root), str(p), str(go)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in (FILE_A, FILE_B)]
    time.sleep(0.5)                                       # both processes are up and polling
    go.write_text("go")
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert sorted(int(o[0].strip()) for o in outs) == [1, 2]
    assert store.current_version() == 2
    assert active_files(store) == ["cloud_current_fields.csv", "german_cloud.csv"]
    assert task_count(store) == 5


def test_retry_gives_up_with_store_busy(store):
    ingest_files(store, [FX_A])
    waited: list[int] = []
    slept: list[float] = []
    with store.writer(), pytest.raises(StoreBusy):
        inbox.publish_with_retry(store, [FILE_A], attempts=3, wait=0.25, sleep=slept.append,
                                 on_wait=waited.append)
    assert waited == [1, 2] and slept == [0.25, 0.25]
    assert store.current_version() == 1


def test_retry_does_not_retry_a_bad_file(store):
    waited: list[int] = []
    with pytest.raises(IngestFailed) as exc:
        inbox.publish_with_retry(store, [NOT_AN_EXPORT], attempts=5, wait=0, on_wait=waited.append)
    assert waited == []
    assert exc.value.problems[0].startswith("not_an_export.csv: no known export layout")
    assert store.is_empty()
