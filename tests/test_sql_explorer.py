"""The SQL explorer page: every dangerous statement refused with a clear message, a runaway query
stopped by the timeout while other queries are served, the row cap, the audit trail, and who may
open the page."""

from __future__ import annotations

import re

import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pmo import audit, query
from pmo.safe_sql import UnsafeSQL, run_user_sql
from pmo.store import Store

from conftest import ROOT

pytestmark = pytest.mark.app
PAGE = str(ROOT / "pages" / "5_SQL_Explorer.py")
# CPU-bound and memory-light: it runs until the timeout stops it
RUNAWAY = "select count(*) from range(1000000000000) a where a.range % 7 = 3"

REFUSED = {
    "select * from read_csv('/etc/passwd')": "outside the store",
    "select * from read_text('/etc/passwd')": "outside the store",
    "select * from glob('/etc/*')": "outside the store",
    "select * from 'https://example.com/data.csv'": "outside the store",
    "COPY projects TO '/tmp/pmo-leak.csv'": "COPY is refused",
    "COPY (select * from salaries) TO '/tmp/pmo-leak.parquet' (FORMAT parquet)": "COPY is refused",
    "EXPORT DATABASE '/tmp/pmo-leak'": "EXPORT is refused",
    "ATTACH '/tmp/pmo-other.duckdb' AS other": "ATTACH is refused",
    "INSTALL httpfs": "INSTALL is refused",          # DuckDB files it under LOAD: named as written
    "LOAD httpfs": "LOAD is refused",
    "SET enable_external_access = true": "SET is refused",
    "SET threads = 64": "SET is refused",
    "RESET lock_configuration": "RESET is refused",   # DuckDB files it under SET
    "PRAGMA database_list": "PRAGMA is refused",
    "CALL pragma_version()": "CALL is refused",
    "select 1; select 2": "one statement at a time",
    "select * from projects; drop view projects": "one statement at a time",
    "DROP VIEW projects": "DROP is refused",
    "CREATE TABLE leak AS select * from salaries": "CREATE is refused",
    "INSERT INTO ingests VALUES (1)": "INSERT is refused",
    "select * from query('copy projects to ''/tmp/pmo-leak.csv''')": "single SELECT",
    "selec * from projects": "does not parse",
}


@pytest.fixture()
def explorer_store(sample_store_copy, monkeypatch):
    """A private store whose user-SQL timeout is 2 s (config.toml [security])."""
    with (sample_store_copy / "config.toml").open("a") as fh:
        fh.write("\n[security]\nsql_timeout_seconds = 2\nsql_row_cap = 25\n")
    monkeypatch.setenv("PMO_DATA_DIR", str(sample_store_copy))
    monkeypatch.setenv("PMO_USER", "ana")
    monkeypatch.delenv("PMO_ROLE", raising=False)
    monkeypatch.chdir(ROOT)
    return sample_store_copy


def run_query(at: AppTest, text: str) -> AppTest:
    at.text_area(key="sql_text").input(text)
    return at.button(key="sql_run").click().run()


def test_every_listed_statement_is_refused_with_a_clear_message(explorer_store):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    for text, words in REFUSED.items():
        run_query(at, text)
        assert not at.exception, text
        errors = [e.value for e in at.error]
        assert len(errors) == 1 and errors[0].startswith("Query refused: "), (text, errors)
        assert words in errors[0], (text, errors[0])
        assert "Traceback" not in errors[0]
    assert not any(Path("/tmp").glob("pmo-leak*")) and not Path("/tmp/pmo-other.duckdb").exists()
    refused = audit.read_events(explorer_store, action="sql_refused")
    assert [e["detail"]["sql"] for e in refused] == list(REFUSED)
    assert {e["user"] for e in refused} == {"ana"}


def test_runaway_cross_join_is_stopped_and_the_page_answers_the_next_query(explorer_store):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    run_query(at, RUNAWAY)
    errors = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]      # as it reads (escaped Markdown)
    assert errors == ["Query refused: the query ran longer than 2 s and was stopped; add filters or "
                      "aggregate first."]
    run_query(at, "select portfolio, count(*) as projects from projects group by portfolio order by portfolio")
    assert not at.error and not at.exception
    assert "4 rows · 2 columns" in " ".join(c.value for c in at.caption)


def test_row_cap_cuts_with_a_notice_and_the_query_is_audited(explorer_store):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    run_query(at, "select project_id from projects order by project_id")
    assert [w.value for w in at.warning][0].startswith("Showing the first 25 rows")
    assert "25 rows · 1 columns" in " ".join(c.value for c in at.caption)
    [event] = audit.read_events(explorer_store, action="sql")
    assert (event["user"], event["role"], event["detail"]["rows"], event["detail"]["cut"]) == ("ana", "admin", 25, True)
    assert event["detail"]["sql"] == "select project_id from projects order by project_id"


def test_example_fills_the_editor_and_runs(explorer_store):
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.selectbox(key="sql_example").select("Projects per portfolio and stage").run()
    assert at.text_area(key="sql_text").value.startswith("select portfolio, stage")
    at.button(key="sql_run").click().run()
    assert not at.error and not at.exception


@pytest.mark.parametrize("role, allowed", [("viewer", False), ("analyst", True), ("admin", True)])
def test_only_analysts_and_admins_open_the_page(explorer_store, monkeypatch, role, allowed):
    monkeypatch.setenv("PMO_ROLE", role)
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not at.exception
    if allowed:
        assert not at.error and at.text_area(key="sql_text") is not None
    else:
        assert at.error[0].value.startswith("The SQL explorer is for analysts and admins")
        assert not [t for t in at.text_area]


def test_runaway_query_does_not_hold_up_other_queries(sample_store_dir):
    """While one session's runaway query runs, another query on the same connection is served."""
    con = query.connect(Store(sample_store_dir)).con
    outcome: dict = {}

    def runaway():
        try:
            run_user_sql(con, RUNAWAY, timeout_s=20)       # time for the other query on a busy machine
        except UnsafeSQL as exc:
            outcome["error"] = str(exc)

    t = threading.Thread(target=runaway)
    t.start()
    try:
        head = {"project_count": query.run(con, "project_list", **dict.fromkeys(
            ("portfolio", "program", "department", "manager", "stage"))).height}
        still_running = t.is_alive()
    finally:
        t.join(60)
    assert head["project_count"] == 40
    assert still_running, "the other query should be answered while the runaway one is still running"
    assert outcome["error"].startswith("the query ran longer than 20 s")
