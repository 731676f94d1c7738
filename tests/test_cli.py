"""The `pmo` command: exit codes, summary lines, one clear line per problem."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES

FX_A = FIXTURES / "store" / "fx_a.csv"
NOT_AN_EXPORT = FIXTURES / "store" / "not_an_export.csv"


def test_ingest_prints_one_summary_line_per_file(pmo_cli, tmp_path):
    r = pmo_cli("ingest", str(FX_A), "--as-of", "2026-11-20", data_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    line = r.stdout.splitlines()[0]
    assert line.startswith("fx_a.csv: FX rates -> fx_rates 2; 0 rows rejected (not stored), 0 cells cleared "
                           "(row stored, the value left empty); as of 2026-11-20; version 1")


def test_ingest_failure_exits_2_with_message_and_leaves_store(pmo_cli, tmp_path):
    ok = pmo_cli("ingest", str(FX_A), data_dir=tmp_path)
    assert ok.returncode == 0
    r = pmo_cli("ingest", str(NOT_AN_EXPORT), str(tmp_path / "missing.csv"), data_dir=tmp_path)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith("pmo: not_an_export.csv: no known export layout")
    assert lines[1] == "pmo: missing.csv: file not found. Check the path."
    assert lines[-1] == "pmo: nothing was stored; the store is unchanged."
    assert "Traceback" not in r.stderr
    assert (tmp_path / "CURRENT").read_text().strip() == "1"


def test_bad_as_of_is_a_usage_error(pmo_cli, tmp_path):
    r = pmo_cli("ingest", str(FX_A), "--as-of", "20/11/2026", data_dir=tmp_path)
    assert r.returncode == 2 and "is not a date like 2026-11-20" in r.stderr


def test_sql_answers_in_every_format(pmo_cli, tmp_path):
    pmo_cli("ingest", str(FX_A), data_dir=tmp_path)
    q = "select currency, rate_to_reporting from seg_fx_rates order by currency"
    r = pmo_cli("sql", q, "--format", "csv", data_dir=tmp_path)
    assert r.returncode == 0 and r.stdout.splitlines() == ["currency,rate_to_reporting", "EUR,1.1", "GBP,1.3"]
    r = pmo_cli("sql", q, "--format", "json", data_dir=tmp_path)
    assert json.loads(r.stdout) == [{"currency": "EUR", "rate_to_reporting": 1.1},
                                    {"currency": "GBP", "rate_to_reporting": 1.3}]
    r = pmo_cli("sql", "select count(*) as n from projects", data_dir=tmp_path)
    assert r.returncode == 0 and "0" in r.stdout


@pytest.mark.parametrize("statement, expected", [
    ("select * from read_csv('/etc/passwd')", "outside the store"),
    ("copy (select 1) to '/tmp/pmo-evil.csv'", "COPY is refused"),
    ("attach '/tmp/pmo-evil.db'", "ATTACH is refused"),
    ("install httpfs", "is refused"),
    ("load httpfs", "LOAD is refused"),
    ("set threads = 1", "SET is refused"),
    ("pragma version", "PRAGMA is refused"),
    ("create table t as select 1", "CREATE is refused"),
    ("delete from projects", "DELETE is refused"),
    ("select 1; select 2", "one statement at a time"),
    ("selec 1", "does not parse"),
])
def test_sql_refuses_anything_but_one_read(pmo_cli, tmp_path, statement, expected):
    pmo_cli("ingest", str(FX_A), data_dir=tmp_path)
    r = pmo_cli("sql", statement, data_dir=tmp_path)
    assert r.returncode == 2, r.stdout
    assert r.stderr.startswith("pmo: query refused:") and expected in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_history_lists_versions_and_ingests(pmo_cli, tmp_path):
    pmo_cli("ingest", str(FX_A), data_dir=tmp_path)
    r = pmo_cli("history", data_dir=tmp_path)
    assert r.returncode == 0
    assert "versions:" in r.stdout and "ingest" in r.stdout and "fx_a.csv" in r.stdout


def test_demo_refuses_a_store_with_data(pmo_cli, tmp_path):
    pmo_cli("ingest", str(FX_A), data_dir=tmp_path)
    r = pmo_cli("demo", data_dir=tmp_path)
    assert r.returncode == 2 and "only fills an empty store" in r.stderr


def test_rebuild_and_rollback_commands(pmo_cli, tmp_path):
    pmo_cli("ingest", str(FX_A), data_dir=tmp_path)
    r = pmo_cli("rebuild", data_dir=tmp_path)
    assert r.returncode == 0 and r.stdout.splitlines()[0] == "rebuilt version 2 from the kept raw files"
    assert "summary tables for the dashboard built" in r.stdout
    r = pmo_cli("rollback", "1", data_dir=tmp_path)
    assert r.returncode == 0 and "version 3 now serves what version 1 served" in r.stdout
    assert sorted(p.name[:6] for p in (tmp_path / "cache").iterdir()) == ["000001", "000002", "000003"]
    r = pmo_cli("rollback", "7", data_dir=tmp_path)
    assert r.returncode == 2 and "version 7 does not exist" in r.stderr


def test_check_reports_every_store_wide_check(pmo_cli, sample_store_dir):
    r = pmo_cli("check", data_dir=sample_store_dir)
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith(("ok ", "!! "))]
    titles = " | ".join(lines)
    for words in ("Projects only other tools know", "finish date is earlier than their start date",
                  "cannot be converted to the reporting currency", "Natural keys that appear more than once",
                  "Rows that ingests did not store", "Staff with no benchmark match"):
        assert words in titles, titles
