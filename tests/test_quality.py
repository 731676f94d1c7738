"""Store-wide data-quality checks find what they promise, on hand-made data."""

from datetime import date

from pmo import quality
from helpers.canonical import connect


def test_checks_find_each_problem(tmp_path):
    con = connect(tmp_path / "s", {
        "projects": [{"project_id": "P1", "start_date": date(2026, 5, 1), "finish_date": date(2026, 4, 1),
                      "source": "msproject:register"}],
        "tasks": [{"task_id": "T1", "project_id": "P1"}, {"task_id": "T2", "project_id": "NOPE", "source": "jira:board"}],
        "financials": [{"project_id": "P1", "period": date(2026, 3, 1), "kind": "actual",
                        "amount_original": 10.0, "currency": "JPY"}],
    })
    found = {f.check: f.rows.rows() for f in quality.store_report(con)}
    assert found["projects_not_in_register"] == [
        ("NOPE", "known only from jira:board; link it to a register project or keep it on the Data page")]
    assert found["finish_before_start"] == [("project P1", "finish 2026-04-01 is before start 2026-05-01")]
    assert found["amounts_without_fx_rate"] == [("financials in JPY", "1 lines, 10.0 JPY not converted")]
    assert found["duplicate_keys"] == []
    text = quality.format_report(quality.store_report(con))
    assert "!! Projects only other tools know" in text and "NOPE" in text
