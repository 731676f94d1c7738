"""The sample store tells the resource story (sample_data/README.md, "Resources"): who is
over-allocated, the short role, and `pmo sql` over the view."""

from __future__ import annotations

from datetime import date

import pytest


def test_the_over_allocated_people(sample_con):
    got = dict(sample_con.execute(
        "select person_name, count(*) from resource_utilisation where is_over_allocated "
        "and bucket_start >= '2026-09-01' group by 1").fetchall())
    assert set(got) == {"Samir Haddad", "Elena Petrova", "Lukas Weber", "Oliver Grant", "Grace Liu"}
    # Grace: booked through her Christmas leave (two weeks with no capacity)
    assert got["Grace Liu"] == 2
    worst = sample_con.execute("select max(utilisation) from resource_utilisation where person_name = 'Lukas Weber' "
                               "and bucket_start = '2026-11-23'").fetchall()[0][0]
    # S/4HANA Data Migration 6.5 h + Backup & DR 3.5 h a day until 27 Nov; Thanksgiving is not a German holiday
    assert worst == pytest.approx(5 * (6.5 + 3.5) / 40)


def test_scrum_master_is_the_short_role(sample_con):
    rows = sample_con.execute(
        "select role, sum(forecast_hours) - sum(capacity_hours) as deficit from resource_utilisation "
        "where bucket_start = '2026-12-07' group by role having deficit > 0").fetchall()
    assert rows == [("Scrum Master", pytest.approx(80.0))]


def test_scrum_masters_are_exactly_full_not_over_allocated(sample_con):
    rows = sample_con.execute(
        "select person_name, utilisation, is_over_allocated from resource_utilisation "
        "where role = 'Scrum Master' and not is_placeholder and bucket_start = '2026-12-07' order by 1").fetchall()
    assert rows == [("Amy Zhang", 1.0, False), ("Ben Cho", 1.0, False)]


def test_people_are_matched_across_harvest_project_online_and_workday(sample_con):
    # every Harvest and Project Online person is an HR employee id (no name: / id: keys)
    loose = sample_con.execute(
        "select count(*) from (select person_id from time_entries where source like 'harvest:%' "
        "union select person_id from allocations where not is_placeholder) where person_id not similar to '[0-9]+'"
    ).fetchall()[0][0]
    assert loose == 0
    assert sample_con.execute("select max(actuals_through) from resource_utilisation").fetchall() == [
        (date(2026, 11, 20),)]


def test_pmo_sql_over_the_view(pmo_cli, sample_store_dir):
    r = pmo_cli("sql", "select * from resource_utilisation limit 5", data_dir=sample_store_dir)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    r = pmo_cli("sql", "select * from resource_utilisation limit 5", "--format", "csv", data_dir=sample_store_dir)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("bucket,bucket_start,bucket_end,person_id,person_name") and len(lines) == 6
