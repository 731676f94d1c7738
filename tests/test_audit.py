"""The audit log: append-only lines in the store, kept across rollbacks, written by every publish."""

from __future__ import annotations

import json
import multiprocessing
from datetime import datetime, timezone

import pytest

from pmo import audit
from pmo.ingest import ingest_files, rebuild, remove_ingest, rollback

from conftest import FIXTURES


def test_log_appends_one_json_line_per_event_in_a_monthly_file(tmp_path):
    t1 = datetime(2026, 10, 31, 23, 59, tzinfo=timezone.utc)
    t2 = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
    audit.log(tmp_path, "ana@example.com", "sql", {"sql": "select 1", "rows": 1}, role="analyst", now=t1)
    audit.log(tmp_path, "bob@example.com", "export", {"page": "Budget variance"}, role="viewer", now=t2)
    files = [p.name for p in audit.files(tmp_path)]
    assert files == ["audit-2026-10.jsonl", "audit-2026-11.jsonl"]
    line = json.loads((tmp_path / "audit" / "audit-2026-10.jsonl").read_text())
    assert line == {"ts": "2026-10-31T23:59:00.000000Z", "user": "ana@example.com", "role": "analyst",
                    "action": "sql", "detail": {"sql": "select 1", "rows": 1}}
    events = audit.read_events(tmp_path)
    assert [e["user"] for e in events] == ["ana@example.com", "bob@example.com"]
    assert [e["user"] for e in audit.read_events(tmp_path, since=t2)] == ["bob@example.com"]
    assert [e["action"] for e in audit.read_events(tmp_path, action="sql")] == ["sql"]
    df = audit.frame(events)
    assert df["user"].to_list() == ["bob@example.com", "ana@example.com"]     # newest first
    assert df["what"].to_list() == ["downloaded a table", "1 rows, 0 s: select 1"]


def test_unknown_action_refused_and_long_text_clipped(tmp_path):
    with pytest.raises(ValueError):
        audit.log(tmp_path, "x", "delete_everything")
    e = audit.log(tmp_path, "x", "sql", {"sql": "x" * 10_000})
    assert len(e["detail"]["sql"]) == audit.MAX_DETAIL_TEXT + 1


def test_torn_line_is_skipped(tmp_path):
    audit.log(tmp_path, "a", "sql", {})
    with (tmp_path / "audit").joinpath(audit.files(tmp_path)[0].name).open("a") as fh:
        fh.write('{"ts": "2026-11-0')          # a writer killed mid-line
    audit.log(tmp_path, "b", "sql", {})
    assert [e["user"] for e in audit.read_events(tmp_path)] == ["a", "b"]


def test_acting_user_comes_from_the_context(tmp_path, monkeypatch):
    monkeypatch.setenv("PMO_USER", "cli-user")
    assert audit.current_user() == "cli-user"
    token = audit.acting.set(("ana@example.com", "analyst"))
    try:
        e = audit.log(tmp_path, None, "export", {})
    finally:
        audit.acting.reset(token)
    assert (e["user"], e["role"]) == ("ana@example.com", "analyst")
    assert audit.log(tmp_path, None, "export", {})["user"] == "cli-user"


def _append_many(root: str, who: str) -> None:
    for i in range(200):
        audit.log(root, who, "sql", {"i": i, "pad": "x" * 300})


def test_concurrent_writers_never_interleave_lines(tmp_path):
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(str(tmp_path), f"p{n}")) for n in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    events = audit.read_events(tmp_path)
    assert len(events) == 800
    assert sorted({e["user"] for e in events}) == ["p0", "p1", "p2", "p3"]


def test_ingest_rollback_remove_rebuild_are_logged_and_survive_rollback(store, monkeypatch):
    monkeypatch.setenv("PMO_USER", "ops")
    jira = sorted((FIXTURES / "jira").glob("*.csv"))[0]
    ingest_files(store, [jira], user="ana@example.com")
    ingest_files(store, [jira])                        # same file again: a second version
    rollback(store, 1, user="cio@example.com")
    rebuild(store)
    remove_ingest(store, 1)
    events = audit.read_events(store.root)
    assert [(e["action"], e["user"], e["detail"]["version"]) for e in events] == [
        ("ingest", "ana@example.com", 1), ("ingest", "ops", 2), ("rollback", "cio@example.com", 3),
        ("rebuild", "ops", 4), ("remove", "ops", 5)]
    assert events[0]["detail"]["files"] == [jira.name]
    assert events[2]["detail"]["to_version"] == 1
    assert audit.describe(events[2]) == "version 3 now serves what version 1 served"
    assert audit.describe(events[0]).startswith(f"published version 1: {jira.name} (")
    assert not any("audit" in str(s) for s in store.manifest().segments.values())
